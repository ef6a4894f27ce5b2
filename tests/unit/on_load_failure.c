// SPDX-License-Identifier: GPL-2.0
/* policy_on_load_failure(): what a failed load at boot does, read even from an invalid policy. */
#include <string.h>

#include "check.h"
#include "policy.h"
#include "tests.h"

#define UTF8_BOM "\xef\xbb\xbf"

struct read_case {
	const char *what;
	const char *text;
	bool found;
	enum bj_on_load_failure action;
};

static const struct read_case cases[] = {
	{ "emergency", "{\"roles\": {}, \"on_load_failure\": \"emergency\"}", true, BJ_ON_LOAD_FAILURE_EMERGENCY },
	{ "continue", "{\"roles\": {}, \"on_load_failure\": \"continue\"}", true, BJ_ON_LOAD_FAILURE_CONTINUE },
	{ "not set: the default", "{\"roles\": {}}", false, BJ_ON_LOAD_FAILURE_CONTINUE },
	{ "the rest of the policy invalid", "{\"roles\": {\"r\": {\"id\": 0}}, \"on_load_failure\": \"emergency\"}",
	  true, BJ_ON_LOAD_FAILURE_EMERGENCY },
	{ "a duplicated key elsewhere", "{\"roles\": {\"r\": {\"id\": 1, \"id\": 2}}, \"on_load_failure\": \"emergency\"}",
	  true, BJ_ON_LOAD_FAILURE_EMERGENCY },
	{ "after a byte order mark", UTF8_BOM "{\"on_load_failure\": \"emergency\"}", true,
	  BJ_ON_LOAD_FAILURE_EMERGENCY },
	{ "not JSON", "{\"on_load_failure\": \"emergency\"", false, BJ_ON_LOAD_FAILURE_CONTINUE },
	{ "an unknown action", "{\"on_load_failure\": \"halt\"}", false, BJ_ON_LOAD_FAILURE_CONTINUE },
	{ "actions are case-sensitive", "{\"on_load_failure\": \"Emergency\"}", false, BJ_ON_LOAD_FAILURE_CONTINUE },
	{ "not a string", "{\"on_load_failure\": 1}", false, BJ_ON_LOAD_FAILURE_CONTINUE },
	{ "only at the top level", "{\"roles\": {\"on_load_failure\": \"emergency\"}}", false,
	  BJ_ON_LOAD_FAILURE_CONTINUE },
	{ "a top-level array", "[\"on_load_failure\", \"emergency\"]", false, BJ_ON_LOAD_FAILURE_CONTINUE },
	{ "empty", "", false, BJ_ON_LOAD_FAILURE_CONTINUE },
};

void test_on_load_failure(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct read_case *c = &cases[i];
		enum bj_on_load_failure action = BJ_ON_LOAD_FAILURE_EMERGENCY + 1; /* the call must set it */
		bool found = policy_on_load_failure(c->text, strlen(c->text), &action);

		if (!check(found == c->found && action == c->action, "on_load_failure: %s", c->what))
			note("found %d, action %d; expected %d, %d", found, action, c->found, c->action);
	}
}
