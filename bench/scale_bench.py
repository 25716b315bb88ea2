#!/usr/bin/python3
"""Large recordings and start-up: prints ONE JSON object on stdout (progress on
stderr). Used by run_benchmarks.sh; stdlib only.

    scale_bench.py --mpviz MPVIZ --bench-dir BUILD/bench --tmp DIR
                   [--sizes 100000,1000000[,10000000]] [--frames 120] [--reps 5]

For each size N: mpviz_gen_recording writes a synthetic recording of ~N events
(9 processes: lock, semaphore, two queues, prints) into --tmp;
mpviz_bench_recording times load / save / Chrome export in one process;
`mpviz export REC --chrome OUT` is timed end to end under /usr/bin/time -v
(wall, peak RSS); `mpviz gui --open REC --bench-frames F` runs under
xvfb-run at 1280x800 (Mesa llvmpipe) with /usr/bin/time -v around mpviz itself
(peak RSS of the GUI process: events + models + GL). Each recording is
deleted after its size is measured.

Start-up: `mpviz gui --bench-frames 5` (no recording) reports first_frame_ms
(since the kernel started the process, see gui_main.cpp); and "Run -> first
child's process_start": t_ns of the first child's process_start event in a
recording of `mpviz run basic --set processes=1 --method fork|spawn`
(t_ns = 0 is the supervisor's posix_spawn of the main process, i.e. the
moment the GUI's Run button or `mpviz run` starts the run). Also reported:
the main process's own process_start and the child's first own event (for
spawn, process_start is written when the parent knows the pid, before the
child's exec has finished).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile


def log(*a):
    print("[scale]", *a, file=sys.stderr, flush=True)


def time_v(cmd, timeout, env=None, wrap=None):
    """Runs cmd under /usr/bin/time -v; returns (stdout, wall_s, max_rss_kb, rc)."""
    fd, tf = tempfile.mkstemp(prefix="mpviz-time-")
    os.close(fd)
    full = ["/usr/bin/time", "-v", "-o", tf] + cmd
    if wrap:
        full = wrap + full
    try:
        p = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=timeout, env=env)
        rc, out = p.returncode, p.stdout
    except subprocess.TimeoutExpired:
        rc, out = -1, ""
    txt = open(tf).read()
    os.unlink(tf)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", txt)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", txt)
    wall_s = None
    if wall:
        parts = [float(x) for x in wall.group(1).split(":")]
        wall_s = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    return out, wall_s, int(rss.group(1)) if rss else None, rc


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            continue
    return None


def xvfb():
    x = shutil.which("xvfb-run")
    return [x, "-a", "-s", "-screen 0 1280x800x24"] if x else None


CFG_DIR = None


def gui_env():
    # A private settings dir: the benchmark must not read or change the user's.
    global CFG_DIR
    if CFG_DIR is None:
        CFG_DIR = tempfile.mkdtemp(prefix="mpviz-bench-cfg-")
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = CFG_DIR
    return env


def scale(args, n):
    b = args.bench_dir
    rec = os.path.join(args.tmp, f"rec_{n}.jsonl")
    out = {"target_events": n}
    try:
        log(f"{n} events: generating")
        g = subprocess.run([f"{b}/mpviz_gen_recording", "--events", str(n), "--out", rec],
                           stdout=subprocess.PIPE, text=True, check=True)
        out["generated"] = json.loads(g.stdout)
        events = out["generated"]["events"]
        log(f"{n} events: load / save / export in one process")
        reps = "3" if n <= 1_000_000 else "1"
        r = subprocess.run([f"{b}/mpviz_bench_recording", rec, "--reps", reps],
                           stdout=subprocess.PIPE, text=True, timeout=1800)
        out["engine"] = last_json(r.stdout)
        r = subprocess.run([f"{b}/mpviz_bench_recording", rec, "--phases", "load"],
                           stdout=subprocess.PIPE, text=True, timeout=1800)
        lo = last_json(r.stdout) or {}
        out["loader_peak_rss_kb"] = lo.get("peak_rss_after_load_kb")
        log(f"{n} events: mpviz export --chrome")
        chrome = os.path.join(args.tmp, f"rec_{n}.chrome.json")
        _, wall, rss, rc = time_v([args.mpviz, "export", rec, "--chrome", chrome], 1800)
        out["cli_export"] = {"wall_s": wall, "peak_rss_kb": rss, "rc": rc,
                             "bytes": os.path.getsize(chrome) if os.path.exists(chrome) else None}
        if os.path.exists(chrome):
            os.unlink(chrome)
        x = xvfb()
        if x:
            log(f"{n} events: GUI --bench-frames {args.frames} under xvfb")
            so, wall, rss, rc = time_v(
                [args.mpviz, "gui", "--open", rec, "--bench-frames", str(args.frames)],
                3600, env=gui_env(), wrap=x)
            out["gui"] = {"frames": last_json(so), "wall_s": wall, "peak_rss_kb": rss, "rc": rc,
                          "bytes_per_event": rss * 1024 / events if rss else None}
    finally:
        if os.path.exists(rec):
            os.unlink(rec)
    return out


def startup(args):
    out = {}
    x = xvfb()
    if x:
        log("start-up: first frame of `mpviz gui --bench-frames 5`")
        ff = []
        for _ in range(args.reps):
            so, _, _, _ = time_v([args.mpviz, "gui", "--bench-frames", "5"], 120, env=gui_env(), wrap=x)
            j = last_json(so)
            if j and "first_frame_ms" in j:
                ff.append(j["first_frame_ms"])
        out["first_frame_ms"] = {"median": statistics.median(ff) if ff else None, "all": ff}
    for method in ("fork", "spawn"):
        log(f"start-up: Run -> first child's process_start ({method})")
        main_ms, child_ms, own_ms = [], [], []
        for _ in range(args.reps):
            p = subprocess.run([args.mpviz, "run", "basic", "--set", "processes=1", "--method", method,
                                "--speed", "0", "--quiet", "--jsonl", "-"],
                               stdout=subprocess.PIPE, text=True, timeout=60)
            evs = [json.loads(line) for line in p.stdout.splitlines()[1:] if line.strip()]
            starts = [e for e in evs if e["kind"] == "process_start"]
            if len(starts) < 2:
                continue
            main, child = starts[0], starts[1]
            main_ms.append(main["t_ns"] / 1e6)
            child_ms.append(child["t_ns"] / 1e6)
            own = [e for e in evs if e["pid"] == child["pid"] and e["kind"] != "process_start"]
            if own:
                own_ms.append(own[0]["t_ns"] / 1e6)
        med = lambda v: statistics.median(v) if v else None
        out[method] = {"main_process_start_ms": med(main_ms),
                       "first_child_process_start_ms": med(child_ms),
                       "first_child_own_event_ms": med(own_ms),
                       "all_first_child_process_start_ms": child_ms,
                       "target_ms": 10 if method == "fork" else 50}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mpviz", required=True)
    ap.add_argument("--bench-dir", required=True)
    ap.add_argument("--tmp", default="/tmp")
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--only", choices=["scale", "startup"], default=None)
    args = ap.parse_args()
    res = {}
    try:
        if args.only != "startup":
            res["scale"] = {str(n): scale(args, int(n)) for n in args.sizes.split(",") if n}
        if args.only != "scale":
            res["startup"] = startup(args)
    finally:
        if CFG_DIR:
            shutil.rmtree(CFG_DIR, ignore_errors=True)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
