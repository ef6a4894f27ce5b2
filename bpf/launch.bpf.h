/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfjailer-run's request for a role (BJ_PRCTL_LAUNCH, bpfjailer.h): who
 * may ask, for which role, and where the answer waits for the exec that
 * takes it (enroll.bpf.c). Only bj_task_prctl asks this, and only for
 * that option.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "audit.bpf.h"
#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
#include "maps.bpf.h"
#include "seal.bpf.h"

/*
 * Refuse the request: always counted and recorded, whoever asked (an
 * unjailed caller has no role whose audit level could say otherwise).
 * The record names the role and pod asked for.
 */
static __always_inline int launch_refuse(void *ctx, __u32 reason, const struct bj_role_entry *asked, __u64 pod,
					 int err)
{
	struct bj_audit_record *rec;

	count_decision(BJ_HOOK_LAUNCH, BJ_DENY);
	rec = audit_begin(NULL, NULL, BJ_HOOK_LAUNCH, BJ_DENY, 0);
	if (rec) {
		rec->role_id = asked ? asked->id : 0;
		rec->pod_id = pod;
		rec->object = BJ_OBJ_VALUE;
		rec->value = reason;
		audit_send(ctx, rec);
	}
	return err;
}

/*
 * The request of prctl(BJ_PRCTL_LAUNCH, name, pod, pod_given): noted in
 * the caller's task storage (-EINPROGRESS: the only way to tell prctl()'s
 * caller yes, see bpfjailer.h), or a refusal (another -errno). The role
 * is looked up first so that every refusal's record names it when it
 * exists. The name is read without sleeping: bpfjailer-run passes a
 * string it has just read itself, so its page is there.
 */
static __always_inline int launch_request(void *ctx, unsigned long name_ptr, __u64 pod, bool pod_given)
{
	struct task_struct *task = bpf_get_current_task_btf();
	const struct bj_role_entry *role = NULL;
	char name[BJ_ROLE_NAME_LEN + 1] = {}; /* a byte more: a longer name is none, not its start */
	const struct bj_enrollment *e = NULL;
	struct jail_task *jt;
	long n;

	n = bpf_probe_read_user_str(name, sizeof(name), (const void *)name_ptr);
	if (n > 0 && n <= BJ_ROLE_NAME_LEN)
		e = bpf_map_lookup_elem(&launch_roles, name);
	if (e)
		role = bpf_map_lookup_elem(&roles, &e->role);
	if (!runs_launcher(task))
		return launch_refuse(ctx, BJ_LAUNCH_NOT_LAUNCHER, role, pod, -EACCES);
	if (current_jail())
		return launch_refuse(ctx, BJ_LAUNCH_JAILED, role, pod, -EALREADY);
	if (!e || !role)
		return launch_refuse(ctx, BJ_LAUNCH_UNKNOWN_ROLE, NULL, pod, -ENOENT);
	if (!(role->flags & BJ_FLAG_LAUNCHABLE))
		return launch_refuse(ctx, BJ_LAUNCH_NOT_LAUNCHABLE, role, pod, -EPERM);
	if (pod_given && !pod)
		return launch_refuse(ctx, BJ_LAUNCH_BAD_POD, role, pod, -ERANGE);
	jt = bpf_task_storage_get(&jails, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!jt)
		return -ENOMEM;
	jt->jail.launch_role = e->role;
	jt->jail.launch_pod = pod_given ? pod : e->pod_id;
	count_decision(BJ_HOOK_LAUNCH, BJ_ALLOW);
	return -EINPROGRESS;
}
