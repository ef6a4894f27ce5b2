// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "automaton.h"
#include "caps.h"
#include "compile.h"
#include "name_hash.h"
#include "net_tables.h"

/*
 * Where POSIX message queues are mounted by convention. Queues opened with
 * mq_open() live on the kernel's internal mqueue mount, which no path
 * reaches: the kernel matches them from the state this path leads to.
 */
#define MQUEUE_DIR "/dev/mqueue"

struct compiler {
	const struct bj_policy *policy;
	const struct bj_compile_opts *opts;
	struct bj_tables *t;
	struct bj_diags *diags;
	struct automaton paths;
	struct vec devices; /* struct bj_device_entry */
};

static int no_memory(struct compiler *c)
{
	diags_add(c->diags, BJ_ERROR, (struct bj_loc){ 0 }, "", "out of memory while compiling the policy");
	return -1;
}

/*
 * An allow rule grants exactly its access letters and refuses the others;
 * a deny rule refuses its letters and leaves the others to less specific
 * rules. Execution rules decide the RUN right alone.
 */
static struct bj_pattern *role_patterns(const struct bj_role *role, size_t *n)
{
	struct bj_pattern *p = calloc(role->n_files + role->n_execs + 1, sizeof(*p));

	*n = 0;
	if (!p)
		return NULL;
	for (size_t i = 0; i < role->n_files; i++) {
		const struct bj_file_rule *r = &role->files[i];

		p[(*n)++] = (struct bj_pattern){
			.path = r->pattern,
			.lanes = r->allow ? BJ_RIGHTS_FILE : r->access,
			.allow = r->allow ? r->access : 0,
		};
	}
	for (size_t i = 0; i < role->n_execs; i++) {
		const struct bj_exec_rule *r = &role->execs[i];

		p[(*n)++] = (struct bj_pattern){
			.path = r->binary_path,
			.lanes = BJ_RIGHT_RUN,
			.allow = r->allow ? BJ_RIGHT_RUN : 0,
		};
	}
	return p;
}

/* Where pattern i of role_patterns() came from: location and JSON path. */
static struct bj_loc pattern_loc(const struct bj_role *role, size_t i, const char **json_path)
{
	if (i < role->n_files) {
		*json_path = role->files[i].json_path;
		return role->files[i].loc;
	}
	*json_path = role->execs[i - role->n_files].json_path;
	return role->execs[i - role->n_files].loc;
}

static bool lists_device(const struct bj_role *role, const struct bj_builtin_device *b)
{
	for (size_t i = 0; i < role->n_devices; i++) {
		const struct bj_device_rule *d = &role->devices[i];

		if (d->type == b->type && d->major == b->major && d->minor == b->minor)
			return true;
	}
	return false;
}

static int add_device(struct compiler *c, __u32 slot, __u32 type, __u32 major, __u32 minor, __u8 rights)
{
	struct bj_device_entry *e = vec_push(&c->devices);

	if (!e)
		return -ENOMEM;
	*e = (struct bj_device_entry){
		.key = { .role = slot, .type = type, .major = major, .minor = minor },
		.rights = rights,
	};
	return 0;
}

/* The role's device_rules: what it lists, then each built-in device it does not list itself. */
static int compile_devices(struct compiler *c, size_t i)
{
	const struct bj_role *role = &c->policy->roles[i];
	__u32 slot = (__u32)i + 1;
	int err = 0;

	for (size_t j = 0; !err && j < role->n_devices; j++) {
		const struct bj_device_rule *d = &role->devices[j];

		err = add_device(c, slot, d->type, d->major, d->minor, d->access);
	}
	for (size_t j = 0; !err && j < bj_n_builtin_devices; j++) {
		const struct bj_builtin_device *b = &bj_builtin_devices[j];

		if (!lists_device(role, b))
			err = add_device(c, slot, b->type, b->major, b->minor, BJ_RIGHT_READ | BJ_RIGHT_WRITE);
	}
	return err;
}

