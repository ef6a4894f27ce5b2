// SPDX-License-Identifier: GPL-2.0
/* Policy files as a whole: the shipped and valid ones load, the invalid ones say exactly why not. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "compile.h"
#include "fixtures.h"
#include "policy.h"
#include "resolve_host.h"
#include "tests.h"

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && !strcmp(name + n - s, suffix);
}

static void notes(const char *label, const char *text)
{
	const char *line = text;

	note("%s:", label);
	while (*line) {
		size_t n = strcspn(line, "\n");

		note("  %.*s", (int)n, line);
		line += n + (line[n] == '\n');
	}
}

static void check_valid(const char *path)
{
	const struct bj_kernel_caps caps = { .xattr_kfunc = true, .signing_kfuncs = true };
	struct bj_policy *policy = NULL;
	struct bj_diags diags;
	char *text, *printed;
	size_t len;
	int err;

	text = read_file(path, &len);
	if (!text) {
		check(false, "valid %s: %m", path);
		return;
	}
	diags_init(&diags);
	err = policy_parse(text, len, path, &policy, &diags);
	if (!err)
		err = policy_check_host(policy, &caps, AT_FDCWD, true, &diags);
	printed = diags_text(&diags, path);
	if (check(!err && policy && !diags.n_errors, "valid %s", path)) {
		if (*printed) /* warnings are fine here: a missing nginx, a redundant rule */
			notes("warnings", printed);
	} else {
		notes("diagnostics", printed);
	}
	free(printed);
	diags_free(&diags);
	policy_free(policy);
	free(text);
}

static int is_entry(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int test_valid_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, is_entry, alphasort), files = 0;

	if (n < 0) {
		check(false, "valid %s: %m", dir);
		return 0;
	}
	for (int i = 0; i < n; i++) {
		char *path;
		struct stat st;

		if (asprintf(&path, "%s/%s", dir, names[i]->d_name) < 0)
			abort();
		if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
			files += test_valid_dir(path);
		} else if (has_suffix(names[i]->d_name, ".json") && !has_suffix(names[i]->d_name, ".schema.json")) {
			/* the policy's JSON Schema is none: tests/unit/schema-check tests it */
			check_valid(path);
			files++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return files;
}

/* How a case is checked against the host and compiled. */
struct case_opts {
	struct bj_kernel_caps caps;
	bool check_paths;
	bool strict;
	bool compile;
};

/*
 * NAME.opts, if present, changes the defaults of a case (xattr and
 * signing kfuncs present, paths not checked) with words: no-xattr-kfunc
 * (and so no signing either), no-signing-kfuncs, check-paths,
 * strict (warnings become errors, as with --strict), compile (a policy
 * that parses is also compiled, with its files looked up, as when loading).
 */
static void read_opts(const char *path, struct case_opts *opts)
{
	size_t len;
	char *text = read_file(path, &len);

	*opts = (struct case_opts){ .caps = { .xattr_kfunc = true, .signing_kfuncs = true } };
	if (!text)
		return;
	for (char *save, *word = strtok_r(text, " \t\n", &save); word; word = strtok_r(NULL, " \t\n", &save)) {
		if (!strcmp(word, "no-xattr-kfunc"))
			opts->caps.xattr_kfunc = opts->caps.signing_kfuncs = false;
		else if (!strcmp(word, "no-signing-kfuncs"))
			opts->caps.signing_kfuncs = false;
		else if (!strcmp(word, "check-paths"))
			opts->check_paths = true;
		else if (!strcmp(word, "strict"))
			opts->strict = true;
		else if (!strcmp(word, "compile"))
			opts->compile = true;
		else
			check(false, "%s: unknown option %s", path, word);
	}
	free(text);
}

/*
 * After a parse: the host's checks, and with compile the files and the
 * compiler, each step only when the ones before found nothing wrong, as in
 * the bootstrap. Their errors are in diags, compared by the caller; false
 * is for a result that breaks its promise.
 */
static bool check_and_compile(const struct bj_policy *policy, const struct case_opts *opts,
			      struct bj_diags *diags)
{
	struct bj_compile_opts copts = { 0 };
	struct bj_host_files files;
	struct bj_tables *tables;
	bool ok = true;

	if (policy_check_host(policy, &opts->caps, AT_FDCWD, opts->check_paths, diags) || !opts->compile)
		return true;
	if (!host_files_find(policy, AT_FDCWD, &files, diags)) {
		copts.files = &files;
		/* -1 is for running out of memory, or for errors, which diags shows */
		ok = policy_compile(policy, &copts, &tables, diags) == 0 || diags->n_errors;
		tables_free(tables);
	}
	host_files_free(&files);
	return ok;
}

static void check_invalid(const char *dir, const char *name)
{
	struct bj_policy *policy = NULL;
	struct case_opts opts;
	struct bj_diags diags;
	char *base, *path, *text, *expected, *printed;
	size_t len, expected_len;
	bool ok;
	int err;

	base = strndup(name, strlen(name) - strlen(".json"));
	if (!base || asprintf(&path, "%s/%s.expected", dir, base) < 0)
		abort();
	expected = read_file(path, &expected_len);
	free(path);
	if (asprintf(&path, "%s/%s.opts", dir, base) < 0)
		abort();
	read_opts(path, &opts);
	free(path);
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		abort();
	text = read_file(path, &len);
	free(path);
	if (!text || !expected) {
		check(false, "invalid %s: cannot read %s.json or %s.expected", base, base, base);
		goto out;
	}

	diags_init(&diags);
	err = policy_parse(text, len, name, &policy, &diags);
	ok = (err == 0) == (policy != NULL) && (err == 0) == (diags.n_errors == 0);
	if (ok && !err)
		ok = check_and_compile(policy, &opts, &diags);
	if (opts.strict && !err)
		diags_promote_warnings(&diags);
	printed = diags_text(&diags, name);
	ok = ok && *printed && !strcmp(printed, expected);
	if (!check(ok, "invalid %s", base)) {
		note("policy_parse returned %d with %zu errors", err, diags.n_errors);
		notes("expected", expected);
		notes("got", printed);
	}
	free(printed);
	diags_free(&diags);
	policy_free(policy);
out:
	free(text);
	free(expected);
	free(base);
}

void test_invalid_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, is_entry, alphasort), cases = 0;

	if (n < 0) {
		check(false, "invalid %s: %m", dir);
		return;
	}
	for (int i = 0; i < n; i++) {
		if (has_suffix(names[i]->d_name, ".json")) {
			check_invalid(dir, names[i]->d_name);
			cases++;
		}
		free(names[i]);
	}
	free(names);
	check(cases >= 45, "at least 45 invalid cases (%d)", cases);
}
