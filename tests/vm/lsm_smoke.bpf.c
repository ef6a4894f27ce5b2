// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest BPF LSM program that denies something: opening one file (by
 * device and inode) from one process (by tgid) fails with EPERM. It proves
 * that a kernel loads, attaches and enforces BPF LSM programs; lsm_smoke.c
 * sets the target and checks the effect.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EPERM 1

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load; 0 never matches (pid 0 opens no files). */
const volatile __u32 target_tgid;
const volatile __u64 target_ino;
const volatile __u32 target_dev;	/* kernel encoding: major << 20 | minor */

/* How many opens were denied, for the loader to check. */
__u64 denied;

SEC("lsm/file_open")
int BPF_PROG(smoke_file_open, struct file *file, int ret)
{
	struct inode *inode;

	/* An earlier BPF LSM program already decided: keep its answer. */
	if (ret)
		return ret;
	/* Not the target: allow, before touching anything else. */
	if (bpf_get_current_pid_tgid() >> 32 != target_tgid)
		return 0;
	inode = file->f_inode;
	if (inode->i_ino != target_ino || inode->i_sb->s_dev != target_dev)
		return 0;
	__sync_fetch_and_add(&denied, 1);
	return -EPERM;
}
