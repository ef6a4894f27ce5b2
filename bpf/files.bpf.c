// SPDX-License-Identifier: GPL-2.0
/*
 * Files: opening, mapping and running them, watching them, and ioctls and
 * I/O signal owners. What the file is comes before where it is:
 * bpfjailer's own files, a kernel-control file system or a device node is
 * decided on the object, then the role's path rules decide as well.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "audit.bpf.h"
#include "files.bpf.h"
#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
#include "kernel_fs.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"
#include "seal.bpf.h"
#include "signed.bpf.h"

/* ---- The ftrace switch ---- */

/*
 * Refuse a write to a path known here, for a jailed task (jail, role) or,
 * with NULLs, for the seal: always counted, always recorded.
 */
static __always_inline int refuse_path(void *ctx, const struct bj_jail *jail, const struct bj_role_entry *role,
				       __u16 hook, const char *path, __u32 len)
{
	struct bj_audit_record *rec;

	count_decision(hook, BJ_DENY);
	rec = audit_begin(jail, role, hook, BJ_DENY, BJ_RIGHT_WRITE);
	if (rec) {
		rec->object = BJ_OBJ_PATH;
		rec->path_len = len;
		bpf_probe_read_kernel(rec->path, len & (BJ_PATH_MAX - 1), path);
		audit_send(ctx, rec);
	}
	return -EPERM;
}

/* Is the dentry's name exactly want (len bytes, len < 16)? */
static __always_inline bool name_is(struct dentry *d, const char *want, __u32 len)
{
	char name[16];

	if (d->d_name.len != len || bpf_probe_read_kernel(name, sizeof(name), d->d_name.name))
		return false;
#pragma unroll
	for (__u32 i = 0; i < sizeof(name); i++)
		if (i < len && name[i] != want[i])
			return false;
	return true;
}

/*
 * kernel.ftrace_enabled=0 turns off every ftrace-managed trampoline, and
 * with them every BPF LSM program: nobody jailed may open it for writing,
 * nobody at all once sealed. (Matched by name on any procfs mount: its
 * inode comes and goes.)
 */
static __always_inline bool is_ftrace_switch(struct file *file)
{
	struct dentry *d = file->f_path.dentry;

	return d->d_sb->s_magic == PROC_SUPER_MAGIC && name_is(d, "ftrace_enabled", 14) &&
	       name_is(d->d_parent, "kernel", 6);
}

/* ---- Device nodes ---- */

#define DEVICE_LISTED 0x80u

/* Rights (BJ_RIGHT_READ | BJ_RIGHT_WRITE) the role has on device `type` rdev; 0 for none. */
static __always_inline __u32 device_rights(__u32 slot, __u32 type, dev_t rdev)
{
	struct bj_device_key key = {
		.role = slot,
		.type = type,
		.major = rdev >> MINORBITS,
		.minor = rdev & ((1u << MINORBITS) - 1),
	};
	__u8 *rights = bpf_map_lookup_elem(&device_rules, &key);

	if (!rights) {
		key.minor = BJ_DEV_ANY_MINOR;
		rights = bpf_map_lookup_elem(&device_rules, &key);
	}
	return rights ? *rights | DEVICE_LISTED : 0;
}

/*
 * Is this pseudo terminal another session's (an administrator's shell)?
 * Reading one takes the keys typed there. A terminal of the caller's own
 * session, or of none yet (the one a server has just made with ptmx, before
 * its child makes it a controlling terminal), stays open to it. devpts
 * keeps the terminal's tty in the node's dentry; a node for it anywhere
 * else has none to tell, and is refused.
 */
static __always_inline bool foreign_terminal(struct dentry *d, dev_t rdev)
{
	__u32 major = rdev >> MINORBITS;
	struct tty_struct *tty;
	struct pid *session;

	if (major < UNIX98_PTY_SLAVE_MAJOR || major >= UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT)
		return false;
	if (d->d_sb->s_magic != DEVPTS_SUPER_MAGIC)
		return true;
	tty = d->d_fsdata;
	session = BPF_CORE_READ(tty, ctrl.session);
	return session && session != bpf_get_current_task_btf()->signal->pids[PIDTYPE_SID];
}

/* ---- Opening, mapping and running ---- */

/*
 * What the file is comes before where it is: a kernel-control file, a
 * bpffs object or a device is decided on the object, then the path rules
 * decide as well. An open for ioctl only (O_RDWR|O_WRONLY, "mode 3") asks
 * for no right, but on a device it still needs the device listed.
 */
static __always_inline int open_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
				      struct file *file, __u32 need)
{
	struct dentry *d = file->f_path.dentry;
	struct vfsmount *mnt = file->f_path.mnt;
	struct inode *inode = file->f_inode;
	__u32 type, rights;

