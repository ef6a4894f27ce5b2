/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by the BPF programs and user space: the layout of every map
 * the bootstrap fills and the kernel reads. Changing anything here changes
 * both sides at once, which is the point of keeping it in one header.
 */
#pragma once

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Role flags, with the bit values of the seed project's policy format. */
#define BJ_FLAG_FILE        0x01u /* allow_file_access */
#define BJ_FLAG_NETWORK     0x02u /* allow_network */
#define BJ_FLAG_EXEC        0x04u /* allow_exec */
#define BJ_FLAG_SIGNED      0x08u /* require_signed_binary (rejected until built) */
#define BJ_FLAG_SETUID      0x10u /* allow_setuid */
#define BJ_FLAG_PTRACE      0x20u /* allow_ptrace */
#define BJ_FLAG_MODULE_LOAD 0x40u /* allow_module_load */
#define BJ_FLAG_BPF_LOAD    0x80u /* allow_bpf_load */

/*
 * Rights a path decision covers. READ, WRITE and MAP_EXEC come from the
 * "access" letters r, w, x of file rules; RUN (execve of that file) comes
 * from execution_rules. One automaton walk answers all four.
 */
#define BJ_RIGHT_READ     0x01u
#define BJ_RIGHT_WRITE    0x02u
#define BJ_RIGHT_MAP_EXEC 0x04u
#define BJ_RIGHT_RUN      0x08u
#define BJ_RIGHTS_FILE    (BJ_RIGHT_READ | BJ_RIGHT_WRITE | BJ_RIGHT_MAP_EXEC)

enum bj_mode {
	BJ_MODE_ENFORCE  = 0,
	BJ_MODE_COMPLAIN = 1, /* log what would be denied, deny nothing */
};

enum bj_audit {
	BJ_AUDIT_DENY = 0, /* records for denials (and complain-mode would-denials) */
	BJ_AUDIT_ALL  = 1, /* and for every allowed decision as well */
	BJ_AUDIT_NONE = 2,
};

/* Network rule directions, a bit each so "both" is one rule. */
#define BJ_DIR_BIND    0x01u
#define BJ_DIR_CONNECT 0x02u

/* Protocol numbers as the seed wrote them (IPPROTO_TCP, IPPROTO_UDP). */
#define BJ_PROTO_TCP 6
#define BJ_PROTO_UDP 17

/*
 * Path automaton. File rules of every role (and cgroup enrollment paths) are
 * compiled in user space into one deterministic automaton over path
 * components: the kernel hashes each component of a path, from the root
 * down, and follows one edge per component. Cost per component is one hash
 * lookup, whatever the number of rules. State 0 is "no rule can match".
 *
 * map "path_edges": BPF_MAP_TYPE_HASH, key bj_edge_key, value __u32 (state)
 * map "path_states": BPF_MAP_TYPE_ARRAY, value bj_state
 */
struct bj_edge_key {
	__u32 state;
	__u32 zero;  /* padding, always 0 so the key has no holes */
	__u64 hash;  /* bj_name_hash() of one path component */
};

struct bj_state {
	__u32 other;   /* next state for a component that no edge names */
	__u32 verdict; /* file automata: BJ_VERDICT(); cgroup automaton: enrollment index + 1 */
	__u32 final;   /* 1 if no rule can match below: the walk may stop */
	__u32 zero;
};

/* A file verdict: which rights the best rules seen so far decide, and how. */
#define BJ_VERDICT(allow, decided) (((decided) << 8) | (allow))
#define BJ_VERDICT_ALLOW(v)        ((v) & 0xffu)
#define BJ_VERDICT_DECIDED(v)      (((v) >> 8) & 0xffu)

/*
 * map "roles": BPF_MAP_TYPE_ARRAY indexed by role slot (1..n; 0 is unused so
 * that a zeroed jail is never a valid role).
 */
struct bj_role {
	__u32 id;         /* the policy's role id, for audit records */
	__u32 flags;      /* BJ_FLAG_* */
	__u32 path_start; /* automaton start state for this role, 0 = no file rules */
	__u8  mode;       /* enum bj_mode */
	__u8  audit;      /* enum bj_audit */
	__u8  has_ports;  /* port rules exist: look them up before the flag */
	__u8  has_ips;    /* ip rules exist */
};

/*
 * Port rules: BPF_MAP_TYPE_LPM_TRIE. Each role's rules are resolved in user
 * space into disjoint port intervals (most specific rule wins, deny wins
 * ties, wildcard and flag already applied), each interval split into at most
 * 30 prefixes: a range of any size costs bounded memory and one lookup.
 */
struct bj_port_key {
	__u32 prefixlen; /* 48 fixed bits (role, proto, dir) + port bits */
	__u32 role;      /* role slot, big endian: trie keys compare bytewise */
	__u8  proto;
	__u8  dir;       /* BJ_DIR_BIND or BJ_DIR_CONNECT, one at a time */
	__u16 port;      /* big endian */
};

/*
 * IP rules: BPF_MAP_TYPE_LPM_TRIE over IPv6 addresses; IPv4 is stored and
 * looked up as IPv4-mapped IPv6 (::ffff:a.b.c.d), so both spellings of an
 * IPv4 destination meet the same rule. Value: __u8, 1 allow, 0 deny.
 */
struct bj_ip_key {
	__u32 prefixlen; /* 32 fixed bits (role) + address prefix */
	__u32 role;      /* role slot, big endian */
	__u8  addr[16];
};

/* Value of the port trie: one of these. */
#define BJ_NET_DENY  0
#define BJ_NET_ALLOW 1

/*
 * Exec enrollment, map "exec_enroll": BPF_MAP_TYPE_HASH keyed by the
 * executable's device (kernel dev_t encoding, as in super_block.s_dev) and
 * inode number.
 */
struct bj_inode_key {
	__u64 dev;
	__u64 ino;
};

struct bj_enrollment {
	__u32 role;   /* role slot */
	__u32 zero;
	__u64 pod_id;
};

/* Per-task jail state (BPF_MAP_TYPE_TASK_STORAGE "jails"). */
struct bj_jail {
	__u32 role;   /* role slot, never 0 once jailed */
	__u32 zero;
	__u64 pod_id;
};
