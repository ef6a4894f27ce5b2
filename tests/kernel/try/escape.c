// SPDX-License-Identifier: GPL-2.0
/*
 * What root inside the jail tries against the rest of the machine
 * (test-escape.sh): kernel-control files, capabilities beyond its role's,
 * processes outside the jail, devices, address families, metadata,
 * bpfjailer's own objects, kernel-internal mounts.
 *
 * Every op is harmless when it succeeds, because the test also runs each
 * unjailed, where it must succeed: it writes back the value it just read,
 * undoes what it set, or acts on itself or on a victim the test started.
 */
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "try.h"

/* ---- kernel-control files ---- */

/*
 * rewrite PATH: open it for reading and writing (the open is the attack),
 * read the value, and write the same bytes back, through a second open
 * where the file cannot seek (debugfs attributes).
 */
static int op_rewrite(char **argv)
{
	char buf[4096];
	int fd = open(argv[0], O_RDWR | O_CLOEXEC), err = 0;
	ssize_t n;

	if (fd < 0)
		return fail();
	n = read(fd, buf, sizeof(buf));
	if (n >= 0 && lseek(fd, 0, SEEK_SET) < 0 && errno == ESPIPE) {
		close(fd);
		fd = open(argv[0], O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return fail();
	} else if (n < 0) {
		err = fail();
	}
	if (!err && write(fd, buf, (size_t)n) != n)
		err = fail();
	close(fd);
	return err;
}

/* write PATH TEXT: for files with nothing to read back (sysrq-trigger, binfmt_misc's register). */
static int op_write(char **argv)
{
	size_t len = strlen(argv[1]);
	int fd = open(argv[0], O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return fail();
	if (write(fd, argv[1], len) != (ssize_t)len)
		err = fail();
	close(fd);
	return err;
}

/* read PATH: open and read (an empty file reads fine). */
static int op_read(char **argv)
{
	char buf[4096];
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return fail();
	if (read(fd, buf, sizeof(buf)) < 0)
		err = fail();
	close(fd);
	return err;
}

/* list-dir PATH: open a directory and read its entries. */
static int op_list_dir(char **argv)
{
	char buf[4096];
	int fd = open(argv[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return fail();
	if (syscall(SYS_getdents64, fd, buf, sizeof(buf)) < 0)
		err = fail();
	close(fd);
	return err;
}

/* ---- capabilities, each with a harmless use ---- */

/* CAP_SYS_ADMIN: set the host name it already has. */
static int op_sethostname(char **argv)
{
	struct utsname u;

	(void)argv;
	if (uname(&u))
		return fail();
	return sethostname(u.nodename, strlen(u.nodename)) ? fail() : 0;
}

/* CAP_SYS_TIME: set the clock to the time it says. */
static int op_clock_settime(char **argv)
{
	struct timespec now;

	(void)argv;
	if (clock_gettime(CLOCK_REALTIME, &now))
		return fail();
	return clock_settime(CLOCK_REALTIME, &now) ? fail() : 0;
}

/* CAP_SYS_RAWIO: access to an I/O port, given up at once. */
static int op_ioperm(char **argv)
{
	(void)argv;
	if (ioperm(0x80, 1, 1))
		return fail();
	return ioperm(0x80, 1, 0) ? fail() : 0;
}

/* CAP_SYS_BOOT: make Ctrl-Alt-Del signal init instead of rebooting. */
static int op_reboot_cad_off(char **argv)
{
	(void)argv;
	return reboot(RB_DISABLE_CAD) ? fail() : 0;
}

/* CAP_SYS_BOOT and kernel_load_data: kexec_load with no segments (unloads no image here). */
static int op_kexec_unload(char **argv)
{
	(void)argv;
	return syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL) ? fail() : 0;
}

/* CAP_SYSLOG (dmesg_restrict): read the kernel log. */
static int op_syslog_read(char **argv)
{
	static char buf[16384];

	(void)argv;
	return klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf)) < 0 ? fail() : 0;
}

/* CAP_SYS_NICE: a higher priority for itself. */
static int op_nice_self(char **argv)
{
	(void)argv;
	return setpriority(PRIO_PROCESS, 0, -5) ? fail() : 0;
}

/* CAP_SYS_RESOURCE: lower its own hard RLIMIT_NOFILE by one, then raise it back. */
static int op_raise_nofile(char **argv)
{
	struct rlimit old, low;

	(void)argv;
	if (getrlimit(RLIMIT_NOFILE, &old))
		return fail();
	low.rlim_max = old.rlim_max - 1;
	low.rlim_cur = old.rlim_cur < low.rlim_max ? old.rlim_cur : low.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &low))
		return fail();
	return setrlimit(RLIMIT_NOFILE, &old) ? fail() : 0;
}

