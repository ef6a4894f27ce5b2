// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>

#include "caps.h"
#include "needed.h"
#include "summary.h"

/* Indexed by bit: BJ_FLAG_FILE is bit 0, BJ_FLAG_ABSTRACT_UNIX bit 9. */
static const char *const flag_names[] = {
	"file", "network", "exec", "signed", "setuid", "ptrace", "module_load", "bpf_load",
	"kernel_tunables", "abstract_unix",
};

static void print_flags(FILE *out, uint32_t flags)
{
	const char *sep = "";

	if (!flags)
		fputs("-", out);
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (flags & (1u << i)) {
			fprintf(out, "%s%s", sep, flag_names[i]);
			sep = ",";
		}
	}
}

/* The names of the bits of set, comma-separated; none when empty. */
static void print_names(FILE *out, uint64_t set, unsigned count, const char *(*name_of)(unsigned),
			const char *none)
{
	const char *sep = "";

	if (!set)
		fputs(none, out);
	for (unsigned i = 0; i < count; i++) {
		if (set & BJ_BIT(i)) {
			fprintf(out, "%s%s", sep, name_of(i));
			sep = ",";
		}
	}
}

/* What the role keeps: the lines under its row of the roles table. */
static void print_keeps(FILE *out, const struct bj_role *r, const struct bj_role_entry *e)
{
	uint64_t extra = e->families & ~bj_default_families();

	fputs("        capabilities: ", out);
	print_names(out, e->caps, BJ_CAP_COUNT, bj_cap_name, "none");
	/* where they come from: the flags add theirs to either */
	fprintf(out, " (%s%s)", r->has_caps ? "as listed" : "the default set",
		e->caps != (r->has_caps ? r->caps : bj_default_caps()) ? " and what its flags add" : "");
	fputs("\n        address families: the default ones", out);
	if (extra) {
		fputs(" and ", out);
		print_names(out, extra, BJ_AF_COUNT, bj_family_name, "");
	}
	fputs("\n        devices: ", out);
	for (size_t i = 0; i < r->n_devices; i++) {
		const struct bj_device_rule *d = &r->devices[i];
		char dev[32];

		bj_device_format(dev, sizeof(dev), d->type, d->major, d->minor);
		fprintf(out, "%s %s%s, ", dev, d->access & BJ_RIGHT_READ ? "r" : "",
			d->access & BJ_RIGHT_WRITE ? "w" : "");
	}
	fputs(r->n_devices ? "and the built-in pseudo devices it does not list\n" : "the built-in pseudo devices\n",
	      out);
}

/* Column the list of attached programs wraps at. */
#define PROGRAMS_WIDTH 100

/*
 * The programs the policy needs and those it leaves out, with why. The
 * kernel's hook forms are known only at load, which leaves out the
 * variants the kernel has no place for (-v names them).
 */
static void print_programs(FILE *out, const struct bj_policy *policy, const struct bj_tables *t)
{
	static const char lead[] = "  attached:";
	size_t n = needed_count(), used = 0, col = sizeof(lead) - 1;
	char why[256];

	for (size_t i = 0; i < n; i++)
		used += needed_by(i, policy, t, NULL, 0);
	fprintf(out, "programs: %zu of %zu needed by this policy (at load, those whose hook the kernel has "
		"in another form, or not at all, are left out too)\n", used, n);
	fputs(lead, out);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(needed_name(i));

		if (!needed_by(i, policy, t, NULL, 0))
			continue;
		if (col + 1 + len > PROGRAMS_WIDTH) {
			fprintf(out, "\n%*s", (int)sizeof(lead) - 1, "");
			col = sizeof(lead) - 1;
		}
		fprintf(out, " %s", needed_name(i));
		col += 1 + len;
	}
	fputc('\n', out);
	for (size_t i = 0; i < n; i++)
		if (!needed_by(i, policy, t, why, sizeof(why)))
			fprintf(out, "  left out: %s (%s)\n", needed_name(i), why);
}

static void print_table(FILE *out, const char *name, size_t entries, size_t key, size_t value)
{
	fprintf(out, "  %-14s %8zu entries  %10zu bytes\n", name, entries, entries * (key + value));
}

