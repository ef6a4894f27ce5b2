// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel objects that are not files, which root inside the jail tries to
 * reach (test-escape.sh): System V shared memory and POSIX message queues
 * of other processes, keys, prctl(PR_SET_MM), I/O signal owners set by
 * ioctl, console ioctls, and opens of a device for ioctl only. Harmless
 * when they succeed, as test-escape.sh's selftest runs each unjailed.
 */
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/tiocl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "try.h"

/*
 * shm-hold KEY SECONDS: make a segment under KEY and keep it SECONDS in a
 * child, which removes it then; prints the child's pid.
 */
static int op_shm_hold(char **argv)
{
	int id = shmget((key_t)strtol(argv[0], NULL, 0), 4096, IPC_CREAT | IPC_EXCL | 0600), held_by;

	if (id < 0)
		return fail();
	held_by = fork_holder();
	if (held_by)
		return held_by < 0 ? held_by : 0;
	sleep((unsigned)atoi(argv[1]));
	shmctl(id, IPC_RMID, NULL);
	_exit(0);
}

/* shm-attach KEY: find the segment by key and attach it. */
static int op_shm_attach(char **argv)
{
	int id = shmget((key_t)strtol(argv[0], NULL, 0), 0, 0);
	void *at;

	if (id < 0)
		return fail();
	at = shmat(id, NULL, SHM_RDONLY);
	if (at == (void *)-1)
		return fail();
	return shmdt(at) ? fail() : 0;
}

/* shm-stat ID: IPC_STAT of a segment by id, no key needed. */
static int op_shm_stat(char **argv)
{
	struct shmid_ds ds;

	return shmctl(atoi(argv[0]), IPC_STAT, &ds) < 0 ? fail() : 0;
}

/* shm-id KEY: print the id of the segment under KEY (for shm-stat). */
static int op_shm_id(char **argv)
{
	int id = shmget((key_t)strtol(argv[0], NULL, 0), 0, 0);

	if (id < 0)
		return fail();
	printf("%d\n", id);
	return 0;
}

/* mq-make /NAME: make a queue and leave it. */
static int op_mq_make(char **argv)
{
	mqd_t q = mq_open(argv[0], O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, NULL);

	if (q == (mqd_t)-1)
		return fail();
	return mq_close(q) ? fail() : 0;
}

/* mq-unlink /NAME */
static int op_mq_unlink(char **argv)
{
	return mq_unlink(argv[0]) ? fail() : 0;
}

/*
 * prctl-set-mm: PR_SET_MM_MAP_SIZE, which only asks a size and needs no
 * capability: what refuses it is the jail's hook on PR_SET_MM, not root's
 * missing CAP_SYS_RESOURCE.
 */
static int op_prctl_set_mm(char **argv)
{
	unsigned int size = 0;

	(void)argv;
	return prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, (unsigned long)&size, 0, 0) ? fail() : 0;
}

/* add-key: a user key in a new process keyring (the key and keyring go with the process). */
static int op_add_key(char **argv)
{
	long id;

	(void)argv;
	id = syscall(SYS_add_key, "user", "bj-escape", "x", 1, KEY_SPEC_PROCESS_KEYRING);

	return id < 0 ? fail() : 0;
}

/* fiosetown PID|self: make PID the owner of a socket's I/O signals, by ioctl. */
static int op_fiosetown(char **argv)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), err;
	int pid = strcmp(argv[0], "self") ? atoi(argv[0]) : (int)getpid();

	if (fd < 0)
		return fail();
	err = ioctl(fd, FIOSETOWN, &pid) ? fail() : 0;
	close(fd);
	return err;
}

/* tioclinux FD: TIOCLINUX (the harmless "get shift state") on an inherited console fd. */
static int op_tioclinux(char **argv)
{
	char arg = TIOCL_GETSHIFTSTATE;

	return ioctl(atoi(argv[0]), TIOCLINUX, &arg) ? fail() : 0;
}

/* open-ioctl PATH: open for ioctl only (O_RDWR|O_WRONLY, "mode 3"), which asks for no read or write. */
static int op_open_ioctl(char **argv)
{
	return got_fd(open(argv[0], O_RDWR | O_WRONLY | O_CLOEXEC));
}

const struct try_op try_object_ops[] = {
	{ "shm-hold", "KEY SECONDS (prints its pid)", 2, op_shm_hold },
	{ "shm-attach", "KEY", 1, op_shm_attach },
	{ "shm-id", "KEY", 1, op_shm_id },
	{ "shm-stat", "ID", 1, op_shm_stat },
	{ "mq-make", "/NAME", 1, op_mq_make },
	{ "mq-unlink", "/NAME", 1, op_mq_unlink },
	{ "prctl-set-mm", "", 0, op_prctl_set_mm },
	{ "add-key", "", 0, op_add_key },
	{ "fiosetown", "PID|self", 1, op_fiosetown },
	{ "tioclinux", "FD", 1, op_tioclinux },
	{ "open-ioctl", "PATH", 1, op_open_ioctl },
	{ 0 },
};
