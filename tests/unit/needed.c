// SPDX-License-Identifier: GPL-2.0
/*
 * Which programs a policy needs (bootstrap/needed.c): the programs each
 * policy leaves out, and why; that the table classifies exactly the
 * programs of the jail's BPF object; that a program it does not classify
 * is found, and loaded all the same. Usage: test-needed POLICY_DIR, the
 * shipped policies' directory (policy/). No kernel: the object is only
 * opened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfjailer.skel.h"
#include "check.h"
#include "compile.h"
#include "fixtures.h"
#include "needed.h"
#include "probe.skel.h"

const char bj_program[] = "test-needed";

/* The policy text's tables, or NULL (and a failed check). Warnings are fine: they change nothing here. */
static struct bj_tables *compile_text(const char *name, const char *json, struct bj_policy **policy)
{
	struct bj_compile_opts opts = { .hash_key = { 1, 2 } };
	struct bj_tables *t = NULL;
	struct bj_diags diags;
	char *printed;

	diags_init(&diags);
	*policy = NULL;
	if (!policy_parse(json, strlen(json), name, policy, &diags) && !diags.n_errors)
		policy_compile(*policy, &opts, &t, &diags);
	printed = diags_text(&diags, name);
	if (!check(t && !diags.n_errors, "%s: compiles", name))
		note("%s", printed);
	free(printed);
	diags_free(&diags);
	if (!t) {
		policy_free(*policy);
		*policy = NULL;
	}
	return t;
}

/* The names of the programs the policy leaves out, in the table's order, space-separated. */
static void left_out(const struct bj_policy *policy, const struct bj_tables *t, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < needed_count() && len < size; i++)
		if (!needed_by(i, policy, t, NULL, 0))
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", needed_name(i));
}

/* What only a sealed policy or a role requiring signed binaries needs, and the four hooks of inet sockets. */
#define UNSEALED_UNSIGNED "bj_seal_inode_permission bj_seal_inode_rename bj_sig_open"
#define SIGNED "{\"roles\": {\"r\": {\"id\": 1, \"require_signed_binary\": true}}, " \
	"\"signing_keyrings\": [\"secondary\"]}"
#define NET_HOOKS "bj_bind bj_connect bj_sendmsg bj_listen"

static void expect_left_out(const char *name, const char *json, const char *want)
{
	struct bj_policy *policy;
	struct bj_tables *t = compile_text(name, json, &policy);
	char got[4096];

	if (!t)
		return;
	left_out(policy, t, got, sizeof(got));
	if (!check(!strcmp(got, want), "%s: leaves out exactly what it does not need", name))
		note("left out: %s\n# expected: %s", got, want);
	tables_free(t);
	policy_free(policy);
}

/* Why the policy leaves program prog out ("" when it needs it). */
static void expect_why(const char *name, const char *json, const char *prog, const char *want)
{
	struct bj_policy *policy;
	struct bj_tables *t = compile_text(name, json, &policy);
	ssize_t i = needed_find(prog);
	char why[256] = "";

	if (!t)
		return;
	if (i >= 0 && needed_by((size_t)i, policy, t, why, sizeof(why)))
		why[0] = '\0';
	if (!check(!strcmp(why, want), "%s: %s is left out because %s", name, prog, want))
		note("why: \"%s\"", why);
	tables_free(t);
	policy_free(policy);
}

/* The shipped default: every role restricts something of each hook. */
static void test_default(const char *policy_dir)
{
	char *path, *text;
	size_t len;

	if (asprintf(&path, "%s/default.json", policy_dir) < 0)
		abort();
	text = read_file(path, &len);
	if (check(text != NULL, "read %s", path))
		expect_left_out("default.json", text, "bj_exec_enroll_sleepable " UNSEALED_UNSIGNED);
	free(text);
	free(path);
}

#define ROLE(body) "{\"roles\": {\"r\": {\"id\": 1, " body "}}}"
#define TWO_ROLES(a, b) "{\"roles\": {\"a\": {\"id\": 1, " a "}, \"b\": {\"id\": 2, " b "}}}"
#define NET_ONLY "\"flags\": {\"allow_file_access\": true, \"allow_network\": true, \"allow_exec\": true}"
#define SETUID "\"flags\": {\"allow_setuid\": true}"
#define EVERY_FLAG "\"flags\": {\"allow_file_access\": true, \"allow_network\": true, " \
		   "\"allow_exec\": true, \"allow_setuid\": true, \"allow_ptrace\": true, " \
		   "\"allow_module_load\": true, \"allow_bpf_load\": true, " \
		   "\"allow_kernel_tunables\": true, \"allow_abstract_unix\": true}, " \
		   "\"capabilities\": [\"CAP_SYSLOG\"]"
