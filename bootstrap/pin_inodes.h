/* SPDX-License-Identifier: GPL-2.0 */
#pragma once

#include "bpfjailer.skel.h"

/*
 * Record the inodes of every directory and pin under pin_root in
 * "pin_inodes" and freeze it: from then on no jailed task changes them,
 * and once sealed nobody removes or opens them. On failure the map is
 * left empty (the pins can still be removed).
 */
int pin_inodes_record(struct bpfjailer *skel, const char *pin_root);
