/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seal: once a sealed instance is in place, nobody (root included,
 * jailed or not) may remove or replace it before reboot. The hooks call
 * their seal checks behind the read-only "sealed", so an unsealed instance
 * pays nothing for them: the verifier drops the dead branches. What
 * several areas' hooks share is here: the refusal, and who the forwarder
 * and the launcher are.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "audit.bpf.h"
#include "kernel_defs.bpf.h"
#include "maps.bpf.h"

/* Refuse a tampering attempt: always counted, always recorded. */
static __always_inline int seal_refuse(void *ctx, __u16 hook, __u8 object, __u64 value)
{
	struct bj_audit_record *rec;

	count_decision(hook, BJ_DENY);
	rec = audit_begin(NULL, NULL, hook, BJ_DENY, 0);
	if (rec) {
		rec->object = object;
		rec->value = value;
		audit_send(ctx, rec);
	}
	return -EPERM;
}

/* Is this forwarder_path's file (by device and inode, not by name)? */
static __always_inline bool is_forwarder_file(struct inode *inode)
{
	return forwarder_ino && BPF_CORE_READ(inode, i_ino) == forwarder_ino &&
	       BPF_CORE_READ(inode, i_sb, s_dev) == forwarder_dev;
}

/*
 * Is this the forwarder's or the launcher's file? The kernel trusts each by
 * its inode, so what it holds must stay what it was. Each number is read
 * once: the seal asks this of every inode opened for writing.
 */
static __always_inline bool is_trusted_program(struct inode *inode)
{
	__u64 ino;
	__u32 dev;

	if (!forwarder_ino && !launcher_ino)
		return false;
	ino = BPF_CORE_READ(inode, i_ino);
	dev = BPF_CORE_READ(inode, i_sb, s_dev);
	return (forwarder_ino && ino == forwarder_ino && dev == forwarder_dev) ||
	       (launcher_ino && ino == launcher_ino && dev == launcher_dev);
}

/* Read as numbers: a kernel thread has no mm. */
static __always_inline bool runs_forwarder(struct task_struct *task)
{
	return is_forwarder_file(BPF_CORE_READ(task, mm, exe_file, f_inode));
}

/* Is this launcher_path's file? bpfjailer-run is known the same way. */
static __always_inline bool is_launcher_file(struct inode *inode)
{
	return launcher_ino && BPF_CORE_READ(inode, i_ino) == launcher_ino &&
	       BPF_CORE_READ(inode, i_sb, s_dev) == launcher_dev;
}

static __always_inline bool runs_launcher(struct task_struct *task)
{
	return is_launcher_file(BPF_CORE_READ(task, mm, exe_file, f_inode));
}
