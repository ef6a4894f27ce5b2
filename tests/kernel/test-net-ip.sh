#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ip_rules: destinations of connect and sendto/sendmsg, IPv4 and IPv6,
# longest prefix wins, a deny decides, an allow falls through to the port
# rules (and then the flag); IPv4-mapped IPv6 addresses meet the IPv4 rules,
# on TCP and UDP, whichever socket family carries them; the unspecified
# address (0.0.0.0, ::), which the kernel sends to the local host; binds are
# not destinations. The SSRF role shows how metadata and loopback services
# are closed to a role that otherwise has the network.

# A private network namespace: its own lo and addresses, the host untouched.
if [ -z "${BJ_NETNS:-}" ]; then
	export BJ_NETNS=1
	exec unshare --net -- /bin/sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

# Every destination below is an address of this namespace's lo (all of
# 127.0.0.0/8 is), so an allowed connect really connects.
ip link set lo up
ip addr add 169.254.169.254/32 dev lo
ip addr add 192.0.2.1/32 dev lo
ip addr add 192.0.2.2/32 dev lo
for a in fd00::5 fd00:1::5 fd00:1:2::5; do ip -6 addr add $a/128 dev lo nodad; done

# "::" is dual-stack: one listener per port answers on every local address.
serve tcp-serve :: 80,6379,8080,8081,8082

GUARD=$(jailed_copy ipguard)
ONLYIP=$(jailed_copy onlyip)
NOMETA=$(jailed_copy nometa)

# File access is on in every role: only the network rules are under test.
cat >"$T/policy.json" <<JSON
{
  "roles": {
    "ipguard": {
      "id": 20,
      "flags": {"allow_file_access": true, "allow_network": true},
      "network_rules": [{"protocol": "tcp", "port": 8080, "allow": false}],
      "ip_rules": [
        {"cidr": "127.0.0.0/8", "allow": false},
        {"cidr": "127.0.0.0/16", "allow": true},
        {"cidr": "127.0.1.0/24", "allow": false},
        {"cidr": "127.0.1.7/32", "allow": true},
        {"cidr": "fd00::/8", "allow": false},
        {"cidr": "fd00:1::/32", "allow": true},
        {"cidr": "fd00:1:2::/48", "allow": false}
      ]
    },
    "onlyip": {
      "id": 21,
      "flags": {"allow_file_access": true, "allow_network": false},
      "network_rules": [
        {"protocol": "tcp", "port": 8081, "allow": true},
        {"protocol": "udp", "port": 53, "allow": true}
      ],
      "ip_rules": [
        {"cidr": "127.0.0.0/8", "allow": false},
        {"cidr": "127.0.0.3/32", "allow": true}
      ]
    },
    "nometa": {
      "id": 22,
      "flags": {"allow_file_access": true, "allow_network": true},
      "ip_rules": [
        {"cidr": "169.254.0.0/16", "allow": false},
        {"cidr": "127.0.0.0/8", "allow": false},
        {"cidr": "::1/128", "allow": false},
        {"cidr": "192.0.2.2/32", "allow": false}
      ]
    }
  },
  "exec_enrollments": [
    {"executable_path": "$GUARD", "pod_id": 20, "role": "ipguard"},
    {"executable_path": "$ONLYIP", "pod_id": 21, "role": "onlyip"},
    {"executable_path": "$NOMETA", "pod_id": 22, "role": "nometa"}
  ]
}
JSON
bj_load "$T/policy.json"

echo "# longest prefix wins, IPv4"
expect EACCES "ipguard: /8 deny" "$GUARD" tcp-connect 127.1.0.1 8081
expect ok "not jailed: the same binary reaches that address" "$BJ_TRY" tcp-connect 127.1.0.1 8081
expect ok "ipguard: /16 allow inside the /8 deny" "$GUARD" tcp-connect 127.0.5.1 8081
expect EACCES "ipguard: /16 allow falls through to the port rules (tcp 8080 deny)" "$GUARD" tcp-connect 127.0.5.1 8080
expect EACCES "ipguard: /24 deny inside the /16 allow" "$GUARD" tcp-connect 127.0.1.1 8081
expect ok "ipguard: /32 allow inside the /24 deny" "$GUARD" tcp-connect 127.0.1.7 8081
expect EACCES "ipguard, forked child: /24 deny" "$GUARD" fork tcp-connect 127.0.1.1 8081
expect ok "ipguard: binds are not destinations (bind in a denied range)" "$GUARD" tcp-bind 127.1.0.1 7777

echo "# longest prefix wins, IPv6"
expect EACCES "ipguard: fd00::/8 deny" "$GUARD" tcp-connect fd00::5 8081
expect ok "not jailed: the same binary reaches fd00::5" "$BJ_TRY" tcp-connect fd00::5 8081
expect ok "ipguard: fd00:1::/32 allow inside it" "$GUARD" tcp-connect fd00:1::5 8081
expect EACCES "ipguard: fd00:1::/32 allow falls through to tcp 8080 deny" "$GUARD" tcp-connect fd00:1::5 8080
expect EACCES "ipguard: fd00:1:2::/48 deny inside the allow" "$GUARD" tcp-connect fd00:1:2::5 8081
expect ok "ipguard: ::1, no rule, the flag allows" "$GUARD" tcp-connect ::1 8081
expect EACCES "ipguard: udp sendto into fd00::/8" "$GUARD" udp-sendto fd00::5 53
expect ok "ipguard: udp sendto into fd00:1::/32" "$GUARD" udp-sendto fd00:1::5 53

