// SPDX-License-Identifier: GPL-2.0
/*
 * bpfjailer-forwarder: read the pinned audit buffer and write every record
 * to the journal (or as JSON lines). Blocks in epoll while idle.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "err.h"
#include "metrics.h"
#include "output.h"
#include "pinned.h"
#include "queue.h"

#define PAGES_PER_CPU 64 /* 256 KiB per CPU: a burst of small records fits */
#define METRICS_INTERVAL_DEFAULT 15  /* seconds: the scrape interval Prometheus setups commonly use */
#define METRICS_INTERVAL_MAX 86400

const char bj_program[] = "bpfjailer-forwarder";

struct forwarder {
	const struct output *out;
	struct role_names roles;
	struct queue pending;   /* records journald could not take yet */
	int lost_fd;            /* maps/audit_lost: records no reader took, per CPU */
	int reported_fd;        /* maps/audit_reported: how many of those were reported */
	uint64_t kernel_lost;   /* their sum, as last reported */
	bool sink_down;         /* the last write failed; said so once */
	uint64_t forwarded;     /* records written to the output */
	const char *metrics;    /* --metrics FILE, or NULL */
	int decisions_fd;       /* maps/decisions, with --metrics */
	unsigned int metrics_interval; /* seconds */
	uint64_t metrics_next;  /* CLOCK_MONOTONIC ms of the next write; 0 before the first */
	bool metrics_down;      /* the last metrics write failed; said so once */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The map pinned as name, if it is of that type: a descriptor, or a negative errno after saying why. */
static int open_pinned(const char *root, const char *name, enum bpf_map_type type, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);
	char path[PATH_MAX];
	int fd = bj_pinned_map_open(root, name, path, sizeof(path));

	if (fd < 0)
		return bj_fail(fd, "%s: %s%s", path, strerror(-fd),
			       fd == -ENOENT ? " (is bpfjailer loaded there?)" : "");
	memset(info, 0, sizeof(*info));
	if (bpf_obj_get_info_by_fd(fd, info, &len) || info->type != type) {
		close(fd);
		return bj_fail(-EINVAL, "%s: not bpfjailer's %s map", path, name);
	}
	return fd;
}

static int read_role_names(const char *root, struct role_names *roles)
{
	struct bpf_map_info info;
	int fd = open_pinned(root, BJ_MAP_ROLE_NAMES, BPF_MAP_TYPE_ARRAY, &info);

	if (fd < 0)
		return fd;
	roles->n = info.max_entries;
	roles->names = calloc(roles->n, sizeof(*roles->names));
	for (__u32 i = 0; roles->names && i < roles->n; i++) {
		if (bpf_map_lookup_elem(fd, &i, roles->names[i]) == 0)
			roles->names[i][BJ_ROLE_NAME_LEN - 1] = '\0';
	}
	close(fd);
	return roles->names ? 0 : bj_oom(NULL);
}

/* The kernel's count of records nobody could take (no reader, buffer full). */
static uint64_t kernel_lost_now(struct forwarder *fw)
{
	__u64 sum;

	return bj_percpu_sum(fw->lost_fd, 0, &sum) ? fw->kernel_lost : (uint64_t)sum;
}

static void sink_result(struct forwarder *fw, int err)
{
	const char *sink = fw->out == &journal_output ? "journal" : "output";

	if (err && !fw->sink_down)
		bj_fail(err, "cannot write to the %s: %s; keeping up to %u records until it is back", sink,
			strerror(-err), QUEUE_MAX);
	else if (!err && fw->sink_down)
		bj_note("the %s is back", sink);
	fw->sink_down = err != 0;
}

/* Write one record; count it if the output took it. */
static int forward(struct forwarder *fw, const struct record_text *text)
{
	int err = fw->out->record(text);

	sink_result(fw, err);
	if (!err)
		fw->forwarded++;
	return err;
}

static void report_lost(struct forwarder *fw, uint64_t count, const char *why)
{
	sink_result(fw, fw->out->lost(count, why));
}

/*
 * Report the records the kernel could not deliver since the last report,
 * by this forwarder or an earlier one (the count lives in a pinned map, so
 * a restart neither forgets nor repeats it).
 */
static void catch_up_lost(struct forwarder *fw, uint64_t lost, const char *why)
{
	__u32 zero = 0;
	__u64 total = lost;

	report_lost(fw, lost - fw->kernel_lost, why);
	fw->kernel_lost = lost;
	if (bpf_map_update_elem(fw->reported_fd, &zero, &total, BPF_ANY))
		bj_err(-errno, "record the lost count");
}

