#!/usr/bin/env bash
# mpviz installed like real software (issue #21). One check per ctest test:
#   install_test.sh CHECK SRC_DIR BUILD_DIR [CHECK_SCREENSHOT]
# CHECK: relocated | gui | docs | mime | deb | lintian
# `relocated` and `gui` install with `cmake --install` to a prefix under the
# build dir, move it to a temporary directory elsewhere, and run the moved
# binary with no MPVIZ_DATA_DIR; where `unshare -m` works (root), the source
# and build trees are hidden behind empty tmpfs mounts in a private mount
# namespace while it runs, so nothing can come from them. Everything is
# removed on exit; the exit status is the verdict (77: a tool is missing).
set -euo pipefail
check=$1 src=$2 build=$3 checker=${4:-}

work=$(mktemp -d "$build/tests/install/tmp.XXXXXX")
moved=""
cleanup() { rm -rf "$work"; [ -z "$moved" ] || rm -rf "$moved"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || { echo "SKIP: $1 is not installed (./scripts/test installs it)"; exit 77; }; }
py_check() { /usr/bin/python3 -c "$1" "${@:2}"; }

# Install to a prefix under the build dir, then move it out of both trees.
install_moved() {
  cmake --install "$build" --prefix "$work/prefix" >/dev/null
  moved=$(mktemp -d /tmp/mpviz-installed.XXXXXX)
  rmdir "$moved"
  mv "$work/prefix" "$moved"
  P=$moved
}

# Run a command with the source and build trees hidden (when possible), no
# data directory in the environment, and the moved prefix as its directory
# (a spawned Python child goes back to its parent's directory).
isolated() {
  if unshare -m true 2>/dev/null; then
    unshare -m -- /bin/sh -c 'mount -t tmpfs mpviz-hidden "$1" && mount -t tmpfs mpviz-hidden "$2" && shift 2 && exec "$@"' \
      sh "$build" "$src" env -u MPVIZ_DATA_DIR -C "$P" "$@"
  else
    env -u MPVIZ_DATA_DIR -C "$P" "$@"
  fi
}

# No process of the moved install may be left (alive or zombie).
no_leftovers() {
  sleep 0.2
  if ps -eo pid,stat,args | grep -F "$P/" | grep -v grep; then fail "processes of $P left behind"; fi
}

case $check in
relocated)
  install_moved
  for f in bin/mpviz libexec/mpviz/mpviz-proc share/mpviz/listings/lock.py \
           share/mpviz/python/sitecustomize.py share/mpviz/python/mpviz_trace/__init__.py \
           share/applications/mpviz.desktop share/mime/packages/mpviz.xml \
           share/icons/hicolor/scalable/apps/mpviz.svg share/icons/hicolor/48x48/apps/mpviz.png \
           share/man/man1/mpviz.1.gz share/bash-completion/completions/mpviz share/doc/mpviz/copyright; do
    [ -e "$P/$f" ] || fail "not installed: $f"
  done
  [ -x "$P/bin/mpviz" ] && [ -x "$P/libexec/mpviz/mpviz-proc" ] || fail "binaries not executable"
  if find "$P" -name __pycache__ | grep -q .; then fail "__pycache__ installed"; fi

  # The data directory is the moved prefix's, found from the binary's place.
  v=$(isolated "$P/bin/mpviz" version)
  echo "$v"
  grep -qx "data: $P/share/mpviz" <<<"$v" || fail "data dir is not $P/share/mpviz"
  grep -qE '^mpviz [0-9]+\.[0-9]+\.[0-9]+$' <<<"$v" || fail "no version line"
  grep -qE '^python: /usr/bin/python3 \(Python 3\.[0-9]+' <<<"$v" || fail "no python line"
  [ "$(isolated "$P/bin/mpviz" --version)" = "$v" ] || fail "--version differs from version"

  # A C++ scenario, its processes exec'd from the moved libexec.
  isolated "$P/bin/mpviz" run lock --speed 0 --jsonl - >"$work/lock.jsonl"
  py_check '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
h, ev = lines[0], lines[1:]
assert h["format"] == "mpviz-trace" and h["scenario"] == "lock" and h["method"] == "fork", h
kinds = [e["kind"] for e in ev]
starts = kinds.count("process_start"); ends = kinds.count("process_exit") + kinds.count("process_killed")
assert starts >= 4 and starts == ends, (starts, ends)
acq = [e for e in ev if e["kind"] == "lock_acquire"]
assert len(acq) >= 3 and all(e["obj"] == "lock" for e in acq), acq
assert kinds.count("lock_release") == len(acq)
assert ev[-1]["kind"] == "run_end" and ev[-1]["status"] == "finished", ev[-1]
print("lock (C++): %d processes, %d acquisitions, finished" % (starts, len(acq)))
' "$work/lock.jsonl"

  # Python programs from the installed listings, under spawn, traced by the
  # installed tracer. lock.py is the tutorial's CPython erratum (main never
  # joins, so its exit unlinks the Lock before the spawned children unpickle
  # it; see tests/integration/python_mode_test.cpp): every worker starts
  # under spawn and fails in SemLock._rebuild, traced as it happens.
  isolated "$P/bin/mpviz" run "$P/share/mpviz/listings/lock.py" --method spawn --speed 0 --jsonl - >"$work/py.jsonl"
  py_check '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