echo "# IPv4-mapped IPv6 addresses meet the IPv4 rules"
expect EACCES "ipguard: tcp to ::ffff:127.1.0.1 (/8 deny)" "$GUARD" tcp-connect ::ffff:127.1.0.1 8081
expect EACCES "ipguard: tcp to ::ffff:127.0.1.1 (/24 deny)" "$GUARD" tcp-connect ::ffff:127.0.1.1 8081
expect ok "ipguard: tcp to ::ffff:127.0.1.7 (/32 allow)" "$GUARD" tcp-connect ::ffff:127.0.1.7 8081
expect EACCES "ipguard: tcp to ::ffff:127.0.5.1 port 8080 (falls through to the port deny)" "$GUARD" tcp-connect ::ffff:127.0.5.1 8080
expect EACCES "ipguard: udp sendto ::ffff:127.1.0.1" "$GUARD" udp-sendto ::ffff:127.1.0.1 53
expect EACCES "ipguard: udp connect ::ffff:127.0.1.1" "$GUARD" udp-connect ::ffff:127.0.1.1 53
expect ok "ipguard: udp connect ::ffff:127.0.5.1" "$GUARD" udp-connect ::ffff:127.0.5.1 53
expect EACCES "ipguard: AF_INET6 udp socket, AF_INET address, sendto" "$GUARD" udp6-sendto4 127.1.0.1 53
expect EACCES "ipguard: AF_INET6 udp socket, AF_INET address, connect" "$GUARD" udp6-connect4 127.0.1.1 53
expect ok "ipguard: AF_INET6 udp socket, AF_INET address, allowed" "$GUARD" udp6-connect4 127.0.5.1 53
expect EACCES "ipguard: udp sendto 127.1.0.1" "$GUARD" udp-sendto 127.1.0.1 53
expect ok "ipguard: udp sendto 127.0.5.1" "$GUARD" udp-sendto 127.0.5.1 53

echo "# an allow /32 inside a denied range still needs the port rules (allow_network false)"
expect ok "onlyip: allowed /32, allowed port" "$ONLYIP" tcp-connect 127.0.0.3 8081
expect ok "onlyip: allowed /32, allowed port, as IPv4-mapped" "$ONLYIP" tcp-connect ::ffff:127.0.0.3 8081
expect EACCES "onlyip: allowed /32, other port: the flag says no" "$ONLYIP" tcp-connect 127.0.0.3 8082
expect EACCES "onlyip: denied /8, allowed port" "$ONLYIP" tcp-connect 127.0.0.4 8081
expect EACCES "onlyip: denied /8, allowed port, as IPv4-mapped" "$ONLYIP" tcp-connect ::ffff:127.0.0.4 8081
expect ok "onlyip: udp to the allowed /32 and port" "$ONLYIP" udp-sendto 127.0.0.3 53
expect EACCES "onlyip: udp to the denied /8, allowed port" "$ONLYIP" udp-sendto 127.0.0.4 53
expect ok "onlyip: no ip rule for ::1, the port rule allows" "$ONLYIP" tcp-connect ::1 8081

echo "# SSRF: a networked role closed to metadata and loopback"
expect EACCES "nometa: 169.254.169.254:80" "$NOMETA" tcp-connect 169.254.169.254 80
expect ok "not jailed: the same binary reaches 169.254.169.254:80" "$BJ_TRY" tcp-connect 169.254.169.254 80
expect EACCES "nometa: ::ffff:169.254.169.254 port 80" "$NOMETA" tcp-connect ::ffff:169.254.169.254 80
expect EACCES "nometa: udp sendto 169.254.169.254" "$NOMETA" udp-sendto 169.254.169.254 53
expect EACCES "nometa: 127.0.0.1:6379" "$NOMETA" tcp-connect 127.0.0.1 6379
expect EACCES "nometa: [::1]:6379" "$NOMETA" tcp-connect ::1 6379
expect EACCES "nometa: [::ffff:127.0.0.1]:6379" "$NOMETA" tcp-connect ::ffff:127.0.0.1 6379
expect ok "nometa: another address (192.0.2.1:6379)" "$NOMETA" tcp-connect 192.0.2.1 6379
expect ok "nometa: binds are not destinations" "$NOMETA" tcp-bind 127.0.0.1 7777
# Linux routes a connect or send to the unspecified address to the local
# host (0.0.0.0 to 127.0.0.1, or to the socket's own bound address; :: to
# ::1): "0.0.0.0:6379" is "127.0.0.1:6379".
expect ok "not jailed: 0.0.0.0:6379 reaches the local listener" "$BJ_TRY" tcp-connect 0.0.0.0 6379
expect EACCES "nometa: 0.0.0.0:6379 is the loopback" "$NOMETA" tcp-connect 0.0.0.0 6379
expect EACCES "nometa: [::ffff:0.0.0.0]:6379 is the loopback" "$NOMETA" tcp-connect ::ffff:0.0.0.0 6379
expect EACCES "nometa: [::]:6379 is ::1" "$NOMETA" tcp-connect :: 6379
expect EACCES "nometa: udp sendto 0.0.0.0 is the loopback" "$NOMETA" udp-sendto 0.0.0.0 53
expect EACCES "nometa: from 192.0.2.2, 0.0.0.0 is 192.0.2.2 (denied)" "$NOMETA" tcp-connect-from 192.0.2.2 0.0.0.0 6379
expect ok "nometa: from 192.0.2.1, 0.0.0.0 is 192.0.2.1 (allowed)" "$NOMETA" tcp-connect-from 192.0.2.1 0.0.0.0 6379
expect EACCES "nometa: from ::ffff:192.0.2.1, :: is 127.0.0.1" "$NOMETA" tcp-connect-from ::ffff:192.0.2.1 :: 6379
finish
