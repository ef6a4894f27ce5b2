// SPDX-License-Identifier: GPL-2.0
/*
 * The jail. Every hook asks first whether the calling task is jailed and
 * returns "allow" at once if it is not: a task outside the jail pays one
 * task-storage lookup, and a mistake here can never lock out the machine.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "devices.bpf.h"
#include "ipc.bpf.h"
#include "jail.bpf.h"
#include "kernel_fs.bpf.h"
#include "metadata.bpf.h"
#include "net.bpf.h"
#include "pins.bpf.h"
#include "process.bpf.h"
#include "seal.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define PROT_EXEC   0x4
#define RENAME_EXCHANGE (1 << 1)

/* ---- Jail membership: inheritance and enrollment ---- */

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
	return 0;
}

static __always_inline bool exec_enrollment(struct file *file, struct bj_enrollment *out)
{
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	struct bj_inode_key key = {
		.dev = BPF_CORE_READ(inode, i_sb, s_dev),
		.ino = BPF_CORE_READ(inode, i_ino),
	};
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

extern int bpf_get_file_xattr(struct file *file, const char *name__str,
			      struct bpf_dynptr *value_p) __ksym __weak;

/*
 * Enrollment asked for by the executable's user.bpfjailer.role_id xattr,
 * read into jt. Returns 1 enrolled, 0 no xattr, -EPERM for a role the
 * policy does not list for xattr enrollment (or a malformed value): that
 * exec must fail.
 */
/*
 * Read both enrollment xattrs into jt; the role_id's size, or -errno. Its
 * own stack frame: the verifier keeps dynptr slots reserved for good, and
 * the rest of the exec hook must be free to use that stack.
 */
static __noinline int read_enroll_xattrs(struct file *file, struct jail_task *jt)
{
	struct bpf_dynptr role_dp, pod_dp;
	int n;

	jt->xattr_role_id = 0;
	jt->xattr_pod_id = 0;
	bpf_dynptr_from_mem(&jt->xattr_role_id, sizeof(jt->xattr_role_id), 0, &role_dp);
	bpf_dynptr_from_mem(&jt->xattr_pod_id, sizeof(jt->xattr_pod_id), 0, &pod_dp);
	n = bpf_get_file_xattr(file, "user.bpfjailer.role_id", &role_dp);
	if (n == sizeof(jt->xattr_role_id) &&
	    bpf_get_file_xattr(file, "user.bpfjailer.pod_id", &pod_dp) != sizeof(jt->xattr_pod_id))
		jt->xattr_pod_id = 0;
	return n;
}

static __always_inline int xattr_enrollment(struct file *file, struct jail_task *jt, struct bj_enrollment *out)
{
	struct bj_enrollment *e;
	int n = read_enroll_xattrs(file, jt);

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
 * Before an exec: if the task is not jailed and the exec matches an
 * enrollment (executable, then xattr, then cgroup), note it as pending. It
 * takes effect in bj_exec_commit, once the exec can no longer fail.
 */
static __always_inline int enroll(struct linux_binprm *bprm, bool with_xattr)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct jail_task *jt = bpf_task_storage_get(&jails, task, 0, 0);
	bool created = false;
	struct bj_enrollment e;
	int found;

	if (jt) {
		if (jt->jail.role)
			return 0; /* sticky: the first role stays */
		jt->jail.pending_role = 0; /* left by an exec that failed */
		jt->jail.refused_role_id = 0;
	}
	found = exec_enrollment(BPF_CORE_READ(bprm, file), &e);
	if (!found && with_xattr) {
		/* The xattrs are read into the task's own storage: made here if need be. */
		if (!jt) {
			jt = bpf_task_storage_get(&jails, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
			if (!jt)
				return -ENOMEM;
			created = true;
		}
		found = xattr_enrollment(bprm->file, jt, &e);
		if (found < 0) {
			/*
			 * Fails the exec in bj_exec: this program may sleep, and
			 * sleepable programs cannot write audit records.
			 */
			jt->jail.refused_role_id = jt->xattr_role_id ? jt->xattr_role_id : ~0u;
			return 0;
		}
	}
	if (!found)
		found = cgroup_enrollment(&e);
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
	return 0;
}

/* The bootstrap loads exactly one of these two: the second where xattrs are enrolled. */
SEC("lsm/bprm_creds_for_exec")
int BPF_PROG(bj_exec_enroll, struct linux_binprm *bprm)
{
	return enroll(bprm, false);
}

/* bpf_get_file_xattr() may sleep: a sleepable program on the same hook. */
SEC("lsm.s/bprm_creds_for_exec")
int BPF_PROG(bj_exec_enroll_xattr, struct linux_binprm *bprm)
{
	return enroll(bprm, true);
}

SEC("lsm/bprm_committed_creds")
int BPF_PROG(bj_exec_commit, struct linux_binprm *bprm)
{
	struct jail_task *jt = bpf_task_storage_get(&jails, bpf_get_current_task_btf(), 0, 0);
	const struct bj_role_entry *role;
	struct bj_audit_record *rec;
	struct file *file;

	if (!jt || jt->jail.role || !jt->jail.pending_role)
		return 0;
	jt->jail.role = jt->jail.pending_role;
	jt->jail.pod_id = jt->jail.pending_pod;
	jt->jail.pending_role = 0;

	role = role_of(jt);
	count_decision(BJ_HOOK_ENROLL, BJ_ALLOW);
	if (!role || role->audit != BJ_AUDIT_ALL)
		return 0;
	rec = audit_begin(&jt->jail, role, BJ_HOOK_ENROLL, BJ_ALLOW, 0);
	if (rec) {
		file = BPF_CORE_READ(bprm, file);
		jt->kind = PATH_NOT_WALKED;
		audit_path(rec, jt, BPF_CORE_READ(file, f_path.dentry), BPF_CORE_READ(file, f_path.mnt));
		audit_send(ctx, rec);
	}
	return 0;
}

/* ---- Files ---- */

/* Every hook below starts the same way: not jailed, allowed; no role, denied. */
#define JAILED_OR_ALLOW(jt, role)              \
	struct jail_task *jt = current_jail(); \
	const struct bj_role_entry *role;      \
	if (!jt)                               \
		return 0;                      \
	role = role_of(jt);                    \
	if (!role)                             \
		return -EPERM

#define FILE_CHECK(hook, dentry, mnt, need, refused) \
	file_check(ctx, jt, role, hook, dentry, mnt, need, refused)

/*
 * What the file is comes before where it is: a kernel-control file, a
 * bpffs object or a device is decided on the object, then the path rules
 * decide as well. An open for ioctl only (O_RDWR|O_WRONLY, "mode 3") asks
 * for no right, but on a device it still needs the device listed.
 */
static __always_inline int open_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
				      struct file *file, __u32 need)
{
	struct dentry *d = BPF_CORE_READ(file, f_path.dentry);
	struct vfsmount *mnt = BPF_CORE_READ(file, f_path.mnt);
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	__u32 type, rights;

	if ((need & BJ_RIGHT_WRITE) && own_file(inode))
		return refuse_pin_change(ctx, jt, role, BJ_HOOK_FILE_OPEN, d, mnt);
	if (!kernel_fs_allows(role, inode, !(need & BJ_RIGHT_WRITE)))
		return file_refuse(ctx, jt, role, BJ_HOOK_FILE_OPEN, d, mnt, need);
	type = device_type(BPF_CORE_READ(inode, i_mode));
	if (type) {
		dev_t rdev = BPF_CORE_READ(inode, i_rdev);

		rights = device_rights(jt->jail.role, type, rdev);
		if (!rights || (need & (BJ_RIGHT_READ | BJ_RIGHT_WRITE) & ~rights) || foreign_terminal(d, rdev))
			return file_refuse(ctx, jt, role, BJ_HOOK_FILE_OPEN, d, mnt, need);
	}
	if (!need)
		return 0;
	return FILE_CHECK(BJ_HOOK_FILE_OPEN, d, mnt, need, 0);
}

SEC("lsm/file_open")
int BPF_PROG(bj_file_open, struct file *file)
{
	__u32 need = 0, fmode;

#ifdef BJ_BROKEN_HOOK_FILE_OPEN /* -Dbroken_hook=file_open: the test suite's selftest only */
	return 0;
#endif
	if (sealed && (BPF_CORE_READ(file, f_mode) & FMODE_WRITE) && is_ftrace_switch(file))
		return refuse_path(ctx, NULL, NULL, BJ_HOOK_FILE_OPEN, FTRACE_SWITCH, sizeof(FTRACE_SWITCH) - 1);
	JAILED_OR_ALLOW(jt, role);
	fmode = BPF_CORE_READ(file, f_mode);
	if ((fmode & FMODE_WRITE) && is_ftrace_switch(file))
		return refuse_path(ctx, &jt->jail, role, BJ_HOOK_FILE_OPEN, FTRACE_SWITCH, sizeof(FTRACE_SWITCH) - 1);
	if (fmode & FMODE_READ)
		need |= BJ_RIGHT_READ;
	if (fmode & FMODE_WRITE)
		need |= BJ_RIGHT_WRITE;
	if (fmode & FMODE_EXEC)
		need |= BJ_RIGHT_MAP_EXEC;
	return open_check(ctx, jt, role, file, need);
}

/*
 * Mapping a file executable needs the x right, and no rule may refuse
 * running it: "ld.so /usr/bin/tool" maps what execve would have refused.
 */
SEC("lsm/mmap_file")
int BPF_PROG(bj_mmap, struct file *file, unsigned long reqprot, unsigned long prot, unsigned long flags)
{
	if (!(prot & PROT_EXEC) || hook_arg_null(ctx, 0))
		return 0;
	{
		JAILED_OR_ALLOW(jt, role);
		/*
		 * The task's own program: the exec that enrolled it was allowed,
		 * and the kernel maps the program only after that exec committed.
		 */
		if (file == BPF_CORE_READ(bpf_get_current_task_btf(), mm, exe_file))
			return 0;
		return FILE_CHECK(BJ_HOOK_MMAP, BPF_CORE_READ(file, f_path.dentry),
				  BPF_CORE_READ(file, f_path.mnt), BJ_RIGHT_MAP_EXEC, BJ_RIGHT_RUN);
	}
}

SEC("lsm/file_mprotect")
int BPF_PROG(bj_mprotect, struct vm_area_struct *vma, unsigned long reqprot, unsigned long prot)
{
	struct file *file;

	if (!(prot & PROT_EXEC))
		return 0;
	file = BPF_CORE_READ(vma, vm_file);
	if (!file)
		return 0;
	{
		JAILED_OR_ALLOW(jt, role);
		return FILE_CHECK(BJ_HOOK_MPROTECT, BPF_CORE_READ(file, f_path.dentry),
				  BPF_CORE_READ(file, f_path.mnt), BJ_RIGHT_MAP_EXEC, BJ_RIGHT_RUN);
	}
}

/* An executable whose xattr asks for a role xattr_enrollments does not list: EPERM. */
static __always_inline int refuse_xattr_role(void *ctx, struct jail_task *jt)
{
	struct bj_audit_record *rec;

	count_decision(BJ_HOOK_XATTR_ENROLL, BJ_DENY);
	rec = audit_begin(NULL, NULL, BJ_HOOK_XATTR_ENROLL, BJ_DENY, 0);
	if (rec) {
		rec->role_id = jt->jail.refused_role_id;
		audit_send(ctx, rec);
	}
	jt->jail.refused_role_id = 0;
	return -EPERM;
}

/* Each file of an exec chain (the program, then a script's interpreter). */
SEC("lsm/bprm_check_security")
int BPF_PROG(bj_exec, struct linux_binprm *bprm)
{
	struct file *file = BPF_CORE_READ(bprm, file);
	struct jail_task *pending;

	/* Only a task with jail state can have a refused xattr to answer for. */
	pending = bpf_task_storage_get(&jails, bpf_get_current_task_btf(), 0, 0);
	if (pending && !pending->jail.role && pending->jail.refused_role_id)
		return refuse_xattr_role(ctx, pending);

	JAILED_OR_ALLOW(jt, role);
	return FILE_CHECK(BJ_HOOK_EXEC, BPF_CORE_READ(file, f_path.dentry), BPF_CORE_READ(file, f_path.mnt),
			  BJ_RIGHT_RUN | BJ_RIGHT_MAP_EXEC, 0);
}

/* A setuid/setgid or file-capability program raises privileges: only with allow_setuid. */
SEC("lsm/bprm_creds_from_file")
int BPF_PROG(bj_exec_setid, struct linux_binprm *bprm, struct file *file)
{
	struct bj_audit_record *rec;
	bool record;
	__u8 decision;
	int ret;

	JAILED_OR_ALLOW(jt, role);
	if ((role->flags & BJ_FLAG_SETUID) || !BPF_CORE_READ_BITFIELD_PROBED(bprm, secureexec))
		return 0;
	ret = conclude(role, BJ_HOOK_EXEC_SETID, false, -EPERM, &decision, &record);
	if (record && (rec = audit_begin(&jt->jail, role, BJ_HOOK_EXEC_SETID, decision, 0))) {
		jt->kind = PATH_NOT_WALKED;
		audit_path(rec, jt, BPF_CORE_READ(file, f_path.dentry), BPF_CORE_READ(file, f_path.mnt));
		audit_send(ctx, rec);
	}
	return ret;
}

/* Changes to the file system: the pins first (never), then the role's rules. */
/*
 * A change to entry `dentry` of directory `dir` (or with dir NULL, to the
 * file itself): the pins and an enrolled executable's name first (never),
 * then the file system it is on (kernel-control file systems are
 * read-only), then the role's rules.
 */
static __always_inline int change_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
					__u16 hook, struct dentry *dir, struct dentry *dentry, struct vfsmount *mnt)
{
	struct inode *inode = BPF_CORE_READ(dentry, d_inode);
	bool pins = dir ? touches_pins(dir, dentry) : pin_kind(inode);

	if (pins || own_file(inode) || (hook == BJ_HOOK_UNLINK && enrolled_executable(inode)))
		return refuse_pin_change(ctx, jt, role, hook, dentry, mnt);
	if (!kernel_fs_allows(role, BPF_CORE_READ(dir ? dir : dentry, d_inode), false))
		return file_refuse(ctx, jt, role, hook, dentry, mnt, BJ_RIGHT_WRITE);
	return FILE_CHECK(hook, dentry, mnt, BJ_RIGHT_WRITE, 0);
}

