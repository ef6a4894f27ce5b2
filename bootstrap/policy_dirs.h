/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy fragment directories (bpfjailer-policy(5) FRAGMENTS): every
 * NAME.json in any of them, in the order of the names (strcmp), each
 * taken from the first directory that has it; an empty file or a link to
 * /dev/null there masks the name in the later ones.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The administrator's; BJ_PACKAGE_POLICY_DIR, the packages', is PREFIX/share/bpfjailer/policy.d (meson.build). */
#define BJ_SYSTEM_POLICY_DIR "/etc/bpfjailer/policy.d"

/* More than this are refused: the jail keeps each out of reach (bpfjailer.h BJ_MAX_POLICY_FILES). */
#define BJ_MAX_FRAGMENTS 240
#define BJ_MAX_FRAGMENT_DIRS 8

struct policy_dir_entry {
	char *path;      /* the file that counts: in the first directory that has the name */
	char *overrides; /* the same name in the next directory that has it, hidden by path; or NULL */
	bool masked;     /* path is empty or a link to /dev/null: no fragment of that name is read */
};

struct policy_dir_list {
	struct policy_dir_entry *items;
	size_t n;
};

/*
 * List dirs (highest priority first; one that does not exist has none).
 * Returns 0, or a negative errno after printing why.
 */
int policy_dirs_list(const char *const *dirs, size_t n_dirs, struct policy_dir_list *out);
void policy_dir_list_free(struct policy_dir_list *list);
