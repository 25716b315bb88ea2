#!/usr/bin/python3
"""Combines the partial results of run_benchmarks.sh into ONE JSON object
(printed on stdout) and writes docs/performance.md from it. Stdlib only.

    report.py RESULTS_DIR OUT_MD

RESULTS_DIR holds: machine.json, transport.json, emit.json (Google Benchmark
JSON), primitives.json, py_mp_bench.json, walltime.json, and optionally
gui.json. Every figure is a ratio of two numbers measured in the same run.
"""
import json
import os
import sys


def load(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        try:
            return json.load(f)
        except json.JSONDecodeError:
            return None


def med(x):
    return x["median"] if isinstance(x, dict) and "median" in x else None


# CPython key -> (mpviz key, unit, lower_is_better). Pool.map is compared with
# CPython's chunksize=1 map: mpviz's map sends one task per item.
PRIMS = [
    ("process_start_join_fork_us", "process_start_join_fork_us", "us", True),
    ("process_start_join_spawn_us", "process_start_join_spawn_us", "us", True),
    ("lock_acquire_release_ns", "lock_acquire_release_ns", "ns", True),
    ("semaphore_acq_rel_ns", "semaphore_acq_rel_ns", "ns", True),
    ("queue_pingpong_rt_us", "queue_pingpong_rt_us", "us", True),
    ("pipe_pingpong_rt_us", "pipe_pingpong_rt_us", "us", True),
    ("queue_throughput_unbounded_ops_s", "queue_throughput_unbounded_ops_s", "ops/s", False),
    ("pipe_throughput_msgs_s", "pipe_throughput_msgs_s", "msgs/s", False),
    ("pool_apply_async_tasks_s", "pool_apply_async_tasks_s", "tasks/s", False),
    ("pool_map_chunksize1_tasks_s", "pool_map_tasks_s", "tasks/s", False),
]

# Programs: (name, cpython command name, mpviz command name, counts).
PROGRAMS = [
    ("lock (tutorial: first_loop=10)", "py_lock_10", "mpviz_lock_10"),
    ("lock (first_loop=1000)", "py_lock_1000", "mpviz_lock_1000"),
    ("semaphore (items=100)", "py_sem_100", "mpviz_sem_100"),
    ("semaphore (items=1000)", "py_sem_1000", "mpviz_sem_1000"),
    ("pipe (tutorial)", "py_pipe", "mpviz_pipe"),
    ("pool apply_async (tutorial: tasks=4)", "py_pool_4", "mpviz_pool_4"),
    ("pool apply_async (tasks=64)", "py_pool_64", "mpviz_pool_64"),
]


def fmt(v, digits=3):
    if v is None:
        return "n/a"
    if abs(v) >= 1e6:
        return f"{v / 1e6:.2f} M"
    if abs(v) >= 1e4:
        return f"{v / 1e3:.1f} k"
    return f"{v:.{digits}g}"


def yes(b):
    return "yes" if b else "**not yet**"


def build(d):
    machine = load(d, "machine.json") or {}
    tr = load(d, "transport.json") or {}
    emit = load(d, "emit.json") or {}
    prim = load(d, "primitives.json") or {}
    py = load(d, "py_mp_bench.json") or {}
    wall = load(d, "walltime.json") or {}
    gui = load(d, "gui.json")
    out = {"machine": machine}

    raw, eng = med(tr.get("raw_events_s")), med(tr.get("engine_events_s"))
    ratio = eng / raw if raw and eng else None
    out["transport"] = {
        "writers": tr.get("writers"), "events_per_writer": tr.get("events_per_writer"),
        "bytes_per_event": tr.get("bytes_per_event"),
        "raw_events_s": raw, "engine_events_s": eng, "engine_over_raw": ratio,
        "reader_cpu_ns_per_event": med(tr.get("engine_reader_cpu_ns_per_event")),
        "reader_busy_fraction": med(tr.get("engine_reader_busy_fraction")),
        "dropped_frames": tr.get("dropped_frames"),
        "target_ratio": 0.5, "target_events_s": 5e6,
        "met": bool(ratio and ratio >= 0.5 and eng >= 5e6),
    }

    ev = {}
    for b in emit.get("benchmarks", []):
        name = b.get("name", "").replace("BM_", "")
        # per event: DecodePerEvent processes a frame per iteration
        ips = b.get("items_per_second")
        ev[name + "_ns"] = 1e9 / ips if ips else b.get("real_time")
    out["event_cost"] = ev

    def wmed(name):
        return med(wall.get(name))

    t_tr, t_un = wmed("mpviz_lock_big_traced"), wmed("mpviz_lock_big_untraced")
    ovh = t_tr / t_un if t_tr and t_un else None
    out["tracing_overhead"] = {"scenario": "lock first_loop=20000 --speed 0",
                               "traced_s": t_tr, "untraced_s": t_un, "ratio": ovh,
                               "target": 1.5, "met": bool(ovh and ovh <= 1.5)}

    s_tr, s_un, s_st = (wmed("mpviz_lock_strace_cmp_traced"), wmed("mpviz_lock_strace_cmp_untraced"),
                        wmed("strace_lock_strace_cmp_untraced"))
    if s_st and s_un and s_tr:
        f_m, f_s = s_tr / s_un, s_st / s_un
        out["strace"] = {"scenario": "lock first_loop=2000 --speed 0", "untraced_s": s_un,
                         "mpviz_traced_s": s_tr, "strace_f_s": s_st,
                         "mpviz_factor": f_m, "strace_factor": f_s,
                         "overhead_ratio": (f_s - 1) / (f_m - 1) if f_m > 1 else None,
                         "target_overhead_ratio": 10,
                         "met": bool(f_m <= 1 or (f_s - 1) / (f_m - 1) >= 10)}
    else:
        out["strace"] = {"skipped": "strace not available or failed",
                         "error": wall.get("strace_lock_strace_cmp_untraced")}

    prims = {}
    for pyk, mk, unit, lower in PRIMS:
        c, m = py.get(pyk), med(prim.get(mk))
        if c is None or m is None:
            continue
        speed = c / m if lower else m / c
        prims[mk] = {"cpython": c, "mpviz_traced": m, "unit": unit, "cpython_key": pyk,
                     "mpviz_faster_x": speed}
    out["primitives"] = prims

    progs = {}
    for label, pk, mk in PROGRAMS:
        c, m = wmed(pk), wmed(mk)
        if c is None or m is None:
            progs[label] = {"error": wall.get(pk) or wall.get(mk)}
            continue
        progs[label] = {"cpython_s": c, "mpviz_traced_s": m, "mpviz_faster_x": c / m,
                        "target": 5, "met": c / m >= 5}
    out["programs"] = progs
    out["gui"] = gui if gui else {"todo": "mpviz gui --bench-frames did not run"}
    out["cpython"] = {"python": py.get("_meta", {}).get("python"),
                      "executable": py.get("_meta", {}).get("executable"),
                      "mode": py.get("_meta", {}).get("mode"), "pin": py.get("_meta", {}).get("pin")}
    return out


def markdown(r, notes_md):
    m = r["machine"]
    L = []
    L.append("# Performance\n")
    L.append("Numbers from one run of `bench/run_benchmarks.sh` (it prints the JSON this page "
             "is generated from). Every figure is a **ratio of two numbers measured in the same "
             "run**: these machines are noisy, absolute numbers only hold for the machine named "
             "here.\n")
    L.append("## Machine\n")
    L.append(f"- CPU: {m.get('cpu')} — `nproc` = {m.get('nproc')}")
    L.append(f"- kernel: {m.get('kernel')}")
    L.append(f"- date: {m.get('date')}")
    L.append(f"- CPython peer: {r['cpython'].get('executable')} {r['cpython'].get('python')} "
             f"(py_mp_bench `--{r['cpython'].get('mode')}`, `--pin {r['cpython'].get('pin')}`)")
    L.append(f"- run time of the whole script: {m.get('elapsed_s', 'n/a')} s\n")
    L.append("Reproduce: `bench/run_benchmarks.sh` (builds `build-bench/`, Release; "
             "`MPVIZ=path` picks another mpviz binary).\n")

    L.append("## Summary: targets\n")
    L.append("| figure | peer | ratio | target | met? |")
    L.append("|---|---|---|---|---|")
    t = r["transport"]
    L.append(f"| transport, 4 writers -> engine -> EventLog | raw pipe limit, same run | "
             f"{fmt(t['engine_over_raw'])} of raw ({fmt(t['engine_events_s'])} ev/s) | "
             f">= 0.5 and >= 5 M ev/s | {yes(t['met'])} |")
    o = r["tracing_overhead"]
    L.append(f"| tracing overhead, {o['scenario']} | same scenario `--no-trace` | "
             f"{fmt(o['ratio'])}x | <= 1.5x | {yes(o['met'])} |")
    s = r["strace"]
    if "mpviz_factor" in s:
        L.append(f"| overhead vs strace -f, {s['scenario']} | `strace -f -o /dev/null` | "
                 f"strace {fmt(s['strace_factor'])}x vs mpviz {fmt(s['mpviz_factor'])}x "
                 f"(strace overhead / mpviz overhead = {fmt(s['overhead_ratio'])}) | >= 10x smaller | {yes(s['met'])} |")
    else:
        L.append(f"| overhead vs strace -f | strace | skipped | >= 10x smaller | n/a |")
    for label, p in r["programs"].items():
        if "error" in p:
            L.append(f"| program: {label} | CPython | error | >= 5x faster | n/a |")
            continue
        L.append(f"| program: {label} | CPython, untraced | {fmt(p['mpviz_faster_x'])}x faster "
                 f"({fmt(p['cpython_s'] * 1e3)} ms vs {fmt(p['mpviz_traced_s'] * 1e3)} ms) | "
                 f">= 5x faster | {yes(p['met'])} |")
    g = r["gui"]
    if "p95_ms" in g:
        L.append(f"| GUI frame time, live lock run (`--bench-frames {g.get('frames')}`) | 16 ms budget | "
                 f"p50 {fmt(g.get('p50_ms'))} ms, p95 {fmt(g.get('p95_ms'))} ms | p95 <= 16 ms | "
                 f"{yes(g.get('p95_ms', 1e9) <= 16)} |")
    else:
        L.append("| GUI frame time | — | TODO: `mpviz gui --bench-frames` not available | p95 <= 16 ms | n/a |")
    L.append("")

    L.append("## Primitives: mpviz (traced) vs CPython multiprocessing (untraced)\n")
    L.append("Same definitions as `py_mp_bench.py` (median over repetitions, both processes "
             "of a two-process benchmark pinned to one CPU). mpviz's figures include emitting "
             "every event and the supervisor reading it (its reader thread is not pinned). "
             "\"x faster\" < 1 means CPython is faster.\n")
    L.append("| primitive | unit | CPython | mpviz traced | mpviz x faster |")
    L.append("|---|---|---|---|---|")
    for k, p in r["primitives"].items():
        L.append(f"| {k} | {p['unit']} | {fmt(p['cpython'])} | {fmt(p['mpviz_traced'])} | "
                 f"{fmt(p['mpviz_faster_x'])} |")
    L.append("")

    L.append("## Event cost in the child (Google Benchmark, `mpviz_bench_emit`)\n")
    L.append("| case | ns per event |")
    L.append("|---|---|")
    for k, v in r["event_cost"].items():
        L.append(f"| {k[:-3]} | {fmt(v)} |")
    L.append("")
    L.append("## Transport detail\n")
    L.append(f"- raw pipe limit: {fmt(t['raw_events_s'])} events/s "
             f"({t['bytes_per_event']} bytes/event, pre-encoded PIPE_BUF frames, reader discards)")
    L.append(f"- engine: {fmt(t['engine_events_s'])} events/s; reader CPU "
             f"{fmt(t['reader_cpu_ns_per_event'])} ns/event, reader on CPU "
             f"{fmt(t['reader_busy_fraction'])} of the wall time; dropped frames: {t['dropped_frames']}\n")
    if "p95_ms" in g:
        L.append("## GUI\n")
        L.append("`xvfb-run -a -s \"-screen 0 1280x800x24\" mpviz gui --bench-frames 300 --scenario lock "
                 "--autorun` (Mesa llvmpipe): `" + json.dumps(g) + "`\n")
    L.append(notes_md)
    return "\n".join(L) + "\n"


def main():
    d, out_md = sys.argv[1], sys.argv[2]
    r = build(d)
    notes_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "performance_notes.md")
    notes = open(notes_path).read() if os.path.exists(notes_path) else ""
    with open(out_md, "w") as f:
        f.write(markdown(r, notes))
    print(json.dumps(r, indent=1))


if __name__ == "__main__":
    main()
