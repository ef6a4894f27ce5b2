/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the BPF programs, the bootstrap and the forwarder:
 * where an instance is pinned and under which names, the layout of every
 * map the bootstrap fills and the kernel reads, the limits both sides
 * count on, and the programs' exit codes. Changing anything here changes
 * every side at once, which is the point of keeping it in one header.
 * Everything here also compiles as BPF (clang -target bpf): no libc.
 */
#pragma once

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/*
 * The pin layout: PIN_ROOT/{progs,maps,links}/NAME on a bpffs. Programs
 * and links are pinned under their program's name, maps under their own
 * (the names of the maps in maps.bpf.h), except the read-only globals,
 * pinned as BJ_MAP_CONFIG.
 */
#define BJ_BPFFS_MOUNT      "/sys/fs/bpf"
#define BJ_PIN_ROOT_DEFAULT BJ_BPFFS_MOUNT "/bpfjailer"
#define BJ_PINS_PROGS       "progs"
#define BJ_PINS_MAPS        "maps"
#define BJ_PINS_LINKS       "links"

/* Pin names of the maps user space opens by name. */
#define BJ_MAP_CONFIG         "config" /* the read-only globals (.rodata) */
#define BJ_MAP_ROLES          "roles"
#define BJ_MAP_ROLE_NAMES     "role_names"
#define BJ_MAP_PATH_EDGES     "path_edges"
#define BJ_MAP_EXEC_ENROLL    "exec_enroll"
#define BJ_MAP_XATTR_ENROLL   "xattr_enroll"
#define BJ_MAP_DECISIONS      "decisions"
#define BJ_MAP_AUDIT_EVENTS   "audit_events"
#define BJ_MAP_AUDIT_LOST     "audit_lost"
#define BJ_MAP_AUDIT_REPORTED "audit_reported"
#define BJ_MAP_IDENTITY       "identity"
#define BJ_MAP_ENROLLED_FILES "enrolled_files"

/*
 * What an instance may hold: the bootstrap refuses to attach more than
 * BJ_MAX_PROGS programs, so its pins (four directories, the maps, and a
 * program and a link per program) stay below BJ_MAX_PINS.
 */
#define BJ_MAX_PROGS 96
#define BJ_MAX_PINS  256

/*
 * Map "own_files" holds the policy, the bootstrap and the launcher, and
 * at most this many policy fragments, masks and fragment directories
 * (with /etc/bpfjailer itself when the system's policy is loaded).
 */
#define BJ_MAX_POLICY_FILES 256

/*
 * Where cgroup v2 is mounted on a unified host: a cgroup_path is taken
 * below it when the host's own mount table is not read (--check).
 */
#define BJ_CGROUP_ROOT "/sys/fs/cgroup"

/*
 * kernel.ftrace_enabled: 0 turns off the trampolines BPF LSM programs run
 * from, so they would attach and never run.
 */
#define BJ_FTRACE_SWITCH "/proc/sys/kernel/ftrace_enabled"

/* Role flags, with the bit values of the original BpfJailer's policy format. */
#define BJ_FLAG_FILE        0x01u /* allow_file_access */
#define BJ_FLAG_NETWORK     0x02u /* allow_network */
#define BJ_FLAG_EXEC        0x04u /* allow_exec */
#define BJ_FLAG_SIGNED      0x08u /* require_signed_binary: fs-verity signatures by a trusted key */
#define BJ_FLAG_SETUID      0x10u /* allow_setuid */
#define BJ_FLAG_PTRACE      0x20u /* allow_ptrace */
#define BJ_FLAG_MODULE_LOAD 0x40u /* allow_module_load */
#define BJ_FLAG_BPF_LOAD    0x80u /* allow_bpf_load */
/*
 * Our own flags, beyond the original BpfJailer's format: each grants one thing that is
 * refused to every jailed task by default, root included.
 */
#define BJ_FLAG_KERNEL_TUNABLES 0x100u /* allow_kernel_tunables: write sysctls, sysfs, cgroupfs... */
#define BJ_FLAG_ABSTRACT_UNIX   0x200u /* allow_abstract_unix: reach abstract sockets of others */
#define BJ_FLAG_LAUNCHABLE      0x400u /* listed in launch_enrollments: bpfjailer-run may choose it */

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

/* Protocol numbers as the original BpfJailer wrote them (IPPROTO_TCP, IPPROTO_UDP). */
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
	/*
	 * Bit len % 32 set for the length of each name an edge from here
	 * names: a component of any other length follows "other" without
	 * being read or hashed (bj_name_len_bit()).
	 */
	__u32 lens;
};

