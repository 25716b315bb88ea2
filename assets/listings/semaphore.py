# Section 5 - producer / consumer with two semaphores, a lock and a queue.
from multiprocessing import Process, Queue, Lock, Semaphore
import time


class Consumer(Process):
    def __init__(self, buffer, empty, full, lock):
        Process.__init__(self)
        self.buffer = buffer
        self.empty = empty
        self.full = full
        self.lock = lock

    def run(self):
        while True:
            self.full.acquire()    # wait for a filled slot
            self.lock.acquire()
            self.buffer.get()
            print('Cunsumer pop an element')   # (sic)
            time.sleep(1)
            self.lock.release()
            self.empty.release()   # one more free slot


class Producer(Process):
    def __init__(self, buffer, empty, full, lock):
        Process.__init__(self)
        self.buffer = buffer
        self.empty = empty
        self.full = full
        self.lock = lock

    def run(self):
        while True:
            self.empty.acquire()   # wait for a free slot
            self.lock.acquire()
            self.buffer.put(1)
            print('Producer append an element')
            time.sleep(1)
            self.lock.release()
            self.full.release()    # one more filled slot


if __name__ == '__main__':
    buffer = Queue(10)
    empty = Semaphore(2)
    full = Semaphore(0)
    lock = Lock()
    p = Producer(buffer, empty, full, lock)
    c = Consumer(buffer, empty, full, lock)
    p.daemon = c.daemon = True
    c.start()
    p.start()
    p.join()
    c.join()
    print('Main Process end')
