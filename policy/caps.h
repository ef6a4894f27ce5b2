/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a role keeps of the powers of root: its capabilities, the address
 * families it may create sockets in, and the device nodes every role may
 * open. The names, the defaults and what each flag adds are in caps.c and
 * nowhere else, so the parser, the compiler and --check agree (the manual
 * page, bpfjailer-policy(5), repeats them in words).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BJ_CAP_COUNT 41 /* CAP_CHOWN (0) .. CAP_CHECKPOINT_RESTORE (40) */
#define BJ_AF_COUNT  46 /* AF_UNSPEC (0, never granted) .. AF_MCTP (45) */

#define BJ_BIT(n) (UINT64_C(1) << (n))

/* "CAP_CHOWN" for 0 and so on; NULL for a number past the last. */
const char *bj_cap_name(unsigned cap);
/* The capability with exactly that name, or -1. */
int bj_cap_by_name(const char *name);

/* "AF_UNIX" for 1 and so on ("AF_UNSPEC" for 0); NULL past the last. */
const char *bj_family_name(unsigned af);
/* The family with exactly that name (aliases such as AF_LOCAL too), or -1. */
int bj_family_by_name(const char *name);

/* The capabilities a role keeps when its policy lists none. */
uint64_t bj_default_caps(void);
/* The families every role may use; "address_families" adds to them. */
uint64_t bj_default_families(void);

/*
 * A role's capabilities: those listed in "capabilities" (the default set
 * when has_listed is false) and those its flags need.
 */
uint64_t bj_role_caps(uint32_t flags, bool has_listed, uint64_t listed);
/* A role's address families: the default ones and those listed. */
uint64_t bj_role_families(uint64_t listed);

/* A device node every role may read and write, unless the role lists it itself. */
struct bj_builtin_device {
	const char *name; /* its node under /dev ("pts" for the pseudo terminals) */
	uint32_t type;    /* BJ_DEV_CHAR */
	uint32_t major;
	uint32_t minor;   /* or BJ_DEV_ANY_MINOR */
};

extern const struct bj_builtin_device bj_builtin_devices[];
extern const size_t bj_n_builtin_devices;

/*
 * Whether a file rule on /dev/NAME (or below it) may be about device nodes
 * that need a "devices" entry too: false for the built-in devices and for
 * what under /dev is not a device node (shm, mqueue, the fd symlinks...).
 */
bool bj_dev_name_needs_rule(const char *name);

/* "c 10:200", "b 8:*": a device as "devices" entries and --check write it. */
void bj_device_format(char *buf, size_t size, uint32_t type, uint32_t major, uint32_t minor);
