# Section 10 - Pool(3) and four asynchronous tasks.
from multiprocessing import Pool
import time


def function(index):
    print(f'Start process: {index}')
    time.sleep(3)
    print(f'End process: {index}')


if __name__ == '__main__':
    pool = Pool(3)           # three workers, started now and reused
    for i in range(4):
        pool.apply_async(function, args=(i,))
    print('Main process started')
    pool.close()
    pool.join()
    print('Main process ended')
