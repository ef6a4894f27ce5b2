// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any bytes through policy_parse(), and every policy it
 * accepts through policy_compile(). Besides crashes, leaks and undefined
 * behaviour (ASan, UBSan), it aborts when a result breaks a promise that
 * policy.h makes to the compiler and the bootstrap, or when the compiled
 * tables, read as the kernel reads them, answer otherwise than the policy
 * says (tests/unit/eval.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/eval.h"
#include "compile.h"
#include "policy.h"

/*
 * Probes per role, and roles per policy: enough to meet each rule's
 * neighbourhood in a small policy, few enough that a large one stays well
 * within the time per input (the evaluator searches the tables linearly).
 */
#define EVAL_PATHS 48
#define EVAL_NETS 48
#define EVAL_ROLES 16

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	return devnull ? 0 : -1;
}

static void require(int ok)
{
	if (!ok)
		abort();
}

/* Absolute; components not empty, "." or ".."; "*" only as a whole component, and only if wildcards. */
static void check_path(const char *path, int wildcards)
{
	require(path && path[0] == '/');
	if (!strcmp(path, "/"))
		return;
	for (const char *slash = path; *slash; ) {
		const char *comp = slash + 1;
		size_t n = strcspn(comp, "/");

		require(n && !(n == 1 && comp[0] == '.') && !(n == 2 && !strncmp(comp, "..", 2)));
		if (memchr(comp, '*', n))
			require(wildcards && n == 1);
		slash = comp + n;
	}
}

static void check_role(const struct bj_role *r)
{
	require(r->key && r->name && r->id);
	require(!(r->flags & ~(BJ_FLAG_FILE | BJ_FLAG_NETWORK | BJ_FLAG_EXEC | BJ_FLAG_SETUID | BJ_FLAG_PTRACE |
			       BJ_FLAG_SIGNED | BJ_FLAG_MODULE_LOAD | BJ_FLAG_BPF_LOAD |
			       BJ_FLAG_KERNEL_TUNABLES | BJ_FLAG_ABSTRACT_UNIX)));
	require(r->mode <= BJ_MODE_COMPLAIN && r->audit <= BJ_AUDIT_NONE);
	for (size_t i = 0; i < r->n_files; i++) {
		check_path(r->files[i].pattern, 1);
		require(r->files[i].access && !(r->files[i].access & ~BJ_RIGHTS_FILE));
	}
	for (size_t i = 0; i < r->n_execs; i++)
		check_path(r->execs[i].binary_path, 0);
	for (size_t i = 0; i < r->n_net; i++) {
		const struct bj_net_rule *n = &r->net[i];

		require(n->protocol == BJ_PROTO_TCP || n->protocol == BJ_PROTO_UDP);
		require(n->directions && !(n->directions & ~(BJ_DIR_BIND | BJ_DIR_CONNECT)));
		require(n->port_first <= n->port_last && (n->port_first || !n->port_last));
	}
	for (size_t i = 0; i < r->n_ips; i++)
		require(r->ips[i].prefix_len <= 128);
	/* capabilities 0..40, address families 1..45 (AF_UNSPEC is rejected) */
	require(!(r->caps >> 41) && !(r->families & 1) && !(r->families >> 46));
	require(r->has_caps || !r->caps);
	for (size_t i = 0; i < r->n_devices; i++) {
		const struct bj_device_rule *d = &r->devices[i];

		require(d->type == BJ_DEV_CHAR || d->type == BJ_DEV_BLOCK);
		require(d->major < 4096 && (d->minor < (1u << 20) || d->minor == BJ_DEV_ANY_MINOR));
		require(d->access && !(d->access & ~(BJ_RIGHT_READ | BJ_RIGHT_WRITE)));
	}
}

static void check_policy(const struct bj_policy *p)
{
	bool trusts_a_key = p->n_certificates || p->signing_keyrings;

	require(!(p->signing_keyrings & ~(BJ_KEYRING_BUILTIN | BJ_KEYRING_SECONDARY | BJ_KEYRING_PLATFORM)));
	for (size_t i = 0; i < p->n_roles; i++) {
		check_role(&p->roles[i]);
		require(policy_role_by_key(p, p->roles[i].key) == (ssize_t)i);
		/* a role that requires signatures in a policy that trusts no key is an error */
		require(trusts_a_key || !(p->roles[i].flags & BJ_FLAG_SIGNED));
	}
	for (size_t i = 0; i < p->n_certificates; i++)
		require(p->certificates[i].path && p->certificates[i].path[0]);
	for (size_t i = 0; i < p->n_pods; i++)
		require(p->pods[i].id);
	for (size_t i = 0; i < p->n_exec_enrollments; i++) {
		check_path(p->exec_enrollments[i].path, 0);
		require(p->exec_enrollments[i].role < p->n_roles && p->exec_enrollments[i].pod_id);
	}
	for (size_t i = 0; i < p->n_cgroup_enrollments; i++) {
		check_path(p->cgroup_enrollments[i].path, 0);
		require(strcmp(p->cgroup_enrollments[i].path, "/")); /* where cgroup2 is mounted is the host's */
		require(p->cgroup_enrollments[i].role < p->n_roles && p->cgroup_enrollments[i].pod_id);
	}
	for (size_t i = 0; i < p->n_xattr_enrollments; i++)
		require(p->xattr_enrollments[i].role < p->n_roles);
	for (size_t i = 0; i < p->n_launch_enrollments; i++) {
		const struct bj_role_enrollment *e = &p->launch_enrollments[i];

		require(e->role < p->n_roles && (!e->has_pod || e->pod_id));
	}
	if (p->forwarder_path)
		check_path(p->forwarder_path, 0);
	if (p->launcher_path)
		check_path(p->launcher_path, 0);
}

/* The tables agree with the reference; else say where, and stop. */
static void check_tables(const struct bj_policy *p, const struct bj_tables *t)
{
	struct probe_limits lim = { .paths = EVAL_PATHS, .nets = EVAL_NETS };

	for (size_t i = 0; i < p->n_roles && i < EVAL_ROLES; i++) {
		struct agreement a = { 0 };

		agree_role(p, t, i, &lim, &a);
		if (a.mismatch) {
			fprintf(stderr, "the tables disagree with the reference: %s\n", a.mismatch);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bj_compile_opts copts = { .hash_key = { 0x0123456789abcdefull, 0xfedcba9876543210ull } };
	struct bj_policy *policy = NULL;
	struct bj_tables *tables = NULL;
	enum bj_on_load_failure action;
	struct bj_diags diags;
	bool action_found;
	int err;

	diags_init(&diags);
	err = policy_parse((const char *)data, size, "fuzz.json", &policy, &diags);
	require(err ? !policy && diags.n_errors : policy && !diags.n_errors);
	/* Read on its own, on_load_failure agrees with the parse wherever the parse succeeds. */
	action_found = policy_on_load_failure((const char *)data, size, &action);
	require(action_found || action == BJ_ON_LOAD_FAILURE_CONTINUE);
	require(!policy || action == policy->on_load_failure);
	for (size_t i = 0; i < diags.n; i++)
		require(diags.items[i].path && diags.items[i].message && diags.items[i].message[0]);
	diags_print(&diags, "fuzz.json", devnull);
	if (policy) {
		check_policy(policy);
		if (!policy_compile(policy, &copts, &tables, &diags)) {
			check_tables(policy, tables);
			tables_free(tables);
		}
	}
	policy_free(policy);
	diags_free(&diags);
	return 0;
}