static inline __u32 bj_name_len_bit(__u32 len)
{
	return 1u << (len % 32);
}

/* A file verdict: which rights the best rules seen so far decide, and how. */
#define BJ_VERDICT(allow, decided) (((decided) << 8) | (allow))
#define BJ_VERDICT_ALLOW(v)        ((v) & 0xffu)
#define BJ_VERDICT_DECIDED(v)      (((v) >> 8) & 0xffu)

/*
 * map "roles": BPF_MAP_TYPE_ARRAY indexed by role slot (1..n; 0 is unused so
 * that a zeroed jail is never a valid role).
 */
struct bj_role_entry {
	__u32 id;         /* the policy's role id, for audit records */
	__u32 flags;      /* BJ_FLAG_* */
	__u32 path_start; /* automaton start state for this role, 0 = no file rules */
	__u8  mode;       /* enum bj_mode */
	__u8  audit;      /* enum bj_audit */
	__u8  has_ports;  /* port rules exist: look them up before the flag */
	__u8  has_ips;    /* ip rules exist */
	/*
	 * Automaton state reached from path_start by "/dev/mqueue", 0 = no
	 * rule there: POSIX message queues opened with mq_open() live on a
	 * kernel-internal mount and are matched as if under /dev/mqueue.
	 */
	__u32 mqueue_state;
	__u32 zero;
	__u64 caps;     /* capabilities the role keeps: bit n is capability n */
	__u64 families; /* address families socket() may create: bit n is AF n */
};

/*
 * Device nodes a role may open, map "device_rules": BPF_MAP_TYPE_HASH,
 * value __u8 (BJ_RIGHT_READ | BJ_RIGHT_WRITE). Looked up by the exact
 * device, then with BJ_DEV_ANY_MINOR. Opening a device needs this and the
 * path rules both; creating a device node is never allowed.
 */
struct bj_device_key {
	__u32 role;  /* role slot */
	__u32 type;  /* BJ_DEV_CHAR or BJ_DEV_BLOCK */
	__u32 major;
	__u32 minor; /* or BJ_DEV_ANY_MINOR */
};

#define BJ_DEV_CHAR      1u
#define BJ_DEV_BLOCK     2u
#define BJ_DEV_ANY_MINOR 0xffffffffu

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

/*
 * Per-task jail state (BPF_MAP_TYPE_TASK_STORAGE "jails"). A task without
 * an entry, or with role 0, is not jailed. An exec that matches an
 * enrollment records it as pending; it takes effect only once that exec has
 * passed the point of no return.
 */
struct bj_jail {
	__u32 role;         /* role slot; 0: not jailed */
	__u32 pending_role; /* role slot the exec in progress enrolls into */
	__u64 pod_id;
	__u64 pending_pod;
	__u32 refused_role_id; /* the exec in progress asked by xattr for an unlisted role */
	/*
	 * bpfjailer-run's request (BJ_PRCTL_LAUNCH), 0: none. It becomes the
	 * pending role at each exec until one commits, which clears it: an
	 * exec that fails (execvp() trying PATH) keeps it for the next.
	 */
	__u32 launch_role;
	__u64 launch_pod;
	__u32 how;         /* enum bj_enrolled_by of role */
	__u32 pending_how; /* of pending_role */
};

/*
 * How a task came to be jailed, for the listing of jailed tasks: the task
 * iterator pinned as links/BJ_LINK_JAILED, which prints one line per
 * jailed process, "PID ROLE POD HOW COMM" (ROLE its key, HOW "exec",
 * "xattr", "cgroup", "launcher" or "inherited").
 */
#define BJ_LINK_JAILED "bj_jailed"

enum bj_enrolled_by {
	BJ_BY_EXEC      = 1, /* exec_enrollments: the executable's inode */
	BJ_BY_XATTR     = 2, /* xattr_enrollments: the executable's xattrs */
	BJ_BY_CGROUP    = 3, /* cgroup_enrollments: the cgroup it ran in */
	BJ_BY_LAUNCHER  = 4, /* bpfjailer-run */
	BJ_BY_INHERITED = 5, /* born to a jailed parent */
};

/*
 * Signed binaries (require_signed_binary): the PKCS#7 signature of a
 * file's fs-verity digest, as "fsverity sign" writes it, lives in this
 * xattr of the file. Only "user." names are readable by BPF on 6.8 to
 * 6.12; a forger gains nothing from writing one.
 */
