// SPDX-License-Identifier: GPL-2.0
/*
 * bpfjailer-run: start a command inside a role the policy lists in
 * launch_enrollments. It asks the kernel for the role (BJ_PRCTL_LAUNCH,
 * bpfjailer.h) and execs the command in its own place: the role takes
 * effect at that exec, and the command is the process a unit or a shell
 * started. The kernel decides, by this program's file and the caller's
 * jail; this program only asks and explains the answer.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "bpfjailer.h"
#include "err.h"

/* The command could not be run: the codes env(1) and the shells use. */
#define EXIT_CANNOT_RUN 126
#define EXIT_NOT_FOUND  127

const char bj_program[] = "bpfjailer-run";

struct options {
	const char *role;
	uint64_t pod;
	bool pod_given;
	char **command;
};

static void usage(FILE *out)
{
	fputs("Usage: bpfjailer-run --role NAME [--pod ID] -- COMMAND [ARG]...\n"
	      "Run COMMAND in the bpfjailer role NAME, one the loaded policy lists in\n"
	      "launch_enrollments. The role takes effect when COMMAND starts and stays:\n"
	      "COMMAND's children are in it too. COMMAND replaces this program (same pid).\n"
	      "\n"
	      "  -r, --role NAME    the role, by its key under \"roles\" in the policy\n"
	      "  -p, --pod ID       the pod (1 or more; default: the pod_id the policy lists\n"
	      "                     for the role, or none)\n"
	      "  -h, --help         show this help and exit\n"
	      "  -V, --version      show the version and exit\n"
	      "\n"
	      "Exit status (only when COMMAND does not start): 1 bad usage, 2 bpfjailer is\n"
	      "not loaded or no role is launchable, 6 the kernel refused the role,\n"
	      "126 COMMAND could not be run, 127 COMMAND was not found.\n",
	      out);
}

static int bad_usage(const char *fmt, const char *arg)
{
	char what[256];

	snprintf(what, sizeof(what), fmt, arg);
	return bj_fail(-1, "%s\nTry 'bpfjailer-run --help' for more information.", what);
}

/* A pod id: decimal digits only, at most UINT64_MAX (0 is refused later, once the kernel has seen it). */
static int parse_pod(const char *text, uint64_t *pod)
{
	char *end;

	if (*text < '0' || *text > '9')
		return bad_usage("--pod %s: expected a pod id, 1 or more", text);
	errno = 0;
	*pod = strtoull(text, &end, 10);
	if (errno || *end)
		return bad_usage("--pod %s: expected a pod id, 1 or more", text);
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "pod", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int c;

	*o = (struct options){ 0 };
	/* "+": options end at COMMAND, whose own options are its business. */
	while ((c = getopt_long(argc, argv, "+r:p:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->role = optarg;
			break;
		case 'p':
			if (parse_pod(optarg, &o->pod))
				return -1;
			o->pod_given = true;
			break;
		case 'h':
			usage(stdout);
			exit(BJ_EXIT_OK);
		case 'V':
			printf("%s %s\n", bj_program, BJ_VERSION);
			exit(BJ_EXIT_OK);
		default:
			fputs("Try 'bpfjailer-run --help' for more information.\n", stderr);
			return -1;
		}
	}
	if (!o->role)
		return bad_usage("%s", "--role is required");
	/* The kernel reads at most this much: a longer name could only match a shorter role's. */
	if (!*o->role || strlen(o->role) >= BJ_ROLE_NAME_LEN)
		return bad_usage("--role %s: expected a role key of 1 to 63 bytes", o->role);
	if (optind >= argc)
		return bad_usage("%s", "no COMMAND to run");
	o->command = argv + optind;
	return 0;
}

/* Why the kernel did not say yes to prctl(BJ_PRCTL_LAUNCH), in words; the exit status. */
static int explain_refusal(int err, const struct options *o)
{
	switch (err) {
	case 0: /* the kernel's own prctl() never says yes to an option it does not know */
		return bj_fail(BJ_EXIT_KERNEL, "role %s: the kernel answered 0, which bpfjailer never does: "
			       "something else handles this prctl() option", o->role);
	case EINVAL:
		return bj_fail(BJ_EXIT_KERNEL, "role %s: bpfjailer is not loaded, or its policy has no launchable "
			       "role (launch_enrollments)", o->role);
	case ENOENT:
		return bj_fail(BJ_EXIT_REFUSED, "role %s: the loaded policy has no role of that name (the key "
			       "under \"roles\")", o->role);
	case EPERM:
		return bj_fail(BJ_EXIT_REFUSED, "role %s is not launchable: the loaded policy's "
			       "launch_enrollments does not list it", o->role);
	case EALREADY:
		return bj_fail(BJ_EXIT_REFUSED, "role %s: this process is jailed already, and a jailed process "
			       "keeps its role", o->role);
	case EACCES:
		return bj_fail(BJ_EXIT_REFUSED, "role %s: this program is not the launcher the loaded policy "
			       "names (launcher_path, known by device and inode: a copy, or a file put in its place "
			       "since the load, is not it)", o->role);
	case ERANGE:
		return bj_fail(BJ_EXIT_REFUSED, "role %s: pod 0 is no pod", o->role);
	}
	return bj_fail(BJ_EXIT_REFUSED, "role %s: the kernel refused it: %s", o->role, strerror(err));
}

int main(int argc, char **argv)
{
	struct options o;
	int err;

	if (parse_args(argc, argv, &o))
		return BJ_EXIT_USAGE;
	/*
	 * The kernel hears even --pod 0, which this program refuses anyway:
	 * every refused request is on the audit record, whoever refuses it.
	 */
	err = prctl(BJ_PRCTL_LAUNCH, (unsigned long)o.role, (unsigned long)o.pod, (unsigned long)o.pod_given, 0) ?
		      errno : 0;
	if (o.pod_given && !o.pod) {
		bad_usage("%s", "--pod 0: pod 0 means no pod (expected 1 or more, or no --pod for the role's "
			  "listed pod)");
		return BJ_EXIT_USAGE;
	}
	/* Yes is an error too (bpfjailer.h): whatever else came back, COMMAND does not run. */
	if (err != EINPROGRESS)
		return explain_refusal(err, &o);
	execvp(o.command[0], o.command);
	err = errno;
	bj_err(-err, "run %s", o.command[0]);
	return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
}
