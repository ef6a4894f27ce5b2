// SPDX-License-Identifier: GPL-2.0
/*
 * Rule paths as the kernel sees them. The jail matches the path a task
 * reaches, every symlink followed, so a rule written through a symlink
 * (/bin/sh, /var/run/x, /lib/...) would never match. Each pattern's literal
 * prefix, up to its first "*" component, is walked here one component at a
 * time: symlinks are followed (absolute ones from the given root, so a
 * test tree stands for "/"), the walk stops at the first component that does
 * not exist, and what follows it is kept as written. A symlink that leads
 * nowhere, or in a circle, is an error. Symlinks on procfs (/proc/self,
 * /proc/PID/fd/N) are not followed: they name something else for every
 * process.
 */
#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "resolve.h"

#define MAX_SYMLINKS 40 /* as the kernel's path walk */

struct walk {
	char cur[PATH_MAX]; /* root, then the real path resolved so far */
	size_t base;        /* length of the root in cur */
	size_t len;
	char *todo;         /* components still to walk, "a/b/c" */
	size_t pos;
	unsigned link_comps; /* how many of todo's first components came from symlink targets */
	unsigned links;      /* symlinks followed */
	char outer[PATH_MAX]; /* the symlink of the pattern itself being followed, for messages */
	char outer_target[PATH_MAX];
};

static const char *shown(const struct walk *w)
{
	return w->len > w->base ? w->cur + w->base : "/";
}

static unsigned count_components(const char *s)
{
	unsigned n = 0;

	for (s += strspn(s, "/"); *s; s += strspn(s, "/")) {
		n++;
		s += strcspn(s, "/");
	}
	return n;
}

