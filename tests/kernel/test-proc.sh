#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Processes and the kernel: uid/gid changes, ptrace in both directions and
# its cousins (process_vm_readv, /proc/PID/mem), module loading, bpf() and
# bpfjailer's own objects and pins, the ftrace switch that would turn BPF LSM off,
# mounts, chroot and user namespaces, and complain
# mode, which denies nothing but counts what it would have denied.
. "$(dirname "$0")/lib.sh"

LOCKED=$(jailed_copy locked)
TRACER=$(jailed_copy tracer)
TRACEE=$(jailed_copy tracee)
PRIV=$(jailed_copy privileged)
COMPLAIN=$(jailed_copy complain)
mkdir "$T/mnt"

cat >"$T/policy.json" <<JSON
{
  "roles": {
    "locked": {"id": 1, "flags": {"allow_file_access": true}},
    "tracing": {"id": 2, "flags": {"allow_file_access": true, "allow_ptrace": true}},
    "privileged": {"id": 3, "flags": {"allow_file_access": true, "allow_setuid": true,
                   "allow_bpf_load": true, "allow_module_load": true}},
    "complain": {"id": 4, "mode": "complain", "flags": {"allow_file_access": true},
                 "file_paths": [{"pattern": "/etc/shadow", "allow": false}]}
  },
  "exec_enrollments": [
    {"executable_path": "$LOCKED", "pod_id": 1, "role": "locked"},
    {"executable_path": "$TRACER", "pod_id": 2, "role": "tracing"},
    {"executable_path": "$TRACEE", "pod_id": 2, "role": "tracing"},
    {"executable_path": "$PRIV", "pod_id": 3, "role": "privileged"},
    {"executable_path": "$COMPLAIN", "pod_id": 4, "role": "complain"}
  ]
}
JSON
bj_load "$T/policy.json"

# Targets that stay alive: one unjailed, one in the tracer's own jail.
"$BJ_TRY" sleep 60 >/dev/null & FREE=$!
"$TRACEE" sleep 60 >/dev/null & SAME=$!
PIDS="$FREE $SAME"
sleep 0.5

expect EPERM "setuid to another uid without allow_setuid" "$LOCKED" setuid 65534
expect EPERM "setgid to another gid without allow_setuid" "$LOCKED" setgid 65534
expect ok "setuid to its own uid is no change" "$LOCKED" setuid 0
expect ok "setuid with allow_setuid" "$PRIV" setuid 65534

expect EPERM "ptrace attach without allow_ptrace" "$LOCKED" ptrace-attach "$FREE"
expect EPERM "allow_ptrace: an unjailed target is out of reach" "$TRACER" ptrace-attach "$FREE"
expect ok "allow_ptrace: a target in its own jail" "$TRACER" ptrace-attach "$SAME"
expect EPERM "process_vm_readv of an unjailed process" "$LOCKED" vm-read "$FREE"
# mm_access() turns the refusal into EACCES.
expect_denied "/proc/PID/mem of an unjailed process" "$LOCKED" proc-mem "$FREE"
expect ok "reading /proc/PID/status of others still works" "$LOCKED" open "/proc/$FREE/status" r
expect EPERM "PTRACE_TRACEME without allow_ptrace" "$LOCKED" traceme
expect ok "not jailed: ptrace attach" "$BJ_TRY" ptrace-attach "$SAME"

# kernel.ftrace_enabled=0 would turn every BPF LSM program off.
expect EPERM "root in a role that may write anywhere: turning ftrace off" \
	"$PRIV" open /proc/sys/kernel/ftrace_enabled w
expect ok "reading the ftrace switch still works" "$PRIV" open /proc/sys/kernel/ftrace_enabled r
expect ok "not jailed: opening the ftrace switch for writing" "$BJ_TRY" open /proc/sys/kernel/ftrace_enabled w

expect EPERM "init_module without allow_module_load" "$LOCKED" init-module
expect EPERM "finit_module without allow_module_load" "$LOCKED" finit-module /etc/hostname
# 64 zero bytes are no ELF module: ENOEXEC from the module loader itself.
expect ENOEXEC "init_module with allow_module_load reaches the kernel's own checks" "$PRIV" init-module

expect EPERM "bpf() without allow_bpf_load" "$LOCKED" bpf-map-create
expect ok "bpf() with allow_bpf_load" "$PRIV" bpf-map-create
ID=$(bpftool -j map show pinned "$PIN_ROOT/maps/roles" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
expect EPERM "allow_bpf_load: bpfjailer's own map by id" "$PRIV" bpf-map-by-id "$ID"
expect EPERM "allow_bpf_load: bpfjailer's own pins" "$PRIV" bpf-obj-get "$PIN_ROOT/maps/roles"
expect ok "not jailed: bpfjailer's map by id" "$BJ_TRY" bpf-map-by-id "$ID"

# The pins, unsealed, to root in a role whose file rules allow everything.
expect EPERM "unlink of a link pin" "$PRIV" unlink "$PIN_ROOT/links/bj_file_open"
expect EPERM "rename of a map pin" "$PRIV" rename "$PIN_ROOT/maps/roles" "$PIN_ROOT/maps/x"
expect EPERM "rename of the pin root" "$PRIV" rename "$PIN_ROOT" "$PIN_FS/moved"
expect EPERM "rmdir of a pin directory" "$PRIV" rmdir "$PIN_ROOT/progs"
expect EPERM "a new entry among the pins" "$PRIV" mkdir "$PIN_ROOT/links/x"
expect EPERM "a hard link to a pin" "$PRIV" link "$PIN_ROOT/maps/roles" "$PIN_FS/roles"
expect EPERM "chmod of a pin" "$PRIV" chmod "$PIN_ROOT/maps/roles"
expect EPERM "complain mode: unlink of a pin is still refused" "$COMPLAIN" unlink "$PIN_ROOT/links/bj_file_open"
expect ok "the pins are all there" sh -c "[ -e '$PIN_ROOT/links/bj_file_open' ] && [ -e '$PIN_ROOT/maps/roles' ] && echo ok"

expect EPERM "mount" "$PRIV" mount-tmpfs "$T/mnt"
expect EPERM "umount of its own pins' bpffs" "$PRIV" umount "$PIN_FS"
expect EPERM "chroot" "$PRIV" chroot "$T"
expect EPERM "a new user namespace" "$LOCKED" unshare-user
expect ok "not jailed: a new user namespace" "$BJ_TRY" unshare-user

expect ok "complain mode: the denied open succeeds" "$COMPLAIN" open /etc/shadow r
expect ok "complain mode: --status counts it as would deny" sh -c \
	"'$BJ_BOOTSTRAP' --status --pin-root '$PIN_ROOT' | awk '\$1 == \"open\" && \$6 > 0 {print \"ok\"}'"
finish
