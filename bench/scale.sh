#!/usr/bin/env bash
# Scale benchmark (issue 18): the national corpus at 1× and 10×.
#
# Usage: bench/scale.sh [CORPUS_ROOT]   (default target/scale-corpus; GEN=path/to/gen_corpus.py)
#
# Generates `x1` (271 guidelines, ~586 files) and `x10` (2,710 guidelines, ~5,900
# files, ~450 MB) with ../shared/bench/gen_corpus.py when missing, builds the
# release binary, and prints one Markdown table row per command and corpus:
# wall time, peak resident memory (`/usr/bin/time -f %M`) and the size of what
# the command wrote. Two threads, as on the secretariat's build machine.
#
# The commands: `check` (all files), `report` (front matter only), `site --no-pdf`
# and `site` with PDFs, each a cold build into a new folder; then `site` with PDFs
# under the lean archive policy (a site.toml with `[archive] pdf = false, json =
# false`, added to the corpus for that run and removed after it). `--keep-going`
# because the generator gives two guidelines an administrative approval after the
# fixed date (VV0116). The first query of the search index is measured as the
# bytes a browser fetches for one search: the search script plus the index
# shard(s) a one-word query needs (bench/search_bytes.py). Where the output's
# bytes go, by kind of file and current / archived version, is printed on stderr
# (bench/site_bytes.py). The output sizes are du's (MiB, with file system blocks).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CORPORA="${1:-$ROOT/target/scale-corpus}"
GEN="${GEN:-$ROOT/../shared/bench/gen_corpus.py}"
mkdir -p "$CORPORA"
[ -d "$CORPORA/x1/guidelines" ] || python3 "$GEN" "$CORPORA/x1" >/dev/null
[ -d "$CORPORA/x10/guidelines" ] || python3 "$GEN" "$CORPORA/x10" --guidelines 2710 >/dev/null
(cd "$ROOT" && cargo build --release -q --bin vejviser)
EXE="$ROOT/target/release/vejviser"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT INT TERM
export RAYON_NUM_THREADS=2 NO_COLOR=1
AS_OF=2026-12-01

# run NAME OUTDIR CMD...: prints "| NAME | seconds | peak MB | output MB |"
run() {
  local name=$1 outdir=$2; shift 2
  sync
  local s e peak
  s=$(date +%s%N)
  # `check` exits 1 on the generator's two VV0116 errors: the figure still counts.
  /usr/bin/time -f %M -o "$OUT/peak" "$@" >/dev/null 2>/dev/null || true
  peak=$(tail -1 "$OUT/peak")
  e=$(date +%s%N)
  local size="–"
  if [ -n "$outdir" ] && [ -e "$outdir" ]; then
    size=$(du -sm "$outdir" | cut -f1)
  fi
  printf '| %s | %.2f s | %d MB | %s |\n' "$name" "$(echo "($e - $s) / 1000000000" | bc -l)" \
    "$(( peak / 1024 ))" "$size"
}

echo "| corpus · command | wall | peak memory | output |"
echo "|---|---|---|---|"
for c in x1 x10; do
  G="$CORPORA/$c/guidelines"
  files=$(find "$G" -name '*.md' | wc -l)
  run "$c ($files files) · check" "" "$EXE" check --as-of $AS_OF --format json "$G"
  run "$c · report" "$OUT/$c-report.json" "$EXE" report --guidelines "$G" --as-of $AS_OF --format json --output "$OUT/$c-report.json"
  run "$c · site --no-pdf" "$OUT/$c-nopdf/site" "$EXE" site --guidelines "$G" --as-of $AS_OF --keep-going -j2 --no-pdf --base-url https://example.dk/ --out "$OUT/$c-nopdf/site"
  rm -rf "$OUT/$c-nopdf"  # disk: keep one site at a time (10×: 2.3 GB with PDFs)
  run "$c · site with PDFs" "$OUT/$c-pdf/site" "$EXE" site --guidelines "$G" --as-of $AS_OF --keep-going -j2 --base-url https://example.dk/ --out "$OUT/$c-pdf/site"
  kinds=$(find "$OUT/$c-pdf/site" -type f -printf '%s %f\n' | awk '{n=split($2,p,"."); k=(n>1)?p[n]:"other"; s[k]+=$1} END {for (k in s) printf "%s %.0f MB, ", k, s[k]/1048576}' | sort)
  echo "| $c · output by kind (with PDFs) | | | ${kinds%, } |"
  # By kind and by current / archived version, for the README (stderr, so the table stays a table).
  python3 "$ROOT/bench/site_bytes.py" "$OUT/$c-pdf/site" --markdown >&2
  json=$(find "$OUT/$c-pdf/site" -name guideline.json -printf '%s\n' | awk '{s+=$1; n++} END {printf "%.1f MB in %d files, mean %.0f KB", s/1048576, n, s/n/1024}')
  echo "| $c · guideline.json | | | $json |"
  echo "| $c · first search query | | | $(python3 "$ROOT/bench/search_bytes.py" "$OUT/$c-pdf/site") |"
  rm -rf "$OUT/$c-pdf"
  # The lean archive policy (site.toml `[archive] pdf = false, json = false`,
  # docs/site.md): written beside the corpus's dmcg.toml for this run only.
  if [ ! -e "$G/site.toml" ]; then
    printf '[archive]\npdf = false\njson = false\n' > "$G/site.toml"
    run "$c · site with PDFs, archived versions without PDF and JSON" "$OUT/$c-lean/site" "$EXE" site --guidelines "$G" --as-of $AS_OF --keep-going -j2 --base-url https://example.dk/ --out "$OUT/$c-lean/site" || true
    rm -f "$G/site.toml"
    rm -rf "$OUT/$c-lean"
  fi
done
