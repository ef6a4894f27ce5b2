// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON tree, built as jansson's parser walks the tokens (src/load.c):
 * the same order of steps, so that an error is found where jansson finds
 * it and worded the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index_map.h"
#include "json_lex.h"
#include "vec.h"

struct reader {
	struct lexer lx;
	size_t depth;
	bool out_of_memory;
	struct json_error *err;
	/*
	 * The first key given twice. jansson, asked to reject duplicates,
	 * stops there; should the text turn out not to be JSON after all,
	 * that is its error, so it is kept in jansson's words too.
	 */
	bool duplicate;
	struct json_error duplicate_as_syntax;
};

static struct json_node *parse_value(struct reader *r, const struct json_node *up);

void json_free(struct json_node *node)
{
	if (!node)
		return;
	for (size_t i = 0; i < node->n; i++)
		json_free(node->items[i]);
	free(node->items);
	json_free(node->replaced);
	free(node->key);
	free(node->string);
	free(node);
}

void json_set_file(struct json_node *node, unsigned file)
{
	node->loc.file = file;
	node->key_loc.file = file;
	for (size_t i = 0; i < node->n; i++)
		json_set_file(node->items[i], file);
}

bool json_equal(const struct json_node *a, const struct json_node *b)
{
	if (a->type != b->type || a->n != b->n)
		return false;
	switch (a->type) {
	case JT_OBJECT:
		for (size_t i = 0; i < a->n; i++) {
			const struct json_node *other = json_get(b, a->items[i]->key);

			if (!other || !json_equal(a->items[i], other))
				return false;
		}
		return true;
	case JT_ARRAY:
		for (size_t i = 0; i < a->n; i++)
			if (!json_equal(a->items[i], b->items[i]))
				return false;
		return true;
	case JT_STRING:
		return !strcmp(a->string, b->string);
	case JT_INTEGER:
		return a->integer == b->integer;
	case JT_REAL:
		return false;
	case JT_TRUE:
	case JT_FALSE:
	case JT_NULL:
		return true;
	}
	return false;
}

static struct json_node *new_node(struct reader *r, enum json_type type, const struct json_node *up)
{
	struct json_node *node = calloc(1, sizeof(*node));

	if (!node) {
		r->out_of_memory = true;
		return NULL;
	}
	*node = (struct json_node){ .type = type, .loc = r->lx.token_loc, .up = up };
	return node;
}

/* Append child (NULL after an error) to the items being collected; false when it cannot be. */
static bool append(struct reader *r, struct vec *items, struct json_node *child)
{
	struct json_node **slot;

	if (!child)
		return false;
	slot = vec_push(items);
	if (!slot) {
		r->out_of_memory = true;
		json_free(child);
		return false;
	}
	child->index = items->n - 1;
	*slot = child;
	return true;
}

/*
 * A key given again: its member keeps its place and first key, and takes
 * the new value, as in jansson. The earlier value is kept aside, out of
 * the tree, since the first duplicate found may lie in it.
 */
static bool replace_value(struct reader *r, struct json_node *member, struct json_node *value)
{
	struct json_node *earlier = calloc(1, sizeof(*earlier));

	if (!earlier) {
		r->out_of_memory = true;
		json_free(value);
		return false;
	}
	earlier->string = member->string;
	earlier->items = member->items; /* whose up is still member: their paths stay right */
	earlier->n = member->n;
	earlier->replaced = member->replaced;
	member->replaced = earlier;
	member->type = value->type;
	member->loc = value->loc;
	member->string = value->string;
	member->integer = value->integer;
	member->items = value->items;
	member->n = value->n;
	for (size_t i = 0; i < member->n; i++)
		member->items[i]->up = member;
	free(value->key);
	free(value);
	return true;
}

static void note_duplicate(struct reader *r, const struct json_node *object, const struct json_node *first,
			   struct bj_loc second)
{
	if (r->duplicate)
		return;
	r->duplicate = true;
	r->err->object = object;
	r->err->key = first->key;
	r->err->first = first->key_loc;
	r->err->second = second;
	lexer_describe(&r->lx, &r->duplicate_as_syntax, "duplicate object key");
}