/* Is the directory cur (up to len) on procfs? */
static bool on_procfs(struct walk *w, size_t len)
{
	struct statfs sfs;
	char c = w->cur[len];
	bool proc;

	w->cur[len] = '\0';
	proc = statfs(len ? w->cur : "/", &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
	w->cur[len] = c;
	return proc;
}

/* Replace todo's consumed part by target: what the symlink says, then the rest. */
static int follow(struct walk *w, const char *target)
{
	const char *rest = w->todo + w->pos;
	char *next;

	if (asprintf(&next, "%s/%s", target, rest) < 0)
		return -ENOMEM;
	free(w->todo);
	w->todo = next;
	w->pos = strspn(next, "/");
	w->link_comps += count_components(target);
	if (target[0] == '/')
		w->len = w->base;
	w->cur[w->len] = '\0';
	return 0;
}

enum step { STEP_GO, STEP_STOP, STEP_ERROR };

/* Walk the next component of todo; STEP_STOP when the rest is to be kept as written. */
static enum step step(struct walk *w, char *why, size_t why_size, int *err)
{
	const char *comp = w->todo + w->pos;
	size_t n = strcspn(comp, "/"), parent = w->len;
	bool from_link = w->link_comps > 0;
	char target[PATH_MAX];
	struct stat st;
	ssize_t tn;
	int link_err;

	if (from_link)
		w->link_comps--;
	w->pos += n;
	w->pos += strspn(w->todo + w->pos, "/");
	if (n == 1 && comp[0] == '.')
		return STEP_GO;
	if (n == 2 && comp[0] == '.' && comp[1] == '.') {
		while (w->len > w->base && w->cur[w->len - 1] != '/')
			w->len--;
		if (w->len > w->base)
			w->len--;
		w->cur[w->len] = '\0';
		return STEP_GO;
	}
	if (w->len + 1 + n >= sizeof(w->cur)) {
		if (!from_link) {
			w->pos = (size_t)(comp - w->todo);
			return STEP_STOP;
		}
		snprintf(why, why_size, "%s is a symlink to %s, which is too long a path", w->outer, w->outer_target);
		return STEP_ERROR;
	}
	w->cur[w->len] = '/';
	memcpy(w->cur + w->len + 1, comp, n);
	w->len += 1 + n;
	w->cur[w->len] = '\0';
	if (lstat(w->cur, &st) < 0) {
		int e = errno;

		w->len = parent;
		w->cur[w->len] = '\0';
		if (from_link) {
			if (e == ENOENT || e == ENOTDIR)
				snprintf(why, why_size, "%s is a symlink to %s, which does not exist (a dangling symlink)",
					 w->outer, w->outer_target);
			else
				snprintf(why, why_size, "%s is a symlink to %s, which cannot be resolved: %s", w->outer,
					 w->outer_target, strerror(e));
			return STEP_ERROR;
		}
		/* Not there (yet): kept as written. Not visible to us: the same. */
		if (e == ENOENT || e == ENOTDIR || e == EACCES || e == ENAMETOOLONG) {
			w->pos = (size_t)(comp - w->todo);
			return STEP_STOP;
		}
		snprintf(why, why_size, "%s/%.*s cannot be resolved: %s", parent > w->base ? shown(w) : "",
			 (int)n, comp, strerror(e));
		return STEP_ERROR;
	}
	if (!S_ISLNK(st.st_mode))
		return STEP_GO;
	if (on_procfs(w, parent)) {
		w->pos = (size_t)(comp - w->todo);
		w->len = parent;
		w->cur[w->len] = '\0';
		return STEP_STOP;
	}
	tn = readlink(w->cur, target, sizeof(target) - 1);
	link_err = tn < 0 ? errno : 0; /* before the calls below can change errno */
	if (!from_link) {
		snprintf(w->outer, sizeof(w->outer), "%s", shown(w));
		snprintf(w->outer_target, sizeof(w->outer_target), "%.*s", tn > 0 ? (int)tn : 0, target);
	}
	if (++w->links > MAX_SYMLINKS) {
		snprintf(why, why_size, "%s: too many levels of symbolic links (a symlink loop)", w->outer);
		return STEP_ERROR;
	}
	if (tn <= 0 || (size_t)tn >= sizeof(target) - 1) {
		snprintf(why, why_size, "%s: cannot read the symlink: %s", shown(w),
			 tn < 0 ? strerror(link_err) : "empty or too long");
		return STEP_ERROR;
	}
	target[tn] = '\0';
	w->len = parent;
	*err = follow(w, target);
	return *err ? STEP_ERROR : STEP_GO;
}

int resolve_pattern(const char *root, const char *pattern, char **out, char *why, size_t why_size)
{
	struct walk *w = calloc(1, sizeof(*w));
	const char *rest = pattern, *c;
	enum step s = STEP_GO;
	int err = 0;

	*out = NULL;
	if (!w)
		return -ENOMEM;
	/* The literal prefix: the components before the first one with a "*". */
	for (c = pattern; c[0] == '/' && c[1];) {
		size_t n = strcspn(c + 1, "/");

		if (memchr(c + 1, '*', n))
			break;
		c += 1 + n;
		rest = c;
	}
	if (!root || !strcmp(root, "/"))
		root = "";
	w->base = w->len = strlen(root);
	while (w->base && root[w->base - 1] == '/')
		w->base = w->len = w->base - 1;
	if (w->base >= sizeof(w->cur) || !(w->todo = strndup(pattern, (size_t)(rest - pattern)))) {
		err = w->base >= sizeof(w->cur) ? -ENAMETOOLONG : -ENOMEM;
		goto out;
	}
	memcpy(w->cur, root, w->base);
	w->cur[w->base] = '\0';
	w->pos = strspn(w->todo, "/");
	while (s == STEP_GO && w->todo[w->pos])
		s = step(w, why, why_size, &err);
	if (s == STEP_ERROR) {
		err = err ? err : -1;
		goto out;
	}
	/* The real prefix, the part not walked as written, then the pattern's wildcard part. */
	if (asprintf(out, "%s%s%s%s", w->len > w->base ? w->cur + w->base : "", w->todo[w->pos] ? "/" : "",
		     w->todo + w->pos, rest) < 0) {
		*out = NULL;
		err = -ENOMEM;
	} else if (!**out) {
		free(*out);
		*out = strdup("/");
		err = *out ? 0 : -ENOMEM;
	}
out:
	free(w->todo);
	free(w);
	return err;
}

/* --- the policy --- */

static int add_rewrite(struct resolved *r, const char *where, const char *from, const char *to)
{
	char **grown = realloc(r->rewrites, (r->n_rewrites + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	r->rewrites = grown;
	if (asprintf(&r->rewrites[r->n_rewrites], "%s: %s resolved to %s", where, from, to) < 0)
		return -ENOMEM;
	r->n_rewrites++;
	return 0;
}

/* Resolve one rule path in place. 1 if rewritten, 0 if not, -1 after an error, -ENOMEM. */
static int resolve_one(char **path, struct bj_loc loc, const char *where, const struct resolve_opts *opts,
		       struct resolved *r, struct bj_diags *diags)
{
	char why[2 * PATH_MAX + 128], *real;
	int err;

	if (!*path) /* invalid, already reported */
		return 0;
	err = resolve_pattern(opts->root, *path, &real, why, sizeof(why));
	if (err == -ENOMEM)
		return err;
	if (err) {
		diags_add(diags, BJ_ERROR, loc, where, "%s: %s", *path, why);
		return -1;
	}
	if (!strcmp(real, *path)) {
		free(real);
		return 0;
	}
	if (add_rewrite(r, where, *path, real)) {
		free(real);
		return -ENOMEM;
	}
	free(*path);
	*path = real;
	return 1;
}

/*
 * Two rules of a role that name one file only once resolved must agree,
 * or one spelling would win over the other for a reason nobody wrote: an
 * allow and a deny, or two allows that grant different rights.
 */
static void check_file_collisions(const struct bj_role *role, const bool *rewritten, struct bj_diags *diags)
{
	for (size_t i = 0; i < role->n_files; i++) {
		const struct bj_file_rule *a = &role->files[i];

		for (size_t j = 0; rewritten[i] && a->pattern && j < role->n_files; j++) {
			const struct bj_file_rule *b = &role->files[j];

			if (j == i || !b->pattern || strcmp(a->pattern, b->pattern) || (rewritten[j] && j > i))
				continue;
			if (a->allow == b->allow && (!a->allow || a->access == b->access))
				continue;
			diags_add(diags, BJ_ERROR, a->loc, a->json_path,
				  "this pattern is %s on this host, as is file_paths[%zu], which decides it "
				  "differently: make the two rules agree or remove one", a->pattern, j);
		}
	}
}

static void check_exec_collisions(const struct bj_role *role, const bool *rewritten, struct bj_diags *diags)
{
	for (size_t i = 0; i < role->n_execs; i++) {
		const struct bj_exec_rule *a = &role->execs[i];

		for (size_t j = 0; rewritten[i] && a->binary_path && j < role->n_execs; j++) {
			const struct bj_exec_rule *b = &role->execs[j];

			if (j == i || !b->binary_path || strcmp(a->binary_path, b->binary_path) ||
			    (rewritten[j] && j > i) || a->allow == b->allow)
				continue;
			diags_add(diags, BJ_ERROR, a->loc, a->json_path,
				  "this binary is %s on this host, as is execution_rules[%zu], which %s it: make "
				  "the two rules agree or remove one", a->binary_path, j, b->allow ? "allows" : "denies");
		}
	}
}

static int resolve_role(struct bj_role *role, const struct resolve_opts *opts, struct resolved *r,
			struct bj_diags *diags)
{
	bool *files = calloc(role->n_files + 1, sizeof(*files)), *execs = calloc(role->n_execs + 1, sizeof(*execs));
	size_t before;
	int bad = 0, ret;

	if (!files || !execs) {
		free(files);
		free(execs);
		return -ENOMEM;
	}
	for (size_t i = 0; i < role->n_files; i++) {
		ret = resolve_one(&role->files[i].pattern, role->files[i].loc, role->files[i].json_path, opts, r, diags);
		if (ret == -ENOMEM)
			goto out;
		files[i] = ret > 0;
		bad |= ret < 0;
	}
	for (size_t i = 0; i < role->n_execs; i++) {
		ret = resolve_one(&role->execs[i].binary_path, role->execs[i].loc, role->execs[i].json_path, opts, r,
				  diags);
		if (ret == -ENOMEM)
			goto out;
		execs[i] = ret > 0;
		bad |= ret < 0;
	}
	before = diags->n_errors;
	check_file_collisions(role, files, diags);
	check_exec_collisions(role, execs, diags);
	ret = bad || diags->n_errors > before ? RESOLVE_BAD_PATH : 0;
out:
	free(files);
	free(execs);
	return ret;
}

static int resolve_cgroups(const struct bj_policy *policy, const struct resolve_opts *opts, struct resolved *r,
			   struct bj_diags *diags)
{
	const char *mountinfo = opts->mountinfo ? opts->mountinfo : RESOLVE_MOUNTINFO;
	enum bj_severity severity = opts->check_only ? BJ_WARNING : BJ_ERROR;
	const char *also = opts->check_only ? " (loading this policy on this host fails)" : "";
	struct mount_table t;
	int err, bad = 0;

	if (!policy->n_cgroup_enrollments)
		return 0;
	r->cgroup_paths = calloc(policy->n_cgroup_enrollments, sizeof(*r->cgroup_paths));
	if (!r->cgroup_paths)
		return -ENOMEM;
	r->n_cgroup_paths = policy->n_cgroup_enrollments;
	err = opts->unified ? mount_table_unified(&t) : mount_table_read(mountinfo, &t);
	if (err == -ENOMEM)
		return err;
	if (err) {
		diags_add(diags, severity, policy->cgroup_enrollments[0].loc, "cgroup_enrollments",
			  "cannot read %s to find where cgroup v2 is mounted: %s%s", mountinfo, strerror(-err), also);
		return opts->check_only ? 0 : RESOLVE_BAD_CGROUP;
	}
	if (mount_table_cgroup2(&t) && !(r->cgroup2_mount = strdup(mount_table_cgroup2(&t)->point))) {
		mount_table_free(&t);
		return -ENOMEM;
	}
	for (size_t i = 0; i < policy->n_cgroup_enrollments; i++) {
		const struct bj_path_enrollment *en = &policy->cgroup_enrollments[i];
		char why[3 * PATH_MAX];

		if (!en->path)
			continue;
		err = cgroup_path_resolve(&t, en->path, &r->cgroup_paths[i], why, sizeof(why));
		if (err == -ENOMEM)
			break;
		if (err) {
			diags_add(diags, severity, en->loc, en->json_path, "%s%s", why, also);
			bad = !opts->check_only;
			err = 0;
		}
	}
	mount_table_free(&t);
	return err ? err : bad ? RESOLVE_BAD_CGROUP : 0;
}

static int by_location(const void *x, const void *y)
{
	const struct bj_diag *a = x, *b = y;

	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	return (a->loc.column > b->loc.column) - (a->loc.column < b->loc.column);
}

int resolve_policy(struct bj_policy *policy, const struct resolve_opts *opts, struct resolved *out,
		   struct bj_diags *diags)
{
	size_t first = diags->n;
	int ret = 0, err = 0;

	*out = (struct resolved){ 0 };
	for (size_t i = 0; err >= 0 && i < policy->n_roles; i++) {
		err = resolve_role(&policy->roles[i], opts, out, diags);
		if (err > 0)
			ret |= err;
	}
	if (err >= 0) {
		err = resolve_cgroups(policy, opts, out, diags);
		if (err > 0)
			ret |= err;
	}
	if (err < 0) {
		diags_add(diags, BJ_ERROR, (struct bj_loc){ 0 }, "", "out of memory while resolving the policy's paths");
		return -1;
	}
	/* In the order of the file, as the parser's. */
	if (diags->n > first)
		qsort(diags->items + first, diags->n - first, sizeof(*diags->items), by_location);
	return ret;
}

void resolved_free(struct resolved *r)
{
	for (size_t i = 0; i < r->n_cgroup_paths; i++)
		free(r->cgroup_paths[i]);
	free(r->cgroup_paths);
	for (size_t i = 0; i < r->n_rewrites; i++)
		free(r->rewrites[i]);
	free(r->rewrites);
	free(r->cgroup2_mount);
	*r = (struct resolved){ 0 };
}
