# Tutorial section 10 (assets/listings/pool_apply_async.py) with the task
# count and pool size as arguments and time.sleep a no-op, as under
# `mpviz run pool-apply-async --speed 0 --set tasks=N --set workers=W`.
#     python3 pool_prog.py [TASKS=4] [WORKERS=3]
from multiprocessing import Pool
import sys


def sleep(_seconds):
    pass


def function(index):
    print(f'Start process: {index}')
    sleep(3)
    print(f'End process: {index}')


if __name__ == '__main__':
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    pool = Pool(workers)
    for i in range(tasks):
        pool.apply_async(function, args=(i,))
    print('Main process started')
    pool.close()
    pool.join()
    print('Main process ended')
