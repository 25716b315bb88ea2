"""The tracer's shared core in one process: the event pipe, the step-mode gate,
the batching emitter and the --speed factor (set up by install()), and the
helpers every family uses: emit, the program's own frame, the step-mode pass,
flush and the scaling of timeouts.

The per-operation part (the program's frame, emit with its encoding and
batching, the step-mode check, the clock) runs in C when the extension
_mpviz_fast loads: built for this very interpreter, found in
MPVIZ_TRACER_EXT_DIR (set by mpviz to its build output). Otherwise, and
always with MPVIZ_TRACER_PURE=1, the pure-Python functions below run: the
same events, the same bytes. PATH says which ("fast" or "pure")."""
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
_PID = 0              # cached os.getpid() (a syscall: microseconds on a VM)


_INTERNAL_CODE = {}  # id -> code: the "<string>" code found to be multiprocessing's


def _is_internal(code):
    """multiprocessing's code that is not in its files: sharedctypes compiles
    the synchronized wrappers' property accessors (a Value's .value) from a
    template, file "<string>", so the Value's own lock would look like the
    program's. Asked only for "<string>" frames; sharedctypes is looked up,
    never imported here (importing it early breaks spawned pools)."""
    if id(code) in _INTERNAL_CODE:
        return True
    sc = sys.modules.get("multiprocessing.sharedctypes")
    if sc is None:
        return False
    for prop in list(getattr(sc, "prop_cache", {}).values()):
        if code is getattr(prop.fget, "__code__", None) or code is getattr(prop.fset, "__code__", None):
            _INTERNAL_CODE[id(code)] = code  # kept alive: the id stays its own
            return True
    return False


def _load_fast():
    """The C hot path, or None: not built, another interpreter, or refused."""
    if os.environ.get("MPVIZ_TRACER_PURE") == "1":
        return None
    where = os.environ.get("MPVIZ_TRACER_EXT_DIR")
    if not where:
        return None
    try:
        import importlib.machinery
        import importlib.util
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(where, "_mpviz_fast" + suffix)
            if not os.path.isfile(path):
                continue
            spec = importlib.util.spec_from_file_location("_mpviz_fast", path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)  # ImportError: built for another CPython
            built = mod.BUILT_FOR_PYTHON
            if built and os.path.realpath(built) != os.path.realpath(sys.executable):
                return None
            return mod
    except Exception:  # anything wrong with it: the pure path still works
        return None
    return None


_fast = _load_fast()
PATH = "fast" if _fast is not None else "pure"


def _forget_pid():
    global _PID
    _PID = 0


os.register_at_fork(after_in_child=_forget_pid)


def _getpid():
    global _PID
    if not _PID:
        _PID = os.getpid()
    return _PID


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
        if fn == "<string>" and _is_internal(f.f_code):
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
        _EMITTER.emit(wire.encode(kind, pid or _getpid(), t or now, line=line, **fields), now)
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


_pure_user_frame, _pure_emit, _pure_flush, _pure_pass = _user_frame, emit, _flush, _pass
if _fast is not None:
    # The same functions in C (bound here, before the families import them).
    _now = _fast.now
    _user_frame = _fast.user_frame
    emit = _fast.emit
    _flush = _fast.flush
    _pass = _fast.gate_pass


def install(on_terminate):
    """Opens the run's event pipe and gate. on_terminate runs on SIGTERM,
    before the final flush."""
    global _FD, _SPEED, _GATE, _EMITTER
    _hide_own_frames()
    _FD = int(os.environ["MPVIZ_EVENT_FD"])
    if os.environ.get("MPVIZ_GATE_FD"):
        _GATE = gate.attach(int(os.environ["MPVIZ_GATE_FD"]))
    if _fast is not None:
        _fast.configure(_FD, _count_dropped, wire.KINDS, _HERE, _STDLIB_MP)
        _fast.set_is_internal(_is_internal)
        if _GATE is not None:
            # Held runs take the pure path: wait_turn flushes through _flush.
            _fast.set_gate(_GATE.base, _pure_pass)
        _EMITTER = emitter.FastEmitter(_fast)
    else:
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
    report = os.environ.get("MPVIZ_TRACER_REPORT")
    if report:  # tests: which path this process uses
        try:
            with open(report, "a") as f:
                f.write("%d %s %s\n" % (os.getpid(), PATH, sys.executable))
        except OSError:
            pass
    atexit.register(_report_failures)
