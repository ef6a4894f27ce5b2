/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bj-try: attempt one operation, the way an attacker inside the jail would,
 * and report what the kernel said. Prints "ok" or the errno name (EACCES,
 * EPERM, ...) on one line; exits 0 if the operation succeeded, 1 if it
 * failed, 2 on bad usage. Kernel tests run it jailed and compare.
 */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

struct try_op {
	const char *name;
	const char *args; /* usage, for --help */
	int argc;         /* arguments it takes */
	int (*run)(char **argv); /* 0, or -errno */
};

extern const struct try_op try_file_ops[];
extern const struct try_op try_net_ops[];
extern const struct try_op try_proc_ops[];
extern const struct try_op try_escape_ops[];
extern const struct try_op try_object_ops[];

/* Return -errno of the last failed call (for ops written as `return fail();`). */
static inline int fail(void)
{
	return errno ? -errno : -EIO;
}

/* An op that only has to get an fd: close it, or say why there is none. */
static inline int got_fd(int fd)
{
	if (fd < 0)
		return fail();
	close(fd);
	return 0;
}
