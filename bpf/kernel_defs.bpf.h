/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel constants that vmlinux.h cannot carry: BTF holds types and enums,
 * not #defines. Each is stable ABI or a long-standing kernel value; the
 * file that defines it is named beside it. Enum constants (in.h's IPPROTO_*,
 * SOCK_RAW, PIDTYPE_SID, LOADING_*, READING_*) come from vmlinux.h.
 */
#pragma once

#include "vmlinux.h"

/* include/uapi/asm-generic/errno-base.h, errno.h */
#define EPERM       1
#define ENOENT      2
#define ENOMEM      12
#define EACCES      13
#define ERANGE      34
#define ENOSYS      38
#define ENODATA     61
#define EALREADY    114
#define EINPROGRESS 115
#define ENOKEY      126

/* include/linux/fs.h: file->f_mode, inode_permission() masks, iattr->ia_valid */
#define FMODE_READ     0x1
#define FMODE_WRITE    0x2
#define FMODE_EXEC     0x20
#define MAY_WRITE      0x2
#define MAY_READ       0x4
#define ATTR_ATIME_SET (1 << 7)
#define ATTR_MTIME_SET (1 << 8)
#define ATTR_TOUCH     (1 << 17)
#define SB_KERNMOUNT   (1 << 22) /* super_block->s_flags */
#define S_VERITY       (1 << 16) /* inode->i_flags: fs-verity is enabled */

/* include/uapi/linux/stat.h */
#define S_IFMT  00170000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFBLK 0060000

/* include/linux/kdev_t.h: dev_t is 12 bits of major above 20 of minor */
#define MINORBITS 20

/* include/uapi/linux/major.h, include/linux/tty_driver.h's UNIX98 ptys */
#define UNIX98_PTY_SLAVE_MAJOR 136
#define UNIX98_PTY_MAJOR_COUNT 8

/* include/uapi/linux/fs.h: renameat2() flags; inode flag ioctls */
#define RENAME_EXCHANGE   (1 << 1)
#define FS_IOC_SETFLAGS   0x40086602
#define FS_IOC32_SETFLAGS 0x40046602
#define FS_IOC_FSSETXATTR 0x401c5820

/* include/uapi/asm-generic/ioctls.h, sockios.h */
#define TIOCSTI   0x5412
#define TIOCLINUX 0x541c
#define FIOSETOWN 0x8901
#define SIOCSPGRP 0x8902

/* include/uapi/asm-generic/fcntl.h */
#define F_SETOWN     8
#define F_SETOWN_EX  15
#define F_OWNER_PID  1
#define F_OWNER_PGRP 2

/* include/uapi/asm-generic/mman-common.h */
#define PROT_EXEC 0x4

/* include/linux/mount.h: umount2() flags, vfsmount->mnt_flags */
#define MNT_DETACH 0x2
#define MNT_SHARED 0x1000 /* has peers that see its mounts and unmounts */
/*
 * Newer kernels (Debian unstable's 7.2) keep "shared" in struct mount's
 * own mnt_t_flags (T_SHARED) and no longer in mnt_flags. A flavor of struct
 * mount that names the field, whatever the vmlinux.h built against.
 */
#define MNT_T_SHARED 0x1
struct mount___t_flags {
	int mnt_t_flags;
} __attribute__((preserve_access_index));

/* include/linux/ptrace.h: ptrace_access_check()'s mode */
#define PTRACE_MODE_ATTACH  0x02
#define PTRACE_MODE_NOAUDIT 0x04

/* include/uapi/linux/prctl.h */
#define PR_SET_MM 35

/* include/uapi/linux/capability.h; include/linux/security.h's capable() opts */
#define CAP_SYSLOG      34
#define CAP_PERFMON     38
#define CAP_OPT_NOAUDIT (1 << 1)

/* include/linux/perf_event.h: perf_event_open()'s access type */
#define PERF_SECURITY_OPEN 0

/* include/linux/socket.h; include/linux/ipv6.h; include/uapi/linux/in6.h */
#define AF_UNSPEC        0
#define AF_UNIX          1
#define AF_INET          2
#define AF_INET6         10
#define AF_NETLINK       16
#define AF_PACKET        17
#define SIN6_LEN_RFC2133 24
#define IPPROTO_ICMPV6   58 /* a #define, unlike in.h's enum of the other IPPROTO_* */

/* include/uapi/linux/magic.h: super_block->s_magic */
#define PROC_SUPER_MAGIC     0x9fa0
#define SYSFS_MAGIC          0x62656572
#define CGROUP_SUPER_MAGIC   0x27e0eb
#define CGROUP2_SUPER_MAGIC  0x63677270
#define TRACEFS_MAGIC        0x74726163
#define DEBUGFS_MAGIC        0x64626720
#define SECURITYFS_MAGIC     0x73636673
#define CONFIGFS_MAGIC       0x62656570
#define EFIVARFS_MAGIC       0xde5e81e4
#define PSTOREFS_MAGIC       0x6165676c
#define BPF_FS_MAGIC         0xcafe4a11
#define BINFMTFS_MAGIC       0x42494e4d
#define SELINUX_MAGIC        0xf97cff8c
#define SMACK_MAGIC          0x43415d53
#define FUSE_CTL_SUPER_MAGIC 0x65735543
#define NFSD_MAGIC           0x6e667364
#define RDTGROUP_SUPER_MAGIC 0x7655821
#define MQUEUE_MAGIC         0x19800202
#define DEVPTS_SUPER_MAGIC   0x1cd1
#define EXT4_SUPER_MAGIC     0xef53
#define XFS_SUPER_MAGIC      0x58465342
#define BTRFS_SUPER_MAGIC    0x9123683e
#define TMPFS_MAGIC          0x01021994
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