#define PATH_HOOK_DIR(name, hook, ...)                                                    \
	SEC("lsm/" #name)                                                                 \
	int BPF_PROG(bj_##name, const struct path *dir, struct dentry *dentry, ##__VA_ARGS__) \
	{                                                                                 \
		JAILED_OR_ALLOW(jt, role);                                                \
		return change_check(ctx, jt, role, hook, BPF_CORE_READ(dir, dentry), dentry, \
				    BPF_CORE_READ(dir, mnt));                             \
	}

PATH_HOOK_DIR(path_unlink, BJ_HOOK_UNLINK)
PATH_HOOK_DIR(path_rmdir, BJ_HOOK_RMDIR)
PATH_HOOK_DIR(path_mkdir, BJ_HOOK_MKDIR, umode_t mode)
PATH_HOOK_DIR(path_symlink, BJ_HOOK_SYMLINK, const char *old_name)

/* A device node is a new name for a device: never made by a jailed task. */
SEC("lsm/path_mknod")
int BPF_PROG(bj_path_mknod, const struct path *dir, struct dentry *dentry, umode_t mode, unsigned int dev)
{
	JAILED_OR_ALLOW(jt, role);
	if (device_type(mode))
		return file_refuse(ctx, jt, role, BJ_HOOK_MKNOD, dentry, BPF_CORE_READ(dir, mnt), BJ_RIGHT_WRITE);
	return change_check(ctx, jt, role, BJ_HOOK_MKNOD, BPF_CORE_READ(dir, dentry), dentry,
			    BPF_CORE_READ(dir, mnt));
}

#define PATH_HOOK(name, hook, ...)                                                        \
	SEC("lsm/" #name)                                                                 \
	int BPF_PROG(bj_##name, const struct path *path, ##__VA_ARGS__)                   \
	{                                                                                 \
		JAILED_OR_ALLOW(jt, role);                                                \
		return change_check(ctx, jt, role, hook, NULL, BPF_CORE_READ(path, dentry), \
				    BPF_CORE_READ(path, mnt));                            \
	}

PATH_HOOK(path_truncate, BJ_HOOK_TRUNCATE)
PATH_HOOK(path_chmod, BJ_HOOK_CHMOD, umode_t mode)
PATH_HOOK(path_chown, BJ_HOOK_CHOWN) /* uid and gid are not needed */

static __always_inline bool is_dir(struct dentry *d)
{
	return (BPF_CORE_READ(d, d_inode, i_mode) & S_IFMT) == S_IFDIR;
}

/*
 * A new name for a file must not give the role more than the old one did,
 * and both places must be writable. A directory carries its subtree along,
 * so it may move only where no rule decides anything below either place.
 */
static __always_inline int relink_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
					__u16 hook, struct dentry *old, struct vfsmount *old_mnt,
					struct dentry *new, struct vfsmount *new_mnt, bool exchange)
{
	struct path_info old_info, new_info;
	__u32 old_rights, new_rights;
	struct bj_audit_record *rec;
	bool allowed, record;
	__u8 decision;
	int ret;

	old_rights = path_rights(jt, role, old, old_mnt, &old_info);
	new_rights = path_rights(jt, role, new, new_mnt, &new_info);
	allowed = (old_rights & new_rights & BJ_RIGHT_WRITE) && !(new_rights & ~old_rights) &&
		  (!exchange || !(old_rights & ~new_rights));
	if ((is_dir(old) || (exchange && is_dir(new))) && !(old_info.final && new_info.final))
		allowed = false;
	ret = conclude(role, hook, allowed, -EACCES, &decision, &record);
	if (record && (rec = audit_begin(&jt->jail, role, hook, decision, BJ_RIGHT_WRITE))) {
		audit_path(rec, jt, new, new_mnt);
		audit_send(ctx, rec);
	}
	return ret;
}

SEC("lsm/path_link")
int BPF_PROG(bj_path_link, struct dentry *old_dentry, const struct path *new_dir, struct dentry *new_dentry)
{
	struct vfsmount *mnt = BPF_CORE_READ(new_dir, mnt);

	JAILED_OR_ALLOW(jt, role);
	if (touches_pins(BPF_CORE_READ(new_dir, dentry), old_dentry))
		return refuse_pin_change(ctx, jt, role, BJ_HOOK_LINK, new_dentry, mnt);
	if (!kernel_fs_allows(role, BPF_CORE_READ(new_dir, dentry, d_inode), false))
		return file_refuse(ctx, jt, role, BJ_HOOK_LINK, new_dentry, mnt, BJ_RIGHT_WRITE);
	return relink_check(ctx, jt, role, BJ_HOOK_LINK, old_dentry, mnt, new_dentry, mnt, false);
}

SEC("lsm/path_rename")
int BPF_PROG(bj_path_rename, const struct path *old_dir, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry, unsigned int flags)
{
	JAILED_OR_ALLOW(jt, role);
	if (touches_pins(BPF_CORE_READ(old_dir, dentry), old_dentry) ||
	    touches_pins(BPF_CORE_READ(new_dir, dentry), new_dentry) ||
	    enrolled_executable(BPF_CORE_READ(old_dentry, d_inode)) ||
	    enrolled_executable(BPF_CORE_READ(new_dentry, d_inode)) ||
	    own_file(BPF_CORE_READ(old_dentry, d_inode)) || own_file(BPF_CORE_READ(new_dentry, d_inode)))
		return refuse_pin_change(ctx, jt, role, BJ_HOOK_RENAME, old_dentry, BPF_CORE_READ(old_dir, mnt));
	if (!kernel_fs_allows(role, BPF_CORE_READ(new_dir, dentry, d_inode), false))
		return file_refuse(ctx, jt, role, BJ_HOOK_RENAME, new_dentry, BPF_CORE_READ(new_dir, mnt),
				   BJ_RIGHT_WRITE);
	return relink_check(ctx, jt, role, BJ_HOOK_RENAME, old_dentry, BPF_CORE_READ(old_dir, mnt),
			    new_dentry, BPF_CORE_READ(new_dir, mnt), flags & RENAME_EXCHANGE);
}

/*
 * Extended attributes: bpfjailer's own (the enrollment xattrs) are never
 * set or removed by a jailed task, in complain mode too; any other needs
 * the write right on the file, as chmod and chown do, wherever it is
 * mounted (a POSIX ACL is a chmod by another name).
 */
static __always_inline int xattr_check(void *ctx, struct dentry *d, const char *name)
{
	struct vfsmount *mnt;
	__u32 granted;

	JAILED_OR_ALLOW(jt, role);
	if (bpfjailer_xattr(name))
		return refuse_always(ctx, jt, role, BJ_HOOK_XATTR);
	if (!kernel_fs_allows(role, BPF_CORE_READ(d, d_inode), false))
		return file_refuse(ctx, jt, role, BJ_HOOK_XATTR, d, BPF_CORE_READ(bpf_get_current_task_btf(), fs, root.mnt),
				   BJ_RIGHT_WRITE);
	granted = dentry_rights(jt, role, d, &mnt);
	return file_verdict(ctx, jt, role, BJ_HOOK_XATTR, d, mnt, BJ_RIGHT_WRITE, granted & BJ_RIGHT_WRITE);
}

/* The first argument is the mount's idmap (user namespace on 6.1): unused. */
SEC("lsm/inode_setxattr")
int BPF_PROG(bj_inode_setxattr, void *idmap, struct dentry *dentry, const char *name, const void *value,
	     size_t size, int flags)
{
	return xattr_check(ctx, dentry, name);
}

SEC("lsm/inode_removexattr")
int BPF_PROG(bj_inode_removexattr, void *idmap, struct dentry *dentry, const char *name)
{
	return xattr_check(ctx, dentry, name);
}

/*
 * POSIX message queues: mq_open(O_CREAT) creates the queue before its open
 * is checked, and mq_unlink() removes one without a path hook. Both reach
 * the queue through the IPC namespace's internal mount, where the rules
 * under /dev/mqueue decide.
 */
static __always_inline int mqueue_change(void *ctx, struct inode *dir, struct dentry *dentry, __u16 hook)
{
	struct vfsmount *mnt;
	struct path_info info;

	if (BPF_CORE_READ(dir, i_sb, s_magic) != MQUEUE_SUPER_MAGIC)
		return 0;
	{
		JAILED_OR_ALLOW(jt, role);
		mnt = BPF_CORE_READ(bpf_get_current_task_btf(), nsproxy, ipc_ns, mq_mnt);
		return file_verdict(ctx, jt, role, hook, dentry, mnt, BJ_RIGHT_WRITE,
				    path_rights(jt, role, dentry, mnt, &info) & BJ_RIGHT_WRITE);
	}
}

SEC("lsm/inode_create")
int BPF_PROG(bj_mqueue_create, struct inode *dir, struct dentry *dentry, umode_t mode)
{
	return mqueue_change(ctx, dir, dentry, BJ_HOOK_MKNOD);
}

SEC("lsm/inode_unlink")
int BPF_PROG(bj_mqueue_unlink, struct inode *dir, struct dentry *dentry)
{
	return mqueue_change(ctx, dir, dentry, BJ_HOOK_UNLINK);
}

/* POSIX ACLs left the xattr hooks for hooks of their own in 6.2: loaded where they exist. */
SEC("lsm/inode_set_acl")
int BPF_PROG(bj_inode_set_acl, void *idmap, struct dentry *dentry, const char *acl_name, struct posix_acl *kacl)
{
	return xattr_check(ctx, dentry, acl_name);
}

SEC("lsm/inode_remove_acl")
int BPF_PROG(bj_inode_remove_acl, void *idmap, struct dentry *dentry, const char *acl_name)
{
	return xattr_check(ctx, dentry, acl_name);
}

#define ATTR_ATIME_SET (1 << 7)
#define ATTR_MTIME_SET (1 << 8)
#define ATTR_TOUCH     (1 << 17)

/*
 * Timestamps (utimensat, touch): a change of the file like a write. Mode,
 * owner and size changes have their path hooks (chmod, chown, truncate).
 */
static __always_inline int setattr_check(void *ctx, struct dentry *d, struct iattr *attr)
{
	struct vfsmount *mnt;
	__u32 granted;

	if (!(BPF_CORE_READ(attr, ia_valid) & (ATTR_ATIME_SET | ATTR_MTIME_SET | ATTR_TOUCH)))
		return 0;
	{
		JAILED_OR_ALLOW(jt, role);
		if (!kernel_fs_allows(role, BPF_CORE_READ(d, d_inode), false))
			return file_refuse(ctx, jt, role, BJ_HOOK_SETATTR, d,
					   BPF_CORE_READ(bpf_get_current_task_btf(), fs, root.mnt), BJ_RIGHT_WRITE);
		granted = dentry_rights(jt, role, d, &mnt);
		return file_verdict(ctx, jt, role, BJ_HOOK_SETATTR, d, mnt, BJ_RIGHT_WRITE,
				    granted & BJ_RIGHT_WRITE);
	}
}

/* inode_setattr gained the idmap in 6.10: the bootstrap loads the one this kernel has. */
SEC("lsm/inode_setattr")
int BPF_PROG(bj_setattr, struct dentry *dentry, struct iattr *attr)
{
	return setattr_check(ctx, dentry, attr);
}

SEC("lsm/inode_setattr")
int BPF_PROG(bj_setattr_idmap, void *idmap, struct dentry *dentry, struct iattr *attr)
{
	return setattr_check(ctx, dentry, attr);
}

/* A watch (inotify, fanotify, dnotify) tells when a file is read or written: it needs r. */
SEC("lsm/path_notify")
int BPF_PROG(bj_path_notify, const struct path *path, __u64 mask, unsigned int obj_type)
{
	struct dentry *d = BPF_CORE_READ(path, dentry);
	struct vfsmount *mnt = BPF_CORE_READ(path, mnt);

	JAILED_OR_ALLOW(jt, role);
	if (!kernel_fs_allows(role, BPF_CORE_READ(d, d_inode), true))
		return file_refuse(ctx, jt, role, BJ_HOOK_NOTIFY, d, mnt, BJ_RIGHT_READ);
	return FILE_CHECK(BJ_HOOK_NOTIFY, d, mnt, BJ_RIGHT_READ, 0);
}

#define TIOCSTI            0x5412
#define TIOCLINUX          0x541c
#define FS_IOC_SETFLAGS    0x40086602
#define FS_IOC32_SETFLAGS  0x40046602
#define FS_IOC_FSSETXATTR  0x401c5820

/*
 * ioctl: typing into a terminal (TIOCSTI) or a console (TIOCLINUX) makes
 * whoever reads it run the input, so never; inode flags (immutable,
 * append-only) are a change of the file that needs its write right; an
 * I/O signal owner must be the caller itself.
 */
static __always_inline int ioctl_check(void *ctx, struct file *file, unsigned int cmd, unsigned long arg)
{
	JAILED_OR_ALLOW(jt, role);
	switch (cmd) {
	case TIOCSTI:
	case TIOCLINUX:
		return plain_check(ctx, jt, role, BJ_HOOK_IOCTL, false, -EPERM, BJ_OBJ_VALUE, cmd);
	case FS_IOC_SETFLAGS:
	case FS_IOC32_SETFLAGS:
	case FS_IOC_FSSETXATTR:
		return FILE_CHECK(BJ_HOOK_IOCTL, BPF_CORE_READ(file, f_path.dentry), BPF_CORE_READ(file, f_path.mnt),
				  BJ_RIGHT_WRITE, 0);
	case FIOSETOWN:
	case SIOCSPGRP:
		return plain_check(ctx, jt, role, BJ_HOOK_IOCTL, owner_ptr_allowed(arg), -EPERM, BJ_OBJ_VALUE, cmd);
	default:
		return 0;
	}
}

SEC("lsm/file_ioctl")
int BPF_PROG(bj_file_ioctl, struct file *file, unsigned int cmd, unsigned long arg)
{
	return ioctl_check(ctx, file, cmd, arg);
}

/* 32-bit callers' ioctls have a hook of their own (6.1.74 and 6.7 on). */
SEC("lsm/file_ioctl_compat")
int BPF_PROG(bj_file_ioctl_compat, struct file *file, unsigned int cmd, unsigned long arg)
{
	return ioctl_check(ctx, file, cmd, arg);
}

SEC("lsm/file_fcntl")
int BPF_PROG(bj_file_fcntl, struct file *file, unsigned int cmd, unsigned long arg)
{
	bool allowed;

	if (cmd != F_SETOWN && cmd != F_SETOWN_EX)
		return 0;
	{
		JAILED_OR_ALLOW(jt, role);
		allowed = cmd == F_SETOWN ? owner_allowed((int)arg, F_OWNER_PID) : owner_ex_allowed(arg);
		return plain_check(ctx, jt, role, BJ_HOOK_IOCTL, allowed, -EPERM, BJ_OBJ_VALUE, cmd);
	}
}

/* Was the socket made in the caller's own jail? */
static __always_inline bool sock_in_jail(const struct jail_task *jt, struct sock *sk)
{
	struct sock_jail *sj = bpf_sk_storage_get(&sock_jails, sk, 0, 0);

	return sj && sj->role == jt->jail.role && sj->pod_id == jt->jail.pod_id;
}

/* Is (d, mnt) one of the system's logging sockets, which every role may write to? */
static __always_inline bool logging_socket(struct jail_task *jt, struct dentry *d, struct vfsmount *mnt)
{
	const struct bj_state *st;

	if (!sockets_start)
		return false;
	walk_path(jt, d, mnt);
	if (jt->kind != BJ_PATH_REACHED)
		return false;
	st = match_path(jt, sockets_start);
	return st && (BJ_VERDICT_ALLOW(st->verdict) & BJ_VERDICT_DECIDED(st->verdict) & BJ_RIGHT_WRITE);
}

/*
 * Unix sockets. One bound to a path is that path: reaching it writes to
 * it. A socket of another jail, or of no jail, is a door into a process
 * outside the jail (systemd's private socket, D-Bus, a container runtime
 * would run anything for root), so the file flag alone does not open it:
 * a rule of the role must, or it is one of the logging sockets. An
 * abstract socket has no path: reachable within the jail, or with
 * allow_abstract_unix. An unbound peer (socketpair) is already the
 * caller's.
 */
static __always_inline int unix_peer_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
					   __u16 hook, struct sock *peer)
{
	struct unix_sock *u = (void *)peer;
	struct dentry *d = BPF_CORE_READ(u, path.dentry);
	struct vfsmount *mnt = BPF_CORE_READ(u, path.mnt);
	struct path_info info;
	bool own, allowed;
	__u32 granted;

	own = sock_in_jail(jt, peer);
	if (!d) {
		if (!BPF_CORE_READ(u, addr) || own)
			return 0;
		return plain_check(ctx, jt, role, hook, role->flags & BJ_FLAG_ABSTRACT_UNIX, -EPERM,
				   BJ_OBJ_NONE, 0);
	}
	granted = path_rights(jt, role, d, mnt, &info);
	allowed = granted & BJ_RIGHT_WRITE;
	if (allowed && !own && !(info.decided & BJ_RIGHT_WRITE) && !logging_socket(jt, d, mnt))
		allowed = false;
	return file_verdict(ctx, jt, role, hook, d, mnt, BJ_RIGHT_WRITE, allowed);
}

SEC("lsm/unix_stream_connect")
int BPF_PROG(bj_unix_connect, struct sock *sock, struct sock *other, struct sock *newsk)
{
	JAILED_OR_ALLOW(jt, role);
	return unix_peer_check(ctx, jt, role, BJ_HOOK_UNIX_CONNECT, other);
}

SEC("lsm/unix_may_send")
int BPF_PROG(bj_unix_send, struct socket *sock, struct socket *other)
{
	struct sock *peer = other->sk;

	JAILED_OR_ALLOW(jt, role);
	if (!peer)
		return -EPERM; /* a peer without a sock cannot be told apart: refused */
	return unix_peer_check(ctx, jt, role, BJ_HOOK_UNIX_SEND, peer);
}

/* ---- Network ---- */

#define IPPROTO_ICMP   1
#define IPPROTO_ICMPV6 58

/* Can port and address rules decide everything a socket of this inet protocol does? */
static __always_inline bool ruled_protocol(int protocol)
{
	switch (protocol) {
	case 0: /* the type's default: TCP or UDP */
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_MPTCP:
	case IPPROTO_ICMP: /* ping sockets: connect and sendto meet the address rules */
	case IPPROTO_ICMPV6:
		return true;
	default:
		return false;
	}
}

/*
 * Address families by allowlist (unix, inet, inet6, netlink and what the
 * role lists): every other family is kernel code a service has no use
 * for. Raw and packet sockets bypass port and address rules, and so do
 * inet protocols the rules cannot describe (SCTP's multi-address binds,
 * L2TP): only for roles whose network is unrestricted.
 */
SEC("lsm/socket_create")
int BPF_PROG(bj_socket_create, int family, int type, int protocol, int kern)
{
	struct bj_audit_record *rec;
	bool allowed, record, restricted;
	__u8 decision;
	int ret;

	if (kern)
		return 0;
	{
		JAILED_OR_ALLOW(jt, role);
		restricted = !(role->flags & BJ_FLAG_NETWORK) || role->has_ports || role->has_ips;
		allowed = family >= 0 && family < 64 && (role->families & (1ull << family));
		if (allowed && restricted && family != AF_NETLINK && family != AF_UNIX &&
		    ((type & 0xf) == SOCK_RAW || family == AF_PACKET ||
		     ((family == AF_INET || family == AF_INET6) && !ruled_protocol(protocol))))
			allowed = false;
		if (allowed)
			return 0;
		ret = conclude(role, BJ_HOOK_SOCKET_CREATE, false, -EACCES, &decision, &record);
		if (record && (rec = audit_begin(&jt->jail, role, BJ_HOOK_SOCKET_CREATE, decision, 0))) {
			rec->object = BJ_OBJ_NET;
			rec->net.family = family;
			rec->net.protocol = protocol;
			audit_send(ctx, rec);
		}
		return ret;
	}
}

/* Remember the jail a jailed task's socket was made in. */
SEC("lsm/socket_post_create")
int BPF_PROG(bj_socket_post_create, struct socket *sock, int family, int type, int protocol, int kern)
{
	struct jail_task *jt = current_jail();
	struct sock_jail *sj;
	struct sock *sk;

	if (!jt || kern)
		return 0;
	sk = sock->sk;
	if (!sk)
		return 0;
	sj = bpf_sk_storage_get(&sock_jails, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!sj)
		return -ENOMEM; /* fail closed: a socket whose jail is unknown reads as outside */
	sj->role = jt->jail.role;
	sj->pod_id = jt->jail.pod_id;
	return 0;
}

static __always_inline __u16 sock_family(struct socket *sock)
{
	return BPF_CORE_READ(sock, sk, __sk_common.skc_family);
}

SEC("lsm/socket_bind")
int BPF_PROG(bj_bind, struct socket *sock, struct sockaddr *address, int addrlen)
{
	struct net_dest dst;

	JAILED_OR_ALLOW(jt, role);
	if (!read_inet(address, addrlen, true, sock_family(sock), &dst))
		return 0;
	return net_check(ctx, jt, role, BJ_HOOK_BIND, rule_protocol(sock), BJ_DIR_BIND, &dst);
}

SEC("lsm/socket_connect")
int BPF_PROG(bj_connect, struct socket *sock, struct sockaddr *address, int addrlen)
{
	struct net_dest dst;

	JAILED_OR_ALLOW(jt, role);
	if (!read_inet(address, addrlen, false, sock_family(sock), &dst))
		return 0;
	resolve_unspecified(sock, &dst);
	return net_check(ctx, jt, role, BJ_HOOK_CONNECT, rule_protocol(sock), BJ_DIR_CONNECT, &dst);
}

/* A destination given to sendto/sendmsg (unconnected UDP, TCP Fast Open) is a connect. */
SEC("lsm/socket_sendmsg")
int BPF_PROG(bj_sendmsg, struct socket *sock, struct msghdr *msg, int size)
{
	struct sockaddr *name;
	struct net_dest dst;

	JAILED_OR_ALLOW(jt, role);
	name = BPF_CORE_READ(msg, msg_name);
	if (!name || !read_inet(name, BPF_CORE_READ(msg, msg_namelen), true, sock_family(sock), &dst))
		return 0;
	resolve_unspecified(sock, &dst);
	return net_check(ctx, jt, role, BJ_HOOK_SENDMSG, rule_protocol(sock), BJ_DIR_CONNECT, &dst);
}

/* listen() on an unbound socket binds an ephemeral port: a bind to port 0. */
SEC("lsm/socket_listen")
int BPF_PROG(bj_listen, struct socket *sock, int backlog)
{
	struct net_dest dst = {};
	__u16 family;

	JAILED_OR_ALLOW(jt, role);
	family = sock_family(sock);
	if ((family != AF_INET && family != AF_INET6) || BPF_CORE_READ(sock, sk, __sk_common.skc_num))
		return 0;
	dst.family = family;
	return net_check(ctx, jt, role, BJ_HOOK_LISTEN, rule_protocol(sock), BJ_DIR_BIND, &dst);
}

/* ---- Processes ---- */

/*
 * ptrace, process_vm_*, /proc/PID/mem: only with allow_ptrace, and only
 * within the task's own jail. Read-only inspection (ps) stays possible.
 */
SEC("lsm/ptrace_access_check")
int BPF_PROG(bj_ptrace, struct task_struct *child, unsigned int mode)
{
	/* Sealed: the forwarder's fds (pidfd_getfd, injected code) are nobody else's. */
	if (sealed && (mode & PTRACE_MODE_ATTACH) && runs_forwarder(child))
		return seal_refuse(ctx, BJ_HOOK_PTRACE, BJ_OBJ_TASK, BPF_CORE_READ(child, tgid));
	JAILED_OR_ALLOW(jt, role);
	/* Reads (environ, maps, fds, kcmp): anywhere in the own jail, quietly refused outside it. */
	if (!(mode & PTRACE_MODE_ATTACH))
		return same_jail(jt, child) ? 0
					    : task_refuse(ctx, jt, role, BJ_HOOK_PTRACE, child,
							  mode & PTRACE_MODE_NOAUDIT);
	return plain_check(ctx, jt, role, BJ_HOOK_PTRACE,
			   (role->flags & BJ_FLAG_PTRACE) && same_jail(jt, child), -EPERM, BJ_OBJ_TASK,
			   BPF_CORE_READ(child, tgid));
}

SEC("lsm/ptrace_traceme")
int BPF_PROG(bj_traceme, struct task_struct *parent)
{
	JAILED_OR_ALLOW(jt, role);
	return plain_check(ctx, jt, role, BJ_HOOK_TRACEME,
			   (role->flags & BJ_FLAG_PTRACE) && same_jail(jt, parent), -EPERM, BJ_OBJ_TASK,
			   BPF_CORE_READ(parent, tgid));
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
	{
		JAILED_OR_ALLOW(jt, role);
		return task_check(ctx, jt, role, BJ_HOOK_KILL, p);
	}
}

#define TASK_HOOK(name, ...)                                          \
	SEC("lsm/" #name)                                             \
	int BPF_PROG(bj_##name, struct task_struct *p, ##__VA_ARGS__) \
	{                                                             \
		JAILED_OR_ALLOW(jt, role);                            \
		return task_check(ctx, jt, role, BJ_HOOK_TASK, p);    \
	}

TASK_HOOK(task_setnice, int nice)
TASK_HOOK(task_setioprio, int ioprio)
TASK_HOOK(task_setscheduler)
TASK_HOOK(task_setrlimit, unsigned int resource, struct rlimit *new_rlim)
TASK_HOOK(task_movememory)

/*
 * prlimit() of another process names it only by its credentials: allowed
 * for the caller's own threads (which share them), refused for any other
 * process, in the jail or not.
 */
SEC("lsm/task_prlimit")
int BPF_PROG(bj_task_prlimit, const struct cred *cred, const struct cred *tcred, unsigned int flags)
{
	JAILED_OR_ALLOW(jt, role);
	if (cred == tcred)
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_TASK, false, -EPERM, BJ_OBJ_NONE, 0);
}

SEC("lsm/task_fix_setuid")
int BPF_PROG(bj_setuid, struct cred *new, const struct cred *old, int flags)
{
	bool same;

	JAILED_OR_ALLOW(jt, role);
	same = BPF_CORE_READ(new, uid.val) == BPF_CORE_READ(old, uid.val) &&
	       BPF_CORE_READ(new, euid.val) == BPF_CORE_READ(old, euid.val) &&
	       BPF_CORE_READ(new, suid.val) == BPF_CORE_READ(old, suid.val) &&
	       BPF_CORE_READ(new, fsuid.val) == BPF_CORE_READ(old, fsuid.val);
	if (same || (role->flags & BJ_FLAG_SETUID))
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_SETUID, false, -EPERM, BJ_OBJ_VALUE,
			   BPF_CORE_READ(new, euid.val));
}

SEC("lsm/task_fix_setgid")
int BPF_PROG(bj_setgid, struct cred *new, const struct cred *old, int flags)
{
	bool same;

	JAILED_OR_ALLOW(jt, role);
	same = BPF_CORE_READ(new, gid.val) == BPF_CORE_READ(old, gid.val) &&
	       BPF_CORE_READ(new, egid.val) == BPF_CORE_READ(old, egid.val) &&
	       BPF_CORE_READ(new, sgid.val) == BPF_CORE_READ(old, sgid.val) &&
	       BPF_CORE_READ(new, fsgid.val) == BPF_CORE_READ(old, fsgid.val);
	if (same || (role->flags & BJ_FLAG_SETUID))
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_SETGID, false, -EPERM, BJ_OBJ_VALUE,
			   BPF_CORE_READ(new, egid.val));
}

#define PR_SET_MM 35
#define ENOSYS    38

/*
 * prctl(PR_SET_MM) rewrites what the kernel believes about the process,
 * /proc/self/exe among it, which vouches for the program a task maps
 * (bj_mmap). "No opinion" is -ENOSYS on this hook, not 0: a 0 would
 * answer every prctl() without running it.
 */
SEC("lsm/task_prctl")
int BPF_PROG(bj_task_prctl, int option, unsigned long arg2, unsigned long arg3, unsigned long arg4,
	     unsigned long arg5)
{
	const struct bj_role_entry *role;
	struct jail_task *jt;
	int ret;

	if (option != PR_SET_MM || !(jt = current_jail()))
		return -ENOSYS;
	role = role_of(jt);
	ret = role ? plain_check(ctx, jt, role, BJ_HOOK_TASK, false, -EPERM, BJ_OBJ_VALUE, option) : -EPERM;
	return ret ? ret : -ENOSYS;
}

/*
 * Keys: request_key() has the kernel run /sbin/request-key as root,
 * outside the jail, on the caller's description. A jailed task makes no
 * key or keyring.
 */
SEC("lsm/key_alloc")
int BPF_PROG(bj_key_alloc, struct key *key, const struct cred *cred, unsigned long flags)
{
	JAILED_OR_ALLOW(jt, role);
	return plain_check(ctx, jt, role, BJ_HOOK_TASK, false, -EPERM, BJ_OBJ_NONE, 0);
}

#define IPC_HOOKS(kind)                                                              \
	SEC("lsm/" #kind "_alloc_security")                                          \
	int BPF_PROG(bj_##kind##_alloc, struct kern_ipc_perm *perm)                  \
	{                                                                            \
		return ipc_made(perm);                                               \
	}                                                                            \
	SEC("lsm/" #kind "_free_security")                                           \
	int BPF_PROG(bj_##kind##_free, struct kern_ipc_perm *perm)                   \
	{                                                                            \
		ipc_freed(perm);                                                     \
		return 0;                                                            \
	}                                                                            \
	SEC("lsm/" #kind "_associate")                                               \
	int BPF_PROG(bj_##kind##_associate, struct kern_ipc_perm *perm, int flag)    \
	{                                                                            \
		return ipc_check(ctx, perm);                                         \
	}

/* Objects by key (shmget, semget, msgget of an existing key), then every use. */
IPC_HOOKS(shm)
IPC_HOOKS(sem)
IPC_HOOKS(msg_queue)

SEC("lsm/ipc_permission")
int BPF_PROG(bj_ipc_permission, struct kern_ipc_perm *ipcp, short flag)
{
	return ipc_check(ctx, ipcp);
}

/* IPC_RMID and IPC_SET check the owner, not ipc_permission: these hooks see them. */
#define IPC_CTL_HOOK(name)                                                   \
	SEC("lsm/" #name)                                                    \
	int BPF_PROG(bj_##name, struct kern_ipc_perm *perm, int cmd)         \
	{                                                                    \
		if (hook_arg_null(ctx, 0))                                   \
			return 0; /* IPC_INFO and the like: about no object */ \
		return ipc_check(ctx, perm);                                 \
	}

IPC_CTL_HOOK(shm_shmctl)
IPC_CTL_HOOK(sem_semctl)
IPC_CTL_HOOK(msg_queue_msgctl)

/* Supplementary groups are a change of identity like any other. */
SEC("lsm/task_fix_setgroups")
int BPF_PROG(bj_setgroups, struct cred *new, const struct cred *old)
{
	JAILED_OR_ALLOW(jt, role);
	return plain_check(ctx, jt, role, BJ_HOOK_SETGID, role->flags & BJ_FLAG_SETUID, -EPERM, BJ_OBJ_NONE, 0);
}

#define CAP_OPT_NOAUDIT (1 << 1)

/*
 * Capabilities by allowlist: a jailed task, root or not, keeps only the
 * capabilities its role lists (or the small default set), whichever user
 * namespace asks. Probes that expect a "no" (noaudit) are counted, not
 * recorded.
 */
SEC("lsm/capable")
int BPF_PROG(bj_capable, const struct cred *cred, struct user_namespace *ns, int cap, unsigned int opts)
{
	bool record;
	__u8 decision;

	JAILED_OR_ALLOW(jt, role);
	if (cap >= 0 && cap < 64 && (role->caps & (1ull << cap)))
		return 0;
	if (!(opts & CAP_OPT_NOAUDIT))
		return plain_check(ctx, jt, role, BJ_HOOK_CAPABLE, false, -EPERM, BJ_OBJ_VALUE, cap);
	return conclude(role, BJ_HOOK_CAPABLE, false, -EPERM, &decision, &record);
}

#define CAP_SYSLOG  34
#define CAP_PERFMON 38

static __always_inline bool has_cap(const struct bj_role_entry *role, int cap)
{
	return role->caps & (1ull << cap);
}

/* The kernel log (syslog(2), /dev/kmsg): only with CAP_SYSLOG, whatever dmesg_restrict says. */
SEC("lsm/syslog")
int BPF_PROG(bj_syslog, int type)
{
	JAILED_OR_ALLOW(jt, role);
	return plain_check(ctx, jt, role, BJ_HOOK_SYSLOG, has_cap(role, CAP_SYSLOG), -EPERM, BJ_OBJ_VALUE, type);
}

#define PERF_SECURITY_OPEN 0

/*
 * perf_event_open(): a task may watch itself (and its jail: the kernel
 * asks ptrace_may_access for other targets); CPU-wide, kernel and
 * tracepoint events need CAP_PERFMON, whatever perf_event_paranoid says.
 */
SEC("lsm/perf_event_open")
int BPF_PROG(bj_perf_event_open, struct perf_event_attr *attr, int type)
{
	JAILED_OR_ALLOW(jt, role);
	if (type == PERF_SECURITY_OPEN || has_cap(role, CAP_PERFMON))
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_PERF, false, -EPERM, BJ_OBJ_VALUE, type);
}

/* ---- Kernel ---- */

SEC("lsm/kernel_module_request")
int BPF_PROG(bj_module_request, char *kmod_name)
{
	JAILED_OR_ALLOW(jt, role);
	return plain_check(ctx, jt, role, BJ_HOOK_MODULE, role->flags & BJ_FLAG_MODULE_LOAD, -EPERM,
			   BJ_OBJ_NONE, 0);
}

/* Modules need allow_module_load; firmware is fine; a new kernel or policy never is. */
SEC("lsm/kernel_load_data")
int BPF_PROG(bj_load_data, enum kernel_load_data_id id, bool contents)
{
	bool allowed;

	JAILED_OR_ALLOW(jt, role);
	if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_FIRMWARE))
		return 0;
	allowed = id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_MODULE) &&
		  (role->flags & BJ_FLAG_MODULE_LOAD);
	return plain_check(ctx, jt, role, BJ_HOOK_MODULE, allowed, -EPERM, BJ_OBJ_VALUE, id);
}

SEC("lsm/kernel_read_file")
int BPF_PROG(bj_read_file, struct file *file, enum kernel_read_file_id id, bool contents)
{
	bool allowed;

	JAILED_OR_ALLOW(jt, role);
	if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_FIRMWARE))
		return 0;
	allowed = id == bpf_core_enum_value(enum kernel_read_file_id, READING_MODULE) &&
		  (role->flags & BJ_FLAG_MODULE_LOAD);
	return plain_check(ctx, jt, role, BJ_HOOK_KERNEL_READ, allowed, -EPERM, BJ_OBJ_VALUE, id);
}

/* BJ_OWN and BJ_OWN_FORWARDER if the object is bpfjailer's, else 0. */
static __always_inline __u8 own_object(__u32 kind, __u32 id)
{
	struct bj_own_key key = { .kind = kind, .id = id };
	__u8 *own = bpf_map_lookup_elem(&own_objects, &key);

	return own ? *own : 0;
}

/*
 * bpf() needs allow_bpf_load; even then, bpfjailer's own objects stay out
 * of reach: no fd by id, and no BPF_OBJ_GET at all (the pinned path cannot
 * be told apart from here). Sealed, the seal applies to everyone first.
 */
SEC("lsm/bpf")
int BPF_PROG(bj_bpf, int cmd, union bpf_attr *attr, unsigned int size)
{
	bool allowed = true;

	if (sealed) {
		int err = seal_bpf_cmd(cmd, attr);

		if (err == -ENOENT)
			return err; /* hidden, not refused: listings are no attack */
		if (err)
			return seal_refuse(ctx, BJ_HOOK_BPF, BJ_OBJ_VALUE, cmd);
	}
	JAILED_OR_ALLOW(jt, role);
	if (!(role->flags & BJ_FLAG_BPF_LOAD))
		allowed = false;
	else if (cmd == BPF_OBJ_GET)
		allowed = false;
	else if (cmd == BPF_MAP_GET_FD_BY_ID)
		allowed = !own_object(BJ_OWN_MAP, BPF_CORE_READ(attr, map_id));
	else if (cmd == BPF_PROG_GET_FD_BY_ID)
		allowed = !own_object(BJ_OWN_PROG, BPF_CORE_READ(attr, prog_id));
	else if (cmd == BPF_LINK_GET_FD_BY_ID)
		allowed = !own_object(BJ_OWN_LINK, BPF_CORE_READ(attr, link_id));
	if (allowed)
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_BPF, false, -EPERM, BJ_OBJ_VALUE, cmd);
}

/* A new fd to a map: sealed, bpfjailer's maps reach only the forwarder, and only its own. */
SEC("lsm/bpf_map")
int BPF_PROG(bj_bpf_map, struct bpf_map *map, fmode_t fmode)
{
	__u32 id = BPF_CORE_READ(map, id);

	if (sealed) {
		__u8 own = own_object(BJ_OWN_MAP, id);

		if (own && !((own & BJ_OWN_FORWARDER) && runs_forwarder(bpf_get_current_task_btf())))
			return seal_refuse(ctx, BJ_HOOK_BPF, BJ_OBJ_VALUE, id);
	}
	JAILED_OR_ALLOW(jt, role);
	if (!own_object(BJ_OWN_MAP, id))
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_BPF, false, -EPERM, BJ_OBJ_VALUE, id);
}

SEC("lsm/bpf_prog")
int BPF_PROG(bj_bpf_prog, struct bpf_prog *prog)
{
	__u32 id = BPF_CORE_READ(prog, aux, id);

	if (sealed && own_object(BJ_OWN_PROG, id))
		return seal_refuse(ctx, BJ_HOOK_BPF, BJ_OBJ_VALUE, id);
	JAILED_OR_ALLOW(jt, role);
	if (!own_object(BJ_OWN_PROG, id))
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_BPF, false, -EPERM, BJ_OBJ_VALUE, id);
}

