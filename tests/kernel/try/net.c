// SPDX-License-Identifier: GPL-2.0
/*
 * Network operations: the plain calls and the ways around a plain connect()
 * (sendto/sendmsg/sendmmsg with an address, TCP Fast Open, other address
 * families on the same socket, MPTCP, UDP-Lite, raw and packet sockets,
 * io_uring), plus the unjailed listeners the tests talk to.
 *
 * ADDR is a numeric IPv4 or IPv6 address; an IPv4 literal makes an AF_INET
 * socket, anything else an AF_INET6 one (so "::ffff:127.0.0.1" is an
 * IPv4-mapped address on an AF_INET6 socket). A unix PATH that starts with
 * '@' names an abstract socket.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "try.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif
/* io_uring opcodes newer than the installed uapi header (Linux 6.11). */
#define BJ_IORING_OP_BIND   56
#define BJ_IORING_OP_LISTEN 57

/* ADDR PORT into a sockaddr; IPv4 literals give AF_INET, others AF_INET6. */
static socklen_t parse_addr(const char *addr, const char *port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)atoi(port));
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)atoi(port));
		return sizeof(*sin6);
	}
	errno = EINVAL;
	return 0;
}

/*
 * Make a socket of (type, proto) for ADDR, call fn on it, close it.
 * family 0: the address's own family; otherwise that family (to hand an
 * AF_INET address to an AF_INET6 socket, say).
 */
static int with_socket(int family, int type, int proto, const char *addr, const char *port,
		       int (*fn)(int fd, struct sockaddr *sa, socklen_t len))
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd, err;

	if (!len)
		return fail();
	fd = socket(family ? family : ss.ss_family, type | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return fail();
	err = fn(fd, (struct sockaddr *)&ss, len);
	close(fd);
	return err;
}

static int do_connect(int fd, struct sockaddr *sa, socklen_t len)
{
	return connect(fd, sa, len) ? fail() : 0;
}

static int do_bind(int fd, struct sockaddr *sa, socklen_t len)
{
	int one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return bind(fd, sa, len) ? fail() : 0;
}

static int do_sendto(int fd, struct sockaddr *sa, socklen_t len)
{
	return sendto(fd, "x", 1, 0, sa, len) < 0 ? fail() : 0;
}

/* Connected UDP: connect, then send without an address. */
static int do_connect_send(int fd, struct sockaddr *sa, socklen_t len)
{
	if (connect(fd, sa, len))
		return fail();
	return send(fd, "x", 1, 0) < 0 ? fail() : 0;
}

static int do_sendmsg(int fd, struct sockaddr *sa, socklen_t len)
{
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = { .msg_name = sa, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1 };

	return sendmsg(fd, &msg, 0) < 0 ? fail() : 0;
}

static int do_sendmmsg(int fd, struct sockaddr *sa, socklen_t len)
{
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct mmsghdr mm[2] = {
		{ .msg_hdr = { .msg_name = sa, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1 } },
		{ .msg_hdr = { .msg_name = sa, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1 } },
	};

	return sendmmsg(fd, mm, 2, 0) < 0 ? fail() : 0;
}

/* udp_sendmsg() takes a destination of family AF_UNSPEC as AF_INET. */
static int do_sendto_unspec(int fd, struct sockaddr *sa, socklen_t len)
{
	sa->sa_family = AF_UNSPEC;
	return sendto(fd, "x", 1, 0, sa, len) < 0 ? fail() : 0;
}

static int do_fastopen(int fd, struct sockaddr *sa, socklen_t len)
{
	return sendto(fd, "x", 1, MSG_FASTOPEN, sa, len) < 0 ? fail() : 0;
}

/* TCP_FASTOPEN_CONNECT: connect() returns at once, the SYN leaves with the first write. */
static int do_fastopen_connect(int fd, struct sockaddr *sa, socklen_t len)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one, sizeof(one)) || connect(fd, sa, len))
		return fail();
	return write(fd, "x", 1) < 0 ? fail() : 0;
}

