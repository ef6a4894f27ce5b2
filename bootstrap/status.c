// SPDX-License-Identifier: GPL-2.0
/* --status and --unload: everything from the pins alone. */
#include <bpf/bpf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfjailer.skel.h"
#include "hook_names.h"
#include "instance.h"
#include "kernel.h"
#include "pins.h"
#include "unload_wait.h"

static int open_map(const char *root, const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (pin_path(path, sizeof(path), root, PIN_DIR_MAPS, name))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	if (fd < 0)
		fprintf(stderr, "bpfjailer-bootstrap: %s: %s\n", path, strerror(errno));
	return fd;
}

static bool read_config(const char *root, struct bpfjailer__rodata *cfg)
{
	int fd = open_map(root, "config");
	__u32 zero = 0;
	bool ok;

	if (fd < 0)
		return false;
	ok = bpf_map_lookup_elem(fd, &zero, cfg) == 0;
	if (!ok)
		fprintf(stderr, "bpfjailer-bootstrap: read %s/maps/config: %s\n", root, strerror(errno));
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
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || !(bufs = calloc(2, info.key_size))) {
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

/* Sum a per-CPU uint64_t array element over all CPUs. */
static uint64_t percpu_sum(int fd, __u32 idx, uint64_t *values, int ncpu)
{
	uint64_t sum = 0;

	if (bpf_map_lookup_elem(fd, &idx, values))
		return 0;
	for (int c = 0; c < ncpu; c++)
		sum += values[c];
	return sum;
}

static void print_roles(const char *root, const struct bpfjailer__rodata *cfg)
{
	int fd = open_map(root, "roles"), names = open_map(root, "role_names");

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

static void print_counters(const char *root)
{
	int ncpu = libbpf_num_possible_cpus();
	int lost = open_map(root, "audit_lost"), dec = open_map(root, "decisions");
	uint64_t *values = ncpu > 0 ? calloc((size_t)ncpu, sizeof(*values)) : NULL;

	if (values && lost >= 0)
		printf("audit records lost: %" PRIu64 "\n", percpu_sum(lost, 0, values, ncpu));
	if (values && dec >= 0) {
		printf("decisions:\n");
		for (__u32 hook = 1; hook < BJ_HOOK_COUNT; hook++) {
			uint64_t n[3];

			for (__u32 d = 0; d < 3; d++)
				n[d] = percpu_sum(dec, hook * 3 + d, values, ncpu);
			if (n[0] || n[1] || n[2])
				printf("  %-16s %8" PRIu64 " denied %8" PRIu64 " allowed %8" PRIu64 " would deny\n",
				       bj_hook_name(hook), n[BJ_DENY], n[BJ_ALLOW], n[BJ_WOULD_DENY]);
		}
	}
	free(values);
	if (lost >= 0)
		close(lost);
	if (dec >= 0)
		close(dec);
}

/*
 * The instance pinned at pin_root: BJ_EXIT_OK with *state set, or the exit
 * status to return (after saying, on out, that nothing is loaded).
 */
static int find_instance(const char *pin_root, enum pins_state *state, FILE *out)
{
	int present = pins_instance_present(pin_root);

	if (present < 0)
		return BJ_EXIT_LOAD_FAILED;
	if (present == PINS_NONE) {
		fprintf(out, "%s: no instance loaded at %s\n",
			out == stdout ? "bpfjailer" : "bpfjailer-bootstrap", pin_root);
		return BJ_EXIT_LOADED;
	}
	*state = present;
	return BJ_EXIT_OK;
}

int instance_status(const char *pin_root)
{
	struct bpfjailer__rodata cfg;
	enum pins_state state;
	int ret = find_instance(pin_root, &state, stdout);

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
	       count_entries(pin_root, "exec_enroll"), cfg.n_cgroups ? (long)cfg.n_cgroups : 0L,
	       count_entries(pin_root, "xattr_enroll"));
	printf("path automaton: %ld edges\n", count_entries(pin_root, "path_edges"));
	print_counters(pin_root);
	return BJ_EXIT_OK;
}

int instance_unload(const char *pin_root)
{
	struct prog_ids ids;
	enum pins_state state;
	int ret = find_instance(pin_root, &state, stderr);

	if (ret)
		return ret;
	if (state == PINS_SEALED) {
		fprintf(stderr, "bpfjailer-bootstrap: the instance at %s is sealed: only a reboot removes it\n",
			pin_root);
		return BJ_EXIT_LOAD_FAILED;
	}
	/* Their ids first: once the pins are gone, nothing names the programs any more. */
	if (prog_ids_collect(pin_root, &ids))
		return BJ_EXIT_LOAD_FAILED;
	if (pins_remove(pin_root))
		return BJ_EXIT_LOAD_FAILED;
	return prog_ids_wait_gone(&ids, UNLOAD_WAIT_SECONDS) ? BJ_EXIT_UNLOAD_TIMEOUT : BJ_EXIT_OK;
}
