/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the jail stands on: bpfjailer's own pins and the enrolled
 * executables, which inodes they are, and the refusal a jailed task gets
 * when it reaches for them (sealed or not, in complain mode too).
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "audit.bpf.h"
#include "jail.bpf.h"
#include "maps.bpf.h"

/* What this inode is to the instance: enum bj_pin_kind, or 0. */
static __always_inline __u8 pin_kind(struct inode *inode)
{
	__u64 ino;
	__u8 *kind;

	if (BPF_CORE_READ(inode, i_sb, s_dev) != pin_dev)
		return 0;
	ino = BPF_CORE_READ(inode, i_ino);
	kind = bpf_map_lookup_elem(&pin_inodes, &ino);
	return kind ? *kind : 0;
}

/* Does a change to entry d of directory dir touch the pins? */
static __always_inline bool touches_pins(struct dentry *dir, struct dentry *d)
{
	return pin_kind(BPF_CORE_READ(dir, d_inode)) || pin_kind(BPF_CORE_READ(d, d_inode));
}

static __always_inline struct bj_inode_key inode_key(struct inode *inode)
{
	struct bj_inode_key key = {
		.dev = BPF_CORE_READ(inode, i_sb, s_dev),
		.ino = BPF_CORE_READ(inode, i_ino),
	};

	return key;
}

/*
 * Is this an enrolled executable? Enrollment is by inode: a jailed task
 * that could unlink or rename one away and put another file at its path
 * would have the next start of the service run unjailed.
 */
static __always_inline bool enrolled_executable(struct inode *inode)
{
	struct bj_inode_key key;

	if (!inode)
		return false;
	key = inode_key(inode);
	return bpf_map_lookup_elem(&exec_enroll, &key);
}

/*
 * Is this the policy file or the bootstrap program? The next boot's jail
 * is made from them: no jailed task changes, renames or removes them.
 */
static __always_inline bool own_file(struct inode *inode)
{
	struct bj_inode_key key;

	if (!inode)
		return false;
	key = inode_key(inode);
	return bpf_map_lookup_elem(&own_files, &key);
}

/* Refuse a jailed task's change to the pins at (d, mnt): always counted and recorded. */
static __always_inline int refuse_pin_change(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
					     __u16 hook, struct dentry *d, struct vfsmount *mnt)
{
	struct bj_audit_record *rec;

	count_decision(hook, BJ_DENY);
	rec = audit_begin(&jt->jail, role, hook, BJ_DENY, BJ_RIGHT_WRITE);
	if (rec) {
		jt->kind = PATH_NOT_WALKED;
		audit_path(rec, jt, d, mnt);
		audit_send(ctx, rec);
	}
	return -EPERM;
}
