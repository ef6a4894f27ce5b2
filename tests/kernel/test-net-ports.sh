#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Port rules: "only these ports" (allow_network false plus allow rules), deny
# rules cutting holes into allow_network true, port-0 wildcard rules, small
# and full-size ranges, direction bind/connect/both, tcp versus udp, IPv4
# and IPv6, listen() without bind() and the ephemeral bind to port 0, bind
# with AF_UNSPEC, inheritance across fork, and an unjailed copy of the same
# binary that is never affected. Network denials are EACCES.

# A private network namespace: its own lo and addresses, the host untouched.
if [ -z "${BJ_NETNS:-}" ]; then
	export BJ_NETNS=1
	exec unshare --net -- /bin/sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

ip link set lo up
# Binds go to addresses of their own, so they never collide with the listeners.
ip addr add 127.0.0.2/32 dev lo
ip -6 addr add fd00::b/128 dev lo nodad

# Real listeners, so an allowed connect really connects ("ok"): a denial is
# the jail's doing, not a closed port.
PORTS=22,25,53,443,5999,6000,6005,6010,6011,7000,7999,8000,8009,8010,8080,8081,9000,9001
serve tcp-serve 127.0.0.1 "$PORTS"
serve tcp-serve ::1 "$PORTS"

ONLY=$(jailed_copy only)
FULL=$(jailed_copy fullrange)
HOLES=$(jailed_copy holes)
WILD=$(jailed_copy wild)
WILDDENY=$(jailed_copy wilddeny)

# File access is on in every role: only the network rules are under test.
cat >"$T/policy.json" <<JSON
{
  "roles": {
    "only": {
      "id": 10,
      "flags": {"allow_file_access": true, "allow_network": false},
      "network_rules": [
        {"protocol": "tcp", "port": 8080, "allow": true},
        {"protocol": "tcp", "port_start": 8000, "port_end": 8009, "allow": true},
        {"protocol": "udp", "port": 53, "allow": true},
        {"protocol": "tcp", "port": 9000, "allow": true, "direction": "bind"},
        {"protocol": "tcp", "port": 9001, "allow": true, "direction": "connect"},
        {"protocol": "tcp", "port": 7000, "allow": true},
        {"protocol": "tcp", "port": 7000, "allow": false}
      ]
    },
    "fullrange": {
      "id": 11,
      "flags": {"allow_file_access": true, "allow_network": false},
      "network_rules": [
        {"protocol": "udp", "port_start": 1, "port_end": 65535, "allow": true},
        {"protocol": "tcp", "port_start": 1, "port_end": 65535, "allow": true, "direction": "connect"}
      ]
    },
    "holes": {
      "id": 12,
      "flags": {"allow_file_access": true, "allow_network": true},
      "network_rules": [
        {"protocol": "tcp", "port": 22, "allow": false},
        {"protocol": "tcp", "port_start": 6000, "port_end": 6010, "allow": false},
        {"protocol": "tcp", "port": 6005, "allow": true},
        {"protocol": "udp", "port": 53, "allow": false, "direction": "connect"}
      ]
    },
    "wild": {
      "id": 13,
      "flags": {"allow_file_access": true, "allow_network": false},
      "network_rules": [
        {"protocol": "tcp", "port": 0, "allow": true, "direction": "bind"},
        {"protocol": "tcp", "port": 25, "allow": false},
        {"protocol": "udp", "port": 0, "allow": true, "direction": "connect"}
      ]
    },
    "wilddeny": {
      "id": 14,
      "flags": {"allow_file_access": true, "allow_network": true},
      "network_rules": [
        {"protocol": "tcp", "port": 0, "allow": false},
        {"protocol": "tcp", "port": 443, "allow": true}
      ]
    }
  },
  "exec_enrollments": [
    {"executable_path": "$ONLY", "pod_id": 10, "role": "only"},
    {"executable_path": "$FULL", "pod_id": 11, "role": "fullrange"},
    {"executable_path": "$HOLES", "pod_id": 12, "role": "holes"},
    {"executable_path": "$WILD", "pod_id": 13, "role": "wild"},
    {"executable_path": "$WILDDENY", "pod_id": 14, "role": "wilddeny"}
  ]
}
JSON
bj_load "$T/policy.json"

