// SPDX-License-Identifier: GPL-2.0
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "err.h"
#include "kernel.h"
#include "probe.skel.h"

#define BTF_PATH     "/sys/kernel/btf/vmlinux"
#define SECURITYFS   "/sys/kernel/security"
#define LSM_LIST     SECURITYFS "/lsm"

void kernel_caps_probe(struct bj_kernel_caps *caps)
{
	struct btf *btf = btf__load_vmlinux_btf();

	*caps = (struct bj_kernel_caps){ 0 };
	if (!btf)
		return;
	caps->xattr_kfunc = btf__find_by_name_kind(btf, "bpf_get_file_xattr", BTF_KIND_FUNC) >= 0;
	caps->signing_kfuncs = caps->xattr_kfunc &&
			       btf__find_by_name_kind(btf, "bpf_get_fsverity_digest", BTF_KIND_FUNC) >= 0 &&
			       btf__find_by_name_kind(btf, "bpf_verify_pkcs7_signature", BTF_KIND_FUNC) >= 0 &&
			       btf__find_by_name_kind(btf, "bpf_lookup_user_key", BTF_KIND_FUNC) >= 0;
	btf__free(btf);
}

static bool fs_is(const char *path, long magic)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == magic;
}

/* Read the active LSM list into buf, mounting securityfs first if needed. */
static int read_lsm_list(char *buf, size_t size)
{
	FILE *f;
	size_t n;

	if (!fs_is(SECURITYFS, SECURITYFS_MAGIC) &&
	    mount("securityfs", SECURITYFS, "securityfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		bj_err(-errno, "cannot mount securityfs on %s to read the active LSMs", SECURITYFS);
		return BJ_EXIT_KERNEL;
	}
	f = fopen(LSM_LIST, "re");
	if (!f) {
		int err = -errno;

		return bj_fail(BJ_EXIT_KERNEL, "%s: %s (kernel built without CONFIG_SECURITY?)", LSM_LIST,
			       strerror(-err));
	}
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return BJ_EXIT_OK;
}

static bool list_has(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return true;
	return false;
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

/* Some kernels list "bpf" yet refuse every BPF LSM program: load one to know. */
static int probe_lsm_program(void)
{
	libbpf_print_fn_t old = libbpf_set_print(silent);
	struct probe *skel = probe__open();
	int err;

	if (!skel) {
		err = -errno;
		libbpf_set_print(old);
		bj_err(err, "cannot open the BPF LSM probe");
		return BJ_EXIT_LOAD_FAILED;
	}
	err = probe__load(skel);
	probe__destroy(skel);
	libbpf_set_print(old);
	if (!err)
		return BJ_EXIT_OK;
	if (err == -EPERM && geteuid() != 0)
		return bj_fail(BJ_EXIT_LOAD_FAILED, "loading BPF programs needs root (CAP_BPF and CAP_SYS_ADMIN)");
	return bj_fail(BJ_EXIT_KERNEL, "this kernel lists bpf among its LSMs but refuses BPF LSM programs: loading "
		       "a minimal lsm/file_open program failed with \"%s\". Kernels built for some sandboxes "
		       "(Firecracker/PVM guests among them) do this; boot a kernel that accepts them.",
		       strerror(-err));
}

/* The pin root's nearest existing ancestor must be a bpffs. */
static int check_bpffs(const char *pin_root)
{
	char path[PATH_MAX];
	size_t len;

	if (snprintf(path, sizeof(path), "%s", pin_root) >= (int)sizeof(path))
		return bj_fail(BJ_EXIT_KERNEL, "pin root %s: path too long", pin_root);
	for (;;) {
		struct stat st;

		if (stat(path, &st) == 0)
			break;
		if (errno != ENOENT) {
			bj_err(-errno, "pin root %s: %s", pin_root, path);
			return BJ_EXIT_KERNEL;
		}
		len = strlen(path);
		while (len > 1 && path[len - 1] != '/')
			len--;
		path[len > 1 ? len - 1 : 1] = '\0';
	}
	if (fs_is(path, BPF_FS_MAGIC))
		return BJ_EXIT_OK;

	/* Nothing mounted at /sys/fs/bpf yet (early boot): mount it, as systemd would. */
	if (!strncmp(pin_root, BJ_BPFFS_MOUNT "/", strlen(BJ_BPFFS_MOUNT) + 1) && !strcmp(path, BJ_BPFFS_MOUNT)) {
		if (mount("bpffs", BJ_BPFFS_MOUNT, "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700") == 0)
			return BJ_EXIT_OK;
		bj_err(-errno, "cannot mount bpffs on %s", BJ_BPFFS_MOUNT);
		return BJ_EXIT_KERNEL;
	}
	return bj_fail(BJ_EXIT_KERNEL, "pin root %s is not on a bpffs (%s is not bpffs): mount one with "
		       "'mount -t bpf bpffs DIR'", pin_root, path);
}

/*
 * BJ_FTRACE_SWITCH must be 1. (No such file: no ftrace, and then the
 * trampolines do not depend on it.)
 */
static int check_ftrace(void)
{
	FILE *f = fopen(BJ_FTRACE_SWITCH, "re");
	int on = 1;

	if (!f && errno == ENOENT)
		return BJ_EXIT_OK;
	if (!f) {
		bj_err(-errno, "%s", BJ_FTRACE_SWITCH);
		return BJ_EXIT_KERNEL;
	}
	if (fscanf(f, "%d", &on) != 1)
		on = -1;
	fclose(f);
	if (on == 1)
		return BJ_EXIT_OK;
	return bj_fail(BJ_EXIT_KERNEL, "%s is not 1: with ftrace off, BPF LSM programs never run. Remove "
		       "kernel.ftrace_enabled=0 from /etc/sysctl.d and reboot.", BJ_FTRACE_SWITCH);
}

int kernel_check(const char *pin_root)
{
	char lsms[512];
	int err;

	if (access(BTF_PATH, R_OK) < 0) {
		err = -errno;
		return bj_fail(BJ_EXIT_KERNEL, "%s: %s: the kernel has no BTF (needs CONFIG_DEBUG_INFO_BTF=y)",
			       BTF_PATH, strerror(-err));
	}
	err = read_lsm_list(lsms, sizeof(lsms));
	if (err)
		return err;
	if (!list_has(lsms, "bpf"))
		return bj_fail(BJ_EXIT_KERNEL, "BPF LSM is not active (active LSMs: %s). Add \"lsm=%s,bpf\" to the "
			       "kernel command line (for GRUB: GRUB_CMDLINE_LINUX in /etc/default/grub, then "
			       "update-grub) and reboot.", lsms, lsms);
	err = probe_lsm_program();
	if (!err)
		err = check_ftrace();
	return err ? err : check_bpffs(pin_root);
}
