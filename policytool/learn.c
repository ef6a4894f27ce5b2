// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bpfjailer.h"
#include "caps.h"
#include "learn.h"
#include "paths.h"

void learn_records_free(struct learn_records *records)
{
	for (size_t i = 0; i < records->n; i++) {
		struct learn_record *r = &records->v[i];

		free(r->hook);
		free(r->decision);
		free(r->path);
		free(r->access);
		free(r->family);
		free(r->addr);
		free(r->port);
		free(r->protocol);
		free(r->value);
	}
	free(records->v);
	records->v = NULL;
	records->n = 0;
}

/* A path that a file rule is to allow, with the rights asked for there. */
struct file_want {
	char *path; /* no trailing slash: "/var/cache/app" */
	uint8_t rights;
	bool dir; /* a generalisation: written with a trailing slash */
};

struct learn {
	const struct learn_opts *o;
	struct file_want *files;
	size_t n_files;
	char **execs;
	size_t n_execs;
	/* ports[proto][dir]: bit map of the ports to allow, proto 0 tcp 1 udp, dir 0 bind 1 connect */
	uint8_t *ports[2][2];
	uint64_t caps, families;
	json_t *conflicts, *not_allowable;
	bool oom;
};

static uint8_t letters_to_rights(const char *s)
{
	uint8_t rights = 0;

	for (; *s; s++)
		rights |= *s == 'r' ? BJ_RIGHT_READ : *s == 'w' ? BJ_RIGHT_WRITE : *s == 'x' ? BJ_RIGHT_MAP_EXEC : 0;
	return rights;
}

static void rights_to_letters(uint8_t rights, char buf[4])
{
	char *p = buf;

	if (rights & BJ_RIGHT_READ)
		*p++ = 'r';
	if (rights & BJ_RIGHT_WRITE)
		*p++ = 'w';
	if (rights & BJ_RIGHT_MAP_EXEC)
		*p++ = 'x';
	*p = '\0';
}

/* The record in a few words, for conflicts and what no rule allows: "open /etc/shadow (r)". */
static void describe(const struct learn_record *r, char *buf, size_t size)
{
	if (r->path)
		snprintf(buf, size, "%s %s%s%s%s", r->hook, r->path, r->access ? " (" : "", r->access ? r->access : "",
			 r->access ? ")" : "");
	else if (r->addr)
		snprintf(buf, size, "%s %s%s%s:%s/%s", r->hook, strchr(r->addr, ':') ? "[" : "", r->addr,
			 strchr(r->addr, ':') ? "]" : "", r->port ? r->port : "?", r->protocol ? r->protocol : "?");
	else if (r->family)
		snprintf(buf, size, "%s %s%s%s", r->hook, r->family, r->protocol ? " protocol " : "",
			 r->protocol ? r->protocol : "");
	else if (r->value)
		snprintf(buf, size, "%s %s", r->hook, r->value);
	else
		snprintf(buf, size, "%s", r->hook);
}

static void add_entry(struct learn *l, json_t *list, const char *key, const char *record, const char *extra)
{
	size_t i;
	json_t *e;

	/* one entry per record in words: repeats only count */
	json_array_foreach(list, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "record")), record)) {
			if (!extra)
				json_object_set_new(e, "count",
						    json_integer(json_integer_value(json_object_get(e, "count")) + 1));
			return;
		}
	e = extra ? json_pack("{s:s, s:s}", "record", record, key, extra) : json_pack("{s:s, s:i}", "record", record,
											 "count", 1);
	if (!e || json_array_append_new(list, e))
		l->oom = true;
}

static void not_allowable(struct learn *l, const struct learn_record *r)
{
	char what[BJ_PATH_MAX + 128];

	describe(r, what, sizeof(what));
	add_entry(l, l->not_allowable, NULL, what, NULL);
}

static void conflict(struct learn *l, const struct learn_record *r, const char *rule)
{
	char what[BJ_PATH_MAX + 128];

	describe(r, what, sizeof(what));
	add_entry(l, l->conflicts, "rule", what, rule);
}

/* --- files ------------------------------------------------------------------------------------------------ */