#define EVERY_FLAG_LEFT_OUT "bj_exec_enroll_sleepable bj_exec_setid " NET_HOOKS " bj_setuid bj_setgid bj_setgroups " \
			    "bj_syslog bj_perf_event_open bj_module_request " UNSEALED_UNSIGNED

static void test_policies(void)
{
	expect_left_out("a role that grants every network", ROLE(NET_ONLY),
			"bj_exec_enroll_sleepable " NET_HOOKS " " UNSEALED_UNSIGNED);
	expect_why("a role that grants every network", ROLE(NET_ONLY), "bj_bind",
		   "every role has allow_network, no network_rules, audit other than \"all\"");
	expect_why("a role that grants every network", ROLE(NET_ONLY), "bj_connect",
		   "every role has allow_network, no network_rules, no ip_rules, audit other than \"all\"");
	/* every allowed connection is a record */
	expect_left_out("audit all", ROLE(NET_ONLY ", \"audit\": \"all\""), "bj_exec_enroll_sleepable " UNSEALED_UNSIGNED);
	expect_left_out("audit none", ROLE(NET_ONLY ", \"audit\": \"none\""),
			"bj_exec_enroll_sleepable " NET_HOOKS " " UNSEALED_UNSIGNED);
	/* rules refuse what the flag grants */
	expect_left_out("a port rule", ROLE(NET_ONLY ", \"network_rules\": [{\"protocol\": \"tcp\", \"port\": 25, "
				    "\"allow\": false}]"),
			"bj_exec_enroll_sleepable " UNSEALED_UNSIGNED);
	/* ip rules decide connects and sends, not binds */
	expect_left_out("an ip rule",
			ROLE(NET_ONLY ", \"ip_rules\": [{\"cidr\": \"169.254.0.0/16\", \"allow\": false}]"),
			"bj_exec_enroll_sleepable bj_bind bj_listen " UNSEALED_UNSIGNED);
	/* an allow rule that allow_network already grants compiles to nothing */
	expect_left_out("an allow rule the flag grants", ROLE(NET_ONLY ", \"network_rules\": [{\"protocol\": \"tcp\", "
					      "\"port\": 443, \"allow\": true}]"),
			"bj_exec_enroll_sleepable " NET_HOOKS " " UNSEALED_UNSIGNED);
	/* one role without is enough, in complain mode too (would-deny records) */
	expect_left_out("one role without network", TWO_ROLES(NET_ONLY, "\"mode\": \"complain\""),
			"bj_exec_enroll_sleepable " UNSEALED_UNSIGNED);

	expect_left_out("allow_setuid", ROLE(SETUID),
			"bj_exec_enroll_sleepable bj_exec_setid bj_setuid bj_setgid bj_setgroups " UNSEALED_UNSIGNED);
	/* setgroups records allowed calls; the other three return before any decision */
	expect_left_out("allow_setuid, audit all", ROLE(SETUID ", \"audit\": \"all\""),
			"bj_exec_enroll_sleepable bj_exec_setid bj_setuid bj_setgid " UNSEALED_UNSIGNED);
	expect_left_out("allow_setuid in one role of two", TWO_ROLES(SETUID, NET_ONLY),
			"bj_exec_enroll_sleepable " UNSEALED_UNSIGNED);
	/* modules only: kernel images and policies stay refused */
	expect_left_out("allow_module_load", ROLE("\"flags\": {\"allow_module_load\": true}"),
			"bj_exec_enroll_sleepable bj_module_request " UNSEALED_UNSIGNED);
	expect_left_out("CAP_SYSLOG and CAP_PERFMON",
			ROLE("\"capabilities\": [\"CAP_SYSLOG\", \"CAP_PERFMON\"]"),
			"bj_exec_enroll_sleepable bj_syslog bj_perf_event_open " UNSEALED_UNSIGNED);
	expect_why("CAP_SYSLOG", ROLE("\"capabilities\": [\"CAP_SYSLOG\"]"), "bj_syslog",
		   "every role has CAP_SYSLOG, audit other than \"all\"");
	/* allow_bpf_load brings CAP_PERFMON along (caps.c) */
	expect_left_out("allow_bpf_load", ROLE("\"flags\": {\"allow_bpf_load\": true}"),
			"bj_exec_enroll_sleepable bj_perf_event_open " UNSEALED_UNSIGNED);
	/* everything a flag can grant: what no flag grants stays */
	expect_left_out("every flag", ROLE(EVERY_FLAG), EVERY_FLAG_LEFT_OUT);
	/* bpfjailer-run is answered (bj_task_prctl) and enrolls at exec (bj_exec_enroll, bj_exec_commit), always */
	expect_left_out("launch enrollment, every flag",
			"{\"roles\": {\"r\": {\"id\": 1, " EVERY_FLAG "}}, \"launch_enrollments\": [{\"role\": \"r\"}]}",
			EVERY_FLAG_LEFT_OUT);

	expect_left_out("sealed", "{\"roles\": {\"r\": {\"id\": 1}}, \"seal\": true}",
			"bj_exec_enroll_sleepable bj_sig_open");
	expect_left_out("signed binaries", SIGNED, "bj_exec_enroll bj_seal_inode_permission bj_seal_inode_rename");
	expect_why("signed binaries", SIGNED, "bj_exec_enroll",
		   "roles are enrolled by xattr or require signed binaries: bj_exec_enroll_sleepable runs instead");
	expect_why("no signed binaries", ROLE(NET_ONLY), "bj_sig_open", "no role requires signed binaries");
	expect_left_out("xattr enrollment",
			"{\"roles\": {\"r\": {\"id\": 1}}, \"xattr_enrollments\": [{\"role\": \"r\"}]}",
			"bj_exec_enroll " UNSEALED_UNSIGNED);
	expect_why("xattr enrollment", "{\"roles\": {\"r\": {\"id\": 1}}, \"xattr_enrollments\": [{\"role\": \"r\"}]}",
		   "bj_exec_enroll", "roles are enrolled by xattr or require signed binaries: bj_exec_enroll_sleepable runs instead");
	expect_why("unsealed", ROLE(NET_ONLY), "bj_seal_inode_rename", "the policy is not sealed");
}

