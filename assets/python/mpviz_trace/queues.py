"""multiprocessing.queues: put and get on Queue, JoinableQueue (a Queue
subclass) and SimpleQueue (queue_put_wait/queue_put, queue_get_wait/
queue_get), with the item, the size after the operation and the maxsize."""
from .core import _flush, _pass, _user_frame, emit
from .naming import name_of


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


def install():
    _patch_queues()
