"""multiprocessing.sharedctypes: Value and Array (the synchronized wrappers)
as first-class objects. Each read and write the program makes is an event:
value_read / value_write with the object's name, the value (a number, or a
string for other ctypes), the element index (Array) and, on a write, `lost`.

`counter.value += 1` is a read, then a write: two operations, each under the
wrapper's own RLock exactly as CPython does it, so the window between them
stays open and updates are lost as without mpviz. The internal RLock is never
shown as an object of its own: get_lock() hands the program `counter.lock`.

`lost` (design.md): true when the value a write replaces was written by
another process after this process last read the object. Each traced object
carries a small side block in shared memory, one (version, last writer pid)
pair per element, updated inside the same critical section in which CPython
reads or writes the value (the wrapper's RLock, which the getter and setter
take anyway): mpviz adds no lock and no ordering the program does not
already have. Each process remembers the version it last read or wrote.

The window between a read and the write that follows it is where updates
are lost: mpviz keeps its own work out of it. A read's event is only noted
(time, value) and emitted at the process's next value operation, after that
operation's store, or at the next flush (before blocking, print, exit): the
event keeps the time of the read.
"""
import os
import threading

from . import core, naming
from .core import _now, _pass, _user_frame, emit

_tls = threading.local()   # .pending: a read not emitted yet


def _emit_pending():
    p = getattr(_tls, "pending", None)
    if p is not None:
        _tls.pending = None
        fr, t, name, f = p
        emit("value_read", fr, t=t, name=name, **f)

FLAG_REAL = 1 << 0     # the value is a float (sent in `seconds`)
FLAG_TEXT = 1 << 1     # the value is not a number (sent as text)
FLAG_LOST = 1 << 6     # value_write: lost
FLAG_INDEXED = 1 << 7  # Array element: `other` is the index


def _fields(v):
    if isinstance(v, bool):
        return {"value": int(v)}
    if isinstance(v, int):
        return {"value": v}
    if isinstance(v, float):
        return {"seconds": v, "flags": FLAG_REAL}
    if isinstance(v, bytes):
        v = v.decode("latin-1")
    return {"text": str(v) or "''", "flags": FLAG_TEXT}


class _Raw:
    """The wrapper's lock taken without tracing (what CPython's getter does);
    nothing for RawValue/RawArray, which have no lock."""
    __slots__ = ("sl", "lock")

    def __init__(self, lock):
        self.lock = lock
        self.sl = getattr(lock, "_semlock", None)

    def __enter__(self):
        if self.sl is not None:
            self.sl.acquire()
        elif self.lock is not None:
            self.lock.acquire()

    def __exit__(self, *a):
        if self.sl is not None:
            self.sl.release()
        elif self.lock is not None:
            self.lock.release()


_orig_raw_array = None  # sharedctypes.RawArray before it was traced


def _side_block(n):
    """(version, last writer) per element, in shared memory, untraced."""
    return _orig_raw_array("q", 2 * max(1, n))


def _attach(obj, n, name):
    """Gives a new wrapper its side block and names (itself and its lock)."""
    from multiprocessing import sharedctypes
    try:
        obj._mpviz_side = _side_block(n)
        naming.set_name(obj, name)
        naming.set_name(obj._lock, name + ".lock")
    except Exception:
        pass


def _read(obj, fr, index, get):
    """obj's value (element `index`) read as CPython reads it, noted as a
    pending value_read. A failure of the tracing never changes the read."""
    try:
        side = obj.__dict__["_mpviz_side"]
        name = naming.name_of(obj, fr, "value")
        _pass("value_read", name)
        i = 0 if index is None else index
        _emit_pending()
        raw = _Raw(getattr(obj, "_lock", None))
    except Exception:
        return get_locked(obj, get)
    with raw:
        v = get()
        ver = side[2 * i]
        t = _now()  # in the critical section: times follow the object's order
    try:
        obj.__dict__.setdefault("_mpviz_seen", {})[(os.getpid(), i)] = ver
        f = _fields(v)
        if index is not None:
            f["other"], f["flags"] = index, f.get("flags", 0) | FLAG_INDEXED
        _tls.pending = (fr, t, name, f)
    except Exception:
        pass
    return v


def get_locked(obj, get):
    if getattr(obj, "_lock", None) is None:
        return get()
    with obj:
        return get()