/* Write what waited for the sink, oldest first; stop at the first refusal. */
static bool flush_pending(struct forwarder *fw)
{
	const struct queued *q;

	while ((q = queue_peek(&fw->pending))) {
		struct record_text text;
		int err;

		if (!record_decode(q->data, q->size, &fw->roles, &text)) {
			queue_pop(&fw->pending);
			continue;
		}
		err = forward(fw, &text);
		if (err)
			return false;
		queue_pop(&fw->pending);
	}
	if (fw->pending.dropped) {
		uint64_t n = fw->pending.dropped;

		fw->pending.dropped = 0;
		report_lost(fw, n, "the output was unavailable and the forwarder's queue was full");
	}
	return true;
}

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct forwarder *fw = ctx;
	struct record_text text;
	uint64_t lost;
	int err;
	(void)cpu;

	lost = kernel_lost_now(fw);
	if (lost > fw->kernel_lost)
		catch_up_lost(fw, lost, "the kernel could not write them (no reader, or the buffer was full)");
	if (!record_decode(data, size, &fw->roles, &text))
		return; /* not a record of ours: nothing to write */
	/* Keep the order: older records that waited go first. */
	if (flush_pending(fw)) {
		err = forward(fw, &text);
		if (!err)
			return;
	}
	queue_push(&fw->pending, data, size);
}

/*
 * perf says records were dropped for a full buffer. The kernel counted each
 * of them too, exactly once: report from that count, not from this one.
 */
static void on_lost(void *ctx, int cpu, __u64 count)
{
	struct forwarder *fw = ctx;
	uint64_t lost = kernel_lost_now(fw);
	(void)cpu;
	(void)count;

	if (lost > fw->kernel_lost)
		catch_up_lost(fw, lost, "the perf buffer was full");
}

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* cannot fail for this clock */
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The counters as they are now (a map held open does not fail to read; if it did, 0). */
static void metrics_now(struct forwarder *fw, struct metrics *m)
{
	memset(m, 0, sizeof(*m));
	for (__u32 hook = 1; hook < BJ_HOOK_COUNT; hook++)
		for (__u32 d = 0; d < BJ_DECISION_COUNT; d++) {
			__u64 sum;

			if (!bj_percpu_sum(fw->decisions_fd, BJ_DECISION_INDEX(hook, d), &sum))
				m->decisions[hook][d] = sum;
		}
	m->lost = kernel_lost_now(fw);
	m->forwarded = fw->forwarded;
	m->queued = fw->pending.n;
}

/*
 * Replace the metrics file, and plan the next write. A failure is said once
 * (and its end once): the records matter more than their counts, so the
 * forwarder keeps forwarding and tries again next time.
 */
static int write_metrics(struct forwarder *fw)
{
	struct metrics m;
	int err;

	metrics_now(fw, &m);
	err = metrics_write(fw->metrics, &m);
	if (err && !fw->metrics_next) /* the first write, at start: main() exits */
		bj_err(err, "--metrics %s: cannot write it", fw->metrics);
	else if (err && !fw->metrics_down)
		bj_err(err, "--metrics %s: cannot write it (trying again every %u s)", fw->metrics,
		       fw->metrics_interval);
	else if (!err && fw->metrics_down)
		bj_note("--metrics %s: written again", fw->metrics);
	fw->metrics_down = err != 0;
	fw->metrics_next = monotonic_ms() + fw->metrics_interval * 1000ull;
	return err;
}

/* How long to wait for records: until the next metrics write is due, or for ever. */
static int poll_timeout(struct forwarder *fw)
{
	uint64_t now;

	if (!fw->metrics)
		return -1;
	now = monotonic_ms();
	if (now >= fw->metrics_next)
		write_metrics(fw);
	return (int)(fw->metrics_next - now); /* at most a day's milliseconds */
}

/* Whole seconds, 1 to METRICS_INTERVAL_MAX: 0, or -EINVAL. */
static int parse_interval(const char *arg, unsigned int *seconds)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || arg[0] == '+' || v < 1 || v > METRICS_INTERVAL_MAX)
		return -EINVAL;
	*seconds = (unsigned int)v;
	return 0;
}

