/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builds the path automaton (see struct bj_state in bpfjailer.h): path
 * patterns in, deterministic states and hashed edges out.
 *
 * A pattern matches its path and everything below it; "*" matches exactly
 * one component. Among the patterns that match a path, the most specific
 * decides: patterns are compared component by component from the root, a
 * literal beats "*" at the first position where they differ, and a pattern
 * that goes deeper beats its prefix. Each rule decides some "lanes" (the
 * rights of a file rule); per lane the most specific rule that decides it
 * wins, and on a tie a denying rule wins.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "bpfjailer.h"
#include "vec.h"

struct bj_pattern {
	const char *path; /* normalised absolute pattern; "/" for the root */
	__u32 lanes;      /* bit i: this rule decides lane i (at most 8 lanes) */
	__u32 allow;      /* lanes it allows (the others it decides, it denies) */
	__u32 payload;    /* verdict of a payload automaton */
};

enum bj_verdict_kind {
	BJ_VERDICT_RIGHTS,  /* verdict = BJ_VERDICT(allowed lanes, decided lanes) */
	BJ_VERDICT_PAYLOAD, /* verdict = payload of the rule deciding lane 0 */
};

struct automaton {
	struct vec states; /* struct bj_state; [0] is the dead state */
	struct vec edges;  /* struct bj_edge */
	__u64 k0, k1;      /* name hash key */
	__u32 generation;  /* private: counts automaton_add() calls, whose rule numbers are their own */
	struct state_index *index; /* private: dedups states while building */
};

int automaton_init(struct automaton *a, __u64 k0, __u64 k1);
void automaton_fini(struct automaton *a);

/*
 * Add one automaton for these patterns and return its start state in
 * *start (0 when there are no patterns). Returns 0, -E2BIG when the result
 * would pass BJ_MAX_STATES, -EINVAL when a component is longer than
 * BJ_NAME_MAX (with *bad set to the offending pattern's index), or -ENOMEM.
 */
int automaton_add(struct automaton *a, const struct bj_pattern *patterns, size_t n,
		  enum bj_verdict_kind kind, __u32 *start, size_t *bad);

/*
 * The state the kernel reaches from start by the components of path
 * ("/dev/mqueue"), stepping as its automaton_step() does: the edge named
 * by the component's hash, else the state's "other". start must come from
 * the last automaton_add(), whose edges begin at edges[first_edge]: only
 * those are searched, since its live states are its own and final states
 * have no edges.
 */
__u32 automaton_walk(const struct automaton *a, __u32 start, size_t first_edge, const char *path);
