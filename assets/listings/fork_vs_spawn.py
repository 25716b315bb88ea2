# Sections 6 and 8 - a module-level Queue under fork and under spawn.
from multiprocessing import Process, Queue

buffer = Queue()   # runs again in a spawned child: a NEW queue there


def worker():
    buffer.put(1)


if __name__ == '__main__':
    p = Process(target=worker)
    p.start()
    p.join()
    print(buffer.qsize())   # fork: 1, spawn: 0
