/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Paths as the task sees them, and the automaton that matches them.
 *
 * The walk goes from the file up to the task's root directory, crossing
 * mount points the way d_path() does, so a rule on /proc, a tmpfs /tmp or
 * a separate /home matches; it stops at the task's root, so a chrooted task
 * sees its own paths. The automaton then runs from the root down, one hash
 * lookup per component, and stops as soon as no rule can match deeper.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "kernel_defs.bpf.h"
#include "maps.bpf.h"

/* Walk iterations: components plus mount crossings. */
#define WALK_STEPS (BJ_MAX_DEPTH + 64)

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

static __always_inline struct mount *real_mount(struct vfsmount *mnt)
{
	return (void *)mnt - bpf_core_field_offset(struct mount, mnt);
}

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

/* Collect the components of (dentry, mnt) into jt, leaf first; sets jt->kind. */
static __always_inline void walk_path(struct jail_task *jt, struct dentry *d, struct vfsmount *mnt)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct walk_ctx w = {
		.jt = jt,
		.d = d,
		.mnt = mnt,
		.mnt_root = BPF_CORE_READ(mnt, mnt_root),
		.root_d = task->fs->root.dentry,
		.root_mnt = task->fs->root.mnt,
	};

	jt->depth = 0;
	jt->kind = BJ_PATH_TOO_DEEP;
	bpf_loop(WALK_STEPS, walk_step, &w, 0);
}

struct match_ctx {
	struct jail_task *jt;
	struct name_hash h;
};

static long match_step(__u32 i, void *data)
{
	struct match_ctx *m = data;
	struct jail_task *jt = m->jt;
	const struct bj_state *st;
	__u32 idx;

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
	name_hash_step(&m->h, st, jt->names[idx], jt->lens[idx]);
	return 0;
}

/* Run the automaton from start over the components in jt; the state it ends in. */
static __always_inline const struct bj_state *match_path(struct jail_task *jt, __u32 start)
{
	struct match_ctx m = { .jt = jt, .h.state = start, .h.done = opaque_zero };

	name_hash_start(&m.h);
	/* At most one step per 8 bytes of a name, plus one per name for its tail. */
	bpf_loop(jt->depth * (BJ_NAME_MAX / 8 + 2), match_step, &m, 0);
	return bpf_map_lookup_elem(&path_states, &m.h.state);
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

static __always_inline bool internal_mount(struct vfsmount *mnt)
{
	struct mount *m = real_mount(mnt);

	return BPF_CORE_READ(m, mnt_parent) == m && (BPF_CORE_READ(mnt, mnt_sb, s_flags) & SB_KERNMOUNT);
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

static __always_inline __u32 path_rights(struct jail_task *jt, const struct bj_role_entry *role,
					 struct dentry *d, struct vfsmount *mnt, struct path_info *info)
{
	__u32 flag_rights = (role->flags & BJ_FLAG_FILE ? BJ_RIGHTS_FILE : 0) |
			    (role->flags & BJ_FLAG_EXEC ? BJ_RIGHT_RUN : 0);
	bool mqueue = BPF_CORE_READ(mnt, mnt_sb, s_magic) == MQUEUE_MAGIC;
	const struct bj_state *st;
	__u32 allow, decided;

	info->final = true;
	info->ruled_out = 0;
	info->decided = 0;
	if (internal_mount(mnt)) {
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
	walk_path(jt, d, mnt);
	switch (jt->kind) {
	case BJ_PATH_REACHED:
		break;
	case BJ_PATH_INTERNAL:
		return flag_rights & (BJ_RIGHT_READ | BJ_RIGHT_WRITE);
	default:
		return 0;
	}
	st = match_path(jt, role->path_start);
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