static int rank_rules(const void *a, const void *b)
{
	const struct bj_file_rule *ra = *(const struct bj_file_rule *const *)a;
	const struct bj_file_rule *rb = *(const struct bj_file_rule *const *)b;
	struct pattern_parts pa, pb;
	int rank;

	pattern_split(ra->pattern, &pa);
	pattern_split(rb->pattern, &pb);
	rank = pattern_rank(&pb, &pa); /* most specific first */
	return rank ? rank : (int)ra->allow - (int)rb->allow; /* deny first on a tie */
}

/* The rights the role grants at path now (FILE RULES: per right, the most specific rule deciding it). */
static uint8_t granted(struct learn *l, const struct pattern_parts *path)
{
	const struct bj_role *role = l->o->role;
	const struct bj_file_rule **match = calloc(role->n_files + 1, sizeof(*match));
	uint8_t rights = 0;
	size_t n = 0;

	if (!match) {
		l->oom = true;
		return 0;
	}
	for (size_t i = 0; i < role->n_files; i++) {
		struct pattern_parts p;

		if (pattern_split(role->files[i].pattern, &p) && pattern_matches(&p, path))
			match[n++] = &role->files[i];
	}
	qsort(match, n, sizeof(*match), rank_rules);
	for (uint8_t right = BJ_RIGHT_READ; right <= BJ_RIGHT_MAP_EXEC; right <<= 1) {
		bool decided = false;

		for (size_t i = 0; i < n && !decided; i++) {
			if (match[i]->allow) {
				decided = true;
				rights |= match[i]->access & right;
			} else if (match[i]->access & right) {
				decided = true;
			}
		}
		if (!decided && role->flags & BJ_FLAG_FILE)
			rights |= right;
	}
	free(match);
	return rights;
}

/*
 * The deny rule an allow on pattern with these rights would override
 * somewhere (it ranks the same or higher where both match), or NULL.
 */
static const struct bj_file_rule *overridden_deny(const struct bj_role *role, const struct pattern_parts *pattern,
						  uint8_t rights)
{
	for (size_t i = 0; i < role->n_files; i++) {
		const struct bj_file_rule *r = &role->files[i];
		struct pattern_parts p;

		if (r->allow || !(r->access & rights) || !pattern_split(r->pattern, &p))
			continue;
		if (pattern_overlaps(&p, pattern) && pattern_rank(&p, pattern) <= 0)
			return r;
	}
	return NULL;
}

/* The execution rule that decides running path: the deepest matching one, deny on a tie; NULL for the flag. */
static const struct bj_exec_rule *exec_decider(const struct bj_role *role, const struct pattern_parts *path)
{
	const struct bj_exec_rule *best = NULL;
	size_t best_depth = 0;

	for (size_t i = 0; i < role->n_execs; i++) {
		struct pattern_parts p;

		if (!pattern_split(role->execs[i].binary_path, &p) || !pattern_matches(&p, path))
			continue;
		if (!best || p.n > best_depth || (p.n == best_depth && !role->execs[i].allow)) {
			best = &role->execs[i];
			best_depth = p.n;
		}
	}
	return best;
}

static void want_file(struct learn *l, const char *path, uint8_t rights)
{
	struct file_want *grown;

	for (size_t i = 0; i < l->n_files; i++)
		if (!strcmp(l->files[i].path, path)) {
			l->files[i].rights |= rights;
			return;
		}
	grown = realloc(l->files, (l->n_files + 1) * sizeof(*grown));
	if (!grown) {
		l->oom = true;
		return;
	}
	l->files = grown;
	l->files[l->n_files] = (struct file_want){ .path = strdup(path), .rights = rights };
	if (!l->files[l->n_files].path)
		l->oom = true;
	else
		l->n_files++;
}

/* A file right asked for: a conflict when a deny rule refused it, else wanted. */
static void file_record(struct learn *l, const struct learn_record *r, uint8_t rights)
{
	const struct bj_role *role = l->o->role;
	struct pattern_parts path;

	/* "(internal) ...", "(detached) ...", cut short "...": no pattern names them */
	if (r->path[0] != '/' || (strlen(r->path) > 3 && !strcmp(r->path + strlen(r->path) - 3, "...")) ||
	    !pattern_split(r->path, &path)) {
		not_allowable(l, r);
		return;
	}
	if (role) {
		const struct bj_file_rule *deny = overridden_deny(role, &path, rights);
		const struct bj_exec_rule *exec = rights & BJ_RIGHT_MAP_EXEC ? exec_decider(role, &path) : NULL;

		if (deny) {
			conflict(l, r, deny->json_path);
			return;
		}
		/* "A program an execution rule refuses cannot be mapped executable either" */
		if (exec && !exec->allow) {
			conflict(l, r, exec->json_path);
			return;
		}
		rights &= ~granted(l, &path);
		if (!rights)
			return;
	}
	want_file(l, r->path, rights);
}

