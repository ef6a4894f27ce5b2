/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who is jailed, in which role, and how a decision becomes a return value,
 * a counter and (if the role asks) an audit record.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "audit.bpf.h"
#include "kernel_defs.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"

/*
 * Is hook argument n NULL? Read as a number: verifiers from 6.2 on take
 * an LSM hook's pointer arguments for trusted, so never NULL, and drop a
 * test for NULL on them as dead code, though some hooks do pass NULL
 * (task_kill's cred, shmctl's object for IPC_INFO).
 */
static __always_inline bool hook_arg_null(unsigned long long *ctx, int n)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &ctx[n]);
	return !v;
}

/*
 * The calling task's entry in jails (jailed, enrolling, or refused an
 * enrollment), or NULL.
 *
 * Most tasks have none, and for them the lookup is skipped:
 * task->bpf_storage heads all task-local storage of the task, of any BPF
 * map; it is NULL until the first entry is made and again once the last is
 * deleted, and while it is NULL the lookup finds nothing. So the shortcut
 * answers what the lookup would, and a jailed task always has an entry:
 * bj_exec_commit jails only a task that has one, and bj_task_alloc fails
 * the fork of a jailed task's child that it cannot give one. The load is
 * neither trusted nor a listed RCU pointer, so the verifier (6.1 and 6.12)
 * keeps the test for NULL rather than take it for never NULL.
 */
static __always_inline struct jail_task *current_jail_task(void)
{
	struct task_struct *task = bpf_get_current_task_btf();

	if (!task->bpf_storage)
		return NULL;
	return bpf_task_storage_get(&jails, task, 0, 0);
}

/*
 * The calling task's jail, or NULL. Every hook asks this first and allows
 * at once for NULL: a task outside the jail pays a load and a test (one
 * task-storage lookup if it has task-local storage), and a mistake here
 * can never lock out the machine. A jailed task's role_of() comes next;
 * without a role (an empty slot, which the bootstrap never leaves) it is
 * refused. The two tests stay apart in each hook: a return value the
 * compiler folds from both is one the verifier cannot bound.
 */
static __always_inline struct jail_task *current_jail(void)
{
	struct jail_task *jt = current_jail_task();

	return jt && jt->jail.role ? jt : NULL;
}

/* Is task in the same jail (role and pod) as a? */
static __always_inline bool same_jail(const struct jail_task *a, struct task_struct *task)
{
	struct jail_task *b = bpf_task_storage_get(&jails, task, 0, 0);

	return b && b->jail.role == a->jail.role && b->jail.pod_id == a->jail.pod_id;
}

static __always_inline const struct bj_role_entry *role_of(const struct jail_task *jt)
{
	__u32 slot = jt->jail.role;

	return bpf_map_lookup_elem(&roles, &slot);
}

/*
 * Turn "allowed or not" into what the hook returns (complain mode denies
 * nothing), count it, and say whether the role wants a record of it.
 */
static __always_inline int conclude(const struct bj_role_entry *role, __u16 hook, bool allowed,
				    int err, __u8 *decision, bool *record)
{
	__u8 d = allowed ? BJ_ALLOW : role->mode == BJ_MODE_COMPLAIN ? BJ_WOULD_DENY : BJ_DENY;

	count_decision(hook, d);
	*decision = d;
	*record = role->audit != BJ_AUDIT_NONE && (d != BJ_ALLOW || role->audit == BJ_AUDIT_ALL);
	return d == BJ_DENY ? err : 0;
}

/* Report a decision about (d, mnt), for which `need` was asked. */
static __always_inline int file_verdict(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
					__u16 hook, struct dentry *d, struct vfsmount *mnt, __u32 need,
					bool allowed)
{
	struct bj_audit_record *rec;
	bool record;
	__u8 decision;
	int ret;

	ret = conclude(role, hook, allowed, -EACCES, &decision, &record);
	if (record && (rec = audit_begin(&jt->jail, role, hook, decision, need))) {
		audit_path(rec, jt, d, mnt);
		audit_send(ctx, rec);
	}
	return ret;
}

/* Refuse (d, mnt) before any path rule: the object itself is out of the role's reach. */
static __always_inline int file_refuse(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
				       __u16 hook, struct dentry *d, struct vfsmount *mnt, __u32 need)
{
	jt->kind = PATH_NOT_WALKED;
	return file_verdict(ctx, jt, role, hook, d, mnt, need, false);
}

/* A decision about no particular file: report it with an optional value. */
static __always_inline int plain_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
				       __u16 hook, bool allowed, int err, __u8 object, __u64 value)
{
	struct bj_audit_record *rec;
	bool record;
	__u8 decision;
	int ret;

	ret = conclude(role, hook, allowed, err, &decision, &record);
	if (record && (rec = audit_begin(&jt->jail, role, hook, decision, 0))) {
		rec->object = object;
		rec->value = value;
		audit_send(ctx, rec);
	}
	return ret;
}
