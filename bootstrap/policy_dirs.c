// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "err.h"
#include "bpfjailer.h"
#include "policy_dirs.h"

/* own_files holds them all, and /etc/bpfjailer */
_Static_assert(BJ_MAX_FRAGMENTS + BJ_MAX_FRAGMENT_DIRS + 1 <= BJ_MAX_POLICY_FILES, "own_files holds them all");

struct found {
	char *name;
	size_t dir; /* index in dirs: lower wins */
};

/* NAME.json, not a dot file: an editor's backup or a package manager's leftovers are not fragments. */
static bool fragment_name(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 5 && !strcmp(name + len - 5, ".json");
}

static int by_name_then_dir(const void *x, const void *y)
{
	const struct found *a = x, *b = y;
	int cmp = strcmp(a->name, b->name);

	return cmp ? cmp : (a->dir > b->dir) - (a->dir < b->dir);
}

/* Add the fragment names of dirs[i] to *found. */
static int scan(const char *dir, size_t i, struct found **found, size_t *n)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int err = 0;

	if (!d)
		return errno == ENOENT ? 0 : bj_err(-errno, "policy fragments %s", dir);
	while (!err) {
		struct found *grown;

		errno = 0;
		e = readdir(d);
		if (!e) {
			if (errno)
				err = bj_err(-errno, "policy fragments %s", dir);
			break;
		}
		if (!fragment_name(e->d_name))
			continue;
		grown = reallocarray(*found, *n + 1, sizeof(**found));
		if (!grown) {
			err = bj_oom(dir);
			break;
		}
		*found = grown;
		(*found)[*n] = (struct found){ .name = strdup(e->d_name), .dir = i };
		if (!(*found)[(*n)++].name)
			err = bj_oom(dir);
	}
	closedir(d);
	return err;
}

static char *join(const char *dir, const char *name)
{
	size_t len = strlen(dir);
	char *path;

	return asprintf(&path, "%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", name) < 0 ? NULL : path;
}

/* Empty, or a link to /dev/null: systemd's way to mask a file of a lower directory. */
static int masks(const char *path, bool *masked)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return bj_err(-errno, "policy fragment %s", path);
	*masked = (S_ISREG(st.st_mode) && !st.st_size) ||
		  (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3);
	return 0;
}

/* found, sorted: one entry per name, from its first directory. */
static int entries(const char *const *dirs, const struct found *found, size_t n, struct policy_dir_list *out)
{
	for (size_t i = 0; i < n; i++) {
		struct policy_dir_entry *e;
		int err;

		if (i && !strcmp(found[i].name, found[i - 1].name))
			continue;
		if (out->n == BJ_MAX_FRAGMENTS)
			return bj_fail(-E2BIG, "policy fragments: more than %d", BJ_MAX_FRAGMENTS);
		e = &out->items[out->n++];
		e->path = join(dirs[found[i].dir], found[i].name);
		if (i + 1 < n && !strcmp(found[i + 1].name, found[i].name))
			e->overrides = join(dirs[found[i + 1].dir], found[i].name);
		if (!e->path || (i + 1 < n && !strcmp(found[i + 1].name, found[i].name) && !e->overrides))
			return bj_oom(found[i].name);
		err = masks(e->path, &e->masked);
		if (err)
			return err;
	}
	return 0;
}

int policy_dirs_list(const char *const *dirs, size_t n_dirs, struct policy_dir_list *out)
{
	struct found *found = NULL;
	size_t n = 0;
	int err = 0;

	*out = (struct policy_dir_list){ 0 };
	if (n_dirs > BJ_MAX_FRAGMENT_DIRS)
		return bj_fail(-E2BIG, "policy fragments: more than %d directories", BJ_MAX_FRAGMENT_DIRS);
	for (size_t i = 0; !err && i < n_dirs; i++)
		err = scan(dirs[i], i, &found, &n);
	if (!err && n) {
		qsort(found, n, sizeof(*found), by_name_then_dir);
		out->items = calloc(n, sizeof(*out->items));
		err = out->items ? entries(dirs, found, n, out) : bj_oom(NULL);
	}
	for (size_t i = 0; i < n; i++)
		free(found[i].name);
	free(found);
	if (err)
		policy_dir_list_free(out);
	return err;
}

void policy_dir_list_free(struct policy_dir_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->items[i].path);
		free(list->items[i].overrides);
	}
	free(list->items);
	*list = (struct policy_dir_list){ 0 };
}
