/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keyed hash of one path component (SipHash-1-3, 64-bit output), shared by
 * the policy compiler and the BPF programs so both name automaton edges the
 * same way. The key is random per load: a jailed process cannot craft a file
 * name whose hash collides with a name the policy mentions.
 *
 * It is split into block steps so that the BPF side can feed it words read
 * straight from kernel memory, without copying the name anywhere.
 */
#pragma once

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define BJ_NAME_MAX 255 /* NAME_MAX: no component is longer */

struct bj_sip {
	__u64 v0, v1, v2, v3;
};

#define BJ_ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static inline void bj_sip_round(struct bj_sip *s)
{
	s->v0 += s->v1; s->v1 = BJ_ROTL64(s->v1, 13); s->v1 ^= s->v0; s->v0 = BJ_ROTL64(s->v0, 32);
	s->v2 += s->v3; s->v3 = BJ_ROTL64(s->v3, 16); s->v3 ^= s->v2;
	s->v0 += s->v3; s->v3 = BJ_ROTL64(s->v3, 21); s->v3 ^= s->v0;
	s->v2 += s->v1; s->v1 = BJ_ROTL64(s->v1, 17); s->v1 ^= s->v2; s->v2 = BJ_ROTL64(s->v2, 32);
}

static inline void bj_sip_init(struct bj_sip *s, __u64 k0, __u64 k1)
{
	s->v0 = 0x736f6d6570736575ULL ^ k0;
	s->v1 = 0x646f72616e646f6dULL ^ k1;
	s->v2 = 0x6c7967656e657261ULL ^ k0;
	s->v3 = 0x7465646279746573ULL ^ k1;
}

/* One full 8-byte block (little endian). */
static inline void bj_sip_block(struct bj_sip *s, __u64 m)
{
	s->v3 ^= m;
	bj_sip_round(s);
	s->v0 ^= m;
}

/*
 * The last, partial block: tail holds the len % 8 bytes after the full
 * blocks in its low bytes (anything above them is masked off here).
 */
static inline __u64 bj_sip_final(struct bj_sip *s, __u64 tail, __u32 len)
{
	__u32 bits = (len % 8) * 8;
	__u64 m = (bits ? tail & ((1ULL << bits) - 1) : 0) | ((__u64)len << 56);

	bj_sip_block(s, m);
	s->v2 ^= 0xff;
	bj_sip_round(s);
	bj_sip_round(s);
	bj_sip_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}
