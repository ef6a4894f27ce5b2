/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exact contents of the kernel's tables, as the compiler fills them:
 * the types compile.c, automaton.c and net_tables.c share, and the limits
 * that keep every table, and every walk in the kernel, bounded.
 */
#pragma once

#include <stddef.h>

#include "bpfjailer.h"

#define BJ_MAX_STATES (1u << 20)
#define BJ_MAX_PORT_ENTRIES (1u << 20)

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

/* A role as bpfjailer-run names it (map launch_roles, bpfjailer.h). */
struct bj_launch_entry {
	char key[BJ_ROLE_NAME_LEN]; /* the role's key, zero-padded */
	struct bj_enrollment value; /* pod_id: the launch enrollment's, 0 for none */
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

	/* Every role when one is launchable, none otherwise (each role's BJ_FLAG_LAUNCHABLE says which). */
	struct bj_launch_entry *launches;
	size_t n_launches;
	struct bj_inode_key launcher; /* launcher_path's file; 0/0: no role is launchable, or it is missing */
};

void tables_free(struct bj_tables *tables);
