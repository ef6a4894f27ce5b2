// SPDX-License-Identifier: GPL-2.0
/*
 * Paths, ports and addresses where a role's rules meet, asked of both the
 * compiled tables and the reference. The places where a matcher goes wrong
 * are where rules touch: each pattern, its parents and children, every "*"
 * spelled as a name another rule spells out at that depth, names one byte
 * off a rule's (around the 8-byte blocks of the hash too); each port rule's
 * bounds and their neighbours; each IP prefix's first and last address and
 * their neighbours.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "name_hash.h"

/* Out of memory in a test: stop, there is nothing to report. */
static void *need(void *p)
{
	if (!p)
		abort();
	return p;
}

/* Names no rule is likely to spell: short, one 8-byte block, one block and a byte, "*" as a name. */
static const char *const fresh[] = { "z", "zzzzzzzz", "zzzzzzzzz", "*" };
#define N_FRESH (sizeof(fresh) / sizeof(fresh[0]))

struct names {
	const char **items;
	size_t n;
};

/* A pattern cut into components: comps point into buf. */
struct split {
	char *buf;
	const char **comps;
	size_t n;
};

struct prober {
	const struct bj_policy *p;
	const struct bj_tables *t;
	const struct bj_role *role;
	__u32 slot;
	const struct probe_limits *lim;
	struct agreement *a;
	struct split *patterns; /* the role's file and execution patterns */
	size_t n_patterns;
	struct names *at_depth; /* literal components by depth, over all patterns */
	size_t depths;
};

static void split(const char *pattern, struct split *s)
{
	size_t cap = 1;

	s->buf = need(strdup(pattern));
	for (const char *c = pattern; *c; c++)
		cap += *c == '/';
	s->comps = need(calloc(cap, sizeof(*s->comps)));
	s->n = 0;
	for (char *c = strtok(s->buf, "/"); c; c = strtok(NULL, "/"))
		s->comps[s->n++] = c;
}

static void add_name(struct names *names, const char *name)
{
	for (size_t i = 0; i < names->n; i++)
		if (!strcmp(names->items[i], name))
			return;
	names->items = need(realloc(names->items, (names->n + 1) * sizeof(*names->items)));
	names->items[names->n++] = name;
}

static void prober_init(struct prober *pr)
{
	const struct bj_role *role = pr->role;

	pr->n_patterns = role->n_files + role->n_execs;
	pr->patterns = need(calloc(pr->n_patterns + 1, sizeof(*pr->patterns)));
	for (size_t i = 0; i < pr->n_patterns; i++) {
		struct split *s = &pr->patterns[i];

		split(i < role->n_files ? role->files[i].pattern : role->execs[i - role->n_files].binary_path, s);
		if (s->n > pr->depths) {
			pr->at_depth = need(realloc(pr->at_depth, s->n * sizeof(*pr->at_depth)));
			memset(pr->at_depth + pr->depths, 0, (s->n - pr->depths) * sizeof(*pr->at_depth));
			pr->depths = s->n;
		}
		for (size_t d = 0; d < s->n; d++)
			if (strcmp(s->comps[d], "*"))
				add_name(&pr->at_depth[d], s->comps[d]);
	}
}

static void prober_fini(struct prober *pr)
{
	for (size_t i = 0; i < pr->n_patterns; i++) {
		free(pr->patterns[i].buf);
		free(pr->patterns[i].comps);
	}
	free(pr->patterns);
	for (size_t d = 0; d < pr->depths; d++)
		free(pr->at_depth[d].items);
	free(pr->at_depth);
}

static const char *right_name(int i)
{
	static const char *const names[EVAL_RIGHTS] = { "read", "write", "execute", "run" };

	return names[i];
}

static const char *ruling(const struct path_verdict *v, __u32 bit)
{
	return !(v->decided & bit) ? "no rule" : v->allow & bit ? "allow" : "deny";
}

