/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Paths as the task sees them, and the automaton that matches them.
 *
 * The walk goes from the file up to the task's root directory, crossing
 * mount points the way d_path() does, so a rule on /proc, a tmpfs /tmp or
 * a separate /home matches; it stops at the task's root, so a chrooted task
 * sees its own paths. The automaton then runs from the root down, one hash
 * lookup per component, and stops as soon as no rule can match deeper. A
 * file whose directory was seen before starts from the state remembered
 * for it, and only its own name is read.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "kernel_defs.bpf.h"
#include "maps.bpf.h"

/* Follow one edge of the automaton: the state after a component with this hash. */
static __always_inline __u32 automaton_step(__u32 state, const struct bj_state *st, __u64 hash)
{
	struct bj_edge_key key = { .state = state, .hash = hash };
	__u32 *next = bpf_map_lookup_elem(&path_edges, &key);

	return next ? *next : st->other;
}

/*
 * Names are hashed in place, 8 bytes per step of a bpf_loop() that walks
 * all components of a path: one flat loop keeps the verifier's work small
 * on every kernel (a loop per name inside a loop per component does not).
 */
struct name_hash {
	struct bj_sip sip;
	__u32 off;   /* bytes of the current name already hashed */
	__u32 state; /* automaton state */
	__u32 done;  /* components consumed */
};

static __always_inline void name_hash_start(struct name_hash *h)
{
	bj_sip_init(&h->sip, hash_k0, hash_k1);
	h->off = opaque_zero;
}

/* The name ended: its last block is word (len bytes in all); follow the automaton. */
static __always_inline void name_hash_finish(struct name_hash *h, const struct bj_state *st, __u64 word,
					     __u32 len)
{
	h->state = automaton_step(h->state, st, bj_sip_final(&h->sip, word, len & BJ_NAME_MAX));
	h->done++;
	name_hash_start(h);
}

/* One step over a name of known length: the next full block, or the tail. */
static __always_inline void name_hash_step(struct name_hash *h, const struct bj_state *st,
					   const unsigned char *name, __u32 len)
{
	__u64 word = 0;

	len &= BJ_NAME_MAX;
	if (h->off + 8 <= len) {
		bpf_probe_read_kernel(&word, sizeof(word), name + (h->off & BJ_NAME_MAX));
		bj_sip_block(&h->sip, word);
		h->off += 8;
		return;
	}
	/* Bytes read past the end of the name are masked off. */
	if (len % 8)
		bpf_probe_read_kernel(&word, sizeof(word), name + (h->off & BJ_NAME_MAX));
	name_hash_finish(h, st, word, len);
}

/*
 * The same for a NUL-terminated name (kernfs names store no length). The
 * _str helper stops at the NUL, so nothing past it is read.
 */
static __always_inline void name_hash_step_str(struct name_hash *h, const struct bj_state *st,
					       const char *name)
{
	char buf[16] = {};
	long got = bpf_probe_read_kernel_str(buf, 9, name + (h->off & BJ_NAME_MAX));
	__u64 word;

	__builtin_memcpy(&word, buf, sizeof(word));
	if (got == 9 && h->off + 8 <= BJ_NAME_MAX) {
		bj_sip_block(&h->sip, word);
		h->off += 8;
		return;
	}
	name_hash_finish(h, st, word, h->off + (got > 0 ? got - 1 : 0));
}

static __always_inline struct mount *real_mount(struct vfsmount *mnt)
{
	return (void *)mnt - bpf_core_field_offset(struct mount, mnt);
}

/*
 * The walk and the automaton's run are global functions (path.bpf.c):
 * the verifier checks each once per program, not once per call, and a
 * check may call them several times (a rename: two paths and a record).
 * A global function takes no typed pointer: the walk's start reaches it
 * in jt, as numbers.
 */

/* Collect the components of (jt->walk_dentry, jt->walk_mnt) into jt, leaf first; sets jt->kind. */
extern int bj_walk_path(struct jail_task *jt);

/* No mark: bj_match_run() is not asked for a state on the way. */
#define NO_MARK 0xffffffffu

/*
 * Run the automaton from start over the components in jt (root first):
 * the state it ends in, and in *marked the state after `mark` components.
 */
extern __u32 bj_match_run(struct jail_task *jt, __u32 start, __u32 mark, __u32 *marked);

