#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# On a host whose kernel lists bpf among its LSMs but refuses BPF LSM
# programs (some virtualised kernels do), the bootstrap says exactly that,
# exits 2, and leaves nothing behind. Registered only where the kernel tests
# run in the VM because the host cannot run them. Speaks TAP.
# usage: host-refused.sh BUILD_DIR
set -eu
build=$1
T=$(mktemp -d /tmp/bj-refused.XXXXXX)
trap 'mountpoint -q "$T/bpffs" && umount "$T/bpffs"; rm -rf "$T"' EXIT
mkdir "$T/bpffs"
mount -t bpf bpffs "$T/bpffs"

passed=0 failed=0
check() { # check DESCRIPTION COMMAND...
	what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		echo "ok $((passed + failed)) - $what"
	else
		failed=$((failed + 1))
		echo "not ok $((passed + failed)) - $what"
	fi
}

rc=0
"$build/bootstrap/bpfjailer-bootstrap" --pin-root "$T/bpffs/bpfjailer" 2>"$T/err" || rc=$?
sed 's/^/# stderr: /' "$T/err"
check "exit status 2" [ "$rc" = 2 ]
check "says bpf is listed but its programs are refused" \
	grep -q "lists bpf among its LSMs but refuses BPF LSM programs" "$T/err"
# (The kernel's own maps.debug and progs.debug may be there: not ours.)
check "nothing pinned" [ -z "$(find "$T/bpffs" -name 'bpfjailer*')" ]
echo "1..$((passed + failed))"
echo "# $passed passed, $failed failed"
[ "$failed" = 0 ]
