/* SPDX-License-Identifier: GPL-2.0 */
/* Sealing an instance: telling the programs who the forwarder is and where the pins are seen from. */
#pragma once

#include <stdbool.h>

#include "bpfjailer.skel.h"
#include "compile.h"

/* The maps the forwarder reads; a sealed instance opens them to it alone. */
bool seal_forwarder_map(const char *name);

/*
 * The maps --status reads (identity, tables frozen at load, counters): a
 * sealed instance opens them to anyone, read-only (docs/security.md,
 * Sealing). Not the listing of jailed tasks: a link's fd, read-only or
 * not, could have its program replaced (BPF_LINK_UPDATE).
 */
bool seal_status_map(const char *name);

/* Fill the seal's part of the read-only configuration. 0 or a negative errno. */
int seal_configure(struct bpfjailer *skel, const struct bj_tables *t);
