// SPDX-License-Identifier: GPL-2.0
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "err.h"
#include "identity.h"
#include "sha256.h"

size_t identity_n_files(const struct bj_policy *policy, const struct policy_source *src)
{
	size_t n = policy->n_exec_enrollments + (policy->n_launch_enrollments ? 1 : 0) + src->n_fragments +
		   src->n_dirs;

	return n ? n : 1;
}

static int copy_path(char dst[BJ_IDENTITY_PATH_LEN], const char *src)
{
	if (strlen(src) >= BJ_IDENTITY_PATH_LEN)
		return bj_fail(-ENAMETOOLONG, "record %.64s...: path longer than %d bytes", src,
			       BJ_IDENTITY_PATH_LEN - 1);
	strcpy(dst, src);
	return 0;
}

/* f with the file its path names now, into slot. */
static int store_file(int fd, __u32 slot, struct bj_enrolled_file *f)
{
	const char *path = f->path;
	struct stat st;

	/* A path that names nothing yet is recorded as such: its file appearing is drift too. */
	if (stat(path, &st) == 0) {
		f->dev = st.st_dev;
		f->ino = st.st_ino;
	} else if (errno != ENOENT && errno != ENOTDIR) {
		return bj_err(-errno, "record %s", path);
	}
	return bpf_map_update_elem(fd, &slot, f, BPF_ANY) ? bj_err(-errno, "fill map enrolled_files") : 0;
}

/* sha: a fragment's digest, or NULL. */
static int record_file(int fd, __u32 slot, __u32 kind, const char *path, const uint8_t *sha)
{
	struct bj_enrolled_file *f = calloc(1, sizeof(*f));
	int err;

	if (!f)
		return bj_oom(NULL);
	f->kind = kind;
	if (sha)
		memcpy(f->sha256, sha, SHA256_LEN);
	err = copy_path(f->path, path);
	if (!err)
		err = store_file(fd, slot, f);
	free(f);
	return err;
}

int identity_record(struct bpfjailer *skel, const struct policy_source *src, const struct bj_policy *policy)
{
	int files = bpf_map__fd(skel->maps.enrolled_files);
	struct bj_identity *id = calloc(1, sizeof(*id));
	struct timespec now;
	__u32 slot = 0, zero = 0;
	int err = 0;

	if (!id)
		return bj_oom(NULL);
	for (size_t i = 0; !err && i < policy->n_exec_enrollments; i++)
		err = record_file(files, slot++, BJ_ENROLLED_EXEC, policy->exec_enrollments[i].path, NULL);
	if (!err && policy->n_launch_enrollments)
		err = record_file(files, slot++, BJ_ENROLLED_LAUNCHER, policy_launcher_path(policy), NULL);
	for (size_t i = 0; !err && i < src->n_fragments; i++) {
		const struct policy_fragment *frag = &src->fragments[i];
		uint8_t digest[SHA256_LEN];

		if (!frag->entry.masked)
			sha256(frag->text, frag->len, digest);
		err = record_file(files, slot++, frag->entry.masked ? BJ_ENROLLED_MASK : BJ_ENROLLED_FRAGMENT,
				  frag->entry.path, frag->entry.masked ? NULL : digest);
	}
	for (size_t i = 0; !err && i < src->n_dirs; i++)
		err = record_file(files, slot++, BJ_ENROLLED_FRAGMENT_DIR, src->dirs[i], NULL);
	if (!err && clock_gettime(CLOCK_REALTIME, &now))
		err = bj_err(-errno, "read the clock");
	if (!err)
		err = copy_path(id->origin, src->origin);
	if (!err) {
		sha256(src->text, src->len, id->sha256);
		id->loaded_ns = (__u64)now.tv_sec * 1000000000ULL + (__u64)now.tv_nsec;
		id->from_file = src->from_file;
		id->n_files = slot;
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.identity), &zero, id, BPF_ANY))
			err = bj_err(-errno, "fill map identity");
	}
	free(id);
	return err;
}

static int add_reason(json_t *reasons, const char *fmt, const char *path)
{
	char buf[BJ_IDENTITY_PATH_LEN + 128];

	snprintf(buf, sizeof(buf), fmt, path);
	return json_array_append_new(reasons, json_string(buf)) ? -ENOMEM : 0;
}