/*
 * Mounts, root changes and new user namespaces would let a jailed task
 * change how paths look to it, and with that what its path rules protect.
 */
static __always_inline int deny_jailed(void *ctx, __u16 hook)
{
	JAILED_OR_ALLOW(jt, role);
	return plain_check(ctx, jt, role, hook, false, -EPERM, BJ_OBJ_NONE, 0);
}

#define DENY_JAILED(name, hook, ...)                \
	SEC("lsm/" #name)                           \
	int BPF_PROG(bj_##name, ##__VA_ARGS__)      \
	{                                           \
		return deny_jailed(ctx, hook);      \
	}

DENY_JAILED(sb_pivotroot, BJ_HOOK_PIVOT_ROOT, const struct path *old_path, const struct path *new_path)
DENY_JAILED(path_chroot, BJ_HOOK_CHROOT, const struct path *path)
DENY_JAILED(userns_create, BJ_HOOK_USERNS, const struct cred *cred)

/* Sealed: nothing is mounted onto the pins' bpffs, which could hide them. */
#define MOUNT_HOOK(name, target, ...)                                                \
	SEC("lsm/" #name)                                                            \
	int BPF_PROG(bj_##name, ##__VA_ARGS__)                                       \
	{                                                                            \
		if (sealed && BPF_CORE_READ(target, dentry, d_sb, s_dev) == pin_dev) \
			return seal_refuse(ctx, BJ_HOOK_MOUNT, BJ_OBJ_NONE, 0);      \
		return deny_jailed(ctx, BJ_HOOK_MOUNT);                              \
	}

MOUNT_HOOK(sb_mount, path, const char *dev_name, const struct path *path, const char *type,
	   unsigned long flags, void *data)
MOUNT_HOOK(move_mount, to_path, const struct path *from_path, const struct path *to_path)

/* Sealed: the bpffs that holds the pins stays mounted. */
SEC("lsm/sb_umount")
int BPF_PROG(bj_sb_umount, struct vfsmount *mnt, int flags)
{
	if (sealed && !seal_umount_allows(mnt, flags))
		return seal_refuse(ctx, BJ_HOOK_UMOUNT, BJ_OBJ_NONE, 0);
	return deny_jailed(ctx, BJ_HOOK_UMOUNT);
}

/*
 * Loaded only for a sealed instance (the bootstrap turns them off
 * otherwise): every opener of every inode passes here, jailed or not.
 */
SEC("lsm/inode_permission")
int BPF_PROG(bj_seal_inode_permission, struct inode *inode, int mask)
{
	if (seal_inode_allows(inode, mask))
		return 0;
	return seal_refuse(ctx, BJ_HOOK_PIN, BJ_OBJ_VALUE, BPF_CORE_READ(inode, i_ino));
}

/* The pin root itself: renaming it within its parent asks nothing of it. */
SEC("lsm/inode_rename")
int BPF_PROG(bj_seal_inode_rename, struct inode *old_dir, struct dentry *old_dentry, struct inode *new_dir,
	     struct dentry *new_dentry)
{
	struct inode *moved = BPF_CORE_READ(old_dentry, d_inode);

	if (!pin_kind(moved))
		return 0;
	return seal_refuse(ctx, BJ_HOOK_PIN, BJ_OBJ_VALUE, BPF_CORE_READ(moved, i_ino));
}
