// SPDX-License-Identifier: GPL-2.0
/* The rules of a role: file, network, ip and execution rules, and the warnings about them. */
#include <arpa/inet.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bpfjailer.h"
#include "caps.h"
#include "parser.h"

/* --- paths, access letters, addresses, ports --- */

char *get_path(struct parser *ps, const struct json_node *v, const char *what, bool wildcards)
{
	const char *s, *c;
	char *out, *o;

	if (!get_string(ps, v, &s))
		return NULL;
	if (!*s) {
		error(ps, v, "empty %s (expected an absolute path)", what);
		return NULL;
	}
	if (*s != '/') {
		error(ps, v, "%s \"%s\" is not absolute (expected a path starting with \"/\")", what, s);
		return NULL;
	}
	out = malloc(strlen(s) + 2);
	if (!out) {
		ps->out_of_memory = true;
		return NULL;
	}
	o = out;
	for (c = s + strspn(s, "/"); *c; c += strspn(c, "/")) {
		const char *comp = c;
		size_t n = strcspn(c, "/");

		c += n;
		if (comp[0] == '.' && (n == 1 || (n == 2 && comp[1] == '.'))) {
			error(ps, v, "%s \"%s\": \".\" and \"..\" components are not allowed", what, s);
			goto fail;
		}
		if (memchr(comp, '*', n)) {
			if (!wildcards) {
				error(ps, v, "%s \"%s\" cannot contain wildcards", what, s);
				goto fail;
			}
			if (n == 2 && comp[1] == '*') {
				if (c[strspn(c, "/")]) {
					error(ps, v, "%s \"%s\": \"**\" is allowed only as the last component", what, s);
					goto fail;
				}
				break;
			}
			if (n != 1) {
				error(ps, v, "%s \"%s\": \"*\" must be a whole component (as in \"/home/*/.ssh\")",
				      what, s);
				goto fail;
			}
		}
		*o++ = '/';
		memcpy(o, comp, n);
		o += n;
	}
	if (o == out)
		*o++ = '/';
	*o = '\0';
	return out;
fail:
	free(out);
	return NULL;
}

bool get_access(struct parser *ps, const struct json_node *v, const char *rule, const char *s,
		const struct access_letters *set, uint8_t *access)
{
	*access = 0;
	for (const char *c = s; *c; c++) {
		const char *letter = strchr(set->letters, *c);
		uint8_t right = letter ? set->rights[letter - set->letters] : 0;

		if (set->never && *c == set->never) {
			error(ps, v, "\"%s\": access \"%c\" cannot be granted: %s (expected %s)", rule, *c,
			      set->never_why, set->expected);
			return false;
		}
		if (!right) {
			int len = 1; /* the whole character, should it be a multibyte one */

			while ((c[len] & 0xc0) == 0x80)
				len++;
			error(ps, v, "unknown access letter \"%.*s\" in \"%s\" (expected %s)", len, c, rule,
			      set->expected);
			return false;
		}
		if (*access & right) {
			error(ps, v, "access letter \"%c\" given twice in \"%s\"", *c, rule);
			return false;
		}
		*access |= right;
	}
	return true;
}

/*
 * "10.0.0.0/8", "fd00::/8", or a bare address (a /32 or /128). IPv4 is
 * stored as IPv4-mapped IPv6, where the kernel meets both spellings.
 */
