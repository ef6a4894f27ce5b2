// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "policy_source.h"

#define BUILTIN_ORIGIN "built-in default policy"
#define STDIN_ORIGIN "<stdin>"
#define MAX_POLICY_SIZE (64u << 20)

extern const char bj_default_policy[];
extern const size_t bj_default_policy_len;

static int read_file(const char *path, struct policy_source *src)
{
	struct stat st;
	ssize_t got;
	size_t off = 0;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bj_err(-errno, "%s", path);
	if (fstat(fd, &st) < 0) {
		err = bj_err(-errno, "%s", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_POLICY_SIZE) {
		err = bj_fail(-EINVAL, "%s: not a regular file of at most %u MiB", path, MAX_POLICY_SIZE >> 20);
		goto fail;
	}
	src->text = malloc((size_t)st.st_size + 1);
	if (!src->text) {
		err = bj_oom(path);
		goto fail;
	}
	while (off < (size_t)st.st_size) {
		got = read(fd, src->text + off, (size_t)st.st_size - off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = bj_err(-errno, "%s", path);
			goto fail;
		}
		if (!got) {
			err = bj_fail(-EIO, "%s: file shrank while reading", path);
			goto fail;
		}
		off += (size_t)got;
	}
	src->text[off] = '\0';
	src->len = off;
	src->from_file = true;
	src->st = st;
	src->origin = strdup(path);
	if (!src->origin) {
		err = bj_oom(path);
		goto fail;
	}
	close(fd);
	return 0;
fail:
	close(fd);
	policy_source_free(src);
	return err;
}

/* Standard input ("--policy -", a pipe from an editor or CI): read to its end, size unknown up front. */
static int read_stdin(struct policy_source *src)
{
	size_t cap = 0;
	ssize_t got;

	src->origin = strdup(STDIN_ORIGIN);
	if (!src->origin)
		return bj_oom(STDIN_ORIGIN);
	for (;;) {
		if (cap - src->len < 2) {
			char *grown;

			cap = cap ? 2 * cap : 64 * 1024;
			grown = cap > MAX_POLICY_SIZE + 2 ? NULL : realloc(src->text, cap);
			if (!grown) {
				int err = cap > MAX_POLICY_SIZE + 2 ?
					bj_fail(-EFBIG, "%s: larger than %u MiB", STDIN_ORIGIN, MAX_POLICY_SIZE >> 20) :
					bj_oom(STDIN_ORIGIN);

				policy_source_free(src);
				return err;
			}
			src->text = grown;
		}
		got = read(STDIN_FILENO, src->text + src->len, cap - src->len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = bj_err(-errno, "%s", STDIN_ORIGIN);

			policy_source_free(src);
			return err;
		}
		if (!got)
			break;
		src->len += (size_t)got;
	}
	src->text[src->len] = '\0';
	return 0;
}

int policy_source_read(const char *cli_path, struct policy_source *src)
{
	const char *env = getenv("BPFJAILER_POLICY");

	*src = (struct policy_source){ 0 };
	if (cli_path && !strcmp(cli_path, "-"))
		return read_stdin(src);
	if (cli_path)
		return read_file(cli_path, src);
	if (env && *env)
		return read_file(env, src);
	if (access(BJ_SYSTEM_POLICY, F_OK) == 0)
		return read_file(BJ_SYSTEM_POLICY, src);

	src->origin = strdup(BUILTIN_ORIGIN);
	src->text = malloc(bj_default_policy_len + 1);
	if (!src->origin || !src->text) {
		policy_source_free(src);
		return bj_oom(NULL);
	}
	memcpy(src->text, bj_default_policy, bj_default_policy_len);
	src->text[bj_default_policy_len] = '\0';
	src->len = bj_default_policy_len;
	return 0;
}

void policy_source_free(struct policy_source *src)
{
	free(src->origin);
	free(src->text);
	*src = (struct policy_source){ 0 };
}
