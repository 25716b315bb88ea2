#!/bin/bash
# Runs every mpviz benchmark next to its peer and prints ONE JSON object on
# stdout; writes docs/performance.md from the same numbers. Progress goes to
# stderr. About 3-5 minutes on a 2-core machine.
#
#   bench/run_benchmarks.sh            # full run
#   MPVIZ=/path/to/mpviz bench/run_benchmarks.sh
#   BENCH_10M=1 bench/run_benchmarks.sh   # also a 10M-event recording (slow,
#                                         # several GB of RAM and ~1 GB in /tmp)
#   SCALE_ONLY=1 bench/run_benchmarks.sh  # only large recordings + start-up
#
# The CPython peer is Debian's /usr/bin/python3 on purpose (not a python3 on
# PATH): it is the interpreter the tutorial's students have.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
PY=/usr/bin/python3
PEER=${PEER:-$ROOT/../shared/bench/py_mp_bench.py}
# RESULTS_DIR=dir keeps the partial results (to regenerate the page with
# bench/report.py DIR docs/performance.md); otherwise they go to a temp dir.
if [ -n "${RESULTS_DIR:-}" ]; then
  OUT=$RESULTS_DIR
  mkdir -p "$OUT"
else
  OUT=$(mktemp -d /tmp/mpviz-bench.XXXXXX)
  trap 'rm -rf "$OUT"' EXIT
fi
T0=$(date +%s)
log() { echo "[bench] $*" >&2; }

log "building benchmarks in $BUILD (Release, -j2)"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j2 --target mpviz_bench_transport mpviz_bench_emit mpviz_bench_primitives \
  mpviz_gen_recording mpviz_bench_recording >&2
# mpviz itself: our own build if it links, else the project's default build.
if [ -z "${MPVIZ:-}" ]; then
  if cmake --build "$BUILD" -j2 --target mpviz >/dev/null 2>&1; then
    MPVIZ=$BUILD/app/mpviz
  else
    MPVIZ=$ROOT/build/app/mpviz
    log "mpviz did not build in $BUILD; using $MPVIZ"
  fi
fi
[ -x "$MPVIZ" ] || { log "no mpviz binary at $MPVIZ"; exit 1; }
B=$BUILD/bench

cpu=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
cat >"$OUT/machine.json" <<EOF
{"cpu": "$cpu", "nproc": $(nproc), "kernel": "$(uname -srm)", "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
 "mpviz": "$MPVIZ"}
EOF

# Large recordings (load / save / export, GUI frame times and memory) and
# start-up figures; recordings are written to $OUT and deleted one by one.
SIZES=100000,1000000
[ -n "${BENCH_10M:-}" ] && SIZES=$SIZES,10000000
log "large recordings ($SIZES events) and start-up"
$PY "$ROOT/bench/scale_bench.py" --mpviz "$MPVIZ" --bench-dir "$B" --tmp "$OUT" \
  --sizes "$SIZES" >"$OUT/scale.json" || rm -f "$OUT/scale.json"

if [ -z "${SCALE_ONLY:-}" ]; then
log "CPython peer: py_mp_bench.py --quick --pin same"
$PY "$PEER" --quick --pin same --json-out "$OUT/py_mp_bench.json" >/dev/null

log "mpviz traced primitives"
"$B/mpviz_bench_primitives" >"$OUT/primitives.json"

log "transport: 4 writers, raw vs engine"
"$B/mpviz_bench_transport" --writers 4 --events 1000000 --reps 5 >"$OUT/transport.json"

log "event cost in the child"
"$B/mpviz_bench_emit" --benchmark_min_time=0.5 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_format=json 2>/dev/null |
  $PY -c 'import json,sys; j=json.load(sys.stdin); j["benchmarks"]=[b for b in j["benchmarks"] if b.get("aggregate_name")=="median"]; [b.__setitem__("name", b["run_name"]) for b in j["benchmarks"]]; print(json.dumps(j))' \
  >"$OUT/emit.json"

