// SPDX-License-Identifier: GPL-2.0
/*
 * The Landlock state: the restrictions of the benchmark's realistic role,
 * expressed with Landlock at the highest ABI the kernel has. The rules file
 * that the runner also turns into the bpfjailer role has one rule a line:
 *
 *   path DIR     everything is allowed beneath DIR
 *   port N       TCP bind and connect are allowed on port N (Landlock has no UDP rules)
 *
 * Everything else the ABI can restrict (files, and TCP from ABI 4) is denied.
 *
 * Debian 12's <linux/landlock.h> is 6.1's, which lacks the network rules
 * and the later file rights: the kernel ABI is spelled out here instead.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2
#define LL_NET_BIND_TCP (1ULL << 0)
#define LL_NET_CONNECT_TCP (1ULL << 1)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

/* File rights by ABI: 13 in ABI 1, REFER in 2, TRUNCATE in 3, IOCTL_DEV in 5. */
static uint64_t fs_rights(long abi)
{
	int bits = abi >= 5 ? 16 : abi >= 3 ? 15 : abi >= 2 ? 14 : 13;

	return (1ULL << bits) - 1;
}

static int add_rule(int ruleset, const char *kind, const char *value, const struct ll_ruleset_attr *attr)
{
	if (!strcmp(kind, "path")) {
		struct ll_path_beneath_attr pb = { .allowed_access = attr->handled_access_fs };
		int err = 0;

		pb.parent_fd = open(value, O_PATH | O_CLOEXEC);
		if (pb.parent_fd < 0)
			return bench_fail("landlock: open", value);
		if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &pb, 0))
			err = bench_fail("landlock_add_rule", value);
		close(pb.parent_fd);
		return err;
	}
	if (!strcmp(kind, "port")) {
		struct ll_net_port_attr np = { .allowed_access = attr->handled_access_net };

		if (!np.allowed_access)
			return 0; /* ABI < 4: TCP is not restricted, nothing to allow */
		if (sscanf(value, "%" SCNu64, &np.port) != 1)
			return fprintf(stderr, "bj-bench: landlock: port %s: not a number\n", value), -EINVAL;
		if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_NET_PORT, &np, 0))
			return bench_fail("landlock_add_rule: port", value);
		return 0;
	}
	fprintf(stderr, "bj-bench: landlock: %s %s: the kind of rule is path or port\n", kind, value);
	return -EINVAL;
}

int bench_landlock(const char *rules_file)
{
	struct ll_ruleset_attr attr = { 0 };
	char kind[16], value[4096];
	long abi;
	int ruleset, err = 0;
	FILE *f;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
	if (abi < 1)
		return bench_fail("landlock", "not available in this kernel");
	attr.handled_access_fs = fs_rights(abi);
	if (abi >= 4)
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
	ruleset = syscall(SYS_landlock_create_ruleset, &attr,
			  abi >= 4 ? sizeof(attr) : sizeof(attr.handled_access_fs), 0);
	if (ruleset < 0)
		return bench_fail("landlock_create_ruleset", "");
	f = fopen(rules_file, "re");
	if (!f) {
		err = bench_fail("open", rules_file);
		goto out;
	}
	while (!err && fscanf(f, "%15s %4095s", kind, value) == 2)
		err = add_rule(ruleset, kind, value, &attr);
	if (!err && ferror(f))
		err = bench_fail("read", rules_file);
	fclose(f);
	if (!err && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		err = bench_fail("prctl", "PR_SET_NO_NEW_PRIVS");
	if (!err && syscall(SYS_landlock_restrict_self, ruleset, 0))
		err = bench_fail("landlock_restrict_self", rules_file);
	if (!err)
		printf("landlock-abi\t%ld\n", abi); /* for the report's header */
out:
	close(ruleset);
	return err;
}
