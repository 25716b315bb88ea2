# Object identity across processes: one queue passed to two children keeps
# one name; two pipes have two names; a one-way pipe's write end is end 1;
# an object created after another was garbage-collected never inherits the
# old one's name.
import gc
from multiprocessing import Array, Condition, Pipe, Process, Queue


def child(jobs, left, right, out, cells, k):
    jobs.put(f'job {k}')
    left.send(f'left {k}')
    right.send(f'right {k}')
    out.send(f'one-way {k}')
    cells[k] = k + 10


if __name__ == '__main__':
    q = Queue()
    a_parent, a_child = Pipe()
    b_parent, b_child = Pipe()
    r, w = Pipe(duplex=False)
    arr = Array('i', 3)
    procs = [Process(target=child, args=(q, a_child, b_child, w, arr, k)) for k in range(2)]
    for p in procs:
        p.start()
    got = sorted([q.get() for _ in range(2)] + [a_parent.recv() for _ in range(2)]
                 + [b_parent.recv() for _ in range(2)] + [r.recv() for _ in range(2)])
    for p in procs:
        p.join()
    print(got)
    print('cells', arr[0], arr[1], arr[2])
    tmp = Queue()
    tmp.put('temporary')
    print(tmp.get())
    del tmp
    gc.collect()
    conds = [Condition()]
    with conds[0]:
        print('inside the condition')
