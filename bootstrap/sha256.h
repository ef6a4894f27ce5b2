/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-256 (FIPS 180-4) of a buffer: the policy's identity, which --status
 * compares with the file on disk. Nothing else of the bootstrap hashes, so
 * a library for it would be one more dependency for thirty lines.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);

/* out: 2 * SHA256_LEN hex digits and a NUL. */
void sha256_hex(const uint8_t digest[SHA256_LEN], char out[2 * SHA256_LEN + 1]);
