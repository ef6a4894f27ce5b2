// SPDX-License-Identifier: GPL-2.0
/* "roles": each role's id, name, flags, lists of rules, and what it keeps of the powers of root. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bpfjailer.h"
#include "caps.h"
#include "parser.h"
#include "suggest.h"

#define FLAG(name, flag) { .key = name, .types = T_BOOL, .parse = field_flag, \
			   .offset = offsetof(struct bj_role, flags), .bit = flag }

static const struct field flag_fields[] = {
	FLAG("allow_file_access", BJ_FLAG_FILE),
	FLAG("allow_network", BJ_FLAG_NETWORK),
	FLAG("allow_exec", BJ_FLAG_EXEC),
	FLAG("allow_setuid", BJ_FLAG_SETUID),
	FLAG("allow_ptrace", BJ_FLAG_PTRACE),
	FLAG("allow_module_load", BJ_FLAG_MODULE_LOAD),
	FLAG("allow_bpf_load", BJ_FLAG_BPF_LOAD),
	FLAG("allow_kernel_tunables", BJ_FLAG_KERNEL_TUNABLES),
	FLAG("allow_abstract_unix", BJ_FLAG_ABSTRACT_UNIX),
	FLAG("require_signed_binary", BJ_FLAG_SIGNED),
	{ .key = "require_proxy", .types = T_BOOL, .parse = field_unsupported,
	  .message = "require_proxy needs the original BpfJailer's proxy, which is daemon-only and not "
		     "supported in daemonless mode (set it to false)" },
	{ 0 },
};

static void role_flags(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	struct object flags;

	(void)f;
	parse_object(ps, v, flag_fields, o->out, "an object", &flags);
}

static void role_id(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	struct bj_role *role = o->out;
	ssize_t other;

	(void)f;
	if (!v || !get_role_id(ps, v, &role->id)) {
		ps->role_ids_known = false;
		return;
	}
	other = index_map_get_number(&ps->role_by_id, role->id);
	if (other >= 0)
		error(ps, v, "role id %u is already used by role \"%s\"%s", role->id, ps->policy->roles[other].key,
		      elsewhere(ps, v->loc, ps->policy->roles[other].loc));
	else if (index_map_put_number(&ps->role_by_id, role->id, (size_t)(role - ps->policy->roles)))
		ps->out_of_memory = true;
}

/* The informational name, the key when there is none: unique either way. */
static void role_name(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	struct bj_role *role = o->out;
	const char *name = role->key;
	ssize_t other;

	(void)f;
	if (v && !get_string(ps, v, &name))
		return;
	role->name = strdup(name);
	if (!role->name) {
		ps->out_of_memory = true;
		return;
	}
	other = index_map_get(&ps->role_by_name, name);
	if (other < 0 && index_map_put(&ps->role_by_name, name, (size_t)(role - ps->policy->roles)))
		ps->out_of_memory = true;
	else if (other >= 0 && v)
		error(ps, v, "name \"%s\" is already used by role \"%s\"%s", name, ps->policy->roles[other].key,
		      elsewhere(ps, v->loc, ps->policy->roles[other].loc));
	else if (other >= 0)
		error(ps, o->node, "name \"%s\" (taken from the key) is already used by role \"%s\"%s", name,
		      ps->policy->roles[other].key, elsewhere(ps, o->node->loc, ps->policy->roles[other].loc));
}

/* --- what a role keeps: capabilities, address families --- */

/* A table of names (caps.h) as the parser reads lists of them. */
struct name_table {
	const char *what;        /* "capability", in messages */
	const char *expected;    /* offered when no name is close */
	size_t prefix;           /* length of "CAP_": "net_raw" is taken for "CAP_NET_RAW" */
	unsigned first;          /* lowest number a policy may list */
	const char *below_first; /* why a name below it cannot be listed */
	int (*by_name)(const char *name);
	const char *(*name_of)(unsigned n);
};

static const struct name_table cap_names = {
	.what = "capability",
	.expected = "a name such as \"CAP_NET_RAW\", see capabilities(7)",
	.prefix = 4,
	.by_name = bj_cap_by_name,
	.name_of = bj_cap_name,
};

