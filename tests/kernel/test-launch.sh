#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Enrollment by the launcher, bpfjailer-run: a launchable role takes effect
# at the command's exec and stays through fork and exec, with the listed
# pod or the one asked for, and wins over the command's own exec
# enrollment. Refused, each with bpfjailer-run's message, its exit status
# and an audit record that says why, and the command never run: a role not
# launchable, an unknown role, pod 0, a jailed caller, a copy of the
# launcher, and a launcher replaced on disk after the load. The launcher is
# this test's own copy, named by launcher_path.
. "$(dirname "$0")/lib.sh"

RUN=$T/bpfjailer-run
LAUNCHED=$T/launched
LAUNCHED_POD=$T/launched-pod
ENROLLED=$T/enrolled-other
cp "$BJ_BUILD/run/bpfjailer-run" "$RUN"
cp "$BJ_TRY" "$LAUNCHED"
cp "$BJ_TRY" "$LAUNCHED_POD"
cp "$BJ_TRY" "$ENROLLED"
# "other" allows every file: a denied /etc/shadow shows the role is web.
cat >"$T/policy.json" <<JSON
{
  "roles": {
    "web": {"id": 7, "flags": {"allow_file_access": true, "allow_exec": true},
            "file_paths": [{"pattern": "/etc/shadow", "allow": false}]},
    "other": {"id": 8, "flags": {"allow_file_access": true, "allow_exec": true}}
  },
  "exec_enrollments": [{"executable_path": "$ENROLLED", "pod_id": 80, "role": "other"}],
  "launch_enrollments": [{"role": "web", "pod_id": 70}],
  "launcher_path": "$RUN"
}
JSON

# check_says_alone STATUS TEXT CMD...: check_says (lib.sh), and CMD writes nothing to stdout.
check_says_alone() {
	want_st=$1 want_text=$2
	shift 2
	st=0
	"$@" >"$T/says.out" 2>"$T/says.err" || st=$?
	if [ "$st" = "$want_st" ] && grep -qF -- "$want_text" "$T/says.err" && [ ! -s "$T/says.out" ]; then
		echo ok
	else
		echo "exit $st: $(cat "$T/says.err" "$T/says.out")"
	fi
}

# In the VM nothing else is loaded: the kernel does not know the request.
if [ -n "${BJ_VM_KERNEL:-}" ]; then
	expect ok "no instance: exit 2, bpfjailer is not loaded" \
		check_says_alone 2 "bpfjailer is not loaded, or its policy has no launchable role" \
		"$RUN" --role web -- "$BJ_TRY" open /etc/hostname r
else
	tap_skip "no instance: exit 2, bpfjailer is not loaded" "this host may have its own instance"
fi

bj_load "$T/policy.json"
start_forwarder --output json >"$T/records.json" 2>"$T/forwarder.err"

expect EACCES "launched: in role web" "$RUN" --role web -- "$LAUNCHED" open /etc/shadow r
expect ok "launched: only the role's rules" "$RUN" --role web -- "$LAUNCHED" open /etc/hostname r
expect EACCES "launched: a child stays in the role" "$RUN" --role web -- "$LAUNCHED" fork open /etc/shadow r
expect EACCES "launched: an exec stays in the role" "$RUN" --role web -- "$LAUNCHED" via "$BJ_TRY" open /etc/shadow r
expect EACCES "launched: a child's exec stays in the role" \
	"$RUN" --role web -- "$LAUNCHED" fork via "$BJ_TRY" open /etc/shadow r
expect EACCES "launched with --pod 77" "$RUN" --role web --pod 77 -- "$LAUNCHED_POD" open /etc/shadow r
expect EACCES "the launch wins over the command's exec enrollment (other)" \
	"$RUN" --role web -- "$ENROLLED" open /etc/shadow r
expect ok "the exec enrollment alone: role other" "$ENROLLED" open /etc/shadow r
# A script whose interpreter is missing fails its exec after the request
# was taken (ENOENT): execvp() goes on along PATH, the request with it.
mkdir "$T/bad"
printf '#!/nonexistent/interpreter\n' >"$T/bad/launched"
chmod +x "$T/bad/launched"
expect EACCES "COMMAND found on PATH after a failed exec: the request kept, role web" \
	sh -c "PATH=$T/bad:$T; export PATH; '$RUN' --role web -- launched open /etc/shadow r"
