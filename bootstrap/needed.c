// SPDX-License-Identifier: GPL-2.0
/*
 * The one table of when each program of the jail is needed. Most hooks
 * refuse something to every role whatever its flags (bpfjailer's own
 * files, pins and objects, the kernel-control file systems, other jails'
 * tasks): those are always needed. A few decide only what a role flag or
 * capability grants; when every role of the policy has it, the program
 * would allow every call, and it is left out.
 *
 * Left out means that for every role every call returns 0 and changes
 * nothing: no refusal, no would-be refusal in complain mode, no record,
 * no state another hook reads. What a left-out hook does not keep is its
 * count of allowed calls in "decisions" (--status); a role with audit
 * "all" wants a record of each allowed call, so for it the hooks that
 * would make one stay. A jailed task always has its role (every slot an
 * enrollment names is filled, and the table is frozen), so a hook's
 * refusal of a task without one never happens. A hook with a check that
 * is not about the calling task's role (the seal's, the pins',
 * enrollment's) is always needed. When in doubt, a program is always
 * needed.
 */
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>

#include "bpfjailer.skel.h"
#include "caps.h"
#include "err.h"
#include "needed.h"

enum need_kind {
	NEED_ALWAYS,       /* whatever the policy */
	NEED_UNLESS_ROLES, /* unless every role has what the row names */
	NEED_IF_SEALED,    /* the seal's own programs */
	NEED_IF_SLEEPABLE, /* the exec-enrollment variant that may sleep: xattrs, signatures */
	NEED_UNLESS_SLEEPABLE, /* the one that does not */
	NEED_IF_SIGNED,    /* signature checks: a role requires signed binaries */
};

/* Conditions on a role beyond its flags and capabilities (need.conds). */
#define NO_PORT_RULES 0x1u /* no network_rules left after compiling: allow_network decides */
#define NO_IP_RULES   0x2u /* no ip_rules (only connects and sends ask them) */
#define NO_AUDIT_ALL  0x4u /* audit other than "all": an allowed call makes no record */

struct need {
	const char *name;
	enum need_kind kind;
	/* NEED_UNLESS_ROLES: unnecessary for a role with all of these */
	__u32 flags;
	__u64 caps;
	unsigned conds;
};

#define CAP(n) (1ull << (n))

/* A row: the program, and when it is needed. */
#define ALWAYS(prog)                 { .name = #prog, .kind = NEED_ALWAYS }
#define ONLY(prog, when)             { .name = #prog, .kind = NEED_##when }
#define UNLESS_EVERY_ROLE(prog, ...) { .name = #prog, .kind = NEED_UNLESS_ROLES, __VA_ARGS__ }

