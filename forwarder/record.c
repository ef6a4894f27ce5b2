// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>

#include "hook_names.h"
#include "record.h"

const char *const record_field_names[F_COUNT] = {
	[F_HOOK] = "HOOK",         [F_DECISION] = "DECISION", [F_ROLE] = "ROLE",
	[F_ROLE_ID] = "ROLE_ID",   [F_POD_ID] = "POD_ID",     [F_PID] = "PID",
	[F_TID] = "TID",           [F_UID] = "UID",           [F_COMM] = "COMM",
	[F_CGROUP_ID] = "CGROUP_ID", [F_PATH] = "PATH",       [F_FAMILY] = "FAMILY",
	[F_ADDR] = "ADDR",         [F_PORT] = "PORT",         [F_PROTOCOL] = "PROTOCOL",
	[F_TARGET_PID] = "TARGET_PID", [F_VALUE] = "VALUE", [F_REASON] = "REASON",
	[F_ACCESS] = "ACCESS",     [F_BOOTTIME_USEC] = "BOOTTIME_USEC", [F_REALTIME_USEC] = "REALTIME_USEC",
};

/* What kind of thing a hook guards: picks the MESSAGE_ID of a denial. */
enum hook_class { C_FILE, C_NET, C_EXEC, C_PROCESS, C_KERNEL, C_ENROLL, C_XATTR, C_SIGNATURE, C_LAUNCH };

static const char *const denial_ids[] = {
	[C_FILE] = "6cde409501e54559acbd927b8dfe692e",
	[C_NET] = "9ff934e38be448699d880668ecb470db",
	[C_EXEC] = "1cae87d1dc014556a84334c472b9b58e",
	[C_PROCESS] = "ee3f4b4613d44168be7a77a3df947e7f",
	[C_KERNEL] = "e927e85cd39945b8aa5d792a839ae108",
	[C_ENROLL] = "52948ee49e9f41e2b14e5eb7fe4d005f",
	[C_XATTR] = "e79720e46eaf490f8a93a5b5ddd140a9",
	[C_SIGNATURE] = "5fb98802506f4ac2b8ea73a4de19283d",
	[C_LAUNCH] = "86e3029a573f4249bee9498b9a201cf9",
};

#define MESSAGE_ID_ALLOWED    "5545f74ed69d4cb991bf714f1fdf1ebf"
#define MESSAGE_ID_WOULD_DENY "702ae5ea93624af3983bc8e0090928f7"
/* Anyone (role slot 0: not jailed) refused by a sealed instance: someone tried to remove the jail. */
#define MESSAGE_ID_SEALED     "bfa261446a224228974da294c29a320f"

static enum hook_class class_of(unsigned int hook)
{
	switch (hook) {
	case BJ_HOOK_EXEC: case BJ_HOOK_EXEC_SETID: case BJ_HOOK_MMAP: case BJ_HOOK_MPROTECT:
		return C_EXEC;
	case BJ_HOOK_SOCKET_CREATE: case BJ_HOOK_BIND: case BJ_HOOK_CONNECT: case BJ_HOOK_SENDMSG:
	case BJ_HOOK_LISTEN:
		return C_NET;
	case BJ_HOOK_PTRACE: case BJ_HOOK_TRACEME: case BJ_HOOK_SETUID: case BJ_HOOK_SETGID:
	case BJ_HOOK_CAPABLE:
		return C_PROCESS;
	case BJ_HOOK_MODULE: case BJ_HOOK_KERNEL_READ: case BJ_HOOK_BPF: case BJ_HOOK_MOUNT:
	case BJ_HOOK_UMOUNT: case BJ_HOOK_PIVOT_ROOT: case BJ_HOOK_CHROOT: case BJ_HOOK_USERNS:
		return C_KERNEL;
	case BJ_HOOK_ENROLL:
		return C_ENROLL;
	case BJ_HOOK_XATTR_ENROLL:
		return C_XATTR;
	case BJ_HOOK_SIGNATURE:
		return C_SIGNATURE;
	case BJ_HOOK_LAUNCH:
		return C_LAUNCH;
	default:
		return C_FILE;
	}
}

/* Records of nobody's role (slot 0) come from the seal, except those about enrolling. */
static bool sealed_refusal(const struct bj_audit_record *r)
{
	return !r->role && r->hook != BJ_HOOK_ENROLL && r->hook != BJ_HOOK_XATTR_ENROLL && r->hook != BJ_HOOK_LAUNCH;
}

/* Why a signature or launch record refused: its value in words, or NULL. */
static const char *reason_of(const struct bj_audit_record *r)
{
	if (r->hook == BJ_HOOK_SIGNATURE && r->value < BJ_SIG_REFUSAL_COUNT)
		return bj_sig_refusal_names[r->value];
	if (r->hook == BJ_HOOK_LAUNCH && r->value < BJ_LAUNCH_REFUSAL_COUNT)
		return bj_launch_refusal_names[r->value];
	return NULL;
}

