/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instance's own inodes, recorded in "pin_inodes" (frozen once done):
 * from then on no jailed task changes them, and once sealed nobody removes
 * or opens them. The pins and their directories are recorded in the
 * staging directory, before it moves into place, so that they are never
 * unguarded where they will stay; the pin root itself after the move (its
 * own rename would be refused otherwise).
 */
#pragma once

#include <stddef.h>

#include "bpfjailer.h"
#include "bpfjailer.skel.h"

struct pin_inodes {
	int map_fd;
	__u64 inos[BJ_MAX_PINS]; /* what was added, to take it back on failure */
	size_t n;
};

void pin_inodes_init(struct pin_inodes *r, struct bpfjailer *skel);

/* Record root's pin directories and every pin in them. 0 or a negative errno. */
int pin_inodes_add_pins(struct pin_inodes *r, const char *root);

/* Record root itself and freeze the map. 0 or a negative errno. */
int pin_inodes_finish(struct pin_inodes *r, const char *root);

/* After a failure (before the freeze): take back every entry, so the pins can be removed. */
void pin_inodes_forget(struct pin_inodes *r);
