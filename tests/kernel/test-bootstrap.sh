#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Loading and its failure paths: each failure exits with the contract's code
# and leaves nothing behind (no pins, no staging directory, no LSM link);
# a second load is refused; --status and --unload work from the pins alone,
# and --unload returns once the programs are gone; --check needs no privileges.
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
expect ok "--status: the programs, and the instructions the verifier walked for them" sh -c \
	"'$BJ_BOOTSTRAP' --status --pin-root '$PIN_ROOT' | grep -Eq '^programs: [1-9][0-9]*, [1-9][0-9]* instructions verified\$' && echo ok"
expect 0 "--unload: exit 0" status_of "$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT"
expect "" "--unload: nothing pinned" leftovers
expect "$before" "--unload: every LSM link detached" lsm_links
expect 3 "--unload again: nothing loaded, exit 3" status_of "$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT"
expect 0 "--check as an unprivileged user" status_of setpriv --reuid 65534 --regid 65534 --clear-groups "$BJ_BOOTSTRAP" --check

# --unload returns only once the jail is gone: none of the instance's
# programs is left for bpftool to list, and a jailed binary is free at once.
prog_ids() { # the ids of the programs pinned at the pin root
	for p in "$PIN_ROOT"/progs/*; do bpftool prog show pinned "$p"; done | sed -n 's/^\([0-9]*\): .*/\1/p'
}
listed() { # which of the ids in $1 bpftool prog show still lists
	bpftool prog show | sed -n 's/^\([0-9]*\): .*/\1/p' | grep -Fx "$(printf '%s\n' $1)" || true
}
JAILED=$(jailed_copy jailed)
echo secret >"$T/secret"
cat >"$T/jail.json" <<JSON
{"roles": {"r": {"id": 1, "flags": {"allow_file_access": true, "allow_exec": true},
                 "file_paths": [{"pattern": "$T/secret", "allow": false}]}},
 "exec_enrollments": [{"executable_path": "$JAILED", "pod_id": 1, "role": "r"}]}
JSON
bj_load "$T/jail.json"
expect EACCES "loaded: the jailed binary is denied" "$JAILED" open "$T/secret" r
ids=$(prog_ids)
n=$(echo $ids | wc -w)
expect "$n" "loaded: bpftool prog show lists its $n programs" sh -c "[ $n -gt 0 ] && echo '$(listed "$ids")' | wc -l"
expect 0 "--unload of a jail: exit 0" status_of "$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT"
expect "" "--unload returned: none of its program ids is listed by bpftool prog show" listed "$ids"
expect ok "--unload returned: the jailed binary is free at once" "$JAILED" open "$T/secret" r

# A program that something else holds open does not go: --unload says so
# after UNLOAD_WAIT_SECONDS (30), with exit status 5.
HOLD=$(dirname "$0")/hold-bpf-fd.py
if [ -x /usr/bin/python3 ]; then
	bj_load "$T/jail.json"
	held=$(bpftool prog show pinned "$PIN_ROOT/progs/bj_file_open" | sed -n 's/^\([0-9]*\): .*/\1/p')
	/usr/bin/python3 "$HOLD" "$PIN_ROOT/progs/bj_file_open" >"$T/hold.out" &
	HPID=$!
	PIDS="$HPID $PIDS"
	for _ in $(seq 50); do grep -q held "$T/hold.out" && break; sleep 0.2; done
	st=0
	"$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT" 2>"$T/unload.err" || st=$?
	expect 5 "--unload while a program is held open: exit 5" echo "$st"
	expect ok "... naming it" sh -c \
		"grep -qF 'unload: programs still attached after 30 s: ids $held ' '$T/unload.err' && echo ok"
	expect "" "... and its pins are gone all the same" leftovers
	kill "$HPID"
	wait "$HPID" 2>/dev/null || true
	for _ in $(seq 150); do [ -z "$(listed "$held")" ] && break; sleep 0.2; done
	expect "" "... the program goes once nothing holds it" listed "$held"
else
	if [ -n "${BJ_VM_KERNEL:-}" ]; then # the VM sees this host's /usr
		tap_not_ok "--unload timeout: no /usr/bin/python3 to hold a program open"
	else
		tap_skip "--unload timeout" "no /usr/bin/python3 to hold a program open"
	fi
fi
finish
