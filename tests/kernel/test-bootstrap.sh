#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Loading and its failure paths: each failure exits with the contract's code
# and leaves nothing behind (no pins, no staging directory, no LSM link);
# a second load is refused; --status and --unload work from the pins alone;
# --check needs no privileges.
. "$(dirname "$0")/lib.sh"

lsm_links() { bpftool link show 2>/dev/null | grep -c 'attach_type lsm_mac' || true; }
status_of() { # status_of CMD...: the exit status, output discarded
	"$@" >/dev/null 2>&1 && echo 0 || echo $?
}
leftovers() { # anything of ours in the test's bpffs
	find "$PIN_FS" -name 'bpfjailer*' | head -1
}
before=$(lsm_links)

printf '{"roles": {"r": {"id": 0}}}\n' >"$T/invalid.json"
expect 1 "invalid policy: exit 1" status_of "$BJ_BOOTSTRAP" --policy "$T/invalid.json" --pin-root "$PIN_ROOT"
expect "" "invalid policy: nothing pinned" leftovers

mkdir "$T/plain"
expect 2 "pin root not on a bpffs: exit 2" status_of "$BJ_BOOTSTRAP" --pin-root "$T/plain/bpfjailer"
expect "" "pin root not on a bpffs: nothing pinned" sh -c "ls -A '$T/plain'"

mkdir "$T/robpf"
mount -t bpf -o ro bpffs "$T/robpf"
expect 4 "read-only bpffs: pinning fails, exit 4" status_of "$BJ_BOOTSTRAP" --pin-root "$T/robpf/bpfjailer"
expect "$before" "read-only bpffs: no LSM link left attached" lsm_links
umount "$T/robpf"

# Turning ftrace off (and BPF LSM with it) is for the test VM only, never a host.
if [ -n "${BJ_VM_KERNEL:-}" ]; then
	echo 0 >/proc/sys/kernel/ftrace_enabled
	expect 2 "kernel.ftrace_enabled=0: exit 2" status_of "$BJ_BOOTSTRAP" --pin-root "$PIN_ROOT"
	expect "" "kernel.ftrace_enabled=0: nothing pinned" leftovers
	echo 1 >/proc/sys/kernel/ftrace_enabled
fi

expect 3 "--status with nothing loaded: exit 3" status_of "$BJ_BOOTSTRAP" --status --pin-root "$PIN_ROOT"
expect 0 "load the built-in policy: exit 0" status_of "$BJ_BOOTSTRAP" --pin-root "$PIN_ROOT"
expect ok "its LSM links are attached" sh -c "[ \$(bpftool link show | grep -c 'attach_type lsm_mac') -gt $before ] && echo ok"
expect ok "progs, maps and links are pinned" sh -c \
	"[ -e '$PIN_ROOT/links/bj_file_open' ] && [ -e '$PIN_ROOT/maps/audit_events' ] && [ -e '$PIN_ROOT/progs/bj_file_open' ] && echo ok"
expect "" "no staging directory left" sh -c "ls -d '$PIN_ROOT'-loading-* 2>/dev/null"
expect 3 "a second load: exit 3" status_of "$BJ_BOOTSTRAP" --pin-root "$PIN_ROOT"
expect 0 "--status: exit 0" status_of "$BJ_BOOTSTRAP" --status --pin-root "$PIN_ROOT"
expect 0 "--unload: exit 0" status_of "$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT"
expect "" "--unload: nothing pinned" leftovers
expect "$before" "--unload: every LSM link detached" lsm_links
expect 3 "--unload again: nothing loaded, exit 3" status_of "$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT"
expect 0 "--check as an unprivileged user" status_of setpriv --reuid 65534 --regid 65534 --clear-groups "$BJ_BOOTSTRAP" --check
finish
