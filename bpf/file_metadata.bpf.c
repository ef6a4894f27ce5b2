// SPDX-License-Identifier: GPL-2.0
/*
 * File metadata: extended attributes and timestamps. Their hooks get a
 * dentry but no mount, so the path a rule sees is not known. The file is
 * decided on every mount of its file system that the task's mount
 * namespace holds and under which it lies: each path the task could name
 * it by must grant the right.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "audit.bpf.h"
#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
#include "kernel_fs.bpf.h"
#include "path.bpf.h"

/*
 * The mounts of a super block are a list_head through mount.mnt_instance
 * up to 6.14, a chain through mount.mnt_next_for_sb after.
 */
struct super_block___list {
	struct list_head s_mounts;
} __attribute__((preserve_access_index));

struct mount___list {
	struct list_head mnt_instance;
} __attribute__((preserve_access_index));

/*
 * More mounts of one file system than this, in all mount namespaces
 * together (each service with PrivateTmp= has its own copy of the root),
 * and the change is refused. A mount of another namespace costs one read.
 */
#define MOUNT_SCAN_MAX 4096

struct mount_scan {
	struct jail_task *jt;
	const struct bj_role_entry *role;
	struct dentry *d;
	struct mnt_namespace *ns;
	void *pos;               /* list: a struct list_head *; chain: a struct mount * */
	void *head;              /* list: the super block's list head */
	struct vfsmount *seen_mnt; /* the last mount the file was found under, for the record */
	__u32 granted;
	__u32 seen;
	bool done;
};

/* One mount of the file system: if the task's namespace has it and the file is below it, count it. */
static __always_inline void scan_mount(struct mount_scan *s, struct mount *m)
{
	struct path_info info;
	struct vfsmount *mnt;
	__u32 rights;

	if (BPF_CORE_READ(m, mnt_ns) != s->ns)
		return;
	mnt = (void *)m + bpf_core_field_offset(struct mount, mnt);
	rights = path_rights_read(s->jt, s->role, s->d, mnt, &info);
	if (s->jt->kind == BJ_PATH_DETACHED)
		return; /* not below this mount's root, or outside the task's root */
	s->granted &= rights;
	s->seen++;
	s->seen_mnt = mnt;
}

/*
 * One step each for the two forms of the list. They are separate
 * callbacks so that the form this kernel lacks is never verified: its
 * CO-RE relocations cannot be resolved here.
 */
static long scan_list_step(__u32 i, void *data)
{
	struct mount_scan *s = data;
	struct list_head *node = s->pos;

	if (s->pos == s->head) {
		s->done = true;
		return 1;
	}
	s->pos = BPF_CORE_READ(node, next);
	scan_mount(s, (void *)node - bpf_core_field_offset(struct mount___list, mnt_instance));
	return 0;
}

static long scan_chain_step(__u32 i, void *data)
{
	struct mount_scan *s = data;
	struct mount *m = s->pos;

	if (!m) {
		s->done = true;
		return 1;
	}
	s->pos = BPF_CORE_READ(m, mnt_next_for_sb);
	scan_mount(s, m);
	return 0;
}

/* Rights on d by every path the task can reach it by; the mount used for a record in *mnt. */
static __always_inline __u32 dentry_rights(struct jail_task *jt, const struct bj_role_entry *role,
					   struct dentry *d, struct vfsmount **mnt)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct super_block *sb = BPF_CORE_READ(d, d_sb);
	struct mount_scan s = {
		.jt = jt,
		.role = role,
		.d = d,
		.ns = BPF_CORE_READ(task, nsproxy, mnt_ns),
		.granted = ~0u,
	};

	*mnt = BPF_CORE_READ(task, fs, root.mnt);
	if (!role->path_start) {
		struct path_info info;

		/* Flags alone decide, wherever the file is mounted. */
		return path_rights_read(jt, role, d, *mnt, &info);
	}
	if (bpf_core_field_exists(struct super_block___list, s_mounts)) {
		struct super_block___list *old = (void *)sb;

		s.head = (void *)sb + bpf_core_field_offset(struct super_block___list, s_mounts);
		s.pos = BPF_CORE_READ(old, s_mounts.next);
		bpf_loop(MOUNT_SCAN_MAX + 1, scan_list_step, &s, 0);
	} else {
		s.pos = BPF_CORE_READ(sb, s_mounts);
		bpf_loop(MOUNT_SCAN_MAX + 1, scan_chain_step, &s, 0);
	}
	if (s.seen_mnt)
		*mnt = s.seen_mnt;
	jt->kind = PATH_NOT_WALKED; /* the record walks again, under *mnt */
	return s.done && s.seen ? s.granted : 0;
}

