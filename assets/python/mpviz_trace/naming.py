"""How traced objects get their names: the variable or attribute name the
program gives a shared object (lock, empty, full, buffer, pipe), found in the
program's frames; else the type's default name and a number."""
import itertools

_names = {}           # id(obj) -> name, per process
_name_counter = itertools.count(1)


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
