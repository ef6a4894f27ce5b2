// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failures: parse each fixture again and again, making the
 * first, then the second, then the third... allocation fail, until a parse
 * makes fewer allocations than the one that would fail; then the same for
 * compiling the parsed policy into tables. Each run must end with the
 * result of a run without failures or with an "out of memory" error, and
 * free everything (the suite runs under valgrind and LeakSanitizer).
 *
 * malloc, calloc and realloc are wrapped at link time (-Wl,--wrap=...) in
 * the policy library, its JSON reader included. Allocations of the
 * diagnostics themselves are left alone: diags_add() aborts rather than
 * lose one, by design.
 *
 * Usage: test-policy-oom FIXTURE..., where FIXTURE may be FILE:FILE...: a
 * main policy and its fragments, parsed as one.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "fixtures.h"
#include "policy.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

static long countdown = -1; /* allocations left before the one that fails; -1: none fails */
static bool failed;

static bool fail_now(void)
{
	if (countdown < 0 || countdown--)
		return false;
	failed = true;
	return true;
}

void *__wrap_malloc(size_t size)
{
	return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return fail_now() ? NULL : __real_realloc(p, size);
}

/* Parse files with allocation number fail_at failing; false once no allocation failed. */
static bool parse_failing(const char *name, const struct bj_policy_file *files, size_t n, long fail_at,
			  const char *clean)
{
	struct bj_policy *policy = NULL;
	struct bj_diags diags;
	char *printed;
	int err;

	diags_init(&diags);
	failed = false;
	countdown = fail_at;
	err = policy_parse_files(files, n, &policy, &diags);
	countdown = -1;
	printed = diags_text(&diags, name);
	/* Some allocations cost nothing but speed or order when they fail: then the result stands. */
	if (failed && (!err != !!policy ||
		       (strcmp(printed, clean) && !(err && strstr(printed, "error: out of memory")))))
		check(false, "oom %s: allocation %ld fails: %s", name, fail_at, printed);
	free(printed);
	diags_free(&diags);
	policy_free(policy);
	return failed;
}

/*
 * Compile policy with allocation number fail_at failing (-1: none); what
 * policy_compile() returned, and into *printed its diagnostics.
 */
static int compile_once(const char *name, const struct bj_policy *policy, long fail_at, char **printed)
{
	struct bj_compile_opts opts = { .hash_key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL } };
	struct bj_tables *tables = NULL;
	struct bj_diags diags;
	int err;

	diags_init(&diags);
	failed = false;
	countdown = fail_at;
	err = policy_compile(policy, &opts, &tables, &diags);
	countdown = -1;
	*printed = diags_text(&diags, name);
	diags_free(&diags);
	tables_free(tables);
	return err;
}

/* A fixture that parses: every allocation of its compilation fails in turn. */
static void test_compile(const char *name, const struct bj_policy *policy)
{
	char *clean, *printed;
	int clean_err, err;
	long n = 0;

	clean_err = compile_once(name, policy, -1, &clean);
	for (;;) {
		err = compile_once(name, policy, n, &printed);
		if (failed && (err != clean_err || strcmp(printed, clean)) &&
		    !(err && strstr(printed, "error: out of memory")))
			check(false, "oom %s: compile: allocation %ld fails: %s", name, n, printed);
		free(printed);
		if (!failed)
			break;
		n++;
	}
	free(clean);
	check(n > 0, "oom %s: each of %ld allocations of the compiler failed in turn", name, n);
}

/* A fixture, or FILE:FILE...: a main policy and its fragments. */
static void test_fixture(const char *arg)
{
	struct bj_policy_file files[8] = { 0 };
	struct bj_policy *policy = NULL;
	char *paths = strdup(arg), *next = paths, *clean;
	const char *name;
	struct bj_diags diags;
	size_t n = 0;
	long fail_at = 0;

	if (!paths) {
		check(false, "oom %s: out of memory before the test", arg);
		return;
	}
	while (next && n < sizeof(files) / sizeof(files[0])) {
		char *path = strsep(&next, ":");
		size_t len;

		files[n].origin = path;
		files[n].text = read_file(path, &len);
		files[n].len = len;
		if (!files[n++].text) {
			check(false, "oom %s: %m", path);
			goto out;
		}
	}
	name = strrchr(files[0].origin, '/') ? strrchr(files[0].origin, '/') + 1 : files[0].origin;
	files[0].origin = name;
	diags_init(&diags);
	policy_parse_files(files, n, &policy, &diags);
	clean = diags_text(&diags, name);
	if (policy)
		test_compile(name, policy);
	policy_free(policy);
	diags_free(&diags);
	while (parse_failing(name, files, n, fail_at, clean))
		fail_at++;
	check(fail_at > 0, "oom %s: each of %ld allocations failed in turn", arg, fail_at);
	free(clean);
out:
	for (size_t i = 0; i < n; i++)
		free((char *)files[i].text);
	free(paths);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		test_fixture(argv[i]);
	return check_summary();
}
