/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The global functions of file_xattrs.bpf.c, which alone calls the kernel
 * functions that read xattrs and check signatures. Sleepable programs
 * only, on Linux 6.8 and later: the bootstrap loads their callers nowhere
 * else.
 */
#pragma once

#include "vmlinux.h"

#include "maps.bpf.h"

/* A global function's pointer argument the caller vouches for as a hook's own (Linux 6.8). */
#ifndef __arg_trusted
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#endif

/*
 * Read both enrollment xattrs of file into the calling task's jail_task,
 * which the caller made; the role_id's size, or -errno.
 */
extern int bj_read_enroll_xattrs(struct file *file __arg_trusted);

/*
 * Check file's signature now and keep the answer with its inode, for the
 * hooks that run and map it (signed.bpf.h).
 */
extern int bj_sig_remember(struct file *file __arg_trusted);
