// SPDX-License-Identifier: GPL-2.0
/*
 * Where cgroup v2 is mounted, from mountinfo, and what a cgroup_path is in
 * its hierarchy. Each line of mountinfo (proc(5)) is
 *
 *   ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER-OPTIONS
 *
 * with spaces, tabs, newlines and backslashes in paths written as \ooo.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"

/* Undo mountinfo's octal escapes, in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
		    s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* One line into an entry; false for a line that is not one (skipped). */
static bool parse_line(char *line, char **root, char **point, char **fstype)
{
	char *save, *field[6], *tok;
	int n = 0;

	for (tok = strtok_r(line, " \n", &save); tok && n < 6; tok = strtok_r(NULL, " \n", &save))
		field[n++] = tok;
	if (n < 6)
		return false;
	while (tok && strcmp(tok, "-"))
		tok = strtok_r(NULL, " \n", &save);
	if (!tok || !(tok = strtok_r(NULL, " \n", &save)))
		return false;
	*root = field[3];
	*point = field[4];
	*fstype = tok;
	unescape(*root);
	unescape(*point);
	return true;
}

int mount_table_read(const char *path, struct mount_table *t)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0, size = 0;
	char *line = NULL;
	int err = 0;

	*t = (struct mount_table){ 0 };
	if (!f)
		return -errno;
	while (!err && getline(&line, &size, f) >= 0) {
		char *root, *point, *fstype;
		struct mount_entry *e;

		if (!parse_line(line, &root, &point, &fstype))
			continue;
		if (t->n == cap) {
			struct mount_entry *grown = realloc(t->items, (cap = cap ? 2 * cap : 32) * sizeof(*grown));

			if (!grown) {
				err = -ENOMEM;
				break;
			}
			t->items = grown;
		}
		e = &t->items[t->n];
		*e = (struct mount_entry){ .root = strdup(root), .point = strdup(point), .fstype = strdup(fstype) };
		t->n++;
		if (!e->root || !e->point || !e->fstype)
			err = -ENOMEM;
	}
	if (!err && ferror(f))
		err = -EIO;
	free(line);
	fclose(f);
	if (err)
		mount_table_free(t);
	return err;
}

int mount_table_unified(struct mount_table *t)
{
	*t = (struct mount_table){ .items = calloc(1, sizeof(*t->items)) };
	if (!t->items)
		return -ENOMEM;
	t->n = 1;
	t->items[0] = (struct mount_entry){ .point = strdup(RESOLVE_UNIFIED_MOUNT), .root = strdup("/"),
					    .fstype = strdup("cgroup2") };
	if (!t->items[0].point || !t->items[0].root || !t->items[0].fstype) {
		mount_table_free(t);
		return -ENOMEM;
	}
	return 0;
}

void mount_table_free(struct mount_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->items[i].point);
		free(t->items[i].root);
		free(t->items[i].fstype);
	}
	free(t->items);
	*t = (struct mount_table){ 0 };
}

const struct mount_entry *mount_table_cgroup2(const struct mount_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->items[i].fstype, "cgroup2"))
			return &t->items[i];
	return NULL;
}

/* The length of point if it is path or a directory above it ("/" is above all), else 0. */
static size_t above(const char *point, const char *path)
{
	size_t len = strlen(point);

	while (len > 1 && point[len - 1] == '/')
		len--;
	if (len == 1 && point[0] == '/')
		return 1;
	return !strncmp(point, path, len) && (path[len] == '/' || path[len] == '\0') ? len : 0;
}

const struct mount_entry *mount_table_find(const struct mount_table *t, const char *path)
{
	const struct mount_entry *best = NULL;
	size_t best_len = 0;

	/* Later entries are mounted over earlier ones at the same point. */
	for (size_t i = 0; i < t->n; i++) {
		size_t len = above(t->items[i].point, path);

		if (len && len >= best_len) {
			best = &t->items[i];
			best_len = len;
		}
	}
	return best;
}

int cgroup_path_resolve(const struct mount_table *t, const char *cgroup_path, char **out, char *why,
			size_t why_size)
{
	const struct mount_entry *v2 = mount_table_cgroup2(t), *on = mount_table_find(t, cgroup_path);
	const char *rest, *root;
	size_t len;

	*out = NULL;
	if (!v2) {
		snprintf(why, why_size, "cgroup_path \"%s\": no cgroup v2 is mounted on this host (no cgroup2 "
			 "in " RESOLVE_MOUNTINFO "), and cgroup enrollment needs one", cgroup_path);
		return -EINVAL;
	}
	if (!on || strcmp(on->fstype, "cgroup2")) {
		snprintf(why, why_size, "cgroup_path \"%s\" is not on cgroup v2: it is on %s%s mounted at %s; "
			 "cgroup v2 is mounted at %s (expected a path such as \"%s/bpfjailer/sandbox\")",
			 cgroup_path, on ? on->fstype : "nothing",
			 on && !strcmp(on->fstype, "cgroup") ? " (a cgroup v1 hierarchy)" : "",
			 on ? on->point : "/", v2->point, strcmp(v2->point, "/") ? v2->point : "");
		return -EINVAL;
	}
	/* A mount of a cgroup below the root (a bind mount, another cgroup namespace) shows it as root. */
	root = strcmp(on->root, "/") ? on->root : "";
	if (root[0] && (root[0] != '/' || strstr(root, "/..") || strstr(root, "//"))) {
		snprintf(why, why_size, "cgroup_path \"%s\": the cgroup2 mount at %s shows cgroup \"%s\", "
			 "which is outside this process's cgroup namespace", cgroup_path, on->point, on->root);
		return -EINVAL;
	}
	len = above(on->point, cgroup_path);
	rest = cgroup_path + (len == 1 ? 0 : len);
	if (!root[0] && (!rest[0] || !strcmp(rest, "/"))) {
		snprintf(why, why_size, "cgroup_path \"%s\" is the root cgroup (cgroup v2 is mounted at %s), "
			 "which would enroll every process (expected a cgroup below it)", cgroup_path, on->point);
		return -EINVAL;
	}
	if (asprintf(out, "%s%s", root, rest[0] && strcmp(rest, "/") ? rest : "") < 0) {
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}
