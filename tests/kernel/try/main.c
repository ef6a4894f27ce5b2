// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "try.h"

static const struct try_op *const tables[] = { try_file_ops, try_net_ops, try_proc_ops,
						 try_escape_ops, try_object_ops };

static const struct try_op *find(const char *name)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct try_op *op = tables[t]; op->name; op++)
			if (!strcmp(op->name, name))
				return op;
	return NULL;
}

static void usage(void)
{
	fputs("usage: bj-try [PREFIX...] OP ARGS... (prefixes: see dispatch() in main.c)\n", stderr);
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct try_op *op = tables[t]; op->name; op++)
			fprintf(stderr, "  %s %s\n", op->name, op->args);
}

static int report(int err)
{
	if (!err) {
		puts("ok");
		return 0;
	}
	puts(strerrorname_np(-err) ? strerrorname_np(-err) : "EUNKNOWN");
	return 1;
}

static int run(int argc, char **argv)
{
	const struct try_op *op;

	if (argc < 1 || !(op = find(argv[0])) || argc - 1 != op->argc) {
		usage();
		return 2;
	}
	errno = 0;
	return report(op->run(argv + 1));
}

static int dispatch(int argc, char **argv);

/* Move the calling process into the cgroup directory dir. */
static int enter_cgroup(const char *dir)
{
	char path[4096];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "we");
	if (!f)
		return fail();
	if (fprintf(f, "0\n") < 0)
		err = fail();
	if (fclose(f) && !err)
		err = fail();
	return err;
}

/* Run path with args (argv[0] replaced by path); only a failure returns. */
static int exec_with(const char *path, char **args)
{
	args[-1] = (char *)path;
	execv(path, args - 1);
	return fail();
}

struct thread_job {
	int argc;
	char **argv;
	int result;
};

static void *thread_main(void *arg)
{
	struct thread_job *job = arg;

	job->result = dispatch(job->argc, job->argv);
	return NULL;
}

static int wait_child(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return report(fail());
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

/*
 * Prefixes say how to get to the operation, for the ways a jail must be
 * inherited or acquired:
 *   fork REST          from a child process
 *   thread REST        from a new thread
 *   vfork PATH REST    from a vfork()ed child that execs PATH REST
 *   via PATH REST      after exec'ing PATH REST (another binary, same process)
 *   cgroup DIR REST    after moving into DIR and exec'ing ourselves again
 *   in-cgroup DIR REST after moving into DIR, without an exec
 *   after-failed-exec PATH REST   after an exec of PATH that must fail
 *   repeat N OP ARGS   the operation N times in a row; reports the last
 *   linger S REST      REST, then stay alive S seconds: journald reads /proc/PID of OBJECT_PID=
 */
static int dispatch(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[0], "fork")) {
		pid_t pid = fork();

		if (pid == 0)
			exit(dispatch(argc - 1, argv + 1));
		return wait_child(pid);
	}
	if (argc > 1 && !strcmp(argv[0], "thread")) {
		struct thread_job job = { .argc = argc - 1, .argv = argv + 1, .result = 2 };
		pthread_t t;

		if (pthread_create(&t, NULL, thread_main, &job) || pthread_join(t, NULL))
			return report(-EAGAIN);
		return job.result;
	}
	if (argc > 2 && !strcmp(argv[0], "vfork")) {
		pid_t pid = vfork();

		if (pid == 0) {
			exec_with(argv[1], argv + 2);
			_exit(127);
		}
		return wait_child(pid);
	}
	if (argc > 1 && !strcmp(argv[0], "via"))
		return report(exec_with(argv[1], argv + 2));
	if (argc > 2 && !strcmp(argv[0], "cgroup")) {
		int err = enter_cgroup(argv[1]);

		return report(err ? err : exec_with("/proc/self/exe", argv + 2));
	}
	if (argc > 2 && !strcmp(argv[0], "in-cgroup")) {
		int err = enter_cgroup(argv[1]);

		return err ? report(err) : dispatch(argc - 2, argv + 2);
	}
	if (argc > 2 && !strcmp(argv[0], "after-failed-exec")) {
		char *args[] = { argv[1], NULL };

		execv(argv[1], args);
		return dispatch(argc - 2, argv + 2);
	}
	if (argc > 2 && !strcmp(argv[0], "linger")) {
		int ret = dispatch(argc - 2, argv + 2);

		sleep((unsigned int)atoi(argv[1]));
		return ret;
	}
	if (argc > 3 && !strcmp(argv[0], "repeat")) {
		long n = strtol(argv[1], NULL, 10);
		const struct try_op *op = find(argv[2]);
		int err = 0;

		if (n < 1 || !op || argc - 3 != op->argc) {
			usage();
			return 2;
		}
		for (long i = 0; i < n; i++)
			err = op->run(argv + 3);
		return report(err);
	}
	return run(argc, argv);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	return dispatch(argc - 1, argv + 1);
}