/* listen() without bind(): the kernel picks a port. */
static int do_listen(int fd, struct sockaddr *sa, socklen_t len)
{
	(void)sa;
	(void)len;
	return listen(fd, 1) ? fail() : 0;
}

/* bind(), then listen(): the listen hook must see the port the bind already checked. */
static int do_bind_listen(int fd, struct sockaddr *sa, socklen_t len)
{
	int err = do_bind(fd, sa, len);

	return err ? err : do_listen(fd, sa, len);
}

/* connect() (refused, say), then listen(): a failed connect must leave no port to listen on. */
static int do_connect_listen(int fd, struct sockaddr *sa, socklen_t len)
{
	(void)!connect(fd, sa, len);
	return do_listen(fd, sa, len);
}

#define SOCK_OP(name, family, type, proto, fn)                                   \
	static int name(char **argv)                                            \
	{                                                                        \
		return with_socket(family, type, proto, argv[0], argv[1], fn);  \
	}

SOCK_OP(op_tcp_connect, 0, SOCK_STREAM, 0, do_connect)
SOCK_OP(op_tcp_bind, 0, SOCK_STREAM, 0, do_bind)
SOCK_OP(op_tcp_fastopen, 0, SOCK_STREAM, 0, do_fastopen)
SOCK_OP(op_tcp_fastopen_connect, 0, SOCK_STREAM, 0, do_fastopen_connect)
SOCK_OP(op_udp_bind, 0, SOCK_DGRAM, 0, do_bind)
SOCK_OP(op_udp_connect, 0, SOCK_DGRAM, 0, do_connect)
SOCK_OP(op_udp_send, 0, SOCK_DGRAM, 0, do_connect_send)
SOCK_OP(op_udp_sendto, 0, SOCK_DGRAM, 0, do_sendto)
SOCK_OP(op_udp_sendmsg, 0, SOCK_DGRAM, 0, do_sendmsg)
SOCK_OP(op_udp_sendmmsg, 0, SOCK_DGRAM, 0, do_sendmmsg)
SOCK_OP(op_udp_sendto_unspec, AF_INET, SOCK_DGRAM, 0, do_sendto_unspec)
SOCK_OP(op_udp6_connect4, AF_INET6, SOCK_DGRAM, 0, do_connect)
SOCK_OP(op_udp6_sendto4, AF_INET6, SOCK_DGRAM, 0, do_sendto)
SOCK_OP(op_mptcp_connect, 0, SOCK_STREAM, IPPROTO_MPTCP, do_connect)
SOCK_OP(op_mptcp_bind, 0, SOCK_STREAM, IPPROTO_MPTCP, do_bind)
SOCK_OP(op_mptcp_bind_listen, 0, SOCK_STREAM, IPPROTO_MPTCP, do_bind_listen)
SOCK_OP(op_tcp_bind_listen, 0, SOCK_STREAM, 0, do_bind_listen)
SOCK_OP(op_tcp_connect_listen, 0, SOCK_STREAM, 0, do_connect_listen)
SOCK_OP(op_udplite_bind, 0, SOCK_DGRAM, IPPROTO_UDPLITE, do_bind)
SOCK_OP(op_udplite_sendto, 0, SOCK_DGRAM, IPPROTO_UDPLITE, do_sendto)

static int op_tcp_listen(char **argv)
{
	return with_socket(0, SOCK_STREAM, 0, argv[0], "0", do_listen);
}

static int op_mptcp_listen(char **argv)
{
	return with_socket(0, SOCK_STREAM, IPPROTO_MPTCP, argv[0], "0", do_listen);
}

