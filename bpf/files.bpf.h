/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the hooks on files share (files.bpf.c: opening, mapping, running;
 * file_changes.bpf.c: the file system changed): the check of a path
 * against the role, bpfjailer's own files, and what a device node is.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "audit.bpf.h"
#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"
#include "pins.bpf.h"

/* Check that the role grants `need` on (d, mnt), typed pointers, and report it. */
static __always_inline int file_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
				      __u16 hook, struct dentry *d, struct vfsmount *mnt, __u32 need,
				      __u32 refused)
{
	struct path_info info;
	__u32 granted;

	granted = path_rights(jt, role, d, mnt, &info);
	return file_verdict(ctx, jt, role, hook, d, mnt, need,
			    !(need & ~granted) && !(info.ruled_out & refused));
}

/*
 * Is this the policy file, a fragment of it (or its directory), or the
 * bootstrap program? The next boot's jail is made from them: no jailed
 * task changes, renames or removes them.
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

/*
 * A node is a name for a device anybody with write access to a directory
 * can make (mknod, or a hard link to one), so opening one is a decision on
 * the device it names (type, major, minor) as well as on its path;
 * creating one is never allowed.
 */
static __always_inline __u32 device_type(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFCHR:
		return BJ_DEV_CHAR;
	case S_IFBLK:
		return BJ_DEV_BLOCK;
	default:
		return 0;
	}
}

/* Set beside the rights of a listed device: an ioctl-only open needs the device listed. */