static int compile_role(struct compiler *c, size_t i, struct vec *ports, struct vec *ips)
{
	const struct bj_role *role = &c->policy->roles[i];
	struct bj_role_entry *out = &c->t->roles[i + 1];
	size_t n, bad = 0, n_ports = ports->n, n_ips = ips->n, first_edge = c->paths.edges.n;
	struct bj_pattern *patterns;
	int err;

	out->id = role->id;
	out->flags = role->flags;
	out->mode = role->mode;
	out->audit = role->audit;
	out->caps = bj_role_caps(role->flags, role->has_caps, role->caps);
	out->families = bj_role_families(role->families);

	patterns = role_patterns(role, &n);
	if (!patterns)
		return no_memory(c);
	err = automaton_add(&c->paths, patterns, n, BJ_VERDICT_RIGHTS, &out->path_start, &bad);
	free(patterns);
	if (err == -EINVAL) {
		const char *where;
		struct bj_loc loc = pattern_loc(role, bad, &where);

		diags_add(c->diags, BJ_ERROR, loc, where,
			  "a path component is longer than %d bytes and can never match", BJ_NAME_MAX);
		return -1;
	}
	if (err == -E2BIG) {
		diags_add(c->diags, BJ_ERROR, role->loc, role->json_path,
			  "the file rules need more than %u automaton states; use fewer \"*\" components",
			  BJ_MAX_STATES);
		return -1;
	}
	if (!err)
		out->mqueue_state = automaton_walk(&c->paths, out->path_start, first_edge, MQUEUE_DIR);
	if (!err)
		err = port_entries_add(ports, i + 1, role);
	if (err == -E2BIG) {
		diags_add(c->diags, BJ_ERROR, role->loc, role->json_path,
			  "the port rules need more than %u table entries", BJ_MAX_PORT_ENTRIES);
		return -1;
	}
	if (!err)
		err = ip_entries_add(ips, i + 1, role);
	if (!err)
		err = compile_devices(c, i);
	if (err)
		return no_memory(c);
	out->has_ports = ports->n > n_ports;
	out->has_ips = ips->n > n_ips;
	return 0;
}

struct enrolled_file {
	struct bj_exec_entry entry;
	size_t index; /* into exec_enrollments, for messages */
};

static int cmp_enrolled(const void *x, const void *y)
{
	const struct enrolled_file *a = x, *b = y;
	int cmp = memcmp(&a->entry.key, &b->entry.key, sizeof(a->entry.key));

	return cmp ? cmp : (a->index > b->index) - (a->index < b->index);
}

/* Executables by their file, as the resolve step found them: hard links and symlinks meet here. */
static int compile_exec_enrollments(struct compiler *c)
{
	const struct bj_policy *policy = c->policy;
	const struct bj_host_files *files = c->opts->files;
	struct enrolled_file *enrolled;
	size_t n = 0;

	if (!files || !policy->n_exec_enrollments)
		return 0;
	enrolled = calloc(policy->n_exec_enrollments, sizeof(*enrolled));
	c->t->execs = calloc(policy->n_exec_enrollments, sizeof(*c->t->execs));
	if (!enrolled || !c->t->execs) {
		free(enrolled);
		return no_memory(c);
	}
	for (size_t i = 0; i < policy->n_exec_enrollments; i++) {
		const struct bj_path_enrollment *en = &policy->exec_enrollments[i];

		if (!files->execs[i].dev && !files->execs[i].ino) /* not there: enrolled from the next boot on */
			continue;
		enrolled[n++] = (struct enrolled_file){
			.entry = {
				.key = files->execs[i],
				.value = { .role = (__u32)en->role + 1, .pod_id = en->pod_id },
			},
			.index = i,
		};
	}
	qsort(enrolled, n, sizeof(*enrolled), cmp_enrolled);
	for (size_t i = 0; i < n; i++) {
		const struct enrolled_file *prev = i ? &enrolled[i - 1] : NULL;

		if (prev && !memcmp(&prev->entry.key, &enrolled[i].entry.key, sizeof(prev->entry.key))) {
			const struct bj_path_enrollment *en = &policy->exec_enrollments[enrolled[i].index];

			/* Two names for one file: fine as long as they agree. */
			if (memcmp(&prev->entry.value, &enrolled[i].entry.value, sizeof(prev->entry.value)))
				diags_add(c->diags, BJ_ERROR, en->loc, en->json_path,
					  "executable %s is the same file as %s, enrolled with another role or pod",
					  en->path, policy->exec_enrollments[prev->index].path);
			continue;
		}
		c->t->execs[c->t->n_execs++] = enrolled[i].entry;
	}
	free(enrolled);
	return c->diags->n_errors ? -1 : 0;
}

