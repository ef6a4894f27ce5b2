#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# --status and --status --json: the policy's identity (path, SHA-256, load
# time, each enrolled file's device and inode), the roles, counts and
# counters, the jailed processes (the task iterator's pin, links/bj_jailed:
# enrolled by exec, cgroup, the launcher, a child that inherited, and by
# xattr where the kernel has bpf_get_file_xattr (6.8+)), all
# of it in one JSON object; then "reboot needed", with the
# reasons, once the policy file changes and an enrolled executable and the
# launcher are replaced on disk (new inodes the loaded jail does not know).
# With policy fragments (two directories of the test's own standing for
# /etc/bpfjailer/policy.d and /usr/share/bpfjailer/policy.d): a fragment's
# role enforced, the fragments and their directories listed, no jailed root
# making a name in a fragment directory, and a fragment that appears after
# the load a reason for a reboot.
. "$(dirname "$0")/lib.sh"

RUN=$T/bpfjailer-run
ENROLLED=$(jailed_copy enrolled)
CGTRY=$(jailed_copy cgtry)
CG=$(make_cgroup status)
cp "$BJ_BUILD/run/bpfjailer-run" "$RUN"
# Enrollment by xattr where the kernel can read one (test-enroll-xattr.sh proves which kernels).
XATTR= XATTRS=0 JAILED=4 HOWS="cgroup exec inherited launcher"
if bpftool btf dump file /sys/kernel/btf/vmlinux format raw | grep -q "FUNC 'bpf_get_file_xattr'"; then
	XTRY=$(jailed_copy xtry)
	setfattr -n user.bpfjailer.role_id -v 0x07000000 "$XTRY" # role web (id 7), little-endian
	XATTR='"xattr_enrollments": [{"role": "web", "pod_id": 60}],'
	XATTRS=1 JAILED=5 HOWS="cgroup exec inherited launcher xattr"
fi
cat >"$T/policy.json" <<JSON
{
  "roles": {
    "web": {"id": 7, "flags": {"allow_file_access": true, "allow_exec": true}},
    "other": {"id": 8, "flags": {"allow_file_access": true, "allow_exec": true}}
  },
  "exec_enrollments": [{"executable_path": "$ENROLLED", "pod_id": 80, "role": "other"}],
  "cgroup_enrollments": [{"cgroup_path": "$CG", "pod_id": 90, "role": "other"}],
  $XATTR
  "launch_enrollments": [{"role": "web", "pod_id": 70}],
  "launcher_path": "$RUN"
}
JSON

ETC_D=$T/etc-policy.d USR_D=$T/usr-policy.d
mkdir "$ETC_D" "$USR_D"
FRAGGED=$(jailed_copy fragged)
echo secret >"$T/secret"
cat >"$USR_D/50-frag.json" <<JSON
{
  "roles": {
    "frag": {"id": 9, "flags": {"allow_file_access": true, "allow_exec": true},
             "file_paths": [{"pattern": "$T/secret", "access": "rw", "allow": false}]}
  },
  "exec_enrollments": [{"executable_path": "$FRAGGED", "pod_id": 95, "role": "frag"}]
}
JSON

# json EXPR: EXPR (Python, over the object d) of --status --json's output.
# enrolled_file KIND: the enrolled file of that kind, as "KIND PATH DEV INO".
json() {
	"$BJ_BOOTSTRAP" --status --json --pin-root "$PIN_ROOT" >"$T/status.json" || true # 3: nothing loaded
	python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($1)" "$T/status.json"
}
enrolled_file() { json "' '.join(str(f[k]) for f in d['policy']['enrolled_files'] if f['kind'] == '$1'
	for k in ('kind', 'path', 'dev', 'ino'))"; }
inode_of() { stat -c '%d %i' "$1"; }

expect false "--status --json with nothing loaded: loaded is false" json 'str(d["loaded"]).lower()'
"$BJ_BOOTSTRAP" --policy "$T/policy.json" --policy-dir "$ETC_D" --policy-dir "$USR_D" --pin-root "$PIN_ROOT" ||
	{ echo "FAIL: bpfjailer-bootstrap could not load $T/policy.json with its fragments" >&2; exit 1; }
