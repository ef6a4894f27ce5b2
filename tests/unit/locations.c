// SPDX-License-Identifier: GPL-2.0
/* The JSON reader: where each value starts, its JSON path, duplicate keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"
#include "tests.h"

static void expect_loc(struct bj_loc got, unsigned line, unsigned column, const char *what)
{
	if (!check(got.line == line && got.column == column, "locations: %s", what))
		note("expected %u:%u, got %u:%u", line, column, got.line, got.column);
}

static void expect_path(const struct json_node *node, const char *want)
{
	char *got = node ? json_path(node) : NULL;

	if (!check(got && !strcmp(got, want), "locations: path %s", want))
		note("got %s", got ? got : "(none)");
	free(got);
}

/* Read text, which must read with status want; NULL when it does not. */
static struct json_node *read_as(const char *name, const char *text, enum json_status want, struct json_error *err)
{
	struct json_node *root;
	enum json_status status = json_read(text, strlen(text), &root, err);

	if (!check(status == want && (root != NULL) == (want <= JSON_DUPLICATE), "locations: read %s", name)) {
		note("status %d, expected %d", status, want);
		json_free(root);
		return NULL;
	}
	return root;
}

static void test_members_and_elements(void)
{
	/* Columns count characters: "é" is two bytes and one column, as in jansson's errors. */
	const char *text = "  {\"a\": [true, true],\n"
			   "\t\"\\u00e9t\u00e9\" : {\"x\\\"y\": null},\r\n"
			   "\"\\ud83d\\ude00\": [[], [false]], \"\u00e9\": 1}\n";
	const struct json_node *a, *ete, *emoji;
	struct json_error err;
	struct json_node *root = read_as("members", text, JSON_OK, &err);

	if (!root)
		return;
	a = json_get(root, "a");
	ete = json_get(root, "\u00e9t\u00e9");
	emoji = json_get(root, "\U0001F600");
	if (!check(a && ete && emoji && a->n == 2 && emoji->n == 2, "locations: the tree has the members")) {
		json_free(root);
		return;
	}
	expect_loc(root->loc, 1, 3, "the document");
	expect_loc(a->loc, 1, 9, "a member's value");
	expect_loc(a->key_loc, 1, 4, "a member's key");
	expect_loc(a->items[0]->loc, 1, 10, "first true");
	expect_loc(a->items[1]->loc, 1, 16, "second true");
	expect_loc(ete->key_loc, 2, 2, "key with an escape, after a tab");
	expect_loc(ete->loc, 2, 15, "its value");
	expect_loc(json_get(ete, "x\"y")->loc, 2, 24, "a key with an escaped quote");
	expect_loc(emoji->loc, 3, 17, "a key with a surrogate pair");
	expect_loc(emoji->items[1]->items[0]->loc, 3, 23, "nested array element");
	expect_loc(json_get(root, "\u00e9")->loc, 3, 37, "after multibyte characters");
	check(!json_get(root, "b"), "locations: a key that is not there");
	expect_path(root, "");
	expect_path(a->items[1], "a[1]");
	expect_path(json_get(ete, "x\"y"), "[\"\u00e9t\u00e9\"][\"x\\\"y\"]");
	expect_path(emoji->items[1]->items[0], "[\"\U0001F600\"][1][0]");
	json_free(root);
}

static void test_paths(void)
{
	const char *text = "{\"roles\": {\"web\": {\"file_paths\": [{}]}, \"web-server\": {}, \"_9\": {}, \"9\": {},"
			   " \"a\\nb\": {}}}";
	const struct json_node *roles;
	struct json_error err;
	struct json_node *root = read_as("paths", text, JSON_OK, &err);

	if (!root)
		return;
	roles = json_get(root, "roles");
	expect_path(json_get(json_get(roles, "web"), "file_paths")->items[0], "roles.web.file_paths[0]");
	expect_path(json_get(roles, "web-server"), "roles[\"web-server\"]");
	expect_path(json_get(roles, "_9"), "roles._9");
	expect_path(json_get(roles, "9"), "roles[\"9\"]");
	expect_path(json_get(roles, "a\nb"), "roles[\"a\\u000ab\"]");
	json_free(root);
}

static void test_duplicates(void)
{
	const char *text = "{\"a\": {\"b\": 1},\n \"c\": {\"d\": 1, \"d\": [2]}, \"a\": 3}";
	struct json_error err;
	struct json_node *root = read_as("duplicates", text, JSON_DUPLICATE, &err);

	if (!root)
		return;
	check(err.object == json_get(root, "c") && err.key && !strcmp(err.key, "d"),
	      "locations: the first duplicate in the text is found");
	expect_loc(err.first, 2, 8, "first occurrence of the duplicate");
	expect_loc(err.second, 2, 16, "second occurrence of the duplicate");
	check(json_get(root, "a")->type == JT_INTEGER && json_get(json_get(root, "c"), "d")->type == JT_ARRAY,
	      "locations: a key given twice keeps its last value");
	json_free(root);

	/* The first duplicate in the text, even inside a value that a later duplicate replaces. */
	root = read_as("duplicate in a replaced value", "{\"a\": {\"x\": {\"b\": 1, \"b\": 2}}, \"a\": 3}",
		       JSON_DUPLICATE, &err);
	if (root)
		expect_path(err.object, "a.x");
	json_free(root);

	/* Not JSON after all: jansson's words for the duplicate, where jansson stops. */
	root = read_as("duplicate, then a syntax error", "{\"a\": 1, \"a\": 2,}", JSON_SYNTAX, &err);
	check(!strcmp(err.text, "duplicate object key near '\"a\"'") && err.loc.line == 1 && err.loc.column == 12,
	      "locations: a duplicate before a syntax error is jansson's error (%s at %u:%u)", err.text,
	      err.loc.line, err.loc.column);
	json_free(root);
}

/* Many values: linear time and memory (a quadratic reader would time out here under valgrind). */
static void test_big(void)
{
	const size_t n = 200000;
	char *text = malloc(6 * n + 16), *p = text;
	struct json_error err;
	struct json_node *root;

	if (!text)
		abort();
	p += sprintf(p, "{\"k\": [");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%snull", i ? ",\n" : "");
	sprintf(p, "]}");
	root = read_as("200000 elements", text, JSON_OK, &err);
	if (root && check(json_get(root, "k")->n == n, "locations: 200000 elements"))
		expect_loc(json_get(root, "k")->items[n - 1]->loc, (unsigned)n, 1, "the last of 200000 elements");
	json_free(root);
	free(text);
}

void test_locations(void)
{
	test_members_and_elements();
	test_paths();
	test_duplicates();
	test_big();
	expect_loc(json_loc_offset("ab\n\u00e9\u00e9x", 7), 2, 3, "of a byte offset");
}
