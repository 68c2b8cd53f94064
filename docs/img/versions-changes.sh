#!/bin/sh
# Regenerates docs/img/versions-changes.png: the page of changes of the sample
# guideline (guidelines/dmsg/myelomatose-hdt, version 1.5 → 2.0) as
# `vejviser build` writes it, in headless Chromium at 1280 px, the top
# 1280 × 1400 px, quantised to 64 colours (pngquant) and recompressed (optipng).
# The same checkout, Chromium and fonts give the same bytes: the date is fixed
# (--as-of, SOURCE_DATE_EPOCH), the page has no script or animation, and
# pngquant and optipng are deterministic.
#
# Needs: chromium, pngquant, optipng (Debian: apt-get install chromium pngquant optipng).
# Usage: sh docs/img/versions-changes.sh   (from the repository's root)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/docs/img/versions-changes.png"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$root"
cargo build --quiet --bin vejviser
SOURCE_DATE_EPOCH=1780272000 ./target/debug/vejviser build guidelines/dmsg/myelomatose-hdt \
  --out "$tmp/site" --no-pdf --as-of 2026-06-01 > /dev/null 2>&1
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --user-data-dir="$tmp/profile" --force-device-scale-factor=1 --window-size=1280,1400 \
  --screenshot="$tmp/raw.png" "file://$tmp/site/aendringer/index.html" 2> /dev/null
pngquant --force --strip --speed 1 --output "$tmp/small.png" 64 "$tmp/raw.png"
optipng -quiet -o5 -strip all "$tmp/small.png"
cp "$tmp/small.png" "$out"
echo "$out: $(wc -c < "$out") bytes"
