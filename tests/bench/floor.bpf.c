// SPDX-License-Identifier: GPL-2.0
/*
 * The floor: an empty BPF LSM program on every hook that bpfjailer attaches
 * for an unsealed instance without xattr enrollment (the programs of bpf/
 * less the two seal-only ones and the sleepable exec enrollment), on
 * the kernels that have the hook. What any BPF LSM jail on these hooks pays
 * before it decides anything: the trampoline, and the call. Keep this list
 * in step with bpfjailer's.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define FLOOR(hook)                    \
	SEC("lsm/" #hook)              \
	int BPF_PROG(floor_##hook)     \
	{                              \
		return 0;              \
	}

FLOOR(task_alloc)
FLOOR(bprm_creds_for_exec)
FLOOR(bprm_committed_creds)
FLOOR(bprm_check_security)
FLOOR(bprm_creds_from_file)
FLOOR(file_open)
FLOOR(mmap_file)
FLOOR(file_mprotect)
FLOOR(path_unlink)
FLOOR(path_rmdir)
FLOOR(path_mkdir)
FLOOR(path_mknod)
FLOOR(path_symlink)
FLOOR(path_truncate)
FLOOR(path_chmod)
FLOOR(path_chown)
FLOOR(path_link)
FLOOR(path_rename)
FLOOR(unix_stream_connect)
FLOOR(unix_may_send)
FLOOR(socket_create)
FLOOR(socket_bind)
FLOOR(socket_connect)
FLOOR(socket_sendmsg)
FLOOR(socket_listen)
FLOOR(ptrace_access_check)
FLOOR(ptrace_traceme)
FLOOR(task_fix_setuid)
FLOOR(task_fix_setgid)
FLOOR(capable)
FLOOR(kernel_module_request)
FLOOR(kernel_load_data)
FLOOR(kernel_read_file)
FLOOR(bpf)
FLOOR(bpf_map)
FLOOR(bpf_prog)
FLOOR(sb_pivotroot)
FLOOR(path_chroot)
FLOOR(userns_create)
FLOOR(sb_mount)
FLOOR(move_mount)
FLOOR(sb_umount)
FLOOR(task_kill)
FLOOR(task_setnice)
FLOOR(task_setioprio)
FLOOR(task_setscheduler)
FLOOR(task_setrlimit)
FLOOR(task_movememory)
FLOOR(task_prlimit)
FLOOR(task_fix_setgroups)
FLOOR(syslog)
FLOOR(perf_event_open)
FLOOR(socket_post_create)
FLOOR(inode_setxattr)
FLOOR(inode_removexattr)
FLOOR(inode_setattr)
FLOOR(inode_free_security)
FLOOR(path_notify)
FLOOR(file_ioctl)
FLOOR(file_ioctl_compat)
FLOOR(file_fcntl)
FLOOR(key_alloc)
FLOOR(inode_set_acl)
FLOOR(inode_remove_acl)
FLOOR(inode_create)
FLOOR(inode_unlink)
FLOOR(shm_alloc_security)
FLOOR(shm_free_security)
FLOOR(shm_associate)
FLOOR(sem_alloc_security)
FLOOR(sem_free_security)
FLOOR(sem_associate)
FLOOR(msg_queue_alloc_security)
FLOOR(msg_queue_free_security)
FLOOR(msg_queue_associate)
FLOOR(ipc_permission)
FLOOR(shm_shmctl)
FLOOR(sem_semctl)
FLOOR(msg_queue_msgctl)

/* "No opinion" on task_prctl is -ENOSYS: a 0 would answer every prctl() unrun. */
SEC("lsm/task_prctl")
int BPF_PROG(floor_task_prctl)
{
	return -38;
}
