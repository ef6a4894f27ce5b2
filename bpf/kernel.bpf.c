// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel itself: its log, performance counters, keys, modules and
 * firmware, BPF, and the mount table. A jailed task uses none of them
 * unless its role says so; bpfjailer's own BPF objects and the mount that
 * holds its pins stay out of everyone's reach once sealed.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"
#include "seal.bpf.h"

static __always_inline bool has_cap(const struct bj_role_entry *role, int cap)
{
	return role->caps & (1ull << cap);
}

/* The kernel log (syslog(2), /dev/kmsg): only with CAP_SYSLOG, whatever dmesg_restrict says. */
SEC("lsm/syslog")
int BPF_PROG(bj_syslog, int type)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	return plain_check(ctx, jt, role, BJ_HOOK_SYSLOG, has_cap(role, CAP_SYSLOG), -EPERM, BJ_OBJ_VALUE, type);
}

/*
 * perf_event_open(): a task may watch itself (and its jail: the kernel
 * asks ptrace_may_access for other targets); CPU-wide, kernel and
 * tracepoint events need CAP_PERFMON, whatever perf_event_paranoid says.
 */
SEC("lsm/perf_event_open")
int BPF_PROG(bj_perf_event_open, struct perf_event_attr *attr, int type)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (type == PERF_SECURITY_OPEN || has_cap(role, CAP_PERFMON))
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_PERF, false, -EPERM, BJ_OBJ_VALUE, type);
}

/*
 * Keys: request_key() has the kernel run /sbin/request-key as root,
 * outside the jail, on the caller's description. A jailed task makes no
 * key or keyring.
 */
SEC("lsm/key_alloc")
int BPF_PROG(bj_key_alloc, struct key *key, const struct cred *cred, unsigned long flags)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	return plain_check(ctx, jt, role, BJ_HOOK_TASK, false, -EPERM, BJ_OBJ_NONE, 0);
}

/* ---- Modules and firmware ---- */

SEC("lsm/kernel_module_request")
int BPF_PROG(bj_module_request, char *kmod_name)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	return plain_check(ctx, jt, role, BJ_HOOK_MODULE, role->flags & BJ_FLAG_MODULE_LOAD, -EPERM,
			   BJ_OBJ_NONE, 0);
}

/*
 * Modules need allow_module_load; firmware is fine; a new kernel or policy
 * never is. Both hooks below ask this, each with its own enum.
 */
static __always_inline int kernel_load_check(void *ctx, __u16 hook, bool firmware, bool module, int id)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (firmware)
		return 0;
	return plain_check(ctx, jt, role, hook, module && (role->flags & BJ_FLAG_MODULE_LOAD), -EPERM,
			   BJ_OBJ_VALUE, id);
}

SEC("lsm/kernel_load_data")
int BPF_PROG(bj_load_data, enum kernel_load_data_id id, bool contents)
{
	return kernel_load_check(ctx, BJ_HOOK_MODULE,
				 id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_FIRMWARE),
				 id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_MODULE), id);
}

SEC("lsm/kernel_read_file")
int BPF_PROG(bj_read_file, struct file *file, enum kernel_read_file_id id, bool contents)
{
	return kernel_load_check(ctx, BJ_HOOK_KERNEL_READ,
				 id == bpf_core_enum_value(enum kernel_read_file_id, READING_FIRMWARE),
				 id == bpf_core_enum_value(enum kernel_read_file_id, READING_MODULE), id);
}

/* ---- BPF ---- */

/* BJ_OWN and BJ_OWN_FORWARDER if the object is bpfjailer's, else 0. */
static __always_inline __u8 own_object(__u32 kind, __u32 id)
{
	struct bj_own_key key = { .kind = kind, .id = id };
	__u8 *own = bpf_map_lookup_elem(&own_objects, &key);

	return own ? *own : 0;
}

/*
 * Sealed, bpf(): bpfjailer's objects cannot be reached by id (ENOENT:
 * listings such as bpftool's skip them and go on), and no fmod_ret program
 * may be loaded, since one on a security_*() function could override every
 * LSM's answer. (attr is a union: its members are read as memory, not
 * through the type the verifier would pick.)
 */
