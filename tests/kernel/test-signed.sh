#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Signed binaries (require_signed_binary). Where the kernel has the kfuncs
# (Linux 6.8+): a program with fs-verity and a signature by a trusted key
# runs, in the exec that enrolls it and afterwards; every other file of an
# exec chain or an executable mapping is refused with a record that says
# why (no fs-verity, no signature, bad signature, untrusted signer): the
# same program unsigned, signed by another key, with a tampered signature,
# without fs-verity, a copy, hard links, a script's unsigned interpreter,
# ld.so's unsigned program, an unsigned ld.so, mmap and mprotect. The
# keyring the bootstrap makes takes no key afterwards and goes with
# --unload; bad certificates are errors with their place, and leave
# nothing loaded. Where it has not (6.1): the policy is refused, exit 2.
#
# Which kernel this is, the test decides from its version, never from
# what the bootstrap says: in the test VM 6.12 and unstable must enforce
# and 6.1 must refuse.
. "$(dirname "$0")/lib.sh"

version=$(uname -r | sed -n 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
if [ "${version% *}" -gt 6 ] || { [ "${version% *}" -eq 6 ] && [ "${version#* }" -ge 8 ]; }; then
	kfuncs=yes
else
	kfuncs=no
fi
case ${BJ_VM_KERNEL:-} in
6.12 | unstable) expect yes "Debian $BJ_VM_KERNEL: Linux 6.8 or later ($(uname -r))" echo "$kfuncs" ;;
6.1) expect no "Debian 6.1: older than Linux 6.8 ($(uname -r))" echo "$kfuncs" ;;
esac

V=$T/verity
KEYS=$T/keys
mkdir "$V" "$KEYS"

# A key and its self-signed certificate: make_key NAME.
make_key() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$KEYS/$1.key" -out "$KEYS/$1.pem" -subj "/CN=bpfjailer test $1" \
		-days 2 2>/dev/null
}
make_key fleet
make_key stranger
openssl x509 -in "$KEYS/fleet.pem" -outform der -out "$KEYS/fleet.der"

# policy FILE CERTIFICATE...: a signing role enrolled by $V/signed (and a
# complain-mode twin by $V/signed-complain), trusting those certificates.
policy() {
	out=$1
	shift
	certs=
	for c in "$@"; do certs="$certs${certs:+, }\"$c\""; done
	cat >"$out" <<JSON
{
  "roles": {
    "signed": {"id": 30, "require_signed_binary": true,
               "flags": {"allow_file_access": true, "allow_exec": true}},
    "signed_complain": {"id": 31, "mode": "complain",
                        "flags": {"allow_file_access": true, "allow_exec": true, "require_signed_binary": true}}
  },
  "exec_enrollments": [
    {"executable_path": "$V/signed", "role": "signed", "pod_id": 300},
    {"executable_path": "$V/enrolled-unsigned", "role": "signed", "pod_id": 300},
    {"executable_path": "$V/signed-complain", "role": "signed_complain", "pod_id": 310}
  ],
  "signing_certificates": [$certs]
}
JSON
}
policy "$T/policy.json" "$KEYS/fleet.pem"

if [ $kfuncs = no ]; then
	REFUSAL='requires signed binaries, which needs the bpf_get_fsverity_digest, bpf_get_file_xattr and bpf_verify_pkcs7_signature kfuncs (Linux 6.8+), and this kernel lacks them'
	expect ok "no kfuncs: --check refuses the policy, exit 2, and says why" \
		check_says 2 "$REFUSAL" "$BJ_BOOTSTRAP" --check --policy "$T/policy.json"
	expect ok "no kfuncs: loading exits 2 and says why" \
		check_says 2 "$REFUSAL" "$BJ_BOOTSTRAP" --policy "$T/policy.json" --pin-root "$PIN_ROOT"
	expect "" "no kfuncs: nothing pinned" sh -c "find '$PIN_FS' -name 'bpfjailer*'"
	finish
	exit
fi

