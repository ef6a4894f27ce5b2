/* SPDX-License-Identifier: GPL-2.0 */
/* Where decoded records go: the journal, or JSON lines on stdout. */
#pragma once

#include <stdint.h>

#include "record.h"

struct output {
	/* Each returns 0, or -errno if the destination refused the entry. */
	int (*record)(const struct record_text *t);
	int (*lost)(uint64_t count, const char *why);
};

extern const struct output journal_output;
extern const struct output json_output;