/* The policy file as it is now, hashed: a reason if it changed, or can no longer be read. */
static int policy_drift(const struct bj_identity *id, json_t *reasons)
{
	struct policy_source now;
	uint8_t digest[SHA256_LEN];

	if (!id->from_file)
		return 0;
	/* Its own errors say why it cannot be read: that is drift too. */
	if (policy_source_read(id->origin, NULL, 0, &now))
		return add_reason(reasons, "the policy %s can no longer be read", id->origin);
	sha256(now.text, now.len, digest);
	policy_source_free(&now);
	if (memcmp(digest, id->sha256, SHA256_LEN))
		return add_reason(reasons, "the policy %s changed since it was loaded", id->origin);
	return 0;
}

/* The recorded fragment (or mask) at path, or NULL. */
static const struct bj_enrolled_file *recorded(const struct bj_identity *id, const struct bj_enrolled_file *files,
					       const char *path)
{
	for (__u32 i = 0; i < id->n_files; i++)
		if ((files[i].kind == BJ_ENROLLED_FRAGMENT || files[i].kind == BJ_ENROLLED_MASK) &&
		    !strcmp(files[i].path, path))
			return &files[i];
	return NULL;
}

/* Whether the fragment at path still holds what was read (digest). */
static bool same_fragment(const char *path, const uint8_t *digest)
{
	struct policy_source now;
	uint8_t now_digest[SHA256_LEN];

	if (policy_source_read(path, NULL, 0, &now))
		return false;
	sha256(now.text, now.len, now_digest);
	policy_source_free(&now);
	return !memcmp(now_digest, digest, SHA256_LEN);
}

/* The fragment directories listed again: a fragment changed, gone, masked or new is a reason. */
static int fragments_drift(const struct bj_identity *id, const struct bj_enrolled_file *files, json_t *reasons)
{
	const char *dirs[BJ_MAX_FRAGMENT_DIRS];
	struct policy_dir_list now;
	size_t n_dirs = 0;
	int err = 0;

	for (__u32 i = 0; i < id->n_files && n_dirs < BJ_MAX_FRAGMENT_DIRS; i++)
		if (files[i].kind == BJ_ENROLLED_FRAGMENT_DIR)
			dirs[n_dirs++] = files[i].path;
	if (!n_dirs)
		return 0;
	if (policy_dirs_list(dirs, n_dirs, &now))
		return add_reason(reasons, "the policy fragment directories %s... can no longer be listed", dirs[0]);
	for (size_t i = 0; !err && i < now.n; i++) {
		const struct policy_dir_entry *e = &now.items[i];
		const struct bj_enrolled_file *f = recorded(id, files, e->path);

		if (!f)
			err = add_reason(reasons, e->masked ? "the mask %s appeared after the load" :
				"the policy fragment %s appeared after the load", e->path);
		else if (e->masked != (f->kind == BJ_ENROLLED_MASK) ||
			 (!e->masked && !same_fragment(e->path, f->sha256)))
			err = add_reason(reasons, "the policy fragment %s changed since it was loaded", e->path);
	}
	for (__u32 i = 0; !err && i < id->n_files; i++) {
		bool listed = false;

		if (files[i].kind != BJ_ENROLLED_FRAGMENT && files[i].kind != BJ_ENROLLED_MASK)
			continue;
		for (size_t j = 0; !listed && j < now.n; j++)
			listed = !strcmp(now.items[j].path, files[i].path);
		if (!listed)
			err = add_reason(reasons, "the policy fragment %s is gone (or overridden) since the load",
					 files[i].path);
	}
	policy_dir_list_free(&now);
	return err;
}

int identity_drift(const struct bj_identity *id, const struct bj_enrolled_file *files, json_t *reasons)
{
	int err = policy_drift(id, reasons);

	if (!err)
		err = fragments_drift(id, files, reasons);
	for (__u32 i = 0; !err && i < id->n_files; i++) {
		const struct bj_enrolled_file *f = &files[i];
		bool launcher = f->kind == BJ_ENROLLED_LAUNCHER;
		struct stat st;

		if (f->kind != BJ_ENROLLED_EXEC && f->kind != BJ_ENROLLED_LAUNCHER)
			continue;
		if (stat(f->path, &st) < 0) {
			if (f->ino)
				err = add_reason(reasons, launcher ? "the launcher %s is gone" :
								     "the enrolled executable %s is gone", f->path);
		} else if (!f->ino) {
			err = add_reason(reasons, launcher ? "the launcher %s appeared after the load" :
							     "the enrolled executable %s appeared after the load", f->path);
		} else if (st.st_dev != f->dev || st.st_ino != f->ino) {
			err = add_reason(reasons, launcher ? "the launcher %s was replaced (another inode)" :
				"the enrolled executable %s was replaced (another inode): it is no longer enrolled",
				f->path);
		}
	}
	return err;
}
