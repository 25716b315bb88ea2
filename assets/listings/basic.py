# Section 1 - basic use: start ten processes, each prints its number.
import multiprocessing


def process(index):
    print(f'Process: {index}')


if __name__ == '__main__':
    for i in range(10):
        p = multiprocessing.Process(target=process, args=(i,))
        p.start()
    # No join() here: Python still waits for non-daemon children at exit.
