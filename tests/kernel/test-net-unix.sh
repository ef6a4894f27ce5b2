#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Unix sockets bound to a path are checked as a write to that path: stream
# and seqpacket connect, datagram connect and sendto are refused for a
# socket the role may not write (a deny rule, or "access" without w) and
# allowed for one it may (w alone is enough); every other name for the same
# socket (a symlink, /proc/self/root, a bind mount, a hard link) reaches the
# same decision. A socket bound outside the jail is a door into another
# process: the file flag alone does not open it, a rule must (here the
# role's directories all have rules but "flag", whose sockets only the
# jail's own processes may reach). Abstract sockets have no path: reachable
# within the jail, or with allow_abstract_unix. Binding a new socket
# creates a file and needs w where it is created. allow_network plays no
# part (the role has it off).
. "$(dirname "$0")/lib.sh"

D=$T/data
mkdir -p "$D/ro" "$D/wo" "$D/rw/mnt" "$D/deny" "$D/flag"
ABS=@bj-test-$$

for dir in ro wo rw deny flag; do
	serve unix-serve stream "$D/$dir/stream"
	serve unix-serve dgram "$D/$dir/dgram"
	serve unix-serve seqpacket "$D/$dir/seq"
done
serve unix-serve stream "$ABS-stream"
serve unix-serve dgram "$ABS-dgram"
serve unix-serve seqpacket "$ABS-seq"
# Other names for the read-only sockets, made by root outside the jail.
ln -s "$D/ro/stream" "$D/rw/symlink"
ln "$D/ro/dgram" "$D/rw/hardlink"
mount --bind "$D/ro" "$D/rw/mnt"
trap 'umount "$D/rw/mnt" 2>/dev/null; cleanup' EXIT

JAILED=$(jailed_copy jailed)
ABSTRACT=$(jailed_copy abstract)
cat >"$T/policy.json" <<JSON
{
  "roles": {
    "unix": {
      "id": 40,
      "flags": {"allow_file_access": true, "allow_network": false},
      "file_paths": [
        {"pattern": "$D/ro/", "allow": true, "access": "r"},
        {"pattern": "$D/wo/", "allow": true, "access": "w"},
        {"pattern": "$D/rw/", "allow": true, "access": "rw"},
        {"pattern": "$D/deny/", "allow": false}
      ]
    },
    "abstract": {"id": 41, "flags": {"allow_file_access": true, "allow_abstract_unix": true}}
  },
  "exec_enrollments": [
    {"executable_path": "$JAILED", "pod_id": 40, "role": "unix"},
    {"executable_path": "$ABSTRACT", "pod_id": 41, "role": "abstract"}
  ]
}
JSON
bj_load "$T/policy.json"

echo "# stream and seqpacket connect"
expect EACCES "stream connect, access r" "$JAILED" unix-connect "$D/ro/stream"
expect EACCES "stream connect, deny rule" "$JAILED" unix-connect "$D/deny/stream"
expect ok "stream connect, access rw" "$JAILED" unix-connect "$D/rw/stream"
expect ok "stream connect, access w" "$JAILED" unix-connect "$D/wo/stream"
expect ok "not jailed: the same binary connects to the access-r socket" "$BJ_TRY" unix-connect "$D/ro/stream"
expect EACCES "seqpacket connect, access r" "$JAILED" unix-seqpacket-connect "$D/ro/seq"
expect EACCES "seqpacket connect, deny rule" "$JAILED" unix-seqpacket-connect "$D/deny/seq"
expect ok "seqpacket connect, access rw" "$JAILED" unix-seqpacket-connect "$D/rw/seq"
expect EACCES "forked child: stream connect, access r" "$JAILED" fork unix-connect "$D/ro/stream"
expect ok "forked child: stream connect, access rw" "$JAILED" fork unix-connect "$D/rw/stream"

echo "# datagrams"
expect EACCES "dgram sendto, access r" "$JAILED" unix-sendto "$D/ro/dgram"
expect EACCES "dgram sendto, deny rule" "$JAILED" unix-sendto "$D/deny/dgram"
expect ok "dgram sendto, access rw" "$JAILED" unix-sendto "$D/rw/dgram"
expect ok "dgram sendto, access w" "$JAILED" unix-sendto "$D/wo/dgram"
expect ok "not jailed: the same binary sends to the access-r socket" "$BJ_TRY" unix-sendto "$D/ro/dgram"
expect EACCES "dgram connect, access r" "$JAILED" unix-dgram-connect "$D/ro/dgram"
expect ok "dgram connect, access rw" "$JAILED" unix-dgram-connect "$D/rw/dgram"

echo "# other names for the same socket"
expect EACCES "through a symlink in a writable directory" "$JAILED" unix-connect "$D/rw/symlink"
expect EACCES "through /proc/self/root" "$JAILED" unix-connect "/proc/self/root$D/ro/stream"
expect EACCES "through a bind mount into a writable directory" "$JAILED" unix-connect "$D/rw/mnt/stream"
expect EACCES "through a hard link in a writable directory" "$JAILED" unix-sendto "$D/rw/hardlink"
expect ok "through /proc/self/root, access rw" "$JAILED" unix-connect "/proc/self/root$D/rw/stream"

echo "# sockets bound outside the jail need a rule, not the flag"
expect EACCES "stream connect, flag only, listener outside the jail" "$JAILED" unix-connect "$D/flag/stream"
expect EACCES "dgram sendto, flag only, listener outside the jail" "$JAILED" unix-sendto "$D/flag/dgram"
pid=$("$JAILED" unix-serve stream "$D/flag/jailed" 600 | head -n 1)
PIDS="$pid $PIDS"
expect ok "stream connect, flag only, listener in the same jail" "$JAILED" unix-connect "$D/flag/jailed"
expect ok "not jailed: the flag-only socket" "$BJ_TRY" unix-connect "$D/flag/stream"

echo "# abstract sockets: the jail's own, or allow_abstract_unix"
expect EPERM "abstract stream connect to a listener outside the jail" "$JAILED" unix-connect "$ABS-stream"
expect EPERM "abstract seqpacket connect outside the jail" "$JAILED" unix-seqpacket-connect "$ABS-seq"
expect EPERM "abstract dgram sendto outside the jail" "$JAILED" unix-sendto "$ABS-dgram"
expect ok "allow_abstract_unix: abstract stream connect" "$ABSTRACT" unix-connect "$ABS-stream"
expect ok "allow_abstract_unix: abstract dgram sendto" "$ABSTRACT" unix-sendto "$ABS-dgram"
pid=$("$JAILED" unix-serve stream "$ABS-jailed" 600 | head -n 1)
PIDS="$pid $PIDS"
expect ok "abstract stream connect to a listener in the same jail" "$JAILED" unix-connect "$ABS-jailed"
expect ok "allow_abstract_unix: another jail's abstract listener" "$ABSTRACT" unix-connect "$ABS-jailed"
expect ok "not jailed: abstract stream connect" "$BJ_TRY" unix-connect "$ABS-stream"
expect ok "abstract bind" "$JAILED" unix-bind "$ABS-new"

echo "# binding a socket creates a file"
expect EACCES "bind in an access-r directory" "$JAILED" unix-bind "$D/ro/new"
expect EACCES "bind in a denied directory" "$JAILED" unix-bind "$D/deny/new"
expect ok "bind in an access-rw directory" "$JAILED" unix-bind "$D/rw/new"
finish