static __always_inline void walk_path(struct jail_task *jt, struct dentry *d, struct vfsmount *mnt)
{
	jt->walk_dentry = (__u64)d;
	jt->walk_mnt = (__u64)mnt;
	bj_walk_path(jt);
}

/* Run the automaton from start over the components in jt; the state it ends in. */
static __always_inline const struct bj_state *match_path(struct jail_task *jt, __u32 start)
{
	__u32 unused, state = bj_match_run(jt, start, NO_MARK, &unused);

	return bpf_map_lookup_elem(&path_states, &state);
}

/* ---- Remembered directories ---- */

/*
 * A path is only as good as the moment it was read. The kernel trusts a
 * path it built (d_path(), its lookups in RCU mode) only while two
 * sequence counts stand still: rename_lock, which every d_move() and
 * d_exchange() bumps (a rename, or a directory a network file system
 * found moved), and mount_lock, which every change to any mount tree
 * bumps, a mount freed included. An entry of dir_states is trusted on the
 * same terms: both counts as they were before its path was walked and
 * still after, the same mount, the same task root, the same start state.
 *
 * An entry names the directory's inode, so its file system must give a
 * directory one name for its life, changed only by a rename: the local
 * ones below. kernfs (sysfs, cgroupfs), procfs and network file systems
 * can show an inode under a new name without a d_move(), so theirs are
 * never remembered. bj_dir_forget (path.bpf.c) empties the slot of a
 * directory whose inode is freed, before its address can be reused.
 * A count is odd while it is written, and an entry is never made or
 * trusted then.
 */
/* rename_lock's count in the high half, mount_lock's in the low (path.bpf.c). */
extern __u64 bj_path_seqs(void);

static __always_inline bool remembered_fs(unsigned long magic)
{
	switch (magic) {
	case EXT4_SUPER_MAGIC: /* ext2 and ext3 too */
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case TMPFS_MAGIC:
	case OVERLAYFS_SUPER_MAGIC:
		return true;
	default:
		return false;
	}
}

/* Does entry c hold for directory dir, in a walk that began at counts seqs (bj_path_seqs())? */
static __always_inline bool dir_state_holds(const struct bj_dir_state *c, __u64 dir, __u64 seqs,
					    struct vfsmount *mnt, const struct path *root, __u32 start)
{
#ifdef BJ_BROKEN_HOOK_DIR_CACHE /* -Dbroken_hook=dir_cache: the test suite's selftest only */
	return c->dir == dir && c->start == start;
#endif
	return c->dir == dir && c->seqs == seqs && c->mnt == (__u64)mnt &&
	       c->root_dentry == (__u64)root->dentry && c->root_mnt == (__u64)root->mnt && c->start == start;
}

/*
 * The slot of a directory: a multiplicative hash of its inode number (the
 * verifier does no arithmetic on the inode's address; the entry's dir
 * tells directories with the same number apart).
 */
static __always_inline struct bj_dir_slot *dir_slot_of(struct inode *inode)
{
	__u32 idx = (inode->i_ino * 0x9e3779b97f4a7c15ull) >> (64 - BJ_DIR_CACHE_BITS);

	return bpf_map_lookup_elem(&dir_states, &idx);
}

/*
 * A slot's count, read so that the slot's other reads stay on their side
 * of it: x86 keeps loads in order, so a plain load between compiler
 * barriers, as the kernel's own seqcount reads; elsewhere an atomic
 * operation, the only barrier BPF has.
 */
static __always_inline __u64 dir_slot_gen(struct bj_dir_slot *slot)
{
	__u64 gen;

#ifdef __TARGET_ARCH_x86
	asm volatile("" ::: "memory");
	gen = *(volatile __u64 *)&slot->gen;
	asm volatile("" ::: "memory");
#else
	gen = __sync_fetch_and_add(&slot->gen, 0);
#endif
	return gen;
}

/*
 * Write an entry into slot, unless another write holds it. A directory's
 * entry is written while the file being checked holds it (a dentry holds
 * its parent), so it is not freed meanwhile; unless a rename moved the
 * file away, and then the entry's counts are already past.
 */
static __always_inline void dir_slot_write(struct bj_dir_slot *slot, const struct bj_dir_state *in)
{
	__u64 gen = slot->gen;

	if ((gen & 1) || __sync_val_compare_and_swap(&slot->gen, gen, gen + 1) != gen)
		return;
	slot->st = *in;
	/* Atomic: the entry is written before the count says so, on every architecture. */
	__sync_fetch_and_add(&slot->gen, 1);
}