/* Cgroup paths are matched in the kernel below the cgroup v2 root (without the resolve step's). */
static const char *cgroup_relative(const char *path)
{
	size_t len = strlen(BJ_CGROUP_ROOT);

	if (!strncmp(path, BJ_CGROUP_ROOT, len) && (path[len] == '/' || path[len] == '\0'))
		return path[len] ? path + len : "/";
	return path;
}

static int compile_cgroup_enrollments(struct compiler *c)
{
	const struct bj_policy *policy = c->policy;
	size_t n = policy->n_cgroup_enrollments, bad = 0;
	struct bj_pattern *patterns;
	int err;

	if (!n)
		return 0;
	patterns = calloc(n, sizeof(*patterns));
	c->t->cgroups = calloc(n, sizeof(*c->t->cgroups));
	if (!patterns || !c->t->cgroups) {
		free(patterns);
		return no_memory(c);
	}
	c->t->n_cgroups = n;
	for (size_t i = 0; i < n; i++) {
		const struct bj_path_enrollment *en = &policy->cgroup_enrollments[i];

		patterns[i] = (struct bj_pattern){
			.path = c->opts->cgroup_paths && c->opts->cgroup_paths[i] ? c->opts->cgroup_paths[i] :
										    cgroup_relative(en->path),
			.lanes = 1,
			.payload = (__u32)i + 1,
		};
		c->t->cgroups[i] = (struct bj_enrollment){ .role = (__u32)en->role + 1, .pod_id = en->pod_id };
	}
	err = automaton_add(&c->paths, patterns, n, BJ_VERDICT_PAYLOAD, &c->t->cgroup_start, &bad);
	free(patterns);
	if (err == -EINVAL) {
		diags_add(c->diags, BJ_ERROR, policy->cgroup_enrollments[bad].loc,
			  policy->cgroup_enrollments[bad].json_path,
			  "cgroup %s: a component is longer than %d bytes", policy->cgroup_enrollments[bad].path,
			  BJ_NAME_MAX);
		return -1;
	}
	return err ? no_memory(c) : 0;
}

static int compile_xattr_enrollments(struct compiler *c)
{
	const struct bj_policy *policy = c->policy;
	size_t n = policy->n_xattr_enrollments;

	if (!n)
		return 0;
	c->t->xattrs = calloc(n, sizeof(*c->t->xattrs));
	if (!c->t->xattrs)
		return no_memory(c);
	c->t->n_xattrs = n;
	for (size_t i = 0; i < n; i++) {
		const struct bj_role_enrollment *en = &policy->xattr_enrollments[i];

		c->t->xattrs[i] = (struct bj_xattr_entry){
			.role_id = policy->roles[en->role].id,
			.value = { .role = (__u32)en->role + 1, .pod_id = en->has_pod ? en->pod_id : 0 },
		};
	}
	return 0;
}

/*
 * bpfjailer-run's table: every role by its key, so the kernel tells a role
 * that is not launchable from none at all; the launchable ones flagged.
 * The launcher's file only when some role is launchable: without it the
 * kernel does not answer bpfjailer-run at all.
 */
