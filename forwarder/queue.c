// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "queue.h"

void queue_push(struct queue *q, const void *data, size_t size)
{
	struct queued *item;

	if (q->n == QUEUE_MAX || !(item = malloc(sizeof(*item) + size))) {
		q->dropped++;
		return;
	}
	item->size = size;
	memcpy(item->data, data, size);
	q->items[(q->head + q->n++) % QUEUE_MAX] = item;
}

const struct queued *queue_peek(const struct queue *q)
{
	return q->n ? q->items[q->head] : NULL;
}

void queue_pop(struct queue *q)
{
	if (!q->n)
		return;
	free(q->items[q->head]);
	q->head = (q->head + 1) % QUEUE_MAX;
	q->n--;
}

void queue_free(struct queue *q)
{
	while (q->n)
		queue_pop(q);
}