/* Programs of obj that no row of the table classifies. */
static size_t unclassified(struct bpf_object *obj)
{
	struct bpf_program *prog;
	size_t n = 0;

	bpf_object__for_each_program(prog, obj)
		if (needed_find(bpf_program__name(prog)) < 0) {
			note("unclassified: %s", bpf_program__name(prog));
			n++;
		}
	return n;
}

/* The table against the real object: every program has a row, every row a program. */
static void test_object(void)
{
	struct bpfjailer *skel = bpfjailer__open();
	struct bpf_program *prog;
	struct bj_policy *policy;
	struct bj_tables *t;
	size_t n = 0, wrong = 0;

	if (!check(skel != NULL, "open the jail's BPF object"))
		return;
	bpf_object__for_each_program(prog, skel->obj)
		n++;
	check(unclassified(skel->obj) == 0, "every program of the object has a row in the table");
	for (size_t i = 0; i < needed_count(); i++)
		if (!bpf_object__find_program_by_name(skel->obj, needed_name(i)) && ++wrong)
			note("no such program: %s", needed_name(i));
	check(!wrong && n == needed_count(), "every row names a program of the object, once (%zu programs, %zu rows)",
	      n, needed_count());

	/* what needed_choose() leaves out is what needed_by() says, and nothing else changes */
	t = compile_text("choose", ROLE(NET_ONLY), &policy);
	if (t) {
		wrong = 0;
		needed_choose(skel->obj, policy, t);
		bpf_object__for_each_program(prog, skel->obj) {
			ssize_t i = needed_find(bpf_program__name(prog));

			if (i < 0 || bpf_program__autoload(prog) != needed_by((size_t)i, policy, t, NULL, 0)) {
				note("%s: autoload %d", bpf_program__name(prog), bpf_program__autoload(prog));
				wrong++;
			}
		}
		check(!wrong, "needed_choose() leaves out of the load exactly the programs not needed");
		bpf_program__set_autoload(skel->progs.bj_setattr, false);
		needed_choose(skel->obj, policy, t);
		check(!bpf_program__autoload(skel->progs.bj_setattr),
		      "needed_choose() never turns a program back on (the kernel's choice stays)");
		tables_free(t);
		policy_free(policy);
	}
	bpfjailer__destroy(skel);
}

/*
 * A program that nobody classified: the probe's, which is in no row. The
 * check above finds it, and needed_choose() loads it all the same.
 */
static void test_unclassified(void)
{
	struct probe *skel = probe__open();
	struct bj_policy *policy;
	struct bj_tables *t;

	if (!check(skel != NULL, "open the probe's BPF object"))
		return;
	check(unclassified(skel->obj) == 1, "a program with no row is found: the check fails for it");
	t = compile_text("unclassified", ROLE(NET_ONLY), &policy);
	if (t) {
		needed_choose(skel->obj, policy, t);
		check(bpf_program__autoload(skel->progs.bj_probe), "a program with no row is loaded (fail closed)");
		tables_free(t);
		policy_free(policy);
	}
	probe__destroy(skel);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s POLICY_DIR\n", argv[0]);
		return 2;
	}
	test_default(argv[1]);
	test_policies();
	test_object();
	test_unclassified();
	return check_summary();
}
