/* SPDX-License-Identifier: GPL-2.0 */
/* A role's denied and would-be-denied records, read from the journal (sd-journal). */
#pragma once

#include <stdint.h>

#include "learn.h"

struct journal_query {
	const char *role;        /* BPFJAILER_ROLE */
	const char *unit;        /* or NULL: see unit_cgroups() in journal.c */
	uint64_t since_usec;     /* realtime, 0: from the start */
	const char *directory;   /* --journal-dir, or NULL */
	const char *const *files; /* --file, NULL-terminated, or NULL */
};

/* Returns 0, or a negative errno after saying what failed; free *out with learn_records_free() either way. */
int journal_read(const struct journal_query *q, struct learn_records *out);