log "whole programs: tracing overhead, strace, CPython programs"
P=$ROOT/bench/python
run_mpviz() { printf '"%s", ' "$MPVIZ" run "$@" --speed 0 --quiet | sed 's/, $//'; }
STRACE=$(command -v strace || true)
{
  echo '{"reps": 9, "commands": {'
  echo "\"mpviz_lock_big_traced\": [$(run_mpviz lock --set first_loop=20000)],"
  echo "\"mpviz_lock_big_untraced\": [$(run_mpviz lock --set first_loop=20000 --no-trace)],"
  echo "\"mpviz_lock_strace_cmp_traced\": [$(run_mpviz lock --set first_loop=2000)],"
  echo "\"mpviz_lock_strace_cmp_untraced\": [$(run_mpviz lock --set first_loop=2000 --no-trace)],"
  if [ -n "$STRACE" ]; then
    echo "\"strace_lock_strace_cmp_untraced\": [\"$STRACE\", \"-f\", \"-o\", \"/dev/null\", $(run_mpviz lock --set first_loop=2000 --no-trace)],"
  fi
  echo "\"py_lock_10\": [\"$PY\", \"$P/lock_prog.py\", \"10\"],"
  echo "\"mpviz_lock_10\": [$(run_mpviz lock --set first_loop=10)],"
  echo "\"py_lock_1000\": [\"$PY\", \"$P/lock_prog.py\", \"1000\"],"
  echo "\"mpviz_lock_1000\": [$(run_mpviz lock --set first_loop=1000)],"
  echo "\"py_sem_100\": [\"$PY\", \"$P/semaphore_prog.py\", \"100\"],"
  echo "\"mpviz_sem_100\": [$(run_mpviz semaphore --set items=100)],"
  echo "\"py_sem_1000\": [\"$PY\", \"$P/semaphore_prog.py\", \"1000\"],"
  echo "\"mpviz_sem_1000\": [$(run_mpviz semaphore --set items=1000)],"
  echo "\"py_pipe\": [\"$PY\", \"$P/pipe_prog.py\"],"
  echo "\"mpviz_pipe\": [$(run_mpviz pipe)],"
  echo "\"py_pool_4\": [\"$PY\", \"$P/pool_prog.py\", \"4\"],"
  echo "\"mpviz_pool_4\": [$(run_mpviz pool-apply-async --set tasks=4 --set task_s=0)],"
  echo "\"py_pool_64\": [\"$PY\", \"$P/pool_prog.py\", \"64\"],"
  echo "\"mpviz_pool_64\": [$(run_mpviz pool-apply-async --set tasks=64 --set task_s=0)],"
  # Python mode's tracing layer: the same program (py_lock_*) traced.
  echo "\"mpviz_py_lock_10\": [\"env\", \"LOCK_PROG_LOOPS=10\", \"$MPVIZ\", \"run\", \"$P/lock_prog.py\", \"--quiet\"],"
  echo "\"mpviz_py_lock_1000\": [\"env\", \"LOCK_PROG_LOOPS=1000\", \"$MPVIZ\", \"run\", \"$P/lock_prog.py\", \"--quiet\"],"
  # The same with the tracer's pure-Python path (no C extension).
  echo "\"mpviz_py_lock_1000_pure\": [\"env\", \"LOCK_PROG_LOOPS=1000\", \"MPVIZ_TRACER_PURE=1\", \"$MPVIZ\", \"run\", \"$P/lock_prog.py\", \"--quiet\"]"
  echo '}}'
} >"$OUT/walltime_spec.json"
$PY "$ROOT/bench/wall_time.py" "$OUT/walltime_spec.json" >"$OUT/walltime.json"

log "Python tracer: one traced Lock acquire+release (C hot path, pure path, untraced)"
$PY "$P/tracer_micro.py" --ext-dir "$(dirname "$MPVIZ")/../tracer_ext" >"$OUT/tracer_micro.json" ||
  rm -f "$OUT/tracer_micro.json"

# GUI frame times: only if this mpviz has --bench-frames and xvfb-run exists.
if command -v xvfb-run >/dev/null; then
  log "GUI frame time under xvfb (optional)"
  timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" "$MPVIZ" gui --bench-frames 300 \
    --scenario lock --autorun 2>/dev/null | tail -1 >"$OUT/gui.json" || rm -f "$OUT/gui.json"
fi

fi  # SCALE_ONLY

T1=$(date +%s)
$PY - "$OUT/machine.json" "$((T1 - T0))" <<'EOF'
import json, sys
p = sys.argv[1]; m = json.load(open(p)); m["elapsed_s"] = int(sys.argv[2])
json.dump(m, open(p, "w"))
EOF
MD=$ROOT/docs/performance.md
# A partial run must not overwrite the page with n/a rows.
[ -n "${SCALE_ONLY:-}" ] && MD=$OUT/performance.md
$PY "$ROOT/bench/report.py" "$OUT" "$MD"
log "wrote $MD"
