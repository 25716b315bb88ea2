"""How traced objects get their names: every object is named once, by the
name the program gives it where it is created (`counter = Value(...)` ->
`counter`, `self.q = Queue()` -> `q`, `a, b = Pipe()` -> `a`, `b`), read
from the bytecode of the creating statement. The name is stored on the
object itself (`_mpviz_name`), so it is inherited by forked children and
travels in the object's pickled state to spawned ones (see carry_name);
nothing is cached by id(), which CPython reuses after garbage collection.

Objects created elsewhere (a function's return value, a list element) get
the type's default name and a number, once. Objects CPython creates for its
own use are never named here: their operations come from the standard
library's frames and are not traced, or they are named after their owner
(`counter.lock`)."""
import bisect
import dis
import itertools
import os
import sys

_ATTR = "_mpviz_name"
_name_counter = itertools.count(1)
_code_cache = {}      # code object -> [offsets], [instructions]
_MP_DIR = os.path.join(os.path.dirname(os.__file__), "multiprocessing")
_HERE = os.path.dirname(__file__)
_STDLIB = os.path.dirname(os.__file__)
_CONTEXT = os.path.join(_MP_DIR, "context.py")
_STORES = ("STORE_NAME", "STORE_FAST", "STORE_GLOBAL", "STORE_DEREF", "STORE_ATTR")


def fresh(default):
    return "%s-%d" % (default, next(_name_counter))


def get_name(obj):
    try:
        return obj.__dict__.get(_ATTR)
    except AttributeError:
        return None


def set_name(obj, name):
    try:
        obj.__dict__[_ATTR] = name
    except AttributeError:
        pass


def creator_frame():
    """The program's frame that is creating an object right now, or None for
    an object CPython creates for its own use (a Queue's locks, a Value's
    RLock, a Pool's queues). Walks out of: this package and the object's own
    constructors (`__init__` in multiprocessing), then multiprocessing's
    factories (context.py: `multiprocessing.Queue()`); the next frame must be
    the program's, not another part of multiprocessing or the stdlib."""
    f = sys._getframe(1)
    while f is not None and (f.f_code.co_filename.startswith(_HERE) or (
            f.f_code.co_filename.startswith(_MP_DIR) and f.f_code.co_name == "__init__")):
        f = f.f_back
    while f is not None and (f.f_code.co_filename.startswith(_HERE)
                             or f.f_code.co_filename == _CONTEXT):
        f = f.f_back
    if f is None:
        return None
    fn = f.f_code.co_filename
    if fn.startswith(_STDLIB) and "site-packages" not in fn:
        return None
    return f


def _instructions(code):
    got = _code_cache.get(code)
    if got is None:
        ins = [i for i in dis.get_instructions(code) if i.opname != "CACHE"]
        got = ([i.offset for i in ins], ins)
        _code_cache[code] = got
    return got


def assigned_names(frame):
    """The names the statement running in `frame` stores the result of the
    current call into: ['q'] for `q = Queue()` or `self.q = Queue()`,
    ['a', 'b'] for `a, b = Pipe()`; [] when the result is not stored."""
    if frame is None:
        return []
    try:
        offsets, ins = _instructions(frame.f_code)
        # f_lasti is the CALL running now, or (3.11) its last inline cache
        # entry: the call is the last instruction at or before it.
        k = bisect.bisect_right(offsets, frame.f_lasti) - 1
        if k < 0 or not ins[k].opname.startswith("CALL"):
            return []
        k += 1
        while k < len(ins) and ins[k].opname in ("NOP", "EXTENDED_ARG"):
            k += 1
        if k >= len(ins):
            return []
        i = ins[k]
        if (i.opname.startswith("LOAD_") and k + 1 < len(ins)
                and ins[k + 1].opname == "STORE_ATTR"):  # self.q = Queue()
            return [ins[k + 1].argval]
        if i.opname in _STORES:
            return [i.argval]
        if i.opname == "UNPACK_SEQUENCE":
            out = []
            for j in ins[k + 1:k + 1 + i.argval]:
                if j.opname not in _STORES:
                    return []
                out.append(j.argval)
            return out
        # `q, out = Queue(), Queue()`: the later calls, then SWAP n (3.11)
        # or BUILD_TUPLE n + UNPACK_SEQUENCE n, then n stores in order.
        later = 0
        while k < len(ins) and (ins[k].opname.startswith(("LOAD_", "PUSH_NULL", "PRECALL", "KW_NAMES",
                                                             "NOP", "EXTENDED_ARG", "CACHE"))
                                or ins[k].opname.startswith("CALL")):
            if ins[k].opname.startswith("CALL"):
                later += 1
            k += 1
        if k >= len(ins):
            return []
        n = 0
        if ins[k].opname == "SWAP":
            n = ins[k].argval
            k += 1
        elif (ins[k].opname == "BUILD_TUPLE" and k + 1 < len(ins)
              and ins[k + 1].opname == "UNPACK_SEQUENCE" and ins[k + 1].argval == ins[k].argval):
            n = ins[k].argval
            k += 2
        if n < 2 or later >= n:
            return []
        stores = ins[k:k + n]
        if len(stores) < n or any(j.opname not in _STORES for j in stores):
            return []
        # Only our own value is meant: the call `later` calls before the last.
        return [stores[n - 1 - later].argval]
    except Exception:
        pass
    return []


