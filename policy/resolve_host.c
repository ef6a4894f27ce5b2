// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "resolve_host.h"

/* Replace *fd by next (closing the old one); next, or -errno when it failed. */
static int move_to(int *fd, int next)
{
	if (next < 0)
		return -errno;
	close(*fd);
	*fd = next;
	return 0;
}

/*
 * openat2(2) RESOLVE_IN_ROOT by hand, where the system call is missing
 * (valgrind, which CI runs the unit tests under, does not know it): one
 * component at a time, each symlink read and followed from the root (when
 * absolute) or its directory, ".." never above the root.
 */
static int open_in_root(int root_fd, const char *path, int flags)
{
	char *todo = strdup(path), *next, name[NAME_MAX + 1], target[PATH_MAX];
	int dir = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC), fd, err = 0;
	unsigned depth = 0, links = 0;
	size_t pos = 0, n;
	struct stat st;
	ssize_t tn;

	if (!todo || dir < 0) {
		err = !todo ? -ENOMEM : -errno;
		goto out;
	}
	for (;;) {
		pos += strspn(todo + pos, "/");
		n = strcspn(todo + pos, "/");
		if (!n) { /* the path ends at a directory */
			fd = openat(dir, ".", flags | O_CLOEXEC);
			err = fd < 0 ? -errno : fd;
			break;
		}
		if (n > NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		memcpy(name, todo + pos, n);
		name[n] = '\0';
		pos += n;
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			if (depth && (err = move_to(&dir, openat(dir, "..", O_PATH | O_DIRECTORY | O_CLOEXEC))))
				break;
			depth -= depth > 0;
			continue;
		}
		fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			err = -errno;
			if (fd >= 0)
				close(fd);
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			tn = readlinkat(fd, "", target, sizeof(target) - 1);
			close(fd);
			if (tn < 0 || ++links > 40) {
				err = tn < 0 ? -errno : -ELOOP;
				break;
			}
			target[tn] = '\0';
			if (asprintf(&next, "%s/%s", target, todo + pos) < 0) {
				err = -ENOMEM;
				break;
			}
			free(todo);
			todo = next;
			pos = 0;
			if (target[0] == '/' && (err = move_to(&dir, openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC))))
				break;
			depth = target[0] == '/' ? 0 : depth;
			continue;
		}
		if (todo[pos + strspn(todo + pos, "/")] == '\0' && !(flags & O_PATH)) {
			close(fd);
			fd = openat(dir, name, flags | O_NOFOLLOW | O_CLOEXEC);
			err = fd < 0 ? -errno : fd;
			break;
		}
		if (todo[pos + strspn(todo + pos, "/")] == '\0') {
			err = fd;
			break;
		}
		move_to(&dir, fd);
		depth++;
	}
out:
	if (dir >= 0)
		close(dir);
	free(todo);
	return err;
}

int host_open(int root_fd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (__u64)(flags | O_CLOEXEC),
		/* /proc/self/... inside an image would be the host's */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	if (root_fd == AT_FDCWD)
		fd = open(path, flags | O_CLOEXEC);
	else
		fd = (int)syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		return open_in_root(root_fd, path, flags);
	return fd < 0 ? -errno : fd;
}

/* stat(2) of path below root_fd: 0, or -errno. */
static int host_stat(int root_fd, const char *path, struct stat *st)
{
	int fd = host_open(root_fd, path, O_PATH);
	int err = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0)
		err = -errno;
	close(fd);
	return err;
}

static bool path_missing(int root_fd, const char *path)
{
	struct stat st;
	int err = host_stat(root_fd, path, &st);

	return err == -ENOENT || err == -ENOTDIR;
}

/* Where the launcher's path comes from: launcher_path, or else the launch_enrollments it is needed by. */
static struct bj_loc launcher_loc(const struct bj_policy *policy)
{
	return policy->launcher_path ? policy->launcher_loc : policy->launch_enrollments_loc;
}

