#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A sealed instance against root: its pins cannot be removed, renamed,
# replaced, hidden or opened; its bpffs cannot be unmounted, lazily or
# through a shared peer; its objects are hidden from fd-by-id; no fmod_ret
# program can be loaded, nor ftrace turned off; the forwarder alone opens
# the audit buffer and cannot be traced or rewritten, nor can the launcher
# be rewritten, which still works. Meanwhile everybody else's BPF, pins and
# mounts work, the jail keeps enforcing, and every refusal reaches the
# forwarder as a record.
#
# A seal lasts until reboot: this test runs only inside the test VM.
if [ -z "${BJ_VM_KERNEL:-}" ]; then
	echo "FAIL: test-seal seals an instance until reboot: it runs only in the test VM" >&2
	exit 1
fi
if [ -z "${BJ_IN_NAMESPACE:-}" ]; then
	# /tmp shared, so that a namespace copied from this one is a peer (part 4).
	mount --make-shared /tmp
	BJ_IN_NAMESPACE=1 exec unshare --mount --propagation unchanged "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

JAILED=$(jailed_copy jailed)
FWD=$T/forwarder
cp "$BJ_BUILD/forwarder/bpfjailer-forwarder" "$FWD"
LAUNCHER=$T/bpfjailer-run
cp "$BJ_BUILD/run/bpfjailer-run" "$LAUNCHER"
cat >"$T/policy.json" <<JSON
{
  "roles": {
    "restricted": {
      "id": 1,
      "flags": {"allow_file_access": true, "allow_exec": false},
      "file_paths": [{"pattern": "/etc/shadow", "allow": false}]
    }
  },
  "exec_enrollments": [{"executable_path": "$JAILED", "pod_id": 7, "role": "restricted"}],
  "launch_enrollments": [{"role": "restricted", "pod_id": 8}],
  "launcher_path": "$LAUNCHER",
  "seal": true,
  "forwarder_path": "$FWD"
}
JSON

outcome() { # outcome succeeds|fails DESCRIPTION CMD...: what CMD must do
	want=$1 what=$2
	shift 2
	if "$@" >"$T/out" 2>&1; then got=succeeds; else got=fails; fi
	if [ "$got" = "$want" ]; then
		tap_ok "$what"
	else
		tap_not_ok "$what: it $got: $(tail -n 3 "$T/out" | tr '\n' ' ')"
	fi
}
check() { outcome succeeds "$@"; }
refused() { outcome fails "$@"; }
# fails_with TEXT CMD...: CMD fails, and its message says TEXT (why it failed).
fails_with() {
	text=$1
	shift
	if "$@" >"$T/fails.out" 2>&1 || ! grep -qF "$text" "$T/fails.out"; then
		cat "$T/fails.out"
		return 1
	fi
}

# 0. The twin, unsealed: the same policy, its objects open to root. Its
# roles map (the policy) opens and reads with the key and value sizes used
# below, and an update of it reaches the map, which refuses it only because
# the bootstrap froze it; nothing is hidden, its programs are listed; then
# it unloads. Sealed (part 2), the same update is refused earlier, by the
# seal: root cannot even open the map.
sed 's/"seal": true/"seal": false/' "$T/policy.json" >"$T/unsealed.json"
bj_load "$T/unsealed.json"
# A whole entry of roles, its key and value sizes as this build has them.
sizes=$(bpftool map show pinned "$PIN_ROOT/maps/roles" | sed -n 's/.*key \([0-9]*\)B  *value \([0-9]*\)B.*/\1 \2/p')
ROLE_KEY="01$(printf ' 00%.0s' $(seq 2 "${sizes% *}"))"
ROLE_VALUE=$(printf '00 %.0s' $(seq 1 "${sizes#* }"))
echo "# roles: key ${sizes% *} bytes, value ${sizes#* } bytes"
# shellcheck disable=SC2086 # the bytes are words
check "unsealed: bpftool map lookup of the policy's role 1" \
	bpftool map lookup pinned "$PIN_ROOT/maps/roles" key hex $ROLE_KEY
# shellcheck disable=SC2086
check "unsealed: bpftool map update of the policy: the map refuses it, frozen (EPERM)" \
	fails_with "update failed: Operation not permitted" \
	bpftool map update pinned "$PIN_ROOT/maps/roles" key hex $ROLE_KEY value hex $ROLE_VALUE
expect 0 "unsealed: none of its maps hidden from fd-by-id" sh -c "'$BJ_TRY' bpf-hidden-maps | grep -vc '^ok\$'"
check "unsealed: bpftool prog show lists its programs" sh -c "bpftool prog show | grep -q bj_file_open"
check "unsealed: it unloads" "$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT"

