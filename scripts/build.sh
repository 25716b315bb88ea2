#!/usr/bin/env bash
# Shared by scripts/run, scripts/test and scripts/package: install missing
# packages (`build.sh test`: the test-only ones too), configure once, build
# incrementally (seconds when nothing changed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=deps.sh
source "$here/deps.sh"
mpviz_install_deps "${1:-}"

build="${MPVIZ_BUILD_DIR:-$root/build}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" -j2 -- --no-print-directory
