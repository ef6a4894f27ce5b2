// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hook_names.h"
#include "metrics.h"

/* Label values of enum bj_decision: words, as the records' DECISION field says them. */
static const char *const decision_labels[BJ_DECISION_COUNT] = {
	[BJ_DENY] = "denied", [BJ_ALLOW] = "allowed", [BJ_WOULD_DENY] = "would_deny",
};

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int metrics_format(FILE *f, const struct metrics *m)
{
	/* Every hook and decision, zeros too: a rate needs the series before its first increase. */
	family(f, "bpfjailer_decisions_total", "counter",
	       "Decisions of bpfjailer's hooks since it was loaded, by hook and decision.");
	for (unsigned int hook = 1; hook < BJ_HOOK_COUNT; hook++)
		for (unsigned int d = 0; d < BJ_DECISION_COUNT; d++)
			fprintf(f, "bpfjailer_decisions_total{hook=\"%s\",decision=\"%s\"} %" PRIu64 "\n",
				bj_hook_name(hook), decision_labels[d], m->decisions[hook][d]);
	family(f, "bpfjailer_audit_records_lost_total", "counter",
	       "Audit records the kernel could not write since bpfjailer was loaded (no reader, or the buffer full).");
	fprintf(f, "bpfjailer_audit_records_lost_total %" PRIu64 "\n", m->lost);
	family(f, "bpfjailer_forwarder_records_total", "counter",
	       "Audit records this forwarder wrote to its output since it started.");
	fprintf(f, "bpfjailer_forwarder_records_total %" PRIu64 "\n", m->forwarded);
	family(f, "bpfjailer_forwarder_queued_records", "gauge",
	       "Audit records waiting for the forwarder's output to come back.");
	fprintf(f, "bpfjailer_forwarder_queued_records %u\n", m->queued);
	return ferror(f) ? -EIO : 0;
}

/*
 * The temporary name: a dot file beside path, so the rename stays in one
 * file system and the textfile collector (which reads only *.prom) never
 * reads it.
 */
static int temp_name(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	int dir_len = base ? (int)(base - path + 1) : 0;
	int len = snprintf(buf, size, "%.*s.%s.XXXXXX", dir_len, path, base ? base + 1 : path);

	return len < 0 || (size_t)len >= size ? -ENAMETOOLONG : 0;
}

int metrics_write(const char *path, const struct metrics *m)
{
	char tmp[PATH_MAX];
	FILE *f = NULL;
	int fd, err;

	err = temp_name(path, tmp, sizeof(tmp));
	if (err)
		return err;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* mkstemp makes it 0600; node_exporter runs as its own user. */
	if (fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w"))) {
		err = -errno;
		goto fail;
	}
	err = metrics_format(f, m);
	if (!err && (fflush(f) == EOF || fsync(fileno(f)) < 0))
		err = -errno;
	if (fclose(f) == EOF && !err)
		err = -errno;
	fd = -1;
	/* No fsync of the directory: a rename lost in a crash leaves the last whole file. */
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (!err)
		return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return err;
}
