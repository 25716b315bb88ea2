# Issue 15's observer effect: 4 processes each add 1 to a shared Value
# 2,000 times without holding its lock across the read and the write. In
# plain CPython each process is done before the next one starts (the count
# ends at 8000); a tracer slow enough to make them overlap loses updates.
#     python3 lost_update.py [PROCESSES=4] [LOOPS=2000]
import sys
from multiprocessing import Process, Value


def work(counter, loops):
    for _ in range(loops):
        counter.value += 1


if __name__ == '__main__':
    procs = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    loops = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    counter = Value('i', 0)
    ps = [Process(target=work, args=(counter, loops)) for _ in range(procs)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(f'final count: {counter.value}')