bj_load "$T/policy.json"
BJ_SEALED=1 # from here on the instance stays until the VM powers off
n_links=$(ls "$PIN_ROOT/links" | wc -l)

# With --metrics: the decision counters are the one more map its forwarder may read.
mkdir "$T/prom"
"$FWD" --pin-root "$PIN_ROOT" --output json --metrics "$T/prom/bpfjailer.prom" --metrics-interval 1 \
	>"$T/records.json" 2>"$T/forwarder.err" &
FPID=$!
PIDS="$FPID $PIDS"
sleep 1 # let it attach to every CPU's buffer

# 1. The instance, as its tools see it.
status_says_sealed() { "$BJ_BOOTSTRAP" --status --pin-root "$PIN_ROOT" | grep -q '(sealed)'; }
unload_refused() {
	"$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT" 2>"$T/unload.err"
	[ $? -eq 4 ] && grep -q 'sealed: only a reboot removes it' "$T/unload.err"
}
load_again() {
	"$BJ_BOOTSTRAP" --policy "$T/policy.json" --pin-root "$PIN_ROOT" 2>/dev/null
	[ $? -eq 3 ]
}
check "--status reports a sealed instance" status_says_sealed
check "--unload refuses, exit 4, and says why" unload_refused
check "a second load: exit 3, already loaded" load_again
expect_denied "the jail enforces" "$JAILED" open /etc/shadow r

# 2. Pins: not removed, renamed, replaced, hidden or opened, by root.
refused "rm -rf of the pin root" rm -rf "$PIN_ROOT"
link=$(ls "$PIN_ROOT/links" | head -n 1)
expect EPERM "unlink of a link pin" "$BJ_TRY" unlink "$PIN_ROOT/links/$link"
expect EPERM "rename of a map pin" "$BJ_TRY" rename "$PIN_ROOT/maps/roles" "$PIN_ROOT/maps/x"
expect EPERM "rename of the pin root" "$BJ_TRY" rename "$PIN_ROOT" "$PIN_FS/moved"
expect EPERM "rename of a pin out of its directory" "$BJ_TRY" rename "$PIN_ROOT/maps/roles" "$PIN_FS/roles"
expect EPERM "a new entry in the pin root" "$BJ_TRY" mkdir "$PIN_ROOT/new"
expect EPERM "a hard link into the pin directories" "$BJ_TRY" link "$PIN_ROOT/maps/roles" "$PIN_ROOT/links/x"
expect EPERM "a mount over the pin root" "$BJ_TRY" mount-tmpfs "$PIN_ROOT"
expect EPERM "a mount over a pin directory" "$BJ_TRY" mount-tmpfs "$PIN_ROOT/maps"
expect EPERM "a mount over the bpffs that holds them" "$BJ_TRY" mount-tmpfs "$PIN_FS"
expect EPERM "BPF_OBJ_GET of a map pin" "$BJ_TRY" bpf-obj-get "$PIN_ROOT/maps/roles"
expect EPERM "BPF_OBJ_GET of a link pin" "$BJ_TRY" bpf-obj-get "$PIN_ROOT/links/$link"

# What --status reads opens to anyone, read-only, and nothing is written through it.
for m in identity enrolled_files roles role_names config decisions audit_lost; do
	expect ok "read-only BPF_OBJ_GET of maps/$m" "$BJ_TRY" bpf-map-ro get "$PIN_ROOT/maps/$m"
