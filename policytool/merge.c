// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <string.h>

#include "caps.h"
#include "merge.h"

/* Patterns spelled alike once a trailing slash, or a trailing "**", which change nothing, are gone. */
static bool same_pattern(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la > 1 && (a[la - 1] == '/' || (la > 2 && !strncmp(a + la - 3, "/**", 3))))
		la -= a[la - 1] == '/' ? 1 : 2;
	while (lb > 1 && (b[lb - 1] == '/' || (lb > 2 && !strncmp(b + lb - 3, "/**", 3))))
		lb -= b[lb - 1] == '/' ? 1 : 2;
	return la == lb && !strncmp(a, b, la);
}

/* The array member key of obj, made when missing; NULL when it is something else or out of memory. */
static json_t *array_member(json_t *obj, const char *key)
{
	json_t *a = json_object_get(obj, key);

	if (a)
		return json_is_array(a) ? a : NULL;
	a = json_array();
	if (!a || json_object_set_new(obj, key, a))
		return NULL;
	return a;
}

/* The letters of both, in the order rwx. */
static json_t *union_letters(const char *a, const char *b)
{
	char out[4], *p = out;

	for (const char *l = "rwx"; *l; l++)
		if (strchr(a, *l) || strchr(b, *l))
			*p++ = *l;
	*p = '\0';
	return json_string(out);
}

static int merge_rules(json_t *role, const char *member, const char *key, const json_t *adds)
{
	json_t *list = array_member(role, member), *add;
	size_t i, j;

	if (!list)
		return -1;
	json_array_foreach(adds, i, add) {
		const char *pattern = json_string_value(json_object_get(add, key));
		bool merged = !key && json_array_append(list, (json_t *)add); /* network rules: just added */
		json_t *old;

		if (!key) {
			if (merged)
				return -1;
			continue;
		}

		json_array_foreach(list, j, old) {
			const char *was = json_string_value(json_object_get(old, key));
			json_t *access = json_object_get(old, "access");

			if (merged || !was || !same_pattern(was, pattern) || !json_is_true(json_object_get(old, "allow")))
				continue;
			merged = true;
			/* an execution rule, or a file rule of the default "rwx", grants all there is already */
			if (json_is_string(access) &&
			    json_object_set_new(old, "access",
						union_letters(json_string_value(access),
							      json_string_value(json_object_get(add, "access")))))
				return -1;
		}
		if (!merged && json_array_append(list, (json_t *)add))
			return -1;
	}
	return 0;
}

static bool listed(const json_t *list, const char *name)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
		if (json_is_string(e) && !strcmp(json_string_value(e), name))
			return true;
	return false;
}

static int merge_names(json_t *role, const char *member, const json_t *adds, uint64_t defaults,
		       const char *(*name)(unsigned), unsigned count)
{
	bool had = json_object_get(role, member) != NULL;
	json_t *list = array_member(role, member), *add;
	size_t i;

	if (!list)
		return -1;
	/* a role without the list had the defaults: writing one must keep them */
	for (unsigned n = 0; !had && n < count; n++)
		if (defaults & BJ_BIT(n) && json_array_append_new(list, json_string(name(n))))
			return -1;
	json_array_foreach(adds, i, add)
		if (!listed(list, json_string_value(add)) && json_array_append(list, add))
			return -1;
	return 0;
}

int merge_additions(json_t *policy, const char *role_key, const json_t *additions, const char **why)
{
	json_t *role = json_object_get(json_object_get(policy, "roles"), role_key);
	const json_t *a;

	if (!json_is_object(role)) {
		*why = "the policy has no such role";
		return -1;
	}
	*why = "out of memory, or a member of the role is not an array";
	if ((a = json_object_get(additions, "file_paths")) && merge_rules(role, "file_paths", "pattern", a))
		return -1;
	if ((a = json_object_get(additions, "execution_rules")) &&
	    merge_rules(role, "execution_rules", "binary_path", a))
		return -1;
	if ((a = json_object_get(additions, "network_rules")) && merge_rules(role, "network_rules", NULL, a))
		return -1;
	if ((a = json_object_get(additions, "capabilities")) &&
	    merge_names(role, "capabilities", a, bj_default_caps(), bj_cap_name, BJ_CAP_COUNT))
		return -1;
	/* the list adds to the default families: nothing to keep */
	if ((a = json_object_get(additions, "address_families")) &&
	    merge_names(role, "address_families", a, 0, bj_family_name, BJ_AF_COUNT))
		return -1;
	return 0;
}
