// SPDX-License-Identifier: GPL-2.0
/*
 * bpfjailer-policy: tools for policies. "suggest" reads a role's denied and
 * would-be-denied audit records from the journal and prints the rule
 * additions that would have allowed them (learn.h), alone or merged into a
 * policy (merge.h), which it validates with the policy library as
 * bpfjailer-bootstrap --check would parse it.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "err.h"
#include "journal.h"
#include "learn.h"
#include "merge.h"
#include "policy.h"

const char bj_program[] = "bpfjailer-policy";

#define MAX_FILES 64

struct options {
	struct journal_query q;
	const char *files[MAX_FILES + 1];
	size_t n_files;
	const char *policy;
	unsigned threshold;
};

static void usage(FILE *out)
{
	fputs("Usage: bpfjailer-policy suggest --role NAME [OPTION]...\n"
	      "Print the rule additions that would have allowed what the role NAME was\n"
	      "denied (or, in complain mode, would have been denied), from the records\n"
	      "bpfjailer-forwarder wrote to the journal: a policy fragment, or with\n"
	      "--policy the whole policy with them merged in.\n"
	      "\n"
	      "  -r, --role NAME        the role, by its key under \"roles\" (required)\n"
	      "  -S, --since TIME       only records since TIME: @SECONDS since the epoch,\n"
	      "                         YYYY-MM-DD [HH:MM[:SS]] local time, or -N[s|m|h|d] ago\n"
	      "  -u, --unit UNIT        only records of processes of the systemd unit UNIT\n"
	      "  -D, --journal-dir DIR  read the journal files in DIR, not the system's journal\n"
	      "  -f, --file FILE        read the journal file FILE (may be given again)\n"
	      "  -p, --policy FILE      print FILE with the additions merged in, validated\n"
	      "  -t, --threshold N      files of one directory that become one rule on it\n"
	      "                         (default 8; 0: never)\n"
	      "  -h, --help             show this help and exit\n"
	      "  -V, --version          show the version and exit\n"
	      "\n"
	      "Conflicts (denials a deny rule of the role decided: no allow is added for\n"
	      "them) and what no rule can allow are listed on stderr too.\n"
	      "Exit status: 0 done, 1 bad usage, a journal or policy that cannot be read,\n"
	      "or a merged policy that does not validate.\n",
	      out);
}

static int bad_usage(const char *fmt, const char *arg)
{
	char what[512];

	snprintf(what, sizeof(what), fmt, arg);
	return bj_fail(1, "%s\nTry 'bpfjailer-policy --help' for more information.", what);
}

/* --since: @SECONDS, -N[s|m|h|d] before now, or a local date and time. */
static int parse_since(const char *text, uint64_t *usec)
{
	struct tm tm = { .tm_isdst = -1 };
	const char *end;
	char *num_end;
	unsigned long long n;

	if (text[0] == '@' || text[0] == '-') {
		errno = 0;
		n = strtoull(text + 1, &num_end, 10);
		if (errno || num_end == text + 1)
			return -1;
		if (text[0] == '@') {
			if (*num_end)
				return -1;
			*usec = n * 1000000ull;
			return 0;
		}
		switch (*num_end ? *num_end : 's') {
		case 'd': n *= 24; /* fall through */
		case 'h': n *= 60; /* fall through */
		case 'm': n *= 60; /* fall through */
		case 's': break;
		default: return -1;
		}
		if (*num_end && num_end[1])
			return -1;
		if (n > (unsigned long long)time(NULL))
			return -1;
		*usec = ((unsigned long long)time(NULL) - n) * 1000000ull;
		return 0;
	}
	end = strptime(text, "%Y-%m-%d", &tm);
	if (end && *end)
		end = strptime(end, " %H:%M:%S", &tm) ?: strptime(end, " %H:%M", &tm);
	if (!end || *end)
		return -1;
	*usec = (uint64_t)mktime(&tm) * 1000000ull;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "role", required_argument, NULL, 'r' },      { "since", required_argument, NULL, 'S' },
		{ "unit", required_argument, NULL, 'u' },      { "journal-dir", required_argument, NULL, 'D' },
		{ "file", required_argument, NULL, 'f' },      { "policy", required_argument, NULL, 'p' },
		{ "threshold", required_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },         {},
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "r:S:u:D:f:p:t:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': o->q.role = optarg; break;
		case 'u': o->q.unit = optarg; break;
		case 'D': o->q.directory = optarg; break;
		case 'p': o->policy = optarg; break;
		case 'S':
			if (parse_since(optarg, &o->q.since_usec))
				return bad_usage("--since %s: expected @SECONDS, YYYY-MM-DD [HH:MM[:SS]] or -N[s|m|h|d]",
						 optarg);
			break;
		case 'f':
			if (o->n_files == MAX_FILES)
				return bad_usage("--file %s: at most 64 files", optarg);
			o->files[o->n_files++] = optarg;
			break;
		case 't':
			errno = 0;
			o->threshold = (unsigned)strtoul(optarg, &end, 10);
			if (errno || !*optarg || *end || optarg[0] == '-' || o->threshold > 1000000)
				return bad_usage("--threshold %s: expected a number of files, 0 to 1000000", optarg);
			break;
		case 'h': usage(stdout); exit(0);
		case 'V': puts("bpfjailer-policy " BJ_VERSION); exit(0);
		default: return bad_usage("%s", "bad option");
		}
	}
	if (optind == argc)
		return bad_usage("%s", "no command (expected: suggest)");
	if (strcmp(argv[optind], "suggest"))
		return bad_usage("%s: unknown command (expected: suggest)", argv[optind]);
	if (optind + 1 < argc)
		return bad_usage("%s: unexpected argument", argv[optind + 1]);
	if (!o->q.role)
		return bad_usage("%s", "--role is required");
	if (!*o->q.role || strlen(o->q.role) > 63)
		return bad_usage("--role %s: expected a role key of 1 to 63 bytes", o->q.role);
	if (o->q.directory && o->n_files)
		return bad_usage("%s", "--journal-dir and --file: one or the other");
	if (o->n_files)
		o->q.files = o->files;
	return 0;
}

