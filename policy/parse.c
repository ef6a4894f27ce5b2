// SPDX-License-Identifier: GPL-2.0
/*
 * policy_parse(): JSON text in, a validated struct bj_policy out, and every
 * problem found on the way reported with its line, column and JSON path.
 *
 * Validation goes on after an error so that one run lists every mistake,
 * but a value that failed is left out of the checks that depend on it (an
 * invalid role id is not also reported as unknown where a pod names it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include "bpfjailer.h"
#include "caps.h"
#include "json_loc.h"
#include "policy.h"

#define UTF8_BOM "\xef\xbb\xbf"

const char *const bj_on_load_failure_names[] = { "continue", "emergency", NULL };

/* One step of the JSON path from the document to a value. */
struct seg {
	const struct seg *up; /* NULL for the document itself */
	json_t *parent;       /* the object or array holding the value */
	const char *key;      /* member key; NULL for an array element */
	size_t index;
};

struct parser {
	const struct bj_parse_opts *opts;
	struct bj_diags *diags;
	struct json_locs *locs;
	struct bj_policy *policy;
	bool out_of_memory;
	json_t *roles;       /* the "roles" object; NULL when missing or not an object */
	bool role_ids_known; /* every role has a valid id, so a role_id can be resolved */
	/* jansson objects serve as hash maps from strings to indices */
	json_t *role_by_key;
	json_t *role_by_id;
	json_t *role_by_name;
	json_t *listed_pods; /* pod id -> index in "pods" */
	json_t *pod_owner;   /* pod id -> [role index, JSON path of the claim, listed in pods] */
	json_t *exec_paths;  /* path -> index in its enrollment list */
	json_t *cgroup_paths;
	json_t *xattr_roles; /* role key -> index in xattr_enrollments */
	size_t advice_budget; /* see ADVICE_BUDGET */
};

/*
 * Advice (a "did you mean", a warning about a redundant rule) compares
 * things pairwise: thousands of misspelt references to thousands of roles
 * would make it quadratic. Past this many steps of such comparisons in a
 * parse, no more advice is given; errors and their messages stay the same.
 */
#define ADVICE_BUDGET (1u << 24)

/* An object being validated, and which of its keys its unknown keys resembled. */
struct fields {
	const struct seg *at;
	json_t *obj;
	const char *const *keys; /* the keys it may have, NULL-terminated */
	unsigned long suggested; /* bit i: an unknown key was taken for keys[i] */
};

/* --- paths, locations and reporting --- */

static struct seg member_seg(const struct seg *up, json_t *obj, const char *key)
{
	return (struct seg){ .up = up, .parent = obj, .key = key };
}

static struct seg element_seg(const struct seg *up, json_t *array, size_t index)
{
	return (struct seg){ .up = up, .parent = array, .index = index };
}

static bool is_identifier(const char *s)
{
	for (const char *c = s; *c; c++) {
		bool letter = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_';

		if (!letter && (c == s || *c < '0' || *c > '9'))
			return false;
	}
	return *s;
}

static void put_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c < 0x20)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

static void put_path(FILE *out, const struct seg *at)
{
	if (!at->up)
		return;
	put_path(out, at->up);
	if (!at->key) {
		fprintf(out, "[%zu]", at->index);
	} else if (is_identifier(at->key)) {
		fprintf(out, "%s%s", at->up->up ? "." : "", at->key);
	} else {
		fputc('[', out);
		put_json_string(out, at->key);
		fputc(']', out);
	}
}

/* "roles.webserver.network_rules[2]", or NULL when out of memory. */
static char *path_of(const struct seg *at)
{
	char *path = NULL;
	size_t size;
	FILE *out = open_memstream(&path, &size);

	if (!out)
		return NULL;
	put_path(out, at);
	if (fclose(out)) {
		free(path);
		return NULL;
	}
	return path;
}

static struct bj_loc value_loc(const struct parser *ps, const struct seg *at)
{
	if (!at->up)
		return json_loc_root(ps->locs);
	if (at->key)
		return json_loc_member(ps->locs, at->parent, at->key);
	return json_loc_element(ps->locs, at->parent, at->index);
}

static void vreport(struct parser *ps, enum bj_severity severity, struct bj_loc loc,
		    const struct seg *at, const char *fmt, va_list ap)
{
	char *path = path_of(at), *message = NULL;

	if (!path || vasprintf(&message, fmt, ap) < 0) {
		free(path);
		ps->out_of_memory = true;
		return;
	}
	diags_add(ps->diags, severity, loc, path, "%s", message);
	free(path);
	free(message);
}

/* An error about the value at. */
__attribute__((format(printf, 3, 4)))
static void error(struct parser *ps, const struct seg *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ps, BJ_ERROR, value_loc(ps, at), at, fmt, ap);
	va_end(ap);
}

/* An error about a member of the object at obj_at, pointing at the member's key. */
__attribute__((format(printf, 5, 6)))
static void error_key(struct parser *ps, const struct seg *obj_at, json_t *obj, const char *key,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ps, BJ_ERROR, json_loc_key(ps->locs, obj, key), obj_at, fmt, ap);
	va_end(ap);
}

/* An error at a location found otherwise than by the path. */
__attribute__((format(printf, 4, 5)))
static void error_loc(struct parser *ps, struct bj_loc loc, const struct seg *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ps, BJ_ERROR, loc, at, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void warning(struct parser *ps, const struct seg *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ps, BJ_WARNING, value_loc(ps, at), at, fmt, ap);
	va_end(ap);
}

/* --- values of the expected type --- */

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		break;
	}
	return "null";
}

static void type_error(struct parser *ps, const struct seg *at, const json_t *v, const char *expected)
{
	error(ps, at, "expected %s, got %s", expected, type_name(v));
}

static bool get_bool(struct parser *ps, const struct seg *at, const json_t *v, bool *out)
{
	if (!json_is_boolean(v)) {
		type_error(ps, at, v, "true or false");
		return false;
	}
	*out = json_is_true(v);
	return true;
}

static bool get_string(struct parser *ps, const struct seg *at, const json_t *v, const char **out)
{
	if (!json_is_string(v)) {
		type_error(ps, at, v, "a string");
		return false;
	}
	*out = json_string_value(v);
	return true;
}

/* An integer lo..hi; noun names what it is ("a port"), expected the range in words. */
static bool get_int(struct parser *ps, const struct seg *at, const json_t *v, json_int_t lo,
		    json_int_t hi, const char *noun, const char *expected, json_int_t *out)
{
	if (!json_is_integer(v)) {
		type_error(ps, at, v, "an integer");
		return false;
	}
	*out = json_integer_value(v);
	if (*out < lo || *out > hi) {
		error(ps, at, "%" JSON_INTEGER_FORMAT " is not %s (expected %s)", *out, noun, expected);
		return false;
	}
	return true;
}

static bool get_pod_id(struct parser *ps, const struct seg *at, const json_t *v, uint64_t *out)
{
	json_int_t id;

	if (json_is_integer(v) && json_integer_value(v) == 0) {
		error(ps, at, "pod id 0 means \"no pod\" (expected 1 or more)");
		return false;
	}
	if (!get_int(ps, at, v, 1, LLONG_MAX, "a pod id", "1 or more", &id))
		return false;
	*out = (uint64_t)id;
	return true;
}

static bool get_role_id(struct parser *ps, const struct seg *at, const json_t *v, uint32_t *out)
{
	json_int_t id;

	if (!get_int(ps, at, v, 1, UINT32_MAX, "a role id", "1..4294967295", &id))
		return false;
	*out = (uint32_t)id;
	return true;
}

/*
 * A string out of names (compared ignoring ASCII case when nocase is set);
 * returns its index, or -1 after reporting "unknown WHAT (expected EXPECTED)".
 */
static int get_choice(struct parser *ps, const struct seg *at, const json_t *v,
		      const char *const *names, bool nocase, const char *what, const char *expected)
{
	const char *s;

	if (!get_string(ps, at, v, &s))
		return -1;
	for (int i = 0; names[i]; i++)
		if (nocase ? !strcasecmp(s, names[i]) : !strcmp(s, names[i]))
			return i;
	error(ps, at, "unknown %s \"%s\" (expected %s)", what, s, expected);
	return -1;
}

