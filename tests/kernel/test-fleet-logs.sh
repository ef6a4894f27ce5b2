#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fleet logs: the forwarder's journal entries leave the host the way any
# journal entry does. systemd-journal-upload reads the test's private
# journal and sends it over HTTP to a systemd-journal-remote listening on
# loopback; the receiving journal holds every bpfjailer entry with every
# field as the sending journal has it, filed under where it came from.
# Nothing of an unjailed process travels; a restarted uploader resumes at
# its saved cursor (nothing sent twice, nothing missed). Plain HTTP here:
# the TLS of a real fleet is journal-upload's and journal-remote's own
# (docs/fleet-logs.md).
#
# Like test-forwarder.sh: journald in a private mount namespace with its
# own tmpfs, so a host's journal is never touched when this runs natively.
if [ -z "${BJ_IN_NAMESPACE:-}" ]; then
	BJ_IN_NAMESPACE=1 exec unshare --mount --propagation private "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

JAILED=$(jailed_copy jailed)
REMOTE=$T/remote
STATE=$T/upload.state
UPID=

private_journal

shadow_policy "$T/policy.json" "$JAILED"
start_journald
bj_load "$T/policy.json"
start_forwarder

# The receiver: a free loopback port, one journal file per sending host.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir "$REMOTE"
/lib/systemd/systemd-journal-remote --listen-http="127.0.0.1:$PORT" --output="$REMOTE/" 2>"$T/remote.err" &
PIDS="$PIDS $!"
listening=
for _ in $(seq 20); do
	[ "$("$BJ_TRY" tcp-connect 127.0.0.1 "$PORT" 2>/dev/null | tail -n 1)" = ok ] && listening=1 && break
	sleep 0.5
done
[ -n "$listening" ] || { echo "FAIL: systemd-journal-remote is not listening: $(cat "$T/remote.err")" >&2; exit 1; }

start_upload() { # start_upload: follow the private journal, resume at the saved cursor
	/lib/systemd/systemd-journal-upload --url="http://127.0.0.1:$PORT" --directory="$J" \
		--save-state="$STATE" 2>>"$T/upload.err" &
	UPID=$!
	PIDS="$PIDS $UPID"
}
stop_upload() { # stop_upload: SIGTERM; it saves its cursor as it exits
	kill -TERM "$UPID"
	wait "$UPID" 2>/dev/null || true
}
remote_entries() { # remote_entries: the receiving journal's bpfjailer entries as JSON lines
	journalctl --directory="$REMOTE" -t bpfjailer -o json --no-pager 2>/dev/null
}
# arrived PID...: wait up to 30 s until the receiver has an entry of each PID.
arrived() {
	for _ in $(seq 60); do
		remote_entries >"$T/remote.json"
		missing=
		for p in "$@"; do
			grep -q "\"BPFJAILER_PID\":\"$p\"" "$T/remote.json" || missing="$missing $p"
		done
		[ -z "$missing" ] && echo ok && return 0
		sleep 0.5
	done
	echo "no entry of pid$missing after 30 s"
}
attempt() { # attempt OP ARGS...: the jailed process tries it; prints its pid
	"$JAILED" "$@" >/dev/null &
	p=$!
	wait "$p" || true
	echo "$p"
}

start_upload
OPEN=$(attempt open /etc/shadow r)
CONNECT=$(attempt tcp-connect 127.0.0.1 4444)
EXEC=$(attempt exec /bin/true)
# The same open, unjailed: allowed, and no record anywhere.
"$BJ_TRY" open /etc/shadow r >/dev/null &
FREE=$!
wait "$FREE"
expect ok "the receiver has the file, net and exec denials" arrived "$OPEN" "$CONNECT" "$EXEC"

journalctl --directory="$J" -t bpfjailer -o json --no-pager >"$T/local.json"
python3 - "$T/local.json" "$T/remote.json" "$OPEN" "$CONNECT" "$EXEC" "$FREE" "$(hostname)" \
	>"$T/check.txt" <<'PY'
import json, sys
local, remote = ([json.loads(l) for l in open(f)] for f in sys.argv[1:3])
opened, connected, execed, free, hostname = sys.argv[3:8]
def of(entries, pid):
    return [e for e in entries if e.get("BPFJAILER_PID") == pid]
