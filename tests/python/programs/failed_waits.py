# Waits that end without their operation: each must end with op_timeout.
import queue
from multiprocessing import Lock, Pipe, Queue, Semaphore

if __name__ == '__main__':
    q = Queue()
    try:
        q.get(timeout=0.01)
    except queue.Empty:
        print('get: Empty')
    try:
        q.get(block=False)
    except queue.Empty:
        print('get_nowait: Empty')
    full = Queue(1)
    full.put(1)
    try:
        full.put(2, timeout=0.01)
    except queue.Full:
        print('put: Full')
    lock = Lock()
    lock.acquire()
    print('acquire(False):', lock.acquire(False))
    print('acquire(timeout):', lock.acquire(timeout=0.01))
    sem = Semaphore(0)
    print('sem acquire(False):', sem.acquire(False))
    a, b = Pipe()
    b.close()
    try:
        a.recv()
    except EOFError:
        print('recv: EOFError')
    lock.release()
