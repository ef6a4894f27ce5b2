// SPDX-License-Identifier: GPL-2.0
/* --status and --unload: everything from the pins alone. */
#include <bpf/bpf.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bpfjailer.skel.h"
#include "err.h"
#include "hook_names.h"
#include "identity.h"
#include "keyring.h"
#include "instance.h"
#include "kernel.h"
#include "pins.h"
#include "sha256.h"
#include "unload_wait.h"

/*
 * What --status found, as one JSON object (doc); printed as text as it is
 * gathered unless json, when doc is printed at the end instead.
 */
struct report {
	json_t *doc;
	bool json;
};

/* Read-only, whoever asks: a sealed instance opens no more than that to anyone (docs/security.md). */
static int open_map(const char *root, const char *name)
{
	LIBBPF_OPTS(bpf_obj_get_opts, opts, .file_flags = BPF_F_RDONLY);
	char path[PATH_MAX];
	int fd;

	if (bj_pin_path(path, sizeof(path), root, BJ_PINS_MAPS, name))
		return bj_fail(-ENAMETOOLONG, "%s/%s/%s: path too long", root, BJ_PINS_MAPS, name);
	fd = bpf_obj_get_opts(path, &opts);
	return fd < 0 ? bj_err(-errno, "%s", path) : fd;
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

/* A count for the JSON object: null when it could not be read. */
static json_t *json_count(long n)
{
	return n < 0 ? json_null() : json_integer(n);
}

/* A per-CPU counter's total, 0 if it cannot be read: the status shows what it can. */
static uint64_t counter(int fd, __u32 idx)
{
	__u64 sum;

	return bj_percpu_sum(fd, idx, &sum) ? 0 : (uint64_t)sum;
}

static void report_roles(struct report *r, const char *root, const struct bpfjailer__rodata *cfg)
{
	int fd = open_map(root, BJ_MAP_ROLES), names = open_map(root, BJ_MAP_ROLE_NAMES);
	json_t *list = json_array();

	if (!r->json)
		printf("roles: %" PRIu32 "\n", cfg->n_roles);
	for (__u32 slot = 1; fd >= 0 && names >= 0 && slot <= cfg->n_roles; slot++) {
		char name[BJ_ROLE_NAME_LEN] = "?";
		struct bj_role_entry e;
		const char *mode;

		if (bpf_map_lookup_elem(fd, &slot, &e))
			continue;
		bpf_map_lookup_elem(names, &slot, name);
		name[sizeof(name) - 1] = '\0';
		mode = e.mode == BJ_MODE_COMPLAIN ? "complain" : "enforce";
		json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:I, s:s, s:b, s:b}", "slot", (json_int_t)slot,
						      "id", (json_int_t)e.id, "key", name, "flags", (json_int_t)e.flags,
						      "mode", mode, "file_rules", e.path_start != 0, "network_rules",
						      e.has_ports || e.has_ips));
		if (!r->json)
			printf("  %-5" PRIu32 " %-16s flags 0x%02" PRIx32 " %s%s%s\n", e.id, name, e.flags, mode,
			       e.path_start ? ", file rules" : "", e.has_ports || e.has_ips ? ", network rules" : "");
	}
	json_object_set_new(r->doc, "roles", list);
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
static void report_programs(struct report *r, const char *root)
{
	struct prog_totals t = { 0 };

	/* add_program() says what failed; pins_for_each() alone does not. */
	if (pins_for_each(root, BJ_PINS_PROGS, add_program, &t)) {
		json_object_set_new(r->doc, "programs", json_null());
		if (!r->json)
			printf("programs: unreadable\n");
		return;
	}
	json_object_set_new(r->doc, "programs", json_pack("{s:I, s:I}", "count", (json_int_t)t.progs,
							  "verified_insns", (json_int_t)t.verified_insns));
	if (!r->json)
		printf("programs: %u, %" PRIu64 " instructions verified\n", t.progs, t.verified_insns);
}

