/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy as written, after validation: what policy_parse() produces and
 * policy_compile() turns into kernel tables. Every value keeps the place it
 * came from, its location and its JSON path, so that a later stage can
 * still point at the line that caused a problem and name it as the parser
 * does.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct bj_file_rule {
	char *pattern;  /* absolute, normalised: no doubled or trailing slash, no trailing "**" */
	uint8_t access; /* BJ_RIGHT_READ | BJ_RIGHT_WRITE | BJ_RIGHT_MAP_EXEC */
	bool allow;
	struct bj_loc loc; /* of the pattern */
	char *json_path;   /* "roles.web.file_paths[0].pattern" */
};

struct bj_exec_rule {
	char *binary_path; /* absolute, normalised as file patterns */
	bool allow;
	struct bj_loc loc; /* of the binary_path */
	char *json_path;
};

struct bj_net_rule {
	uint8_t protocol;   /* BJ_PROTO_TCP or BJ_PROTO_UDP */
	uint8_t directions; /* BJ_DIR_BIND | BJ_DIR_CONNECT */
	uint16_t port_first;
	uint16_t port_last; /* port_first == port_last == 0: the wildcard rule */
	bool allow;
	struct bj_loc loc;
	char *json_path;
};

struct bj_ip_rule {
	uint8_t addr[16];   /* IPv6; IPv4 as IPv4-mapped IPv6, host bits cleared */
	uint8_t prefix_len; /* over the 128-bit form (an IPv4 /8 is 104) */
	bool allow;
	struct bj_loc loc;
	char *json_path;
};

/* One "devices" entry: a device node (or all minors of a major) and its rights. */
struct bj_device_rule {
	uint32_t type;  /* BJ_DEV_CHAR or BJ_DEV_BLOCK */
	uint32_t major; /* < 4096 */
	uint32_t minor; /* < 2^20, or BJ_DEV_ANY_MINOR for "*" */
	uint8_t access; /* BJ_RIGHT_READ | BJ_RIGHT_WRITE */
	struct bj_loc loc;
	char *json_path;
};

struct bj_role {
	char *key;  /* the name enrollments use (the key under "roles") */
	char *name; /* the informational "name" field */
	uint32_t id;
	uint32_t flags; /* BJ_FLAG_* */
	uint8_t mode;   /* enum bj_mode */
	uint8_t audit;  /* enum bj_audit */
	struct bj_file_rule *files;
	size_t n_files;
	struct bj_net_rule *net;
	size_t n_net;
	struct bj_ip_rule *ips;
	size_t n_ips;
	struct bj_exec_rule *execs;
	size_t n_execs;
	/* As written; compiled with the defaults and the flags in caps.c. */
	bool has_caps;     /* "capabilities" is there: caps replaces the default set */
	uint64_t caps;     /* bit n: capability n is listed */
	uint64_t families; /* bit n: address family n is listed in "address_families" */
	struct bj_device_rule *devices;
	size_t n_devices;
	struct bj_loc loc;
	char *json_path; /* "roles.web", roles["web-server"] */
};

struct bj_pod {
	uint64_t id;
	uint32_t role_id;
	uint8_t stack_depth;
	struct bj_loc loc;
	char *json_path;
};

/* An exec or cgroup enrollment. */
struct bj_path_enrollment {
	char *path;
	uint64_t pod_id;
	size_t role; /* index into bj_policy.roles */
	struct bj_loc loc; /* of the path */
	char *json_path;   /* "exec_enrollments[0].executable_path" */
};

/* An enrollment that names its role: by xattr, or by bpfjailer-run. */
struct bj_role_enrollment {
	size_t role; /* index into bj_policy.roles */
	bool has_pod;
	uint64_t pod_id; /* used when the executable (or bpfjailer-run's --pod) names none */
	struct bj_loc loc;
	char *json_path;
};

/* A certificate whose key signed binaries may be signed with (signing_certificates). */
struct bj_certificate {
	char *path;
	struct bj_loc loc;
	char *json_path;
};

/*
 * What the boot does when the jail cannot be loaded ("on_load_failure"):
 * go on without it, or stop in emergency mode. Indexes
 * bj_on_load_failure_names.
 */
enum bj_on_load_failure {
	BJ_ON_LOAD_FAILURE_CONTINUE = 0,
	BJ_ON_LOAD_FAILURE_EMERGENCY = 1,
};

extern const char *const bj_on_load_failure_names[]; /* "continue", "emergency", NULL */

struct bj_policy {
	char *origin; /* file name, or "built-in default policy" */
	struct bj_role *roles;
	size_t n_roles;
	struct bj_pod *pods;
	size_t n_pods;
	struct bj_path_enrollment *exec_enrollments;
	size_t n_exec_enrollments;
	struct bj_path_enrollment *cgroup_enrollments;
	size_t n_cgroup_enrollments;
	struct bj_role_enrollment *xattr_enrollments;
	size_t n_xattr_enrollments;
	struct bj_loc xattr_enrollments_loc; /* of the list, for the kernel check (resolve_host.h) */
	struct bj_role_enrollment *launch_enrollments;
	size_t n_launch_enrollments;
	struct bj_loc launch_enrollments_loc; /* of the list, for the launcher's file (resolve_host.h) */
	struct bj_certificate *certificates;
	size_t n_certificates;
	uint8_t signing_keyrings; /* BJ_KEYRING_* */
	bool seal;
	char *forwarder_path; /* NULL when not set */
	struct bj_loc forwarder_loc;
	char *launcher_path; /* NULL when not set: BJ_LAUNCHER_DEFAULT (policy_launcher_path()) */
	struct bj_loc launcher_loc;
	uint8_t on_load_failure; /* enum bj_on_load_failure */
};

/*
 * Parse and validate a policy: a function of the text alone, which looks
 * at nothing on the host (resolve_host.h does). On success returns 0 and
 * sets *out (free with policy_free()); warnings may have been added to
 * diags. On failure returns -1, *out is NULL and diags holds at least one
 * error.
 */
int policy_parse(const char *text, size_t len, const char *origin, struct bj_policy **out,
		 struct bj_diags *diags);

/* One file of a policy made of several: the main policy, then its fragments. */
struct bj_policy_file {
	const char *origin; /* its name in messages */
	const char *text;
	size_t len;
};

/*
 * The same for a policy of n files (bpfjailer-policy(5) FRAGMENTS):
 * files[0] the main policy, then the fragments in merge order. Every
 * location carries its file's number (bj_loc.file), and with more than one
 * file diags names them (diags_set_files()).
 */
int policy_parse_files(const struct bj_policy_file *files, size_t n, struct bj_policy **out,
		       struct bj_diags *diags);

void policy_free(struct bj_policy *policy);

/*
 * The on_load_failure a policy text asks for, read on its own: it counts
 * even when the rest of the policy is invalid, as long as the text is JSON
 * and the key's value is valid (policy_parse() reports everything else).
 * Returns whether it found one; if not, *action is the default, continue.
 */
bool policy_on_load_failure(const char *text, size_t len, enum bj_on_load_failure *action);

/* bpfjailer-run's file: launcher_path, or the installed one when the policy names none. */
const char *policy_launcher_path(const struct bj_policy *policy);

/* Index of the role with that key, or -1. */
ssize_t policy_role_by_key(const struct bj_policy *policy, const char *key);
