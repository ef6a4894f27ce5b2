// SPDX-License-Identifier: GPL-2.0
/* Reporting, values of the expected type, and objects read through their tables. */
#include <assert.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parser.h"
#include "suggest.h"

/* --- reporting --- */

static void vreport(struct parser *ps, enum bj_severity severity, struct bj_loc loc, const struct json_node *at,
		    const char *fmt, va_list ap)
{
	char *path = at ? json_path(at) : strdup(""), *message = NULL;

	if (!path || vasprintf(&message, fmt, ap) < 0) {
		free(path);
		ps->out_of_memory = true;
		return;
	}
	diags_add(ps->diags, severity, loc, path, "%s", message);
	free(path);
	free(message);
}

void report(struct parser *ps, enum bj_severity severity, struct bj_loc loc, const struct json_node *at,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ps, severity, loc, at, fmt, ap);
	va_end(ap);
}

void error(struct parser *ps, const struct json_node *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ps, BJ_ERROR, at->loc, at, fmt, ap);
	va_end(ap);
}

void warning(struct parser *ps, const struct json_node *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ps, BJ_WARNING, at->loc, at, fmt, ap);
	va_end(ap);
}

void type_error(struct parser *ps, const struct json_node *v, const char *expected)
{
	error(ps, v, "expected %s, got %s", expected, json_type_name(v->type));
}

const char *elsewhere(struct parser *ps, struct bj_loc here, struct bj_loc there)
{
	if (here.file == there.file)
		return "";
	snprintf(ps->elsewhere, sizeof(ps->elsewhere), " (at %s:%u:%u)", ps->files[there.file], there.line,
		 there.column);
	return ps->elsewhere;
}

void locate(struct parser *ps, const struct json_node *v, struct bj_loc *loc, char **json_path_out)
{
	*loc = v->loc;
	free(*json_path_out);
	*json_path_out = json_path(v);
	if (!*json_path_out)
		ps->out_of_memory = true;
}

/* --- values of the expected type --- */

bool get_string(struct parser *ps, const struct json_node *v, const char **out)
{
	if (v->type != JT_STRING) {
		type_error(ps, v, "a string");
		return false;
	}
	*out = v->string;
	return true;
}

bool get_int(struct parser *ps, const struct json_node *v, long long lo, long long hi, const char *noun,
	     const char *expected, long long *out)
{
	if (v->type != JT_INTEGER) {
		type_error(ps, v, "an integer");
		return false;
	}
	*out = v->integer;
	if (*out < lo || *out > hi) {
		error(ps, v, "%lld is not %s (expected %s)", *out, noun, expected);
		return false;
	}
	return true;
}

bool get_pod_id(struct parser *ps, const struct json_node *v, uint64_t *out)
{
	long long id;

	if (v->type == JT_INTEGER && v->integer == 0) {
		error(ps, v, "pod id 0 means \"no pod\" (expected 1 or more)");
		return false;
	}
	if (!get_int(ps, v, 1, LLONG_MAX, "a pod id", "1 or more", &id))
		return false;
	*out = (uint64_t)id;
	return true;
}

bool get_role_id(struct parser *ps, const struct json_node *v, uint32_t *out)
{
	long long id;

	if (!get_int(ps, v, 1, UINT32_MAX, "a role id", "1..4294967295", &id))
		return false;
	*out = (uint32_t)id;
	return true;
}

int get_choice(struct parser *ps, const struct json_node *v, const struct choice *c)
{
	const char *s;

	if (!get_string(ps, v, &s))
		return -1;
	for (int i = 0; c->names[i]; i++)
		if (c->nocase ? !strcasecmp(s, c->names[i]) : !strcmp(s, c->names[i]))
			return i;
	error(ps, v, "unknown %s \"%s\" (expected %s)", c->what, s, c->expected);
	return -1;
}

/* --- objects described by tables --- */

static int field_index(const struct field *fields, const char *key)
{
	for (int i = 0; fields[i].key; i++)
		if (!strcmp(fields[i].key, key))
			return i;
	return -1;
}

