// SPDX-License-Identifier: GPL-2.0
/*
 * Subset construction over path patterns. Every live position of an
 * automaton state sits at the same depth (all patterns advance one component
 * per step), so a state is named by its depth, the set of still-live rules
 * and, per lane, the rule that decides it so far. States where no rule is
 * live any more are final and are shared by verdict.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "automaton.h"
#include "tables.h"
#include "name_hash.h"

#define MAX_LANES 8

struct rule {
	char *buf;     /* the pattern, '/' replaced by '\0' */
	char **comps;  /* components, root first */
	size_t n;      /* number of components; 0 for "/" */
	const struct bj_pattern *src;
};

struct pending {
	__u32 id;
	__u32 depth;
	__u32 *alive; /* rule indices, ascending */
	size_t n_alive;
	int best[MAX_LANES];
};

struct index_entry {
	char *key;
	size_t len;
	__u32 id;
};

struct state_index {
	struct index_entry *slots;
	size_t cap; /* power of two */
	size_t used;
};

struct build {
	struct automaton *a;
	struct rule *rules;
	size_t n_rules;
	enum bj_verdict_kind kind;
	struct vec queue; /* struct pending */
	size_t queue_head;
};

static bool is_star(const char *comp)
{
	return comp[0] == '*' && comp[1] == '\0';
}

static __u64 key_hash(const char *key, size_t len)
{
	__u64 h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 0x100000001b3ULL;
	return h;
}

static int index_grow(struct state_index *idx)
{
	size_t cap = idx->cap ? idx->cap * 2 : 1024;
	struct index_entry *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < idx->cap; i++) {
		struct index_entry *e = &idx->slots[i];
		size_t j;

		if (!e->key)
			continue;
		for (j = key_hash(e->key, e->len) & (cap - 1); slots[j].key; j = (j + 1) & (cap - 1))
			;
		slots[j] = *e;
	}
	free(idx->slots);
	idx->slots = slots;
	idx->cap = cap;
	return 0;
}

/* Find key; if absent, insert it (taking ownership) with id *id. Returns 1 if found. */
static int index_find_or_add(struct state_index *idx, char *key, size_t len, __u32 *id)
{
	size_t j;

	if ((idx->used + 1) * 2 > idx->cap) {
		int err = index_grow(idx);

		if (err)
			return err;
	}
	for (j = key_hash(key, len) & (idx->cap - 1); idx->slots[j].key; j = (j + 1) & (idx->cap - 1)) {
		struct index_entry *e = &idx->slots[j];

		if (e->len == len && !memcmp(e->key, key, len)) {
			*id = e->id;
			return 1;
		}
	}
	idx->slots[j] = (struct index_entry){ .key = key, .len = len, .id = *id };
	idx->used++;
	return 0;
}

static void index_free(struct state_index *idx)
{
	if (!idx)
		return;
	for (size_t i = 0; i < idx->cap; i++)
		free(idx->slots[i].key);
	free(idx->slots);
	free(idx);
}

int automaton_init(struct automaton *a, __u64 k0, __u64 k1)
{
	struct bj_state *dead;

	*a = (struct automaton){
		.states = VEC_INIT(struct bj_state),
		.edges = VEC_INIT(struct bj_edge),
		.k0 = k0,
		.k1 = k1,
	};
	a->index = calloc(1, sizeof(*a->index));
	if (!a->index)
		return -ENOMEM;
	dead = vec_push(&a->states);
	if (!dead) {
		automaton_fini(a);
		return -ENOMEM;
	}
	dead->final = 1; /* verdict 0, other 0: nothing ever matches again */
	return 0;
}

void automaton_fini(struct automaton *a)
{
	vec_free(&a->states);
	vec_free(&a->edges);
	index_free(a->index);
	a->index = NULL;
}

/* > 0: a is more specific than b; < 0: less; 0: equally specific. */
static int specificity(const struct rule *a, const struct rule *b)
{
	size_t n = a->n < b->n ? a->n : b->n;

	for (size_t i = 0; i < n; i++) {
		bool sa = is_star(a->comps[i]), sb = is_star(b->comps[i]);

		if (sa != sb)
			return sa ? -1 : 1;
	}
	return (a->n > b->n) - (a->n < b->n);
}

/* Rule r matched the whole path so far: let it decide the lanes it beats. */
static void complete(const struct build *b, __u32 r, int *best)
{
	const struct rule *rule = &b->rules[r];

	for (int lane = 0; lane < MAX_LANES; lane++) {
		__u32 bit = 1u << lane;
		int cmp;

		if (!(rule->src->lanes & bit))
			continue;
		if (best[lane] < 0) {
			best[lane] = (int)r;
			continue;
		}
		cmp = specificity(rule, &b->rules[best[lane]]);
		if (cmp > 0 || (cmp == 0 && !(rule->src->allow & bit)))
			best[lane] = (int)r;
	}
}

