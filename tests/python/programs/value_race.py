# The lost-update race: N processes each do counter.value += 1 K times,
# without the lock (or with it: RACE_LOCK=1). Prints the final value.
import os
import sys
from multiprocessing import Process, Value


def work(counter, k, use_lock):
    for _ in range(k):
        if use_lock:
            with counter.get_lock():
                counter.value += 1
        else:
            counter.value += 1


if __name__ == '__main__':
    n, k = int(sys.argv[1]), int(sys.argv[2])
    use_lock = len(sys.argv) > 3 and sys.argv[3] == 'lock'
    counter = Value('i', 0)
    procs = [Process(target=work, args=(counter, k, use_lock)) for _ in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(f'final {counter.value} of {n * k}')
