/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parse_*.c files share: the state of one policy_parse(), the
 * way they report, and the tables that drive them.
 *
 * Every object of the format is described by one table of fields: its key,
 * the JSON types its value may have, where it goes or what handles it,
 * and whether it must be there. parse_object() reads an object through its
 * table, so that unknown keys ("did you mean"), wrong types and missing
 * keys are reported the same way everywhere, and a new key is one line
 * plus its check.
 *
 * Validation goes on after an error so that one run lists every mistake,
 * but a value that failed is left out of the checks that depend on it (an
 * invalid role id is not also reported as unknown where a pod names it).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "index_map.h"
#include "json.h"
#include "policy.h"
#include "vec.h"

/*
 * Advice (a "did you mean", a warning about a redundant rule) compares
 * things pairwise: thousands of misspelt references to thousands of roles
 * would make it quadratic. Past this many steps of such comparisons in a
 * parse, no more advice is given; errors and their messages stay the same.
 */
#define ADVICE_BUDGET (1u << 24)

/* Who said which role a pod has: a listing in "pods", or the first enrollment that names it. */
struct pod_claim {
	size_t role;
	const struct json_node *by; /* the pod's entry or the enrollment */
	bool listed;
};

struct parser {
	struct bj_diags *diags;
	struct bj_policy *policy;
	bool out_of_memory;
	const struct json_node *roles; /* the "roles" object; NULL when missing or not an object */
	bool role_ids_known;           /* every role has a valid id, so a role_id can be resolved */
	struct index_map role_by_key;  /* each to an index in policy->roles */
	struct index_map role_by_id;
	struct index_map role_by_name;
	struct index_map listed_pods;  /* pod id -> index in "pods" */
	struct index_map pod_claims;   /* pod id -> index in claims */
	struct vec claims;             /* struct pod_claim: which role each pod has, and who said so */
	struct index_map exec_paths;   /* path -> index in its enrollment list */
	struct index_map cgroup_paths;
	struct index_map xattr_roles;  /* role key -> index in xattr_enrollments */
	struct index_map launch_roles; /* role key -> index in launch_enrollments */
	size_t advice_budget;
	const char *const *files;      /* the name of each file, by bj_loc.file */
	const struct json_node *list;  /* the list whose items field_list() is reading */
	char elsewhere[4096 + 64];     /* elsewhere()'s text */
};

/* --- reporting (parse_fields.c) --- */

