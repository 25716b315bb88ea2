#!/usr/bin/env bash
# Shared by scripts/run and scripts/test: install missing packages, configure
# once, build incrementally (seconds when nothing changed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=deps.sh
source "$here/deps.sh"
mpviz_install_deps

build="${MPVIZ_BUILD_DIR:-$root/build}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" -j2 -- --no-print-directory
