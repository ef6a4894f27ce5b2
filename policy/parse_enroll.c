// SPDX-License-Identifier: GPL-2.0
/* Pods, and the enrollments that put processes into a role: by executable, cgroup, xattr or launcher. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "suggest.h"

/* The index of the role a reference names, or -1 after an error. */
static ssize_t get_role_ref(struct parser *ps, const struct json_node *v)
{
	struct suggestion s = { .budget = &ps->advice_budget };
	ssize_t index;

	if (!get_string(ps, v, &s.typed) || !ps->roles) /* no roles: already reported */
		return -1;
	index = index_map_get(&ps->role_by_key, s.typed);
	if (index >= 0)
		return index;
	for (size_t i = 0; i < ps->roles->n && ps->advice_budget; i++)
		suggest_consider(&s, ps->roles->items[i]->key);
	if (s.best)
		error(ps, v, "unknown role \"%s\" (did you mean \"%s\"?)", s.typed, s.best);
	else
		error(ps, v, "unknown role \"%s\" (expected a key of \"roles\")", s.typed);
	return -1;
}

/* One pod, one role: a contradiction of an earlier claim by `by` is reported at at. */
/*
 * Where the earlier of two items that clash is, for the message about the
 * later one, at: its JSON path, and its file when another (elsewhere()).
 * NULL when out of memory.
 */
static char *place(struct parser *ps, const struct json_node *at, const struct json_node *earlier)
{
	char *path = json_path(earlier), *where = NULL;

	if (path && asprintf(&where, "%s%s", path, elsewhere(ps, at->loc, earlier->loc)) < 0)
		where = NULL;
	free(path);
	if (!where)
		ps->out_of_memory = true;
	return where;
}

static void claim_pod(struct parser *ps, const struct json_node *by, const struct json_node *at, uint64_t pod,
		      size_t role, bool listed)
{
	const struct bj_role *roles = ps->policy->roles;
	ssize_t first = index_map_get_number(&ps->pod_claims, pod);
	const struct pod_claim *claim;
	struct pod_claim *added;
	char *where;

	if (first < 0) {
		added = vec_push(&ps->claims);
		if (!added || index_map_put_number(&ps->pod_claims, pod, ps->claims.n - 1)) {
			ps->out_of_memory = true;
			return;
		}
		*added = (struct pod_claim){ .role = role, .by = by, .listed = listed };
		return;
	}
	claim = (const struct pod_claim *)ps->claims.items + first;
	if (claim->role == role)
		return;
	where = json_path(claim->by);
	if (!where) {
		ps->out_of_memory = true;
		return;
	}
	if (claim->listed)
		error(ps, at, "pod %" PRIu64 " is listed in %s%s with role_id %" PRIu32 " (role \"%s\"), not role "
			      "\"%s\" (id %" PRIu32 ")", pod, where, elsewhere(ps, at->loc, claim->by->loc),
		      roles[claim->role].id, roles[claim->role].key, roles[role].key, roles[role].id);
	else
		error(ps, at, "pod %" PRIu64 " is already enrolled with role \"%s\" by %s%s; a pod has one role", pod,
		      roles[claim->role].key, where, elsewhere(ps, at->loc, claim->by->loc));
	free(where);
}

/* --- pods --- */

static void pod_stack_depth(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	struct bj_pod *pod = o->out;
	long long depth;

	(void)f;
	if (!get_int(ps, v, 0, UINT8_MAX, "a stack depth", "0..255", &depth))
		return;
	pod->stack_depth = (uint8_t)depth;
	/* Said, not silently ignored: the original BpfJailer's field has no meaning here. */
	if (depth > 1)
		warning(ps, v, "stack_depth %lld has no effect: roles do not stack, an enrolled process keeps its "
			       "first role", depth);
}

static const struct field pod_fields[] = {
	{ .key = "id", .missing = "expected an integer 1 or more" },
	{ .key = "role_id", .missing = "expected the id of a role" },
	{ .key = "stack_depth", .parse = pod_stack_depth },
	{ 0 },
};

void parse_pod(struct parser *ps, const struct json_node *v, void *item)
{
	const struct json_node *id, *role_id;
	struct bj_pod *pod = item;
	ssize_t other, role;
	char *where;
	bool id_ok, role_ok;
	struct object o;

	if (!parse_located_object(ps, v, pod_fields, pod, &pod->loc, &pod->json_path, &o))
		return;
	id = object_member(&o, "id");
	role_id = object_member(&o, "role_id");
	id_ok = id && get_pod_id(ps, id, &pod->id);
	role_ok = role_id && get_role_id(ps, role_id, &pod->role_id);
	if (!id_ok)
		return;
	other = index_map_get_number(&ps->listed_pods, pod->id);
	if (other >= 0) {
		where = place(ps, id, ps->list->items[other]);
		if (where)
			error(ps, id, "pod %" PRIu64 " is already listed at %s", pod->id, where);
		free(where);
		return;
	}
	if (index_map_put_number(&ps->listed_pods, pod->id, (size_t)(pod - ps->policy->pods)))
		ps->out_of_memory = true;
	if (!role_ok || !ps->role_ids_known)
		return;
	role = index_map_get_number(&ps->role_by_id, pod->role_id);
	if (role < 0)
		error(ps, role_id, "role_id %" PRIu32 " is not the id of any role", pod->role_id);
	else
		claim_pod(ps, v, v, pod->id, (size_t)role, true);
}

/* --- exec and cgroup enrollments --- */

