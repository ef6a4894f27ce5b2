// SPDX-License-Identifier: GPL-2.0
/*
 * Loading, in the order that leaves no window: open, choose the programs
 * (those the policy needs, needed.c, in the forms the kernel has), size
 * the maps, load, fill the tables, freeze them, attach, pin into a fresh
 * directory, verify the pins and record their inodes, move that directory
 * into place in one rename, record it too.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpfjailer.skel.h"
#include "err.h"
#include "identity.h"
#include "instance.h"
#include "keyring.h"
#include "kernel.h"
#include "needed.h"
#include "pin_inodes.h"
#include "pins.h"
#include "seal.h"

static bool verbose;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	if (level != LIBBPF_WARN && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

void instance_set_verbose(bool v)
{
	verbose = v;
	libbpf_set_print(print_libbpf);
}

static size_t at_least_one(size_t n)
{
	return n ? n : 1;
}

/* Number of parameters of an LSM hook in this kernel, or -1 if it has no such hook. */
static int hook_arity(const struct btf *btf, const char *func)
{
	int id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);
	const struct btf_type *proto;

	if (id < 0)
		return -1;
	proto = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	return proto ? btf_vlen(proto) : -1;
}

/*
 * Load prog only if it fits: never turns a program on, so the policy's
 * choice (needed.c) and the kernel's combine in either order.
 */
static void load_only_if(struct bpf_program *prog, bool fits)
{
	bpf_program__set_autoload(prog, bpf_program__autoload(prog) && fits);
}

/*
 * Hooks whose form differs between kernels: inode_setattr gained the
 * mount's idmap in 6.10; file_ioctl_compat exists from 6.7 (and 6.1.74),
 * and without it compat ioctls reach file_ioctl; POSIX ACLs have their
 * own hooks from 6.2, and before that reach inode_setxattr.
 */
static void choose_kernel_variants(struct bpfjailer *skel, const struct btf *btf)
{
	int setattr = hook_arity(btf, "bpf_lsm_inode_setattr");

	load_only_if(skel->progs.bj_setattr, setattr == 2);
	load_only_if(skel->progs.bj_setattr_idmap, setattr != 2);
	load_only_if(skel->progs.bj_file_ioctl_compat, hook_arity(btf, "bpf_lsm_file_ioctl_compat") >= 0);
	load_only_if(skel->progs.bj_inode_set_acl, hook_arity(btf, "bpf_lsm_inode_set_acl") >= 0);
	load_only_if(skel->progs.bj_inode_remove_acl, hook_arity(btf, "bpf_lsm_inode_remove_acl") >= 0);
	/* Directories are remembered only where a freed one can be forgotten. */
	skel->rodata->dir_cache = hook_arity(btf, "bpf_lsm_inode_free_security") == 1;
	load_only_if(skel->progs.bj_dir_forget, skel->rodata->dir_cache);
	skel->rodata->typed_casts = btf__find_by_name_kind(btf, "bpf_rdonly_cast", BTF_KIND_FUNC) >= 0;
}

/* Pick the programs this kernel's hooks fit; every hook they attach to must exist. */
static int check_hooks(struct bpfjailer *skel)
{
	struct btf *btf = btf__load_vmlinux_btf();
	struct bpf_program *prog;
	int ret = BJ_EXIT_OK;

	if (!btf) {
		bj_err(-errno, "cannot read the kernel's BTF");
		return BJ_EXIT_KERNEL;
	}
	choose_kernel_variants(skel, btf);
	bpf_object__for_each_program(prog, skel->obj) {
		const char *sec = bpf_program__section_name(prog);
		const char *hook = strchr(sec, '/');
		char func[128];

		/* Only LSM programs attach to a hook (bj_jailed is a task iterator). */
		if (!bpf_program__autoload(prog) || strncmp(sec, "lsm", 3))
			continue;
		snprintf(func, sizeof(func), "bpf_lsm_%s", hook ? hook + 1 : sec);
		if (btf__find_by_name_kind(btf, func, BTF_KIND_FUNC) < 0)
			ret = bj_fail(BJ_EXIT_KERNEL, "this kernel lacks the LSM hook %s (needed by %s)", func + 8,
				      bpf_program__name(prog));
	}
	btf__free(btf);
	return ret;
}

