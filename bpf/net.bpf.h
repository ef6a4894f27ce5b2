/* SPDX-License-Identifier: GPL-2.0 */
/* Socket addresses and the network rules of a role. */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "jail.bpf.h"

#define AF_UNSPEC  0
#define AF_UNIX    1
#define AF_INET    2
#define AF_INET6   10
#define AF_NETLINK 16
#define AF_PACKET  17
#define SOCK_RAW   3

#define IPPROTO_TCP     6
#define IPPROTO_UDP     17
#define IPPROTO_UDPLITE 136
#define IPPROTO_MPTCP   262

#define SIN6_LEN_RFC2133 24

struct net_dest {
	__u16 family;
	__u16 port;
	__u8 addr[16]; /* IPv6; IPv4 as IPv4-mapped */
};

/*
 * Decode an inet socket address. Returns false for anything else (AF_UNSPEC
 * connect means "disconnect"; AF_UNIX has its own hooks), and for addresses
 * too short for the kernel to accept. On an AF_INET socket, inet_bind() and
 * udp_sendmsg() take AF_UNSPEC as AF_INET, so a bind or a send
 * (unspec_is_inet) reads it as one.
 */
static __always_inline bool read_inet(struct sockaddr *sa, int len, bool unspec_is_inet,
				      __u16 sock_family, struct net_dest *out)
{
	__u16 family = BPF_CORE_READ(sa, sa_family);

	if (family == AF_UNSPEC && unspec_is_inet && sock_family == AF_INET)
		family = AF_INET;
	__builtin_memset(out, 0, sizeof(*out));
	out->family = family;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (void *)sa;
		__u32 a;

		if (len < (int)sizeof(*sin))
			return false;
		out->port = bpf_ntohs(BPF_CORE_READ(sin, sin_port));
		a = BPF_CORE_READ(sin, sin_addr.s_addr);
		out->addr[10] = 0xff;
		out->addr[11] = 0xff;
		__builtin_memcpy(&out->addr[12], &a, sizeof(a));
		return true;
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (void *)sa;

		if (len < SIN6_LEN_RFC2133)
			return false;
		out->port = bpf_ntohs(BPF_CORE_READ(sin6, sin6_port));
		bpf_probe_read_kernel(out->addr, sizeof(out->addr), &sin6->sin6_addr);
		return true;
	}
	return false;
}

/*
 * Linux sends to an unspecified destination on the local host: 0.0.0.0 to
 * the socket's bound IPv4 address, or 127.0.0.1 if it has none; :: to ::1,
 * or to 127.0.0.1 from a socket bound to an IPv4-mapped address. Rewrite the
 * destination to the one really reached, so that ip_rules about loopback
 * cannot be walked around with 0.0.0.0 or ::.
 */
static __always_inline void resolve_unspecified(struct socket *sock, struct net_dest *d)
{
	__u32 *w = (__u32 *)d->addr, src;
	struct sock *sk = BPF_CORE_READ(sock, sk);
	struct in6_addr src6;

	if (w[0] || w[1] || w[3] || (w[2] && w[2] != bpf_htonl(0xffff)))
		return;
	if (!w[2]) { /* :: */
		BPF_CORE_READ_INTO(&src6, sk, __sk_common.skc_v6_rcv_saddr);
		if (src6.in6_u.u6_addr32[0] || src6.in6_u.u6_addr32[1] ||
		    src6.in6_u.u6_addr32[2] != bpf_htonl(0xffff)) {
			w[3] = bpf_htonl(1); /* ::1 */
			return;
		}
		src = 0;
	} else { /* ::ffff:0.0.0.0 */
		src = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	}
	w[2] = bpf_htonl(0xffff);
	w[3] = src ? src : bpf_htonl(0x7f000001);
}

/* The protocol port rules know it by: MPTCP is TCP, UDP-Lite is UDP. */
static __always_inline __u16 rule_protocol(struct socket *sock)
{
	__u16 proto = BPF_CORE_READ(sock, sk, sk_protocol);

	if (proto == IPPROTO_MPTCP)
		return IPPROTO_TCP;
	if (proto == IPPROTO_UDPLITE)
		return IPPROTO_UDP;
	return proto;
}

/* IP rules first (a deny decides), then the port rules, then the flag. */
static __always_inline bool net_allowed(const struct bj_role_entry *role, __u32 slot, __u16 proto,
					__u8 dir, const struct net_dest *dst)
{
	__u8 *verdict;

	if (dir == BJ_DIR_CONNECT && role->has_ips) {
		struct bj_ip_key key = { .prefixlen = 32 + 128, .role = bpf_htonl(slot) };

		__builtin_memcpy(key.addr, dst->addr, sizeof(key.addr));
		verdict = bpf_map_lookup_elem(&ip_rules, &key);
		if (verdict && *verdict == BJ_NET_DENY)
			return false;
	}
	if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP) && role->has_ports) {
		struct bj_port_key key = {
			.prefixlen = 64,
			.role = bpf_htonl(slot),
			.proto = proto,
			.dir = dir,
			.port = bpf_htons(dst->port),
		};

		verdict = bpf_map_lookup_elem(&port_rules, &key);
		if (verdict)
			return *verdict == BJ_NET_ALLOW;
	}
	return role->flags & BJ_FLAG_NETWORK;
}

static __always_inline int net_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
				     __u16 hook, __u16 proto, __u8 dir, const struct net_dest *dst)
{
	struct bj_audit_record *rec;
	bool record;
	__u8 decision;
	int ret;

	ret = conclude(role, hook, net_allowed(role, jt->jail.role, proto, dir, dst), -EACCES,
		       &decision, &record);
	if (record && (rec = audit_begin(&jt->jail, role, hook, decision, 0))) {
		rec->object = BJ_OBJ_NET;
		rec->net.family = dst->family;
		rec->net.port = dst->port;
		rec->net.protocol = proto;
		__builtin_memcpy(rec->net.addr, dst->addr, sizeof(rec->net.addr));
		audit_send(ctx, rec);
	}
	return ret;
}
