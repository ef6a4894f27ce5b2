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

/*
 * Reads are typed loads wherever the verifier knows the type (a hook's
 * struct socket and struct sockaddr, the struct sock behind the socket):
 * a load each, where BPF_CORE_READ is a bpf_probe_read_kernel() call each.
 * The exceptions: a send's destination (msghdr's msg_name, a void *),
 * whose first 16 bytes are copied in one probe read, and an IPv6 address,
 * which lies beyond struct sockaddr's 16 bytes. Nothing is read that the
 * role's rules, or the record it asks for, cannot use.
 */

struct net_dest {
	__u16 family;
	__u16 port;    /* host order */
	__u8 addr[16]; /* IPv6; IPv4 as IPv4-mapped: read only when a rule or a record needs it */
};

/*
 * Nothing of the socket or the address can change the verdict of a role
 * whose network is unrestricted (the flag, no port rules, and for a
 * connect or a send no ip rules) and that records no allowed decision:
 * its binds, connects, sends and listens are allowed without reading
 * either and, like the socket() calls its families allow, not counted.
 */
static __always_inline bool net_unrestricted(const struct bj_role_entry *role, __u8 dir)
{
	return (role->flags & BJ_FLAG_NETWORK) && !role->has_ports &&
	       !(dir == BJ_DIR_CONNECT && role->has_ips) && role->audit != BJ_AUDIT_ALL;
}

/* The socket's address family, 0 without a sock. */
static __always_inline __u16 sk_family(struct sock *sk)
{
	return sk ? sk->__sk_common.skc_family : 0;
}

/* The protocol port rules know it by: MPTCP is TCP, UDP-Lite is UDP (0 without a sock). */
static __always_inline __u16 rule_protocol(struct sock *sk)
{
	__u16 proto;

	if (!sk)
		return 0;
	proto = sk->sk_protocol;
	if (proto == IPPROTO_MPTCP)
		return IPPROTO_TCP;
	if (proto == IPPROTO_UDPLITE)
		return IPPROTO_UDP;
	return proto;
}

/*
 * The inet family an address of `family` and len bytes is checked as, or
 * 0: anything else (AF_UNSPEC connect means "disconnect"; AF_UNIX has its
 * own hooks), and addresses too short for the kernel to accept. On an
 * AF_INET socket, inet_bind() and udp_sendmsg() take AF_UNSPEC as
 * AF_INET, so a bind or a send (unspec_is_inet) reads it as one: only
 * then is the socket's family read.
 */
static __always_inline __u16 inet_family(__u16 family, int len, bool unspec_is_inet, struct sock *sk)
{
	if (family == AF_INET6)
		return len >= SIN6_LEN_RFC2133 ? AF_INET6 : 0;
	if (family == AF_UNSPEC && unspec_is_inet && sk_family(sk) == AF_INET)
		family = AF_INET;
	if (family == AF_INET)
		return len >= (int)sizeof(struct sockaddr_in) ? AF_INET : 0;
	return 0;
}

/*
 * The address of dst, as IPv6 with IPv4 mapped: an IPv4 address from sa
 * (a hook's struct sockaddr, or a copy of its first 16 bytes on the
 * stack), an IPv6 one, which lies beyond those 16 bytes, probe-read from
 * the kernel's own copy, in6.
 */
static __always_inline void read_inet_addr(const struct sockaddr *sa, const void *in6, struct net_dest *d)
{
	__builtin_memset(d->addr, 0, sizeof(d->addr));
	if (d->family == AF_INET) {
		__u32 a = ((const struct sockaddr_in *)sa)->sin_addr.s_addr;

		d->addr[10] = 0xff;
		d->addr[11] = 0xff;
		__builtin_memcpy(&d->addr[12], &a, sizeof(a));
	} else {
		bpf_probe_read_kernel(d->addr, sizeof(d->addr), &((const struct sockaddr_in6 *)in6)->sin6_addr);
	}
}

/*
 * Linux sends to an unspecified destination on the local host: 0.0.0.0 to
 * the socket's bound IPv4 address, or 127.0.0.1 if it has none; :: to ::1,
 * or to 127.0.0.1 from a socket bound to an IPv4-mapped address. Rewrite the
 * destination to the one really reached, so that ip_rules about loopback
 * cannot be walked around with 0.0.0.0 or ::. The socket is read only for
 * an unspecified destination.
 */
