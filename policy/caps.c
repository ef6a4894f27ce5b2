// SPDX-License-Identifier: GPL-2.0
/*
 * The tables behind caps.h. Numbers are the kernel's (linux/capability.h,
 * linux/socket.h): they are ABI and never change, so they are written out
 * here rather than taken from whichever headers the build machine has.
 */
#include <stdio.h>
#include <string.h>

#include "bpfjailer.h"
#include "caps.h"

/*
 * Every capability, whether a role keeps it by default, and which flags
 * add it. The default set is what a service running as root ordinarily
 * uses (files, users, signals, low ports); everything that reaches the
 * kernel itself (modules, raw I/O, namespaces, the network stack's
 * configuration, tracing) must be asked for, by name or by a flag.
 */
/* A capability or an address family. */
struct power {
	const char *name;
	bool by_default; /* a capability kept when "capabilities" is absent, a family every role has */
	uint32_t flags;  /* a capability: any of these flags adds it, listed or not */
};

static const struct power caps[BJ_CAP_COUNT] = {
	[0] = { "CAP_CHOWN", true, 0 },
	[1] = { "CAP_DAC_OVERRIDE", true, 0 },
	[2] = { "CAP_DAC_READ_SEARCH", true, 0 },
	[3] = { "CAP_FOWNER", true, 0 },
	[4] = { "CAP_FSETID", true, 0 },
	[5] = { "CAP_KILL", true, 0 },
	[6] = { "CAP_SETGID", true, BJ_FLAG_SETUID },
	[7] = { "CAP_SETUID", true, BJ_FLAG_SETUID },
	[8] = { "CAP_SETPCAP", true, 0 },
	[9] = { "CAP_LINUX_IMMUTABLE", false, 0 },
	[10] = { "CAP_NET_BIND_SERVICE", true, 0 },
	[11] = { "CAP_NET_BROADCAST", false, 0 },
	[12] = { "CAP_NET_ADMIN", false, 0 },
	[13] = { "CAP_NET_RAW", false, 0 },
	[14] = { "CAP_IPC_LOCK", false, 0 },
	[15] = { "CAP_IPC_OWNER", false, 0 },
	[16] = { "CAP_SYS_MODULE", false, BJ_FLAG_MODULE_LOAD },
	[17] = { "CAP_SYS_RAWIO", false, 0 },
	[18] = { "CAP_SYS_CHROOT", false, 0 },
	[19] = { "CAP_SYS_PTRACE", false, BJ_FLAG_PTRACE },
	[20] = { "CAP_SYS_PACCT", false, 0 },
	[21] = { "CAP_SYS_ADMIN", false, 0 },
	[22] = { "CAP_SYS_BOOT", false, 0 },
	[23] = { "CAP_SYS_NICE", false, 0 },
	[24] = { "CAP_SYS_RESOURCE", false, 0 },
	[25] = { "CAP_SYS_TIME", false, 0 },
	[26] = { "CAP_SYS_TTY_CONFIG", false, 0 },
	[27] = { "CAP_MKNOD", false, 0 },
	[28] = { "CAP_LEASE", false, 0 },
	[29] = { "CAP_AUDIT_WRITE", true, 0 },
	[30] = { "CAP_AUDIT_CONTROL", false, 0 },
	[31] = { "CAP_SETFCAP", false, 0 },
	[32] = { "CAP_MAC_OVERRIDE", false, 0 },
	[33] = { "CAP_MAC_ADMIN", false, 0 },
	[34] = { "CAP_SYSLOG", false, 0 },
	[35] = { "CAP_WAKE_ALARM", false, 0 },
	[36] = { "CAP_BLOCK_SUSPEND", false, 0 },
	[37] = { "CAP_AUDIT_READ", false, 0 },
	[38] = { "CAP_PERFMON", false, BJ_FLAG_BPF_LOAD },
	[39] = { "CAP_BPF", false, BJ_FLAG_BPF_LOAD },
	[40] = { "CAP_CHECKPOINT_RESTORE", false, 0 },
};

