#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Learning a policy: a workload runs in a role in complain mode, the
# forwarder writes its would-be denials to a systemd-journald of the test's
# own, bpfjailer-policy suggest turns them into a merged policy, and in
# enforce mode under that policy the workload runs with no denial while the
# attacks of the scenario tests stay denied: reading /etc/shadow (a deny rule
# of the role: a conflict, never an allow), connecting to 127.0.0.1:4444 and
# running a downloaded binary (never asked for by the workload).
#
# journald runs in a private mount namespace with its own tmpfs on
# /run/systemd/journal and /run/log/journal, so a host's journal is never
# touched when this runs natively.
if [ -z "${BJ_IN_NAMESPACE:-}" ]; then
	BJ_IN_NAMESPACE=1 exec unshare --mount --propagation private "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
BJ_POLICY_TOOL=$BJ_BUILD/policytool/bpfjailer-policy

APP=$(jailed_copy app)
cp "$BJ_TRY" "$T/tool"
mkdir -p "$T/data/cache" "$T/out" "$T/dl"
cp "$BJ_TRY" "$T/dl/miner"
for n in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "$n" >"$T/data/cache/f$n"; done
serve tcp-serve 127.0.0.1 8080,8081,8082,4444

policy() { # policy MODE: the role before learning
	cat <<JSON
{
  "roles": {
    "app": {
      "id": 40,
      "mode": "$1",
      "flags": {"allow_file_access": false, "allow_network": false, "allow_exec": false},
      "file_paths": [{"pattern": "/etc/shadow", "allow": false, "access": "r"}]
    }
  },
  "exec_enrollments": [{"executable_path": "$APP", "pod_id": 400, "role": "app"}]
}
JSON
}
# The workload: what it does every time, and must do unhindered once learned.
workload() {
	for n in 1 2 3 4 5 6 7 8 9 10 11 12; do
		expect ok "$1: reads $T/data/cache/f$n" "$APP" open "$T/data/cache/f$n" r
	done
	expect ok "$1: writes its log" "$APP" open "$T/out/log" create
	for port in 8080 8081 8082; do
		expect ok "$1: connects to 127.0.0.1:$port" "$APP" tcp-connect 127.0.0.1 "$port"
	done
	expect ok "$1: runs its tool" "$APP" via "$T/tool" open "$T/data/cache/f1" r
}

private_journal
start_journald
policy complain >"$T/complain.json"
bj_load "$T/complain.json"
start_forwarder
workload complain
# once while learning: the role's deny rule decides, so suggest must not allow it
expect ok "complain: reads /etc/shadow (would deny)" "$APP" open /etc/shadow r
# and once from a cgroup named as a unit: --unit finds it by the records' cgroup id
UNIT_CG=$(make_cgroup learn.service)
mkdir "$T/unit-only"
echo x >"$T/unit-only/file"
expect ok "complain: in $UNIT_CG, reads $T/unit-only/file" "$APP" in-cgroup "$UNIT_CG" open "$T/unit-only/file" r
sleep 1
st=0
stop_forwarder || st=$?
expect 0 "the forwarder exits 0 on SIGTERM" echo "$st"
"$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT" >/dev/null

policy enforce >"$T/enforce.json"
st=0
"$BJ_POLICY_TOOL" suggest --role app --journal-dir "$J" --policy "$T/enforce.json" >"$T/learned.json" \
	2>"$T/suggest.err" || st=$?
expect 0 "bpfjailer-policy suggest succeeds" echo "$st"
sed 's/^/# /' "$T/learned.json" "$T/suggest.err"
expect 1 "the files of $T/data/cache: one rule on the directory" \
	grep -c "\"pattern\": \"$T/data/cache/\"" "$T/learned.json"
expect 1 "contiguous ports: one range" grep -c '"port_end": 8082' "$T/learned.json"
expect 1 "the tool: an execution rule" grep -c "\"binary_path\": \"$T/tool\"" "$T/learned.json"
expect 1 "/etc/shadow: a conflict on stderr" grep -c "conflict: open /etc/shadow" "$T/suggest.err"
expect 0 "/etc/shadow: no allow" grep -c '"/etc/shadow", *"allow": true' "$T/learned.json"
expect 0 "the downloaded binary is not mentioned" grep -c "$T/dl" "$T/learned.json"
UNIT=$(basename "$UNIT_CG")
"$BJ_POLICY_TOOL" suggest --role app --journal-dir "$J" --unit "$UNIT" >"$T/unit.json"
expect 1 "--unit $UNIT: the record of the unit's cgroup" grep -c "\"$T/unit-only/file\"" "$T/unit.json"
expect 0 "--unit $UNIT: no record of another cgroup" grep -c "data/cache" "$T/unit.json"
if "$BJ_BOOTSTRAP" --check --policy "$T/learned.json" >/dev/null 2>"$T/check.err"; then
	tap_ok "the learned policy passes bpfjailer-bootstrap --check"
else
	tap_not_ok "the learned policy passes bpfjailer-bootstrap --check: $(head -n 3 "$T/check.err")"
fi

bj_load "$T/learned.json"
journalctl --directory="$J" -t bpfjailer -o cat --no-pager 2>/dev/null | wc -l >"$T/before"
start_forwarder
workload enforce
expect_denied "enforce: reading /etc/shadow" "$APP" open /etc/shadow r
expect_denied "enforce: connecting to 127.0.0.1:4444" "$APP" tcp-connect 127.0.0.1 4444
expect_denied "enforce: running a downloaded binary" "$APP" exec "$T/dl/miner"
sleep 1
stop_forwarder || true
# the three attacks, and nothing of the workload
expect 3 "enforce: the journal holds the attacks' denials and no other" sh -c \
	"journalctl --directory='$J' -t bpfjailer -o json --no-pager | grep -c '\"BPFJAILER_DECISION\":\"denied\"'"
stop_journald
finish
