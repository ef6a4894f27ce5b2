#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The forwarder against the real systemd-journald: every field of file, net
# and exec denials; records written with no reader counted (before the first
# start, and across a restart); a burst of 100,000 denials where journal
# entries plus reported losses add up exactly; --output json; a journal that
# goes away and comes back; and its errors. Then OBJECT_PID: journald names
# the unit of the process a record is about (journalctl -u finds it); and
# --metrics, read by Prometheus's parser while it is replaced.
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

shadow_policy "$T/policy.json" "$JAILED"
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
    if entry.get("OBJECT_PID") != entry.get("BPFJAILER_PID"):
        bad["OBJECT_PID"] = (entry.get("OBJECT_PID"), entry.get("BPFJAILER_PID"))
    # The event's wall clock time: before journald received it, and not long before.
    event, received = int(entry.get("BPFJAILER_REALTIME_USEC", 0)), int(entry.get("__REALTIME_TIMESTAMP", 0))
    if not received - 10000000 < event <= received:
        bad["BPFJAILER_REALTIME_USEC"] = (event, "up to 10 s before %d" % received)
    if not entry.get("BPFJAILER_BOOTTIME_USEC", "").isdigit():
        bad["BPFJAILER_BOOTTIME_USEC"] = (entry.get("BPFJAILER_BOOTTIME_USEC"), "a number")
    print(name, "ok" if entry and not bad else "FAIL %r" % bad)
check("file", first(BPFJAILER_HOOK="open"), BPFJAILER_HOOK="open", BPFJAILER_PATH="/etc/shadow",
      BPFJAILER_ACCESS="r", MESSAGE_ID="6cde409501e54559acbd927b8dfe692e")
check("net", first(BPFJAILER_HOOK="connect"), BPFJAILER_HOOK="connect", BPFJAILER_FAMILY="inet",
      BPFJAILER_ADDR="127.0.0.1", BPFJAILER_PORT="4444", BPFJAILER_PROTOCOL="tcp", BPFJAILER_ACCESS=None,
      MESSAGE_ID="9ff934e38be448699d880668ecb470db")
