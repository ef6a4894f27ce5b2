// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets: which families and protocols a role may open, the addresses and
 * ports it may bind, connect and send to (IP rules, then port rules, then
 * its network flag), and which unix sockets it may reach.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "audit.bpf.h"
#include "jail.bpf.h"
#include "kernel_defs.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"

/* ---- Addresses and rules ---- */

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

/* ---- Unix sockets ---- */

/* Was the socket made in the caller's own jail? */
static __always_inline bool sock_in_jail(const struct jail_task *jt, struct sock *sk)
{
	struct sock_jail *sj = bpf_sk_storage_get(&sock_jails, sk, 0, 0);

	return sj && sj->role == jt->jail.role && sj->pod_id == jt->jail.pod_id;
}

/* Is (d, mnt) one of the system's logging sockets, which every role may write to? */
static __always_inline bool logging_socket(struct jail_task *jt, struct dentry *d, struct vfsmount *mnt)
{
	const struct bj_state *st;

	if (!sockets_start)
		return false;
	walk_path(jt, d, mnt);
	if (jt->kind != BJ_PATH_REACHED)
		return false;
	st = match_path(jt, sockets_start);
	return st && (BJ_VERDICT_ALLOW(st->verdict) & BJ_VERDICT_DECIDED(st->verdict) & BJ_RIGHT_WRITE);
}

/*
 * Unix sockets. One bound to a path is that path: reaching it writes to
 * it. A socket of another jail, or of no jail, is a door into a process
 * outside the jail (systemd's private socket, D-Bus, a container runtime
 * would run anything for root), so the file flag alone does not open it:
 * a rule of the role must, or it is one of the logging sockets. An
 * abstract socket has no path: reachable within the jail, or with
 * allow_abstract_unix. An unbound peer (socketpair) is already the
 * caller's.
 */
static __always_inline int unix_peer_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
					   __u16 hook, struct sock *peer)
{
	struct unix_sock *u = (void *)peer;
	struct dentry *d = BPF_CORE_READ(u, path.dentry);
	struct vfsmount *mnt = BPF_CORE_READ(u, path.mnt);
	struct path_info info;
	bool own, allowed;
	__u32 granted;

	own = sock_in_jail(jt, peer);
	if (!d) {
		if (!BPF_CORE_READ(u, addr) || own)
			return 0;
		return plain_check(ctx, jt, role, hook, role->flags & BJ_FLAG_ABSTRACT_UNIX, -EPERM,
				   BJ_OBJ_NONE, 0);
	}
	granted = path_rights(jt, role, d, mnt, &info);
	allowed = granted & BJ_RIGHT_WRITE;
	if (allowed && !own && !(info.decided & BJ_RIGHT_WRITE) && !logging_socket(jt, d, mnt))
		allowed = false;
	return file_verdict(ctx, jt, role, hook, d, mnt, BJ_RIGHT_WRITE, allowed);
}

SEC("lsm/unix_stream_connect")
int BPF_PROG(bj_unix_connect, struct sock *sock, struct sock *other, struct sock *newsk)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	return unix_peer_check(ctx, jt, role, BJ_HOOK_UNIX_CONNECT, other);
}

SEC("lsm/unix_may_send")
int BPF_PROG(bj_unix_send, struct socket *sock, struct socket *other)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct sock *peer = other->sk;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (!peer)
		return -EPERM; /* a peer without a sock cannot be told apart: refused */
	return unix_peer_check(ctx, jt, role, BJ_HOOK_UNIX_SEND, peer);
}

/* ---- Sockets made, bound, connected and sent to ---- */

/* Can port and address rules decide everything a socket of this inet protocol does? */
static __always_inline bool ruled_protocol(int protocol)
{
	switch (protocol) {
	case 0: /* the type's default: TCP or UDP */
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_MPTCP:
	case IPPROTO_ICMP: /* ping sockets: connect and sendto meet the address rules */
	case IPPROTO_ICMPV6:
		return true;
	default:
		return false;
	}
}

/*
 * Address families by allowlist (unix, inet, inet6, netlink and what the
 * role lists): every other family is kernel code a service has no use
 * for. Raw and packet sockets bypass port and address rules, and so do
 * inet protocols the rules cannot describe (SCTP's multi-address binds,
 * L2TP): only for roles whose network is unrestricted.
 */
