# SPDX-License-Identifier: GPL-2.0
# Sourced by test-escape.sh after lib.sh: attacks that every jailed role
# must be refused and that succeed unjailed, their harmless twins that must
# keep working, the victims they are aimed at, and the kernel modules some
# of them need.
#
# BJ_ESCAPE_SELFTEST=1: every case runs once, by an unjailed copy of
# bj-try, and must print ok: an attack that cannot succeed unjailed proves
# nothing when it fails jailed.

SELFTEST=${BJ_ESCAPE_SELFTEST:-}
ATTACKERS="open tight" # the roles every attack runs in
A=                     # the attacker's binary in the run at hand (try and the case functions use it)
R=                     # its role name (free when unjailed)

bin_of() { eval "echo \"\$BIN_$1\""; }

# try OP ARGS...: bj-try's OP, run by the attacker at hand.
try() { "$A" "$@"; }

# deny [-r "ROLES"] [-e ERRNO] [-a ERRNO] [-j] DESCRIPTION CMD...
#   Jailed: CMD must be refused in each of ROLES (default: open and tight),
#   with EACCES or EPERM, exactly ERRNO with -e, or also ERRNO with -a.
#   Selftest: CMD must print ok unjailed; -j (a repeat of an attack, in a
#   role that grants something else) skips it there.
deny() {
	_roles=$ATTACKERS _accept="EACCES EPERM" _jailed_only=
	while :; do
		case $1 in
		-r) _roles=$2 && shift 2 ;;
		-e) _accept=$2 && shift 2 ;;
		-a) _accept="$_accept $2" && shift 2 ;;
		-j) _jailed_only=1 && shift ;;
		*) break ;;
		esac
	done
	_desc=$1
	shift
	if [ -n "$SELFTEST" ]; then
		[ -n "$_jailed_only" ] && return 0
		A=$BIN_free R=free
		expect ok "unjailed: $_desc" "$@"
		return 0
	fi
	for R in $_roles; do
		A=$(bin_of "$R")
		expect_one_of "$_accept" "$R: $_desc" "$@"
	done
}

# allow [-r "ROLES"] DESCRIPTION CMD...: the harmless twin; ok in each of ROLES
# (default: open and tight), and unjailed in the selftest.
allow() {
	_roles=$ATTACKERS
	[ "$1" = -r ] && _roles=$2 && shift 2
	_desc=$1
	shift
	[ -n "$SELFTEST" ] && _roles=free
	for R in $_roles; do
		A=$(bin_of "$R")
		expect ok "$R: $_desc (must work)" "$@"
	done
}

# skip DESCRIPTION REASON: a case this kernel cannot run, counted as skipped.
skip() {
	tap_skip "$1" "$2"
}

# ---- victims ----

# start_victim BIN [SECONDS]: a new process of BIN that sleeps (default 120 s); prints its pid
# once it runs BIN (so that a jailed copy is enrolled by then). Killed by the trap.
start_victim() {
	"$1" sleep "${2:-120}" >/dev/null 2>&1 &
	vpid=$!
	echo "$vpid" >>"$T/victims"
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$vpid/exe" 2>/dev/null)" = "$1" ] && break
		sleep 0.05
	done
	echo "$vpid"
}

# alive PID: the process exists and is not a zombie.
alive() {
	state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

kill_victims() {
	[ -f "$T/victims" ] || return 0
	for vpid in $(cat "$T/victims"); do kill -9 "$vpid" 2>/dev/null; done
	return 0
}

# ---- kernel modules ----

# The test VM's modprobe has no module tree (unless the host has one), so
# the kernel cannot autoload a family's module: the unjailed test loads it
# itself, from modules.dep, with busybox's insmod (decompressing .ko.xz first).
MODDIR=/lib/modules/$(uname -r)
[ -f "$MODDIR/modules.dep" ] || MODDIR=/run/bjvm/modules

insmod_file() {
	case $1 in
	*.xz) busybox xzcat "$MODDIR/$1" >"$T/module.ko" && busybox insmod "$T/module.ko" ;;
	*) busybox insmod "$MODDIR/$1" ;;
	esac
}

# load_module NAME...: each module with its dependencies; quiet, best effort
# (whether the family then works, the unjailed attempt says).
load_module() {
	for name in "$@"; do
		[ -d "/sys/module/$(echo "$name" | tr - _)" ] && continue
		[ -f "$MODDIR/modules.dep" ] || continue
		line=$(grep -E "/($name|$(echo "$name" | tr _ -)|$(echo "$name" | tr - _))\.ko(\.xz)?:" \
			"$MODDIR/modules.dep" | head -n 1)
		[ -n "$line" ] || continue
		deps=
		for d in ${line#*:}; do deps="$d $deps"; done # modules.dep lists the most basic last
		for d in $deps ${line%%:*}; do
			m=$(basename "$d")
			m=${m%%.*}
			[ -d "/sys/module/$(echo "$m" | tr - _)" ] || insmod_file "$d" >/dev/null 2>&1 || true
		done
	done
}
