# Items and objects the tracer cannot describe: the program still runs
# exactly as without mpviz (it used to hang on the put).
from multiprocessing import Process, Queue


class Shy:
    def __str__(self):
        raise RuntimeError('no text for you')

    def __repr__(self):
        raise RuntimeError('none at all')


def child(q, out):
    item = q.get()
    out.put(type(item).__name__)


if __name__ == '__main__':
    q, out = Queue(), Queue()
    p = Process(target=child, args=(q, out))
    p.start()
    q.put(Shy())
    print('child got', out.get())
    p.join()
    print('exit', p.exitcode)
