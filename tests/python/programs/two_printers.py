# Explore test: two processes print twice each, with no lock and no sleep;
# the order of the four lines is up to the scheduler.
from multiprocessing import Process


def say(who):
    for i in range(2):
        print(f"{who} {i}")


if __name__ == "__main__":
    ps = [Process(target=say, args=(w,)) for w in ("A", "B")]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
