#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Remembered directories (bpf/path.bpf.h): the automaton state a directory's
# path reached is kept per directory, and a stale entry is a bypass. Each
# case opens a file (the directory is remembered), changes the directory's
# path without touching the directory, and opens the file again: the
# second open must be decided on the new path. With the checks that
# invalidate entries switched off (-Dbroken_hook=dir_cache, the suite's
# selftest) these fail. Mounts things: VM only.
. "$(dirname "$0")/lib.sh"

JAILED=$(jailed_copy jailed)
D=$T/data
S=$D/secret
mkdir -p "$S"
# file DIR...: each DIR made, with a file f in it.
file() {
	for dir in "$@"; do
		mkdir -p "$dir"
		echo data >"$dir/f"
	done
}

# Seen from inside $D/croot, a directory of that name is refused.
CS=bj-chroot-secret-$$

cat >"$T/policy.json" <<JSON
{
  "roles": {
    "cached": {
      "id": 60,
      "flags": {"allow_file_access": true, "allow_exec": true},
      "file_paths": [
        {"pattern": "$S/", "allow": false},
        {"pattern": "/$CS/", "allow": false}
      ]
    }
  },
  "exec_enrollments": [{"executable_path": "$JAILED", "pod_id": 7, "role": "cached"}]
}
JSON
bj_load "$T/policy.json"

# remembered: how many times a directory was remembered in the instance's
# dir_states (each write adds 2 to its slot's count, gen).
remembered() {
	bpftool -j map dump pinned "$PIN_ROOT/maps/dir_states" |
		grep -o '"gen":[0-9]*' | awk -F: '{ n += $2 } END { print n / 2 }'
}

# held: how many directories dir_states holds now (slots whose dir is set).
held() {
	bpftool -j map dump pinned "$PIN_ROOT/maps/dir_states" | grep -o '"dir":[1-9]' | wc -l
}

# 1. Entries are made, and used: the check that makes this test mean anything.
file "$D/first"
before=$(remembered)
expect ok "open: a file in a directory not seen before" "$JAILED" open "$D/first/f" r
after=$(remembered)
expect ok "... and its directory is remembered ($before -> $after)" sh -c "[ $after -gt $before ] && echo ok"
expect ok "... and a second open in it is allowed" "$JAILED" open "$D/first/f" r
expect EACCES "a refused directory stays refused when remembered" sh -c \
	"$JAILED open '$S/f' r >/dev/null 2>&1; echo data >'$S/f'; $JAILED open '$S/f' r"

# 2. Renames: of the directory, of an ancestor, both ways by RENAME_EXCHANGE.
file "$D/open1"
expect ok "rename: before, allowed" "$JAILED" open "$D/open1/f" r
mv "$D/open1" "$S/moved1"
expect EACCES "rename: the directory moved under a refused one" "$JAILED" open "$S/moved1/f" r

file "$D/anc/mid/leaf"
expect ok "ancestor rename: before, allowed" "$JAILED" open "$D/anc/mid/leaf/f" r
mv "$D/anc" "$S/anc"
expect EACCES "ancestor rename: a grandparent moved under a refused one" "$JAILED" open "$S/anc/mid/leaf/f" r

file "$D/ex1" "$S/ex2"
echo one >"$D/ex1/which"
expect ok "exchange: before, the open side allowed" "$JAILED" open "$D/ex1/f" r
expect EACCES "exchange: before, the refused side refused" "$JAILED" open "$S/ex2/f" r
"$BJ_TRY" exchange "$D/ex1" "$S/ex2" >/dev/null
expect ok "exchange: it happened" sh -c "grep -qx one '$S/ex2/which' && echo ok"
expect EACCES "exchange: the open directory, now in the refused place" "$JAILED" open "$S/ex2/f" r
expect ok "exchange: the refused directory, now in the open place" "$JAILED" open "$D/ex1/f" r

# 3. Mounts: a bind mount, a moved mount, a lazily unmounted one.
file "$D/pub/sub"
expect ok "bind mount: before, allowed" "$JAILED" open "$D/pub/sub/f" r
mkdir "$S/bind"
mount --bind "$D/pub" "$S/bind"
UNMOUNT="$S/bind $UNMOUNT"
expect EACCES "bind mount: the same directory through a mount in a refused place" "$JAILED" open "$S/bind/sub/f" r
expect ok "bind mount: and still allowed where it was" "$JAILED" open "$D/pub/sub/f" r

mkdir "$D/mv" "$S/mvdst"
mount -t tmpfs -o size=1m bj-dircache "$D/mv"
mount --make-private "$D/mv"
file "$D/mv/sub"
expect ok "mount --move: before, allowed" "$JAILED" open "$D/mv/sub/f" r
mount --move "$D/mv" "$S/mvdst"
UNMOUNT="$S/mvdst $UNMOUNT"
expect EACCES "mount --move: the mount moved under a refused directory" "$JAILED" open "$S/mvdst/sub/f" r

mkdir "$D/um"
mount -t tmpfs -o size=1m bj-dircache "$D/um"
file "$D/um/sub"
"$JAILED" reopen-when "$D/um/sub" f "$T/unmounted" >"$T/reopen.out" 2>&1 &
reopen=$!
PIDS="$reopen $PIDS"
# The first open (allowed) has happened once the directory is remembered.
for _ in $(seq 100); do
	[ "$(remembered)" -gt "$after" ] && break
	sleep 0.1
done
umount -l "$D/um"
touch "$T/unmounted"
wait "$reopen" || true
expect EACCES "lazy unmount: the same directory, now detached, refused" tail -n 1 "$T/reopen.out"

# 4. Another root, another mount namespace.
file "$D/croot/$CS"
ln "$JAILED" "$D/croot/jailed"
expect ok "chroot: before, allowed as $D/croot/$CS" "$JAILED" open "$D/croot/$CS/f" r
expect EACCES "chroot: the same directory is /$CS to a task rooted there" chroot "$D/croot" /jailed open "/$CS/f" r

file "$D/nspub/sub"
mkdir "$S/nsbind"
expect ok "mount namespace: before, allowed" "$JAILED" open "$D/nspub/sub/f" r
expect EACCES "mount namespace: the directory bound in a refused place of a new namespace" \
	unshare -m --propagation private sh -c "mount --bind '$D/nspub' '$S/nsbind' && '$JAILED' open '$S/nsbind/sub/f' r"

# 5. File systems whose renames no hook sees are never remembered.
n=$(remembered)
expect ok "procfs: a file allowed" "$JAILED" open /proc/self/status r
expect ok "sysfs: a file allowed" "$JAILED" open /sys/kernel/uevent_seqnum r
expect "$n" "... and neither directory remembered" remembered

# 6. A freed directory is forgotten: a new one at its address starts afresh.
file "$D/gone"
expect ok "forget: a file allowed" "$JAILED" open "$D/gone/f" r
n=$(held)
rm -r "$D/gone"
# Fewer, not exactly one fewer: other directories of this test may go meanwhile.
m=$(held)
expect ok "... and its directory forgotten once removed ($n -> $m)" sh -c "[ $m -lt $n ] && echo ok"
finish
