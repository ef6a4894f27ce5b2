// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_loc.h"

/* The location of one slot: a member of an object or an element of an array. */
struct slot {
	const json_t *parent; /* NULL: unused slot of the table */
	const char *key;      /* jansson's copy of the member's key; NULL for an element */
	size_t index;         /* element index */
	struct bj_loc key_loc;
	struct bj_loc value_loc;
};

/* Open addressing with linear probing, at most half full. */
struct json_locs {
	struct slot *slots;
	size_t cap; /* a power of two */
	size_t n;
	struct bj_loc root;
};

struct scanner {
	const unsigned char *p, *end;
	struct bj_loc at; /* of the character at p */
	struct json_locs *locs;
	struct json_dup *dup;
	char *key; /* the key being scanned, decoded as jansson decodes it */
	size_t key_cap;
	bool out_of_memory;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

/* By the key's content: a lookup passes its own copy of the key. */
static uint64_t slot_hash(const json_t *parent, const char *key, size_t index)
{
	uint64_t h = 0xcbf29ce484222325ull;

	if (key)
		for (const unsigned char *c = (const unsigned char *)key; *c; c++)
			h = (h ^ *c) * 0x100000001b3ull;
	else
		h = index;
	return mix(mix((uintptr_t)parent) ^ h);
}

static bool slot_is(const struct slot *s, const json_t *parent, const char *key, size_t index)
{
	if (s->parent != parent)
		return false;
	if (key)
		return s->key && !strcmp(s->key, key);
	return !s->key && s->index == index;
}

static struct slot *slot_find(const struct json_locs *locs, const json_t *parent, const char *key,
			      size_t index)
{
	size_t mask = locs->cap - 1;

	if (!locs->cap)
		return NULL;
	for (size_t i = slot_hash(parent, key, index) & mask;; i = (i + 1) & mask) {
		struct slot *s = &locs->slots[i];

		if (!s->parent || slot_is(s, parent, key, index))
			return s;
	}
}

static int grow(struct json_locs *locs)
{
	size_t cap = locs->cap ? 2 * locs->cap : 64;
	struct slot *old = locs->slots;
	size_t old_cap = locs->cap;

	locs->slots = calloc(cap, sizeof(*locs->slots));
	if (!locs->slots) {
		locs->slots = old;
		return -1;
	}
	locs->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].parent)
			*slot_find(locs, old[i].parent, old[i].key, old[i].index) = old[i];
	free(old);
	return 0;
}

/* Record a slot; a key seen before in the same object is a duplicate. */
static void record(struct scanner *sc, const json_t *parent, const char *key, size_t index,
		   struct bj_loc key_loc, struct bj_loc value_loc)
{
	struct json_locs *locs = sc->locs;
	struct slot *s;

	if (2 * (locs->n + 1) > locs->cap && grow(locs)) {
		sc->out_of_memory = true;
		return;
	}
	s = slot_find(locs, parent, key, index);
	if (s->parent) {
		if (sc->dup && !sc->dup->object)
			*sc->dup = (struct json_dup){
				.object = parent, .key = key, .first = s->key_loc, .second = key_loc,
			};
		return;
	}
	*s = (struct slot){
		.parent = parent, .key = key, .index = index, .key_loc = key_loc, .value_loc = value_loc,
	};
	locs->n++;
}

/* Columns count characters, as jansson's do: UTF-8 continuation bytes add none. */
static void advance(struct scanner *sc)
{
	unsigned char c = *sc->p++;

	if (c == '\n') {
		sc->at.line++;
		sc->at.column = 1;
	} else if ((c & 0xc0) != 0x80) {
		sc->at.column++;
	}
}

static void skip_space(struct scanner *sc)
{
	while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r'))
		advance(sc);
}

/* Consume c if it is next. */
static bool eat(struct scanner *sc, unsigned char c)
{
	skip_space(sc);
	if (sc->p >= sc->end || *sc->p != c)
		return false;
	advance(sc);
	return true;
}

