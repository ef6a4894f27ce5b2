#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# File rules: most specific wins, deny wins ties, access letters, paths as the
# task sees them across mounts, and the indirect ways to reach a file.
. "$(dirname "$0")/lib.sh"

JAILED=$(jailed_copy jailed)
D=$T/data
mkdir -p "$D/ro" "$D/secret" "$D/other" "$D/rw" "$D/noexec"
for f in ro/f secret/f secret/public.txt other/public.txt rw/f; do echo data >"$D/$f"; done
cp "$BJ_TRY" "$D/noexec/prog"
ln -s /etc/shadow "$D/rw/shadow-link"

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
        {"pattern": "$D/noexec/", "allow": true, "access": "rw"}
      ]
    }
  },
  "exec_enrollments": [{"executable_path": "$JAILED", "pod_id": 7, "role": "files"}]
}
JSON
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
finish
