#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The forwarder against the real systemd-journald: every field of file, net
# and exec denials; records written with no reader counted (before the first
# start, and across a restart); a burst of 100,000 denials where journal
# entries plus reported losses add up exactly; --output json; a journal that
# goes away and comes back; and its errors.
#
# journald runs in a private mount namespace with its own tmpfs on
# /run/systemd/journal and /run/log/journal, so a host's journal is never
# touched when this runs natively.
if [ -z "${BJ_IN_NAMESPACE:-}" ]; then
	BJ_IN_NAMESPACE=1 exec unshare --mount --propagation private "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

JAILED=$(jailed_copy jailed)

private_journal

attempt() { # attempt OP ARGS...: the jailed process tries it; denials are expected here
	"$JAILED" "$@" >/dev/null || true
}
entries() { # entries: the test's journal entries as JSON lines
	journalctl --directory="$J" -t bpfjailer -o json --no-pager 2>/dev/null
}
stopped() { # stopped WHEN: stop the forwarder, which must exit 0
	st=0
	stop_forwarder || st=$?
	expect 0 "$1: the forwarder exits 0 on SIGTERM" echo "$st"
}

cat >"$T/policy.json" <<JSON
{
  "roles": {
    "restricted": {
      "id": 1,
      "flags": {"allow_file_access": true, "allow_network": false, "allow_exec": false},
      "file_paths": [{"pattern": "/etc/shadow", "allow": false}]
    }
  },
  "exec_enrollments": [{"executable_path": "$JAILED", "pod_id": 1000, "role": "restricted"}]
}
JSON
start_journald
bj_load "$T/policy.json"

# 1. A denial with no reader: counted in the kernel, reported at start.
attempt open /etc/shadow r
start_forwarder
attempt open /etc/shadow r
attempt tcp-connect 127.0.0.1 4444
attempt exec /bin/true
sleep 1
stopped "first start"

# 2. Restart: what happened in between is counted, what follows arrives.
attempt open /etc/shadow r
attempt open /etc/shadow r
start_forwarder
"$JAILED" open /etc/shadow r >/dev/null &
AFTER=$!
wait "$AFTER" || true
sleep 1

# 3. A burst: 100,000 denials as fast as one process can make them.
"$JAILED" repeat 100000 open /etc/shadow r >/dev/null &
BURST=$!
wait "$BURST" || true
sleep 3
# Small and flat under the flood; nothing at all while idle (it blocks in epoll).
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$FPID/status")
echo "# forwarder peak RSS after the burst: $hwm KiB"
expect ok "peak RSS under 16 MiB after 100,000 records" sh -c "[ $hwm -lt 16384 ] && echo ok"
before=$(cpu_ticks "$FPID")
sleep 3
expect "$before" "no CPU time while idle for 3 s" cpu_ticks "$FPID"
stopped "after the burst"

entries >"$T/journal.json"
python3 - "$T/journal.json" "$BURST" "$AFTER" >"$T/check.txt" <<'PY'
import json, sys
entries = [json.loads(line) for line in open(sys.argv[1])]
burst, after = sys.argv[2], sys.argv[3]
def first(**want):
    for e in entries:
        if all(e.get(k) == v for k, v in want.items()):
            return e
    return {}
common = {"SYSLOG_IDENTIFIER": "bpfjailer", "PRIORITY": "4", "BPFJAILER_DECISION": "denied",
          "BPFJAILER_ROLE": "restricted", "BPFJAILER_ROLE_ID": "1", "BPFJAILER_POD_ID": "1000",
          "BPFJAILER_UID": "0", "BPFJAILER_COMM": "jailed"}
def check(name, entry, **want):
    want = dict(common, **want)
    bad = {k: (entry.get(k), v) for k, v in want.items() if entry.get(k) != v}
    for k in ("BPFJAILER_PID", "BPFJAILER_TID", "BPFJAILER_CGROUP_ID", "MESSAGE"):
        if not entry.get(k):
            bad[k] = (None, "present")
    print(name, "ok" if entry and not bad else "FAIL %r" % bad)
check("file", first(BPFJAILER_HOOK="open"), BPFJAILER_HOOK="open", BPFJAILER_PATH="/etc/shadow",
      MESSAGE_ID="6cde409501e54559acbd927b8dfe692e")
