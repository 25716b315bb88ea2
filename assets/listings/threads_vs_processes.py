# Section 7 - the same global counter, changed by threads and by processes.
from multiprocessing import Process
from threading import Thread, Lock
import time

counter = 0
counter_lock = Lock()


def increment(times):
    global counter
    for _ in range(times):
        with counter_lock:
            counter += 1


if __name__ == '__main__':
    t0 = time.perf_counter()
    threads = [Thread(target=increment, args=(1000,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    thread_cost = (time.perf_counter() - t0) / 4
    print(f'threads: counter = {counter} (main sees every increment)')

    counter = 0
    t0 = time.perf_counter()
    procs = [Process(target=increment, args=(1000,)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    process_cost = (time.perf_counter() - t0) / 4
    print(f'processes: counter = {counter} (each child changed its own copy)')
    print(f'start + join cost: thread {thread_cost * 1e6:.0f} us, '
          f'process {process_cost * 1e6:.0f} us')
