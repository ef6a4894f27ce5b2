// SPDX-License-Identifier: GPL-2.0
/*
 * policy_parse(): JSON text in, a validated struct bj_policy out, and every
 * problem found on the way reported with its line, column and JSON path.
 * The document's table is here; the parts of the format are in parse_*.c
 * (see parser.h).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fragments.h"
#include "parser.h"

#define UTF8_BOM "\xef\xbb\xbf"

const char *const bj_on_load_failure_names[] = { "continue", "emergency", NULL };

#define POLICY_LIST(name, member, count, item, handler) { .key = name, .types = T(JT_ARRAY), .parse = handler, \
	.offset = offsetof(struct bj_policy, member), \
	.list = &(const struct list){ sizeof(*((struct bj_policy *)0)->member), item, offsetof(struct bj_policy, count) } }

static void policy_xattrs(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	ps->policy->xattr_enrollments_loc = v->loc;
	field_list(ps, o, f, v);
}

static void policy_launches(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	ps->policy->launch_enrollments_loc = v->loc;
	field_list(ps, o, f, v);
}

static void policy_forwarder(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	(void)o;
	ps->policy->forwarder_path = get_path(ps, v, f->key, false);
	ps->policy->forwarder_loc = v->loc;
}

static void policy_launcher(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	(void)o;
	ps->policy->launcher_path = get_path(ps, v, f->key, false);
	ps->policy->launcher_loc = v->loc;
	/* launch_enrollments comes first in the table: its count is known here. */
	if (ps->policy->launcher_path && !ps->policy->n_launch_enrollments)
		warning(ps, v, "launcher_path has no effect: launch_enrollments lists no role");
}

static void policy_seal(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	field_bool(ps, o, f, v);
	if (ps->policy->seal && !object_member(o, "forwarder_path"))
		warning(ps, v, "seal is true and no forwarder_path is set: nothing will be able to read the audit "
			       "buffer");
}

static const struct choice on_load_failure = {
	.names = bj_on_load_failure_names,
	.values = (const uint8_t[]){ BJ_ON_LOAD_FAILURE_CONTINUE, BJ_ON_LOAD_FAILURE_EMERGENCY },
	.what = "action",
	.expected = "continue or emergency",
};

/* Pods come before the enrollments: where an enrollment contradicts a listed pod, the listing wins. */
static const struct field policy_fields[] = {
	{ .key = "roles", .types = T(JT_OBJECT), .expected = "an object of roles by name", .parse = parse_roles,
	  .missing = "expected an object of roles by name" },
	POLICY_LIST("pods", pods, n_pods, parse_pod, field_list),
	POLICY_LIST("exec_enrollments", exec_enrollments, n_exec_enrollments, parse_exec_enrollment, field_list),
	POLICY_LIST("cgroup_enrollments", cgroup_enrollments, n_cgroup_enrollments, parse_cgroup_enrollment,
		    field_list),
	POLICY_LIST("xattr_enrollments", xattr_enrollments, n_xattr_enrollments, parse_xattr_enrollment,
		    policy_xattrs),
	POLICY_LIST("launch_enrollments", launch_enrollments, n_launch_enrollments, parse_launch_enrollment,
		    policy_launches),
	{ .key = "launcher_path", .parse = policy_launcher },
	POLICY_LIST("signing_certificates", certificates, n_certificates, parse_certificate, field_list),
	{ .key = "signing_keyrings", .types = T(JT_ARRAY), .parse = parse_keyrings },
	{ .key = "seal", .types = T_BOOL, .parse = policy_seal, .offset = offsetof(struct bj_policy, seal) },
	{ .key = "forwarder_path", .parse = policy_forwarder },
	{ .key = "on_load_failure", .parse = field_choice, .offset = offsetof(struct bj_policy, on_load_failure),
	  .choice = &on_load_failure },
	/* The JSON Schema an editor validates the file against (bpfjailer-policy.schema.json): not the jail's. */
	{ .key = "$schema", .types = T(JT_STRING), .hidden = true },
	{ 0 },
};

