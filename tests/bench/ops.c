// SPDX-License-Identifier: GPL-2.0
/*
 * The operations bj-bench times. Each one is what a jailed program does all
 * day, with every hook bpfjailer (or Landlock) adds on its way.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static const char *path;
static struct sockaddr_in peer = { .sin_family = AF_INET };
static int listener = -1, udp_rx = -1, udp_tx = -1;

static int set_path(const char *arg)
{
	path = arg;
	return 0;
}

static int open_close(void)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return bench_fail("open", path);
	if (close(fd))
		return bench_fail("close", path);
	return 0;
}

static int do_stat(void)
{
	struct stat st;

	if (stat(path, &st))
		return bench_fail("stat", path);
	return 0;
}

/* 127.0.0.1:PORT into peer. */
static int set_peer(const char *arg)
{
	char *end;
	long port = strtol(arg, &end, 10);

	if (*arg == '\0' || *end || port < 1 || port > 65535) {
		fprintf(stderr, "bj-bench: %s: not a port\n", arg);
		return -EINVAL;
	}
	peer.sin_port = htons(port);
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return 0;
}

/* The listener lives in this process: the loop accepts what it connected. */
static int tcp_setup(const char *arg)
{
	int err = set_peer(arg), one = 1;

	if (err)
		return err;
	listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0)
		return bench_fail("socket", "tcp listener");
	if (setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(listener, (struct sockaddr *)&peer, sizeof(peer)) || listen(listener, 16))
		return bench_fail("bind/listen", arg);
	return 0;
}

/*
 * connect, accept, close both ends. Linger 0 closes with a reset: no
 * TIME_WAIT socket stays behind per iteration to make later ones dearer.
 */
static int tcp_connect_close(void)
{
	struct linger reset = { .l_onoff = 1, .l_linger = 0 };
	int c, a, err = 0;

	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0)
		return bench_fail("socket", "tcp client");
	if (setsockopt(c, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset)) ||
	    connect(c, (struct sockaddr *)&peer, sizeof(peer))) {
		err = bench_fail("connect", "127.0.0.1");
	} else if ((a = accept4(listener, NULL, NULL, SOCK_CLOEXEC)) < 0) {
		err = bench_fail("accept", "127.0.0.1");
	} else if (close(a)) {
		err = bench_fail("close", "accepted socket");
	}
	if (close(c) && !err)
		err = bench_fail("close", "tcp client");
	return err;
}

/* An unconnected sender, so that every sendto names (and checks) its destination. */
static int udp_setup(const char *arg)
{
	int err = set_peer(arg);

	if (err)
		return err;
	udp_rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	udp_tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (udp_rx < 0 || udp_tx < 0)
		return bench_fail("socket", "udp");
	if (bind(udp_rx, (struct sockaddr *)&peer, sizeof(peer)))
		return bench_fail("bind", arg);
	return 0;
}

/* The receive keeps the queue empty: a full one would drop, a cheaper path. */
static int udp_sendto(void)
{
	char byte = 0;

	if (sendto(udp_tx, &byte, 1, 0, (struct sockaddr *)&peer, sizeof(peer)) != 1)
		return bench_fail("sendto", "127.0.0.1");
	if (recv(udp_rx, &byte, 1, 0) != 1)
		return bench_fail("recv", "127.0.0.1");
	return 0;
}

/* PATH is a static bj-bench: "nop" exits at once, before any other work. */
static int fork_exec_wait(void)
{
	char *argv[] = { (char *)path, "nop", NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return bench_fail("fork", path);
	if (pid == 0) {
		execv(path, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return bench_fail("waitpid", path);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "bj-bench: %s nop: exit status %#x (127: exec failed)\n", path, status);
		return -ECHILD;
	}
	return 0;
}

const struct bench_op bench_ops[] = {
	{ "open", "FILE", set_path, open_close },
	{ "stat", "FILE", set_path, do_stat },
	{ "tcp", "PORT", tcp_setup, tcp_connect_close },
	{ "udp", "PORT", udp_setup, udp_sendto },
	{ "exec", "STATIC-BJ-BENCH", set_path, fork_exec_wait },
	{ NULL, NULL, NULL, NULL },
};