# --- bad certificates: an error with the place in the policy, nothing loaded, no keyring ---
no_keyring() {
	keyctl search @u keyring "bpfjailer:$PIN_ROOT" >/dev/null 2>&1 && echo "a keyring is left" || echo none
}
bad_certificate() { # bad_certificate WHAT FILE TEXT
	policy "$T/bad.json" "$2"
	expect ok "$1: refused with its place and why" check_says 1 "$3" "$BJ_BOOTSTRAP" --policy "$T/bad.json" \
		--pin-root "$PIN_ROOT"
	expect ok "$1: --check refuses it too" check_says 1 "$3" "$BJ_BOOTSTRAP" --check --policy "$T/bad.json"
	expect "" "$1: nothing pinned" sh -c "find '$PIN_FS' -name 'bpfjailer*'"
	expect none "$1: no keyring left" no_keyring
}
bad_certificate "a missing certificate" "$KEYS/missing.pem" \
	"signing_certificates[0]: certificate $KEYS/missing.pem: No such file or directory"
echo "not a certificate" >"$KEYS/text.pem"
bad_certificate "a file that is no certificate" "$KEYS/text.pem" \
	"signing_certificates[0]: certificate $KEYS/text.pem: neither a PEM certificate"
printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' >"$KEYS/garbage.pem"
# The kernel's own parser is the judge of what the base64 holds.
policy "$T/bad.json" "$KEYS/garbage.pem"
expect ok "a PEM block the kernel cannot read: refused with its place" \
	check_says 1 "signing_certificates[0]: certificate $KEYS/garbage.pem: the kernel refuses it" \
	"$BJ_BOOTSTRAP" --policy "$T/bad.json" --pin-root "$PIN_ROOT"
expect "" "a PEM block the kernel cannot read: nothing pinned" sh -c "find '$PIN_FS' -name 'bpfjailer*'"
expect none "a PEM block the kernel cannot read: no keyring left" no_keyring

# --- a file system with fs-verity: ext4 on a loop device ---
load_module loop
load_module ext4
# ext4's metadata checksums: crc32c, a module of its own before Linux 6.14.
! grep -q crc32c_generic /run/bjvm/modules/modules.dep || load_module crc32c_generic
truncate -s 96M "$T/verity.img"
mkfs.ext4 -q -O verity -b 4096 "$T/verity.img"
mount -o loop "$T/verity.img" "$V"
UNMOUNT="$V $UNMOUNT"

# sign FILE KEY: fs-verity's signature of FILE's digest, in its xattr.
sign() {
	fsverity sign "$1" "$T/sig" --key "$KEYS/$2.key" --cert "$KEYS/$2.pem" >/dev/null
	setfattr -n user.bpfjailer.sig -v "0s$(base64 -w0 "$T/sig")" "$1"
}
# signed_copy SOURCE NAME [KEY]: a copy with fs-verity, signed by KEY (fleet).
signed_copy() {
	cp "$1" "$V/$2"
	sign "$V/$2" "${3:-fleet}"
	fsverity enable "$V/$2"
}
verity_copy() { # verity_copy SOURCE NAME: fs-verity, no signature
	cp "$1" "$V/$2"
	fsverity enable "$V/$2"
}
signed_copy "$BJ_TRY" signed
signed_copy "$BJ_TRY" signed-complain
verity_copy "$BJ_TRY" enrolled-unsigned
verity_copy "$BJ_TRY" unsigned
signed_copy "$BJ_TRY" stranger-signed stranger
# A signature of another file: valid, by the trusted key, over the wrong digest.
cp "$BJ_TRY" "$V/tampered"
printf 'x' >>"$V/tampered"
fsverity sign "$BJ_TRY" "$T/sig" --key "$KEYS/fleet.key" --cert "$KEYS/fleet.pem" >/dev/null
setfattr -n user.bpfjailer.sig -v "0s$(base64 -w0 "$T/sig")" "$V/tampered"
fsverity enable "$V/tampered"
# The right signature with one byte of it changed.
signed_copy "$BJ_TRY" corrupted
getfattr --absolute-names --only-values -n user.bpfjailer.sig "$V/corrupted" >"$T/sig"
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[-20] ^= 0xff; open(sys.argv[1], "wb").write(b)' "$T/sig"
setfattr -n user.bpfjailer.sig -v "0s$(base64 -w0 "$T/sig")" "$V/corrupted"
# The same program and a valid signature of it, without fs-verity.
cp "$BJ_TRY" "$V/no-verity"
sign "$V/no-verity" fleet
cp "$V/signed" "$V/copy"
ln "$V/signed" "$V/hardlink-signed"
ln "$V/unsigned" "$V/hardlink-unsigned"
# Scripts: "#!INTERPRETER open" opens the script itself for reading.
printf '#!%s open\n' "$V/signed" >"$T/script"
chmod +x "$T/script"
signed_copy "$T/script" script-signed
verity_copy "$T/script" script-unsigned
printf '#!%s open\n' "$V/unsigned" >"$T/script"
signed_copy "$T/script" script-unsigned-interpreter
# ld.so, libc and a dynamic program, signed; the same program unsigned.
LDSO=$(readlink -f /lib64/ld-linux-x86-64.so.2)
LIBC=$(ldd /bin/echo | awk '/libc.so/ { print $3 }')
signed_copy "$LDSO" ld.so
signed_copy "$LIBC" libc.so.6
signed_copy /bin/echo echo
verity_copy /bin/echo echo-unsigned

