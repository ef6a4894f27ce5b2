// SPDX-License-Identifier: GPL-2.0
/*
 * The compiled tables read the way the BPF programs read them, step for
 * step: bpf/path.bpf.h (match_path(), path_rights(), the mqueue case) and
 * bpf/net.bpf.c (net_allowed()). Maps are searched linearly; where the
 * bootstrap writes a key twice, the later write is the one the kernel
 * keeps (fill_maps() overwrites), so the later entry wins here too.
 */
#include <arpa/inet.h>
#include <string.h>

#include "eval.h"
#include "name_hash.h"

/* name_hash_step() over a whole name: 8-byte blocks, then the tail. */
static __u64 component_hash(const struct bj_tables *t, const char *name, __u32 len)
{
	struct bj_sip sip;
	__u64 word = 0;
	__u32 off = 0;

	bj_sip_init(&sip, t->hash_key[0], t->hash_key[1]);
	for (; off + 8 <= len; off += 8) {
		memcpy(&word, name + off, sizeof(word));
		bj_sip_block(&sip, word);
	}
	word = 0;
	memcpy(&word, name + off, len - off); /* the kernel reads 8 bytes; bj_sip_final masks the rest */
	return bj_sip_final(&sip, word, len);
}

/* automaton_step(): the edge named by the hash, else the state's "other". */
static __u32 step(const struct bj_tables *t, __u32 state, __u64 hash)
{
	const __u32 *next = NULL;

	for (size_t i = 0; i < t->n_edges; i++) {
		const struct bj_edge_key *k = &t->edges[i].key;

		if (k->state == state && k->zero == 0 && k->hash == hash)
			next = &t->edges[i].next;
	}
	return next ? *next : t->states[state].other;
}

/* path_states is an array: a missing index looks up nothing, and match_step() goes to state 0. */
static const struct bj_state *state_at(const struct bj_tables *t, __u32 state)
{
	return state < t->n_states ? &t->states[state] : NULL;
}

/* match_path(): from start, one component at a time root first, until a final state. */
static const struct bj_state *match_path(const struct bj_tables *t, __u32 start, const char *path)
{
	__u32 state = start;

	for (const char *c = path + strspn(path, "/"); *c; c += strspn(c, "/")) {
		const struct bj_state *st = state_at(t, state);
		__u32 len = (__u32)strcspn(c, "/");

		if (!st) {
			state = 0;
			break;
		}
		if (st->final)
			break;
		/* A length no edge from here has follows "other", unhashed (bj_name_step(), match_walk()). */
		state = st->lens & bj_name_len_bit(len) ? step(t, state, component_hash(t, c, len)) : st->other;
		c += len;
	}
	return state_at(t, state);
}

static struct path_verdict verdict_of(const struct bj_state *st, __u32 flag_rights)
{
	struct path_verdict v = { .rights = flag_rights };

	if (!st) /* the lookup failed: path_rights() grants nothing */
		return (struct path_verdict){ 0 };
	v.decided = BJ_VERDICT_DECIDED(st->verdict);
	v.allow = BJ_VERDICT_ALLOW(st->verdict) & v.decided;
	v.rights = v.allow | (flag_rights & ~v.decided);
	return v;
}

struct path_verdict tables_path(const struct bj_tables *t, __u32 slot, const char *path)
{
	const struct bj_role_entry *role = &t->roles[slot];
	__u32 flag_rights = (role->flags & BJ_FLAG_FILE ? BJ_RIGHTS_FILE : 0) |
			    (role->flags & BJ_FLAG_EXEC ? BJ_RIGHT_RUN : 0);

	if (!role->path_start)
		return (struct path_verdict){ .rights = flag_rights };
	return verdict_of(match_path(t, role->path_start, path), flag_rights);
}

/* rule_rights(): on the internal mqueue mount only rules grant, and only read and write. */
struct path_verdict tables_queue(const struct bj_tables *t, __u32 slot, const char *name)
{
	const struct bj_role_entry *role = &t->roles[slot];
	struct path_verdict v;

	if (!role->mqueue_state)
		return (struct path_verdict){ 0 };
	v = verdict_of(match_path(t, role->mqueue_state, name), 0);
	v.rights &= BJ_RIGHT_READ | BJ_RIGHT_WRITE;
	return v;
}

/* Whether the first bits of key match those of entry, as the trie compares them. */
static bool prefix_matches(const void *entry, const void *key, __u32 bits)
{
	const unsigned char *a = entry, *b = key;
	__u32 bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes))
		return false;
	return !rest || !((a[bytes] ^ b[bytes]) & (0xff00u >> rest));
}

/*
 * bj_port_key and bj_ip_key after prefixlen: the bytes the trie matches.
 * The kernel refuses an entry whose prefixlen passes them; such an entry
 * is skipped here (it never matches).
 */
#define TRIE_DATA(key) ((const char *)(key) + sizeof(__u32))

/* The longest-prefix match in the port trie of role slot; NULL on a miss. */
static const __u8 *port_lookup(const struct bj_tables *t, const struct bj_port_key *key)
{
	const struct bj_port_entry *best = NULL;

	for (size_t i = 0; i < t->n_ports; i++) {
		const struct bj_port_entry *e = &t->ports[i];

		if (e->key.prefixlen > 64 || !prefix_matches(TRIE_DATA(&e->key), TRIE_DATA(key), e->key.prefixlen))
			continue;
		if (!best || e->key.prefixlen >= best->key.prefixlen)
			best = e;
	}
	return best ? &best->verdict : NULL;
}

static const __u8 *ip_lookup(const struct bj_tables *t, const struct bj_ip_key *key)
{
	const struct bj_ip_entry *best = NULL;

	for (size_t i = 0; i < t->n_ips; i++) {
		const struct bj_ip_entry *e = &t->ips[i];

		if (e->key.prefixlen > 32 + 128 ||
		    !prefix_matches(TRIE_DATA(&e->key), TRIE_DATA(key), e->key.prefixlen))
			continue;
		if (!best || e->key.prefixlen >= best->key.prefixlen)
			best = e;
	}
	return best ? &best->verdict : NULL;
}

/* net_allowed(): IP rules first (a deny decides), then the port rules, then the flag. */
bool tables_net(const struct bj_tables *t, __u32 slot, __u8 proto, __u8 dir, __u16 port, const __u8 addr[16])
{
	const struct bj_role_entry *role = &t->roles[slot];
	const __u8 *verdict;

	if (dir == BJ_DIR_CONNECT && role->has_ips) {
		struct bj_ip_key key = { .prefixlen = 32 + 128, .role = htonl(slot) };

		memcpy(key.addr, addr, sizeof(key.addr));
		verdict = ip_lookup(t, &key);
		if (verdict && *verdict == BJ_NET_DENY)
			return false;
	}
	if ((proto == BJ_PROTO_TCP || proto == BJ_PROTO_UDP) && role->has_ports) {
		struct bj_port_key key = {
			.prefixlen = 64, .role = htonl(slot), .proto = proto, .dir = dir, .port = htons(port),
		};

		verdict = port_lookup(t, &key);
		if (verdict)
			return *verdict == BJ_NET_ALLOW;
	}
	return role->flags & BJ_FLAG_NETWORK;
}
