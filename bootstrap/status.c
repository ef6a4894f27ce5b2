// SPDX-License-Identifier: GPL-2.0
/* --status and --unload: everything from the pins alone. */
#include <bpf/bpf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bpfjailer.skel.h"
#include "err.h"
#include "hook_names.h"
#include "keyring.h"
#include "instance.h"
#include "kernel.h"
#include "pins.h"
#include "unload_wait.h"

static int open_map(const char *root, const char *name)
{
	char path[PATH_MAX];
	int fd = bj_pinned_map_open(root, name, path, sizeof(path));

	return fd < 0 ? bj_err(fd, "%s", path) : fd;
}

static bool read_config(const char *root, struct bpfjailer__rodata *cfg)
{
	int fd = open_map(root, BJ_MAP_CONFIG);
	__u32 zero = 0;
	bool ok;

	if (fd < 0)
		return false;
	ok = bpf_map_lookup_elem(fd, &zero, cfg) == 0;
	if (!ok)
		bj_err(-errno, "read %s/%s/%s", root, BJ_PINS_MAPS, BJ_MAP_CONFIG);
	close(fd);
	return ok;
}

/* Entries in a pinned map, by walking its keys; -1 if it cannot be read. */
static long count_entries(const char *root, const char *name)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	char *bufs, *cur = NULL, *next;
	long n = 0;
	int fd;

	fd = open_map(root, name);
	if (fd < 0)
		return -1;
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		bj_err(-errno, "read %s/%s/%s", root, BJ_PINS_MAPS, name);
		close(fd);
		return -1;
	}
	bufs = calloc(2, info.key_size);
	if (!bufs) {
		bj_oom(NULL);
		close(fd);
		return -1;
	}
	/* Two key buffers, used in turn: the key just found and the next one. */
	next = bufs;
	while (bpf_map_get_next_key(fd, cur, next) == 0) {
		n++;
		cur = next;
		next = next == bufs ? bufs + info.key_size : bufs;
	}
	free(bufs);
	close(fd);
	return n;
}

/* A per-CPU counter's total, 0 if it cannot be read: the status shows what it can. */
static uint64_t counter(int fd, __u32 idx)
{
	__u64 sum;

	return bj_percpu_sum(fd, idx, &sum) ? 0 : (uint64_t)sum;
}

static void print_roles(const char *root, const struct bpfjailer__rodata *cfg)
{
	int fd = open_map(root, BJ_MAP_ROLES), names = open_map(root, BJ_MAP_ROLE_NAMES);

	printf("roles: %" PRIu32 "\n", cfg->n_roles);
	for (__u32 slot = 1; fd >= 0 && names >= 0 && slot <= cfg->n_roles; slot++) {
		char name[BJ_ROLE_NAME_LEN] = "?";
		struct bj_role_entry r;

		if (bpf_map_lookup_elem(fd, &slot, &r))
			continue;
		bpf_map_lookup_elem(names, &slot, name);
		name[sizeof(name) - 1] = '\0';
		printf("  %-5" PRIu32 " %-16s flags 0x%02" PRIx32 " %s%s%s\n", r.id, name, r.flags,
		       r.mode == BJ_MODE_COMPLAIN ? "complain" : "enforce",
		       r.path_start ? ", file rules" : "", r.has_ports || r.has_ips ? ", network rules" : "");
	}
	if (fd >= 0)
		close(fd);
	if (names >= 0)
		close(names);
}

struct prog_totals {
	unsigned int progs;
	uint64_t verified_insns;
};

static int add_program(const char *path, void *arg)
{
	struct bpf_prog_info info = { 0 };
	struct prog_totals *t = arg;
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path), err = 0;

	if (fd < 0)
		return bj_err(-errno, "%s", path);
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		err = bj_err(-errno, "read %s", path);
	close(fd);
	if (!err) {
		t->progs++;
		t->verified_insns += info.verified_insns;
	}
	return err;
}

/*
 * The pinned programs and what the verifier walked to accept them (its
 * verified_insns, summed): the load-time cost of the policy's programs,
 * and the measure of making them cheaper to verify.
 */
