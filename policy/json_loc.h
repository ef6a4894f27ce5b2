/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where each value of a JSON document starts in its text. jansson reports a
 * line and column only for syntax errors; to point at a value that parsed
 * fine but failed validation, the text is scanned a second time alongside
 * the tree jansson built from it.
 *
 * Locations are keyed by the slot a value occupies (its parent object and
 * key, or its parent array and index), not by the value: jansson shares one
 * json_t for every true, false and null in a document.
 */
#pragma once

#include <jansson.h>

#include "diag.h"

struct json_locs;

/* The first key found twice in one object. */
struct json_dup {
	const json_t *object; /* NULL when there is none */
	const char *key;      /* owned by object */
	struct bj_loc first;  /* of the first occurrence of the key */
	struct bj_loc second;
};

/*
 * Scan text, from which jansson built root, and record the location of
 * every member value, member key and array element. If dup is not NULL it
 * receives the first duplicated key; that needs a tree loaded without
 * JSON_REJECT_DUPLICATES (where jansson kept the last value of such a key).
 * Returns 0, or -1 when out of memory.
 */
int json_locs_build(const char *text, size_t len, const json_t *root, struct json_locs **out,
		    struct json_dup *dup);
void json_locs_free(struct json_locs *locs);

/* The line and column of the byte at offset in text. */
struct bj_loc json_loc_offset(const char *text, size_t offset);

/* Each returns line 0 when the location is not known. */
struct bj_loc json_loc_root(const struct json_locs *locs);
struct bj_loc json_loc_member(const struct json_locs *locs, const json_t *object, const char *key);
struct bj_loc json_loc_key(const struct json_locs *locs, const json_t *object, const char *key);
struct bj_loc json_loc_element(const struct json_locs *locs, const json_t *array, size_t index);
