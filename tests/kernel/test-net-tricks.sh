#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The ways around a plain connect()/bind(), each against the same port rules
# with its must-allow twin: unconnected UDP sendto/sendmsg/sendmmsg,
# connected UDP (and sendto elsewhere on it), sendto with sa_family
# AF_UNSPEC, AF_INET addresses on AF_INET6 sockets, TCP Fast Open (sendto
# MSG_FASTOPEN and TCP_FASTOPEN_CONNECT), MPTCP (counts as tcp), UDP-Lite
# (counts as udp), listen() on the port a refused connect() autobound, raw
# and packet sockets (only for a role with the network and no port or ip
# rules), and io_uring (issued inline, by an io-wq worker
# and by the SQPOLL thread; bind and listen where the kernel has them).

# A private network namespace: its own lo, addresses and net sysctls.
if [ -z "${BJ_NETNS:-}" ]; then
	export BJ_NETNS=1
	exec unshare --net -- /bin/sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

ip link set lo up
ip addr add 127.0.0.2/32 dev lo
# Fast Open for client and server, in this namespace only.
sysctl -q -w net.ipv4.tcp_fastopen=3
# io_uring may be switched off system-wide (kernel.io_uring_disabled, 6.6+):
# switch it on for this test and put it back afterwards.
uring_was=$(sysctl -n kernel.io_uring_disabled 2>/dev/null || true)
[ -z "$uring_was" ] || sysctl -q -w kernel.io_uring_disabled=0
trap '[ -z "$uring_was" ] || sysctl -q -w kernel.io_uring_disabled="$uring_was"; cleanup' EXIT

serve tcp-serve 127.0.0.1 8080,8081
serve tcp-serve ::1 8080,8081

# has FEATURE "ERRNOS" "KERNELS" CMD...: whether this kernel has FEATURE,
# by bj-try's CMD run unjailed (the twin of the jailed cases that follow).
# It prints ok: counted as passed, the block runs (returns 0). It prints
# exactly one of ERRNOS, the errors of a kernel that lacks FEATURE: a
# counted skip, the block is left out (returns 1). Anything else is a
# failure, never a skip. In the test VM what each kernel has is known:
# KERNELS lists the test VM's kernels that have FEATURE, and there a skip
# of a feature it has, or a feature it should not have, fails.
has() {
	feature=$1 lacking=$2 kernels=$3
	shift 3
	case ${BJ_VM_KERNEL:-} in
	'') known= ;;
	*) case " $kernels " in *" $BJ_VM_KERNEL "*) known=yes ;; *) known=no ;; esac ;;
	esac
	got=$("$BJ_TRY" "$@" 2>/dev/null | tail -n 1) || true
	if [ "$got" = ok ]; then
		if [ "$known" = no ]; then
			tap_not_ok "unjailed: $feature: Debian's $BJ_VM_KERNEL should lack it, yet it works"
		else
			tap_ok "unjailed: $feature works"
		fi
		return 0
	fi
	for e in $lacking; do
		[ "$got" = "$e" ] || continue
		if [ "$known" = yes ]; then
			tap_not_ok "unjailed: $feature: Debian's $BJ_VM_KERNEL has it, got $got"
		else
			tap_skip "$feature" "this kernel lacks it (unjailed: $got)"
		fi
		return 1
	done
	tap_not_ok "unjailed: $feature: expected ok (or $(echo "$lacking" | sed 's/ / or /g') where the kernel lacks it), got ${got:-nothing}"
	return 1
}

GUARD=$(jailed_copy guard)
OPEN=$(jailed_copy open)
OPENRULES=$(jailed_copy openrules)

# guard allows tcp 8080 (and 8090, where nobody listens) and udp 53 and
# nothing else: 8081 and 54 are the denied twins. File access is on: only the network rules are under test.
cat >"$T/policy.json" <<JSON
{
  "roles": {
    "guard": {
      "id": 30,
      "flags": {"allow_file_access": true, "allow_network": false},
      "network_rules": [
        {"protocol": "tcp", "port": 8080, "allow": true},
        {"protocol": "tcp", "port": 8090, "allow": true},
        {"protocol": "udp", "port": 53, "allow": true}
      ]
    },
    "open": {
      "id": 31,
      "flags": {"allow_file_access": true, "allow_network": true},
      "capabilities": ["CAP_NET_RAW"],
      "address_families": ["AF_PACKET"]
    },
    "openrules": {
      "id": 32,
      "flags": {"allow_file_access": true, "allow_network": true},
      "network_rules": [{"protocol": "tcp", "port": 22, "allow": false}]
    }
  },
  "exec_enrollments": [
    {"executable_path": "$GUARD", "pod_id": 30, "role": "guard"},
    {"executable_path": "$OPEN", "pod_id": 31, "role": "open"},
    {"executable_path": "$OPENRULES", "pod_id": 32, "role": "openrules"}
  ]
}
JSON
bj_load "$T/policy.json"

