/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The resolve step: between parsing and compiling, fit the policy to this
 * host's file systems, which the parser (a pure library) never looks at.
 *
 * Paths: the kernel matches the path a task reaches, with every symlink
 * followed (/bin/sh is /usr/bin/dash, /var/run/x is /run/x on Debian). Each
 * file rule pattern and execution rule binary_path is rewritten so that its
 * longest existing literal prefix (up to the first "*") is that real path.
 *
 * Cgroups: the kernel matches cgroup paths below the cgroup v2 root. Each
 * cgroup_path must lie on a cgroup2 mount found in mountinfo (at
 * /sys/fs/cgroup on a unified system, /sys/fs/cgroup/unified on a hybrid
 * one, anywhere else it was mounted), and becomes its path in the hierarchy.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "policy.h"

#define RESOLVE_MOUNTINFO "/proc/self/mountinfo"
#define RESOLVE_UNIFIED_MOUNT "/sys/fs/cgroup"

struct resolve_opts {
	/* Resolve as if this directory were "/" (tests); NULL or "/" for the real root. */
	const char *root;
	/* The mount table to read; NULL for RESOLVE_MOUNTINFO. */
	const char *mountinfo;
	/*
	 * An image (--root) has no mounts to read: assume those of a unified
	 * host, as systemd boots it, cgroup v2 alone at RESOLVE_UNIFIED_MOUNT.
	 */
	bool unified;
	/*
	 * --check: a cgroup_path that this host's mounts refuse is a warning
	 * (the policy may be meant for another host), not an error.
	 */
	bool check_only;
};

struct resolved {
	/* The path of each cgroup enrollment below the cgroup v2 root, for the compiler. */
	char **cgroup_paths;
	size_t n_cgroup_paths;
	/* The first cgroup2 mount point in mountinfo; NULL when there is none. */
	char *cgroup2_mount;
	/* "roles.web.file_paths[2].pattern: /var/run/x resolved to /run/x", one a rewrite. */
	char **rewrites;
	size_t n_rewrites;
};

/* What resolve_policy() found wrong, as bits. */
enum {
	RESOLVE_BAD_PATH = 1,   /* a rule's path: dangling symlink, loop, unreadable */
	RESOLVE_BAD_CGROUP = 2, /* a cgroup_path this host's mounts refuse, or no cgroup2 at all */
};

/*
 * Rewrite the policy's rule paths in place and resolve its cgroup paths
 * into *out (free with resolved_free(), also after a failure). Errors and
 * warnings go to diags with the rule's location. Returns 0, a mask of
 * RESOLVE_BAD_* after errors, or -1 when out of memory (also reported).
 */
int resolve_policy(struct bj_policy *policy, const struct resolve_opts *opts, struct resolved *out,
		   struct bj_diags *diags);

void resolved_free(struct resolved *r);

/*
 * The real path of pattern's literal prefix under root, into *out
 * (malloc'd): unchanged when nothing in it is a symlink or nothing of it
 * exists. Returns 0, or -1 with a message in why (a dangling symlink, a
 * loop) and *out NULL; -ENOMEM when out of memory.
 */
int resolve_pattern(const char *root, const char *pattern, char **out, char *why, size_t why_size);

/* --- the mount table (cgroup_mount.c) --- */

struct mount_entry {
	char *point;  /* where it is mounted, unescaped */
	char *root;   /* the directory of its file system that is mounted there */
	char *fstype; /* "cgroup2", "cgroup", "tmpfs", ... */
};

struct mount_table {
	struct mount_entry *items;
	size_t n;
};

/* Read a mountinfo file. 0, or a negative errno (ENOMEM, or the file's error). */
int mount_table_read(const char *path, struct mount_table *t);
void mount_table_free(struct mount_table *t);

/* The table of a unified host: cgroup2 at RESOLVE_UNIFIED_MOUNT alone. 0, or -ENOMEM. */
int mount_table_unified(struct mount_table *t);

/* The first cgroup2 mount, or NULL. */
const struct mount_entry *mount_table_cgroup2(const struct mount_table *t);

/* The mount that path (absolute, normalised) lies on: the last of the longest mount points above it. */
const struct mount_entry *mount_table_find(const struct mount_table *t, const char *path);

/*
 * cgroup_path's path in the cgroup v2 hierarchy ("/a/b"), into *out
 * (malloc'd). Returns 0, -ENOMEM, or -EINVAL with why set (not on
 * cgroup2, the root cgroup, no cgroup2 mounted).
 */
int cgroup_path_resolve(const struct mount_table *t, const char *cgroup_path, char **out, char *why,
			size_t why_size);
