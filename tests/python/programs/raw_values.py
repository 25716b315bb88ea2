# RawValue, RawArray and Value(lock=False): plain ctypes objects in shared
# memory, traced all the same (names, reads, writes with their index).
from multiprocessing import Process, RawValue, RawArray, Value
import ctypes
def work(c, a, v):
    for _ in range(300):
        c.value += 1
    a[1] = 7
    v.value = v.value + 0.5
if __name__ == '__main__':
    c = RawValue('i', 0)
    a = RawArray('i', 3)
    v = Value('d', 1.0, lock=False)
    print(isinstance(c, ctypes.c_int), isinstance(v, ctypes.c_double))
    ps = [Process(target=work, args=(c, a, v)) for _ in range(2)]
    for p in ps: p.start()
    for p in ps: p.join()
    print('a', list(a), a[1])
