/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-control file systems. Writing a sysctl, a sysfs attribute, a
 * cgroup file or a binfmt_misc handler changes the whole system, and some
 * of them (core_pattern, modprobe, uevent_helper, release_agent, binfmt
 * handlers) make the kernel run a program of the writer's choosing outside
 * any jail. They are recognised by their super block, never by path, so a
 * second mount or a bind mount of one is the same file system.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "kernel_defs.bpf.h"
#include "maps.bpf.h"

enum fs_kind {
	FS_ORDINARY = 0,
	FS_CONTROL,  /* readable; written only with allow_kernel_tunables */
	FS_HIDDEN,   /* debugfs, tracefs: not even read without allow_kernel_tunables */
	FS_BPF,      /* bpffs: never, by anyone jailed */
	FS_PROC,     /* procfs: per-process files of the own jail, else like FS_CONTROL */
};

static __always_inline enum fs_kind fs_kind_of(unsigned long magic)
{
	switch (magic) {
	case PROC_SUPER_MAGIC:
		return FS_PROC;
	case SYSFS_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case SECURITYFS_MAGIC:
	case CONFIGFS_MAGIC:
	case EFIVARFS_MAGIC:
	case PSTOREFS_MAGIC:
	case BINFMTFS_MAGIC:
	case SELINUX_MAGIC:
	case SMACK_MAGIC:
	case FUSE_CTL_SUPER_MAGIC:
	case NFSD_MAGIC:
	case RDTGROUP_SUPER_MAGIC:
		return FS_CONTROL;
	case TRACEFS_MAGIC:
	case DEBUGFS_MAGIC:
		return FS_HIDDEN;
	case BPF_FS_MAGIC:
		return FS_BPF;
	default:
		return FS_ORDINARY;
	}
}

/*
 * A procfs inode that belongs to a process (/proc/PID/..., /proc/self/...)
 * carries that process's struct pid; every other one (/proc/sys, sysrq,
 * /proc/net, ...) controls the kernel.
 */
static __always_inline struct pid *proc_pid_of(struct inode *inode)
{
	struct proc_inode *pi = (void *)inode - bpf_core_field_offset(struct proc_inode, vfs_inode);

	return BPF_CORE_READ(pi, pid);
}

/*
 * May a jailed task change this inode, on a file system with this magic
 * (write it, create or remove entries, change its attributes), or with
 * read_only, open it for reading?
 */
static __always_inline bool kernel_fs_allows_on(const struct bj_role_entry *role, struct inode *inode,
						unsigned long magic, bool read_only)
{
	bool tunables = role->flags & BJ_FLAG_KERNEL_TUNABLES;
	struct task_struct *self;
	struct pid *pid;

	switch (fs_kind_of(magic)) {
	case FS_ORDINARY:
		return true;
	case FS_BPF:
		return false;
	case FS_HIDDEN:
		return tunables;
	case FS_PROC:
		if (read_only)
			return true;
		/*
		 * Other processes' files (oom_score_adj, attr, ...) are theirs,
		 * whatever the role grants: only the caller's own process's
		 * (/proc/self) and its own thread's (/proc/thread-self). Its
		 * jail's other processes too would need the task behind a
		 * struct pid, which 6.1 cannot give a BPF LSM program.
		 */
		pid = proc_pid_of(inode);
		if (!pid)
			return tunables;
		self = bpf_get_current_task_btf();
		return pid == self->thread_pid || pid == self->group_leader->thread_pid;
	default:
		return read_only || tunables;
	}
}

/* The same for an inode read as a number (BPF_CORE_READ). */
static __always_inline bool kernel_fs_allows(const struct bj_role_entry *role, struct inode *inode,
					     bool read_only)
{
	return kernel_fs_allows_on(role, inode, BPF_CORE_READ(inode, i_sb, s_magic), read_only);
}
