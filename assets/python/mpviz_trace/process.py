"""Processes: Process.start (process_start, also for multiprocessing's own
helpers spawned through util.spawnv_passfds), the child's bootstrap and
exit (process_exit), join (join_begin/join_end), and the end of a child
seen by whoever reaps it (process_exit / process_killed and its reason)."""
import os

from . import core, wire
from .core import _flush, _now, _pass, _scaled, _user_frame, emit

_kill_reason = {}     # pid -> "terminate" / "parent_exit"
_reported_end = set()


def _method_flags(proc):
    import multiprocessing
    m = (getattr(proc, "_start_method", None)
         or multiprocessing.get_start_method(allow_none=True) or "fork")
    if m == "spawn":
        return wire.FLAG_SPAWN
    if m == "forkserver":
        return wire.FLAG_FORKSERVER
    return 0


def _report_end(pid, exitcode):
    if pid in _reported_end or exitcode is None:
        return
    _reported_end.add(pid)
    if exitcode >= 0:
        emit("process_exit", pid=pid, flags=wire.FLAG_REAPED, value=exitcode)
    else:
        emit("process_killed", pid=pid, flags=wire.FLAG_REAPED, value=-exitcode,
             text=_kill_reason.get(pid, "signal"))


def _patch_processes():
    from multiprocessing import process, popen_fork, util

    orig_start = process.BaseProcess.start

    def start(self):
        fr = _user_frame()
        if fr is not None:
            _pass("process_start", self.name)
        t = _now()
        orig_start(self)
        emit("process_start", _user_frame(), pid=self.pid, t=t, other=os.getpid(), name=self.name,
             flags=(wire.FLAG_DAEMON if self.daemon else 0) | _method_flags(self))
        _flush()  # the new lane gets its name now, not at the parent's next flush

    process.BaseProcess.start = start

    orig_bootstrap = process.BaseProcess._bootstrap

    def _bootstrap(self, *a, **kw):
        _reset_after_fork()
        code = orig_bootstrap(self, *a, **kw)
        _pass("process_exit")
        emit("process_exit", value=code if isinstance(code, int) else 1)
        _flush()
        if core._GATE is not None:
            core._GATE.release_slot()
        return code

    process.BaseProcess._bootstrap = _bootstrap

    orig_join = process.BaseProcess.join

    def join(self, timeout=None):
        fr = _user_frame()
        if fr is None:
            return orig_join(self, timeout)
        flags = wire.FLAG_HAS_TIMEOUT if timeout is not None else 0
        _pass("join_begin")
        emit("join_begin", fr, other=self.pid or 0, seconds=timeout or 0.0, flags=flags)
        _flush()
        orig_join(self, _scaled(timeout))
        timed_out = self.exitcode is None
        emit("join_end", fr, other=self.pid or 0, seconds=timeout or 0.0,
             flags=flags | (wire.FLAG_TIMED_OUT if timed_out else 0))

    process.BaseProcess.join = join

    # terminate()/kill() called by the program: the moment it happens (the
    # end itself is reported by whoever reaps the child).
    import signal as _signal
    for meth, sig in (("terminate", _signal.SIGTERM), ("kill", _signal.SIGKILL)):
        orig_meth = getattr(process.BaseProcess, meth)

        def make_user(orig_meth, sig):
            def signal_process(self):
                fr = _user_frame()
                if fr is not None and self.pid:
                    emit("terminate", fr, other=self.pid, value=int(sig))
                    _flush()
                return orig_meth(self)
            signal_process.__name__ = orig_meth.__name__
            return signal_process

        setattr(process.BaseProcess, meth, make_user(orig_meth, sig))

    # util._exit_function terminates daemonic children through their Popen
    # directly, so the reason is noted there: "parent_exit" while exiting.
    for meth in ("terminate", "kill"):
        orig = getattr(popen_fork.Popen, meth)

        def make(orig, meth):
            def signal_child(self):
                if self.pid:
                    _kill_reason.setdefault(self.pid, "parent_exit" if util._exiting else meth)
                return orig(self)
            return signal_child

        setattr(popen_fork.Popen, meth, make(orig, meth))

    # Whoever reaps a child reports its end (exit code, or killing signal).
    def wrap_poll(cls):
        orig_poll = cls.poll

        def poll(self, *a, **kw):
            rc = orig_poll(self, *a, **kw)
            if rc is not None:
                _report_end(self.pid, rc)
            return rc

        cls.poll = poll

    wrap_poll(popen_fork.Popen)
    try:
        from multiprocessing import popen_forkserver
        wrap_poll(popen_forkserver.Popen)
    except ImportError:
        pass

    # Spawned children (and the forkserver) get our event pipe too.
    orig_spawnv = util.spawnv_passfds

    def spawnv_passfds(path, args, passfds):
        t = _now()
        extra = (core._FD,) if core._GATE is None else (core._FD, core._GATE.fd)
        pid = orig_spawnv(path, args, tuple(passfds) + extra)
        # multiprocessing's helper processes are real processes of the run too.
        text = " ".join(map(str, args))
        helper = ("ResourceTracker" if "resource_tracker" in text
                  else "ForkServer" if "forkserver" in text else None)
        if helper:
            emit("process_start", pid=pid, t=t, other=os.getpid(), name=helper,
                 flags=wire.FLAG_DAEMON | wire.FLAG_SPAWN)
        return pid

    util.spawnv_passfds = spawnv_passfds


def _reset_after_fork():
    core._tls.busy = False
    core._failures = 0
    _reported_end.clear()


def install():
    _patch_processes()