check("net", first(BPFJAILER_HOOK="connect"), BPFJAILER_HOOK="connect", BPFJAILER_FAMILY="inet",
      BPFJAILER_ADDR="127.0.0.1", BPFJAILER_PORT="4444", BPFJAILER_PROTOCOL="tcp",
      MESSAGE_ID="9ff934e38be448699d880668ecb470db")
check("exec", first(BPFJAILER_HOOK="exec"), BPFJAILER_HOOK="exec", BPFJAILER_PATH="/usr/bin/true",
      MESSAGE_ID="1cae87d1dc014556a84334c472b9b58e")
msg = first(BPFJAILER_HOOK="open").get("MESSAGE", "")
print("message", "ok" if msg.startswith("denied open of /etc/shadow by jailed[") and msg.endswith("pod 1000 role restricted") else "FAIL " + msg)
lost = [int(e["BPFJAILER_LOST"]) for e in entries if "BPFJAILER_LOST" in e]
print("lost-before-start", "ok" if lost[:1] == [1] else "FAIL %r" % lost)
print("lost-across-restart", "ok" if len(lost) > 1 and lost[1] == 2 else "FAIL %r" % lost)
print("after-restart", "ok" if first(BPFJAILER_PID=after, BPFJAILER_PATH="/etc/shadow") else
      "FAIL: no entry of pid %s; pids seen: %s" % (after, sorted({e.get("BPFJAILER_PID") for e in entries} - {None, burst})))
arrived = sum(1 for e in entries if e.get("BPFJAILER_PID") == burst)
burst_lost = sum(lost[2:])
print("burst", "ok" if arrived + burst_lost == 100000 else "FAIL arrived %d + lost %d != 100000" % (arrived, burst_lost),
      "(%d arrived, %d lost)" % (arrived, burst_lost))
PY
sed 's/^/# journal: /' "$T/check.txt"
for c in file net exec message lost-before-start lost-across-restart after-restart burst; do
	expect ok "journal: $c" sh -c "grep '^$c ' '$T/check.txt' | cut -d' ' -f2"
done

# 4. --output json: the same record as one JSON line.
"$BJ_FORWARDER" --pin-root "$PIN_ROOT" --output json >"$T/out.json" &
FPID=$!
sleep 1
attempt open /etc/shadow r
sleep 1
stopped "--output json"
expect ok "json: one valid line with the record's fields" python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
r = [x for x in recs if x.get("hook") == "open"][-1]
ok = r["decision"] == "denied" and r["path"] == "/etc/shadow" and r["role"] == "restricted" \
    and r["pod_id"] == "1000" and r["message_id"] == "6cde409501e54559acbd927b8dfe692e"
print("ok" if ok else "bad %r" % r)' "$T/out.json"

# 5. journald away, then back: the record waits, then arrives; said once.
start_forwarder 2>"$T/fwd.err"
stop_journald
attempt exec /bin/false
sleep 1
start_journald
attempt tcp-connect 127.0.0.1 5555
sleep 1
stopped "journal away and back"
expect 1 "the forwarder said once that the journal was away" sh -c "grep -c 'cannot write to the journal' '$T/fwd.err'"
expect ok "journal back: the record written while it was away arrived" sh -c \
	"journalctl --directory=$J -t bpfjailer -o json --no-pager | grep -q '\"BPFJAILER_PORT\":\"5555\"' &&
	 journalctl --directory=$J -t bpfjailer --no-pager | grep -q 'denied exec of /usr/bin/false' && echo ok"

# 6. Errors: nothing at the pin root, not a bpfjailer buffer, bad usage.
# The twin of "exits 0 on SIGTERM": a forwarder killed outright is seen as such.
start_forwarder
kill -KILL "$FPID"
st=0
wait "$FPID" || st=$?
expect 137 "killed by SIGKILL: exit status 137, not 0" echo "$st"
expect 2 "no instance at the pin root: exit 2" sh -c "'$BJ_FORWARDER' --pin-root $T/nothing 2>/dev/null; echo \$?"
mkdir -p "$PIN_FS/fake/maps"
bpftool map create "$PIN_FS/fake/maps/audit_events" type array key 4 value 4 entries 1 name audit_events
expect 2 "wrong map type: exit 2" sh -c "'$BJ_FORWARDER' --pin-root $PIN_FS/fake 2>/dev/null; echo \$?"
rm -rf "$PIN_FS/fake"
expect 1 "bad --output: exit 1" sh -c "'$BJ_FORWARDER' --output syslog 2>/dev/null; echo \$?"
finish
