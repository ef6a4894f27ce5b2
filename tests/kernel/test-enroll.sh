#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Enrollment: by the executable's inode (hard links and symlinks count, a
# copy does not), only when the exec succeeds, by cgroup (that cgroup and
# every cgroup below it, also ones created after the load, at the next exec;
# by its path below any cgroup2 mount point; one not on cgroup v2 refused),
# and sticky: threads, fork, vfork, exec of other binaries, cgroup moves all
# keep the first role.
. "$(dirname "$0")/lib.sh"

A=$(jailed_copy role-a)
B=$(jailed_copy role-b)
ln "$A" "$T/hardlink-a"
ln -s "$A" "$T/symlink-a"
cp "$A" "$T/copy-a"
printf 'not a program\n' >"$T/broken"
chmod +x "$T/broken"
CG=$(make_cgroup sandbox)
SIBLING=$(make_cgroup sibling)

# cgroup v2 mounted a second time, elsewhere, as a hybrid host has it at
# /sys/fs/cgroup/unified: a cgroup_path below that mount point enrolls the
# cgroup it names.
mkdir "$T/cg2"
mount -t cgroup2 none "$T/cg2"
UNMOUNT="$T/cg2 $UNMOUNT"
ALT=$T/cg2/bj-test-$$-alt
mkdir "$ALT"
CGROUPS="$ALT $CGROUPS"

# A cgroup_path that is not on cgroup v2 (a directory on /tmp) is refused
# before anything loads, saying where it is and where cgroup v2 is.
mkdir "$T/notcg"
cat >"$T/bad-cgroup.json" <<JSON
{"roles": {"r": {"id": 1}},
 "cgroup_enrollments": [{"cgroup_path": "$T/notcg/x", "pod_id": 9, "role": "r"}]}
JSON
st=0
"$BJ_BOOTSTRAP" --policy "$T/bad-cgroup.json" --pin-root "$PIN_ROOT" 2>"$T/bad-cgroup.err" || st=$?
expect 2 "a cgroup_path not on cgroup v2: exit 2" echo "$st"
expect ok "... the message names the path and the cgroup2 mount" sh -c \
	"grep -F 'cgroup_enrollments[0].cgroup_path: cgroup_path \"$T/notcg/x\" is not on cgroup v2: it is on' '$T/bad-cgroup.err' |
	 grep -qF 'cgroup v2 is mounted at $CGROUP2' && echo ok"
expect "" "... and nothing is loaded" sh -c "ls -A '$PIN_FS'"

cat >"$T/policy.json" <<JSON
{
  "roles": {
    "no_shadow": {"id": 1, "flags": {"allow_file_access": true, "allow_exec": true},
                  "file_paths": [{"pattern": "/etc/shadow", "allow": false}]},
    "no_hostname": {"id": 2, "flags": {"allow_file_access": true, "allow_exec": true},
                    "file_paths": [{"pattern": "/etc/hostname", "allow": false}]}
  },
  "exec_enrollments": [
    {"executable_path": "$A", "pod_id": 1, "role": "no_shadow"},
    {"executable_path": "$B", "pod_id": 2, "role": "no_hostname"},
    {"executable_path": "$T/broken", "pod_id": 1, "role": "no_shadow"}
  ],
  "cgroup_enrollments": [{"cgroup_path": "$CG", "pod_id": 3, "role": "no_shadow"},
                         {"cgroup_path": "$ALT", "pod_id": 4, "role": "no_hostname"}]
}
JSON
bj_load "$T/policy.json"

# By inode.
expect EACCES "enrolled executable" "$A" open /etc/shadow r
expect EACCES "a hard link to it" "$T/hardlink-a" open /etc/shadow r
expect EACCES "a symlink to it" "$T/symlink-a" open /etc/shadow r
expect ok "a byte-identical copy is not enrolled" "$T/copy-a" open /etc/shadow r
expect ok "enrolled, but in a role without the rule" "$B" open /etc/shadow r

# Only when the exec succeeds: a failed exec of an enrolled file leaves the process free.
expect ok "after a failed exec of an enrolled file" "$BJ_TRY" after-failed-exec "$T/broken" open /etc/shadow r

# Sticky.
expect EACCES "thread" "$A" thread open /etc/shadow r
expect EACCES "fork" "$A" fork open /etc/shadow r
expect EACCES "vfork + exec of an unenrolled binary" "$A" vfork "$BJ_TRY" open /etc/shadow r
expect EACCES "exec of an unenrolled binary" "$A" via "$BJ_TRY" open /etc/shadow r
expect EACCES "exec of another enrolled binary keeps the first role" "$A" via "$B" open /etc/shadow r
expect ok "... and does not take the second role's rules" "$A" via "$B" open /etc/hostname r
expect EACCES "moved to another cgroup and exec'd again" "$A" cgroup "$SIBLING" open /etc/shadow r

# By cgroup.
expect ok "moved into the enrolled cgroup, no exec yet: not enrolled" "$BJ_TRY" in-cgroup "$CG" open /etc/shadow r
expect EACCES "moved into the enrolled cgroup, then exec: enrolled" "$BJ_TRY" cgroup "$CG" open /etc/shadow r
mkdir "$CG/child"
expect EACCES "a cgroup created below it after the load" "$BJ_TRY" cgroup "$CG/child" open /etc/shadow r
rmdir "$CG/child"
expect ok "a sibling cgroup is not enrolled" "$BJ_TRY" cgroup "$SIBLING" open /etc/shadow r
expect EACCES "a cgroup_path below a second cgroup2 mount point" "$BJ_TRY" cgroup "$ALT" open /etc/hostname r
expect EACCES "... the same cgroup reached through the first mount" "$BJ_TRY" cgroup "$CGROUP2/bj-test-$$-alt" open /etc/hostname r
expect ok "... with its own role's rules" "$BJ_TRY" cgroup "$ALT" open /etc/shadow r
expect ok "not jailed: the same binary in the root cgroup" "$BJ_TRY" open /etc/shadow r
finish