expect 0 "--status: exit 0" sh -c "'$BJ_BOOTSTRAP' --status --pin-root '$PIN_ROOT' >/dev/null && echo 0"
expect "$T/policy.json" "the policy's path" json 'd["policy"]["origin"]'
expect "$(sha256sum <"$T/policy.json" | cut -d' ' -f1)" "the policy's SHA-256, as sha256sum has it" \
	json 'd["policy"]["sha256"]'
expect ok "loaded within the last minute" \
	json "'ok' if abs(d['policy']['loaded_ns'] / 1e9 - $(date +%s)) < 60 else d['policy']['loaded_ns']"
expect "exec $ENROLLED $(inode_of "$ENROLLED") exec $FRAGGED $(inode_of "$FRAGGED")" \
	"the enrolled executables, the fragment's too, by device and inode" enrolled_file exec
expect "launcher $RUN $(inode_of "$RUN")" "the launcher, by device and inode" \
	enrolled_file launcher
expect "False []" "nothing changed: no reboot needed" json 'd["reboot_needed"], d["reboot_reasons"]'
expect "frag other web" "the roles, the fragment's too" json '" ".join(sorted(r["key"] for r in d["roles"]))'
expect "$USR_D/50-frag.json False $(sha256sum <"$USR_D/50-frag.json" | cut -d' ' -f1)" \
	"--status --json: the fragment read, with its SHA-256" \
	json '" ".join(str(f[k]) for f in d["policy"]["fragments"] for k in ("path", "masked", "sha256"))'
expect "$ETC_D $USR_D" "--status --json: the fragment directories, in order" \
	json '" ".join(d["policy"]["fragment_dirs"])'
expect ok "--status: the fragment" sh -c \
	"'$BJ_BOOTSTRAP' --status --pin-root '$PIN_ROOT' | grep -qx '  fragment $USR_D/50-frag.json' && echo ok"
expect_denied "the fragment's role is enforced: its rule denies" "$FRAGGED" open "$T/secret" r
expect ok "the fragment's role is enforced: the rest is allowed" "$FRAGGED" open /etc/hostname r
expect ok "a jailed root makes a file where its role allows" "$FRAGGED" open "$T/made-by-frag" create
expect_denied "no jailed root makes a fragment in the administrator's directory" \
	"$FRAGGED" open "$ETC_D/10-wider.json" create
expect_denied "...nor in the package's" "$FRAGGED" open "$USR_D/10-wider.json" create
expect_denied "...nor renames the fragment away" "$FRAGGED" rename "$USR_D/50-frag.json" "$T/moved.json"
expect_denied "...nor writes it" "$FRAGGED" open "$USR_D/50-frag.json" w
expect "2 1 $XATTRS" "the enrollments counted" \
	json '" ".join(str(d["enrollments"][k]) for k in ("exec", "cgroup", "xattr"))'
expect ok "programs and the instructions verified" \
	json '"ok" if d["programs"]["count"] > 0 and d["programs"]["verified_insns"] > 0 else d["programs"]'

# A decision counted: the enrollment of the copy run.
"$ENROLLED" open /etc/hostname r >/dev/null 2>&1 || true
expect ok "decisions, every hook with its three counts" \
	json '"ok" if d["decisions"]["enroll"]["allowed"] > 0 and
	      all(set(v) == {"denied", "allowed", "would_deny"} for v in d["decisions"].values()) else d["decisions"]'
expect False "not sealed" json 'd["sealed"]'

# Jailed each way, each still running when listed.
"$ENROLLED" sleep 60 >/dev/null 2>&1 &
BY_EXEC=$!
"$RUN" --role web -- /bin/sh -c '"$1" sleep 60 >/dev/null 2>&1 & wait' sh "$BJ_TRY" &
BY_LAUNCHER=$!
sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" sleep 60 >/dev/null 2>&1' sh "$CG" "$CGTRY" &
BY_CGROUP=$!
PIDS="$BY_EXEC $BY_LAUNCHER $BY_CGROUP $PIDS"
BY_XATTR=
if [ -n "$XATTR" ]; then
	"$XTRY" sleep 60 >/dev/null 2>&1 &
	BY_XATTR=$!
	PIDS="$BY_XATTR $PIDS"
