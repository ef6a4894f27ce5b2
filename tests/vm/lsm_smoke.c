// SPDX-License-Identifier: GPL-2.0
/*
 * lsm_smoke: prove that this kernel enforces BPF LSM programs.
 *
 *   lsm_smoke [-v]          load lsm_smoke.bpf.c aimed at one child process
 *                           and one file, and check: the child cannot open
 *                           that file (EPERM), can open another one, and
 *                           other processes can still open the file.
 *   lsm_smoke --probe [-v]  the same checks, quietly: one line that says
 *                           whether this kernel enforces BPF LSM programs.
 *
 * Why the probe does not stop at load and attach: a kernel built with BPF
 * LSM but booted without "bpf" in its lsm= list loads and attaches LSM
 * programs without complaint and never runs them. Only a denial proves it.
 *
 * Exit: 0 all checks passed / probe succeeded; 1 a check failed or the
 * kernel refused the program (the message says which); 2 bad usage.
 * Nothing stays behind: the program is attached through a link owned by this
 * process and destroyed before exit, nothing is pinned.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include "lsm_smoke.skel.h"

static const char *me = "lsm_smoke";
static bool verbose;
static bool probe;
static int failures;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* The probe is quiet unless asked: its own message says what failed. */
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	if (probe && !verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

__attribute__((format(printf, 2, 3)))
static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (!ok)
		failures++;
	if (ok && probe && !verbose)
		return;
	printf("%s ", ok ? "ok  " : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* The active LSMs, or NULL if securityfs does not say. */
static const char *active_lsms(void)
{
	static char lsm[512];
	FILE *f = fopen("/sys/kernel/security/lsm", "r");
	bool ok;

	if (!f)
		return NULL;
	ok = fgets(lsm, sizeof(lsm), f) != NULL;
	fclose(f);
	if (!ok)
		return NULL;
	lsm[strcspn(lsm, "\n")] = '\0';
	return lsm;
}

static bool bpf_listed(const char *lsms)
{
	char buf[512], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", lsms);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, "bpf"))
			return true;
	return false;
}

static void explain_inactive(const char *lsms)
{
	if (!lsms)
		fprintf(stderr, "%s: BPF LSM programs attach but are not run: BPF LSM is probably not active "
			"(/sys/kernel/security/lsm is not readable); boot with lsm=...,bpf\n", me);
	else if (!bpf_listed(lsms))
		fprintf(stderr, "%s: BPF LSM is not active (LSMs: %s): programs attach but are never run; "
			"boot with lsm=%s,bpf\n", me, lsms, lsms);
	else
		fprintf(stderr, "%s: bpf is an active LSM (LSMs: %s) but the attached program did not deny\n", me, lsms);
}

/* Why the kernel may have refused: say what the user can do about it. */
static void explain_refusal(int err)
{
	const char *lsms;

	if (err != EPERM && err != EACCES && err != EINVAL && err != EOPNOTSUPP)
		return;
	if (geteuid() != 0) {
		fprintf(stderr, "%s: not running as root: loading BPF LSM programs needs CAP_BPF, CAP_PERFMON and CAP_MAC_ADMIN (or root)\n", me);
		return;
	}
	lsms = active_lsms();
	if (!lsms)
		fprintf(stderr, "%s: /sys/kernel/security/lsm is not readable (securityfs not mounted?): cannot tell whether BPF LSM is active\n", me);
	else if (!bpf_listed(lsms))
		fprintf(stderr, "%s: BPF LSM is not active (LSMs: %s): boot with lsm=%s,bpf\n", me, lsms, lsms);
	else
		fprintf(stderr, "%s: bpf is an active LSM (LSMs: %s) yet this kernel refuses BPF LSM programs\n", me, lsms);
}

static int write_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, "smoke\n", 6) != 6 || close(fd) < 0) {
		fprintf(stderr, "%s: %s: %s\n", me, path, strerror(errno));
		return -1;
	}
	return 0;
}

