/* SPDX-License-Identifier: GPL-2.0 */
/* Does the running kernel have what the jail needs? */
#pragma once

#include "bpfjailer.h" /* the exit codes */
#include "resolve_host.h"

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
