// SPDX-License-Identifier: GPL-2.0
/*
 * bj-bench-floor DIR: load floor.bpf.c (empty programs on bpfjailer's
 * hooks), attach every program and pin its link as DIR/NAME, on a bpffs, so
 * that the programs stay attached after this process exits. Removing the
 * pins (every file in DIR) detaches them. Nothing stays behind on a failure.
 * Exit: 0 attached and pinned, 1 otherwise (the message says what failed).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include "floor.skel.h"

int main(int argc, char **argv)
{
	struct bpf_program *prog;
	struct floor *skel;
	char pin[4096];
	int err = 0, pinned = 0;

	if (argc != 2) {
		fputs("usage: bj-bench-floor DIR (on a bpffs)\n", stderr);
		return 2;
	}
	skel = floor__open_and_load();
	if (!skel) {
		fprintf(stderr, "bj-bench-floor: load: %s\n", strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_link *link = bpf_program__attach(prog);

		snprintf(pin, sizeof(pin), "%s/%s", argv[1], bpf_program__name(prog));
		err = link ? bpf_link__pin(link, pin) : -errno;
		if (err)
			fprintf(stderr, "bj-bench-floor: %s %s: %s\n", link ? "pin" : "attach",
				bpf_program__name(prog), strerror(-err));
		else
			pinned++;
		/* The pin holds the link; this fd goes. */
		bpf_link__destroy(link);
		if (err)
			break;
	}
	if (err) {
		/* Unpinning what was pinned detaches it: all or nothing. */
		bpf_object__for_each_program(prog, skel->obj) {
			snprintf(pin, sizeof(pin), "%s/%s", argv[1], bpf_program__name(prog));
			if (unlink(pin) && errno != ENOENT)
				fprintf(stderr, "bj-bench-floor: unlink %s: %s\n", pin, strerror(errno));
		}
	}
	floor__destroy(skel);
	if (!err)
		printf("floor: %d programs attached\n", pinned);
	return err ? 1 : 0;
}
