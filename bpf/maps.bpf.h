/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every map and global of the jail, declared: maps.bpf.c defines each
 * once, with the layout given here (the static linker wants an extern map
 * to match its definition exactly). Sizes of the policy tables are set by
 * the bootstrap before load (1 here is a placeholder libbpf requires); the
 * tables are filled and frozen before any program is attached.
 */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "bpfjailer.h"
#include "name_hash.h"

/* Set before load; frozen with the program (read-only for everyone). */
extern const volatile __u64 hash_k0;
extern const volatile __u64 hash_k1;
extern const volatile __u32 cgroup_start; /* cgroup automaton start state, 0 = no cgroup enrollment */
/*
 * Automaton start state of the system's logging sockets (journald's, the
 * notify socket): every role may write to them without a rule of its own.
 */
extern const volatile __u32 sockets_start;
extern const volatile __u32 n_roles;      /* valid role slots are 1..n_roles */
extern const volatile __u32 n_cgroups;    /* entries of cgroup_enroll */
extern const volatile __u8 sealed;
extern const volatile __u32 pin_dev; /* s_dev of the pin root's bpffs */
/* Sealed instances: where the pins are seen from, and who may read the audit buffer. */
extern const volatile __u32 seal_mnt_ns;   /* inode number of the loader's mount namespace */
extern const volatile __u32 forwarder_dev; /* s_dev and inode of forwarder_path, 0 if none */
extern const volatile __u64 forwarder_ino;
/* s_dev and inode of launcher_path, 0 if no role is launchable: who may use BJ_PRCTL_LAUNCH. */
extern const volatile __u32 launcher_dev;
extern const volatile __u64 launcher_ino;
/* The kernel has the hook that forgets a freed directory (bj_dir_forget): dir_states may be used. */
extern const volatile __u8 dir_cache;
/* The kernel has bpf_rdonly_cast() (6.2): typed loads from kernel addresses. */
extern const volatile __u8 typed_casts;
/* Some role is enrolled by xattr: the sleepable enrollment program reads them. */
extern const volatile __u8 xattr_enrolls;
/*
 * Some role requires signed binaries; the keys it trusts: the keyring the
 * bootstrap made of signing_certificates (its serial, 0 if none) and the
 * kernel's own keyrings (BJ_KEYRING_* bits).
 */
extern const volatile __u8 signing;
extern const volatile __s32 signing_keyring;
extern const volatile __u32 signing_system;

/*
 * Zero, but in writable global data whose contents the verifier does not
 * assume: bpf_loop() callback counters that start from it are not exact
 * constants, so kernels that verify callbacks as loops (6.8 and later) see
 * their states converge instead of walking every iteration. The bootstrap
 * freezes this map, so it stays zero.
 */
extern __u32 opaque_zero;

/*
 * Set once a directory has been remembered: until then bj_dir_forget, which
 * runs for every inode freed on the system, returns at once.
 */
extern __u32 dirs_remembered;

/*
 * What a jailed task carries: its jail, and room for the components of the
 * path it is being checked against. The room lives with the task, not per
 * CPU, so that a task preempted in the middle of a check cannot have its
 * path overwritten by another.
 */
struct jail_task {
	struct bj_jail jail;
	__u32 xattr_role_id;                     /* room for reading the enrollment xattrs: */
	__u64 xattr_pod_id;                      /* bpf_dynptr_from_mem() wants map memory */
	__u32 depth;                             /* components collected */
	__u32 kind;                              /* enum bj_path_kind */
	__u32 partial;                           /* only the leaf: its directory was in dir_states */
	__u64 walk_dentry, walk_mnt;             /* where bj_walk_path() starts */
	const unsigned char *names[BJ_MAX_DEPTH]; /* leaf first */
	__u32 lens[BJ_MAX_DEPTH];
};

struct jails_map {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct jail_task);
};
extern struct jails_map jails SEC(".maps");

/*
 * The jail a socket was made in, for sockets made by jailed tasks: who
 * bound an abstract or pathname unix socket decides who may reach it
 * without a rule.
 */
struct sock_jail {
	__u32 role;
	__u32 zero;
	__u64 pod_id;
};

/*
 * What the signature check found for a file with fs-verity, kept with its
 * inode (signed.bpf.h). One word, written whole: 0 not checked yet,
 * BJ_SIG_TRUSTED, or an enum bj_sig_refusal.
 */
#define BJ_SIG_TRUSTED 0xffu

struct signatures_map {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u32);
};
extern struct signatures_map signatures SEC(".maps");

/*
 * Room for one signature check, with the task that runs it: the check may
 * sleep, and a per-CPU buffer could be overwritten by another task
 * meanwhile. Made for the check and deleted after it.
 */
struct sig_buffer {
	__u8 digest[8 + 4 + BJ_DIGEST_MAX]; /* what fs-verity signs: "FSVerity", algorithm, size, digest */
	__u8 sig[BJ_SIG_MAX];
};

struct sig_buffers_map {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sig_buffer);
};
extern struct sig_buffers_map sig_buffers SEC(".maps");

struct sock_jails_map {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sock_jail);
};
extern struct sock_jails_map sock_jails SEC(".maps");

/*
 * The jail each System V IPC object (shared memory, semaphores, message
 * queues) made by a jailed task was made in, by the address of its
 * kern_ipc_perm: added when the object is made, removed when it is freed.
 * Full, a jailed task makes no more objects.
 */
struct ipc_jails_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct sock_jail);
};
extern struct ipc_jails_map ipc_jails SEC(".maps");

struct roles_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bj_role_entry);
};
extern struct roles_map roles SEC(".maps");