static void usage(FILE *out)
{
	fputs("Usage: bpfjailer-forwarder [OPTION]...\n"
	      "Write bpfjailer's audit records to the journal.\n"
	      "\n"
	      "  -r, --pin-root DIR       where bpfjailer is pinned (default " BJ_PIN_ROOT_DEFAULT ")\n"
	      "  -o, --output journal|json  journal entries (default), or JSON lines on stdout\n"
	      "  -1, --once               write what is buffered now, then exit\n"
	      "  -m, --metrics FILE       also write counters for Prometheus to FILE (node_exporter's textfile)\n"
	      "  -i, --metrics-interval SECONDS  how often (default 15)\n"
	      "  -h, --help               show this help and exit\n"
	      "  -V, --version            show the version and exit\n"
	      "\n"
	      "Exit status: 0 stopped by SIGTERM/SIGINT (or --once done), 1 bad usage\n"
	      "(or the --metrics file cannot be written at start),\n"
	      "2 no bpfjailer audit buffer at the pin root, 4 reading it failed.\n",
	      out);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pin-root", required_argument, NULL, 'r' }, { "output", required_argument, NULL, 'o' },
		{ "once", no_argument, NULL, '1' },           { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },        { "metrics", required_argument, NULL, 'm' },
		{ "metrics-interval", required_argument, NULL, 'i' }, { 0 },
	};
	struct forwarder fw = { .out = &journal_output, .lost_fd = -1, .reported_fd = -1, .decisions_fd = -1,
				.metrics_interval = METRICS_INTERVAL_DEFAULT };
	const char *interval = NULL;
	const char *root = BJ_PIN_ROOT_DEFAULT;
	struct sigaction sa = { .sa_handler = on_signal };
	struct perf_buffer *pb = NULL;
	struct bpf_map_info info;
	int c, events_fd = -1, ret = BJ_EXIT_NO_BUFFER;
	bool once = false;

	while ((c = getopt_long(argc, argv, "r:o:1m:i:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			root = optarg;
			break;
		case 'o':
			if (!strcmp(optarg, "json"))
				fw.out = &json_output;
			else if (strcmp(optarg, "journal"))
				return bj_fail(BJ_EXIT_USAGE, "--output %s: expected journal or json", optarg);
			break;
		case '1':
			once = true;
			break;
		case 'm':
			if (!*optarg)
				return bj_fail(BJ_EXIT_USAGE, "--metrics: expected a file name");
			fw.metrics = optarg;
			break;
		case 'i':
			if (parse_interval(optarg, &fw.metrics_interval))
				return bj_fail(BJ_EXIT_USAGE, "--metrics-interval %s: expected whole seconds from 1 to %u",
					       optarg, METRICS_INTERVAL_MAX);
			interval = optarg;
			break;
		case 'h':
			usage(stdout);
			return BJ_EXIT_OK;
		case 'V':
			printf("%s %s\n", bj_program, BJ_VERSION);
			return BJ_EXIT_OK;
		default:
			fputs("Try 'bpfjailer-forwarder --help' for more information.\n", stderr);
			return BJ_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return bj_fail(BJ_EXIT_USAGE, "unexpected argument '%s'", argv[optind]);
	if (interval && !fw.metrics)
		return bj_fail(BJ_EXIT_USAGE, "--metrics-interval %s: without --metrics there is nothing to write",
			       interval);

	events_fd = open_pinned(root, BJ_MAP_AUDIT_EVENTS, BPF_MAP_TYPE_PERF_EVENT_ARRAY, &info);
	fw.lost_fd = events_fd < 0 ? -1 : open_pinned(root, BJ_MAP_AUDIT_LOST, BPF_MAP_TYPE_PERCPU_ARRAY, &info);
	fw.reported_fd = fw.lost_fd < 0 ? -1 : open_pinned(root, BJ_MAP_AUDIT_REPORTED, BPF_MAP_TYPE_ARRAY, &info);
	if (fw.reported_fd < 0 || read_role_names(root, &fw.roles))
		goto out;
	if (fw.metrics) {
		fw.decisions_fd = open_pinned(root, BJ_MAP_DECISIONS, BPF_MAP_TYPE_PERCPU_ARRAY, &info);
		if (fw.decisions_fd < 0)
			goto out;
		/* A file that cannot be written is a mistake in the command line: said now, not every 15 s. */
		if (write_metrics(&fw)) {
			ret = BJ_EXIT_USAGE;
			goto out;
		}
	}

	ret = BJ_EXIT_READ_FAILED;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	libbpf_set_print(NULL);
	pb = perf_buffer__new(events_fd, PAGES_PER_CPU, on_sample, on_lost, &fw, NULL);
	if (!pb) {
		bj_err(-errno, "open the perf buffers");
		goto out;
	}

	/* Whatever the kernel could not deliver while no forwarder was here. */
	{
		__u32 zero = 0;
		__u64 reported = 0;

		bpf_map_lookup_elem(fw.reported_fd, &zero, &reported);
		fw.kernel_lost = reported;
		if (kernel_lost_now(&fw) > reported)
			catch_up_lost(&fw, kernel_lost_now(&fw), "no reader was attached when they were written");
	}
	/* Reading now: under systemd (Type=notify) the services the jail enrolls may start. */
	c = sd_notify(0, "READY=1");
	if (c < 0)
		bj_err(c, "sd_notify");

	while (!stop && !once) {
		int n = perf_buffer__poll(pb, poll_timeout(&fw));

		if (n < 0 && n != -EINTR) {
			bj_err(n, "read the perf buffers");
			goto out;
		}
	}
	/* Stopping (or --once): take what is buffered, so a clean stop loses nothing. */
	c = perf_buffer__consume(pb);
	if (c < 0) {
		bj_err(c, "read the perf buffers");
		goto out;
	}
	if (kernel_lost_now(&fw) > fw.kernel_lost)
		catch_up_lost(&fw, kernel_lost_now(&fw), "the kernel could not write them (no reader, or the buffer was full)");
	/* The last counts, so that the file says what this forwarder did to its end. */
	if (fw.metrics)
		write_metrics(&fw);
	ret = BJ_EXIT_OK;
out:
	perf_buffer__free(pb);
	queue_free(&fw.pending);
	free(fw.roles.names);
	if (fw.decisions_fd >= 0)
		close(fw.decisions_fd);
	if (fw.reported_fd >= 0)
		close(fw.reported_fd);
	if (fw.lost_fd >= 0)
		close(fw.lost_fd);
	if (events_fd >= 0)
		close(events_fd);
	return ret;
}