/* One row per program, by source file in the order the object links them. */
static const struct need table[] = {
	/* enroll.bpf.c: who is jailed */
	ALWAYS(bj_task_alloc),         /* children inherit the jail */
	ONLY(bj_exec_enroll, UNLESS_SLEEPABLE),
	ONLY(bj_exec_enroll_sleepable, IF_SLEEPABLE),
	ALWAYS(bj_exec_commit),        /* enrollment takes effect */
	/* files.bpf.c */
	ALWAYS(bj_file_open),          /* the ftrace switch, bpffs, own files, devices, kernel file systems */
	ALWAYS(bj_mmap),               /* kernel-internal files (memfd) never map executable */
	ALWAYS(bj_mprotect),           /* the same */
	ALWAYS(bj_exec),               /* kernel-internal files never run; a refused xattr role's exec fails */
	UNLESS_EVERY_ROLE(bj_exec_setid, .flags = BJ_FLAG_SETUID),
	ALWAYS(bj_path_notify),        /* no watch on a bpffs, tracefs or debugfs */
	ALWAYS(bj_file_ioctl),         /* TIOCSTI and TIOCLINUX never; signal owners only the caller */
	ALWAYS(bj_file_ioctl_compat),  /* the same */
	ALWAYS(bj_file_fcntl),         /* signal owners only the caller */
	/* file_changes.bpf.c: pins, own files, enrolled executables never change; control file systems */
	ALWAYS(bj_path_unlink),
	ALWAYS(bj_path_rmdir),
	ALWAYS(bj_path_mkdir),
	ALWAYS(bj_path_symlink),
	ALWAYS(bj_path_mknod),         /* and no device node, ever */
	ALWAYS(bj_path_truncate),
	ALWAYS(bj_path_chmod),
	ALWAYS(bj_path_chown),
	ALWAYS(bj_path_link),
	ALWAYS(bj_path_rename),
	ALWAYS(bj_mqueue_create),      /* queues only by rules under /dev/mqueue, which no flag grants */
	ALWAYS(bj_mqueue_unlink),
	/* file_metadata.bpf.c: the enrollment xattrs never; nothing on a bpffs */
	ALWAYS(bj_inode_setxattr),
	ALWAYS(bj_inode_removexattr),
	ALWAYS(bj_inode_set_acl),
	ALWAYS(bj_inode_remove_acl),
	ALWAYS(bj_setattr),
	ALWAYS(bj_setattr_idmap),
	/* net.bpf.c */
	ALWAYS(bj_unix_connect),       /* a socket outside the jail needs a rule, which no flag replaces */
	ALWAYS(bj_unix_send),
	ALWAYS(bj_socket_create),      /* families by allowlist: none grants AF_UNSPEC or a newer kernel's */
	ALWAYS(bj_socket_post_create), /* the jail of each socket, which the unix hooks ask */
	UNLESS_EVERY_ROLE(bj_bind, .flags = BJ_FLAG_NETWORK, .conds = NO_PORT_RULES | NO_AUDIT_ALL),
	UNLESS_EVERY_ROLE(bj_connect, .flags = BJ_FLAG_NETWORK, .conds = NO_PORT_RULES | NO_IP_RULES | NO_AUDIT_ALL),
	UNLESS_EVERY_ROLE(bj_sendmsg, .flags = BJ_FLAG_NETWORK, .conds = NO_PORT_RULES | NO_IP_RULES | NO_AUDIT_ALL),
	UNLESS_EVERY_ROLE(bj_listen, .flags = BJ_FLAG_NETWORK, .conds = NO_PORT_RULES | NO_AUDIT_ALL), /* a bind */
	/* process.bpf.c: other jails' tasks, whatever the flags */
	ALWAYS(bj_ptrace),             /* reads too; and the seal's forwarder */
	ALWAYS(bj_traceme),            /* a tracer outside the jail, allow_ptrace or not */
	ALWAYS(bj_task_kill),
	ALWAYS(bj_task_setnice),
	ALWAYS(bj_task_setioprio),
	ALWAYS(bj_task_setscheduler),
	ALWAYS(bj_task_setrlimit),
	ALWAYS(bj_task_movememory),
	ALWAYS(bj_task_prlimit),
	UNLESS_EVERY_ROLE(bj_setuid, .flags = BJ_FLAG_SETUID),
	UNLESS_EVERY_ROLE(bj_setgid, .flags = BJ_FLAG_SETUID),
	UNLESS_EVERY_ROLE(bj_setgroups, .flags = BJ_FLAG_SETUID, .conds = NO_AUDIT_ALL),
	ALWAYS(bj_task_prctl),         /* PR_SET_MM never; bpfjailer-run's request (an unjailed caller) */
	ALWAYS(bj_capable),            /* by allowlist: none grants a capability newer than this build */
	/* ipc.bpf.c: other jails' objects, whatever the flags; made and freed: what the checks ask */
	ALWAYS(bj_shm_alloc),
	ALWAYS(bj_shm_free),
	ALWAYS(bj_shm_associate),
	ALWAYS(bj_sem_alloc),
	ALWAYS(bj_sem_free),
	ALWAYS(bj_sem_associate),
	ALWAYS(bj_msg_queue_alloc),
	ALWAYS(bj_msg_queue_free),
	ALWAYS(bj_msg_queue_associate),
	ALWAYS(bj_ipc_permission),
	ALWAYS(bj_shm_shmctl),
	ALWAYS(bj_sem_semctl),
	ALWAYS(bj_msg_queue_msgctl),
	/* kernel.bpf.c */
	UNLESS_EVERY_ROLE(bj_syslog, .caps = CAP(CAP_SYSLOG), .conds = NO_AUDIT_ALL),
	UNLESS_EVERY_ROLE(bj_perf_event_open, .caps = CAP(CAP_PERFMON)),
	ALWAYS(bj_key_alloc),          /* no key, ever */
	UNLESS_EVERY_ROLE(bj_module_request, .flags = BJ_FLAG_MODULE_LOAD, .conds = NO_AUDIT_ALL),
	ALWAYS(bj_load_data),          /* a kernel image or a policy never; allow_module_load is modules only */
	ALWAYS(bj_read_file),
	ALWAYS(bj_bpf),                /* bpfjailer's own objects, in every role; the seal */
	ALWAYS(bj_bpf_map),
	ALWAYS(bj_bpf_prog),
	ALWAYS(bj_sb_pivotroot),       /* never; the seal's mounts */
	ALWAYS(bj_path_chroot),
	ALWAYS(bj_userns_create),
	ALWAYS(bj_sb_mount),
	ALWAYS(bj_move_mount),
	ALWAYS(bj_sb_umount),
	/* seal.bpf.c */
	ONLY(bj_seal_inode_permission, IF_SEALED),
	ONLY(bj_seal_inode_rename, IF_SEALED),
	/* path.bpf.c */
	ALWAYS(bj_dir_forget),         /* a freed directory's remembered state goes with it; the kernel's choice */
	/* file_xattrs.bpf.c */
	ONLY(bj_sig_open, IF_SIGNED),  /* checks each fs-verity file a signing role opens */
	/* jailed.bpf.c */
	ALWAYS(bj_jailed),             /* the listing of jailed processes (a task iterator), for --status */
};

#define N_PROGRAMS (sizeof(table) / sizeof(table[0]))