/*
 * Every address family, and whether every role may use it. Local sockets,
 * IP and netlink (which libc's name lookups and "ip addr" use) are the
 * default; packet sockets, vsock, bluetooth and the rest must be listed.
 */
static const struct power families[BJ_AF_COUNT] = {
	[0] = { "AF_UNSPEC", false, 0 }, /* not a family a socket can have: never granted */
	[1] = { "AF_UNIX", true, 0 },
	[2] = { "AF_INET", true, 0 },
	[3] = { "AF_AX25", false, 0 },
	[4] = { "AF_IPX", false, 0 },
	[5] = { "AF_APPLETALK", false, 0 },
	[6] = { "AF_NETROM", false, 0 },
	[7] = { "AF_BRIDGE", false, 0 },
	[8] = { "AF_ATMPVC", false, 0 },
	[9] = { "AF_X25", false, 0 },
	[10] = { "AF_INET6", true, 0 },
	[11] = { "AF_ROSE", false, 0 },
	[12] = { "AF_DECnet", false, 0 },
	[13] = { "AF_NETBEUI", false, 0 },
	[14] = { "AF_SECURITY", false, 0 },
	[15] = { "AF_KEY", false, 0 },
	[16] = { "AF_NETLINK", true, 0 },
	[17] = { "AF_PACKET", false, 0 },
	[18] = { "AF_ASH", false, 0 },
	[19] = { "AF_ECONET", false, 0 },
	[20] = { "AF_ATMSVC", false, 0 },
	[21] = { "AF_RDS", false, 0 },
	[22] = { "AF_SNA", false, 0 },
	[23] = { "AF_IRDA", false, 0 },
	[24] = { "AF_PPPOX", false, 0 },
	[25] = { "AF_WANPIPE", false, 0 },
	[26] = { "AF_LLC", false, 0 },
	[27] = { "AF_IB", false, 0 },
	[28] = { "AF_MPLS", false, 0 },
	[29] = { "AF_CAN", false, 0 },
	[30] = { "AF_TIPC", false, 0 },
	[31] = { "AF_BLUETOOTH", false, 0 },
	[32] = { "AF_IUCV", false, 0 },
	[33] = { "AF_RXRPC", false, 0 },
	[34] = { "AF_ISDN", false, 0 },
	[35] = { "AF_PHONET", false, 0 },
	[36] = { "AF_IEEE802154", false, 0 },
	[37] = { "AF_CAIF", false, 0 },
	[38] = { "AF_ALG", false, 0 },
	[39] = { "AF_NFC", false, 0 },
	[40] = { "AF_VSOCK", false, 0 },
	[41] = { "AF_KCM", false, 0 },
	[42] = { "AF_QIPCRTR", false, 0 },
	[43] = { "AF_SMC", false, 0 },
	[44] = { "AF_XDP", false, 0 },
	[45] = { "AF_MCTP", false, 0 },
};

/* Other names libc gives the same families. */
static const struct {
	const char *name;
	int af;
} family_aliases[] = {
	{ "AF_LOCAL", 1 },
	{ "AF_FILE", 1 },
	{ "AF_ROUTE", 16 },
};

/*
 * Device nodes that are harmless to every role: they hold no data of
 * anyone's and reach no hardware. Terminals are here because a service
 * that cannot write to its own tty, or open a new pseudo terminal, breaks
 * in ways that protect nothing; /dev/console and the virtual consoles are
 * not, since they reach the machine's own screen.
 */
