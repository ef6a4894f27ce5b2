// SPDX-License-Identifier: GPL-2.0
/*
 * Who is jailed: a child inherits its parent's jail, and an exec that
 * bpfjailer-run asked a role for, or that matches an enrollment (the
 * executable, its xattr, the task's cgroup), puts an unjailed task in a
 * role once the exec can no longer fail. The first role stays for good.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "audit.bpf.h"
#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
#include "file_xattrs.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"
#include "pins.bpf.h"
#include "signed.bpf.h"

/*
 * A child of a jailed task is born in its parent's jail; nothing else is
 * handed down (an unjailed parent's pending enrollment or launch request
 * is for its own exec, not its children's).
 */
SEC("lsm/task_alloc")
int BPF_PROG(bj_task_alloc, struct task_struct *task, unsigned long clone_flags)
{
	struct jail_task *parent = current_jail(), *child;

	if (!parent)
		return 0;
	child = bpf_task_storage_get(&jails, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!child)
		return -ENOMEM; /* no child of a jailed task ever runs unjailed */
	child->jail.role = parent->jail.role;
	child->jail.pod_id = parent->jail.pod_id;
	child->jail.how = BJ_BY_INHERITED;
	return 0;
}

/* The enrollment of the executable itself, by inode. */
static __always_inline bool exec_enrollment(struct file *file, struct bj_enrollment *out)
{
	struct bj_inode_key key = inode_key(file->f_inode);
	struct bj_enrollment *e = bpf_map_lookup_elem(&exec_enroll, &key);

	if (!e)
		return false;
	*out = *e;
	return true;
}

struct cgroup_walk {
	struct cgroup *cgrp;
	__u32 levels;
	struct name_hash h;
};

static long cgroup_step(__u32 i, void *data)
{
	struct cgroup_walk *c = data;
	const struct bj_state *st;
	struct cgroup *cgrp = c->cgrp, *ancestor;

	if (c->h.done >= c->levels)
		return 1;
	st = bpf_map_lookup_elem(&path_states, &c->h.state);
	if (!st || st->final)
		return 1;
	/* ancestors[0] is the root; the path's components start at level 1. */
	bpf_probe_read_kernel(&ancestor, sizeof(ancestor),
			      (void *)cgrp + bpf_core_field_offset(struct cgroup, ancestors) +
				      (c->h.done + 1) * sizeof(ancestor));
	name_hash_step_str(&c->h, st, BPF_CORE_READ(ancestor, kn, name));
	return 0;
}

/* The enrollment of the deepest enrolled cgroup at or above the task's own. */
static __always_inline bool cgroup_enrollment(struct bj_enrollment *out)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct cgroup *cgrp = BPF_CORE_READ(task, cgroups, dfl_cgrp);
	struct cgroup_walk c = {
		.cgrp = cgrp,
		.levels = BPF_CORE_READ(cgrp, level),
		.h.state = cgroup_start,
		.h.done = opaque_zero,
	};
	const struct bj_state *st;
	struct bj_enrollment *e;
	__u32 idx;

	if (!cgroup_start)
		return false;
	name_hash_start(&c.h);
	bpf_loop(c.levels * (BJ_NAME_MAX / 8 + 2), cgroup_step, &c, 0);
	st = bpf_map_lookup_elem(&path_states, &c.h.state);
	if (!st || !st->verdict)
		return false;
	idx = st->verdict - 1;
	e = bpf_map_lookup_elem(&cgroup_enroll, &idx);
	if (!e)
		return false;
	*out = *e;
	return true;
}


/*
 * Enrollment asked for by the executable's user.bpfjailer.role_id xattr,
 * read into jt. Returns 1 enrolled, 0 no xattr, -EPERM for a role the
 * policy does not list for xattr enrollment (or a malformed value): that
 * exec must fail.
 */
static __always_inline int xattr_enrollment(struct file *file, struct jail_task *jt, struct bj_enrollment *out)
{
	struct bj_enrollment *e;
	int n = bj_read_enroll_xattrs(file);

	if (n == -ENODATA)
		return 0;
	e = n == sizeof(jt->xattr_role_id) ? bpf_map_lookup_elem(&xattr_enroll, &jt->xattr_role_id) : NULL;
	if (!e)
		return -EPERM;
	*out = *e;
	if (jt->xattr_pod_id)
		out->pod_id = jt->xattr_pod_id;
	return 1;
}

