/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which of the jail's programs a policy needs. A program that would allow
 * every call of every role, and record nothing of it, is not loaded: the
 * policy restricts nothing its hook decides. needed.c's table says, one
 * row per program, what makes each unnecessary; the kernel's hook forms
 * are load.c's choice.
 */
#pragma once

#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "compile.h"

/* Programs the table classifies: every program of the jail's object, in its order. */
size_t needed_count(void);

/* The name of program i (< needed_count()). */
const char *needed_name(size_t i);

/* The row of the program called name, or -1: a program nobody classified. */
ssize_t needed_find(const char *name);

/*
 * Does the policy need program i? If not, and why_not is not NULL, what in
 * the policy makes it unnecessary, in words ("every role has ...").
 */
bool needed_by(size_t i, const struct bj_policy *policy, const struct bj_tables *t, char *why_not,
	       size_t size);

/* Does a role require signed binaries (the signature checks and their keys)? */
bool needed_signing(const struct bj_tables *t);

/*
 * Leave every program of obj that the policy does not need out of its
 * load: autoload off, never on, so other choices (the kernel's hook
 * forms) keep theirs. A program that no row classifies keeps its
 * autoload, fail closed, and is named on stderr.
 */
void needed_choose(struct bpf_object *obj, const struct bj_policy *policy, const struct bj_tables *t);
