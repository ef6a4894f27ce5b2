// SPDX-License-Identifier: GPL-2.0
/* The printed form of diagnostics, and --strict. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "tests.h"

static void expect_printed(const struct bj_diags *diags, const char *want, const char *what)
{
	char *got = diags_text(diags, "p.json");

	if (!check(!strcmp(got, want), "diags: %s", what)) {
		note("expected: %s", want);
		note("got:      %s", got);
	}
	free(got);
}

void test_diags(void)
{
	struct bj_diags diags;

	diags_init(&diags);
	diags_add(&diags, BJ_ERROR, (struct bj_loc){ .line = 3, .column = 17 },
		  "roles.webserver.network_rules[2].port_end",
		  "%d is not a port (expected 1..65535)", 70000);
	expect_printed(&diags,
		       "p.json:3:17: error: roles.webserver.network_rules[2].port_end: 70000 is not a port "
		       "(expected 1..65535)\n",
		       "file, line, column, path and message");
	diags_free(&diags);

	diags_add(&diags, BJ_WARNING, (struct bj_loc){ 0 }, "", "no location, no path");
	diags_add(&diags, BJ_ERROR, (struct bj_loc){ .line = 1, .column = 0 }, "", "no column");
	expect_printed(&diags, "p.json: warning: no location, no path\np.json:1: error: no column\n",
		       "unknown location and document path are left out");
	check(diags.n == 2 && diags.n_errors == 1, "diags: counts errors only");
	diags_free(&diags);

	diags_add(&diags, BJ_ERROR, (struct bj_loc){ .line = 2, .column = 1 }, "roles[\"a\\nb\"]", "key \"%s\"", "x\ny\x1b");
	expect_printed(&diags, "p.json:2:1: error: roles[\"a\\nb\"]: key \"x\\ny\\x1b\"\n",
		       "control characters are escaped, one line per diagnostic");
	diags_free(&diags);

	diags_add(&diags, BJ_WARNING, (struct bj_loc){ .line = 4, .column = 2 }, "seal", "w1");
	diags_add(&diags, BJ_ERROR, (struct bj_loc){ .line = 5, .column = 2 }, "", "e1");
	diags_add(&diags, BJ_WARNING, (struct bj_loc){ .line = 6, .column = 2 }, "", "w2");
	diags_promote_warnings(&diags);
	check(diags.n_errors == 3, "diags: promote makes every warning an error");
	expect_printed(&diags, "p.json:4:2: error: seal: w1\np.json:5:2: error: e1\np.json:6:2: error: w2\n",
		       "promoted warnings print as errors");
	diags_free(&diags);
	check(diags.n == 0 && !diags.items, "diags: free leaves an empty list");
}
