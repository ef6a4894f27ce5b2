/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seal: once a sealed instance is in place, nobody (root included,
 * jailed or not) may remove or replace it before reboot. The hooks call
 * these checks behind the read-only "sealed", so an unsealed instance pays
 * nothing for them: the verifier drops the dead branches. One of them,
 * the ftrace switch, also guards every jail, sealed or not.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "audit.bpf.h"
#include "jail.bpf.h"
#include "maps.bpf.h"
#include "pins.bpf.h"

#define MAY_WRITE   0x2
#define MAY_READ    0x4
#define MNT_DETACH  0x2
#define MNT_SHARED  0x1000 /* vfsmount.mnt_flags: has peers that see its mounts and unmounts */

#define PROC_SUPER_MAGIC 0x9fa0

/* Refuse a tampering attempt: always counted, always recorded. */
static __always_inline int seal_refuse(void *ctx, __u16 hook, __u8 object, __u64 value)
{
	struct bj_audit_record *rec;

	count_decision(hook, BJ_DENY);
	rec = audit_begin(NULL, NULL, hook, BJ_DENY, 0);
	if (rec) {
		rec->object = object;
		rec->value = value;
		audit_send(ctx, rec);
	}
	return -EPERM;
}

/*
 * Refuse a write to a path known here, for a jailed task (jail, role) or,
 * with NULLs, for the seal: always counted, always recorded.
 */
static __always_inline int refuse_path(void *ctx, const struct bj_jail *jail, const struct bj_role_entry *role,
				       __u16 hook, const char *path, __u32 len)
{
	struct bj_audit_record *rec;

	count_decision(hook, BJ_DENY);
	rec = audit_begin(jail, role, hook, BJ_DENY, BJ_RIGHT_WRITE);
	if (rec) {
		rec->object = BJ_OBJ_PATH;
		rec->path_len = len;
		bpf_probe_read_kernel(rec->path, len & (BJ_PATH_MAX - 1), path);
		audit_send(ctx, rec);
	}
	return -EPERM;
}

/* Is the dentry's name exactly want (len bytes, len < 16)? */
static __always_inline bool name_is(struct dentry *d, const char *want, __u32 len)
{
	char name[16];

	if (BPF_CORE_READ(d, d_name.len) != len ||
	    bpf_probe_read_kernel(name, sizeof(name), BPF_CORE_READ(d, d_name.name)))
		return false;
#pragma unroll
	for (__u32 i = 0; i < sizeof(name); i++)
		if (i < len && name[i] != want[i])
			return false;
	return true;
}

#define FTRACE_SWITCH "/proc/sys/kernel/ftrace_enabled"

/*
 * kernel.ftrace_enabled=0 turns off every ftrace-managed trampoline, and
 * with them every BPF LSM program: nobody jailed may open it for writing,
 * nobody at all once sealed. (Matched by name on any procfs mount: its
 * inode comes and goes.)
 */
static __always_inline bool is_ftrace_switch(struct file *file)
{
	struct dentry *d = BPF_CORE_READ(file, f_path.dentry);

	return BPF_CORE_READ(d, d_sb, s_magic) == PROC_SUPER_MAGIC && name_is(d, "ftrace_enabled", 14) &&
	       name_is(BPF_CORE_READ(d, d_parent), "kernel", 6);
}

/* Is this forwarder_path's file (by device and inode, not by name)? */
static __always_inline bool is_forwarder_file(struct inode *inode)
{
	return forwarder_ino && BPF_CORE_READ(inode, i_ino) == forwarder_ino &&
	       BPF_CORE_READ(inode, i_sb, s_dev) == forwarder_dev;
}

static __always_inline bool runs_forwarder(struct task_struct *task)
{
	return is_forwarder_file(BPF_CORE_READ(task, mm, exe_file, f_inode));
}

/*
 * Pins: their directories take no new, removed or renamed entries (every
 * unlink, rename, link and create asks for MAY_WRITE on the directory), and
 * a pin opens (BPF_OBJ_GET asks for MAY_READ/MAY_WRITE on it) only for the
 * forwarder, and only the pins it needs. The forwarder's own file cannot be
 * rewritten in place into something else.
 */
static __always_inline bool seal_inode_allows(struct inode *inode, int mask)
{
	__u8 kind;

	if (!(mask & (MAY_READ | MAY_WRITE)))
		return true; /* path walks: the common case */
	if ((mask & MAY_WRITE) && is_forwarder_file(inode))
		return false;
	kind = pin_kind(inode);
	if (kind == BJ_PIN_DIR)
		return !(mask & MAY_WRITE);
	if (kind == BJ_PIN_FORWARDER)
		return runs_forwarder(bpf_get_current_task_btf());
	return kind == 0;
}

