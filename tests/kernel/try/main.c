// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "try.h"

static const struct try_op *const tables[] = { try_file_ops, try_net_ops, try_proc_ops };

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
	fputs("usage: bj-try [fork | repeat N] OP ARGS...\n", stderr);
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

int main(int argc, char **argv)
{
	pid_t pid;
	int status;

	setvbuf(stdout, NULL, _IONBF, 0);
	/* "repeat N OP...": the same N times in a row (floods of denials); reports the last. */
	if (argc > 3 && !strcmp(argv[1], "repeat")) {
		long n = strtol(argv[2], NULL, 10);
		const struct try_op *op = find(argv[3]);
		int err = 0;

		if (n < 1 || !op || argc - 4 != op->argc) {
			usage();
			return 2;
		}
		for (long i = 0; i < n; i++)
			err = op->run(argv + 4);
		return report(err);
	}
	/* "fork OP...": the same, from a child, to check that the jail is inherited. */
	if (argc > 1 && !strcmp(argv[1], "fork")) {
		pid = fork();
		if (pid < 0)
			return report(fail());
		if (pid == 0)
			exit(run(argc - 2, argv + 2));
		if (waitpid(pid, &status, 0) < 0)
			return report(fail());
		return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
	}
	return run(argc - 1, argv + 1);
}
