# Beyond section 4 - two locks taken in opposite order: a deadlock.
from multiprocessing import Process, Lock
import time


def worker(first, second):
    first.acquire()
    print('got one lock, now waiting for the other')
    time.sleep(0.5)            # let the other worker take its first lock
    second.acquire()           # waits forever: the other worker holds it
    print('got both')
    second.release()
    first.release()


if __name__ == '__main__':
    lock_a = Lock()
    lock_b = Lock()
    w1 = Process(target=worker, args=(lock_a, lock_b))
    w2 = Process(target=worker, args=(lock_b, lock_a))
    w1.start()
    w2.start()
    w1.join()
    w2.join()
