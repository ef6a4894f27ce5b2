// SPDX-License-Identifier: GPL-2.0
/*
 * bpfjailer-bootstrap: load the jail once at boot, pin it, and exit.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#include "compile.h"
#include "certificates.h"
#include "err.h"
#include "instance.h"
#include "kernel.h"
#include "load_failure.h"
#include "policy_source.h"
#include "resolve.h"
#include "summary.h"

const char bj_program[] = "bpfjailer-bootstrap";

enum mode { MODE_LOAD, MODE_CHECK, MODE_STATUS, MODE_UNLOAD };

struct options {
	enum mode mode;
	const char *policy;
	const char *pin_root;
	bool strict;
	bool verbose;
	bool json;
};

static void usage(FILE *out)
{
	fputs("Usage: bpfjailer-bootstrap [OPTION]...\n"
	      "Load the bpfjailer policy into the kernel, pin it and exit.\n"
	      "\n"
	      "  -p, --policy FILE     policy to load (default: $BPFJAILER_POLICY,\n"
	      "                        then " BJ_SYSTEM_POLICY ", then the built-in one)\n"
	      "  -r, --pin-root DIR    where to pin (on a bpffs; default " BJ_PIN_ROOT_DEFAULT ")\n"
	      "  -c, --check           validate and compile the policy, show what would be\n"
	      "                        loaded, change nothing (needs no privileges)\n"
	      "  -s, --status          show the instance pinned at the pin root\n"
	      "      --json            with --status: as one JSON object\n"
	      "  -u, --unload          remove an unsealed instance and its pins, and wait\n"
	      "                        until its programs are gone\n"
	      "      --strict          treat policy warnings as errors\n"
	      "  -v, --verbose         say more (libbpf's messages too)\n"
	      "  -h, --help            show this help and exit\n"
	      "  -V, --version         show the version and exit\n"
	      "\n"
	      "Exit status: 0 loaded (or checked), 1 bad usage or invalid policy,\n"
	      "2 the kernel lacks a requirement (or a cgroup_path is not on this host's\n"
	      "cgroup v2), 3 already loaded (reboot to change the policy), 4 loading,\n"
	      "attaching or pinning failed, 5 --unload: the programs did not go in time.\n",
	      out);
}

static int parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_STRICT = 0x100, OPT_JSON };
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "pin-root", required_argument, NULL, 'r' },
		{ "check", no_argument, NULL, 'c' },
		{ "status", no_argument, NULL, 's' },
		{ "unload", no_argument, NULL, 'u' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int c, modes = 0;

	*o = (struct options){ .mode = MODE_LOAD, .pin_root = BJ_PIN_ROOT_DEFAULT };
	while ((c = getopt_long(argc, argv, "p:r:csuvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->policy = optarg;
			break;
		case 'r':
			o->pin_root = optarg;
			break;
		case 'c':
			o->mode = MODE_CHECK;
			modes++;
			break;
		case 's':
			o->mode = MODE_STATUS;
			modes++;
			break;
		case 'u':
			o->mode = MODE_UNLOAD;
			modes++;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(BJ_EXIT_OK);
		case 'V':
			printf("%s %s\n", bj_program, BJ_VERSION);
			exit(BJ_EXIT_OK);
		default:
			fputs("Try 'bpfjailer-bootstrap --help' for more information.\n", stderr);
			return -1;
		}
	}
	if (optind < argc)
		return bj_fail(-1, "unexpected argument '%s'\n"
			       "Try 'bpfjailer-bootstrap --help' for more information.", argv[optind]);
	if (modes > 1)
		return bj_fail(-1, "--check, --status and --unload exclude each other");
	if (o->json && o->mode != MODE_STATUS)
		return bj_fail(-1, "--json goes with --status only");
	if (o->pin_root[0] != '/')
		return bj_fail(-1, "--pin-root %s: must be an absolute path", o->pin_root);
	return 0;
}

/*
 * A launch enrollment needs the launcher's file, or it could never be
 * used: loading refuses a policy whose launcher is missing (--check, and
 * policy_check_host(), only warn: it may be installed before the boot).
 */
static bool launcher_there(const struct options *o, const struct bj_policy *policy,
			   const struct bj_host_files *files, struct bj_diags *diags)
{
	if (o->mode != MODE_LOAD || !policy->n_launch_enrollments || files->launcher.ino)
		return true;
	diags_add(diags, BJ_ERROR, policy->launcher_path ? policy->launcher_loc : policy->launch_enrollments_loc,
		  "launcher_path", "launcher %s does not exist: launch_enrollments could never be used",
		  policy_launcher_path(policy));
	return false;
}

