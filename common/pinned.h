/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pinned instance, as the bootstrap and the forwarder both read it: the
 * paths of its pins (bpfjailer.h) and its per-CPU counters.
 */
#pragma once

#include <linux/types.h>
#include <stddef.h>

/* "root/dir/name", "root/dir" (name NULL) or "root" (dir NULL too) into buf: 0, or -ENAMETOOLONG. */
int bj_pin_path(char *buf, size_t size, const char *root, const char *dir, const char *name);

/*
 * Open the map pinned as root/maps/name, its path into path (for the
 * caller's messages). A descriptor, or a negative errno; prints nothing.
 */
int bj_pinned_map_open(const char *root, const char *name, char *path, size_t size);

/* The sum over every possible CPU of element key of a per-CPU __u64 array: 0, or a negative errno. */
int bj_percpu_sum(int map_fd, __u32 key, __u64 *sum);