static const struct name_table family_names = {
	.what = "address family",
	.expected = "a name such as \"AF_PACKET\", see address_families(7)",
	.prefix = 3,
	.first = 1,
	.below_first = "is not an address family a socket can have, so it cannot be granted",
	.by_name = bj_family_by_name,
	.name_of = bj_family_name,
};

/* The name typed was meant to be: the same ignoring case or prefix, else the closest one. */
static const char *closest_name(struct parser *ps, const struct name_table *t, const char *typed)
{
	struct suggestion s = { .typed = typed, .budget = &ps->advice_budget };
	const char *name;

	if (!ps->advice_budget)
		return NULL;
	for (unsigned i = t->first; (name = t->name_of(i)); i++)
		if (!strcasecmp(typed, name) || !strcasecmp(typed, name + t->prefix))
			return name;
	for (unsigned i = t->first; (name = t->name_of(i)); i++)
		suggest_consider(&s, name);
	return s.best;
}

/* The number of a name in t, or -1 after reporting it. */
static int get_table_name(struct parser *ps, const struct json_node *v, const struct name_table *t)
{
	const char *s, *best;
	int n;

	if (!get_string(ps, v, &s))
		return -1;
	n = t->by_name(s);
	if (n >= (int)t->first)
		return n;
	if (n >= 0) {
		error(ps, v, "%s %s", s, t->below_first);
		return -1;
	}
	best = closest_name(ps, t, s);
	if (best)
		error(ps, v, "unknown %s \"%s\" (did you mean \"%s\"?)", t->what, s, best);
	else
		error(ps, v, "unknown %s \"%s\" (expected %s)", t->what, s, t->expected);
	return -1;
}

/* An array of names into the bit set *set. */
static void parse_name_set(struct parser *ps, const struct json_node *list, const char *key,
			   const struct name_table *t, uint64_t *set)
{
	size_t listed_at[64];

	if (list->type != JT_ARRAY) {
		type_error(ps, list, "an array of names");
		return;
	}
	for (size_t i = 0; i < list->n; i++) {
		const struct json_node *v = list->items[i];
		int n = get_table_name(ps, v, t);

		if (n < 0)
			continue;
		if (!(*set & BJ_BIT(n))) {
			*set |= BJ_BIT(n);
			listed_at[n] = i;
		} else if (strcmp(v->string, t->name_of((unsigned)n))) {
			error(ps, v, "\"%s\" (%s) is already listed at %s[%zu]", v->string, t->name_of((unsigned)n),
			      key, listed_at[n]);
		} else {
			error(ps, v, "%s is already listed at %s[%zu]", v->string, key, listed_at[n]);
		}
	}
}

static void role_caps(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	struct bj_role *role = o->out;

	role->has_caps = true; /* even when invalid: then the default set is not what was meant */
	parse_name_set(ps, v, f->key, &cap_names, &role->caps);
}

static void role_families(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	struct bj_role *role = o->out;

	parse_name_set(ps, v, f->key, &family_names, &role->families);
}

static void role_devices(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	field_list(ps, o, f, v);
	check_devices_once(ps, v, o->out);
}

/* --- the role --- */

static const struct choice modes = {
	.names = (const char *const[]){ "enforce", "complain", NULL },
	.values = (const uint8_t[]){ BJ_MODE_ENFORCE, BJ_MODE_COMPLAIN },
	.what = "mode",
	.expected = "enforce or complain",
};

static const struct choice audits = {
	.names = (const char *const[]){ "deny", "all", "none", NULL },
	.values = (const uint8_t[]){ BJ_AUDIT_DENY, BJ_AUDIT_ALL, BJ_AUDIT_NONE },
	.what = "audit level",
	.expected = "deny, all or none",
};

/* A list of the role's: items of the type of role->member, parsed by item, counted in role->count. */
#define ROLE_LIST(name, member, count, item, handler) { .key = name, .types = T(JT_ARRAY), .parse = handler, \
	.offset = offsetof(struct bj_role, member), \
	.list = &(const struct list){ sizeof(*((struct bj_role *)0)->member), item, offsetof(struct bj_role, count) } }

