// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "seal.h"

#define err_out(...) fprintf(stderr, "bpfjailer-bootstrap: " __VA_ARGS__)

bool seal_forwarder_map(const char *name)
{
	static const char *const names[] = { "audit_events", "audit_lost", "audit_reported", "role_names" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

int seal_configure(struct bpfjailer *skel, const struct bj_tables *t)
{
	struct stat ns;

	/* The namespace the pin root is seen from: its bpffs may not leave it. */
	if (stat("/proc/self/ns/mnt", &ns) < 0) {
		err_out("seal: read /proc/self/ns/mnt: %s\n", strerror(errno));
		return -errno;
	}
	skel->rodata->seal_mnt_ns = (__u32)ns.st_ino;
	skel->rodata->forwarder_dev = (__u32)t->forwarder.dev;
	skel->rodata->forwarder_ino = t->forwarder.ino;
	return 0;
}
