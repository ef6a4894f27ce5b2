// SPDX-License-Identifier: GPL-2.0
/*
 * Paths: the walk from a file up to the task's root, the automaton's run
 * over its components (and one step of the name hash), the rights on a
 * path read as numbers and the path written into a record (global
 * functions, see path.bpf.h), and what keeps remembered directories
 * honest: the two sequence counts an entry is trusted by, and the hook
 * that forgets a freed directory.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "audit.bpf.h"
#include "kernel_defs.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"

/* ---- The walk ---- */

/* Walk iterations: components plus mount crossings. */
#define WALK_STEPS (BJ_MAX_DEPTH + 64)

/*
 * The walk reads through probe reads, not typed loads: a typed pointer
 * does not survive a mount crossing on every kernel. The struct mount
 * around a vfsmount is at a negative offset from it, which the verifier
 * refuses on a typed pointer, and the cast that would make one again
 * (bpf_rdonly_cast()) is from 6.2. So each directory costs two reads, its
 * parent and then its name with its length; a mount's root is read once
 * per mount, not per directory (it never changes while the mount lives).
 */
struct walk_ctx {
	struct jail_task *jt;
	struct dentry *d;
	struct vfsmount *mnt;
	struct dentry *mnt_root; /* mnt's */
	struct dentry *root_d;
	struct vfsmount *root_mnt;
	bool done;
};

static long walk_step(__u32 i, void *data)
{
	struct walk_ctx *w = data;
	struct jail_task *jt = w->jt;
	struct vfsmount *mnt = w->mnt;
	struct dentry *d = w->d, *parent;
	struct qstr name;
	__u32 depth;

	if (d == w->root_d && mnt == w->root_mnt) {
		jt->kind = BJ_PATH_REACHED;
		w->done = true;
		return 1;
	}
	if (d == w->mnt_root) {
		struct mount *m = real_mount(mnt);
		struct mount *up = BPF_CORE_READ(m, mnt_parent);

		if (up == m) {
			/* Top of a mount tree that is not the task's root. */
			jt->kind = BPF_CORE_READ(mnt, mnt_sb, s_flags) & SB_KERNMOUNT ? BJ_PATH_INTERNAL
										       : BJ_PATH_DETACHED;
			w->done = true;
			return 1;
		}
		mnt = (void *)up + bpf_core_field_offset(struct mount, mnt);
		w->d = BPF_CORE_READ(m, mnt_mountpoint);
		w->mnt = mnt;
		w->mnt_root = BPF_CORE_READ(mnt, mnt_root);
		return 0;
	}
	parent = BPF_CORE_READ(d, d_parent);
	depth = jt->depth;
	if (parent == d || depth >= BJ_MAX_DEPTH) {
		jt->kind = parent == d ? BJ_PATH_DETACHED : BJ_PATH_TOO_DEEP;
		w->done = true;
		return 1;
	}
	bpf_core_read(&name, sizeof(name), &d->d_name);
	jt->names[depth & (BJ_MAX_DEPTH - 1)] = name.name;
	jt->lens[depth & (BJ_MAX_DEPTH - 1)] = name.len;
	jt->depth = depth + 1;
	w->d = parent;
	return 0;
}

__noinline int bj_walk_path(struct jail_task *jt)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct walk_ctx w = {
		.jt = jt,
		.root_d = task->fs->root.dentry,
		.root_mnt = task->fs->root.mnt,
	};

	struct vfsmount *mnt;

	if (!jt)
		return 0;
	mnt = (void *)jt->walk_mnt;
	w.d = (void *)jt->walk_dentry;
	w.mnt = mnt;
	w.mnt_root = BPF_CORE_READ(mnt, mnt_root);
	jt->depth = 0;
	jt->kind = BJ_PATH_TOO_DEEP;
	jt->partial = 0;
	bpf_loop(WALK_STEPS, walk_step, &w, 0);
	return 0;
}

/* ---- The automaton ---- */

/*
 * One step of the name hash and, at a name's end, of the automaton: a
 * global function, so that the verifier, which on 6.8 and later walks
 * match_step() once per iteration until its states repeat, sees a call
 * there and checks the hash's rounds only once.
 */
__noinline int bj_name_step(struct name_hash *h, const struct bj_state *st, __u64 name, __u32 len)
{
	if (!h || !st)
		return 0;
	if (!h->off && !(st->lens & bj_name_len_bit(len))) {
		/* No edge names a name of this length: the state's "other", the name unread. */
		h->state = st->other;
		h->done++;
		return 0;
	}
	name_hash_step(h, st, (const unsigned char *)name, len);
	return 0;
}

struct match_ctx {
	struct jail_task *jt;
	struct name_hash h;
	__u32 mark;       /* after this many components, */
	__u32 mark_state; /* the state then */
};

static long match_step(__u32 i, void *data)
{
	struct match_ctx *m = data;
	struct jail_task *jt = m->jt;
	const struct bj_state *st;
	__u32 idx;

	if (m->h.done == m->mark)
		m->mark_state = m->h.state;
	if (m->h.done >= jt->depth)
		return 1;
	st = bpf_map_lookup_elem(&path_states, &m->h.state);
	if (!st) {
		m->h.state = 0;
		return 1;
	}
	if (st->final)
		return 1;
	idx = (jt->depth - 1 - m->h.done) & (BJ_MAX_DEPTH - 1); /* root first */
	bj_name_step(&m->h, st, (__u64)jt->names[idx], jt->lens[idx]);
	return 0;
}

