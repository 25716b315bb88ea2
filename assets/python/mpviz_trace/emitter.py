"""Batched emission for Python processes, as engine/runtime/emitter.cpp does
for C++ ones: frames are collected and written together, at most PIPE_BUF
bytes per write() (so writes from many processes never interleave).

The buffer is flushed when it is full, when its oldest frame is older than
1 ms at the next emit, and by the tracer before anything that can block
(sleep, a contended acquire, get, recv, join, a step gate), on print (the
console is the student's only output), before fork, at exit and on SIGTERM:
a process that blocks or dies has already said what it was doing."""
import atexit
import os
import select
import signal
import threading
import time

PIPE_BUF = 4096
MAX_AGE_NS = 1_000_000
FULL_PIPE_WAIT_S = 1.0  # a full pipe: wait this long for room, then drop


class Emitter:
    def __init__(self, fd, on_drop):
        self.fd = fd
        self.on_drop = on_drop  # counts a dropped frame batch in the gate table
        self.buf = bytearray()
        self.oldest = 0
        self.lock = threading.Lock()

    def emit(self, frame, now_ns):
        with self.lock:
            if len(self.buf) + len(frame) > PIPE_BUF:
                self._write()
            if not self.buf:
                self.oldest = now_ns
            self.buf += frame
            if now_ns - self.oldest >= MAX_AGE_NS:
                self._write()

    def flush(self):
        with self.lock:
            self._write()

    def _write(self):
        if not self.buf:
            return
        data = bytes(self.buf)
        self.buf.clear()
        deadline = None
        while True:
            try:
                os.write(self.fd, data)  # <= PIPE_BUF: all or nothing
                return
            except BlockingIOError:
                # The engine reads slowly: wait for room, boundedly.
                deadline = deadline or time.monotonic() + FULL_PIPE_WAIT_S
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                select.select([], [self.fd], [], left)
            except InterruptedError:
                continue
            except OSError:  # EPIPE: the engine is gone
                return
        for _ in range(data.count(b"MPVZ")):
            self.on_drop()

    def after_fork_in_child(self):
        # The parent's pending frames are the parent's to write.
        self.buf.clear()
        self.lock = threading.Lock()


class FastEmitter:
    """The same emitter in C (core's _mpviz_fast): emit() is the module's own,
    called by core directly; these are the hooks install() registers."""

    def __init__(self, fast):
        self.flush = fast.flush
        self._write = fast.flush  # no lock to skip: the GIL is the C emitter's lock
        self.after_fork_in_child = fast.after_fork_in_child


def install(em, on_terminate=None):
    """Flush before fork and at exit; make SIGTERM flush (and call
    `on_terminate`) before it kills."""
    os.register_at_fork(before=em.flush, after_in_child=em.after_fork_in_child)
    atexit.register(em.flush)
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        def on_sigterm(signum, frame):
            try:
                # Runs between two bytecodes of the main thread, which may be
                # inside emit() holding the lock: write without it.
                em._write()
                if on_terminate is not None:
                    on_terminate()
            finally:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.kill(os.getpid(), signal.SIGTERM)
        try:
            signal.signal(signal.SIGTERM, on_sigterm)
        except ValueError:  # not the main thread
            pass
