"""The program's own calls outside multiprocessing: time.sleep
(sleep_begin/sleep_end, scaled by --speed), print to stdout (print), and
stderr, teed line by line into print events so tracebacks and warnings
reach the console."""
import builtins
import sys
import time

from .core import _flush, _pass, _scaled, _user_frame, emit

_orig_sleep = time.sleep
_orig_print = builtins.print


def _patch_sleep_print():
    def sleep(seconds):
        fr = _user_frame()
        if fr is None:
            return _orig_sleep(seconds)
        held = _pass("sleep_begin")
        emit("sleep_begin", fr, seconds=float(seconds))
        wall = 0 if held else _scaled(seconds)  # a held sleep is one step, no wall time
        if wall:
            _flush()
            _orig_sleep(wall)
        emit("sleep_end", fr, seconds=float(seconds))

    time.sleep = sleep

    def print_(*args, sep=" ", end="\n", file=None, flush=False):
        if file is None or file is sys.stdout:
            fr = _user_frame()
            if fr is not None:
                _pass("print")
                emit("print", fr, text=(sep if sep is not None else " ").join(map(str, args)))
                _flush()  # the console is the program's only output
        return _orig_print(*args, sep=sep, end=end, file=file, flush=flush)

    builtins.print = print_

    class StderrTee:
        """Tracebacks and warnings reach the console as they would a terminal."""

        def __init__(self, real):
            self._real = real
            self._buf = ""

        def write(self, s):
            self._buf += s
            while "\n" in self._buf:
                line, self._buf = self._buf.split("\n", 1)
                emit("print", text=line)
            return self._real.write(s)

        def flush(self):
            return self._real.flush()

        def __getattr__(self, k):
            return getattr(self._real, k)

    sys.stderr = StderrTee(sys.stderr)


def install():
    _patch_sleep_print()