/*
 * A program added to the object without a row fails the build here; the
 * unit test (tests/unit/needed.c) checks that the rows name exactly the
 * object's programs.
 */
_Static_assert(sizeof(((struct bpfjailer *)0)->progs) == N_PROGRAMS * sizeof(struct bpf_program *),
	       "every program of the BPF object needs a row in needed.c's table");

size_t needed_count(void)
{
	return N_PROGRAMS;
}

const char *needed_name(size_t i)
{
	return table[i].name;
}

ssize_t needed_find(const char *name)
{
	for (size_t i = 0; i < N_PROGRAMS; i++)
		if (!strcmp(table[i].name, name))
			return (ssize_t)i;
	return -1;
}

/* Would the program of row n allow every call of this role, and record none? */
static bool unneeded_for(const struct need *n, const struct bj_role_entry *role)
{
	if ((role->flags & n->flags) != n->flags || (role->caps & n->caps) != n->caps)
		return false;
	if (((n->conds & NO_PORT_RULES) && role->has_ports) || ((n->conds & NO_IP_RULES) && role->has_ips))
		return false;
	return !(n->conds & NO_AUDIT_ALL) || role->audit != BJ_AUDIT_ALL;
}

/* The JSON names of the flags, by bit. */
static const char *const flag_keys[] = {
	"allow_file_access", "allow_network", "allow_exec", "require_signed_binary", "allow_setuid",
	"allow_ptrace", "allow_module_load", "allow_bpf_load", "allow_kernel_tunables", "allow_abstract_unix",
};

/* Append text to buf, which holds *len bytes; what does not fit is cut. */
static void add(char *buf, size_t size, size_t *len, const char *sep, const char *text)
{
	int n = *len < size ? snprintf(buf + *len, size - *len, "%s%s", sep, text) : 0;

	*len = n < 0 || *len + (size_t)n >= size ? size : *len + (size_t)n;
}

#define N_FLAG_KEYS (sizeof(flag_keys) / sizeof(flag_keys[0]))

/* "every role has allow_network, no network_rules, ...": what row n asks of each role. */
static void describe(const struct need *n, char *buf, size_t size)
{
	const char *parts[N_FLAG_KEYS + BJ_CAP_COUNT + 3];
	size_t k = 0, len = 0;

	for (unsigned bit = 0; bit < N_FLAG_KEYS; bit++)
		if (n->flags & (1u << bit))
			parts[k++] = flag_keys[bit];
	for (unsigned cap = 0; cap < BJ_CAP_COUNT; cap++)
		if (n->caps & CAP(cap))
			parts[k++] = bj_cap_name(cap);
	if (n->conds & NO_PORT_RULES)
		parts[k++] = "no network_rules";
	if (n->conds & NO_IP_RULES)
		parts[k++] = "no ip_rules";
	if (n->conds & NO_AUDIT_ALL)
		parts[k++] = "audit other than \"all\"";
	add(buf, size, &len, "", "every role has");
	for (size_t i = 0; i < k; i++)
		add(buf, size, &len, i ? ", " : " ", parts[i]);
}

bool needed_signing(const struct bj_tables *t)
{
	for (size_t r = 1; r < t->n_roles; r++)
		if (t->roles[r].flags & BJ_FLAG_SIGNED)
			return true;
	return false;
}

bool needed_by(size_t i, const struct bj_policy *policy, const struct bj_tables *t, char *why_not, size_t size)
{
	const struct need *n = &table[i];
	const char *why = NULL;

	switch (n->kind) {
	case NEED_ALWAYS:
		return true;
	case NEED_IF_SEALED:
		why = policy->seal ? NULL : "the policy is not sealed";
		break;
	case NEED_IF_SLEEPABLE:
		why = t->n_xattrs || needed_signing(t) ? NULL :
			"no role is enrolled by xattr or requires signed binaries";
		break;
	case NEED_UNLESS_SLEEPABLE:
		why = t->n_xattrs || needed_signing(t) ?
			"roles are enrolled by xattr or require signed binaries: bj_exec_enroll_sleepable runs instead" :
			NULL;
		break;
	case NEED_IF_SIGNED:
		why = needed_signing(t) ? NULL : "no role requires signed binaries";
		break;
	case NEED_UNLESS_ROLES:
		for (size_t r = 1; r < t->n_roles; r++)
			if (!unneeded_for(n, &t->roles[r]))
				return true;
		if (why_not && size)
			describe(n, why_not, size);
		return false;
	}
	if (why && why_not && size)
		snprintf(why_not, size, "%s", why);
	return !why;
}

void needed_choose(struct bpf_object *obj, const struct bj_policy *policy, const struct bj_tables *t)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		ssize_t i = needed_find(bpf_program__name(prog));

		if (i < 0)
			bj_note("program %s: no row of needed.c says when it is needed: loaded",
				bpf_program__name(prog));
		else if (!needed_by((size_t)i, policy, t, NULL, 0))
			bpf_program__set_autoload(prog, false);
	}
}
