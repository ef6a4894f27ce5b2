#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A role whose network is restricted cannot use CAP_NET_ADMIN (which could
# add a NAT rule sending an allowed connection somewhere else) or CAP_NET_RAW,
# even as root; a role with an unrestricted network keeps them.
. "$(dirname "$0")/lib.sh"

RESTRICTED=$(jailed_copy restricted)
PORTS=$(jailed_copy ports)
OPEN=$(jailed_copy open)
cat >"$T/policy.json" <<JSON
{
  "roles": {
    "nonet": {"id": 1, "flags": {"allow_file_access": true, "allow_network": false}},
    "ports": {"id": 2, "flags": {"allow_file_access": true, "allow_network": true},
              "network_rules": [{"protocol": "tcp", "port": 25, "allow": false}]},
    "open": {"id": 3, "flags": {"allow_file_access": true, "allow_network": true}}
  },
  "exec_enrollments": [
    {"executable_path": "$RESTRICTED", "pod_id": 1, "role": "nonet"},
    {"executable_path": "$PORTS", "pod_id": 2, "role": "ports"},
    {"executable_path": "$OPEN", "pod_id": 3, "role": "open"}
  ]
}
JSON
bj_load "$T/policy.json"

expect EPERM "no network: SO_MARK (CAP_NET_ADMIN)" "$RESTRICTED" so-mark
expect EPERM "deny rules: SO_MARK (CAP_NET_ADMIN)" "$PORTS" so-mark
expect ok "unrestricted network: SO_MARK" "$OPEN" so-mark
expect ok "not jailed: SO_MARK" "$BJ_TRY" so-mark
expect_denied "deny rules: raw socket" "$PORTS" raw-socket
expect ok "unrestricted network: raw socket" "$OPEN" raw-socket
finish
