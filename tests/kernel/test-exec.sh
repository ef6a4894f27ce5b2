#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Execution: allow_exec, execution_rules both ways, and the ways around a
# plain execve(): ld.so, memfd + fexecve, execveat of an O_PATH fd, shebang
# scripts whose interpreter is refused.
. "$(dirname "$0")/lib.sh"

NOEXEC=$(jailed_copy noexec)
DENYLIST=$(jailed_copy denylist)
ALLOWLIST=$(jailed_copy allowlist)
cp /bin/cat "$T/cat"          # a dynamic program a rule refuses
cp "$BJ_TRY" "$T/refused"     # a static one
cp /bin/sh "$T/refused-sh"
printf '#!%s\necho ok\n' "$T/refused-sh" >"$T/refused-script"
printf '#!/bin/sh\necho ok\n' >"$T/fine-script"
chmod +x "$T/refused-script" "$T/fine-script"
echo "cat ran" >"$T/greeting" # what an allowed cat prints
LDSO=$(readlink -f /lib64/ld-linux-x86-64.so.2)

cat >"$T/policy.json" <<JSON
{
  "roles": {
    "noexec": {"id": 1, "flags": {"allow_file_access": true, "allow_exec": false}},
    "denylist": {"id": 2, "flags": {"allow_file_access": true, "allow_exec": true},
                 "execution_rules": [{"binary_path": "$T/cat", "allow": false},
                                     {"binary_path": "$T/refused", "allow": false},
                                     {"binary_path": "$T/refused-sh", "allow": false}]},
    "allowlist": {"id": 3, "flags": {"allow_file_access": true, "allow_exec": false},
                  "execution_rules": [{"binary_path": "/usr/bin/", "allow": true}]}
  },
  "exec_enrollments": [
    {"executable_path": "$NOEXEC", "pod_id": 1, "role": "noexec"},
    {"executable_path": "$DENYLIST", "pod_id": 2, "role": "denylist"},
    {"executable_path": "$ALLOWLIST", "pod_id": 3, "role": "allowlist"}
  ]
}
JSON
bj_load "$T/policy.json"

# refused_run DESC CMD...: the program must not get to run (its "ok" never appears).
refused_run() {
	what=$1
	shift
	out=$("$@" 2>&1) || true
	case $out in
	*ok*) tap_not_ok "$what: it ran ($out)" ;;
	*"ermission denied"* | *"not permitted"* | *EACCES* | *EPERM* | *"failed to map"*)
		tap_ok "$what (refused)" ;;
	*) tap_not_ok "$what: no refusal seen ($out)" ;;
	esac
}

expect ok "allow_exec false: the enrolling exec itself runs" "$NOEXEC" open /etc/hostname r
expect EACCES "allow_exec false: exec /bin/true" "$NOEXEC" exec /bin/true
expect EACCES "allow_exec false: from a child" "$NOEXEC" fork exec /bin/true
expect EACCES "execution_rules deny: that program" "$DENYLIST" exec "$T/refused"
expect ok "execution_rules deny: another program runs" "$DENYLIST" via "$BJ_TRY" open /etc/hostname r
expect EACCES "execveat(AT_EMPTY_PATH) of an O_PATH fd" "$DENYLIST" execveat "$T/refused"
expect EACCES "memfd + fexecve (no path, a role with rules)" "$DENYLIST" memfd-exec "$BJ_TRY"
refused_run "ld.so runs a refused program" "$DENYLIST" via "$LDSO" "$T/cat" /etc/hostname
expect "cat ran" "ld.so runs an allowed program" "$DENYLIST" via "$LDSO" /bin/cat "$T/greeting"
refused_run "shebang script with a refused interpreter" "$DENYLIST" via "$T/refused-script"
expect ok "shebang script with an allowed interpreter" "$DENYLIST" via "$T/fine-script"
expect ok "allowlist: a program under /usr/bin/" "$ALLOWLIST" via /usr/bin/echo ok
expect EACCES "allowlist: a program elsewhere" "$ALLOWLIST" exec "$T/refused"
expect ok "not jailed: the refused program runs" "$T/refused" open /etc/hostname r
finish
