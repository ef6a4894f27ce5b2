/* SPDX-License-Identifier: GPL-2.0 */
/* A bpfjailer instance in the kernel: load one, show one, remove one. */
#pragma once

#include <stdbool.h>

#include "compile.h"
#include "policy_source.h"

void instance_set_verbose(bool verbose);

/*
 * Load, fill, freeze, attach and pin. All or nothing: on failure nothing
 * stays attached or pinned. Returns a BJ_EXIT_* code.
 */
int instance_load(const char *pin_root, const struct policy_source *src, const struct bj_policy *policy,
		  const struct bj_tables *tables);

/*
 * Print what is pinned at pin_root, as text or as one JSON object (json).
 * BJ_EXIT_OK if loaded, BJ_EXIT_LOADED's 3 if not.
 */
int instance_status(const char *pin_root, bool json);

/*
 * Remove an unsealed instance and its pins, and wait until its programs
 * are gone (BJ_EXIT_UNLOAD_TIMEOUT if they are not within
 * UNLOAD_WAIT_SECONDS).
 */
int instance_unload(const char *pin_root);