static bool get_cidr(struct parser *ps, const struct json_node *v, struct bj_ip_rule *r)
{
	const char *s = v->string, *slash = strchr(s, '/');
	char addr[INET6_ADDRSTRLEN], net[INET6_ADDRSTRLEN];
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	uint8_t a[16] = { 0 }, masked[16];
	unsigned max, prefix;
	bool v4;

	if (len >= sizeof(addr))
		goto bad;
	memcpy(addr, s, len);
	addr[len] = '\0';
	v4 = inet_pton(AF_INET, addr, a + 12) == 1;
	if (v4)
		a[10] = a[11] = 0xff;
	else if (inet_pton(AF_INET6, addr, a) != 1)
		goto bad;
	max = v4 ? 32 : 128;
	prefix = max;
	if (slash) {
		const char *digits = slash + 1;
		size_t n = strspn(digits, "0123456789");

		if (!n || n > 3 || digits[n])
			goto bad;
		prefix = (unsigned)strtoul(digits, NULL, 10);
		if (prefix > max) {
			error(ps, v, "prefix /%u is too long for an IPv%d address (expected 0..%u)", prefix,
			      v4 ? 4 : 6, max);
			return false;
		}
	}
	r->prefix_len = (uint8_t)(prefix + 128 - max);
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = r->prefix_len > 8 * i ? r->prefix_len - 8 * i : 0;

		masked[i] = keep >= 8 ? a[i] : (uint8_t)(a[i] & (0xff00u >> keep));
	}
	if (memcmp(masked, a, sizeof(a))) {
		inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? masked + 12 : masked, net, sizeof(net));
		error(ps, v, "\"%s\" has host bits set (did you mean \"%s/%u\"?)", s, net, prefix);
		return false;
	}
	memcpy(r->addr, a, sizeof(a));
	return true;
bad:
	error(ps, v, "\"%s\" is not a CIDR block (expected an address and prefix such as "
		     "\"10.0.0.0/8\" or \"fd00::/8\")", s);
	return false;
}

/* A port of a network rule; 0, the wildcard, only where allow_wildcard is set. */
static bool get_port(struct parser *ps, const struct json_node *v, bool allow_wildcard, uint16_t *out)
{
	long long port;

	if (!get_int(ps, v, allow_wildcard ? 0 : 1, 65535, "a port",
		     allow_wildcard ? "0..65535, where 0 means every port" : "1..65535", &port))
		return false;
	*out = (uint16_t)port;
	return true;
}

/* --- file rules --- */

static const struct access_letters file_access = {
	.letters = "rwx",
	.rights = (const uint8_t[]){ BJ_RIGHT_READ, BJ_RIGHT_WRITE, BJ_RIGHT_MAP_EXEC },
	.expected = "r, w or x",
};

static void file_pattern(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	struct bj_file_rule *r = o->out;

	r->pattern = get_path(ps, v, f->key, true);
	locate(ps, v, &r->loc, &r->json_path);
}

static void file_rule_access(struct parser *ps, struct object *o, const struct field *f,
			     const struct json_node *v)
{
	struct bj_file_rule *r = o->out;

	(void)f;
	if (!*v->string)
		error(ps, v, "empty access (expected some of the letters r, w and x)");
	else
		get_access(ps, v, v->string, v->string, &file_access, &r->access);
}

static const struct field file_rule_fields[] = {
	{ .key = "pattern", .parse = file_pattern, .missing = "expected an absolute path" },
	FIELD_ALLOW(struct bj_file_rule),
	{ .key = "access", .types = T(JT_STRING), .parse = file_rule_access },
	{ 0 },
};

void parse_file_rule(struct parser *ps, const struct json_node *v, void *item)
{
	struct bj_file_rule *r = item;
	struct object o;

	r->access = BJ_RIGHTS_FILE;
	parse_object(ps, v, file_rule_fields, r, "an object", &o);
}

/* --- network rules --- */

/* A member the port rules need, unless an unknown key was taken for it. */
static const struct json_node *port_member(struct parser *ps, const struct object *o, const char *key)
{
	const struct json_node *v = object_member(o, key);

	if (!v && !object_suggested(o, key))
		error(ps, o->node, "missing \"%s\" (a range needs \"port_start\" and \"port_end\")", key);
	return v;
}

/* "port", or "port_start" and "port_end": all three are handled here, at "port". */
static void net_ports(struct parser *ps, struct object *o, const struct field *f, const struct json_node *port)
{
	const struct json_node *start = object_member(o, "port_start"), *end = object_member(o, "port_end");
	struct bj_net_rule *r = o->out;
	bool start_ok, end_ok;

	(void)f;
	if (port && (start || end)) {
		error(ps, o->node, "give either \"port\" or \"port_start\" and \"port_end\", not both");
		return;
	}
	if (port) {
		if (get_port(ps, port, true, &r->port_first))
			r->port_last = r->port_first;
		return;
	}
	if (!start && !end) {
		if (!object_suggested(o, "port") && !object_suggested(o, "port_start") &&
		    !object_suggested(o, "port_end"))
			error(ps, o->node, "missing \"port\" (or \"port_start\" and \"port_end\")");
		return;
	}
	start = port_member(ps, o, "port_start");
	end = port_member(ps, o, "port_end");
	start_ok = start && get_port(ps, start, false, &r->port_first);
	end_ok = end && get_port(ps, end, false, &r->port_last);
	if (start_ok && end_ok && r->port_first > r->port_last)
		error(ps, start, "port_start %u is greater than port_end %u", r->port_first, r->port_last);
}

