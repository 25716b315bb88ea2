"""multiprocessing.queues: put and get on Queue, JoinableQueue and
SimpleQueue (queue_put_wait/queue_put, queue_get_wait/queue_get), with the
item, the size after the operation and the maxsize (0 on the wire, absent in
the recording, for an unbounded queue); a get that raises Empty (timeout, or
block=False) or a put that raises Full ends its wait with op_timeout.
JoinableQueue.task_done is a release of `NAME.unfinished` (the count of
unfinished tasks) and join() waits on it (sem_wait/sem_acquire, value 0)."""
from . import core
from .core import _flush, _pass, _user_frame, emit
from .core import _name as name_of

_SEM_VALUE_MAX = 2147483647  # CPython's maxsize for an unbounded Queue


def _size_of(q):
    try:
        return q.qsize()
    except Exception:  # NotImplementedError on macOS, AttributeError on SimpleQueue
        return 0


def _maxsize_of(q):
    m = getattr(q, "_maxsize", 0)
    return 0 if not isinstance(m, int) or m <= 0 or m >= _SEM_VALUE_MAX else m


def _make_put(orig_put):
    def put(self, obj, *a, **kw):
        fr = _user_frame()
        if fr is None:
            return orig_put(self, obj, *a, **kw)
        name = name_of(self, fr, "queue")
        maxsize = _maxsize_of(self)
        _pass("queue_put", name)
        size = _size_of(self)
        emit("queue_put_wait", fr, name=name, text=obj, value=size, limit=maxsize)
        if maxsize > 0 and size >= maxsize:
            _flush()  # full: the put will block
        try:
            r = orig_put(self, obj, *a, **kw)
        except BaseException:
            emit("op_timeout", fr, name=name, text="put")
            _flush()
            raise
        emit("queue_put", fr, name=name, text=obj, value=_size_of(self), limit=maxsize)
        return r
    return put


def _make_get(orig_get):
    def get(self, *a, **kw):
        fr = _user_frame()
        if fr is None:
            return orig_get(self, *a, **kw)
        name = name_of(self, fr, "queue")
        maxsize = _maxsize_of(self)
        _pass("queue_get", name)
        emit("queue_get_wait", fr, name=name, value=_size_of(self), limit=maxsize)
        _flush()  # a get may block (qsize cannot say for sure)
        try:
            item = orig_get(self, *a, **kw)
        except BaseException:
            emit("op_timeout", fr, name=name, text="get")
            _flush()
            raise
        emit("queue_get", fr, name=name, text=item, value=_size_of(self), limit=maxsize)
        return item
    return get


def _unfinished(q):
    try:
        return q._unfinished_tasks._semlock._get_value()
    except Exception:
        return 0


def _patch_queues():
    from multiprocessing import queues

    # JoinableQueue overrides put (it counts unfinished tasks): each class's
    # own put/get is wrapped, once.
    for cls in (queues.Queue, queues.JoinableQueue, queues.SimpleQueue):
        if "put" in vars(cls):
            cls.put = _make_put(vars(cls)["put"])
        if "get" in vars(cls):
            cls.get = _make_get(vars(cls)["get"])

    J = queues.JoinableQueue
    orig_task_done, orig_join = J.task_done, J.join

    def task_done(self):
        fr = _user_frame()
        if fr is None:
            return orig_task_done(self)
        name = name_of(self, fr, "queue") + ".unfinished"
        _pass("sem_release", name)
        t = core._now()
        orig_task_done(self)
        emit("sem_release", fr, t=t, name=name, value=_unfinished(self))

    def join(self):
        fr = _user_frame()
        if fr is None:
            return orig_join(self)
        name = name_of(self, fr, "queue") + ".unfinished"
        _pass("sem_acquire", name)
        emit("sem_wait", fr, name=name, value=_unfinished(self))
        _flush()
        orig_join(self)
        emit("sem_acquire", fr, name=name, value=0)

    J.task_done, J.join = task_done, join


def install():
    _patch_queues()
