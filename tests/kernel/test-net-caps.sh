#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# CAP_NET_ADMIN (which could add a NAT rule sending an allowed connection
# somewhere else) and CAP_NET_RAW (the wire, past the socket hooks) are not
# in any role's capabilities unless the role lists them, even as root and
# even with an unrestricted network. A role whose network is restricted
# gets no raw socket even when it lists CAP_NET_RAW: its rules could not
# see what such a socket sends.
. "$(dirname "$0")/lib.sh"

RESTRICTED=$(jailed_copy restricted)
PORTS=$(jailed_copy ports)
OPEN=$(jailed_copy open)
LISTED=$(jailed_copy listed)
PORTS_LISTED=$(jailed_copy ports-listed)
cat >"$T/policy.json" <<JSON
{
  "roles": {
    "nonet": {"id": 1, "flags": {"allow_file_access": true, "allow_network": false}},
    "ports": {"id": 2, "flags": {"allow_file_access": true, "allow_network": true},
              "network_rules": [{"protocol": "tcp", "port": 25, "allow": false}]},
    "open": {"id": 3, "flags": {"allow_file_access": true, "allow_network": true}},
    "listed": {"id": 4, "flags": {"allow_file_access": true, "allow_network": true},
               "capabilities": ["CAP_NET_ADMIN", "CAP_NET_RAW"], "address_families": ["AF_PACKET"]},
    "ports-listed": {"id": 5, "flags": {"allow_file_access": true, "allow_network": true},
                     "capabilities": ["CAP_NET_RAW"],
                     "network_rules": [{"protocol": "tcp", "port": 25, "allow": false}]}
  },
  "exec_enrollments": [
    {"executable_path": "$RESTRICTED", "pod_id": 1, "role": "nonet"},
    {"executable_path": "$PORTS", "pod_id": 2, "role": "ports"},
    {"executable_path": "$OPEN", "pod_id": 3, "role": "open"},
    {"executable_path": "$LISTED", "pod_id": 4, "role": "listed"},
    {"executable_path": "$PORTS_LISTED", "pod_id": 5, "role": "ports-listed"}
  ]
}
JSON
bj_load "$T/policy.json"

expect EPERM "no network: SO_MARK (CAP_NET_ADMIN)" "$RESTRICTED" so-mark
expect EPERM "deny rules: SO_MARK (CAP_NET_ADMIN)" "$PORTS" so-mark
expect EPERM "unrestricted network, default capabilities: SO_MARK" "$OPEN" so-mark
expect ok "CAP_NET_ADMIN listed: SO_MARK" "$LISTED" so-mark
expect ok "not jailed: SO_MARK" "$BJ_TRY" so-mark
expect_denied "deny rules: raw socket" "$PORTS" raw-socket
expect_denied "unrestricted network, default capabilities: raw socket" "$OPEN" raw-socket
expect ok "CAP_NET_RAW listed: raw socket" "$LISTED" raw-socket
expect_denied "deny rules, CAP_NET_RAW listed: still no raw socket" "$PORTS_LISTED" raw-socket
expect ok "not jailed: raw socket" "$BJ_TRY" raw-socket
finish
