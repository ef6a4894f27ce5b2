/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signed binaries: a role with require_signed_binary runs, and maps
 * executable, only files with fs-verity whose digest carries a PKCS#7
 * signature by a key the policy trusts. Checking may sleep (reading the
 * xattr, verifying) and sleepable programs cannot write audit records, so
 * the work is split in time: the sleepable programs (file_xattrs.bpf.c) check
 * every fs-verity file such a role opens (and the executable of an exec
 * that enrolls into one) and keep the answer with the inode; the hooks
 * that run or map a file come later, read it, and refuse with a record.
 * A file no check saw (opened before, or outside the role) is refused.
 */
#pragma once

#include "vmlinux.h"

#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
#include "file_xattrs.bpf.h"
#include "maps.bpf.h"


/*
 * The signing role a task answers to: its own, or the one the exec in
 * progress enrolls it into. NULL when that role does not require
 * signatures (or no policy role does).
 */
static __always_inline const struct bj_role_entry *signing_role(const struct jail_task *jt)
{
	__u32 slot = jt->jail.role ? jt->jail.role : jt->jail.pending_role;
	const struct bj_role_entry *role;

	if (!signing)
		return NULL;
	role = bpf_map_lookup_elem(&roles, &slot);
	return role && (role->flags & BJ_FLAG_SIGNED) ? role : NULL;
}

/* Why the file may not run or map executable in a signing role; 0 if it may. */
static __always_inline __u32 sig_refusal(struct inode *inode)
{
	__u32 *verdict = bpf_inode_storage_get(&signatures, inode, 0, 0);

#ifdef BJ_BROKEN_HOOK_SIGNATURE /* -Dbroken_hook=signature: the test suite's selftest only */
	return 0;
#endif
	if (verdict && *verdict)
		return *verdict == BJ_SIG_TRUSTED ? 0 : *verdict;
	return inode->i_flags & S_VERITY ? BJ_SIG_UNCHECKED : BJ_SIG_NO_VERITY;
}

/*
 * Where a file runs or maps executable in a signing role: 0, or -EPERM
 * (nothing in complain mode) with a record of the file and why. jail
 * names the role for the record: the task's, or the one it is enrolling
 * into.
 */
static __always_inline int signature_check(void *ctx, struct jail_task *jt, const struct bj_jail *jail,
					   const struct bj_role_entry *role, struct file *file, __u32 need)
{
	__u32 why = sig_refusal(file->f_inode);
	struct bj_audit_record *rec;
	bool record;
	__u8 decision;
	int ret;

	if (!why)
		return 0; /* counted and recorded as the run or the mapping it is */
	ret = conclude(role, BJ_HOOK_SIGNATURE, false, -EPERM, &decision, &record);
	if (record && (rec = audit_begin(jail, role, BJ_HOOK_SIGNATURE, decision, need))) {
		jt->kind = PATH_NOT_WALKED;
		audit_path(rec, jt, file->f_path.dentry, file->f_path.mnt);
		rec->value = why;
		audit_send(ctx, rec);
	}
	return ret;
}