fi
sleep 2
INHERITED=$(pgrep -P "$BY_LAUNCHER" || echo none)
cat "$PIN_ROOT/links/bj_jailed" >"$T/jailed"
expect "$BY_EXEC other 80 exec enrolled" "the iterator's pin: enrolled by exec" grep -x "$BY_EXEC .*" "$T/jailed"
expect "$BY_LAUNCHER web 70 launcher sh" "the iterator's pin: by the launcher" grep -x "$BY_LAUNCHER .*" "$T/jailed"
expect "$INHERITED web 70 inherited bj-try" "the iterator's pin: a child inherits" grep -x "$INHERITED .*" "$T/jailed"
expect "$BY_CGROUP other 90 cgroup cgtry" "the iterator's pin: by cgroup" grep -x "$BY_CGROUP .*" "$T/jailed"
if [ -n "$BY_XATTR" ]; then
	expect "$BY_XATTR web 60 xattr xtry" "the iterator's pin: by xattr" grep -x "$BY_XATTR .*" "$T/jailed"
fi
expect "$JAILED" "only the test's processes are jailed" sh -c "wc -l <'$T/jailed'"
expect "$HOWS" "--status --json: the jailed processes and how" \
	json '" ".join(sorted(p["enrolled_by"] for p in d["jailed"]))'
expect "$BY_EXEC enrolled other 80" "--status --json: pid, comm, role and pod" \
	json '" ".join(str(p[k]) for p in d["jailed"] if p["enrolled_by"] == "exec"
	      for k in ("pid", "comm", "role", "pod"))'
expect ok "--status: jailed processes: $JAILED" sh -c \
	"'$BJ_BOOTSTRAP' --status --pin-root '$PIN_ROOT' | grep -qx 'jailed processes: $JAILED' && echo ok"
kill $BY_EXEC $BY_CGROUP $INHERITED $BY_LAUNCHER $BY_XATTR 2>/dev/null || true
wait 2>/dev/null || true

echo >>"$T/policy.json"
cp "$ENROLLED" "$T/enrolled.new" && mv "$T/enrolled.new" "$ENROLLED"
cp "$RUN" "$T/run.new" && mv "$T/run.new" "$RUN"
expect True "changed on disk: reboot needed" json 'd["reboot_needed"]'
expect ok "the reasons: the policy, the executable, the launcher" sh -c \
	"'$BJ_BOOTSTRAP' --status --pin-root '$PIN_ROOT' >'$T/status.txt' &&
	 grep -qx 'reboot needed: the policy $T/policy.json changed since it was loaded' '$T/status.txt' &&
	 grep -qx 'reboot needed: the enrolled executable $ENROLLED was replaced (another inode): it is no longer enrolled' \
		'$T/status.txt' &&
	 grep -qx 'reboot needed: the launcher $RUN was replaced (another inode)' '$T/status.txt' && echo ok"
expect 3 "the same reasons in JSON" json 'len(d["reboot_reasons"])'
echo '{"roles": {}}' >"$ETC_D/60-new.json"
expect "the policy fragment $ETC_D/60-new.json appeared after the load" "a fragment added: a reason" \
	json '[r for r in d["reboot_reasons"] if "fragment" in r][0]'
echo >>"$USR_D/50-frag.json"
expect "the policy fragment $USR_D/50-frag.json changed since it was loaded" "a fragment edited: a reason" \
	json '[r for r in d["reboot_reasons"] if "50-frag" in r][0]'
ln -s /dev/null "$ETC_D/50-frag.json"
MASKED="the mask $ETC_D/50-frag.json appeared after the load"
MASKED="$MASKED|the policy fragment $USR_D/50-frag.json is gone (or overridden) since the load"
expect "$MASKED" "a fragment masked: the mask and the fragment not read" \
	json '"|".join(r for r in d["reboot_reasons"] if "50-frag" in r)'
rm "$ENROLLED"
expect "the enrolled executable $ENROLLED is gone" "an enrolled executable removed" \
	json '[r for r in d["reboot_reasons"] if "executable" in r][0]'

expect 0 "--unload: exit 0" sh -c "'$BJ_BOOTSTRAP' --unload --pin-root '$PIN_ROOT' && echo 0"
finish