#define BJ_SIG_XATTR   "user.bpfjailer.sig"
#define BJ_SIG_MAX     4096 /* bytes of signature read; a larger one is a bad signature */
#define BJ_DIGEST_MAX  64   /* the largest fs-verity digest (SHA-512) */

/* Kernel keyrings a policy may trust (signing_keyrings), a bit each; bpf_lookup_system_key()'s id is the bit's index. */
#define BJ_KEYRING_BUILTIN   0x1u /* the kernel's built-in keys (id 0) */
#define BJ_KEYRING_SECONDARY 0x2u /* built-in and secondary keys (id 1) */
#define BJ_KEYRING_PLATFORM  0x4u /* firmware (UEFI db) keys (id 2) */

/*
 * Launcher enrollment: bpfjailer-run, an unjailed process running
 * launcher_path's file (known by device and inode), asks for a role with
 * prctl(BJ_PRCTL_LAUNCH, role key, pod, pod given, 0), then execs the
 * command. The option is "BJL" and a 0, far from the kernel's own PR_*
 * numbers (small, or four letters such as PR_SET_VMA's "SVMA"); the
 * kernel answers it only through bj_task_prctl. Every answer is an error
 * (-1 and errno): EINPROGRESS the request is noted for the next exec
 * (never 0: a BPF LSM program's 0 is "no opinion", the hook's default,
 * and the kernel would then refuse the unknown option); EINVAL no
 * instance, or no launchable role (the kernel does not know the option
 * then); a refusal, with its record, one errno per reason so
 * bpfjailer-run can say which: EACCES not the launcher, EALREADY the
 * caller is jailed already, ENOENT no such role, EPERM a role not
 * launchable, ERANGE pod 0.
 *
 * Map "launch_roles": BPF_MAP_TYPE_HASH, key char[BJ_ROLE_NAME_LEN] (a
 * role key, zero-padded), value bj_enrollment (pod_id: the pod when none
 * is asked for). Every role, when launch_enrollments lists any: a role
 * not listed (no BJ_FLAG_LAUNCHABLE) is told apart from no role at all.
 */
#define BJ_PRCTL_LAUNCH 0x424a4c00

/*
 * What an instance was loaded from, for --status: map "identity", an array
 * of one struct bj_identity, and map "enrolled_files", an array of one
 * struct bj_enrolled_file per exec enrollment and the launcher, each with
 * the file its path named at load, then one per policy fragment listed
 * (read or masking) and per fragment directory looked in, in their order.
 * Both frozen; the programs never read them. Devices are user space's
 * st_dev; times CLOCK_REALTIME.
 */
#define BJ_IDENTITY_PATH_LEN 4096 /* PATH_MAX: longer paths are not loaded */

struct bj_identity {
	__u8  sha256[32]; /* of the policy's bytes as read */
	__u64 loaded_ns;  /* when the tables were filled */
	__u32 from_file;  /* 0: the built-in default policy */
	__u32 n_files;    /* entries of enrolled_files */
	char  origin[BJ_IDENTITY_PATH_LEN]; /* the policy's path, or "built-in default policy" */
};

enum bj_enrolled_kind {
	BJ_ENROLLED_EXEC     = 1, /* an exec enrollment's executable_path */
	BJ_ENROLLED_LAUNCHER = 2, /* launcher_path */
	BJ_ENROLLED_FRAGMENT = 3, /* a policy fragment read, with its sha256 */
	BJ_ENROLLED_MASK     = 4, /* an empty file or link to /dev/null that masks a fragment's name */
	BJ_ENROLLED_FRAGMENT_DIR = 5, /* a policy fragment directory looked in (highest priority first) */
};

struct bj_enrolled_file {
	__u64 dev; /* 0/0: the path named nothing at load */
	__u64 ino;
	__u32 kind; /* enum bj_enrolled_kind */
	__u32 zero;
	__u8  sha256[32]; /* BJ_ENROLLED_FRAGMENT: of its bytes as read; else zero */
	char  path[BJ_IDENTITY_PATH_LEN];
};

/* Role names for audit consumers (map "role_names", indexed like "roles"). */
#define BJ_ROLE_NAME_LEN 64

/* Object kinds in "own_objects": bpfjailer's programs, maps and links by id. */
enum bj_object_kind {
	BJ_OWN_PROG = 1,
	BJ_OWN_MAP  = 2,
	BJ_OWN_LINK = 3,
};

struct bj_own_key {
	__u32 kind; /* enum bj_object_kind */
	__u32 id;
};

