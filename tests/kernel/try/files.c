// SPDX-License-Identifier: GPL-2.0
/* File operations, including the indirect ways to reach a file. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "try.h"

static int open_flags(const char *mode)
{
	if (!strcmp(mode, "r"))
		return O_RDONLY;
	if (!strcmp(mode, "w"))
		return O_WRONLY;
	if (!strcmp(mode, "rw"))
		return O_RDWR;
	if (!strcmp(mode, "create"))
		return O_WRONLY | O_CREAT;
	if (!strcmp(mode, "trunc"))
		return O_WRONLY | O_TRUNC;
	if (!strcmp(mode, "append"))
		return O_WRONLY | O_APPEND;
	return -1;
}

static int op_open(char **argv)
{
	int flags = open_flags(argv[1]), fd;

	if (flags < 0) {
		errno = EINVAL;
		return fail();
	}
	fd = open(argv[0], flags | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail();
	close(fd);
	return 0;
}

static int op_openat2(char **argv)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
	return got_fd((int)syscall(SYS_openat2, AT_FDCWD, argv[0], &how, sizeof(how)));
}

/* O_PATH is not an open for reading; reopening it through /proc must be. */
static int op_opath_reopen(char **argv)
{
	char proc[64];
	int fd = open(argv[0], O_PATH | O_CLOEXEC), fd2;

	if (fd < 0)
		return fail();
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	fd2 = open(proc, O_RDONLY | O_CLOEXEC);
	if (fd2 < 0) {
		int err = fail();

		close(fd);
		return err;
	}
	close(fd2);
	close(fd);
	return 0;
}

static int map_file(const char *path, int prot, bool later)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *p;
	int err = 0;

	if (fd < 0)
		return fail();
	p = mmap(NULL, 4096, later ? PROT_READ : prot, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		err = fail();
	else if (later && mprotect(p, 4096, prot))
		err = fail();
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);
	return err;
}

static int op_mmap_exec(char **argv)
{
	return map_file(argv[0], PROT_READ | PROT_EXEC, false);
}

static int op_mprotect_exec(char **argv)
{
	return map_file(argv[0], PROT_READ | PROT_EXEC, true);
}

static int op_unlink(char **argv)
{
	return unlink(argv[0]) ? fail() : 0;
}

static int op_rmdir(char **argv)
{
	return rmdir(argv[0]) ? fail() : 0;
}

static int op_mkdir(char **argv)
{
	return mkdir(argv[0], 0700) ? fail() : 0;
}

static int op_link(char **argv)
{
	return link(argv[0], argv[1]) ? fail() : 0;
}

static int op_symlink(char **argv)
{
	return symlink(argv[0], argv[1]) ? fail() : 0;
}

static int op_rename(char **argv)
{
	return rename(argv[0], argv[1]) ? fail() : 0;
}

static int op_exchange(char **argv)
{
	return syscall(SYS_renameat2, AT_FDCWD, argv[0], AT_FDCWD, argv[1], RENAME_EXCHANGE) ? fail() : 0;
}

/*
 * Open NAME in DIR, then again once FLAG exists (up to 60 s): the second
 * open is decided after whatever the test did to DIR's path meanwhile.
 */
static int op_reopen_when(char **argv)
{
	int fd;

	if (chdir(argv[0]))
		return fail();
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail();
	close(fd);
	for (int i = 0; access(argv[2], F_OK); i++) {
		if (i == 600) {
			errno = ETIMEDOUT;
			return fail();
		}
		usleep(100000);
	}
	return got_fd(open(argv[1], O_RDONLY | O_CLOEXEC));
}

static int op_truncate(char **argv)
{
	return truncate(argv[0], 0) ? fail() : 0;
}

static int op_chmod(char **argv)
{
	return chmod(argv[0], 0600) ? fail() : 0;
}

static int op_chown(char **argv)
{
	return chown(argv[0], getuid(), getgid()) ? fail() : 0;
}

/* exec replaces us; only a failure comes back to report. */
static int op_exec(char **argv)
{
	char *args[] = { argv[0], NULL };

	execv(argv[0], args);
	return fail();
}

static int op_execveat(char **argv)
{
	char *args[] = { argv[0], NULL }, *env[] = { NULL };
	int fd = open(argv[0], O_PATH | O_CLOEXEC);

	if (fd < 0)
		return fail();
	syscall(SYS_execveat, fd, "", args, env, AT_EMPTY_PATH);
	return fail();
}

/* Copy a program into an anonymous memfd and run it from there. */
static int op_memfd_exec(char **argv)
{
	char *args[] = { argv[0], NULL }, *env[] = { NULL }, buf[65536];
	int src = open(argv[0], O_RDONLY | O_CLOEXEC), mfd;
	ssize_t n;

	if (src < 0)
		return fail();
	mfd = memfd_create("bj-try", 0);
	if (mfd < 0)
		return fail();
	while ((n = read(src, buf, sizeof(buf))) > 0)
		if (write(mfd, buf, (size_t)n) != n)
			return fail();
	close(src);
	fexecve(mfd, args, env);
	return fail();
}

const struct try_op try_file_ops[] = {
	{ "open", "PATH r|w|rw|create|trunc|append", 2, op_open },
	{ "openat2", "PATH", 1, op_openat2 },
	{ "opath-reopen", "PATH", 1, op_opath_reopen },
	{ "mmap-exec", "PATH", 1, op_mmap_exec },
	{ "mprotect-exec", "PATH", 1, op_mprotect_exec },
	{ "unlink", "PATH", 1, op_unlink },
	{ "rmdir", "PATH", 1, op_rmdir },
	{ "mkdir", "PATH", 1, op_mkdir },
	{ "link", "OLD NEW", 2, op_link },
	{ "symlink", "TARGET NEW", 2, op_symlink },
	{ "rename", "OLD NEW", 2, op_rename },
	{ "exchange", "OLD NEW (renameat2 RENAME_EXCHANGE)", 2, op_exchange },
	{ "reopen-when", "DIR NAME FLAG (open NAME in DIR, again once FLAG exists)", 3, op_reopen_when },
	{ "truncate", "PATH", 1, op_truncate },
	{ "chmod", "PATH", 1, op_chmod },
	{ "chown", "PATH", 1, op_chown },
	{ "exec", "PATH", 1, op_exec },
	{ "execveat", "PATH", 1, op_execveat },
	{ "memfd-exec", "PATH", 1, op_memfd_exec },
	{ 0 },
};
