#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A real workload: python3's http.server, started through an exec-enrolled
# copy of the interpreter in a webserver role, serves on its port and cannot
# bind another, run a shell or read /etc/shadow; an unenrolled python3 next
# to it is untouched.
if [ -z "${BJ_IN_NETNS:-}" ]; then
	BJ_IN_NETNS=1 exec unshare --net "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
ip link set lo up

PY=$T/python3
cp "$(readlink -f /usr/bin/python3)" "$PY"
mkdir "$T/www"
echo "hello from the jail" >"$T/www/index.html"

cat >"$T/policy.json" <<JSON
{
  "roles": {
    "webserver": {
      "id": 3,
      "flags": {"allow_file_access": true, "allow_network": false, "allow_exec": false},
      "file_paths": [{"pattern": "/etc/shadow", "allow": false}],
      "network_rules": [{"protocol": "tcp", "port": 8080, "allow": true, "direction": "bind"}]
    }
  },
  "exec_enrollments": [{"executable_path": "$PY", "pod_id": 80, "role": "webserver"}]
}
JSON
bj_load "$T/policy.json"

"$PY" -m http.server 8080 --bind 127.0.0.1 --directory "$T/www" >"$T/server.log" 2>&1 &
PIDS="$!"
for _ in 1 2 3 4 5 6 7 8 9 10; do
	python3 -c 'import socket; socket.create_connection(("127.0.0.1", 8080), 1)' 2>/dev/null && break
	sleep 1
done

fetch='import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:8080/", timeout=5).read().decode().strip())'
expect "hello from the jail" "it serves on its port (fetched by an unjailed client)" python3 -c "$fetch"

try_py() { # try_py CODE: run CODE in the jailed interpreter, print ok or the errno name
	"$PY" -c "
import errno, sys
try:
    $1
    print('ok')
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))
"
}
expect EACCES "it cannot bind another port" try_py 'import socket; socket.socket().bind(("127.0.0.1", 8081))'
expect EACCES "it cannot run a shell" try_py 'import subprocess; subprocess.run(["/bin/sh", "-c", "true"])'
expect EACCES "it cannot read /etc/shadow" try_py 'open("/etc/shadow").read()'
expect ok "it reads what it serves" try_py 'open("'"$T"'/www/index.html").read()'
expect ok "an unenrolled python3 reads /etc/shadow" python3 -c 'open("/etc/shadow").read(); print("ok")'
expect ok "an unenrolled python3 binds 8081" python3 -c 'import socket; socket.socket().bind(("127.0.0.1", 8081)); print("ok")'
finish
