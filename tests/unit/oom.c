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
 * Usage: test-policy-oom FIXTURE...
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

/* Parse text with allocation number fail_at failing; false once no allocation failed. */
static bool parse_failing(const char *name, const char *text, size_t len, long fail_at,
			  const char *clean)
{
	struct bj_policy *policy = NULL;
	struct bj_diags diags;
	char *printed;
	int err;

	diags_init(&diags);
	failed = false;
	countdown = fail_at;
	err = policy_parse(text, len, name, &policy, &diags);
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

static void test_fixture(const char *path)
{
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct bj_policy *policy = NULL;
	struct bj_diags diags;
	char *text, *clean;
	size_t len;
	long n = 0;

	text = read_file(path, &len);
	if (!text) {
		check(false, "oom %s: %m", path);
		return;
	}
	diags_init(&diags);
	policy_parse(text, len, name, &policy, &diags);
	clean = diags_text(&diags, name);
	if (policy)
		test_compile(name, policy);
	policy_free(policy);
	diags_free(&diags);
	while (parse_failing(name, text, len, n, clean))
		n++;
	check(n > 0, "oom %s: each of %ld allocations failed in turn", name, n);
	free(clean);
	free(text);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		test_fixture(argv[i]);
	return check_summary();
}
