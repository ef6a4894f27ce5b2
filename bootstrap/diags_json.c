// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diags_json.h"

/*
 * JSON strings are UTF-8; a file name or a quoted piece of a policy may not
 * be: its other bytes become "?" rather than losing the diagnostic.
 */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);
	char *copy;

	if (j || !(copy = strdup(s)))
		return j;
	for (unsigned char *c = (unsigned char *)copy; *c; c++)
		if (*c >= 0x80)
			*c = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

/* 0 (unknown) is null: an editor must not jump to line 0. */
static json_t *position(unsigned n)
{
	return n ? json_integer(n) : json_null();
}

static json_t *diag_json(const struct bj_diag *d, const char *origin)
{
	return json_pack("{s:o, s:o, s:o, s:s, s:o, s:o}", "file", text(origin), "line", position(d->loc.line),
			 "column", position(d->loc.line ? d->loc.column : 0), "severity",
			 d->severity == BJ_ERROR ? "error" : "warning", "path", text(d->path), "message", text(d->message));
}

/* json_array_append_new() that also frees entry when the array cannot take it. */
static int append(json_t *array, json_t *entry)
{
	return entry && !json_array_append_new(array, entry) ? 0 : -ENOMEM;
}

static json_t *read_json(const char *file, bool masked, const char *overrides)
{
	return json_pack("{s:o, s:b, s:o}", "file", text(file), "masked", masked, "overrides",
			 overrides ? text(overrides) : json_null());
}

/* What src was read from, in merge order; NULL when out of memory. */
static json_t *read_list(const struct policy_source *src)
{
	json_t *list = json_array();

	if (!list || append(list, read_json(src->origin, false, NULL)))
		goto fail;
	for (size_t i = 0; i < src->n_fragments; i++) {
		const struct policy_dir_entry *e = &src->fragments[i].entry;

		if (append(list, read_json(e->path, e->masked, e->overrides)))
			goto fail;
	}
	return list;
fail:
	json_decref(list);
	return NULL;
}

/* One entry of files, taking read. */
static int add_entry(json_t *files, const char *origin, json_t *read, int status, const struct bj_diags *diags)
{
	json_t *list = json_array();

	if (!list || !read) {
		json_decref(list);
		json_decref(read);
		return -ENOMEM;
	}
	for (size_t i = 0; i < diags->n; i++) {
		const struct bj_diag *d = &diags->items[i];

		if (append(list, diag_json(d, diags_file(diags, d, origin)))) {
			json_decref(list);
			json_decref(read);
			return -ENOMEM;
		}
	}
	return append(files, json_pack("{s:o, s:i, s:o, s:o}", "file", text(origin), "status", status, "diagnostics",
				       list, "read", read));
}

int diags_json_add(json_t *files, const struct policy_source *src, int status, const struct bj_diags *diags)
{
	return add_entry(files, src->origin, read_list(src), status, diags);
}

int diags_json_add_unread(json_t *files, const char *origin, int status, int err)
{
	struct bj_diags diags;
	int ret;

	diags_init(&diags);
	diags_add(&diags, BJ_ERROR, (struct bj_loc){ 0 }, "", "cannot read the policy: %s", strerror(-err));
	ret = add_entry(files, origin, json_array(), status, &diags);
	diags_free(&diags);
	return ret;
}

int diags_json_print(FILE *out, const char *host_checks, int status, json_t *files)
{
	json_t *doc = json_pack("{s:s, s:i, s:O}", "host_checks", host_checks, "status", status, "files", files);
	int err = 0;

	if (!doc)
		return -ENOMEM;
	if (json_dumpf(doc, out, JSON_COMPACT) || fputc('\n', out) == EOF || fflush(out))
		err = -EIO;
	json_decref(doc);
	return err;
}