h, ev = lines[0], lines[1:]
assert h["format"] == "mpviz-trace" and h["method"] == "spawn" and h["scenario"] == sys.argv[2], h
workers = {e["pid"] for e in ev if e["kind"] == "process_start" and e["name"].startswith("MyProcess")}
assert len(workers) == 5, workers
assert all(e["method"] == "spawn" for e in ev if e["kind"] == "process_start" and e["pid"] in workers)
ended = {e["pid"] for e in ev if e["kind"] in ("process_exit", "process_killed") and e["pid"] in workers}
assert ended == workers, (ended, workers)
text = "".join(e["text"] for e in ev if e["kind"] == "print")
assert "SemLock._rebuild" in text, text[:500]
assert ev[-1]["kind"] == "run_end" and ev[-1]["status"] == "finished", ev[-1]
print("lock.py (spawn): 5 workers spawned, traced, each ended (the erratum)")
' "$work/py.jsonl" "$P/share/mpviz/listings/lock.py"

  # pipe.py under spawn works end to end: items go through the named pipe.
  isolated "$P/bin/mpviz" run "$P/share/mpviz/listings/pipe.py" --method spawn --speed 0 --jsonl - >"$work/pipe.jsonl"
  py_check '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
h, ev = lines[0], lines[1:]
assert h["method"] == "spawn", h
sent = [e for e in ev if e["kind"] == "pipe_send"]
got = [e for e in ev if e["kind"] == "pipe_recv"]
assert len(sent) >= 2 and sorted(e["item"] for e in sent) == sorted(e["item"] for e in got), (sent, got)
assert all(e["obj"] == "pipe" for e in sent + got), sent + got
exits = [e for e in ev if e["kind"] == "process_exit"]
assert len(exits) == sum(e["kind"] == "process_start" for e in ev) and all(e["code"] == 0 for e in exits)
assert ev[-1]["kind"] == "run_end" and ev[-1]["status"] == "finished", ev[-1]
print("pipe.py (spawn): %d items through pipe, every process exit 0" % len(sent))
' "$work/pipe.jsonl"
  no_leftovers
  ;;

gui)
  need xvfb-run
  install_moved
  mkdir -p "$work/xdg"
  isolated env XDG_CONFIG_HOME="$work/xdg" xvfb-run -a -s "-screen 0 1280x800x24" \
    "$P/bin/mpviz" gui --scenario lock --autorun --speed 5 --screenshot "$P/shot.png" --quit-after 2
  [ -s "$P/shot.png" ] || fail "no screenshot"
  size=$(stat -c %s "$P/shot.png")
  [ "$size" -gt 20000 ] || fail "screenshot is only $size bytes"
  "$checker" "$P/shot.png" run || fail "the screenshot shows no run"
  no_leftovers
  ;;

docs)
  # Manual pages (en, zh_CN) from --help, and the bash completion.
  install_moved
  man_en=$(gzip -dc "$P/share/man/man1/mpviz.1.gz")
  man_zh=$(gzip -dc "$P/share/man/zh_CN/man1/mpviz.1.gz")
  for sub in gui list run export version; do
    grep -q "^\.SS \"mpviz $sub\"" <<<"$man_en" || fail "man page: no section for $sub"
  done
  grep -q 'forkserver' <<<"$man_en" || fail "man page: run's options missing"
  grep -q '^\.SH EXIT STATUS' <<<"$man_en" || fail "man page: no EXIT STATUS"
  grep -q '^\.SH 选项' <<<"$man_zh" && grep -q '启动方式' <<<"$man_zh" || fail "zh man page not Chinese"
  if command -v man >/dev/null; then
    warn=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$P/share/man/man1/mpviz.1.gz" 2>&1 >/dev/null || true)
    [ -z "$warn" ] || fail "man reports: $warn"
  fi

  # Help: English by default, Chinese with --lang zh or a zh_* locale.
  LC_ALL=C.UTF-8 "$P/bin/mpviz" --help | grep -q '^Usage: mpviz' || fail "English help"
  LC_ALL=C.UTF-8 "$P/bin/mpviz" run --help | grep -q -- '--method' || fail "run --help"
  LC_ALL=C.UTF-8 "$P/bin/mpviz" --lang zh --help | grep -q '^用法: mpviz' || fail "--lang zh help"
  env -u LC_ALL LANG=zh_CN.UTF-8 "$P/bin/mpviz" run --help | grep -q '用法' || fail "LANG=zh_CN help"
  set +e; "$P/bin/mpviz" --bogus >/dev/null 2>"$work/err"; rc=$?; set -e
  [ $rc -eq 2 ] && [ "$(wc -l <"$work/err")" -eq 1 ] || fail "bad argument: exit $rc, $(cat "$work/err")"

  complete_words() {  # the completions of the command line "$@" (last word: being typed)
    PATH="$P/bin:$PATH" bash -c '
      source "$1"; shift
      COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
      _mpviz; printf "%s\n" "${COMPREPLY[@]}"' sh "$P/share/bash-completion/completions/mpviz" "$@"
  }
  complete_words mpviz r | grep -qx run || fail "completion: subcommand"
  complete_words mpviz run lo | grep -qx lock || fail "completion: scenario name"
  [ "$(complete_words mpviz run "" | wc -l)" -ge 10 ] || fail "completion: all scenarios"
  complete_words mpviz run lock --me | grep -qx -- --method || fail "completion: run option"
  complete_words mpviz run lock --method s | grep -qx spawn || fail "completion: --method value"
  complete_words mpviz run lock --set p | grep -qx processes= || fail "completion: --set key"
  complete_words mpviz gui --scenario sem | grep -qx semaphore || fail "completion: --scenario"
  echo "man pages, help and completion OK"
  ;;

