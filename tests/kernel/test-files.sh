#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# File rules: most specific wins, deny wins ties, access letters, paths as the
# task sees them across mounts, rules written through symlinks, and the
# indirect ways to reach a file.
. "$(dirname "$0")/lib.sh"

JAILED=$(jailed_copy jailed)
D=$T/data
mkdir -p "$D/ro" "$D/secret" "$D/other" "$D/rw" "$D/noexec"
for f in ro/f secret/f secret/public.txt other/public.txt rw/f; do echo data >"$D/$f"; done
cp "$BJ_TRY" "$D/noexec/prog"
ln -s /etc/shadow "$D/rw/shadow-link"

# Rules written through a symlink match the real path, the one the kernel
# sees: /var/run -> /run as on Debian (the file made through the real /run),
# and a directory symlink of this test's own. Each has a twin left allowed.
RUN=/run/bj-test-$$
mkdir "$RUN"
REMOVE="$RUN $REMOVE"
echo data >"$RUN/secret"
echo data >"$RUN/public"
mkdir "$D/real"
echo data >"$D/real/secret"
echo data >"$D/real/public"
ln -s real "$D/link"

cat >"$T/policy.json" <<JSON
{
  "roles": {
    "files": {
      "id": 50,
      "flags": {"allow_file_access": true, "allow_exec": true},
      "file_paths": [
        {"pattern": "/etc/shadow", "allow": false},
        {"pattern": "/proc/sys/", "allow": false},
        {"pattern": "$D/ro/", "allow": true, "access": "r"},
        {"pattern": "$D/secret/", "allow": false},
        {"pattern": "$D/*/public.txt", "allow": true},
        {"pattern": "$D/noexec/", "allow": true, "access": "rw"},
        {"pattern": "/var/run/bj-test-$$/secret", "allow": false},
        {"pattern": "$D/link/secret", "allow": false}
      ]
    }
  },
  "exec_enrollments": [{"executable_path": "$JAILED", "pod_id": 7, "role": "files"}]
}
JSON

# A dangling symlink or a loop in a rule's path: refused with the rule's place, nothing loaded.
ln -s nowhere "$D/dangling"
ln -s loop-b "$D/loop-a"
ln -s loop-a "$D/loop-b"
for bad in dangling loop-a; do
	printf '{"roles": {"r": {"id": 1, "file_paths": [{"pattern": "%s/x", "allow": false}]}}}\n' \
		"$D/$bad" >"$T/$bad.json"
	st=0
	"$BJ_BOOTSTRAP" --policy "$T/$bad.json" --pin-root "$PIN_ROOT" 2>"$T/$bad.err" || st=$?
	expect 1 "a rule through a symlink $bad: exit 1" echo "$st"
	expect ok "... with the rule's place and the symlink" sh -c \
		"grep -F 'roles.r.file_paths[0].pattern: $D/$bad/x: $D/$bad' '$T/$bad.err' | grep -qE 'dangling symlink|symlink loop' && echo ok"
	expect "" "... and nothing is loaded" sh -c "ls -A '$PIN_FS'"
done

# --check says what it rewrote.
"$BJ_BOOTSTRAP" --check --policy "$T/policy.json" >"$T/check.out" 2>/dev/null
expect ok "--check: /var/run/... resolved to /run/..." sh -c \
	"grep -qFx 'roles.files.file_paths[6].pattern: /var/run/bj-test-$$/secret resolved to $RUN/secret' '$T/check.out' && echo ok"
expect ok "--check: the test's symlink resolved" sh -c \
	"grep -qFx 'roles.files.file_paths[7].pattern: $D/link/secret resolved to $D/real/secret' '$T/check.out' && echo ok"

bj_load "$T/policy.json"

expect EACCES "jailed: read /etc/shadow" "$JAILED" open /etc/shadow r
expect ok "not jailed: the same binary elsewhere reads /etc/shadow" "$BJ_TRY" open /etc/shadow r
expect ok "jailed: read /etc/hostname (no rule, flag allows)" "$JAILED" open /etc/hostname r
expect EACCES "jailed child (fork): read /etc/shadow" "$JAILED" fork open /etc/shadow r
expect ok "access r: read" "$JAILED" open "$D/ro/f" r
expect EACCES "access r: write" "$JAILED" open "$D/ro/f" w
expect EACCES "access r: truncate" "$JAILED" truncate "$D/ro/f"
expect EACCES "access r: chmod" "$JAILED" chmod "$D/ro/f"
expect EACCES "access r: unlink" "$JAILED" unlink "$D/ro/f"
expect EACCES "access r: create" "$JAILED" open "$D/ro/new" create
expect EACCES "deny subtree" "$JAILED" open "$D/secret/f" r
expect EACCES "literal beats *: secret/public.txt stays denied" "$JAILED" open "$D/secret/public.txt" r
expect ok "* matches one component" "$JAILED" open "$D/other/public.txt" r
expect EACCES "tmpfs under /tmp and procfs both match: /proc/sys" "$JAILED" open /proc/sys/kernel/hostname r
expect EACCES "symlink to a denied file" "$JAILED" open "$D/rw/shadow-link" r
expect EACCES "/proc/self/root path" "$JAILED" open /proc/self/root/etc/shadow r
expect EACCES "O_PATH then reopen through /proc/self/fd" "$JAILED" opath-reopen /etc/shadow
expect EACCES "openat2" "$JAILED" openat2 /etc/shadow
expect EACCES "hard link out of a denied directory" "$JAILED" link "$D/secret/f" "$D/rw/f2"
expect EACCES "rename out of a denied directory" "$JAILED" rename "$D/secret/f" "$D/rw/f3"
expect EACCES "rename a read-only file into a writable place" "$JAILED" rename "$D/ro/f" "$D/rw/f4"
expect ok "rename within a writable place" "$JAILED" rename "$D/rw/f" "$D/rw/f5"
expect EACCES "access rw: exec" "$JAILED" exec "$D/noexec/prog"
expect EACCES "access rw: mmap PROT_EXEC" "$JAILED" mmap-exec "$D/noexec/prog"
expect EACCES "access rw: mprotect PROT_EXEC" "$JAILED" mprotect-exec "$D/noexec/prog"
expect ok "not jailed: mmap PROT_EXEC of the same file" "$BJ_TRY" mmap-exec "$D/noexec/prog"
expect EACCES "deny on /var/run/X: /run/X denied" "$JAILED" open "$RUN/secret" r
expect EACCES "deny on /var/run/X: /var/run/X denied" "$JAILED" open "/var/run/bj-test-$$/secret" r
expect ok "deny on /var/run/X: its twin /run/Y allowed" "$JAILED" open "$RUN/public" r
expect EACCES "deny through a directory symlink: the real path denied" "$JAILED" open "$D/real/secret" r
expect EACCES "deny through a directory symlink: the symlinked path denied" "$JAILED" open "$D/link/secret" r
expect ok "deny through a directory symlink: its twin allowed" "$JAILED" open "$D/real/public" r
expect ok "deny through a directory symlink: its twin through the symlink allowed" "$JAILED" open "$D/link/public" r
finish