expect ok "not launched: not jailed" "$BJ_TRY" open /etc/shadow r
# The launcher is one of bpfjailer's own files: out of a jailed process's reach.
cp "$BJ_TRY" "$T/other-file"
expect_denied "launched: cannot write the launcher" "$RUN" --role web -- "$LAUNCHED" open "$RUN" w
expect_denied "launched: cannot rename another file over the launcher" \
	"$RUN" --role web -- "$LAUNCHED" rename "$T/other-file" "$RUN"
expect_denied "launched: cannot unlink the launcher" "$RUN" --role web -- "$LAUNCHED" unlink "$RUN"

expect ok "role not launchable: exit 6, and why" \
	check_says_alone 6 "role other is not launchable" "$RUN" --role other -- "$BJ_TRY" open /etc/hostname r
expect ok "unknown role: exit 6, and why" \
	check_says_alone 6 "role nosuch: the loaded policy has no role of that name" \
	"$RUN" --role nosuch -- "$BJ_TRY" open /etc/hostname r
expect ok "pod 0: exit 1, and why" \
	check_says_alone 1 "--pod 0: pod 0 means no pod" "$RUN" --role web --pod 0 -- "$BJ_TRY" open /etc/hostname r
expect ok "a jailed caller: exit 6, and why (the first role stays)" \
	check_says_alone 6 "role web: this process is jailed already" \
	"$RUN" --role web -- "$RUN" --role web -- "$BJ_TRY" open /etc/hostname r
expect ok "bad usage: no COMMAND, exit 1" check_says_alone 1 "no COMMAND to run" "$RUN" --role web
expect ok "a missing COMMAND: exit 127" check_says_alone 127 "run /nonexistent/cmd" "$RUN" --role web -- /nonexistent/cmd
cp "$RUN" "$T/copy-run"
expect ok "a copy of the launcher: exit 6, and why" \
	check_says_alone 6 "this program is not the launcher the loaded policy names" \
	"$T/copy-run" --role web -- "$BJ_TRY" open /etc/hostname r
cp "$RUN" "$T/new-run"
mv "$T/new-run" "$RUN"
expect ok "a launcher replaced on disk: exit 6, and why" \
	check_says_alone 6 "this program is not the launcher the loaded policy names" \
	"$RUN" --role web -- "$BJ_TRY" open /etc/hostname r
sleep 1
st=0
stop_forwarder || st=$?
expect 0 "the forwarder exits 0 on SIGTERM" echo "$st"

# record_of COMM HOOK: pod, role, decision and value of COMM's first record of HOOK (open: of /etc/shadow).
record_of() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("comm") == sys.argv[2] and r.get("hook") == sys.argv[3] and \
       (sys.argv[3] != "open" or r.get("path") == "/etc/shadow"):
        print(r.get("pod_id"), r.get("role", "-"), r.get("decision"), r.get("value", "-"))
        break
else:
    print("no record")' "$T/records.json" "$1" "$2"
}
# launch_refusals: each launch record as "COMM role_id pod_id value", in order.
launch_refusals() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("hook") == "launch":
        print(r.get("comm"), r.get("decision"), r.get("role_id"), r.get("pod_id"), r.get("value"))' "$T/records.json"
}
expect "70 web denied -" "launched: its record says role web, pod 70" record_of launched open
expect "77 web denied -" "launched with --pod 77: its record says pod 77" record_of launched-pod open
expect "70 web denied -" "launch over exec enrollment: its record says role web, pod 70" \
	record_of enrolled-other open
launch_refusals >"$T/refusals"
# Values: 1 not the launcher, 2 jailed, 3 unknown role, 4 not launchable, 5 pod 0.
for want in "bpfjailer-run denied 8 0 4" "bpfjailer-run denied 0 0 3" "bpfjailer-run denied 7 0 5" \
	"bpfjailer-run denied 7 0 2" "copy-run denied 7 0 1" "bpfjailer-run denied 7 0 1"; do
	expect ok "a launch record: $want" sh -c "grep -qxF '$want' '$T/refusals' && echo ok"
done
expect 6 "six launch records, no more" sh -c "wc -l <'$T/refusals'"
finish