/* CAP_IPC_LOCK: lock a page beyond RLIMIT_MEMLOCK (lowered to 0 first). */
static int op_mlock(char **argv)
{
	struct rlimit lim;
	void *p;
	int err = 0;

	(void)argv;
	if (getrlimit(RLIMIT_MEMLOCK, &lim))
		return fail();
	lim.rlim_cur = 0;
	if (setrlimit(RLIMIT_MEMLOCK, &lim))
		return fail();
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return fail();
	if (mlock(p, 4096))
		err = fail();
	munmap(p, 4096);
	return err;
}

/* Make a private SysV segment of this mode, attach it with shmflg, remove it. */
static int shm_try_attach(int mode, int shmflg)
{
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | mode), err = 0;
	void *p;

	if (id < 0)
		return fail();
	p = shmat(id, NULL, shmflg);
	if (p == (void *)-1)
		err = fail();
	else
		shmdt(p);
	shmctl(id, IPC_RMID, NULL);
	return err;
}

/* CAP_IPC_OWNER: attach a SysV segment whose mode grants nobody anything. */
static int op_shm_owner(char **argv)
{
	(void)argv;
	return shm_try_attach(0000, SHM_RDONLY);
}

/* CAP_SYS_PACCT: process accounting off (it is off). */
static int op_acct_off(char **argv)
{
	(void)argv;
	return acct(NULL) ? fail() : 0;
}

/* CAP_SYS_TTY_CONFIG: hang up its controlling terminal, only when it has none. */
static int op_vhangup(char **argv)
{
	int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	(void)argv;
	if (tty >= 0) {
		close(tty);
		return -EBUSY; /* a real terminal: not to be hung up by a test */
	}
	return vhangup() ? fail() : 0;
}

/* CAP_AUDIT_CONTROL: ask the audit subsystem for its status (what turning it off needs). */
static int op_audit_get(char **argv)
{
	struct {
		struct nlmsghdr h;
		char pad[1024];
	} req = { .h = { .nlmsg_len = NLMSG_LENGTH(0), .nlmsg_type = AUDIT_GET,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = 1 } }, resp;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT), err = 0;
	ssize_t n;

	(void)argv;
	if (fd < 0)
		return fail();
	if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		err = fail();
	else if ((n = recv(fd, &resp, sizeof(resp), 0)) < (ssize_t)NLMSG_LENGTH(sizeof(int)))
		err = n < 0 ? fail() : -EPROTO;
	else if (resp.h.nlmsg_type == NLMSG_ERROR)
		err = ((struct nlmsgerr *)NLMSG_DATA(&resp.h))->error; /* 0: an ack */
	close(fd);
	return err;
}

/* setgroups GID: supplementary groups are an identity change too. */
static int op_setgroups(char **argv)
{
	gid_t gid = (gid_t)atoi(argv[0]);

	return setgroups(1, &gid) ? fail() : 0;
}

/* ---- files and their metadata ---- */

/* mknod PATH c|b MAJOR MINOR: create a device node, then remove it. */
static int op_mknod(char **argv)
{
	mode_t type = !strcmp(argv[1], "b") ? S_IFBLK : S_IFCHR;

	if (mknod(argv[0], type | 0600, makedev(atoi(argv[2]), atoi(argv[3]))))
		return fail();
	return unlink(argv[0]) ? fail() : 0;
}