	if ((need & BJ_RIGHT_WRITE) && own_file(inode))
		return refuse_pin_change(ctx, jt, role, BJ_HOOK_FILE_OPEN, d, mnt);
	if (!kernel_fs_allows_on(role, inode, inode->i_sb->s_magic, !(need & BJ_RIGHT_WRITE)))
		return file_refuse(ctx, jt, role, BJ_HOOK_FILE_OPEN, d, mnt, need);
	type = device_type(inode->i_mode);
	if (type) {
		dev_t rdev = inode->i_rdev;

		rights = device_rights(jt->jail.role, type, rdev);
		if (!rights || (need & (BJ_RIGHT_READ | BJ_RIGHT_WRITE) & ~rights) || foreign_terminal(d, rdev))
			return file_refuse(ctx, jt, role, BJ_HOOK_FILE_OPEN, d, mnt, need);
	}
	if (!need)
		return 0;
	return file_check(ctx, jt, role, BJ_HOOK_FILE_OPEN, d, mnt, need, 0);
}

SEC("lsm/file_open")
int BPF_PROG(bj_file_open, struct file *file)
{
	struct jail_task *jt;
	const struct bj_role_entry *role;
	__u32 need = 0, fmode;

#ifdef BJ_BROKEN_HOOK_FILE_OPEN /* -Dbroken_hook=file_open: the test suite's selftest only */
	return 0;
#endif
	fmode = file->f_mode;
	if (sealed && (fmode & FMODE_WRITE) && is_ftrace_switch(file))
		return refuse_path(ctx, NULL, NULL, BJ_HOOK_FILE_OPEN, BJ_FTRACE_SWITCH,
				   sizeof(BJ_FTRACE_SWITCH) - 1);
	jt = current_jail();
	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if ((fmode & FMODE_WRITE) && is_ftrace_switch(file))
		return refuse_path(ctx, &jt->jail, role, BJ_HOOK_FILE_OPEN, BJ_FTRACE_SWITCH,
				   sizeof(BJ_FTRACE_SWITCH) - 1);
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
	struct jail_task *jt;
	const struct bj_role_entry *role;
	int ret;

	/*
	 * Anonymous memory has no file. Tested twice: read as a number for
	 * the verifiers that take the pointer for never NULL (6.2 to 6.x) and
	 * drop a test on it, and on the pointer for those that know it may be
	 * (7.x) and refuse a load through it without one.
	 */
	if (!(prot & PROT_EXEC) || hook_arg_null(ctx, 0) || !file)
		return 0;
	jt = current_jail();
	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (signing && (role->flags & BJ_FLAG_SIGNED) &&
	    (ret = signature_check(ctx, jt, &jt->jail, role, file, BJ_RIGHT_MAP_EXEC)))
		return ret;
	/*
	 * The task's own program: the exec that enrolled it was allowed,
	 * and the kernel maps the program only after that exec committed.
	 */
	if (file == bpf_get_current_task_btf()->mm->exe_file)
		return 0;
	return file_check(ctx, jt, role, BJ_HOOK_MMAP, file->f_path.dentry, file->f_path.mnt, BJ_RIGHT_MAP_EXEC,
			  BJ_RIGHT_RUN);
}

SEC("lsm/file_mprotect")
int BPF_PROG(bj_mprotect, struct vm_area_struct *vma, unsigned long reqprot, unsigned long prot)
{
	struct jail_task *jt;
	const struct bj_role_entry *role;
	struct file *file;
	int ret;

	if (!(prot & PROT_EXEC))
		return 0;
	/* Read as a number: anonymous memory has no file, and the test must stay. */
	file = BPF_CORE_READ(vma, vm_file);
	if (!file)
		return 0;
	jt = current_jail();
	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	/*
	 * Not NULL, as tested: the same field again, typed, for the path
	 * check (7.x verifiers know it may be NULL and want the test again).
	 */
	file = vma->vm_file;
	if (!file)
		return 0;
	if (signing && (role->flags & BJ_FLAG_SIGNED) &&
	    (ret = signature_check(ctx, jt, &jt->jail, role, file, BJ_RIGHT_MAP_EXEC)))
		return ret;
	return file_check(ctx, jt, role, BJ_HOOK_MPROTECT, file->f_path.dentry, file->f_path.mnt, BJ_RIGHT_MAP_EXEC,
			  BJ_RIGHT_RUN);
}

/*
 * An executable whose xattr asks for a role xattr_enrollments does not
 * list: EPERM. bj_exec_enroll_sleepable noted the refusal; it may sleep, and
 * sleepable programs cannot write audit records.
 */
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

