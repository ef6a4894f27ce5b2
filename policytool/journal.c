// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>

#include "err.h"
#include "journal.h"

/*
 * --unit without OBJECT_SYSTEMD_UNIT (which journald adds only when the
 * forwarder names the record's process with OBJECT_PID=): a record's
 * BPFJAILER_CGROUP_ID is the inode number of its cgroup directory, so the
 * unit's cgroups are the directories named UNIT under /sys/fs/cgroup, and
 * those below them. They are there only while the unit runs.
 */
#define CGROUP_ROOT "/sys/fs/cgroup"
#define MAX_UNIT_CGROUPS 4096

static struct {
	const char *unit;
	uint64_t ids[MAX_UNIT_CGROUPS];
	size_t n;
} walk;

static int unit_cgroup(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *p = path + strlen(CGROUP_ROOT);

	if (type != FTW_D || walk.n == MAX_UNIT_CGROUPS)
		return 0;
	/* the unit's own directory, or one below it */
	for (const char *c = strchr(p, '/'); c; c = strchr(c + 1, '/')) {
		size_t len = strcspn(c + 1, "/");

		if (len == strlen(walk.unit) && !strncmp(c + 1, walk.unit, len)) {
			walk.ids[walk.n++] = st->st_ino;
			break;
		}
	}
	(void)ftw;
	return 0;
}

static bool in_unit(const char *cgroup_id)
{
	uint64_t id = cgroup_id ? strtoull(cgroup_id, NULL, 10) : 0;

	for (size_t i = 0; i < walk.n; i++)
		if (walk.ids[i] == id)
			return true;
	return false;
}

/* The value of field in the current entry, copied, or NULL (also when out of memory: *oom then says so). */
static char *field(sd_journal *j, const char *name, bool *oom)
{
	size_t len, prefix = strlen(name) + 1;
	const void *data;
	char *copy;

	if (sd_journal_get_data(j, name, &data, &len) < 0 || len < prefix)
		return NULL;
	copy = strndup((const char *)data + prefix, len - prefix);
	if (!copy)
		*oom = true;
	return copy;
}

static int add_matches(sd_journal *j, const struct journal_query *q)
{
	char role[128];
	int err;

	snprintf(role, sizeof(role), "BPFJAILER_ROLE=%s", q->role);
	/* matches of one field are ORed, of different fields ANDed */
	if ((err = sd_journal_add_match(j, "SYSLOG_IDENTIFIER=bpfjailer", 0)) < 0 ||
	    (err = sd_journal_add_match(j, role, 0)) < 0 ||
	    (err = sd_journal_add_match(j, "BPFJAILER_DECISION=denied", 0)) < 0 ||
	    (err = sd_journal_add_match(j, "BPFJAILER_DECISION=would deny", 0)) < 0)
		return bj_err(err, "journal: match");
	return 0;
}

static int open_journal(const struct journal_query *q, sd_journal **j)
{
	int err;

	if (q->files)
		err = sd_journal_open_files(j, (const char **)q->files, 0);
	else if (q->directory)
		err = sd_journal_open_directory(j, q->directory, 0);
	else
		err = sd_journal_open(j, SD_JOURNAL_LOCAL_ONLY);
	if (err < 0)
		return bj_err(err, "journal: open %s", q->files ? q->files[0] : q->directory ? q->directory : "");
	return 0;
}

/* Whether the current entry belongs to the unit asked for (any entry when none was). */
static bool entry_in_unit(sd_journal *j, const struct journal_query *q, bool *oom)
{
	char *unit, *cgroup;
	bool in;

	if (!q->unit)
		return true;
	unit = field(j, "OBJECT_SYSTEMD_UNIT", oom);
	if (unit) {
		in = !strcmp(unit, q->unit);
		free(unit);
		return in;
	}
	cgroup = field(j, "BPFJAILER_CGROUP_ID", oom);
	in = in_unit(cgroup);
	free(cgroup);
	return in;
}

static int read_entry(sd_journal *j, struct learn_records *out)
{
	struct learn_record *grown = realloc(out->v, (out->n + 1) * sizeof(*grown)), *r;
	bool oom = false;

	if (!grown)
		return bj_oom("journal");
	out->v = grown;
	r = &out->v[out->n++];
	*r = (struct learn_record){
		.hook = field(j, "BPFJAILER_HOOK", &oom),
		.decision = field(j, "BPFJAILER_DECISION", &oom),
		.path = field(j, "BPFJAILER_PATH", &oom),
		.access = field(j, "BPFJAILER_ACCESS", &oom),
		.family = field(j, "BPFJAILER_FAMILY", &oom),
		.addr = field(j, "BPFJAILER_ADDR", &oom),
		.port = field(j, "BPFJAILER_PORT", &oom),
		.protocol = field(j, "BPFJAILER_PROTOCOL", &oom),
		.value = field(j, "BPFJAILER_VALUE", &oom),
	};
	return oom ? bj_oom("journal") : 0;
}

int journal_read(const struct journal_query *q, struct learn_records *out)
{
	sd_journal *j = NULL;
	int err;

	out->v = NULL;
	out->n = 0;
	if (q->unit) {
		walk.unit = q->unit;
		walk.n = 0;
		if (nftw(CGROUP_ROOT, unit_cgroup, 16, FTW_PHYS | FTW_MOUNT) < 0)
			return bj_err(-errno, "--unit %s: %s", q->unit, CGROUP_ROOT);
	}
	err = open_journal(q, &j);
	if (err)
		return err;
	err = add_matches(j, q);
	if (!err && q->since_usec && (err = sd_journal_seek_realtime_usec(j, q->since_usec)) < 0)
		err = bj_err(err, "journal: seek");
	while (!err) {
		uint64_t when;
		bool oom = false;

		err = sd_journal_next(j);
		if (err <= 0) {
			if (err < 0)
				err = bj_err(err, "journal: next entry");
			break;
		}
		err = 0;
		if (sd_journal_get_realtime_usec(j, &when) < 0 || when < q->since_usec)
			continue;
		if (!entry_in_unit(j, q, &oom))
			err = oom ? bj_oom("journal") : 0;
		else
			err = read_entry(j, out);
	}
	sd_journal_close(j);
	return err;
}