/* Record the first disagreement in words. */
static void mismatch(struct prober *pr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void mismatch(struct prober *pr, const char *fmt, ...)
{
	char *what;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		abort();
	va_end(ap);
	if (asprintf(&pr->a->mismatch, "%s: role %s: %s", pr->p->origin, pr->role->key, what) < 0)
		abort();
	free(what);
}

static void compare_verdicts(struct prober *pr, const char *what, const char *path, const struct ref_verdict *want,
			     const struct path_verdict *got)
{
	for (int i = 0; i < EVAL_RIGHTS; i++) {
		__u32 bit = 1u << i;

		if ((want->v.decided & bit) == (got->decided & bit) && (want->v.allow & bit) == (got->allow & bit))
			continue;
		mismatch(pr, "%s %s: right %s: expected %s (rule %s), the tables say %s", what, path, right_name(i),
			 ruling(&want->v, bit), want->by[i] ? want->by[i] : "none", ruling(got, bit));
		return;
	}
	if (want->v.rights != got->rights)
		mismatch(pr, "%s %s: expected rights %#x, the tables give %#x", what, path, want->v.rights,
			 got->rights);
}

/* A queue /NAME opened with mq_open() is matched as /dev/mqueue/NAME, from the role's mqueue state. */
static void compare_queue(struct prober *pr, const char *path, const char *name)
{
	struct ref_verdict want = reference_path(pr->role, path);
	struct path_verdict got = tables_queue(pr->t, pr->slot, name);

	want.v.rights = want.v.allow & (BJ_RIGHT_READ | BJ_RIGHT_WRITE);
	compare_verdicts(pr, "message queue", name, &want, &got);
}

static bool enough(const struct prober *pr, size_t done, size_t limit)
{
	return pr->a->mismatch || (limit && done >= limit);
}

/* "/" and the components, or "/" alone (free it). */
static char *join(const char *const *comps, size_t n)
{
	size_t len = 2;
	char *path, *end;

	for (size_t i = 0; i < n; i++)
		len += 1 + strlen(comps[i]);
	end = path = need(malloc(len));
	for (size_t i = 0; i < n; i++)
		end += sprintf(end, "/%s", comps[i]);
	if (!n)
		strcpy(path, "/");
	return path;
}

static void probe_path(struct prober *pr, const char *const *comps, size_t n)
{
	struct ref_verdict want;
	struct path_verdict got;
	char *path;

	if (enough(pr, pr->a->paths, pr->lim->paths) || n > BJ_MAX_DEPTH)
		return;
	path = join(comps, n);
	want = reference_path(pr->role, path);
	got = tables_path(pr->t, pr->slot, path);
	compare_verdicts(pr, "path", path, &want, &got);
	if (!pr->a->mismatch && n == 3 && !strcmp(comps[0], "dev") && !strcmp(comps[1], "mqueue"))
		compare_queue(pr, path, path + strlen("/dev/mqueue"));
	pr->a->paths += !pr->a->mismatch;
	free(path);
}

/*
 * A name one byte off name (how: 0 longer, 1 shorter, 2 last byte changed,
 * 3 first byte changed) into out; false when there is none such.
 */
static bool near_miss(const char *name, unsigned how, char out[BJ_NAME_MAX + 2])
{
	size_t n = strlen(name);

	if (n + (how == 0) > BJ_NAME_MAX || (how == 1 && n < 2))
		return false;
	memcpy(out, name, n + 1);
	if (how == 0)
		strcpy(out + n, "x");
	else if (how == 1)
		out[n - 1] = '\0';
	else
		out[how == 2 ? n - 1 : 0] ^= 1; /* letters and digits stay printable; a '.' turns '/', refused below */
	return strcmp(out, ".") && strcmp(out, "..") && strcmp(out, "*") && !strchr(out, '/');
}

/* The path, its parents, two levels of children. */
static void probe_around(struct prober *pr, const char **comps, size_t n)
{
	const char *below[2] = { fresh[0], fresh[2] };
	const char **longer;

	if (enough(pr, pr->a->paths, pr->lim->paths))
		return;
	longer = need(calloc(n + 2, sizeof(*longer)));
	for (size_t k = 0; k <= n; k++)
		probe_path(pr, comps, k);
	memcpy(longer, comps, n * sizeof(*comps));
	memcpy(longer + n, below, sizeof(below));
	probe_path(pr, longer, n + 1);
	probe_path(pr, longer, n + 2);
	free(longer);
}

/* Pattern s with each "*" spelled "z", then each component in turn spelled otherwise. */
static void probe_pattern(struct prober *pr, const struct split *s)
{
	const char **comps = need(calloc(s->n + 1, sizeof(*comps)));
	char miss[BJ_NAME_MAX + 2];

	for (size_t i = 0; i < s->n; i++)
		comps[i] = strcmp(s->comps[i], "*") ? s->comps[i] : fresh[0];
	probe_around(pr, comps, s->n);
	for (size_t i = 0; i < s->n; i++) {
		const char *own = comps[i];

		if (!strcmp(s->comps[i], "*")) {
			/* Where a wildcard meets the names other rules spell at its depth. */
			for (size_t j = 0; j < pr->at_depth[i].n; j++) {
				comps[i] = pr->at_depth[i].items[j];
				probe_around(pr, comps, s->n);
			}
			for (size_t j = 1; j < N_FRESH; j++) {
				comps[i] = fresh[j];
				probe_path(pr, comps, s->n);
			}
		} else {
			for (unsigned how = 0; how < 4; how++) {
				if (!near_miss(own, how, miss))
					continue;
				comps[i] = miss;
				probe_path(pr, comps, s->n);
				probe_path(pr, comps, i + 1);
			}
		}
		comps[i] = own;
	}
	free(comps);
}

static const char *random_name(struct prober *pr, size_t depth, char miss[BJ_NAME_MAX + 2])
{
	uint64_t *rng = pr->lim->rng;
	const struct names *here = depth < pr->depths && pr->at_depth[depth].n ? &pr->at_depth[depth] : NULL;
	const struct names *any = pr->depths ? &pr->at_depth[eval_rand(rng) % pr->depths] : NULL;
	const char *name;

	switch (eval_rand(rng) % 4) {
	case 0:
		if (here)
			return here->items[eval_rand(rng) % here->n];
		break;
	case 1:
		if (any && any->n)
			return any->items[eval_rand(rng) % any->n];
		break;
	case 2:
		if (!here)
			break;
		name = here->items[eval_rand(rng) % here->n];
		if (near_miss(name, eval_rand(rng) % 4, miss))
			return miss;
		break;
	}
	return fresh[eval_rand(rng) % N_FRESH];
}

/* Random walks over the names the rules spell, a little past their depth. */
static void probe_random(struct prober *pr)
{
	size_t max = pr->depths + 2;
	const char **comps = need(calloc(max, sizeof(*comps)));
	char (*misses)[BJ_NAME_MAX + 2] = need(calloc(max, sizeof(*misses)));

	for (size_t k = 0; k < pr->lim->random_paths; k++) {
		size_t n = eval_rand(pr->lim->rng) % (max + 1);

		for (size_t d = 0; d < n; d++)
			comps[d] = random_name(pr, d, misses[d]);
		probe_path(pr, comps, n);
	}
	free(misses);
	free(comps);
}

static void add_port(__u16 **ports, size_t *n, long port)
{
	if (port < 0 || port > 65535)
		return;
	*ports = need(realloc(*ports, (*n + 1) * sizeof(**ports)));
	(*ports)[(*n)++] = (__u16)port;
}

/* addr + delta (1 or -1) over 128 bits, wrapping. */
static void addr_step(__u8 addr[16], int delta)
{
	for (int i = 15; i >= 0; i--) {
		addr[i] = (__u8)(addr[i] + delta);
		if (addr[i] != (delta > 0 ? 0x00 : 0xff))
			return;
	}
}

static void add_addr(__u8 (**addrs)[16], size_t *n, const __u8 addr[16])
{
	*addrs = need(realloc(*addrs, (*n + 1) * sizeof(**addrs)));
	memcpy((*addrs)[(*n)++], addr, 16);
}

/* An IP rule's first and last address, and the ones just outside. */
static void add_prefix_bounds(__u8 (**addrs)[16], size_t *n, const struct bj_ip_rule *r)
{
	__u8 a[16];

	memcpy(a, r->addr, sizeof(a));
	add_addr(addrs, n, a);
	addr_step(a, -1);
	add_addr(addrs, n, a);
	memcpy(a, r->addr, sizeof(a));
	for (unsigned bit = r->prefix_len; bit < 128; bit++)
		a[bit / 8] |= (__u8)(0x80u >> (bit % 8));
	add_addr(addrs, n, a);
	addr_step(a, 1);
	add_addr(addrs, n, a);
}

static void probe_net(struct prober *pr, __u8 proto, __u8 dir, __u16 port, const __u8 addr[16])
{
	bool want, got;
	char text[INET6_ADDRSTRLEN];

	if (enough(pr, pr->a->nets, pr->lim->nets))
		return;
	want = reference_net(pr->role, proto, dir, port, addr);
	got = tables_net(pr->t, pr->slot, proto, dir, port, addr);
	if (want == got) {
		pr->a->nets++;
		return;
	}
	inet_ntop(AF_INET6, addr, text, sizeof(text));
	mismatch(pr, "%s %s%s port %u: expected %s, the tables say %s", proto == BJ_PROTO_TCP ? "tcp" : "udp",
		 dir == BJ_DIR_BIND ? "bind" : "connect to ", dir == BJ_DIR_BIND ? "" : text, port,
		 want ? "allow" : "deny", got ? "allow" : "deny");
}

static void probe_nets(struct prober *pr)
{
	static const long edges[] = { 0, 1, 65534, 65535 };
	static const char *const fixed[] = { "::ffff:10.1.2.3", "::", "::1", "::ffff:127.0.0.1", "fd00::1" };
	static const __u8 protos[] = { BJ_PROTO_TCP, BJ_PROTO_UDP };
	static const __u8 dirs[] = { BJ_DIR_BIND, BJ_DIR_CONNECT };
	const struct bj_role *role = pr->role;
	__u8 (*addrs)[16] = NULL, a[16];
	__u16 *ports = NULL;
	size_t n_ports = 0, n_addrs = 0;

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		add_port(&ports, &n_ports, edges[i]);
	for (size_t i = 0; i < role->n_net; i++)
		for (long d = -1; d <= 1; d++) {
			add_port(&ports, &n_ports, role->net[i].port_first + d);
			add_port(&ports, &n_ports, role->net[i].port_last + d);
		}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		inet_pton(AF_INET6, fixed[i], a);
		add_addr(&addrs, &n_addrs, a);
	}
	for (size_t i = 0; i < role->n_ips; i++)
		add_prefix_bounds(&addrs, &n_addrs, &role->ips[i]);

	for (size_t p = 0; p < sizeof(protos); p++)
		for (size_t d = 0; d < sizeof(dirs); d++)
			for (size_t i = 0; i < n_ports && !enough(pr, pr->a->nets, pr->lim->nets); i++)
				/* Only a connect's destination meets the IP rules. */
				for (size_t j = 0; j < (dirs[d] == BJ_DIR_CONNECT ? n_addrs : 1); j++)
					probe_net(pr, protos[p], dirs[d], ports[i], addrs[j]);
	free(ports);
	free(addrs);
}

void agree_role(const struct bj_policy *p, const struct bj_tables *t, size_t i, const struct probe_limits *lim,
		struct agreement *a)
{
	struct prober pr = {
		.p = p, .t = t, .role = &p->roles[i], .slot = (__u32)i + 1, .lim = lim, .a = a,
	};
	static const char *const queue[] = { "dev", "mqueue", "z" };

	if (pr.slot >= t->n_roles) {
		mismatch(&pr, "the tables have no role slot %u", pr.slot);
		return;
	}
	prober_init(&pr);
	probe_path(&pr, queue, 3);
	for (size_t k = 0; k < pr.n_patterns && !enough(&pr, a->paths, lim->paths); k++)
		probe_pattern(&pr, &pr.patterns[k]);
	if (lim->rng)
		probe_random(&pr);
	probe_nets(&pr);
	prober_fini(&pr);
}
