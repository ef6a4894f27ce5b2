// SPDX-License-Identifier: GPL-2.0
/*
 * Other processes and the task's own identity. A jailed task reaches only
 * tasks of its own jail (role and pod): signals, priorities, limits,
 * memory placement. Reading what ps shows stays possible; what
 * ptrace_may_access() guards (environ, maps, fds) does not. Its user and
 * group ids and its capabilities are what its role allows.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
#include "launch.bpf.h"
#include "maps.bpf.h"
#include "seal.bpf.h"

/* Refuse an action on task `target`: counted, and recorded unless a probe asked quietly. */
static __always_inline int task_refuse(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
				       __u16 hook, struct task_struct *target, bool quiet)
{
	bool record;
	__u8 decision;

	if (quiet)
		return conclude(role, hook, false, -EPERM, &decision, &record);
	return plain_check(ctx, jt, role, hook, false, -EPERM, BJ_OBJ_TASK, target->tgid);
}

/* An action of the calling task on target: allowed outside any jail, and within its own jail only. */
static __always_inline int task_check(void *ctx, __u16 hook, struct task_struct *target)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (same_jail(jt, target))
		return 0;
	return task_refuse(ctx, jt, role, hook, target, false);
}

/*
 * ptrace, process_vm_*, /proc/PID/mem: only with allow_ptrace, and only
 * within the task's own jail. Read-only inspection (ps) stays possible.
 */
SEC("lsm/ptrace_access_check")
int BPF_PROG(bj_ptrace, struct task_struct *child, unsigned int mode)
{
	struct jail_task *jt;
	const struct bj_role_entry *role;

	/* Sealed: the forwarder's fds (pidfd_getfd, injected code) are nobody else's. */
	if (sealed && (mode & PTRACE_MODE_ATTACH) && runs_forwarder(child))
		return seal_refuse(ctx, BJ_HOOK_PTRACE, BJ_OBJ_TASK, child->tgid);
	jt = current_jail();
	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	/* Reads (environ, maps, fds, kcmp): anywhere in the own jail, quietly refused outside it. */
	if (!(mode & PTRACE_MODE_ATTACH))
		return same_jail(jt, child) ? 0
					    : task_refuse(ctx, jt, role, BJ_HOOK_PTRACE, child,
							  mode & PTRACE_MODE_NOAUDIT);
	return plain_check(ctx, jt, role, BJ_HOOK_PTRACE, (role->flags & BJ_FLAG_PTRACE) && same_jail(jt, child),
			   -EPERM, BJ_OBJ_TASK, child->tgid);
}

SEC("lsm/ptrace_traceme")
int BPF_PROG(bj_traceme, struct task_struct *parent)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	return plain_check(ctx, jt, role, BJ_HOOK_TRACEME, (role->flags & BJ_FLAG_PTRACE) && same_jail(jt, parent),
			   -EPERM, BJ_OBJ_TASK, parent->tgid);
}

/*
 * Signals from a jailed task: only within its jail. Signal 0 only asks
 * whether a process exists, which ps shows anyway. A signal sent with
 * someone else's credentials (cred set: USB async I/O completion) is not
 * the caller's doing.
 */
SEC("lsm/task_kill")
int BPF_PROG(bj_task_kill, struct task_struct *p, struct kernel_siginfo *info, int sig, const struct cred *cred)
{
	if (!hook_arg_null(ctx, 3) || !sig)
		return 0;
	return task_check(ctx, BJ_HOOK_KILL, p);
}

SEC("lsm/task_setnice")
int BPF_PROG(bj_task_setnice, struct task_struct *p, int nice)
{
	return task_check(ctx, BJ_HOOK_TASK, p);
}

SEC("lsm/task_setioprio")
int BPF_PROG(bj_task_setioprio, struct task_struct *p, int ioprio)
{
	return task_check(ctx, BJ_HOOK_TASK, p);
}

SEC("lsm/task_setscheduler")
int BPF_PROG(bj_task_setscheduler, struct task_struct *p)
{
	return task_check(ctx, BJ_HOOK_TASK, p);
}

SEC("lsm/task_setrlimit")
int BPF_PROG(bj_task_setrlimit, struct task_struct *p, unsigned int resource, struct rlimit *new_rlim)
{
	return task_check(ctx, BJ_HOOK_TASK, p);
}

SEC("lsm/task_movememory")
int BPF_PROG(bj_task_movememory, struct task_struct *p)
{
	return task_check(ctx, BJ_HOOK_TASK, p);
}