/* Values in "own_objects". */
#define BJ_OWN           0x1
#define BJ_OWN_FORWARDER 0x2 /* a map the forwarder may open when sealed */
#define BJ_OWN_STATUS    0x4 /* a map anyone may open read-only when sealed (--status) */

/*
 * Values in "pin_inodes", the inodes (on the pin root's bpffs) of an
 * instance: its directories, its pins, and the pins the forwarder may open.
 */
enum bj_pin_kind {
	BJ_PIN_DIR       = 1,
	BJ_PIN_OBJECT    = 2,
	BJ_PIN_FORWARDER = 3,
};

/* Or'ed into a pin's kind: anyone may open it read-only when sealed (--status). */
#define BJ_PIN_READABLE 0x10

/* Hooks named in audit records. */
enum bj_hook {
	BJ_HOOK_FILE_OPEN = 1,
	BJ_HOOK_MMAP,
	BJ_HOOK_MPROTECT,
	BJ_HOOK_EXEC,
	BJ_HOOK_EXEC_SETID,
	BJ_HOOK_UNLINK,
	BJ_HOOK_RMDIR,
	BJ_HOOK_MKDIR,
	BJ_HOOK_MKNOD,
	BJ_HOOK_SYMLINK,
	BJ_HOOK_LINK,
	BJ_HOOK_RENAME,
	BJ_HOOK_TRUNCATE,
	BJ_HOOK_CHMOD,
	BJ_HOOK_CHOWN,
	BJ_HOOK_UNIX_CONNECT,
	BJ_HOOK_UNIX_SEND,
	BJ_HOOK_SOCKET_CREATE,
	BJ_HOOK_BIND,
	BJ_HOOK_CONNECT,
	BJ_HOOK_SENDMSG,
	BJ_HOOK_LISTEN,
	BJ_HOOK_PTRACE,
	BJ_HOOK_TRACEME,
	BJ_HOOK_SETUID,
	BJ_HOOK_SETGID,
	BJ_HOOK_MODULE,
	BJ_HOOK_KERNEL_READ,
	BJ_HOOK_BPF,
	BJ_HOOK_MOUNT,
	BJ_HOOK_UMOUNT,
	BJ_HOOK_PIVOT_ROOT,
	BJ_HOOK_CHROOT,
	BJ_HOOK_USERNS,
	BJ_HOOK_ENROLL,
	BJ_HOOK_XATTR_ENROLL,
	BJ_HOOK_CAPABLE,
	BJ_HOOK_PIN,          /* a sealed instance's pins: write, open, rename */
	BJ_HOOK_KILL,         /* a signal to a task outside the jail */
	BJ_HOOK_TASK,         /* priority, scheduling, limits of a task outside the jail */
	BJ_HOOK_IOCTL,        /* terminal input injection, inode flags, F_SETOWN-like owners */
	BJ_HOOK_XATTR,        /* setting or removing an extended attribute */
	BJ_HOOK_SETATTR,      /* timestamps */
	BJ_HOOK_NOTIFY,       /* inotify, fanotify, dnotify watches */
	BJ_HOOK_SYSLOG,       /* the kernel log */
	BJ_HOOK_PERF,         /* perf_event_open */
	BJ_HOOK_LAUNCH,       /* bpfjailer-run asking for a role (value: enum bj_launch_refusal) */
	BJ_HOOK_SIGNATURE,    /* a program run or mapped without a trusted signature (value: enum bj_sig_refusal) */
	BJ_HOOK_COUNT,
};

/*
 * Why bpfjailer-run's request was refused (the value of a BJ_HOOK_LAUNCH
 * record).
 */
enum bj_launch_refusal {
	BJ_LAUNCH_NOT_LAUNCHER = 1, /* the caller does not run launcher_path's file */
	BJ_LAUNCH_JAILED,           /* the caller is jailed already */
	BJ_LAUNCH_UNKNOWN_ROLE,     /* no role of that name is loaded */
	BJ_LAUNCH_NOT_LAUNCHABLE,   /* the role is not in launch_enrollments */
	BJ_LAUNCH_BAD_POD,          /* pod 0 asked for */
	BJ_LAUNCH_REFUSAL_COUNT,
};

/*
 * Why a program a require_signed_binary role runs or maps was refused (the
 * value of a BJ_HOOK_SIGNATURE record).
 */
