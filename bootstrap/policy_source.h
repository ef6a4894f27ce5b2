/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the policy comes from: --policy (a file, or "-": standard input),
 * $BPFJAILER_POLICY, /etc, or built in; then the fragments of the policy
 * directories (policy_dirs.h).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "policy.h"
#include "policy_dirs.h"

/* The administrator's directory: the system policy, and BJ_SYSTEM_POLICY_DIR in it. */
#define BJ_SYSTEM_CONFIG_DIR "/etc/bpfjailer"
#define BJ_SYSTEM_POLICY BJ_SYSTEM_CONFIG_DIR "/policy.json"

/* A fragment, as listed (policy_dirs.h); its text when not masked. */
struct policy_fragment {
	struct policy_dir_entry entry;
	char *text; /* NUL-terminated; NULL when masked */
	size_t len;
	struct stat st; /* the file read, or the mask: the jail keeps it out of reach */
};

struct policy_source {
	char *origin; /* path, "<stdin>", or "built-in default policy" */
	char *text;   /* NUL-terminated */
	size_t len;
	bool from_file;
	bool system;    /* the system policy, or the built-in one because there is none */
	struct stat st; /* the file read, when from_file: the jail keeps it out of reach */
	char **dirs;    /* the fragment directories looked in, highest priority first */
	size_t n_dirs;
	struct policy_fragment *fragments; /* in merge order (masks too) */
	size_t n_fragments;
};

/*
 * Pick and read the policy: the main one, then the fragments of dirs, or
 * with dirs NULL of the system's (BJ_SYSTEM_POLICY_DIR, then
 * BJ_PACKAGE_POLICY_DIR) when the main policy is the system's or the
 * built-in one, none when it was named (--policy, $BPFJAILER_POLICY).
 * Returns 0, or a negative errno after printing why.
 */
int policy_source_read(const char *cli_path, const char *const *dirs, size_t n_dirs, struct policy_source *src);
void policy_source_free(struct policy_source *src);

/* The files to parse (policy_parse_files()) into files (1 + src->n_fragments of room): how many. */
size_t policy_source_files(const struct policy_source *src, struct bj_policy_file *files);

/* How many fragments were read (not masked). */
size_t policy_source_n_read(const struct policy_source *src);
