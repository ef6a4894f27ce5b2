// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "seal.h"

bool seal_forwarder_map(const char *name)
{
	/* decisions: counters, no secret, for the forwarder's --metrics. */
	static const char *const names[] = { BJ_MAP_AUDIT_EVENTS, BJ_MAP_AUDIT_LOST, BJ_MAP_AUDIT_REPORTED,
					     BJ_MAP_ROLE_NAMES, BJ_MAP_DECISIONS };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

bool seal_status_map(const char *name)
{
	static const char *const names[] = { BJ_MAP_IDENTITY, BJ_MAP_ENROLLED_FILES, BJ_MAP_ROLES, BJ_MAP_ROLE_NAMES,
					     BJ_MAP_CONFIG,   BJ_MAP_DECISIONS,      BJ_MAP_AUDIT_LOST };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

int seal_configure(struct bpfjailer *skel, const struct bj_tables *t)
{
	struct stat ns;

	/* The namespace the pin root is seen from: its bpffs may not leave it. */
	if (stat("/proc/self/ns/mnt", &ns) < 0)
		return bj_err(-errno, "seal: read /proc/self/ns/mnt");
	skel->rodata->seal_mnt_ns = (__u32)ns.st_ino;
	skel->rodata->forwarder_dev = (__u32)t->forwarder.dev;
	skel->rodata->forwarder_ino = t->forwarder.ino;
	return 0;
}
