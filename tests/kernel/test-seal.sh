#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A sealed instance against root: its pins cannot be removed, renamed,
# replaced, hidden or opened; its bpffs cannot be unmounted, lazily or
# through a shared peer; its objects are hidden from fd-by-id; no fmod_ret
# program can be loaded, nor ftrace turned off; the forwarder alone opens
# the audit buffer and cannot be traced or rewritten. Meanwhile everybody else's BPF, pins and
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
  "seal": true,
  "forwarder_path": "$FWD"
}
JSON
bj_load "$T/policy.json"
BJ_SEALED=1 # from here on the instance stays until the VM powers off
n_links=$(ls "$PIN_ROOT/links" | wc -l)

"$FWD" --pin-root "$PIN_ROOT" --output json >"$T/records.json" 2>"$T/forwarder.err" &
FPID=$!
PIDS="$FPID $PIDS"
sleep 1 # let it attach to every CPU's buffer

# 1. The instance, as its tools see it.
outcome() { # outcome succeeds|fails DESCRIPTION CMD...: what CMD must do
	want=$1 what=$2
	shift 2
	if "$@" >"$T/out" 2>&1; then got=succeeds; else got=fails; fi
	if [ "$got" = "$want" ]; then
		passed=$((passed + 1))
		echo "ok - $what"
	else
		failed=$((failed + 1))
		echo "not ok - $what: it $got: $(tail -n 3 "$T/out")"
	fi
}
check() { outcome succeeds "$@"; }
refused() { outcome fails "$@"; }
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
refused "bpftool map update of the policy" \
	bpftool map update pinned "$PIN_ROOT/maps/roles" key 1 0 0 0 value hex $(printf '00 %.0s' $(seq 1 64))
check "the pins are all still there" test "$(ls "$PIN_ROOT/links" | wc -l)" -eq "$n_links"
check "ls shows progs, maps and links" test "$(ls "$PIN_ROOT" | tr '\n' ' ')" = "links maps progs "

# 3. Its objects by id: hidden (ENOENT), so listings skip them and go on.
"$BJ_TRY" bpf-hidden-maps | grep -v '^ok$' >"$T/hidden" || true
first=$(head -n 1 "$T/hidden")
check "its maps are hidden from fd-by-id (at least 15)" test "$(wc -l <"$T/hidden")" -ge 15
expect ENOENT "a hidden map by id" "$BJ_TRY" bpf-map-by-id "${first:-0}"
refused "bpftool map update by id" bpftool map update id "${first:-0}" key 0 0 0 0 value 0 0 0 0
check "bpftool prog show still lists the others" bpftool prog show
check "bpftool map show still lists the others" bpftool map show
refused "bpftool prog show shows none of ours" sh -c "bpftool prog show | grep -q bj_file_open"

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
expect_allowed "loading an fentry program reaches the verifier" "$BJ_TRY" bpf-load-fentry

# 5b. No turning ftrace, and every BPF LSM program with it, off.
expect EPERM "kernel.ftrace_enabled=0" "$BJ_TRY" open /proc/sys/kernel/ftrace_enabled w
check "ftrace is still on" test "$(cat /proc/sys/kernel/ftrace_enabled)" = 1

# 6. The forwarder: the only opener of the audit buffer, and untouchable.
refused "another copy of the forwarder cannot open the buffer" \
	"$BJ_BUILD/forwarder/bpfjailer-forwarder" --pin-root "$PIN_ROOT" --output json --once
expect EPERM "ptrace of the forwarder" "$BJ_TRY" ptrace-attach "$FPID"
expect EPERM "writing the forwarder's file" "$BJ_TRY" open "$FWD" w
expect EPERM "truncating the forwarder's file" "$BJ_TRY" truncate "$FWD"
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
check "records: refused ftrace switch" has_record 'refused open of /proc/sys/kernel/ftrace_enabled'
finish
