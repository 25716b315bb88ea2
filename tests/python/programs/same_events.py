# One program using every traced family with a deterministic order inside
# each process: its recording must be the same with the tracer's C extension
# and with the pure-Python tracer (MPVIZ_TRACER_PURE=1).
#     python3 same_events.py [fork|spawn]   (mpviz run: --method instead)
import multiprocessing as mp
import sys
import time


def worker(lock, rlock, sem, queue, conn, ready, n):
    ready.wait()
    for i in range(3):
        with lock:
            print(f'worker {n} holds the lock ({i})')
        rlock.acquire()
        rlock.acquire()
        rlock.release()
        rlock.release()
        sem.acquire()
        time.sleep(0.001)
        sem.release()
    queue.put(n * 10)
    conn.send(f'hello from {n}')
    conn.close()


def square(x):
    return x * x


if __name__ == '__main__':
    if len(sys.argv) > 1:
        mp.set_start_method(sys.argv[1])
    lock = mp.Lock()
    rlock = mp.RLock()
    sem = mp.Semaphore(2)
    queue = mp.Queue()
    ready = mp.Event()
    pipes = [mp.Pipe() for _ in range(2)]
    workers = [mp.Process(target=worker, args=(lock, rlock, sem, queue, pipes[n][1], ready, n))
               for n in range(2)]
    for w in workers:
        w.start()
    ready.set()
    got = sorted(queue.get() for _ in workers)
    print(f'queue gave {got}')
    for n in range(2):
        print(f'pipe {n} said: {pipes[n][0].recv()}')
    for w in workers:
        w.join()
    with mp.Pool(2) as pool:
        print(f'pool squares: {pool.map(square, range(4))}')
    print('done')
