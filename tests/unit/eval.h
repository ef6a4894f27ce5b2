/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two answers to "what may this role do here", to be compared:
 *
 * - the compiled tables as the kernel reads them (eval_tables.c): the
 *   automaton walk of bpf/path.bpf.h and the trie lookups of
 *   bpf/net.bpf.c, done in user space;
 * - the policy as the man page states it (eval_reference.c): every rule
 *   tried against the path or port, the most specific one kept.
 *
 * eval_probes.c derives paths, ports and addresses from a role's rules and
 * asks both; the unit test (eval.c) and the fuzzer run it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfjailer.h"
#include "compile.h"
#include "policy.h"

/* The rights one automaton verdict covers, in BJ_RIGHT_* order. */
#define EVAL_RIGHTS 4

/* What the rules say about a path: for each right, decided or not, and how. */
struct path_verdict {
	__u32 decided; /* rights some rule decides */
	__u32 allow;   /* of those, the ones it allows */
	__u32 rights;  /* what the task gets: the rules' decisions, the flags for the rest */
};

/*
 * Tables: the rights of role slot on an absolute path the task reached
 * from its root, as path_rights() computes them (components at most
 * BJ_NAME_MAX bytes, at most BJ_MAX_DEPTH of them).
 */
struct path_verdict tables_path(const struct bj_tables *t, __u32 slot, const char *path);
/* Tables: the rule rights of a POSIX message queue opened by name (mq_open). */
struct path_verdict tables_queue(const struct bj_tables *t, __u32 slot, const char *name);
/* Tables: net_allowed() for a destination or bound address (IPv6 or IPv4-mapped). */
bool tables_net(const struct bj_tables *t, __u32 slot, __u8 proto, __u8 dir, __u16 port, const __u8 addr[16]);

/* Reference: the verdict, and the pattern of the rule that decides each right (or NULL). */
struct ref_verdict {
	struct path_verdict v;
	const char *by[EVAL_RIGHTS];
};

struct ref_verdict reference_path(const struct bj_role *role, const char *path);
bool reference_net(const struct bj_role *role, __u8 proto, __u8 dir, __u16 port, const __u8 addr[16]);

/* How many probes of each kind to derive from a role; 0: no limit. */
struct probe_limits {
	size_t paths;
	size_t nets;
	uint64_t *rng;       /* random paths as well, from this generator state; NULL: none */
	size_t random_paths; /* how many */
};

struct agreement {
	size_t paths;   /* path probes both answered alike */
	size_t nets;    /* network probes both answered alike */
	char *mismatch; /* the first disagreement, in words (free it); NULL: none */
};

/* Ask tables and reference about probes derived from role i of p, until one disagrees. */
void agree_role(const struct bj_policy *p, const struct bj_tables *t, size_t i, const struct probe_limits *lim,
		struct agreement *a);

/* splitmix64: a small generator whose whole state is one seed, for replaying a failure. */
static inline uint64_t eval_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A random valid policy as JSON text (free it): overlapping wildcards, ranges, prefixes. */
char *random_policy(uint64_t *rng);
