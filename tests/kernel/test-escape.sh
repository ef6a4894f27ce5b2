#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Root inside the jail (uid 0, every capability: a compromised nginx
# master) against the rest of the machine. A role's flags and rules are all
# it may do: kernel-control file systems stay read-only (by super block, so
# also through a second mount or a bind mount), capabilities are the role's
# set, processes outside the jail are out of reach, devices are the listed
# ones, socket families the listed ones, bpfjailer's own objects nobody's,
# and kernel-internal mounts no way around the path rules. Each attack runs
# in two roles, "open" (file access, exec and network, with deny rules, as
# nginx) and "tight" (reads /, writes its own directory, no network), and
# beside it a harmless twin that must keep working; a third role,
# "granted", shows that each new policy key gives back exactly what it names.
#
# BJ_ESCAPE_SELFTEST=1 runs every attack and twin by an unjailed copy
# instead, where each must succeed: proof that every attack is real and that
# every case can fail. Everything an attack changes is harmless: it writes
# back what it read, removes what it made, signals only victims the test
# started.
#
# It mounts proc, sysfs, cgroup, binfmt_misc, bpffs and loads kernel
# modules: this test runs only inside the test VM.
if [ -z "${BJ_VM_KERNEL:-}" ]; then
	echo "FAIL: test-escape changes kernel state (mounts, modules): it runs only in the test VM" >&2
	exit 1
fi
if [ -z "${BJ_IN_NAMESPACE:-}" ]; then
	# A private mount namespace: the mounts below (and over /etc/shadow) vanish with it.
	BJ_IN_NAMESPACE=1 exec unshare --mount --propagation private /bin/sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/escape-lib.sh"

[ -n "$SELFTEST" ] && echo "# selftest: every case unjailed, each must succeed"
START=$(date +%s)
section() { echo "# $* ($(($(date +%s) - START)) s)"; }

BIN_free=$(jailed_copy free) # never enrolled
BIN_open=$(jailed_copy open)
BIN_tight=$(jailed_copy tight)
BIN_granted=$(jailed_copy granted)
SPARE1=$(jailed_copy spare1) # enrolled, never run: their names are what is attacked
SPARE2=$(jailed_copy spare2)

W=$T/w # writable by every role
# user.* xattrs: 9p has them, 6.1's tmpfs not. Not named by $$: guests
# booted alike share the build directory and number their processes alike.
XD=$(mktemp -d "$BJ_BUILD/tests/kernel/escape-xattr.XXXXXX")
mkdir -p "$W" "$T/ro" "$T/run"
MOUNTS=
escape_cleanup() {
	set +e
	kill_victims
	for m in $MOUNTS; do umount -l "$m" 2>/dev/null; done
	rm -rf "$XD"
	cleanup
}
trap escape_cleanup EXIT

# Files the roles may write ($W) or only read ($T/ro), and one they are denied ($T/secret).
echo data >"$T/ro/file"
echo data >"$T/secret"
for r in free open tight granted; do echo data >"$W/own-$r"; done
cp "$BJ_TRY" "$W/prog" # programs it may write
cp "$BJ_TRY" "$XD/prog"
echo data >"$W/foreign" && chown 65534:65534 "$W/foreign" # CAP_FOWNER's twin
echo data >"$W/mode0" && chmod 000 "$W/mode0"               # CAP_DAC_OVERRIDE's twin
# /etc/shadow is on the read-only root here: a private copy over it, so
# that changing its metadata can succeed where it is allowed.
cp -p /etc/shadow "$T/shadow"
mount --bind "$T/shadow" /etc/shadow
MOUNTS="/etc/shadow"

# Devices the tight role's path rules allow, so that only the device rules decide.
DEV_PATHS=
for d in null zero full random urandom ptmx pts kmsg mem port console; do
	DEV_PATHS="$DEV_PATHS {\"pattern\": \"/dev/$d\", \"allow\": true, \"access\": \"rw\"},"
done