def _write(obj, fr, index, set_, value):
    """Stores `value` as CPython does (once, whatever happens in the
    tracing), then emits value_write with `lost`."""
    try:
        side = obj.__dict__["_mpviz_side"]
        name = naming.name_of(obj, fr, "value")
        _pass("value_write", name)
        i = 0 if index is None else index
        pid = os.getpid()
        raw = _Raw(getattr(obj, "_lock", None))
    except Exception:
        if getattr(obj, "_lock", None) is None:
            set_()
        else:
            with obj:
                set_()
        return
    with raw:
        set_()
        ver, writer = side[2 * i], side[2 * i + 1]
        side[2 * i], side[2 * i + 1] = ver + 1, pid
        t = _now()
    try:
        _emit_pending()
        seen = obj.__dict__.setdefault("_mpviz_seen", {})
        mine = seen.get((pid, i))
        seen[(pid, i)] = ver + 1
        lost = mine is not None and ver != mine and writer not in (0, pid)
        f = _fields(value)
        flags = f.pop("flags", 0) | (FLAG_LOST if lost else 0)
        if index is not None:
            f["other"], flags = index, flags | FLAG_INDEXED
        emit("value_write", fr, t=t, name=name, flags=flags, **f)
    except Exception:
        pass


# RawValue / RawArray (and Value(lock=False)): plain ctypes objects in
# shared memory. A traced one is an instance of a subclass of its ctypes type
# (isinstance holds) whose `.value` / `[i]` report reads and writes. With no
# lock there is no critical section to share: its (version, writer) pair is
# read and updated next to the access without one, so `lost` is exact unless
# two processes touch the same element within the same few instructions.
_traced_types = {}


def _traced_type(base):
    import ctypes
    t = _traced_types.get(base)
    if t is not None:
        return t
    if issubclass(base, ctypes.Array):
        b_get, b_set = base.__getitem__, base.__setitem__

        def getitem(self, i):
            fr = _user_frame()
            if fr is None or "_mpviz_side" not in self.__dict__ or not isinstance(i, int):
                return b_get(self, i)
            n = len(self)
            j = i + n if i < 0 else i
            if not 0 <= j < n:
                return b_get(self, i)
            return _read(self, fr, j, lambda: b_get(self, j))

        def setitem(self, i, value):
            fr = _user_frame()
            if fr is None or "_mpviz_side" not in self.__dict__ or not isinstance(i, int):
                return b_set(self, i, value)
            n = len(self)
            j = i + n if i < 0 else i
            if not 0 <= j < n:
                return b_set(self, i, value)
            _write(self, fr, j, lambda: b_set(self, j, value), value)

        ns = {"__getitem__": getitem, "__setitem__": setitem}
    else:
        desc = ctypes._SimpleCData.__dict__["value"]

        def get(self):
            fr = _user_frame()
            if fr is None or "_mpviz_side" not in self.__dict__:
                return desc.__get__(self)
            return _read(self, fr, None, lambda: desc.__get__(self))

        def set_(self, value):
            fr = _user_frame()
            if fr is None or "_mpviz_side" not in self.__dict__:
                return desc.__set__(self, value)
            _write(self, fr, None, lambda: desc.__set__(self, value), value)

        ns = {"value": property(get, set_)}
    ns["__module__"] = __name__
    t = type(base.__name__, (base,), ns)
    _traced_types[base] = t
    return t


def _trace_raw(obj, name):
    """A traced twin of a new raw ctypes object (same shared memory)."""
    from multiprocessing import sharedctypes as sc
    try:
        wrapper = obj._wrapper
        t = _traced_type(type(obj))
        twin = sc.rebuild_ctype(t, wrapper, None)
        n = len(obj) if hasattr(type(obj), "_length_") else 1
        twin._mpviz_side = _side_block(n)
        naming.set_name(twin, name)
        return twin
    except Exception:
        return obj


def _rebuild_raw(elem, length, wrapper, side, name):
    from multiprocessing import sharedctypes as sc
    base = elem * length if length is not None else elem
    obj = sc.rebuild_ctype(_traced_type(base), wrapper, None)
    obj._mpviz_side = side
    naming.set_name(obj, name)
    return obj


