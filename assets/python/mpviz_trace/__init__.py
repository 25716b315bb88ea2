"""mpviz's tracing layer for real Python programs (`mpviz run PROGRAM.py`).

Injected through PYTHONPATH (sitecustomize), it wraps multiprocessing —
Process (subclasses too), Lock, RLock, Semaphore, BoundedSemaphore, Event,
Condition, Queue, SimpleQueue, JoinableQueue, Pipe/Connection, Pool (apply,
apply_async, map, imap, imap_unordered, starmap) — plus time.sleep and
print, and writes the same frames into the same event pipe as mpviz's C++
runtime, with the Python source line of each operation. Operations made by multiprocessing's own internals are not traced:
only what the student's code does.
"""
import builtins
import functools
import itertools
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
_installed = False
_names = {}           # id(obj) -> name, per process
_name_counter = itertools.count(1)
_kill_reason = {}     # pid -> "terminate" / "parent_exit"
_reported_end = set()
_orig_sleep = time.sleep
_orig_print = builtins.print
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


def _unlink_own_semaphores():
    """SIGTERM (mpviz's Stop) kills without running finalizers, and CPython's
    resource tracker would then warn about 'leaked semaphore objects' and
    clean up after the program. The semaphores' own cleanup (unlink and
    unregister) runs here instead, in the process that created them; other
    finalizers (joining queue threads, pools) could block and are left out."""
    util = sys.modules.get("multiprocessing.util")
    sync = sys.modules.get("multiprocessing.synchronize")
    if util is None or sync is None:
        return
    for key, fin in list(getattr(util, "_finalizer_registry", {}).items()):
        if getattr(fin, "_callback", None) is sync.SemLock._cleanup and fin._pid == os.getpid():
            try:
                fin()
            except Exception:
                pass


def _count_dropped():
    if _GATE is not None:
        _GATE.count_dropped()


def _pass(kind, obj=""):
    """Step mode: waits while the engine holds this process before `kind`.
    True if the process was held (a held sleep then takes no wall time)."""
    if _GATE is None:
        return False
    return _GATE.wait_turn(wire.KINDS[kind], obj, _flush)


def name_of(obj, frame, default):
    """The variable or attribute name the program uses for a shared object,
    as the tutorial names them (lock, empty, full, buffer, pipe)."""
    key = id(obj)
    if key in _names:
        return _names[key]
    f = frame
    found = None
    while f is not None and found is None:
        for k, v in f.f_locals.items():
            if v is obj and not k.startswith("_"):
                found = k
                break
            if k == "self" and hasattr(v, "__dict__"):
                for ak, av in vars(v).items():
                    if av is obj:
                        found = ak
                        break
            if found:
                break
        if found is None:
            for k, v in f.f_globals.items():
                if v is obj:
                    found = k
                    break
        f = f.f_back
    name = found or "%s-%d" % (default, next(_name_counter))
    _names[key] = name
    return name


# ---------------------------------------------------------------- processes

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
        if _GATE is not None:
            _GATE.release_slot()
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
        extra = (_FD,) if _GATE is None else (_FD, _GATE.fd)
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
    _tls.busy = False
    _reported_end.clear()


# ---------------------------------------------------------------- sleep, print

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


# ---------------------------------------------------------------- locks, semaphores

def _patch_semlocks():
    from multiprocessing import synchronize as sync

    orig_make = sync.SemLock._make_methods

    def _make_methods(self):
        orig_make(self)
        raw_acquire, raw_release = self.acquire, self.release
        is_lock = isinstance(self, (sync.Lock, sync.RLock))
        default = type(self).__name__

        def value():
            try:
                return self._semlock._get_value()
            except Exception:
                return 0

        def acquire(block=True, timeout=None):
            fr = _user_frame()
            if fr is None:
                return raw_acquire(block, timeout) if timeout is not None else raw_acquire(block)
            name = name_of(self, fr, default.lower())
            _pass("lock_acquire" if is_lock else "sem_acquire", name)
            if is_lock:
                emit("lock_wait", fr, name=name)
            else:
                emit("sem_wait", fr, name=name, value=value())
            ok = raw_acquire(False)
            if not ok and block:
                _flush()  # about to block: what we wait for must be visible now
                ok = raw_acquire(True, _scaled(timeout)) if timeout is not None else raw_acquire(True)
            if not ok:
                emit("op_timeout", fr, name=name)
            elif is_lock:
                emit("lock_acquire", fr, name=name)
            else:
                emit("sem_acquire", fr, name=name, value=value())
            return ok

        def release():
            fr = _user_frame()
            if fr is None:
                return raw_release()
            name = name_of(self, fr, default.lower())
            _pass("lock_release" if is_lock else "sem_release", name)
            t = _now()  # before the release: the next holder's acquire is later
            raw_release()
            if is_lock:
                emit("lock_release", fr, t=t, name=name)
            else:
                emit("sem_release", fr, t=t, name=name, value=value())

        self.acquire = acquire
        self.release = release

    sync.SemLock._make_methods = _make_methods
    sync.SemLock.__enter__ = lambda self: self.acquire()
    sync.SemLock.__exit__ = lambda self, *a: self.release()