static const char *family_name(unsigned int family)
{
	switch (family) {
	case AF_INET: return "inet";
	case AF_INET6: return "inet6";
	case AF_UNIX: return "unix";
	case AF_PACKET: return "packet";
	default: return NULL;
	}
}

static const char *protocol_name(unsigned int proto, char *buf, size_t size)
{
	if (proto == 6)
		return "tcp";
	if (proto == 17)
		return "udp";
	snprintf(buf, size, "%u", proto);
	return buf;
}

/* IPv4-mapped addresses print as IPv4: that is how the rules saw them. */
static void format_addr(const __u8 addr[16], char *buf, size_t size)
{
	static const __u8 mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (!memcmp(addr, mapped, sizeof(mapped)))
		inet_ntop(AF_INET, addr + 12, buf, (socklen_t)size);
	else
		inet_ntop(AF_INET6, addr, buf, (socklen_t)size);
}

/*
 * The rights asked for as letters: r, w, x (map executable) as in a file
 * rule's "access", then e for running the file (execve), which only
 * execution_rules grant: an x would send the reader to the wrong rule.
 */
static const char *access_letters(__u32 access, char *buf)
{
	static const struct { __u32 right; char letter; } letters[] = {
		{ BJ_RIGHT_READ, 'r' }, { BJ_RIGHT_WRITE, 'w' }, { BJ_RIGHT_MAP_EXEC, 'x' }, { BJ_RIGHT_RUN, 'e' },
	};
	char *p = buf;

	for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (access & letters[i].right)
			*p++ = letters[i].letter;
	*p = '\0';
	return p == buf ? NULL : buf;
}