def _patch():
    from multiprocessing import sharedctypes as sc

    global _orig_raw_array
    orig_raw_value, orig_raw_array = sc.RawValue, sc.RawArray
    _orig_raw_array = orig_raw_array

    def RawValue(typecode_or_type, *args):
        obj = orig_raw_value(typecode_or_type, *args)
        fr = naming.creator_frame()  # None when sharedctypes.Value makes it
        if fr is None:
            return obj
        return _trace_raw(obj, naming.creation_name(fr) or naming.fresh("value"))

    def RawArray(typecode_or_type, size_or_initializer):
        obj = orig_raw_array(typecode_or_type, size_or_initializer)
        fr = naming.creator_frame()
        if fr is None:
            return obj
        return _trace_raw(obj, naming.creation_name(fr) or naming.fresh("array"))

    sc.RawValue, sc.RawArray = RawValue, RawArray

    orig_reduce_ctype = sc.reduce_ctype

    def reduce_ctype(obj):
        side = obj.__dict__.get("_mpviz_side") if hasattr(obj, "__dict__") else None
        if side is None or type(obj) not in _traced_types.values():
            return orig_reduce_ctype(obj)
        from multiprocessing.context import assert_spawning
        assert_spawning(obj)
        base = type(obj).__mro__[1]
        # An array type is rebuilt from its element type and length (array
        # types are not module attributes: they cannot be pickled by name).
        elem, length = (base._type_, base._length_) if hasattr(base, "_length_") else (base, None)
        return _rebuild_raw, (elem, length, obj._wrapper, side, naming.get_name(obj))

    sc.reduce_ctype = reduce_ctype

    orig_value, orig_array = sc.Value, sc.Array

    def Value(typecode_or_type, *args, lock=True, ctx=None):
        if lock is False:  # a raw value: traced as RawValue
            fr = naming.creator_frame()
            obj = orig_value(typecode_or_type, *args, lock=lock, ctx=ctx)
            if fr is None:
                return obj
            return _trace_raw(obj, naming.creation_name(fr) or naming.fresh("value"))
        obj = orig_value(typecode_or_type, *args, lock=lock, ctx=ctx)
        if isinstance(obj, sc.Synchronized):
            fr = naming.creator_frame()
            _attach(obj, 1, naming.creation_name(fr) or naming.fresh("value"))
        return obj

    def Array(typecode_or_type, size_or_initializer, *, lock=True, ctx=None):
        if lock is False:
            fr = naming.creator_frame()
            obj = orig_array(typecode_or_type, size_or_initializer, lock=lock, ctx=ctx)
            if fr is None:
                return obj
            return _trace_raw(obj, naming.creation_name(fr) or naming.fresh("array"))
        obj = orig_array(typecode_or_type, size_or_initializer, lock=lock, ctx=ctx)
        if isinstance(obj, sc.SynchronizedArray):
            fr = naming.creator_frame()
            _attach(obj, len(obj._obj), naming.creation_name(fr) or naming.fresh("array"))
        return obj

    sc.Value, sc.Array = Value, Array

    prop = sc.Synchronized.value
    orig_get, orig_set = prop.fget, prop.fset

    def get_value(self):
        fr = _user_frame()
        if fr is None or "_mpviz_side" not in self.__dict__:
            return orig_get(self)
        return _read(self, fr, None, lambda: self._obj.value)

    def set_value(self, value):
        fr = _user_frame()
        if fr is None or "_mpviz_side" not in self.__dict__:
            return orig_set(self, value)

        def store():
            self._obj.value = value
        _write(self, fr, None, store, value)

    sc.Synchronized.value = property(get_value, set_value)

    SA = sc.SynchronizedArray
    orig_getitem, orig_setitem = SA.__getitem__, SA.__setitem__

    def getitem(self, i):
        fr = _user_frame()
        if fr is None or "_mpviz_side" not in self.__dict__ or not isinstance(i, int):
            return orig_getitem(self, i)
        n = len(self._obj)
        j = i + n if i < 0 else i
        if not 0 <= j < n:
            return orig_getitem(self, i)
        return _read(self, fr, j, lambda: self._obj[j])

    def setitem(self, i, value):
        fr = _user_frame()
        if fr is None or "_mpviz_side" not in self.__dict__ or not isinstance(i, int):
            return orig_setitem(self, i, value)
        n = len(self._obj)
        j = i + n if i < 0 else i
        if not 0 <= j < n:
            return orig_setitem(self, i, value)

        def store():
            self._obj[j] = value
        _write(self, fr, j, store, value)

    SA.__getitem__, SA.__setitem__ = getitem, setitem

    # Spawned children: the wrapper is rebuilt from (obj, lock); the side
    # block and the name travel with it.
    orig_reduce = sc.SynchronizedBase.__reduce__

    def reduce(self):
        rv = orig_reduce(self)
        side = self.__dict__.get("_mpviz_side")
        if side is None:
            return rv
        return _rebuild, (rv[0], rv[1], side, naming.get_name(self))

    sc.SynchronizedBase.__reduce__ = reduce


def _rebuild(func, args, side, name):
    obj = func(*args)
    try:
        obj._mpviz_side = side
        if name:
            naming.set_name(obj, name)
            naming.set_name(obj._lock, name + ".lock")
    except Exception:
        pass
    return obj


def safe_emit_pending():
    """For other families: say the pending read now; never raises."""
    try:
        _emit_pending()
    except Exception:
        pass


def install():
    _patch()
    import atexit
    atexit.register(safe_emit_pending)  # runs before core's final flush (registered earlier)
    em = core._EMITTER
    if em is not None:  # every flush (before blocking, print, exit) says the pending read first
        orig_flush = em.flush

        def flush():
            _emit_pending()
            orig_flush()
        em.flush = flush
    # A fork: the parent says its pending read first; the child has none.
    os.register_at_fork(before=_emit_pending, after_in_child=_drop_pending)


def _drop_pending():
    _tls.pending = None
