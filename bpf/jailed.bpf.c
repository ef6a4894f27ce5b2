// SPDX-License-Identifier: GPL-2.0
/*
 * Who is jailed, from the kernel's own state: a task iterator over the
 * jails task storage, pinned as a link (links/bj_jailed) so that reading
 * the pin prints one line per jailed process (bpfjailer.h, enum
 * bj_enrolled_by). Threads share their process's jail: leaders only.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "maps.bpf.h"

static const char *how_name(__u32 how)
{
	switch (how) {
	case BJ_BY_EXEC:
		return "exec";
	case BJ_BY_XATTR:
		return "xattr";
	case BJ_BY_CGROUP:
		return "cgroup";
	case BJ_BY_LAUNCHER:
		return "launcher";
	case BJ_BY_INHERITED:
		return "inherited";
	default:
		return "?";
	}
}

SEC("iter/task")
int bj_jailed(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct jail_task *jt;
	const char *role;
	__u32 slot;

	if (!task || task->pid != task->tgid)
		return 0;
	jt = bpf_task_storage_get(&jails, task, 0, 0);
	if (!jt || !jt->jail.role)
		return 0;
	slot = jt->jail.role;
	role = bpf_map_lookup_elem(&role_names, &slot);
	BPF_SEQ_PRINTF(ctx->meta->seq, "%d %s %llu %s %s\n", task->tgid, role ? role : "?", jt->jail.pod_id,
		       how_name(jt->jail.how), task->comm);
	return 0;
}