/* chattr PATH i|a: set the immutable or append-only flag, then clear it again. */
static int op_chattr(char **argv)
{
	int fd = open(argv[0], O_RDONLY | O_NONBLOCK | O_CLOEXEC), old, set, err = 0;

	if (fd < 0)
		return fail();
	if (ioctl(fd, FS_IOC_GETFLAGS, &old)) {
		err = fail();
		goto out;
	}
	set = old | (!strcmp(argv[1], "a") ? FS_APPEND_FL : FS_IMMUTABLE_FL);
	if (ioctl(fd, FS_IOC_SETFLAGS, &set))
		err = fail();
	else if (ioctl(fd, FS_IOC_SETFLAGS, &old))
		err = fail();
out:
	close(fd);
	return err;
}

/* setxattr PATH NAME HEX: set an extended attribute (value in hex), then remove it. */
static int op_setxattr(char **argv)
{
	unsigned char value[64];
	size_t len = strlen(argv[2]) / 2;

	if (len > sizeof(value)) {
		errno = EINVAL;
		return fail();
	}
	for (size_t i = 0; i < len; i++) {
		unsigned int byte;

		if (sscanf(argv[2] + 2 * i, "%2x", &byte) != 1) {
			errno = EINVAL;
			return fail();
		}
		value[i] = (unsigned char)byte;
	}
	if (setxattr(argv[0], argv[1], value, len, 0))
		return fail();
	return removexattr(argv[0], argv[1]) ? fail() : 0;
}

/* chown-to PATH UID GID */
static int op_chown_to(char **argv)
{
	return chown(argv[0], (uid_t)atoi(argv[1]), (gid_t)atoi(argv[2])) ? fail() : 0;
}

/* utimes PATH: set the times it already has, explicitly (as touch -d does). */
static int op_utimes(char **argv)
{
	struct stat st;
	struct timespec times[2];

	if (stat(argv[0], &st))
		return fail();
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	return utimensat(AT_FDCWD, argv[0], times, 0) ? fail() : 0;
}

/*
 * open-by-handle PATH: reopen a file from its handle instead of its path
 * (CAP_DAC_READ_SEARCH), with its directory, which must be on the same
 * mount, as the mount fd.
 */
static int op_open_by_handle(char **argv)
{
	struct {
		struct file_handle fh;
		unsigned char space[MAX_HANDLE_SZ];
	} h = { .fh = { .handle_bytes = MAX_HANDLE_SZ } };
	char dir[4096], *slash;
	int mount_id, mount_fd, fd;

	snprintf(dir, sizeof(dir), "%s", argv[0]);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		errno = EINVAL;
		return fail();
	}
	*slash = '\0';
	if (name_to_handle_at(AT_FDCWD, argv[0], &h.fh, &mount_id, 0))
		return fail();
	mount_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mount_fd < 0)
		return fail();
	fd = open_by_handle_at(mount_fd, &h.fh, O_RDONLY | O_CLOEXEC);
	close(mount_fd);
	return got_fd(fd);
}

/* inotify PATH: watch a file (who opens it, when). */
static int op_inotify(char **argv)
{
	int fd = inotify_init1(IN_CLOEXEC), err = 0;

	if (fd < 0)
		return fail();
	if (inotify_add_watch(fd, argv[0], IN_ACCESS | IN_OPEN) < 0)
		err = fail();
	close(fd);
	return err;
}

/* fanotify PATH: the same through fanotify (CAP_SYS_ADMIN). */
static int op_fanotify(char **argv)
{
	int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY), err = 0;

	if (fd < 0)
		return fail();
	if (fanotify_mark(fd, FAN_MARK_ADD, FAN_ACCESS | FAN_OPEN, AT_FDCWD, argv[0]))
		err = fail();
	close(fd);
	return err;
}

/* ---- processes outside the jail ---- */

/* signal kill|tgkill|pidfd PID SIGNO */
static int op_signal(char **argv)
{
	pid_t pid = atoi(argv[1]);
	int sig = atoi(argv[2]), pidfd, err;

	if (!strcmp(argv[0], "kill"))
		return kill(pid, sig) ? fail() : 0;
	if (!strcmp(argv[0], "tgkill"))
		return syscall(SYS_tgkill, pid, pid, sig) ? fail() : 0;
	if (strcmp(argv[0], "pidfd")) {
		errno = EINVAL;
		return fail();
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return fail();
	err = syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) ? fail() : 0;
	close(pidfd);
	return err;
}

