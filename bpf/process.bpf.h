/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Other processes. A jailed task reaches only tasks of its own jail (role
 * and pod): signals, priorities, limits, memory placement, and the owner
 * that I/O signals (SIGIO, SIGURG) are sent to. Reading what ps shows stays
 * possible; what ptrace_may_access() guards (environ, maps, fds) does not.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "jail.bpf.h"
#include "kernel_fs.bpf.h"

#define PTRACE_MODE_ATTACH  0x02
#define PTRACE_MODE_NOAUDIT 0x04

#define F_SETOWN    8
#define F_SETOWN_EX 15
#define F_OWNER_TID  0
#define F_OWNER_PID  1
#define F_OWNER_PGRP 2
#define FIOSETOWN   0x8901
#define SIOCSPGRP   0x8902

/* Refuse an action on task `target`: counted, and recorded unless a probe asked quietly. */
static __always_inline int task_refuse(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
				       __u16 hook, struct task_struct *target, bool quiet)
{
	bool record;
	__u8 decision;

	if (quiet)
		return conclude(role, hook, false, -EPERM, &decision, &record);
	return plain_check(ctx, jt, role, hook, false, -EPERM, BJ_OBJ_TASK, BPF_CORE_READ(target, tgid));
}

/* An action of the jailed task jt on target: allowed within its own jail only. */
static __always_inline int task_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
				      __u16 hook, struct task_struct *target)
{
	if (same_jail(jt, target))
		return 0;
	return task_refuse(ctx, jt, role, hook, target, false);
}

/*
 * May the I/O signals of a file go to `pid` (F_SETOWN's encoding: a
 * negative number is a process group)? Only to the task itself or a group
 * it leads: numbers are looked up in the caller's pid namespace, which
 * bpf cannot do on every kernel, so anything else is refused.
 */
static __always_inline bool owner_allowed(int pid, int type)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id;

	if (!pid)
		return true; /* clears the owner */
	if (type == F_OWNER_PGRP)
		return (__u32)pid == tgid;
	if (pid < 0)
		return (__u32)-pid == tgid;
	return (__u32)pid == tgid || (__u32)pid == tid;
}

/* F_SETOWN_EX's argument, a user pointer; unreadable means refused. */
static __always_inline bool owner_ex_allowed(unsigned long arg)
{
	struct f_owner_ex ex;

	if (bpf_probe_read_user(&ex, sizeof(ex), (void *)arg))
		return false;
	return owner_allowed(ex.pid, ex.type);
}

/* FIOSETOWN and SIOCSPGRP take a pointer to the pid. */
static __always_inline bool owner_ptr_allowed(unsigned long arg)
{
	int pid;

	if (bpf_probe_read_user(&pid, sizeof(pid), (void *)arg))
		return false;
	return owner_allowed(pid, F_OWNER_PID);
}
