/* SPDX-License-Identifier: GPL-2.0 */
/* A jail that should be there and is not: say so loudly, and stop the boot if the policy asks. */
#pragma once

#include "policy_source.h"

/*
 * Loading the policy in src (text NULL when it could not be read) ended with
 * exit_code: report it on stderr and in the journal, and apply the policy's
 * on_load_failure.
 */
void load_failure(const struct policy_source *src, int exit_code);