/* renice-of PID: set the nice value it has. */
static int op_renice_of(char **argv)
{
	pid_t pid = atoi(argv[0]);
	int prio;

	errno = 0;
	prio = getpriority(PRIO_PROCESS, (id_t)pid);
	if (prio == -1 && errno)
		return fail();
	return setpriority(PRIO_PROCESS, (id_t)pid, prio) ? fail() : 0;
}

/* ioprio-of PID: set the I/O priority it has. */
static int op_ioprio_of(char **argv)
{
	pid_t pid = atoi(argv[0]);
	long prio = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, pid);

	if (prio < 0)
		return fail();
	return syscall(SYS_ioprio_set, 1, pid, prio) ? fail() : 0;
}

/* sched-of PID: set the scheduling policy and parameters it has. */
static int op_sched_of(char **argv)
{
	pid_t pid = atoi(argv[0]);
	struct sched_param sp;
	int policy = sched_getscheduler(pid);

	if (policy < 0 || sched_getparam(pid, &sp))
		return fail();
	return sched_setscheduler(pid, policy, &sp) ? fail() : 0;
}

/* affinity-of PID: set the CPU affinity it has. */
static int op_affinity_of(char **argv)
{
	pid_t pid = atoi(argv[0]);
	cpu_set_t set;

	if (sched_getaffinity(pid, sizeof(set), &set))
		return fail();
	return sched_setaffinity(pid, sizeof(set), &set) ? fail() : 0;
}

/* prlimit-of PID: set the RLIMIT_NOFILE it has. */
static int op_prlimit_of(char **argv)
{
	pid_t pid = atoi(argv[0]);
	struct rlimit lim;

	if (prlimit(pid, RLIMIT_NOFILE, NULL, &lim))
		return fail();
	return prlimit(pid, RLIMIT_NOFILE, &lim, NULL) ? fail() : 0;
}

/* migrate-of PID: move PID's pages from node 0 to node 0 (nothing moves). */
static int op_migrate_of(char **argv)
{
	unsigned long nodes = 1;

	return syscall(SYS_migrate_pages, atoi(argv[0]), 8 * sizeof(nodes), &nodes, &nodes) < 0 ? fail() : 0;
}

/* setns PATH: join the namespace behind a /proc/PID/ns/ file. */
static int op_setns(char **argv)
{
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return fail();
	err = setns(fd, 0) ? fail() : 0;
	close(fd);
	return err;
}

/* perf-open PID: count a software event of PID (-1: system wide, on CPU 0). */
static int op_perf_open(char **argv)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE, .size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK, .disabled = 1,
	};
	pid_t pid = atoi(argv[0]);

	return got_fd((int)syscall(SYS_perf_event_open, &attr, pid, pid == -1 ? 0 : -1, -1,
				   PERF_FLAG_FD_CLOEXEC));
}

/* pidfd-getfd PID FD: take a copy of another process's file descriptor. */
static int op_pidfd_getfd(char **argv)
{
	int pidfd = (int)syscall(SYS_pidfd_open, atoi(argv[0]), 0), fd;

	if (pidfd < 0)
		return fail();
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, atoi(argv[1]), 0);
	close(pidfd);
	return got_fd(fd);
}

/* A new pty pair: the master, and the slave's path in name. */
static int open_pty(char *name, size_t size)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (m < 0)
		return -1;
	if (grantpt(m) || unlockpt(m) || ptsname_r(m, name, size)) {
		close(m);
		return -1;
	}
	return m;
}

/*
 * pty-hold SECONDS: a terminal for an attacker to type into or read. Prints
 * "PID SLAVE-PATH" of a child that holds the master open that long, in a
 * session of its own whose controlling terminal the slave is.
 */
static int op_pty_hold(char **argv)
{
	char name[64];
	int m = open_pty(name, sizeof(name)), s;
	pid_t pid;

	if (m < 0)
		return fail();
	pid = fork();
	if (pid < 0)
		return fail();
	if (pid > 0) {
		printf("%d %s\n", (int)pid, name);
		close(m);
		return 0;
	}
	/* Like a login shell: a session of its own, whose controlling terminal this is. */
	if (setsid() < 0 || (s = open(name, O_RDWR)) < 0)
		_exit(1);
	dup2(s, 0);
	dup2(s, 1);
	dup2(s, 2);
	sleep((unsigned int)atoi(argv[0]));
	_exit(0);
}