# A Condition is drawn as its lock (`cond`) plus the waiting room of its
# sleepers (`cond.wait`, a semaphore-like count: wait = sem_wait, woken =
# sem_acquire, notify = sem_release). An Event is drawn as a semaphore whose
# value is the flag (1 = set): wait = sem_wait/sem_acquire, set = sem_release,
# clear = sem_acquire with value 0. The recording format keeps its kinds.

def _patch_condition_event():
    from multiprocessing import synchronize as sync

    Cond = sync.Condition
    orig_make = Cond._make_methods

    def _make_methods(self):
        orig_make(self)
        semlock = getattr(self._lock, "_semlock", None)
        if semlock is None:  # a lock we don't know: leave it untraced
            return

        def acquire(block=True, timeout=None):
            fr = _user_frame()
            if fr is None:
                return semlock.acquire(block, timeout) if timeout is not None else semlock.acquire(block)
            name = name_of(self, fr, "condition")
            _pass("lock_acquire", name)
            emit("lock_wait", fr, name=name)
            ok = semlock.acquire(False)
            if not ok and block:
                _flush()  # about to block: what we wait for must be visible now
                ok = semlock.acquire(True, _scaled(timeout)) if timeout is not None else semlock.acquire(True)
            emit("lock_acquire" if ok else "op_timeout", fr, name=name)
            return ok

        def release():
            fr = _user_frame()
            if fr is None:
                return semlock.release()
            name = name_of(self, fr, "condition")
            _pass("lock_release", name)
            t = _now()
            semlock.release()
            emit("lock_release", fr, t=t, name=name)

        self.acquire, self.release = acquire, release

    def sleepers(self):
        try:
            return max(0, self._sleeping_count._semlock._get_value()
                       - self._woken_count._semlock._get_value())
        except Exception:
            return 0

    orig_wait, orig_notify = Cond.wait, Cond.notify

    def wait(self, timeout=None):
        fr = _user_frame()
        if fr is None:
            return orig_wait(self, timeout)
        name = name_of(self, fr, "condition")
        _pass("sem_acquire", name + ".wait")
        emit("lock_release", fr, name=name)
        emit("sem_wait", fr, name=name + ".wait", value=sleepers(self) + 1)
        _flush()
        ok = orig_wait(self, _scaled(timeout))
        emit("sem_acquire" if ok else "op_timeout", fr, name=name + ".wait", value=sleepers(self))
        emit("lock_wait", fr, name=name)
        emit("lock_acquire", fr, name=name)
        return ok

    def notify(self, n=1):
        fr = _user_frame()
        if fr is None:
            return orig_notify(self, n)
        name = name_of(self, fr, "condition")
        _pass("sem_release", name + ".wait")
        orig_notify(self, n)
        emit("sem_release", fr, name=name + ".wait", value=sleepers(self))

    Cond._make_methods = _make_methods
    Cond.__enter__ = lambda self: self.acquire()
    Cond.__exit__ = lambda self, *a: self.release()
    Cond.wait = wait
    Cond.notify = notify
    Cond.notify_all = lambda self: self.notify(sys.maxsize)

    Ev = sync.Event
    ev_wait, ev_set, ev_clear = Ev.wait, Ev.set, Ev.clear

    def flag(self):
        try:
            return self._flag._semlock._get_value()
        except Exception:
            return 0

    def event_wait(self, timeout=None):
        fr = _user_frame()
        if fr is None:
            return ev_wait(self, timeout)
        name = name_of(self, fr, "event")
        _pass("sem_acquire", name)
        emit("sem_wait", fr, name=name, value=flag(self))
        _flush()
        ok = ev_wait(self, _scaled(timeout))
        emit("sem_acquire" if ok else "op_timeout", fr, name=name, value=flag(self))
        return ok

    def event_set(self):
        fr = _user_frame()
        if fr is None:
            return ev_set(self)
        name = name_of(self, fr, "event")
        _pass("sem_release", name)
        t = _now()
        ev_set(self)
        emit("sem_release", fr, t=t, name=name, value=1)

    def event_clear(self):
        fr = _user_frame()
        if fr is None:
            return ev_clear(self)
        name = name_of(self, fr, "event")
        ev_clear(self)
        emit("sem_acquire", fr, name=name, value=0)

    Ev.wait, Ev.set, Ev.clear = event_wait, event_set, event_clear


