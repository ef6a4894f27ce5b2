/* SPDX-License-Identifier: GPL-2.0 */
/* Network rules of one role as longest-prefix-match trie entries. */
#pragma once

#include "bpfjailer.h"
#include "policy.h"
#include "vec.h"

/*
 * Append the port entries (struct bj_port_entry) of role to entries, with
 * every conflict resolved here: per protocol and direction, the narrowest
 * rule covering a port decides it (deny wins ties), then a port-0 wildcard
 * rule, then the allow_network flag. Ports the flag decides get no entry: a
 * trie miss falls back to the flag. Returns 0, -E2BIG or -ENOMEM.
 */
int port_entries_add(struct vec *entries, __u32 slot, const struct bj_role *role);

/*
 * Append the IP entries (struct bj_ip_entry) of role. The same network
 * listed twice with opposite verdicts is a deny. Returns 0 or -ENOMEM.
 */
int ip_entries_add(struct vec *entries, __u32 slot, const struct bj_role *role);
