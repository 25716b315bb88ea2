"""mpviz's tracing layer for real Python programs (`mpviz run PROGRAM.py`).

Injected through PYTHONPATH (sitecustomize), it wraps multiprocessing —
Process (subclasses too), Lock, RLock, Semaphore, BoundedSemaphore, Event,
Condition, Queue, SimpleQueue, JoinableQueue, Pipe/Connection, Pool (apply,
apply_async, map, map_async, imap, imap_unordered, starmap, starmap_async,
join), concurrent.futures.ProcessPoolExecutor — plus time.sleep and the
program's output (sys.stdout/sys.stderr), and writes the same frames into the same event pipe as mpviz's C++
runtime, with the Python source line of each operation. Operations made by
multiprocessing's own internals are not traced: only what the student's code
does; and the tracer never changes what the program does (core.safe,
core._failed: its own failures are caught and counted).

One module per family, laid out like CPython's multiprocessing package:
  core            the event pipe, gate, emitter, --speed; emit and helpers
  naming          how objects get the names the program gives them
  context         --method: the default start method
  process         Process start/bootstrap/join/exit, reaping, helpers
  builtins_hooks  time.sleep, print, sys.stdout and sys.stderr
  synchronize     Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event
  queues          Queue, JoinableQueue, SimpleQueue
  connection      Pipe, Connection.send/recv
  pool            Pool and ProcessPoolExecutor
  values          Value, Array, RawValue, RawArray: value_read / value_write (and `lost`)
  emitter, gate, wire: batching, the step-mode table, the frame encoding.
This file only installs them.
"""
from . import (builtins_hooks, connection, context, core, naming, pool, process, queues,
               synchronize, values)

_installed = False


def install():
    global _installed
    if _installed:
        return
    _installed = True
    core.install(synchronize._unlink_own_semaphores)
    context.install()
    process.install()
    builtins_hooks.install()
    synchronize.install()
    queues.install()
    connection.install()
    pool.install()
    naming.install()   # after connection: wraps its Pipe
    values.install()
