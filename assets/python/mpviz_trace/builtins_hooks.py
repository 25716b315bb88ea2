"""The program's own calls outside multiprocessing: time.sleep
(sleep_begin/sleep_end, scaled by --speed) and its output: sys.stdout and
sys.stderr are thin wrappers that hand every write unchanged to the real
stream and emit a `print` event with exactly the text written (stream
"stderr" for sys.stderr); a print() call is one event with its `sep`s and
`end`, exactly what it wrote. Writes below Python's text streams
(os.write(1, ...), sys.stdout.buffer) still reach the real file descriptor
unchanged but make no event.

The replacements of time.sleep and print are module-level functions whose
__module__/__qualname__ name the originals, so pickle (Pool tasks, spawn's
Process(target=time.sleep)) sends them as `time.sleep` / `builtins.print`
and the other side resolves them to its own (traced) copy."""
import builtins
import sys
import threading
import time

from . import core, wire
from .core import _flush, _pass, _scaled, _user_frame, emit

_orig_sleep = time.sleep
_orig_print = builtins.print
_tls = threading.local()   # .capture: the text one print() call writes


def sleep(seconds):
    fr = _user_frame()
    if fr is None:
        return _orig_sleep(seconds)
    held = _pass("sleep_begin")
    s = core.safe(float, seconds, default=0.0)
    emit("sleep_begin", fr, seconds=s)
    wall = 0 if held else core.safe(_scaled, seconds, default=seconds)  # a held sleep is one step
    _flush()
    try:
        return _orig_sleep(wall)  # the real call: its errors are the program's
    finally:
        emit("sleep_end", fr, seconds=s)
        _flush()  # the lane stops showing "sleeping" now, not at the next batch


sleep.__module__, sleep.__qualname__, sleep.__name__ = "time", "sleep", "sleep"
sleep.__doc__ = _orig_sleep.__doc__


def _line_frame():
    """The program's frame for an output event: the innermost frame outside
    this package and the standard library (a print from pprint or a
    traceback still counts, with no line)."""
    try:
        f = sys._getframe(2)
        while f is not None:
            fn = f.f_code.co_filename
            if not fn.startswith(core._HERE) and not (
                    fn.startswith(core._STDLIB_MP) and "site-packages" not in fn):
                return f
            f = f.f_back
    except Exception:
        core._failed()
    return None


def print(*args, **kwargs):  # noqa: A001 (the builtin's replacement)
    file = kwargs.get("file")
    target = sys.stdout if file is None else file
    if not isinstance(target, StreamTee) or getattr(_tls, "capture", None) is not None:
        return _orig_print(*args, **kwargs)
    fr = _user_frame()
    if fr is not None:
        _pass("print")  # step mode holds the program's own prints
    else:
        fr = _line_frame()
    _tls.capture = []
    try:
        return _orig_print(*args, **kwargs)
    finally:
        text = "".join(_tls.capture)
        _tls.capture = None
        if text:
            target._event(text, fr)


print.__module__, print.__qualname__, print.__name__ = "builtins", "print", "print"
print.__doc__ = _orig_print.__doc__


class StreamTee:
    """sys.stdout / sys.stderr: every write goes unchanged to the real
    stream; the text written becomes a `print` event of this process."""

    def __init__(self, real, stderr):
        self._real = real
        self._flags = wire.FLAG_STDERR if stderr else 0

    def _event(self, text, fr):
        # A Value read waiting for its write (values.py) is said first: a
        # print of `counter.value` shows the read before the text.
        values = sys.modules.get("mpviz_trace.values")
        if values is not None:
            values.safe_emit_pending()
        emit("print", fr, text=text, flags=self._flags)
        _flush()  # the console shows it now

    def write(self, s):
        n = self._real.write(s)
        capture = getattr(_tls, "capture", None)
        if capture is not None:
            capture.append(s)
        elif isinstance(s, str) and s:
            self._event(s, _line_frame())
        return n

    def writelines(self, lines):
        for s in lines:
            self.write(s)

    def __getattr__(self, k):
        return getattr(self._real, k)

    def __iter__(self):
        return iter(self._real)


def install():
    time.sleep = sleep
    builtins.print = print
    if sys.stdout is not None:
        sys.stdout = StreamTee(sys.stdout, False)
    if sys.stderr is not None:
        sys.stderr = StreamTee(sys.stderr, True)
