// SPDX-License-Identifier: GPL-2.0
/*
 * The bootstrap's resolve step (bootstrap/resolve.h): rule paths through
 * symlinks, in a temporary tree that stands for "/", and cgroup paths on
 * the cgroup2 mounts of made-up mount tables (unified, hybrid, none, ...).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fixtures.h"
#include "resolve.h"

static char root[] = "/tmp/bj-resolve.XXXXXX";

static void at(const char *rel, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", root, rel);
}

static void make_dir(const char *rel)
{
	char p[4096];

	at(rel, p, sizeof(p));
	if (mkdir(p, 0755))
		check(false, "mkdir %s: %m", p);
}

static void make_file(const char *rel)
{
	char p[4096];
	FILE *f;

	at(rel, p, sizeof(p));
	f = fopen(p, "w");
	if (!f || fclose(f))
		check(false, "create %s: %m", p);
}

static void make_link(const char *target, const char *rel)
{
	char p[4096];

	at(rel, p, sizeof(p));
	if (symlink(target, p))
		check(false, "symlink %s: %m", p);
}

/* A Debian-like tree: merged /usr, /var/run -> /run (absolute, so inside the root). */
static void make_tree(void)
{
	make_dir("/usr");
	make_dir("/usr/bin");
	make_file("/usr/bin/true");
	make_link("dash", "/usr/bin/sh");
	make_file("/usr/bin/dash");
	make_link("usr/bin", "/bin");
	make_dir("/run");
	make_dir("/run/app");
	make_dir("/var");
	make_link("/run", "/var/run");
	make_dir("/etc");
	make_link("/usr/share/zoneinfo/UTC", "/etc/localtime");
	make_dir("/usr/share");
	make_dir("/usr/share/zoneinfo");
	make_file("/usr/share/zoneinfo/UTC");
	make_link("/nonexistent", "/dangling");
	make_link("/etc/hostname", "/host-only"); /* the host has it; this root does not */
	make_link("loop2", "/loop1");
	make_link("loop1", "/loop2");
	make_dir("/d");
	make_link("../bin", "/d/chain");
	make_link("../../../../usr", "/up");
	make_link("/usr/bin", "/abs");
	make_link("/via-dangling/x", "/outer"); /* a chain whose second link dangles */
	make_link("/nowhere", "/via-dangling");
}

static void expect_pattern(const char *pattern, const char *want)
{
	char why[512] = "", *got = NULL;
	int err = resolve_pattern(root, pattern, &got, why, sizeof(why));

	if (!check(!err && got && !strcmp(got, want), "resolve %s -> %s", pattern, want))
		note("got %s (err %d: %s)", got ? got : "NULL", err, why);
	free(got);
}

static void expect_pattern_error(const char *pattern, const char *want_in_message)
{
	char why[512] = "", *got = NULL;
	int err = resolve_pattern(root, pattern, &got, why, sizeof(why));

	if (!check(err == -1 && !got && strstr(why, want_in_message), "resolve %s: error \"%s\"", pattern,
		   want_in_message))
		note("got %s (err %d: %s)", got ? got : "NULL", err, why);
	free(got);
}

static void test_patterns(void)
{
	char *got = NULL, why[256];

	expect_pattern("/bin/true", "/usr/bin/true");
	expect_pattern("/bin/sh", "/usr/bin/dash");
	expect_pattern("/bin", "/usr/bin");
	expect_pattern("/bin/*", "/usr/bin/*");
	expect_pattern("/bin/*/x", "/usr/bin/*/x");
	expect_pattern("/bin/not-yet/x", "/usr/bin/not-yet/x");
	expect_pattern("/var/run/app/secret", "/run/app/secret");
	expect_pattern("/var/run/new-dir/secret", "/run/new-dir/secret");
	expect_pattern("/etc/localtime", "/usr/share/zoneinfo/UTC");
	expect_pattern("/d/chain/true", "/usr/bin/true");
	expect_pattern("/up/bin/true", "/usr/bin/true");
	expect_pattern("/abs/true", "/usr/bin/true");
	expect_pattern("/bin/true/below-a-file", "/usr/bin/true/below-a-file");
	expect_pattern("/usr/bin/true", "/usr/bin/true");
	expect_pattern("/nothing/here", "/nothing/here");
	expect_pattern("/*/bin", "/*/bin");
	expect_pattern("/", "/");
	expect_pattern_error("/dangling", "/dangling is a symlink to /nonexistent, which does not exist");
	expect_pattern_error("/dangling/x", "dangling symlink");
	expect_pattern_error("/host-only", "/host-only is a symlink to /etc/hostname, which does not exist");
	expect_pattern_error("/outer/y", "/outer is a symlink to /via-dangling/x, which does not exist");
	expect_pattern_error("/loop1/x", "/loop1: too many levels of symbolic links");

	/* The real root: /proc/self names another process for each; it stays as written. */
	if (!check(resolve_pattern(NULL, "/proc/self/environ", &got, why, sizeof(why)) == 0 && got &&
		   !strcmp(got, "/proc/self/environ"), "resolve /proc/self/environ: not followed"))
		note("got %s", got ? got : "NULL");
	free(got);
}

