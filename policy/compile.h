/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy compiled into the exact contents of the kernel's tables. Sizes
 * are known here, before anything is loaded, so every map is created with
 * the size it needs and filled completely before a program is attached.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "bpfjailer.h"
#include "policy.h"

struct bj_edge {
	struct bj_edge_key key;
	__u32 next;
};

struct bj_port_entry {
	struct bj_port_key key;
	__u8 verdict; /* BJ_NET_ALLOW or BJ_NET_DENY */
};

struct bj_ip_entry {
	struct bj_ip_key key;
	__u8 verdict;
};

struct bj_exec_entry {
	struct bj_inode_key key;
	struct bj_enrollment value;
};

/* A device_rules entry: a role may open that device (any minor: BJ_DEV_ANY_MINOR) so. */
struct bj_device_entry {
	struct bj_device_key key;
	__u8 rights; /* BJ_RIGHT_READ | BJ_RIGHT_WRITE */
};

/* xattr enrollment: the role id an executable may ask for, and what it gets. */
struct bj_xattr_entry {
	__u32 role_id;
	struct bj_enrollment value; /* pod_id 0: take the pod from the executable's xattr */
};

struct bj_tables {
	__u64 hash_key[2];          /* bj_name_hash() key the edges were hashed with */

	struct bj_role_entry *roles; /* roles[0] is the unused slot 0 */
	size_t n_roles;             /* policy roles + 1 */

	struct bj_state *states;    /* states[0] is the dead state */
	size_t n_states;
	struct bj_edge *edges;
	size_t n_edges;

	struct bj_port_entry *ports;
	size_t n_ports;
	struct bj_ip_entry *ips;
	size_t n_ips;

	struct bj_device_entry *devices; /* each role's "devices", then the built-in ones it did not list */
	size_t n_devices;

	struct bj_exec_entry *execs;
	size_t n_execs;

	__u32 cgroup_start;         /* automaton state for the cgroup root, 0 = none */
	__u32 sockets_start;        /* automaton of the logging sockets every role may write to */
	struct bj_enrollment *cgroups; /* indexed by the cgroup automaton's verdict - 1 */
	size_t n_cgroups;

	struct bj_xattr_entry *xattrs;
	size_t n_xattrs;

	struct bj_inode_key forwarder; /* forwarder_path's file, 0/0 when none */
};

struct bj_compile_opts {
	__u64 hash_key[2];
	/* stat() exec enrollment paths; off when only the shape matters (fuzzer). */
	bool resolve_paths;
	/*
	 * Each cgroup enrollment's path below the cgroup v2 root, as the host's
	 * mounts place it (the bootstrap's resolve step); NULL, or a NULL entry:
	 * the cgroup_path below /sys/fs/cgroup.
	 */
	char *const *cgroup_paths;
};

/* super_block.s_dev as the kernel encodes it (MINORBITS = 20), from a user dev_t. */
__u64 kernel_dev(dev_t dev);

/* Limits that keep every table, and every walk in the kernel, bounded. */
#define BJ_MAX_STATES (1u << 20)
#define BJ_MAX_PORT_ENTRIES (1u << 20)

/*
 * Compile a validated policy. Returns 0 and sets *out (free with
 * tables_free()), or -1 with errors in diags.
 */
int policy_compile(const struct bj_policy *policy, const struct bj_compile_opts *opts,
		   struct bj_tables **out, struct bj_diags *diags);

void tables_free(struct bj_tables *tables);
