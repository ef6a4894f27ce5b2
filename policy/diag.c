// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

void diags_init(struct bj_diags *diags)
{
	*diags = (struct bj_diags){ 0 };
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void diags_free(struct bj_diags *diags)
{
	for (size_t i = 0; i < diags->n; i++) {
		free(diags->items[i].path);
		free(diags->items[i].message);
	}
	free(diags->items);
	free_names(diags->files, diags->n_files);
	diags_init(diags);
}

/* A diagnostic that cannot be recorded would let a bad policy look good. */
static void *must(void *p)
{
	if (!p) {
		fputs("bpfjailer: out of memory while reporting a policy problem\n", stderr);
		abort();
	}
	return p;
}

void diags_add(struct bj_diags *diags, enum bj_severity severity, struct bj_loc loc,
	       const char *path, const char *fmt, ...)
{
	struct bj_diag *d;
	char *message;
	va_list ap;

	if (diags->n == diags->cap) {
		size_t cap = diags->cap ? 2 * diags->cap : 16;

		diags->items = must(reallocarray(diags->items, cap, sizeof(*diags->items)));
		diags->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&message, fmt, ap) < 0)
		message = NULL;
	va_end(ap);
	d = &diags->items[diags->n++];
	*d = (struct bj_diag){
		.severity = severity,
		.loc = loc,
		.path = must(strdup(path ? path : "")),
		.message = must(message),
	};
	if (severity == BJ_ERROR)
		diags->n_errors++;
}

int diags_set_files(struct bj_diags *diags, const char *const *files, size_t n)
{
	char **names = calloc(n ? n : 1, sizeof(*names));

	for (size_t i = 0; names && i < n; i++) {
		names[i] = strdup(files[i]);
		if (!names[i]) {
			free_names(names, i);
			names = NULL;
		}
	}
	if (!names)
		return -ENOMEM;
	free_names(diags->files, diags->n_files);
	diags->files = names;
	diags->n_files = n;
	return 0;
}

const char *diags_file(const struct bj_diags *diags, const struct bj_diag *d, const char *origin)
{
	return d->loc.file < diags->n_files ? diags->files[d->loc.file] : origin;
}

struct numbered_diag {
	struct bj_diag diag;
	size_t order;
};

static int by_location(const void *x, const void *y)
{
	const struct numbered_diag *a = x, *b = y;

	if (a->diag.loc.file != b->diag.loc.file)
		return a->diag.loc.file < b->diag.loc.file ? -1 : 1;
	if (a->diag.loc.line != b->diag.loc.line)
		return a->diag.loc.line < b->diag.loc.line ? -1 : 1;
	if (a->diag.loc.column != b->diag.loc.column)
		return a->diag.loc.column < b->diag.loc.column ? -1 : 1;
	return a->order < b->order ? -1 : 1;
}

void diags_sort(struct bj_diags *diags, size_t first)
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

void diags_promote_warnings(struct bj_diags *diags)
{
	for (size_t i = 0; i < diags->n; i++) {
		if (diags->items[i].severity == BJ_WARNING) {
			diags->items[i].severity = BJ_ERROR;
			diags->n_errors++;
		}
	}
}

/*
 * Policy text reaches messages (keys, patterns); a newline or escape
 * sequence in it must not break the one-line-per-diagnostic format or
 * drive the terminal.
 */
static void print_escaped(const char *s, FILE *out)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '\n')
			fputs("\\n", out);
		else if (*c == '\t')
			fputs("\\t", out);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(out, "\\x%02x", *c);
		else
			fputc(*c, out);
	}
}

void diags_print(const struct bj_diags *diags, const char *origin, FILE *out)
{
	for (size_t i = 0; i < diags->n; i++) {
		const struct bj_diag *d = &diags->items[i];

		print_escaped(diags_file(diags, d, origin), out);
		if (d->loc.line) {
			fprintf(out, ":%u", d->loc.line);
			if (d->loc.column)
				fprintf(out, ":%u", d->loc.column);
		}
		fputs(d->severity == BJ_ERROR ? ": error: " : ": warning: ", out);
		if (d->path[0]) {
			print_escaped(d->path, out);
			fputs(": ", out);
		}
		print_escaped(d->message, out);
		fputc('\n', out);
	}
}
