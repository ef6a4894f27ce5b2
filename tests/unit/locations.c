// SPDX-License-Identifier: GPL-2.0
/* The scanner that finds where each value of a document starts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_loc.h"
#include "tests.h"

static void expect_loc(struct bj_loc got, unsigned line, unsigned column, const char *what)
{
	if (!check(got.line == line && got.column == column, "locations: %s", what))
		note("expected %u:%u, got %u:%u", line, column, got.line, got.column);
}

/* Load text as policy_parse does and index it; NULL when either fails. */
static json_t *load(const char *name, const char *text, size_t flags, struct json_locs **locs,
		    struct json_dup *dup)
{
	json_t *root = json_loadb(text, strlen(text), flags, NULL);

	if (!check(root && !json_locs_build(text, strlen(text), root, locs, dup), "locations: index %s",
		   name)) {
		json_decref(root);
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
	struct json_locs *locs;
	json_t *root = load("members", text, JSON_REJECT_DUPLICATES, &locs, NULL);
	json_t *ete, *emoji;

	if (!root)
		return;
	ete = json_object_get(root, "\u00e9t\u00e9");
	emoji = json_object_get(root, "\U0001F600");
	expect_loc(json_loc_root(locs), 1, 3, "the document");
	expect_loc(json_loc_member(locs, root, "a"), 1, 9, "a member's value");
	expect_loc(json_loc_key(locs, root, "a"), 1, 4, "a member's key");
	expect_loc(json_loc_element(locs, json_object_get(root, "a"), 0), 1, 10, "first true");
	expect_loc(json_loc_element(locs, json_object_get(root, "a"), 1), 1, 16,
		   "second true: the same json_t, another slot");
	expect_loc(json_loc_key(locs, root, "\u00e9t\u00e9"), 2, 2, "key with an escape, after a tab");
	expect_loc(json_loc_member(locs, root, "\u00e9t\u00e9"), 2, 15, "its value");
	expect_loc(json_loc_member(locs, ete, "x\"y"), 2, 24, "a key with an escaped quote");
	expect_loc(json_loc_member(locs, root, "\U0001F600"), 3, 17, "a key with a surrogate pair");
	expect_loc(json_loc_element(locs, json_array_get(emoji, 1), 0), 3, 23, "nested array element");
	expect_loc(json_loc_member(locs, root, "\u00e9"), 3, 37, "after multibyte characters");
	expect_loc(json_loc_member(locs, root, "b"), 0, 0, "a key that is not there");
	expect_loc(json_loc_element(locs, json_object_get(root, "a"), 2), 0, 0, "an index past the end");
	json_locs_free(locs);
	json_decref(root);
}

static void test_duplicates(void)
{
	const char *text = "{\"a\": {\"b\": 1},\n \"c\": {\"d\": 1, \"d\": [2]}, \"a\": 3}";
	struct json_locs *locs;
	struct json_dup dup;
	json_t *root = load("duplicates", text, 0, &locs, &dup);

	if (!root)
		return;
	check(dup.object == json_object_get(root, "c") && dup.key && !strcmp(dup.key, "d"),
	      "locations: the first duplicate in the text is found");
	expect_loc(dup.first, 2, 8, "first occurrence of the duplicate");
	expect_loc(dup.second, 2, 16, "second occurrence of the duplicate");
	json_locs_free(locs);
	json_decref(root);
}

/* Many values: linear time and memory (a quadratic scan would time out here under valgrind). */
static void test_big(void)
{
	const size_t n = 200000;
	char *text = malloc(6 * n + 16), *p = text;
	struct json_locs *locs;
	json_t *root;

	if (!text)
		abort();
	p += sprintf(p, "{\"k\": [");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%snull", i ? ",\n" : "");
	sprintf(p, "]}");
	root = load("200000 elements", text, JSON_REJECT_DUPLICATES, &locs, NULL);
	if (root) {
		expect_loc(json_loc_element(locs, json_object_get(root, "k"), n - 1), (unsigned)n, 1,
			   "the last of 200000 elements");
		json_locs_free(locs);
		json_decref(root);
	}
	free(text);
}

void test_locations(void)
{
	test_members_and_elements();
	test_duplicates();
	test_big();
	expect_loc(json_loc_offset("ab\n\u00e9\u00e9x", 7), 2, 3, "of a byte offset");
}
