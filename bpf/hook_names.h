/* SPDX-License-Identifier: GPL-2.0 */
/* Names of enum bj_hook and enum bj_decision for people (user space only). */
#pragma once

#include "bpfjailer.h"

static const char *const bj_hook_names[BJ_HOOK_COUNT] = {
	[BJ_HOOK_FILE_OPEN] = "open",
	[BJ_HOOK_MMAP] = "mmap",
	[BJ_HOOK_MPROTECT] = "mprotect",
	[BJ_HOOK_EXEC] = "exec",
	[BJ_HOOK_EXEC_SETID] = "exec-setid",
	[BJ_HOOK_UNLINK] = "unlink",
	[BJ_HOOK_RMDIR] = "rmdir",
	[BJ_HOOK_MKDIR] = "mkdir",
	[BJ_HOOK_MKNOD] = "create",
	[BJ_HOOK_SYMLINK] = "symlink",
	[BJ_HOOK_LINK] = "link",
	[BJ_HOOK_RENAME] = "rename",
	[BJ_HOOK_TRUNCATE] = "truncate",
	[BJ_HOOK_CHMOD] = "chmod",
	[BJ_HOOK_CHOWN] = "chown",
	[BJ_HOOK_UNIX_CONNECT] = "unix-connect",
	[BJ_HOOK_UNIX_SEND] = "unix-send",
	[BJ_HOOK_SOCKET_CREATE] = "socket",
	[BJ_HOOK_BIND] = "bind",
	[BJ_HOOK_CONNECT] = "connect",
	[BJ_HOOK_SENDMSG] = "sendmsg",
	[BJ_HOOK_LISTEN] = "listen",
	[BJ_HOOK_PTRACE] = "ptrace",
	[BJ_HOOK_TRACEME] = "traceme",
	[BJ_HOOK_SETUID] = "setuid",
	[BJ_HOOK_SETGID] = "setgid",
	[BJ_HOOK_MODULE] = "module-load",
	[BJ_HOOK_KERNEL_READ] = "kernel-read-file",
	[BJ_HOOK_BPF] = "bpf",
	[BJ_HOOK_MOUNT] = "mount",
	[BJ_HOOK_UMOUNT] = "umount",
	[BJ_HOOK_PIVOT_ROOT] = "pivot_root",
	[BJ_HOOK_CHROOT] = "chroot",
	[BJ_HOOK_USERNS] = "userns",
	[BJ_HOOK_ENROLL] = "enroll",
	[BJ_HOOK_XATTR_ENROLL] = "xattr-enroll",
	[BJ_HOOK_CAPABLE] = "capable",
	[BJ_HOOK_PIN] = "pin",
	[BJ_HOOK_KILL] = "kill",
	[BJ_HOOK_TASK] = "task",
	[BJ_HOOK_IOCTL] = "ioctl",
	[BJ_HOOK_XATTR] = "xattr",
	[BJ_HOOK_SETATTR] = "setattr",
	[BJ_HOOK_NOTIFY] = "watch",
	[BJ_HOOK_SYSLOG] = "syslog",
	[BJ_HOOK_PERF] = "perf_event_open",
	[BJ_HOOK_LAUNCH] = "launch",
	[BJ_HOOK_SIGNATURE] = "signature",
};

static const char *const bj_launch_refusal_names[BJ_LAUNCH_REFUSAL_COUNT] = {
	[BJ_LAUNCH_NOT_LAUNCHER] = "not the launcher",
	[BJ_LAUNCH_JAILED] = "caller jailed",
	[BJ_LAUNCH_UNKNOWN_ROLE] = "unknown role",
	[BJ_LAUNCH_NOT_LAUNCHABLE] = "role not launchable",
	[BJ_LAUNCH_BAD_POD] = "pod 0",
};

static const char *const bj_sig_refusal_names[BJ_SIG_REFUSAL_COUNT] = {
	[BJ_SIG_NO_VERITY] = "no fs-verity",
	[BJ_SIG_NO_SIGNATURE] = "no signature",
	[BJ_SIG_BAD] = "bad signature",
	[BJ_SIG_UNTRUSTED] = "untrusted signer",
	[BJ_SIG_UNCHECKED] = "not checked",
};

static const char *const bj_decision_names[] = {
	[BJ_DENY] = "denied",
	[BJ_ALLOW] = "allowed",
	[BJ_WOULD_DENY] = "would deny",
};

static inline const char *bj_hook_name(unsigned int hook)
{
	return hook < BJ_HOOK_COUNT && bj_hook_names[hook] ? bj_hook_names[hook] : "unknown";
}
