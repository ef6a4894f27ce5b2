// SPDX-License-Identifier: GPL-2.0
/*
 * bpfjailer-policy suggest's logic, from hand-written records: the rules
 * learned for each kind of record, the generalisations (a directory past
 * the threshold, a range of contiguous ports), the conflicts with the
 * role's deny rules, and the merge into a policy that the policy library
 * accepts.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "learn.h"
#include "merge.h"
#include "policy.h"

static const char policy_text[] =
	"{\"roles\": {\"web\": {\"id\": 7, \"name\": \"web\",\n"
	"  \"flags\": {\"allow_file_access\": false, \"allow_network\": false, \"allow_exec\": false},\n"
	"  \"file_paths\": [{\"pattern\": \"/\", \"allow\": true, \"access\": \"r\"},\n"
	"                 {\"pattern\": \"/etc/shadow\", \"allow\": false},\n"
	"                 {\"pattern\": \"/home/*/.ssh\", \"allow\": false},\n"
	"                 {\"pattern\": \"/srv/data\", \"allow\": true, \"access\": \"r\"}],\n"
	"  \"execution_rules\": [{\"binary_path\": \"/usr/bin/nc\", \"allow\": false}],\n"
	"  \"network_rules\": [{\"protocol\": \"tcp\", \"port\": 4444, \"allow\": false, \"direction\": \"connect\"}],\n"
	"  \"ip_rules\": [{\"cidr\": \"10.0.0.0/8\", \"allow\": false}]}},\n"
	" \"pods\": [{\"id\": 70, \"role_id\": 7}]}\n";

#define FILE_REC(h, p, a) { .hook = (char *)(h), .decision = (char *)"denied", .path = (char *)(p), .access = (a) }
#define NET_REC(h, a, p, proto) \
	{ .hook = (char *)(h), .decision = (char *)"would deny", .addr = (char *)(a), .port = (char *)(p), \
	  .protocol = (char *)(proto) }
#define VALUE_REC(h, v) { .hook = (char *)(h), .decision = (char *)"denied", .value = (char *)(v) }

/* The text of fragment member path ("additions.file_paths"), compact, for comparing. */
static char *member(const json_t *fragment, const char *a, const char *b)
{
	const json_t *m = json_object_get(fragment, a);

	if (b)
		m = json_object_get(m, b);
	return m ? json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) : strdup("(none)");
}

static void expect(const json_t *fragment, const char *a, const char *b, const char *want)
{
	char *got = member(fragment, a, b);

	if (!check(got && !strcmp(got, want), "%s%s%s is %s", a, b ? "." : "", b ? b : "", want))
		note("got %s", got);
	free(got);
}

static json_t *suggest(const struct learn_record *r, size_t n, const struct bj_role *role, unsigned threshold)
{
	struct learn_opts o = { .role_key = "web", .role = role, .dir_threshold = threshold };

	return learn_suggest(r, n, &o);
}

