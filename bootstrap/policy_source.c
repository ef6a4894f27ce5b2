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

/* The whole file at path into *text (NUL-terminated), *len and *st. */
static int read_whole(const char *path, char **text, size_t *len, struct stat *st_out)
{
	struct stat st;
	char *buf = NULL;
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
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		err = bj_oom(path);
		goto fail;
	}
	while (off < (size_t)st.st_size) {
		got = read(fd, buf + off, (size_t)st.st_size - off);
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
	buf[off] = '\0';
	*text = buf;
	*len = off;
	*st_out = st;
	close(fd);
	return 0;
fail:
	close(fd);
	free(buf);
	return err;
}

static int read_file(const char *path, struct policy_source *src)
{
	int err = read_whole(path, &src->text, &src->len, &src->st);

	if (!err && !(src->origin = strdup(path)))
		err = bj_oom(path);
	src->from_file = !err;
	if (err)
		policy_source_free(src);
	return err;
}

/* The fragments of dirs, each read unless masked. */
static int read_fragments(const char *const *dirs, size_t n_dirs, struct policy_source *src)
{
	struct policy_dir_list list;
	int err;

	src->dirs = calloc(n_dirs ? n_dirs : 1, sizeof(*src->dirs));
	if (!src->dirs)
		return bj_oom(NULL);
	for (; src->n_dirs < n_dirs; src->n_dirs++)
		if (!(src->dirs[src->n_dirs] = strdup(dirs[src->n_dirs])))
			return bj_oom(NULL);
	err = policy_dirs_list(dirs, n_dirs, &list);
	if (err || !list.n)
		return err;
	src->fragments = calloc(list.n, sizeof(*src->fragments));
	if (!src->fragments) {
		policy_dir_list_free(&list);
		return bj_oom(NULL);
	}
	/* The entries move into the fragments: each is freed once, as theirs. */
	for (size_t i = 0; i < list.n; i++)
		src->fragments[src->n_fragments++].entry = list.items[i];
	free(list.items);
	for (size_t i = 0; !err && i < src->n_fragments; i++) {
		struct policy_fragment *f = &src->fragments[i];

		/* A mask's own inode: a link to /dev/null is not /dev/null. */
		if (f->entry.masked)
			err = lstat(f->entry.path, &f->st) ? bj_err(-errno, "policy fragment %s", f->entry.path) : 0;
		else
			err = read_whole(f->entry.path, &f->text, &f->len, &f->st);
	}
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

static const char *const system_dirs[] = { BJ_SYSTEM_POLICY_DIR, BJ_PACKAGE_POLICY_DIR };

/* The main policy. */
static int read_main(const char *cli_path, struct policy_source *src)
{
	const char *env = getenv("BPFJAILER_POLICY");

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

int policy_source_read(const char *cli_path, const char *const *dirs, size_t n_dirs, struct policy_source *src)
{
	const char *env = getenv("BPFJAILER_POLICY");
	int err;

	*src = (struct policy_source){ 0 };
	err = read_main(cli_path, src);
	if (err)
		return err;
	/* A policy named on its own is read on its own: checking a file must not depend on this host's /etc. */
	src->system = !cli_path && !(env && *env);
	if (!dirs && src->system) {
		dirs = system_dirs;
		n_dirs = sizeof(system_dirs) / sizeof(system_dirs[0]);
	}
	err = dirs ? read_fragments(dirs, n_dirs, src) : 0;
	if (err)
		policy_source_free(src);
	return err;
}

void policy_source_free(struct policy_source *src)
{
	free(src->origin);
	free(src->text);
	for (size_t i = 0; i < src->n_dirs; i++)
		free(src->dirs[i]);
	free(src->dirs);
	for (size_t i = 0; i < src->n_fragments; i++) {
		free(src->fragments[i].entry.path);
		free(src->fragments[i].entry.overrides);
		free(src->fragments[i].text);
	}
	free(src->fragments);
	*src = (struct policy_source){ 0 };
}

size_t policy_source_files(const struct policy_source *src, struct bj_policy_file *files)
{
	size_t n = 0;

	files[n++] = (struct bj_policy_file){ .origin = src->origin, .text = src->text, .len = src->len };
	for (size_t i = 0; i < src->n_fragments; i++) {
		const struct policy_fragment *f = &src->fragments[i];

		if (!f->entry.masked)
			files[n++] = (struct bj_policy_file){ .origin = f->entry.path, .text = f->text, .len = f->len };
	}
	return n;
}

size_t policy_source_n_read(const struct policy_source *src)
{
	size_t n = 0;

	for (size_t i = 0; i < src->n_fragments; i++)
		n += !src->fragments[i].entry.masked;
	return n;
}
