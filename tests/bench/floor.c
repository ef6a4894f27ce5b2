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

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

/* Leave out hooks this kernel does not have, as the bootstrap does. */
static int skip_missing_hooks(struct floor *skel)
{
	struct btf *btf = btf__load_vmlinux_btf();
	struct bpf_program *prog;

	if (!btf) {
		fprintf(stderr, "bj-bench-floor: the kernel's BTF: %s\n", strerror(errno));
		return -1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		const char *hook = strchr(bpf_program__section_name(prog), '/');
		char func[128];

		snprintf(func, sizeof(func), "bpf_lsm_%s", hook ? hook + 1 : "");
		if (btf__find_by_name_kind(btf, func, BTF_KIND_FUNC) < 0)
			bpf_program__set_autoload(prog, false);
	}
	btf__free(btf);
	return 0;
}

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
	skel = floor__open();
	if (!skel) {
		fprintf(stderr, "bj-bench-floor: open: %s\n", strerror(errno));
		return 1;
	}
	if (skip_missing_hooks(skel) || (err = floor__load(skel))) {
		fprintf(stderr, "bj-bench-floor: load: %s\n", strerror(err ? -err : errno));
		floor__destroy(skel);
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_link *link;

		if (!bpf_program__autoload(prog))
			continue;
		link = bpf_program__attach(prog);

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
