// SPDX-License-Identifier: GPL-2.0
/*
 * System V IPC. Its objects (shared memory, semaphores, message queues)
 * are other processes' memory and mailboxes, guarded by owner and mode
 * bits that a jailed root passes for every object root owns. A jailed task
 * reaches only the objects made in its own jail.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
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
			   -EPERM, BJ_OBJ_VALUE, perm->id);
}

/* Objects made and freed, then found by key (shmget, semget, msgget of an existing key). */
SEC("lsm/shm_alloc_security")
int BPF_PROG(bj_shm_alloc, struct kern_ipc_perm *perm)
{
	return ipc_made(perm);
}

SEC("lsm/shm_free_security")
int BPF_PROG(bj_shm_free, struct kern_ipc_perm *perm)
{
	ipc_freed(perm);
	return 0;
}

SEC("lsm/shm_associate")
int BPF_PROG(bj_shm_associate, struct kern_ipc_perm *perm, int flag)
{
	return ipc_check(ctx, perm);
}

SEC("lsm/sem_alloc_security")
int BPF_PROG(bj_sem_alloc, struct kern_ipc_perm *perm)
{
	return ipc_made(perm);
}

SEC("lsm/sem_free_security")
int BPF_PROG(bj_sem_free, struct kern_ipc_perm *perm)
{
	ipc_freed(perm);
	return 0;
}

SEC("lsm/sem_associate")
int BPF_PROG(bj_sem_associate, struct kern_ipc_perm *perm, int flag)
{
	return ipc_check(ctx, perm);
}

SEC("lsm/msg_queue_alloc_security")
int BPF_PROG(bj_msg_queue_alloc, struct kern_ipc_perm *perm)
{
	return ipc_made(perm);
}

SEC("lsm/msg_queue_free_security")
int BPF_PROG(bj_msg_queue_free, struct kern_ipc_perm *perm)
{
	ipc_freed(perm);
	return 0;
}

SEC("lsm/msg_queue_associate")
int BPF_PROG(bj_msg_queue_associate, struct kern_ipc_perm *perm, int flag)
{
	return ipc_check(ctx, perm);
}

/* Every use of an object. */
SEC("lsm/ipc_permission")
int BPF_PROG(bj_ipc_permission, struct kern_ipc_perm *ipcp, short flag)
{
	return ipc_check(ctx, ipcp);
}

/*
 * IPC_RMID and IPC_SET check the owner, not ipc_permission: these hooks
 * see them. IPC_INFO and the like are about no object (perm NULL).
 */
SEC("lsm/shm_shmctl")
int BPF_PROG(bj_shm_shmctl, struct kern_ipc_perm *perm, int cmd)
{
	if (hook_arg_null(ctx, 0))
		return 0;
	return ipc_check(ctx, perm);
}

SEC("lsm/sem_semctl")
int BPF_PROG(bj_sem_semctl, struct kern_ipc_perm *perm, int cmd)
{
	if (hook_arg_null(ctx, 0))
		return 0;
	return ipc_check(ctx, perm);
}

SEC("lsm/msg_queue_msgctl")
int BPF_PROG(bj_msg_queue_msgctl, struct kern_ipc_perm *perm, int cmd)
{
	if (hook_arg_null(ctx, 0))
		return 0;
	return ipc_check(ctx, perm);
}
