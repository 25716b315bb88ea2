# The program picks its own start method; an unbounded and a bounded queue.
import multiprocessing as mp


def child(q):
    q.put('hi')


if __name__ == '__main__':
    mp.set_start_method('spawn')
    unbounded, bounded = mp.Queue(), mp.Queue(3)
    bounded.put(1)
    p = mp.Process(target=child, args=(unbounded,))
    p.start()
    print(unbounded.get(), bounded.get())
    p.join()