const struct bj_builtin_device bj_builtin_devices[] = {
	{ "null", BJ_DEV_CHAR, 1, 3 },
	{ "zero", BJ_DEV_CHAR, 1, 5 },
	{ "full", BJ_DEV_CHAR, 1, 7 },
	{ "random", BJ_DEV_CHAR, 1, 8 },
	{ "urandom", BJ_DEV_CHAR, 1, 9 },
	{ "tty", BJ_DEV_CHAR, 5, 0 },  /* the caller's own controlling terminal */
	{ "ptmx", BJ_DEV_CHAR, 5, 2 }, /* opens a new pseudo terminal */
	/* the pseudo terminals /dev/pts/N: majors 136..143 (UNIX98_PTY_MAJOR_COUNT) */
	{ "pts", BJ_DEV_CHAR, 136, BJ_DEV_ANY_MINOR },
	{ "pts", BJ_DEV_CHAR, 137, BJ_DEV_ANY_MINOR },
	{ "pts", BJ_DEV_CHAR, 138, BJ_DEV_ANY_MINOR },
	{ "pts", BJ_DEV_CHAR, 139, BJ_DEV_ANY_MINOR },
	{ "pts", BJ_DEV_CHAR, 140, BJ_DEV_ANY_MINOR },
	{ "pts", BJ_DEV_CHAR, 141, BJ_DEV_ANY_MINOR },
	{ "pts", BJ_DEV_CHAR, 142, BJ_DEV_ANY_MINOR },
	{ "pts", BJ_DEV_CHAR, 143, BJ_DEV_ANY_MINOR },
};

const size_t bj_n_builtin_devices = sizeof(bj_builtin_devices) / sizeof(bj_builtin_devices[0]);

/* What lives under /dev without being a device node a role could need a rule for. */
static const char *const dev_not_devices[] = {
	"shm",       /* a tmpfs */
	"mqueue",    /* POSIX message queues */
	"hugepages", /* hugetlbfs */
	"fd", "stdin", "stdout", "stderr", /* symlinks into /proc/self/fd */
	"log",       /* the syslog socket */
};

static int power_by_name(const struct power *table, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(table[i].name, name))
			return i;
	return -1;
}

static uint64_t powers_by_default(const struct power *table, unsigned n)
{
	uint64_t set = 0;

	for (unsigned i = 0; i < n; i++)
		if (table[i].by_default)
			set |= BJ_BIT(i);
	return set;
}

const char *bj_cap_name(unsigned cap)
{
	return cap < BJ_CAP_COUNT ? caps[cap].name : NULL;
}

int bj_cap_by_name(const char *name)
{
	return power_by_name(caps, BJ_CAP_COUNT, name);
}

const char *bj_family_name(unsigned af)
{
	return af < BJ_AF_COUNT ? families[af].name : NULL;
}

int bj_family_by_name(const char *name)
{
	int af = power_by_name(families, BJ_AF_COUNT, name);

	for (size_t i = 0; af < 0 && i < sizeof(family_aliases) / sizeof(family_aliases[0]); i++)
		if (!strcmp(family_aliases[i].name, name))
			af = family_aliases[i].af;
	return af;
}

uint64_t bj_default_caps(void)
{
	return powers_by_default(caps, BJ_CAP_COUNT);
}

uint64_t bj_default_families(void)
{
	return powers_by_default(families, BJ_AF_COUNT);
}

uint64_t bj_role_caps(uint32_t flags, bool has_listed, uint64_t listed)
{
	uint64_t set = has_listed ? listed : bj_default_caps();

	for (unsigned i = 0; i < BJ_CAP_COUNT; i++)
		if (caps[i].flags & flags)
			set |= BJ_BIT(i);
	return set;
}

uint64_t bj_role_families(uint64_t listed)
{
	return (bj_default_families() | listed) & ~BJ_BIT(0);
}

bool bj_dev_name_needs_rule(const char *name)
{
	for (size_t i = 0; i < bj_n_builtin_devices; i++)
		if (!strcmp(bj_builtin_devices[i].name, name))
			return false;
	for (size_t i = 0; i < sizeof(dev_not_devices) / sizeof(dev_not_devices[0]); i++)
		if (!strcmp(dev_not_devices[i], name))
			return false;
	return true;
}

void bj_device_format(char *buf, size_t size, uint32_t type, uint32_t major, uint32_t minor)
{
	if (minor == BJ_DEV_ANY_MINOR)
		snprintf(buf, size, "%c %u:*", type == BJ_DEV_BLOCK ? 'b' : 'c', major);
	else
		snprintf(buf, size, "%c %u:%u", type == BJ_DEV_BLOCK ? 'b' : 'c', major, minor);
}