/*
 * Walk (d, mnt) and run the automaton from start over it: the state it
 * ends in, and jt->kind says how the walk ended (the state is 0 unless
 * the root was reached). typed: d and mnt are BTF pointers, and the walk
 * may start at d's directory if it is remembered: then only d's own name
 * is read (jt->partial: a record walks the whole path again). Else the
 * whole path is, and the directory's state is remembered on the way.
 * One walk and one run of the automaton either way, so each check costs
 * the verifier one of each.
 */
static __always_inline __u32 match_walk(struct jail_task *jt, struct dentry *d, struct vfsmount *mnt,
					__u32 start, bool typed)
{
	struct bj_dir_slot *slot = NULL;
	__u32 mark = NO_MARK, state, dir_state = 0;
	const struct bj_state *st;
	struct path *root = NULL;
	struct dentry *dir;
	__u64 key = 0, seqs = BJ_SEQS_ODD, gen;
	bool hit = false;

	if (typed && dir_cache) {
		root = &bpf_get_current_task_btf()->fs->root;
		dir = d->d_parent;
		if (d != mnt->mnt_root && (d != root->dentry || mnt != root->mnt) &&
		    remembered_fs(dir->d_sb->s_magic) && (key = (__u64)dir->d_inode)) {
			seqs = bj_path_seqs();
			slot = dir_slot_of(dir->d_inode);
		}
	}
	if (slot && !(seqs & BJ_SEQS_ODD)) {
		gen = dir_slot_gen(slot);
		hit = !(gen & 1) && dir_state_holds(&slot->st, key, seqs, mnt, root, start);
		dir_state = slot->st.state;
		hit = hit && dir_slot_gen(slot) == gen;
	}
	if (hit) {
		jt->names[0] = d->d_name.name;
		jt->lens[0] = d->d_name.len;
		jt->depth = 1;
		jt->kind = BJ_PATH_REACHED;
		jt->partial = 1;
		start = dir_state;
		/* No rule decides anything below the directory: its state is the file's. */
		st = bpf_map_lookup_elem(&path_states, &start);
		if (st && st->final)
			return start;
		/* No edge names a name as long as the file's: "other" is its state. */
		if (st && !(st->lens & bj_name_len_bit(d->d_name.len)))
			return st->other;
	} else {
		walk_path(jt, d, mnt);
		if (jt->kind != BJ_PATH_REACHED)
			return 0;
		/* The directory's components are all but the first (the leaf). */
		if (key && !(seqs & BJ_SEQS_ODD))
			mark = jt->depth - 1;
	}
	state = bj_match_run(jt, start, mark, &dir_state);
	if (slot && mark != NO_MARK && bj_path_seqs() == seqs) {
		struct bj_dir_state seen = {
			.dir = key,
			.seqs = seqs,
			.mnt = (__u64)mnt,
			.root_dentry = (__u64)root->dentry,
			.root_mnt = (__u64)root->mnt,
			.start = start,
			.state = dir_state,
		};

		if (!dirs_remembered)
			dirs_remembered = 1;
		dir_slot_write(slot, &seen);
	}
	return state;
}

/* Marks a jail_task whose components have not been collected for this check. */
#define PATH_NOT_WALKED 0xffu

/*
 * Rights the role grants on (dentry, mnt). A path the walk could not reach
 * from the task's root gets no rule's blessing: too deep, nothing at all;
 * detached (outside the root, or disconnected), nothing if the role has
 * file rules. Objects on kernel-internal mounts (pipes, memfd, pidfds,
 * anonymous inodes) are reached only through descriptors of the task's
 * own jail (another process's /proc/PID/fd needs ptrace access): read and
 * write, whatever the flags, never execution. POSIX message queues are
 * shared by name with other processes: only a rule under /dev/mqueue
 * grants them, whichever mount they are reached by.
 */
struct path_info {
	bool final;      /* no rule can decide anything below this path */
	__u32 ruled_out; /* rights a rule explicitly refuses (not just the flags) */
	__u32 decided;   /* rights a rule decides, either way */
};

/* Is mnt, whose super block has flags sb_flags, a kernel-internal mount? */
static __always_inline bool internal_mount(struct vfsmount *mnt, unsigned long sb_flags)
{
	struct mount *m = real_mount(mnt);

	return (sb_flags & SB_KERNMOUNT) && BPF_CORE_READ(m, mnt_parent) == m;
}

