/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System V IPC. Its objects (shared memory, semaphores, message queues)
 * are other processes' memory and mailboxes, guarded by owner and mode
 * bits that a jailed root passes for every object root owns. A jailed task
 * reaches only the objects made in its own jail.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "jail.bpf.h"
#include "maps.bpf.h"

static __always_inline __u64 ipc_key(struct kern_ipc_perm *perm)
{
	return (__u64)(unsigned long)perm;
}

/* A jailed task made perm: remember its jail. */
static __always_inline int ipc_made(struct kern_ipc_perm *perm)
{
	struct jail_task *jt = current_jail();
	struct sock_jail j;
	__u64 key = ipc_key(perm);

	if (!jt)
		return 0;
	j = (struct sock_jail){ .role = jt->jail.role, .pod_id = jt->jail.pod_id };
	return bpf_map_update_elem(&ipc_jails, &key, &j, BPF_ANY) ? -ENOMEM : 0;
}

static __always_inline void ipc_freed(struct kern_ipc_perm *perm)
{
	__u64 key = ipc_key(perm);

	bpf_map_delete_elem(&ipc_jails, &key);
}

/* Any use of perm by the caller: allowed unless it is jailed and the object is not its jail's. */
static __always_inline int ipc_check(void *ctx, struct kern_ipc_perm *perm)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct sock_jail *j;
	__u64 key;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	key = ipc_key(perm);
	j = bpf_map_lookup_elem(&ipc_jails, &key);
	return plain_check(ctx, jt, role, BJ_HOOK_TASK, j && j->role == jt->jail.role && j->pod_id == jt->jail.pod_id,
			   -EPERM, BJ_OBJ_VALUE, BPF_CORE_READ(perm, id));
}
