// SPDX-License-Identifier: GPL-2.0
/*
 * The seal's own hooks, loaded only for a sealed instance (the bootstrap
 * turns them off otherwise): the pins' inodes. The seal's checks in other
 * hooks (bpf, mounts, ptrace, the ftrace switch) are with those hooks.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "kernel_defs.bpf.h"
#include "pins.bpf.h"
#include "seal.bpf.h"

/*
 * Pins: their directories take no new, removed or renamed entries (every
 * unlink, rename, link and create asks for MAY_WRITE on the directory), and
 * a pin opens (BPF_OBJ_GET asks for MAY_READ/MAY_WRITE on it) only for the
 * forwarder, and only the pins it needs; those --status reads open to
 * anyone for reading alone. The forwarder's and the
 * launcher's own files cannot be rewritten in place into something else.
 */
static __always_inline bool seal_inode_allows(struct inode *inode, int mask)
{
	__u8 kind;

	if (!(mask & (MAY_READ | MAY_WRITE)))
		return true; /* path walks: the common case */
	if ((mask & MAY_WRITE) && is_trusted_program(inode))
		return false;
	kind = pin_kind(inode);
	if ((kind & BJ_PIN_READABLE) && !(mask & MAY_WRITE))
		return true; /* --status: bj_bpf_map gives a map no writable fd either */
	kind &= ~BJ_PIN_READABLE;
	if (kind == BJ_PIN_DIR)
		return !(mask & MAY_WRITE);
	if (kind == BJ_PIN_FORWARDER)
		return runs_forwarder(bpf_get_current_task_btf());
	return kind == 0;
}

/* Every opener of every inode passes here, jailed or not. */
SEC("lsm/inode_permission")
int BPF_PROG(bj_seal_inode_permission, struct inode *inode, int mask)
{
	if (seal_inode_allows(inode, mask))
		return 0;
	return seal_refuse(ctx, BJ_HOOK_PIN, BJ_OBJ_VALUE, inode->i_ino);
}

/* The pin root itself: renaming it within its parent asks nothing of it. */
SEC("lsm/inode_rename")
int BPF_PROG(bj_seal_inode_rename, struct inode *old_dir, struct dentry *old_dentry, struct inode *new_dir,
	     struct dentry *new_dentry)
{
	struct inode *moved = BPF_CORE_READ(old_dentry, d_inode);

	if (!pin_kind(moved))
		return 0;
	return seal_refuse(ctx, BJ_HOOK_PIN, BJ_OBJ_VALUE, BPF_CORE_READ(moved, i_ino));
}