/* Conflicts and what no rule allows, for people. */
static void report(const json_t *fragment)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(fragment, "conflicts"), i, e)
		bj_note("conflict: %s was refused by %s, a deny rule: no allow added",
			json_string_value(json_object_get(e, "record")),
			json_string_value(json_object_get(e, "rule")));
	json_array_foreach(json_object_get(fragment, "not_allowable"), i, e)
		bj_note("no rule can allow: %s (%lld times)", json_string_value(json_object_get(e, "record")),
			(long long)json_integer_value(json_object_get(e, "count")));
}

static int print_json(const json_t *json)
{
	if (json_dumpf(json, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || putchar('\n') == EOF ||
	    fflush(stdout))
		return bj_err(-EIO, "write the output");
	return 0;
}

/* The policy FILE, parsed twice: by the library (for the role's rules) and as JSON (to merge into). */
static int load_policy(const char *path, struct bj_policy **policy, json_t **json)
{
	struct bj_diags diags;
	json_error_t jerr;
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "re");
	int err = 0;

	*policy = NULL;
	*json = NULL;
	if (!f)
		return bj_err(-errno, "--policy %s", path);
	if (getdelim(&text, &len, '\0', f) < 0 && !feof(f))
		err = bj_err(-errno, "--policy %s: read", path);
	fclose(f);
	if (err) {
		free(text);
		return err;
	}
	diags_init(&diags);
	if (policy_parse(text ? text : "", text ? strlen(text) : 0, path, policy, &diags)) {
		diags_print(&diags, path, stderr);
		err = bj_fail(-EINVAL, "--policy %s: not a valid policy", path);
	} else if (!(*json = json_loads(text, 0, &jerr))) {
		err = bj_fail(-EINVAL, "--policy %s: %s", path, jerr.text);
	}
	diags_free(&diags);
	free(text);
	return err;
}

/* The merged policy, printed only when the policy library accepts it. */
static int print_merged(json_t *policy, const struct options *o, const json_t *fragment)
{
	struct bj_policy *parsed = NULL;
	struct bj_diags diags;
	const char *why;
	char *text;
	int err = 0;

	if (merge_additions(policy, o->q.role, json_object_get(fragment, "additions"), &why))
		return bj_fail(-EINVAL, "--policy %s: role %s: %s", o->policy, o->q.role, why);
	text = json_dumps(policy, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text)
		return bj_oom("merged policy");
	diags_init(&diags);
	if (policy_parse(text, strlen(text), "merged policy", &parsed, &diags)) {
		diags_print(&diags, "merged policy", stderr);
		err = bj_fail(-EINVAL, "the merged policy does not validate: not printed");
	} else if (fputs(text, stdout) == EOF || putchar('\n') == EOF || fflush(stdout)) {
		err = bj_err(-EIO, "write the output");
	}
	policy_free(parsed);
	diags_free(&diags);
	free(text);
	return err;
}

int main(int argc, char **argv)
{
	struct options o = { .threshold = LEARN_DIR_THRESHOLD };
	struct learn_records records = { 0 };
	struct bj_policy *policy = NULL;
	json_t *json = NULL, *fragment = NULL;
	ssize_t role = -1;
	int err;

	if (parse_options(argc, argv, &o))
		return 1;
	err = o.policy ? load_policy(o.policy, &policy, &json) : 0;
	if (!err && policy && (role = policy_role_by_key(policy, o.q.role)) < 0)
		err = bj_fail(-EINVAL, "--policy %s: no role %s", o.policy, o.q.role);
	if (!err)
		err = journal_read(&o.q, &records);
	if (!err) {
		struct learn_opts lo = { .role_key = o.q.role, .role = policy ? &policy->roles[role] : NULL,
					 .dir_threshold = o.threshold ? o.threshold : (unsigned)-1 };

		fragment = learn_suggest(records.v, records.n, &lo);
		err = fragment ? 0 : bj_oom("suggest");
	}
	if (!err) {
		report(fragment);
		err = json ? print_merged(json, &o, fragment) : print_json(fragment);
	}
	json_decref(fragment);
	json_decref(json);
	policy_free(policy);
	learn_records_free(&records);
	return err ? 1 : 0;
}
