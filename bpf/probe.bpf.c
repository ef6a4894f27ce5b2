// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest BPF LSM program there is. The bootstrap loads it (and never
 * attaches it) to learn whether this kernel accepts BPF LSM programs at all:
 * some kernels list "bpf" among their LSMs yet refuse every such program.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("lsm/file_open")
int BPF_PROG(bj_probe, struct file *file)
{
	return 0;
}
