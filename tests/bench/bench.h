/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bj-bench: time one operation in a tight loop (see README.md here). Each
 * operation prepares what it needs once (a listener, a path), then runs as
 * often as asked; both return 0 or -errno and say themselves what failed.
 */
#pragma once

#include <errno.h>

struct bench_op {
	const char *name;
	const char *arg;              /* what its one argument is, for usage */
	int (*setup)(const char *arg); /* once, before any timing */
	int (*run)(void);             /* the operation measured */
};

extern const struct bench_op bench_ops[];

/* -errno of the last failed call, after saying which call on which object. */
int bench_fail(const char *what, const char *object);

/* Restrict this process with Landlock as the rules file says (landlock.c). */
int bench_landlock(const char *rules_file);