/* pty-open: a pty pair of its own, master and slave. */
static int op_pty_open(char **argv)
{
	char name[64];
	int m = open_pty(name, sizeof(name)), s;

	(void)argv;
	if (m < 0)
		return fail();
	s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	close(m);
	return got_fd(s);
}

/* tiocsti PATH: push a character into a terminal's input, as if typed there. */
static int op_tiocsti(char **argv)
{
	int fd = open(argv[0], O_RDWR | O_NOCTTY | O_CLOEXEC), err;

	if (fd < 0)
		return fail();
	err = ioctl(fd, TIOCSTI, " ") ? fail() : 0;
	close(fd);
	return err;
}

static volatile sig_atomic_t got_sigio;

static void on_sigio(int sig)
{
	(void)sig;
	got_sigio = 1;
}

/*
 * sigio pipe|socket PID|self: make PID the owner of an O_ASYNC pipe or
 * socket and make it readable; the kernel then sends PID a SIGIO (which
 * kills a process that does not handle it: the test checks whether the
 * victim died). "self": the caller is the owner, and ENOMSG says the
 * signal did not arrive.
 */
static int op_sigio(char **argv)
{
	bool self = !strcmp(argv[1], "self");
	int fds[2], fl, err = 0;

	if (self && signal(SIGIO, on_sigio) == SIG_ERR)
		return fail();
	if (!strcmp(argv[0], "socket") ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds)
				       : pipe2(fds, O_CLOEXEC))
		return fail();
	if (fcntl(fds[0], F_SETOWN, self ? getpid() : atoi(argv[1])) ||
	    (fl = fcntl(fds[0], F_GETFL)) < 0 || fcntl(fds[0], F_SETFL, fl | O_ASYNC) ||
	    write(fds[1], "x", 1) != 1)
		err = fail();
	else if (self && !got_sigio)
		err = -ENOMSG;
	close(fds[0]);
	close(fds[1]);
	return err;
}

/* ---- address families ---- */

struct family {
	const char *name;
	int domain, type, proto;
};

/* Numbers the installed headers may lack; proto is what the family's create() accepts. */
static const struct family families[] = {
	{ "unix", AF_UNIX, SOCK_STREAM, 0 },
	{ "inet", AF_INET, SOCK_STREAM, 0 },
	{ "inet6", AF_INET6, SOCK_DGRAM, 0 },
	{ "netlink", AF_NETLINK, SOCK_RAW, 0 /* NETLINK_ROUTE */ },
	{ "packet", AF_PACKET, SOCK_DGRAM, 0x0300 /* htons(ETH_P_ALL) */ },
	{ "inet-sockpacket", AF_INET, SOCK_PACKET, 0x0300 }, /* the kernel makes it AF_PACKET */
	{ "sctp", AF_INET, SOCK_STREAM, IPPROTO_SCTP },
	{ "sctp6", AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP },
	{ "dccp", AF_INET, 6 /* SOCK_DCCP */, 33 /* IPPROTO_DCCP */ },
	{ "vsock", 40, SOCK_STREAM, 0 },
	{ "alg", 38, SOCK_SEQPACKET, 0 },
	{ "key", 15, SOCK_RAW, 2 /* PF_KEY_V2 */ },
	{ "bluetooth", 31, SOCK_RAW, 1 /* BTPROTO_HCI */ },
	{ "can", 29, SOCK_RAW, 1 /* CAN_RAW */ },
	{ "tipc", 30, SOCK_RDM, 0 },
	{ "rds", 21, SOCK_SEQPACKET, 0 },
	{ "xdp", 44, SOCK_RAW, 0 },
	{ "smc", 43, SOCK_STREAM, 0 },
	{ "kcm", 41, SOCK_DGRAM, 0 },
	{ "qipcrtr", 42, SOCK_DGRAM, 0 },
	{ "llc", 26, SOCK_DGRAM, 0 },
	{ "appletalk", 5, SOCK_DGRAM, 0 },
	{ "x25", 9, SOCK_SEQPACKET, 0 },
	{ "ax25", 3, SOCK_DGRAM, 0 },
	{ "phonet", 35, SOCK_DGRAM, 0 },
	{ "ieee802154", 36, SOCK_DGRAM, 0 },
	{ "rxrpc", 33, SOCK_DGRAM, AF_INET },
	{ "nfc", 39, SOCK_STREAM, 1 /* NFC_SOCKPROTO_LLCP */ },
	{ "pppox", 24, SOCK_STREAM, 0 /* PX_PROTO_OE */ },
	{ "atmpvc", 8, SOCK_DGRAM, 0 },
	{ 0 },
};

