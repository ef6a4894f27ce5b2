/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hash map from a name, or from a number, to an index: which role has
 * this key or id, which pod was listed where, which key an object already
 * holds. A map is used with names or with numbers, not both. Names are
 * borrowed: they must outlive the map.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct index_slot;

struct index_map {
	struct index_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

#define INDEX_MAP_INIT ((struct index_map){ 0 })

/* The index stored under name (number), or -1. */
ssize_t index_map_get(const struct index_map *m, const char *name);
ssize_t index_map_get_number(const struct index_map *m, uint64_t number);

/* Store index under name (number), replacing what was there. 0, or -1 when out of memory. */
int index_map_put(struct index_map *m, const char *name, size_t index);
int index_map_put_number(struct index_map *m, uint64_t number, size_t index);

void index_map_free(struct index_map *m);