check("exec", first(BPFJAILER_HOOK="exec"), BPFJAILER_HOOK="exec", BPFJAILER_PATH="/usr/bin/true",
      BPFJAILER_ACCESS="xe",
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
import json, socket, sys, time
recs = [json.loads(l) for l in open(sys.argv[1])]
r = [x for x in recs if x.get("hook") == "open"][-1]
ok = r["decision"] == "denied" and r["path"] == "/etc/shadow" and r["role"] == "restricted" \
    and r["pod_id"] == "1000" and r["message_id"] == "6cde409501e54559acbd927b8dfe692e" \
    and r["access"] == "r" and r["hostname"] == socket.gethostname() and r["boottime_usec"].isdigit() \
    and 0 <= time.time() * 1e6 - int(r["realtime_usec"]) < 30e6
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

# 7. OBJECT_PID: journald describes the process a record is about, here
# one in a service's cgroup that stays alive, and journalctl -u finds the
# record by the unit journald derives from that cgroup (no systemd needed).
UNIT=bj-test-forwarder.service
mkdir -p "$CGROUP2/system.slice/$UNIT"
start_forwarder
# Moved before it is jailed: a jailed process may not write to cgroupfs.
sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" linger 3 open /etc/shadow r' - "$CGROUP2/system.slice/$UNIT" \
	"$JAILED" >/dev/null &
OBJ=$!
wait "$OBJ" || true
sleep 1
stopped "OBJECT_PID"
rmdir "$CGROUP2/system.slice/$UNIT"
rmdir "$CGROUP2/system.slice" 2>/dev/null || true # unless it was there before
journalctl --directory="$J" -u "$UNIT" -o json --no-pager >"$T/unit.json" 2>/dev/null || true
expect ok "journalctl -u $UNIT: the record of its process, with journald's OBJECT_* fields" python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
r = [x for x in recs if x.get("BPFJAILER_PID") == sys.argv[2]]
ok = r and r[0].get("OBJECT_PID") == sys.argv[2] and r[0].get("OBJECT_SYSTEMD_UNIT") == sys.argv[3] \
    and r[0].get("OBJECT_COMM") == "jailed" and r[0].get("BPFJAILER_PATH") == "/etc/shadow"
print("ok" if ok else "bad %r" % (r[:1] or recs[-1:]))' "$T/unit.json" "$OBJ" "$UNIT"

# 8. --metrics: counters for Prometheus, replaced whole every second.
PROM_DIR=$T/prom
PROM=$PROM_DIR/bpfjailer.prom
mkdir "$PROM_DIR"
prom() { # prom NAME [LABEL=VALUE...]: a sample's value, read by Prometheus's own parser
	/usr/bin/python3 - "$PROM" "$@" <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
want = dict(a.split("=", 1) for a in sys.argv[3:])
for f in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in f.samples:
        if s.name == sys.argv[2] and s.labels == want:
            print(int(s.value))
PY
}
status_open_denied() {
	"$BJ_BOOTSTRAP" --status --pin-root "$PIN_ROOT" | awk '$1 == "open" && $3 == "denied" { print $2 }'
}
start_forwarder --metrics "$PROM" --metrics-interval 1
denied0=$(prom bpfjailer_decisions_total hook=open decision=denied)
lost0=$(prom bpfjailer_audit_records_lost_total)
expect "$(status_open_denied)" "metrics at start: open denials as --status counts them" echo "$denied0"
expect 0 "metrics at start: nothing forwarded yet" prom bpfjailer_forwarder_records_total
# Read it over and over while it is replaced under a stream of denials: always whole.
"$JAILED" repeat 3000 open /etc/shadow r >/dev/null &
BURST=$!
expect ok "every read of the file while it is replaced parses, whole" /usr/bin/python3 -c '
import sys, time
from prometheus_client.parser import text_string_to_metric_families
reads = bad = 0
end = time.time() + 4
while time.time() < end:
    text = open(sys.argv[1]).read()
    reads += 1
    try:
        families = {f.name for f in text_string_to_metric_families(text)}
    except Exception:
        families = set()
    if "bpfjailer_forwarder_queued_records" not in families or not text.endswith("\n"):
        bad += 1
print("ok" if reads > 10 and not bad else "bad: %d of %d reads" % (bad, reads))' "$PROM"
wait "$BURST" || true
sleep 2
stopped "--metrics"
denied1=$(prom bpfjailer_decisions_total hook=open decision=denied)
lost1=$(prom bpfjailer_audit_records_lost_total)
forwarded=$(prom bpfjailer_forwarder_records_total)
expect "$((denied0 + 3000))" "metrics at the end: 3,000 more open denials" echo "$denied1"
expect "$(status_open_denied)" "metrics at the end: as --status counts them" echo "$denied1"
expect ok "metrics: records forwarded and lost account for every denial" sh -c \
	"[ $((forwarded + lost1 - lost0)) -ge 3000 ] && echo ok"
expect bpfjailer.prom "no temporary file left beside it" ls -A "$PROM_DIR"
expect 644 "mode 0644: node_exporter's user reads it" stat -c %a "$PROM"
# Gone while running: said once, records still forwarded, written again when it is back.
start_forwarder --metrics "$PROM" --metrics-interval 1 2>"$T/metrics.err"
rm -r "$PROM_DIR"
sleep 3
attempt open /etc/shadow r
mkdir "$PROM_DIR"
sleep 2
stopped "--metrics, directory gone and back"
expect 1 "a directory gone: said once" sh -c "grep -c 'cannot write it' '$T/metrics.err'"
expect 1 "and its return: said once" sh -c "grep -c 'written again' '$T/metrics.err'"
expect "$(status_open_denied)" "written again, with the latest counts" prom bpfjailer_decisions_total \
	hook=open decision=denied
# Bad inputs: refused at start, with the file named and why.
metrics_fails() { # metrics_fails WHY ARGS...: exit 1 and WHY on stderr
	why=$1
	shift
	st=0
	"$BJ_FORWARDER" --pin-root "$PIN_ROOT" "$@" 2>"$T/err" || st=$?
	[ "$st" = 1 ] && grep -q -- "$why" "$T/err" && echo ok
}
expect ok "--metrics in a missing directory: exit 1, said" metrics_fails \
	"--metrics $T/none/x.prom: cannot write it: No such file or directory" \
	--metrics "$T/none/x.prom"
mkdir "$T/ro"
mount -t tmpfs -o ro tmpfs "$T/ro"
expect ok "--metrics in a read-only directory: exit 1, said" metrics_fails "Read-only file system" \
	--metrics "$T/ro/x.prom"
expect 0 "and nothing left there" sh -c "ls -A '$T/ro' | wc -l"
umount "$T/ro"
expect ok "--metrics-interval 0: exit 1" metrics_fails "expected whole seconds from 1 to 86400" \
	--metrics "$PROM" --metrics-interval 0
expect ok "--metrics-interval without --metrics: exit 1" metrics_fails "without --metrics" --metrics-interval 5
finish
