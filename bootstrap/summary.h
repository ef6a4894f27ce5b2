/* SPDX-License-Identifier: GPL-2.0 */
/* The --check report: what a policy would load, in words and table sizes. */
#pragma once

#include <stdio.h>

#include "compile.h"

void summary_print(FILE *out, const struct bj_policy *policy, const struct bj_tables *tables);