echo "# UDP destinations given per datagram"
expect EACCES "unconnected udp sendto" "$GUARD" udp-sendto 127.0.0.1 54
expect ok "unconnected udp sendto, allowed port" "$GUARD" udp-sendto 127.0.0.1 53
expect ok "not jailed: the same binary sends to the denied port" "$BJ_TRY" udp-sendto 127.0.0.1 54
expect EACCES "udp sendmsg" "$GUARD" udp-sendmsg 127.0.0.1 54
expect ok "udp sendmsg, allowed port" "$GUARD" udp-sendmsg 127.0.0.1 53
expect EACCES "udp sendmmsg" "$GUARD" udp-sendmmsg ::1 54
expect ok "udp sendmmsg, allowed port" "$GUARD" udp-sendmmsg ::1 53
expect EACCES "connected udp (connect, send)" "$GUARD" udp-send 127.0.0.1 54
expect ok "connected udp, allowed port" "$GUARD" udp-send 127.0.0.1 53
expect EACCES "connected to an allowed port, sendto a denied one" "$GUARD" udp-redirect 127.0.0.1 53 127.0.0.1 54
expect ok "connected to an allowed port, sendto an allowed one" "$GUARD" udp-redirect 127.0.0.1 53 127.0.0.2 53
# udp_sendmsg() takes sa_family AF_UNSPEC as AF_INET and sends the datagram.
expect ok "not jailed: udp sendto with sa_family AF_UNSPEC is delivered" "$BJ_TRY" udp-sendto-unspec 127.0.0.1 54
expect EACCES "udp sendto with sa_family AF_UNSPEC" "$GUARD" udp-sendto-unspec 127.0.0.1 54
expect ok "udp sendto with sa_family AF_UNSPEC, allowed port" "$GUARD" udp-sendto-unspec 127.0.0.1 53
expect EACCES "AF_INET6 udp socket, AF_INET destination, sendto" "$GUARD" udp6-sendto4 127.0.0.1 54
expect ok "AF_INET6 udp socket, AF_INET destination, allowed port" "$GUARD" udp6-sendto4 127.0.0.1 53
expect EACCES "AF_INET6 udp socket, AF_INET destination, connect" "$GUARD" udp6-connect4 127.0.0.1 54
expect ok "AF_INET6 udp socket, AF_INET destination, connect to the allowed port" "$GUARD" udp6-connect4 127.0.0.1 53
expect EACCES "udp sendto an IPv4-mapped address" "$GUARD" udp-sendto ::ffff:127.0.0.1 54
expect ok "udp sendto an IPv4-mapped address, allowed port" "$GUARD" udp-sendto ::ffff:127.0.0.1 53
expect EACCES "forked child: unconnected udp sendto" "$GUARD" fork udp-sendto 127.0.0.1 54

echo "# TCP Fast Open"
expect EACCES "sendto MSG_FASTOPEN" "$GUARD" tcp-fastopen 127.0.0.1 8081
expect EACCES "sendto MSG_FASTOPEN (IPv6)" "$GUARD" tcp-fastopen ::1 8081
expect ok "sendto MSG_FASTOPEN, allowed port" "$GUARD" tcp-fastopen 127.0.0.1 8080
expect ok "not jailed: sendto MSG_FASTOPEN to the denied port" "$BJ_TRY" tcp-fastopen 127.0.0.1 8081
expect EACCES "TCP_FASTOPEN_CONNECT" "$GUARD" tcp-fastopen-connect 127.0.0.1 8081
expect ok "TCP_FASTOPEN_CONNECT, allowed port" "$GUARD" tcp-fastopen-connect ::1 8080

echo "# MPTCP counts as tcp, UDP-Lite as udp"
if has "mptcp" EPROTONOSUPPORT "6.1 6.12 unstable" mptcp-connect 127.0.0.1 8081; then
	expect EACCES "mptcp connect" "$GUARD" mptcp-connect 127.0.0.1 8081
	expect EACCES "mptcp connect (IPv6)" "$GUARD" mptcp-connect ::1 8081
	expect ok "mptcp connect, allowed port" "$GUARD" mptcp-connect 127.0.0.1 8080
	expect EACCES "mptcp bind" "$GUARD" mptcp-bind 127.0.0.2 8081
	expect ok "mptcp bind, allowed port" "$GUARD" mptcp-bind 127.0.0.2 8080
	expect EACCES "mptcp listen() without bind()" "$GUARD" mptcp-listen 127.0.0.1
	expect ok "mptcp bind then listen, allowed port" "$GUARD" mptcp-bind-listen 127.0.0.2 8080
	expect ok "open: mptcp listen() without bind()" "$OPEN" mptcp-listen ::1