SEC("lsm/socket_create")
int BPF_PROG(bj_socket_create, int family, int type, int protocol, int kern)
{
	struct jail_task *jt;
	const struct bj_role_entry *role;
	struct bj_audit_record *rec;
	bool allowed, record, restricted;
	__u8 decision;
	int ret;

	if (kern)
		return 0;
	jt = current_jail();
	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	restricted = !(role->flags & BJ_FLAG_NETWORK) || role->has_ports || role->has_ips;
	allowed = family >= 0 && family < 64 && (role->families & (1ull << family));
	if (allowed && restricted && family != AF_NETLINK && family != AF_UNIX &&
	    ((type & 0xf) == SOCK_RAW || family == AF_PACKET ||
	     ((family == AF_INET || family == AF_INET6) && !ruled_protocol(protocol))))
		allowed = false;
	if (allowed)
		return 0;
	ret = conclude(role, BJ_HOOK_SOCKET_CREATE, false, -EACCES, &decision, &record);
	if (record && (rec = audit_begin(&jt->jail, role, BJ_HOOK_SOCKET_CREATE, decision, 0))) {
		rec->object = BJ_OBJ_NET;
		rec->net.family = family;
		rec->net.protocol = protocol;
		audit_send(ctx, rec);
	}
	return ret;
}

/* Remember the jail a jailed task's socket was made in. */
SEC("lsm/socket_post_create")
int BPF_PROG(bj_socket_post_create, struct socket *sock, int family, int type, int protocol, int kern)
{
	struct jail_task *jt = current_jail();
	struct sock_jail *sj;
	struct sock *sk;

	if (!jt || kern)
		return 0;
	sk = sock->sk;
	if (!sk)
		return 0;
	sj = bpf_sk_storage_get(&sock_jails, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!sj)
		return -ENOMEM; /* fail closed: a socket whose jail is unknown reads as outside */
	sj->role = jt->jail.role;
	sj->pod_id = jt->jail.pod_id;
	return 0;
}

static __always_inline __u16 sock_family(struct socket *sock)
{
	return BPF_CORE_READ(sock, sk, __sk_common.skc_family);
}

SEC("lsm/socket_bind")
int BPF_PROG(bj_bind, struct socket *sock, struct sockaddr *address, int addrlen)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct net_dest dst;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (!read_inet(address, addrlen, true, sock_family(sock), &dst))
		return 0;
	return net_check(ctx, jt, role, BJ_HOOK_BIND, rule_protocol(sock), BJ_DIR_BIND, &dst);
}

SEC("lsm/socket_connect")
int BPF_PROG(bj_connect, struct socket *sock, struct sockaddr *address, int addrlen)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct net_dest dst;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (!read_inet(address, addrlen, false, sock_family(sock), &dst))
		return 0;
	resolve_unspecified(sock, &dst);
	return net_check(ctx, jt, role, BJ_HOOK_CONNECT, rule_protocol(sock), BJ_DIR_CONNECT, &dst);
}

/* A destination given to sendto/sendmsg (unconnected UDP, TCP Fast Open) is a connect. */
SEC("lsm/socket_sendmsg")
int BPF_PROG(bj_sendmsg, struct socket *sock, struct msghdr *msg, int size)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct sockaddr *name = msg->msg_name;
	struct net_dest dst;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (!name || !read_inet(name, msg->msg_namelen, true, sock_family(sock), &dst))
		return 0;
	resolve_unspecified(sock, &dst);
	return net_check(ctx, jt, role, BJ_HOOK_SENDMSG, rule_protocol(sock), BJ_DIR_CONNECT, &dst);
}

/* listen() on an unbound socket binds an ephemeral port: a bind to port 0. */
SEC("lsm/socket_listen")
int BPF_PROG(bj_listen, struct socket *sock, int backlog)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct net_dest dst = {};
	__u16 family;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	family = sock_family(sock);
	if ((family != AF_INET && family != AF_INET6) || BPF_CORE_READ(sock, sk, __sk_common.skc_num))
		return 0;
	dst.family = family;
	return net_check(ctx, jt, role, BJ_HOOK_LISTEN, rule_protocol(sock), BJ_DIR_BIND, &dst);
}