static __u32 verdict_of(const struct build *b, const int *best)
{
	__u32 allow = 0, decided = 0;

	if (b->kind == BJ_VERDICT_PAYLOAD)
		return best[0] < 0 ? 0 : b->rules[best[0]].src->payload;
	for (int lane = 0; lane < MAX_LANES; lane++) {
		if (best[lane] < 0)
			continue;
		decided |= 1u << lane;
		allow |= b->rules[best[lane]].src->allow & (1u << lane);
	}
	return BJ_VERDICT(allow, decided);
}

/*
 * The state for (depth, alive, best): an existing one, or a new one queued
 * for expansion. Takes ownership of alive.
 */
static int intern(struct build *b, __u32 depth, __u32 *alive, size_t n_alive, const int *best,
		  __u32 *id)
{
	struct automaton *a = b->a;
	__u32 verdict = verdict_of(b, best);
	struct bj_state *state;
	struct pending *p;
	size_t len;
	char *key;
	int found;

	if (!n_alive && !verdict) {
		free(alive);
		*id = 0;
		return 0;
	}
	/*
	 * Final states are told apart by verdict alone and shared by every
	 * automaton; live ones by everything, including which automaton they
	 * belong to, since rule numbers restart with each one.
	 */
	len = n_alive ? 2 * sizeof(__u32) + sizeof(int) * MAX_LANES + sizeof(*alive) * n_alive
		      : 1 + sizeof(verdict);
	key = malloc(len);
	if (!key) {
		free(alive);
		return -ENOMEM;
	}
	if (n_alive) {
		char *k = key;

		memcpy(k, &a->generation, sizeof(__u32));
		memcpy(k += sizeof(__u32), &depth, sizeof(depth));
		memcpy(k += sizeof(depth), best, sizeof(int) * MAX_LANES);
		memcpy(k + sizeof(int) * MAX_LANES, alive, sizeof(*alive) * n_alive);
	} else {
		key[0] = 'F';
		memcpy(key + 1, &verdict, sizeof(verdict));
	}

	*id = (__u32)a->states.n;
	found = index_find_or_add(a->index, key, len, id);
	if (found) {
		free(key);
		free(alive);
		return found < 0 ? found : 0;
	}
	if (a->states.n >= BJ_MAX_STATES) {
		free(alive);
		return -E2BIG;
	}
	state = vec_push(&a->states);
	if (!state) {
		free(alive);
		return -ENOMEM;
	}
	state->verdict = verdict;
	if (!n_alive) {
		state->final = 1;
		state->other = *id;
		free(alive);
		return 0;
	}
	p = vec_push(&b->queue);
	if (!p) {
		free(alive);
		return -ENOMEM;
	}
	*p = (struct pending){ .id = *id, .depth = depth, .alive = alive, .n_alive = n_alive };
	memcpy(p->best, best, sizeof(p->best));
	return 0;
}

/* Follow one component (NULL: a name no live rule spells out) from p. */
static int step(struct build *b, const struct pending *p, const char *name, __u32 *id)
{
	__u32 *alive = malloc(sizeof(*alive) * p->n_alive);
	int best[MAX_LANES];
	size_t n = 0;

	if (!alive)
		return -ENOMEM;
	memcpy(best, p->best, sizeof(best));
	for (size_t i = 0; i < p->n_alive; i++) {
		const struct rule *rule = &b->rules[p->alive[i]];
		const char *comp = rule->comps[p->depth];

		if (!is_star(comp) && (!name || strcmp(comp, name)))
			continue;
		if (p->depth + 1 == rule->n)
			complete(b, p->alive[i], best);
		else
			alive[n++] = p->alive[i];
	}
	return intern(b, p->depth + 1, alive, n, best, id);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The hash the kernel computes for one component (see name_hash.h). */
static __u64 name_hash(const struct automaton *a, const char *name)
{
	size_t len = strlen(name), i;
	struct bj_sip sip;
	__u64 word = 0;

	bj_sip_init(&sip, a->k0, a->k1);
	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&word, name + i, 8);
		bj_sip_block(&sip, word);
	}
	word = 0;
	memcpy(&word, name + i, len - i);
	return bj_sip_final(&sip, word, (__u32)len);
}

static int add_edge(struct automaton *a, __u32 from, const char *name, __u32 to)
{
	struct bj_edge *edge = vec_push(&a->edges);

	if (!edge)
		return -ENOMEM;
	edge->key.state = from;
	edge->key.hash = name_hash(a, name);
	edge->next = to;
	((struct bj_state *)a->states.items)[from].lens |= bj_name_len_bit((__u32)strlen(name));
	return 0;
}