uint64_t record_realtime_usec(uint64_t time_ns, uint64_t realtime_now_ns, uint64_t boottime_now_ns)
{
	/* A stamp from the future cannot be: the event happened now at the latest. */
	uint64_t age = boottime_now_ns > time_ns ? boottime_now_ns - time_ns : 0;

	return (realtime_now_ns > age ? realtime_now_ns - age : 0) / 1000;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return 0; /* cannot fail for these clocks on Linux */
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define NUM(text, f, fmt, v) \
	(snprintf((text)->num[f], sizeof((text)->num[f]), fmt, v), (text)->fields[f] = (text)->num[f])

/* "... of /etc/shadow", "... to 10.0.0.1:443/tcp", "... of pid 42": the object in words. */
static void describe_object(const struct bj_audit_record *r, struct record_text *t, char *buf, size_t size)
{
	char proto[16];

	switch (r->object) {
	case BJ_OBJ_PATH:
		snprintf(buf, size, " of %s", t->path);
		break;
	case BJ_OBJ_NET:
		if (r->hook == BJ_HOOK_SOCKET_CREATE)
			snprintf(buf, size, " (%s socket)", t->fields[F_FAMILY] ? t->fields[F_FAMILY] : "raw");
		else /* [IPv6]:port, as in a URL */
			snprintf(buf, size, " %s%s%s%s:%u/%s",
				 r->hook == BJ_HOOK_BIND || r->hook == BJ_HOOK_LISTEN ? "on " : "to ",
				 strchr(t->addr, ':') ? "[" : "", t->addr, strchr(t->addr, ':') ? "]" : "",
				 r->net.port, protocol_name(r->net.protocol, proto, sizeof(proto)));
		break;
	case BJ_OBJ_TASK:
		snprintf(buf, size, " of pid %u", r->target_pid);
		break;
	case BJ_OBJ_VALUE:
		snprintf(buf, size, " (%s%" PRIu64 ")", r->hook == BJ_HOOK_PIN ? "inode " : "",
			 (uint64_t)r->value);
		break;
	default:
		buf[0] = '\0';
	}
}

bool record_decode(const void *data, size_t size, const struct role_names *roles, struct record_text *t)
{
	const struct bj_audit_record *r = data;
	static const char *const verbs[] = { [BJ_DENY] = "denied", [BJ_ALLOW] = "allowed",
					     [BJ_WOULD_DENY] = "would deny" };
	const char *role = "?", *verb;
	char object[BJ_PATH_MAX + 96];
	size_t path_len;

	if (size < offsetof(struct bj_audit_record, path) || r->decision > BJ_WOULD_DENY)
		return false;
	memset(t->fields, 0, sizeof(t->fields));
	if (r->role && r->role < roles->n)
		role = roles->names[r->role];

	t->fields[F_HOOK] = bj_hook_name(r->hook);
	t->fields[F_DECISION] = verbs[r->decision];
	t->fields[F_ROLE] = role;
	NUM(t, F_ROLE_ID, "%u", r->role_id);
	NUM(t, F_POD_ID, "%" PRIu64, (uint64_t)r->pod_id);
	NUM(t, F_PID, "%u", r->pid);
	NUM(t, F_TID, "%u", r->tid);
	NUM(t, F_UID, "%u", r->uid);
	NUM(t, F_CGROUP_ID, "%" PRIu64, (uint64_t)r->cgroup_id);
	memcpy(t->comm, r->comm, BJ_COMM_LEN);
	t->comm[BJ_COMM_LEN] = '\0';
	t->fields[F_COMM] = t->comm;

	t->path[0] = t->addr[0] = '\0';
	switch (r->object) {
	case BJ_OBJ_PATH:
		path_len = r->path_len < size - offsetof(struct bj_audit_record, path) ?
				   r->path_len : size - offsetof(struct bj_audit_record, path);
		snprintf(t->path, sizeof(t->path), "%s%.*s%s",
			 r->path_kind == BJ_PATH_INTERNAL ? "(internal) " :
			 r->path_kind == BJ_PATH_DETACHED ? "(detached) " : "",
			 (int)path_len, r->path, r->path_truncated ? "..." : "");
		t->fields[F_PATH] = t->path;
		break;
	case BJ_OBJ_NET:
		t->fields[F_FAMILY] = family_name(r->net.family);
		if (r->hook != BJ_HOOK_SOCKET_CREATE) {
			format_addr(r->net.addr, t->addr, sizeof(t->addr));
			t->fields[F_ADDR] = t->addr;
			NUM(t, F_PORT, "%u", r->net.port);
		}
		t->fields[F_PROTOCOL] = protocol_name(r->net.protocol, t->num[F_PROTOCOL], sizeof(t->num[F_PROTOCOL]));
		break;
	case BJ_OBJ_TASK:
		NUM(t, F_TARGET_PID, "%u", r->target_pid);
		break;
	case BJ_OBJ_VALUE:
		NUM(t, F_VALUE, "%" PRIu64, (uint64_t)r->value);
		break;
	}

	t->fields[F_REASON] = reason_of(r);
	t->fields[F_ACCESS] = access_letters(r->access, t->access);
	NUM(t, F_BOOTTIME_USEC, "%" PRIu64, (uint64_t)r->time_ns / 1000);
	NUM(t, F_REALTIME_USEC, "%" PRIu64, record_realtime_usec(r->time_ns, clock_ns(CLOCK_REALTIME),
								   clock_ns(CLOCK_BOOTTIME)));
	describe_object(r, t, object, sizeof(object));
	verb = verbs[r->decision];
	if (r->hook == BJ_HOOK_SIGNATURE)
		snprintf(t->message, sizeof(t->message), "%s %s%s by %s[%u] pod %" PRIu64 " role %s: %s", verb,
			 r->access & BJ_RIGHT_RUN ? "exec" : "mapping executable", object, t->comm, r->pid,
			 (uint64_t)r->pod_id, role, t->fields[F_REASON] ? t->fields[F_REASON] : "unsigned");
	else if (r->hook == BJ_HOOK_LAUNCH)
		snprintf(t->message, sizeof(t->message),
			 "refused bpfjailer-run's request by %s[%u] for role id %u pod %" PRIu64 ": %s", t->comm,
			 r->pid, r->role_id, (uint64_t)r->pod_id, t->fields[F_REASON] ? t->fields[F_REASON] : "refused");
	else if (r->hook == BJ_HOOK_ENROLL)
		snprintf(t->message, sizeof(t->message), "enrolled %s[%u] into pod %" PRIu64 " role %s (%s)",
			 t->comm, r->pid, (uint64_t)r->pod_id, role, t->path);
	else if (r->hook == BJ_HOOK_XATTR_ENROLL)
		snprintf(t->message, sizeof(t->message),
			 "denied exec by %s[%u]: its executable asks for role id %u, which xattr_enrollments does not list",
			 t->comm, r->pid, r->role_id);
	else if (sealed_refusal(r))
		snprintf(t->message, sizeof(t->message), "refused %s%s by %s[%u] uid %u: bpfjailer is sealed",
			 r->hook == BJ_HOOK_PIN ? "access to its pins" : bj_hook_name(r->hook), object, t->comm,
			 r->pid, r->uid);
	else
		snprintf(t->message, sizeof(t->message), "%s %s%s by %s[%u] pod %" PRIu64 " role %s", verb,
			 bj_hook_name(r->hook), object, t->comm, r->pid, (uint64_t)r->pod_id, role);

	if (r->decision == BJ_ALLOW && r->hook != BJ_HOOK_ENROLL) {
		t->message_id = MESSAGE_ID_ALLOWED;
		t->priority = LOG_INFO;
	} else if (sealed_refusal(r)) {
		t->message_id = MESSAGE_ID_SEALED;
		t->priority = LOG_CRIT;
	} else if (r->decision == BJ_WOULD_DENY) {
		t->message_id = MESSAGE_ID_WOULD_DENY;
		t->priority = LOG_NOTICE;
	} else {
		t->message_id = denial_ids[class_of(r->hook)];
		t->priority = r->hook == BJ_HOOK_ENROLL ? LOG_INFO : LOG_WARNING;
	}
	return true;
}