/* 0 if path opens, else the errno of the failed open. */
static int try_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int run_smoke(void)
{
	char dir[] = "/tmp/lsm_smoke.XXXXXX", target[64], other[64];
	int go[2] = { -1, -1 }, res[2] = { -1, -1 }, got[2], status, err, rc = 1;
	struct lsm_smoke *skel = NULL;
	pid_t child = -1, bystander;
	struct stat st;

	if (!mkdtemp(dir)) {
		fprintf(stderr, "%s: mkdtemp %s: %s\n", me, dir, strerror(errno));
		return 1;
	}
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(other, sizeof(other), "%s/other", dir);
	if (write_file(target) || write_file(other))
		goto out;
	if (stat(target, &st)) {
		fprintf(stderr, "%s: stat %s: %s\n", me, target, strerror(errno));
		goto out;
	}
	if (pipe2(go, O_CLOEXEC) || pipe2(res, O_CLOEXEC)) {
		fprintf(stderr, "%s: pipe: %s\n", me, strerror(errno));
		goto out;
	}

	/* The target process exists before the program is loaded, so that its
	 * tgid can go into .rodata; it waits for "go" before it opens anything. */
	child = fork();
	if (child < 0) {
		fprintf(stderr, "%s: fork: %s\n", me, strerror(errno));
		goto out;
	}
	if (child == 0) {
		char c;

		close(go[1]);
		close(res[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(3);	/* the parent gave up */
		got[0] = try_open(target);
		got[1] = try_open(other);
		_exit(write(res[1], got, sizeof(got)) == sizeof(got) ? 0 : 4);
	}
	close(go[0]);
	close(res[1]);
	go[0] = res[1] = -1;

	skel = lsm_smoke__open();
	if (!skel) {
		fprintf(stderr, "%s: open the BPF object: %s\n", me, strerror(errno));
		goto out;
	}
	skel->rodata->target_tgid = child;
	skel->rodata->target_ino = st.st_ino;
	/* The kernel's dev_t, not the one stat() encodes for user space. */
	skel->rodata->target_dev = (major(st.st_dev) << 20) | minor(st.st_dev);
	err = lsm_smoke__load(skel);
	if (err) {
		fprintf(stderr, "%s: load lsm/file_open: %s\n", me, strerror(-err));
		explain_refusal(-err);
		goto out;
	}
	err = lsm_smoke__attach(skel);
	if (err) {
		fprintf(stderr, "%s: attach lsm/file_open: %s\n", me, strerror(-err));
		explain_refusal(-err);
		goto out;
	}
	check(true, "loaded and attached lsm/file_open, aimed at pid %d and %s (dev %u:%u ino %llu)",
	      (int)child, target, major(st.st_dev), minor(st.st_dev), (unsigned long long)st.st_ino);

	if (write(go[1], "g", 1) != 1 || read(res[0], got, sizeof(got)) != sizeof(got)) {
		fprintf(stderr, "%s: talking to the target process %d failed\n", me, (int)child);
		goto out;
	}
	check(got[0] == EPERM, "target process %d: open(%s) %s%s", (int)child, target,
	      got[0] ? "failed: " : "succeeded", got[0] ? strerror(got[0]) : " (want EPERM)");
	check(got[1] == 0, "target process %d: open(%s) %s", (int)child, other,
	      got[1] ? strerror(got[1]) : "succeeded");
	err = try_open(target);
	check(err == 0, "this process %d: open(%s) %s", (int)getpid(), target,
	      err ? strerror(err) : "succeeded");

	bystander = fork();
	if (bystander == 0)
		_exit(try_open(target));
	if (bystander < 0 || waitpid(bystander, &status, 0) < 0) {
		fprintf(stderr, "%s: fork/wait of a bystander: %s\n", me, strerror(errno));
		goto out;
	}
	err = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	check(err == 0, "unrelated process %d: open(%s) %s", (int)bystander, target,
	      err ? (err > 0 ? strerror(err) : "died") : "succeeded");
	check(skel->bss->denied == 1, "the program counted %llu denial(s) (want 1)",
	      (unsigned long long)skel->bss->denied);
	if (got[0] == 0 && skel->bss->denied == 0)
		explain_inactive(active_lsms());
	rc = failures ? 1 : 0;

out:
	lsm_smoke__destroy(skel);
	/* Closing "go" lets a child that is still waiting read EOF and exit. */
	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (res[i] >= 0)
			close(res[i]);
	}
	if (child > 0)
		waitpid(child, NULL, 0);
	unlink(target);
	unlink(other);
	rmdir(dir);
	if (rc == 0)
		printf("%s: this kernel enforces BPF LSM programs%s\n", me,
		       probe ? "" : ": all checks passed");
	else if (failures)
		fprintf(stderr, "%s: %d check(s) failed\n", me, failures);
	return rc;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--probe")) {
			probe = true;
		} else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: %s [--probe] [-v]\n", me);
			return 0;
		} else {
			fprintf(stderr, "%s: %s: unknown argument\nusage: %s [--probe] [-v]\n", me, argv[i], me);
			return 2;
		}
	}
	libbpf_set_print(print_libbpf);
	return run_smoke();
}