static const struct choice protocols = {
	.names = (const char *const[]){ "tcp", "udp", NULL },
	.values = (const uint8_t[]){ BJ_PROTO_TCP, BJ_PROTO_UDP },
	.nocase = true,
	.what = "protocol",
	.expected = "tcp or udp",
};

static const struct choice directions = {
	.names = (const char *const[]){ "bind", "connect", "both", NULL },
	.values = (const uint8_t[]){ BJ_DIR_BIND, BJ_DIR_CONNECT, BJ_DIR_BIND | BJ_DIR_CONNECT },
	.what = "direction",
	.expected = "bind, connect or both",
};

static const struct field net_rule_fields[] = {
	{ .key = "protocol", .parse = field_choice, .offset = offsetof(struct bj_net_rule, protocol),
	  .choice = &protocols, .missing = "expected tcp or udp" },
	{ .key = "port", .parse = net_ports, .always = true },
	{ .key = "port_start" },
	{ .key = "port_end" },
	FIELD_ALLOW(struct bj_net_rule),
	{ .key = "direction", .parse = field_choice, .offset = offsetof(struct bj_net_rule, directions),
	  .choice = &directions },
	{ .key = "address", .hidden = true, .parse = field_refused,
	  .message = "network rules do not match addresses (the original BpfJailer accepted \"address\" and "
		     "never used it); put addresses in ip_rules" },
	{ 0 },
};

void parse_net_rule(struct parser *ps, const struct json_node *v, void *item)
{
	struct bj_net_rule *r = item;
	struct object o;

	r->directions = BJ_DIR_BIND | BJ_DIR_CONNECT;
	parse_located_object(ps, v, net_rule_fields, r, &r->loc, &r->json_path, &o);
}

/* --- ip rules --- */

static void ip_cidr(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	(void)f;
	get_cidr(ps, v, o->out);
}

static void ip_direction(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	(void)o;
	(void)f;
	if (strcmp(v->string, "connect") && strcmp(v->string, "egress"))
		error(ps, v, "ip rules apply to the destinations of connect and sendmsg only, not to "
			     "\"%s\" (expected connect or egress)", v->string);
}

static const struct field ip_rule_fields[] = {
	{ .key = "cidr", .types = T(JT_STRING), .parse = ip_cidr,
	  .missing = "expected an address and prefix such as \"10.0.0.0/8\"" },
	FIELD_ALLOW(struct bj_ip_rule),
	{ .key = "direction", .types = T(JT_STRING), .parse = ip_direction },
	{ 0 },
};

void parse_ip_rule(struct parser *ps, const struct json_node *v, void *item)
{
	struct bj_ip_rule *r = item;
	struct object o;

	parse_located_object(ps, v, ip_rule_fields, r, &r->loc, &r->json_path, &o);
}

/* --- execution rules --- */

static void exec_binary(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	struct bj_exec_rule *r = o->out;

	r->binary_path = get_path(ps, v, f->key, false);
	locate(ps, v, &r->loc, &r->json_path);
}

static void exec_args(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	(void)o;
	(void)f;
	if (v->type == JT_STRING)
		error(ps, v, "argument matching is not enforced; remove args_pattern or set it to null");
	else if (v->type != JT_NULL)
		type_error(ps, v, "null");
}

static const struct field exec_rule_fields[] = {
	{ .key = "binary_path", .parse = exec_binary, .missing = "expected an absolute path" },
	FIELD_ALLOW(struct bj_exec_rule),
	{ .key = "args_pattern", .parse = exec_args },
	{ 0 },
};

