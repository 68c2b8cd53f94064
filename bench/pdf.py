#!/usr/bin/env python3
"""Benchmark the PDF renderer on the generated national-scale corpus.

Usage: python3 bench/pdf.py [--corpus DIR] [--threads N]

Generates the corpus with ../shared/bench/gen_corpus.py if DIR has none (271 guidelines,
586 files, ~25 pages each), builds the `pdf_corpus` example of vejviser-render-pdf in
release mode and runs it. It prints:
  - one core: ms per guideline for its full PDF (wall and CPU time), and ms per 25 pages
    (target: under 30 ms for a 25-page guideline);
  - N cores (default 2): the time for every PDF of the corpus, full and quick (target:
    all 586 guidelines under 8 s on two cores), also including reading, parsing and
    building the views.
On a machine shared with other work, wall time includes waiting for a core; the CPU
figures (and CPU time / N) are what the run takes on free cores.
"""
import argparse, os, pathlib, subprocess, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="/tmp/corpus-pdf")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    corpus = pathlib.Path(a.corpus)
    if not (corpus / "guidelines").exists():
        if not GEN.exists():
            sys.exit(f"corpus generator not found at {GEN}")
        subprocess.run([sys.executable, str(GEN), str(corpus)], check=True)
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "vejviser-render-pdf", "--example", "pdf_corpus"],
        cwd=ROOT, check=True,
    )
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    exe = target / "release" / "examples" / "pdf_corpus"
    subprocess.run([str(exe), str(corpus / "guidelines"), str(a.threads)], check=True)


if __name__ == "__main__":
    main()
