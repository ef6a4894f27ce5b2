/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters in Prometheus's text exposition format, as a file that
 * node_exporter's textfile collector reads: replaced whole, never seen half
 * written.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "bpfjailer.h"

struct metrics {
	uint64_t decisions[BJ_HOOK_COUNT][BJ_DECISION_COUNT]; /* map "decisions", summed over the CPUs */
	uint64_t lost;        /* map "audit_lost": records the kernel could not write */
	uint64_t forwarded;   /* records this forwarder wrote to its output */
	unsigned int queued;  /* records waiting for the output to come back */
};

/* The exposition text of m into f: 0, or -EIO. */
int metrics_format(FILE *f, const struct metrics *m);

/*
 * Replace path with the text of m: a temporary file beside it, synced, then
 * renamed over it. 0, or a negative errno (nothing left behind); prints
 * nothing, the caller says why once.
 */
int metrics_write(const char *path, const struct metrics *m);