echo "# only these ports: allow_network false plus allow rules"
expect ok "only: tcp connect to an allowed port (IPv4)" "$ONLY" tcp-connect 127.0.0.1 8080
expect ok "only: tcp connect to an allowed port (IPv6)" "$ONLY" tcp-connect ::1 8080
expect EACCES "only: tcp connect to another port (IPv4)" "$ONLY" tcp-connect 127.0.0.1 8081
expect EACCES "only: tcp connect to another port (IPv6)" "$ONLY" tcp-connect ::1 8081
expect ok "not jailed: the same binary connects to that port" "$BJ_TRY" tcp-connect 127.0.0.1 8081
expect ok "not jailed: the same binary connects to it over IPv6" "$BJ_TRY" tcp-connect ::1 8081
expect ok "only: bind an allowed port (IPv4)" "$ONLY" tcp-bind 127.0.0.2 8080
expect ok "only: bind an allowed port (IPv6)" "$ONLY" tcp-bind fd00::b 8080
expect EACCES "only: bind another port (IPv4)" "$ONLY" tcp-bind 127.0.0.2 8081
expect EACCES "only: bind another port (IPv6)" "$ONLY" tcp-bind fd00::b 8081
expect ok "not jailed: the same binary binds that port" "$BJ_TRY" tcp-bind 127.0.0.2 8081
expect ok "only: range 8000-8009, first port" "$ONLY" tcp-connect 127.0.0.1 8000
expect ok "only: range 8000-8009, last port" "$ONLY" tcp-connect ::1 8009
expect ok "only: range 8000-8009, bind inside" "$ONLY" tcp-bind 127.0.0.2 8005
expect EACCES "only: just below the range" "$ONLY" tcp-connect 127.0.0.1 7999
expect EACCES "only: just above the range" "$ONLY" tcp-connect ::1 8010
expect EACCES "only: just above the range, bind" "$ONLY" tcp-bind 127.0.0.2 8010
expect ok "only: direction bind: bind" "$ONLY" tcp-bind 127.0.0.2 9000
expect EACCES "only: direction bind: connect" "$ONLY" tcp-connect 127.0.0.1 9000
expect ok "only: direction connect: connect" "$ONLY" tcp-connect 127.0.0.1 9001
expect EACCES "only: direction connect: bind" "$ONLY" tcp-bind 127.0.0.2 9001
expect EACCES "only: allow and deny for one port: deny wins (connect)" "$ONLY" tcp-connect 127.0.0.1 7000
expect EACCES "only: allow and deny for one port: deny wins (bind)" "$ONLY" tcp-bind 127.0.0.2 7000
expect ok "only: udp rule: udp sendto its port" "$ONLY" udp-sendto 127.0.0.1 53
expect ok "only: udp rule: udp bind its port" "$ONLY" udp-bind 127.0.0.2 53
expect EACCES "only: udp rule does not open tcp" "$ONLY" tcp-connect 127.0.0.1 53
expect EACCES "only: tcp rule does not open udp (sendto)" "$ONLY" udp-sendto 127.0.0.1 8080
expect EACCES "only: tcp rule does not open udp (bind)" "$ONLY" udp-bind 127.0.0.2 8080
expect EACCES "only: listen() without bind() is a bind to port 0 (IPv4)" "$ONLY" tcp-listen 127.0.0.1
expect EACCES "only: listen() without bind() (IPv6)" "$ONLY" tcp-listen ::1
expect ok "not jailed: listen() without bind()" "$BJ_TRY" tcp-listen 127.0.0.1
expect EACCES "only: bind to port 0 (ephemeral)" "$ONLY" tcp-bind 127.0.0.2 0
expect EACCES "only: bind with AF_UNSPEC to another port" "$ONLY" tcp-bind-unspec 8081
expect ok "only: bind with AF_UNSPEC to an allowed port" "$ONLY" tcp-bind-unspec 8005
expect EACCES "only, forked child: tcp connect to another port" "$ONLY" fork tcp-connect 127.0.0.1 8081
expect ok "only, forked child: tcp connect to an allowed port" "$ONLY" fork tcp-connect 127.0.0.1 8080
expect EACCES "only, forked child: bind another port" "$ONLY" fork tcp-bind 127.0.0.2 8081

