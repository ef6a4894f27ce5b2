// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

/*
 * Formatted first, then written with one call: stderr is unbuffered, and
 * a line written in pieces could interleave with another process's.
 * (A fixed buffer: reporting must work when memory has run out.)
 */
static void say(const char *why, const char *fmt, va_list ap)
{
	char what[3 * PATH_MAX];

	vsnprintf(what, sizeof(what), fmt, ap);
	fprintf(stderr, "%s: %s%s%s\n", bj_program, what, why ? ": " : "", why ? why : "");
}

int bj_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(strerror(-err), fmt, ap);
	va_end(ap);
	return err;
}

int bj_fail(int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(NULL, fmt, ap);
	va_end(ap);
	return ret;
}

void bj_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(NULL, fmt, ap);
	va_end(ap);
}

int bj_oom(const char *what)
{
	return what ? bj_fail(-ENOMEM, "%s: out of memory", what) : bj_fail(-ENOMEM, "out of memory");
}
