// SPDX-License-Identifier: GPL-2.0
/*
 * bpfjailer-bootstrap: load the jail once at boot, pin it, and exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "compile.h"
#include "certificates.h"
#include "diags_json.h"
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
	const char **policies; /* each --policy; NULL (none): the default one */
	size_t n_policies;
	const char **policy_dirs; /* each --policy-dir, highest priority first; NULL (none): the default ones */
	size_t n_policy_dirs;
	const char *pin_root;
	const char *root;     /* --root: an image's root directory, for --check */
	int root_fd;          /* it opened, or AT_FDCWD */
	bool no_host_checks;  /* --no-host-checks: the text alone */
	bool json;            /* --diagnostics json */
	bool strict;
	bool verbose;
	bool status_json;     /* --status --json */
};

static void usage(FILE *out)
{
	fputs("Usage: bpfjailer-bootstrap [OPTION]...\n"
	      "Load the bpfjailer policy into the kernel, pin it and exit.\n"
	      "\n"
	      "  -p, --policy FILE     policy to load (default: $BPFJAILER_POLICY,\n"
	      "                        then " BJ_SYSTEM_POLICY ", then the built-in one);\n"
	      "                        with --check: \"-\" is standard input, and several\n"
	      "                        --policy options check each file\n"
	      "      --policy-dir DIR  read the policy fragments of DIR (repeatable, the first\n"
	      "                        given wins a name); default, without --policy and\n"
	      "                        $BPFJAILER_POLICY: " BJ_SYSTEM_POLICY_DIR ",\n"
	      "                        then " BJ_PACKAGE_POLICY_DIR "\n"
	      "  -r, --pin-root DIR    where to pin (on a bpffs; default " BJ_PIN_ROOT_DEFAULT ")\n"
	      "  -c, --check           validate and compile the policy, show what would be\n"
	      "                        loaded, change nothing (needs no privileges)\n"
	      "      --root DIR        --check: look for the policy's files in the image\n"
	      "                        rooted at DIR, not on this host (nor at its kernel)\n"
	      "      --no-host-checks  --check: the text alone; look at nothing on this host\n"
	      "      --diagnostics FORMAT  --check: \"text\" (default) on stderr, or \"json\":\n"
	      "                        one document on stdout\n"
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
	      "attaching or pinning failed, 5 --unload: the programs did not go in time.\n"
	      "Checking several files: the highest status of any.\n",
	      out);
}

/* The options that only --check takes, and those that exclude each other. */
static int check_only_options(const struct options *o)
{
	const char *given = NULL;
	size_t from_stdin = 0;

	for (size_t i = 0; i < o->n_policies; i++)
		from_stdin += !strcmp(o->policies[i], "-");
	if (from_stdin > 1)
		return bj_fail(-1, "--policy -: standard input can be read only once");
	if (o->root)
		given = "--root";
	else if (o->no_host_checks)
		given = "--no-host-checks";
	else if (o->json)
		given = "--diagnostics json";
	else if (o->n_policies > 1)
		given = "more than one --policy";
	else if (from_stdin)
		given = "--policy -";
	if (given && o->mode != MODE_CHECK)
		return bj_fail(-1, "%s: only with --check", given);
	if (o->root && o->no_host_checks)
		return bj_fail(-1, "--root and --no-host-checks exclude each other");
	return 0;
}

static void options_free(struct options *o)
{
	if (o->root_fd >= 0)
		close(o->root_fd);
	free(o->policies);
	free(o->policy_dirs);
}

