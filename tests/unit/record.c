// SPDX-License-Identifier: GPL-2.0
/*
 * The forwarder's decoding of audit records: the journal fields and the
 * MESSAGE a person reads, for each kind of object, the rights asked for and
 * the event's time, and the refusal of records too short to be one.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "check.h"
#include "record.h"

static struct role_names roles(void)
{
	static char names[3][BJ_ROLE_NAME_LEN] = { "", "restricted", "webserver" };

	return (struct role_names){ .names = names, .n = 3 };
}

static struct bj_audit_record base(__u16 hook)
{
	struct bj_audit_record r = {
		.pid = 1234, .tid = 1235, .uid = 33, .role_id = 1, .role = 1, .pod_id = 1000,
		.hook = hook, .decision = BJ_DENY, .cgroup_id = 77,
	};

	strcpy(r.comm, "cat");
	return r;
}

static bool field_is(const struct record_text *t, enum record_field f, const char *want)
{
	const char *got = t->fields[f];

	if (check(got && !strcmp(got, want), "field %s is \"%s\"", record_field_names[f], want))
		return true;
	note("got \"%s\"", got ? got : "(none)");
	return false;
}

static void test_file(void)
{
	struct bj_audit_record r = base(BJ_HOOK_FILE_OPEN);
	struct role_names rn = roles();
	struct record_text t;

	r.object = BJ_OBJ_PATH;
	strcpy(r.path, "/etc/shadow");
	r.path_len = strlen(r.path);
	check(record_decode(&r, sizeof(r) - BJ_PATH_MAX + r.path_len, &rn, &t), "file record decodes");
	if (!check(!strcmp(t.message, "denied open of /etc/shadow by cat[1234] pod 1000 role restricted"),
		   "file message reads as the contract's example"))
		note("got \"%s\"", t.message);
	field_is(&t, F_HOOK, "open");
	field_is(&t, F_DECISION, "denied");
	field_is(&t, F_ROLE, "restricted");
	field_is(&t, F_POD_ID, "1000");
	field_is(&t, F_PID, "1234");
	field_is(&t, F_TID, "1235");
	field_is(&t, F_UID, "33");
	field_is(&t, F_COMM, "cat");
	field_is(&t, F_PATH, "/etc/shadow");
	check(!t.fields[F_PORT] && !t.fields[F_TARGET_PID], "file record has no network or task fields");
	check(t.priority == 4 && !strcmp(t.message_id, "6cde409501e54559acbd927b8dfe692e"),
	      "file denial: warning priority, the file MESSAGE_ID");
}

static void test_net(void)
{
	struct bj_audit_record r = base(BJ_HOOK_CONNECT);
	struct role_names rn = roles();
	struct record_text t;

	r.object = BJ_OBJ_NET;
	r.net.family = AF_INET6;
	r.net.port = 4444;
	r.net.protocol = 6;
	r.net.addr[10] = r.net.addr[11] = 0xff; /* ::ffff:127.0.0.1 */
	r.net.addr[12] = 127;
	r.net.addr[15] = 1;
	check(record_decode(&r, sizeof(r) - BJ_PATH_MAX, &rn, &t), "network record decodes");
	field_is(&t, F_ADDR, "127.0.0.1");
	field_is(&t, F_PORT, "4444");
	field_is(&t, F_PROTOCOL, "tcp");
	field_is(&t, F_FAMILY, "inet6");
	if (!check(strstr(t.message, "denied connect to 127.0.0.1:4444/tcp by cat[1234]") != NULL,
		   "network message names address, port and protocol"))
		note("got \"%s\"", t.message);
}

static void test_net6(void)
{
	struct bj_audit_record r = base(BJ_HOOK_BIND);
	struct role_names rn = roles();
	struct record_text t;

	r.object = BJ_OBJ_NET;
	r.net.family = AF_INET6;
	r.net.port = 9090;
	r.net.protocol = 6;
	check(record_decode(&r, sizeof(r) - BJ_PATH_MAX, &rn, &t), "IPv6 record decodes");
	field_is(&t, F_ADDR, "::");
	if (!check(strstr(t.message, "denied bind on [::]:9090/tcp by cat[1234]") != NULL,
		   "an IPv6 address is bracketed in the message"))
		note("got \"%s\"", t.message);
}

