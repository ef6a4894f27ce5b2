/* SPDX-License-Identifier: GPL-2.0 */
/* A policy of several files joined into one tree before validation (fragments.c). */
#pragma once

#include "parser.h"

/* The document, "roles" and the seven joined lists. */
#define MERGE_MAX_OWNED 9

struct merge {
	struct json_node *root;
	struct json_node *owned[MERGE_MAX_OWNED]; /* made here; the values in them are borrowed */
	size_t n_owned;
};

/*
 * The document of the files' trees roots[0..n) joined (roots[0] itself
 * when there is one, or it is no object): what the fragments may not
 * set, or set differently, is reported. Free with merge_free() before the
 * trees.
 */
const struct json_node *merge_files(struct parser *ps, struct merge *m, struct json_node *const *roots, size_t n);
void merge_free(struct merge *m);
