/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest instruction counting for benchmarks (see icount/README.md).
 *
 *	bj_icount_begin();
 *	... the code to measure ...
 *	bj_icount_end();
 *
 * Under qemu with the icount plugin (tests/vm/run --plugin), every guest
 * instruction executed between the two markers, user and kernel, on the one
 * vCPU, is counted and reported as one line per interval; the markers
 * themselves are not counted, so an empty interval counts 0. On real
 * hardware, or under qemu without the plugin, the markers are no-ops.
 *
 * A marker is a 7-byte NOP, "nopl DISP32(%rax)": it neither reads memory
 * nor changes a register or a flag. Compilers and assemblers pad with the
 * same NOP but always with displacement 0; the plugin recognises its own by
 * the displacement, the bytes "bjiB" (begin) and "bjiE" (end). The bytes
 * are written out so that every assembler emits exactly this encoding.
 */
#pragma once

/* The markers' bytes, for the plugin (icount/icount.c) and the asm below. */
#define BJ_ICOUNT_BEGIN_BYTES 0x0f, 0x1f, 0x80, 0x62, 0x6a, 0x69, 0x42
#define BJ_ICOUNT_END_BYTES 0x0f, 0x1f, 0x80, 0x62, 0x6a, 0x69, 0x45

#if defined(__x86_64__)
#define BJ_ICOUNT_STR(...) #__VA_ARGS__
#define BJ_ICOUNT_XSTR(...) BJ_ICOUNT_STR(__VA_ARGS__)
/* For a measured asm block of its own: exactly its instructions are counted. */
#define BJ_ICOUNT_BEGIN_ASM ".byte " BJ_ICOUNT_XSTR(BJ_ICOUNT_BEGIN_BYTES) "\n\t"
#define BJ_ICOUNT_END_ASM ".byte " BJ_ICOUNT_XSTR(BJ_ICOUNT_END_BYTES) "\n\t"

/* "memory": the compiler moves no load or store across a marker. */
static inline void bj_icount_begin(void)
{
	__asm__ volatile(BJ_ICOUNT_BEGIN_ASM ::: "memory");
}

static inline void bj_icount_end(void)
{
	__asm__ volatile(BJ_ICOUNT_END_ASM ::: "memory");
}
#else
/* Not an x86-64 guest: nothing can count, the benchmark still runs. */
static inline void bj_icount_begin(void)
{
}

static inline void bj_icount_end(void)
{
}
#endif