static void test_task_and_short(void)
{
	struct bj_audit_record r = base(BJ_HOOK_PTRACE);
	struct role_names rn = roles();
	struct record_text t;

	r.object = BJ_OBJ_TASK;
	r.target_pid = 42;
	r.decision = BJ_WOULD_DENY;
	check(record_decode(&r, sizeof(r) - BJ_PATH_MAX, &rn, &t), "task record decodes");
	field_is(&t, F_TARGET_PID, "42");
	field_is(&t, F_DECISION, "would deny");
	check(!strcmp(t.message_id, "702ae5ea93624af3983bc8e0090928f7"), "complain mode has its own MESSAGE_ID");
	check(!record_decode(&r, 10, &rn, &t), "a record too short to be one is refused");
	r.role = 9;
	check(record_decode(&r, sizeof(r) - BJ_PATH_MAX, &rn, &t) && !strcmp(t.fields[F_ROLE], "?"),
	      "a role slot without a name prints as ?");
}

/* Role slot 0 is nobody's: a sealed instance refusing someone unjailed. */
static void test_sealed(void)
{
	struct bj_audit_record r = base(BJ_HOOK_PIN);
	struct role_names rn = roles();
	struct record_text t;

	r.role = 0;
	r.role_id = 0;
	r.pod_id = 0;
	r.uid = 0;
	strcpy(r.comm, "rm");
	r.object = BJ_OBJ_VALUE;
	r.value = 4107;
	check(record_decode(&r, sizeof(r) - BJ_PATH_MAX, &rn, &t), "sealed refusal decodes");
	if (!check(!strcmp(t.message, "refused access to its pins (inode 4107) by rm[1234] uid 0: bpfjailer is sealed"),
		   "sealed refusal message"))
		note("got \"%s\"", t.message);
	check(!strcmp(t.message_id, "bfa261446a224228974da294c29a320f"), "sealed refusal MESSAGE_ID");
	field_is(&t, F_HOOK, "pin");
	field_is(&t, F_VALUE, "4107");
	r.hook = BJ_HOOK_UMOUNT;
	r.object = BJ_OBJ_NONE;
	check(record_decode(&r, sizeof(r) - BJ_PATH_MAX, &rn, &t) &&
		      !strcmp(t.message, "refused umount by rm[1234] uid 0: bpfjailer is sealed"),
	      "sealed umount refusal message");
}

/* A signing role's refusal: the file, the right asked for, and why; a reason out of range has no words. */
static void test_signature(void)
{
	struct bj_audit_record r = base(BJ_HOOK_SIGNATURE);
	struct role_names rn = roles();
	struct record_text t;

	r.object = BJ_OBJ_PATH;
	r.access = BJ_RIGHT_RUN;
	r.value = BJ_SIG_UNTRUSTED;
	strcpy(r.path, "/tmp/xmrig");
	r.path_len = strlen(r.path);
	check(record_decode(&r, sizeof(r) - BJ_PATH_MAX + r.path_len, &rn, &t), "signature record decodes");
	if (!check(!strcmp(t.message, "denied exec of /tmp/xmrig by cat[1234] pod 1000 role restricted: "
				      "untrusted signer"), "signature message says what and why"))
		note("got \"%s\"", t.message);
	field_is(&t, F_HOOK, "signature");
	field_is(&t, F_REASON, "untrusted signer");
	field_is(&t, F_PATH, "/tmp/xmrig");
	check(!strcmp(t.message_id, "5fb98802506f4ac2b8ea73a4de19283d"), "signature MESSAGE_ID");
	r.access = BJ_RIGHT_MAP_EXEC;
	r.value = BJ_SIG_REFUSAL_COUNT;
	check(record_decode(&r, sizeof(r) - BJ_PATH_MAX + r.path_len, &rn, &t) && !t.fields[F_REASON] &&
		      strstr(t.message, "denied mapping executable of /tmp/xmrig") != NULL,
	      "an unknown reason: no REASON field, the mapping still said");
}

