// SPDX-License-Identifier: GPL-2.0
#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "pin_inodes.h"
#include "pins.h"
#include "seal.h"

static int add_inode(struct pin_inodes *r, const char *path, __u8 kind)
{
	struct stat st;

	if (r->n == sizeof(r->inos) / sizeof(r->inos[0]))
		return bj_fail(-E2BIG, "record pin %s: more pins than map pin_inodes has room for", path);
	if (stat(path, &st) < 0 || bpf_map_update_elem(r->map_fd, &(__u64){ st.st_ino }, &kind, BPF_NOEXIST))
		return bj_err(-errno, "record pin %s", path);
	r->inos[r->n++] = st.st_ino;
	return 0;
}

/* The directory root/sub and every pin in it. */
static int add_dir(struct pin_inodes *r, const char *root, const char *sub)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	int err;
	DIR *d;

	if (bj_pin_path(dir, sizeof(dir), root, sub, NULL))
		return -ENAMETOOLONG;
	err = add_inode(r, dir, BJ_PIN_DIR);
	if (err || !sub)
		return err;
	d = opendir(dir);
	if (!d)
		return bj_err(-errno, "record pin %s", dir);
	while (!err && (de = readdir(d))) {
		bool map = !strcmp(sub, BJ_PINS_MAPS);
		bool for_forwarder = map && seal_forwarder_map(de->d_name);

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		err = bj_pin_path(path, sizeof(path), root, sub, de->d_name);
		if (!err)
			err = add_inode(r, path, (for_forwarder ? BJ_PIN_FORWARDER : BJ_PIN_OBJECT) |
						 (map && seal_status_map(de->d_name) ? BJ_PIN_READABLE : 0));
	}
	closedir(d);
	return err;
}

void pin_inodes_init(struct pin_inodes *r, struct bpfjailer *skel)
{
	*r = (struct pin_inodes){ .map_fd = bpf_map__fd(skel->maps.pin_inodes) };
}

int pin_inodes_add_pins(struct pin_inodes *r, const char *root)
{
	static const char *const dirs[] = { BJ_PINS_PROGS, BJ_PINS_MAPS, BJ_PINS_LINKS };
	int err = 0;

	for (size_t i = 0; !err && i < sizeof(dirs) / sizeof(dirs[0]); i++)
		err = add_dir(r, root, dirs[i]);
	return err;
}

int pin_inodes_finish(struct pin_inodes *r, const char *root)
{
	int err = add_dir(r, root, NULL);

	if (!err && bpf_map_freeze(r->map_fd))
		err = bj_err(-errno, "freeze map pin_inodes");
	return err;
}

void pin_inodes_forget(struct pin_inodes *r)
{
	while (r->n) {
		if (bpf_map_delete_elem(r->map_fd, &r->inos[--r->n]))
			bj_err(-errno, "forget pin inode %llu", (unsigned long long)r->inos[r->n]);
	}
}