/* Hidden keys are suggested but not listed: they are known, and refused with a message of their own. */
static void unknown_key(struct parser *ps, struct object *o, const struct json_node *member)
{
	struct suggestion s = { .typed = member->key, .budget = &ps->advice_budget };
	char list[512];
	size_t len = 0;

	for (int hidden = 0; hidden < 2; hidden++)
		for (int i = 0; o->fields[i].key; i++)
			if (o->fields[i].hidden == hidden)
				suggest_consider(&s, o->fields[i].key);
	if (s.best) {
		o->suggested |= 1ul << field_index(o->fields, s.best);
		report(ps, BJ_ERROR, member->key_loc, o->node, "unknown key \"%s\" (did you mean \"%s\"?)",
		       member->key, s.best);
		return;
	}
	list[0] = '\0';
	for (int i = 0; o->fields[i].key && len < sizeof(list); i++)
		if (!o->fields[i].hidden)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "",
						o->fields[i].key);
	report(ps, BJ_ERROR, member->key_loc, o->node, "unknown key \"%s\" (expected one of: %s)", member->key,
	       list);
}

static const char *expected_of(const struct field *f)
{
	if (f->expected)
		return f->expected;
	if (f->types == T_BOOL)
		return "true or false";
	return json_type_name(__builtin_ctz(f->types));
}

static void parse_field(struct parser *ps, struct object *o, int i)
{
	const struct field *f = &o->fields[i];
	const struct json_node *v = o->member[i];

	if (!v && f->missing && !(o->suggested & (1ul << i)))
		error(ps, o->node, "missing \"%s\" (%s)", f->key, f->missing);
	if (!v && !f->always)
		return;
	if (v && f->types && !(f->types & T(v->type)))
		type_error(ps, v, expected_of(f));
	else if (f->parse)
		f->parse(ps, o, f, v);
}

bool parse_object(struct parser *ps, const struct json_node *node, const struct field *fields, void *out,
		  const char *expected, struct object *o)
{
	*o = (struct object){ .node = node, .fields = fields, .out = out };
	if (node->type != JT_OBJECT) {
		type_error(ps, node, expected);
		return false;
	}
	for (size_t m = 0; m < node->n; m++) {
		int i = field_index(fields, node->items[m]->key);

		if (i < 0)
			unknown_key(ps, o, node->items[m]);
		else
			o->member[i] = node->items[m];
	}
	for (int i = 0; fields[i].key; i++) {
		size_t errors = ps->diags->n_errors;

		assert(i < FIELDS_MAX);
		parse_field(ps, o, i);
		o->errors[i] = ps->diags->n_errors - errors;
	}
	return true;
}

bool parse_located_object(struct parser *ps, const struct json_node *node, const struct field *fields, void *out,
			  struct bj_loc *loc, char **json_path, struct object *o)
{
	if (node->type == JT_OBJECT)
		locate(ps, node, loc, json_path);
	return parse_object(ps, node, fields, out, "an object", o);
}

const struct json_node *object_member(const struct object *o, const char *key)
{
	return o->member[field_index(o->fields, key)];
}

bool object_suggested(const struct object *o, const char *key)
{
	return o->suggested & (1ul << field_index(o->fields, key));
}

size_t object_errors(const struct object *o, const char *key)
{
	return o->errors[field_index(o->fields, key)];
}

/* --- handlers that put the value where the table says --- */

static void *target(const struct object *o, size_t offset)
{
	return (char *)o->out + offset;
}

void field_bool(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	(void)ps;
	*(bool *)target(o, f->offset) = v->type == JT_TRUE;
}

void field_flag(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	(void)ps;
	if (v->type == JT_TRUE)
		*(uint32_t *)target(o, f->offset) |= f->bit;
}

void field_choice(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	int i = get_choice(ps, v, f->choice);

	if (i >= 0)
		*(uint8_t *)target(o, f->offset) = f->choice->values[i];
}

void field_unsupported(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	(void)o;
	if (v->type == JT_TRUE)
		error(ps, v, "%s", f->message);
}

void field_refused(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	(void)o;
	error(ps, v, "%s", f->message);
}

void field_list(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	const struct list *l = f->list;
	const struct json_node *outer;
	char *items;

	if (!v->n)
		return;
	items = calloc(v->n, l->size);
	if (!items) {
		ps->out_of_memory = true;
		return;
	}
	*(void **)target(o, f->offset) = items;
	*(size_t *)target(o, l->count_offset) = v->n;
	outer = ps->list;
	ps->list = v;
	for (size_t i = 0; i < v->n; i++)
		l->item(ps, v->items[i], items + i * l->size);
	ps->list = outer;
}