/*
 * prlimit() of another process names it only by its credentials: allowed
 * for the caller's own threads (which share them), refused for any other
 * process, in the jail or not.
 */
SEC("lsm/task_prlimit")
int BPF_PROG(bj_task_prlimit, const struct cred *cred, const struct cred *tcred, unsigned int flags)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (cred == tcred)
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_TASK, false, -EPERM, BJ_OBJ_NONE, 0);
}

/*
 * A change of user ids (hook BJ_HOOK_SETUID) or group ids (BJ_HOOK_SETGID):
 * none at all passes (the kernel asks for every setresuid, even one that
 * keeps the ids), any other needs allow_setuid. The record carries the
 * new effective id. The creds are read only once the task is known to be
 * jailed.
 */
static __always_inline int id_change(void *ctx, __u16 hook, const struct cred *new, const struct cred *old)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	bool same;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (role->flags & BJ_FLAG_SETUID)
		return 0;
	if (hook == BJ_HOOK_SETUID)
		same = new->uid.val == old->uid.val && new->euid.val == old->euid.val &&
		       new->suid.val == old->suid.val && new->fsuid.val == old->fsuid.val;
	else
		same = new->gid.val == old->gid.val && new->egid.val == old->egid.val &&
		       new->sgid.val == old->sgid.val && new->fsgid.val == old->fsgid.val;
	if (same)
		return 0;
	return plain_check(ctx, jt, role, hook, false, -EPERM, BJ_OBJ_VALUE,
			   hook == BJ_HOOK_SETUID ? new->euid.val : new->egid.val);
}

SEC("lsm/task_fix_setuid")
int BPF_PROG(bj_setuid, struct cred *new, const struct cred *old, int flags)
{
	return id_change(ctx, BJ_HOOK_SETUID, new, old);
}

SEC("lsm/task_fix_setgid")
int BPF_PROG(bj_setgid, struct cred *new, const struct cred *old, int flags)
{
	return id_change(ctx, BJ_HOOK_SETGID, new, old);
}

/* Supplementary groups are a change of identity like any other. */
SEC("lsm/task_fix_setgroups")
int BPF_PROG(bj_setgroups, struct cred *new, const struct cred *old)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	return plain_check(ctx, jt, role, BJ_HOOK_SETGID, role->flags & BJ_FLAG_SETUID, -EPERM, BJ_OBJ_NONE, 0);
}

/*
 * prctl(PR_SET_MM) rewrites what the kernel believes about the process,
 * /proc/self/exe among it, which vouches for the program a task maps
 * (bj_mmap). BJ_PRCTL_LAUNCH is bpfjailer-run's request for a role
 * (launch.bpf.h), answered only while some role is launchable: otherwise
 * the kernel does not know the option (EINVAL). "No opinion" is -ENOSYS
 * on this hook, the default the kernel runs when a BPF program returns 0:
 * only another error reaches prctl()'s caller. One program answers both:
 * after a first program's answer other than -ENOSYS, the kernel asks no
 * other. The options are told apart first, so
 * every other prctl() costs two compares.
 */
SEC("lsm/task_prctl")
int BPF_PROG(bj_task_prctl, int option, unsigned long arg2, unsigned long arg3, unsigned long arg4,
	     unsigned long arg5)
{
	const struct bj_role_entry *role;
	struct jail_task *jt;
	int ret;

	if (option == BJ_PRCTL_LAUNCH && launcher_ino)
		return launch_request(ctx, arg2, arg3, arg4);
	if (option != PR_SET_MM || !(jt = current_jail()))
		return -ENOSYS;
	role = role_of(jt);
	ret = role ? plain_check(ctx, jt, role, BJ_HOOK_TASK, false, -EPERM, BJ_OBJ_VALUE, option) : -EPERM;
	return ret ? ret : -ENOSYS;
}

/*
 * Capabilities by allowlist: a jailed task, root or not, keeps only the
 * capabilities its role lists (or the small default set), whichever user
 * namespace asks. Probes that expect a "no" (noaudit) are counted, not
 * recorded.
 */
SEC("lsm/capable")
int BPF_PROG(bj_capable, const struct cred *cred, struct user_namespace *ns, int cap, unsigned int opts)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	bool record;
	__u8 decision;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (cap >= 0 && cap < 64 && (role->caps & (1ull << cap)))
		return 0;
	if (!(opts & CAP_OPT_NOAUDIT))
		return plain_check(ctx, jt, role, BJ_HOOK_CAPABLE, false, -EPERM, BJ_OBJ_VALUE, cap);
	return conclude(role, BJ_HOOK_CAPABLE, false, -EPERM, &decision, &record);
}
