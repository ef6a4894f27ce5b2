// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "paths.h"

bool pattern_split(const char *pattern, struct pattern_parts *out)
{
	const char *p = pattern;

	out->n = 0;
	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (!len)
			break;
		/* a trailing "**" changes nothing */
		if (len == 2 && !strncmp(p, "**", 2) && !p[len])
			break;
		if (out->n == PATTERN_MAX_DEPTH)
			return false;
		out->at[out->n] = p;
		out->len[out->n++] = len;
		p += len;
	}
	return true;
}

static bool is_star(const struct pattern_parts *a, size_t i)
{
	return a->len[i] == 1 && a->at[i][0] == '*';
}

static bool same(const struct pattern_parts *a, const struct pattern_parts *b, size_t i)
{
	return a->len[i] == b->len[i] && !memcmp(a->at[i], b->at[i], a->len[i]);
}

bool pattern_matches(const struct pattern_parts *a, const struct pattern_parts *p)
{
	if (a->n > p->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!is_star(a, i) && !same(a, p, i))
			return false;
	return true;
}

bool pattern_overlaps(const struct pattern_parts *a, const struct pattern_parts *b)
{
	size_t n = a->n < b->n ? a->n : b->n;

	for (size_t i = 0; i < n; i++)
		if (!is_star(a, i) && !is_star(b, i) && !same(a, b, i))
			return false;
	return true;
}

int pattern_rank(const struct pattern_parts *a, const struct pattern_parts *b)
{
	size_t n = a->n < b->n ? a->n : b->n;

	for (size_t i = 0; i < n; i++) {
		bool sa = is_star(a, i), sb = is_star(b, i);

		if (sa != sb)
			return sa ? -1 : 1;
	}
	return a->n > b->n ? 1 : a->n < b->n ? -1 : 0;
}