done
expect ok "a lookup through a read-only fd of maps/decisions" "$BJ_TRY" bpf-map-ro lookup "$PIN_ROOT/maps/decisions"
# BPF_MAP_FREEZE asks for a writable fd from Linux 6.2 on. Before (6.1),
# it freezes a map through a read-only fd too, and changes nothing here:
# a freeze stops writes from user space, which the seal already refuses
# everyone, never the programs' own (the counters are checked to go on).
version=$(uname -r | sed -n 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
if [ "${version% *}" -gt 6 ] || { [ "${version% *}" -eq 6 ] && [ "${version#* }" -ge 2 ]; }; then
	freeze_refused=EPERM
else
	freeze_refused="EPERM ok EBUSY"
fi
for m in decisions audit_lost identity; do
	for op in update delete; do
		expect EPERM "$op through a read-only fd of maps/$m" "$BJ_TRY" bpf-map-ro "$op" "$PIN_ROOT/maps/$m"
	done
	expect_one_of "$freeze_refused" "freeze through a read-only fd of maps/$m" \
		"$BJ_TRY" bpf-map-ro freeze "$PIN_ROOT/maps/$m"
	expect EPERM "BPF_OBJ_GET of maps/$m for writing" "$BJ_TRY" bpf-obj-get "$PIN_ROOT/maps/$m"
done
denials() {
	"$BJ_BOOTSTRAP" --status --json --pin-root "$PIN_ROOT" |
		python3 -c 'import json, sys; print(sum(v["denied"] for v in json.load(sys.stdin)["decisions"].values()))'
}
before=$(denials)
"$JAILED" open /etc/shadow r >/dev/null 2>&1 || true
after=$(denials)
expect yes "the counters count on after the freezes ($before -> $after denials)" \
	sh -c "[ '$after' -gt '$before' ] && echo yes"
for m in exec_enroll jails path_states own_objects pin_inodes; do
	expect EPERM "read-only BPF_OBJ_GET of maps/$m: still closed" "$BJ_TRY" bpf-map-ro get "$PIN_ROOT/maps/$m"
done
expect EPERM "reading the jailed listing's link: closed when sealed" "$BJ_TRY" open "$PIN_ROOT/links/bj_jailed" r
sealed_status_json() {
	"$BJ_BOOTSTRAP" --status --json --pin-root "$PIN_ROOT" >"$T/status.json" &&
		python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
assert d["sealed"] and d["policy"]["origin"] == sys.argv[2] and not d["reboot_needed"], d
assert d["roles"] and d["jailed"] is None, d
assert all(set(v) == {"denied", "allowed", "would_deny"} for v in d["decisions"].values()), d' \
			"$T/status.json" "$T/policy.json"
}
check "--status --json of a sealed instance: identity, roles and counters" sealed_status_json
# shellcheck disable=SC2086 # the bytes are words
check "bpftool map update of the policy (as in part 0): the seal refuses to open the map (EPERM)" \
	fails_with "bpf obj get ($PIN_ROOT/maps/roles): Operation not permitted" \
	bpftool map update pinned "$PIN_ROOT/maps/roles" key hex $ROLE_KEY value hex $ROLE_VALUE
check "the pins are all still there" test "$(ls "$PIN_ROOT/links" | wc -l)" -eq "$n_links"
check "ls shows progs, maps and links" test "$(ls "$PIN_ROOT" | tr '\n' ' ')" = "links maps progs "

# 3. Its objects by id: hidden (ENOENT), so listings skip them and go on.
# The twin: someone else's map, made here, stays visible by its id.
bpftool map create "$PIN_FS/bj-other" type array key 4 value 4 entries 1 name bj_other
other=$(bpftool map show pinned "$PIN_FS/bj-other" | sed -n 's/^\([0-9][0-9]*\): .*/\1/p')
"$BJ_TRY" bpf-hidden-maps | grep -v '^ok$' >"$T/hidden" || true
first=$(head -n 1 "$T/hidden")
check "its maps are hidden from fd-by-id (at least 15)" test "$(wc -l <"$T/hidden")" -ge 15
if [ -n "$first" ]; then
	expect ENOENT "a hidden map by id ($first)" "$BJ_TRY" bpf-map-by-id "$first"
	check "bpftool map update by id: refused, ENOENT" \
		fails_with "No such file or directory" bpftool map update id "$first" key 0 0 0 0 value 0 0 0 0
else
	tap_not_ok "a hidden map by id: no hidden map to try"
fi
if [ -n "$other" ]; then
	expect ok "someone else's map by id ($other)" "$BJ_TRY" bpf-map-by-id "$other"
	check "bpftool map update by id of someone else's map" \
		bpftool map update id "$other" key 0 0 0 0 value 1 0 0 0
	refused "someone else's map is not among the hidden" grep -qx "$other" "$T/hidden"
else
	tap_not_ok "someone else's map by id: bpftool map create gave no id"
fi
check "bpftool prog show still lists the others" bpftool prog show
check "bpftool map show lists someone else's map" sh -c "bpftool map show | grep -q 'name bj_other'"
refused "bpftool prog show shows none of ours (part 0 shows them unsealed)" \
	sh -c "bpftool prog show | grep -q bj_file_open"
rm "$PIN_FS/bj-other"

# 4. The bpffs stays mounted: plainly, lazily, as part of a lazy tree, via a shared peer.
expect EPERM "umount of the pins' bpffs" "$BJ_TRY" umount-now "$PIN_FS"
expect EPERM "lazy umount of the pins' bpffs" "$BJ_TRY" umount "$PIN_FS"
expect EPERM "lazy umount of /tmp, which holds it" "$BJ_TRY" umount /tmp
expect EPERM "umount in a namespace that shares /tmp with this one" \
	unshare --mount --propagation unchanged "$BJ_TRY" umount-now "$PIN_FS"
expect ok "umount in a private namespace: only its own copy goes" \
	unshare --mount --propagation private "$BJ_TRY" umount-now "$PIN_FS"
check "the bpffs is still mounted here" mountpoint -q "$PIN_FS"

# 5. No fmod_ret program, which could override any security_*() answer.
expect EPERM "loading an fmod_ret program" "$BJ_TRY" bpf-load-fmod-ret
expect EINVAL "loading an fentry program reaches the verifier (EINVAL: no target)" "$BJ_TRY" bpf-load-fentry

# 5b. No turning ftrace, and every BPF LSM program with it, off.
expect EPERM "kernel.ftrace_enabled=0" "$BJ_TRY" open /proc/sys/kernel/ftrace_enabled w
check "ftrace is still on" test "$(cat /proc/sys/kernel/ftrace_enabled)" = 1

# 6. The forwarder: the only opener of the audit buffer, and untouchable.
refused "another copy of the forwarder cannot open the buffer" \
	"$BJ_BUILD/forwarder/bpfjailer-forwarder" --pin-root "$PIN_ROOT" --output json --once
expect EPERM "ptrace of the forwarder" "$BJ_TRY" ptrace-attach "$FPID"
expect EPERM "writing the forwarder's file" "$BJ_TRY" open "$FWD" w
expect EPERM "truncating the forwarder's file" "$BJ_TRY" truncate "$FWD"
# The launcher: its inode is what the kernel trusts, so its content is fixed.
expect EPERM "writing the launcher's file" "$BJ_TRY" open "$LAUNCHER" w
expect EPERM "truncating the launcher's file" "$BJ_TRY" truncate "$LAUNCHER"
expect_denied "the launcher still launches" "$LAUNCHER" --role restricted -- "$BJ_TRY" open /etc/shadow r
sleep 600 &
SLEEPER=$!
PIDS="$SLEEPER $PIDS"
expect ok "ptrace of any other process" "$BJ_TRY" ptrace-attach "$SLEEPER"

# 7. Everybody else: their pins and mounts, on the same bpffs too.
check "a pin of someone else's on the same bpffs" \
	bpftool map create "$PIN_FS/other" type array key 4 value 4 entries 1 name other
check "and its removal" rm "$PIN_FS/other"
mkdir "$T/mnt"
check "a mount elsewhere" mount -t tmpfs none "$T/mnt"
check "and its unmount" umount "$T/mnt"

# 8. After all that: the jail holds, and the forwarder saw every refusal.
expect_denied "the jail still enforces" "$JAILED" open /etc/shadow r
check "the forwarder is still running" kill -0 "$FPID"
kill -TERM "$FPID"
wait "$FPID" || true
has_record() { grep -q "$1" "$T/records.json"; }
check "records: the jailed denial" has_record 'denied open of /etc/shadow by jailed'
check "records: refused pin access" has_record 'refused access to its pins (inode [0-9]*) by rm.* bpfjailer is sealed'
check "records: refused umount" has_record 'refused umount by .* bpfjailer is sealed'
check "records: refused bpf" has_record 'refused bpf .* bpfjailer is sealed'
check "records: refused ptrace of the forwarder" has_record "refused ptrace of pid $FPID"
check "records: the launched denial, pod 8" has_record 'denied open of /etc/shadow by bj-try\[[0-9]*\] pod 8 '
check "records: refused ftrace switch" has_record 'refused open of /proc/sys/kernel/ftrace_enabled'
open_denied() { # the open denials in the metrics file, by Prometheus's own parser
	/usr/bin/python3 -c '
import sys
from prometheus_client.parser import text_string_to_metric_families
for f in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in f.samples:
        if s.name == "bpfjailer_decisions_total" and s.labels == {"hook": "open", "decision": "denied"}:
            print(int(s.value))' "$T/prom/bpfjailer.prom"
}
# (--status cannot read a sealed instance's counters: the records say how many there were at least.)
check "metrics: the sealed instance's forwarder wrote its counters" \
	grep -q '^bpfjailer_decisions_total{hook="open",decision="denied"} ' "$T/prom/bpfjailer.prom"
expect ok "metrics: every open denial it forwarded is counted" sh -c \
	"[ \"\$1\" -gt 0 ] && [ \"\$1\" -ge \"\$2\" ] && echo ok" - "$(open_denied)" \
	"$(grep -c 'denied open of' "$T/records.json")"
finish