/* --- "did you mean" --- */

#define SUGGEST_MAX_LEN 64

/* Optimal string alignment distance: edits, counting a swap of two neighbours as one. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][SUGGEST_MAX_LEN + 1];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *oldest = prev2;

		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = prev[j - 1] + cost;

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		prev2 = prev;
		prev = cur;
		cur = oldest;
	}
	return prev[lb];
}

struct suggestion {
	const char *typed;
	const char *best; /* NULL until a candidate is close enough */
	size_t distance;
	size_t *budget;   /* parser.advice_budget */
};

/*
 * Close enough: at most 2 edits, or a third of the candidate, and not all
 * of it. A shortened key ("allow_net") counts as one edit away.
 */
static void consider(struct suggestion *s, const char *candidate)
{
	size_t len = strnlen(candidate, SUGGEST_MAX_LEN + 1);
	size_t typed = strnlen(s->typed, SUGGEST_MAX_LEN + 1);
	size_t limit = len / 3 > 2 ? len / 3 : 2, d;

	if (*s->budget < (typed + 1) * (len + 1)) {
		*s->budget = 0;
		return;
	}
	*s->budget -= (typed + 1) * (len + 1);
	/* edits are at least the difference in length: most candidates end here */
	if (typed > SUGGEST_MAX_LEN || len > SUGGEST_MAX_LEN || typed > len + limit)
		return;
	if (typed >= 4 && typed < len && !strncmp(candidate, s->typed, typed))
		d = 1;
	else
		d = edit_distance(s->typed, candidate);
	if (d <= limit && d < len && (!s->best || d < s->distance)) {
		s->best = candidate;
		s->distance = d;
	}
}

/* --- objects with a fixed set of keys --- */

static int key_index(const char *const *keys, const char *key)
{
	for (int i = 0; keys[i]; i++)
		if (!strcmp(keys[i], key))
			return i;
	return -1;
}

