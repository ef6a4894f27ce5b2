// SPDX-License-Identifier: GPL-2.0
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>

#include "bpfjailer.h"
#include "pinned.h"

int bj_pin_path(char *buf, size_t size, const char *root, const char *dir, const char *name)
{
	int n = name ? snprintf(buf, size, "%s/%s/%s", root, dir, name)
		     : dir ? snprintf(buf, size, "%s/%s", root, dir) : snprintf(buf, size, "%s", root);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int bj_pinned_map_open(const char *root, const char *name, char *path, size_t size)
{
	int fd, err = bj_pin_path(path, size, root, BJ_PINS_MAPS, name);

	if (err)
		return err;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

int bj_percpu_sum(int map_fd, __u32 key, __u64 *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	/* A per-CPU lookup fills one value per possible CPU: 8 bytes each for a __u64. */
	__u64 values[ncpu > 0 ? ncpu : 1];

	if (ncpu < 0)
		return ncpu;
	if (bpf_map_lookup_elem(map_fd, &key, values))
		return -errno;
	*sum = 0;
	for (int c = 0; c < ncpu; c++)
		*sum += values[c];
	return 0;
}
