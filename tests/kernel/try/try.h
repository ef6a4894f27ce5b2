/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bj-try: attempt one operation, the way an attacker inside the jail would,
 * and report what the kernel said. Prints "ok" or the errno name (EACCES,
 * EPERM, ...) on one line; exits 0 if the operation succeeded, 1 if it
 * failed, 2 on bad usage. Kernel tests run it jailed and compare.
 */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
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

/*
 * Go on in a child that outlives the op (a listener, a holder): the parent
 * prints the child's pid and gets 1; the child gets 0, its standard
 * streams on /dev/null so that whoever reads the pid is not held open by
 * them; a negative errno if there is no child.
 */
static inline int fork_holder(void)
{
	pid_t pid = fork();
	int null;

	if (pid < 0)
		return fail();
	if (pid > 0) {
		printf("%d\n", (int)pid);
		return 1;
	}
	null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	return 0;
}

/* An op that only has to get an fd: close it, or say why there is none. */
static inline int got_fd(int fd)
{
	if (fd < 0)
		return fail();
	close(fd);
	return 0;
}