/* One member of object; false after an error. */
static bool parse_member(struct reader *r, struct json_node *object, struct vec *items, struct index_map *keys)
{
	struct lexer *lx = &r->lx;
	struct bj_loc key_loc = lx->token_loc;
	struct json_node *value;
	ssize_t first;
	size_t len;
	char *key;

	if (lx->token != TOKEN_STRING) {
		lexer_error(lx, JSON_SYNTAX, "string or '}' expected");
		return false;
	}
	key = lexer_take_string(lx, &len);
	if (memchr(key, '\0', len)) {
		free(key);
		lexer_error(lx, JSON_SYNTAX, "NUL byte in object key not supported");
		return false;
	}
	first = index_map_get(keys, key);
	if (first >= 0)
		note_duplicate(r, object, ((struct json_node **)items->items)[first], key_loc);
	lexer_scan(lx);
	if (lx->token != ':') {
		free(key);
		lexer_error(lx, JSON_SYNTAX, "':' expected");
		return false;
	}
	lexer_scan(lx);
	value = parse_value(r, object);
	if (!value) {
		free(key);
		return false;
	}
	value->key = key;
	value->key_loc = key_loc;
	if (first >= 0)
		return replace_value(r, ((struct json_node **)items->items)[first], value);
	if (!append(r, items, value) || index_map_put(keys, key, items->n - 1)) {
		r->out_of_memory = true;
		return false;
	}
	return true;
}

/*
 * The members or elements of node after its opening bracket, up to its
 * closing one; false after an error. (An array ends at the end of the
 * text too, which jansson then reports as a missing "]".)
 */
static bool parse_items(struct reader *r, struct json_node *node, struct vec *items)
{
	struct lexer *lx = &r->lx;
	int close = node->type == JT_OBJECT ? '}' : ']';
	struct index_map keys = INDEX_MAP_INIT; /* an object's keys -> index in items */
	bool ok = false;

	lexer_scan(lx);
	if (lx->token == close)
		return true;
	while (node->type == JT_OBJECT || lx->token != TOKEN_EOF) {
		if (node->type == JT_OBJECT ? !parse_member(r, node, items, &keys) :
					      !append(r, items, parse_value(r, node)))
			goto out;
		lexer_scan(lx);
		if (lx->token != ',')
			break;
		lexer_scan(lx);
	}
	if (lx->token != close)
		lexer_error(lx, JSON_SYNTAX, "'%c' expected", close);
	else
		ok = true;
out:
	index_map_free(&keys);
	return ok;
}

static struct json_node *parse_container(struct reader *r, enum json_type type, const struct json_node *up)
{
	struct json_node *node = new_node(r, type, up);
	struct vec items = VEC_INIT(struct json_node *);
	bool ok;

	if (!node)
		return NULL;
	ok = parse_items(r, node, &items);
	node->items = vec_take(&items, &node->n);
	if (!ok) {
		json_free(node);
		return NULL;
	}
	return node;
}

static struct json_node *parse_scalar(struct reader *r, const struct json_node *up)
{
	static const enum json_type types[] = {
		[TOKEN_INTEGER - TOKEN_STRING] = JT_INTEGER,
		[TOKEN_REAL - TOKEN_STRING] = JT_REAL,
		[TOKEN_TRUE - TOKEN_STRING] = JT_TRUE,
		[TOKEN_FALSE - TOKEN_STRING] = JT_FALSE,
		[TOKEN_NULL - TOKEN_STRING] = JT_NULL,
	};
	struct lexer *lx = &r->lx;
	struct json_node *node;
	size_t len;

	if (lx->token == TOKEN_STRING && memchr(lx->string, '\0', lx->string_len)) {
		lexer_error(lx, JSON_SYNTAX, "\\u0000 is not allowed without JSON_ALLOW_NUL");
		return NULL;
	}
	node = new_node(r, lx->token == TOKEN_STRING ? JT_STRING : types[lx->token - TOKEN_STRING], up);
	if (!node)
		return NULL;
	if (lx->token == TOKEN_STRING)
		node->string = lexer_take_string(lx, &len);
	if (lx->token == TOKEN_INTEGER)
		node->integer = lx->integer;
	return node;
}

static struct json_node *parse_value(struct reader *r, const struct json_node *up)
{
	struct lexer *lx = &r->lx;
	struct json_node *node;

