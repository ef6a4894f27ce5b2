/* SPDX-License-Identifier: GPL-2.0 */
/* A policy plus the additions learn_suggest() found for one of its roles. */
#pragma once

#include <jansson.h>

/*
 * Add the additions (the fragment's "additions" member) to the role
 * role_key of policy, a whole policy as JSON, in place. A file or
 * execution rule on a pattern the role already allows takes the union of
 * the letters instead of a second rule (two allows of one file with other
 * letters are an error); capabilities join the list, or, for a role without
 * one, the default set it had. Returns 0, or -1 with *why set (static text)
 * when the role is not there or out of memory.
 */
int merge_additions(json_t *policy, const char *role_key, const json_t *additions, const char **why);