/* RFC 8259 lets a parser skip a byte order mark; editors show none, so columns agree. */
static void skip_bom(const char **text, size_t *len)
{
	if (*len >= 3 && !memcmp(*text, UTF8_BOM, 3)) {
		*text += 3;
		*len -= 3;
	}
}

/* The tree of file number file, or NULL after reporting why there is none. */
static struct json_node *load(struct parser *ps, const struct bj_policy_file *f, unsigned file)
{
	const char *text = f->text;
	size_t len = f->len;
	struct json_node *root;
	struct json_error err;
	const char *nul;
	struct bj_loc at;

	skip_bom(&text, &len);
	nul = memchr(text, '\0', len);
	if (nul) {
		at = json_loc_offset(text, (size_t)(nul - text));
		at.file = file;
		report(ps, BJ_ERROR, at, NULL, "NUL byte in the policy (expected UTF-8 text)");
		return NULL;
	}
	switch (json_read(text, len, &root, &err)) {
	case JSON_OK:
		json_set_file(root, file);
		return root;
	case JSON_DUPLICATE:
		json_set_file(root, file);
		err.second.file = file;
		report(ps, BJ_ERROR, err.second, err.object, "duplicate key \"%s\" (first at line %u, column %u)",
		       err.key, err.first.line, err.first.column);
		json_free(root);
		return NULL;
	case JSON_SYNTAX:
		err.loc.file = file;
		report(ps, BJ_ERROR, err.loc, NULL, "invalid JSON: %s", err.text);
		return NULL;
	case JSON_BAD_UTF8:
		err.loc.file = file;
		report(ps, BJ_ERROR, err.loc, NULL, "not UTF-8: %s", err.text);
		return NULL;
	case JSON_NO_MEMORY:
		break;
	}
	ps->out_of_memory = true;
	return NULL;
}

static void parser_fini(struct parser *ps)
{
	struct index_map *maps[] = {
		&ps->role_by_key, &ps->role_by_id,   &ps->role_by_name, &ps->listed_pods,
		&ps->pod_claims,  &ps->exec_paths,   &ps->cgroup_paths, &ps->xattr_roles, &ps->launch_roles,
	};

	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		index_map_free(maps[i]);
	vec_free(&ps->claims);
}

/* Every file's tree, in roots (NULL where a file has none); whether all have one. */
static bool load_all(struct parser *ps, const struct bj_policy_file *files, size_t n, struct json_node **roots)
{
	bool all = true;

	for (size_t i = 0; i < n && !ps->out_of_memory; i++) {
		roots[i] = load(ps, &files[i], (unsigned)i);
		all = all && roots[i];
	}
	return all && !ps->out_of_memory;
}

int policy_parse_files(const struct bj_policy_file *files, size_t n, struct bj_policy **out, struct bj_diags *diags)
{
	const char **names = calloc(n, sizeof(*names));
	struct json_node **roots = calloc(n, sizeof(*roots));
	struct parser ps = {
		.diags = diags,
		.claims = VEC_INIT(struct pod_claim),
		.advice_budget = ADVICE_BUDGET,
		.files = names,
	};
	size_t first = diags->n, errors = diags->n_errors;
	const struct json_node *document;
	struct merge merge = { 0 };
	struct object o;

	*out = NULL;
	for (size_t i = 0; names && i < n; i++)
		names[i] = files[i].origin ? files[i].origin : "";
	/* One file keeps the caller's name for it; several are named by their locations. */
	if (names && n > 1 && diags_set_files(diags, names, n))
		ps.out_of_memory = true;
	ps.policy = calloc(1, sizeof(*ps.policy));
	if (ps.policy && names)
		ps.policy->origin = strdup(names[0]);
	if (!ps.policy || !ps.policy->origin || !roots)
		ps.out_of_memory = true;
	else if (!ps.out_of_memory && load_all(&ps, files, n, roots) && (document = merge_files(&ps, &merge, roots, n)) &&
		 parse_object(&ps, document, policy_fields, ps.policy, "an object at the top level", &o))
		check_signing(&ps);
	if (ps.out_of_memory)
		diags_add(diags, BJ_ERROR, (struct bj_loc){ 0 }, "", "out of memory while reading the policy");
	/* Cross-checks report after the values they compare: put this parse's reports in the order of the files. */
	diags_sort(diags, first);

	parser_fini(&ps);
	merge_free(&merge);
	for (size_t i = 0; roots && i < n; i++)
		json_free(roots[i]);
	free(roots);
	free(names);
	if (diags->n_errors > errors) {
		policy_free(ps.policy);
		return -1;
	}
	*out = ps.policy;
	return 0;
}

