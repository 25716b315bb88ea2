# Tutorial section 5 (assets/listings/semaphore.py) made finite: each side
# handles ITEMS items (mpviz's `items` parameter; the listing loops forever),
# and time.sleep is a no-op, as under `mpviz run semaphore --speed 0`.
#     python3 semaphore_prog.py [ITEMS=100]
from multiprocessing import Process, Queue, Lock, Semaphore
import sys


def sleep(_seconds):
    pass


class Consumer(Process):
    def __init__(self, buffer, empty, full, lock, items):
        Process.__init__(self)
        self.buffer, self.empty, self.full, self.lock = buffer, empty, full, lock
        self.items = items

    def run(self):
        for _ in range(self.items):
            self.full.acquire()
            self.lock.acquire()
            self.buffer.get()
            print('Cunsumer pop an element')
            sleep(1)
            self.lock.release()
            self.empty.release()


class Producer(Process):
    def __init__(self, buffer, empty, full, lock, items):
        Process.__init__(self)
        self.buffer, self.empty, self.full, self.lock = buffer, empty, full, lock
        self.items = items

    def run(self):
        for _ in range(self.items):
            self.empty.acquire()
            self.lock.acquire()
            self.buffer.put(1)
            print('Producer append an element')
            sleep(1)
            self.lock.release()
            self.full.release()


if __name__ == '__main__':
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    buffer = Queue(10)
    empty = Semaphore(2)
    full = Semaphore(0)
    lock = Lock()
    p = Producer(buffer, empty, full, lock, items)
    c = Consumer(buffer, empty, full, lock, items)
    p.daemon = c.daemon = True
    c.start()
    p.start()
    p.join()
    c.join()
    print('Main Process end')