struct role_names_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[BJ_ROLE_NAME_LEN]);
};
extern struct role_names_map role_names SEC(".maps");

/* What the instance was loaded from (bpfjailer.h), for --status alone. */
struct identity_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bj_identity);
};
extern struct identity_map identity SEC(".maps");

struct enrolled_files_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bj_enrolled_file);
};
extern struct enrolled_files_map enrolled_files SEC(".maps");

struct path_states_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bj_state);
};
extern struct path_states_map path_states SEC(".maps");

struct path_edges_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct bj_edge_key);
	__type(value, __u32);
};
extern struct path_edges_map path_edges SEC(".maps");

/*
 * The automaton state a directory's path reached, in the slot its inode's
 * address picks (dir_slot_of(); path.bpf.h says when a slot may be
 * trusted). A directory takes its slot over from whichever had it: an
 * array lookup is a few instructions, a hash map's a hundred.
 * bj_dir_forget empties a directory's slot when its inode is freed, before
 * the address can be reused. A slot is written under its own count (gen),
 * so a reader never takes half of one write with half of another.
 */
struct bj_dir_state {
	__u64 dir;        /* the directory's inode address; 0: an empty slot */
	__u64 seqs;       /* rename_lock and mount_lock when the path was walked (bj_path_seqs) */
	__u64 mnt;        /* the mount the directory was reached by */
	__u64 root_dentry; /* the walking task's root */
	__u64 root_mnt;
	__u32 start;      /* the automaton's start state (the role's) */
	__u32 state;      /* the state after the directory's own name */
};

struct bj_dir_slot {
	__u64 gen; /* odd while the slot is written */
	struct bj_dir_state st;
};

struct dir_states_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1u << BJ_DIR_CACHE_BITS);
	__type(key, __u32);
	__type(value, struct bj_dir_slot);
};
extern struct dir_states_map dir_states SEC(".maps");
#define BJ_SEQS_ODD 0x100000001ull /* either count of bj_path_seqs() being written */

struct port_rules_map {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1);
	__type(key, struct bj_port_key);
	__type(value, __u8);
};
extern struct port_rules_map port_rules SEC(".maps");

struct ip_rules_map {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1);
	__type(key, struct bj_ip_key);
	__type(value, __u8);
};
extern struct ip_rules_map ip_rules SEC(".maps");

struct device_rules_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct bj_device_key);
	__type(value, __u8);
};
extern struct device_rules_map device_rules SEC(".maps");

struct exec_enroll_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct bj_inode_key);
	__type(value, struct bj_enrollment);
};
extern struct exec_enroll_map exec_enroll SEC(".maps");

/*
 * The policy file the instance was loaded from, the bootstrap's own program and the launcher; the policy
 * fragments and their directories (and /etc/bpfjailer), in which no jailed task makes, removes or renames a name.
 */
struct own_files_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 3 + BJ_MAX_POLICY_FILES);
	__type(key, struct bj_inode_key);
	__type(value, __u8);
};
extern struct own_files_map own_files SEC(".maps");

struct cgroup_enroll_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bj_enrollment);
};
extern struct cgroup_enroll_map cgroup_enroll SEC(".maps");

struct xattr_enroll_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bj_enrollment);
};
extern struct xattr_enroll_map xattr_enroll SEC(".maps");

/* Roles by key for bpfjailer-run (bpfjailer.h, BJ_PRCTL_LAUNCH). */
struct launch_roles_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, char[BJ_ROLE_NAME_LEN]);
	__type(value, struct bj_enrollment);
};
extern struct launch_roles_map launch_roles SEC(".maps");

/*
 * bpfjailer's own programs, maps and links, by id (BJ_OWN, BJ_OWN_FORWARDER):
 * nobody jailed may touch them, nobody at all once sealed.
 */
struct own_objects_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512); /* programs + maps + links, with room to grow */
	__type(key, struct bj_own_key);
	__type(value, __u8);
};
extern struct own_objects_map own_objects SEC(".maps");

/*
 * The instance's inodes on pin_dev, by inode number (enum bj_pin_kind):
 * filled once the pins are in place, then frozen.
 */
struct pin_inodes_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512); /* directories + programs + maps + links, with room to grow */
	__type(key, __u64);
	__type(value, __u8);
};
extern struct pin_inodes_map pin_inodes SEC(".maps");

struct audit_events_map {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(int));
	__uint(value_size, sizeof(int));
};
extern struct audit_events_map audit_events SEC(".maps");

/*
 * Records that could not be written, per CPU: no reader attached, or its
 * buffer full. The one exact count of losses; the forwarder reports it.
 */
struct audit_lost_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};
extern struct audit_lost_map audit_lost SEC(".maps");

/* How many of audit_lost the forwarder has reported: written by it alone. */
struct audit_reported_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};
extern struct audit_reported_map audit_reported SEC(".maps");

/* Decisions per hook, per CPU: index BJ_DECISION_INDEX(hook, decision). */
struct decisions_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BJ_HOOK_COUNT * BJ_DECISION_COUNT);
	__type(key, __u32);
	__type(value, __u64);
};
extern struct decisions_map decisions SEC(".maps");

/*
 * Per-CPU room to build one audit record (too large for the stack). A
 * record is built and sent in one go; "busy" catches the rare task
 * preempted while building one, whose record is then counted as lost
 * rather than mixed with another.
 */
struct audit_buf {
	__u32 busy;
	__u32 zero;
	struct bj_audit_record rec;
	char spill[BJ_NAME_MAX + 2]; /* a component written at the end of path[] may run into here */
};

struct audit_buf_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct audit_buf);
};
extern struct audit_buf_map audit_buf SEC(".maps");
