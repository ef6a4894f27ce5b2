/* SPDX-License-Identifier: GPL-2.0 */
/* Where the policy comes from: --policy (a file, or "-": standard input), $BPFJAILER_POLICY, /etc, or built in. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#define BJ_SYSTEM_POLICY "/etc/bpfjailer/policy.json"

struct policy_source {
	char *origin; /* path, "<stdin>", or "built-in default policy" */
	char *text;   /* NUL-terminated */
	size_t len;
	bool from_file;
	struct stat st; /* the file read, when from_file: the jail keeps it out of reach */
};

/* Pick and read the policy. Returns 0, or a negative errno after printing why. */
int policy_source_read(const char *cli_path, struct policy_source *src);
void policy_source_free(struct policy_source *src);
