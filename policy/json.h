/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy's JSON reader. One pass over the text builds a tree in which
 * every value knows where it starts (line and column), which object or
 * array holds it and under which key or index: enough to name its place
 * in a message both ways, as a location and as a JSON path. Duplicate keys
 * are found on the way.
 *
 * Syntax errors are worded, and placed, as jansson words and places them:
 * the policy format's messages were written against jansson, and users
 * and tests know them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* Nesting deeper than this is refused (jansson's JSON_PARSER_MAX_DEPTH). */
#define JSON_MAX_DEPTH 2048

enum json_type {
	JT_OBJECT,
	JT_ARRAY,
	JT_STRING,
	JT_INTEGER,
	JT_REAL,
	JT_TRUE,
	JT_FALSE,
	JT_NULL,
};

struct json_node {
	enum json_type type;
	struct bj_loc loc;          /* of the value's first character */
	const struct json_node *up; /* the object or array holding it; NULL for the document */
	char *key;                  /* a member's key; NULL for an element and the document */
	struct bj_loc key_loc;      /* a member's key */
	size_t index;               /* position in up */
	char *string;               /* JT_STRING, decoded; never holds a NUL */
	long long integer;          /* JT_INTEGER */
	struct json_node **items;   /* JT_OBJECT: members, JT_ARRAY: elements, as in the text */
	size_t n;
	struct json_node *replaced; /* a member's earlier values, its key given twice (json.c) */
};

enum json_status {
	JSON_OK,
	JSON_DUPLICATE, /* a tree, where a key given twice in an object keeps its last value */
	JSON_SYNTAX,    /* no tree */
	JSON_BAD_UTF8,  /* no tree */
	JSON_NO_MEMORY, /* no tree */
};

struct json_error {
	/* JSON_SYNTAX, JSON_BAD_UTF8: jansson's message and position (0 where it gives none) */
	char text[160];
	struct bj_loc loc;
	/* JSON_DUPLICATE: the first key given twice, in the order of the text */
	const struct json_node *object;
	const char *key;
	struct bj_loc first, second;
};

/* Read text (a NUL in it is a syntax error) into *root; free it with json_free(). */
enum json_status json_read(const char *text, size_t len, struct json_node **root, struct json_error *err);
void json_free(struct json_node *node);

/* The member of object under key, or NULL. */
const struct json_node *json_get(const struct json_node *object, const char *key);

/* Mark node and everything in it as read from file (bj_loc.file): a policy of several files. */
void json_set_file(struct json_node *node, unsigned file);

/*
 * Whether a and b hold the same value: objects member by member in any
 * order, arrays element by element. Reals are never equal (the policy
 * format has none, and they are not kept).
 */
bool json_equal(const struct json_node *a, const struct json_node *b);

/* "an object", "an integer", "true": for "expected X, got Y". */
const char *json_type_name(enum json_type type);

/*
 * Where node is: "roles.webserver.network_rules[2]", with a key that is no
 * identifier quoted as in roles["web-server"]; "" for the document. NULL
 * when out of memory.
 */
char *json_path(const struct json_node *node);

/* The line and column of the byte at offset in text. */
struct bj_loc json_loc_offset(const char *text, size_t offset);
