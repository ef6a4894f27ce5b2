// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "index_map.h"

/* Open addressing with linear probing, at most half full. */
struct index_slot {
	bool used;
	const char *name; /* NULL in a map of numbers */
	uint64_t number;
	size_t index;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static uint64_t hash(const char *name, uint64_t number)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */

	if (!name)
		return mix(number);
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		h = (h ^ *c) * 0x100000001b3ull;
	return mix(h);
}

/* The slot of the key, or the empty slot where it would go. */
static struct index_slot *find(const struct index_map *m, const char *name, uint64_t number)
{
	size_t mask = m->cap - 1;

	for (size_t i = hash(name, number) & mask;; i = (i + 1) & mask) {
		struct index_slot *s = &m->slots[i];

		if (!s->used || (name ? !strcmp(s->name, name) : s->number == number))
			return s;
	}
}

static ssize_t get(const struct index_map *m, const char *name, uint64_t number)
{
	const struct index_slot *s = m->cap ? find(m, name, number) : NULL;

	return s && s->used ? (ssize_t)s->index : -1;
}

static int grow(struct index_map *m)
{
	struct index_map bigger = { .cap = m->cap ? 2 * m->cap : 16, .n = m->n };

	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].used)
			*find(&bigger, m->slots[i].name, m->slots[i].number) = m->slots[i];
	free(m->slots);
	*m = bigger;
	return 0;
}

static int put(struct index_map *m, const char *name, uint64_t number, size_t index)
{
	struct index_slot *s;

	if (2 * (m->n + 1) > m->cap && grow(m))
		return -1;
	s = find(m, name, number);
	if (!s->used)
		m->n++;
	*s = (struct index_slot){ .used = true, .name = name, .number = number, .index = index };
	return 0;
}

ssize_t index_map_get(const struct index_map *m, const char *name)
{
	return get(m, name, 0);
}

ssize_t index_map_get_number(const struct index_map *m, uint64_t number)
{
	return get(m, NULL, number);
}

int index_map_put(struct index_map *m, const char *name, size_t index)
{
	return put(m, name, 0, index);
}

int index_map_put_number(struct index_map *m, uint64_t number, size_t index)
{
	return put(m, NULL, number, index);
}

void index_map_free(struct index_map *m)
{
	free(m->slots);
	*m = INDEX_MAP_INIT;
}
