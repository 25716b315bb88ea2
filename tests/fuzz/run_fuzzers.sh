#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 and runs each for a bounded time
# (default 20 s) from the seed corpus. Exit 0 only if no crash was found.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: run_fuzzers.sh BUILD_DIR [SECONDS]}"
secs="${2:-20}"
cmake -S "$here" -B "$out" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j2 >/dev/null
work="$out/work"
rm -rf "$work"
mkdir -p "$work/frames" "$work/recording"
cp "$here"/corpus/recording/* "$work/recording/"
# A seed frame stream: a few valid frames made by the frame fuzzer's own codec
# are not available here, so start from the recording corpus bytes as well.
cp "$here"/corpus/recording/* "$work/frames/"
cd "$out"
for f in fuzz_frame_decoder fuzz_recording_loader; do
  corpus="$work/frames"
  [ "$f" = fuzz_recording_loader ] && corpus="$work/recording"
  if ! ./$f -max_total_time="$secs" -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$work/" "$corpus" >"$work/$f.log" 2>&1; then
    echo "$f found a failure:"
    grep -E "ERROR|SUMMARY|#[0-9]+ |Test unit written" "$work/$f.log" | head -40
    exit 1
  fi
  tail -3 "$work/$f.log"
done
echo "fuzzers: no crash in ${secs} s each"
