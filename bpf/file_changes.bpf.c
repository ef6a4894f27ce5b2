// SPDX-License-Identifier: GPL-2.0
/*
 * Changes to the file system: names made, removed, linked and moved,
 * modes, owners and sizes, POSIX message queues. bpfjailer's pins, its
 * policy and bootstrap, and the enrolled executables first (never), then
 * the file system they are on (kernel-control ones are read-only), then
 * the role's rules.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "audit.bpf.h"
#include "files.bpf.h"
#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
#include "kernel_fs.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"
#include "pins.bpf.h"

/* ---- What the jail stands on ---- */

/* Does a change to entry d of directory dir touch the pins? */
static __always_inline bool touches_pins(struct dentry *dir, struct dentry *d)
{
	return pin_kind(BPF_CORE_READ(dir, d_inode)) || pin_kind(BPF_CORE_READ(d, d_inode));
}

/*
 * Is dir one of bpfjailer's own (a policy fragment directory, or
 * /etc/bpfjailer)? A name made, removed or moved there would be read at
 * the next boot.
 */
static __always_inline bool own_dir(struct dentry *dir)
{
	return own_file(BPF_CORE_READ(dir, d_inode));
}

/*
 * Is this an enrolled executable? Enrollment is by inode: a jailed task
 * that could unlink or rename one away and put another file at its path
 * would have the next start of the service run unjailed.
 */
static __always_inline bool enrolled_executable(struct inode *inode)
{
	struct bj_inode_key key;

	if (!inode)
		return false;
	key = inode_key(inode);
	return bpf_map_lookup_elem(&exec_enroll, &key);
}

/* ---- Names, modes, owners, sizes ---- */

/*
 * A change to entry `dentry` of directory `dir` (or with dir NULL, to the
 * file itself): the pins and an enrolled executable's name first (never),
 * then the file system it is on (kernel-control file systems are
 * read-only), then the role's rules. The entry's inode is read as a
 * number: a new name has none yet.
 */
static __always_inline int change_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
					__u16 hook, struct dentry *dir, struct dentry *dentry, struct vfsmount *mnt)
{
	struct inode *inode = BPF_CORE_READ(dentry, d_inode);
	bool pins = dir ? touches_pins(dir, dentry) : pin_kind(inode);

	if (pins || own_file(inode) || (dir && own_dir(dir)) || (hook == BJ_HOOK_UNLINK && enrolled_executable(inode)))
		return refuse_pin_change(ctx, jt, role, hook, dentry, mnt);
	if (!kernel_fs_allows(role, BPF_CORE_READ(dir ? dir : dentry, d_inode), false))
		return file_refuse(ctx, jt, role, hook, dentry, mnt, BJ_RIGHT_WRITE);
	return file_check(ctx, jt, role, hook, dentry, mnt, BJ_RIGHT_WRITE, 0);
}

/* An entry made or removed in directory dir. */
static __always_inline int dir_change(void *ctx, __u16 hook, const struct path *dir, struct dentry *dentry)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	return change_check(ctx, jt, role, hook, dir->dentry, dentry, dir->mnt);
}

SEC("lsm/path_unlink")
int BPF_PROG(bj_path_unlink, const struct path *dir, struct dentry *dentry)
{
	return dir_change(ctx, BJ_HOOK_UNLINK, dir, dentry);
}

SEC("lsm/path_rmdir")
int BPF_PROG(bj_path_rmdir, const struct path *dir, struct dentry *dentry)
{
	return dir_change(ctx, BJ_HOOK_RMDIR, dir, dentry);
}

SEC("lsm/path_mkdir")
int BPF_PROG(bj_path_mkdir, const struct path *dir, struct dentry *dentry, umode_t mode)
{
	return dir_change(ctx, BJ_HOOK_MKDIR, dir, dentry);
}

SEC("lsm/path_symlink")
int BPF_PROG(bj_path_symlink, const struct path *dir, struct dentry *dentry, const char *old_name)
{
	return dir_change(ctx, BJ_HOOK_SYMLINK, dir, dentry);
}

/* A device node is a new name for a device: never made by a jailed task. */
SEC("lsm/path_mknod")
int BPF_PROG(bj_path_mknod, const struct path *dir, struct dentry *dentry, umode_t mode, unsigned int dev)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (device_type(mode))
		return file_refuse(ctx, jt, role, BJ_HOOK_MKNOD, dentry, dir->mnt, BJ_RIGHT_WRITE);
	return change_check(ctx, jt, role, BJ_HOOK_MKNOD, dir->dentry, dentry, dir->mnt);
}

/* A change of the file at path itself. */
static __always_inline int file_change(void *ctx, __u16 hook, const struct path *path)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	return change_check(ctx, jt, role, hook, NULL, path->dentry, path->mnt);
}

SEC("lsm/path_truncate")
int BPF_PROG(bj_path_truncate, const struct path *path)
{
	return file_change(ctx, BJ_HOOK_TRUNCATE, path);
}

SEC("lsm/path_chmod")
int BPF_PROG(bj_path_chmod, const struct path *path, umode_t mode)
{
	return file_change(ctx, BJ_HOOK_CHMOD, path);
}