static void warn_missing_paths(const struct bj_policy *policy, int root_fd, struct bj_diags *diags)
{
	for (size_t i = 0; i < policy->n_exec_enrollments; i++) {
		const struct bj_path_enrollment *en = &policy->exec_enrollments[i];

		if (path_missing(root_fd, en->path))
			diags_add(diags, BJ_WARNING, en->loc, en->json_path, "executable %s does not exist: it "
				  "cannot be enrolled until the next boot", en->path);
	}
	for (size_t i = 0; i < policy->n_cgroup_enrollments; i++) {
		const struct bj_path_enrollment *en = &policy->cgroup_enrollments[i];

		if (path_missing(root_fd, en->path))
			diags_add(diags, BJ_WARNING, en->loc, en->json_path, "cgroup %s does not exist yet: "
				  "processes are enrolled once it is created", en->path);
	}
	if (policy->forwarder_path && path_missing(root_fd, policy->forwarder_path))
		diags_add(diags, BJ_WARNING, policy->forwarder_loc, "forwarder_path", "forwarder %s does not "
			  "exist: once sealed, nothing can read the audit buffer until the next boot",
			  policy->forwarder_path);
	/* Loading refuses it (the bootstrap): launch_enrollments would be dead letters. */
	if (policy->n_launch_enrollments && path_missing(root_fd, policy_launcher_path(policy)))
		diags_add(diags, BJ_WARNING, launcher_loc(policy), "launcher_path", "launcher %s does not "
			  "exist: loading this policy fails until it does", policy_launcher_path(policy));
}

int policy_check_host(const struct bj_policy *policy, const struct bj_kernel_caps *caps, int root_fd,
		      bool check_paths, struct bj_diags *diags)
{
	size_t errors = diags->n_errors;

	if (policy->n_xattr_enrollments && !caps->xattr_kfunc)
		diags_add(diags, BJ_ERROR, policy->xattr_enrollments_loc, "xattr_enrollments", "xattr enrollment "
			  "needs the bpf_get_file_xattr kfunc (Linux 6.8+) and this kernel lacks it");
	for (size_t i = 0; i < policy->n_roles && !caps->signing_kfuncs; i++)
		if (policy->roles[i].flags & BJ_FLAG_SIGNED)
			diags_add(diags, BJ_ERROR, policy->roles[i].loc, policy->roles[i].json_path, "role \"%s\" "
				  "requires signed binaries, which needs the bpf_get_fsverity_digest, bpf_get_file_xattr "
				  "and bpf_verify_pkcs7_signature kfuncs (Linux 6.8+), and this kernel lacks them",
				  policy->roles[i].key);
	if (check_paths)
		warn_missing_paths(policy, root_fd, diags);
	diags_sort(diags, 0);
	return diags->n_errors > errors ? -1 : 0;
}

__u64 kernel_dev(dev_t dev)
{
	return ((__u64)major(dev) << 20) | minor(dev);
}

/* The regular file at path into *key; 0/0 when there is none. False after an error. */
static bool find_file(int root_fd, const char *path, const char *what, struct bj_loc loc, const char *json_path,
		      struct bj_inode_key *key, struct bj_diags *diags)
{
	struct stat st;
	int err;

	*key = (struct bj_inode_key){ 0 };
	err = host_stat(root_fd, path, &st);
	if (err) {
		if (err == -ENOENT) /* already a warning: enrolled from the next boot on */
			return true;
		diags_add(diags, BJ_ERROR, loc, json_path, "%s %s: %s", what, path, strerror(-err));
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		diags_add(diags, BJ_ERROR, loc, json_path, "%s %s is not a regular file", what, path);
		return false;
	}
	*key = (struct bj_inode_key){ .dev = kernel_dev(st.st_dev), .ino = st.st_ino };
	return true;
}

int host_files_find(const struct bj_policy *policy, int root_fd, struct bj_host_files *out, struct bj_diags *diags)
{
	bool ok = true;

	*out = (struct bj_host_files){ 0 };
	if (policy->n_exec_enrollments) {
		out->execs = calloc(policy->n_exec_enrollments, sizeof(*out->execs));
		if (!out->execs) {
			diags_add(diags, BJ_ERROR, (struct bj_loc){ 0 }, "", "out of memory while looking for the "
				  "policy's files");
			return -1;
		}
		out->n_execs = policy->n_exec_enrollments;
	}
	for (size_t i = 0; i < policy->n_exec_enrollments; i++) {
		const struct bj_path_enrollment *en = &policy->exec_enrollments[i];

		ok &= find_file(root_fd, en->path, "executable", en->loc, en->json_path, &out->execs[i], diags);
	}
	if (policy->forwarder_path)
		ok &= find_file(root_fd, policy->forwarder_path, "forwarder", policy->forwarder_loc, "forwarder_path",
				&out->forwarder, diags);
	if (policy->n_launch_enrollments)
		ok &= find_file(root_fd, policy_launcher_path(policy), "launcher", policy->launcher_loc, "launcher_path",
				&out->launcher, diags);
	return ok ? 0 : -1;
}

void host_files_free(struct bj_host_files *files)
{
	free(files->execs);
	*files = (struct bj_host_files){ 0 };
}
