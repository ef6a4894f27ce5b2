/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keyring of an instance: the certificates of signing_certificates,
 * in a keyring linked into root's user keyring (which lasts until
 * reboot), closed to new keys and to changes of its permissions once
 * filled. Its description names the pin root, so each instance has its
 * own and --unload finds it.
 */
#pragma once

#include <stdint.h>

#include "policy.h"

/*
 * Make the instance's keyring of policy's certificates: its serial in
 * *serial (0 when the policy lists none). A BJ_EXIT_* code; on failure
 * no keyring is left.
 */
int keyring_make(const struct bj_policy *policy, const char *pin_root, int32_t *serial);

/* Let the instance's keyring go (the kernel frees it): after an unload or a failed load. */
void keyring_drop(const char *pin_root);