/* uid and gid are not needed */
SEC("lsm/path_chown")
int BPF_PROG(bj_path_chown, const struct path *path)
{
	return file_change(ctx, BJ_HOOK_CHOWN, path);
}

static __always_inline bool is_dir(struct dentry *d)
{
	return (BPF_CORE_READ(d, d_inode, i_mode) & S_IFMT) == S_IFDIR;
}

/*
 * A new name for a file must not give the role more than the old one did,
 * and both places must be writable. A directory carries its subtree along,
 * so it may move only where no rule decides anything below either place.
 */
static __always_inline int relink_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
					__u16 hook, struct dentry *old, struct vfsmount *old_mnt,
					struct dentry *new, struct vfsmount *new_mnt, bool exchange)
{
	struct path_info old_info, new_info;
	__u32 old_rights, new_rights;
	struct bj_audit_record *rec;
	bool allowed, record;
	__u8 decision;
	int ret;

	/* Two paths: walked in full, by the global function that each verifies once. */
	old_rights = path_rights_read(jt, role, old, old_mnt, &old_info);
	new_rights = path_rights_read(jt, role, new, new_mnt, &new_info);
	allowed = (old_rights & new_rights & BJ_RIGHT_WRITE) && !(new_rights & ~old_rights) &&
		  (!exchange || !(old_rights & ~new_rights));
	if ((is_dir(old) || (exchange && is_dir(new))) && !(old_info.final && new_info.final))
		allowed = false;
	ret = conclude(role, hook, allowed, -EACCES, &decision, &record);
	if (record && (rec = audit_begin(&jt->jail, role, hook, decision, BJ_RIGHT_WRITE))) {
		audit_path(rec, jt, new, new_mnt);
		audit_send(ctx, rec);
	}
	return ret;
}

SEC("lsm/path_link")
int BPF_PROG(bj_path_link, struct dentry *old_dentry, const struct path *new_dir, struct dentry *new_dentry)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct vfsmount *mnt = new_dir->mnt;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (touches_pins(new_dir->dentry, old_dentry) || own_dir(new_dir->dentry))
		return refuse_pin_change(ctx, jt, role, BJ_HOOK_LINK, new_dentry, mnt);
	if (!kernel_fs_allows(role, BPF_CORE_READ(new_dir, dentry, d_inode), false))
		return file_refuse(ctx, jt, role, BJ_HOOK_LINK, new_dentry, mnt, BJ_RIGHT_WRITE);
	return relink_check(ctx, jt, role, BJ_HOOK_LINK, old_dentry, mnt, new_dentry, mnt, false);
}

SEC("lsm/path_rename")
int BPF_PROG(bj_path_rename, const struct path *old_dir, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry, unsigned int flags)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct inode *old_inode, *new_inode;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	old_inode = BPF_CORE_READ(old_dentry, d_inode);
	new_inode = BPF_CORE_READ(new_dentry, d_inode); /* NULL unless it replaces a file */
	if (touches_pins(old_dir->dentry, old_dentry) || touches_pins(new_dir->dentry, new_dentry) ||
	    enrolled_executable(old_inode) || enrolled_executable(new_inode) || own_file(old_inode) ||
	    own_file(new_inode) || own_dir(old_dir->dentry) || own_dir(new_dir->dentry))
		return refuse_pin_change(ctx, jt, role, BJ_HOOK_RENAME, old_dentry, old_dir->mnt);
	if (!kernel_fs_allows(role, BPF_CORE_READ(new_dir, dentry, d_inode), false))
		return file_refuse(ctx, jt, role, BJ_HOOK_RENAME, new_dentry, new_dir->mnt, BJ_RIGHT_WRITE);
	return relink_check(ctx, jt, role, BJ_HOOK_RENAME, old_dentry, old_dir->mnt, new_dentry, new_dir->mnt,
			    flags & RENAME_EXCHANGE);
}

/*
 * POSIX message queues: mq_open(O_CREAT) creates the queue before its open
 * is checked, and mq_unlink() removes one without a path hook. Both reach
 * the queue through the IPC namespace's internal mount, where the rules
 * under /dev/mqueue decide.
 */
static __always_inline int mqueue_change(void *ctx, struct inode *dir, struct dentry *dentry, __u16 hook)
{
	struct jail_task *jt;
	const struct bj_role_entry *role;
	struct vfsmount *mnt;
	struct path_info info;

	if (dir->i_sb->s_magic != MQUEUE_MAGIC)
		return 0;
	jt = current_jail();
	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	mnt = bpf_get_current_task_btf()->nsproxy->ipc_ns->mq_mnt;
	return file_verdict(ctx, jt, role, hook, dentry, mnt, BJ_RIGHT_WRITE,
			    path_rights(jt, role, dentry, mnt, &info) & BJ_RIGHT_WRITE);
}

SEC("lsm/inode_create")
int BPF_PROG(bj_mqueue_create, struct inode *dir, struct dentry *dentry, umode_t mode)
{
	return mqueue_change(ctx, dir, dentry, BJ_HOOK_MKNOD);
}

SEC("lsm/inode_unlink")
int BPF_PROG(bj_mqueue_unlink, struct inode *dir, struct dentry *dentry)
{
	return mqueue_change(ctx, dir, dentry, BJ_HOOK_UNLINK);
}