static int key_put(struct scanner *sc, size_t *len, const char *bytes, size_t n)
{
	if (*len + n + 1 > sc->key_cap) {
		size_t cap = 2 * (*len + n + 1);
		char *key = realloc(sc->key, cap);

		if (!key) {
			sc->out_of_memory = true;
			return -1;
		}
		sc->key = key;
		sc->key_cap = cap;
	}
	memcpy(sc->key + *len, bytes, n);
	*len += n;
	sc->key[*len] = '\0';
	return 0;
}

static int hex4(struct scanner *sc, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		unsigned char c;

		if (sc->p >= sc->end)
			return -1;
		c = *sc->p;
		if (c >= '0' && c <= '9')
			*out = *out << 4 | (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*out = *out << 4 | ((c | 0x20) - 'a' + 10);
		else
			return -1;
		advance(sc);
	}
	return 0;
}

/* After "\u": one code point, joining a surrogate pair as jansson does. */
static int unicode_escape(struct scanner *sc, size_t *len)
{
	unsigned cp, low;
	char utf8[4];
	size_t n;

	if (hex4(sc, &cp))
		return -1;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (sc->end - sc->p < 2 || sc->p[0] != '\\' || sc->p[1] != 'u')
			return -1;
		advance(sc);
		advance(sc);
		if (hex4(sc, &low) || low < 0xdc00 || low > 0xdfff)
			return -1;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
	}
	if (cp < 0x80) {
		utf8[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		utf8[0] = (char)(0xc0 | cp >> 6);
		utf8[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		utf8[0] = (char)(0xe0 | cp >> 12);
		utf8[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		utf8[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		utf8[0] = (char)(0xf0 | cp >> 18);
		utf8[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		utf8[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		utf8[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return key_put(sc, len, utf8, n);
}

/* A string at p; decoded into sc->key when decode is set, else skipped. */
static int scan_string(struct scanner *sc, bool decode)
{
	static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	size_t len = 0;

	if (decode && key_put(sc, &len, "", 0))
		return -1;
	advance(sc); /* the opening quote */
	while (sc->p < sc->end && *sc->p != '"') {
		const unsigned char *run = sc->p;

		if (*sc->p != '\\') {
			while (sc->p < sc->end && *sc->p != '"' && *sc->p != '\\')
				advance(sc);
			if (decode && key_put(sc, &len, (const char *)run, (size_t)(sc->p - run)))
				return -1;
			continue;
		}
		advance(sc);
		if (sc->p >= sc->end)
			return -1;
		if (*sc->p == 'u') {
			advance(sc);
			if (!decode) /* four hex digits, and a low surrogate's "\u" after a high one */
				continue;
			if (unicode_escape(sc, &len))
				return -1;
			continue;
		}
		for (const char *e = escapes; *e; e += 2) {
			if (*e == (char)*sc->p) {
				if (decode && key_put(sc, &len, e + 1, 1))
					return -1;
				break;
			}
		}
		advance(sc);
	}
	if (sc->p >= sc->end)
		return -1;
	advance(sc); /* the closing quote */
	return 0;
}

static int scan_value(struct scanner *sc, const json_t *node, int depth);

static int scan_object(struct scanner *sc, const json_t *node, int depth)
{
	advance(sc); /* { */
	if (eat(sc, '}'))
		return 0;
	do {
		struct bj_loc key_loc, value_loc;
		const json_t *child = NULL;
		const char *key = NULL;

		skip_space(sc);
		if (sc->p >= sc->end || *sc->p != '"')
			return -1;
		key_loc = sc->at;
		if (scan_string(sc, true) || !eat(sc, ':'))
			return -1;
		skip_space(sc);
		value_loc = sc->at;
		if (json_is_object(node)) {
			void *iter = json_object_iter_at((json_t *)node, sc->key);

			if (iter) {
				key = json_object_iter_key(iter);
				child = json_object_iter_value(iter);
				record(sc, node, key, 0, key_loc, value_loc);
			}
		}
		if (sc->out_of_memory || scan_value(sc, child, depth + 1))
			return -1;
	} while (eat(sc, ','));
	return eat(sc, '}') ? 0 : -1;
}

static int scan_array(struct scanner *sc, const json_t *node, int depth)
{
	size_t index = 0;

	advance(sc); /* [ */
	if (eat(sc, ']'))
		return 0;
	do {
		const json_t *child = json_array_get(node, index);

		skip_space(sc);
		if (child)
			record(sc, node, NULL, index, sc->at, sc->at);
		if (sc->out_of_memory || scan_value(sc, child, depth + 1))
			return -1;
		index++;
	} while (eat(sc, ','));
	return eat(sc, ']') ? 0 : -1;
}

/*
 * node is the tree's value for this stretch of text, NULL where the two
 * disagree (a duplicated key's first value): then the text is only skipped.
 */
static int scan_value(struct scanner *sc, const json_t *node, int depth)
{
	/* jansson refused anything deeper; the same limit bounds this recursion. */
	if (depth > JSON_PARSER_MAX_DEPTH)
		return -1;
	skip_space(sc);
	if (sc->p >= sc->end)
		return -1;
	switch (*sc->p) {
	case '{':
		return scan_object(sc, node, depth);
	case '[':
		return scan_array(sc, node, depth);
	case '"':
		return scan_string(sc, false);
	default: /* a number, true, false or null */
		while (sc->p < sc->end && *sc->p && strchr("+-.0123456789Eabcdeflnrstu", *sc->p))
			advance(sc);
		return 0;
	}
}

int json_locs_build(const char *text, size_t len, const json_t *root, struct json_locs **out,
		    struct json_dup *dup)
{
	struct scanner sc = {
		.p = (const unsigned char *)text,
		.end = (const unsigned char *)text + len,
		.at = { .line = 1, .column = 1 },
		.dup = dup,
	};

	*out = NULL;
	if (dup)
		*dup = (struct json_dup){ 0 };
	sc.locs = calloc(1, sizeof(*sc.locs));
	if (!sc.locs)
		return -1;
	skip_space(&sc);
	sc.locs->root = sc.at;
	/*
	 * The text is the one jansson accepted, so the scan only stops early
	 * on a bug; the locations found until then are still right.
	 */
	scan_value(&sc, root, 1);
	free(sc.key);
	if (sc.out_of_memory) {
		json_locs_free(sc.locs);
		return -1;
	}
	*out = sc.locs;
	return 0;
}

struct bj_loc json_loc_offset(const char *text, size_t offset)
{
	struct scanner sc = {
		.p = (const unsigned char *)text,
		.end = (const unsigned char *)text + offset,
		.at = { .line = 1, .column = 1 },
	};

	while (sc.p < sc.end)
		advance(&sc);
	return sc.at;
}

void json_locs_free(struct json_locs *locs)
{
	if (!locs)
		return;
	free(locs->slots);
	free(locs);
}

struct bj_loc json_loc_root(const struct json_locs *locs)
{
	return locs->root;
}

static struct bj_loc unknown(void)
{
	return (struct bj_loc){ 0 };
}

struct bj_loc json_loc_member(const struct json_locs *locs, const json_t *object, const char *key)
{
	const struct slot *s = slot_find(locs, object, key, 0);

	return s && s->parent ? s->value_loc : unknown();
}

struct bj_loc json_loc_key(const struct json_locs *locs, const json_t *object, const char *key)
{
	const struct slot *s = slot_find(locs, object, key, 0);

	return s && s->parent ? s->key_loc : unknown();
}

struct bj_loc json_loc_element(const struct json_locs *locs, const json_t *array, size_t index)
{
	const struct slot *s = slot_find(locs, array, NULL, index);

	return s && s->parent ? s->value_loc : unknown();
}