static __always_inline void resolve_unspecified(struct sock *sk, struct net_dest *d)
{
	__u32 *w = (__u32 *)d->addr, src = 0, v6 = 0;

	if ((w[0] | w[1] | w[3]) || (w[2] && w[2] != bpf_htonl(0xffff)))
		return;
	if (sk) {
		/* Read without branches between: fewer paths for the verifier to walk. */
		v6 = sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[0] |
		     sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[1] |
		     (sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[2] ^ bpf_htonl(0xffff));
		src = sk->__sk_common.skc_rcv_saddr;
	}
	if (!w[2] && (!sk || v6)) { /* ::, from a socket not bound to an IPv4-mapped address */
		w[3] = bpf_htonl(1); /* ::1 */
		return;
	}
	if (!w[2])
		src = 0; /* ::, from a socket bound to an IPv4-mapped address: 127.0.0.1 */
	w[2] = bpf_htonl(0xffff);
	w[3] = src ? src : bpf_htonl(0x7f000001);
}

/* The destination's address, resolved if it is a connect's or a send's; none for a listen (no sa). */
static __always_inline void dest_addr(const struct sockaddr *sa, const void *in6, bool resolve, struct sock *sk,
				      struct net_dest *dst)
{
	if (!sa) {
		__builtin_memset(dst->addr, 0, sizeof(dst->addr));
		return;
	}
	read_inet_addr(sa, in6, dst);
	if (resolve)
		resolve_unspecified(sk, dst);
}

/*
 * What the port rules (or, where none matches, the flag) decide for a role
 * slot, protocol, direction and port, remembered: the trie lookup walks
 * several nodes, a remembered answer is one load. The rules and the roles
 * are frozen before any program runs, so an answer never goes stale. An
 * entry is one 64-bit word, written and read in one access, that names all
 * it answers for (the tag) beside the answer: a word another CPU writes at
 * the same time is either read whole or not at all, an entry that holds
 * another key is a miss, and two keys that share an entry only take turns.
 * In .bss (8 KiB), which the bootstrap freezes: no process writes it.
 */
#define PORT_CACHE_BITS 10

static __u64 port_verdicts[1u << PORT_CACHE_BITS];

static __always_inline bool port_allowed(const struct bj_role_entry *role, __u32 slot, __u16 proto, __u8 dir,
					 __u16 port)
{
	__u64 tag = (__u64)slot << 32 | (__u64)port << 16 | (__u64)(proto == IPPROTO_UDP) << 3 |
		    (__u64)(dir == BJ_DIR_CONNECT) << 2 | 1;
	__u64 *entry = &port_verdicts[(tag * 0x9e3779b97f4a7c15ull) >> (64 - PORT_CACHE_BITS)];
	__u64 seen = *(volatile __u64 *)entry;

	if ((seen & ~2ull) != tag) {
		struct bj_port_key key = {
			.prefixlen = 64,
			.role = bpf_htonl(slot),
			.proto = proto,
			.dir = dir,
			.port = bpf_htons(port),
		};
		__u8 *verdict = bpf_map_lookup_elem(&port_rules, &key);
		bool allowed = verdict ? *verdict == BJ_NET_ALLOW : role->flags & BJ_FLAG_NETWORK;

		seen = tag | (__u64)allowed << 1;
		*(volatile __u64 *)entry = seen;
	}
	return seen & 2; /* one way out: the verifier sees a hit and a miss meet here */
}

/*
 * Decide a bind, connect, send or listen to dst (its family and port): a
 * deny of the IP rules decides, then the port rules, then the flag. The
 * lookups have no effects, so the port rules are asked first: what they
 * allow, in a role without IP rules that records no allowed decision, is
 * counted and returned at once. Only past that is the address read.
 */
static __always_inline int net_check(void *ctx, struct jail_task *jt, const struct bj_role_entry *role,
				     __u16 hook, __u8 dir, struct sock *sk, struct net_dest *dst,
				     const struct sockaddr *sa, const void *in6, bool resolve)
{
	__u16 proto = rule_protocol(sk);
	bool allowed = role->flags & BJ_FLAG_NETWORK, ips = dir == BJ_DIR_CONNECT && role->has_ips;
	struct bj_audit_record *rec;
	__u8 decision;
	bool record;
	int ret;

	if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP) && role->has_ports)
		allowed = port_allowed(role, jt->jail.role, proto, dir, dst->port);
	if (allowed && !ips && role->audit != BJ_AUDIT_ALL) {
		count_decision(hook, BJ_ALLOW); /* all that conclude() would do */
		return 0;
	}
	dest_addr(sa, in6, resolve, sk, dst);
	if (ips) {
		struct bj_ip_key key = { .prefixlen = 32 + 128, .role = bpf_htonl(jt->jail.role) };
		__u8 *verdict;

		__builtin_memcpy(key.addr, dst->addr, sizeof(key.addr));
		verdict = bpf_map_lookup_elem(&ip_rules, &key);
		if (verdict && *verdict == BJ_NET_DENY)
			allowed = false;
	}
	ret = conclude(role, hook, allowed, -EACCES, &decision, &record);
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
	granted = path_rights_read(jt, role, d, mnt, &info);
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