def check(name, pid, **want):
    sent, got = of(local, pid), of(remote, pid)
    if len(sent) != 1 or len(got) != 1:
        print(name, "FAIL %d sent, %d received" % (len(sent), len(got)))
        return
    sent, got = sent[0], got[0]
    # Every field as it was sent: the record's, journald's trusted ones and the timestamps;
    # only the cursor names a place in a journal file, and each side has its own.
    differ = {k: (sent.get(k), got.get(k)) for k in set(sent) | set(got)
              if k != "__CURSOR" and sent.get(k) != got.get(k)}
    want = dict(SYSLOG_IDENTIFIER="bpfjailer", BPFJAILER_DECISION="denied", BPFJAILER_ROLE="restricted",
                BPFJAILER_ROLE_ID="1", BPFJAILER_POD_ID="1000", BPFJAILER_PID=pid, BPFJAILER_COMM="jailed",
                _HOSTNAME=hostname, **want)
    bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    print(name, "ok" if not differ and not bad else "FAIL differ %r, want %r" % (differ, bad))
check("file", opened, BPFJAILER_HOOK="open", BPFJAILER_PATH="/etc/shadow", BPFJAILER_ACCESS="r",
      MESSAGE_ID="6cde409501e54559acbd927b8dfe692e")
check("net", connected, BPFJAILER_HOOK="connect", BPFJAILER_FAMILY="inet", BPFJAILER_ADDR="127.0.0.1",
      BPFJAILER_PORT="4444", BPFJAILER_PROTOCOL="tcp", MESSAGE_ID="9ff934e38be448699d880668ecb470db")
check("exec", execed, BPFJAILER_HOOK="exec", BPFJAILER_PATH="/usr/bin/true", BPFJAILER_ACCESS="xe",
      MESSAGE_ID="1cae87d1dc014556a84334c472b9b58e")
print("unjailed", "ok" if not of(local, free) and not of(remote, free) else "FAIL: entries of pid " + free)
print("all", "ok" if len(remote) == len(local) else "FAIL %d sent, %d received" % (len(local), len(remote)))
PY
sed 's/^/# fields: /' "$T/check.txt"
for c in file net exec unjailed all; do
	expect ok "received: $c" sh -c "grep '^$c ' '$T/check.txt' | cut -d' ' -f2"
done
# Split by sender (journal-remote's default): the file is named for the connection's source.
expect ok "filed under its source: remote-127.0.0.1.journal" sh -c \
	"[ -f '$REMOTE/remote-127.0.0.1.journal' ] && echo ok"

# The uploader stops; what is denied meanwhile is sent when it starts again,
# from the cursor it saved. journal-upload 252 resumes at that cursor, not
# after it: the one entry there may arrive twice, nothing else does.
# saved_cursor_ok: the state file's cursor names an entry of the sending
# journal, at or after every bpfjailer entry.
saved_cursor_ok() {
	journalctl --directory="$J" -o json --no-pager >"$T/all.json"
	python3 -c '
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
state = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[2]) if "=" in l)
at = [i for i, e in enumerate(entries) if e["__CURSOR"] == state.get("LAST_CURSOR")]
ours = [i for i, e in enumerate(entries) if e.get("SYSLOG_IDENTIFIER") == "bpfjailer"]
print("ok" if at and ours and ours[-1] <= at[0] else "cursor %r: entry %r, bpfjailer entries %r" %
      (state.get("LAST_CURSOR"), at, ours))' "$T/all.json" "$STATE"
}
stop_upload
cursor=$(sed -n 's/^LAST_CURSOR=//p' "$STATE")
expect ok "stopped: its state file's cursor is at or after every bpfjailer entry sent" saved_cursor_ok
LATER=$(attempt open /etc/shadow r)
start_upload
expect ok "after a restart the denial made meanwhile arrives" arrived "$LATER"
stop_upload
journalctl --directory="$REMOTE" -o json --no-pager >"$T/remote-all.json"
journalctl --directory="$J" -o json --no-pager >"$T/all.json"
expect ok "nothing sent twice but the entry at the saved cursor" python3 -c '
import collections, json, sys
key = lambda e: (e["_BOOT_ID"], e["__MONOTONIC_TIMESTAMP"], e.get("MESSAGE"))
sent = collections.Counter(key(json.loads(l)) for l in open(sys.argv[1]))
at = [key(e) for e in map(json.loads, open(sys.argv[2])) if e["__CURSOR"] == sys.argv[3]]
twice = [k for k, n in sent.items() if n > 1 and (k not in at or n > 2)]
print("ok" if at and not twice else "twice: %r (at the cursor: %r)" % (twice, at))' \
	"$T/remote-all.json" "$T/all.json" "$cursor"
expect ok "its state file moved on, past the new denial" sh -c \
	"! grep -qF '$cursor' '$STATE' && echo ok"
expect ok "and is at or after every bpfjailer entry" saved_cursor_ok
finish