static void print_programs(const char *root)
{
	struct prog_totals t = { 0 };

	/* add_program() says what failed; pins_for_each() alone does not. */
	if (pins_for_each(root, BJ_PINS_PROGS, add_program, &t)) {
		printf("programs: unreadable\n");
		return;
	}
	printf("programs: %u, %" PRIu64 " instructions verified\n", t.progs, t.verified_insns);
}

static void print_counters(const char *root)
{
	int lost = open_map(root, BJ_MAP_AUDIT_LOST), dec = open_map(root, BJ_MAP_DECISIONS);

	if (lost >= 0)
		printf("audit records lost: %" PRIu64 "\n", counter(lost, 0));
	if (dec >= 0) {
		printf("decisions:\n");
		for (__u32 hook = 1; hook < BJ_HOOK_COUNT; hook++) {
			uint64_t n[BJ_DECISION_COUNT];

			for (__u32 d = 0; d < BJ_DECISION_COUNT; d++)
				n[d] = counter(dec, BJ_DECISION_INDEX(hook, d));
			if (n[BJ_DENY] || n[BJ_ALLOW] || n[BJ_WOULD_DENY])
				printf("  %-16s %8" PRIu64 " denied %8" PRIu64 " allowed %8" PRIu64 " would deny\n",
				       bj_hook_name(hook), n[BJ_DENY], n[BJ_ALLOW], n[BJ_WOULD_DENY]);
		}
	}
	if (lost >= 0)
		close(lost);
	if (dec >= 0)
		close(dec);
}

/*
 * The instance pinned at pin_root: BJ_EXIT_OK with *state set, or the exit
 * status to return, after saying that nothing is loaded: for --status an
 * answer on stdout, for --unload an error.
 */
static int find_instance(const char *pin_root, enum pins_state *state, bool status)
{
	int present = pins_instance_present(pin_root);

	if (present < 0)
		return BJ_EXIT_LOAD_FAILED;
	if (present == PINS_NONE && !status)
		return bj_fail(BJ_EXIT_LOADED, "no instance loaded at %s", pin_root);
	if (present == PINS_NONE) {
		printf("bpfjailer: no instance loaded at %s\n", pin_root);
		return BJ_EXIT_LOADED;
	}
	*state = present;
	return BJ_EXIT_OK;
}

int instance_status(const char *pin_root)
{
	struct bpfjailer__rodata cfg;
	enum pins_state state;
	int ret = find_instance(pin_root, &state, true);

	if (ret)
		return ret;
	if (state == PINS_SEALED) {
		/* Its maps open to the forwarder alone: what it counts is in the journal. */
		printf("bpfjailer: loaded at %s (sealed)\n"
		       "its tables and counters open only to the forwarder: see journalctl -t bpfjailer\n",
		       pin_root);
		return BJ_EXIT_OK;
	}
	if (!read_config(pin_root, &cfg))
		return BJ_EXIT_LOAD_FAILED;
	printf("bpfjailer: loaded at %s (not sealed)\n", pin_root);
	print_roles(pin_root, &cfg);
	printf("enrollments: %ld by executable, %ld by cgroup, %ld by xattr\n",
	       count_entries(pin_root, BJ_MAP_EXEC_ENROLL), cfg.n_cgroups ? (long)cfg.n_cgroups : 0L,
	       count_entries(pin_root, BJ_MAP_XATTR_ENROLL));
	printf("path automaton: %ld edges\n", count_entries(pin_root, BJ_MAP_PATH_EDGES));
	print_programs(pin_root);
	print_counters(pin_root);
	return BJ_EXIT_OK;
}

int instance_unload(const char *pin_root)
{
	struct prog_ids ids;
	enum pins_state state;
	int ret = find_instance(pin_root, &state, false);

	if (ret)
		return ret;
	if (state == PINS_SEALED)
		return bj_fail(BJ_EXIT_LOAD_FAILED, "the instance at %s is sealed: only a reboot removes it", pin_root);
	/* Their ids first: once the pins are gone, nothing names the programs any more. */
	if (prog_ids_collect(pin_root, &ids))
		return BJ_EXIT_LOAD_FAILED;
	if (pins_remove(pin_root))
		return BJ_EXIT_LOAD_FAILED;
	keyring_drop(pin_root);
	return prog_ids_wait_gone(&ids, UNLOAD_WAIT_SECONDS) ? BJ_EXIT_UNLOAD_TIMEOUT : BJ_EXIT_OK;
}
