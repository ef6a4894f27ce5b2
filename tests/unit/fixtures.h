/* SPDX-License-Identifier: GPL-2.0 */
/* Reading and parsing fixtures, and diagnostics as the text a person would see. */
#pragma once

#include <stddef.h>

#include "diag.h"
#include "policy.h"

/* The whole file, NUL-terminated, or NULL with errno set. */
char *read_file(const char *path, size_t *len);

/* What diags_print() writes for diags, as one string (free it). */
char *diags_text(const struct bj_diags *diags, const char *origin);

/* Parse dir/name; NULL on failure. Any diagnostic, a warning too, fails a check. */
struct bj_policy *parse_fixture(const char *dir, const char *name);
