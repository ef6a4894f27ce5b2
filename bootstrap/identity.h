/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instance's identity (maps "identity" and "enrolled_files",
 * bpfjailer.h): recorded at load, before the tables freeze; compared with
 * the disk by --status, since the jail knows files by inode and a policy
 * or an executable replaced on disk changes nothing until the next boot.
 */
#pragma once

#include <jansson.h>

#include "bpfjailer.h"
#include "bpfjailer.skel.h"
#include "policy.h"
#include "policy_source.h"

/* Entries of enrolled_files this policy fills (at least one: an array has one). */
size_t identity_n_files(const struct bj_policy *policy, const struct policy_source *src);

/* Fill both maps. Returns 0, or a negative errno after printing why. */
int identity_record(struct bpfjailer *skel, const struct policy_source *src, const struct bj_policy *policy);

/*
 * Why the loaded instance no longer matches the disk, one sentence each,
 * appended to reasons (a JSON array of strings): the policy file hashes
 * to something else, an enrolled path names another file, or none, a
 * policy fragment changed, is gone, or a new one appeared.
 * Returns 0, or -ENOMEM.
 */
int identity_drift(const struct bj_identity *id, const struct bj_enrolled_file *files, json_t *reasons);
