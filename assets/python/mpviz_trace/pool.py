"""multiprocessing.pool: Pool.apply, apply_async, map, starmap, imap and
imap_unordered (pool_submit in the caller), and each task's body in the
worker that runs it (pool_task_begin/pool_task_end)."""
import functools
import itertools

from .core import _flush, _pass, _user_frame, emit


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


def install():
    _patch_pool()
