#!/bin/sh
# Regenerates the README's screenshots (docs/img/*.png) from the sample
# guidelines in guidelines/, so they stay true to what vejviser publishes:
#
#   quick-guide-phone.png     the quick guide on a phone, 375 × 667 CSS px at 2×
#   overview-desktop.png      the overview table on a desktop, 1280 × 800
#   pdf-front.png             the full PDF's front page, 60 dpi
#   pdf-recommendations.png   the quick PDF's first page (the recommendations,
#                             with the address and version of the printout), 60 dpi
#
# Deterministic: a fixed date (--as-of), SOURCE_DATE_EPOCH and base URL, fixed
# viewports in headless Chromium (docs/img/shoot.js, playwright-core from
# tests/a11y: run `npm ci` there once) and pdftoppm. PNGs are optimised with
# optipng when it is installed.
#
#   docs/img/shoot.sh            (builds and uses target/debug/vejviser;
#                                 VEJVISER=path uses that binary instead)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/docs/img"
bin=${VEJVISER:-}
if [ -z "$bin" ]; then
  (cd "$root" && cargo build -q --bin vejviser)
  bin="$root/target/debug/vejviser"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
SOURCE_DATE_EPOCH=1764547200 "$bin" site --as-of 2026-12-01 \
  --base-url https://retningslinjer.example.dk/ \
  --guidelines "$root/guidelines" --out "$tmp/site" >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
node "$root/docs/img/shoot.js" "$tmp/site" "$out"
g="$tmp/site/dmsg/myelomatose-hdt"
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$g/myelomatose-hdt-2.0.pdf" "$out/pdf-front"
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$g/myelomatose-hdt-2.0-quick.pdf" "$out/pdf-recommendations"
if command -v optipng >/dev/null 2>&1; then
  optipng -quiet -o2 -strip all "$out/quick-guide-phone.png" "$out/overview-desktop.png" \
    "$out/pdf-front.png" "$out/pdf-recommendations.png"
fi
ls -l "$out"/*.png
