# Section 2 - a Process subclass whose run() loops, sleeps and prints.
from multiprocessing import Process
import time


class MyProcess(Process):
    def __init__(self, loop):
        Process.__init__(self)
        self.loop = loop

    def run(self):  # called in the child by start()
        for count in range(self.loop):
            time.sleep(1)
            print(f'Pid: {self.pid} LoopCount: {count}')


if __name__ == '__main__':
    for i in range(2, 5):
        p = MyProcess(i)
        p.daemon = True  # daemon children die when main ends...
        p.start()
    # ...and main ends right here.