static const char policy_text[] =
	"{\"roles\": {\"web\": {\"id\": 1,\n"
	"  \"file_paths\": [\n"
	"    {\"pattern\": \"/usr/\", \"allow\": true, \"access\": \"r\"},\n"
	"    {\"pattern\": \"/var/run/app/secret\", \"allow\": false},\n"
	"    {\"pattern\": \"/home/*/.ssh\", \"allow\": false}\n"
	"  ],\n"
	"  \"execution_rules\": [{\"binary_path\": \"/bin/sh\", \"allow\": false}]}},\n"
	" \"cgroup_enrollments\": [\n"
	"    {\"cgroup_path\": \"/sys/fs/cgroup/unified/jail\", \"pod_id\": 1, \"role\": \"web\"},\n"
	"    {\"cgroup_path\": \"/sys/fs/cgroup/cpu/jail\", \"pod_id\": 2, \"role\": \"web\"}\n"
	" ]}\n";

static struct bj_policy *parse(const char *text)
{
	struct bj_policy *policy = NULL;
	struct bj_diags diags;

	diags_init(&diags);
	if (policy_parse(text, strlen(text), "p.json", &policy, &diags)) {
		char *printed = diags_text(&diags, "p.json");

		check(false, "parse the test policy");
		note("%s", printed);
		free(printed);
	}
	diags_free(&diags);
	return policy;
}

static char mountinfo[sizeof(root) + 32];