/* Rights from rules alone, for objects the flags never grant. */
static __always_inline __u32 rule_rights(const struct bj_state *st, struct path_info *info)
{
	__u32 allow = BJ_VERDICT_ALLOW(st->verdict), decided = BJ_VERDICT_DECIDED(st->verdict);

	info->final = st->final;
	info->ruled_out = decided & ~allow;
	info->decided = decided;
	return allow & decided & (BJ_RIGHT_READ | BJ_RIGHT_WRITE);
}

/*
 * typed: d and mnt are the hook's own BTF pointers, or loads from them,
 * and the walk may start at a remembered directory; pointers read as
 * numbers (BPF_CORE_READ, a mount list) are walked in full. A constant
 * at every call, so each check compiles to one kind of reads.
 */
static __always_inline __u32 path_rights_of(struct jail_task *jt, const struct bj_role_entry *role,
					    struct dentry *d, struct vfsmount *mnt, struct path_info *info,
					    bool typed)
{
	__u32 flag_rights = (role->flags & BJ_FLAG_FILE ? BJ_RIGHTS_FILE : 0) |
			    (role->flags & BJ_FLAG_EXEC ? BJ_RIGHT_RUN : 0);
	unsigned long magic, sb_flags;
	const struct bj_state *st;
	__u32 allow, decided, state;
	struct super_block *sb;
	bool mqueue;

	if (typed) {
		magic = mnt->mnt_sb->s_magic;
		sb_flags = mnt->mnt_sb->s_flags;
	} else {
		sb = BPF_CORE_READ(mnt, mnt_sb);
		magic = BPF_CORE_READ(sb, s_magic);
		sb_flags = BPF_CORE_READ(sb, s_flags);
	}
	mqueue = magic == MQUEUE_MAGIC;
	info->final = true;
	info->ruled_out = 0;
	info->decided = 0;
	if (internal_mount(mnt, sb_flags)) {
		if (!mqueue)
			return BJ_RIGHT_READ | BJ_RIGHT_WRITE;
		if (!role->mqueue_state)
			return 0;
		walk_path(jt, d, mnt); /* the queue's name, below the mount's root */
		st = match_path(jt, role->mqueue_state);
		return st ? rule_rights(st, info) : 0;
	}
	if (!role->path_start) {
		/* Flags alone decide; the path is only collected if a record needs it. */
		jt->kind = PATH_NOT_WALKED;
		return mqueue ? 0 : flag_rights;
	}
	state = match_walk(jt, d, mnt, role->path_start, typed);
	switch (jt->kind) {
	case BJ_PATH_REACHED:
		break;
	case BJ_PATH_INTERNAL:
		return flag_rights & (BJ_RIGHT_READ | BJ_RIGHT_WRITE);
	default:
		return 0;
	}
	st = bpf_map_lookup_elem(&path_states, &state);
	if (!st)
		return 0;
	if (mqueue)
		return rule_rights(st, info);
	allow = BJ_VERDICT_ALLOW(st->verdict);
	decided = BJ_VERDICT_DECIDED(st->verdict);
	info->final = st->final;
	info->ruled_out = decided & ~allow;
	info->decided = decided;
	return (allow & decided) | (flag_rights & ~decided);
}

/* Rights on (d, mnt) as the hook got them: typed pointers. */
static __always_inline __u32 path_rights(struct jail_task *jt, const struct bj_role_entry *role,
					 struct dentry *d, struct vfsmount *mnt, struct path_info *info)
{
	return path_rights_of(jt, role, d, mnt, info, true);
}

/* path_rights_of(), untyped, on (jt->walk_dentry, jt->walk_mnt) (path.bpf.c). */
extern __u32 bj_path_rights_read(struct jail_task *jt, const struct bj_role_entry *role, struct path_info *info);

/*
 * Rights on (d, mnt) read as numbers: BPF_CORE_READ, found in a mount
 * list, or one of two paths (link, rename). A global function, so a check
 * that asks it twice verifies it once; the pointers reach it in jt.
 */
static __always_inline __u32 path_rights_read(struct jail_task *jt, const struct bj_role_entry *role,
					      struct dentry *d, struct vfsmount *mnt, struct path_info *info)
{
	jt->walk_dentry = (__u64)d;
	jt->walk_mnt = (__u64)mnt;
	return bj_path_rights_read(jt, role, info);
}
