/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sealing an instance: telling the programs where its pins live and who
 * the forwarder is before load, and which inodes are its pins after.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "bpfjailer.skel.h"
#include "compile.h"

/* The maps the forwarder reads; a sealed instance opens them to it alone. */
bool seal_forwarder_map(const char *name);

/* Fill the seal's part of the read-only configuration. 0 or a negative errno. */
int seal_configure(struct bpfjailer *skel, dev_t pin_dev, const struct bj_tables *t);

/*
 * Record the inodes of every directory and pin under pin_root in
 * "sealed_pins" and freeze it: from then on nobody removes or opens them.
 * On failure the map is left empty (the pins can still be removed).
 */
int seal_pins(struct bpfjailer *skel, const char *pin_root);
