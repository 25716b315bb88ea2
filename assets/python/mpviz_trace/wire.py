"""The event pipe's frame format, the same bytes as engine/wire_codec.cpp.

A frame: b"MPVZ" | version u8 | reserved u8 | payload length u16 | CRC-32
(zlib's) u32 | payload. This is version 1 (every field, fixed layout: one
struct.pack); the C++ runtime writes version 3, a compact varint encoding
with CRC-32C (hardware there, not in the stdlib here), and the engine reads
every version. One event per frame here; emitter.py writes several
frames at once, at most PIPE_BUF bytes per os.write()."""
import struct
import zlib

VERSION = 1
MAX_STRING = 1500

# The order of engine/event.hpp's EventKind (1-based).
KINDS = {name: i + 1 for i, name in enumerate([
    "process_start", "process_exit", "process_killed", "join_begin", "join_end",
    "sleep_begin", "sleep_end", "print", "lock_wait", "lock_acquire", "lock_release",
    "sem_wait", "sem_acquire", "sem_release", "queue_put_wait", "queue_put",
    "queue_get_wait", "queue_get", "pipe_send", "pipe_recv_wait", "pipe_recv",
    "pool_submit", "pool_task_begin", "pool_task_end", "run_end", "op_timeout",
    "terminate",
    "value_read", "value_write",
])}

FLAG_DAEMON = 1 << 0
FLAG_TIMED_OUT = 1 << 1
FLAG_SPAWN = 1 << 2
FLAG_HAS_TIMEOUT = 1 << 3
FLAG_REAPED = 1 << 4
FLAG_FORKSERVER = 1 << 5
FLAG_STDERR = 1 << 6      # print: written to stderr

_pack_event = struct.Struct("<BBiqiqqdi").pack
_pack_header = struct.Struct("<4sBBHI").pack
_pack_len = struct.Struct("<H").pack


def _text(s):
    """An item's text: str(), else repr(), else its type (a program's
    __str__ may raise; the tracer must not)."""
    if isinstance(s, str):
        return s
    for f in (str, repr):
        try:
            t = f(s)
            if isinstance(t, str):
                return t
        except Exception:
            pass
    return "<%s>" % type(s).__name__


def _cut(s):
    b = _text(s).encode("utf-8", "replace")
    if len(b) > MAX_STRING:
        b = b[:MAX_STRING - 3] + b"..."
    return b


def encode(kind, pid, t_ns, flags=0, other=0, value=0, limit=0, seconds=0.0, line=0,
           name="", text=""):
    nb = _cut(name) if name else b""
    tb = b"" if isinstance(text, str) and not text else _cut(text)
    payload = b"".join((_pack_event(KINDS[kind], flags, pid, t_ns, other, value, limit,
                                    float(seconds), line),
                        _pack_len(len(nb)), nb, _pack_len(len(tb)), tb))
    return _pack_header(b"MPVZ", VERSION, 0, len(payload), zlib.crc32(payload)) + payload