/* Without a policy: what each kind of record asks for, generalised. */
static void test_without_policy(void)
{
	static char files[12][32];
	struct learn_record r[40];
	size_t n = 0;
	json_t *f;

	/* ten files of one directory (8 or more: the directory), three of another (fewer: each) */
	for (int i = 0; i < 10; i++) {
		snprintf(files[i], sizeof(files[i]), "/var/cache/app/f%d", i);
		r[n++] = (struct learn_record)FILE_REC("open", files[i], NULL);
	}
	r[n++] = (struct learn_record)FILE_REC("open", "/var/cache/app/sub/deep", (char *)"w");
	r[n++] = (struct learn_record)FILE_REC("open", "/srv/one", (char *)"r");
	r[n++] = (struct learn_record)FILE_REC("unlink", "/srv/one", NULL);
	r[n++] = (struct learn_record)FILE_REC("mmap", "/opt/lib.so", NULL);
	r[n++] = (struct learn_record)FILE_REC("open", "(internal) memfd:x", NULL);
	r[n++] = (struct learn_record){ .hook = (char *)"open", .decision = (char *)"allowed", .path = (char *)"/no" };
	r[n++] = (struct learn_record)FILE_REC("exec", "/opt/tool", NULL);
	r[n++] = (struct learn_record)NET_REC("connect", "127.0.0.1", "8001", "tcp");
	r[n++] = (struct learn_record)NET_REC("connect", "127.0.0.1", "8000", "tcp");
	r[n++] = (struct learn_record)NET_REC("sendmsg", "::1", "8002", "tcp");
	r[n++] = (struct learn_record)NET_REC("connect", "127.0.0.1", "9000", "tcp");
	r[n++] = (struct learn_record)NET_REC("bind", "0.0.0.0", "53", "udp");
	r[n++] = (struct learn_record)NET_REC("listen", "0.0.0.0", "0", "tcp");
	r[n++] = (struct learn_record)NET_REC("connect", "127.0.0.1", "1", "1");
	r[n++] = (struct learn_record)VALUE_REC("capable", "12");
	r[n++] = (struct learn_record)VALUE_REC("capable", "12");
	r[n++] = (struct learn_record)VALUE_REC("capable", "99");
	r[n++] = (struct learn_record){ .hook = (char *)"socket", .decision = (char *)"denied",
					.family = (char *)"packet" };
	r[n++] = (struct learn_record){ .hook = (char *)"ptrace", .decision = (char *)"denied" };
	r[n++] = (struct learn_record){ .hook = (char *)"ptrace", .decision = (char *)"denied" };

	f = suggest(r, n, NULL, LEARN_DIR_THRESHOLD);
	if (!check(f != NULL, "a fragment without a policy"))
		return;
	expect(f, "role", NULL, "\"web\"");
	expect(f, "additions", "file_paths",
	       "[{\"pattern\":\"/opt/lib.so\",\"allow\":true,\"access\":\"x\"},"
	       "{\"pattern\":\"/srv/one\",\"allow\":true,\"access\":\"rw\"},"
	       "{\"pattern\":\"/var/cache/app/\",\"allow\":true,\"access\":\"rw\"}]");
	expect(f, "additions", "execution_rules", "[{\"binary_path\":\"/opt/tool\",\"allow\":true}]");
	expect(f, "additions", "network_rules",
	       "[{\"protocol\":\"tcp\",\"direction\":\"connect\",\"port_start\":8000,\"port_end\":8002,\"allow\":true},"
	       "{\"protocol\":\"tcp\",\"direction\":\"connect\",\"port\":9000,\"allow\":true},"
	       "{\"protocol\":\"udp\",\"direction\":\"bind\",\"port\":53,\"allow\":true}]");
	expect(f, "additions", "capabilities", "[\"CAP_NET_ADMIN\"]");
	expect(f, "additions", "address_families", "[\"AF_PACKET\"]");
	expect(f, "conflicts", NULL, "[]");
	expect(f, "not_allowable", NULL,
	       "[{\"record\":\"open (internal) memfd:x\",\"count\":1},"
	       "{\"record\":\"listen 0.0.0.0:0/tcp\",\"count\":1},"
	       "{\"record\":\"connect 127.0.0.1:1/1\",\"count\":1},"
	       "{\"record\":\"capable 99\",\"count\":1},"
	       "{\"record\":\"ptrace\",\"count\":2}]");
	json_decref(f);

	/* /var/cache/app holds 11 names (f0..f9 and sub): a threshold of 11 makes the rule, 12 does not */
	f = suggest(r, 11, NULL, 11);
	expect(f, "additions", "file_paths",
	       "[{\"pattern\":\"/var/cache/app/\",\"allow\":true,\"access\":\"rw\"}]");
	json_decref(f);
	f = suggest(r, 11, NULL, 12);
	check(json_array_size(json_object_get(json_object_get(f, "additions"), "file_paths")) == 11,
	      "below the threshold, every file keeps its rule");
	json_decref(f);
}

/* Never a rule on / or right under it: /etc/ would reach /etc/shadow. */
static void test_shallow(void)
{
	static char files[20][32];
	struct learn_record r[20];
	json_t *f;

	for (int i = 0; i < 20; i++) {
		snprintf(files[i], sizeof(files[i]), "/etc/conf%d", i);
		r[i] = (struct learn_record)FILE_REC("open", files[i], NULL);
	}
	f = suggest(r, 20, NULL, 2);
	check(json_array_size(json_object_get(json_object_get(f, "additions"), "file_paths")) == 20,
	      "20 files of /etc stay 20 rules");
	json_decref(f);
}

