/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test harness that speaks TAP (meson's protocol 'tap'): one
 * "ok N - NAME" or "not ok N - NAME" line per case, then the plan "1..N"
 * and "# N passed, M failed". Details of a failure follow it on lines
 * starting with "#".
 */
#pragma once

#include <stdbool.h>

/* Record one case; returns ok so callers can add details on failure. */
bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A detail line under the last case. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the summary; the exit status for main(). */
int check_summary(void);
