# A student's program with a bug: one child raises, so it exits with code 1.
# The GUI test checks that its lane ends "failed" (tests/gui/CMakeLists.txt).
from multiprocessing import Process
import time


def work(n):
    time.sleep(0.3)
    print('working on', n)
    if n == 2:
        raise ValueError('student bug in task %d' % n)
    time.sleep(0.3)


if __name__ == '__main__':
    ps = [Process(target=work, args=(i,)) for i in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print('exit codes:', [p.exitcode for p in ps])
