// SPDX-License-Identifier: GPL-2.0
/* Process, privilege and kernel operations. */
#include <fcntl.h>
#include <linux/bpf.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "try.h"

static int op_ptrace_attach(char **argv)
{
	pid_t pid = atoi(argv[0]);

	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
		return fail();
	waitpid(pid, NULL, 0);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return 0;
}

static int op_traceme(char **argv)
{
	(void)argv;
	return ptrace(PTRACE_TRACEME, 0, NULL, NULL) ? fail() : 0;
}

static int op_vm_read(char **argv)
{
	char buf[8], *addr = (char *)0x400000;
	struct iovec local = { buf, sizeof(buf) }, remote = { addr, sizeof(buf) };

	/* EFAULT means the access check passed and only the address was wrong. */
	if (process_vm_readv(atoi(argv[0]), &local, 1, &remote, 1, 0) < 0 && errno != EFAULT)
		return fail();
	return 0;
}

static int op_proc_mem(char **argv)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/mem", argv[0]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail();
	close(fd);
	return 0;
}

static int op_setuid(char **argv)
{
	return setuid((uid_t)atoi(argv[0])) ? fail() : 0;
}

static int op_setgid(char **argv)
{
	return setgid((gid_t)atoi(argv[0])) ? fail() : 0;
}

/* A module image that is not one: the jail must refuse before the loader looks. */
static int op_init_module(char **argv)
{
	static const char junk[64];

	(void)argv;
	return syscall(SYS_init_module, junk, sizeof(junk), "") ? fail() : 0;
}

static int op_finit_module(char **argv)
{
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return fail();
	err = syscall(SYS_finit_module, fd, "", 0) ? fail() : 0;
	close(fd);
	return err;
}

static int bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int op_bpf_map_create(char **argv)
{
	union bpf_attr attr = {
		.map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1,
	};
	int fd;

	(void)argv;
	fd = bpf(BPF_MAP_CREATE, &attr);
	if (fd < 0)
		return fail();
	close(fd);
	return 0;
}

static int op_bpf_obj_get(char **argv)
{
	union bpf_attr attr = { .pathname = (__u64)(unsigned long)argv[0] };
	return got_fd(bpf(BPF_OBJ_GET, &attr));
}

/*
 * The map pinned at PATH, opened read-only (what --status does), then OP:
 * get (the open alone), lookup, update, delete or freeze of element 0.
 */
static int op_bpf_map_ro(char **argv)
{
	union bpf_attr get = { .pathname = (__u64)(unsigned long)argv[1], .file_flags = BPF_F_RDONLY };
	static char value[1 << 16]; /* room for any value of bpfjailer's maps */
	__u32 key = 0;
	union bpf_attr elem = { .key = (__u64)(unsigned long)&key, .value = (__u64)(unsigned long)value };
	int fd = bpf(BPF_OBJ_GET, &get), ret;

	if (fd < 0)
		return fail();
	elem.map_fd = (__u32)fd;
	if (!strcmp(argv[0], "get"))
		ret = 0;
	else if (!strcmp(argv[0], "lookup"))
		ret = bpf(BPF_MAP_LOOKUP_ELEM, &elem);
	else if (!strcmp(argv[0], "update"))
		ret = bpf(BPF_MAP_UPDATE_ELEM, &elem);
	else if (!strcmp(argv[0], "delete"))
		ret = bpf(BPF_MAP_DELETE_ELEM, &(union bpf_attr){ .map_fd = (__u32)fd, .key = elem.key });
	else if (!strcmp(argv[0], "freeze"))
		ret = bpf(BPF_MAP_FREEZE, &(union bpf_attr){ .map_fd = (__u32)fd });
	else
		ret = (errno = EINVAL, -1);
	ret = ret ? fail() : 0;
	close(fd);
	return ret;
}

static int op_bpf_map_by_id(char **argv)
{
	union bpf_attr attr = { .map_id = (__u32)atoi(argv[0]) };
	return got_fd(bpf(BPF_MAP_GET_FD_BY_ID, &attr));
}

