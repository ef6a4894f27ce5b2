// SPDX-License-Identifier: GPL-2.0
/*
 * A policy of several files: the main policy, then its fragments in the
 * order given (bpfjailer-policy(5) FRAGMENTS), joined into one tree before
 * validation, so that every check runs on the whole and each value keeps
 * the file it came from. Roles join by key (the same role in two files
 * must be the same), lists join end to end; what decides how the whole
 * jail loads stays the main policy's.
 *
 * The joined tree borrows every value from the files' trees: only the
 * document, "roles" and the joined lists are made here (struct merge),
 * and each value still names its place in its own file.
 */
#include <stdlib.h>
#include <string.h>

#include "fragments.h"

/* Lists a fragment adds to, end to end. */
static const char *const joined_lists[] = {
	"pods", "exec_enrollments", "cgroup_enrollments", "xattr_enrollments", "launch_enrollments",
	"signing_certificates", "signing_keyrings", NULL,
};

/* How the whole jail loads: a package's fragment must not decide it. */
static const char *const main_only[] = { "seal", "on_load_failure", "forwarder_path", "launcher_path", NULL };

static bool listed(const char *const *names, const char *key)
{
	for (size_t i = 0; names[i]; i++)
		if (!strcmp(names[i], key))
			return true;
	return false;
}

/* A node made here, holding what node holds (none when node is NULL). */
static struct json_node *own(struct parser *ps, struct merge *m, const struct json_node *node, enum json_type type)
{
	struct json_node *copy;

	if (m->n_owned == MERGE_MAX_OWNED || !(copy = calloc(1, sizeof(*copy)))) {
		ps->out_of_memory = true;
		return NULL;
	}
	if (node)
		*copy = *node;
	copy->type = type;
	copy->replaced = NULL;
	copy->items = NULL;
	if (node && node->n && !(copy->items = calloc(node->n, sizeof(*copy->items)))) {
		free(copy);
		ps->out_of_memory = true;
		return NULL;
	}
	if (node && node->n)
		memcpy(copy->items, node->items, node->n * sizeof(*copy->items));
	m->owned[m->n_owned++] = copy;
	return copy;
}

static bool owned(const struct merge *m, const struct json_node *node)
{
	for (size_t i = 0; i < m->n_owned; i++)
		if (m->owned[i] == node)
			return true;
	return false;
}

static bool push(struct parser *ps, struct json_node *into, struct json_node *item)
{
	struct json_node **items = reallocarray(into->items, into->n + 1, sizeof(*items));

	if (!items) {
		ps->out_of_memory = true;
		return false;
	}
	into->items = items;
	into->items[into->n++] = item;
	return true;
}

/*
 * The document's member under key as a node made here, so that it can
 * take more: the main policy's copied, or a new one like from. NULL when
 * the main policy's is of another type (its own check reports it).
 */
static struct json_node *joined_member(struct parser *ps, struct merge *m, struct json_node *from)
{
	struct json_node *root = m->root;

	for (size_t i = 0; i < root->n; i++) {
		struct json_node *member = root->items[i];

		if (strcmp(member->key, from->key))
			continue;
		if (member->type != from->type || owned(m, member))
			return member->type == from->type ? member : NULL;
		member = own(ps, m, member, member->type);
		if (member)
			root->items[i] = member;
		return member;
	}
	from = own(ps, m, from, from->type);
	if (!from)
		return NULL;
	from->n = 0;
	return push(ps, root, from) ? from : NULL;
}

/* A fragment's roles: new keys join, a key already there must hold the same role. */
static void join_roles(struct parser *ps, struct merge *m, struct json_node *roles)
{
	struct json_node *into = joined_member(ps, m, roles);

	for (size_t i = 0; into && i < roles->n; i++) {
		struct json_node *role = roles->items[i];
		const struct json_node *there = json_get(into, role->key);

		if (!there)
			push(ps, into, role);
		else if (!json_equal(there, role))
			report(ps, BJ_ERROR, role->key_loc, role, "role \"%s\" is already defined, differently, at "
			       "%s:%u:%u (a role given in two files must be the same in both)", role->key,
			       ps->files[there->key_loc.file], there->key_loc.line, there->key_loc.column);
	}
}

static void join_fragment(struct parser *ps, struct merge *m, struct json_node *fragment)
{
	if (fragment->type != JT_OBJECT) {
		error(ps, fragment, "expected an object at the top level of a policy fragment, got %s",
		      json_type_name(fragment->type));
		return;
	}
	for (size_t i = 0; i < fragment->n; i++) {
		struct json_node *member = fragment->items[i];
		const char *key = member->key;
		bool roles = !strcmp(key, "roles");
		struct json_node *into;

		if (!strcmp(key, "$schema"))
			continue;
		if (listed(main_only, key)) {
			report(ps, BJ_ERROR, member->key_loc, member, "only the main policy may set %s: a fragment "
			       "must not change how the whole jail loads", key);
		} else if (!roles && !listed(joined_lists, key)) {
			report(ps, BJ_ERROR, member->key_loc, member, "unknown key \"%s\" in a policy fragment "
			       "(expected roles, or a list: pods, exec_enrollments, cgroup_enrollments, "
			       "xattr_enrollments, launch_enrollments, signing_certificates, signing_keyrings)", key);
		} else if (member->type != (roles ? JT_OBJECT : JT_ARRAY)) {
			type_error(ps, member, roles ? "an object of roles by name" : "an array");
		} else if (roles) {
			join_roles(ps, m, member);
		} else if ((into = joined_member(ps, m, member))) {
			for (size_t j = 0; j < member->n && push(ps, into, member->items[j]); j++)
				;
		}
	}
}

const struct json_node *merge_files(struct parser *ps, struct merge *m, struct json_node *const *roots, size_t n)
{
	*m = (struct merge){ 0 };
	if (n == 1 || roots[0]->type != JT_OBJECT)
		return roots[0];
	m->root = own(ps, m, roots[0], JT_OBJECT);
	for (size_t i = 1; m->root && i < n; i++)
		join_fragment(ps, m, roots[i]);
	return m->root;
}

void merge_free(struct merge *m)
{
	for (size_t i = 0; i < m->n_owned; i++) {
		free(m->owned[i]->items);
		free(m->owned[i]);
	}
	*m = (struct merge){ 0 };
}