echo "# full range 1-65535 (bounded memory: a few LPM prefixes)"
expect ok "fullrange: udp sendto port 1" "$FULL" udp-sendto 127.0.0.1 1
expect ok "fullrange: udp sendto port 65535" "$FULL" udp-sendto ::1 65535
expect ok "fullrange: udp bind port 1" "$FULL" udp-bind 127.0.0.2 1
expect ok "fullrange: udp bind port 65535" "$FULL" udp-bind fd00::b 65535
expect EACCES "fullrange: udp bind to port 0 is outside 1-65535" "$FULL" udp-bind 127.0.0.2 0
expect ok "fullrange: tcp connect (connect-only range)" "$FULL" tcp-connect 127.0.0.1 8081
expect ok "fullrange: tcp connect to a high port" "$FULL" tcp-connect ::1 6011
expect EACCES "fullrange: tcp bind (connect-only range)" "$FULL" tcp-bind 127.0.0.2 8081
expect EACCES "fullrange: listen() without bind()" "$FULL" tcp-listen 127.0.0.1

echo "# deny rules cut holes into allow_network true"
expect EACCES "holes: tcp connect to a denied port" "$HOLES" tcp-connect 127.0.0.1 22
expect EACCES "holes: tcp connect to a denied port (IPv6)" "$HOLES" tcp-connect ::1 22
expect ok "holes: tcp connect to another port" "$HOLES" tcp-connect 127.0.0.1 8081
expect EACCES "holes: bind a denied port" "$HOLES" tcp-bind 127.0.0.2 22
expect ok "holes: bind another port" "$HOLES" tcp-bind 127.0.0.2 23
expect EACCES "holes: denied range 6000-6010, first port" "$HOLES" tcp-connect 127.0.0.1 6000
expect EACCES "holes: denied range 6000-6010, last port" "$HOLES" tcp-connect ::1 6010
expect ok "holes: narrower allow inside the denied range wins" "$HOLES" tcp-connect 127.0.0.1 6005
expect ok "holes: just below the denied range" "$HOLES" tcp-connect 127.0.0.1 5999
expect ok "holes: just above the denied range" "$HOLES" tcp-connect ::1 6011
expect EACCES "holes: udp connect-only deny: sendto" "$HOLES" udp-sendto 127.0.0.1 53
expect EACCES "holes: udp connect-only deny: connect (IPv6)" "$HOLES" udp-connect ::1 53
expect ok "holes: udp connect-only deny: bind stays allowed" "$HOLES" udp-bind 127.0.0.2 53
expect ok "holes: udp sendto another port" "$HOLES" udp-sendto 127.0.0.1 54
expect ok "holes: tcp deny rule does not touch udp on that port" "$HOLES" udp-sendto 127.0.0.1 22
expect ok "holes: listen() without bind() (the flag allows port 0)" "$HOLES" tcp-listen 127.0.0.1
expect EACCES "holes, forked child: tcp connect to a denied port" "$HOLES" fork tcp-connect 127.0.0.1 22

echo "# port-0 wildcard rules"
expect ok "wild: listen() without bind(), bind wildcard allows port 0 (IPv4)" "$WILD" tcp-listen 127.0.0.1
expect ok "wild: listen() without bind() (IPv6)" "$WILD" tcp-listen ::1
expect ok "wild: bind to port 0" "$WILD" tcp-bind 127.0.0.2 0
expect ok "wild: bind any port" "$WILD" tcp-bind fd00::b 8081
expect EACCES "wild: a specific deny beats the wildcard" "$WILD" tcp-bind 127.0.0.2 25
expect EACCES "wild: bind-only wildcard does not allow connect" "$WILD" tcp-connect 127.0.0.1 8081
expect ok "wild: udp connect wildcard: sendto" "$WILD" udp-sendto 127.0.0.1 5353
expect ok "wild: udp connect wildcard: connect (IPv6)" "$WILD" udp-connect ::1 5353
expect EACCES "wild: udp connect wildcard does not allow bind" "$WILD" udp-bind 127.0.0.2 5353
expect EACCES "wilddeny: tcp deny wildcard under allow_network true" "$WILDDENY" tcp-connect 127.0.0.1 8081
expect EACCES "wilddeny: listen() without bind()" "$WILDDENY" tcp-listen 127.0.0.1
expect ok "wilddeny: a specific allow beats the deny wildcard" "$WILDDENY" tcp-connect ::1 443
expect ok "wilddeny: udp is not covered by the tcp wildcard" "$WILDDENY" udp-sendto 127.0.0.1 5353
finish
