/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy compiled into the exact contents of the kernel's tables. Sizes
 * are known here, before anything is loaded, so every map is created with
 * the size it needs and filled completely before a program is attached.
 */
#pragma once

#include "policy.h"
#include "resolve_host.h"
#include "tables.h"

struct bj_compile_opts {
	__u64 hash_key[2];
	/*
	 * The files of the exec enrollments, the forwarder and the launcher
	 * on this host (host_files_find()); NULL: no file is known by its
	 * inode (the fuzzer, and tests of the tables alone).
	 */
	const struct bj_host_files *files;
	/*
	 * Each cgroup enrollment's path below the cgroup v2 root, as the host's
	 * mounts place it (the bootstrap's resolve step); NULL, or a NULL entry:
	 * the cgroup_path below /sys/fs/cgroup.
	 */
	char *const *cgroup_paths;
};

/*
 * Compile a validated policy. Returns 0 and sets *out (free with
 * tables_free()), or -1 with errors in diags.
 */
int policy_compile(const struct bj_policy *policy, const struct bj_compile_opts *opts,
		   struct bj_tables **out, struct bj_diags *diags);
