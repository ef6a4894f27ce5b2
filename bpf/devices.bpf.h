/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device nodes. A node is a name for a device anybody with write access to
 * a directory can make (mknod, or a hard link to one), so opening one is a
 * decision on the device it names (type, major, minor) as well as on its
 * path; creating one is never allowed.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "maps.bpf.h"

#define S_IFMT  00170000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFBLK 0060000

#define MINORBITS 20 /* the kernel's dev_t: 12 bits of major above 20 of minor */

/* Set beside the rights of a listed device: an ioctl-only open needs the device listed. */
#define DEVICE_LISTED 0x80u

static __always_inline __u32 device_type(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFCHR:
		return BJ_DEV_CHAR;
	case S_IFBLK:
		return BJ_DEV_BLOCK;
	default:
		return 0;
	}
}

#define UNIX98_PTY_SLAVE_MAJOR 136
#define UNIX98_PTY_MAJOR_COUNT 8
#define PIDTYPE_SID            3
#define DEVPTS_SUPER_MAGIC     0x1cd1

/*
 * Is this pseudo terminal another session's (an administrator's shell)?
 * Reading one takes the keys typed there. A terminal of the caller's own
 * session, or of none yet (the one a server has just made with ptmx, before
 * its child makes it a controlling terminal), stays open to it. devpts
 * keeps the terminal's tty in the node's dentry; a node for it anywhere
 * else has none to tell, and is refused.
 */
static __always_inline bool foreign_terminal(struct dentry *d, dev_t rdev)
{
	__u32 major = rdev >> MINORBITS;
	struct tty_struct *tty;
	struct pid *session;

	if (major < UNIX98_PTY_SLAVE_MAJOR || major >= UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT)
		return false;
	if (BPF_CORE_READ(d, d_sb, s_magic) != DEVPTS_SUPER_MAGIC)
		return true;
	tty = BPF_CORE_READ(d, d_fsdata);
	session = BPF_CORE_READ(tty, ctrl.session);
	return session && session != BPF_CORE_READ(bpf_get_current_task_btf(), signal, pids[PIDTYPE_SID]);
}

/* Rights (BJ_RIGHT_READ | BJ_RIGHT_WRITE) the role has on device `type` rdev; 0 for none. */
static __always_inline __u32 device_rights(__u32 slot, __u32 type, dev_t rdev)
{
	struct bj_device_key key = {
		.role = slot,
		.type = type,
		.major = rdev >> MINORBITS,
		.minor = rdev & ((1u << MINORBITS) - 1),
	};
	__u8 *rights = bpf_map_lookup_elem(&device_rules, &key);

	if (!rights) {
		key.minor = BJ_DEV_ANY_MINOR;
		rights = bpf_map_lookup_elem(&device_rules, &key);
	}
	return rights ? *rights | DEVICE_LISTED : 0;
}