/*
 * Where cgroup v2 is mounted (/sys/fs/cgroup, /sys/fs/cgroup/unified, ...)
 * is the host's: the bootstrap places each cgroup_path on the host's cgroup2
 * mount, and refuses one that is not on it. "/" is a cgroup nowhere.
 */
static bool check_cgroup_path(struct parser *ps, const struct json_node *v, const char *path)
{
	if (!strcmp(path, "/")) {
		error(ps, v, "cgroup_path \"/\" is not a cgroup (expected a cgroup v2 path such as "
			     "\"/sys/fs/cgroup/bpfjailer/sandbox\")");
		return false;
	}
	return true;
}

/* The path of an exec or cgroup enrollment: the first enrollment of a path owns it. */
static void enrollment_path(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	bool cgroup = !strcmp(f->key, "cgroup_path");
	struct index_map *owners = cgroup ? &ps->cgroup_paths : &ps->exec_paths;
	const struct bj_path_enrollment *first = cgroup ? ps->policy->cgroup_enrollments : ps->policy->exec_enrollments;
	struct bj_path_enrollment *en = o->out;
	char *where;
	ssize_t other;

	en->path = get_path(ps, v, f->key, false);
	if (!en->path || (cgroup && !check_cgroup_path(ps, v, en->path)))
		return;
	locate(ps, v, &en->loc, &en->json_path);
	other = index_map_get(owners, en->path);
	if (other < 0) {
		if (index_map_put(owners, en->path, (size_t)(en - first)))
			ps->out_of_memory = true;
		return;
	}
	where = place(ps, v, ps->list->items[other]);
	if (where)
		error(ps, v, "%s %s is already enrolled by %s", cgroup ? "cgroup" : "executable", en->path, where);
	free(where);
}

static const struct field exec_enrollment_fields[] = {
	{ .key = "executable_path", .parse = enrollment_path, .missing = "expected an absolute path" },
	{ .key = "pod_id", .missing = "expected an integer 1 or more" },
	{ .key = "role", .missing = "expected the key of a role under \"roles\"" },
	{ 0 },
};

static const struct field cgroup_enrollment_fields[] = {
	{ .key = "cgroup_path", .parse = enrollment_path, .missing = "expected an absolute path" },
	{ .key = "pod_id", .missing = "expected an integer 1 or more" },
	{ .key = "role", .missing = "expected the key of a role under \"roles\"" },
	{ 0 },
};

static void parse_path_enrollment(struct parser *ps, const struct json_node *v, struct bj_path_enrollment *en,
				  const struct field *fields)
{
	const struct json_node *pod_id, *role;
	ssize_t index = -1;
	bool pod_ok;
	struct object o;

	if (!parse_located_object(ps, v, fields, en, &en->loc, &en->json_path, &o))
		return;
	pod_id = object_member(&o, "pod_id");
	role = object_member(&o, "role");
	pod_ok = pod_id && get_pod_id(ps, pod_id, &en->pod_id);
	if (role)
		index = get_role_ref(ps, role);
	if (index < 0)
		return;
	en->role = (size_t)index;
	if (pod_ok)
		claim_pod(ps, v, role, en->pod_id, en->role, false);
}

void parse_exec_enrollment(struct parser *ps, const struct json_node *v, void *item)
{
	parse_path_enrollment(ps, v, item, exec_enrollment_fields);
}

void parse_cgroup_enrollment(struct parser *ps, const struct json_node *v, void *item)
{
	parse_path_enrollment(ps, v, item, cgroup_enrollment_fields);
}

/* --- enrollments by role: xattr and launcher --- */

static const struct field role_enrollment_fields[] = {
	{ .key = "role", .missing = "expected the key of a role under \"roles\"" },
	{ .key = "pod_id" },
	{ 0 },
};

/* One item of xattr_enrollments or launch_enrollments: each role once per list (listed: key -> index). */
static void parse_role_enrollment(struct parser *ps, const struct json_node *v, struct bj_role_enrollment *en,
				  struct index_map *listed, const struct bj_role_enrollment *first)
{
	const struct json_node *role, *pod_id;
	char *where;
	ssize_t index = -1, other;
	struct object o;

	if (!parse_located_object(ps, v, role_enrollment_fields, en, &en->loc, &en->json_path, &o))
		return;
	role = object_member(&o, "role");
	pod_id = object_member(&o, "pod_id");
	if (role)
		index = get_role_ref(ps, role);
	if (index >= 0) {
		en->role = (size_t)index;
		other = index_map_get(listed, role->string);
		where = other >= 0 ? place(ps, role, ps->list->items[other]) : NULL;
		if (where)
			error(ps, role, "role \"%s\" is already listed at %s", role->string, where);
		else if (other < 0 && index_map_put(listed, role->string, (size_t)(en - first)))
			ps->out_of_memory = true;
		free(where);
	}
	if (pod_id && get_pod_id(ps, pod_id, &en->pod_id)) {
		en->has_pod = true;
		if (index >= 0)
			claim_pod(ps, v, role, en->pod_id, en->role, false);
	}
}

void parse_xattr_enrollment(struct parser *ps, const struct json_node *v, void *item)
{
	parse_role_enrollment(ps, v, item, &ps->xattr_roles, ps->policy->xattr_enrollments);
}

void parse_launch_enrollment(struct parser *ps, const struct json_node *v, void *item)
{
	parse_role_enrollment(ps, v, item, &ps->launch_roles, ps->policy->launch_enrollments);
}