static void write_mountinfo(const char *text)
{
	FILE *f = fopen(mountinfo, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		check(false, "write %s: %m", mountinfo);
}

static const char hybrid[] =
	"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
	"30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"31 30 0:28 / /sys/fs/cgroup/unified rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate\n"
	"32 30 0:29 / /sys/fs/cgroup/cpu rw,relatime shared:10 - cgroup cgroup rw,cpu\n";

static void test_policy(void)
{
	struct resolve_opts opts = { .root = root, .mountinfo = mountinfo };
	struct bj_policy *policy = parse(policy_text);
	struct resolved res;
	struct bj_diags diags;
	char *printed;
	int ret;

	if (!policy)
		return;
	write_mountinfo(hybrid);
	diags_init(&diags);
	ret = resolve_policy(policy, &opts, &res, &diags);
	printed = diags_text(&diags, "p.json");
	check(ret == RESOLVE_BAD_CGROUP, "policy: a cgroup v1 path is RESOLVE_BAD_CGROUP (got %d)", ret);
	if (!check(strstr(printed, "p.json:10:21: error: cgroup_enrollments[1].cgroup_path: cgroup_path "
				   "\"/sys/fs/cgroup/cpu/jail\" is not on cgroup v2: it is on cgroup (a cgroup v1 "
				   "hierarchy) mounted at /sys/fs/cgroup/cpu; cgroup v2 is mounted at "
				   "/sys/fs/cgroup/unified") && diags.n_errors == 1,
		   "policy: the cgroup v1 path is the one error, with its location and the cgroup2 mount"))
		note("%s", printed);
	free(printed);
	check(res.n_cgroup_paths == 2 && res.cgroup_paths[0] && !strcmp(res.cgroup_paths[0], "/jail") &&
	      !res.cgroup_paths[1], "policy: the cgroup2 path is /jail in the hierarchy");
	check(res.cgroup2_mount && !strcmp(res.cgroup2_mount, "/sys/fs/cgroup/unified"),
	      "policy: cgroup2 found at /sys/fs/cgroup/unified");
	check(res.n_rewrites == 2 &&
	      !strcmp(res.rewrites[0], "roles.web.file_paths[1].pattern: /var/run/app/secret resolved to "
				       "/run/app/secret") &&
	      !strcmp(res.rewrites[1], "roles.web.execution_rules[0].binary_path: /bin/sh resolved to "
				       "/usr/bin/dash"),
	      "policy: both rewrites reported");
	check(!strcmp(policy->roles[0].files[1].pattern, "/run/app/secret") &&
	      !strcmp(policy->roles[0].files[0].pattern, "/usr") &&
	      !strcmp(policy->roles[0].files[2].pattern, "/home/*/.ssh") &&
	      !strcmp(policy->roles[0].execs[0].binary_path, "/usr/bin/dash"),
	      "policy: patterns rewritten in place, the others untouched");
	resolved_free(&res);
	diags_free(&diags);

	/* --check: the host's cgroup layout only warns. */
	opts.check_only = true;
	diags_init(&diags);
	ret = resolve_policy(policy, &opts, &res, &diags);
	check(ret == 0 && diags.n_errors == 0 && diags.n && diags.items[0].severity == BJ_WARNING &&
	      strstr(diags.items[0].message, "(loading this policy on this host fails)"),
	      "policy --check: a cgroup v1 path is a warning");
	check(res.n_rewrites == 0, "policy: resolving again rewrites nothing");
	resolved_free(&res);
	diags_free(&diags);
	policy_free(policy);
}

static void test_policy_errors(void)
{
	static const char text[] =
		"{\"roles\": {\"r\": {\"id\": 1,\n"
		"  \"file_paths\": [\n"
		"    {\"pattern\": \"/run/app/x\", \"allow\": true},\n"
		"    {\"pattern\": \"/var/run/app/x\", \"allow\": false},\n"
		"    {\"pattern\": \"/dangling/y\", \"allow\": false},\n"
		"    {\"pattern\": \"/usr/bin/true\", \"allow\": false},\n"
		"    {\"pattern\": \"/bin/true\", \"allow\": false, \"access\": \"w\"}\n"
		"  ],\n"
		"  \"execution_rules\": [{\"binary_path\": \"/usr/bin/dash\", \"allow\": true},\n"
		"                      {\"binary_path\": \"/bin/sh\", \"allow\": false}]}},\n"
		" \"cgroup_enrollments\": [{\"cgroup_path\": \"/sys/fs/cgroup/x\", \"pod_id\": 1, \"role\": \"r\"}]}\n";
	static const char *const want[] = {
		"p.json:4:17: error: roles.r.file_paths[1].pattern: this pattern is /run/app/x on this host, as is "
		"file_paths[0], which decides it differently: make the two rules agree or remove one\n",
		"p.json:5:17: error: roles.r.file_paths[2].pattern: /dangling/y: /dangling is a symlink to "
		"/nonexistent, which does not exist (a dangling symlink)\n",
		"p.json:10:39: error: roles.r.execution_rules[1].binary_path: this binary is /usr/bin/dash on this "
		"host, as is execution_rules[0], which allows it: make the two rules agree or remove one\n",
		"p.json:11:41: error: cgroup_enrollments[0].cgroup_path: cgroup_path \"/sys/fs/cgroup/x\": no "
		"cgroup v2 is mounted on this host (no cgroup2 in /proc/self/mountinfo), and cgroup enrollment "
		"needs one\n",
	};
	struct resolve_opts opts = { .root = root, .mountinfo = mountinfo };
	struct bj_policy *policy = parse(text);
	struct resolved res;
	struct bj_diags diags;
	char *printed, *expected;
	size_t len = 0;
	int ret;

	if (!policy)
		return;
	write_mountinfo("22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n");
	diags_init(&diags);
	ret = resolve_policy(policy, &opts, &res, &diags);
	printed = diags_text(&diags, "p.json");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		len += strlen(want[i]);
	expected = calloc(1, len + 1);
	for (size_t i = 0; expected && i < sizeof(want) / sizeof(want[0]); i++)
		strcat(expected, want[i]);
	check(ret == (RESOLVE_BAD_PATH | RESOLVE_BAD_CGROUP), "errors: both kinds (got %d)", ret);
	if (!check(expected && !strcmp(printed, expected),
		   "errors: collisions, a dangling symlink, no cgroup2; deny rules of other letters agree"))
		note("got:\n%s", printed);
	free(expected);
	free(printed);
	resolved_free(&res);
	diags_free(&diags);
	policy_free(policy);
}

static void expect_cgroup(const struct mount_table *t, const char *path, const char *want)
{
	char why[1024] = "", *got = NULL;
	int err = cgroup_path_resolve(t, path, &got, why, sizeof(why));

	if (!check(!err && got && !strcmp(got, want), "cgroup %s -> %s", path, want))
		note("got %s (%d: %s)", got ? got : "NULL", err, why);
	free(got);
}

static void expect_cgroup_error(const struct mount_table *t, const char *path, const char *want_in_message)
{
	char why[1024] = "", *got = NULL;
	int err = cgroup_path_resolve(t, path, &got, why, sizeof(why));

	if (!check(err == -EINVAL && !got && strstr(why, want_in_message), "cgroup %s: error \"%s\"", path,
		   want_in_message))
		note("got %s (%d: %s)", got ? got : "NULL", err, why);
	free(got);
}

static bool read_table(const char *text, struct mount_table *t)
{
	write_mountinfo(text);
	return check(mount_table_read(mountinfo, t) == 0, "read a mount table");
}

static void test_cgroups(void)
{
	struct mount_table t;

	if (read_table("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		       "30 22 0:27 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"
		       "40 22 0:40 / /tmp rw - tmpfs tmpfs rw\n"
		       "41 40 0:27 / /tmp/t/cg2 rw - cgroup2 none rw\n"
		       "42 22 0:27 /sub /mnt/sub rw - cgroup2 none rw\n"
		       "43 22 0:27 / /mnt/cg\\040two rw - cgroup2 none rw\n"
		       "44 22 0:27 / /mnt/a rw - cgroup2 none rw\n"
		       "45 22 0:50 / /mnt/a rw - tmpfs tmpfs rw\n"
		       "46 22 0:27 /../x /mnt/outside rw - cgroup2 none rw\n", &t)) {
		check(t.n == 9 && !strcmp(mount_table_cgroup2(&t)->point, "/sys/fs/cgroup"),
		      "unified: the first cgroup2 is /sys/fs/cgroup");
		expect_cgroup(&t, "/sys/fs/cgroup/a/b", "/a/b");
		expect_cgroup(&t, "/tmp/t/cg2/x", "/x");
		expect_cgroup(&t, "/mnt/sub/x", "/sub/x");
		expect_cgroup(&t, "/mnt/sub", "/sub");
		expect_cgroup(&t, "/mnt/cg two/x", "/x");
		expect_cgroup_error(&t, "/sys/fs/cgroup", "is the root cgroup (cgroup v2 is mounted at /sys/fs/cgroup)");
		expect_cgroup_error(&t, "/tmp/t/cg2", "is the root cgroup (cgroup v2 is mounted at /tmp/t/cg2)");
		expect_cgroup_error(&t, "/tmp/x", "\"/tmp/x\" is not on cgroup v2: it is on tmpfs mounted at /tmp; "
						  "cgroup v2 is mounted at /sys/fs/cgroup");
		expect_cgroup_error(&t, "/sys/fs/cgroupx/y", "is not on cgroup v2: it is on ext4 mounted at /;");
		expect_cgroup_error(&t, "/mnt/a/x", "it is on tmpfs mounted at /mnt/a");
		expect_cgroup_error(&t, "/mnt/outside/x", "outside this process's cgroup namespace");
		mount_table_free(&t);
	}
	if (read_table(hybrid, &t)) {
		expect_cgroup(&t, "/sys/fs/cgroup/unified/system.slice/x", "/system.slice/x");
		expect_cgroup_error(&t, "/sys/fs/cgroup/x", "it is on tmpfs mounted at /sys/fs/cgroup; cgroup v2 is "
							  "mounted at /sys/fs/cgroup/unified");
		expect_cgroup_error(&t, "/sys/fs/cgroup/cpu/x", "(a cgroup v1 hierarchy)");
		mount_table_free(&t);
	}
	if (read_table("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n", &t)) {
		expect_cgroup_error(&t, "/sys/fs/cgroup/x", "no cgroup v2 is mounted");
		mount_table_free(&t);
	}
	check(mount_table_read("/nonexistent/mountinfo", &t) == -ENOENT, "a missing mount table: ENOENT");
	if (check(mount_table_read(RESOLVE_MOUNTINFO, &t) == 0 && t.n > 0, "this host's mount table"))
		mount_table_free(&t);
}

int main(void)
{
	char cmd[sizeof(root) + 16];

	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(mountinfo, sizeof(mountinfo), "%s.mountinfo", root);
	make_tree();
	test_patterns();
	test_policy();
	test_policy_errors();
	test_cgroups();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) || unlink(mountinfo))
		check(false, "clean up %s", root);
	return check_summary();
}