/*
 * Validate the policy, fit it to this host (resolve.h), compile it; print
 * every diagnostic. Returns BJ_EXIT_OK, BJ_EXIT_USAGE, or BJ_EXIT_KERNEL
 * when the kernel cannot enforce it or a cgroup_path does not fit this
 * host's cgroup v2 mount.
 */
static int build_tables(const struct options *o, const struct policy_source *src,
			struct bj_compile_opts *copts, struct resolved *res, struct bj_policy **policy,
			struct bj_tables **tables)
{
	struct resolve_opts ropts = { .check_only = o->mode == MODE_CHECK };
	struct bj_host_files files = { 0 };
	struct bj_kernel_caps caps;
	struct bj_diags diags;
	bool kernel_lacks = false;
	int err, bad = 0;

	kernel_caps_probe(&caps);
	diags_init(&diags);
	err = policy_parse(src->text, src->len, src->origin, policy, &diags);
	if (!err && (err = policy_check_host(*policy, &caps, true, &diags)))
		kernel_lacks = true;
	if (!err) {
		bad = resolve_policy(*policy, &ropts, res, &diags);
		copts->cgroup_paths = res->cgroup_paths;
	}
	if (!err && o->strict)
		diags_promote_warnings(&diags);
	if (!err)
		certificates_check(*policy, &diags);
	if (!err && !diags.n_errors && !host_files_find(*policy, &files, &diags) &&
	    launcher_there(o, *policy, &files, &diags)) {
		copts->files = &files;
		err = policy_compile(*policy, copts, tables, &diags);
		copts->files = NULL;
	}
	host_files_free(&files);
	diags_print(&diags, src->origin, stderr);
	if (!err && diags.n_errors) {
		tables_free(*tables);
		*tables = NULL;
		err = -1;
	}
	if (err) {
		bj_fail(err, "%s: %s, nothing loaded", src->origin,
			kernel_lacks ? "this kernel cannot enforce the policy" :
			bad > 0 && (bad & RESOLVE_BAD_CGROUP) ? "the policy does not fit this host" : "invalid policy");
		policy_free(*policy);
		*policy = NULL;
	}
	diags_free(&diags);
	if (!err)
		return BJ_EXIT_OK;
	return kernel_lacks || (bad > 0 && (bad & RESOLVE_BAD_CGROUP)) ? BJ_EXIT_KERNEL : BJ_EXIT_USAGE;
}

/* What the resolve step rewrote: --check shows it (on stdout), a load with -v too. */
static void print_rewrites(const struct resolved *res, bool on_stdout)
{
	for (size_t i = 0; i < res->n_rewrites; i++) {
		if (on_stdout)
			puts(res->rewrites[i]);
		else
			bj_note("%s", res->rewrites[i]);
	}
}

/* Edge hashes are keyed per load so nobody can precompute collisions. */
static int draw_hash_key(struct bj_compile_opts *copts)
{
	/* Up to 256 bytes come in full or not at all (getrandom(2)). */
	_Static_assert(sizeof(copts->hash_key) <= 256, "the hash key is read in one call");
	return getrandom(copts->hash_key, sizeof(copts->hash_key), 0) < 0 ? bj_err(-errno, "getrandom") : 0;
}

int main(int argc, char **argv)
{
	struct bj_compile_opts copts = { 0 };
	struct resolved res = { 0 };
	struct bj_tables *tables = NULL;
	struct bj_policy *policy = NULL;
	struct policy_source src;
	struct options o;
	int ret;

	if (parse_args(argc, argv, &o))
		return BJ_EXIT_USAGE;
	instance_set_verbose(o.verbose);
	if (o.mode == MODE_STATUS)
		return instance_status(o.pin_root, o.json);
	if (o.mode == MODE_UNLOAD)
		return instance_unload(o.pin_root);

	if (policy_source_read(o.policy, &src)) {
		ret = BJ_EXIT_USAGE;
	} else if (o.mode == MODE_LOAD && draw_hash_key(&copts)) {
		ret = BJ_EXIT_LOAD_FAILED;
	} else if ((ret = build_tables(&o, &src, &copts, &res, &policy, &tables))) {
		/* ret says why */
	} else if (o.mode == MODE_CHECK) {
		print_rewrites(&res, true);
		summary_print(stdout, policy, tables);
		ret = BJ_EXIT_OK;
	} else {
		if (o.verbose)
			print_rewrites(&res, false);
		ret = kernel_check(o.pin_root);
		if (ret == BJ_EXIT_OK)
			ret = instance_load(o.pin_root, &src, policy, tables);
	}
	/* Already loaded is no failure: the jail is there. */
	if (o.mode == MODE_LOAD && ret != BJ_EXIT_OK && ret != BJ_EXIT_LOADED)
		load_failure(&src, ret);
	tables_free(tables);
	policy_free(policy);
	resolved_free(&res);
	policy_source_free(&src);
	return ret;
}