/*
 * Before an exec: if the task is not jailed and bpfjailer-run asked for a
 * role, or else the exec matches an enrollment (executable, then xattr,
 * then cgroup), note it as pending. It takes effect in bj_exec_commit,
 * once the exec can no longer fail. The launcher's request comes first:
 * it was asked for by name, for this command, by an unjailed caller the
 * kernel checked (launch.bpf.h), where the others are the policy's guess
 * from the file or the cgroup.
 */
static __always_inline int enroll(struct linux_binprm *bprm, bool with_xattr)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct jail_task *jt = current_jail_task();
	bool created = false;
	struct bj_enrollment e;
	__u32 how = BJ_BY_EXEC;
	int found;

	if (jt) {
		if (jt->jail.role)
			return 0; /* sticky: the first role stays */
		jt->jail.pending_role = 0; /* left by an exec that failed */
		jt->jail.refused_role_id = 0;
		if (jt->jail.launch_role) {
			jt->jail.pending_role = jt->jail.launch_role;
			jt->jail.pending_pod = jt->jail.launch_pod;
			jt->jail.pending_how = BJ_BY_LAUNCHER;
			return 0;
		}
	}
	found = exec_enrollment(bprm->file, &e);
	if (!found && with_xattr) {
		/* The xattrs are read into the task's own storage: made here if need be. */
		if (!jt) {
			jt = bpf_task_storage_get(&jails, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
			if (!jt)
				return -ENOMEM;
			created = true;
		}
		found = xattr_enrollment(bprm->file, jt, &e);
		how = BJ_BY_XATTR;
		if (found < 0) {
			/*
			 * Fails the exec in bj_exec: this program may sleep, and
			 * sleepable programs cannot write audit records.
			 */
			jt->jail.refused_role_id = jt->xattr_role_id ? jt->xattr_role_id : ~0u;
			return 0;
		}
	}
	if (!found) {
		found = cgroup_enrollment(&e);
		how = BJ_BY_CGROUP;
	}
	if (!found) {
		if (created)
			bpf_task_storage_delete(&jails, task);
		return 0;
	}
	if (!jt)
		jt = bpf_task_storage_get(&jails, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!jt)
		return -ENOMEM; /* fail closed: an enrolled program never runs unjailed */
	jt->jail.pending_role = e.role;
	jt->jail.pending_pod = e.pod_id;
	jt->jail.pending_how = how;
	return 0;
}

/*
 * The bootstrap loads exactly one of these two: the second where roles
 * are enrolled by xattr or require signed binaries.
 */
SEC("lsm/bprm_creds_for_exec")
int BPF_PROG(bj_exec_enroll, struct linux_binprm *bprm)
{
	return enroll(bprm, false);
}

/*
 * Reading an xattr and checking a signature may sleep: a sleepable
 * program on the same hook. The executable of an exec that enrolls into
 * a signing role was opened before the task had that role: its signature
 * is checked here, before bj_exec asks for it.
 */
SEC("lsm.s/bprm_creds_for_exec")
int BPF_PROG(bj_exec_enroll_sleepable, struct linux_binprm *bprm)
{
	struct jail_task *jt;
	int ret = enroll(bprm, xattr_enrolls);

	if (!ret && (jt = current_jail_task()) && signing_role(jt))
		bj_sig_remember(bprm->file);
	return ret;
}

SEC("lsm/bprm_committed_creds")
int BPF_PROG(bj_exec_commit, struct linux_binprm *bprm)
{
	struct jail_task *jt = current_jail_task();
	const struct bj_role_entry *role;
	struct bj_audit_record *rec;
	struct file *file;

	if (!jt || jt->jail.role || !jt->jail.pending_role)
		return 0;
	jt->jail.role = jt->jail.pending_role;
	jt->jail.pod_id = jt->jail.pending_pod;
	jt->jail.how = jt->jail.pending_how;
	jt->jail.pending_role = 0;
	jt->jail.pending_how = 0;
	jt->jail.launch_role = 0; /* taken: it was for this exec */
	jt->jail.launch_pod = 0;

	role = role_of(jt);
	count_decision(BJ_HOOK_ENROLL, BJ_ALLOW);
	if (!role || role->audit != BJ_AUDIT_ALL)
		return 0;
	rec = audit_begin(&jt->jail, role, BJ_HOOK_ENROLL, BJ_ALLOW, 0);
	if (rec) {
		file = bprm->file;
		jt->kind = PATH_NOT_WALKED;
		audit_path(rec, jt, file->f_path.dentry, file->f_path.mnt);
		audit_send(ctx, rec);
	}
	return 0;
}
