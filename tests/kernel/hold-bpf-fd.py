#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# hold-bpf-fd.py PIN: open the pinned BPF object (BPF_OBJ_GET), print "held",
# and keep it open until killed: its program cannot go while this runs.
import ctypes
import struct
import sys
import time

SYS_BPF = 321  # x86_64
BPF_OBJ_GET = 7

libc = ctypes.CDLL(None, use_errno=True)
path = ctypes.create_string_buffer(sys.argv[1].encode())
attr = ctypes.create_string_buffer(struct.pack("QIIi4x", ctypes.addressof(path), 0, 0, 0), 24)
fd = libc.syscall(SYS_BPF, BPF_OBJ_GET, attr, 24)
if fd < 0:
    print("error", ctypes.get_errno(), flush=True)
    sys.exit(1)
print("held", flush=True)
time.sleep(600)
