/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records waiting for the journal to come back: a bounded FIFO of raw
 * records. What does not fit is counted, never silently dropped.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define QUEUE_MAX 1024u

struct queued {
	size_t size;
	unsigned char data[];
};

struct queue {
	struct queued *items[QUEUE_MAX];
	unsigned int head; /* oldest */
	unsigned int n;
	uint64_t dropped;  /* records that found the queue full (or no memory) */
};

void queue_push(struct queue *q, const void *data, size_t size);
const struct queued *queue_peek(const struct queue *q);
void queue_pop(struct queue *q);
void queue_free(struct queue *q);
