# A student's error inside traced operations: the tracebacks (child's and
# main's) must read as they do without mpviz.
from multiprocessing import Process, Queue


def child(q):
    q.close()
    q.put(1)


if __name__ == '__main__':
    q = Queue()
    p = Process(target=child, args=(q,))
    p.start()
    p.join()
    print('exit', p.exitcode, flush=True)
    q.close()
    q.put(2)