fi
# The kernel dropped UDP-Lite before 7.2 (unstable's System.map has no udplite symbol).
if has "udp-lite" EPROTONOSUPPORT "6.1 6.12" udplite-sendto 127.0.0.1 54; then
	expect EACCES "udp-lite sendto" "$GUARD" udplite-sendto 127.0.0.1 54
	expect ok "udp-lite sendto, allowed port" "$GUARD" udplite-sendto 127.0.0.1 53
	expect EACCES "udp-lite bind" "$GUARD" udplite-bind ::1 54
	expect ok "udp-lite bind, allowed port" "$GUARD" udplite-bind ::1 53
fi

echo "# listen() after bind() and after a failed connect()"
expect ok "tcp bind then listen, allowed port" "$GUARD" tcp-bind-listen 127.0.0.2 8080
# A refused connect must not leave an autobound port for listen() to use.
expect EACCES "refused connect to an allowed port, then listen()" "$GUARD" tcp-connect-listen 127.0.0.1 8090
expect ok "open: refused connect, then listen()" "$OPEN" tcp-connect-listen 127.0.0.1 8090

echo "# raw and packet sockets: only for allow_network without port or ip rules,"
echo "# and a role that lists CAP_NET_RAW (and AF_PACKET for packet sockets)"
for s in "raw-socket" "packet-socket" "socket inet6 raw 58" "socket packet dgram all" \
	"socket inet packet all"; do
	# shellcheck disable=SC2086 # $s is an op and its arguments
	expect EACCES "guard (no network): $s" "$GUARD" $s
	# shellcheck disable=SC2086
	expect EACCES "openrules (network, with port rules): $s" "$OPENRULES" $s
	# shellcheck disable=SC2086
	expect ok "open (network, no rules): $s" "$OPEN" $s
done
expect ok "guard: an ordinary udp socket" "$GUARD" socket inet dgram 0
expect ok "guard: an ordinary tcp socket" "$GUARD" socket inet6 stream 0
expect EACCES "forked child: raw socket" "$GUARD" fork raw-socket

echo "# io_uring: inline, io-wq worker (IOSQE_ASYNC), SQPOLL thread"
# A kernel without io_uring says ENOSYS; one that has it, EINVAL for an
# opcode or a field it does not know.
if has "io_uring" ENOSYS "6.1 6.12 unstable" uring inline connect 127.0.0.1 8081; then
	for mode in inline async sqpoll; do
		expect EACCES "io_uring $mode: connect" "$GUARD" uring $mode connect 127.0.0.1 8081
		expect ok "io_uring $mode: connect, allowed port" "$GUARD" uring $mode connect 127.0.0.1 8080
		expect EACCES "io_uring $mode: udp sendmsg" "$GUARD" uring $mode sendmsg ::1 54
		expect ok "io_uring $mode: udp sendmsg, allowed port" "$GUARD" uring $mode sendmsg ::1 53
		expect EACCES "io_uring $mode: socket(raw)" "$GUARD" uring $mode raw 127.0.0.1 0
		expect ok "open: io_uring $mode: socket(raw)" "$OPEN" uring $mode raw 127.0.0.1 0
	done
	expect ok "not jailed: io_uring connect to the denied port" "$BJ_TRY" uring async connect 127.0.0.1 8081
	expect EACCES "forked child: io_uring worker connect" "$GUARD" fork uring async connect 127.0.0.1 8081
	if has "io_uring send_zc with a destination" EINVAL "6.1 6.12 unstable" uring inline sendzc 127.0.0.1 54; then
		expect EACCES "io_uring send_zc with a destination" "$GUARD" uring inline sendzc 127.0.0.1 54
		expect ok "io_uring send_zc, allowed port" "$GUARD" uring inline sendzc 127.0.0.1 53
	fi
	if has "io_uring send with a destination" EINVAL "6.1 6.12 unstable" uring inline send 127.0.0.1 54; then
		expect EACCES "io_uring send with a destination" "$GUARD" uring async send 127.0.0.1 54
		expect ok "io_uring send with a destination, allowed port" "$GUARD" uring async send 127.0.0.1 53
	fi
	if has "io_uring bind and listen (6.11+)" EINVAL "6.12 unstable" uring inline bind 127.0.0.2 8081; then
		expect EACCES "io_uring bind" "$GUARD" uring inline bind 127.0.0.2 8081
		expect ok "io_uring bind, allowed port" "$GUARD" uring async bind 127.0.0.2 8080
		expect EACCES "io_uring listen() without bind()" "$GUARD" uring sqpoll listen 127.0.0.1 0
		expect ok "open: io_uring listen() without bind()" "$OPEN" uring inline listen 127.0.0.1 0
	fi
fi
finish
