// SPDX-License-Identifier: GPL-2.0
/*
 * What reads a file's xattrs: the enrollment xattrs, and the signatures
 * of signed binaries, checked as each fs-verity file a task of a signing
 * role opens (signed.bpf.h). The kernel functions they call are declared
 * here and nowhere else: the static linker of this toolchain cannot join
 * one declared in two objects, so the other objects call these global
 * functions.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
#include "signed.bpf.h"

/* Linux 6.8: a file's xattr (user.* names); may sleep. */
extern int bpf_get_file_xattr(struct file *file, const char *name__str, struct bpf_dynptr *value_p) __ksym __weak;
/* Linux 6.7: a file's fs-verity digest, as struct fsverity_digest (algorithm, size, digest). */
extern int bpf_get_fsverity_digest(struct file *file, struct bpf_dynptr *digest_p) __ksym __weak;
/* Linux 6.1: keyrings, and a PKCS#7 signature checked against one; the first and the last may sleep. */
extern struct bpf_key *bpf_lookup_user_key(__u32 serial, __u64 flags) __ksym __weak;
extern struct bpf_key *bpf_lookup_system_key(__u64 id) __ksym __weak;
extern void bpf_key_put(struct bpf_key *bkey) __ksym __weak;
extern int bpf_verify_pkcs7_signature(struct bpf_dynptr *data_p, struct bpf_dynptr *sig_p,
				      struct bpf_key *trusted_keyring) __ksym __weak;

/*
 * Read both enrollment xattrs into the calling task's jail_task; the
 * role_id's size, or -errno. Its own stack frame: the verifier keeps
 * dynptr slots reserved for good, and the rest of the exec hook must be
 * free to use that stack. The entry is looked up here, not passed: a
 * dynptr wants map memory, which a global function's argument is not.
 */
__noinline int bj_read_enroll_xattrs(struct file *file __arg_trusted)
{
	struct jail_task *jt = bpf_task_storage_get(&jails, bpf_get_current_task_btf(), 0, 0);
	struct bpf_dynptr role_dp, pod_dp;
	int n;

	if (!jt)
		return -ENOMEM;
	jt->xattr_role_id = 0;
	jt->xattr_pod_id = 0;
	bpf_dynptr_from_mem(&jt->xattr_role_id, sizeof(jt->xattr_role_id), 0, &role_dp);
	bpf_dynptr_from_mem(&jt->xattr_pod_id, sizeof(jt->xattr_pod_id), 0, &pod_dp);
	n = bpf_get_file_xattr(file, "user.bpfjailer.role_id", &role_dp);
	if (n == sizeof(jt->xattr_role_id) &&
	    bpf_get_file_xattr(file, "user.bpfjailer.pod_id", &pod_dp) != sizeof(jt->xattr_pod_id))
		jt->xattr_pod_id = 0;
	return n;
}

/* Does key trust the signature sig of data? It is put; a bad signature is noted in *why. */
static __always_inline bool trusted_by(struct bpf_key *key, struct bpf_dynptr *data, struct bpf_dynptr *sig,
				       __u32 *why)
{
	int ret = bpf_verify_pkcs7_signature(data, sig, key);

	bpf_key_put(key);
	if (ret && ret != -ENOKEY)
		*why = BJ_SIG_BAD;
	return !ret;
}

/*
 * Check the signature of file, which has fs-verity, against every key the
 * policy trusts, with b for room: 0 (BJ_SIG_TRUSTED's meaning) or an enum
 * bj_sig_refusal. Sleepable programs only. A stack frame of its own: the
 * verifier keeps dynptr slots reserved for good.
 */
static __noinline __u32 sig_verify(struct file *file, struct sig_buffer *b)
{
	struct bpf_dynptr digest, data, sig;
	__u32 why = BJ_SIG_UNTRUSTED, size;
	struct bpf_key *key;
	int n;

	bpf_dynptr_from_mem(b->digest + 8, sizeof(b->digest) - 8, 0, &digest);
	if (bpf_get_fsverity_digest(file, &digest) < 0)
		return BJ_SIG_NO_VERITY;
	/* struct fsverity_digest's size, read as fs-verity signs it: little endian */
	size = b->digest[10] | (__u32)b->digest[11] << 8;
	if (size > BJ_DIGEST_MAX)
		return BJ_SIG_BAD;
	__builtin_memcpy(b->digest, "FSVerity", 8);
	bpf_dynptr_from_mem(b->digest, 12 + size, 0, &data);

	bpf_dynptr_from_mem(b->sig, sizeof(b->sig), 0, &sig);
	n = bpf_get_file_xattr(file, BJ_SIG_XATTR, &sig);
	if (n == -ENODATA)
		return BJ_SIG_NO_SIGNATURE;
	if (n <= 0 || n > BJ_SIG_MAX)
		return BJ_SIG_BAD; /* too large, or unreadable */
	bpf_dynptr_from_mem(b->sig, n, 0, &sig);

	/*
	 * Trusted by any keyring is trusted. A signature that does not
	 * verify (-EKEYREJECTED, -EBADMSG) is bad; one whose signer no
	 * keyring holds (-ENOKEY) is untrusted.
	 */
	if (signing_keyring && (key = bpf_lookup_user_key(signing_keyring, 0)) && trusted_by(key, &data, &sig, &why))
		return 0;
	for (__u64 id = 0; id < 3; id++)
		if ((signing_system & (1u << id)) && (key = bpf_lookup_system_key(id)) &&
		    trusted_by(key, &data, &sig, &why))
			return 0;
	return why;
}

/* Files without fs-verity get no entry: their refusal says so without one. */
__noinline int bj_sig_remember(struct file *file __arg_trusted)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct inode *inode = file->f_inode;
	struct sig_buffer *b;
	__u32 *verdict, why;

	if (!(inode->i_flags & S_VERITY))
		return 0;
	verdict = bpf_inode_storage_get(&signatures, inode, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	/*
	 * Trusted stays trusted: fs-verity never lets the file's content
	 * change, and the keyring is closed to new keys. Without room to
	 * remember, the file stays unchecked, and refused.
	 */
	if (!verdict || *verdict == BJ_SIG_TRUSTED)
		return 0;
	b = bpf_task_storage_get(&sig_buffers, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!b)
		return 0;
	why = sig_verify(file, b);
	bpf_task_storage_delete(&sig_buffers, task);
	*verdict = why ? why : BJ_SIG_TRUSTED;
	return 0;
}

/* Attached only when a role requires signatures. */
SEC("lsm.s/file_open")
int BPF_PROG(bj_sig_open, struct file *file)
{
	struct jail_task *jt = current_jail_task();

	if (jt && signing_role(jt))
		bj_sig_remember(file);
	return 0;
}