static int size_maps(struct bpfjailer *skel, const struct policy_source *src, const struct bj_policy *policy,
		     const struct bj_tables *t)
{
	struct {
		struct bpf_map *map;
		size_t n;
	} sizes[] = {
		{ skel->maps.roles, t->n_roles },
		{ skel->maps.role_names, t->n_roles },
		{ skel->maps.path_states, t->n_states },
		{ skel->maps.path_edges, t->n_edges },
		{ skel->maps.port_rules, t->n_ports },
		{ skel->maps.ip_rules, t->n_ips },
		{ skel->maps.device_rules, t->n_devices },
		{ skel->maps.exec_enroll, t->n_execs },
		{ skel->maps.cgroup_enroll, t->n_cgroups },
		{ skel->maps.xattr_enroll, t->n_xattrs },
		{ skel->maps.launch_roles, t->n_launches },
		{ skel->maps.enrolled_files, identity_n_files(policy, src) },
	};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int err = bpf_map__set_max_entries(sizes[i].map, (__u32)at_least_one(sizes[i].n));

		if (err)
			return bj_err(err, "size map %s", bpf_map__name(sizes[i].map));
	}
	return 0;
}

/*
 * .bss holds opaque_zero, which must stay zero, and what only the programs
 * write (dirs_remembered, the remembered port verdicts): without a
 * writable mapping (libbpf makes one by default) the map can be frozen,
 * and no process writes any of it.
 */
static int unmappable_bss(struct bpfjailer *skel)
{
	int err = bpf_map__set_map_flags(skel->maps.bss, bpf_map__map_flags(skel->maps.bss) & ~BPF_F_MMAPABLE);

	return err ? bj_err(err, "prepare map .bss") : 0;
}

static int update(struct bpf_map *map, const void *key, size_t key_size, const void *value,
		  size_t value_size)
{
	int err = bpf_map__update_elem(map, key, key_size, value, value_size, BPF_NOEXIST);

	/* Arrays exist in full from the start: for them, "no such element yet" is BPF_ANY. */
	if (err == -EEXIST)
		err = bpf_map__update_elem(map, key, key_size, value, value_size, BPF_ANY);
	return err ? bj_err(err, "fill map %s", bpf_map__name(map)) : 0;
}

#define UPDATE(map, k, v) update(map, k, sizeof(*(k)), v, sizeof(*(v)))

static int fill_maps(struct bpfjailer *skel, const struct bj_policy *policy, const struct bj_tables *t)
{
	int err = 0;

	for (__u32 i = 1; !err && i < t->n_roles; i++) {
		char name[BJ_ROLE_NAME_LEN] = { 0 };

		snprintf(name, sizeof(name), "%s", policy->roles[i - 1].key);
		err = UPDATE(skel->maps.roles, &i, &t->roles[i]);
		if (!err)
			err = update(skel->maps.role_names, &i, sizeof(i), name, sizeof(name));
	}
	for (__u32 i = 0; !err && i < t->n_states; i++)
		err = UPDATE(skel->maps.path_states, &i, &t->states[i]);
	for (size_t i = 0; !err && i < t->n_edges; i++)
		err = UPDATE(skel->maps.path_edges, &t->edges[i].key, &t->edges[i].next);
	for (size_t i = 0; !err && i < t->n_ports; i++)
		err = UPDATE(skel->maps.port_rules, &t->ports[i].key, &t->ports[i].verdict);
	for (size_t i = 0; !err && i < t->n_ips; i++)
		err = UPDATE(skel->maps.ip_rules, &t->ips[i].key, &t->ips[i].verdict);
	for (size_t i = 0; !err && i < t->n_devices; i++)
		err = UPDATE(skel->maps.device_rules, &t->devices[i].key, &t->devices[i].rights);
	for (size_t i = 0; !err && i < t->n_execs; i++)
		err = UPDATE(skel->maps.exec_enroll, &t->execs[i].key, &t->execs[i].value);
	for (__u32 i = 0; !err && i < t->n_cgroups; i++)
		err = UPDATE(skel->maps.cgroup_enroll, &i, &t->cgroups[i]);
	for (size_t i = 0; !err && i < t->n_xattrs; i++)
		err = UPDATE(skel->maps.xattr_enroll, &t->xattrs[i].role_id, &t->xattrs[i].value);
	for (size_t i = 0; !err && i < t->n_launches; i++)
		err = UPDATE(skel->maps.launch_roles, &t->launches[i].key, &t->launches[i].value);
	return err;
}