__noinline __u32 bj_match_run(struct jail_task *jt, __u32 start, __u32 mark, __u32 *marked)
{
	struct match_ctx m = { .jt = jt, .h.state = start, .h.done = opaque_zero, .mark = mark };

	if (!jt || !marked)
		return 0;
	name_hash_start(&m.h);
	/* At most one step per 8 bytes of a name, plus one per name for its tail. */
	bpf_loop(jt->depth * (BJ_NAME_MAX / 8 + 2), match_step, &m, 0);
	/* A final state stays (state 0, where nothing matches, is final too). */
	*marked = m.h.done <= mark ? m.h.state : m.mark_state;
	return m.h.state;
}

/* ---- Rights on a path read as numbers (path_rights_read()) ---- */

__noinline __u32 bj_path_rights_read(struct jail_task *jt, const struct bj_role_entry *role, struct path_info *info)
{
	if (!jt || !role || !info)
		return 0;
	return path_rights_of(jt, role, (void *)jt->walk_dentry, (void *)jt->walk_mnt, info, false);
}

/* ---- The path of a record ---- */

struct path_write_ctx {
	struct jail_task *jt;
	struct bj_audit_record *rec;
	__u32 off;
};

static long path_write_step(__u32 i, void *data)
{
	struct path_write_ctx *pw = data;
	struct jail_task *jt = pw->jt;
	struct bj_audit_record *rec = pw->rec;
	__u32 idx = (jt->depth - 1 - i) & (BJ_MAX_DEPTH - 1);
	__u32 len = jt->lens[idx] & BJ_NAME_MAX;
	__u32 off = pw->off;

	if (off + 1 + len > BJ_PATH_MAX - 1) {
		rec->path_truncated = 1;
		return 1;
	}
	rec->path[off & (BJ_PATH_MAX - 1)] = '/';
	bpf_probe_read_kernel(&rec->path[(off + 1) & (BJ_PATH_MAX - 1)], len, jt->names[idx]);
	pw->off = off + 1 + len;
	return 0;
}

__noinline int bj_audit_path(struct audit_buf *buf, struct jail_task *jt)
{
	struct path_write_ctx pw = { .jt = jt, .off = opaque_zero };
	struct bj_audit_record *rec;

	if (!buf || !jt)
		return 0;
	rec = &buf->rec;
	pw.rec = rec;
	if (jt->kind == PATH_NOT_WALKED || jt->partial)
		bj_walk_path(jt);
	rec->object = BJ_OBJ_PATH;
	rec->path_kind = jt->kind;
	if (!jt->depth) {
		rec->path[0] = '/';
		rec->path_len = 1;
		return 0;
	}
	bpf_loop(jt->depth, path_write_step, &pw, 0);
	rec->path_len = pw.off;
	return 0;
}

/* ---- Remembered directories ---- */

/*
 * The two counts path.bpf.h trusts a remembered directory by: rename_lock's
 * in the high half, mount_lock's in the low. Each is odd while written, and
 * reads as odd when it cannot be read (a kernel without the symbol). The
 * symbols are not in the kernel's BTF: their addresses come from kallsyms,
 * and only this object names them (the static linker cannot join untyped
 * externs).
 */
extern const void rename_lock __ksym __weak;
extern const void mount_lock __ksym __weak;

/* From 6.2; the bootstrap sets typed_casts where the kernel has it. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

static __always_inline __u32 seq_now(const void *lock)
{
	const seqlock_t *l = lock;
	const struct seqcount *s;
	__u32 seq = 1;

	if (!lock)
		return 1;
	if (typed_casts) {
		/*
		 * A load through a cast pointer is one instruction where a
		 * probe read is a helper call. One that faults reads 0; both
		 * counts are kernel data read alike, and bj_path_seqs() takes
		 * a zero mount_lock for such a read.
		 */
		s = bpf_rdonly_cast(&l->seqcount.seqcount, bpf_core_type_id_kernel(struct seqcount));
		return s->sequence;
	}
	/* A failed read zeroes seq: an even count that would never change. */
	if (bpf_core_read(&seq, sizeof(seq), &l->seqcount.seqcount.sequence))
		return 1;
	return seq;
}

__noinline __u64 bj_path_seqs(void)
{
	__u32 mounts = seq_now(&mount_lock);

	/* mount_lock has counted every mount since boot, the root's too: 0 is a read that failed. */
	if (!mounts)
		return BJ_SEQS_ODD;
	return (__u64)seq_now(&rename_lock) << 32 | mounts;
}

/*
 * Found by their inode's address: a freed directory's entry goes with it,
 * so a directory made later at the same address is walked afresh. Any
 * task's inode, jailed or not, and nothing is refused here. Only the
 * entry's dir changes, in one atomic step, so no count is taken: a reader
 * sees the directory or an empty slot.
 */
SEC("lsm/inode_free_security")
int BPF_PROG(bj_dir_forget, struct inode *inode)
{
	struct bj_dir_slot *slot;

	if (!dirs_remembered || (inode->i_mode & S_IFMT) != S_IFDIR)
		return 0;
	slot = dir_slot_of(inode);
	if (slot)
		__sync_val_compare_and_swap(&slot->st.dir, (__u64)inode, 0);
	return 0;
}
