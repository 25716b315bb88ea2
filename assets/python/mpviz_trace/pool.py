"""multiprocessing.pool and concurrent.futures.ProcessPoolExecutor: Pool.apply,
apply_async, map, map_async, starmap, starmap_async, imap, imap_unordered
and the executor's submit and map (pool_submit in the caller); each task's
body in the worker that runs it (pool_task_begin/pool_task_end); the waits
for the workers: Pool.join and executor.shutdown(wait=True) (join_begin/
join_end with target 0, "the pool's workers"), and Future.result() while the
task is still running (the same)."""
import functools
import itertools

from .core import _flush, _pass, _user_frame, emit


_task_ids = itertools.count()


def _fname(func):
    try:
        return getattr(func, "__name__", None) or "task"
    except Exception:
        return "task"


def _run_task(task, func, args, kwds):
    """Runs in a pool worker: the traced body of one task."""
    fname = _fname(func)
    _pass("pool_task_begin", fname)
    emit("pool_task_begin", other=task, name=fname)
    try:
        return func(*args, **kwds)
    finally:
        emit("pool_task_end", other=task, name=fname)
        _flush()  # the task shows as finished now, not at the worker's next batch


def _run_map_item(func, star, task_and_item):
    task, item = task_and_item
    return _run_task(task, func, item if star else (item,), {})


def _submit(fr, func):
    task = next(_task_ids)
    _pass("pool_submit", _fname(func))
    emit("pool_submit", fr, other=task, name=_fname(func))
    return task


def _wait_workers(fr, call, *a, **kw):
    """A wait for the pool's workers (join_begin/join_end, target 0)."""
    _pass("join_begin")
    emit("join_begin", fr, other=0)
    _flush()
    try:
        return call(*a, **kw)
    finally:
        emit("join_end", fr, other=0)


def _patch_pool():
    from multiprocessing import pool

    orig_apply_async = pool.Pool.apply_async
    orig_map = pool.Pool.map
    orig_map_async = pool.Pool.map_async
    orig_join = pool.Pool.join

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        fr = _user_frame()
        if fr is None:
            return orig_apply_async(self, func, args, kwds, callback, error_callback)
        task = _submit(fr, func)
        return orig_apply_async(self, _run_task, (task, func, tuple(args), dict(kwds)), {},
                                callback, error_callback)

    def mapper(orig, star, run_with, blocking):
        def run(self, func, iterable, chunksize=None, *more, **kw):
            fr = _user_frame()
            if fr is None:
                return orig(self, func, iterable, chunksize, *more, **kw)
            tasks = [(_submit(fr, func), item) for item in iterable]
            if blocking:
                _flush()  # map blocks until every task is done
            return run_with(self, functools.partial(_run_map_item, func, star), tasks, chunksize,
                            *more, **kw)
        run.__name__ = orig.__name__
        return run

    def lazy_mapper(orig):
        def run(self, func, iterable, chunksize=1):
            fr = _user_frame()
            if fr is None:
                return orig(self, func, iterable, chunksize)
            fname = _fname(func)

            def tasks():  # consumed by the pool's task-feeding thread, lazily
                for item in iterable:
                    task = next(_task_ids)
                    emit("pool_submit", fr, other=task, name=fname)
                    yield task, item
            return orig(self, functools.partial(_run_map_item, func, False), tasks(), chunksize)
        return run

    def join(self):
        fr = _user_frame()
        if fr is None:
            return orig_join(self)
        return _wait_workers(fr, orig_join, self)

    pool.Pool.apply_async = apply_async
    # apply() is apply_async().get(): defined here, its apply_async call is
    # seen as the program's (this package's frames are skipped).
    pool.Pool.apply = lambda self, func, args=(), kwds={}: self.apply_async(func, args, kwds).get()
    # map/starmap (and their _async forms) all run through map/map_async
    # with the items wrapped as (task, item).
    pool.Pool.map = mapper(orig_map, False, orig_map, True)
    pool.Pool.starmap = mapper(pool.Pool.starmap, True, orig_map, True)
    pool.Pool.map_async = mapper(orig_map_async, False, orig_map_async, False)
    pool.Pool.starmap_async = mapper(pool.Pool.starmap_async, True, orig_map_async, False)
    pool.Pool.imap = lazy_mapper(pool.Pool.imap)
    pool.Pool.imap_unordered = lazy_mapper(pool.Pool.imap_unordered)
    pool.Pool.join = join


def _patch_executor():
    try:
        from concurrent.futures import _base, process
    except ImportError:
        return
    PPE = process.ProcessPoolExecutor
    orig_submit, orig_map, orig_shutdown = PPE.submit, PPE.map, PPE.shutdown

    def submit(self, fn, /, *args, **kwargs):
        fr = _user_frame()
        if fr is None:
            return orig_submit(self, fn, *args, **kwargs)
        task = _submit(fr, fn)
        fut = orig_submit(self, _run_task, task, fn, args, kwargs)
        fut._mpviz_traced = True  # result() waits on a worker of this executor
        return fut

    def map(self, fn, *iterables, timeout=None, chunksize=1):  # noqa: A001
        fr = _user_frame()
        if fr is None:
            return orig_map(self, fn, *iterables, timeout=timeout, chunksize=chunksize)
        tasks = [(_submit(fr, fn), args) for args in zip(*iterables)]
        _flush()
        return orig_map(self, functools.partial(_run_map_item, fn, True), tasks,
                        timeout=timeout, chunksize=chunksize)

    def shutdown(self, wait=True, *, cancel_futures=False):
        fr = _user_frame()
        if fr is None or not wait:
            return orig_shutdown(self, wait, cancel_futures=cancel_futures)
        return _wait_workers(fr, orig_shutdown, self, wait, cancel_futures=cancel_futures)

    PPE.submit, PPE.map, PPE.shutdown = submit, map, shutdown
    # `with ProcessPoolExecutor() as ex:` ends with shutdown(wait=True) from
    # _base.Executor.__exit__ (the standard library): seen as the program's.
    PPE.__exit__ = lambda self, *exc: (self.shutdown(wait=True), False)[1]

    orig_result = _base.Future.result

    def result(self, timeout=None):
        fr = _user_frame()
        if fr is None or not getattr(self, "_mpviz_traced", False) or self.done():
            return orig_result(self, timeout)
        return _wait_workers(fr, orig_result, self, timeout)

    _base.Future.result = result


def install():
    _patch_pool()
    _patch_executor()
