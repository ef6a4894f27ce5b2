/* SPDX-License-Identifier: GPL-2.0 */
/* A growable array of fixed-size items: the one allocation pattern the compiler needs. */
#pragma once

#include <stddef.h>

struct vec {
	void *items;
	size_t n;
	size_t cap;
	size_t size; /* bytes per item */
};

#define VEC_INIT(type) ((struct vec){ .size = sizeof(type) })

/* Append one zeroed item; returns it, or NULL (errno ENOMEM) with the vector unchanged. */
void *vec_push(struct vec *v);

/* Hand the items to the caller (who frees them) and leave the vector empty. */
void *vec_take(struct vec *v, size_t *n);

void vec_free(struct vec *v);
