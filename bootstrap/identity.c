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

size_t identity_n_files(const struct bj_policy *policy)
{
	size_t n = policy->n_exec_enrollments + (policy->n_launch_enrollments ? 1 : 0);

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

static int record_file(int fd, __u32 slot, __u32 kind, const char *path)
{
	struct bj_enrolled_file f = { .kind = kind };
	struct stat st;
	int err = copy_path(f.path, path);

	if (err)
		return err;
	/* A path that names nothing yet is recorded as such: its file appearing is drift too. */
	if (stat(path, &st) == 0) {
		f.dev = st.st_dev;
		f.ino = st.st_ino;
	} else if (errno != ENOENT && errno != ENOTDIR) {
		return bj_err(-errno, "record %s", path);
	}
	return bpf_map_update_elem(fd, &slot, &f, BPF_ANY) ? bj_err(-errno, "fill map enrolled_files") : 0;
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
		err = record_file(files, slot++, BJ_ENROLLED_EXEC, policy->exec_enrollments[i].path);
	if (!err && policy->n_launch_enrollments)
		err = record_file(files, slot++, BJ_ENROLLED_LAUNCHER, policy_launcher_path(policy));
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
	if (policy_source_read(id->origin, &now))
		return add_reason(reasons, "the policy %s can no longer be read", id->origin);
	sha256(now.text, now.len, digest);
	policy_source_free(&now);
	if (memcmp(digest, id->sha256, SHA256_LEN))
		return add_reason(reasons, "the policy %s changed since it was loaded", id->origin);
	return 0;
}

int identity_drift(const struct bj_identity *id, const struct bj_enrolled_file *files, json_t *reasons)
{
	int err = policy_drift(id, reasons);

	for (__u32 i = 0; !err && i < id->n_files; i++) {
		const struct bj_enrolled_file *f = &files[i];
		bool launcher = f->kind == BJ_ENROLLED_LAUNCHER;
		struct stat st;

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