/* Print the ids of maps the kernel lists but will not give out (ENOENT by id). */
static int op_bpf_hidden_maps(char **argv)
{
	union bpf_attr next = { 0 };

	(void)argv;
	while (bpf(BPF_MAP_GET_NEXT_ID, &next) == 0) {
		union bpf_attr by_id = { .map_id = next.next_id };
		int fd = bpf(BPF_MAP_GET_FD_BY_ID, &by_id);

		if (fd >= 0)
			close(fd);
		else if (errno == ENOENT)
			printf("%u\n", next.next_id);
		next.start_id = next.next_id;
	}
	return errno == ENOENT ? 0 : fail();
}

/*
 * Ask to load a tracing program ("return 0") of this attach type, with no
 * target: the kernel rejects it (EINVAL) after the LSM has had its say.
 */
static int load_tracing(enum bpf_attach_type type)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr = {
		.prog_type = BPF_PROG_TYPE_TRACING,
		.expected_attach_type = type,
		.insns = (__u64)(unsigned long)insns,
		.insn_cnt = 2,
		.license = (__u64)(unsigned long)"GPL",
	};
	return got_fd(bpf(BPF_PROG_LOAD, &attr));
}

static int op_bpf_load_fmod_ret(char **argv)
{
	(void)argv;
	return load_tracing(BPF_MODIFY_RETURN);
}

static int op_bpf_load_fentry(char **argv)
{
	(void)argv;
	return load_tracing(BPF_TRACE_FENTRY);
}

static int op_mount_tmpfs(char **argv)
{
	return mount("none", argv[0], "tmpfs", 0, NULL) ? fail() : 0;
}

static int op_umount(char **argv)
{
	return umount2(argv[0], MNT_DETACH) ? fail() : 0;
}

static int op_umount_now(char **argv)
{
	return umount2(argv[0], 0) ? fail() : 0;
}

static int op_unshare_user(char **argv)
{
	(void)argv;
	return unshare(CLONE_NEWUSER) ? fail() : 0;
}

static int op_chroot(char **argv)
{
	return chroot(argv[0]) ? fail() : 0;
}

/* Stay alive (jailed) so that others can try things on us. */
static int op_sleep(char **argv)
{
	sleep((unsigned int)atoi(argv[0]));
	return 0;
}

const struct try_op try_proc_ops[] = {
	{ "ptrace-attach", "PID", 1, op_ptrace_attach },
	{ "traceme", "", 0, op_traceme },
	{ "vm-read", "PID", 1, op_vm_read },
	{ "proc-mem", "PID", 1, op_proc_mem },
	{ "setuid", "UID", 1, op_setuid },
	{ "setgid", "GID", 1, op_setgid },
	{ "init-module", "", 0, op_init_module },
	{ "finit-module", "PATH", 1, op_finit_module },
	{ "bpf-map-create", "", 0, op_bpf_map_create },
	{ "bpf-obj-get", "PATH", 1, op_bpf_obj_get },
	{ "bpf-map-ro", "get|lookup|update|delete|freeze PATH", 2, op_bpf_map_ro },
	{ "bpf-map-by-id", "ID", 1, op_bpf_map_by_id },
	{ "bpf-hidden-maps", "", 0, op_bpf_hidden_maps },
	{ "bpf-load-fmod-ret", "", 0, op_bpf_load_fmod_ret },
	{ "bpf-load-fentry", "", 0, op_bpf_load_fentry },
	{ "mount-tmpfs", "DIR", 1, op_mount_tmpfs },
	{ "umount", "DIR", 1, op_umount },
	{ "umount-now", "DIR", 1, op_umount_now },
	{ "unshare-user", "", 0, op_unshare_user },
	{ "chroot", "DIR", 1, op_chroot },
	{ "sleep", "SECONDS", 1, op_sleep },
	{ 0 },
};
