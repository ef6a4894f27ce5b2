// SPDX-License-Identifier: GPL-2.0
/* Network operations, including the ways around a plain connect(). */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "try.h"

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

/* Make a socket of type for addr, call fn on it, close it. */
static int with_socket(int type, const char *addr, const char *port,
		       int (*fn)(int fd, struct sockaddr *sa, socklen_t len))
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd, err;

	if (!len)
		return fail();
	fd = socket(ss.ss_family, type | SOCK_CLOEXEC, 0);
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

static int do_fastopen(int fd, struct sockaddr *sa, socklen_t len)
{
	return sendto(fd, "x", 1, MSG_FASTOPEN, sa, len) < 0 ? fail() : 0;
}

static int op_tcp_connect(char **argv)
{
	return with_socket(SOCK_STREAM, argv[0], argv[1], do_connect);
}

static int op_tcp_bind(char **argv)
{
	return with_socket(SOCK_STREAM, argv[0], argv[1], do_bind);
}

static int op_udp_bind(char **argv)
{
	return with_socket(SOCK_DGRAM, argv[0], argv[1], do_bind);
}

static int op_udp_connect(char **argv)
{
	return with_socket(SOCK_DGRAM, argv[0], argv[1], do_connect);
}

static int op_udp_sendto(char **argv)
{
	return with_socket(SOCK_DGRAM, argv[0], argv[1], do_sendto);
}

static int op_tcp_fastopen(char **argv)
{
	return with_socket(SOCK_STREAM, argv[0], argv[1], do_fastopen);
}

/* listen() without bind(): the kernel picks a port. */
static int op_tcp_listen(char **argv)
{
	int fd = socket(strchr(argv[0], ':') ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return fail();
	err = listen(fd, 1) ? fail() : 0;
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
	int fd = socket(family, type | SOCK_CLOEXEC, proto);

	if (fd < 0)
		return fail();
	close(fd);
	return 0;
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

static int unix_op(const char *path, int type)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return fail();
	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	if (type == SOCK_STREAM)
		err = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ? fail() : 0;
	else
		err = sendto(fd, "x", 1, 0, (struct sockaddr *)&sun, sizeof(sun)) < 0 ? fail() : 0;
	close(fd);
	return err;
}

static int op_unix_connect(char **argv)
{
	return unix_op(argv[0], SOCK_STREAM);
}

static int op_unix_sendto(char **argv)
{
	return unix_op(argv[0], SOCK_DGRAM);
}

const struct try_op try_net_ops[] = {
	{ "tcp-connect", "ADDR PORT", 2, op_tcp_connect },
	{ "tcp-bind", "ADDR PORT", 2, op_tcp_bind },
	{ "tcp-bind-unspec", "PORT", 1, op_tcp_bind_unspec },
	{ "tcp-listen", "ADDR (family only)", 1, op_tcp_listen },
	{ "tcp-fastopen", "ADDR PORT", 2, op_tcp_fastopen },
	{ "udp-bind", "ADDR PORT", 2, op_udp_bind },
	{ "udp-connect", "ADDR PORT", 2, op_udp_connect },
	{ "udp-sendto", "ADDR PORT", 2, op_udp_sendto },
	{ "raw-socket", "", 0, op_raw_socket },
	{ "packet-socket", "", 0, op_packet_socket },
	{ "unix-connect", "PATH", 1, op_unix_connect },
	{ "unix-sendto", "PATH", 1, op_unix_sendto },
	{ 0 },
};
