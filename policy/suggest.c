// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "suggest.h"

#define SUGGEST_MAX_LEN 64

/* Optimal string alignment distance: edits, counting a swap of two neighbours as one. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][SUGGEST_MAX_LEN + 1];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *oldest = prev2;

		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = prev[j - 1] + cost;

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		prev2 = prev;
		prev = cur;
		cur = oldest;
	}
	return prev[lb];
}

void suggest_consider(struct suggestion *s, const char *candidate)
{
	size_t len = strnlen(candidate, SUGGEST_MAX_LEN + 1);
	size_t typed = strnlen(s->typed, SUGGEST_MAX_LEN + 1);
	size_t limit = len / 3 > 2 ? len / 3 : 2, d;

	if (*s->budget < (typed + 1) * (len + 1)) {
		*s->budget = 0;
		return;
	}
	*s->budget -= (typed + 1) * (len + 1);
	/* edits are at least the difference in length: most candidates end here */
	if (typed > SUGGEST_MAX_LEN || len > SUGGEST_MAX_LEN || typed > len + limit)
		return;
	if (typed >= 4 && typed < len && !strncmp(candidate, s->typed, typed))
		d = 1;
	else
		d = edit_distance(s->typed, candidate);
	if (d <= limit && d < len && (!s->best || d < s->distance)) {
		s->best = candidate;
		s->distance = d;
	}
}
