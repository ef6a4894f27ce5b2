// SPDX-License-Identifier: GPL-2.0
/*
 * The forwarder's metrics file: the exposition text line by line, and its
 * replacement (whole, readable by node_exporter, no temporary file left,
 * nothing left when it cannot be written). With --print, the text of a
 * sample only, for metrics-parse to read with Prometheus's own parser.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "metrics.h"

static struct metrics sample(void)
{
	struct metrics m = { .lost = 7, .forwarded = 12345678901234u, .queued = 3 };

	m.decisions[BJ_HOOK_FILE_OPEN][BJ_DENY] = 5;
	m.decisions[BJ_HOOK_FILE_OPEN][BJ_ALLOW] = 40;
	m.decisions[BJ_HOOK_CONNECT][BJ_WOULD_DENY] = 2;
	return m;
}

static char *format(const struct metrics *m)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	if (metrics_format(f, m))
		check(false, "metrics_format succeeds");
	fclose(f);
	return text;
}

static bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[len] == '\n')
			return true;
	return false;
}

static void expect_line(const char *text, const char *line)
{
	check(has_line(text, line), "line: %s", line);
}

static void test_format(void)
{
	struct metrics m = sample();
	char *text = format(&m);
	size_t samples = 0;

	if (!check(text != NULL, "the text is made"))
		return;
	expect_line(text, "# HELP bpfjailer_decisions_total Decisions of bpfjailer's hooks since it was loaded, "
			  "by hook and decision.");
	expect_line(text, "# TYPE bpfjailer_decisions_total counter");
	expect_line(text, "bpfjailer_decisions_total{hook=\"open\",decision=\"denied\"} 5");
	expect_line(text, "bpfjailer_decisions_total{hook=\"open\",decision=\"allowed\"} 40");
	expect_line(text, "bpfjailer_decisions_total{hook=\"open\",decision=\"would_deny\"} 0");
	expect_line(text, "bpfjailer_decisions_total{hook=\"connect\",decision=\"would_deny\"} 2");
	expect_line(text, "bpfjailer_decisions_total{hook=\"exec\",decision=\"denied\"} 0");
	expect_line(text, "# TYPE bpfjailer_audit_records_lost_total counter");
	expect_line(text, "bpfjailer_audit_records_lost_total 7");
	expect_line(text, "# TYPE bpfjailer_forwarder_records_total counter");
	expect_line(text, "bpfjailer_forwarder_records_total 12345678901234");
	expect_line(text, "# TYPE bpfjailer_forwarder_queued_records gauge");
	expect_line(text, "bpfjailer_forwarder_queued_records 3");
	for (const char *p = text; (p = strstr(p, "\nbpfjailer_decisions_total{")); p++)
		samples++;
	check(samples == (BJ_HOOK_COUNT - 1) * BJ_DECISION_COUNT, "one decisions sample per hook and decision (%zu)",
	      samples);
	check(!strstr(text, "unknown"), "every hook has its name");
	check(text[strlen(text) - 1] == '\n', "the text ends with a newline");
	free(text);
}

/* Files in dir other than name: a temporary one left behind. */
static int others(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, name))
			n++;
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t size = 0;

	if (!f)
		return NULL;
	if (getdelim(&text, &size, '\0', f) < 0) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

static void test_write(void)
{
	char dir[] = "/tmp/bpfjailer-metrics-XXXXXX", path[PATH_MAX], sub[PATH_MAX];
	struct metrics m = sample();
	char *want, *got;
	struct stat st;

	if (!check(mkdtemp(dir) != NULL, "a temporary directory"))
		return;
	snprintf(path, sizeof(path), "%s/bpfjailer.prom", dir);
	check(metrics_write(path, &m) == 0, "written into a new file");
	m.lost = 8;
	check(metrics_write(path, &m) == 0, "and replaced");
	want = format(&m);
	got = slurp(path);
	check(want && got && !strcmp(want, got), "the file holds the text of the last write, whole");
	check(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644, "mode 0644: node_exporter's user reads it");
	check(others(dir, "bpfjailer.prom") == 0, "no temporary file left");
	free(want);
	free(got);

	snprintf(sub, sizeof(sub), "%s/missing/bpfjailer.prom", dir);
	check(metrics_write(sub, &m) == -ENOENT, "a directory that does not exist: ENOENT");
	snprintf(sub, sizeof(sub), "%s/taken.prom", dir);
	mkdir(sub, 0755);
	check(metrics_write(sub, &m) == -EISDIR, "a name taken by a directory: EISDIR");
	check(others(dir, "bpfjailer.prom") == 1, "and no temporary file left by the failure");
	rmdir(sub);
	unlink(path);
	check(rmdir(dir) == 0, "the directory is left empty");
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--print")) {
		struct metrics m = sample();

		return metrics_format(stdout, &m) ? 1 : 0;
	}
	test_format();
	test_write();
	return check_summary();
}
