"""multiprocessing.synchronize: Lock and RLock (lock_*), Semaphore and
BoundedSemaphore (sem_*), Condition (its lock plus its waiting room
`NAME.wait`) and Event (a 0/1 semaphore); and, on SIGTERM, the unlinking of
the semaphores this process created."""
import os
import sys

from .core import _flush, _now, _pass, _scaled, _user_frame, emit
from .core import _name as name_of


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


def _patch_semlocks():
    from multiprocessing import synchronize as sync

    orig_make = sync.SemLock._make_methods

    def _make_methods(self):
        orig_make(self)
        raw_acquire, raw_release = self.acquire, self.release
        is_lock = isinstance(self, (sync.Lock, sync.RLock))
        default = type(self).__name__.lower()  # once, not per operation

        def value():
            try:
                return self._semlock._get_value()
            except Exception:
                return 0

        def acquire(block=True, timeout=None):
            fr = _user_frame()
            if fr is None:
                return raw_acquire(block, timeout) if timeout is not None else raw_acquire(block)
            name = name_of(self, fr, default)
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
                emit("op_timeout", fr, name=name, text="acquire")
                _flush()
            elif is_lock:
                emit("lock_acquire", fr, name=name)
            else:
                emit("sem_acquire", fr, name=name, value=value())
            return ok

        def release():
            fr = _user_frame()
            if fr is None:
                return raw_release()
            name = name_of(self, fr, default)
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
            emit("lock_acquire" if ok else "op_timeout", fr, name=name, text="" if ok else "acquire")
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
        emit("sem_acquire" if ok else "op_timeout", fr, name=name + ".wait", value=sleepers(self),
             text="" if ok else "wait")
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
        emit("sem_acquire" if ok else "op_timeout", fr, name=name, value=flag(self),
             text="" if ok else "wait")
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


def install():
    _patch_semlocks()
    _patch_condition_event()
