# Tutorial section 4 (assets/listings/lock.py) with its counts as arguments
# and time.sleep replaced by a no-op, so that CPython runs exactly what
# `mpviz run lock --speed 0 --set first_loop=N --set processes=P` runs.
#     python3 lock_prog.py [FIRST_LOOP=10] [PROCESSES=5]
#     LOCK_PROG_LOOPS=N mpviz run lock_prog.py   (the same, traced by Python mode)
from multiprocessing import Process, Lock
import os
import sys


def sleep(_seconds):  # --speed 0: sleeps are skipped
    pass


class MyProcess(Process):
    def __init__(self, loop, lock):
        Process.__init__(self)
        self.loop = loop
        self.lock = lock

    def run(self):
        for count in range(self.loop):
            sleep(0.1)
            self.lock.acquire()
            print(f'Pid: {self.pid} LoopCount: {count}')
            self.lock.release()


if __name__ == '__main__':
    # `mpviz run PROGRAM.py` passes no arguments: LOCK_PROG_LOOPS then.
    first = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("LOCK_PROG_LOOPS", "10"))
    procs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    lock = Lock()
    for i in range(first, first + procs):
        p = MyProcess(i, lock)
        p.start()