/* hidden keys are suggested but not listed: they are known, and rejected with a message of their own */
static void unknown_key(struct parser *ps, struct fields *f, const char *key, const char *const *hidden)
{
	struct suggestion s = { .typed = key, .budget = &ps->advice_budget };
	char list[512];
	size_t len = 0;

	for (int i = 0; f->keys[i]; i++)
		consider(&s, f->keys[i]);
	for (int i = 0; hidden && hidden[i]; i++)
		consider(&s, hidden[i]);
	if (s.best) {
		if (key_index(f->keys, s.best) >= 0)
			f->suggested |= 1ul << key_index(f->keys, s.best);
		error_key(ps, f->at, f->obj, key, "unknown key \"%s\" (did you mean \"%s\"?)", key, s.best);
		return;
	}
	list[0] = '\0';
	for (int i = 0; f->keys[i] && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", f->keys[i]);
	error_key(ps, f->at, f->obj, key, "unknown key \"%s\" (expected one of: %s)", key, list);
}

/*
 * Start on an object that may hold keys and, without their being offered
 * in messages, hidden keys (rejected later with a message of their own).
 */
static bool open_object(struct parser *ps, const struct seg *at, json_t *v, const char *const *keys,
			const char *const *hidden, struct fields *f)
{
	const char *key;
	json_t *value;

	if (!json_is_object(v)) {
		type_error(ps, at, v, "an object");
		return false;
	}
	*f = (struct fields){ .at = at, .obj = v, .keys = keys };
	json_object_foreach(v, key, value)
		if (key_index(keys, key) < 0 && (!hidden || key_index(hidden, key) < 0))
			unknown_key(ps, f, key, hidden);
	return true;
}

static json_t *member(const struct fields *f, const char *key, struct seg *at)
{
	*at = member_seg(f->at, f->obj, key);
	return json_object_get(f->obj, key);
}

/* A member that must be there; "missing" is not reported for a key that was only misspelt. */
static json_t *require(struct parser *ps, const struct fields *f, const char *key, struct seg *at,
		       const char *hint)
{
	json_t *v = member(f, key, at);

	if (!v && !(f->suggested & (1ul << key_index(f->keys, key))))
		error(ps, f->at, "missing \"%s\" (%s)", key, hint);
	return v;
}

/* --- paths and addresses --- */

/*
 * An absolute path, returned normalised: no "." or ".." components, no
 * doubled or trailing slash, and for a pattern (wildcards set) no trailing
 * "**", since a pattern matches its whole subtree anyway. "/" is the root.
 * what names the field in messages. NULL after reporting an error.
 */
static char *get_path(struct parser *ps, const struct seg *at, const json_t *v, const char *what,
		      bool wildcards)
{
	const char *s, *c;
	char *out, *o;

	if (!get_string(ps, at, v, &s))
		return NULL;
	if (!*s) {
		error(ps, at, "empty %s (expected an absolute path)", what);
		return NULL;
	}
	if (*s != '/') {
		error(ps, at, "%s \"%s\" is not absolute (expected a path starting with \"/\")", what, s);
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
			error(ps, at, "%s \"%s\": \".\" and \"..\" components are not allowed", what, s);
			goto fail;
		}
		if (memchr(comp, '*', n)) {
			if (!wildcards) {
				error(ps, at, "%s \"%s\" cannot contain wildcards", what, s);
				goto fail;
			}
			if (n == 2 && comp[1] == '*') {
				if (c[strspn(c, "/")]) {
					error(ps, at, "%s \"%s\": \"**\" is allowed only as the last component",
					      what, s);
					goto fail;
				}
				break;
			}
			if (n != 1) {
				error(ps, at, "%s \"%s\": \"*\" must be a whole component (as in \"/home/*/.ssh\")",
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

/*
 * "10.0.0.0/8", "fd00::/8", or a bare address (a /32 or /128). IPv4 is
 * stored as IPv4-mapped IPv6, where the kernel meets both spellings.
 */
static bool get_cidr(struct parser *ps, const struct seg *at, const json_t *v, struct bj_ip_rule *r)
{
	const char *s, *slash;
	char addr[INET6_ADDRSTRLEN], net[INET6_ADDRSTRLEN];
	uint8_t a[16] = { 0 }, masked[16];
	unsigned max, prefix;
	size_t len;
	bool v4;

	if (!get_string(ps, at, v, &s))
		return false;
	slash = strchr(s, '/');
	len = slash ? (size_t)(slash - s) : strlen(s);
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
			error(ps, at, "prefix /%u is too long for an IPv%d address (expected 0..%u)", prefix,
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
		error(ps, at, "\"%s\" has host bits set (did you mean \"%s/%u\"?)", s, net, prefix);
		return false;
	}
	memcpy(r->addr, a, sizeof(a));
	return true;
bad:
	error(ps, at, "\"%s\" is not a CIDR block (expected an address and prefix such as "
		      "\"10.0.0.0/8\" or \"fd00::/8\")", s);
	return false;
}

/* --- rules of a role --- */

/* Validates one element of a list into item (zeroed); errors go to diags. */
typedef void parse_item_fn(struct parser *ps, const struct seg *at, json_t *v, void *item);

/* An optional list under key, each element parsed into a new array of n items. */
static void *parse_list(struct parser *ps, const struct fields *f, const char *key, size_t size,
			parse_item_fn *parse_item, size_t *n)
{
	struct seg at;
	json_t *list = member(f, key, &at), *v;
	char *items;
	size_t i;

	*n = 0;
	if (!list)
		return NULL;
	if (!json_is_array(list)) {
		type_error(ps, &at, list, "an array");
		return NULL;
	}
	if (!json_array_size(list))
		return NULL;
	items = calloc(json_array_size(list), size);
	if (!items) {
		ps->out_of_memory = true;
		return NULL;
	}
	json_array_foreach(list, i, v) {
		struct seg item_at = element_seg(&at, list, i);

		parse_item(ps, &item_at, v, items + i * size);
	}
	*n = json_array_size(list);
	return items;
}

static void parse_access(struct parser *ps, const struct seg *at, const json_t *v, uint8_t *access)
{
	static const char letters[] = "rwx";
	static const uint8_t rights[] = { BJ_RIGHT_READ, BJ_RIGHT_WRITE, BJ_RIGHT_MAP_EXEC };
	const char *s;

	if (!get_string(ps, at, v, &s))
		return;
	if (!*s) {
		error(ps, at, "empty access (expected some of the letters r, w and x)");
		return;
	}
	*access = 0;
	for (const char *c = s; *c; c++) {
		const char *letter = strchr(letters, *c);
		uint8_t right = letter ? rights[letter - letters] : 0;

		if (!right) {
			/* the whole character, should it be a multibyte one */
			int len = 1;

			while ((c[len] & 0xc0) == 0x80)
				len++;
			error(ps, at, "unknown access letter \"%.*s\" in \"%s\" (expected r, w or x)", len, c, s);
			return;
		}
		if (*access & right) {
			error(ps, at, "access letter \"%c\" given twice in \"%s\"", *c, s);
			return;
		}
		*access |= right;
	}
}

static void parse_file_rule(struct parser *ps, const struct seg *at, json_t *v, void *item)
{
	static const char *const keys[] = { "pattern", "allow", "access", NULL };
	struct bj_file_rule *r = item;
	struct fields f;
	struct seg s;
	json_t *x;

	r->access = BJ_RIGHTS_FILE;
	if (!open_object(ps, at, v, keys, NULL, &f))
		return;
	if ((x = require(ps, &f, "pattern", &s, "expected an absolute path"))) {
		r->pattern = get_path(ps, &s, x, "pattern", true);
		r->loc = value_loc(ps, &s);
	}
	if ((x = require(ps, &f, "allow", &s, "expected true or false")))
		get_bool(ps, &s, x, &r->allow);
	if ((x = member(&f, "access", &s)))
		parse_access(ps, &s, x, &r->access);
}

/* A port of a network rule; 0, the wildcard, only where allow_wildcard is set. */
static bool get_port(struct parser *ps, const struct seg *at, const json_t *v, bool allow_wildcard,
		     uint16_t *out)
{
	json_int_t port;

	if (!get_int(ps, at, v, allow_wildcard ? 0 : 1, 65535, "a port",
		     allow_wildcard ? "0..65535, where 0 means every port" : "1..65535", &port))
		return false;
	*out = (uint16_t)port;
	return true;
}

static void parse_ports(struct parser *ps, const struct fields *f, struct bj_net_rule *r)
{
	struct seg port_at, start_at, end_at;
	json_t *port = member(f, "port", &port_at);
	json_t *start = member(f, "port_start", &start_at);
	json_t *end = member(f, "port_end", &end_at);
	bool start_ok, end_ok;

	if (port && (start || end)) {
		error(ps, f->at, "give either \"port\" or \"port_start\" and \"port_end\", not both");
		return;
	}
	if (port) {
		if (get_port(ps, &port_at, port, true, &r->port_first))
			r->port_last = r->port_first;
		return;
	}
	if (!start && !end) {
		if (!(f->suggested & (1ul << key_index(f->keys, "port") | 1ul << key_index(f->keys, "port_start") |
				      1ul << key_index(f->keys, "port_end"))))
			error(ps, f->at, "missing \"port\" (or \"port_start\" and \"port_end\")");
		return;
	}
	start = require(ps, f, "port_start", &start_at, "a range needs \"port_start\" and \"port_end\"");
	end = require(ps, f, "port_end", &end_at, "a range needs \"port_start\" and \"port_end\"");
	start_ok = start && get_port(ps, &start_at, start, false, &r->port_first);
	end_ok = end && get_port(ps, &end_at, end, false, &r->port_last);
	if (start_ok && end_ok && r->port_first > r->port_last)
		error(ps, &start_at, "port_start %u is greater than port_end %u", r->port_first,
		      r->port_last);
}

static void parse_net_rule(struct parser *ps, const struct seg *at, json_t *v, void *item)
{
	static const char *const keys[] = {
		"protocol", "port", "port_start", "port_end", "allow", "direction", NULL,
	};
	static const char *const hidden[] = { "address", NULL };
	static const char *const protocols[] = { "tcp", "udp", NULL };
	static const char *const directions[] = { "bind", "connect", "both", NULL };
	struct bj_net_rule *r = item;
	struct fields f;
	struct seg s;
	json_t *x;
	int i;

	r->directions = BJ_DIR_BIND | BJ_DIR_CONNECT;
	if (!open_object(ps, at, v, keys, hidden, &f))
		return;
	r->loc = value_loc(ps, at);
	if ((x = require(ps, &f, "protocol", &s, "expected tcp or udp")) &&
	    (i = get_choice(ps, &s, x, protocols, true, "protocol", "tcp or udp")) >= 0)
		r->protocol = i ? BJ_PROTO_UDP : BJ_PROTO_TCP;
	parse_ports(ps, &f, r);
	if ((x = require(ps, &f, "allow", &s, "expected true or false")))
		get_bool(ps, &s, x, &r->allow);
	if ((x = member(&f, "direction", &s)) &&
	    (i = get_choice(ps, &s, x, directions, false, "direction", "bind, connect or both")) >= 0)
		r->directions = i == 0 ? BJ_DIR_BIND : i == 1 ? BJ_DIR_CONNECT : BJ_DIR_BIND | BJ_DIR_CONNECT;
	if (member(&f, "address", &s))
		error(ps, &s, "network rules do not match addresses (the seed accepted \"address\" and "
			      "never used it); put addresses in ip_rules");
}

static void parse_ip_rule(struct parser *ps, const struct seg *at, json_t *v, void *item)
{
	static const char *const keys[] = { "cidr", "allow", "direction", NULL };
	struct bj_ip_rule *r = item;
	struct fields f;
	const char *dir;
	struct seg s;
	json_t *x;

	if (!open_object(ps, at, v, keys, NULL, &f))
		return;
	r->loc = value_loc(ps, at);
	if ((x = require(ps, &f, "cidr", &s, "expected an address and prefix such as \"10.0.0.0/8\"")))
		get_cidr(ps, &s, x, r);
	if ((x = require(ps, &f, "allow", &s, "expected true or false")))
		get_bool(ps, &s, x, &r->allow);
	if ((x = member(&f, "direction", &s)) && get_string(ps, &s, x, &dir) && strcmp(dir, "connect") &&
	    strcmp(dir, "egress"))
		error(ps, &s, "ip rules apply to the destinations of connect and sendmsg only, not to "
			      "\"%s\" (expected connect or egress)", dir);
}

static void parse_exec_rule(struct parser *ps, const struct seg *at, json_t *v, void *item)
{
	static const char *const keys[] = { "binary_path", "allow", "args_pattern", NULL };
	struct bj_exec_rule *r = item;
	struct fields f;
	struct seg s;
	json_t *x;

	if (!open_object(ps, at, v, keys, NULL, &f))
		return;
	if ((x = require(ps, &f, "binary_path", &s, "expected an absolute path"))) {
		r->binary_path = get_path(ps, &s, x, "binary_path", false);
		r->loc = value_loc(ps, &s);
	}
	if ((x = require(ps, &f, "allow", &s, "expected true or false")))
		get_bool(ps, &s, x, &r->allow);
	if ((x = member(&f, "args_pattern", &s)) && !json_is_null(x)) {
		if (json_is_string(x))
			error(ps, &s, "argument matching is not enforced; remove args_pattern or set it to null");
		else
			type_error(ps, &s, x, "null");
	}
}

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

static void warn_useless_allows(struct parser *ps, const struct fields *f, const struct bj_role *role)
{
	struct seg list_at;
	json_t *list = member(f, "network_rules", &list_at);

	for (size_t i = 0; i < role->n_net; i++) {
		struct seg at = element_seg(&list_at, list, i);

		if (!role->net[i].allow)
			continue;
		if (ps->advice_budget < role->n_net) {
			ps->advice_budget = 0;
			return;
		}
		ps->advice_budget -= role->n_net;
		if (!allow_matters(role, &role->net[i]))
			warning(ps, &at, "this allow rule changes nothing: allow_network is true and no deny "
					 "rule covers its ports (allow_network: false plus allow rules means "
					 "\"only these ports\")");
	}
}

/* --- roles --- */

/* jansson objects as hash maps; -1: not there. */
static json_int_t map_get(json_t *map, const char *key)
{
	json_t *v = json_object_get(map, key);

	return v ? json_integer_value(v) : -1;
}

static void map_put(struct parser *ps, json_t *map, const char *key, json_int_t value)
{
	if (json_object_set_new(map, key, json_integer(value)))
		ps->out_of_memory = true;
}

#define NOT_BUILT_SIGNED "signed-binary verification is not built yet, so a role that requires it " \
			 "cannot be enforced (set require_signed_binary to false)"

static void parse_flags(struct parser *ps, const struct seg *at, json_t *v, struct bj_role *role)
{
	static const char *const keys[] = {
		"allow_file_access", "allow_network", "allow_exec", "allow_setuid", "allow_ptrace",
		"allow_module_load", "allow_bpf_load", "allow_kernel_tunables", "allow_abstract_unix",
		"require_signed_binary", "require_proxy", NULL,
	};
	static const uint32_t bits[] = {
		BJ_FLAG_FILE, BJ_FLAG_NETWORK, BJ_FLAG_EXEC, BJ_FLAG_SETUID, BJ_FLAG_PTRACE,
		BJ_FLAG_MODULE_LOAD, BJ_FLAG_BPF_LOAD, BJ_FLAG_KERNEL_TUNABLES, BJ_FLAG_ABSTRACT_UNIX,
		BJ_FLAG_SIGNED, 0,
	};
	struct fields f;

	if (!open_object(ps, at, v, keys, NULL, &f))
		return;
	for (size_t i = 0; keys[i]; i++) {
		struct seg s;
		json_t *x = member(&f, keys[i], &s);
		bool set;

		if (!x || !get_bool(ps, &s, x, &set) || !set)
			continue;
		if (bits[i] == BJ_FLAG_SIGNED)
			error(ps, &s, NOT_BUILT_SIGNED);
		else if (!bits[i])
			error(ps, &s, "require_proxy needs the seed's proxy, which is daemon-only and not "
				      "supported in daemonless mode (set it to false)");
		role->flags |= bits[i];
	}
}

static void parse_role_id(struct parser *ps, const struct fields *f, struct bj_role *role, size_t index)
{
	struct seg s;
	json_t *x = require(ps, f, "id", &s, "expected an integer 1..4294967295");
	char id[16];
	json_int_t other;

	if (!x || !get_role_id(ps, &s, x, &role->id)) {
		ps->role_ids_known = false;
		return;
	}
	snprintf(id, sizeof(id), "%" PRIu32, role->id);
	other = map_get(ps->role_by_id, id);
	if (other >= 0)
		error(ps, &s, "role id %" PRIu32 " is already used by role \"%s\"", role->id,
		      ps->policy->roles[other].key);
	else
		map_put(ps, ps->role_by_id, id, (json_int_t)index);
}

static void parse_role_name(struct parser *ps, const struct fields *f, struct bj_role *role, size_t index)
{
	struct seg s;
	json_t *x = member(f, "name", &s);
	const char *name = role->key;
	json_int_t other;

	if (x && !get_string(ps, &s, x, &name))
		return;
	role->name = strdup(name);
	if (!role->name) {
		ps->out_of_memory = true;
		return;
	}
	other = map_get(ps->role_by_name, name);
	if (other < 0)
		map_put(ps, ps->role_by_name, name, (json_int_t)index);
	else if (x)
		error(ps, &s, "name \"%s\" is already used by role \"%s\"", name, ps->policy->roles[other].key);
	else
		error(ps, f->at, "name \"%s\" (taken from the key) is already used by role \"%s\"", name,
		      ps->policy->roles[other].key);
}

/* --- what a role keeps: capabilities, address families, devices --- */

/* A table of names (caps.h) as the parser reads lists of them. */
struct name_table {
	const char *what;     /* "capability", in messages */
	const char *expected; /* offered when no name is close */
	size_t prefix;        /* length of "CAP_": "net_raw" is taken for "CAP_NET_RAW" */
	unsigned first;       /* lowest number a policy may list */
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
		consider(&s, name);
	return s.best;
}

/* The number of a name in t, or -1 after reporting it. */
static int get_table_name(struct parser *ps, const struct seg *at, const json_t *v, const struct name_table *t)
{
	const char *s, *best;
	int n;

	if (!get_string(ps, at, v, &s))
		return -1;
	n = t->by_name(s);
	if (n >= (int)t->first)
		return n;
	if (n >= 0) {
		error(ps, at, "%s %s", s, t->below_first);
		return -1;
	}
	best = closest_name(ps, t, s);
	if (best)
		error(ps, at, "unknown %s \"%s\" (did you mean \"%s\"?)", t->what, s, best);
	else
		error(ps, at, "unknown %s \"%s\" (expected %s)", t->what, s, t->expected);
	return -1;
}

/* An optional array of names under key into the bit set *set; whether the key is there. */
static bool parse_name_set(struct parser *ps, const struct fields *f, const char *key,
			   const struct name_table *t, uint64_t *set)
{
	size_t listed_at[64], i;
	struct seg at;
	json_t *list = member(f, key, &at), *v;

	if (!list)
		return false;
	if (!json_is_array(list)) {
		type_error(ps, &at, list, "an array of names");
		return true;
	}
	json_array_foreach(list, i, v) {
		struct seg item_at = element_seg(&at, list, i);
		int n = get_table_name(ps, &item_at, v, t);

		if (n < 0)
			continue;
		if (!(*set & BJ_BIT(n))) {
			*set |= BJ_BIT(n);
			listed_at[n] = i;
		} else if (strcmp(json_string_value(v), t->name_of((unsigned)n))) {
			error(ps, &item_at, "\"%s\" (%s) is already listed at %s[%zu]", json_string_value(v),
			      t->name_of((unsigned)n), key, listed_at[n]);
		} else {
			error(ps, &item_at, "%s is already listed at %s[%zu]", json_string_value(v), key,
			      listed_at[n]);
		}
	}
	return true;
}

#define DEV_MAJOR_MAX 4095u      /* majors are 12 bits */
#define DEV_MINOR_MAX 0xfffffu   /* minors 20 bits */
#define DEVICE_SYNTAX "expected \"c MAJOR:MINOR ACCESS\" or \"b MAJOR:MINOR ACCESS\", as in " \
		      "\"c 10:200 rw\" or \"b 8:* r\""

/* A device number as written, and its value (ULONG_MAX when too long to be one). */
struct dev_number {
	const char *text;
	int len;
	unsigned long value;
};

/* Decimal digits at *s; advances *s past them. */
static bool scan_number(const char **s, struct dev_number *out)
{
	size_t n = strspn(*s, "0123456789");

	if (!n)
		return false;
	/* nine digits cannot overflow, and no device number has more */
	*out = (struct dev_number){
		.text = *s,
		.len = n > INT_MAX ? INT_MAX : (int)n,
		.value = n > 9 ? ULONG_MAX : strtoul(*s, NULL, 10),
	};
	*s += n;
	return true;
}

/* The access letters of a device rule: r, w, each at most once. */
static bool device_access(struct parser *ps, const struct seg *at, const char *rule, const char *s,
			  uint8_t *access)
{
	*access = 0;
	for (const char *c = s; *c; c++) {
		uint8_t right = *c == 'r' ? BJ_RIGHT_READ : *c == 'w' ? BJ_RIGHT_WRITE : 0;

		if (*c == 'm') {
			error(ps, at, "\"%s\": access \"m\" cannot be granted: creating device nodes is never "
				      "allowed (expected r, w or both)", rule);
			return false;
		}
		if (!right) {
			int len = 1; /* the whole character, should it be a multibyte one */

			while ((c[len] & 0xc0) == 0x80)
				len++;
			error(ps, at, "unknown access letter \"%.*s\" in \"%s\" (expected r, w or both)", len, c,
			      rule);
			return false;
		}
		if (*access & right) {
			error(ps, at, "access letter \"%c\" given twice in \"%s\"", *c, rule);
			return false;
		}
		*access |= right;
	}
	return true;
}

/* The parts of a device rule as written, before their ranges are checked. */
struct device_text {
	struct dev_number major, minor;
	bool any_minor;
	const char *access; /* the rest of the text */
};

/* "c 10:200 rw": whether s has that shape. */
static bool scan_device(const char *s, struct device_text *out)
{
	const char *c;

	if ((s[0] != 'c' && s[0] != 'b') || s[1] != ' ')
		return false;
	c = s + 2;
	if (!scan_number(&c, &out->major) || *c++ != ':')
		return false;
	out->any_minor = *c == '*';
	if (out->any_minor)
		c++;
	else if (!scan_number(&c, &out->minor))
		return false;
	if (*c++ != ' ' || !*c || strchr(c, ' '))
		return false;
	out->access = c;
	return true;
}

/*
 * "c 10:200 rw", "b 8:* r": the type, the device numbers (any minor for
 * "*") and the rights, as cgroup v1's devices.allow spells them without
 * "m". An entry left with type 0 is invalid (and reported).
 */
static void parse_device_rule(struct parser *ps, const struct seg *at, json_t *v, void *item)
{
	struct bj_device_rule *d = item;
	struct device_text dt = { 0 };
	const char *s;
	uint8_t access;

	if (!get_string(ps, at, v, &s))
		return;
	d->loc = value_loc(ps, at);
	if (!scan_device(s, &dt)) {
		error(ps, at, "\"%s\" is not a device rule (" DEVICE_SYNTAX ")", s);
		return;
	}
	if (dt.major.value > DEV_MAJOR_MAX) {
		error(ps, at, "major %.*s in \"%s\" is out of range (expected 0..%u)", dt.major.len,
		      dt.major.text, s, DEV_MAJOR_MAX);
		return;
	}
	if (!dt.any_minor && dt.minor.value > DEV_MINOR_MAX) {
		error(ps, at, "minor %.*s in \"%s\" is out of range (expected 0..%u or *)", dt.minor.len,
		      dt.minor.text, s, DEV_MINOR_MAX);
		return;
	}
	if (!device_access(ps, at, s, dt.access, &access))
		return;
	d->type = s[0] == 'c' ? BJ_DEV_CHAR : BJ_DEV_BLOCK;
	d->major = (uint32_t)dt.major.value;
	d->minor = dt.any_minor ? BJ_DEV_ANY_MINOR : (uint32_t)dt.minor.value;
	d->access = access;
}

/* "devices": each valid entry once (an exact minor and "*" are different entries). */
static void parse_devices(struct parser *ps, const struct fields *f, struct bj_role *role)
{
	struct seg at;
	json_t *list = member(f, "devices", &at), *seen;

	role->devices = parse_list(ps, f, "devices", sizeof(*role->devices), parse_device_rule,
				   &role->n_devices);
	if (!role->n_devices)
		return;
	seen = json_object();
	if (!seen) {
		ps->out_of_memory = true;
		return;
	}
	for (size_t i = 0; i < role->n_devices; i++) {
		const struct bj_device_rule *d = &role->devices[i];
		struct seg item_at = element_seg(&at, list, i);
		json_int_t other;
		char key[32];

		if (!d->type)
			continue;
		bj_device_format(key, sizeof(key), d->type, d->major, d->minor);
		other = map_get(seen, key);
		if (other >= 0)
			error(ps, &item_at, "device %s is already listed at devices[%" JSON_INTEGER_FORMAT "]",
			      key, other);
		else
			map_put(ps, seen, key, (json_int_t)i);
	}
	json_decref(seen);
}

/* --- warnings for policies written before capabilities and kernel tunables were rules --- */

/* Kernel-control file systems whose files a role writes only with allow_kernel_tunables. */
static const struct {
	const char *prefix;
	const char *what;
} tunable_trees[] = {
	/* the most specific first: the first that matches names the tree */
	{ "/proc/sys", "sysctls" },
	{ "/sys/fs/cgroup", "cgroupfs" },
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

static void warn_file_rule(struct parser *ps, const struct seg *at, const struct bj_role *role,
			   const struct bj_file_rule *r)
{
	int tree;

	if (!r->allow || !r->pattern)
		return;
	tree = tunable_tree(r->pattern);
	if (tree >= 0 && (r->access & BJ_RIGHT_WRITE) && !(role->flags & BJ_FLAG_KERNEL_TUNABLES))
		warning(ps, at, "writing under %s (%s) has no effect without allow_kernel_tunables: "
				"kernel-control file systems are read-only to jailed tasks",
			tunable_trees[tree].prefix, tunable_trees[tree].what);
	if ((r->access & (BJ_RIGHT_READ | BJ_RIGHT_WRITE)) && !role->n_devices && about_devices(r->pattern))
		warning(ps, at, "device nodes also need a \"devices\" entry: only the built-in pseudo "
				"devices, such as /dev/null and /dev/pts, are open to every role");
}

/*
 * What a policy written for the old rules would lose without a word:
 * allow_network and no network rules kept CAP_NET_ADMIN and CAP_NET_RAW;
 * file rules alone decided writes to /proc/sys and /sys, and opens of
 * devices.
 */
static void warn_migration(struct parser *ps, const struct fields *f, const struct bj_role *role)
{
	struct seg flags_at, list_at;
	json_t *flags = member(f, "flags", &flags_at), *list = member(f, "file_paths", &list_at);

	if ((role->flags & BJ_FLAG_NETWORK) && !role->n_net && !role->n_ips && !role->has_caps) {
		struct seg at = member_seg(&flags_at, flags, "allow_network");

		warning(ps, &at, "allow_network with no network or ip rules no longer keeps CAP_NET_ADMIN "
				 "and CAP_NET_RAW: list them in \"capabilities\" if the role needs them (and "
				 "\"address_families\": [\"AF_PACKET\"] for packet sockets)");
	}
	for (size_t i = 0; i < role->n_files; i++) {
		struct seg item_at = element_seg(&list_at, list, i);
		struct seg at = member_seg(&item_at, json_array_get(list, i), "pattern");

		warn_file_rule(ps, &at, role, &role->files[i]);
	}
}

static void parse_role_body(struct parser *ps, const struct seg *at, json_t *v, struct bj_role *role,
			    size_t index)
{
	static const char *const keys[] = {
		"id", "name", "flags", "file_paths", "network_rules", "ip_rules", "execution_rules",
		"capabilities", "address_families", "devices", "require_signed_binary", "mode", "audit", NULL,
	};
	static const char *const hidden[] = { "domain_rules", "proxy", NULL };
	static const char *const modes[] = { "enforce", "complain", NULL };
	static const char *const audits[] = { "deny", "all", "none", NULL };
	bool flags_ok = true, signed_binary;
	size_t errors;
	struct fields f;
	struct seg s;
	json_t *x;
	int i;

	if (!open_object(ps, at, v, keys, hidden, &f)) {
		ps->role_ids_known = false;
		return;
	}
	parse_role_id(ps, &f, role, index);
	parse_role_name(ps, &f, role, index);
	if ((x = member(&f, "flags", &s))) {
		errors = ps->diags->n_errors;
		parse_flags(ps, &s, x, role);
		flags_ok = ps->diags->n_errors == errors;
	}
	if ((x = member(&f, "require_signed_binary", &s)) && get_bool(ps, &s, x, &signed_binary) &&
	    signed_binary)
		error(ps, &s, NOT_BUILT_SIGNED);
	if ((x = member(&f, "mode", &s)) &&
	    (i = get_choice(ps, &s, x, modes, false, "mode", "enforce or complain")) >= 0)
		role->mode = i ? BJ_MODE_COMPLAIN : BJ_MODE_ENFORCE;
	if ((x = member(&f, "audit", &s)) &&
	    (i = get_choice(ps, &s, x, audits, false, "audit level", "deny, all or none")) >= 0)
		role->audit = i == 0 ? BJ_AUDIT_DENY : i == 1 ? BJ_AUDIT_ALL : BJ_AUDIT_NONE;
	role->files = parse_list(ps, &f, "file_paths", sizeof(*role->files), parse_file_rule, &role->n_files);
	errors = ps->diags->n_errors;
	role->net = parse_list(ps, &f, "network_rules", sizeof(*role->net), parse_net_rule, &role->n_net);
	if (flags_ok && ps->diags->n_errors == errors && (role->flags & BJ_FLAG_NETWORK))
		warn_useless_allows(ps, &f, role);
	role->ips = parse_list(ps, &f, "ip_rules", sizeof(*role->ips), parse_ip_rule, &role->n_ips);
	role->execs = parse_list(ps, &f, "execution_rules", sizeof(*role->execs), parse_exec_rule,
				 &role->n_execs);
	role->has_caps = parse_name_set(ps, &f, "capabilities", &cap_names, &role->caps);
	parse_name_set(ps, &f, "address_families", &family_names, &role->families);
	parse_devices(ps, &f, role);
	if (flags_ok)
		warn_migration(ps, &f, role);
	if (member(&f, "domain_rules", &s))
		error(ps, &s, "domain_rules are daemon-only in the seed and not supported in daemonless "
			      "mode (ip_rules match addresses)");
	if (member(&f, "proxy", &s))
		error(ps, &s, "proxy is daemon-only in the seed and not supported in daemonless mode");
}

static void parse_roles(struct parser *ps, const struct seg *at, json_t *roles)
{
	struct bj_policy *policy = ps->policy;
	const char *key;
	json_t *v;
	size_t i = 0;

	if (!json_is_object(roles)) {
		type_error(ps, at, roles, "an object of roles by name");
		return;
	}
	ps->roles = roles;
	if (!json_object_size(roles))
		return;
	policy->roles = calloc(json_object_size(roles), sizeof(*policy->roles));
	if (!policy->roles) {
		ps->out_of_memory = true;
		return;
	}
	json_object_foreach(roles, key, v) {
		struct bj_role *role = &policy->roles[i];
		struct seg role_at = member_seg(at, roles, key);

		policy->n_roles++;
		role->loc = value_loc(ps, &role_at);
		role->key = strdup(key);
		if (!role->key) {
			ps->out_of_memory = true;
			return;
		}
		map_put(ps, ps->role_by_key, key, (json_int_t)i);
		if (!*key)
			error_key(ps, at, roles, key, "empty role key (enrollments name a role by its key)");
		else if (strlen(key) >= BJ_ROLE_NAME_LEN)
			error_key(ps, at, roles, key, "role key \"%s\" is longer than %d bytes, all that "
				  "audit records carry", key, BJ_ROLE_NAME_LEN - 1);
		parse_role_body(ps, &role_at, v, role, i);
		i++;
	}
}

/* --- pods and enrollments --- */

/* The index of the role a reference names, or -1 after an error. */
static ssize_t get_role_ref(struct parser *ps, const struct seg *at, const json_t *v)
{
	struct suggestion s;
	const char *key, *candidate;
	json_int_t index;
	json_t *role;

	if (!get_string(ps, at, v, &key) || !ps->roles) /* no roles: already reported */
		return -1;
	index = map_get(ps->role_by_key, key);
	if (index >= 0)
		return (ssize_t)index;
	s = (struct suggestion){ .typed = key, .budget = &ps->advice_budget };
	json_object_foreach(ps->roles, candidate, role) {
		if (!ps->advice_budget)
			break;
		consider(&s, candidate);
	}
	if (s.best)
		error(ps, at, "unknown role \"%s\" (did you mean \"%s\"?)", key, s.best);
	else
		error(ps, at, "unknown role \"%s\" (expected a key of \"roles\")", key);
	return -1;
}

static void pod_key(char key[24], uint64_t pod)
{
	snprintf(key, 24, "%" PRIu64, pod);
}

/*
 * One pod, one role: a pod listed in "pods" has the role given there, else
 * the role of the first enrollment that names it. A contradiction is
 * reported at at, naming item_at of the first claim.
 */
static void claim_pod(struct parser *ps, const struct seg *item_at, const struct seg *at, uint64_t pod,
		      size_t role, bool listed)
{
	const struct bj_role *roles = ps->policy->roles;
	char key[24], *where = path_of(item_at);
	json_t *owner;
	json_int_t owner_role;
	const char *owner_where;
	int owner_listed;

	if (!where) {
		ps->out_of_memory = true;
		return;
	}
	pod_key(key, pod);
	owner = json_object_get(ps->pod_owner, key);
	if (!owner) {
		if (json_object_set_new(ps->pod_owner, key, json_pack("[I,s,b]", (json_int_t)role, where, listed)))
			ps->out_of_memory = true;
	} else if (!json_unpack(owner, "[I,s,b]", &owner_role, &owner_where, &owner_listed) &&
		   (size_t)owner_role != role) {
		if (owner_listed)
			error(ps, at, "pod %" PRIu64 " is listed in %s with role_id %" PRIu32
				      " (role \"%s\"), not role \"%s\" (id %" PRIu32 ")",
			      pod, owner_where, roles[owner_role].id, roles[owner_role].key, roles[role].key,
			      roles[role].id);
		else
			error(ps, at, "pod %" PRIu64 " is already enrolled with role \"%s\" by %s; a pod "
				      "has one role", pod, roles[owner_role].key, owner_where);
	}
	free(where);
}

static void parse_pod(struct parser *ps, const struct seg *at, json_t *v, void *item)
{
	static const char *const keys[] = { "id", "role_id", "stack_depth", NULL };
	struct bj_pod *pod = item;
	struct seg id_at, role_at, s;
	json_t *id, *role_id, *x;
	bool id_ok, role_ok;
	json_int_t depth, other, role;
	struct fields f;
	char key[24];

	if (!open_object(ps, at, v, keys, NULL, &f))
		return;
	pod->loc = value_loc(ps, at);
	id = require(ps, &f, "id", &id_at, "expected an integer 1 or more");
	id_ok = id && get_pod_id(ps, &id_at, id, &pod->id);
	role_id = require(ps, &f, "role_id", &role_at, "expected the id of a role");
	role_ok = role_id && get_role_id(ps, &role_at, role_id, &pod->role_id);
	if ((x = member(&f, "stack_depth", &s)) &&
	    get_int(ps, &s, x, 0, UINT8_MAX, "a stack depth", "0..255", &depth)) {
		pod->stack_depth = (uint8_t)depth;
		/* Said, not silently ignored: the seed's field has no meaning here. */
		if (depth > 1)
			warning(ps, &s, "stack_depth %" JSON_INTEGER_FORMAT " has no effect: roles do not stack, "
					"an enrolled process keeps its first role", depth);
	}
	if (!id_ok)
		return;
	pod_key(key, pod->id);
	other = map_get(ps->listed_pods, key);
	if (other >= 0) {
		error(ps, &id_at, "pod %" PRIu64 " is already listed at pods[%" JSON_INTEGER_FORMAT "]",
		      pod->id, other);
		return;
	}
	map_put(ps, ps->listed_pods, key, (json_int_t)at->index);
	if (!role_ok || !ps->role_ids_known)
		return;
	snprintf(key, sizeof(key), "%" PRIu32, pod->role_id);
	role = map_get(ps->role_by_id, key);
	if (role < 0)
		error(ps, &role_at, "role_id %" PRIu32 " is not the id of any role", pod->role_id);
	else
		claim_pod(ps, at, at, pod->id, (size_t)role, true);
}

/* The first enrollment of a path owns it; list names where that was. */
static void claim_path(struct parser *ps, const struct seg *at, json_t *paths, const char *path,
		       const char *noun, const char *list, size_t index)
{
	json_int_t other = map_get(paths, path);

	if (other < 0)
		map_put(ps, paths, path, (json_int_t)index);
	else
		error(ps, at, "%s %s is already enrolled by %s[%" JSON_INTEGER_FORMAT "]", noun, path,
		      list, other);
}

/*
 * Where cgroup v2 is mounted (/sys/fs/cgroup, /sys/fs/cgroup/unified, ...)
 * is the host's: the bootstrap places each cgroup_path on the host's cgroup2
 * mount, and refuses one that is not on it. "/" is a cgroup nowhere.
 */
static bool check_cgroup_path(struct parser *ps, const struct seg *at, const char *path)
{
	if (!strcmp(path, "/")) {
		error(ps, at, "cgroup_path \"/\" is not a cgroup (expected a cgroup v2 path such as "
			      "\"/sys/fs/cgroup/bpfjailer/sandbox\")");
		return false;
	}
	return true;
}

static bool path_missing(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 && (errno == ENOENT || errno == ENOTDIR);
}

/* An exec enrollment, or with cgroup set a cgroup enrollment. */
static void parse_path_enrollment(struct parser *ps, const struct seg *at, json_t *v,
				  struct bj_path_enrollment *en, bool cgroup)
{
	static const char *const exec_keys[] = { "executable_path", "pod_id", "role", NULL };
	static const char *const cgroup_keys[] = { "cgroup_path", "pod_id", "role", NULL };
	const char *const *keys = cgroup ? cgroup_keys : exec_keys;
	struct seg path_at, pod_at, role_at;
	ssize_t role = -1;
	bool pod_ok;
	struct fields f;
	json_t *x;

	if (!open_object(ps, at, v, keys, NULL, &f))
		return;
	en->loc = value_loc(ps, at);
	if ((x = require(ps, &f, keys[0], &path_at, "expected an absolute path")) &&
	    (en->path = get_path(ps, &path_at, x, keys[0], false)) &&
	    (!cgroup || check_cgroup_path(ps, &path_at, en->path))) {
		en->loc = value_loc(ps, &path_at);
		if (cgroup)
			claim_path(ps, &path_at, ps->cgroup_paths, en->path, "cgroup", "cgroup_enrollments",
				   at->index);
		else
			claim_path(ps, &path_at, ps->exec_paths, en->path, "executable", "exec_enrollments",
				   at->index);
		if (ps->opts->check_paths && path_missing(en->path)) {
			if (cgroup)
				warning(ps, &path_at, "cgroup %s does not exist yet: processes are enrolled "
						      "once it is created", en->path);
			else
				warning(ps, &path_at, "executable %s does not exist: it cannot be enrolled "
						      "until the next boot", en->path);
		}
	}
	x = require(ps, &f, "pod_id", &pod_at, "expected an integer 1 or more");
	pod_ok = x && get_pod_id(ps, &pod_at, x, &en->pod_id);
	if ((x = require(ps, &f, "role", &role_at, "expected the key of a role under \"roles\"")))
		role = get_role_ref(ps, &role_at, x);
	if (role >= 0)
		en->role = (size_t)role;
	if (pod_ok && role >= 0)
		claim_pod(ps, at, &role_at, en->pod_id, en->role, false);
}

static void parse_exec_enrollment(struct parser *ps, const struct seg *at, json_t *v, void *item)
{
	parse_path_enrollment(ps, at, v, item, false);
}

static void parse_cgroup_enrollment(struct parser *ps, const struct seg *at, json_t *v, void *item)
{
	parse_path_enrollment(ps, at, v, item, true);
}

static void parse_xattr_enrollment(struct parser *ps, const struct seg *at, json_t *v, void *item)
{
	static const char *const keys[] = { "role", "pod_id", NULL };
	struct bj_xattr_enrollment *en = item;
	struct seg role_at, pod_at;
	ssize_t role = -1;
	json_int_t other;
	struct fields f;
	json_t *x;

	if (!open_object(ps, at, v, keys, NULL, &f))
		return;
	en->loc = value_loc(ps, at);
	if ((x = require(ps, &f, "role", &role_at, "expected the key of a role under \"roles\"")))
		role = get_role_ref(ps, &role_at, x);
	if (role >= 0) {
		en->role = (size_t)role;
		other = map_get(ps->xattr_roles, json_string_value(x));
		if (other >= 0)
			error(ps, &role_at, "role \"%s\" is already listed at xattr_enrollments[%"
					    JSON_INTEGER_FORMAT "]", json_string_value(x), other);
		else
			map_put(ps, ps->xattr_roles, json_string_value(x), (json_int_t)at->index);
	}
	if ((x = member(&f, "pod_id", &pod_at)) && get_pod_id(ps, &pod_at, x, &en->pod_id)) {
		en->has_pod = true;
		if (role >= 0)
			claim_pod(ps, at, &role_at, en->pod_id, en->role, false);
	}
}

/* --- the document --- */

static void parse_document(struct parser *ps, json_t *root)
{
	static const char *const keys[] = {
		"roles", "pods", "exec_enrollments", "cgroup_enrollments", "xattr_enrollments", "seal",
		"forwarder_path", "on_load_failure", NULL,
	};
	struct bj_policy *policy = ps->policy;
	const struct seg doc = { 0 };
	struct fields f;
	struct seg s;
	json_t *x;
	int i;

	if (!json_is_object(root)) {
		error(ps, &doc, "expected an object at the top level, got %s", type_name(root));
		return;
	}
	open_object(ps, &doc, root, keys, NULL, &f);
	if ((x = require(ps, &f, "roles", &s, "expected an object of roles by name")))
		parse_roles(ps, &s, x);
	if (!ps->roles)
		ps->role_ids_known = false;
	/* pods first: where an enrollment contradicts a listed pod, the listing wins */
	policy->pods = parse_list(ps, &f, "pods", sizeof(*policy->pods), parse_pod, &policy->n_pods);
	policy->exec_enrollments = parse_list(ps, &f, "exec_enrollments", sizeof(*policy->exec_enrollments),
					      parse_exec_enrollment, &policy->n_exec_enrollments);
	policy->cgroup_enrollments = parse_list(ps, &f, "cgroup_enrollments",
						sizeof(*policy->cgroup_enrollments),
						parse_cgroup_enrollment, &policy->n_cgroup_enrollments);
	policy->xattr_enrollments = parse_list(ps, &f, "xattr_enrollments",
					       sizeof(*policy->xattr_enrollments),
					       parse_xattr_enrollment, &policy->n_xattr_enrollments);
	if (policy->n_xattr_enrollments && !ps->opts->caps.xattr_kfunc) {
		member(&f, "xattr_enrollments", &s);
		error(ps, &s, "xattr enrollment needs the bpf_get_file_xattr kfunc (Linux 6.8+) and this "
			      "kernel lacks it");
	}
	if ((x = member(&f, "forwarder_path", &s))) {
		policy->forwarder_path = get_path(ps, &s, x, "forwarder_path", false);
		policy->forwarder_loc = value_loc(ps, &s);
		if (policy->forwarder_path && ps->opts->check_paths && path_missing(policy->forwarder_path))
			warning(ps, &s, "forwarder %s does not exist: once sealed, nothing can read the audit "
					"buffer until the next boot", policy->forwarder_path);
	}
	if ((x = member(&f, "seal", &s)) && get_bool(ps, &s, x, &policy->seal) && policy->seal &&
	    !json_object_get(root, "forwarder_path"))
		warning(ps, &s, "seal is true and no forwarder_path is set: nothing will be able to read "
				"the audit buffer");
	if ((x = member(&f, "on_load_failure", &s)) &&
	    (i = get_choice(ps, &s, x, bj_on_load_failure_names, false, "action", "continue or emergency")) >= 0)
		policy->on_load_failure = (uint8_t)i;
}

/*
 * Out of memory, jansson's lexer drops the character it could not store
 * and goes on: "/etc/shadow" could load as "/etc/shdow". So its allocator
 * is watched while it loads, and a tree built through a failed allocation
 * is not used. (This swaps jansson's process-wide allocator for the
 * duration: policy_parse() is not for concurrent use.)
 */
static json_malloc_t jansson_malloc;
static bool jansson_out_of_memory;

static void *watched_malloc(size_t size)
{
	void *p = jansson_malloc(size);

	if (!p)
		jansson_out_of_memory = true;
	return p;
}

static json_t *watched_loadb(struct parser *ps, const char *text, size_t len, size_t flags,
			     json_error_t *err)
{
	json_free_t jansson_free;
	json_t *root;

	json_get_alloc_funcs(&jansson_malloc, &jansson_free);
	jansson_out_of_memory = false;
	json_set_alloc_funcs(watched_malloc, jansson_free);
	root = json_loadb(text, len, flags, err);
	json_set_alloc_funcs(jansson_malloc, jansson_free);
	if (jansson_out_of_memory) {
		json_decref(root);
		ps->out_of_memory = true;
		return NULL;
	}
	return root;
}

/* Walk down from v to the object holding a duplicated key, and report it with its path. */
static bool report_duplicate_below(struct parser *ps, const struct seg *at, json_t *v,
				   const struct json_dup *dup)
{
	const char *key;
	json_t *child;
	size_t i;

	if (v == dup->object) {
		error_loc(ps, dup->second, at, "duplicate key \"%s\" (first at line %u, column %u)",
			  dup->key, dup->first.line, dup->first.column);
		return true;
	}
	json_object_foreach(v, key, child) {
		struct seg child_at = member_seg(at, v, key);

		if (report_duplicate_below(ps, &child_at, child, dup))
			return true;
	}
	json_array_foreach(v, i, child) {
		struct seg child_at = element_seg(at, v, i);

		if (report_duplicate_below(ps, &child_at, child, dup))
			return true;
	}
	return false;
}

/*
 * jansson stops at the first duplicated key and says only "duplicate
 * object key". Load the text again keeping duplicates, find where that
 * key is and in which object. False when that fails: then jansson's own
 * message is reported.
 */
static bool report_duplicate(struct parser *ps, const char *text, size_t len)
{
	const struct seg doc = { 0 };
	struct json_dup dup;
	json_error_t err;
	bool found = false;
	json_t *root = watched_loadb(ps, text, len, 0, &err);

	if (!root)
		return ps->out_of_memory;
	if (json_locs_build(text, len, root, &ps->locs, &dup))
		ps->out_of_memory = true;
	else if (dup.object)
		found = report_duplicate_below(ps, &doc, root, &dup);
	json_decref(root);
	return found || ps->out_of_memory;
}

/* jansson's tree of the text, or NULL after reporting why there is none. */
static json_t *load(struct parser *ps, const char *text, size_t len)
{
	const char *nul = memchr(text, '\0', len);
	const struct seg doc = { 0 };
	json_error_t err;
	json_t *root;

	if (nul) {
		error_loc(ps, json_loc_offset(text, (size_t)(nul - text)), &doc,
			  "NUL byte in the policy (expected UTF-8 text)");
		return NULL;
	}
	root = watched_loadb(ps, text, len, JSON_REJECT_DUPLICATES, &err);
	if (root || ps->out_of_memory)
		return root;
	switch (json_error_code(&err)) {
	case json_error_duplicate_key:
		if (report_duplicate(ps, text, len))
			return NULL;
		break;
	case json_error_invalid_utf8:
		error_loc(ps, (struct bj_loc){ err.line > 0 ? (unsigned)err.line : 0,
					       err.column > 0 ? (unsigned)err.column : 0 },
			  &doc, "not UTF-8: %s", err.text);
		return NULL;
	default:
		break;
	}
	error_loc(ps, (struct bj_loc){ err.line > 0 ? (unsigned)err.line : 0,
				       err.column > 0 ? (unsigned)err.column : 0 },
		  &doc, "invalid JSON: %s", err.text);
	return NULL;
}

struct numbered_diag {
	struct bj_diag diag;
	size_t order;
};

static int by_location(const void *x, const void *y)
{
	const struct numbered_diag *a = x, *b = y;

	if (a->diag.loc.line != b->diag.loc.line)
		return a->diag.loc.line < b->diag.loc.line ? -1 : 1;
	if (a->diag.loc.column != b->diag.loc.column)
		return a->diag.loc.column < b->diag.loc.column ? -1 : 1;
	return a->order < b->order ? -1 : 1;
}

/*
 * Cross-checks report after the values they compare, so put what this
 * parse reported (from first on) in the order of the file.
 */
static void sort_by_location(struct bj_diags *diags, size_t first)
{
	size_t n = diags->n - first;
	struct numbered_diag *tmp = calloc(n, sizeof(*tmp));

	if (!tmp) /* only the order is lost */
		return;
	for (size_t i = 0; i < n; i++)
		tmp[i] = (struct numbered_diag){ .diag = diags->items[first + i], .order = i };
	qsort(tmp, n, sizeof(*tmp), by_location);
	for (size_t i = 0; i < n; i++)
		diags->items[first + i] = tmp[i].diag;
	free(tmp);
}

/* RFC 8259 lets a parser skip a byte order mark; editors show none, so columns agree. */
static void skip_bom(const char **text, size_t *len)
{
	if (*len >= 3 && !memcmp(*text, UTF8_BOM, 3)) {
		*text += 3;
		*len -= 3;
	}
}

int policy_parse(const char *text, size_t len, const char *origin, const struct bj_parse_opts *opts,
		 struct bj_policy **out, struct bj_diags *diags)
{
	static const struct bj_parse_opts defaults;
	struct parser ps = {
		.opts = opts ? opts : &defaults,
		.diags = diags,
		.role_ids_known = true,
		.advice_budget = ADVICE_BUDGET,
	};
	json_t **maps[] = {
		&ps.role_by_key, &ps.role_by_id, &ps.role_by_name, &ps.listed_pods, &ps.pod_owner,
		&ps.exec_paths, &ps.cgroup_paths, &ps.xattr_roles,
	};
	size_t first = diags->n, errors = diags->n_errors;
	json_t *root = NULL;

	*out = NULL;
	skip_bom(&text, &len);
	ps.policy = calloc(1, sizeof(*ps.policy));
	if (ps.policy)
		ps.policy->origin = strdup(origin ? origin : "");
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		*maps[i] = json_object();
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		if (!*maps[i])
			ps.out_of_memory = true;
	if (!ps.policy || !ps.policy->origin)
		ps.out_of_memory = true;
	if (!ps.out_of_memory)
		root = load(&ps, text, len);
	if (root && json_locs_build(text, len, root, &ps.locs, NULL))
		ps.out_of_memory = true;
	else if (root)
		parse_document(&ps, root);
	if (ps.out_of_memory)
		diags_add(diags, BJ_ERROR, (struct bj_loc){ 0 }, "", "out of memory while reading the policy");
	sort_by_location(diags, first);

	json_decref(root);
	json_locs_free(ps.locs);
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		json_decref(*maps[i]);
	if (diags->n_errors > errors) {
		policy_free(ps.policy);
		return -1;
	}
	*out = ps.policy;
	return 0;
}

static void role_free(struct bj_role *role)
{
	free(role->key);
	free(role->name);
	for (size_t i = 0; i < role->n_files; i++)
		free(role->files[i].pattern);
	free(role->files);
	free(role->net);
	free(role->ips);
	for (size_t i = 0; i < role->n_execs; i++)
		free(role->execs[i].binary_path);
	free(role->execs);
	free(role->devices);
}

void policy_free(struct bj_policy *policy)
{
	if (!policy)
		return;
	for (size_t i = 0; i < policy->n_roles; i++)
		role_free(&policy->roles[i]);
	free(policy->roles);
	free(policy->pods);
	for (size_t i = 0; i < policy->n_exec_enrollments; i++)
		free(policy->exec_enrollments[i].path);
	free(policy->exec_enrollments);
	for (size_t i = 0; i < policy->n_cgroup_enrollments; i++)
		free(policy->cgroup_enrollments[i].path);
	free(policy->cgroup_enrollments);
	free(policy->xattr_enrollments);
	free(policy->forwarder_path);
	free(policy->origin);
	free(policy);
}

bool policy_on_load_failure(const char *text, size_t len, enum bj_on_load_failure *action)
{
	json_t *root, *v;
	int found = -1;

	skip_bom(&text, &len);
	/* Duplicates allowed: a duplicated key elsewhere must not hide this one. */
	root = json_loadb(text, len, 0, NULL);
	v = json_object_get(root, "on_load_failure");
	if (json_is_string(v))
		found = key_index(bj_on_load_failure_names, json_string_value(v));
	json_decref(root);
	*action = found < 0 ? BJ_ON_LOAD_FAILURE_CONTINUE : (enum bj_on_load_failure)found;
	return found >= 0;
}

ssize_t policy_role_by_key(const struct bj_policy *policy, const char *key)
{
	for (size_t i = 0; i < policy->n_roles; i++)
		if (!strcmp(policy->roles[i].key, key))
			return (ssize_t)i;
	return -1;
}