static void exec_record(struct learn *l, const struct learn_record *r)
{
	const struct bj_role *role = l->o->role;
	const struct bj_exec_rule *decider;
	struct pattern_parts path;
	char **grown;

	if (r->path[0] != '/' || !pattern_split(r->path, &path)) {
		not_allowable(l, r);
		return;
	}
	if (role) {
		decider = exec_decider(role, &path);
		if (decider && !decider->allow) {
			conflict(l, r, decider->json_path);
			return;
		}
		/* every file of the exec chain needs x as well */
		file_record(l, r, BJ_RIGHT_MAP_EXEC);
		if (decider || role->flags & BJ_FLAG_EXEC)
			return;
	}
	for (size_t i = 0; i < l->n_execs; i++)
		if (!strcmp(l->execs[i], r->path))
			return;
	grown = realloc(l->execs, (l->n_execs + 1) * sizeof(*grown));
	if (!grown || !(grown[l->n_execs] = strdup(r->path))) {
		if (grown)
			l->execs = grown;
		l->oom = true;
		return;
	}
	l->execs = grown;
	l->n_execs++;
}

static size_t depth_of(const char *path)
{
	size_t n = 0;

	for (; *path; path++)
		n += *path == '/';
	return n;
}

/* Whether path is dir or below it. */
static bool under(const char *path, const char *dir)
{
	size_t len = strlen(dir);

	return !strncmp(path, dir, len) && (path[len] == '/' || !path[len]);
}

/*
 * Whether a rule on dir may replace the wants under it: it overrides no
 * deny rule for the rights asked there, and no rule of the role below dir
 * that it would outrank (its * against dir's literal).
 */
static bool dir_is_safe(const struct learn *l, const char *dir, uint8_t rights)
{
	const struct bj_role *role = l->o->role;
	struct pattern_parts d;

	if (!role)
		return true;
	if (!pattern_split(dir, &d) || overridden_deny(role, &d, rights))
		return false;
	for (size_t i = 0; i < role->n_files; i++) {
		struct pattern_parts p;

		if (pattern_split(role->files[i].pattern, &p) && p.n > d.n && pattern_overlaps(&p, &d) &&
		    pattern_rank(&p, &d) < 0)
			return false;
	}
	return true;
}

/*
 * Try to replace the wants under dir with one want on dir: when they name
 * at least dir_threshold entries directly in it. Returns whether it did.
 */
static bool generalise(struct learn *l, const char *dir)
{
	size_t len = strlen(dir), names = 0, kept = 0;
	uint8_t rights = 0;
	char *copy;

	for (size_t i = 0; i < l->n_files; i++) {
		const char *p = l->files[i].path, *name;
		bool seen = false;

		if (!under(p, dir) || !p[len])
			continue;
		rights |= l->files[i].rights;
		name = p + len + 1;
		/* count each direct child once, whatever lies below it */
		for (size_t j = 0; j < i && !seen; j++) {
			const char *q = l->files[j].path;

			seen = under(q, dir) && q[len] && !strncmp(q + len + 1, name, strcspn(name, "/")) &&
			       strcspn(q + len + 1, "/") == strcspn(name, "/");
		}
		names += !seen;
	}
	if (names < l->o->dir_threshold || !dir_is_safe(l, dir, rights))
		return false;
	copy = strdup(dir);
	if (!copy) {
		l->oom = true;
		return false;
	}
	for (size_t i = 0; i < l->n_files; i++) {
		if (under(l->files[i].path, dir))
			free(l->files[i].path);
		else
			l->files[kept++] = l->files[i];
	}
	l->files[kept] = (struct file_want){ .path = copy, .rights = rights, .dir = true };
	l->n_files = kept + 1;
	return true;
}

/* Never / or a directory right under it (/etc, /home): a rule there would reach far past the workload. */
#define GENERALISE_MIN_DEPTH 2

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct file_want *)a)->path, ((const struct file_want *)b)->path);
}