# policy NEW: the policy, with (1) or without (0) the keys being added now.
policy() {
	if [ "$1" = 1 ]; then
		tunables='"allow_kernel_tunables": true, "allow_abstract_unix": true,'
		granted_keys='"capabilities": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
                     "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
                     "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE", "CAP_SYS_NICE"],
      "address_families": ["AF_ALG"],
      "devices": ["c 1:11 w"],'
	else
		tunables= granted_keys=
	fi
	cat <<JSON
{
  "roles": {
    "open": {
      "id": 1,
      "flags": {"allow_file_access": true, "allow_network": true, "allow_exec": true},
      "file_paths": [
        {"pattern": "/etc/shadow", "allow": false},
        {"pattern": "$T/secret", "allow": false},
        {"pattern": "$T/ro/", "allow": true, "access": "r"},
        {"pattern": "$T/run/", "allow": true, "access": "rw"}
      ],
      "network_rules": [{"protocol": "tcp", "port": 25, "allow": false}]
    },
    "tight": {
      "id": 2,
      "flags": {"allow_file_access": false, "allow_exec": true, "allow_network": false},
      "file_paths": [
        {"pattern": "/", "allow": true, "access": "rx"},
        {"pattern": "/etc/shadow", "allow": false},
        {"pattern": "$T/secret", "allow": false},
        {"pattern": "$W/", "allow": true, "access": "rw"},
        {"pattern": "$XD/", "allow": true, "access": "rw"},
        $DEV_PATHS
        {"pattern": "$T/run/", "allow": true, "access": "rw"},
        {"pattern": "/proc/*/", "allow": true, "access": "rw"}
      ]
    },
    "granted": {
      "id": 3,
      "flags": {"allow_file_access": true, "allow_network": true, "allow_exec": true, $tunables
                "allow_setuid": false},
      $granted_keys
      "file_paths": [
        {"pattern": "/etc/shadow", "allow": false},
        {"pattern": "$T/secret", "allow": false},
        {"pattern": "$T/ro/", "allow": true, "access": "r"},
        {"pattern": "/dev/mqueue/", "allow": true, "access": "rw"}
      ],
      "network_rules": [{"protocol": "tcp", "port": 25, "allow": false}]
    }
  },
  "exec_enrollments": [
    {"executable_path": "$BIN_open", "pod_id": 1, "role": "open"},
    {"executable_path": "$BIN_tight", "pod_id": 2, "role": "tight"},
    {"executable_path": "$BIN_granted", "pod_id": 3, "role": "granted"},
    {"executable_path": "$SPARE1", "pod_id": 2, "role": "tight"},
    {"executable_path": "$SPARE2", "pod_id": 2, "role": "tight"}
  ]
}
JSON
}

policy 1 >"$T/policy.json"
if ! "$BJ_BOOTSTRAP" --check --policy "$T/policy.json" >/dev/null 2>"$T/check.err"; then
	sed 's/^/# /' "$T/check.err"
	if [ -z "$SELFTEST" ]; then
		failed=$((failed + 1))
		echo "not ok - the policy with capabilities, address_families, devices and the new flags loads"
	fi
	echo "# loading it without those keys, to try everything else"
	policy 0 >"$T/policy.json"
fi
bj_load "$T/policy.json"

# ---- the machinery the attacks need, set up unjailed ----

mkdir "$W/proc2" "$W/sys2" "$W/psys" "$W/printk" "$W/cg1" "$W/cg2" "$W/binfmt" "$W/tracefs" \
	"$W/bpffs2" "$W/bpffs3"
MOUNTS="$MOUNTS $W/proc2 $W/sys2 $W/psys $W/printk $W/cg2 $W/tracefs $W/bpffs2 $W/bpffs3 $W/cg1 $W/binfmt"
mount -t proc proc "$W/proc2"
# /tmp is nodev: device nodes open only on a file system without it.
mkdir "$W/dev"
mount -t tmpfs -o mode=755 tmpfs "$W/dev"
MOUNTS="$MOUNTS $W/dev"
mknod "$W/dev/mem-alias" c 1 1 # /dev/mem under another name
mount -t sysfs sysfs "$W/sys2"
mount --bind /proc/sys "$W/psys"
mount --bind /sys/module/printk/parameters "$W/printk"
mount -t cgroup2 cgroup2 "$W/cg2"
mount -t tracefs tracefs "$W/tracefs" 2>/dev/null || rmdir "$W/tracefs"
mount --bind "$PIN_FS" "$W/bpffs2"
mount -t bpf bpffs "$W/bpffs3"
CG1=
mount -t cgroup -o none,name=bjesc$$ cgroup "$W/cg1" 2>/dev/null && CG1=$W/cg1
load_module binfmt_misc
BINFMT=
mount -t binfmt_misc binfmt_misc "$W/binfmt" 2>/dev/null && BINFMT=$W/binfmt
# bluetooth pulls in ecdh_generic, whose self-test fails with a kernel
# WARNING in this VM on 6.1: there, bluetooth stays unloaded (and skipped).
case $(uname -r) in
6.1.*) bluetooth= ;;
*) bluetooth=bluetooth ;;
esac
load_module crc32c_generic vsock af_alg af_key $bluetooth can can-raw tipc rds smc kcm qrtr llc2 appletalk x25 \
	ax25 phonet ieee802154_socket rxrpc nfc pppoe atm sctp dccp_ipv4
