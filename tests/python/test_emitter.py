"""The Python tracer's batching emitter (assets/python/mpviz_trace/emitter.py)
on a real pipe: batches stay whole frames under PIPE_BUF, and a pipe nobody
reads makes it drop and count, never hang. Run by ctest with /usr/bin/python3."""
import fcntl
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "assets", "python"))
from mpviz_trace import emitter, wire  # noqa: E402


def frame(i):
    return wire.encode("print", 1234, i, text="line %d" % i)


class EmitterTest(unittest.TestCase):
    def setUp(self):
        self.r, self.w = os.pipe()
        fcntl.fcntl(self.w, fcntl.F_SETFL, fcntl.fcntl(self.w, fcntl.F_GETFL) | os.O_NONBLOCK)
        self.dropped = 0

    def tearDown(self):
        os.close(self.r)
        os.close(self.w)

    def count(self):
        self.dropped += 1

    def test_batches_are_whole_frames_under_pipe_buf(self):
        em = emitter.Emitter(self.w, self.count)
        frames = [frame(i) for i in range(200)]
        for i, f in enumerate(frames):
            em.emit(f, 0)  # one instant: only size makes it write
        em.flush()
        data = b""
        fcntl.fcntl(self.r, fcntl.F_SETFL, os.O_NONBLOCK)
        try:
            while True:
                chunk = os.read(self.r, 65536)
                if not chunk:
                    break
                data += chunk
        except BlockingIOError:
            pass
        self.assertEqual(data, b"".join(frames))
        self.assertEqual(self.dropped, 0)

    def test_a_full_pipe_drops_and_counts_instead_of_hanging(self):
        old = emitter.FULL_PIPE_WAIT_S
        emitter.FULL_PIPE_WAIT_S = 0.2
        try:
            os.write(self.w, b"x" * 4096)
            while True:  # fill the pipe
                try:
                    os.write(self.w, b"x" * 4096)
                except BlockingIOError:
                    break
            em = emitter.Emitter(self.w, self.count)
            em.emit(frame(1), 0)
            em.emit(frame(2), 0)
            em.flush()  # a bounded wait (a hang would hit ctest's timeout)
            self.assertEqual(self.dropped, 2, "one count per dropped frame")
            self.assertEqual(em.buf, bytearray())
        finally:
            emitter.FULL_PIPE_WAIT_S = old


if __name__ == "__main__":
    unittest.main()