/* The directory up levels above path (1: its parent), or NULL when there is none that deep. */
static char *ancestor(const char *path, unsigned up, bool *oom)
{
	char *dir = strdup(path);

	if (!dir) {
		*oom = true;
		return NULL;
	}
	for (unsigned i = 0; i < up; i++) {
		char *slash = strrchr(dir, '/');

		if (!slash || slash == dir) {
			free(dir);
			return NULL;
		}
		*slash = '\0';
	}
	return dir;
}

/*
 * Try the parents of the wants first, then their grandparents and so on,
 * back to the parents after each success: the narrowest directory that
 * reaches the threshold wins. A directory's entries, sorted, lie together,
 * so one tried in vain is not tried again for each of them.
 */
static void generalise_all(struct learn *l)
{
	unsigned up = 1;
	bool any = true;

	while (any && !l->oom) {
		bool changed = false;
		char *tried = NULL;

		any = false;
		qsort(l->files, l->n_files, sizeof(*l->files), by_path);
		for (size_t i = 0; i < l->n_files && !changed && !l->oom; i++) {
			char *dir = ancestor(l->files[i].path, up, &l->oom);

			if (!dir || depth_of(dir) < GENERALISE_MIN_DEPTH) {
				free(dir);
				continue;
			}
			any = true;
			if (!tried || strcmp(tried, dir))
				changed = generalise(l, dir);
			free(tried);
			tried = dir;
		}
		free(tried);
		up = changed ? 1 : up + 1;
		any |= changed;
	}
}