static int own_file(struct bpfjailer *skel, const struct stat *st)
{
	struct bj_inode_key key = { .dev = kernel_dev(st->st_dev), .ino = st->st_ino };
	__u8 one = 1;

	return UPDATE(skel->maps.own_files, &key, &one);
}

/* A directory, if it exists: no jailed task makes, removes or renames a name in it. */
static int own_dir(struct bpfjailer *skel, const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0)
		return own_file(skel, &st);
	return errno == ENOENT ? 0 : bj_err(-errno, "%s", path);
}

/*
 * The policy's fragments (and masks: filled, one would become a fragment),
 * and their directories, in which no jailed task makes, removes or renames
 * a name: a jailed root must not widen its role at the next boot. A
 * directory that does not exist is not kept (the install makes both of the
 * system's). A link to /dev/null needs no keeping: it cannot be written,
 * and its directory keeps its name.
 */
static int own_fragments(struct bpfjailer *skel, const struct policy_source *src)
{
	int err = 0;

	for (size_t i = 0; !err && i < src->n_fragments; i++)
		if (!S_ISLNK(src->fragments[i].st.st_mode))
			err = own_file(skel, &src->fragments[i].st);
	for (size_t i = 0; !err && i < src->n_dirs; i++)
		err = own_dir(skel, src->dirs[i]);
	return err;
}

/*
 * The files the next boot's jail comes from: the policy read, its
 * fragments, and this program; and the launcher, which the unjailed run to
 * enter a role. No jailed task writes, renames or removes them
 * (bj_own_file).
 */
static int own_files(struct bpfjailer *skel, const struct policy_source *src, const struct bj_tables *t)
{
	struct bj_inode_key key;
	struct stat st;
	__u8 one = 1;
	int err = 0;

	if (src->from_file)
		err = own_file(skel, &src->st);
	/*
	 * The system's directory too, whether or not policy.json is there:
	 * a jailed root must not create one that the next boot would read
	 * instead of the built-in default, nor a missing policy.d.
	 */
	if (!err && src->system)
		err = own_dir(skel, BJ_SYSTEM_CONFIG_DIR);
	if (!err)
		err = own_fragments(skel, src);
	if (!err && stat("/proc/self/exe", &st) < 0)
		return bj_err(-errno, "/proc/self/exe");
	if (!err) {
		key = (struct bj_inode_key){ .dev = kernel_dev(st.st_dev), .ino = st.st_ino };
		err = UPDATE(skel->maps.own_files, &key, &one);
	}
	if (!err && t->launcher.ino)
		err = UPDATE(skel->maps.own_files, &t->launcher, &one);
	return err;
}

/* The policy tables are read-only from here on, for root too. */
static int freeze_tables(struct bpfjailer *skel)
{
	struct bpf_map *frozen[] = {
		skel->maps.roles,       skel->maps.role_names, skel->maps.path_states,
		skel->maps.path_edges,  skel->maps.port_rules, skel->maps.ip_rules,
		skel->maps.device_rules, skel->maps.exec_enroll, skel->maps.cgroup_enroll, skel->maps.own_files,
		skel->maps.xattr_enroll, skel->maps.launch_roles, skel->maps.bss,
		skel->maps.identity,    skel->maps.enrolled_files,
	};

	for (size_t i = 0; i < sizeof(frozen) / sizeof(frozen[0]); i++) {
		if (bpf_map_freeze(bpf_map__fd(frozen[i]))) {
			int err = -errno;

			return bj_err(err, "freeze map %s", bpf_map__name(frozen[i]));
		}
	}
	return 0;
}