static const struct field role_fields[] = {
	{ .key = "id", .parse = role_id, .always = true, .missing = "expected an integer 1..4294967295" },
	{ .key = "name", .parse = role_name, .always = true },
	{ .key = "flags", .types = T(JT_OBJECT), .parse = role_flags },
	ROLE_LIST("file_paths", files, n_files, parse_file_rule, field_list),
	ROLE_LIST("network_rules", net, n_net, parse_net_rule, field_list),
	ROLE_LIST("ip_rules", ips, n_ips, parse_ip_rule, field_list),
	ROLE_LIST("execution_rules", execs, n_execs, parse_exec_rule, field_list),
	{ .key = "capabilities", .parse = role_caps },
	{ .key = "address_families", .parse = role_families },
	ROLE_LIST("devices", devices, n_devices, parse_device_rule, role_devices),
	FLAG("require_signed_binary", BJ_FLAG_SIGNED), /* also a flag, as the original BpfJailer has it */
	{ .key = "mode", .parse = field_choice, .offset = offsetof(struct bj_role, mode), .choice = &modes },
	{ .key = "audit", .parse = field_choice, .offset = offsetof(struct bj_role, audit), .choice = &audits },
	{ .key = "domain_rules", .hidden = true, .parse = field_refused,
	  .message = "domain_rules are daemon-only in the original BpfJailer and not supported in daemonless "
		     "mode (ip_rules match addresses)" },
	{ .key = "proxy", .hidden = true, .parse = field_refused,
	  .message = "proxy is daemon-only in the original BpfJailer and not supported in daemonless mode" },
	{ 0 },
};

/*
 * Warnings for what a policy written for the old rules would lose without
 * a word: allow_network and no network rules kept CAP_NET_ADMIN and
 * CAP_NET_RAW, and file rules alone decided kernel tunables and devices.
 */
static void warn_role(struct parser *ps, const struct object *o, const struct bj_role *role)
{
	const struct json_node *rules = object_member(o, "network_rules");

	if (object_errors(o, "flags"))
		return;
	if (rules && !object_errors(o, "network_rules") && (role->flags & BJ_FLAG_NETWORK))
		warn_useless_allows(ps, rules, role);
	if ((role->flags & BJ_FLAG_NETWORK) && !role->n_net && !role->n_ips && !role->has_caps)
		warning(ps, json_get(object_member(o, "flags"), "allow_network"),
			"allow_network with no network or ip rules no longer keeps CAP_NET_ADMIN and CAP_NET_RAW: "
			"list them in \"capabilities\" if the role needs them (and \"address_families\": "
			"[\"AF_PACKET\"] for packet sockets)");
	if (role->n_files)
		warn_file_rules(ps, object_member(o, "file_paths"), role);
}

static void parse_role(struct parser *ps, const struct json_node *member, size_t index)
{
	struct bj_role *role = &ps->policy->roles[index];
	struct object o;

	ps->policy->n_roles++;
	locate(ps, member, &role->loc, &role->json_path);
	role->key = strdup(member->key);
	if (!role->key || index_map_put(&ps->role_by_key, member->key, index)) {
		ps->out_of_memory = true;
		return;
	}
	if (!*member->key)
		report(ps, BJ_ERROR, member->key_loc, member->up, "empty role key (enrollments name a role by its key)");
	else if (strlen(member->key) >= BJ_ROLE_NAME_LEN)
		report(ps, BJ_ERROR, member->key_loc, member->up, "role key \"%s\" is longer than %d bytes, all "
		       "that audit records carry", member->key, BJ_ROLE_NAME_LEN - 1);
	if (parse_object(ps, member, role_fields, role, "an object", &o))
		warn_role(ps, &o, role);
	else
		ps->role_ids_known = false;
}

void parse_roles(struct parser *ps, struct object *o, const struct field *f, const struct json_node *roles)
{
	(void)o;
	(void)f;
	ps->roles = roles;
	ps->role_ids_known = true;
	if (!roles->n)
		return;
	ps->policy->roles = calloc(roles->n, sizeof(*ps->policy->roles));
	if (!ps->policy->roles) {
		ps->out_of_memory = true;
		return;
	}
	for (size_t i = 0; i < roles->n && !ps->out_of_memory; i++)
		parse_role(ps, roles->items[i], i);
}
