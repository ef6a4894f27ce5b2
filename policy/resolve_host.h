/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy against this host: what parsing and compiling, functions of
 * the text alone, never look at. Between the two, the bootstrap checks that
 * the running kernel can enforce the policy and that the files it names
 * are there, and finds those files' inodes for the compiler. (Rule paths
 * and cgroups are fitted to the host by the bootstrap's own resolve step,
 * bootstrap/resolve.h.)
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "bpfjailer.h"
#include "diag.h"
#include "policy.h"

/* What the running kernel can enforce. */
struct bj_kernel_caps {
	bool xattr_kfunc;   /* bpf_get_file_xattr (Linux 6.8+): xattr enrollment */
	bool signing_kfuncs; /* that, bpf_get_fsverity_digest and the keyring ones: signed binaries */
};

/*
 * Where the policy's files are looked for: AT_FDCWD for this host's "/", or
 * a directory opened as the root of an image (--root), inside which every
 * path and every symlink resolves (openat2(2) RESOLVE_IN_ROOT): an image's
 * absolute symlink names the image's file, never the host's. An fd from
 * host_open(), or -errno.
 */
int host_open(int root_fd, const char *path, int flags);

/*
 * An error for what the policy needs and the kernel lacks (a policy this
 * kernel cannot enforce: BJ_EXIT_KERNEL); with check_paths, a warning for
 * each enrollment path, forwarder_path and (when a role is launchable)
 * launcher path that does not exist (yet) below root_fd (host_open()).
 * diags holds the parse's diagnostics of this policy: the new ones join
 * them in the order of the file. Returns 0, or -1 after an error.
 */
int policy_check_host(const struct bj_policy *policy, const struct bj_kernel_caps *caps, int root_fd,
		      bool check_paths, struct bj_diags *diags);

/* The files the kernel knows exec enrollments, the forwarder and the launcher by, as this host has them. */
struct bj_host_files {
	struct bj_inode_key *execs; /* one per exec enrollment; 0/0: it does not exist (yet) */
	size_t n_execs;
	struct bj_inode_key forwarder; /* 0/0: none, or it does not exist (yet) */
	struct bj_inode_key launcher;  /* 0/0: no launch enrollment, or it does not exist (yet) */
};

/*
 * Look each file up below root_fd (host_open(); hard links and symlinks
 * meet here). An error for one
 * that is there but is no regular file, or cannot be looked at; one that
 * does not exist is left out (policy_check_host() warns about it). Returns
 * 0, or -1 after an error; free *out with host_files_free() either way.
 */
int host_files_find(const struct bj_policy *policy, int root_fd, struct bj_host_files *out,
		    struct bj_diags *diags);
void host_files_free(struct bj_host_files *files);

/* super_block.s_dev as the kernel encodes it (MINORBITS = 20), from a user dev_t. */
__u64 kernel_dev(dev_t dev);
