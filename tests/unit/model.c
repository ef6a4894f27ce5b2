// SPDX-License-Identifier: GPL-2.0
/* What the parser makes of valid input: normalised, with defaults filled in. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfjailer.h"
#include "caps.h"
#include "check.h"
#include "fixtures.h"
#include "policy.h"
#include "tests.h"

#define EXPECT(cond) check(cond, "model: %s", #cond)

static bool is_loc(struct bj_loc loc, unsigned line, unsigned column)
{
	return loc.line == line && loc.column == column;
}

/* addr is the 16-byte form of text, which inet_pton reads as IPv6 */
static bool is_addr(const uint8_t *addr, const char *text)
{
	uint8_t want[16];

	return inet_pton(AF_INET6, text, want) == 1 && !memcmp(addr, want, sizeof(want));
}

static void check_web(const struct bj_role *r)
{
	EXPECT(!strcmp(r->key, "web") && !strcmp(r->name, "web"));
	EXPECT(r->id == 3 && r->flags == BJ_FLAG_FILE);
	EXPECT(r->mode == BJ_MODE_ENFORCE && r->audit == BJ_AUDIT_DENY);
	EXPECT(is_loc(r->loc, 3, 12));

	if (EXPECT(r->n_files == 5)) {
		EXPECT(!strcmp(r->files[0].pattern, "/var/www") && r->files[0].access == BJ_RIGHT_READ &&
		       r->files[0].allow);
		EXPECT(is_loc(r->files[0].loc, 7, 21));
		EXPECT(!strcmp(r->files[1].pattern, "/var/log") &&
		       r->files[1].access == (BJ_RIGHT_WRITE | BJ_RIGHT_MAP_EXEC));
		EXPECT(!strcmp(r->files[2].pattern, "/home/*/.ssh") && r->files[2].access == BJ_RIGHTS_FILE &&
		       !r->files[2].allow);
		EXPECT(!strcmp(r->files[3].pattern, "/") && r->files[3].access == BJ_RIGHTS_FILE);
		EXPECT(!strcmp(r->files[4].pattern, "/") && !r->files[4].allow);
	}
	if (EXPECT(r->n_net == 4)) {
		const struct bj_net_rule *n = r->net;

		EXPECT(n[0].protocol == BJ_PROTO_TCP && n[0].port_first == 443 && n[0].port_last == 443 &&
		       n[0].directions == (BJ_DIR_BIND | BJ_DIR_CONNECT) && n[0].allow);
		EXPECT(is_loc(n[0].loc, 14, 9));
		EXPECT(n[1].protocol == BJ_PROTO_UDP && n[1].port_first == 0 && n[1].port_last == 0 &&
		       n[1].directions == BJ_DIR_BIND && !n[1].allow);
		EXPECT(n[2].port_first == 8000 && n[2].port_last == 8100 && n[2].directions == BJ_DIR_CONNECT);
		EXPECT(n[3].port_first == 1 && n[3].port_last == 65535 &&
		       n[3].directions == (BJ_DIR_BIND | BJ_DIR_CONNECT) && !n[3].allow);
	}
	if (EXPECT(r->n_ips == 5)) {
		const struct bj_ip_rule *ip = r->ips;

		EXPECT(is_addr(ip[0].addr, "::ffff:10.0.0.0") && ip[0].prefix_len == 104 && !ip[0].allow);
		EXPECT(is_addr(ip[1].addr, "fd00::") && ip[1].prefix_len == 8);
		EXPECT(is_addr(ip[2].addr, "::ffff:127.0.0.1") && ip[2].prefix_len == 128 && ip[2].allow);
		EXPECT(is_addr(ip[3].addr, "::1") && ip[3].prefix_len == 128);
		EXPECT(is_addr(ip[4].addr, "::ffff:0.0.0.0") && ip[4].prefix_len == 96);
	}
	if (EXPECT(r->n_execs == 1))
		EXPECT(!strcmp(r->execs[0].binary_path, "/usr/bin/curl") && !r->execs[0].allow);
}

