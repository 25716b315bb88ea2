#!/usr/bin/python3
"""Median wall time of whole commands, interleaved round-robin so that machine
noise hits every command alike. Stdlib only.

    wall_time.py SPEC.json        SPEC: {"reps": R, "commands": {NAME: [ARGV...], ...}}

Each command runs R times (after one untimed warm-up run that also checks it
succeeds) with stdin/stdout on /dev/null; stderr is kept for diagnosis.
Prints one JSON object: NAME -> {"median", "min", "max", "all"} in seconds.
A command that fails is reported as {"error": "..."} and not timed again.
"""
import json
import statistics
import subprocess
import sys
import time


def run(argv):
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=300)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError("exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[-300:]))
    return dt


def main():
    spec = json.load(open(sys.argv[1]))
    reps, cmds = spec["reps"], spec["commands"]
    times = {k: [] for k in cmds}
    errors = {}
    for name, argv in cmds.items():  # warm-up: page cache, and fail early
        try:
            run(argv)
        except Exception as e:  # noqa: BLE001 - reported in the JSON
            errors[name] = str(e)
    for _ in range(reps):
        for name, argv in cmds.items():
            if name in errors:
                continue
            try:
                times[name].append(run(argv))
            except Exception as e:  # noqa: BLE001
                errors[name] = str(e)
    out = {}
    for name in cmds:
        if name in errors:
            out[name] = {"error": errors[name]}
            continue
        v = times[name]
        out[name] = {"median": statistics.median(v), "min": min(v), "max": max(v),
                     "all": [round(x, 6) for x in v]}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