def creation_name(frame, position=0):
    names = assigned_names(frame)
    if position < len(names) and not names[position].startswith("_"):
        return names[position]
    return None


def name_at_creation(obj, default, frame=None, position=0):
    """Names a new object after the program's variable (called from a
    creation hook); leaves objects CPython makes for itself unnamed."""
    if get_name(obj) is not None:
        return
    fr = frame if frame is not None else creator_frame()
    if fr is None:
        return
    set_name(obj, creation_name(fr, position) or fresh(default))


def name_of(obj, frame, default):
    """The object's name: the one given at creation, else (an object whose
    creation was not seen) the variable the program uses for it, found once
    in the program's frames and then kept on the object."""
    name = get_name(obj)
    if name is not None:
        return name
    f = frame
    found = None
    while f is not None and found is None:
        for k, v in f.f_locals.items():
            if v is obj and not k.startswith("_"):
                found = k
                break
            if k == "self" and hasattr(v, "__dict__"):
                for ak, av in vars(v).items():
                    if av is obj and not ak.startswith("_"):
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
    name = found or fresh(default)
    set_name(obj, name)
    return name


def carry_name(cls):
    """Makes cls's pickled state (spawn, Pool tasks) carry the object's name."""
    orig_get = cls.__getstate__
    orig_set = cls.__setstate__

    def __getstate__(self):
        state = orig_get(self)
        name = get_name(self)
        return state if name is None else ("__mpviz_named__", name, state)

    def __setstate__(self, state):
        if isinstance(state, tuple) and len(state) == 3 and state[0] == "__mpviz_named__":
            orig_set(self, state[2])
            set_name(self, state[1])
        else:
            orig_set(self, state)

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__


def _patch_creations():
    """Names objects where the program creates them."""
    from multiprocessing import connection, queues, synchronize

    def named_init(cls, default):
        orig_init = cls.__init__

        def __init__(self, *a, **kw):
            orig_init(self, *a, **kw)
            try:
                name_at_creation(self, default)
            except Exception:
                pass
        cls.__init__ = __init__

    for cls, default in ((queues.Queue, "queue"), (queues.SimpleQueue, "queue"),
                         (synchronize.Lock, "lock"), (synchronize.RLock, "rlock"),
                         (synchronize.Semaphore, "semaphore"),
                         (synchronize.Condition, "condition"), (synchronize.Event, "event")):
        named_init(cls, default)
    # (An Event's state is its __dict__: the name travels by itself.)
    for cls in (queues.Queue, queues.SimpleQueue, synchronize.SemLock, synchronize.Condition):
        carry_name(cls)

    orig_pipe = connection.Pipe

    def Pipe(duplex=True):
        a, b = orig_pipe(duplex)
        try:
            fr = creator_frame()
            if fr is not None:
                names = assigned_names(fr)
                # One pipe, one name, its two ends 0 and 1 (`pipe = Pipe()`
                # -> pipe; `a, b = Pipe()` -> a/b).
                names = [n for n in names if not n.startswith("_")]
                name = "/".join(names) if names else fresh("pipe")
                for end, c in ((0, a), (1, b)):
                    set_name(c, name)
                    c.__dict__["_mpviz_end"] = end
        except Exception:
            pass
        return a, b

    connection.Pipe = Pipe
    import multiprocessing.context as ctx
    ctx.BaseContext.Pipe = lambda self, duplex=True: connection.Pipe(duplex)

    # Connections are pickled by a reducer (spawn): it carries the name too.
    from multiprocessing import reduction
    orig_reduce = reduction.ForkingPickler._extra_reducers.get(connection.Connection)
    if orig_reduce is not None:
        def reduce_connection(conn):
            rv = orig_reduce(conn)
            name = get_name(conn)
            if name is None:
                return rv
            return _rebuild_named, (rv[0], rv[1], name, conn.__dict__.get("_mpviz_end"))
        reduction.register(connection.Connection, reduce_connection)


def _rebuild_named(func, args, name, end=None):
    obj = func(*args)
    set_name(obj, name)
    if end is not None:
        obj.__dict__["_mpviz_end"] = end
    return obj


def install():
    try:
        _patch_creations()
    except Exception:
        pass
