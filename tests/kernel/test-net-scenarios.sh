#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The network attack scenarios of the original BpfJailer's README against the roles of the built-in
# policy (policy/default.json, unchanged but for exec enrollments of this
# test's copies of bj-try): a reverse shell (TCP connect to 127.0.0.1:4444)
# and a bind shell on 4444, and SSRF to the cloud metadata service
# (169.254.169.254:80) and to a local redis (127.0.0.1:6379). Each target
# really listens, so "ok" is a real connection.
#
# Expected, from the roles' flags and port lists (the built-in roles have no
# ip_rules, so a port a role may use is open to every address):
#   role          4444 (shell)  169.254.169.254:80  127.0.0.1:6379
#   restricted    denied        denied              denied     (no network)
#   permissive    ok            ok                  ok         (allow_network)
#   webserver     denied        ok (tcp 80)         denied
#   database      denied        denied              ok (tcp 6379)
#   isolated      denied        denied              denied     (no network)
#   web_with_db   denied        ok (tcp 80)         ok (tcp 6379)
#   worker        denied        denied              ok (tcp 6379)
# test-net-ip.sh shows the ip_rules that close metadata and loopback to a
# role that keeps port 80.

# A private network namespace: its own lo and addresses, the host untouched.
if [ -z "${BJ_NETNS:-}" ]; then
	export BJ_NETNS=1
	exec unshare --net -- /bin/sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

DEFAULT_POLICY=$(dirname "$0")/../../policy/default.json
ROLES="restricted permissive webserver database isolated web_with_db worker"

ip link set lo up
ip addr add 169.254.169.254/32 dev lo
ip addr add 127.0.0.2/32 dev lo

serve tcp-serve 127.0.0.1 4444,6379
serve tcp-serve 169.254.169.254 80

# One copy of bj-try per role, each its own pod (a pod has one role).
enroll=
pod=100
for role in $ROLES; do
	jailed_copy "$role" >/dev/null
	pod=$((pod + 1))
	enroll="$enroll${enroll:+, }{\"executable_path\": \"$T/$role\", \"pod_id\": $pod, \"role\": \"$role\"}"
done
awk -v e="$enroll" '/"exec_enrollments": \[\],/ { print "  \"exec_enrollments\": [" e "],"; next } { print }' \
	"$DEFAULT_POLICY" >"$T/policy.json"
grep -q "$T/worker" "$T/policy.json" || { echo "FAIL: could not add enrollments to $DEFAULT_POLICY" >&2 && exit 1; }
bj_load "$T/policy.json"

# scenario ROLE EXPECTED DESCRIPTION OP ARGS...
scenario() {
	role=$1 want=$2 what=$3
	shift 3
	expect "$want" "$role: $what" "$T/$role" "$@"
}

expect ok "not jailed: reverse shell connect to 127.0.0.1:4444" "$BJ_TRY" tcp-connect 127.0.0.1 4444
expect ok "not jailed: SSRF to 169.254.169.254:80" "$BJ_TRY" tcp-connect 169.254.169.254 80
expect ok "not jailed: SSRF to 127.0.0.1:6379" "$BJ_TRY" tcp-connect 127.0.0.1 6379

for role in $ROLES; do
	case $role in
	permissive) shell=ok meta=ok redis=ok ;;
	webserver) shell=EACCES meta=ok redis=EACCES ;;
	database | worker) shell=EACCES meta=EACCES redis=ok ;;
	web_with_db) shell=EACCES meta=ok redis=ok ;;
	*) shell=EACCES meta=EACCES redis=EACCES ;;
	esac
	scenario "$role" "$shell" "reverse shell: connect 127.0.0.1:4444" tcp-connect 127.0.0.1 4444
	scenario "$role" "$shell" "reverse shell: connect [::ffff:127.0.0.1]:4444" tcp-connect ::ffff:127.0.0.1 4444
	scenario "$role" "$shell" "reverse shell from a forked child" fork tcp-connect 127.0.0.1 4444
	scenario "$role" "$shell" "bind shell: bind 127.0.0.2:4444" tcp-bind 127.0.0.2 4444
	scenario "$role" "$meta" "SSRF: connect 169.254.169.254:80" tcp-connect 169.254.169.254 80
	scenario "$role" "$redis" "SSRF: connect 127.0.0.1:6379" tcp-connect 127.0.0.1 6379
done
finish
