#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# --status and --status --json: the policy's identity (path, SHA-256, load
# time, each enrolled file's device and inode), the roles, counts and
# counters, all of it in one JSON object; then "reboot needed", with the
# reasons, once the policy file changes and an enrolled executable and the
# launcher are replaced on disk (new inodes the loaded jail does not know).
. "$(dirname "$0")/lib.sh"

RUN=$T/bpfjailer-run
ENROLLED=$(jailed_copy enrolled)
cp "$BJ_BUILD/run/bpfjailer-run" "$RUN"
cat >"$T/policy.json" <<JSON
{
  "roles": {
    "web": {"id": 7, "flags": {"allow_file_access": true, "allow_exec": true}},
    "other": {"id": 8, "flags": {"allow_file_access": true, "allow_exec": true}}
  },
  "exec_enrollments": [{"executable_path": "$ENROLLED", "pod_id": 80, "role": "other"}],
  "launch_enrollments": [{"role": "web", "pod_id": 70}],
  "launcher_path": "$RUN"
}
JSON

# json EXPR: EXPR (Python, over the object d) of --status --json's output.
json() {
	"$BJ_BOOTSTRAP" --status --json --pin-root "$PIN_ROOT" >"$T/status.json" || true # 3: nothing loaded
	python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($1)" "$T/status.json"
}
inode_of() { stat -c '%d %i' "$1"; }

expect false "--status --json with nothing loaded: loaded is false" json 'str(d["loaded"]).lower()'
bj_load "$T/policy.json"
expect 0 "--status: exit 0" sh -c "'$BJ_BOOTSTRAP' --status --pin-root '$PIN_ROOT' >/dev/null && echo 0"
expect "$T/policy.json" "the policy's path" json 'd["policy"]["origin"]'
expect "$(sha256sum <"$T/policy.json" | cut -d' ' -f1)" "the policy's SHA-256, as sha256sum has it" \
	json 'd["policy"]["sha256"]'
expect ok "loaded within the last minute" \
	json "'ok' if abs(d['policy']['loaded_ns'] / 1e9 - $(date +%s)) < 60 else d['policy']['loaded_ns']"
expect "exec $ENROLLED $(inode_of "$ENROLLED")" "the enrolled executable, by device and inode" \
	json '" ".join(str(f[k]) for f in d["policy"]["enrolled_files"] if f["kind"] == "exec" for k in ("kind", "path", "dev", "ino"))'
expect "launcher $RUN $(inode_of "$RUN")" "the launcher, by device and inode" \
	json '" ".join(str(f[k]) for f in d["policy"]["enrolled_files"] if f["kind"] == "launcher" for k in ("kind", "path", "dev", "ino"))'
expect "False []" "nothing changed: no reboot needed" json 'd["reboot_needed"], d["reboot_reasons"]'
expect "other web" "the roles" json '" ".join(sorted(r["key"] for r in d["roles"]))'
expect "1 0 0" "the enrollments counted" \
	json '" ".join(str(d["enrollments"][k]) for k in ("exec", "cgroup", "xattr"))'
expect ok "programs and the instructions verified" \
	json '"ok" if d["programs"]["count"] > 0 and d["programs"]["verified_insns"] > 0 else d["programs"]'

# A decision counted: the enrollment of the copy run.
"$ENROLLED" open /etc/hostname r >/dev/null 2>&1 || true
expect ok "decisions, every hook with its three counts" \
	json '"ok" if d["decisions"]["enroll"]["allowed"] > 0 and all(set(v) == {"denied", "allowed", "would_deny"} for v in d["decisions"].values()) else d["decisions"]'
expect False "not sealed" json 'd["sealed"]'

echo >>"$T/policy.json"
cp "$ENROLLED" "$T/enrolled.new" && mv "$T/enrolled.new" "$ENROLLED"
cp "$RUN" "$T/run.new" && mv "$T/run.new" "$RUN"
expect True "changed on disk: reboot needed" json 'd["reboot_needed"]'
expect ok "the reasons: the policy, the executable, the launcher" sh -c \
	"'$BJ_BOOTSTRAP' --status --pin-root '$PIN_ROOT' >'$T/status.txt' &&
	 grep -qx 'reboot needed: the policy $T/policy.json changed since it was loaded' '$T/status.txt' &&
	 grep -qx 'reboot needed: the enrolled executable $ENROLLED was replaced (another inode): it is no longer enrolled' '$T/status.txt' &&
	 grep -qx 'reboot needed: the launcher $RUN was replaced (another inode)' '$T/status.txt' && echo ok"
expect 3 "the same reasons in JSON" json 'len(d["reboot_reasons"])'
rm "$ENROLLED"
expect "the enrolled executable $ENROLLED is gone" "an enrolled executable removed" \
	json '[r for r in d["reboot_reasons"] if "executable" in r][0]'

expect 0 "--unload: exit 0" sh -c "'$BJ_BOOTSTRAP' --unload --pin-root '$PIN_ROOT' && echo 0"
finish
