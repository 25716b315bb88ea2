#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 and runs each (tests/fuzz/targets.txt)
# for a bounded time (default 20 s) from its seed corpus. Exit 0 only if no
# crash was found. ctest runs it briefly; run_long.sh is the long run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(realpath -m "${1:?usage: run_fuzzers.sh BUILD_DIR [SECONDS]}")"
secs="${2:-20}"
cmake -S "$here" -B "$out" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j2 >/dev/null
work="$out/work"
rm -rf "$work"
mkdir -p "$work"
cd "$out"
# Each target from its seed corpus (targets.txt); the frame decoder's seeds
# also get the recording corpus bytes (any bytes are a stream to it).
while read -r f dir; do
  case "$f" in ''|'#'*) continue ;; esac
  corpus="$work/$dir"
  mkdir -p "$corpus"
  cp -r "$here/corpus/$dir/." "$corpus/" 2>/dev/null || true
  [ "$f" = fuzz_frame_decoder ] && cp "$here"/corpus/recording/* "$corpus/"
  if ! ./$f -max_total_time="$secs" -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$work/" "$corpus" >"$work/$f.log" 2>&1; then
    echo "$f found a failure:"
    grep -E "ERROR|SUMMARY|#[0-9]+ |Test unit written|runtime error" "$work/$f.log" | head -40
    exit 1
  fi
  echo "$f: $(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/$f.log" | grep -oE '[0-9]+$') runs"
done < "$here/targets.txt"
echo "fuzzers: no crash in ${secs} s each"