/* Connected UDP socket, then sendto() another destination: the address given wins. */
static int op_udp_redirect(char **argv)
{
	struct sockaddr_storage to, via;
	socklen_t to_len, via_len = parse_addr(argv[0], argv[1], &via);
	int fd, err;

	if (!via_len || !(to_len = parse_addr(argv[2], argv[3], &to)))
		return fail();
	fd = socket(via.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail();
	if (connect(fd, (struct sockaddr *)&via, via_len))
		err = fail();
	else
		err = do_sendto(fd, (struct sockaddr *)&to, to_len);
	close(fd);
	return err;
}

/* Bind to SRC (any port), then connect: where 0.0.0.0 leads depends on the source. */
static int op_tcp_connect_from(char **argv)
{
	struct sockaddr_storage src, dst;
	socklen_t src_len = parse_addr(argv[0], "0", &src), dst_len;
	int fd, err;

	if (!src_len || !(dst_len = parse_addr(argv[1], argv[2], &dst)))
		return fail();
	fd = socket(dst.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail();
	err = do_bind(fd, (struct sockaddr *)&src, src_len);
	if (!err)
		err = do_connect(fd, (struct sockaddr *)&dst, dst_len);
	close(fd);
	return err;
}

/* inet_bind() takes AF_UNSPEC with INADDR_ANY as AF_INET. */
static int op_tcp_bind_unspec(char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_UNSPEC, .sin_port = htons((uint16_t)atoi(argv[0])) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return fail();
	err = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ? fail() : 0;
	close(fd);
	return err;
}

static int make_socket(int family, int type, int proto)
{
	return got_fd(socket(family, type | SOCK_CLOEXEC, proto));
}

static int op_raw_socket(char **argv)
{
	(void)argv;
	return make_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
}

static int op_packet_socket(char **argv)
{
	(void)argv;
	return make_socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
}

struct name_value {
	const char *name;
	int value;
};

static int lookup(const struct name_value *t, const char *name)
{
	for (; t->name; t++)
		if (!strcmp(t->name, name))
			return t->value;
	return -1;
}

/* socket DOMAIN TYPE PROTO: any socket(2), by name (PROTO: a number, or "all" for ETH_P_ALL). */
static int op_socket(char **argv)
{
	static const struct name_value domains[] = {
		{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "packet", AF_PACKET },
		{ "unix", AF_UNIX }, { "netlink", AF_NETLINK }, { 0 },
	};
	static const struct name_value types[] = {
		{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM }, { "raw", SOCK_RAW },
		{ "seqpacket", SOCK_SEQPACKET }, { "packet", SOCK_PACKET }, { 0 },
	};
	int domain = lookup(domains, argv[0]), type = lookup(types, argv[1]);
	int proto = !strcmp(argv[2], "all") ? htons(ETH_P_ALL) : atoi(argv[2]);

	if (domain < 0 || type < 0) {
		errno = EINVAL;
		return fail();
	}
	return make_socket(domain, type, proto);
}

/* ---- unix sockets ---- */

static socklen_t unix_addr(const char *path, struct sockaddr_un *sun)
{
	size_t n = strlen(path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return 0;
	}
	memcpy(sun->sun_path, path, n);
	if (path[0] == '@') { /* abstract: no NUL, the length says where the name ends */
		sun->sun_path[0] = '\0';
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

enum unix_action { UNIX_CONNECT, UNIX_SENDTO, UNIX_BIND };

static int unix_op(const char *path, int type, enum unix_action action)
{
	struct sockaddr_un sun;
	socklen_t len = unix_addr(path, &sun);
	int fd, err;

	if (!len)
		return fail();
	fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail();
	if (action == UNIX_CONNECT)
		err = connect(fd, (struct sockaddr *)&sun, len) ? fail() : 0;
	else if (action == UNIX_BIND)
		err = bind(fd, (struct sockaddr *)&sun, len) ? fail() : 0;
	else
		err = sendto(fd, "x", 1, 0, (struct sockaddr *)&sun, len) < 0 ? fail() : 0;
	close(fd);
	return err;
}

static int op_unix_connect(char **argv)
{
	return unix_op(argv[0], SOCK_STREAM, UNIX_CONNECT);
}

static int op_unix_seqpacket_connect(char **argv)
{
	return unix_op(argv[0], SOCK_SEQPACKET, UNIX_CONNECT);
}

static int op_unix_dgram_connect(char **argv)
{
	return unix_op(argv[0], SOCK_DGRAM, UNIX_CONNECT);
}

static int op_unix_sendto(char **argv)
{
	return unix_op(argv[0], SOCK_DGRAM, UNIX_SENDTO);
}

static int op_unix_bind(char **argv)
{
	return unix_op(argv[0], SOCK_STREAM, UNIX_BIND);
}

/* ---- listeners for the tests (run unjailed) ---- */

/*
 * Fork a child that serves fds[] for `seconds` (accepting connections, or
 * reading datagrams) with its stdio on /dev/null, so that
 * the caller's $(...) returns at once. Prints the child's pid; the sockets
 * already listen when this returns.
 */
static int serve(int *fds, int n, bool stream, const char *seconds)
{
	enum { HELD = 256 };
	int held[HELD], next = 0, held_by;
	struct pollfd pfd[64];
	char buf[256];

	held_by = fork_holder();
	if (held_by)
		return held_by < 0 ? held_by : 0;
	signal(SIGALRM, SIG_DFL);
	alarm((unsigned)atoi(seconds));
	for (int i = 0; i < HELD; i++)
		held[i] = -1;
	for (int i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	for (;;) {
		if (poll(pfd, (nfds_t)n, -1) < 0)
			continue;
		for (int i = 0; i < n; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			if (stream) {
				/*
				 * Keep the connection a while: closing it with
				 * unread data (a Fast Open SYN's) would reset it
				 * under the client's feet.
				 */
				if (held[next] >= 0)
					close(held[next]);
				held[next] = accept4(fds[i], NULL, NULL, SOCK_CLOEXEC);
				next = (next + 1) % HELD;
			} else {
				(void)!recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT);
			}
		}
	}
}

/* tcp-serve ADDR PORT[,PORT...] SECONDS: TCP listeners ("::" is dual-stack). */
static int op_tcp_serve(char **argv)
{
	char ports[512], *save = NULL;
	int fds[64], n = 0, one = 1;

	snprintf(ports, sizeof(ports), "%s", argv[1]);
	for (char *p = strtok_r(ports, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		struct sockaddr_storage ss;
		socklen_t len = parse_addr(argv[0], p, &ss);

		if (!len || n == 64)
			return fail();
		fds[n] = socket(ss.ss_family, SOCK_STREAM, 0);
		if (fds[n] < 0)
			return fail();
		setsockopt(fds[n], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		/* Accept data in the SYN, so TCP Fast Open can really be used. */
		setsockopt(fds[n], IPPROTO_TCP, TCP_FASTOPEN, &(int){ 16 }, sizeof(int));
		if (bind(fds[n], (struct sockaddr *)&ss, len) || listen(fds[n], 64))
			return fail();
		n++;
	}
	return serve(fds, n, true, argv[2]);
}

/* unix-serve stream|dgram|seqpacket PATH SECONDS */
static int op_unix_serve(char **argv)
{
	static const struct name_value types[] = {
		{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM }, { "seqpacket", SOCK_SEQPACKET }, { 0 },
	};
	int type = lookup(types, argv[0]), fd;
	struct sockaddr_un sun;
	socklen_t len = unix_addr(argv[1], &sun);

	if (type < 0)
		errno = EINVAL;
	if (type < 0 || !len)
		return fail();
	fd = socket(AF_UNIX, type, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, len) || (type != SOCK_DGRAM && listen(fd, 64)))
		return fail();
	return serve(&fd, 1, type != SOCK_DGRAM, argv[2]);
}

/* ---- io_uring, through the raw system calls (no liburing) ---- */

struct ring {
	int fd;
	unsigned *sq_tail, *sq_mask, *sq_array;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static int ring_setup(struct ring *r, unsigned flags)
{
	struct io_uring_params p = { .flags = flags, .sq_thread_idle = 1000 };
	size_t sq_len, cq_len;
	char *sq, *cq;

	r->fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return fail();
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		sq_len = cq_len = sq_len > cq_len ? sq_len : cq_len;
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		  IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return fail();
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
			  IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return fail();
	}
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return fail();
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* Submit one request and return its first completion's result (0 or -errno). */
static int ring_run(struct ring *r, const struct io_uring_sqe *sqe, bool sqpoll)
{
	unsigned tail = *r->sq_tail, idx = tail & *r->sq_mask, head;
	unsigned to_submit = sqpoll ? 0 : 1;
	unsigned flags = IORING_ENTER_GETEVENTS | (sqpoll ? IORING_ENTER_SQ_WAKEUP : 0);

	r->sqes[idx] = *sqe;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	for (;;) {
		head = *r->cq_head;
		if (head != __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) {
			int res = r->cqes[head & *r->cq_mask].res;

			__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
			return res < 0 ? res : 0;
		}
		if (syscall(__NR_io_uring_enter, r->fd, to_submit, 1, flags, NULL, 0) < 0 && errno != EINTR)
			return fail();
		to_submit = 0;
	}
}

/*
 * uring inline|async|sqpoll OP ADDR PORT: one network request through
 * io_uring. inline: issued from the submitting task; async: IOSQE_ASYNC,
 * run by an io-wq worker thread; sqpoll: submitted by the SQPOLL kernel
 * thread. OP: connect (TCP), sendmsg, sendzc, send (UDP with a
 * destination), bind (TCP, Linux 6.11+), listen (unbound TCP, 6.11+), raw
 * (IORING_OP_SOCKET for a raw ICMP socket; ADDR picks the family).
 */
static int op_uring(char **argv)
{
	struct io_uring_sqe sqe = { 0 };
	struct sockaddr_storage ss;
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	socklen_t len = parse_addr(argv[2], argv[3], &ss);
	const char *mode = argv[0], *op = argv[1];
	bool sqpoll = !strcmp(mode, "sqpoll");
	struct ring ring;
	int fd = -1, type = SOCK_DGRAM, err;

	if (!len)
		return fail();
	if (strcmp(mode, "inline") && strcmp(mode, "async") && !sqpoll) {
		errno = EINVAL;
		return fail();
	}
	if (!strcmp(op, "connect") || !strcmp(op, "bind") || !strcmp(op, "listen"))
		type = SOCK_STREAM;
	if (strcmp(op, "raw")) {
		fd = socket(ss.ss_family, type | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return fail();
	}
	sqe.fd = fd;
	sqe.flags = !strcmp(mode, "async") ? IOSQE_ASYNC : 0;
	if (!strcmp(op, "connect")) {
		sqe.opcode = IORING_OP_CONNECT;
		sqe.addr = (__u64)(uintptr_t)&ss;
		sqe.off = len;
	} else if (!strcmp(op, "sendmsg")) {
		msg.msg_name = &ss;
		msg.msg_namelen = len;
		sqe.opcode = IORING_OP_SENDMSG;
		sqe.addr = (__u64)(uintptr_t)&msg;
		sqe.len = 1;
	} else if (!strcmp(op, "sendzc") || !strcmp(op, "send")) {
		sqe.opcode = !strcmp(op, "send") ? IORING_OP_SEND : IORING_OP_SEND_ZC;
		sqe.addr = (__u64)(uintptr_t)"x";
		sqe.len = 1;
		sqe.addr2 = (__u64)(uintptr_t)&ss;
		sqe.addr_len = (__u16)len;
	} else if (!strcmp(op, "bind")) {
		sqe.opcode = BJ_IORING_OP_BIND;
		sqe.addr = (__u64)(uintptr_t)&ss;
		sqe.addr2 = len;
	} else if (!strcmp(op, "listen")) {
		sqe.opcode = BJ_IORING_OP_LISTEN;
		sqe.len = 1;
	} else if (!strcmp(op, "raw")) {
		sqe.opcode = IORING_OP_SOCKET;
		sqe.fd = ss.ss_family;
		sqe.off = SOCK_RAW;
		sqe.len = ss.ss_family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	} else {
		errno = EINVAL;
		return fail();
	}
	err = ring_setup(&ring, sqpoll ? IORING_SETUP_SQPOLL : 0);
	if (!err)
		err = ring_run(&ring, &sqe, sqpoll);
	if (fd >= 0)
		close(fd);
	return err;
}

/* SO_MARK steers routing and firewall decisions: it needs CAP_NET_ADMIN. */
static int op_so_mark(char **argv)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), mark = 1, err;

	(void)argv;
	if (fd < 0)
		return fail();
	err = setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) ? fail() : 0;
	close(fd);
	return err;
}

const struct try_op try_net_ops[] = {
	{ "so-mark", "", 0, op_so_mark },
	{ "tcp-connect", "ADDR PORT", 2, op_tcp_connect },
	{ "tcp-connect-from", "SRC_ADDR ADDR PORT", 3, op_tcp_connect_from },
	{ "tcp-bind", "ADDR PORT", 2, op_tcp_bind },
	{ "tcp-bind-unspec", "PORT", 1, op_tcp_bind_unspec },
	{ "tcp-listen", "ADDR (family only)", 1, op_tcp_listen },
	{ "tcp-bind-listen", "ADDR PORT", 2, op_tcp_bind_listen },
	{ "tcp-connect-listen", "ADDR PORT (refused connect, then listen)", 2, op_tcp_connect_listen },
	{ "tcp-fastopen", "ADDR PORT", 2, op_tcp_fastopen },
	{ "tcp-fastopen-connect", "ADDR PORT", 2, op_tcp_fastopen_connect },
	{ "udp-bind", "ADDR PORT", 2, op_udp_bind },
	{ "udp-connect", "ADDR PORT", 2, op_udp_connect },
	{ "udp-send", "ADDR PORT (connect, then send)", 2, op_udp_send },
	{ "udp-sendto", "ADDR PORT", 2, op_udp_sendto },
	{ "udp-sendmsg", "ADDR PORT", 2, op_udp_sendmsg },
	{ "udp-sendmmsg", "ADDR PORT", 2, op_udp_sendmmsg },
	{ "udp-sendto-unspec", "IPV4ADDR PORT (sa_family AF_UNSPEC)", 2, op_udp_sendto_unspec },
	{ "udp-redirect", "CONNECT_ADDR PORT SENDTO_ADDR PORT", 4, op_udp_redirect },
	{ "udp6-connect4", "IPV4ADDR PORT (AF_INET6 socket)", 2, op_udp6_connect4 },
	{ "udp6-sendto4", "IPV4ADDR PORT (AF_INET6 socket)", 2, op_udp6_sendto4 },
	{ "mptcp-connect", "ADDR PORT", 2, op_mptcp_connect },
	{ "mptcp-bind", "ADDR PORT", 2, op_mptcp_bind },
	{ "mptcp-listen", "ADDR (family only)", 1, op_mptcp_listen },
	{ "mptcp-bind-listen", "ADDR PORT", 2, op_mptcp_bind_listen },
	{ "udplite-bind", "ADDR PORT", 2, op_udplite_bind },
	{ "udplite-sendto", "ADDR PORT", 2, op_udplite_sendto },
	{ "raw-socket", "", 0, op_raw_socket },
	{ "packet-socket", "", 0, op_packet_socket },
	{ "socket", "inet|inet6|packet|unix|netlink stream|dgram|raw|seqpacket|packet PROTO|all", 3,
	  op_socket },
	{ "unix-connect", "PATH|@ABSTRACT", 1, op_unix_connect },
	{ "unix-seqpacket-connect", "PATH|@ABSTRACT", 1, op_unix_seqpacket_connect },
	{ "unix-dgram-connect", "PATH|@ABSTRACT", 1, op_unix_dgram_connect },
	{ "unix-sendto", "PATH|@ABSTRACT", 1, op_unix_sendto },
	{ "unix-bind", "PATH|@ABSTRACT", 1, op_unix_bind },
	{ "uring", "inline|async|sqpoll connect|sendmsg|sendzc|send|bind|listen|raw ADDR PORT", 4,
	  op_uring },
	{ "tcp-serve", "ADDR PORT[,PORT...] SECONDS (prints the server's pid)", 3, op_tcp_serve },
	{ "unix-serve", "stream|dgram|seqpacket PATH|@ABSTRACT SECONDS (prints the server's pid)", 3,
	  op_unix_serve },
	{ 0 },
};
