// SPDX-License-Identifier: GPL-2.0
/*
 * The policy as bpfjailer-policy(5) states it, rule by rule, with nothing
 * shared with the compiler: no table, no automaton, no interval.
 *
 * Files: a pattern matches its path and everything below it, and "*" as a
 * component matches exactly one component. An allow rule decides every
 * file right (grants its letters, refuses the others), a deny rule only its
 * letters, an execution rule only running. For each right the most
 * specific matching rule decides: compared component by component from
 * the root, a literal beats "*" at the first place they differ, a deeper
 * pattern beats its prefix; on a tie, deny wins. What no rule decides falls
 * back to allow_file_access (r, w, x) and allow_exec (running).
 *
 * Network: for a connect, the longest matching IP prefix decides first (a
 * deny refuses; a deny and an allow on the same prefix are a deny). Then,
 * per protocol and direction, the narrowest port rule covering the port
 * (deny wins ties), then a wildcard rule (port 0; deny wins), then
 * allow_network.
 */
#include <string.h>

#include "eval.h"

/* The next component of *s (skipping slashes): sets *comp, returns its length, 0 at the end. */
static size_t next_component(const char **s, const char **comp)
{
	size_t n;

	*s += strspn(*s, "/");
	*comp = *s;
	n = strcspn(*s, "/");
	*s += n;
	return n;
}

static bool is_star(const char *comp, size_t n)
{
	return n == 1 && comp[0] == '*';
}

static bool matches(const char *pattern, const char *path)
{
	const char *p, *q;
	size_t np, nq;

	while ((np = next_component(&pattern, &p))) {
		nq = next_component(&path, &q);
		if (!nq)
			return false; /* the pattern is deeper than the path */
		if (!is_star(p, np) && (np != nq || memcmp(p, q, np)))
			return false;
	}
	return true;
}

/* 0: no component left, 1: "*", 2: a literal; a higher kind is more specific. */
static int kind(const char *comp, size_t n)
{
	return !n ? 0 : is_star(comp, n) ? 1 : 2;
}

/* > 0: a is more specific than b, < 0: less, 0: as specific (for patterns matching one path). */
static int specificity(const char *a, const char *b)
{
	const char *ca, *cb;

	for (;;) {
		size_t na = next_component(&a, &ca), nb = next_component(&b, &cb);
		int ka = kind(ca, na), kb = kind(cb, nb);

		if (ka != kb || !ka)
			return ka - kb;
	}
}

/* A rule that matches path takes each right it decides from a less specific (or tied allowing) one. */
static void consider(struct ref_verdict *r, const char *pattern, __u32 decides, __u32 allows, const char *path)
{
	if (!matches(pattern, path))
		return;
	for (int i = 0; i < EVAL_RIGHTS; i++) {
		__u32 bit = 1u << i;
		int cmp;

		if (!(decides & bit))
			continue;
		cmp = r->by[i] ? specificity(pattern, r->by[i]) : 1;
		if (cmp > 0 || (cmp == 0 && !(allows & bit))) {
			r->by[i] = pattern;
			r->v.decided |= bit;
			r->v.allow = (r->v.allow & ~bit) | (allows & bit);
		}
	}
}

struct ref_verdict reference_path(const struct bj_role *role, const char *path)
{
	struct ref_verdict r = { 0 };
	__u32 flag_rights = (role->flags & BJ_FLAG_FILE ? BJ_RIGHTS_FILE : 0) |
			    (role->flags & BJ_FLAG_EXEC ? BJ_RIGHT_RUN : 0);

	for (size_t i = 0; i < role->n_files; i++) {
		const struct bj_file_rule *f = &role->files[i];

		consider(&r, f->pattern, f->allow ? BJ_RIGHTS_FILE : f->access, f->allow ? f->access : 0, path);
	}
	for (size_t i = 0; i < role->n_execs; i++) {
		const struct bj_exec_rule *e = &role->execs[i];

		consider(&r, e->binary_path, BJ_RIGHT_RUN, e->allow ? BJ_RIGHT_RUN : 0, path);
	}
	r.v.rights = r.v.allow | (flag_rights & ~r.v.decided);
	return r;
}

static bool bit_at(const __u8 *a, unsigned i)
{
	return a[i / 8] >> (7 - i % 8) & 1;
}

static bool in_prefix(const struct bj_ip_rule *r, const __u8 addr[16])
{
	for (unsigned i = 0; i < r->prefix_len; i++)
		if (bit_at(r->addr, i) != bit_at(addr, i))
			return false;
	return true;
}

/* Whether the longest prefix of an IP rule that holds addr denies it. */
static bool ip_denied(const struct bj_role *role, const __u8 addr[16])
{
	int longest = -1;
	bool deny = false;

	for (size_t i = 0; i < role->n_ips; i++) {
		const struct bj_ip_rule *r = &role->ips[i];

		if (!in_prefix(r, addr) || r->prefix_len < longest)
			continue;
		if (r->prefix_len > longest) {
			longest = r->prefix_len;
			deny = false;
		}
		deny |= !r->allow;
	}
	return deny;
}

/* Whether port rule r decides over than: it is narrower, or as wide and denies. */
static bool narrower(const struct bj_net_rule *r, const struct bj_net_rule *than)
{
	unsigned wr = r->port_last - r->port_first, wt;

	if (!than)
		return true;
	wt = than->port_last - than->port_first;
	return wr < wt || (wr == wt && !r->allow);
}

bool reference_net(const struct bj_role *role, __u8 proto, __u8 dir, __u16 port, const __u8 addr[16])
{
	const struct bj_net_rule *narrowest = NULL;
	bool wildcard = false, wildcard_denies = false;

	if (dir == BJ_DIR_CONNECT && ip_denied(role, addr))
		return false;
	for (size_t i = 0; i < role->n_net; i++) {
		const struct bj_net_rule *r = &role->net[i];

		if (r->protocol != proto || !(r->directions & dir))
			continue;
		if (!r->port_first && !r->port_last) {
			wildcard = true;
			wildcard_denies |= !r->allow;
		} else if (r->port_first <= port && port <= r->port_last && narrower(r, narrowest)) {
			narrowest = r;
		}
	}
	if (narrowest)
		return narrowest->allow;
	if (wildcard)
		return !wildcard_denies;
	return role->flags & BJ_FLAG_NETWORK;
}