static json_t *file_rules(struct learn *l)
{
	json_t *list = json_array();

	if (!list)
		return NULL;
	qsort(l->files, l->n_files, sizeof(*l->files), by_path);
	for (size_t i = 0; i < l->n_files; i++) {
		struct file_want *f = &l->files[i];
		uint8_t rights = f->rights;
		char letters[4], pattern[BJ_PATH_MAX + 2];

		/* an allow rule grants exactly its letters: keep what the role grants there already */
		if (l->o->role) {
			struct pattern_parts p;

			if (pattern_split(f->path, &p))
				rights |= granted(l, &p);
		}
		rights_to_letters(rights, letters);
		snprintf(pattern, sizeof(pattern), "%s%s", f->path, f->dir ? "/" : "");
		if (json_array_append_new(list, json_pack("{s:s, s:b, s:s}", "pattern", pattern, "allow", 1, "access",
							  letters))) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* --- network ---------------------------------------------------------------------------------------------- */

static bool ip_of(const char *text, uint8_t addr[16])
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (inet_pton(AF_INET6, text, addr) == 1)
		return true;
	memcpy(addr, mapped, sizeof(mapped));
	return inet_pton(AF_INET, text, addr + 12) == 1;
}

static bool prefix_matches(const uint8_t *rule, const uint8_t *addr, unsigned bits)
{
	unsigned bytes = bits / 8, rest = bits % 8;

	return !memcmp(rule, addr, bytes) && (!rest || !((rule[bytes] ^ addr[bytes]) & (0xff00 >> rest)));
}

/* The deny rule that refused a connection to addr:port, or NULL. */
static const char *net_deny(const struct bj_role *role, const uint8_t addr[16], bool check_ip, uint8_t proto,
			    uint8_t dir, unsigned port)
{
	const struct bj_ip_rule *ip = NULL;
	const struct bj_net_rule *narrow = NULL, *wildcard = NULL;

	for (size_t i = 0; check_ip && i < role->n_ips; i++)
		if (prefix_matches(role->ips[i].addr, addr, role->ips[i].prefix_len) &&
		    (!ip || role->ips[i].prefix_len > ip->prefix_len))
			ip = &role->ips[i];
	if (ip && !ip->allow)
		return ip->json_path;
	for (size_t i = 0; i < role->n_net; i++) {
		const struct bj_net_rule *r = &role->net[i];

		if (r->protocol != proto || !(r->directions & dir))
			continue;
		if (!r->port_first && !r->port_last) {
			if (!wildcard || !r->allow)
				wildcard = r;
		} else if (port >= r->port_first && port <= r->port_last &&
			   (!narrow || r->port_last - r->port_first < narrow->port_last - narrow->port_first ||
			    (r->port_last - r->port_first == narrow->port_last - narrow->port_first && !r->allow))) {
			narrow = r;
		}
	}
	if (narrow)
		return narrow->allow ? NULL : narrow->json_path;
	return wildcard && !wildcard->allow ? wildcard->json_path : NULL;
}

static void net_record(struct learn *l, const struct learn_record *r, uint8_t dir)
{
	unsigned proto = !r->protocol ? 2 : !strcmp(r->protocol, "tcp") ? 0 : !strcmp(r->protocol, "udp") ? 1 : 2;
	char *end;
	unsigned long port = r->port ? strtoul(r->port, &end, 10) : 0;
	uint8_t addr[16];

	/* port 0 (listen without bind): only a wildcard rule or allow_network allows it */
	if (proto > 1 || !r->addr || !r->port || *end || !port || port > 65535 || !ip_of(r->addr, addr)) {
		not_allowable(l, r);
		return;
	}
	if (l->o->role) {
		const char *deny = net_deny(l->o->role, addr, dir == BJ_DIR_CONNECT,
					    proto ? BJ_PROTO_UDP : BJ_PROTO_TCP, dir, (unsigned)port);

		if (deny) {
			conflict(l, r, deny);
			return;
		}
	}
	if (!l->ports[proto][dir == BJ_DIR_CONNECT]) {
		l->ports[proto][dir == BJ_DIR_CONNECT] = calloc(65536 / 8, 1);
		if (!l->ports[proto][dir == BJ_DIR_CONNECT]) {
			l->oom = true;
			return;
		}
	}
	l->ports[proto][dir == BJ_DIR_CONNECT][port / 8] |= (uint8_t)(1u << (port % 8));
}

static bool port_set(const uint8_t *map, unsigned port)
{
	return port < 65536 && map[port / 8] & (1u << (port % 8));
}

/* Contiguous ports become one range rule. */
static json_t *net_rules(struct learn *l)
{
	static const char *const protos[] = { "tcp", "udp" }, *const dirs[] = { "bind", "connect" };
	json_t *list = json_array();

	for (unsigned p = 0; list && p < 2; p++)
		for (unsigned d = 0; list && d < 2; d++) {
			const uint8_t *map = l->ports[p][d];

			for (unsigned port = 1; map && port < 65536; port++) {
				unsigned last = port;
				json_t *rule;

				if (!port_set(map, port))
					continue;
				while (port_set(map, last + 1))
					last++;
				rule = last == port ?
					       json_pack("{s:s, s:s, s:i, s:b}", "protocol", protos[p], "direction", dirs[d],
							 "port", port, "allow", 1) :
					       json_pack("{s:s, s:s, s:i, s:i, s:b}", "protocol", protos[p], "direction",
							 dirs[d], "port_start", port, "port_end", last, "allow", 1);
				if (json_array_append_new(list, rule)) {
					json_decref(list);
					return NULL;
				}
				port = last;
			}
		}
	return list;
}

/* --- the rest ---------------------------------------------------------------------------------------------- */

static void capable_record(struct learn *l, const struct learn_record *r)
{
	char *end;
	unsigned long cap = r->value ? strtoul(r->value, &end, 10) : BJ_CAP_COUNT;

	if (cap >= BJ_CAP_COUNT || *end)
		not_allowable(l, r);
	else
		l->caps |= BJ_BIT(cap);
}

/* inet, inet6 and unix are default families: a socket refused there needs a flag (raw sockets). */
static void socket_record(struct learn *l, const struct learn_record *r)
{
	if (r->family && !strcmp(r->family, "packet"))
		l->families |= BJ_BIT(AF_PACKET);
	else
		not_allowable(l, r);
}

static void learn_one(struct learn *l, const struct learn_record *r)
{
	const char *h = r->hook;
	/* the hooks that check a file right, and the right they check when the record does not say */
	static const struct {
		const char *hook;
		uint8_t rights;
	} file_hooks[] = {
		{ "open", BJ_RIGHT_READ },    { "mmap", BJ_RIGHT_MAP_EXEC },   { "mprotect", BJ_RIGHT_MAP_EXEC },
		{ "unlink", BJ_RIGHT_WRITE }, { "rmdir", BJ_RIGHT_WRITE },     { "mkdir", BJ_RIGHT_WRITE },
		{ "create", BJ_RIGHT_WRITE }, { "symlink", BJ_RIGHT_WRITE },   { "link", BJ_RIGHT_WRITE },
		{ "rename", BJ_RIGHT_WRITE }, { "truncate", BJ_RIGHT_WRITE },  { "chmod", BJ_RIGHT_WRITE },
		{ "chown", BJ_RIGHT_WRITE },  { "setattr", BJ_RIGHT_WRITE },   { "xattr", BJ_RIGHT_WRITE },
		{ "watch", BJ_RIGHT_READ },   { "unix-connect", BJ_RIGHT_WRITE }, { "unix-send", BJ_RIGHT_WRITE },
	};

	if (!h || !r->decision || (strcmp(r->decision, "denied") && strcmp(r->decision, "would deny")))
		return;
	if (!strcmp(h, "exec") && r->path) {
		exec_record(l, r);
		return;
	}
	for (size_t i = 0; r->path && i < sizeof(file_hooks) / sizeof(file_hooks[0]); i++)
		if (!strcmp(h, file_hooks[i].hook)) {
			uint8_t rights = r->access ? letters_to_rights(r->access) : file_hooks[i].rights;

			if (rights)
				file_record(l, r, rights);
			else
				not_allowable(l, r);
			return;
		}
	if (!strcmp(h, "connect") || !strcmp(h, "sendmsg"))
		net_record(l, r, BJ_DIR_CONNECT);
	else if (!strcmp(h, "bind") || !strcmp(h, "listen"))
		net_record(l, r, BJ_DIR_BIND);
	else if (!strcmp(h, "capable"))
		capable_record(l, r);
	else if (!strcmp(h, "socket"))
		socket_record(l, r);
	else
		not_allowable(l, r);
}

static json_t *names(uint64_t bits, const char *(*name)(unsigned), unsigned count)
{
	json_t *list = json_array();

	for (unsigned i = 0; list && i < count; i++)
		if (bits & BJ_BIT(i) && json_array_append_new(list, json_string(name(i)))) {
			json_decref(list);
			return NULL;
		}
	return list;
}

/* Set key to value when value is a non-empty array; false when out of memory. */
static bool set_list(json_t *obj, const char *key, json_t *value)
{
	if (!value)
		return false;
	if (!json_array_size(value)) {
		json_decref(value);
		return true;
	}
	return !json_object_set_new(obj, key, value);
}

json_t *learn_suggest(const struct learn_record *records, size_t n, const struct learn_opts *opts)
{
	struct learn l = { .o = opts, .conflicts = json_array(), .not_allowable = json_array() };
	json_t *out = NULL, *adds = json_object(), *execs = json_array();
	bool ok;

	if (!l.conflicts || !l.not_allowable || !adds || !execs)
		goto out;
	for (size_t i = 0; i < n && !l.oom; i++)
		learn_one(&l, &records[i]);
	generalise_all(&l);
	for (size_t i = 0; i < l.n_execs && !l.oom; i++)
		if (json_array_append_new(execs, json_pack("{s:s, s:b}", "binary_path", l.execs[i], "allow", 1)))
			l.oom = true;
	/* each set_list() takes its list, so that every one runs */
	ok = !l.oom;
	ok &= set_list(adds, "file_paths", file_rules(&l));
	ok &= set_list(adds, "execution_rules", execs);
	execs = NULL;
	ok &= set_list(adds, "network_rules", net_rules(&l));
	ok &= set_list(adds, "capabilities", names(l.caps, bj_cap_name, BJ_CAP_COUNT));
	ok &= set_list(adds, "address_families", names(l.families, bj_family_name, BJ_AF_COUNT));
	ok &= !l.oom; /* file_rules() looks up what the role grants */
	if (!ok)
		goto out;
	out = json_pack("{s:s, s:O, s:O, s:O}", "role", opts->role_key, "additions", adds, "conflicts", l.conflicts,
			"not_allowable", l.not_allowable);
out:
	for (size_t i = 0; i < l.n_files; i++)
		free(l.files[i].path);
	free(l.files);
	for (size_t i = 0; i < l.n_execs; i++)
		free(l.execs[i]);
	free(l.execs);
	for (unsigned p = 0; p < 2; p++)
		for (unsigned d = 0; d < 2; d++)
			free(l.ports[p][d]);
	json_decref(execs);
	json_decref(adds);
	json_decref(l.conflicts);
	json_decref(l.not_allowable);
	return out;
}