/* The struct mount around a vfsmount, and the address of one of its list heads. */
#define REAL_MOUNT(vfsmnt) ((struct mount *)((unsigned long)(vfsmnt) - bpf_core_field_offset(struct mount, mnt)))
#define MOUNT_FIELD_ADDR(m, field) ((unsigned long)(m) + bpf_core_field_offset(struct mount, field))
#define MOUNT_OF_CHILD(node) ((struct mount *)((unsigned long)(node) - bpf_core_field_offset(struct mount, mnt_child)))

/*
 * Would unmounting this mount drop the sealed bpffs from the seal's mount
 * namespace? It does if the mount is in that namespace, or if its parent
 * is shared, so that the unmount propagates to peers that may be there.
 */
static __always_inline bool holds_seal(struct mount *m)
{
	struct mount *parent;

	if (BPF_CORE_READ(m, mnt.mnt_sb, s_dev) != pin_dev)
		return false;
	parent = BPF_CORE_READ(m, mnt_parent);
	return BPF_CORE_READ(m, mnt_ns, ns.inum) == seal_mnt_ns ||
	       (BPF_CORE_READ(parent, mnt.mnt_flags) & MNT_SHARED);
}

/*
 * A lazy unmount takes the whole tree below the mount with it. The tree is
 * walked depth first without a stack, one step per iteration: down to the
 * first child, else across to the next sibling, else up.
 */
struct tree_walk {
	struct mount *root;
	struct mount *cur;
	bool climbing;
	bool done; /* the walk reached its end before the iteration budget */
	bool found;
};

static long tree_step(__u32 i, void *data)
{
	struct tree_walk *w = data;
	struct mount *cur = w->cur, *parent;
	unsigned long next;

	if (!w->climbing) {
		if (holds_seal(cur)) {
			w->found = true;
			return 1;
		}
		next = (unsigned long)BPF_CORE_READ(cur, mnt_mounts.next);
		if (next != MOUNT_FIELD_ADDR(cur, mnt_mounts)) {
			w->cur = MOUNT_OF_CHILD(next);
			return 0;
		}
		w->climbing = true;
	}
	if (cur == w->root) {
		w->done = true;
		return 1;
	}
	parent = BPF_CORE_READ(cur, mnt_parent);
	next = (unsigned long)BPF_CORE_READ(cur, mnt_child.next);
	if (next != MOUNT_FIELD_ADDR(parent, mnt_mounts)) {
		w->cur = MOUNT_OF_CHILD(next);
		w->climbing = false;
	} else {
		w->cur = parent;
	}
	return 0;
}

#define TREE_WALK_STEPS (1 << 16)

static __always_inline bool seal_umount_allows(struct vfsmount *vfsmnt, int flags)
{
	struct tree_walk w = { .root = REAL_MOUNT(vfsmnt), .cur = REAL_MOUNT(vfsmnt) };

	if (!(flags & MNT_DETACH)) /* a mount with submounts is busy: only itself can go */
		return !holds_seal(w.root);
	bpf_loop(TREE_WALK_STEPS, tree_step, &w, 0);
	return w.done && !w.found; /* a tree too large to walk stays, to be safe */
}

/*
 * bpf(): bpfjailer's objects cannot be reached by id (ENOENT: listings such
 * as bpftool's skip them and go on), and no fmod_ret program may be loaded,
 * since one on a security_*() function could override every LSM's answer.
 */
static __always_inline int seal_bpf_cmd(int cmd, union bpf_attr *attr)
{
	struct bj_own_key key = {};

	switch (cmd) {
	case BPF_MAP_GET_FD_BY_ID:
		key = (struct bj_own_key){ .kind = BJ_OWN_MAP, .id = BPF_CORE_READ(attr, map_id) };
		break;
	case BPF_PROG_GET_FD_BY_ID:
		key = (struct bj_own_key){ .kind = BJ_OWN_PROG, .id = BPF_CORE_READ(attr, prog_id) };
		break;
	case BPF_LINK_GET_FD_BY_ID:
		key = (struct bj_own_key){ .kind = BJ_OWN_LINK, .id = BPF_CORE_READ(attr, link_id) };
		break;
	case BPF_PROG_LOAD:
		if (BPF_CORE_READ(attr, prog_type) == BPF_PROG_TYPE_TRACING &&
		    BPF_CORE_READ(attr, expected_attach_type) == BPF_MODIFY_RETURN)
			return -EPERM;
		return 0;
	default:
		return 0;
	}
	return bpf_map_lookup_elem(&own_objects, &key) ? -ENOENT : 0;
}
