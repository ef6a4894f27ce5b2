// SPDX-License-Identifier: GPL-2.0
#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pins.h"

int pin_path(char *buf, size_t size, const char *root, const char *dir, const char *name)
{
	int n = name ? snprintf(buf, size, "%s/%s/%s", root, dir, name)
		     : dir ? snprintf(buf, size, "%s/%s", root, dir) : snprintf(buf, size, "%s", root);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

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
	int found = 0, err = pins_for_each(root, PIN_DIR_LINKS, note_link, &found);

	if (err) {
		fprintf(stderr, "bpfjailer-bootstrap: %s/%s: %s\n", root, PIN_DIR_LINKS, strerror(-err));
		return err;
	}
	return found;
}

static int mkdir_parents(const char *root)
{
	char path[PATH_MAX];

	if (pin_path(path, sizeof(path), root, NULL, NULL))
		return -ENAMETOOLONG;
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			int err = -errno;

			fprintf(stderr, "bpfjailer-bootstrap: mkdir %s: %s\n", path, strerror(errno));
			return err;
		}
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

	if (pin_path(dir, sizeof(dir), root, sub, NULL))
		return -ENAMETOOLONG;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		int e;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		e = pin_path(path, sizeof(path), root, sub, de->d_name);
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
	if (unlink(path) == 0)
		return 0;
	fprintf(stderr, "bpfjailer-bootstrap: remove %s: %s\n", path, strerror(errno));
	return -errno;
}

static int remove_dir(const char *root, const char *sub)
{
	char dir[PATH_MAX];
	int err = pins_for_each(root, sub, remove_pin, NULL);

	if (pin_path(dir, sizeof(dir), root, sub, NULL))
		return err ? err : -ENAMETOOLONG;
	if (rmdir(dir) < 0 && errno != ENOENT && !err) {
		err = -errno;
		fprintf(stderr, "bpfjailer-bootstrap: rmdir %s: %s\n", dir, strerror(errno));
	}
	return err;
}

int pins_prepare_root(const char *root, dev_t *dev)
{
	struct stat st;
	int err = mkdir_parents(root);

	if (err)
		return err;
	if (stat(root, &st) < 0 || rmdir(root) < 0) {
		err = -errno;
		fprintf(stderr, "bpfjailer-bootstrap: prepare pin root %s: %s\n", root, strerror(errno));
		return err;
	}
	*dev = st.st_dev;
	return 0;
}

int pins_remove(const char *root)
{
	static const char *const order[] = { PIN_DIR_LINKS, PIN_DIR_PROGS, PIN_DIR_MAPS };
	int err = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		int e = remove_dir(root, order[i]);

		if (!err)
			err = e;
	}
	if (rmdir(root) < 0 && errno != ENOENT && !err) {
		err = -errno;
		fprintf(stderr, "bpfjailer-bootstrap: rmdir %s: %s\n", root, strerror(errno));
	}
	return err;
}
