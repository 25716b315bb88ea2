"""The tracer's C hot path (_mpviz_fast, tracer_ext/) against its pure-Python
twin: the same emit() calls give the same events (decoded here from the
C side's compact version-3 frames and the pure side's version-1 frames, as
engine/wire/wire_codec.cpp decodes them), and the C frame walk finds the
same program frame. Run by ctest with /usr/bin/python3:
    test_fast.py EXT_DIR"""
import fcntl
import os
import struct
import sys
import unittest
import zlib

EXT_DIR = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ.get("MPVIZ_TRACER_EXT_DIR", "")
os.environ["MPVIZ_TRACER_EXT_DIR"] = EXT_DIR
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "assets", "python"))
from mpviz_trace import core, emitter, wire  # noqa: E402

FIELDS = ("kind", "flags", "pid", "t_ns", "other", "value", "limit", "seconds", "line", "name", "text")


def _crc_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 if c & 1 else 0)
        t.append(c)
    return t


_CRC32C = _crc_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC32C[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def varint(p, i):
    v = shift = 0
    while True:
        b = p[i]
        i += 1
        v |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return v, i


def unzig(u):
    return (u >> 1) ^ -(u & 1)


def decode(stream):
    """Every event in a byte stream of frames (versions 1 and 3)."""
    out, i = [], 0
    while i < len(stream):
        magic, version, _, n, crc = struct.unpack_from("<4sBBHI", stream, i)
        assert magic == b"MPVZ", stream[i:i + 16]
        p = stream[i + 12:i + 12 + n]
        i += 12 + n
        if version == 1:
            assert zlib.crc32(p) == crc
            j = 0
            while j < len(p):
                ev = list(struct.unpack_from("<BBiqiqqdi", p, j))
                j += 46
                for _ in range(2):
                    ln, = struct.unpack_from("<H", p, j)
                    ev.append(p[j + 2:j + 2 + ln].decode("utf-8", "replace"))
                    j += 2 + ln
                out.append(tuple(ev))
            continue
        assert version == 3, version
        assert crc32c(p) == crc
        base_t, base_pid = struct.unpack_from("<qi", p, 0)
        j = 12
        while j < len(p):
            kind, flags, mask = p[j], p[j + 1], p[j + 2]
            j += 3
            dt, j = varint(p, j)
            ev = dict(kind=kind, flags=flags, pid=base_pid, t_ns=base_t + unzig(dt), other=0,
                      value=0, limit=0, seconds=0.0, line=0, name="", text="")
            for bit, field in ((1, "pid"), (2, "other"), (4, "value"), (8, "limit")):
                if mask & bit:
                    u, j = varint(p, j)
                    ev[field] = unzig(u)
            if mask & 16:
                ev["seconds"], = struct.unpack_from("<d", p, j)
                j += 8
            if mask & 32:
                u, j = varint(p, j)
                ev["line"] = unzig(u)
            for bit, field in ((64, "name"), (128, "text")):
                if mask & bit:
                    ln, j = varint(p, j)
                    ev[field] = p[j:j + ln].decode("utf-8", "replace")
                    j += ln
            out.append(tuple(ev[f] for f in FIELDS))
    return out


def read_all(fd):
    data = b""
    try:
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
    except BlockingIOError:
        pass
    return data


def calls(emit, frame):
    """The same emit() calls as the families make, with fixed pids and times."""
    long_text = "é" * 1000 + "x" * 10  # cut at 1500 bytes with "..."
    emit("process_start", pid=4242, t=10, other=1, name="Process-1", flags=wire.FLAG_SPAWN)
    emit("lock_wait", frame, t=11, name="lock")
    emit("lock_acquire", frame, t=12, name="lock")
    emit("lock_release", frame, t=5, name="lock")  # earlier than the batch's first
    emit("sem_wait", frame, t=20, name="sem", value=2)
    emit("sleep_begin", frame, t=21, seconds=0.25)
    emit("print", frame, t=22, text="hello \ud800 world")  # a lone surrogate
    emit("print", frame, t=23, text=long_text)
    emit("print", t=24, text=12345)  # not a str: str() of it
    emit("queue_put", frame, t=25, name="q", value=-3, limit=7)
    emit("process_exit", pid=4243, t=26, value=1, text="")
    for i in range(300):  # more than one batch
        emit("print", frame, t=100 + i, text="line %d" % i)


class FastTest(unittest.TestCase):
    def setUp(self):
        self.assertIsNotNone(core._fast, "the extension did not load from %r" % EXT_DIR)
        self.fast = core._fast

    def pipe(self):
        r, w = os.pipe()
        fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)
        fcntl.fcntl(r, fcntl.F_SETFL, os.O_NONBLOCK)
        return r, w

    def test_the_same_events_as_the_pure_tracer(self):
        def suspended():
            yield sys._getframe()  # a frame whose line stays put
        gen = suspended()
        frame = next(gen)
        r1, w1 = self.pipe()
        r2, w2 = self.pipe()
        try:
            pure = emitter.Emitter(w1, lambda: None)

            def pure_emit(kind, frame=None, pid=None, t=None, **fields):
                line = frame.f_lineno if frame is not None else 0
                pure.emit(wire.encode(kind, pid or os.getpid(), t, line=line, **fields), 0)

            calls(pure_emit, frame)
            pure.flush()
            self.fast.configure(w2, lambda: None, wire.KINDS, core._HERE, core._STDLIB_MP)
            calls(self.fast.emit, frame)
            self.fast.flush()
            a, b = decode(read_all(r1)), decode(read_all(r2))
        finally:
            self.fast.configure(-1, lambda: None, wire.KINDS, core._HERE, core._STDLIB_MP)
            for fd in (r1, w1, r2, w2):
                os.close(fd)
        self.assertEqual(len(a), 311)
        self.assertEqual(a, b)
        self.assertTrue(b[7][10].endswith("..."), b[7][10][-20:])  # cut as wire._cut cuts

    def test_batches_are_whole_frames_under_pipe_buf(self):
        r, w = self.pipe()
        try:
            self.fast.configure(w, lambda: None, wire.KINDS, core._HERE, core._STDLIB_MP)
            for i in range(2000):
                self.fast.emit("print", t=1 + i, text="x" * (i % 50))
            self.fast.flush()
            data = read_all(r)
        finally:
            self.fast.configure(-1, lambda: None, wire.KINDS, core._HERE, core._STDLIB_MP)
            os.close(r)
            os.close(w)
        i = frames = 0
        while i < len(data):
            n, = struct.unpack_from("<H", data, i + 6)
            self.assertLessEqual(12 + n, 4096)
            i += 12 + n
            frames += 1
        self.assertEqual(len(decode(data)), 2000)
        self.assertLess(frames, 2000 // 20, "batched, not one frame per event")

    def test_a_full_pipe_drops_and_counts_instead_of_hanging(self):
        r, w = self.pipe()
        dropped = []
        try:
            while True:
                try:
                    os.write(w, b"x" * 4096)
                except BlockingIOError:
                    break
            self.fast.configure(w, lambda: dropped.append(1), wire.KINDS, core._HERE, core._STDLIB_MP)
            self.fast.emit("print", t=1, text="a")
            self.fast.emit("print", t=2, text="b")
            self.fast.flush()  # a bounded wait (1 s), then one dropped frame
        finally:
            self.fast.configure(-1, lambda: None, wire.KINDS, core._HERE, core._STDLIB_MP)
            os.close(r)
            os.close(w)
        self.assertEqual(dropped, [1])

    def test_user_frame_is_the_programs_frame(self):
        # Called from a function of the tracer package, as the families do.
        ns = {}
        exec(compile("def probe(f):\n    return f()\n", os.path.join(core._HERE, "probe.py"), "exec"), ns)
        me = sys._getframe()
        self.assertIs(ns["probe"](self.fast.user_frame), me)
        self.assertIs(ns["probe"](core._pure_user_frame), me)


if __name__ == "__main__":
    unittest.main()
