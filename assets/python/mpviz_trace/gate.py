"""Step mode for Python processes: the child side of engine/gate_table.hpp.

The supervisor hands every process of a run one shared table (a memfd,
MPVIZ_GATE_FD). While the engine holds the run, a process announces the
operation it is about to do in its own slot and waits (futex, in bounded
slices) until the engine grants it or lets everything run. The byte layout
below must match gate_table.hpp (checked there by static_asserts).

Python has no compare-and-swap, so a process claims its slot under a POSIX
record lock on the table's fd (per process, not inherited by fork): only
Python processes use the table in Python mode. The engine orders pending
operations by `seq`; CLOCK_MONOTONIC nanoseconds give the arrival order
without a shared counter."""
import ctypes
import fcntl
import mmap
import os
import platform
import struct
import time

MAGIC = 0x4D504754      # "MPGT"
MAX_SLOTS = 512
SLOTS_AT = 32           # offsetof(Table, slots)
SLOT_SIZE = 64          # sizeof(Slot)
TABLE_SIZE = SLOTS_AT + MAX_SLOTS * SLOT_SIZE
MODE_AT, SPEED_AT, DROPPED_AT = 4, 8, 16
# In a slot: pid i32 @0, state u32 @4 (the futex word), seq u64 @8,
# kind u8 @16, obj char[40] @17.
RUN_FREE, HELD = 0, 1
IDLE, PENDING = 0, 1
OBJ_LEN = 40

_SYS_FUTEX = {"x86_64": 202, "aarch64": 98, "i686": 240, "armv7l": 240}.get(platform.machine(), 202)
_FUTEX_WAIT = 0


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


class Gate:
    def __init__(self, fd):
        self.fd = fd
        self.mm = mmap.mmap(fd, TABLE_SIZE, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        self.u32 = memoryview(self.mm).cast("I")
        self.base = ctypes.addressof(ctypes.c_char.from_buffer(self.mm))
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.slot = None  # byte offset of this process's slot
        self.owner = 0    # the pid that claimed it (a forked child must claim anew)

    def valid(self):
        return self.u32[0] == MAGIC

    def held(self):
        return self.u32[MODE_AT // 4] == HELD

    def speed(self, fallback):
        bits, = struct.unpack_from("<Q", self.mm, SPEED_AT)
        if bits == 0 and fallback != 0:
            return fallback
        return struct.unpack_from("<d", self.mm, SPEED_AT)[0]

    def count_dropped(self):
        fcntl.lockf(self.fd, fcntl.LOCK_EX)
        try:
            n, = struct.unpack_from("<Q", self.mm, DROPPED_AT)
            struct.pack_into("<Q", self.mm, DROPPED_AT, n + 1)
        finally:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)

    def _my_slot(self):
        me = os.getpid()
        if self.slot is not None and self.owner == me:
            return self.slot
        self.slot = None
        fcntl.lockf(self.fd, fcntl.LOCK_EX)
        try:
            for i in range(MAX_SLOTS):
                at = SLOTS_AT + i * SLOT_SIZE
                if self.u32[at // 4] == 0:
                    self.u32[at // 4] = me
                    self.slot, self.owner = at, me
                    break
        finally:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)
        return self.slot  # None: table full, this process runs ungated

    def release_slot(self):
        if self.slot is not None and self.owner == os.getpid():
            self.u32[(self.slot + 4) // 4] = IDLE
            self.u32[self.slot // 4] = 0
        self.slot = None

    def wait_turn(self, kind, obj, before_wait):
        """Blocks while the engine holds this process before `kind` on `obj`.
        Returns True if the process was held."""
        if not self.held():
            return False
        at = self._my_slot()
        if at is None:
            return False
        before_wait()  # everything said so far is visible while we are held
        name = str(obj).encode("utf-8", "replace")[:OBJ_LEN - 1]
        self.mm[at + 16] = kind
        self.mm[at + 17:at + 17 + OBJ_LEN] = name.ljust(OBJ_LEN, b"\0")
        struct.pack_into("<Q", self.mm, at + 8, time.monotonic_ns())
        state = (at + 4) // 4
        self.u32[state] = PENDING
        ts = _Timespec(0, 100_000_000)
        addr = ctypes.c_void_p(self.base + at + 4)
        # Bounded slices: the engine may switch to free running without a wake.
        while self.u32[state] == PENDING and self.held():
            self.libc.syscall(ctypes.c_long(_SYS_FUTEX), addr, ctypes.c_int(_FUTEX_WAIT),
                              ctypes.c_int(PENDING), ctypes.byref(ts), None, ctypes.c_int(0))
        self.u32[state] = IDLE
        return True


def attach(fd):
    """The run's gate table, or None (no table, or not ours)."""
    try:
        g = Gate(fd)
    except (OSError, ValueError):
        return None
    return g if g.valid() else None