static __always_inline int seal_bpf_cmd(int cmd, union bpf_attr *attr)
{
	switch (cmd) {
	case BPF_MAP_GET_FD_BY_ID:
		return own_object(BJ_OWN_MAP, BPF_CORE_READ(attr, map_id)) ? -ENOENT : 0;
	case BPF_PROG_GET_FD_BY_ID:
		return own_object(BJ_OWN_PROG, BPF_CORE_READ(attr, prog_id)) ? -ENOENT : 0;
	case BPF_LINK_GET_FD_BY_ID:
		return own_object(BJ_OWN_LINK, BPF_CORE_READ(attr, link_id)) ? -ENOENT : 0;
	case BPF_PROG_LOAD:
		if (BPF_CORE_READ(attr, prog_type) == BPF_PROG_TYPE_TRACING &&
		    BPF_CORE_READ(attr, expected_attach_type) == BPF_MODIFY_RETURN)
			return -EPERM;
		return 0;
	default:
		return 0;
	}
}

/*
 * bpf() needs allow_bpf_load; even then, bpfjailer's own objects stay out
 * of reach: no fd by id, and no BPF_OBJ_GET at all (the pinned path cannot
 * be told apart from here). Sealed, the seal applies to everyone first.
 */
SEC("lsm/bpf")
int BPF_PROG(bj_bpf, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct jail_task *jt;
	const struct bj_role_entry *role;
	bool allowed = true;

	if (sealed) {
		int err = seal_bpf_cmd(cmd, attr);

		if (err == -ENOENT)
			return err; /* hidden, not refused: listings are no attack */
		if (err)
			return seal_refuse(ctx, BJ_HOOK_BPF, BJ_OBJ_VALUE, cmd);
	}
	jt = current_jail();
	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (!(role->flags & BJ_FLAG_BPF_LOAD))
		allowed = false;
	else if (cmd == BPF_OBJ_GET)
		allowed = false;
	else if (cmd == BPF_MAP_GET_FD_BY_ID)
		allowed = !own_object(BJ_OWN_MAP, BPF_CORE_READ(attr, map_id));
	else if (cmd == BPF_PROG_GET_FD_BY_ID)
		allowed = !own_object(BJ_OWN_PROG, BPF_CORE_READ(attr, prog_id));
	else if (cmd == BPF_LINK_GET_FD_BY_ID)
		allowed = !own_object(BJ_OWN_LINK, BPF_CORE_READ(attr, link_id));
	if (allowed)
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_BPF, false, -EPERM, BJ_OBJ_VALUE, cmd);
}

/*
 * A new fd to a map: sealed, bpfjailer's maps reach only the forwarder, and
 * only its own; and those --status reads reach anyone, read-only (an fd
 * without FMODE_WRITE can neither update, delete nor freeze, and the
 * writable mappings a map allows need one).
 */
SEC("lsm/bpf_map")
int BPF_PROG(bj_bpf_map, struct bpf_map *map, fmode_t fmode)
{
	struct jail_task *jt;
	const struct bj_role_entry *role;
	__u32 id = map->id;

	if (sealed) {
		__u8 own = own_object(BJ_OWN_MAP, id);

		bool reader = (own & BJ_OWN_STATUS) && !(fmode & FMODE_WRITE);

		if (own && !reader && !((own & BJ_OWN_FORWARDER) && runs_forwarder(bpf_get_current_task_btf())))
			return seal_refuse(ctx, BJ_HOOK_BPF, BJ_OBJ_VALUE, id);
	}
	jt = current_jail();
	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (!own_object(BJ_OWN_MAP, id))
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_BPF, false, -EPERM, BJ_OBJ_VALUE, id);
}

SEC("lsm/bpf_prog")
int BPF_PROG(bj_bpf_prog, struct bpf_prog *prog)
{
	struct jail_task *jt;
	const struct bj_role_entry *role;
	__u32 id = prog->aux->id;

	if (sealed && own_object(BJ_OWN_PROG, id))
		return seal_refuse(ctx, BJ_HOOK_BPF, BJ_OBJ_VALUE, id);
	jt = current_jail();
	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (!own_object(BJ_OWN_PROG, id))
		return 0;
	return plain_check(ctx, jt, role, BJ_HOOK_BPF, false, -EPERM, BJ_OBJ_VALUE, id);
}

/* ---- Mounts, roots, user namespaces ---- */

/*
 * Mounts, root changes and new user namespaces would let a jailed task
 * change how paths look to it, and with that what its path rules protect.
 */
static __always_inline int deny_jailed(void *ctx, __u16 hook)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	return plain_check(ctx, jt, role, hook, false, -EPERM, BJ_OBJ_NONE, 0);
}

SEC("lsm/sb_pivotroot")
int BPF_PROG(bj_sb_pivotroot, const struct path *old_path, const struct path *new_path)
{
	return deny_jailed(ctx, BJ_HOOK_PIVOT_ROOT);
}

SEC("lsm/path_chroot")
int BPF_PROG(bj_path_chroot, const struct path *path)
{
	return deny_jailed(ctx, BJ_HOOK_CHROOT);
}

