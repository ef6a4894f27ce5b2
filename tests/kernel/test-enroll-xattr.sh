#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Enrollment by the executable's xattrs. Where the kernel has the
# bpf_get_file_xattr kfunc (Linux 6.8+): a listed role enrolls with the
# xattr's pod (its records say so; without a pod xattr, the listed pod), an
# unlisted role id makes that exec fail with EPERM, no xattr leaves the
# program alone. Where it has not (6.1): the policy is refused at load with
# a message that says why, and nothing is loaded.
#
# Which of the two this kernel is, the test decides by itself, from the
# kernel's version, never from what the bootstrap says: in the test VM 6.12
# must enroll and 6.1 must refuse.
. "$(dirname "$0")/lib.sh"

XT=$T/xattr-tool
DEFPOD=$T/xattr-defpod
UNLISTED=$T/unlisted-tool
cp "$BJ_TRY" "$XT"
cp "$BJ_TRY" "$DEFPOD"
cp "$BJ_TRY" "$UNLISTED"
cat >"$T/policy.json" <<JSON
{
  "roles": {
    "untrusted": {"id": 7, "flags": {"allow_file_access": true},
                  "file_paths": [{"pattern": "/etc/shadow", "allow": false}]},
    "other": {"id": 8, "flags": {"allow_file_access": true}}
  },
  "xattr_enrollments": [{"role": "untrusted", "pod_id": 70}]
}
JSON

# The kfunc came with Linux 6.8.
version=$(uname -r | sed -n 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
if [ "${version% *}" -gt 6 ] || { [ "${version% *}" -eq 6 ] && [ "${version#* }" -ge 8 ]; }; then
	kfunc=yes
else
	kfunc=no
fi
case ${BJ_VM_KERNEL:-} in
6.12) expect yes "Debian 6.12: Linux 6.8 or later ($(uname -r))" echo "$kfunc" ;;
unstable) expect yes "Debian unstable: Linux 6.8 or later ($(uname -r))" echo "$kfunc" ;;
6.1) expect no "Debian 6.1: older than Linux 6.8 ($(uname -r))" echo "$kfunc" ;;
esac
btf_has() { bpftool btf dump file /sys/kernel/btf/vmlinux format raw | grep -q "FUNC 'bpf_get_file_xattr'" && echo yes || echo no; }
expect "$kfunc" "the kernel's BTF agrees: bpf_get_file_xattr present: $kfunc" btf_has

REFUSAL='xattr_enrollments: xattr enrollment needs the bpf_get_file_xattr kfunc (Linux 6.8+) and this kernel lacks it'
if [ $kfunc = no ]; then
	expect ok "no kfunc: --check refuses the policy, exit 2, and says why" \
		check_says 2 "$REFUSAL" "$BJ_BOOTSTRAP" --check --policy "$T/policy.json"
	expect ok "no kfunc: loading exits 2 and says why" \
		check_says 2 "$REFUSAL" "$BJ_BOOTSTRAP" --policy "$T/policy.json" --pin-root "$PIN_ROOT"
	expect "" "no kfunc: nothing pinned" sh -c "find '$PIN_FS' -name 'bpfjailer*'"
	# The twin: the same policy without xattr enrollment loads here.
	sed 's/"xattr_enrollments": .*/"exec_enrollments": []/' "$T/policy.json" >"$T/plain.json"
	expect ok "no kfunc: the same policy without xattr_enrollments loads" \
		check_says 0 "" "$BJ_BOOTSTRAP" --policy "$T/plain.json" --pin-root "$PIN_ROOT"
	finish
	exit
fi

expect ok "kfunc: --check accepts the policy" check_says 0 "" "$BJ_BOOTSTRAP" --check --policy "$T/policy.json"
bj_load "$T/policy.json"
# role_id is a little-endian u32, pod_id a little-endian u64.
setfattr -n user.bpfjailer.role_id -v 0x07000000 "$XT"
setfattr -n user.bpfjailer.pod_id -v 0x4d00000000000000 "$XT"
setfattr -n user.bpfjailer.role_id -v 0x07000000 "$DEFPOD"
setfattr -n user.bpfjailer.role_id -v 0x08000000 "$UNLISTED"

# Every record of the denials below, to read their pods.
"$BJ_FORWARDER" --pin-root "$PIN_ROOT" --output json >"$T/records.json" 2>"$T/forwarder.err" &
FPID=$!
PIDS="$FPID $PIDS"
sleep 1 # let it attach to every CPU's buffer

expect EACCES "listed role: enrolled" "$XT" open /etc/shadow r
expect ok "listed role: only its rules" "$XT" open /etc/hostname r
expect EACCES "listed role, no pod xattr: enrolled" "$DEFPOD" open /etc/shadow r
expect EPERM "unlisted role: the exec fails" sh -c "'$BJ_TRY' exec '$UNLISTED'"
expect ok "no xattr: not enrolled" "$BJ_TRY" open /etc/shadow r
sleep 1
st=0
stop_forwarder || st=$?
expect 0 "the forwarder exits 0 on SIGTERM" echo "$st"

# pod_of COMM: the pod and role of the record of COMM's denied open of /etc/shadow.
pod_of() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("comm") == sys.argv[2] and r.get("hook") == "open" and r.get("path") == "/etc/shadow":
        print(r.get("pod_id"), r.get("role"), r.get("decision"))
        break
else:
    print("no record")' "$T/records.json" "$1"
}
expect "77 untrusted denied" "pod from the xattr: its record says pod 77" pod_of xattr-tool
expect "70 untrusted denied" "no pod xattr: the listed pod 70" pod_of xattr-defpod
finish