static void report_counters(struct report *r, const char *root)
{
	int lost = open_map(root, BJ_MAP_AUDIT_LOST), dec = open_map(root, BJ_MAP_DECISIONS);
	json_t *decisions = dec >= 0 ? json_object() : json_null();

	json_object_set_new(r->doc, "audit_records_lost",
			    lost >= 0 ? json_integer((json_int_t)counter(lost, 0)) : json_null());
	if (lost >= 0 && !r->json)
		printf("audit records lost: %" PRIu64 "\n", counter(lost, 0));
	if (dec >= 0 && !r->json)
		printf("decisions:\n");
	for (__u32 hook = 1; dec >= 0 && hook < BJ_HOOK_COUNT; hook++) {
		uint64_t n[BJ_DECISION_COUNT];

		for (__u32 d = 0; d < BJ_DECISION_COUNT; d++)
			n[d] = counter(dec, BJ_DECISION_INDEX(hook, d));
		/* Every hook in JSON, so that its shape does not depend on what happened. */
		json_object_set_new(decisions, bj_hook_name(hook),
				    json_pack("{s:I, s:I, s:I}", "denied", (json_int_t)n[BJ_DENY], "allowed",
					      (json_int_t)n[BJ_ALLOW], "would_deny", (json_int_t)n[BJ_WOULD_DENY]));
		if (!r->json && (n[BJ_DENY] || n[BJ_ALLOW] || n[BJ_WOULD_DENY]))
			printf("  %-16s %8" PRIu64 " denied %8" PRIu64 " allowed %8" PRIu64 " would deny\n",
			       bj_hook_name(hook), n[BJ_DENY], n[BJ_ALLOW], n[BJ_WOULD_DENY]);
	}
	json_object_set_new(r->doc, "decisions", decisions);
	if (lost >= 0)
		close(lost);
	if (dec >= 0)
		close(dec);
}

static json_t *enrolled_file_json(const struct bj_enrolled_file *f)
{
	return json_pack("{s:s, s:s, s:I, s:I}", "kind", f->kind == BJ_ENROLLED_LAUNCHER ? "launcher" : "exec",
			 "path", f->path, "dev", (json_int_t)f->dev, "ino", (json_int_t)f->ino);
}

static bool policy_file(const struct bj_enrolled_file *f)
{
	return f->kind == BJ_ENROLLED_FRAGMENT || f->kind == BJ_ENROLLED_MASK || f->kind == BJ_ENROLLED_FRAGMENT_DIR;
}

/* A fragment or a mask, for "fragments". */
static json_t *policy_file_json(const struct bj_enrolled_file *f)
{
	char hex[2 * SHA256_LEN + 1];

	sha256_hex(f->sha256, hex);
	return json_pack("{s:s, s:b, s:o, s:I, s:I}", "path", f->path, "masked", f->kind == BJ_ENROLLED_MASK,
			 "sha256", f->kind == BJ_ENROLLED_MASK ? json_null() : json_string(hex), "dev",
			 (json_int_t)f->dev, "ino", (json_int_t)f->ino);
}