SEC("lsm/userns_create")
int BPF_PROG(bj_userns_create, const struct cred *cred)
{
	return deny_jailed(ctx, BJ_HOOK_USERNS);
}

/* Sealed: nothing is mounted onto the pins' bpffs, which could hide them. */
static __always_inline int mount_check(void *ctx, const struct path *target)
{
	if (sealed && target->dentry->d_sb->s_dev == pin_dev)
		return seal_refuse(ctx, BJ_HOOK_MOUNT, BJ_OBJ_NONE, 0);
	return deny_jailed(ctx, BJ_HOOK_MOUNT);
}

SEC("lsm/sb_mount")
int BPF_PROG(bj_sb_mount, const char *dev_name, const struct path *path, const char *type,
	     unsigned long flags, void *data)
{
	return mount_check(ctx, path);
}

SEC("lsm/move_mount")
int BPF_PROG(bj_move_mount, const struct path *from_path, const struct path *to_path)
{
	return mount_check(ctx, to_path);
}

/* Do m's mounts and unmounts propagate to peers? Where the kernel keeps it, chosen at load. */
static __always_inline bool mount_shared(struct mount *m)
{
	struct mount___t_flags *t = (void *)m;

	if (bpf_core_field_exists(t->mnt_t_flags))
		return BPF_CORE_READ(t, mnt_t_flags) & MNT_T_SHARED;
	return BPF_CORE_READ(m, mnt.mnt_flags) & MNT_SHARED;
}

/*
 * Would unmounting this mount drop the sealed bpffs from the seal's mount
 * namespace? It does if the mount is in that namespace, or if its parent
 * is shared, so that the unmount propagates to peers that may be there.
 */
static __always_inline bool holds_seal(struct mount *m)
{
	if (BPF_CORE_READ(m, mnt.mnt_sb, s_dev) != pin_dev)
		return false;
	return BPF_CORE_READ(m, mnt_ns, ns.inum) == seal_mnt_ns || mount_shared(BPF_CORE_READ(m, mnt_parent));
}

/* The address of m's list of children, and the mount around one of its entries. */
static __always_inline unsigned long children_of(struct mount *m)
{
	return (unsigned long)m + bpf_core_field_offset(struct mount, mnt_mounts);
}

static __always_inline struct mount *child_mount(unsigned long node)
{
	return (struct mount *)(node - bpf_core_field_offset(struct mount, mnt_child));
}

/*
 * A lazy unmount takes the whole tree below the mount with it. The tree is
 * walked depth first without a stack, one step per iteration: down to the
 * first child, else across to the next sibling, else up.
 */
struct tree_walk {
	struct mount *root;
	struct mount *cur;
	bool climbing;
	bool done; /* the walk reached its end before the iteration budget */
	bool found;
};

static long tree_step(__u32 i, void *data)
{
	struct tree_walk *w = data;
	struct mount *cur = w->cur, *parent;
	unsigned long next;

	if (!w->climbing) {
		if (holds_seal(cur)) {
			w->found = true;
			return 1;
		}
		next = (unsigned long)BPF_CORE_READ(cur, mnt_mounts.next);
		if (next != children_of(cur)) {
			w->cur = child_mount(next);
			return 0;
		}
		w->climbing = true;
	}
	if (cur == w->root) {
		w->done = true;
		return 1;
	}
	parent = BPF_CORE_READ(cur, mnt_parent);
	next = (unsigned long)BPF_CORE_READ(cur, mnt_child.next);
	if (next != children_of(parent)) {
		w->cur = child_mount(next);
		w->climbing = false;
	} else {
		w->cur = parent;
	}
	return 0;
}

#define TREE_WALK_STEPS (1 << 16)

static __always_inline bool seal_umount_allows(struct vfsmount *vfsmnt, int flags)
{
	struct tree_walk w = { .root = real_mount(vfsmnt), .cur = real_mount(vfsmnt) };

	if (!(flags & MNT_DETACH)) /* a mount with submounts is busy: only itself can go */
		return !holds_seal(w.root);
	bpf_loop(TREE_WALK_STEPS, tree_step, &w, 0);
	return w.done && !w.found; /* a tree too large to walk stays, to be safe */
}

/* Sealed: the bpffs that holds the pins stays mounted. */
SEC("lsm/sb_umount")
int BPF_PROG(bj_sb_umount, struct vfsmount *mnt, int flags)
{
	if (sealed && !seal_umount_allows(mnt, flags))
		return seal_refuse(ctx, BJ_HOOK_UMOUNT, BJ_OBJ_NONE, 0);
	return deny_jailed(ctx, BJ_HOOK_UMOUNT);
}
