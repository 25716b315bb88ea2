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
_failures = 0         # tracer failures caught in this process (reported at exit)


def _failed():
    """Counts one failure inside the tracer: the program's operation still
    happens; the tracer only loses (part of) an event."""
    global _failures
    _failures += 1


def _now():
    return time.monotonic_ns()


def _user_frame():
    """The innermost frame outside the standard library and this package,
    or None when the call comes from multiprocessing's own machinery."""
    try:
        return _find_user_frame(sys._getframe(2))
    except Exception:
        _failed()
        return None


def _find_user_frame(f):
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
    except Exception:  # e.g. an item whose __str__ raises: the event is lost, not the operation
        _failed()
    finally:
        _tls.busy = False


def safe(fn, *a, default=None, **kw):
    """Runs a piece of the tracer's own bookkeeping; never raises."""
    try:
        return fn(*a, **kw)
    except Exception:
        _failed()
        return default


def _scaled(seconds):
    if seconds is None:
        return None
    speed = _GATE.speed(_SPEED) if _GATE is not None else _SPEED  # the teacher may change it live
    return 0 if speed <= 0 else seconds / speed


def _flush():
    """Makes every event emitted so far visible to the engine."""
    if _EMITTER is not None:
        try:
            _EMITTER.flush()
        except Exception:
            _failed()


def _name(obj, frame, default):
    """naming.name_of, never raising."""
    from .naming import name_of
    try:
        return name_of(obj, frame, default)
    except Exception:
        _failed()
        return default


def _hide_own_frames():
    """A student's traceback under mpviz equals the one without: the
    traceback module (used by Process._bootstrap, Pool workers, and by
    sys.excepthook below) skips this package's frames."""
    import traceback

    def without_ours(walk):
        def walk_tb(tb):
            for item in walk(tb):
                if not item[0].f_code.co_filename.startswith(_HERE):
                    yield item
        return walk_tb

    for attr in ("walk_tb", "_walk_tb_with_full_positions"):
        if hasattr(traceback, attr):
            setattr(traceback, attr, without_ours(getattr(traceback, attr)))
    if sys.excepthook is sys.__excepthook__:
        def excepthook(tp, value, tb):
            try:
                traceback.print_exception(tp, value, tb)
            except Exception:
                sys.__excepthook__(tp, value, tb)
        sys.excepthook = excepthook


def _count_dropped():
    if _GATE is not None:
        _GATE.count_dropped()


def _pass(kind, obj=""):
    """Step mode: waits while the engine holds this process before `kind`.
    True if the process was held (a held sleep then takes no wall time)."""
    if _GATE is None:
        return False
    try:
        return _GATE.wait_turn(wire.KINDS[kind], obj, _flush)
    except Exception:
        _failed()
        return False


def _report_failures():
    if _failures:
        try:
            os.write(2, b"mpviz: the tracer lost %d event(s) in process %d (the program ran unchanged)\n"
                     % (_failures, os.getpid()))
        except OSError:
            pass


def install(on_terminate):
    """Opens the run's event pipe and gate. on_terminate runs on SIGTERM,
    before the final flush."""
    global _FD, _SPEED, _GATE, _EMITTER
    _hide_own_frames()
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
    atexit.register(_report_failures)
