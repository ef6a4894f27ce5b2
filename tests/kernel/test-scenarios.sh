#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The original project's attack scenarios, against the built-in default
# policy's roles (and the original BpfJailer's sample policy's sandbox and wildcard_test roles),
# each with the outcome the role's flags imply. The network scenarios
# (reverse shell, SSRF) are in test-net-scenarios.sh.
#
#   scenario                         restricted isolated webserver worker
#   path traversal: read /etc/passwd  denied     allowed  allowed   allowed
#   command injection: exec /bin/cat  denied     denied   denied    allowed
#   arbitrary write under /tmp        denied     allowed  allowed   allowed
#   crypto miner: exec what it wrote  denied     denied   denied    allowed
#   miner pool: connect :3333         denied     denied   denied    denied
#   fork                              allowed    allowed  allowed   allowed
. "$(dirname "$0")/lib.sh"

mkdir "$T/cron.d"
python3 - "$(dirname "$0")/../../policy/default.json" "$(dirname "$0")/../../policy/examples/original-sample.json" \
	"$T" >"$T/policy.json" <<'PY'
import json, sys
policy = json.load(open(sys.argv[1]))
sample = json.load(open(sys.argv[2]))["roles"]
t = sys.argv[3]
for name, rid in (("sandbox", 9), ("wildcard_test", 10)):
    policy["roles"][name] = sample[name]
policy["exec_enrollments"] = [
    {"executable_path": f"{t}/{role}", "pod_id": i + 1, "role": role}
    for i, role in enumerate(["restricted", "isolated", "webserver", "worker", "sandbox", "wildcard_test"])]
print(json.dumps(policy))
PY
for role in restricted isolated webserver worker sandbox wildcard_test; do jailed_copy "$role" >/dev/null; done
cp "$BJ_TRY" "$T/miner"
echo "cat ran" >"$T/greeting" # what an allowed cat prints
bj_load "$T/policy.json"

for role in restricted isolated webserver worker; do
	R=$T/$role
	case $role in restricted) read=EACCES ;; *) read=ok ;; esac
	case $role in worker) run=ok ;; *) run=EACCES ;; esac
	expect "$read" "$role: path traversal, read /etc/passwd" "$R" open /etc/passwd r
	if [ $role = worker ]; then
		expect "cat ran" "$role: command injection, exec /bin/cat" "$R" via /bin/cat "$T/greeting"
		expect ok "$role: crypto miner, exec what it downloaded" "$R" via "$T/miner" open /etc/hostname r
	else
		expect "$run" "$role: command injection, exec /bin/cat" "$R" exec /bin/cat
		expect "$run" "$role: crypto miner, exec what it downloaded" "$R" exec "$T/miner"
	fi
	expect "$read" "$role: arbitrary write under /tmp" "$R" open "$T/cron.d/evil-$role" create
	expect EACCES "$role: miner pool, connect 127.0.0.1:3333" "$R" tcp-connect 127.0.0.1 3333
	expect "$read" "$role: fork is allowed (what the child does is the role's)" "$R" fork open /etc/passwd r
done

# sandbox: /tmp and /usr allowed, /etc/passwd and /etc/shadow denied, the rest by the flag.
expect EACCES "sandbox: /etc/passwd denied" "$T/sandbox" open /etc/passwd r
expect EACCES "sandbox: /etc/shadow denied" "$T/sandbox" open /etc/shadow r
expect ok "sandbox: /usr allowed" "$T/sandbox" open /usr/bin/env r
expect ok "sandbox: /etc/hostname, no rule, the flag allows" "$T/sandbox" open /etc/hostname r

# wildcard_test: /tmp/allowed/ A, /tmp/blocked/ D, /tmp/mixed/*/data.txt A, /tmp/mixed/secret/ D.
# The role names these absolute paths: never touch them if they exist already.
for d in /tmp/allowed /tmp/blocked /tmp/mixed; do
	if [ -e "$d" ]; then
		tap_not_ok "$d exists already: refusing to use it"
		exit 1
	fi
done
mkdir -p /tmp/allowed /tmp/blocked /tmp/mixed/public /tmp/mixed/secret
for f in /tmp/allowed/f /tmp/blocked/f /tmp/mixed/public/data.txt /tmp/mixed/secret/data.txt; do echo x >"$f"; done
expect ok "wildcard_test: /tmp/allowed/f" "$T/wildcard_test" open /tmp/allowed/f r
expect EACCES "wildcard_test: /tmp/blocked/f" "$T/wildcard_test" open /tmp/blocked/f r
expect ok "wildcard_test: /tmp/mixed/public/data.txt" "$T/wildcard_test" open /tmp/mixed/public/data.txt r
expect EACCES "wildcard_test: /tmp/mixed/secret/data.txt (secret beats *)" "$T/wildcard_test" open /tmp/mixed/secret/data.txt r
rm -rf /tmp/allowed /tmp/blocked /tmp/mixed
finish
