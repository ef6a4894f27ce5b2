# SPDX-License-Identifier: GPL-2.0
# Sourced by every kernel test. A test runs as root where BPF LSM works (the
# test VM, or a host whose kernel allows it) and owns everything it touches:
# a private directory, its own bpffs mount and pin root, its own copies of
# binaries, its own cgroups. The trap removes all of it, pass or fail.
#
# Output is TAP, which meson reads (protocol 'tap'): "ok N - DESCRIPTION",
# "not ok N - DESCRIPTION: what happened", "ok N - DESCRIPTION # SKIP why",
# comments starting with "#", and the plan "1..N" that finish prints last.
# A test that stops early (exit 1 after "FAIL: ..." on stderr) has no plan
# and a bad exit status: meson counts it as an error.
#
# Environment: BJ_BUILD (the meson build directory).

set -eu

: "${BJ_BUILD:?BJ_BUILD must name the meson build directory}"
BJ_BOOTSTRAP=$BJ_BUILD/bootstrap/bpfjailer-bootstrap
BJ_TRY=$BJ_BUILD/tests/kernel/bj-try
BJ_FORWARDER=$BJ_BUILD/forwarder/bpfjailer-forwarder

T=$(mktemp -d /tmp/bj-test.XXXXXX)
PIN_FS=$T/bpffs
PIN_ROOT=$PIN_FS/bpfjailer
CGROUPS=
UNMOUNT=
REMOVE=
PIDS=
BJ_SEALED=
passed=0
failed=0
skipped=0

# One TAP result each, numbered and counted: tap_ok DESCRIPTION,
# tap_not_ok DESCRIPTION, tap_skip DESCRIPTION REASON (a case that does
# not apply here; the caller decides, exactly, that it does not).
tap_ok() {
	passed=$((passed + 1))
	echo "ok $((passed + failed + skipped)) - $1"
}
tap_not_ok() {
	failed=$((failed + 1))
	echo "not ok $((passed + failed + skipped)) - $1"
}
tap_skip() {
	skipped=$((skipped + 1))
	echo "ok $((passed + failed + skipped)) - $1 # SKIP $2"
}

cleanup() {
	set +e
	for pid in $PIDS; do kill "$pid" 2>/dev/null; done
	# A sealed instance (only ever in the test VM) stays until the VM powers off.
	[ -z "${BJ_SEALED:-}" ] || return 0
	if [ -d "$PIN_ROOT" ]; then
		"$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT" >/dev/null 2>&1 ||
			echo "cleanup: unload of $PIN_ROOT failed" >&2
	fi
	mountpoint -q "$PIN_FS" && umount "$PIN_FS"
	for cg in $CGROUPS; do rmdir "$cg" 2>/dev/null; done
	for m in $UNMOUNT; do umount "$m"; done
	for p in $REMOVE; do rm -rf --one-file-system "$p"; done
	rm -rf --one-file-system "$T"
}
trap cleanup EXIT

mkdir "$PIN_FS"
mount -t bpf bpffs "$PIN_FS"

# A copy of bj-try that the test's policy can enroll by its own inode.
jailed_copy() {
	cp "$BJ_TRY" "$T/$1"
	echo "$T/$1"
}

# Where cgroup v2 is mounted: the first cgroup2 in mountinfo, as the bootstrap
# finds it (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid host).
cgroup2_mount() {
	awk '{ for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") { print $5; exit } break } }' \
		/proc/self/mountinfo
}
CGROUP2=$(cgroup2_mount)

# A cgroup of this test's own, below the cgroup v2 root.
make_cgroup() {
	[ -n "$CGROUP2" ] || { echo "FAIL: no cgroup2 mounted" >&2; exit 1; }
	cg=$CGROUP2/bj-test-$$-$1
	mkdir "$cg"
	CGROUPS="$cg $CGROUPS"
	echo "$cg"
}

# load_module NAME: the guest kernel's module NAME and what it depends on,
# from the test VM's module tree (/run/bjvm/modules, whose modules.dep
# names them) with insmod: the host that shares its root with the guest
# may have no /lib/modules for modprobe to look in. Built in or loaded: done.
load_module() {
	dir=/run/bjvm/modules
	[ -d "/sys/module/$1" ] && return 0
	line=$(grep -E "(^|/)$1\.ko(\.xz|\.zst|\.gz)?:" "$dir/modules.dep") ||
		{ echo "FAIL: module $1: not in $dir/modules.dep" >&2; exit 1; }
	for dep in $(echo "${line#*:}" | tr ' ' '\n' | tac) "${line%%:*}"; do
		name=$(basename "$dep" | sed 's/\.ko.*//' | tr - _)
		[ -d "/sys/module/$name" ] || insmod "$dir/$dep" ||
			{ echo "FAIL: insmod $dir/$dep" >&2; exit 1; }
	done
}

# check_says STATUS TEXT CMD...: CMD exits with STATUS and its stderr holds TEXT.
check_says() {
	want_st=$1 want_text=$2
	shift 2
	st=0
	"$@" >/dev/null 2>"$T/says.err" || st=$?
	if [ "$st" = "$want_st" ] && { [ -z "$want_text" ] || grep -qF -- "$want_text" "$T/says.err"; }; then
		echo ok
	else
		echo "exit $st: $(cat "$T/says.err")"
	fi
}

