# time.sleep and print as tasks and targets: they must pickle (spawn,
# forkserver, Pool) under mpviz as without it.
import time
from multiprocessing import Pool, Process

if __name__ == '__main__':
    p = Process(target=time.sleep, args=(0.05,))
    p.start()
    p.join()
    print('sleep target exit', p.exitcode, flush=True)
    pool = Pool(1)
    pool.apply_async(time.sleep, (0.05,)).get()
    pool.map(print, ['x', 'y', 'z'])
    pool.close()
    pool.join()
    print('done')
