/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --unload returns once the jail is gone. Removing the link pins only
 * starts the detach: the kernel finishes it later, in a worker that waits
 * for RCU grace periods (seconds for forty programs under emulation), and
 * until then the programs still run. A program's id goes only once nothing
 * attaches or holds it, so the ids are recorded before the pins go and
 * polled until none of them exists.
 */
#pragma once

#include <linux/types.h>
#include <stddef.h>

#include "bpfjailer.h"

/* How long --unload waits for the programs to go, in seconds. */
#define UNLOAD_WAIT_SECONDS 30

struct prog_ids {
	__u32 ids[BJ_MAX_PINS]; /* one program at most behind each pin */
	size_t n;
};

/*
 * The ids of the instance's programs at root: those its pinned links
 * attach and those pinned under progs/. 0, or a negative errno after
 * printing why.
 */
int prog_ids_collect(const char *root, struct prog_ids *ids);

/*
 * Wait until none of ids exists, for at most seconds. 0, or -ETIMEDOUT
 * after printing "unload: programs still attached after N s: ids ...".
 */
int prog_ids_wait_gone(const struct prog_ids *ids, unsigned seconds);