# ---------------------------------------------------------------- queues

def _patch_queues():
    from multiprocessing import queues

    def size_of(q):
        try:
            return q.qsize()
        except (NotImplementedError, AttributeError):
            return 0

    for cls in (queues.Queue, queues.SimpleQueue):
        orig_put, orig_get = cls.put, cls.get

        def make(orig_put, orig_get, cls):
            def put(self, obj, *a, **kw):
                fr = _user_frame()
                if fr is None:
                    return orig_put(self, obj, *a, **kw)
                name = name_of(self, fr, "queue")
                maxsize = getattr(self, "_maxsize", 0)
                _pass("queue_put", name)
                size = size_of(self)
                emit("queue_put_wait", fr, name=name, text=obj, value=size, limit=maxsize)
                if maxsize > 0 and size >= maxsize:
                    _flush()  # full: the put will block
                orig_put(self, obj, *a, **kw)
                emit("queue_put", fr, name=name, text=obj, value=size_of(self), limit=maxsize)

            def get(self, *a, **kw):
                fr = _user_frame()
                if fr is None:
                    return orig_get(self, *a, **kw)
                name = name_of(self, fr, "queue")
                maxsize = getattr(self, "_maxsize", 0)
                _pass("queue_get", name)
                emit("queue_get_wait", fr, name=name, value=size_of(self), limit=maxsize)
                _flush()  # a get may block (qsize cannot say for sure)
                item = orig_get(self, *a, **kw)
                emit("queue_get", fr, name=name, text=item, value=size_of(self), limit=maxsize)
                return item

            cls.put, cls.get = put, get

        make(orig_put, orig_get, cls)


# ---------------------------------------------------------------- pipes

def _end_of(conn):
    """Which end of its Pipe() a connection is: remembered by inode in the
    environment, so spawned children (started later) know it too."""
    try:
        ino = str(os.fstat(conn.fileno()).st_ino)
    except OSError:
        return 0
    for entry in os.environ.get("MPVIZ_PIPE_ENDS", "").split(","):
        if entry.startswith(ino + ":"):
            return int(entry.split(":")[1])
    return 0


def _patch_pipes():
    from multiprocessing import connection

    orig_pipe = connection.Pipe

    def Pipe(duplex=True):
        a, b = orig_pipe(duplex)
        ends = os.environ.get("MPVIZ_PIPE_ENDS", "")
        for end, c in ((0, a), (1, b)):
            ends += ",%d:%d" % (os.fstat(c.fileno()).st_ino, end)
        os.environ["MPVIZ_PIPE_ENDS"] = ends.lstrip(",")
        return a, b

    connection.Pipe = Pipe
    import multiprocessing.context as ctx
    ctx.BaseContext.Pipe = lambda self, duplex=True: Pipe(duplex)

    base = connection._ConnectionBase
    orig_send, orig_recv = base.send, base.recv

    def send(self, obj):
        fr = _user_frame()
        if fr is not None:
            name = name_of(self, fr, "pipe")
            _pass("pipe_send", name)
            emit("pipe_send", fr, name=name, other=_end_of(self), text=obj)
        return orig_send(self, obj)

    def recv(self):
        fr = _user_frame()
        if fr is None:
            return orig_recv(self)
        end = _end_of(self)
        name = name_of(self, fr, "pipe")
        _pass("pipe_recv", name)
        emit("pipe_recv_wait", fr, name=name, other=end)
        try:
            ready = self.poll()
        except (OSError, EOFError):
            ready = False
        if not ready:
            _flush()  # about to block
        obj = orig_recv(self)
        emit("pipe_recv", fr, name=name, other=end, text=obj)
        return obj

    base.send, base.recv = send, recv


# ---------------------------------------------------------------- pools

_task_ids = itertools.count()


