// SPDX-License-Identifier: GPL-2.0
/*
 * icount-exact N REPEATS: the guest half of test-exact. It runs intervals
 * whose instruction counts are known and prints one label per interval, in
 * the order they end, for the host to set beside the plugin's lines:
 *
 *   empty       bj_icount_begin(); bj_icount_end();     0
 *   loop K      K times "dec; jnz" in one asm block      2 K
 *   getppid K   K times "mov; syscall; dec; jnz"         K (4 + the kernel's share)
 *
 * for K = N and 2N, REPEATS times each, interleaved; then what makes the
 * plugin write its error lines: an end outside an interval (end-outside), a
 * begin inside one (begin-inside, then that interval ends: empty), and an
 * interval still open when the program, and then the guest, ends (no-end).
 * Static, so that no dynamic loading runs in the guest (slow under TCG).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "../icount.h"

static void loop(unsigned long n)
{
	__asm__ volatile(BJ_ICOUNT_BEGIN_ASM
			 "1: dec %[n]\n\t"
			 "jnz 1b\n\t"
			 BJ_ICOUNT_END_ASM
			 : [n] "+r"(n) : : "cc", "memory");
}

/* getppid: about the cheapest system call, and one that never fails. */
static void getppids(unsigned long n)
{
	__asm__ volatile(BJ_ICOUNT_BEGIN_ASM
			 "1: mov %[nr], %%eax\n\t"
			 "syscall\n\t"
			 "dec %[n]\n\t"
			 "jnz 1b\n\t"
			 BJ_ICOUNT_END_ASM
			 : [n] "+r"(n) : [nr] "i"(SYS_getppid) : "rax", "rcx", "r11", "cc", "memory");
}

static unsigned long positive(const char *what, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > 1000000) {
		fprintf(stderr, "icount-exact: %s %s: not a number from 1 to 1000000\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long n, repeats;

	if (argc != 3) {
		fprintf(stderr, "usage: icount-exact N REPEATS\n");
		return 2;
	}
	n = positive("N", argv[1]);
	repeats = positive("REPEATS", argv[2]);

	for (unsigned long i = 0; i < repeats; i++) {
		bj_icount_begin();
		bj_icount_end();
		printf("empty\n");
	}
	for (unsigned long i = 0; i < repeats; i++) {
		loop(n);
		printf("loop %lu\n", n);
		loop(2 * n);
		printf("loop %lu\n", 2 * n);
	}
	for (unsigned long i = 0; i < repeats; i++) {
		getppids(n);
		printf("getppid %lu\n", n);
		getppids(2 * n);
		printf("getppid %lu\n", 2 * n);
	}

	/* Labelled first: nothing else may run inside these intervals. */
	printf("end-outside\nbegin-inside\nempty\nno-end\n");
	bj_icount_end();
	bj_icount_begin();
	bj_icount_begin();
	bj_icount_end();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "icount-exact: stdout: %s\n", strerror(errno));
		return 1;
	}
	bj_icount_begin();
	return 0;
}