/* bpfjailer-run refused: nobody's role yet, not the seal's. */
static void test_launch(void)
{
	struct bj_audit_record r = base(BJ_HOOK_LAUNCH);
	struct role_names rn = roles();
	struct record_text t;

	r.role = 0;
	r.role_id = 20;
	r.pod_id = 5;
	r.object = BJ_OBJ_VALUE;
	r.value = BJ_LAUNCH_NOT_LAUNCHABLE;
	check(record_decode(&r, sizeof(r) - BJ_PATH_MAX, &rn, &t), "launch record decodes");
	if (!check(!strcmp(t.message, "refused bpfjailer-run's request by cat[1234] for role id 20 pod 5: "
				      "role not launchable"), "launch message says what and why"))
		note("got \"%s\"", t.message);
	field_is(&t, F_REASON, "role not launchable");
	check(!strcmp(t.message_id, "86e3029a573f4249bee9498b9a201cf9"), "launch MESSAGE_ID, not the seal's");
}

/* r, w, x as a file rule writes them, e for running: each bit alone, together, and none. */
static void test_access(void)
{
	static const struct { __u32 access; const char *letters; } cases[] = {
		{ BJ_RIGHT_READ, "r" },
		{ BJ_RIGHT_WRITE, "w" },
		{ BJ_RIGHT_READ | BJ_RIGHT_WRITE, "rw" },
		{ BJ_RIGHT_MAP_EXEC, "x" },
		{ BJ_RIGHT_RUN, "e" },
		{ BJ_RIGHT_RUN | BJ_RIGHT_MAP_EXEC, "xe" }, /* what the exec hook asks */
		{ BJ_RIGHT_READ | BJ_RIGHT_WRITE | BJ_RIGHT_MAP_EXEC | BJ_RIGHT_RUN, "rwxe" },
	};
	struct role_names rn = roles();
	struct record_text t;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bj_audit_record r = base(BJ_HOOK_FILE_OPEN);

		r.access = cases[i].access;
		record_decode(&r, sizeof(r), &rn, &t);
		field_is(&t, F_ACCESS, cases[i].letters);
	}
	{
		struct bj_audit_record r = base(BJ_HOOK_CONNECT);

		record_decode(&r, sizeof(r), &rn, &t);
		check(!t.fields[F_ACCESS], "no rights asked (access 0): no ACCESS field");
	}
}

static uint64_t now_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The boot clock's stamp as it is, and the wall clock time of the event from it. */
static void test_time(void)
{
	struct bj_audit_record r = base(BJ_HOOK_FILE_OPEN);
	struct role_names rn = roles();
	uint64_t before, after, got;
	struct record_text t;
	char want[24];

	/* A second before boot's 1000th second, read when it is 1000 s after the epoch's 2e9th. */
	check(record_realtime_usec(999000000000u, 2000001000000000000u, 1000000000000u) == 2000000999000000u,
	      "realtime: the wall clock now minus the event's age on the boot clock");
	check(record_realtime_usec(5000000, 2000000000000000000u, 3000000) == 2000000000000000u,
	      "realtime: a stamp after the boot clock's now is taken as now");
	check(record_realtime_usec(0, 1000, 5000000) == 0, "realtime: an age beyond the epoch is 0, not a wrap");
	check(record_realtime_usec(1999, 3000000, 2000) == 2999, "realtime: nanoseconds truncate to microseconds");

	/* Five seconds before a moment between the two readings of the wall clock. */
	before = now_ns(CLOCK_REALTIME) / 1000 - 5000000;
	r.time_ns = now_ns(CLOCK_BOOTTIME) - 5000000000u;
	record_decode(&r, sizeof(r), &rn, &t);
	after = now_ns(CLOCK_REALTIME) / 1000 - 5000000;
	snprintf(want, sizeof(want), "%" PRIu64, (uint64_t)r.time_ns / 1000);
	field_is(&t, F_BOOTTIME_USEC, want);
	got = t.fields[F_REALTIME_USEC] ? strtoull(t.fields[F_REALTIME_USEC], NULL, 10) : 0;
	if (!check(got >= before && got <= after + 1, "a record of five seconds ago: REALTIME_USEC is then"))
		note("got %" PRIu64 ", expected %" PRIu64 "..%" PRIu64, got, before, after);
}

int main(void)
{
	test_file();
	test_net();
	test_net6();
	test_task_and_short();
	test_sealed();
	test_signature();
	test_launch();
	test_access();
	test_time();
	return check_summary();
}
