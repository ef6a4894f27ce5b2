// SPDX-License-Identifier: GPL-2.0
/*
 * bj-bench: time one operation (ops.c) in a tight loop on a pinned CPU.
 *
 *   bj-bench [--cpu N] [--landlock RULES] [--count REPEATS] LABEL OP ARG BATCHES ITERATIONS
 *       BATCHES times ITERATIONS operations, timed per batch; prints
 *       "time LABEL NS" with the median batch's ns per operation. Then
 *       REPEATS (default 7) single operations, each between the icount
 *       markers (icount.h), each followed by a line "icount LABEL", for the
 *       runner to set beside the plugin's counts (it takes their median).
 *       Natively the markers do nothing.
 *   bj-bench nop                    exit 0 at once: what the exec operation runs
 *   bj-bench run CMD [ARGS...]      run CMD; print "run WALL_MS MAXRSS_KIB"; its exit status
 *   bj-bench mkfiles DIR N          create N empty files DIR/0 ... DIR/N-1
 *
 * Static: a role without file access may still run it, and no dynamic
 * loader runs at each exec (slow under emulation, and not what is measured).
 * The output is line-oriented and tab-separated for tests/bench/run-bench.
 */
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "icount.h"

int bench_fail(const char *what, const char *object)
{
	int err = errno ? errno : EIO;

	fprintf(stderr, "bj-bench: %s %s: %s\n", what, object, strerror(err));
	return -err;
}

static long number(const char *what, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "bj-bench: %s %s: not a number from %ld to %ld\n", what, s, min, max);
		exit(2);
	}
	return v;
}

static double now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts)) {
		bench_fail("clock_gettime", "CLOCK_MONOTONIC");
		exit(1);
	}
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int measure(const char *label, const struct bench_op *op, long batches, long iterations, long repeats)
{
	double *per_op = calloc(batches, sizeof(*per_op));
	int err = 0;

	if (!per_op)
		return bench_fail("calloc", "batches");
	/* One batch unmeasured first: caches, slabs and the listener's queues warm up. */
	for (long i = 0; i < iterations && !err; i++)
		err = op->run();
	for (long b = 0; b < batches && !err; b++) {
		double start = now_ns();

		for (long i = 0; i < iterations && !err; i++)
			err = op->run();
		per_op[b] = (now_ns() - start) / iterations;
	}
	if (!err) {
		qsort(per_op, batches, sizeof(*per_op), cmp_double);
		printf("time\t%s\t%.0f\n", label, per_op[batches / 2]);
	}
	free(per_op);
	for (long r = 0; r < repeats && !err; r++) {
		bj_icount_begin();
		err = op->run();
		bj_icount_end();
		printf("icount\t%s\n", label);
	}
	return err;
}

/* Wall time and peak RSS of a command: for the bootstrap. */
static int run_command(char **argv)
{
	struct rusage ru;
	double start = now_ns();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return bench_fail("fork", argv[0]);
	if (pid == 0) {
		execvp(argv[0], argv);
		bench_fail("exec", argv[0]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return bench_fail("wait4", argv[0]);
	printf("run\t%.1f\t%ld\n", (now_ns() - start) / 1e6, ru.ru_maxrss);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Files to enroll by the thousand: one exec of this instead of one shell loop step each. */
static int make_files(const char *dir, long n)
{
	char path[4096];

	for (long i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%ld", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0 || close(fd))
			return bench_fail("create", path);
	}
	return 0;
}

static void usage(void)
{
	fputs("usage: bj-bench [--cpu N] [--landlock RULES] [--count REPEATS] LABEL OP ARG BATCHES ITERATIONS\n"
	      "       bj-bench nop | run CMD [ARGS...] | mkfiles DIR N\n"
	      "operations:\n",
	      stderr);
	for (const struct bench_op *op = bench_ops; op->name; op++)
		fprintf(stderr, "  %s %s\n", op->name, op->arg);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "cpu", required_argument, NULL, 'c' },
		{ "landlock", required_argument, NULL, 'l' },
		{ "count", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *landlock = NULL;
	const struct bench_op *op;
	long cpu = -1, repeats = 7;
	int opt, err;

	if (argc == 2 && !strcmp(argv[1], "nop"))
		return 0;
	if (argc >= 3 && !strcmp(argv[1], "run"))
		return run_command(argv + 2);
	if (argc == 4 && !strcmp(argv[1], "mkfiles"))
		return make_files(argv[2], number("N", argv[3], 1, 10000000)) ? 1 : 0;
	while ((opt = getopt_long(argc, argv, "+", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			cpu = number("--cpu", optarg, 0, CPU_SETSIZE - 1);
			break;
		case 'l':
			landlock = optarg;
			break;
		case 'r':
			repeats = number("--count", optarg, 0, 1000);
			break;
		default:
			usage();
			return 2;
		}
	}
	if (argc - optind != 5) {
		usage();
		return 2;
	}
	for (op = bench_ops; op->name && strcmp(op->name, argv[optind + 1]); op++)
		;
	if (!op->name) {
		usage();
		return 2;
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			bench_fail("sched_setaffinity", "--cpu");
			return 1;
		}
	}
	/* Before setup: a listener's bind is one of the things restricted. */
	if (landlock && bench_landlock(landlock))
		return 1;
	if (op->setup(argv[optind + 2]))
		return 1;
	err = measure(argv[optind], op, number("BATCHES", argv[optind + 3], 1, 1000),
		      number("ITERATIONS", argv[optind + 4], 1, 10000000), repeats);
	return err ? 1 : 0;
}
