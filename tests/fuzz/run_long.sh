#!/usr/bin/env bash
# The long fuzz run (not in ctest): every target of tests/fuzz/targets.txt for
# SECONDS each (default 600), from the seed corpus plus what earlier long runs
# found (BUILD_DIR/long-corpus, kept between runs). At the end, the inputs
# that reach new coverage are merged (minimised, `-merge=1`) into the seed
# corpus in the repository, to be committed. A crash stops the run with the
# reproducer's path; reproduce with `BUILD_DIR/TARGET REPRODUCER`.
#   tests/fuzz/run_long.sh [BUILD_DIR] [SECONDS] [TARGET...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(realpath -m "${1:-$here/../../build-fuzz}")"
secs="${2:-600}"
shift $(( $# > 2 ? 2 : $# ))
only=("$@")
cmake -S "$here" -B "$out" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j2 >/dev/null
mkdir -p "$out/long-corpus" "$out/long-artifacts"
status=0
while read -r f dir; do
  case "$f" in ''|'#'*) continue ;; esac
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " =~ " $f " ]]; then continue; fi
  seeds="$here/corpus/$dir"
  mkdir -p "$seeds"
  found="$out/long-corpus/$dir"
  mkdir -p "$found"
  extra=()
  [ "$f" = fuzz_frame_decoder ] && extra=("$here/corpus/recording")
  echo "== $f: ${secs} s (corpus $found + $seeds)"
  # New inputs go to the first directory ($found); the seeds are read only.
  if ! "$out/$f" -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/long-artifacts/$f-" "$found" "$seeds" "${extra[@]}" \
        >"$out/long-artifacts/$f.log" 2>&1; then
    echo "$f FOUND A FAILURE (log: $out/long-artifacts/$f.log):"
    grep -E "ERROR|SUMMARY|Test unit written|runtime error" "$out/long-artifacts/$f.log" | head -20
    status=1
    continue
  fi
  grep -E "stat::number_of_executed_units|stat::new_units_added" "$out/long-artifacts/$f.log" || true
  before=$(ls "$seeds" | wc -l)
  "$out/$f" -merge=1 -rss_limit_mb=2048 "$seeds" "$found" >>"$out/long-artifacts/$f.log" 2>&1
  echo "$f: seed corpus $before -> $(ls "$seeds" | wc -l) files (new coverage kept in $seeds)"
done < "$here/targets.txt"
exit $status