void parse_exec_rule(struct parser *ps, const struct json_node *v, void *item)
{
	struct object o;

	parse_object(ps, v, exec_rule_fields, item, "an object", &o);
}

/* --- warnings --- */

static unsigned port_width(const struct bj_net_rule *r)
{
	return r->port_first ? (unsigned)(r->port_last - r->port_first) + 1 : 65536;
}

/*
 * Under allow_network, an allow rule matters only where a wider deny rule
 * (the wildcard is the widest) would otherwise decide its ports: the
 * narrowest rule decides, and deny wins ties.
 */
static bool allow_matters(const struct bj_role *role, const struct bj_net_rule *allow)
{
	for (size_t i = 0; i < role->n_net; i++) {
		const struct bj_net_rule *deny = &role->net[i];

		if (deny->allow || deny->protocol != allow->protocol ||
		    !(deny->directions & allow->directions) || port_width(deny) <= port_width(allow))
			continue;
		if (!deny->port_first ||
		    (deny->port_first <= allow->port_last && allow->port_first <= deny->port_last))
			return true;
	}
	return false;
}

void warn_useless_allows(struct parser *ps, const struct json_node *rules, const struct bj_role *role)
{
	for (size_t i = 0; i < role->n_net; i++) {
		if (!role->net[i].allow)
			continue;
		if (ps->advice_budget < role->n_net) {
			ps->advice_budget = 0;
			return;
		}
		ps->advice_budget -= role->n_net;
		if (!allow_matters(role, &role->net[i]))
			warning(ps, rules->items[i], "this allow rule changes nothing: allow_network is true and "
						     "no deny rule covers its ports (allow_network: false plus allow "
						     "rules means \"only these ports\")");
	}
}

/* Kernel-control file systems whose files a role writes only with allow_kernel_tunables. */
static const struct {
	const char *prefix;
	const char *what;
} tunable_trees[] = {
	/* the most specific first: the first that matches names the tree */
	{ "/proc/sys", "sysctls" },
	{ BJ_CGROUP_ROOT, "cgroupfs" },
	{ "/sys", "sysfs" },
};

static bool under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(path, prefix, n) && (path[n] == '/' || !path[n]);
}

/* A rule on /dev/NAME (or below), or on /dev itself, that could be about device nodes. */
static bool about_devices(const char *pattern)
{
	const char *name;
	char first[NAME_MAX + 1]; /* longer names are no name the tables hold */

	if (!under(pattern, "/dev"))
		return false;
	name = pattern + strlen("/dev");
	if (!*name)
		return true;
	name++;
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(name, "/"), name);
	return bj_dev_name_needs_rule(first);
}

/* The index in tunable_trees of the tree pattern is in, or -1. */
static int tunable_tree(const char *pattern)
{
	for (size_t i = 0; i < sizeof(tunable_trees) / sizeof(tunable_trees[0]); i++)
		if (under(pattern, tunable_trees[i].prefix))
			return (int)i;
	return -1;
}

/*
 * What a policy written before kernel tunables and devices were rules of
 * their own would lose without a word: file rules alone decided writes to
 * /proc/sys and /sys, and opens of devices.
 */
void warn_file_rules(struct parser *ps, const struct json_node *rules, const struct bj_role *role)
{
	for (size_t i = 0; i < role->n_files; i++) {
		const struct bj_file_rule *r = &role->files[i];
		const struct json_node *at = json_get(rules->items[i], "pattern");
		int tree;

		if (!r->allow || !r->pattern)
			continue;
		tree = tunable_tree(r->pattern);
		if (tree >= 0 && (r->access & BJ_RIGHT_WRITE) && !(role->flags & BJ_FLAG_KERNEL_TUNABLES))
			warning(ps, at, "writing under %s (%s) has no effect without allow_kernel_tunables: "
					"kernel-control file systems are read-only to jailed tasks",
				tunable_trees[tree].prefix, tunable_trees[tree].what);
		if ((r->access & (BJ_RIGHT_READ | BJ_RIGHT_WRITE)) && !role->n_devices && about_devices(r->pattern))
			warning(ps, at, "device nodes also need a \"devices\" entry: only the built-in pseudo "
					"devices, such as /dev/null and /dev/pts, are open to every role");
	}
}
