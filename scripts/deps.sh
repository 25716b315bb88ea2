#!/usr/bin/env bash
# Installs (as root, with apt-get) the Debian 12 packages mpviz needs to build,
# test and run. Sourced by scripts/run, scripts/test and scripts/package.
# Quick when nothing is missing: it only asks dpkg.
#   mpviz_install_deps           what ./scripts/run needs (build + run)
#   mpviz_install_deps test      and the test-only tools (packaging checks)
set -euo pipefail

MPVIZ_PACKAGES=(
  cmake g++ make pkg-config
  libimgui-dev libglfw3-dev python3-glad libgl-dev libgl1-mesa-dri
  libboost-dev libstb-dev libfreetype-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  xvfb xauth fonts-noto-cjk python3 python3-xlib
  python3-dev
)

# Only for ./scripts/test and ./scripts/package: building and checking the
# Debian package (cpack's dpkg-shlibdeps, lintian, desktop-file-validate,
# update-mime-database, `file` for the stripped check, man for the manual).
MPVIZ_TEST_PACKAGES=(
  dpkg-dev lintian desktop-file-utils shared-mime-info file man-db
  stress-ng
)

# mpviz_missing_packages [test]: what is not installed of MPVIZ_PACKAGES
# (and of MPVIZ_TEST_PACKAGES with "test").
mpviz_missing_packages() {
  local missing=() p wanted=("${MPVIZ_PACKAGES[@]}")
  if [ "${1:-}" = test ]; then wanted+=("${MPVIZ_TEST_PACKAGES[@]}"); fi
  for p in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  echo "${missing[@]:-}"
}

# mpviz_install_deps [test]
mpviz_install_deps() {
  local missing
  missing=$(mpviz_missing_packages "${1:-}")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "mpviz: missing Debian packages: $missing" >&2
    echo "mpviz: install them with: sudo apt-get install -y $missing" >&2
    return 1
  fi
  echo "mpviz: installing missing packages: $missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >&2
}
