#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Enrollment by the executable's xattrs. Where the kernel has the
# bpf_get_file_xattr kfunc (Linux 6.8+): a listed role enrolls with the
# xattr's pod, an unlisted role id makes that exec fail with EPERM, no xattr
# leaves the program alone. Where it has not (6.1): the policy is refused at
# load with a message that says why, and nothing is loaded.
. "$(dirname "$0")/lib.sh"

XT=$T/xattr-tool
UNLISTED=$T/unlisted-tool
cp "$BJ_TRY" "$XT"
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

if ! "$BJ_BOOTSTRAP" --check --policy "$T/policy.json" >/dev/null 2>"$T/check.err"; then
	expect ok "no kfunc: the policy is refused with the reason" sh -c \
		"grep -q 'bpf_get_file_xattr' '$T/check.err' && echo ok"
	expect 1 "no kfunc: loading exits 1" sh -c \
		"'$BJ_BOOTSTRAP' --policy '$T/policy.json' --pin-root '$PIN_ROOT' 2>/dev/null; echo \$?"
	expect "" "no kfunc: nothing pinned" sh -c "find '$PIN_FS' -name 'bpfjailer*'"
	finish
	exit
fi

bj_load "$T/policy.json"
# role_id is a little-endian u32, pod_id a little-endian u64.
setfattr -n user.bpfjailer.role_id -v 0x07000000 "$XT"
setfattr -n user.bpfjailer.pod_id -v 0x4d00000000000000 "$XT"
setfattr -n user.bpfjailer.role_id -v 0x08000000 "$UNLISTED"

expect EACCES "listed role: enrolled" "$XT" open /etc/shadow r
expect ok "listed role: only its rules" "$XT" open /etc/hostname r
expect EPERM "unlisted role: the exec fails" sh -c "'$BJ_TRY' exec '$UNLISTED'"
expect ok "no xattr: not enrolled" "$BJ_TRY" open /etc/shadow r
finish
