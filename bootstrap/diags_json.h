/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --check --diagnostics json: one JSON document on stdout for the whole
 * run, for editors and CI (bpfjailer-bootstrap(8) DIAGNOSTICS):
 *
 *   { "host_checks": "host" | "image" | "none", "status": N,
 *     "files": [ { "file": F, "status": N, "diagnostics": [
 *       { "file": F, "line": L, "column": C, "severity": "error" | "warning",
 *         "path": JSON-PATH, "message": M } ], "read": [...] } ] }
 *
 * line and column are null when unknown, path "" for the whole document.
 * "read" lists what was read for the policy, in merge order: [ { "file": F,
 * "masked": B, "overrides": F | null } ], the main policy first, then its
 * fragments (bpfjailer-policy(5) FRAGMENTS); a file not read has none.
 */
#pragma once

#include <jansson.h>

#include "diag.h"
#include "policy_source.h"

/* Append one policy's entry to files (an array). 0, or -ENOMEM. */
int diags_json_add(json_t *files, const struct policy_source *src, int status, const struct bj_diags *diags);

/* Append the entry of a file that could not be read (err: a negative errno). 0, or -ENOMEM. */
int diags_json_add_unread(json_t *files, const char *origin, int status, int err);

/* Print the document on out, a line; 0, or -ENOMEM / -EIO. */
int diags_json_print(FILE *out, const char *host_checks, int status, json_t *files);
