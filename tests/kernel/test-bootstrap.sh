#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Loading and its failure paths: each failure exits with the contract's code
# and leaves nothing behind (no pins, no staging directory, no LSM link);
# a second load is refused; --status and --unload work from the pins alone,
# and --unload returns once the programs are gone; --check needs no privileges;
# a policy that restricts nothing a hook decides does not attach it.
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
echo "# the built-in policy: $("$BJ_BOOTSTRAP" --status --pin-root "$PIN_ROOT" | sed -n 's/^programs: //p')"
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

# A policy that restricts nothing a hook decides does not attach that hook:
# a role that grants every network leaves the four inet socket hooks out,
# and the jail still refuses what no flag grants. (--status's programs and
# instructions verified are printed as comments: the cost of each policy.)
status_programs() { # "PROGRAMS INSTRUCTIONS" as --status counts them
	"$BJ_BOOTSTRAP" --status --pin-root "$PIN_ROOT" |
		sed -n 's/^programs: \([0-9]*\), \([0-9]*\) instructions verified$/\1 \2/p'
}
pinned_links() { ls "$PIN_ROOT/links"; }
NET_HOOKS="bj_bind bj_connect bj_listen bj_sendmsg" # sorted, as ls lists them
cat >"$T/net.json" <<JSON
{"roles": {"r": {"id": 1, "flags": {"allow_file_access": true, "allow_network": true, "allow_exec": true},
                 "file_paths": [{"pattern": "$T/secret", "allow": false}]}},
 "exec_enrollments": [{"executable_path": "$JAILED", "pod_id": 1, "role": "r"}]}
JSON
serve tcp-serve 127.0.0.1 8090
bj_load "$T/jail.json"
full=$(status_programs)
full_progs=${full% *} full_insns=${full#* }
echo "# jail.json (no network): $full_progs programs, $full_insns instructions verified"
pinned_links >"$T/links.full"
expect EACCES "no network: the inet hooks are attached and refuse a connect" "$JAILED" tcp-connect 127.0.0.1 8090
expect 0 "--unload: exit 0" status_of "$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT"

expect ok "--check: the network-only policy leaves the inet hooks out, each with why" sh -c \
	"[ \$('$BJ_BOOTSTRAP' --check --policy '$T/net.json' 2>/dev/null |
	     grep -cE '^  left out: bj_(bind|connect|sendmsg|listen) \\(every role has allow_network, ') -eq 4 ] && echo ok"
if ! "$BJ_BOOTSTRAP" -v --policy "$T/net.json" --pin-root "$PIN_ROOT" 2>"$T/load.err"; then
	echo "FAIL: bpfjailer-bootstrap could not load $T/net.json" >&2
	exit 1
fi
expect ok "-v: the load names each program it leaves out, and why" sh -c \
	"[ \$(grep -cE '^bpfjailer-bootstrap: left out bj_(bind|connect|sendmsg|listen): not needed: every role has allow_network, ' \
	     '$T/load.err') -eq 4 ] && echo ok"
net=$(status_programs)
net_progs=${net% *} net_insns=${net#* }
echo "# net.json (every network): $net_progs programs, $net_insns instructions verified"
pinned_links >"$T/links.net"
expect "$NET_HOOKS" "every network: exactly the four inet hooks are not attached" sh -c \
	"comm -23 '$T/links.full' '$T/links.net' | tr '\n' ' ' | sed 's/ \$//'"
expect "" "every network: nothing is attached that the other policy did not attach" \
	comm -13 "$T/links.full" "$T/links.net"
expect ok "every network: --status counts 4 programs fewer, and fewer instructions verified" sh -c \
	"[ $net_progs -eq $((full_progs - 4)) ] && [ $net_progs -eq \$(wc -l <'$T/links.net') ] &&
	 [ $net_insns -gt 0 ] && [ $net_insns -lt $full_insns ] && echo ok"
expect ok "every network: connect is allowed" "$JAILED" tcp-connect 127.0.0.1 8090
expect ok "every network: bind is allowed" "$JAILED" tcp-bind 127.0.0.1 0
expect EACCES "every network: a denied file is still denied" "$JAILED" open "$T/secret" r
expect EACCES "every network: a packet socket is still refused (socket_create stays)" "$JAILED" socket-family packet
expect EACCES "every network: the pins still cannot be opened" "$JAILED" open "$PIN_ROOT/links/bj_file_open" r
expect EPERM "every network: nor removed" "$JAILED" unlink "$PIN_ROOT/links/bj_file_open"
expect EPERM "every network: no uid change without allow_setuid" "$JAILED" setuid 65534
mkdir "$T/mnt"
expect EPERM "every network: no mount" "$JAILED" mount-tmpfs "$T/mnt"
expect 0 "--unload: exit 0" status_of "$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT"

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
