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

int diags_json_add(json_t *files, const char *origin, int status, const struct bj_diags *diags)
{
	json_t *list = json_array();

	if (!list)
		return -ENOMEM;
	for (size_t i = 0; i < diags->n; i++) {
		const struct bj_diag *d = &diags->items[i];

		if (append(list, diag_json(d, diags_file(diags, d, origin)))) {
			json_decref(list);
			return -ENOMEM;
		}
	}
	return append(files, json_pack("{s:o, s:i, s:o}", "file", text(origin), "status", status, "diagnostics", list));
}

static json_t *read_json(const char *file, bool masked, const char *overrides)
{
	return json_pack("{s:o, s:b, s:o}", "file", text(file), "masked", masked, "overrides",
			 overrides ? text(overrides) : json_null());
}

int diags_json_add_read(json_t *files, const struct policy_source *src)
{
	json_t *entry = json_array_get(files, json_array_size(files) - 1), *list = json_array();

	if (!list || append(list, read_json(src->origin, false, NULL)))
		goto fail;
	for (size_t i = 0; i < src->n_fragments; i++) {
		const struct policy_dir_entry *e = &src->fragments[i].entry;

		if (append(list, read_json(e->path, e->masked, e->overrides)))
			goto fail;
	}
	return entry && !json_object_set_new(entry, "read", list) ? 0 : -ENOMEM;
fail:
	json_decref(list);
	return -ENOMEM;
}

int diags_json_add_unread(json_t *files, const char *origin, int status, int err)
{
	struct bj_diags diags;
	int ret;

	diags_init(&diags);
	diags_add(&diags, BJ_ERROR, (struct bj_loc){ 0 }, "", "cannot read the policy: %s", strerror(-err));
	ret = diags_json_add(files, origin, status, &diags);
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