/*
 * An exec that enrolls the task into a signing role runs only signed
 * files: the role's rules wait for the exec to commit, its signatures do
 * not. The record names the role being entered.
 */
static __always_inline int exec_into_signing_role(void *ctx, struct jail_task *pending, struct file *file)
{
	struct bj_jail entering = { .role = pending->jail.pending_role, .pod_id = pending->jail.pending_pod };
	const struct bj_role_entry *role;

	if (!entering.role || !(role = signing_role(pending)))
		return 0;
	return signature_check(ctx, pending, &entering, role, file, BJ_RIGHT_RUN);
}

/* Each file of an exec chain (the program, then a script's interpreter). */
SEC("lsm/bprm_check_security")
int BPF_PROG(bj_exec, struct linux_binprm *bprm)
{
	struct file *file = bprm->file;
	struct jail_task *pending, *jt;
	const struct bj_role_entry *role;
	int ret;

	/* Only a task with jail state can have a refused xattr to answer for. */
	pending = current_jail_task();
	if (pending && !pending->jail.role && pending->jail.refused_role_id)
		return refuse_xattr_role(ctx, pending);

	jt = current_jail();
	if (!jt)
		return pending ? exec_into_signing_role(ctx, pending, file) : 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (signing && (role->flags & BJ_FLAG_SIGNED) &&
	    (ret = signature_check(ctx, jt, &jt->jail, role, file, BJ_RIGHT_RUN)))
		return ret;
	return file_check(ctx, jt, role, BJ_HOOK_EXEC, file->f_path.dentry, file->f_path.mnt,
			  BJ_RIGHT_RUN | BJ_RIGHT_MAP_EXEC, 0);
}

/* A setuid/setgid or file-capability program raises privileges: only with allow_setuid. */
SEC("lsm/bprm_creds_from_file")
int BPF_PROG(bj_exec_setid, struct linux_binprm *bprm, struct file *file)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct bj_audit_record *rec;
	bool record;
	__u8 decision;
	int ret;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if ((role->flags & BJ_FLAG_SETUID) || !BPF_CORE_READ_BITFIELD_PROBED(bprm, secureexec))
		return 0;
	ret = conclude(role, BJ_HOOK_EXEC_SETID, false, -EPERM, &decision, &record);
	if (record && (rec = audit_begin(&jt->jail, role, BJ_HOOK_EXEC_SETID, decision, 0))) {
		jt->kind = PATH_NOT_WALKED;
		audit_path(rec, jt, file->f_path.dentry, file->f_path.mnt);
		audit_send(ctx, rec);
	}
	return ret;
}

/* ---- Watches, ioctls, I/O signal owners ---- */

/* A watch (inotify, fanotify, dnotify) tells when a file is read or written: it needs r. */
SEC("lsm/path_notify")
int BPF_PROG(bj_path_notify, const struct path *path, __u64 mask, unsigned int obj_type)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct dentry *d = path->dentry;
	struct vfsmount *mnt = path->mnt;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (!kernel_fs_allows(role, BPF_CORE_READ(d, d_inode), true))
		return file_refuse(ctx, jt, role, BJ_HOOK_NOTIFY, d, mnt, BJ_RIGHT_READ);
	return file_check(ctx, jt, role, BJ_HOOK_NOTIFY, d, mnt, BJ_RIGHT_READ, 0);
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

/*
 * ioctl: typing into a terminal (TIOCSTI) or a console (TIOCLINUX) makes
 * whoever reads it run the input, so never; inode flags (immutable,
 * append-only) are a change of the file that needs its write right; an
 * I/O signal owner must be the caller itself.
 */
static __always_inline int ioctl_check(void *ctx, struct file *file, unsigned int cmd, unsigned long arg)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	switch (cmd) {
	case TIOCSTI:
	case TIOCLINUX:
		return plain_check(ctx, jt, role, BJ_HOOK_IOCTL, false, -EPERM, BJ_OBJ_VALUE, cmd);
	case FS_IOC_SETFLAGS:
	case FS_IOC32_SETFLAGS:
	case FS_IOC_FSSETXATTR:
		return file_check(ctx, jt, role, BJ_HOOK_IOCTL, file->f_path.dentry, file->f_path.mnt,
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
	struct jail_task *jt;
	const struct bj_role_entry *role;
	bool allowed;

	if (cmd != F_SETOWN && cmd != F_SETOWN_EX)
		return 0;
	jt = current_jail();
	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	allowed = cmd == F_SETOWN ? owner_allowed((int)arg, F_OWNER_PID) : owner_ex_allowed(arg);
	return plain_check(ctx, jt, role, BJ_HOOK_IOCTL, allowed, -EPERM, BJ_OBJ_VALUE, cmd);
}