void summary_print(FILE *out, const struct bj_policy *policy, const struct bj_tables *t)
{
	static const char *const modes[] = { "enforce", "complain" };
	static const char *const audits[] = { "deny", "all", "none" };

	fprintf(out, "policy: %s\n", policy->origin);
	fprintf(out, "roles: %zu\n", policy->n_roles);
	fprintf(out, "  %-5s %-16s %-8s %-7s %5s %5s %5s %5s  %s\n", "id", "name", "mode", "audit", "files",
		"ports", "ips", "execs", "allows");
	for (size_t i = 0; i < policy->n_roles; i++) {
		const struct bj_role *r = &policy->roles[i];

		fprintf(out, "  %-5" PRIu32 " %-16s %-8s %-7s %5zu %5zu %5zu %5zu  ", r->id, r->key,
			modes[r->mode], audits[r->audit], r->n_files, r->n_net, r->n_ips, r->n_execs);
		print_flags(out, r->flags);
		fputc('\n', out);
		print_keeps(out, r, &t->roles[i + 1]);
	}
	fprintf(out, "enrollments: %zu by executable (%zu found on disk), %zu by cgroup, %zu by xattr, "
		"%zu by launcher\n", policy->n_exec_enrollments, t->n_execs, policy->n_cgroup_enrollments,
		policy->n_xattr_enrollments, policy->n_launch_enrollments);
	for (size_t i = 0; i < policy->n_exec_enrollments; i++) {
		const struct bj_path_enrollment *e = &policy->exec_enrollments[i];

		fprintf(out, "  exec   %-40s pod %-8" PRIu64 " role %s\n", e->path, e->pod_id,
			policy->roles[e->role].key);
	}
	for (size_t i = 0; i < policy->n_cgroup_enrollments; i++) {
		const struct bj_path_enrollment *e = &policy->cgroup_enrollments[i];

		fprintf(out, "  cgroup %-40s pod %-8" PRIu64 " role %s\n", e->path, e->pod_id,
			policy->roles[e->role].key);
	}
	for (size_t i = 0; i < policy->n_xattr_enrollments; i++) {
		const struct bj_role_enrollment *e = &policy->xattr_enrollments[i];

		fprintf(out, "  xattr  role %s (id %" PRIu32 ")", policy->roles[e->role].key,
			policy->roles[e->role].id);
		if (e->has_pod)
			fprintf(out, ", pod %" PRIu64 " unless the executable names one", e->pod_id);
		fputc('\n', out);
	}
	for (size_t i = 0; i < policy->n_launch_enrollments; i++) {
		const struct bj_role_enrollment *e = &policy->launch_enrollments[i];

		fprintf(out, "  launch role %s", policy->roles[e->role].key);
		if (e->has_pod)
			fprintf(out, ", pod %" PRIu64 " unless --pod names one", e->pod_id);
		fputc('\n', out);
	}
	if (policy->n_launch_enrollments)
		fprintf(out, "launcher: %s%s\n", policy_launcher_path(policy),
			t->launcher.ino ? "" : " (not found on disk)");
	fprintf(out, "tables:\n");
	print_table(out, "roles", t->n_roles, sizeof(__u32), sizeof(*t->roles));
	print_table(out, "path_states", t->n_states, sizeof(__u32), sizeof(*t->states));
	print_table(out, "path_edges", t->n_edges, sizeof(struct bj_edge_key), sizeof(__u32));
	print_table(out, "port_rules", t->n_ports, sizeof(struct bj_port_key), sizeof(__u8));
	print_table(out, "ip_rules", t->n_ips, sizeof(struct bj_ip_key), sizeof(__u8));
	print_table(out, "device_rules", t->n_devices, sizeof(struct bj_device_key), sizeof(__u8));
	print_table(out, "exec_enroll", t->n_execs, sizeof(struct bj_inode_key), sizeof(struct bj_enrollment));
	print_table(out, "cgroup_enroll", t->n_cgroups, sizeof(__u32), sizeof(struct bj_enrollment));
	print_table(out, "xattr_enroll", t->n_xattrs, sizeof(__u32), sizeof(struct bj_enrollment));
	print_table(out, "launch_roles", t->n_launches, BJ_ROLE_NAME_LEN, sizeof(struct bj_enrollment));
	fprintf(out, "seal: %s", policy->seal ? "yes" : "no");
	if (policy->forwarder_path)
		fprintf(out, " (forwarder %s)", policy->forwarder_path);
	fputc('\n', out);
	fprintf(out, "on load failure: %s\n", policy->on_load_failure == BJ_ON_LOAD_FAILURE_EMERGENCY ?
		"emergency (a failed load at boot stops the boot in emergency mode)" :
		"continue (a failed load at boot is logged and the boot goes on unjailed)");
	print_programs(out, policy, t);
}
