#!/usr/bin/python3
"""Combines the partial results of run_benchmarks.sh into ONE JSON object
(printed on stdout) and writes docs/performance.md from it. Stdlib only.

    report.py RESULTS_DIR OUT_MD

RESULTS_DIR holds: machine.json, transport.json, emit.json (Google Benchmark
JSON), primitives.json, py_mp_bench.json, walltime.json, and optionally
gui.json and scale.json (bench/scale_bench.py: large recordings, start-up). Every figure is a ratio of two numbers measured in the same run.
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
        "log_bytes_per_event": med(tr.get("engine_log_bytes_per_event")),
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
    pyt = {}
    for loops in (10, 1000):
        u, t = wmed("py_lock_%d" % loops), wmed("mpviz_py_lock_%d" % loops)
        if u and t:
            pyt["lock_prog.py, %d loops per process" % loops] = {
                "untraced_s": u, "traced_s": t, "overhead_x": t / u}
    u, t = wmed("py_lock_1000"), wmed("mpviz_py_lock_1000_pure")
    if u and t:
        pyt["lock_prog.py, 1000 loops, pure-Python tracer"] = {
            "untraced_s": u, "traced_s": t, "overhead_x": t / u}
    for k, v in pyt.items():
        if "1000 loops per process" in k:
            v["target_x"], v["met"] = 1.5, v["overhead_x"] <= 1.5
    out["python_tracing"] = pyt
    out["tracer_micro"] = load(d, "tracer_micro.json") or {}
    out["gui"] = gui if gui else {"todo": "mpviz gui --bench-frames did not run"}
    sc = load(d, "scale.json") or {}
    out["recordings"] = sc.get("scale", {})
    out["startup"] = sc.get("startup", {})
    out["cpython"] = {"python": py.get("_meta", {}).get("python"),
                      "executable": py.get("_meta", {}).get("executable"),
                      "mode": py.get("_meta", {}).get("mode"), "pin": py.get("_meta", {}).get("pin")}
    return out


def events_label(n):
    n = int(n)
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


# Frame-time targets by recording size (issue 8): p95 <= 16 ms up to 1M
# events, <= 33 ms at 10M.
def frame_target(n):
    return 33 if int(n) > 1_000_000 else 16


def marginal_bytes_per_event(r):
    """(small label, large label, bytes) from the two largest GUI runs: the
    GUI's fixed cost (fonts, GL, Xlib) cancels out."""
    pts = []
    for n, x in r.get("recordings", {}).items():
        g, ev = x.get("gui") or {}, (x.get("generated") or {}).get("events")
        if g.get("peak_rss_kb") and ev:
            pts.append((ev, g["peak_rss_kb"], n))
    pts.sort()
    if len(pts) < 2:
        return None
    (e0, k0, n0), (e1, k1, n1) = pts[-2], pts[-1]
    return events_label(n0), events_label(n1), (k1 - k0) * 1024 / (e1 - e0)


def scale_rows(r):
    L = []
    for n, x in r.get("recordings", {}).items():
        lab = events_label(n)
        e = x.get("engine") or {}
        ev = (x.get("generated") or {}).get("events")
        if int(n) == 1_000_000 and e:
            for key, what in (("load_s", "load (`load_jsonl_file`)"), ("save_s", "save (`to_jsonl`)"),
                              ("export_s", "Chrome export (`to_chrome_json`)")):
                v = med(e.get(key))
                if v is not None:
                    L.append(f"| recording {what}, {lab} events | 1.5 s budget | {fmt(v)} s | <= 1.5 s | "
                             f"{yes(v <= 1.5)} |")
        g = (x.get("gui") or {})
        fr = g.get("frames") or {}
        if "p95_ms" in fr:
            t = frame_target(n)
            L.append(f"| GUI frame time, {lab}-event recording (`--open REC --bench-frames {fr.get('frames')}`) | "
                     f"{t} ms budget | p50 {fmt(fr.get('p50_ms'))} ms, p95 {fmt(fr.get('p95_ms'))} ms | "
                     f"p95 <= {t} ms | {yes(fr['p95_ms'] <= t)} |")
        if g.get("bytes_per_event"):
            L.append(f"| GUI memory, {lab}-event recording (peak RSS / events) | 48 B/event budget | "
                     f"{fmt(g['bytes_per_event'])} B/event ({fmt(g['peak_rss_kb'] / 1024)} MB for "
                     f"{fmt(ev)} events) | <= 48 B/event | {yes(g['bytes_per_event'] <= 48)} |")
    m = marginal_bytes_per_event(r)
    if m:
        L.append(f"| GUI memory per extra event ({m[0]} -> {m[1]} events, peak RSS difference) | "
                 f"48 B/event budget | {fmt(m[2])} B/event | <= 48 B/event | {yes(m[2] <= 48)} |")
    st = r.get("startup", {})
    ff = (st.get("first_frame_ms") or {}).get("median")
    if ff is not None:
        L.append(f"| start-up: first frame presented (`mpviz gui`, since exec) | 250 ms budget | "
                 f"{fmt(ff)} ms | <= 250 ms | {yes(ff <= 250)} |")
    for m in ("fork", "spawn"):
        x = st.get(m) or {}
        v = x.get("first_child_process_start_ms")
        if v is not None:
            L.append(f"| start-up: Run -> first child's process_start ({m}) | {x['target_ms']} ms budget | "
                     f"{fmt(v)} ms | <= {x['target_ms']} ms | {yes(v <= x['target_ms'])} |")
    return L