static void check_model(struct bj_policy *p)
{
	const struct bj_role *all, *quiet;

	EXPECT(!strcmp(p->origin, "model.json"));
	if (!EXPECT(p->n_roles == 3))
		return;
	check_web(&p->roles[0]);
	all = &p->roles[1];
	EXPECT(!strcmp(all->key, "all-flags") && !strcmp(all->name, "everything"));
	EXPECT(all->id == UINT32_MAX);
	EXPECT(all->flags == (BJ_FLAG_FILE | BJ_FLAG_NETWORK | BJ_FLAG_EXEC | BJ_FLAG_SETUID | BJ_FLAG_PTRACE |
			      BJ_FLAG_MODULE_LOAD | BJ_FLAG_BPF_LOAD | BJ_FLAG_KERNEL_TUNABLES |
			      BJ_FLAG_ABSTRACT_UNIX));
	/* as listed: the flags' own capabilities are added when compiled, not here */
	EXPECT(all->has_caps && all->caps == (BJ_BIT(12) | BJ_BIT(13)));
	EXPECT(!all->families && !all->n_devices);
	EXPECT(all->mode == BJ_MODE_COMPLAIN && all->audit == BJ_AUDIT_ALL);
	EXPECT(!all->n_files && !all->n_net && !all->n_ips && !all->n_execs);
	quiet = &p->roles[2];
	EXPECT(quiet->id == 1 && quiet->flags == 0 && quiet->audit == BJ_AUDIT_NONE);
	EXPECT(!quiet->has_caps && !quiet->caps && !quiet->families && !quiet->devices);

	EXPECT(policy_role_by_key(p, "quiet") == 2 && policy_role_by_key(p, "everything") == -1);
	if (EXPECT(p->n_pods == 2)) {
		EXPECT(p->pods[0].id == 1000 && p->pods[0].role_id == 3 && p->pods[0].stack_depth == 1);
		EXPECT(p->pods[1].id == INT64_MAX && p->pods[1].role_id == 1 && p->pods[1].stack_depth == 0);
	}
	if (EXPECT(p->n_exec_enrollments == 1)) {
		const struct bj_path_enrollment *e = &p->exec_enrollments[0];

		EXPECT(!strcmp(e->path, "/usr/sbin/nginx") && e->pod_id == 1000 && e->role == 0);
	}
	if (EXPECT(p->n_cgroup_enrollments == 1)) {
		const struct bj_path_enrollment *e = &p->cgroup_enrollments[0];

		EXPECT(!strcmp(e->path, "/sys/fs/cgroup/bpfjailer/sandbox") && e->pod_id == 2000 && e->role == 2);
	}
	if (EXPECT(p->n_xattr_enrollments == 2)) {
		EXPECT(p->xattr_enrollments[0].role == 1 && !p->xattr_enrollments[0].has_pod);
		EXPECT(p->xattr_enrollments[1].role == 0 && p->xattr_enrollments[1].has_pod &&
		       p->xattr_enrollments[1].pod_id == 1000);
	}
	EXPECT(p->seal && p->forwarder_path && !strcmp(p->forwarder_path, "/usr/sbin/bpfjailer-forwarder"));
	EXPECT(p->on_load_failure == BJ_ON_LOAD_FAILURE_EMERGENCY);
}

void test_model(const char *dir)
{
	struct bj_policy *p = parse_fixture(dir, "model.json");

	if (p)
		check_model(p);
	policy_free(p);

	p = parse_fixture(dir, "minimal.json");
	if (p)
		EXPECT(!p->n_roles && !p->n_pods && !p->n_exec_enrollments && !p->n_cgroup_enrollments &&
		       !p->n_xattr_enrollments && !p->seal && !p->forwarder_path &&
		       p->on_load_failure == BJ_ON_LOAD_FAILURE_CONTINUE);
	policy_free(p);

	/* The byte order mark is skipped; editors show none, so columns agree with them. */
	p = parse_fixture(dir, "bom-crlf.json");
	if (p && EXPECT(p->n_roles == 1))
		EXPECT(p->roles[0].id == 7 && is_loc(p->roles[0].loc, 2, 18));
	policy_free(p);
}