def _run_task(task, func, args, kwds):
    """Runs in a pool worker: the traced body of one task."""
    fname = getattr(func, "__name__", "task")
    _pass("pool_task_begin", fname)
    emit("pool_task_begin", other=task, name=fname)
    try:
        return func(*args, **kwds)
    finally:
        emit("pool_task_end", other=task, name=fname)


def _run_map_item(func, star, task_and_item):
    task, item = task_and_item
    return _run_task(task, func, item if star else (item,), {})


def _patch_pool():
    from multiprocessing import pool

    orig_apply_async = pool.Pool.apply_async
    orig_map = pool.Pool.map
    orig_starmap = pool.Pool.starmap

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        fr = _user_frame()
        if fr is None:
            return orig_apply_async(self, func, args, kwds, callback, error_callback)
        task = next(_task_ids)
        _pass("pool_submit", getattr(func, "__name__", "task"))
        emit("pool_submit", fr, other=task, name=getattr(func, "__name__", "task"))
        return orig_apply_async(self, _run_task, (task, func, tuple(args), dict(kwds)), {},
                                callback, error_callback)

    def mapper(orig, star):
        def run(self, func, iterable, chunksize=None):
            fr = _user_frame()
            if fr is None:
                return orig(self, func, iterable, chunksize)
            items = list(iterable)
            tasks = []
            for item in items:
                task = next(_task_ids)
                _pass("pool_submit", getattr(func, "__name__", "task"))
                emit("pool_submit", fr, other=task, name=getattr(func, "__name__", "task"))
                tasks.append((task, item))
            _flush()  # map blocks until every task is done
            return orig_map(self, functools.partial(_run_map_item, func, star), tasks, chunksize)
        return run

    def lazy_mapper(orig):
        def run(self, func, iterable, chunksize=1):
            fr = _user_frame()
            if fr is None:
                return orig(self, func, iterable, chunksize)
            fname = getattr(func, "__name__", "task")

            def tasks():  # consumed by the pool's task-feeding thread, lazily
                for item in iterable:
                    task = next(_task_ids)
                    emit("pool_submit", fr, other=task, name=fname)
                    yield task, item
            return orig(self, functools.partial(_run_map_item, func, False), tasks(), chunksize)
        return run

    pool.Pool.apply_async = apply_async
    # apply() is apply_async().get(): defined here, its apply_async call is
    # seen as the program's (this package's frames are skipped).
    pool.Pool.apply = lambda self, func, args=(), kwds={}: self.apply_async(func, args, kwds).get()
    pool.Pool.map = mapper(orig_map, False)
    pool.Pool.starmap = mapper(orig_starmap, True)
    pool.Pool.imap = lazy_mapper(pool.Pool.imap)
    pool.Pool.imap_unordered = lazy_mapper(pool.Pool.imap_unordered)


# ---------------------------------------------------------------- set-up

def install():
    global _FD, _SPEED, _GATE, _EMITTER, _installed
    if _installed:
        return
    _installed = True
    _FD = int(os.environ["MPVIZ_EVENT_FD"])
    if os.environ.get("MPVIZ_GATE_FD"):
        _GATE = gate.attach(int(os.environ["MPVIZ_GATE_FD"]))
    _EMITTER = emitter.Emitter(_FD, _count_dropped)
    # Before multiprocessing is imported: its exit handler (joining children,
    # reporting their ends) must run before our final flush (atexit is LIFO).
    emitter.install(_EMITTER, _unlink_own_semaphores)
    try:
        _SPEED = float(os.environ.get("MPVIZ_SPEED", "1"))
    except ValueError:
        _SPEED = 1.0
    import multiprocessing
    # Runs before multiprocessing's exit handler, which may wait a long
    # time joining children: what the main process said is visible first.
    import atexit
    atexit.register(_flush)

    method = os.environ.get("MPVIZ_METHOD")
    if method:
        # --method overrides the default; a program's own set_start_method wins.
        multiprocessing.set_start_method(method, force=True)
        orig_set = multiprocessing.context.DefaultContext.set_start_method
        multiprocessing.context.DefaultContext.set_start_method = (
            lambda self, m, force=False: orig_set(self, m, force=True))
        multiprocessing.set_start_method = multiprocessing.context._default_context.set_start_method
    _patch_processes()
    _patch_sleep_print()
    _patch_semlocks()
    _patch_condition_event()
    _patch_queues()
    _patch_pipes()
    _patch_pool()