/* Eight directories of one file each: a rule on their parent, the narrowest that reaches the threshold. */
static void test_grandparent(void)
{
	static char files[9][40];
	struct learn_record r[9];
	json_t *f;

	for (int i = 0; i < 8; i++) {
		snprintf(files[i], sizeof(files[i]), "/srv/app/d%d/f", i);
		r[i] = (struct learn_record)FILE_REC("open", files[i], (char *)"r");
	}
	r[8] = (struct learn_record)FILE_REC("open", "/srv/other/f", (char *)"w");
	f = suggest(r, 9, NULL, LEARN_DIR_THRESHOLD);
	expect(f, "additions", "file_paths",
	       "[{\"pattern\":\"/srv/app/\",\"allow\":true,\"access\":\"r\"},"
	       "{\"pattern\":\"/srv/other/f\",\"allow\":true,\"access\":\"w\"}]");
	json_decref(f);
}

static struct bj_policy *parse(const char *text)
{
	struct bj_policy *p = NULL;
	struct bj_diags diags;

	diags_init(&diags);
	if (policy_parse(text, strlen(text), "test", &p, &diags))
		diags_print(&diags, "test", stdout);
	diags_free(&diags);
	return p;
}

/* With the role's rules: conflicts with its deny rules, and the letters it grants already. */
static void test_with_policy(void)
{
	static char home[10][32];
	struct learn_record r[40];
	struct bj_policy *p = parse(policy_text);
	size_t n = 0;
	json_t *f;

	if (!check(p != NULL, "the test policy parses"))
		return;
	r[n++] = (struct learn_record)FILE_REC("open", "/etc/shadow", (char *)"r");
	r[n++] = (struct learn_record)FILE_REC("open", "/home/u/.ssh/id_rsa", (char *)"r");
	r[n++] = (struct learn_record)FILE_REC("open", "/tmp/out", (char *)"w");
	r[n++] = (struct learn_record)FILE_REC("open", "/srv/data/x", (char *)"w");
	r[n++] = (struct learn_record)FILE_REC("mmap", "/usr/bin/nc", NULL);
	r[n++] = (struct learn_record)FILE_REC("exec", "/usr/bin/nc", NULL);
	r[n++] = (struct learn_record)FILE_REC("exec", "/opt/tool", NULL);
	r[n++] = (struct learn_record)FILE_REC("open", "/etc/hostname", (char *)"r"); /* granted already */
	/* ten files right in /home/u: a rule on /home/u/ would outrank /home/[*]/.ssh, so none */
	for (int i = 0; i < 10; i++) {
		snprintf(home[i], sizeof(home[i]), "/home/u/f%d", i);
		r[n++] = (struct learn_record)FILE_REC("open", home[i], (char *)"w");
	}
	r[n++] = (struct learn_record)NET_REC("connect", "10.1.2.3", "443", "tcp");
	r[n++] = (struct learn_record)NET_REC("connect", "::ffff:10.1.2.3", "443", "tcp");
	r[n++] = (struct learn_record)NET_REC("connect", "127.0.0.1", "4444", "tcp");
	r[n++] = (struct learn_record)NET_REC("bind", "127.0.0.1", "4444", "tcp");
	r[n++] = (struct learn_record)NET_REC("connect", "127.0.0.1", "8080", "tcp");

	f = suggest(r, n, &p->roles[0], LEARN_DIR_THRESHOLD);
	if (!check(f != NULL, "a fragment with the policy"))
		goto out;
	expect(f, "conflicts", NULL,
	       "[{\"record\":\"open /etc/shadow (r)\",\"rule\":\"roles.web.file_paths[1].pattern\"},"
	       "{\"record\":\"open /home/u/.ssh/id_rsa (r)\",\"rule\":\"roles.web.file_paths[2].pattern\"},"
	       "{\"record\":\"mmap /usr/bin/nc\",\"rule\":\"roles.web.execution_rules[0].binary_path\"},"
	       "{\"record\":\"exec /usr/bin/nc\",\"rule\":\"roles.web.execution_rules[0].binary_path\"},"
	       "{\"record\":\"connect 10.1.2.3:443/tcp\",\"rule\":\"roles.web.ip_rules[0]\"},"
	       "{\"record\":\"connect [::ffff:10.1.2.3]:443/tcp\",\"rule\":\"roles.web.ip_rules[0]\"},"
	       "{\"record\":\"connect 127.0.0.1:4444/tcp\",\"rule\":\"roles.web.network_rules[0]\"}]");
	check(json_array_size(json_object_get(json_object_get(f, "additions"), "file_paths")) == 13,
	      "13 file rules: /opt/tool, /srv/data/x, /tmp/out and ten in /home/u");
	expect(f, "additions", "execution_rules", "[{\"binary_path\":\"/opt/tool\",\"allow\":true}]");
	expect(f, "additions", "network_rules",
	       "[{\"protocol\":\"tcp\",\"direction\":\"bind\",\"port\":4444,\"allow\":true},"
	       "{\"protocol\":\"tcp\",\"direction\":\"connect\",\"port\":8080,\"allow\":true}]");
	{
		char *files = member(f, "additions", "file_paths");

		check(strstr(files, "{\"pattern\":\"/opt/tool\",\"allow\":true,\"access\":\"rx\"}") != NULL,
		      "an exec the flags refused: an execution rule, and x on the file besides the r it had");
		check(strstr(files, "{\"pattern\":\"/tmp/out\",\"allow\":true,\"access\":\"rw\"}") != NULL,
		      "w asked for where / grants r: the rule keeps r");
		check(!strstr(files, "/etc/hostname"), "what the role grants already adds nothing");
		free(files);
	}
	json_decref(f);
out:
	policy_free(p);
}

