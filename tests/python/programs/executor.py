# concurrent.futures.ProcessPoolExecutor: traced like a Pool.
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed


def cube(x):
    return x ** 3


if __name__ == '__main__':
    ctx = multiprocessing.get_context()  # the run's method (--method)
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as executor:
        futures = [executor.submit(cube, n) for n in range(3)]
        print(sorted(f.result() for f in as_completed(futures)))
        print(futures[0].result())
        print(list(executor.map(cube, [3, 4])))
    ex2 = ProcessPoolExecutor(max_workers=1)
    print(ex2.submit(cube, 5).result())
    ex2.shutdown()
    print('done')