/*
 * A map's pin name: its own; for the maps libbpf makes of global data
 * ("OBJ.rodata", ".rodata.str1.1") the section, without dots, which bpffs
 * refuses; the read-only globals are "config".
 */
static const char *pin_name(const struct bpf_map *map, char *buf, size_t size)
{
	const char *name = bpf_map__name(map), *section = strchr(name, '.');

	if (!bpf_map__is_internal(map) || !section)
		return name;
	if (!strcmp(section, ".rodata"))
		return BJ_MAP_CONFIG;
	snprintf(buf, size, "%s", section + 1);
	for (char *p = buf; *p; p++)
		if (*p == '.')
			*p = '_';
	return buf;
}

static int add_own(struct bpfjailer *skel, __u32 kind, int fd, __u8 own)
{
	union {
		struct bpf_prog_info prog;
		struct bpf_map_info map;
		struct bpf_link_info link;
	} info;
	__u32 len = sizeof(info);
	struct bj_own_key key = { .kind = kind };

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return bj_err(-errno, "read object info");
	key.id = kind == BJ_OWN_PROG ? info.prog.id : kind == BJ_OWN_MAP ? info.map.id : info.link.id;
	return UPDATE(skel->maps.own_objects, &key, &own);
}

/* Record our programs and maps (before attach) so jailed tasks cannot reach them. */
static int own_progs_and_maps(struct bpfjailer *skel)
{
	char buf[BPF_OBJ_NAME_LEN];
	struct bpf_program *prog;
	struct bpf_map *map;
	int err = 0;

	bpf_object__for_each_program(prog, skel->obj)
		if (!err && bpf_program__autoload(prog))
			err = add_own(skel, BJ_OWN_PROG, bpf_program__fd(prog), BJ_OWN);
	bpf_object__for_each_map(map, skel->obj)
		if (!err)
			err = add_own(skel, BJ_OWN_MAP, bpf_map__fd(map),
				      BJ_OWN | (seal_forwarder_map(bpf_map__name(map)) ? BJ_OWN_FORWARDER : 0) |
					      (seal_status_map(pin_name(map, buf, sizeof(buf))) ? BJ_OWN_STATUS : 0));
	return err;
}

/* Programs in object order, each with the link that attaches it. */
struct attached {
	struct bpf_program *prog;
	struct bpf_link *link;
};

static int attach_all(struct bpfjailer *skel, struct attached *att, size_t *n)
{
	struct bpf_program *prog;

	*n = 0;
	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_link *link;

		if (!bpf_program__autoload(prog))
			continue;
		if (*n == BJ_MAX_PROGS)
			return bj_fail(-E2BIG, "attach: more than %d programs", BJ_MAX_PROGS);
		link = bpf_program__attach(prog);
		if (!link) {
			int err = -errno;

			return bj_err(err, "attach %s", bpf_program__name(prog));
		}
		att[(*n)++] = (struct attached){ .prog = prog, .link = link };
	}
	return 0;
}

static void detach_all(struct attached *att, size_t n)
{
	for (size_t i = 0; i < n; i++)
		bpf_link__destroy(att[i].link);
}

static int own_links(struct bpfjailer *skel, const struct attached *att, size_t n)
{
	int err = 0;

	for (size_t i = 0; !err && i < n; i++)
		err = add_own(skel, BJ_OWN_LINK, bpf_link__fd(att[i].link), BJ_OWN);
	if (!err && bpf_map_freeze(bpf_map__fd(skel->maps.own_objects)))
		err = bj_err(-errno, "freeze map own_objects");
	return err;
}