enum bj_sig_refusal {
	BJ_SIG_NO_VERITY = 1, /* fs-verity is not enabled on the file */
	BJ_SIG_NO_SIGNATURE,  /* no signature xattr */
	BJ_SIG_BAD,           /* a signature that does not verify: tampered, malformed, another file's */
	BJ_SIG_UNTRUSTED,     /* a valid signature by a key no trusted keyring holds */
	BJ_SIG_UNCHECKED,     /* the file was opened outside the role, its signature never checked */
	BJ_SIG_REFUSAL_COUNT,
};

enum bj_decision {
	BJ_DENY      = 0,
	BJ_ALLOW     = 1,
	BJ_WOULD_DENY = 2, /* complain mode: allowed, but the role forbids it */
	BJ_DECISION_COUNT,
};

/*
 * Map "decisions": BPF_MAP_TYPE_PERCPU_ARRAY of __u64, one counter per
 * hook and decision; user space sums it over the CPUs.
 */
#define BJ_DECISION_INDEX(hook, decision) ((hook) * BJ_DECISION_COUNT + (decision))

/* Which member of the record's object union is filled. */
enum bj_object {
	BJ_OBJ_NONE = 0,
	BJ_OBJ_PATH,    /* path[] holds path_len bytes */
	BJ_OBJ_NET,
	BJ_OBJ_TASK,    /* target pid */
	BJ_OBJ_VALUE,   /* an operation code: bpf command, uid, module data id */
};

/* How a path walk ended (record field path_kind). */
enum bj_path_kind {
	BJ_PATH_REACHED  = 0, /* the path as the task sees it */
	BJ_PATH_INTERNAL = 1, /* a kernel-internal mount: memfd, pipe, socket */
	BJ_PATH_DETACHED = 2, /* outside the task's root, or disconnected */
	BJ_PATH_TOO_DEEP = 3, /* deeper than BJ_MAX_DEPTH components */
};

#define BJ_MAX_DEPTH   256  /* path components a walk follows */
#define BJ_DIR_CACHE_BITS 14 /* log2 of the slots of map dir_states: directories remembered at most */
#define BJ_PATH_MAX    4096 /* bytes of path an audit record carries */
#define BJ_COMM_LEN    16

/* One audit record, as written to the perf event array "audit_events". */
struct bj_audit_record {
	__u64 time_ns;   /* CLOCK_BOOTTIME */
	__u64 cgroup_id;
	__u64 pod_id;
	__u32 pid;       /* thread group id, as user space calls a pid */
	__u32 tid;
	__u32 uid;
	__u32 role_id;   /* the policy's role id */
	__u32 role;      /* role slot (index into "role_names") */
	__u16 hook;      /* enum bj_hook */
	__u8  decision;  /* enum bj_decision */
	__u8  object;    /* enum bj_object */
	__u32 access;    /* file rights asked for (BJ_RIGHT_*), or 0 */
	char  comm[BJ_COMM_LEN];
	union {
		struct {
			__u16 family;   /* AF_INET, AF_INET6, AF_UNIX, or socket() family */
			__u16 port;     /* host order */
			__u16 protocol; /* IPPROTO_*, or socket type for SOCKET_CREATE */
			__u16 zero;
			__u8  addr[16]; /* IPv6, or IPv4-mapped IPv6 */
		} net;
		__u32 target_pid;
		__u64 value;
	};
	__u16 path_len;  /* bytes in path[] (no NUL) */
	__u8  path_kind; /* enum bj_path_kind */
	__u8  path_truncated;
	char  path[BJ_PATH_MAX];
};

/*
 * Exit codes of bpfjailer-bootstrap and bpfjailer-forwarder (their man
 * pages). The forwarder's are the same numbers, so a failed unit means
 * the same thing whichever program it runs.
 */
enum bj_exit {
	BJ_EXIT_OK             = 0,
	BJ_EXIT_USAGE          = 1, /* bad usage or invalid policy */
	BJ_EXIT_KERNEL         = 2, /* the kernel (or the host's cgroup v2 mount) lacks a requirement */
	BJ_EXIT_NO_BUFFER      = 2, /* forwarder: no instance, bad pin root, or not bpfjailer's buffer */
	BJ_EXIT_LOADED         = 3, /* an instance is already loaded there (--status: none is) */
	BJ_EXIT_LOAD_FAILED    = 4, /* loading, attaching or pinning failed */
	BJ_EXIT_READ_FAILED    = 4, /* forwarder: reading the audit buffer failed */
	BJ_EXIT_UNLOAD_TIMEOUT = 5, /* --unload: the programs did not go within UNLOAD_WAIT_SECONDS */
	BJ_EXIT_REFUSED        = 6, /* bpfjailer-run: the kernel refused the role asked for */
};