static int expand(struct build *b, const struct pending *p)
{
	const char **names = malloc(sizeof(*names) * p->n_alive);
	size_t n_names = 0;
	__u32 other;
	int err;

	if (!names)
		return -ENOMEM;
	for (size_t i = 0; i < p->n_alive; i++) {
		const char *comp = b->rules[p->alive[i]].comps[p->depth];

		if (!is_star(comp))
			names[n_names++] = comp;
	}
	qsort(names, n_names, sizeof(*names), cmp_str);

	err = step(b, p, NULL, &other);
	for (size_t i = 0; !err && i < n_names; i++) {
		__u32 next;

		if (i && !strcmp(names[i], names[i - 1]))
			continue;
		err = step(b, p, names[i], &next);
		/* An edge that leads where "other" leads is implied. */
		if (!err && next != other)
			err = add_edge(b->a, p->id, names[i], next);
	}
	free(names);
	if (!err)
		((struct bj_state *)b->a->states.items)[p->id].other = other;
	return err;
}

static int split_rule(struct rule *rule, const struct bj_pattern *src)
{
	size_t slashes = 0;
	char *s;

	rule->src = src;
	rule->buf = strdup(src->path);
	if (!rule->buf)
		return -ENOMEM;
	for (s = rule->buf; *s; s++)
		slashes += *s == '/';
	rule->comps = calloc(slashes ? slashes : 1, sizeof(*rule->comps));
	if (!rule->comps)
		return -ENOMEM;
	for (s = strtok(rule->buf, "/"); s; s = strtok(NULL, "/")) {
		if (strlen(s) > BJ_NAME_MAX)
			return -EINVAL;
		rule->comps[rule->n++] = s;
	}
	return 0;
}

static void free_build(struct build *b)
{
	for (size_t i = 0; i < b->n_rules; i++) {
		free(b->rules[i].buf);
		free(b->rules[i].comps);
	}
	free(b->rules);
	for (size_t i = b->queue_head; i < b->queue.n; i++)
		free(((struct pending *)b->queue.items)[i].alive);
	vec_free(&b->queue);
}

int automaton_add(struct automaton *a, const struct bj_pattern *patterns, size_t n,
		  enum bj_verdict_kind kind, __u32 *start, size_t *bad)
{
	struct build b = { .a = a, .kind = kind, .queue = VEC_INIT(struct pending) };
	int best[MAX_LANES];
	__u32 *alive = NULL;
	size_t n_alive = 0;
	int err = 0;

	*start = 0;
	if (!n)
		return 0;
	a->generation++;
	b.rules = calloc(n, sizeof(*b.rules));
	alive = malloc(sizeof(*alive) * n);
	if (!b.rules || !alive) {
		free(alive);
		free(b.rules);
		return -ENOMEM;
	}
	for (int lane = 0; lane < MAX_LANES; lane++)
		best[lane] = -1;
	for (size_t i = 0; i < n && !err; i++) {
		b.n_rules++;
		err = split_rule(&b.rules[i], &patterns[i]);
		if (err == -EINVAL)
			*bad = i;
		else if (!err && b.rules[i].n == 0)
			complete(&b, (__u32)i, best); /* "/" matches every path */
		else if (!err)
			alive[n_alive++] = (__u32)i;
	}
	if (err) {
		free(alive);
		free_build(&b);
		return err;
	}

	err = intern(&b, 0, alive, n_alive, best, start);
	while (!err && b.queue_head < b.queue.n) {
		/* expand() may grow the queue: work on a copy of the entry. */
		struct pending p = ((struct pending *)b.queue.items)[b.queue_head++];

		err = expand(&b, &p);
		free(p.alive);
	}
	free_build(&b);
	return err;
}

/* Where the edge for name leads from state, or NULL when no edge names it. */
static const __u32 *find_edge(const struct automaton *a, size_t first_edge, __u32 state, const char *name)
{
	const struct bj_edge *edges = a->edges.items;
	__u64 hash = name_hash(a, name);

	for (size_t i = first_edge; i < a->edges.n; i++)
		if (edges[i].key.state == state && edges[i].key.hash == hash)
			return &edges[i].next;
	return NULL;
}

__u32 automaton_walk(const struct automaton *a, __u32 start, size_t first_edge, const char *path)
{
	const struct bj_state *states = a->states.items;
	char comp[BJ_NAME_MAX + 1];
	__u32 state = start;

	for (const char *c = path + strspn(path, "/"); *c && state; c += strspn(c, "/")) {
		size_t n = strcspn(c, "/");
		const __u32 *next = NULL;

		/* A longer name is no rule's: only "*" (the state's "other") matches it. */
		if (n <= BJ_NAME_MAX) {
			memcpy(comp, c, n);
			comp[n] = '\0';
			next = find_edge(a, first_edge, state, comp);
		}
		state = next ? *next : states[state].other;
		c += n;
	}
	return state;
}
