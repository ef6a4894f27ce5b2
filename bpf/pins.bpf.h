/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inodes the jail stands on, by device and inode number: bpfjailer's own
 * pins (pin_inodes), and the keys of exec_enroll and own_files.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "maps.bpf.h"

/* What this inode is to the instance: enum bj_pin_kind, or 0. */
static __always_inline __u8 pin_kind(struct inode *inode)
{
	__u64 ino;
	__u8 *kind;

	if (BPF_CORE_READ(inode, i_sb, s_dev) != pin_dev)
		return 0;
	ino = BPF_CORE_READ(inode, i_ino);
	kind = bpf_map_lookup_elem(&pin_inodes, &ino);
	return kind ? *kind : 0;
}

static __always_inline struct bj_inode_key inode_key(struct inode *inode)
{
	struct bj_inode_key key = {
		.dev = BPF_CORE_READ(inode, i_sb, s_dev),
		.ino = BPF_CORE_READ(inode, i_ino),
	};

	return key;
}
