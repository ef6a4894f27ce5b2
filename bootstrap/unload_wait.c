// SPDX-License-Identifier: GPL-2.0
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "pins.h"
#include "unload_wait.h"

#define POLL_MS 50

static void add_id(struct prog_ids *ids, __u32 id)
{
	for (size_t i = 0; i < ids->n; i++)
		if (ids->ids[i] == id)
			return;
	if (id && ids->n < sizeof(ids->ids) / sizeof(ids->ids[0]))
		ids->ids[ids->n++] = id;
}

/* The program id behind one pin: the one a link attaches, or the program's own. */
static int pinned_prog_id(const char *path, bool link, __u32 *id)
{
	struct bpf_link_info li = { 0 };
	struct bpf_prog_info pi = { 0 };
	__u32 len = link ? sizeof(li) : sizeof(pi);
	int fd = bpf_obj_get(path), err;

	if (fd < 0)
		return -errno;
	err = bpf_obj_get_info_by_fd(fd, link ? (void *)&li : (void *)&pi, &len) ? -errno : 0;
	close(fd);
	*id = link ? li.prog_id : pi.id;
	return err;
}

struct collect {
	bool link;
	struct prog_ids *ids;
};

static int collect_pin(const char *path, void *arg)
{
	struct collect *c = arg;
	__u32 id = 0;
	int err = pinned_prog_id(path, c->link, &id);

	if (err)
		return bj_err(err, "unload: read %s", path);
	add_id(c->ids, id);
	return 0;
}

int prog_ids_collect(const char *root, struct prog_ids *ids)
{
	struct collect links = { .link = true, .ids = ids }, progs = { .link = false, .ids = ids };
	int err;

	ids->n = 0;
	err = pins_for_each(root, BJ_PINS_LINKS, collect_pin, &links);
	if (!err)
		err = pins_for_each(root, BJ_PINS_PROGS, collect_pin, &progs);
	return err;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Does the program still exist? (An error other than ENOENT leaves it counted.) */
static bool prog_exists(__u32 id)
{
	int fd = bpf_prog_get_fd_by_id(id);

	if (fd >= 0) {
		close(fd);
		return true;
	}
	return errno != ENOENT;
}

int prog_ids_wait_gone(const struct prog_ids *ids, unsigned seconds)
{
	const struct timespec pause = { .tv_nsec = POLL_MS * 1000000L };
	double deadline = now() + seconds;
	struct prog_ids left = *ids;
	char list[sizeof(left.ids) / sizeof(left.ids[0]) * sizeof(" 4294967295")];
	size_t len = 0;

	for (;;) {
		size_t n = 0;

		for (size_t i = 0; i < left.n; i++)
			if (prog_exists(left.ids[i]))
				left.ids[n++] = left.ids[i];
		left.n = n;
		if (!left.n)
			return 0;
		if (now() >= deadline)
			break;
		nanosleep(&pause, NULL);
	}
	list[0] = '\0';
	for (size_t i = 0; i < left.n; i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, " %u", left.ids[i]);
	return bj_fail(-ETIMEDOUT, "unload: programs still attached after %u s: ids%s (something else may hold "
		       "them open: see bpftool prog show id ID)", seconds, list);
}