static int compile_launch_enrollments(struct compiler *c)
{
	const struct bj_policy *policy = c->policy;

	if (!policy->n_launch_enrollments)
		return 0;
	c->t->launches = calloc(policy->n_roles, sizeof(*c->t->launches));
	if (!c->t->launches)
		return no_memory(c);
	c->t->n_launches = policy->n_roles;
	for (size_t i = 0; i < policy->n_roles; i++) {
		struct bj_launch_entry *e = &c->t->launches[i];

		/* The parser refused longer keys: this never truncates. */
		snprintf(e->key, sizeof(e->key), "%s", policy->roles[i].key);
		e->value.role = (__u32)i + 1;
	}
	for (size_t i = 0; i < policy->n_launch_enrollments; i++) {
		const struct bj_role_enrollment *en = &policy->launch_enrollments[i];

		c->t->roles[en->role + 1].flags |= BJ_FLAG_LAUNCHABLE;
		c->t->launches[en->role].value.pod_id = en->has_pod ? en->pod_id : 0;
	}
	if (c->opts->files)
		c->t->launcher = c->opts->files->launcher;
	return 0;
}

/*
 * The system's logging sockets: every jailed task may write to them, even
 * though they are bound outside its jail and no rule of its role names
 * them (the kernel asks a rule for any other such socket). Logging and
 * sd_notify() are all they do.
 */
static const char *const logging_sockets[] = {
	"/run/systemd/journal/socket",  /* sd_journal_*(), native protocol */
	"/run/systemd/journal/dev-log", /* syslog(3): /dev/log links here */
	"/run/systemd/journal/syslog",  /* forwarding to a syslog daemon */
	"/run/systemd/notify",          /* sd_notify() */
	"/dev/log",                     /* syslog(3) where a syslog daemon binds it */
};

static int compile_logging_sockets(struct compiler *c)
{
	struct bj_pattern p[sizeof(logging_sockets) / sizeof(logging_sockets[0])];
	size_t n = sizeof(p) / sizeof(p[0]), bad;

	for (size_t i = 0; i < n; i++)
		p[i] = (struct bj_pattern){ .path = logging_sockets[i], .lanes = BJ_RIGHT_WRITE,
					    .allow = BJ_RIGHT_WRITE };
	return automaton_add(&c->paths, p, n, BJ_VERDICT_RIGHTS, &c->t->sockets_start, &bad) ? no_memory(c) : 0;
}

int policy_compile(const struct bj_policy *policy, const struct bj_compile_opts *opts,
		   struct bj_tables **out, struct bj_diags *diags)
{
	struct compiler c = {
		.policy = policy, .opts = opts, .diags = diags, .devices = VEC_INIT(struct bj_device_entry),
	};
	struct vec ports = VEC_INIT(struct bj_port_entry);
	struct vec ips = VEC_INIT(struct bj_ip_entry);
	int err = 0;

	*out = NULL;
	c.t = calloc(1, sizeof(*c.t));
	if (!c.t || automaton_init(&c.paths, opts->hash_key[0], opts->hash_key[1])) {
		free(c.t);
		return no_memory(&c);
	}
	memcpy(c.t->hash_key, opts->hash_key, sizeof(c.t->hash_key));
	/* The forwarder is known by its file: the only one to open a sealed instance's audit buffer. */
	if (opts->files)
		c.t->forwarder = opts->files->forwarder;
	c.t->n_roles = policy->n_roles + 1;
	c.t->roles = calloc(c.t->n_roles, sizeof(*c.t->roles));
	if (!c.t->roles)
		err = no_memory(&c);

	for (size_t i = 0; !err && i < policy->n_roles; i++)
		err = compile_role(&c, i, &ports, &ips);
	if (!err)
		err = compile_exec_enrollments(&c);
	if (!err)
		err = compile_cgroup_enrollments(&c);
	if (!err)
		err = compile_xattr_enrollments(&c);
	if (!err)
		err = compile_launch_enrollments(&c);
	if (!err)
		err = compile_logging_sockets(&c);

	c.t->ports = vec_take(&ports, &c.t->n_ports);
	c.t->ips = vec_take(&ips, &c.t->n_ips);
	c.t->devices = vec_take(&c.devices, &c.t->n_devices);
	c.t->states = vec_take(&c.paths.states, &c.t->n_states);
	c.t->edges = vec_take(&c.paths.edges, &c.t->n_edges);
	automaton_fini(&c.paths);
	if (err) {
		tables_free(c.t);
		return -1;
	}
	*out = c.t;
	return 0;
}
