/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pin layout (bpfjailer.h), from the bootstrap's side: find out whether
 * an instance is there, make room for one, and remove one.
 */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "bpfjailer.h"
#include "pinned.h"

enum pins_state {
	PINS_NONE = 0,   /* nothing there, or only empty directories */
	PINS_LOADED = 1, /* at least one pinned BPF link under links/ */
	PINS_SEALED = 2, /* pinned links that nobody may open: a sealed instance */
};

/*
 * Call fn(path, arg) with the path of each entry of root/sub (a missing
 * directory has none). Every entry is visited; returns 0, the first
 * negative errno fn returned, or one of reading the directory.
 */
int pins_for_each(const char *root, const char *sub, int (*fn)(const char *path, void *arg), void *arg);

/*
 * Whether root holds a live instance: an enum pins_state, or a negative
 * errno after printing why (something else is in the way).
 */
int pins_instance_present(const char *root);

/*
 * Create root's missing parents (which must be on the same bpffs) and
 * leave root itself absent; *dev is the device of the bpffs it will be on.
 */
int pins_prepare_root(const char *root, dev_t *dev);

/*
 * Remove root/{links,progs,maps}/ * and the directories, links first so
 * that the programs detach before the maps they use go. Missing entries are
 * fine. Returns 0 or the first negative errno (after printing it).
 */
int pins_remove(const char *root);
