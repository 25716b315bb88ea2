# JoinableQueue, map_async/starmap_async, Pool.join, terminate and kill.
import time
from multiprocessing import JoinableQueue, Pool, Process


def consumer(tasks):
    while True:
        item = tasks.get()
        tasks.task_done()
        if item is None:
            break


def add(a, b):
    return a + b


def square(x):
    return x * x


if __name__ == '__main__':
    tasks = JoinableQueue()
    c = Process(target=consumer, args=(tasks,))
    c.start()
    for item in (1, 2, None):
        tasks.put(item)
    tasks.join()
    c.join()
    print('queue joined')
    pool = Pool(2)
    print(pool.map_async(square, [1, 2, 3]).get())
    print(pool.starmap_async(add, [(1, 2), (3, 4)]).get())
    pool.close()
    pool.join()
    for how in ('terminate', 'kill'):
        p = Process(target=time.sleep, args=(60,))
        p.start()
        getattr(p, how)()
        p.join()
        print(how, p.exitcode)
