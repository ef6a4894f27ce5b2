// SPDX-License-Identifier: GPL-2.0
/* Journal entries, one sd_journal_sendv() each, from prebuilt iovecs. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <syslog.h>
/* No CODE_FILE/CODE_LINE/CODE_FUNC of ours in every entry. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

#include "output.h"

/* The five fixed fields, then one per record field. */
#define MAX_IOV (F_COUNT + 5)

static int add(struct iovec *iov, int n, char *buf, size_t size, const char *key, const char *value)
{
	int len = snprintf(buf, size, "%s=%s", key, value);

	iov[n].iov_base = buf;
	iov[n].iov_len = len < 0 ? 0 : (size_t)len < size ? (size_t)len : size - 1;
	return n + 1;
}

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

/*
 * sd_journal_sendv() reports success when journald's socket does not exist
 * (it drops the entry "silently if the journal is not available"): look
 * first, so that a missing journal keeps the record queued instead.
 */
static int journal_send(struct iovec *iov, int n)
{
	int err;

	if (access(JOURNAL_SOCKET, F_OK) < 0)
		return -errno;
	err = sd_journal_sendv(iov, n);
	return err < 0 ? err : 0;
}

static int journal_record(const struct record_text *t)
{
	static char bufs[MAX_IOV][BJ_PATH_MAX + 300];
	struct iovec iov[MAX_IOV];
	char priority[4];
	int n = 0;

	snprintf(priority, sizeof(priority), "%d", t->priority);
	n = add(iov, n, bufs[n], sizeof(bufs[n]), "MESSAGE", t->message);
	n = add(iov, n, bufs[n], sizeof(bufs[n]), "PRIORITY", priority);
	n = add(iov, n, bufs[n], sizeof(bufs[n]), "MESSAGE_ID", t->message_id);
	n = add(iov, n, bufs[n], sizeof(bufs[n]), "SYSLOG_IDENTIFIER", "bpfjailer");
	/*
	 * The process the record is about: journald (for a sender running as
	 * root) adds its OBJECT_SYSTEMD_UNIT= and the rest while it lives, so
	 * that journalctl -u shows a service's denials beside its own lines.
	 */
	n = add(iov, n, bufs[n], sizeof(bufs[n]), "OBJECT_PID", t->fields[F_PID]);
	for (int f = 0; f < F_COUNT; f++) {
		char key[64];

		if (!t->fields[f])
			continue;
		snprintf(key, sizeof(key), "BPFJAILER_%s", record_field_names[f]);
		n = add(iov, n, bufs[n], sizeof(bufs[n]), key, t->fields[f]);
	}
	return journal_send(iov, n);
}

static int journal_lost(uint64_t count, const char *why)
{
	char msg[256], cnt[32], prio[16];
	struct iovec iov[5];

	snprintf(msg, sizeof(msg), "MESSAGE=%llu audit records lost: %s", (unsigned long long)count, why);
	snprintf(cnt, sizeof(cnt), "BPFJAILER_LOST=%llu", (unsigned long long)count);
	snprintf(prio, sizeof(prio), "PRIORITY=%d", LOG_WARNING);
	iov[0] = (struct iovec){ msg, strlen(msg) };
	iov[1] = (struct iovec){ prio, strlen(prio) };
	iov[2] = (struct iovec){ (char *)"MESSAGE_ID=" MESSAGE_ID_LOST, strlen("MESSAGE_ID=" MESSAGE_ID_LOST) };
	iov[3] = (struct iovec){ (char *)"SYSLOG_IDENTIFIER=bpfjailer", strlen("SYSLOG_IDENTIFIER=bpfjailer") };
	iov[4] = (struct iovec){ cnt, strlen(cnt) };
	return journal_send(iov, 5);
}

const struct output journal_output = { .record = journal_record, .lost = journal_lost };
