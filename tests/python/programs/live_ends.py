# A sleep and a pool task end, then the program blocks in an untraced wait:
# their ends must be visible while it waits (not only at exit).
import os
import time
from multiprocessing import Pool


def work():
    return 1


if __name__ == '__main__':
    with Pool(1) as pool:
        pool.apply(work)
        time.sleep(0.01)
        r, w = os.pipe()
        os.read(r, 1)  # never written: the test stops the run
