"""The Python tracer's per-operation cost: one uncontended Lock
acquire+release from the program's own code, untraced, with the tracer's C
hot path and with its pure-Python path. The tracer writes to /dev/null (no
engine: only the program's side). Prints one JSON object (ns per
acquire+release: median of REPS runs of N pairs, CPU time of the process and
wall time).
    /usr/bin/python3 bench/python/tracer_micro.py [--ext-dir DIR] [--n N] [--reps R]
DIR is the build's tracer_ext folder (where _mpviz_fast*.so is)."""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TRACER = os.path.join(HERE, "..", "..", "assets", "python")

CHILD = r"""
import sys, time
from multiprocessing import Lock
lock = Lock()
n = int(sys.argv[1])
def run():
    for _ in range(n):
        lock.acquire()
        lock.release()
run()  # names found and cached, as in a program's steady state
c, w = time.process_time(), time.perf_counter()
run()
print((time.process_time() - c) / n * 1e9, (time.perf_counter() - w) / n * 1e9)
path = sys.modules.get("mpviz_trace.core")
print(path.PATH if path else "untraced")
"""


def measure(mode, ext_dir, n, reps):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MPVIZ_") and k != "PYTHONPATH"}
    if mode != "untraced":
        env.update(PYTHONPATH=TRACER, MPVIZ_EVENT_FD="9", MPVIZ_TRACER_EXT_DIR=ext_dir or "")
        if mode == "pure":
            env["MPVIZ_TRACER_PURE"] = "1"
    cpu, wall, path = [], [], None
    for _ in range(reps):
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 9, inheritable=True)
        os.close(fd)
        try:
            out = subprocess.run([sys.executable, "-c", CHILD, str(n)], env=env, pass_fds=(9,),
                                 capture_output=True, text=True, check=True).stdout.split()
        finally:
            os.close(9)
        cpu.append(float(out[0]))
        wall.append(float(out[1]))
        path = out[2]
    return {"cpu_ns": statistics.median(cpu), "wall_ns": statistics.median(wall), "path": path}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext-dir", default=os.environ.get("MPVIZ_TRACER_EXT_DIR", ""))
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    res = {m: measure(m, a.ext_dir, a.n if m != "pure" else a.n // 5, a.reps)
           for m in ("untraced", "fast", "pure")}
    res["_meta"] = {"python": sys.version.split()[0], "executable": sys.executable, "n": a.n,
                    "reps": a.reps}
    print(json.dumps(res))


if __name__ == "__main__":
    main()
