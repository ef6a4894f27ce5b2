// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tables.h"
#include "net_tables.h"

#define PORT_LIMIT 65536u

struct interval {
	__u32 first;
	int verdict; /* -1 until a rule decides it */
};

static int cmp_u32(const void *x, const void *y)
{
	__u32 a = *(const __u32 *)x, b = *(const __u32 *)y;

	return (a > b) - (a < b);
}

/* Narrower first; at equal width, deny first, so the first to paint a port wins. */
static int cmp_priority(const void *x, const void *y)
{
	const struct bj_net_rule *a = *(const struct bj_net_rule *const *)x;
	const struct bj_net_rule *b = *(const struct bj_net_rule *const *)y;
	__u32 wa = a->port_last - a->port_first, wb = b->port_last - b->port_first;

	if (wa != wb)
		return (wa > wb) - (wa < wb);
	return (int)a->allow - (int)b->allow;
}

/* Next interval at or after i that no rule has painted yet (path-compressed). */
static size_t next_free(size_t *skip, size_t i)
{
	size_t root = i;

	while (skip[root] != root)
		root = skip[root];
	while (skip[i] != root) {
		size_t up = skip[i];

		skip[i] = root;
		i = up;
	}
	return root;
}

static int emit_range(struct vec *entries, __u32 slot, __u8 proto, __u8 dir, __u32 lo, __u32 hi,
		      __u8 verdict)
{
	while (lo <= hi) {
		__u32 bits = 0;
		struct bj_port_entry *e;

		/* The largest aligned power-of-two block starting at lo that fits. */
		while (bits < 16 && !(lo & (1u << bits)) && lo + (2u << bits) - 1 <= hi)
			bits++;
		if (entries->n >= BJ_MAX_PORT_ENTRIES)
			return -E2BIG;
		e = vec_push(entries);
		if (!e)
			return -ENOMEM;
		e->key.prefixlen = 48 + 16 - bits;
		e->key.role = htonl(slot);
		e->key.proto = proto;
		e->key.dir = dir;
		e->key.port = htons((__u16)lo);
		e->verdict = verdict;
		lo += 1u << bits;
	}
	return 0;
}

static int resolve(struct vec *entries, __u32 slot, const struct bj_role *role, __u8 proto, __u8 dir)
{
	const struct bj_net_rule **specific;
	size_t n_specific = 0, n_bp = 0, n_iv = 0;
	int wildcard = -1, fallback = !!(role->flags & BJ_FLAG_NETWORK);
	struct interval *iv = NULL;
	__u32 *bp = NULL;
	size_t *skip = NULL;
	int err = -ENOMEM;

	specific = calloc(role->n_net + 1, sizeof(*specific));
	bp = calloc(2 * role->n_net + 2, sizeof(*bp));
	if (!specific || !bp)
		goto out;
	for (size_t i = 0; i < role->n_net; i++) {
		const struct bj_net_rule *r = &role->net[i];

		if (r->protocol != proto || !(r->directions & dir))
			continue;
		if (r->port_first == 0 && r->port_last == 0) {
			/* Port-0 wildcard rules: deny wins among them. */
			wildcard = wildcard == 0 ? 0 : r->allow;
			continue;
		}
		specific[n_specific++] = r;
		bp[n_bp++] = r->port_first;
		bp[n_bp++] = (__u32)r->port_last + 1;
	}
	if (wildcard >= 0)
		fallback = wildcard;
	if (!n_specific && wildcard < 0) {
		err = 0; /* the flag decides every port */
		goto out;
	}

	bp[n_bp++] = 0;
	bp[n_bp++] = PORT_LIMIT;
	qsort(bp, n_bp, sizeof(*bp), cmp_u32);
	iv = calloc(n_bp, sizeof(*iv));
	skip = calloc(n_bp + 1, sizeof(*skip));
	if (!iv || !skip)
		goto out;
	for (size_t i = 0; i < n_bp; i++) {
		if (bp[i] == PORT_LIMIT)
			break;
		if (n_iv && iv[n_iv - 1].first == bp[i])
			continue;
		iv[n_iv++] = (struct interval){ .first = bp[i], .verdict = -1 };
	}
	for (size_t i = 0; i <= n_iv; i++)
		skip[i] = i;

	qsort(specific, n_specific, sizeof(*specific), cmp_priority);
	for (size_t r = 0; r < n_specific; r++) {
		size_t lo = 0, hi = n_iv;

		while (lo < hi) { /* the interval starting at port_first */
			size_t mid = (lo + hi) / 2;

			if (iv[mid].first < specific[r]->port_first)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = next_free(skip, lo); i < n_iv && iv[i].first <= specific[r]->port_last;
		     i = next_free(skip, i)) {
			iv[i].verdict = specific[r]->allow;
			skip[i] = i + 1;
		}
	}

	err = 0;
	for (size_t i = 0, j; i < n_iv && !err; i = j) {
		int verdict = iv[i].verdict < 0 ? fallback : iv[i].verdict;

		/* A run of intervals with one verdict becomes one range. */
		for (j = i + 1; j < n_iv && (iv[j].verdict < 0 ? fallback : iv[j].verdict) == verdict; j++)
			;
		if (verdict != !!(role->flags & BJ_FLAG_NETWORK))
			err = emit_range(entries, slot, proto, dir, iv[i].first,
					 j < n_iv ? iv[j].first - 1 : PORT_LIMIT - 1,
					 verdict ? BJ_NET_ALLOW : BJ_NET_DENY);
	}
out:
	free(specific);
	free(bp);
	free(iv);
	free(skip);
	return err;
}

int port_entries_add(struct vec *entries, __u32 slot, const struct bj_role *role)
{
	static const __u8 protos[] = { BJ_PROTO_TCP, BJ_PROTO_UDP };
	static const __u8 dirs[] = { BJ_DIR_BIND, BJ_DIR_CONNECT };
	int err = 0;

	for (size_t p = 0; p < sizeof(protos) && !err; p++)
		for (size_t d = 0; d < sizeof(dirs) && !err; d++)
			err = resolve(entries, slot, role, protos[p], dirs[d]);
	return err;
}

int ip_entries_add(struct vec *entries, __u32 slot, const struct bj_role *role)
{
	size_t base = entries->n;

	for (size_t i = 0; i < role->n_ips; i++) {
		const struct bj_ip_rule *r = &role->ips[i];
		struct bj_ip_entry *e = NULL;

		for (size_t j = base; j < entries->n; j++) {
			struct bj_ip_entry *seen = (struct bj_ip_entry *)entries->items + j;

			if (seen->key.prefixlen == 32u + r->prefix_len &&
			    !memcmp(seen->key.addr, r->addr, sizeof(r->addr)))
				e = seen;
		}
		if (e) {
			e->verdict &= r->allow; /* deny wins */
			continue;
		}
		e = vec_push(entries);
		if (!e)
			return -ENOMEM;
		e->key.prefixlen = 32u + r->prefix_len;
		e->key.role = htonl(slot);
		memcpy(e->key.addr, r->addr, sizeof(e->key.addr));
		e->verdict = r->allow ? BJ_NET_ALLOW : BJ_NET_DENY;
	}
	return 0;
}
