#!/bin/sh
# Renders mpviz.svg to the committed PNGs (48, 128, 256 px) with rsvg-convert
# (Debian: librsvg2-bin). Run by hand after changing the SVG.
set -eu
cd "$(dirname "$0")"
for s in 48 128 256; do
  rsvg-convert -w "$s" -h "$s" mpviz.svg -o "mpviz-$s.png"
done