int policy_parse(const char *text, size_t len, const char *origin, struct bj_policy **out,
		 struct bj_diags *diags)
{
	const struct bj_policy_file file = { .origin = origin, .text = text, .len = len };

	return policy_parse_files(&file, 1, out, diags);
}

/* Free a list of the policy's items: the strings at the two offsets in each (one when equal), then the list. */
static void free_list(void *list, size_t n, size_t size, size_t first_string, size_t second_string)
{
	for (size_t i = 0; i < n; i++) {
		char *item = (char *)list + i * size;

		free(*(char **)(item + first_string));
		if (second_string != first_string)
			free(*(char **)(item + second_string));
	}
	free(list);
}

/* A list whose items hold their JSON path, and maybe another string. */
#define FREE_LIST(list, n, type, ...) \
	free_list(list, n, sizeof(type), offsetof(type, json_path), offsetof(type, __VA_ARGS__))

static void role_free(struct bj_role *role)
{
	free(role->key);
	free(role->name);
	free(role->json_path);
	FREE_LIST(role->files, role->n_files, struct bj_file_rule, pattern);
	FREE_LIST(role->net, role->n_net, struct bj_net_rule, json_path);
	FREE_LIST(role->ips, role->n_ips, struct bj_ip_rule, json_path);
	FREE_LIST(role->execs, role->n_execs, struct bj_exec_rule, binary_path);
	FREE_LIST(role->devices, role->n_devices, struct bj_device_rule, json_path);
}

void policy_free(struct bj_policy *policy)
{
	if (!policy)
		return;
	for (size_t i = 0; i < policy->n_roles; i++)
		role_free(&policy->roles[i]);
	free(policy->roles);
	FREE_LIST(policy->pods, policy->n_pods, struct bj_pod, json_path);
	FREE_LIST(policy->exec_enrollments, policy->n_exec_enrollments, struct bj_path_enrollment, path);
	FREE_LIST(policy->cgroup_enrollments, policy->n_cgroup_enrollments, struct bj_path_enrollment, path);
	FREE_LIST(policy->xattr_enrollments, policy->n_xattr_enrollments, struct bj_role_enrollment, json_path);
	FREE_LIST(policy->launch_enrollments, policy->n_launch_enrollments, struct bj_role_enrollment, json_path);
	FREE_LIST(policy->certificates, policy->n_certificates, struct bj_certificate, path);
	free(policy->forwarder_path);
	free(policy->launcher_path);
	free(policy->origin);
	free(policy);
}

bool policy_on_load_failure(const char *text, size_t len, enum bj_on_load_failure *action)
{
	const struct json_node *v = NULL;
	enum json_status status;
	struct json_node *root;
	struct json_error err;
	int found = -1;

	skip_bom(&text, &len);
	status = json_read(text, len, &root, &err);
	/* A duplicated key elsewhere must not hide this one; duplicated itself, its last value counts. */
	if (status == JSON_OK || status == JSON_DUPLICATE)
		v = json_get(root, "on_load_failure");
	for (int i = 0; v && v->type == JT_STRING && bj_on_load_failure_names[i]; i++)
		if (!strcmp(v->string, bj_on_load_failure_names[i]))
			found = i;
	json_free(root);
	*action = found < 0 ? BJ_ON_LOAD_FAILURE_CONTINUE : (enum bj_on_load_failure)found;
	return found >= 0;
}

const char *policy_launcher_path(const struct bj_policy *policy)
{
	return policy->launcher_path ? policy->launcher_path : BJ_LAUNCHER_DEFAULT;
}

ssize_t policy_role_by_key(const struct bj_policy *policy, const char *key)
{
	for (size_t i = 0; i < policy->n_roles; i++)
		if (!strcmp(policy->roles[i].key, key))
			return (ssize_t)i;
	return -1;
}