/* Is the attribute one of bpfjailer's own (user.bpfjailer.*, the enrollment xattrs)? */
static __always_inline bool bpfjailer_xattr(const char *name)
{
	static const char prefix[] = "user.bpfjailer.";
	char buf[sizeof(prefix)] = {};

	if (bpf_probe_read_kernel_str(buf, sizeof(buf), name) < (long)sizeof(prefix))
		return false;
#pragma unroll
	for (__u32 i = 0; i < sizeof(prefix) - 1; i++)
		if (buf[i] != prefix[i])
			return false;
	return true;
}

/* Refuse what no role and no mode allows: counted and recorded always, in complain mode too. */
static __always_inline int refuse_always(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
					 __u16 hook)
{
	struct bj_audit_record *rec;

	count_decision(hook, BJ_DENY);
	rec = audit_begin(&jt->jail, role, hook, BJ_DENY, BJ_RIGHT_WRITE);
	if (rec)
		audit_send(ctx, rec);
	return -EPERM;
}

/*
 * Extended attributes: bpfjailer's own (the enrollment xattrs) are never
 * set or removed by a jailed task, in complain mode too; any other needs
 * the write right on the file, as chmod and chown do, wherever it is
 * mounted (a POSIX ACL is a chmod by another name).
 */
static __always_inline int xattr_check(void *ctx, struct dentry *d, const char *name)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct vfsmount *mnt;
	__u32 granted;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (bpfjailer_xattr(name))
		return refuse_always(ctx, jt, role, BJ_HOOK_XATTR);
	if (!kernel_fs_allows(role, BPF_CORE_READ(d, d_inode), false))
		return file_refuse(ctx, jt, role, BJ_HOOK_XATTR, d, bpf_get_current_task_btf()->fs->root.mnt,
				   BJ_RIGHT_WRITE);
	granted = dentry_rights(jt, role, d, &mnt);
	return file_verdict(ctx, jt, role, BJ_HOOK_XATTR, d, mnt, BJ_RIGHT_WRITE, granted & BJ_RIGHT_WRITE);
}

/* The first argument is the mount's idmap (user namespace on 6.1): unused. */
SEC("lsm/inode_setxattr")
int BPF_PROG(bj_inode_setxattr, void *idmap, struct dentry *dentry, const char *name, const void *value,
	     size_t size, int flags)
{
	return xattr_check(ctx, dentry, name);
}

SEC("lsm/inode_removexattr")
int BPF_PROG(bj_inode_removexattr, void *idmap, struct dentry *dentry, const char *name)
{
	return xattr_check(ctx, dentry, name);
}

/* POSIX ACLs left the xattr hooks for hooks of their own in 6.2: loaded where they exist. */
SEC("lsm/inode_set_acl")
int BPF_PROG(bj_inode_set_acl, void *idmap, struct dentry *dentry, const char *acl_name, struct posix_acl *kacl)
{
	return xattr_check(ctx, dentry, acl_name);
}

SEC("lsm/inode_remove_acl")
int BPF_PROG(bj_inode_remove_acl, void *idmap, struct dentry *dentry, const char *acl_name)
{
	return xattr_check(ctx, dentry, acl_name);
}

/*
 * Timestamps (utimensat, touch): a change of the file like a write. Mode,
 * owner and size changes have their path hooks (chmod, chown, truncate).
 */
static __always_inline int setattr_check(void *ctx, struct dentry *d, struct iattr *attr)
{
	struct jail_task *jt;
	const struct bj_role_entry *role;
	struct vfsmount *mnt;
	__u32 granted;

	if (!(attr->ia_valid & (ATTR_ATIME_SET | ATTR_MTIME_SET | ATTR_TOUCH)))
		return 0;
	jt = current_jail();
	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (!kernel_fs_allows(role, BPF_CORE_READ(d, d_inode), false))
		return file_refuse(ctx, jt, role, BJ_HOOK_SETATTR, d, bpf_get_current_task_btf()->fs->root.mnt,
				   BJ_RIGHT_WRITE);
	granted = dentry_rights(jt, role, d, &mnt);
	return file_verdict(ctx, jt, role, BJ_HOOK_SETATTR, d, mnt, BJ_RIGHT_WRITE, granted & BJ_RIGHT_WRITE);
}

/* inode_setattr gained the idmap in 6.10: the bootstrap loads the one this kernel has. */
SEC("lsm/inode_setattr")
int BPF_PROG(bj_setattr, struct dentry *dentry, struct iattr *attr)
{
	return setattr_check(ctx, dentry, attr);
}

SEC("lsm/inode_setattr")
int BPF_PROG(bj_setattr_idmap, void *idmap, struct dentry *dentry, struct iattr *attr)
{
	return setattr_check(ctx, dentry, attr);
}