bj_load "$T/policy.json"
start_forwarder --output json >"$T/records.json" 2>"$T/forwarder.err"

# --- the keyring: made, closed for good ---
KR=$(keyctl search @u keyring "bpfjailer:$PIN_ROOT" 2>/dev/null || echo none)
expect yes "the instance's keyring is in root's user keyring" sh -c "[ '$KR' != none ] && echo yes"
refused_keyctl() { "$@" >/dev/null 2>&1 && echo changed || echo refused; }
expect refused "root cannot add a key to it" refused_keyctl keyctl padd asymmetric "" "$KR" <"$KEYS/fleet.der"
expect refused "root cannot change its permissions" refused_keyctl keyctl setperm "$KR" 0x3f3f0000
expect refused "root cannot empty it" refused_keyctl keyctl clear "$KR"

# --- what runs ---
expect ok "signed: the enrolling exec runs" "$V/signed" open /etc/hostname r
expect ok "signed: runs a signed program" "$V/signed" via "$V/signed" open /etc/hostname r
expect ok "a hard link of the signed program: the same file, it runs" "$V/signed" via "$V/hardlink-signed" \
	open /etc/hostname r
expect ok "a signed script with a signed interpreter" "$V/signed" via "$V/script-signed" r
expect ok "mmap executable of a signed file" "$V/signed" mmap-exec "$V/echo"
expect ok "mprotect executable of a signed file" "$V/signed" mprotect-exec "$V/echo"
expect ok "signed ld.so with signed libc runs a signed program" \
	"$V/signed" via "$V/ld.so" --library-path "$V" "$V/echo" ok

# --- what does not ---
expect EPERM "the enrolling exec of an unsigned program fails" "$BJ_TRY" via "$V/enrolled-unsigned" \
	open /etc/hostname r
expect EPERM "unsigned" "$V/signed" via "$V/unsigned" open /etc/hostname r
expect EPERM "signed by a key the policy does not trust" "$V/signed" via "$V/stranger-signed" open /etc/hostname r
expect EPERM "another file's signature" "$V/signed" via "$V/tampered" open /etc/hostname r
expect EPERM "a signature with a changed byte" "$V/signed" via "$V/corrupted" open /etc/hostname r
expect EPERM "a valid signature, fs-verity off" "$V/signed" via "$V/no-verity" open /etc/hostname r
expect EPERM "a copy of the signed program" "$V/signed" via "$V/copy" open /etc/hostname r
expect EPERM "a hard link of an unsigned program" "$V/signed" via "$V/hardlink-unsigned" open /etc/hostname r
expect EPERM "an unsigned script, signed interpreter" "$V/signed" via "$V/script-unsigned" r
expect EPERM "a signed script, unsigned interpreter" "$V/signed" via "$V/script-unsigned-interpreter" r
expect EPERM "a program on a file system without fs-verity" "$V/signed" via "$BJ_TRY" open /etc/hostname r
expect EPERM "mmap executable of an unsigned file" "$V/signed" mmap-exec "$V/echo-unsigned"
expect EPERM "mprotect executable of an unsigned file" "$V/signed" mprotect-exec "$V/echo-unsigned"
expect EPERM "memfd and fexecve" "$V/signed" memfd-exec "$V/signed"
# ld.so maps the program itself: refused, ld.so says so and exits 127.
ld_so_of() {
	st=0
	"$@" >/dev/null 2>&1 || st=$?
	echo "exit $st"
}
expect "exit 127" "signed ld.so cannot map an unsigned program" \
	ld_so_of "$V/signed" via "$V/ld.so" --library-path "$V" "$V/echo-unsigned" ok
