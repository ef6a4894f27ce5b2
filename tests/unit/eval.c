// SPDX-License-Identifier: GPL-2.0
/*
 * The compiled tables against the reference (eval.h), on every shipped
 * policy and valid fixture, then on random policies.
 *
 * Usage: test-eval POLICY_DIR UNIT_DIR. The random policies come from a
 * new seed each run, printed in the test's name; BJ_EVAL_SEED=SEED replays
 * a run, BJ_EVAL_COUNT=N sets how many policies it makes. A failure names
 * the policy, the role, the path or port, the right, and both answers; for
 * a random policy also its own seed and text.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "eval.h"
#include "fixtures.h"

#define RANDOM_POLICIES 300
#define RANDOM_PATHS 200 /* per role */

struct totals {
	size_t policies, paths, nets;
};

/* A failure's details, a TAP comment per line (text is cut up). */
static void note_lines(char *text)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		note("%s", line);
}

/* Parse and compile text; on failure NULL, and the diagnostics in *why (free it). */
static struct bj_tables *build(const char *text, size_t len, const char *origin, const __u64 key[2],
			       struct bj_policy **policy, char **why)
{
	struct bj_compile_opts copts = { .hash_key = { key[0], key[1] } };
	struct bj_tables *t = NULL;
	struct bj_diags diags;

	diags_init(&diags);
	*why = NULL;
	if (!policy_parse(text, len, origin, policy, &diags))
		policy_compile(*policy, &copts, &t, &diags);
	if (!t)
		*why = diags_text(&diags, origin);
	diags_free(&diags);
	return t;
}

/* Every role of p until one disagrees; the first disagreement (free it), or NULL. */
static char *agree_policy(const struct bj_policy *p, const struct bj_tables *t, const struct probe_limits *lim,
			  struct totals *sum)
{
	for (size_t i = 0; i < p->n_roles; i++) {
		struct agreement a = { 0 };

		agree_role(p, t, i, lim, &a);
		sum->paths += a.paths;
		sum->nets += a.nets;
		if (a.mismatch)
			return a.mismatch;
	}
	sum->policies++;
	return NULL;
}

static void agree_file(const char *path)
{
	static const __u64 key[2] = { 0x5eed5eed5eed5eedull, 0x0123456789abcdefull };
	struct probe_limits lim = { 0 };
	struct totals sum = { 0 };
	struct bj_policy *p = NULL;
	struct bj_tables *t;
	char *text, *why;
	size_t len;

	text = read_file(path, &len);
	if (!text) {
		check(false, "eval: %s: %m", path);
		return;
	}
	t = build(text, len, path, key, &p, &why);
	if (t)
		why = agree_policy(p, t, &lim, &sum);
	if (!check(!why, "eval: %s: %zu paths and %zu network probes, tables agree with the reference", path,
		   sum.paths, sum.nets))
		note_lines(why);
	free(why);
	tables_free(t);
	policy_free(p);
	free(text);
}

static int is_json(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 5 && !strcmp(e->d_name + n - 5, ".json");
}

static void agree_dir(const char *dir)
{
	struct dirent **entries;
	int n = scandir(dir, &entries, is_json, alphasort);

	if (!check(n > 0, "eval: policies in %s (%d)", dir, n))
		return;
	for (int i = 0; i < n; i++) {
		char *path;

		if (asprintf(&path, "%s/%s", dir, entries[i]->d_name) < 0)
			abort();
		agree_file(path);
		free(path);
		free(entries[i]);
	}
	free(entries);
}

/* The random policy of this seed; what went wrong with it (free it), or NULL. */
static char *agree_random(uint64_t seed, struct totals *sum)
{
	uint64_t rng = seed;
	struct probe_limits lim = { .rng = &rng, .random_paths = RANDOM_PATHS };
	__u64 key[2] = { eval_rand(&rng), eval_rand(&rng) };
	char *text = random_policy(&rng), *why, *failure = NULL;
	struct bj_policy *p = NULL;
	struct bj_tables *t = build(text, strlen(text), "random.json", key, &p, &why);

	if (t)
		why = agree_policy(p, t, &lim, sum);
	if (why && asprintf(&failure, "random policy of seed %#llx (replay: BJ_EVAL_SEED=%#llx BJ_EVAL_COUNT=1):\n"
			    "%s\nthe policy: %s", (unsigned long long)seed, (unsigned long long)seed, why, text) < 0)
		abort();
	free(why);
	tables_free(t);
	policy_free(p);
	free(text);
	return failure;
}

static uint64_t env_number(const char *name, uint64_t otherwise)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : otherwise;
}

#define MAX_FAILURES 3

static void agree_randoms(void)
{
	uint64_t seed = env_number("BJ_EVAL_SEED", (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid());
	uint64_t count = env_number("BJ_EVAL_COUNT", RANDOM_POLICIES);
	char *failures[MAX_FAILURES];
	struct totals sum = { 0 };
	size_t failed = 0;

	/* Policy i has seed seed + i: a failure replays on its own. */
	for (uint64_t i = 0; i < count && failed < MAX_FAILURES; i++)
		if ((failures[failed] = agree_random(seed + i, &sum)))
			failed++;
	check(!failed, "eval: %zu random policies (BJ_EVAL_SEED=%#llx): %zu paths and %zu network probes, "
		       "tables agree with the reference", sum.policies, (unsigned long long)seed, sum.paths,
	      sum.nets);
	for (size_t i = 0; i < failed; i++) {
		note_lines(failures[i]);
		free(failures[i]);
	}
}

int main(int argc, char **argv)
{
	char *examples, *shipped_default, *valid;

	if (argc != 3) {
		fprintf(stderr, "usage: %s POLICY_DIR UNIT_DIR\n", argv[0]);
		return 2;
	}
	if (asprintf(&examples, "%s/examples", argv[1]) < 0 || asprintf(&shipped_default, "%s/default.json", argv[1]) < 0 ||
	    asprintf(&valid, "%s/valid", argv[2]) < 0)
		return 2;
	agree_dir(examples);
	agree_file(shipped_default);
	agree_dir(valid);
	agree_randoms();
	free(examples);
	free(shipped_default);
	free(valid);
	return check_summary();
}
