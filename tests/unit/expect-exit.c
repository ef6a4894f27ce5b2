// SPDX-License-Identifier: GPL-2.0
/*
 * expect-exit [--stdin FILE] CODE TEXT... -- PROGRAM ARGS...: run PROGRAM,
 * which must exit with status CODE (not a signal) and print every TEXT
 * (stdout and stderr together); with --stdin, FILE is its standard input.
 * The tests that must fail: not any failure, that one, said so.
 * Speaks TAP: one case for the status, one for each TEXT.
 *
 * PROGRAM exiting 98 or 99 (a sanitizer or valgrind finding, as .ci/run
 * sets them up; valgrind follows it here with --trace-children=yes) makes
 * this exit with that status too, whatever CODE is: .ci/summarize counts it
 * as a finding, never as the expected failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* TEXT on one line of TAP: a newline in it shown as \\n. */
static void print_one_line(const char *text)
{
	for (; *text; text++)
		if (*text == '\n')
			fputs("\\n", stdout);
		else
			putchar(*text);
}

int main(int argc, char **argv)
{
	char *out = NULL, *end;
	size_t len = 0, cap = 0;
	int fds[2], status, want, first_text = 2, sep, n = 0, failed = 0, in = -1;
	pid_t pid;

	if (argc > 3 && !strcmp(argv[1], "--stdin")) {
		in = open(argv[2], O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			fprintf(stderr, "expect-exit: %s: %s\n", argv[2], strerror(errno));
			return 2;
		}
		argv += 2;
		argc -= 2;
	}
	for (sep = first_text; sep < argc && strcmp(argv[sep], "--"); sep++)
		;
	if (argc < 2 || sep >= argc - 1) {
		fprintf(stderr, "usage: expect-exit [--stdin FILE] CODE TEXT... -- PROGRAM ARGS...\n");
		return 2;
	}
	want = (int)strtol(argv[1], &end, 10);
	if (*end || want < 0 || want > 255) {
		fprintf(stderr, "expect-exit: %s: not an exit status\n", argv[1]);
		return 2;
	}
	if (pipe(fds)) {
		perror("expect-exit: pipe");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("expect-exit: fork");
		return 2;
	}
	if (!pid) {
		if (in >= 0)
			dup2(in, STDIN_FILENO);
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(argv[sep + 1], argv + sep + 1);
		fprintf(stderr, "expect-exit: %s: %s\n", argv[sep + 1], strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	if (in >= 0)
		close(in);
	for (;;) {
		ssize_t got;

		if (cap - len < 4096) {
			cap = cap ? 2 * cap : 65536;
			out = realloc(out, cap + 1);
			if (!out) {
				perror("expect-exit");
				return 2;
			}
		}
		got = read(fds[0], out + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	out[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("expect-exit: waitpid");
			return 2;
		}

	printf("# %s", argv[sep + 1]);
	for (int i = sep + 2; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	if (WIFEXITED(status) && WEXITSTATUS(status) == want) {
		printf("ok %d - exit status %d\n", ++n, want);
	} else {
		failed++;
		if (WIFEXITED(status))
			printf("not ok %d - exit status %d: got %d\n", ++n, want, WEXITSTATUS(status));
		else
			printf("not ok %d - exit status %d: killed by signal %d\n", ++n, want,
			       WIFSIGNALED(status) ? WTERMSIG(status) : -1);
	}
	for (int i = first_text; i < sep; i++) {
		bool says = strstr(out, argv[i]);

		failed += !says;
		printf("%s %d - says \"", says ? "ok" : "not ok", ++n);
		print_one_line(argv[i]);
		printf("\"\n");
	}
	printf("1..%d\n", n);
	if (failed) {
		/* What it said, as TAP comments. */
		for (char *line = out; *line;) {
			size_t l = strcspn(line, "\n");

			printf("# | %.*s\n", (int)l, line);
			line += l + (line[l] == '\n');
		}
	}
	free(out);
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 98 || WEXITSTATUS(status) == 99)) {
		fprintf(stderr, "expect-exit: %s exited %d: a sanitizer or valgrind finding\n", argv[sep + 1],
			WEXITSTATUS(status));
		return WEXITSTATUS(status);
	}
	return failed ? 1 : 0;
}