static int pin_one(int fd, const char *root, const char *dir, const char *name)
{
	char path[PATH_MAX];

	if (bj_pin_path(path, sizeof(path), root, dir, name))
		return bj_fail(-ENAMETOOLONG, "pin %s/%s/%s: path too long", root, dir, name);
	return bpf_obj_pin(fd, path) ? bj_err(-errno, "pin %s", path) : 0;
}

static int pin_all(struct bpfjailer *skel, const struct attached *att, size_t n, const char *root)
{
	static const char *const dirs[] = { BJ_PINS_PROGS, BJ_PINS_MAPS, BJ_PINS_LINKS };
	struct bpf_map *map;
	int err = 0;

	if (mkdir(root, 0700))
		return bj_err(-errno, "mkdir %s", root);
	for (size_t i = 0; !err && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[PATH_MAX];

		err = bj_pin_path(path, sizeof(path), root, dirs[i], NULL);
		if (!err && mkdir(path, 0700))
			err = -errno;
		if (err)
			bj_err(err, "mkdir %s/%s", root, dirs[i]);
	}
	bpf_object__for_each_map(map, skel->obj) {
		char buf[BPF_OBJ_NAME_LEN];

		if (!err)
			err = pin_one(bpf_map__fd(map), root, BJ_PINS_MAPS, pin_name(map, buf, sizeof(buf)));
	}
	for (size_t i = 0; !err && i < n; i++) {
		const char *name = bpf_program__name(att[i].prog);

		err = pin_one(bpf_program__fd(att[i].prog), root, BJ_PINS_PROGS, name);
		if (!err)
			err = pin_one(bpf_link__fd(att[i].link), root, BJ_PINS_LINKS, name);
	}
	return err;
}

/* Re-open every pinned link: each must be attached to the program we loaded. */
static int verify_pins(const struct attached *att, size_t n, const char *root)
{
	for (size_t i = 0; i < n; i++) {
		struct bpf_link_info info = { 0 };
		struct bpf_prog_info pinfo = { 0 };
		__u32 len = sizeof(info), plen = sizeof(pinfo);
		const char *name = bpf_program__name(att[i].prog);
		char path[PATH_MAX];
		int fd, err;

		if (bj_pin_path(path, sizeof(path), root, BJ_PINS_LINKS, name))
			return -ENAMETOOLONG;
		fd = bpf_obj_get(path);
		if (fd < 0)
			return bj_err(-errno, "verify %s", path);
		err = bpf_obj_get_info_by_fd(fd, &info, &len);
		close(fd);
		if (!err)
			err = bpf_obj_get_info_by_fd(bpf_program__fd(att[i].prog), &pinfo, &plen);
		if (err || info.prog_id != pinfo.id)
			return bj_fail(-EIO, "verify %s: the pinned link is not attached to %s", path, name);
	}
	return 0;
}

static void set_config(struct bpfjailer *skel, const struct bj_policy *policy, const struct bj_tables *t)
{
	skel->rodata->hash_k0 = t->hash_key[0];
	skel->rodata->hash_k1 = t->hash_key[1];
	skel->rodata->cgroup_start = t->cgroup_start;
	skel->rodata->sockets_start = t->sockets_start;
	skel->rodata->n_roles = (__u32)t->n_roles - 1;
	skel->rodata->n_cgroups = (__u32)t->n_cgroups;
	skel->rodata->sealed = policy->seal;
	skel->rodata->xattr_enrolls = t->n_xattrs > 0;
	skel->rodata->signing = needed_signing(t);
	skel->rodata->signing_system = policy->signing_keyrings;
	skel->rodata->launcher_dev = (__u32)t->launcher.dev;
	skel->rodata->launcher_ino = t->launcher.ino;
}

