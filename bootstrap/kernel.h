/* SPDX-License-Identifier: GPL-2.0 */
/* Does the running kernel have what the jail needs? */
#pragma once

#include "policy.h"

/* Exit codes of the contract. */
enum {
	BJ_EXIT_OK = 0,
	BJ_EXIT_USAGE = 1,      /* bad usage or invalid policy */
	BJ_EXIT_KERNEL = 2,     /* the kernel (or the host's cgroup v2 mount) lacks a requirement */
	BJ_EXIT_LOADED = 3,     /* an instance is already loaded there */
	BJ_EXIT_LOAD_FAILED = 4,
	BJ_EXIT_UNLOAD_TIMEOUT = 5, /* --unload: the programs did not go within UNLOAD_WAIT_SECONDS */
};

/* What the running kernel's BTF offers; needs no privilege. */
void kernel_caps_probe(struct bj_kernel_caps *caps);

/*
 * Check, in order: BTF, BPF LSM active (mounting securityfs if needed), BPF
 * LSM programs accepted, and the pin root on a bpffs (mounting bpffs on
 * /sys/fs/bpf if the pin root is there and nothing is mounted). Returns
 * BJ_EXIT_OK, or prints what is missing and how to fix it and returns
 * BJ_EXIT_KERNEL (or BJ_EXIT_LOAD_FAILED without privileges).
 */
int kernel_check(const char *pin_root);
