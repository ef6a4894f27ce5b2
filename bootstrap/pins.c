// SPDX-License-Identifier: GPL-2.0
#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "pins.h"

/* Is this pinned object a BPF link (PINS_LOADED), one of a sealed instance, or neither? */
static enum pins_state pinned_link(const char *path)
{
	struct bpf_link_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);
	bool link;

	if (fd < 0)
		return errno == EPERM ? PINS_SEALED : PINS_NONE;
	link = bpf_obj_get_info_by_fd(fd, &info, &len) == 0;
	close(fd);
	return link ? PINS_LOADED : PINS_NONE;
}

static int note_link(const char *path, void *arg)
{
	int *found = arg;

	if (!*found)
		*found = pinned_link(path);
	return 0;
}

int pins_instance_present(const char *root)
{
	int found = 0, err = pins_for_each(root, BJ_PINS_LINKS, note_link, &found);

	return err ? bj_err(err, "%s/%s", root, BJ_PINS_LINKS) : found;
}

static int mkdir_parents(const char *root)
{
	char path[PATH_MAX];

	if (bj_pin_path(path, sizeof(path), root, NULL, NULL))
		return -ENAMETOOLONG;
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return bj_err(-errno, "mkdir %s", path);
		*p = c;
		if (!c)
			return 0;
	}
}

int pins_for_each(const char *root, const char *sub, int (*fn)(const char *path, void *arg), void *arg)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	int err = 0;
	DIR *d;

	if (bj_pin_path(dir, sizeof(dir), root, sub, NULL))
		return -ENAMETOOLONG;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		int e;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		e = bj_pin_path(path, sizeof(path), root, sub, de->d_name);
		if (!e)
			e = fn(path, arg);
		if (e && !err)
			err = e;
	}
	closedir(d);
	return err;
}

static int remove_pin(const char *path, void *arg)
{
	(void)arg;
	return unlink(path) == 0 ? 0 : bj_err(-errno, "remove %s", path);
}

static int remove_dir(const char *root, const char *sub)
{
	char dir[PATH_MAX];
	int err = pins_for_each(root, sub, remove_pin, NULL);

	if (bj_pin_path(dir, sizeof(dir), root, sub, NULL))
		return err ? err : -ENAMETOOLONG;
	if (rmdir(dir) < 0 && errno != ENOENT && !err)
		err = bj_err(-errno, "rmdir %s", dir);
	return err;
}

int pins_prepare_root(const char *root, dev_t *dev)
{
	struct stat st;
	int err = mkdir_parents(root);

	if (err)
		return err;
	if (stat(root, &st) < 0 || rmdir(root) < 0)
		return bj_err(-errno, "prepare pin root %s", root);
	*dev = st.st_dev;
	return 0;
}

int pins_remove(const char *root)
{
	static const char *const order[] = { BJ_PINS_LINKS, BJ_PINS_PROGS, BJ_PINS_MAPS };
	int err = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		int e = remove_dir(root, order[i]);

		if (!err)
			err = e;
	}
	if (rmdir(root) < 0 && errno != ENOENT && !err)
		err = bj_err(-errno, "rmdir %s", root);
	return err;
}
