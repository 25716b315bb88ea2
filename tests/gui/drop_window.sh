#!/bin/sh
# drop_window.sh MPVIZ FILE PNG [GUI ARGS...]
# Opens mpviz's window, drops FILE on it the way a file manager does (XDND,
# tests/gui/xdnd_drop.py) and lets the window write PNG when it quits.
# Exit: the window's exit code, or 1 if the drop was not accepted.
mpviz=$1 file=$2 png=$3
shift 3
"$mpviz" gui "$@" --screenshot "$png" &
gui=$!
/usr/bin/python3 "$(dirname "$0")/xdnd_drop.py" "$file"
drop=$?
wait $gui
rc=$?
if [ $drop -ne 0 ]; then
  echo "drop_window: the window did not take the drop" >&2
  exit 1
fi
exit $rc
