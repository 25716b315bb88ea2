"""The tracer's shared core in one process: the event pipe, the step-mode gate,
the batching emitter and the --speed factor (set up by install()), and the
helpers every family uses: emit, the program's own frame, the step-mode pass,
flush and the scaling of timeouts."""
import os
import sys
import threading
import time

from . import emitter, gate, wire

_FD = -1
_GATE = None          # the run's step-mode table (gate.Gate) or None
_EMITTER = None       # emitter.Emitter: batches frames into PIPE_BUF writes
_SPEED = 1.0
_STDLIB_MP = os.path.dirname(os.__file__)  # .../lib/python3.X
_HERE = os.path.dirname(__file__)          # this package: never the program's frame
_tls = threading.local()


def _now():
    return time.monotonic_ns()


def _user_frame():
    """The innermost frame outside the standard library and this package,
    or None when the call comes from multiprocessing's own machinery."""
    f = sys._getframe(2)
    while f is not None:
        fn = f.f_code.co_filename
        if fn.startswith(_HERE):
            f = f.f_back
            continue
        if fn.startswith(_STDLIB_MP) and "site-packages" not in fn:
            return None
        return f
    return None


def emit(kind, frame=None, pid=None, t=None, **fields):
    if _FD < 0 or getattr(_tls, "busy", False):
        return
    _tls.busy = True
    try:
        line = frame.f_lineno if frame is not None else 0
        now = _now()
        _EMITTER.emit(wire.encode(kind, pid or os.getpid(), t or now, line=line, **fields), now)
    finally:
        _tls.busy = False


def _scaled(seconds):
    if seconds is None:
        return None
    speed = _GATE.speed(_SPEED) if _GATE is not None else _SPEED  # the teacher may change it live
    return 0 if speed <= 0 else seconds / speed


def _flush():
    """Makes every event emitted so far visible to the engine."""
    if _EMITTER is not None:
        _EMITTER.flush()


def _count_dropped():
    if _GATE is not None:
        _GATE.count_dropped()


def _pass(kind, obj=""):
    """Step mode: waits while the engine holds this process before `kind`.
    True if the process was held (a held sleep then takes no wall time)."""
    if _GATE is None:
        return False
    return _GATE.wait_turn(wire.KINDS[kind], obj, _flush)


def install(on_terminate):
    """Opens the run's event pipe and gate. on_terminate runs on SIGTERM,
    before the final flush."""
    global _FD, _SPEED, _GATE, _EMITTER
    _FD = int(os.environ["MPVIZ_EVENT_FD"])
    if os.environ.get("MPVIZ_GATE_FD"):
        _GATE = gate.attach(int(os.environ["MPVIZ_GATE_FD"]))
    _EMITTER = emitter.Emitter(_FD, _count_dropped)
    # Before multiprocessing is imported: its exit handler (joining children,
    # reporting their ends) must run before our final flush (atexit is LIFO).
    emitter.install(_EMITTER, on_terminate)
    try:
        _SPEED = float(os.environ.get("MPVIZ_SPEED", "1"))
    except ValueError:
        _SPEED = 1.0
    import multiprocessing  # noqa: F401 (registers its exit handler)
    # Runs before multiprocessing's exit handler, which may wait a long
    # time joining children: what the main process said is visible first.
    import atexit
    atexit.register(_flush)
