/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File patterns as the kernel ranks them (bpfjailer-policy(5), FILE RULES):
 * a pattern matches its path and everything below it, * matches one
 * component, and of two patterns the more specific is the one with a
 * literal where the other has * at the first place they differ, else the
 * deeper one.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Components of an absolute path or pattern ("/" has none). */
#define PATTERN_MAX_DEPTH 256

struct pattern_parts {
	const char *at[PATTERN_MAX_DEPTH];
	size_t len[PATTERN_MAX_DEPTH];
	size_t n;
};

/* Split into components; false when deeper than PATTERN_MAX_DEPTH. */
bool pattern_split(const char *pattern, struct pattern_parts *out);

/* Whether pattern a matches path p (a literal path) or something below it. */
bool pattern_matches(const struct pattern_parts *a, const struct pattern_parts *p);

/* Whether some path matches both a and b (or lies below both). */
bool pattern_overlaps(const struct pattern_parts *a, const struct pattern_parts *b);

/* >0 when a is more specific than b, <0 when b is, 0 on a tie. */
int pattern_rank(const struct pattern_parts *a, const struct pattern_parts *b);
