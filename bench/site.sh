#!/usr/bin/env bash
# Benchmark `vejviser site` on the generated national-scale corpus (issue 6).
#
# Usage: bench/site.sh [CORPUS_DIR]   (default target/bench-corpus)
#        VEJVISER=path/to/vejviser bench/site.sh …   (another build, e.g. a baseline,
#        side by side with this one in one session)
#
# Generates the corpus with ../shared/bench/gen_corpus.py if missing (271 guidelines,
# ~586 files, ~44 MB), builds release binaries and, on two threads (-j2 / RAYON_NUM_THREADS=2),
# times: the bare-comrak floor (every file's Markdown to HTML, examples/comrak_baseline.rs),
# the same with each page written to a new folder (what issue 13 first measured against),
# a cold full build with PDFs, a cold build with --no-pdf, an incremental rebuild after
# editing one guideline, and peak memory of the cold full build (/usr/bin/time -f %M).
# Then Hugo (apt-get install hugo) on the same files with minimal one-page templates
# (`{{ .Content }}`), the yardstick of issue 13: site --no-pdf should take at most half
# Hugo's time and at most 2.5x the bare-comrak floor. Ratios are printed from one run.
# --as-of is fixed so the figures are repeatable; --keep-going because the generator
# gives two guidelines an administrative approval after that date (VV0116).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS="${1:-$ROOT/target/bench-corpus}"
GEN="$ROOT/../shared/bench/gen_corpus.py"
[ -d "$CORPUS/guidelines" ] || python3 "$GEN" "$CORPUS" >/dev/null
(cd "$ROOT" && cargo build --release -q --bin vejviser --example comrak_baseline)
EXE="${VEJVISER:-$ROOT/target/release/vejviser}"
BASE="$ROOT/target/release/examples/comrak_baseline"
G="$CORPUS/guidelines"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
export RAYON_NUM_THREADS=2 NO_COLOR=1
SITE=("$EXE" site --guidelines "$G" --as-of 2026-11-23 --keep-going -j2)

best() { # best of N wall times in ms for a command
  local n=$1; shift; local b=999999
  for _ in $(seq "$n"); do
    # Flush the previous build's 167 MB first: otherwise the kernel throttles this
    # build's writes while it writes back the last one's, which measures the disk.
    sync
    local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    local ms=$(( (e - s) / 1000000 )); [ "$ms" -lt "$b" ] && b=$ms
  done
  echo "$b"
}
# Each cold build goes to a new folder, and old ones are deleted only at the end:
# on ext4, creating thousands of files right after deleting thousands makes the
# kernel's inode allocator several times slower (seen here: 0.4 to 3.4 s of
# system time for the same build), which would measure the deletion, not us.
n=0
cold() { n=$((n + 1)); "${SITE[@]}" --out "$OUT/cold-$n/site" "$@"; }

echo "corpus: $(find "$G" -name '*.md' | wc -l) files, $(du -sm "$G" | cut -f1) MB; 2 threads"
floor=$(best 5 "$BASE" "$G");                 echo "bare comrak floor        ${floor} ms"
wn=0
written() { wn=$((wn + 1)); "$BASE" "$G" "$OUT/comrak-$wn"; }
wfloor=$(best 5 written);                     echo "comrak, pages written    ${wfloor} ms"
nopdf=$(best 3 cold --no-pdf);                echo "cold site --no-pdf       ${nopdf} ms  ($(python3 -c "print(f'{$nopdf/$floor:.1f}')")x floor)"
# The same build into memory (tmpfs), when there is one: what the build costs
# without the file system's cost of creating its ~6,800 files (on the team's VM
# that is half the wall time of a cold build on ext4).
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  SHM="$(mktemp -d /dev/shm/vejviser-bench.XXXXXX)"
  mn=0
  inmem() { mn=$((mn + 1)); "${SITE[@]}" --out "$SHM/cold-$mn/site" --no-pdf; }
  shm=$(best 3 inmem);                        echo "cold site --no-pdf, tmpfs ${shm} ms  ($(python3 -c "print(f'{$shm/$floor:.1f}')")x floor)"
  rm -rf "$SHM"
fi
full=$(best 3 cold);                          echo "cold site with PDFs      ${full} ms"
# Incremental: edit one guideline's text, rebuild over the previous site. Two
# builds first, so the site has a spare as it has after any rebuild.
"${SITE[@]}" --out "$OUT/site" >/dev/null 2>&1 || true
"${SITE[@]}" --out "$OUT/site" >/dev/null 2>&1 || true
F="$(find "$G" -name guideline.md | sort | sed -n 1p)"  # sed reads all: no SIGPIPE under pipefail
cp "$F" "$OUT/orig.md"
incr=999999
for i in 1 2 3; do
  printf '\n<!-- bench edit %s -->\n' "$i" >> "$F"
  sync
  s=$(date +%s%N); "${SITE[@]}" --out "$OUT/site" >/dev/null 2>&1 || true; e=$(date +%s%N)
  ms=$(( (e - s) / 1000000 )); [ "$ms" -lt "$incr" ] && incr=$ms
done
cp "$OUT/orig.md" "$F"
echo "incremental (1 edited)   ${incr} ms"
peak=$( { /usr/bin/time -f %M "${SITE[@]}" --out "$OUT/peak/site" >/dev/null 2>/dev/null; } 2>&1 | tail -1 || true)
if [ -z "$peak" ]; then peak=$( ( /usr/bin/time -f %M "${SITE[@]}" --out "$OUT/peak2/site" >/dev/null ) 2>&1 | tail -1 ); fi
echo "peak memory (full build) $(( peak / 1024 )) MB"
if command -v hugo >/dev/null 2>&1; then
  H="$OUT/hugo"
  mkdir -p "$H/layouts/_default"
  cp -r "$G" "$H/content"
  find "$H/content" -name '*.toml' -delete   # dmcg.toml, site.toml, schema/: not pages
  printf 'baseURL = "https://x.example/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' > "$H/hugo.toml"
  echo '{{ .Content }}' > "$H/layouts/_default/single.html"
  echo '{{ range .Pages }}{{ .Title }}{{ end }}' > "$H/layouts/_default/list.html"
  hn=0
  hugo_cold() { hn=$((hn + 1)); hugo --quiet -s "$H" -d "$OUT/hugo-$hn"; }
  hugo_ms=$(best 3 hugo_cold)
  echo "hugo, minimal templates  ${hugo_ms} ms"
  python3 -c "print(f'ratios: site --no-pdf / comrak floor = {$nopdf/$floor:.2f}x, / comrak writing its pages = {$nopdf/$wfloor:.2f}x (bound 2.5x); site --no-pdf / hugo = {$nopdf/$hugo_ms:.2f}x (bound 0.5x)')"
else
  echo "hugo not installed: no Hugo ratio (apt-get install hugo)"
fi