CG=$(make_cgroup esc)
CG_NAME=${CG##*/}

FREE_V=$(start_victim "$BJ_TRY" 600)                    # an unjailed process to aim at
unshare --mount "$BIN_free" sleep 600 >/dev/null 2>&1 & # one in a mount namespace of its own
NS_V=$!
echo "$NS_V" >>"$T/victims"
PTY=$("$BIN_free" pty-hold 600 | head -n 1) # "PID /dev/pts/N": an unjailed terminal
echo "${PTY%% *}" >>"$T/victims"
PTS=${PTY#* }
serve unix-serve stream "@bj-esc-$$-free"
serve unix-serve dgram "@bj-esc-$$-free-dgram"
serve unix-serve stream "$T/run/unix.sock" # a rule lets each role write there
for r in open tight granted; do # each jail's own abstract listener
	lpid=$("$(bin_of $r)" unix-serve stream "@bj-esc-$$-$r" 600 | head -n 1)
	echo "$lpid" >>"$T/victims"
done
sleep 0.5
section "set up"

# ---- case functions: $A attacks, $R names its role ----

# signal_to kill|tgkill|pidfd VICTIM_BIN: SIGTERM to a fresh victim.
signal_to() {
	v=$(start_victim "$2")
	try signal "$1" "$v" 15
}
# signal_peer kill|tgkill|pidfd: SIGTERM to a fresh process of the attacker's own jail.
signal_peer() {
	v=$(start_victim "$A")
	try signal "$1" "$v" 15
}
# on_peer OP: OP PID on a fresh process of the attacker's own jail.
on_peer() {
	v=$(start_victim "$A")
	try "$1" "$v"
}
peer_read() {
	v=$(start_victim "$A")
	try read "/proc/$v/$1"
}
# sigio_to pipe|socket: SIGIO to a fresh unjailed victim: ok if it arrived
# (the victim died of it), EPERM if the kernel dropped it or F_SETOWN was refused.
sigio_to() {
	v=$(start_victim "$BJ_TRY")
	out=$(try sigio "$1" "$v" | tail -n 1)
	if [ "$out" != ok ]; then
		echo "$out"
		return
	fi
	for _ in $(seq 20); do
		alive "$v" || { echo ok && return; }
		sleep 0.05
	done
	echo EPERM
}
# binfmt_register: a handler for files named *.bjesc, removed again whoever made it.
binfmt_register() {
	out=$(try write "$BINFMT/register" ":bjesc$$:E::bjesc::/bin/false:" | tail -n 1)
	[ -e "$BINFMT/bjesc$$" ] && echo -1 >"$BINFMT/bjesc$$"
	echo "$out"
}
# cg_mkdir DIR: a new cgroup, removed again.
cg_mkdir() {
	out=$(try mkdir "$1" | tail -n 1)
	rmdir "$1" 2>/dev/null || true
	echo "$out"
}
# mq_create: a new queue of the attacker's own name; one left behind
# although the attempt failed reads CREATED-ERRNO.
mq_create() {
	out=$(try mq-create "/bj-esc-$$-$R" | tail -n 1)
	if [ -e "/dev/mqueue/bj-esc-$$-$R" ]; then
		rm -f "/dev/mqueue/bj-esc-$$-$R"
		[ "$out" = ok ] || out=CREATED-$out
	fi
	echo "$out"
}
# unjailed_ok OP ARGS...: does the unjailed copy succeed (whether the kernel has it)?
unjailed_ok() {
	[ "$("$BIN_free" "$@" 2>/dev/null | tail -n 1)" = ok ]
}

section "1. kernel-control files: read-only by file system, whatever the path"
deny "write core_pattern (a |pipe handler runs as unjailed root)" try rewrite /proc/sys/kernel/core_pattern
deny "write kernel.modprobe" try rewrite /proc/sys/kernel/modprobe
deny "write kernel.poweroff_cmd" try rewrite /proc/sys/kernel/poweroff_cmd
deny "write net.ipv4.ip_local_port_range" try rewrite /proc/sys/net/ipv4/ip_local_port_range
deny "write /proc/sysrq-trigger" try write /proc/sysrq-trigger _
if [ -e /sys/kernel/uevent_helper ]; then
	deny "write /sys/kernel/uevent_helper" try rewrite /sys/kernel/uevent_helper
else
	skip "write /sys/kernel/uevent_helper" "this kernel has no CONFIG_UEVENT_HELPER"
fi
deny "write a sysfs attribute (printk.time)" try rewrite /sys/module/printk/parameters/time
if [ -n "$BINFMT" ]; then
	deny "register a binfmt_misc handler (its interpreter runs on exec)" binfmt_register
else
	skip "register a binfmt_misc handler" "binfmt_misc cannot be mounted here"
fi
if [ -n "$CG1" ]; then
	deny "write a cgroup v1 release_agent" try rewrite "$CG1/release_agent"
	deny "mkdir in a cgroup v1 hierarchy" cg_mkdir "$CG1/bjesc-$$"
else
	skip "cgroup v1 release_agent" "a cgroup v1 hierarchy cannot be mounted here"
fi
deny "move itself into another cgroup (cgroup.procs)" try write "$CG/cgroup.procs" 0
deny "mkdir in cgroupfs" cg_mkdir "${CG%/*}/bj-esc-$$-new"
deny "tracefs: tracing_on" try rewrite /sys/kernel/tracing/tracing_on
deny "tracefs: read the trace buffer's switch (tracefs is hidden)" try read /sys/kernel/tracing/tracing_on
deny "debugfs: fault_around_bytes" try rewrite /sys/kernel/debug/fault_around_bytes
deny "debugfs: read (debugfs is hidden)" try read /sys/kernel/debug/fault_around_bytes
deny "securityfs: open lockdown for writing" try open /sys/kernel/security/lockdown w
echo "#    the same through mounts of the attacker's own writable directory"
deny "second procfs mount: core_pattern" try rewrite "$W/proc2/sys/kernel/core_pattern"
deny "second procfs mount: sysrq-trigger" try write "$W/proc2/sysrq-trigger" _
deny "second sysfs mount: printk.time" try rewrite "$W/sys2/module/printk/parameters/time"
deny "bind mount of /proc/sys: core_pattern" try rewrite "$W/psys/kernel/core_pattern"
deny "bind mount of a sysfs directory: printk.time" try rewrite "$W/printk/time"
deny "second cgroup2 mount: cgroup.procs" try write "$W/cg2/$CG_NAME/cgroup.procs" 0
deny "second cgroup2 mount: mkdir" cg_mkdir "$W/cg2/bj-esc-$$-new2"
if [ -d "$W/tracefs" ]; then
	deny "second tracefs mount: tracing_on" try rewrite "$W/tracefs/tracing_on"
fi
echo "#    reads stay allowed"
allow "read core_pattern" try read /proc/sys/kernel/core_pattern
allow "read core_pattern through the second procfs mount" try read "$W/proc2/sys/kernel/core_pattern"
allow "read a sysfs attribute" try read /sys/module/printk/parameters/time
allow "read a cgroup's cgroup.procs" try read "$CG/cgroup.procs"
allow "read securityfs (the LSM list)" try read /sys/kernel/security/lsm
allow "read /proc/self/status" try read /proc/self/status
allow -r "open tight" "write its own /proc/self/oom_score_adj" try rewrite /proc/self/oom_score_adj
echo "#    allow_kernel_tunables gives them back, and nothing more"
allow -r granted "allow_kernel_tunables: a sysctl" try rewrite /proc/sys/net/ipv4/ip_local_port_range
allow -r granted "allow_kernel_tunables: a sysfs attribute" try rewrite /sys/module/printk/parameters/time
allow -r granted "allow_kernel_tunables: tracefs" try rewrite /sys/kernel/tracing/tracing_on
deny -j -r granted "allow_kernel_tunables: ftrace_enabled stays refused" \
	try open /proc/sys/kernel/ftrace_enabled w
deny -j -r granted "allow_kernel_tunables: another process's oom_score_adj stays refused" \
	try rewrite "/proc/$FREE_V/oom_score_adj"

section "2. capabilities: the role's set (default: files, users, signals, low ports)"
deny -e EPERM "CAP_SYS_ADMIN: sethostname (to the name it has)" try sethostname
deny -e EPERM "CAP_SYS_TIME: clock_settime (to the time it is)" try clock-settime
deny -e EPERM "CAP_SYS_RAWIO: ioperm" try ioperm
deny "CAP_SYS_RAWIO: open /proc/kcore" try open /proc/kcore r
deny -e EPERM "CAP_SYS_BOOT: reboot(CAD_OFF)" try reboot-cad-off
deny -e EPERM "CAP_SYS_BOOT: kexec_load" try kexec-unload
deny -e EPERM "CAP_SYSLOG: syslog(READ_ALL) (dmesg)" try syslog-read
deny -e EPERM "CAP_NET_ADMIN: SO_MARK" try so-mark
deny "CAP_NET_RAW: a raw socket" try raw-socket
deny -e EACCES "CAP_SYS_NICE: nice -5 for itself" try nice-self
deny -e EPERM "CAP_SYS_RESOURCE: raise its hard RLIMIT_NOFILE" try raise-nofile
deny -e EPERM "CAP_IPC_LOCK: mlock beyond RLIMIT_MEMLOCK" try mlock
deny -e EACCES "CAP_IPC_OWNER: attach a mode 0000 SysV segment" try shm-owner
deny -e EPERM "CAP_SYS_PACCT: acct" try acct-off
deny -e EPERM "CAP_SYS_TTY_CONFIG: vhangup" try vhangup
deny "CAP_AUDIT_CONTROL: AUDIT_GET" try audit-get
deny "CAP_MKNOD: mknod c 1:3 in its writable directory" try mknod "$W/dev/null-x" c 1 3
deny -e EPERM "CAP_LINUX_IMMUTABLE: chattr +i on its own file" try chattr "$W/own-free" i
deny -e EPERM "CAP_LINUX_IMMUTABLE: chattr +a on its own file" try chattr "$W/own-free" a
deny -e EPERM "CAP_SETFCAP: security.capability on its own program" \
	try setxattr "$W/prog" security.capability 0000000200000000000000000000000000000000
deny "CAP_SYS_ADMIN: fanotify on its own file" try fanotify "$W/own-free"
deny -e EPERM "no allow_setuid: setgroups (to the shadow group)" try setgroups 42
echo "#    what the default set keeps"
allow "CAP_CHOWN: chown its own file" try chown-to "$W/own-free" 65534 65534
allow "CAP_FOWNER: chmod a file of another user" try chmod "$W/foreign"
allow "CAP_DAC_OVERRIDE: read a mode 000 file" try open "$W/mode0" r
allow -r open "CAP_NET_BIND_SERVICE: bind port 80" try tcp-bind 127.0.0.1 80
allow "CAP_DAC_READ_SEARCH: open its own file by handle" try open-by-handle "$W/own-free"
allow -r granted "CAP_SYS_NICE listed: nice -5" try nice-self
deny -j -r granted -e EPERM "CAP_SYS_NICE listed: CAP_SYS_ADMIN stays refused" try sethostname

section "3. processes outside the jail (victims the test started)"
deny -e EPERM "kill(SIGTERM) of an unjailed process" signal_to kill "$BJ_TRY"
deny -e EPERM "tgkill(SIGTERM) of an unjailed process" signal_to tgkill "$BJ_TRY"
deny -e EPERM "pidfd_send_signal(SIGTERM) to an unjailed process" signal_to pidfd "$BJ_TRY"
deny "setpriority of an unjailed process" try renice-of "$FREE_V"
deny "ioprio_set of an unjailed process" try ioprio-of "$FREE_V"
deny "sched_setscheduler of an unjailed process" try sched-of "$FREE_V"
deny "sched_setaffinity of an unjailed process" try affinity-of "$FREE_V"
deny "prlimit of an unjailed process" try prlimit-of "$FREE_V"
deny "migrate_pages of an unjailed process" try migrate-of "$FREE_V"
deny "write /proc/VICTIM/oom_score_adj" try rewrite "/proc/$FREE_V/oom_score_adj"
deny "read /proc/VICTIM/environ" try read "/proc/$FREE_V/environ"
deny "read /proc/VICTIM/maps" try read "/proc/$FREE_V/maps"
deny "reopen an unjailed process's fd through /proc/VICTIM/fd/0" try read "/proc/$FREE_V/fd/0"
deny "setns into an unjailed process's mount namespace" try setns "/proc/$NS_V/ns/mnt"
deny "perf_event_open on an unjailed process" try perf-open "$FREE_V"
deny "perf_event_open system wide" try perf-open -1
deny "pidfd_getfd of an unjailed process's fd" try pidfd-getfd "$FREE_V" 0
# Without legacy TIOCSTI (6.2+) the kernel answers a missing CAP_SYS_ADMIN with EIO.
deny -a EIO "TIOCSTI into an unjailed terminal ($PTS)" try tiocsti "$PTS"
deny "open another session's terminal ($PTS: read what is typed there)" try open-ioctl "$PTS"
deny "SIGIO to an unjailed process (F_SETOWN + O_ASYNC pipe)" sigio_to pipe
deny "SIGIO to an unjailed process (F_SETOWN + O_ASYNC socket)" sigio_to socket
echo "#    the same within its own jail, and what ps reads"
allow "kill(SIGTERM) of a process of its own jail" signal_peer kill
allow "tgkill(SIGTERM) of a process of its own jail" signal_peer tgkill
allow "pidfd_send_signal(SIGTERM) to a process of its own jail" signal_peer pidfd
allow "setpriority of a process of its own jail" on_peer renice-of
allow "ioprio_set of a process of its own jail" on_peer ioprio-of
allow "sched_setscheduler of a process of its own jail" on_peer sched-of
allow "sched_setaffinity of a process of its own jail" on_peer affinity-of
allow "read /proc/PEER/environ in its own jail" peer_read environ
allow "read /proc/PEER/maps in its own jail" peer_read maps
allow "reopen /proc/PEER/fd/0 in its own jail" peer_read fd/0
allow "migrate_pages of a process of its own jail" on_peer migrate-of
allow "read /proc/VICTIM/stat (ps)" try read "/proc/$FREE_V/stat"
allow "read /proc/VICTIM/status (ps)" try read "/proc/$FREE_V/status"
allow "SIGIO to itself (F_SETOWN to its own pid)" try sigio pipe self

section "4. devices: the listed ones and the harmless built-ins"
deny "mknod c 1:1 (/dev/mem) in its writable directory" try mknod "$W/dev/mem-x" c 1 1
deny "open /dev/mem by another name (a node the test made in its writable directory)" \
	try open "$W/dev/mem-alias" r
deny "open /dev/mem" try open /dev/mem r
deny "open /dev/port" try open /dev/port r
deny "open /dev/kmsg for reading" try open /dev/kmsg r
deny "open /dev/kmsg for writing (forge kernel log lines)" try open /dev/kmsg w
deny "open /dev/console for writing" try open /dev/console w
allow "open /dev/null read-write" try open /dev/null rw
allow "open /dev/zero" try open /dev/zero r
allow "open /dev/full for writing" try open /dev/full w
allow "open /dev/urandom" try open /dev/urandom r
allow "open /dev/random" try open /dev/random r
allow "a new pty pair (/dev/ptmx and its /dev/pts/N)" try pty-open
allow -r granted "devices c 1:11 w: /dev/kmsg for writing" try open /dev/kmsg w
deny -j -r granted "devices c 1:11 w: /dev/kmsg for reading stays refused" try open /dev/kmsg r
deny -j -r granted "devices c 1:11 w: /dev/mem stays refused" try open /dev/mem r

section "5. address families: the default ones (unix, inet, inet6, netlink) and the listed"
for f in packet inet-sockpacket sctp sctp6 dccp vsock alg key bluetooth can tipc rds xdp smc kcm \
	qipcrtr llc appletalk x25 ax25 phonet ieee802154 rxrpc nfc pppox atmpvc; do
	if [ "$f" = bluetooth ] && [ -z "$bluetooth" ]; then
		skip "socket of family bluetooth" "its module is not loaded on 6.1 (ecdh_generic's self-test WARNs)"
	elif unjailed_ok socket-family "$f"; then
		deny "socket of family $f" try socket-family "$f"
	else
		skip "socket of family $f" "unjailed too: $("$BIN_free" socket-family "$f" | tail -n 1)"
	fi
done
for f in unix inet inet6 netlink; do
	allow "socket of family $f" try socket-family "$f"
done
if unjailed_ok socket-family alg; then
	allow -r granted "address_families AF_ALG: an AF_ALG socket" try socket-family alg
fi
if unjailed_ok socket-family vsock; then
	deny -j -r granted "address_families AF_ALG: AF_VSOCK stays refused" try socket-family vsock
fi
deny "connect to an unjailed abstract unix listener" try unix-connect "@bj-esc-$$-free"
deny "sendto an unjailed abstract unix datagram socket" try unix-sendto "@bj-esc-$$-free-dgram"
deny -r tight "connect to another jail's abstract listener" try unix-connect "@bj-esc-$$-open"
own_abstract() { try unix-connect "@bj-esc-$$-$R"; }
allow "connect to an abstract listener of its own jail" own_abstract
allow "connect to a unix socket where a rule lets it write" try unix-connect "$T/run/unix.sock"
allow -r granted "allow_abstract_unix: connect to an unjailed abstract listener" \
	try unix-connect "@bj-esc-$$-free"

section "6. metadata"
deny "setxattr user.bpfjailer.role_id on a program it may write (enrollment)" \
	try setxattr "$XD/prog" user.bpfjailer.role_id 01000000
deny "setxattr user.bpfjailer.pod_id on a program it may write" \
	try setxattr "$XD/prog" user.bpfjailer.pod_id 0100000000000000
deny "chmod /etc/shadow (a deny rule)" try chmod /etc/shadow
deny "chown /etc/shadow" try chown /etc/shadow
deny "utimes of /etc/shadow (touch -d)" try utimes /etc/shadow
deny "utimes of a file it may only read" try utimes "$T/ro/file"
deny "chattr +i on a file it may only read" try chattr "$T/ro/file" i
deny "chattr +a on a file it may only read" try chattr "$T/ro/file" a
deny "inotify on /etc/shadow (who reads it, when)" try inotify /etc/shadow
deny "open a denied file by handle (open_by_handle_at), not by path" try open-by-handle "$T/secret"
own_file() { try "$1" "$W/own-$R"; }
allow "setxattr user.* on its own file" try setxattr "$XD/prog" user.bjtest 01
allow "utimes of its own file" own_file utimes
allow "chmod its own file" own_file chmod
allow "inotify on its own file" own_file inotify

section "7. bpfjailer's own objects, in every role (even one whose rules allow everything)"
deny -r "open tight granted" "read(2) of a pinned map" try read "$PIN_ROOT/maps/roles"
deny -r "open tight granted" "list the pins" try list-dir "$PIN_ROOT/maps"
deny -r "open tight granted" "read a map pin through a bind mount of its bpffs" \
	try read "$W/bpffs2/bpfjailer/maps/roles"
deny -r "open tight granted" "list a second bpffs mount" try list-dir "$W/bpffs3"
deny -r "open tight granted" "BPF_OBJ_GET of a pin" try bpf-obj-get "$PIN_ROOT/maps/roles"

section "8. kernel-internal mounts"
deny "mq_open of a new queue (no rule under /dev/mqueue)" mq_create
allow -r granted "a rule under /dev/mqueue: mq_open" mq_create
deny "fexecve of a memfd" try memfd-run fexecve
deny "execveat(AT_EMPTY_PATH) of a memfd" try memfd-run execveat
deny "mmap PROT_EXEC of a memfd" try memfd-mmap rx
deny "shmat(SHM_EXEC) of a SysV segment" try shm-exec
own_deleted() { try deleted-exec "$W/deleted-$R"; }
# A deleted file keeps the path it had: its rules decide, as for any file there.
deny -r tight "exec of a deleted file through its fd, no x where it was" own_deleted
allow -r open "exec of a deleted file through its fd, x where it was" own_deleted
allow "mmap of a memfd, not executable" try memfd-mmap r
allow "anonymous executable memory (a JIT)" try anon-exec
allow "reopen its own pipe through /proc/self/fd" try pipe-reopen

section "9. what the jail stands on, and kernel objects that are not files"
# The next boot's jail comes from the policy file; a service's next start
# is enrolled by its program's inode: neither may be replaced or removed.
deny -e EPERM -r "open granted" "write the policy file the jail was loaded from" try rewrite "$T/policy.json"
deny -r "open tight granted" "rename an enrolled program away (its path would run unjailed)" \
	try rename "$SPARE1" "$SPARE1.moved"
deny -r "open tight granted" "unlink an enrolled program" try unlink "$SPARE2"
own_file_moved() {
	cp "$BJ_TRY" "$W/prog-$R"
	try rename "$W/prog-$R" "$W/prog-$R.moved"
}
allow -r "open granted" "rename a program nobody enrolled" own_file_moved
# System V IPC: another process's segment, by key and by id; its own jail's works.
SHM_KEY=$((0x6a000000 + $$ % 65536))
SHM_V=$("$BJ_TRY" shm-hold "$SHM_KEY" 600 | head -n 1)
echo "$SHM_V" >>"$T/victims"
SHM_ID=$("$BJ_TRY" shm-id "$SHM_KEY")
# ipcperms() turns the refusal into EACCES.
deny -e EACCES "shmget+shmat of an unjailed process's segment" try shm-attach "$SHM_KEY"
deny -e EACCES "IPC_STAT of an unjailed process's segment by id" try shm-stat "$SHM_ID"
own_shm() {
	k=$((SHM_KEY + $(echo "$R" | cksum | cut -c1-4)))
	v=$("$A" shm-hold "$k" 600 | head -n 1)
	echo "$v" >>"$T/victims"
	try shm-attach "$k"
}
allow "shmget+shmat of a segment of its own jail" own_shm
# POSIX message queues: removing another's queue needs a rule under /dev/mqueue.
foreign_queue() {
	"$BJ_TRY" mq-make "/bj-esc-$$-q" >/dev/null 2>&1 || true
	try mq-unlink "/bj-esc-$$-q"
}
deny -r "open tight" "mq_unlink of an unjailed process's queue (no rule under /dev/mqueue)" foreign_queue
allow -r granted "a rule under /dev/mqueue: mq_unlink" foreign_queue
deny -e EPERM -r "open tight granted" "prctl(PR_SET_MM) (rewrites /proc/self/exe and the like)" \
	try prctl-set-mm
deny -e EPERM -r "open tight granted" "add_key (request_key runs /sbin/request-key as root)" try add-key
deny -e EPERM "FIOSETOWN: I/O signals to an unjailed process" try fiosetown "$FREE_V"
allow "FIOSETOWN: I/O signals to itself" try fiosetown self
deny "open /dev/mem for ioctl only (no read, no write asked)" try open-ioctl /dev/mem
allow "open /dev/null for ioctl only" try open-ioctl /dev/null
if "$BJ_TRY" tioclinux 3 3</dev/tty0 >/dev/null 2>&1; then
	tioclinux() { try tioclinux 3 3</dev/tty0; }
	deny -e EPERM "TIOCLINUX on a console it was handed" tioclinux
else
	skip "TIOCLINUX" "no virtual console in this VM"
fi
# POSIX ACLs are a chmod by another name (system.posix_acl_access, mode kept).
deny "set a POSIX ACL on /etc/shadow" \
	try setxattr /etc/shadow system.posix_acl_access 0200000001000600ffffffff04000400ffffffff20000000ffffffff
own_acl() { try setxattr "$W/own-$R" system.posix_acl_access 0200000001000600ffffffff04000400ffffffff20000400ffffffff; }
allow "set a POSIX ACL on its own file" own_acl
# Sockets of services outside the jail need a rule; the system's logging sockets are built in.
mkdir -p /run/systemd/journal
serve unix-serve dgram /run/systemd/journal/socket
serve unix-serve dgram "$T/service.sock"
deny -r open "send to another service's socket (the file flag alone)" try unix-sendto "$T/service.sock"
allow -r open "send to the journal's socket (built in)" try unix-sendto /run/systemd/journal/socket

section "done"
finish