/* socket-family NAME: socket(2) of that family (see families[]). */
static int op_socket_family(char **argv)
{
	for (const struct family *f = families; f->name; f++)
		if (!strcmp(f->name, argv[0]))
			return got_fd(socket(f->domain, f->type | SOCK_CLOEXEC, f->proto));
	errno = EINVAL;
	return fail();
}

/* ---- kernel-internal mounts ---- */

/* mq-create NAME: a new POSIX message queue, removed again. */
static int op_mq_create(char **argv)
{
	mqd_t q = mq_open(argv[0], O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, NULL);

	if (q == (mqd_t)-1)
		return fail();
	mq_close(q);
	return mq_unlink(argv[0]) ? fail() : 0;
}

/* A memfd holding a copy of this program. */
static int memfd_of_self(void)
{
	char buf[65536];
	int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), mfd;
	ssize_t n;

	if (src < 0)
		return -1;
	mfd = memfd_create("bj-escape", MFD_CLOEXEC);
	while (mfd >= 0 && (n = read(src, buf, sizeof(buf))) != 0)
		if (n < 0 || write(mfd, buf, (size_t)n) != n) {
			close(mfd);
			mfd = -1;
		}
	close(src);
	return mfd;
}

/* Run this program's "true" op from fd; returns only on failure. */
static int exec_fd(int fd, bool execveat)
{
	char *args[] = { "bj-try", "true", NULL }, *env[] = { NULL };

	if (execveat)
		syscall(SYS_execveat, fd, "", args, env, AT_EMPTY_PATH);
	else
		fexecve(fd, args, env);
	return fail();
}

/* memfd-run fexecve|execveat: run a copy of itself from a memfd (it prints ok if it ran). */
static int op_memfd_run(char **argv)
{
	int fd = memfd_of_self();

	if (fd < 0)
		return fail();
	return exec_fd(fd, !strcmp(argv[0], "execveat"));
}