def scale_section(r):
    recs = r.get("recordings", {})
    st = r.get("startup", {})
    if not recs and not st:
        return []
    L = ["## Large recordings\n",
         "Synthetic recordings from `mpviz_gen_recording --events N` (9 processes: a lock, a "
         "semaphore, two producer/consumer queues, prints). Engine figures: "
         "`mpviz_bench_recording REC` (median of 3 in one process; 1 at 10M). `mpviz export`: "
         "end to end (load + export + write) under `/usr/bin/time -v`. GUI: "
         "`xvfb-run -a -s \"-screen 0 1280x800x24\" /usr/bin/time -v mpviz gui --open REC "
         "--bench-frames 120` (Mesa llvmpipe); `first_frame_ms` counts from exec, so it includes "
         "loading the file and building the models.\n",
         "| events | file MB | load s | save s | export s | loader peak RSS MB | `mpviz export` s (RSS MB) "
         "| GUI p50 / p95 / max ms | GUI first frame ms | GUI peak RSS MB | GUI B/event |",
         "|---|---|---|---|---|---|---|---|---|---|---|"]
    for n, x in recs.items():
        gen, e, c, g = x.get("generated") or {}, x.get("engine") or {}, x.get("cli_export") or {}, x.get("gui") or {}
        fr = g.get("frames") or {}
        mb = lambda kb: fmt(kb / 1024) if kb else "n/a"
        L.append(f"| {fmt(gen.get('events'))} | {fmt((gen.get('bytes') or 0) / 1e6)} | {fmt(med(e.get('load_s')))} | "
                 f"{fmt(med(e.get('save_s')))} | {fmt(med(e.get('export_s')))} | {mb(x.get('loader_peak_rss_kb'))} | "
                 f"{fmt(c.get('wall_s'))} ({mb(c.get('peak_rss_kb'))}) | "
                 f"{fmt(fr.get('p50_ms'))} / {fmt(fr.get('p95_ms'))} / {fmt(fr.get('max_ms'))} | "
                 f"{fmt(fr.get('first_frame_ms'))} | {mb(g.get('peak_rss_kb'))} | {fmt(g.get('bytes_per_event'))} |")
    L.append("")
    if st:
        L.append("## Start-up\n")
        ff = st.get("first_frame_ms") or {}
        L.append(f"- first frame presented, `mpviz gui --bench-frames 5` under xvfb (no recording): "
                 f"median {fmt(ff.get('median'))} ms of {ff.get('all')} (from the process's start time in "
                 f"`/proc/self/stat`, 10 ms resolution, rounded up)")
        for m in ("fork", "spawn"):
            x = st.get(m) or {}
            L.append(f"- {m}: `mpviz run basic --set processes=1 --method {m} --speed 0 --jsonl -`, "
                     f"t_ns since the run started (the supervisor's posix_spawn of main), median: "
                     f"main's process_start {fmt(x.get('main_process_start_ms'))} ms, first child's "
                     f"process_start {fmt(x.get('first_child_process_start_ms'))} ms, the child's first "
                     f"own event {fmt(x.get('first_child_own_event_ms'))} ms")
        L.append("")
    return L


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
    L.extend(scale_rows(r))
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
             f"{fmt(t['reader_busy_fraction'])} of the wall time; dropped frames: {t['dropped_frames']}")
    L.append(f"- the engine's live model (`EventLog`: packed records and their strings): "
             f"{fmt(t['log_bytes_per_event'])} bytes/event\n")
    if "p95_ms" in g:
        L.append("## GUI\n")
        L.append("`xvfb-run -a -s \"-screen 0 1280x800x24\" mpviz gui --bench-frames 300 --scenario lock "
                 "--autorun` (Mesa llvmpipe): `" + json.dumps(g) + "`\n")
    L.extend(scale_section(r))
    if r.get("python_tracing"):
        L.append("## Python mode: the tracing layer's overhead\n")
        L.append("`bench/python/lock_prog.py` (the tutorial's lock program, sleeps off, 5 "
                 "processes) under `/usr/bin/python3`, untraced vs `mpviz run lock_prog.py "
                 "--quiet` (CPython's real multiprocessing plus the tracer), median of the "
                 "same interleaved runs. No target: the issue asks for the figure.\n")
        L.append("| program | untraced | traced | overhead | target |")
        L.append("|---|---|---|---|---|")
        for k, v in r["python_tracing"].items():
            tgt = ("<= %sx: %s" % (v["target_x"], yes(v["met"]))) if "target_x" in v else ""
            L.append(f"| {k} | {fmt(v['untraced_s'] * 1e3)} ms | {fmt(v['traced_s'] * 1e3)} ms | "
                     f"{fmt(v['overhead_x'])}x | {tgt} |")
        L.append("")
    tm = r.get("tracer_micro") or {}
    if "fast" in tm:
        L.append("One uncontended `Lock` acquire+release from the program's code "
                 "(`bench/python/tracer_micro.py`, median of 5 runs; CPU time of the "
                 "process, and wall time, which on a loaded machine includes waiting for a "
                 "CPU). Target for the C path: <= 1 µs.\n")
        L.append("| path | CPU per acquire+release | wall per acquire+release |")
        L.append("|---|---|---|")
        for m in ("untraced", "fast", "pure"):
            L.append(f"| {m} | {fmt(tm[m]['cpu_ns'] / 1e3)} µs | {fmt(tm[m]['wall_ns'] / 1e3)} µs |")
        L.append("")
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
