#!/usr/bin/env python3
"""Benchmark (not a test) of `mpviz explore`: distinct outcomes found per
100 runs with --perturb pct (and random), against 100 plain repeated runs
(a loop of `mpviz run`, outcomes grouped the same way), and runs per second
with --jobs 1 and --jobs 2.

    bench/explore_bench.py --mpviz build/app/mpviz [--runs 100] [--targets race,deadlock,basic]

Prints one JSON object, and a Markdown table on stderr for docs/performance.md.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time


def outcome_of(lines):
    """The same grouping as engine/explore/outcome.cpp, from a recording."""
    events = [json.loads(l) for l in lines if l.strip()]
    names, count = {}, {}
    for e in events:
        if e.get("kind") == "process_start" and e["pid"] not in names:
            n = e.get("name", "")
            count[n] = count.get(n, 0) + 1
            names[e["pid"]] = n if count[n] == 1 else f"{n}#{count[n]}"

    def nopid(t):
        return re.sub(r"(?<![0-9A-Za-z])([0-9]{1,9})(?![0-9A-Za-z])",
                      lambda m: f"<pid of {names[int(m.group(1))]}>" if int(m.group(1)) in names else m.group(1), t)

    out, finals, exits, status = [], {}, {}, "finished"
    for e in events:
        k = e.get("kind")
        if k == "print":
            out.append(nopid(e.get("text", "")).rstrip("\n"))
        elif k in ("sem_acquire", "sem_release", "value_write", "value_read"):
            finals[e["obj"]] = str(e.get("value"))
        elif k == "process_exit":
            exits[names.get(e["pid"], str(e["pid"]))] = f"exit {e.get('code')}"
        elif k == "run_end":
            status = e.get("status", status)
    return json.dumps([status, out, sorted(finals.items()), sorted(exits.items())])


def explore(mpviz, target, runs, perturb, jobs, sets):
    t = time.monotonic()
    r = subprocess.run([mpviz, "explore", target, "--runs", str(runs), "--perturb", perturb,
                        "--jobs", str(jobs), "--json"] + sets, capture_output=True, text=True, timeout=3600)
    dt = time.monotonic() - t
    j = json.loads(r.stdout)
    return {"distinct": len(j["outcomes"]), "runs": j["runs"], "seconds": round(dt, 2),
            "runs_per_s": round(j["runs"] / dt, 2),
            "deadlocks": sum(o["count"] for o in j["outcomes"] if o["status"] == "deadlock")}


def plain_loop(mpviz, target, runs, sets, duration):
    """What a student can do without explore: run it again and again."""
    seen = set()
    deadlocks = 0
    t = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mpviz-explore-bench.") as d:
        rec = os.path.join(d, "r.jsonl")
        for _ in range(runs):
            subprocess.run([mpviz, "run", target, "--speed", "0", "--quiet", "--duration", str(duration),
                            "--jsonl", rec] + sets, capture_output=True, timeout=120)
            with open(rec) as f:
                o = outcome_of(f.readlines())
            if '"stopped"' in o[:20]:
                deadlocks += 1
            seen.add(o)
    dt = time.monotonic() - t
    return {"distinct": len(seen), "runs": runs, "seconds": round(dt, 2), "runs_per_s": round(runs / dt, 2),
            "deadlocks": deadlocks}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mpviz", required=True)
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--targets", default="race,deadlock,basic")
    a = ap.parse_args()
    have = subprocess.run([a.mpviz, "list"], capture_output=True, text=True).stdout
    sets = {"basic": ["--set", "processes=4"], "race": ["--set", "processes=2", "--set", "increments=3"], "deadlock": []}
    res = {"runs": a.runs, "targets": {}}
    for t in a.targets.split(","):
        if not re.search(rf"^{re.escape(t)}\s", have, re.M):
            print(f"[explore-bench] no scenario {t}; skipped", file=sys.stderr)
            continue
        s = sets.get(t, [])
        print(f"[explore-bench] {t}", file=sys.stderr)
        res["targets"][t] = {
            "plain_loop": plain_loop(a.mpviz, t, a.runs, s, 2),
            "none": explore(a.mpviz, t, a.runs, "none", 1, s),
            "random": explore(a.mpviz, t, a.runs, "random", 1, s),
            "pct": explore(a.mpviz, t, a.runs, "pct", 1, s),
            "pct_jobs2": explore(a.mpviz, t, a.runs, "pct", 2, s),
        }
    print(json.dumps(res))
    print(f"\n| target | way | distinct outcomes / {a.runs} runs | deadlocked runs | runs/s |", file=sys.stderr)
    print("|---|---|---|---|---|", file=sys.stderr)
    for t, ways in res["targets"].items():
        for w, r in ways.items():
            label = {"plain_loop": "loop of `mpviz run`", "none": "explore --perturb none",
                     "random": "explore --perturb random", "pct": "explore --perturb pct",
                     "pct_jobs2": "explore --perturb pct --jobs 2"}[w]
            print(f"| {t} | {label} | {r['distinct']} | {r['deadlocks']} | {r['runs_per_s']} |", file=sys.stderr)


if __name__ == "__main__":
    main()