/* A diagnostic at loc, with the JSON path of at (NULL: the document). */
void report(struct parser *ps, enum bj_severity severity, struct bj_loc loc, const struct json_node *at,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* An error or a warning about the value at. */
void error(struct parser *ps, const struct json_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void warning(struct parser *ps, const struct json_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void type_error(struct parser *ps, const struct json_node *v, const char *expected);

/*
 * For a message that names another place, there, in a policy of several
 * files: " (at FILE:LINE:COL)" when it is in another file than here, else
 * "". Valid until the next call.
 */
const char *elsewhere(struct parser *ps, struct bj_loc here, struct bj_loc there);

/* Where v is, into an item of the policy: its location and JSON path. */
void locate(struct parser *ps, const struct json_node *v, struct bj_loc *loc, char **json_path);

/* --- values of the expected type; false (or -1) after reporting why not --- */

bool get_string(struct parser *ps, const struct json_node *v, const char **out);
/* An integer lo..hi; noun names what it is ("a port"), expected the range in words. */
bool get_int(struct parser *ps, const struct json_node *v, long long lo, long long hi, const char *noun,
	     const char *expected, long long *out);
bool get_role_id(struct parser *ps, const struct json_node *v, uint32_t *out);
bool get_pod_id(struct parser *ps, const struct json_node *v, uint64_t *out);

/* A string out of a fixed set of names. */
struct choice {
	const char *const *names; /* NULL-terminated */
	const uint8_t *values;    /* what each name stands for */
	bool nocase;              /* compared ignoring ASCII case */
	const char *what;         /* "unknown WHAT \"x\"" */
	const char *expected;     /* "(expected EXPECTED)" */
};

/* The index of v in c->names, or -1. */
int get_choice(struct parser *ps, const struct json_node *v, const struct choice *c);

/* The letters an access string may hold, and the right each grants. */
struct access_letters {
	const char *letters;
	const uint8_t *rights;
	const char *expected;  /* "r, w or x" */
	char never;            /* a letter known but never granted, or 0 */
	const char *never_why; /* why not */
};

/* The letters of s, each at most once, into *access; rule is the text that messages quote. */
bool get_access(struct parser *ps, const struct json_node *v, const char *rule, const char *s,
		const struct access_letters *set, uint8_t *access);

/* --- objects described by tables --- */

#define T(type) (1u << (type))
#define T_BOOL (T(JT_TRUE) | T(JT_FALSE))

/* The most fields one object has. */
#define FIELDS_MAX 16

struct field;
struct object;

/* Handles the value v of field f (NULL for an absent field with .always) of object o. */
typedef void field_fn(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v);

/* Validates one element of a list into item (zeroed); errors go to diags. */
typedef void item_fn(struct parser *ps, const struct json_node *v, void *item);

/* A list of items: an array at .offset in the struct, its length at count_offset. */
struct list {
	size_t size;
	item_fn *item;
	size_t count_offset;
};

struct field {
	const char *key;
	unsigned types;       /* T() of the types the value may have; 0: any (the handler checks) */
	const char *expected; /* for "expected X, got Y"; NULL: after types */
	field_fn *parse;      /* NULL: a key handled by another field's handler */
	size_t offset;        /* where the value goes in the struct being filled */
	const char *missing;  /* the key must be there: the hint of "missing \"KEY\" (HINT)" */
	bool always;          /* parse is called when the key is absent too */
	bool hidden;          /* known, but not offered in "expected one of" (the original BpfJailer's keys) */
	const char *message;  /* of field_unsupported and field_refused */
	uint32_t bit;         /* of field_flag */
	const struct choice *choice;
	const struct list *list;
};

/* An object being read through its table. */
struct object {
	const struct json_node *node;
	const struct field *fields; /* ends with a field without a key */
	void *out;                  /* the struct the fields fill */
	const struct json_node *member[FIELDS_MAX]; /* by field; NULL when absent */
	size_t errors[FIELDS_MAX];                  /* errors reported while handling each field */
	unsigned long suggested;                    /* bit i: an unknown key was taken for fields[i] */
};

/*
 * Read node as an object of fields into out: its unknown keys, then each
 * field in the order of the table. false, after a type error ("expected
 * EXPECTED"), when node is not an object.
 */
bool parse_object(struct parser *ps, const struct json_node *node, const struct field *fields, void *out,
		  const char *expected, struct object *o);

/* The same for an item of a list that keeps its place: *loc and *json_path are the object's. */
bool parse_located_object(struct parser *ps, const struct json_node *node, const struct field *fields, void *out,
			  struct bj_loc *loc, char **json_path, struct object *o);

/* The member under key (a key of o's table), or NULL. */
const struct json_node *object_member(const struct object *o, const char *key);
/* Whether an unknown key was taken for key (so it is not also "missing"). */
bool object_suggested(const struct object *o, const char *key);
/* The errors reported while handling key. */
size_t object_errors(const struct object *o, const char *key);

/* "allow": true or false, in every kind of rule. */
#define FIELD_ALLOW(type) { .key = "allow", .types = T_BOOL, .parse = field_bool, .offset = offsetof(type, allow), \
			    .missing = "expected true or false" }

/* Handlers that put the value where .offset says. */
field_fn field_bool;        /* bool */
field_fn field_flag;        /* uint32_t: .bit when true */
field_fn field_choice;      /* uint8_t: .choice's value */
field_fn field_list;        /* .list */
field_fn field_unsupported; /* an error, .message, when true */
field_fn field_refused;     /* an error, .message, whatever the value */

/* --- the parts of the format (parse_*.c) --- */

/* "roles" (parse_role.c). */
field_fn parse_roles;

/* Items of a role's lists (parse_rules.c, parse_devices.c). */
item_fn parse_file_rule;
item_fn parse_net_rule;
item_fn parse_ip_rule;
item_fn parse_exec_rule;
item_fn parse_device_rule;

/* Warnings after a role is read (parse_rules.c, parse_devices.c). */
void warn_useless_allows(struct parser *ps, const struct json_node *rules, const struct bj_role *role);
void warn_file_rules(struct parser *ps, const struct json_node *rules, const struct bj_role *role);
/* "devices": each entry once. */
void check_devices_once(struct parser *ps, const struct json_node *list, const struct bj_role *role);

/*
 * An absolute path, returned normalised: no "." or ".." components, no
 * doubled or trailing slash, and for a pattern (wildcards set) no trailing
 * "**", since a pattern matches its whole subtree anyway. "/" is the root.
 * what names the field in messages. NULL after reporting an error.
 */
char *get_path(struct parser *ps, const struct json_node *v, const char *what, bool wildcards);

/* Pods and enrollments (parse_enroll.c). */
item_fn parse_pod;
item_fn parse_exec_enrollment;
item_fn parse_cgroup_enrollment;
item_fn parse_xattr_enrollment;
item_fn parse_launch_enrollment;

/* The keys of signed binaries, and a check that a role requiring them has some (parse_signing.c). */
item_fn parse_certificate;
field_fn parse_keyrings;
void check_signing(struct parser *ps);
