# A shared Value and lost updates: each child does counter.value += 1
# K times. `+= 1` is a read, then a write: without the lock, two processes
# can read the same number and one update is lost.
from multiprocessing import Process, Value

N, K = 4, 1000
USE_LOCK = False


class MyProcess(Process):
    def __init__(self, counter):
        Process.__init__(self)
        self.counter = counter

    def run(self):
        for _ in range(K):
            if USE_LOCK:
                with self.counter.get_lock():
                    self.counter.value += 1
            else:
                self.counter.value += 1


if __name__ == '__main__':
    counter = Value('i', 0)
    ps = [MyProcess(counter) for _ in range(N)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(f'counter.value = {counter.value}')