/* -v: each program that does not load, and why: the policy does not need it, or the kernel lacks its hook. */
static void note_left_out(struct bpfjailer *skel, const struct bj_policy *policy, const struct bj_tables *t)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj) {
		const char *name = bpf_program__name(prog);
		ssize_t i = needed_find(name);
		char why[256];

		if (bpf_program__autoload(prog))
			continue;
		if (i >= 0 && !needed_by((size_t)i, policy, t, why, sizeof(why)))
			bj_note("left out %s: not needed: %s", name, why);
		else
			bj_note("left out %s: this kernel has its hook in another form, or not at all", name);
	}
}

int instance_load(const char *pin_root, const struct policy_source *src, const struct bj_policy *policy,
		  const struct bj_tables *t)
{
	struct attached att[BJ_MAX_PROGS];
	char staging[PATH_MAX];
	struct bpfjailer *skel;
	const char *pinned = NULL; /* where pins are, to remove them on failure */
	struct pin_inodes pi;
	bool kept_keyring = false;
	size_t n_att = 0;
	dev_t pin_dev;
	int present, ret, err;

	present = pins_instance_present(pin_root);
	if (present < 0)
		return BJ_EXIT_LOAD_FAILED;
	if (present)
		return bj_fail(BJ_EXIT_LOADED, "an instance is already loaded at %s: reboot to change the policy",
			       pin_root);
	if (snprintf(staging, sizeof(staging), "%s-loading-%d", pin_root, (int)getpid()) >=
	    (int)sizeof(staging))
		return bj_fail(BJ_EXIT_USAGE, "pin root %s: path too long", pin_root);
	if (pins_prepare_root(pin_root, &pin_dev))
		return BJ_EXIT_LOAD_FAILED;

	skel = bpfjailer__open();
	if (!skel) {
		bj_err(-errno, "open the BPF object");
		return BJ_EXIT_LOAD_FAILED;
	}
	needed_choose(skel->obj, policy, t);
	ret = check_hooks(skel);
	if (ret)
		goto out;
	if (verbose)
		note_left_out(skel, policy, t);
	set_config(skel, policy, t);
	/* Keys only for a role that checks signatures. */
	ret = needed_signing(t) ? keyring_make(policy, pin_root, (int32_t *)&skel->rodata->signing_keyring) : 0;
	if (ret)
		goto out;
	ret = BJ_EXIT_LOAD_FAILED;
	skel->rodata->pin_dev = (__u32)kernel_dev(pin_dev);
	if ((policy->seal && seal_configure(skel, t)) || size_maps(skel, src, policy, t) || unmappable_bss(skel))
		goto out;
	err = bpfjailer__load(skel);
	if (err) {
		bj_fail(err, "load the BPF programs: %s (run with -v for the verifier's log)", strerror(-err));
		goto out;
	}
	if (fill_maps(skel, policy, t) || own_files(skel, src, t) || identity_record(skel, src, policy) ||
	    freeze_tables(skel) || own_progs_and_maps(skel))
		goto out;
	if (attach_all(skel, att, &n_att) || own_links(skel, att, n_att))
		goto out;
	pin_inodes_init(&pi, skel);
	pinned = staging;
	if (pin_all(skel, att, n_att, staging) || verify_pins(att, n_att, staging) ||
	    pin_inodes_add_pins(&pi, staging))
		goto out;
	if (rename(staging, pin_root)) {
		bj_err(-errno, "move %s to %s", staging, pin_root);
		goto out;
	}
	pinned = pin_root;
	if (pin_inodes_finish(&pi, pin_root))
		goto out;
	pinned = NULL;
	ret = BJ_EXIT_OK;
	kept_keyring = true;
	if (verbose)
		bj_note("%zu programs attached, pinned at %s; policy %s and %zu fragments", n_att, pin_root,
			src->origin, policy_source_n_read(src));
out:
	if (pinned) {
		pin_inodes_forget(&pi);
		pins_remove(pinned);
	}
	if (!kept_keyring)
		keyring_drop(pin_root);
	/* Closing our fds leaves the pinned links attached; unpinned ones detach here. */
	detach_all(att, n_att);
	bpfjailer__destroy(skel);
	return ret;
}
