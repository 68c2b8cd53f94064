#!/usr/bin/env python3
"""Benchmark `vejviser check` and `vejviser report` against bare comrak on the generated corpus.

Usage: python3 bench/check.py [--runs N] [--corpus DIR]

Generates the national-scale corpus with ../shared/bench/gen_corpus.py (271 guidelines,
586 files), builds release binaries, and times, on two threads (RAYON_NUM_THREADS=2):
  - baseline: bare comrak rendering every file to HTML (examples/comrak_baseline.rs)
  - check:    vejviser check over the whole corpus (parse + all rules)
  - report:   vejviser report (front matter only)
Prints the best and median wall time of N runs, MB/s and the check/baseline ratio.
"""
import argparse, os, subprocess, sys, time, statistics, pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


def timed(cmd, runs, env):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--corpus", default=str(ROOT / "target" / "bench-corpus"))
    a = ap.parse_args()
    corpus = pathlib.Path(a.corpus)
    if not (corpus / "guidelines").exists():
        if not GEN.exists():
            sys.exit(f"corpus generator not found at {GEN}")
        subprocess.run([sys.executable, str(GEN), str(corpus)], check=True)
    subprocess.run(["cargo", "build", "--release", "-q", "--bin", "vejviser", "--example", "comrak_baseline"], cwd=ROOT, check=True)
    exe = ROOT / "target" / "release" / "vejviser"
    base = ROOT / "target" / "release" / "examples" / "comrak_baseline"
    g = corpus / "guidelines"
    files = list(g.rglob("*.md"))
    mb = sum(f.stat().st_size for f in files) / 1e6
    env = dict(os.environ, RAYON_NUM_THREADS="2", NO_COLOR="1")
    rows = [
        ("baseline: bare comrak to HTML", [str(base), str(g)]),
        ("vejviser check", [str(exe), "check", str(g), "--as-of", "2026-11-22"]),
        ("vejviser report", [str(exe), "report", "--guidelines", str(g), "--as-of", "2026-11-22", "--format", "json"]),
    ]
    print(f"corpus: {len(files)} files, {mb:.1f} MB; {a.runs} runs each, 2 threads")
    results = {}
    for name, cmd in rows:
        best, med = timed(cmd, a.runs, env)
        results[name] = best
        print(f"{name:34} best {best*1000:7.1f} ms  median {med*1000:7.1f} ms  {mb/best:7.1f} MB/s")
    ratio = results["vejviser check"] / results["baseline: bare comrak to HTML"]
    print(f"check / baseline ratio: {ratio:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