# The kernel maps the host's ld.so (no fs-verity) for a dynamic program: killed after the point of no return.
expect "exit 139" "a signed dynamic program whose ld.so is unsigned" ld_so_of "$V/signed" via "$V/echo" ok

# --- complain mode: runs, and says it would not ---
expect ok "complain mode: an unsigned program runs" "$V/signed-complain" via "$V/unsigned" open /etc/hostname r

sleep 1
st=0
stop_forwarder || st=$?
expect 0 "the forwarder exits 0 on SIGTERM" echo "$st"

# record ROLE PATH: decision, pod and reason of ROLE's signature record of PATH.
record() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("hook") == "signature" and r.get("role") == sys.argv[2] and r.get("path") == sys.argv[3]:
        print(r.get("decision"), r.get("pod_id"), r.get("reason"))
        break
else:
    print("no record")' "$T/records.json" "$1" "$2"
}
expect "denied 300 no signature" "record: the enrolling exec, in the role it enters" record signed "$V/enrolled-unsigned"
expect "denied 300 no signature" "record: unsigned" record signed "$V/unsigned"
expect "denied 300 untrusted signer" "record: another key" record signed "$V/stranger-signed"
expect "denied 300 bad signature" "record: another file's signature" record signed "$V/tampered"
expect "denied 300 bad signature" "record: a changed byte" record signed "$V/corrupted"
expect "denied 300 no fs-verity" "record: fs-verity off" record signed "$V/no-verity"
expect "denied 300 no fs-verity" "record: a copy" record signed "$V/copy"
expect "denied 300 no signature" "record: a hard link of an unsigned program" record signed "$V/hardlink-unsigned"
expect "denied 300 no signature" "record: an unsigned script" record signed "$V/script-unsigned"
expect "denied 300 no fs-verity" "record: a file system without fs-verity" record signed "$BJ_TRY"
expect "denied 300 no signature" "record: ld.so's unsigned program, mmap and mprotect" record signed "$V/echo-unsigned"
expect "denied 300 no fs-verity" "record: the host's ld.so" record signed "$LDSO"
expect "would deny 310 no signature" "record: complain mode" record signed_complain "$V/unsigned"

# --- unload: the keyring goes with the instance ---
"$BJ_BOOTSTRAP" --unload --pin-root "$PIN_ROOT" >/dev/null
expect none "--unload lets the keyring go" no_keyring

# --- the kernel's own keyrings: the fleet's key is in none of them ---
policy "$T/system.json"
sed -i 's|"signing_certificates": \[\]|"signing_keyrings": ["builtin", "secondary", "platform"]|' "$T/system.json"
bj_load "$T/system.json"
expect none "kernel keyrings only: no keyring of the instance's own" no_keyring
start_forwarder --output json >"$T/records.json" 2>"$T/forwarder.err"
expect EPERM "kernel keyrings only: a program signed by the fleet's key is untrusted" \
	"$BJ_TRY" via "$V/signed" open /etc/hostname r
sleep 1
st=0
stop_forwarder || st=$?
expect "denied 300 untrusted signer" "record: checked against the kernel's keyrings" record signed "$V/signed"
finish
