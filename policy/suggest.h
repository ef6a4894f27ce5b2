/* SPDX-License-Identifier: GPL-2.0 */
/* "Did you mean": the candidate closest to what was typed, if one is close enough. */
#pragma once

#include <stddef.h>

struct suggestion {
	const char *typed;
	const char *best; /* NULL until a candidate is close enough */
	size_t distance;
	/*
	 * Comparing is quadratic in the lengths; a parse has this many steps
	 * of it to spend (see ADVICE_BUDGET in parser.h), shared by all its
	 * suggestions. Once spent, nothing more is suggested.
	 */
	size_t *budget;
};

/*
 * Take candidate as the best if it is closer than the best so far and
 * close enough: at most 2 edits, or a third of the candidate, and not all
 * of it. A shortened key ("allow_net") counts as one edit away.
 */
void suggest_consider(struct suggestion *s, const char *candidate);