static int parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_STRICT = 0x100, OPT_ROOT, OPT_NO_HOST_CHECKS, OPT_DIAGNOSTICS, OPT_JSON, OPT_POLICY_DIR };
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "policy-dir", required_argument, NULL, OPT_POLICY_DIR },
		{ "pin-root", required_argument, NULL, 'r' },
		{ "check", no_argument, NULL, 'c' },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "no-host-checks", no_argument, NULL, OPT_NO_HOST_CHECKS },
		{ "diagnostics", required_argument, NULL, OPT_DIAGNOSTICS },
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

	*o = (struct options){ .mode = MODE_LOAD, .pin_root = BJ_PIN_ROOT_DEFAULT, .root_fd = AT_FDCWD };
	/* Never more --policy options than arguments. */
	o->policies = calloc((size_t)argc, sizeof(*o->policies));
	o->policy_dirs = calloc((size_t)argc, sizeof(*o->policy_dirs));
	if (!o->policies || !o->policy_dirs)
		return bj_oom(NULL);
	while ((c = getopt_long(argc, argv, "p:r:csuvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->policies[o->n_policies++] = optarg;
			break;
		case OPT_POLICY_DIR:
			o->policy_dirs[o->n_policy_dirs++] = optarg;
			break;
		case OPT_ROOT:
			o->root = optarg;
			break;
		case OPT_NO_HOST_CHECKS:
			o->no_host_checks = true;
			break;
		case OPT_DIAGNOSTICS:
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return bj_fail(-1, "--diagnostics %s: expected \"text\" or \"json\"", optarg);
			o->json = !strcmp(optarg, "json");
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
			o->status_json = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			options_free(o);
			exit(BJ_EXIT_OK);
		case 'V':
			printf("%s %s\n", bj_program, BJ_VERSION);
			options_free(o);
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
	if (o->status_json && o->mode != MODE_STATUS)
		return bj_fail(-1, "--json goes with --status only");
	if (o->n_policy_dirs && (o->mode == MODE_STATUS || o->mode == MODE_UNLOAD))
		return bj_fail(-1, "--policy-dir: not with --status or --unload");
	if (o->n_policy_dirs > BJ_MAX_FRAGMENT_DIRS)
		return bj_fail(-1, "--policy-dir: at most %d", BJ_MAX_FRAGMENT_DIRS);
	if (o->pin_root[0] != '/')
		return bj_fail(-1, "--pin-root %s: must be an absolute path", o->pin_root);
	if (check_only_options(o))
		return -1;
	if (o->root) {
		o->root_fd = open(o->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (o->root_fd < 0)
			return bj_err(-errno, "--root %s", o->root);
	}
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
 * What the host says about the policy: its kernel, its files, its cgroup
 * mounts, the certificates. --root looks for the files in an image and
 * assumes nothing of its kernel; --no-host-checks looks at nothing.
 */
static int check_host(const struct options *o, struct bj_policy *policy, struct bj_compile_opts *copts,
		      struct resolved *res, bool *kernel_lacks, struct bj_diags *diags)
{
	struct resolve_opts ropts = { .root = o->root, .unified = o->root != NULL, .check_only = o->mode == MODE_CHECK };
	struct bj_kernel_caps caps = { .xattr_kfunc = true, .signing_kfuncs = true };
	int bad;

	if (o->no_host_checks)
		return 0;
	if (!o->root)
		kernel_caps_probe(&caps);
	if (policy_check_host(policy, &caps, o->root_fd, true, diags)) {
		*kernel_lacks = true;
		return -1;
	}
	bad = resolve_policy(policy, &ropts, res, diags);
	copts->cgroup_paths = res->cgroup_paths;
	return bad;
}

/*
 * Validate the policy, fit it to this host (resolve.h), compile it; print
 * every diagnostic, or add them to json_files. Returns BJ_EXIT_OK,
 * BJ_EXIT_USAGE, or BJ_EXIT_KERNEL when the kernel cannot enforce it or a
 * cgroup_path does not fit this host's cgroup v2 mount.
 */
static int build_tables(const struct options *o, const struct policy_source *src,
			struct bj_compile_opts *copts, struct resolved *res, struct bj_policy **policy,
			struct bj_tables **tables, json_t *json_files)
{
	struct bj_host_files files = { 0 };
	struct bj_policy_file *sources;
	struct bj_diags diags;
	bool kernel_lacks = false;
	int err, bad = 0, ret;

	diags_init(&diags);
	sources = calloc(1 + src->n_fragments, sizeof(*sources));
	err = sources ? policy_parse_files(sources, policy_source_files(src, sources), policy, &diags) : bj_oom(NULL);
	free(sources);
	if (!err) {
		bad = check_host(o, *policy, copts, res, &kernel_lacks, &diags);
		err = kernel_lacks ? -1 : 0;
	}
	if (!err && o->strict)
		diags_promote_warnings(&diags);
	if (!err && !o->no_host_checks)
		certificates_check(*policy, o->root_fd, &diags);
	if (!err && !diags.n_errors &&
	    (o->no_host_checks || (!host_files_find(*policy, o->root_fd, &files, &diags) &&
				   launcher_there(o, *policy, &files, &diags)))) {
		copts->files = o->no_host_checks ? NULL : &files;
		err = policy_compile(*policy, copts, tables, &diags);
		copts->files = NULL;
	}
	host_files_free(&files);
	if (!err && diags.n_errors) {
		tables_free(*tables);
		*tables = NULL;
		err = -1;
	}
	ret = BJ_EXIT_OK;
	if (err)
		ret = kernel_lacks || (bad > 0 && (bad & RESOLVE_BAD_CGROUP)) ? BJ_EXIT_KERNEL : BJ_EXIT_USAGE;
	if (!json_files)
		diags_print(&diags, src->origin, stderr);
	else if (diags_json_add(json_files, src, ret, &diags))
		ret = bj_fail(BJ_EXIT_USAGE, "%s: --diagnostics json: out of memory", src->origin);
	if (err) {
		bj_fail(err, "%s: %s, nothing loaded", src->origin,
			kernel_lacks ? "this kernel cannot enforce the policy" :
			bad > 0 && (bad & RESOLVE_BAD_CGROUP) ? "the policy does not fit this host" : "invalid policy");
		policy_free(*policy);
		*policy = NULL;
	}
	diags_free(&diags);
	return ret;
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

/* What --check looked at, for its output. */
static const char *host_checks(const struct options *o)
{
	return o->no_host_checks ? "none" : o->root ? "image" : "host";
}

/* The files a policy was read from, in merge order (bpfjailer-bootstrap(8) --check). */
static void print_read(const struct policy_source *src)
{
	printf("read: %s\n", src->origin);
	for (size_t i = 0; i < src->n_fragments; i++) {
		const struct policy_dir_entry *e = &src->fragments[i].entry;

		printf("%s: %s", e->masked ? "masked" : "read", e->path);
		if (e->overrides)
			printf(" (%s %s)", e->masked ? "masks" : "overrides", e->overrides);
		putchar('\n');
	}
}

/* --check of one policy (path NULL: the default one): its exit status. */
static int check_one(const struct options *o, const char *path, json_t *json_files)
{
	struct bj_compile_opts copts = { 0 };
	struct resolved res = { 0 };
	struct bj_tables *tables = NULL;
	struct bj_policy *policy = NULL;
	struct policy_source src;
	int ret, err;

	err = policy_source_read(path, o->n_policy_dirs ? o->policy_dirs : NULL, o->n_policy_dirs, &src);
	if (err) {
		/* Without --policy, only $BPFJAILER_POLICY can be unreadable. */
		const char *name = path ? path : getenv("BPFJAILER_POLICY");

		ret = BJ_EXIT_USAGE;
		if (json_files && diags_json_add_unread(json_files, name ? name : BJ_SYSTEM_POLICY, ret, err))
			bj_fail(ret, "%s: --diagnostics json: out of memory", name ? name : BJ_SYSTEM_POLICY);
		return ret;
	}
	ret = build_tables(o, &src, &copts, &res, &policy, &tables, json_files);
	if (!ret && !json_files) {
		if (o->n_policies > 1)
			printf("%s%s:\n", path == o->policies[0] ? "" : "\n", src.origin);
		print_read(&src);
		print_rewrites(&res, true);
		summary_print(stdout, policy, tables);
	}
	tables_free(tables);
	policy_free(policy);
	resolved_free(&res);
	policy_source_free(&src);
	return ret;
}

/* --check of each policy: the highest exit status. */
static int check_all(const struct options *o)
{
	json_t *json_files = o->json ? json_array() : NULL;
	int worst = BJ_EXIT_OK;

	if (o->json && !json_files)
		return bj_fail(BJ_EXIT_USAGE, "--diagnostics json: out of memory");
	for (size_t i = 0; i < (o->n_policies ? o->n_policies : 1); i++) {
		int ret = check_one(o, o->n_policies ? o->policies[i] : NULL, json_files);

		worst = ret > worst ? ret : worst;
	}
	if (json_files) {
		if (diags_json_print(stdout, host_checks(o), worst, json_files))
			worst = bj_fail(BJ_EXIT_USAGE, "--diagnostics json: cannot write the document");
		json_decref(json_files);
	} else if (o->no_host_checks) {
		puts("host checks skipped (--no-host-checks): the kernel, files, cgroups and certificates were "
		     "not looked at");
	} else if (o->root) {
		printf("files looked for below %s (--root); the kernel was not looked at\n", o->root);
	}
	return worst;
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

	if (parse_args(argc, argv, &o)) {
		options_free(&o);
		return BJ_EXIT_USAGE;
	}
	instance_set_verbose(o.verbose);
	if (o.mode != MODE_LOAD) {
		ret = o.mode == MODE_STATUS ? instance_status(o.pin_root, o.status_json) :
		      o.mode == MODE_UNLOAD ? instance_unload(o.pin_root) : check_all(&o);
		options_free(&o);
		return ret;
	}

	if (policy_source_read(o.n_policies ? o.policies[0] : NULL, o.n_policy_dirs ? o.policy_dirs : NULL,
			       o.n_policy_dirs, &src)) {
		ret = BJ_EXIT_USAGE;
	} else if (draw_hash_key(&copts)) {
		ret = BJ_EXIT_LOAD_FAILED;
	} else if ((ret = build_tables(&o, &src, &copts, &res, &policy, &tables, NULL))) {
		/* ret says why */
	} else {
		if (o.verbose)
			print_rewrites(&res, false);
		ret = kernel_check(o.pin_root);
		if (ret == BJ_EXIT_OK)
			ret = instance_load(o.pin_root, &src, policy, tables);
	}
	/* Already loaded is no failure: the jail is there. */
	if (ret != BJ_EXIT_OK && ret != BJ_EXIT_LOADED)
		load_failure(&src, ret);
	tables_free(tables);
	policy_free(policy);
	resolved_free(&res);
	policy_source_free(&src);
	options_free(&o);
	return ret;
}
