"""multiprocessing.connection: Pipe() (which end each connection is, kept
in the environment for spawned children) and Connection.send/recv
(pipe_send, pipe_recv_wait/pipe_recv)."""
import os

from . import core
from .core import _flush, _pass, _user_frame, emit
from .core import _name as name_of


def _end_of(conn):
    """Which end of its Pipe() a connection is: remembered by inode in the
    environment, so spawned children (started later) know it too. The end
    naming.py stored on the connection wins (a one-way pipe's two fds share
    one inode)."""
    end = getattr(conn, "_mpviz_end", None)
    if end is not None:
        return end
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
        core.safe(_remember_ends, a, b)
        return a, b

    def _remember_ends(a, b):
        ends = os.environ.get("MPVIZ_PIPE_ENDS", "")
        for end, c in ((0, a), (1, b)):
            ends += ",%d:%d" % (os.fstat(c.fileno()).st_ino, end)
        os.environ["MPVIZ_PIPE_ENDS"] = ends.lstrip(",")

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
            emit("pipe_send", fr, name=name, other=core.safe(_end_of, self, default=0), text=obj)
        return orig_send(self, obj)

    def recv(self):
        fr = _user_frame()
        if fr is None:
            return orig_recv(self)
        end = core.safe(_end_of, self, default=0)
        name = name_of(self, fr, "pipe")
        _pass("pipe_recv", name)
        emit("pipe_recv_wait", fr, name=name, other=end)
        try:
            ready = self.poll()
        except Exception:  # closed, EOF: recv says so itself
            ready = False
        if not ready:
            _flush()  # about to block
        try:
            obj = orig_recv(self)
        except BaseException:  # EOFError (the other end closed), OSError, ...
            emit("op_timeout", fr, name=name, text="recv")
            _flush()
            raise
        emit("pipe_recv", fr, name=name, other=end, text=obj)
        return obj

    base.send, base.recv = send, recv


def install():
    _patch_pipes()