mime)
  need update-mime-database
  mkdir -p "$work/mime/packages"
  cp "$src/app/packaging/mpviz-mime.xml" "$work/mime/packages/mpviz.xml"
  cp /usr/share/mime/packages/freedesktop.org.xml "$work/mime/packages/" 2>/dev/null || true
  XDG_DATA_HOME=$work update-mime-database "$work/mime" 2>"$work/err" || fail "update-mime-database: $(cat "$work/err")"
  [ ! -s "$work/err" ] || fail "update-mime-database warns: $(cat "$work/err")"
  grep -q 'application/x-mpviz-trace:\*\.mpvt' "$work/mime/globs2" || fail "no *.mpvt glob"
  grep -aq '{"format":"mpviz-trace"' "$work/mime/magic" || fail "no header magic"
  grep -q 'application/x-mpviz-trace text/plain' "$work/mime/subclasses" || fail "not a text/plain subclass"
  # The magic is what our recordings really start with.
  "$build/app/mpviz" run basic --speed 0 --quiet --jsonl "$work/basic.jsonl"
  [ "$(head -c 23 "$work/basic.jsonl")" = '{"format":"mpviz-trace"' ] || fail "recordings do not start with the magic"
  need desktop-file-validate
  desktop-file-validate "$src/app/packaging/mpviz.desktop" || fail "desktop-file-validate"
  echo "MIME type and desktop entry OK"
  ;;

deb)
  need dpkg-shlibdeps
  need dpkg-deb
  cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log"; fail "cpack"; }
  deb=$(ls "$work"/pkg/mpviz_*.deb)
  dpkg-deb -f "$deb" Package Version Architecture Depends Section
  depends=$(dpkg-deb -f "$deb" Depends)
  for d in python3 fonts-noto-cjk libglfw3 libc6 libfreetype6; do
    grep -qE "(^|, )$d( |,|$)" <<<"$depends" || fail "Depends lacks $d: $depends"
  done
  [ "$(dpkg-deb -f "$deb" Version)" = "$(sed -n 's/^project(mpviz VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")" ] ||
    fail "package version is not the project's"
  contents=$(dpkg-deb -c "$deb")
  for f in ./usr/bin/mpviz ./usr/libexec/mpviz/mpviz-proc ./usr/share/mpviz/listings/lock.py \
           ./usr/share/mpviz/python/sitecustomize.py ./usr/share/applications/mpviz.desktop \
           ./usr/share/mime/packages/mpviz.xml ./usr/share/icons/hicolor/scalable/apps/mpviz.svg \
           ./usr/share/icons/hicolor/256x256/apps/mpviz.png ./usr/share/man/man1/mpviz.1.gz \
           ./usr/share/bash-completion/completions/mpviz ./usr/share/doc/mpviz/copyright \
           ./usr/share/doc/mpviz/changelog.gz; do
    grep -qE " $f\$" <<<"$contents" || fail "package lacks $f"
  done
  if grep -E ' \./(usr/)?(include|lib/cmake)|__pycache__|/gtest' <<<"$contents"; then fail "package holds build or test files"; fi
  grep -E ' root/root .* \./usr/bin/mpviz$' <<<"$contents" >/dev/null || fail "files not owned by root"
  # Stripped binaries, and a desktop entry that validates as packaged.
  dpkg-deb -x "$deb" "$work/root"
  file "$work/root/usr/bin/mpviz" 2>/dev/null | grep -q 'not stripped' && fail "mpviz not stripped"
  if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$work/root/usr/share/applications/mpviz.desktop" || fail "desktop-file-validate"
  fi
  echo "$deb: contents and control OK"
  ;;

lintian)
  need lintian
  need dpkg-shlibdeps
  cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log"; fail "cpack"; }
  deb=$(ls "$work"/pkg/mpviz_*.deb)
  lintian --no-cfg --fail-on error --display-info "$deb" | tee "$work/lintian.txt" || fail "lintian reports errors"
  if grep -q '^E: ' "$work/lintian.txt"; then fail "lintian errors"; fi
  echo "lintian: $(grep -c '^W: ' "$work/lintian.txt" || true) warnings, no errors"
  ;;

*) echo "usage: $0 relocated|gui|docs|mime|deb|lintian SRC BUILD [CHECK_SCREENSHOT]" >&2; exit 2 ;;
esac