/* The files the enrollments named at load, into files (id->n_files of them); false if unreadable. */
static bool read_enrolled_files(const char *root, const struct bj_identity *id, struct bj_enrolled_file *files)
{
	int fd = open_map(root, BJ_MAP_ENROLLED_FILES);
	bool ok = fd >= 0;

	for (__u32 i = 0; ok && i < id->n_files; i++) {
		ok = bpf_map_lookup_elem(fd, &i, &files[i]) == 0;
		if (!ok)
			bj_err(-errno, "read %s/%s/%s", root, BJ_PINS_MAPS, BJ_MAP_ENROLLED_FILES);
		files[i].path[BJ_IDENTITY_PATH_LEN - 1] = '\0';
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

static void print_identity(const struct bj_identity *id, const char *hex, const struct bj_enrolled_file *files)
{
	time_t secs = (time_t)(id->loaded_ns / 1000000000ULL);
	char when[64] = "?";
	struct tm tm;

	if (gmtime_r(&secs, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("policy: %s\n  sha256 %s\n  loaded %s\n", id->origin, hex, when);
	for (__u32 i = 0; i < id->n_files; i++) {
		const struct bj_enrolled_file *f = &files[i];
		char digest[2 * SHA256_LEN + 1];

		if (f->kind == BJ_ENROLLED_FRAGMENT_DIR)
			printf("  fragment directory %s\n", f->path);
		if (f->kind == BJ_ENROLLED_MASK)
			printf("  fragment masked %s\n", f->path);
		if (f->kind == BJ_ENROLLED_FRAGMENT) {
			sha256_hex(f->sha256, digest);
			printf("  fragment %s\n    sha256 %s\n", f->path, digest);
		}
		if (!policy_file(f))
			printf("  %s %s (device %" PRIu64 ", inode %" PRIu64 ")\n",
			       f->kind == BJ_ENROLLED_LAUNCHER ? "launcher" : "enrolled executable", f->path,
			       (uint64_t)f->dev, (uint64_t)f->ino);
	}
}

/* What the instance was loaded from, and whether the disk still says the same (else: reboot needed). */
static void report_identity(struct report *r, const char *root)
{
	int fd = open_map(root, BJ_MAP_IDENTITY);
	struct bj_enrolled_file *files = NULL;
	struct bj_identity *id = calloc(1, sizeof(*id));
	json_t *reasons = json_array(), *list = json_array(), *fragments = json_array(), *dirs = json_array();
	char hex[2 * SHA256_LEN + 1];
	__u32 zero = 0;
	bool ok = fd >= 0 && id;

	if (ok && bpf_map_lookup_elem(fd, &zero, id))
		ok = !bj_err(-errno, "read %s/%s/%s", root, BJ_PINS_MAPS, BJ_MAP_IDENTITY);
	if (ok) {
		id->origin[BJ_IDENTITY_PATH_LEN - 1] = '\0';
		files = calloc(id->n_files ? id->n_files : 1, sizeof(*files));
		ok = files && read_enrolled_files(root, id, files) && !identity_drift(id, files, reasons);
	}
	if (!ok) {
		json_object_set_new(r->doc, "policy", json_null());
		json_object_set_new(r->doc, "reboot_needed", json_null());
		if (!r->json)
			printf("policy: unreadable\n");
		goto out;
	}
	sha256_hex(id->sha256, hex);
	for (__u32 i = 0; i < id->n_files; i++) {
		const struct bj_enrolled_file *f = &files[i];

		if (f->kind == BJ_ENROLLED_FRAGMENT_DIR)
			json_array_append_new(dirs, json_string(f->path));
		else if (policy_file(f))
			json_array_append_new(fragments, policy_file_json(f));
		else
			json_array_append_new(list, enrolled_file_json(f));
	}
	json_object_set_new(r->doc, "policy",
			    json_pack("{s:s, s:b, s:s, s:I, s:o, s:o, s:o}", "origin", id->origin, "from_file",
				      id->from_file != 0, "sha256", hex, "loaded_ns", (json_int_t)id->loaded_ns,
				      "enrolled_files", list, "fragments", fragments, "fragment_dirs", dirs));
	list = fragments = dirs = NULL;
	json_object_set_new(r->doc, "reboot_needed", json_boolean(json_array_size(reasons) > 0));
	if (!r->json) {
		size_t i;
		json_t *why;

		print_identity(id, hex, files);
		json_array_foreach(reasons, i, why)
			printf("reboot needed: %s\n", json_string_value(why));
	}
out:
	json_object_set_new(r->doc, "reboot_reasons", reasons);
	json_decref(list);
	json_decref(fragments);
	json_decref(dirs);
	free(files);
	free(id);
	if (fd >= 0)
		close(fd);
}

/* One line of the listing, "PID ROLE POD HOW COMM" (bpfjailer.h), into list; false if it is not one. */
static bool add_jailed(json_t *list, char *line)
{
	char role[BJ_ROLE_NAME_LEN], how[16];
	unsigned long long pod;
	int pid, comm;

	line[strcspn(line, "\n")] = '\0';
	if (sscanf(line, "%d %63s %llu %15s %n", &pid, role, &pod, how, &comm) != 4)
		return false;
	return !json_array_append_new(list, json_pack("{s:i, s:s, s:s, s:I, s:s}", "pid", pid, "comm", line + comm,
						      "role", role, "pod", (json_int_t)pod, "enrolled_by", how));
}

/* The jailed processes, as the kernel lists them: read from the task iterator's pin. */
static void report_jailed(struct report *r, const char *root)
{
	json_t *list = json_array();
	char path[PATH_MAX], *line = NULL;
	size_t size = 0, i;
	json_t *p;
	FILE *f = NULL;
	bool ok;

	ok = !bj_pin_path(path, sizeof(path), root, BJ_PINS_LINKS, BJ_LINK_JAILED) && (f = fopen(path, "re"));
	if (!ok)
		bj_err(-errno, "%s", path);
	while (ok && getline(&line, &size, f) > 0)
		ok = add_jailed(list, line);
	if (f && ferror(f))
		ok = !bj_err(-EIO, "read %s", path);
	free(line);
	if (f)
		fclose(f);
	if (!ok) {
		json_decref(list);
		json_object_set_new(r->doc, "jailed", json_null());
		if (!r->json)
			printf("jailed processes: unreadable\n");
		return;
	}
	if (!r->json)
		printf("jailed processes: %zu\n", json_array_size(list));
	json_array_foreach(list, i, p) {
		if (r->json)
			break;
		printf("  %-7" JSON_INTEGER_FORMAT " %-16s %-16s pod %-6" JSON_INTEGER_FORMAT " %s\n",
			       json_integer_value(json_object_get(p, "pid")), json_string_value(json_object_get(p, "comm")),
			       json_string_value(json_object_get(p, "role")), json_integer_value(json_object_get(p, "pod")),
			       json_string_value(json_object_get(p, "enrolled_by")));
	}
	json_object_set_new(r->doc, "jailed", list);
}

/*
 * The instance pinned at pin_root: BJ_EXIT_OK with *state set, or the exit
 * status to return, after saying that nothing is loaded: for --status an
 * answer on stdout, for --unload an error.
 */
static int find_instance(const char *pin_root, enum pins_state *state, bool status, bool json)
{
	int present = pins_instance_present(pin_root);

	if (present < 0)
		return BJ_EXIT_LOAD_FAILED;
	if (present == PINS_NONE && !status)
		return bj_fail(BJ_EXIT_LOADED, "no instance loaded at %s", pin_root);
	if (present == PINS_NONE && json) {
		json_t *doc = json_pack("{s:s, s:b}", "pin_root", pin_root, "loaded", false);

		json_dumpf(doc, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(doc);
		return BJ_EXIT_LOADED;
	}
	if (present == PINS_NONE) {
		printf("bpfjailer: no instance loaded at %s\n", pin_root);
		return BJ_EXIT_LOADED;
	}
	*state = present;
	return BJ_EXIT_OK;
}

/* A count as text: "?" when it could not be read. */
static const char *count_text(json_t *n, char *buf, size_t size)
{
	if (!json_is_integer(n))
		return "?";
	snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(n));
	return buf;
}

/* A count of a pinned map's entries; a sealed instance keeps its enrollment tables and automaton closed. */
static json_t *closed_count(const char *root, const char *name, bool sealed)
{
	return sealed ? json_null() : json_count(count_entries(root, name));
}

/* Everything but the header: what a sealed instance opens to anyone too (read-only). */
static void report_instance(struct report *r, const char *root, bool sealed)
{
	char b1[32], b2[32], b3[32];
	struct bpfjailer__rodata cfg;
	bool have_cfg = read_config(root, &cfg);

	report_identity(r, root);
	if (have_cfg) {
		report_roles(r, root, &cfg);
	} else {
		json_object_set_new(r->doc, "roles", json_null());
		if (!r->json)
			printf("roles: unreadable\n");
	}
	json_object_set_new(r->doc, "enrollments",
			    json_pack("{s:o, s:o, s:o}", "exec", closed_count(root, BJ_MAP_EXEC_ENROLL, sealed),
				      "cgroup", have_cfg ? json_integer(cfg.n_cgroups) : json_null(),
				      "xattr", closed_count(root, BJ_MAP_XATTR_ENROLL, sealed)));
	json_object_set_new(r->doc, "path_edges", closed_count(root, BJ_MAP_PATH_EDGES, sealed));
	if (!r->json) {
		json_t *e = json_object_get(r->doc, "enrollments");

		printf("enrollments: %s by executable, %s by cgroup, %s by xattr\n",
		       count_text(json_object_get(e, "exec"), b1, sizeof(b1)),
		       count_text(json_object_get(e, "cgroup"), b2, sizeof(b2)),
		       count_text(json_object_get(e, "xattr"), b3, sizeof(b3)));
		printf("path automaton: %s edges\n", count_text(json_object_get(r->doc, "path_edges"), b1, sizeof(b1)));
	}
	if (!sealed)
		report_programs(r, root);
	else
		json_object_set_new(r->doc, "programs", json_null());
	report_counters(r, root);
	if (!sealed) {
		report_jailed(r, root);
		return;
	}
	/* Its link stays closed when sealed: a link's fd could have its program replaced. */
	json_object_set_new(r->doc, "jailed", json_null());
	if (!r->json)
		printf("jailed processes: not listed (sealed)\n");
}

int instance_status(const char *pin_root, bool json)
{
	struct report r = { .json = json };
	enum pins_state state;
	int ret = find_instance(pin_root, &state, true, json);

	if (ret)
		return ret;
	r.doc = json_pack("{s:s, s:b, s:b}", "pin_root", pin_root, "loaded", true, "sealed", state == PINS_SEALED);
	if (!r.doc) {
		bj_oom(NULL);
		return BJ_EXIT_LOAD_FAILED;
	}
	if (!json)
		printf("bpfjailer: loaded at %s (%s)\n", pin_root, state == PINS_SEALED ? "sealed" : "not sealed");
	report_instance(&r, pin_root, state == PINS_SEALED);
	if (json) {
		json_dumpf(r.doc, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(r.doc);
	return BJ_EXIT_OK;
}

int instance_unload(const char *pin_root)
{
	struct prog_ids ids;
	enum pins_state state;
	int ret = find_instance(pin_root, &state, false, false);

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