/* The merge: the policy library accepts the result; letters join, default capabilities stay. */
static void test_merge(void)
{
	struct learn_record r[] = {
		FILE_REC("open", "/srv/data", (char *)"w"),
		FILE_REC("open", "/tmp/out", (char *)"w"),
		VALUE_REC("capable", "12"),
		NET_REC("connect", "127.0.0.1", "8080", "tcp"),
		FILE_REC("exec", "/opt/tool", NULL),
	};
	struct bj_policy *p = parse(policy_text), *merged = NULL;
	json_t *f = NULL, *json = json_loads(policy_text, 0, NULL);
	struct bj_diags diags;
	const char *why;
	char *text = NULL, *files = NULL, *caps = NULL;

	diags_init(&diags);
	if (!check(p && json, "the test policy parses"))
		goto out;
	f = suggest(r, sizeof(r) / sizeof(r[0]), &p->roles[0], LEARN_DIR_THRESHOLD);
	check(merge_additions(json, "nobody", json_object_get(f, "additions"), &why) == -1 &&
		      !strcmp(why, "the policy has no such role"),
	      "merging into a role the policy lacks fails");
	if (!check(!merge_additions(json, "web", json_object_get(f, "additions"), &why), "the merge succeeds"))
		goto out;
	text = json_dumps(json, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!check(!policy_parse(text, strlen(text), "merged", &merged, &diags), "the merged policy validates"))
		diags_print(&diags, "merged", stdout);
	files = json_dumps(json_object_get(json_object_get(json_object_get(json, "roles"), "web"), "file_paths"),
			   JSON_COMPACT | JSON_PRESERVE_ORDER);
	check(strstr(files, "{\"pattern\": \"/srv/data\", \"allow\": true, \"access\": \"rw\"}") ||
		      strstr(files, "{\"pattern\":\"/srv/data\",\"allow\":true,\"access\":\"rw\"}"),
	      "the allow on /srv/data took w: one rule, not two");
	check(merged && merged->roles[0].n_files == 6, "six file rules: four, /tmp/out and /opt/tool");
	caps = json_dumps(json_object_get(json_object_get(json_object_get(json, "roles"), "web"), "capabilities"),
			  JSON_COMPACT);
	check(caps && strstr(caps, "\"CAP_CHOWN\"") && strstr(caps, "\"CAP_NET_ADMIN\""),
	      "capabilities: the default set, which the role had, and CAP_NET_ADMIN");
out:
	free(caps);
	free(files);
	free(text);
	policy_free(merged);
	diags_free(&diags);
	json_decref(f);
	json_decref(json);
	policy_free(p);
}

int main(void)
{
	test_without_policy();
	test_shallow();
	test_grandparent();
	test_with_policy();
	test_merge();
	return check_summary();
}
