# Output by every means: mpviz must pass it through byte for byte and
# record exactly what each write wrote.
import os
import sys
from multiprocessing import Process


def child():
    sys.stdout.write('child ')
    print('says', 'hi', sep='-', end='!\n')
    sys.stdout.flush()


if __name__ == '__main__':
    sys.stdout.write('no newline;')
    print('a', end=' ')
    print('b', 'c', sep=', ')
    print('to stderr', file=sys.stderr)
    sys.stderr.write('partial stderr')
    sys.stderr.write(' line\n')
    sys.stdout.flush()
    os.write(1, b'raw fd write\n')
    p = Process(target=child)
    p.start()
    p.join()
    print('end')