/* deleted-exec PATH: copy itself to PATH, open it, unlink it, run it from the fd. */
static int op_deleted_exec(char **argv)
{
	int mfd = memfd_of_self(), out, fd;
	char buf[65536];
	ssize_t n;

	if (mfd < 0 || lseek(mfd, 0, SEEK_SET) < 0)
		return fail();
	out = open(argv[0], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	if (out < 0)
		return fail();
	while ((n = read(mfd, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return fail();
	close(out);
	close(mfd);
	fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || unlink(argv[0]))
		return fail();
	return exec_fd(fd, false);
}

/* memfd-mmap r|rx: map a memfd readable, or readable and executable. */
static int op_memfd_mmap(char **argv)
{
	int fd = memfd_create("bj-escape", MFD_CLOEXEC), prot = PROT_READ, err = 0;
	void *p;

	if (fd < 0)
		return fail();
	if (!strcmp(argv[0], "rx"))
		prot |= PROT_EXEC;
	if (ftruncate(fd, 4096)) {
		err = fail();
	} else {
		p = mmap(NULL, 4096, prot, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			err = fail();
		else
			munmap(p, 4096);
	}
	close(fd);
	return err;
}

/* shm-exec: attach a SysV segment executable (a file on the kernel's internal shm mount). */
static int op_shm_exec(char **argv)
{
	(void)argv;
	return shm_try_attach(0600, SHM_EXEC);
}

/* anon-exec: anonymous executable memory, as every JIT needs. */
static int op_anon_exec(char **argv)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)argv;
	if (p == MAP_FAILED)
		return fail();
	munmap(p, 4096);
	return 0;
}

/* pipe-reopen: open its own pipe again through /proc/self/fd. */
static int op_pipe_reopen(char **argv)
{
	char path[64];
	int fds[2], fd;

	(void)argv;
	if (pipe2(fds, O_CLOEXEC))
		return fail();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	close(fds[0]);
	close(fds[1]);
	return got_fd(fd);
}

/* true: nothing (what the memfd and deleted programs run to show they ran). */
static int op_true(char **argv)
{
	(void)argv;
	return 0;
}

const struct try_op try_escape_ops[] = {
	{ "rewrite", "PATH (write back what it reads)", 1, op_rewrite },
	{ "write", "PATH TEXT", 2, op_write },
	{ "read", "PATH", 1, op_read },
	{ "list-dir", "PATH", 1, op_list_dir },
	{ "sethostname", "(the one it has)", 0, op_sethostname },
	{ "clock-settime", "(to the time it is)", 0, op_clock_settime },
	{ "ioperm", "(port 0x80, given back)", 0, op_ioperm },
	{ "reboot-cad-off", "", 0, op_reboot_cad_off },
	{ "kexec-unload", "", 0, op_kexec_unload },
	{ "syslog-read", "", 0, op_syslog_read },
	{ "nice-self", "(to -5)", 0, op_nice_self },
	{ "raise-nofile", "(its own hard limit, lowered by one, raised back)", 0, op_raise_nofile },
	{ "mlock", "(beyond RLIMIT_MEMLOCK 0)", 0, op_mlock },
	{ "shm-owner", "(attach a mode 0000 segment)", 0, op_shm_owner },
	{ "acct-off", "", 0, op_acct_off },
	{ "vhangup", "", 0, op_vhangup },
	{ "audit-get", "", 0, op_audit_get },
	{ "setgroups", "GID", 1, op_setgroups },
	{ "mknod", "PATH c|b MAJOR MINOR (removed again)", 4, op_mknod },
	{ "chattr", "PATH i|a (set, then cleared)", 2, op_chattr },
	{ "setxattr", "PATH NAME HEXVALUE (set, then removed)", 3, op_setxattr },
	{ "chown-to", "PATH UID GID", 3, op_chown_to },
	{ "utimes", "PATH (to the times it has)", 1, op_utimes },
	{ "open-by-handle", "PATH", 1, op_open_by_handle },
	{ "inotify", "PATH", 1, op_inotify },
	{ "fanotify", "PATH", 1, op_fanotify },
	{ "signal", "kill|tgkill|pidfd PID SIGNO", 3, op_signal },
	{ "renice-of", "PID (to the nice value it has)", 1, op_renice_of },
	{ "ioprio-of", "PID (to the I/O priority it has)", 1, op_ioprio_of },
	{ "sched-of", "PID (to the policy it has)", 1, op_sched_of },
	{ "affinity-of", "PID (to the affinity it has)", 1, op_affinity_of },
	{ "prlimit-of", "PID (to the RLIMIT_NOFILE it has)", 1, op_prlimit_of },
	{ "migrate-of", "PID (node 0 to node 0)", 1, op_migrate_of },
	{ "setns", "/proc/PID/ns/NS", 1, op_setns },
	{ "perf-open", "PID|-1", 1, op_perf_open },
	{ "pidfd-getfd", "PID FD", 2, op_pidfd_getfd },
	{ "pty-hold", "SECONDS (prints PID SLAVE-PATH)", 1, op_pty_hold },
	{ "pty-open", "", 0, op_pty_open },
	{ "tiocsti", "TTY-PATH", 1, op_tiocsti },
	{ "sigio", "pipe|socket PID|self", 2, op_sigio },
	{ "socket-family", "NAME (unix, packet, vsock, alg, sctp, ...)", 1, op_socket_family },
	{ "mq-create", "/NAME (removed again)", 1, op_mq_create },
	{ "memfd-run", "fexecve|execveat (a copy of itself)", 1, op_memfd_run },
	{ "deleted-exec", "PATH", 1, op_deleted_exec },
	{ "memfd-mmap", "r|rx", 1, op_memfd_mmap },
	{ "shm-exec", "", 0, op_shm_exec },
	{ "anon-exec", "", 0, op_anon_exec },
	{ "pipe-reopen", "", 0, op_pipe_reopen },
	{ "true", "", 0, op_true },
	{ 0 },
};
