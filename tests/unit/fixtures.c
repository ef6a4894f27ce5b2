// SPDX-License-Identifier: GPL-2.0
/* Reading and parsing fixtures, and diagnostics as the text a person would see. */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "fixtures.h"

char *diags_text(const struct bj_diags *diags, const char *origin)
{
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		abort();
	diags_print(diags, origin, out);
	if (fclose(out))
		abort();
	return text;
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		char *grown;

		if (n + 4096 + 1 > cap) {
			cap = 2 * (n + 4096 + 1);
			grown = realloc(text, cap);
			if (!grown) {
				free(text);
				fclose(f);
				return NULL;
			}
			text = grown;
		}
		size_t got = fread(text + n, 1, cap - n - 1, f);

		n += got;
		if (!got)
			break;
	}
	if (ferror(f)) {
		free(text);
		fclose(f);
		return NULL;
	}
	fclose(f);
	text[n] = '\0';
	*len = n;
	return text;
}

/* Shared by the model and the tables tests. */
struct bj_policy *parse_fixture(const char *dir, const char *name)
{
	struct bj_policy *policy = NULL;
	struct bj_diags diags;
	char *path, *text, *printed;
	size_t len;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		abort();
	text = read_file(path, &len);
	if (!text) {
		check(false, "fixture %s: %m", path);
		free(path);
		return NULL;
	}
	free(path);
	diags_init(&diags);
	policy_parse(text, len, name, &policy, &diags);
	printed = diags_text(&diags, name);
	if (!check(policy && !diags.n, "fixture %s: parses without a diagnostic", name))
		note("%s", printed);
	free(printed);
	diags_free(&diags);
	free(text);
	return policy;
}
