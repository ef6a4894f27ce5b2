/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One audit record as text: every field the journal entry and the JSON line
 * carry, decoded once from the kernel's struct bj_audit_record.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfjailer.h"

/* Journal field names without their BPFJAILER_ prefix, in output order. */
enum record_field {
	F_HOOK,
	F_DECISION,
	F_ROLE,
	F_ROLE_ID,
	F_POD_ID,
	F_PID,
	F_TID,
	F_UID,
	F_COMM,
	F_CGROUP_ID,
	F_PATH,
	F_FAMILY,
	F_ADDR,
	F_PORT,
	F_PROTOCOL,
	F_TARGET_PID,
	F_VALUE,
	F_REASON,
	F_ACCESS,
	F_BOOTTIME_USEC,
	F_REALTIME_USEC,
	F_COUNT,
};

extern const char *const record_field_names[F_COUNT];

struct record_text {
	const char *fields[F_COUNT]; /* NULL: the record has no such field */
	char message[BJ_PATH_MAX + 256];
	const char *message_id;      /* 32 hex digits, documented in the catalog */
	int priority;                /* syslog priority */
	/* storage the fields point into */
	char num[F_COUNT][24];
	char access[8];
	char comm[BJ_COMM_LEN + 1];
	char addr[48];
	char path[BJ_PATH_MAX + 32];
};

/* Names of role slots, read once from the pinned role_names map. */
struct role_names {
	char (*names)[BJ_ROLE_NAME_LEN];
	unsigned int n;
};

/*
 * The wall clock time of an event stamped time_ns on CLOCK_BOOTTIME, in
 * microseconds since the epoch, given both clocks read now: the event's age
 * on the clock that counts suspend too, taken from the wall clock's now.
 */
uint64_t record_realtime_usec(uint64_t time_ns, uint64_t realtime_now_ns, uint64_t boottime_now_ns);

/*
 * Decode one record of size bytes. Returns false (and leaves text unset)
 * for a record too short to be one.
 */
bool record_decode(const void *data, size_t size, const struct role_names *roles,
		   struct record_text *text);

/* MESSAGE_ID of the entries that report lost records. */
#define MESSAGE_ID_LOST "38c6be4f65d54680993619ebaeb873ac"