# bj_load POLICY_FILE: load it at this test's pin root or fail the test.
bj_load() {
	if ! "$BJ_BOOTSTRAP" --policy "$1" --pin-root "$PIN_ROOT"; then
		echo "FAIL: bpfjailer-bootstrap could not load $1" >&2
		exit 1
	fi
}

# expect OUTCOME DESCRIPTION CMD...: run CMD (usually bj-try) and compare the
# last line it prints (ok, EACCES, EPERM, ...) with OUTCOME.
expect() {
	want=$1 what=$2
	shift 2
	got=$("$@" 2>/dev/null | tail -n 1) || true
	if [ "$got" = "$want" ]; then
		tap_ok "$what"
	else
		tap_not_ok "$what: expected $want, got ${got:-nothing}"
	fi
}

# Denials are EACCES or EPERM depending on the hook; either is a denial.
expect_denied() {
	what=$1
	shift
	got=$("$@" 2>/dev/null | tail -n 1) || true
	case "$got" in
	EACCES | EPERM)
		tap_ok "$what (denied: $got)"
		;;
	*)
		tap_not_ok "$what: expected a denial, got ${got:-nothing}"
		;;
	esac
}

# expect_one_of "OUTCOMES" DESCRIPTION CMD...: like expect, for the rare case
# where several last lines are each a right answer; OUTCOMES lists every one
# of them (space-separated). Where the outcome is known, use expect.
expect_one_of() {
	wants=$1 what=$2
	shift 2
	got=$("$@" 2>/dev/null | tail -n 1) || true
	for w in $wants; do
		if [ "$got" = "$w" ]; then
			tap_ok "$what ($got)"
			return 0
		fi
	done
	tap_not_ok "$what: expected $(echo "$wants" | sed 's/ / or /g'), got ${got:-nothing}"
}

# serve OP ADDR PORTS...: start bj-try's listener OP (tcp-serve, unix-serve, ...)
# for 600 s; it prints its pid once listening. Stopped by the trap.
serve() {
	pid=$("$BJ_TRY" "$@" 600 | head -n 1)
	case $pid in
	'' | *[!0-9]*) echo "FAIL: could not start the listener $*: $pid" >&2 && exit 1 ;;
	esac
	PIDS="$pid $PIDS"
}

# The forwarder against a systemd-journald of the test's own, its socket and
# journal on tmpfs, without a rate limit (a burst must arrive whole). Only
# in a private mount namespace (the test re-execs itself under
# `unshare --mount`): a host's journal is never touched when it runs natively.
J=/run/log/journal
JPID=
FPID=
private_journal() {
	mount -t tmpfs tmpfs /run/systemd 2>/dev/null || { mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd; }
	mkdir -p /run/systemd/journal /run/systemd/journald.conf.d "$J"
	mount -t tmpfs tmpfs "$J"
	printf '[Journal]\nRateLimitBurst=0\nStorage=volatile\n' >/run/systemd/journald.conf.d/test.conf
}
# shadow_policy FILE EXECUTABLE: a policy that enrolls EXECUTABLE (pod 1000)
# in role "restricted": files allowed but /etc/shadow, no network, no exec.
# The forwarder's tests cause their denials with it.
shadow_policy() {
	cat >"$1" <<JSON
{
  "roles": {
    "restricted": {
      "id": 1,
      "flags": {"allow_file_access": true, "allow_network": false, "allow_exec": false},
      "file_paths": [{"pattern": "/etc/shadow", "allow": false}]
    }
  },
  "exec_enrollments": [{"executable_path": "$2", "pod_id": 1000, "role": "restricted"}]
}
JSON
}
start_journald() {
	/lib/systemd/systemd-journald &
	JPID=$!
	PIDS="$PIDS $JPID"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -S /run/systemd/journal/socket ] && return 0
		sleep 0.5
	done
	echo "journald did not start" >&2
	exit 1
}
stop_journald() {
	kill "$JPID"
	wait "$JPID" 2>/dev/null
	rm -f /run/systemd/journal/socket
}
start_forwarder() { # start_forwarder [OPTIONS...]: on this test's pin root, in the background
	"$BJ_FORWARDER" --pin-root "$PIN_ROOT" "$@" &
	FPID=$!
	PIDS="$PIDS $FPID"
	sleep 1 # let it attach to every CPU's buffer
}
# stop_forwarder: SIGTERM; returns its exit status (0: a clean stop). Under
# set -e a bare call ends the script on any other; a test that reports the
# status says `st=0; stop_forwarder || st=$?`.
stop_forwarder() {
	kill -TERM "$FPID"
	wait "$FPID"
}
cpu_ticks() { # cpu_ticks PID: its user + system time so far, in clock ticks
	awk '{print $14 + $15}' "/proc/$1/stat"
}

# Print the TAP plan and the tally, and exit with the verdict.
finish() {
	echo "1..$((passed + failed + skipped))"
	echo "# $passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}
