/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Learning: from a role's denied and would-be-denied audit records, the
 * smallest rule additions that would have allowed them. A function of the
 * records and the role alone (the journal is read by journal.c), so that
 * the unit tests give it hand-written records.
 */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "policy.h"

/* One audit record, as the forwarder wrote it (BPFJAILER_* fields); NULL for a field it did not write. */
struct learn_record {
	char *hook;
	char *decision;
	char *path;
	char *access; /* BPFJAILER_ACCESS, "r", "wx"...: the rights asked for, when the record says */
	char *family;
	char *addr;
	char *port;
	char *protocol;
	char *value;
};

struct learn_records {
	struct learn_record *v;
	size_t n;
};

void learn_records_free(struct learn_records *records);

/* Files of one directory that become a rule on the directory: at least this many. */
#define LEARN_DIR_THRESHOLD 8

struct learn_opts {
	const char *role_key;
	/*
	 * The role as the policy has it, or NULL: then nothing is known of its
	 * rules, no conflict can be found and the access letters are only those
	 * asked for.
	 */
	const struct bj_role *role;
	unsigned dir_threshold; /* LEARN_DIR_THRESHOLD unless told */
};

/*
 * The fragment: {"role": KEY, "additions": {file_paths, execution_rules,
 * network_rules, capabilities, address_families: the members there is
 * something to add to}, "conflicts": [{"record", "rule"}], "not_allowable":
 * [{"record", "count"}]}. Returns it (json_decref() it), or NULL when out of
 * memory.
 */
json_t *learn_suggest(const struct learn_record *records, size_t n, const struct learn_opts *opts);