	if (++r->depth > JSON_MAX_DEPTH) {
		lexer_error(lx, JSON_SYNTAX, "maximum parsing depth reached");
		return NULL;
	}
	switch (lx->token) {
	case '{':
		node = parse_container(r, JT_OBJECT, up);
		break;
	case '[':
		node = parse_container(r, JT_ARRAY, up);
		break;
	case TOKEN_STRING:
	case TOKEN_INTEGER:
	case TOKEN_REAL:
	case TOKEN_TRUE:
	case TOKEN_FALSE:
	case TOKEN_NULL:
		node = parse_scalar(r, up);
		break;
	case TOKEN_INVALID:
		lexer_error(lx, JSON_SYNTAX, "invalid token");
		return NULL;
	default:
		lexer_error(lx, JSON_SYNTAX, "unexpected token");
		return NULL;
	}
	if (node)
		r->depth--;
	return node;
}

static struct json_node *parse_document(struct reader *r)
{
	struct lexer *lx = &r->lx;
	struct json_node *root;

	lexer_scan(lx);
	if (lx->token != '[' && lx->token != '{') {
		lexer_error(lx, JSON_SYNTAX, "'[' or '{' expected");
		return NULL;
	}
	root = parse_value(r, NULL);
	if (!root)
		return NULL;
	lexer_scan(lx);
	if (lx->token != TOKEN_EOF) {
		lexer_error(lx, JSON_SYNTAX, "end of file expected");
		json_free(root);
		return NULL;
	}
	return root;
}

enum json_status json_read(const char *text, size_t len, struct json_node **root, struct json_error *err)
{
	struct reader r = { .err = err };
	enum json_status status;

	*err = (struct json_error){ 0 };
	lexer_init(&r.lx, text, len, err);
	*root = parse_document(&r);
	status = r.out_of_memory ? JSON_NO_MEMORY : r.lx.status;
	lexer_fini(&r.lx);
	if (status == JSON_OK && *root)
		return r.duplicate ? JSON_DUPLICATE : JSON_OK;
	json_free(*root);
	*root = NULL;
	if (status == JSON_NO_MEMORY)
		return status;
	if (r.duplicate) {
		memcpy(err->text, r.duplicate_as_syntax.text, sizeof(err->text));
		err->loc = r.duplicate_as_syntax.loc;
		return JSON_SYNTAX;
	}
	return status;
}

const struct json_node *json_get(const struct json_node *object, const char *key)
{
	for (size_t i = 0; object->type == JT_OBJECT && i < object->n; i++)
		if (!strcmp(object->items[i]->key, key))
			return object->items[i];
	return NULL;
}

const char *json_type_name(enum json_type type)
{
	static const char *const names[] = {
		[JT_OBJECT] = "an object",   [JT_ARRAY] = "an array", [JT_STRING] = "a string",
		[JT_INTEGER] = "an integer", [JT_REAL] = "a real number", [JT_TRUE] = "true",
		[JT_FALSE] = "false",        [JT_NULL] = "null",
	};

	return names[type];
}

static bool is_identifier(const char *s)
{
	for (const char *c = s; *c; c++) {
		bool letter = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_';

		if (!letter && (c == s || *c < '0' || *c > '9'))
			return false;
	}
	return *s;
}

static void put_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c < 0x20)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

static void put_path(FILE *out, const struct json_node *node)
{
	if (!node->up)
		return;
	put_path(out, node->up);
	if (!node->key) {
		fprintf(out, "[%zu]", node->index);
	} else if (is_identifier(node->key)) {
		fprintf(out, "%s%s", node->up->up ? "." : "", node->key);
	} else {
		fputc('[', out);
		put_quoted(out, node->key);
		fputc(']', out);
	}
}

char *json_path(const struct json_node *node)
{
	char *path = NULL;
	size_t size;
	FILE *out = open_memstream(&path, &size);

	if (!out)
		return NULL;
	put_path(out, node);
	if (fclose(out)) {
		free(path);
		return NULL;
	}
	return path;
}

struct bj_loc json_loc_offset(const char *text, size_t offset)
{
	struct bj_loc loc = { .line = 1, .column = 1 };

	for (const unsigned char *c = (const unsigned char *)text; c < (const unsigned char *)text + offset; c++) {
		if (*c == '\n')
			loc = (struct bj_loc){ .line = loc.line + 1, .column = 1 };
		else if ((*c & 0xc0) != 0x80) /* columns count characters */
			loc.column++;
	}
	return loc;
}