/*
 * Remember the jail a jailed task's unix socket was made in. Only unix
 * sockets are ever asked (unix_peer_check(), of the peer): an inet socket
 * gets no storage, and pays neither the jail lookup nor the allocation.
 */
SEC("lsm/socket_post_create")
int BPF_PROG(bj_socket_post_create, struct socket *sock, int family, int type, int protocol, int kern)
{
	struct jail_task *jt;
	struct sock_jail *sj;
	struct sock *sk;

	if (kern || family != AF_UNIX)
		return 0;
	jt = current_jail();
	if (!jt)
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

SEC("lsm/socket_bind")
int BPF_PROG(bj_bind, struct socket *sock, struct sockaddr *address, int addrlen)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct net_dest dst;
	struct sock *sk;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (net_unrestricted(role, BJ_DIR_BIND))
		return 0;
	sk = sock->sk;
	dst.family = inet_family(address->sa_family, addrlen, true, sk);
	if (!dst.family)
		return 0;
	dst.port = bpf_ntohs(((struct sockaddr_in *)address)->sin_port); /* sin6_port: the same place */
	return net_check(ctx, jt, role, BJ_HOOK_BIND, BJ_DIR_BIND, sk, &dst, address, address, false);
}

SEC("lsm/socket_connect")
int BPF_PROG(bj_connect, struct socket *sock, struct sockaddr *address, int addrlen)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct net_dest dst;
	struct sock *sk;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (net_unrestricted(role, BJ_DIR_CONNECT))
		return 0;
	sk = sock->sk;
	dst.family = inet_family(address->sa_family, addrlen, false, sk);
	if (!dst.family)
		return 0;
	dst.port = bpf_ntohs(((struct sockaddr_in *)address)->sin_port);
	return net_check(ctx, jt, role, BJ_HOOK_CONNECT, BJ_DIR_CONNECT, sk, &dst, address, address, true);
}

/*
 * A destination given to sendto/sendmsg (unconnected UDP, TCP Fast Open)
 * is a connect. msg_name is a void *, not a type the verifier knows: its
 * first 16 bytes (family, port, an IPv4 address) are copied in one read,
 * within the msg_namelen bytes the kernel holds (shorter than struct
 * sockaddr_in is no inet address; an unreadable one reads as AF_UNSPEC, as
 * it did field by field).
 */
SEC("lsm/socket_sendmsg")
int BPF_PROG(bj_sendmsg, struct socket *sock, struct msghdr *msg, int size)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct sockaddr_in addr;
	struct net_dest dst;
	struct sock *sk;
	void *name;
	int len;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (net_unrestricted(role, BJ_DIR_CONNECT))
		return 0;
	name = msg->msg_name;
	len = msg->msg_namelen;
	if (!name || len < (int)sizeof(addr) || bpf_probe_read_kernel(&addr, sizeof(addr), name))
		return 0;
	sk = sock->sk;
	dst.family = inet_family(addr.sin_family, len, true, sk);
	if (!dst.family)
		return 0;
	dst.port = bpf_ntohs(addr.sin_port); /* sin6_port: the same place */
	return net_check(ctx, jt, role, BJ_HOOK_SENDMSG, BJ_DIR_CONNECT, sk, &dst, (struct sockaddr *)&addr, name,
			 true);
}

/* listen() on an unbound socket binds an ephemeral port: a bind to port 0. */
SEC("lsm/socket_listen")
int BPF_PROG(bj_listen, struct socket *sock, int backlog)
{
	struct jail_task *jt = current_jail();
	const struct bj_role_entry *role;
	struct net_dest dst;
	struct sock *sk;
	__u16 family;

	if (!jt)
		return 0;
	role = role_of(jt);
	if (!role)
		return -EPERM;
	if (net_unrestricted(role, BJ_DIR_BIND))
		return 0;
	sk = sock->sk;
	if (!sk)
		return 0; /* no sock, no inet family: as before */
	family = sk->__sk_common.skc_family;
	if ((family != AF_INET && family != AF_INET6) || sk->__sk_common.skc_num)
		return 0;
	dst.family = family;
	dst.port = 0;
	return net_check(ctx, jt, role, BJ_HOOK_LISTEN, BJ_DIR_BIND, sk, &dst, NULL, NULL, false);
}
