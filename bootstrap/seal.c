// SPDX-License-Identifier: GPL-2.0
#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "pins.h"
#include "seal.h"

#define err_out(...) fprintf(stderr, "bpfjailer-bootstrap: " __VA_ARGS__)

bool seal_forwarder_map(const char *name)
{
	static const char *const names[] = { "audit_events", "audit_lost", "audit_reported", "role_names" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* super_block.s_dev as the kernel encodes it (MINORBITS = 20). */
static __u32 kernel_dev(dev_t dev)
{
	return (__u32)((major(dev) << 20) | minor(dev));
}

int seal_configure(struct bpfjailer *skel, dev_t pin_dev, const struct bj_tables *t)
{
	struct stat ns;

	/* The namespace the pin root is seen from: its bpffs may not leave it. */
	if (stat("/proc/self/ns/mnt", &ns) < 0) {
		err_out("seal: read /proc/self/ns/mnt: %s\n", strerror(errno));
		return -errno;
	}
	skel->rodata->seal_dev = kernel_dev(pin_dev);
	skel->rodata->seal_mnt_ns = (__u32)ns.st_ino;
	skel->rodata->forwarder_dev = (__u32)t->forwarder.dev;
	skel->rodata->forwarder_ino = t->forwarder.ino;
	return 0;
}

struct sealer {
	int map_fd;
	__u64 inos[256]; /* what was added, to take it back on failure */
	size_t n;
};

static int add_inode(struct sealer *s, const char *path, __u8 kind)
{
	struct stat st;

	if (s->n == sizeof(s->inos) / sizeof(s->inos[0])) {
		err_out("seal %s: more pins than the seal has room for\n", path);
		return -E2BIG;
	}
	if (stat(path, &st) < 0 || bpf_map_update_elem(s->map_fd, &(__u64){ st.st_ino }, &kind, BPF_NOEXIST)) {
		err_out("seal %s: %s\n", path, strerror(errno));
		return -errno;
	}
	s->inos[s->n++] = st.st_ino;
	return 0;
}

/* The directory root/sub and every pin in it. */
static int add_dir(struct sealer *s, const char *root, const char *sub)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	int err;
	DIR *d;

	if (pin_path(dir, sizeof(dir), root, sub, NULL))
		return -ENAMETOOLONG;
	err = add_inode(s, dir, BJ_PIN_DIR);
	if (err || !sub)
		return err;
	d = opendir(dir);
	if (!d) {
		err_out("seal %s: %s\n", dir, strerror(errno));
		return -errno;
	}
	while (!err && (de = readdir(d))) {
		bool for_forwarder = !strcmp(sub, PIN_DIR_MAPS) && seal_forwarder_map(de->d_name);

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		err = pin_path(path, sizeof(path), root, sub, de->d_name);
		if (!err)
			err = add_inode(s, path, for_forwarder ? BJ_PIN_FORWARDER : BJ_PIN_OBJECT);
	}
	closedir(d);
	return err;
}

int seal_pins(struct bpfjailer *skel, const char *pin_root)
{
	static const char *const dirs[] = { PIN_DIR_PROGS, PIN_DIR_MAPS, PIN_DIR_LINKS };
	struct sealer s = { .map_fd = bpf_map__fd(skel->maps.sealed_pins) };
	int err = 0;

	for (size_t i = 0; !err && i < sizeof(dirs) / sizeof(dirs[0]); i++)
		err = add_dir(&s, pin_root, dirs[i]);
	if (!err)
		err = add_dir(&s, pin_root, NULL);
	if (!err && bpf_map_freeze(s.map_fd)) {
		err = -errno;
		err_out("freeze map sealed_pins: %s\n", strerror(errno));
	}
	while (err && s.n) {
		if (bpf_map_delete_elem(s.map_fd, &s.inos[--s.n]))
			err_out("unseal inode %llu: %s\n", (unsigned long long)s.inos[s.n], strerror(errno));
	}
	return err;
}
