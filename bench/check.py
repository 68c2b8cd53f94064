#!/usr/bin/env python3
"""Benchmark `vejviser check` and `vejviser report` against bare comrak on the generated corpus.

Usage: python3 bench/check.py [--runs N] [--corpus DIR] [--cold]

Generates the national-scale corpus with ../shared/bench/gen_corpus.py (271 guidelines,
586 files), builds release binaries, and times, on two threads (RAYON_NUM_THREADS=2):
  - baseline: bare comrak rendering every file to HTML (examples/comrak_baseline.rs)
  - check:    vejviser check over the whole corpus (parse + all rules), with its findings
              rendered for people (the default) and as JSON
  - report:   vejviser report (front matter only)
The commands take turns (one run of each per round), so a load from elsewhere on the
machine falls on all of them alike. Prints the best and median wall time of N runs, the
best CPU time (user + system), MB/s, and the check/baseline ratios of the best and the
median wall times and of the CPU times.

`check` has no cache of its own: every run reads, parses and checks every file (the
incremental check cache is the site's). By default the corpus is in the page cache
(warm: the first round warms it); `--cold` drops the corpus files from the page cache
(posix_fadvise DONTNEED) before every run, so each command reads them from disk.
"""
import argparse, os, subprocess, sys, time, statistics, pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


def evict(files):
    """Drops the files from the page cache (clean pages only; no root needed)."""
    for f in files:
        fd = os.open(f, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def timed(rows, runs, env, cold_files):
    """Wall and CPU seconds of each row's runs, the rows taking turns."""
    wall = {name: [] for name, _ in rows}
    cpu = {name: [] for name, _ in rows}
    for _ in range(runs):
        for name, cmd in rows:
            if cold_files:
                evict(cold_files)
            before = os.times()
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
            wall[name].append(time.perf_counter() - t)
            after = os.times()
            cpu[name].append(after.children_user + after.children_system - before.children_user - before.children_system)
    return wall, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--corpus", default=str(ROOT / "target" / "bench-corpus"))
    ap.add_argument("--cold", action="store_true", help="read the corpus from disk in every run")
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
    check = [str(exe), "check", str(g), "--as-of", "2026-11-22"]
    rows = [
        ("baseline: bare comrak to HTML", [str(base), str(g)]),
        ("vejviser check", check),
        ("vejviser check --format json", check + ["--format", "json"]),
        ("vejviser report", [str(exe), "report", "--guidelines", str(g), "--as-of", "2026-11-22", "--format", "json"]),
    ]
    cold = [f for f in g.rglob("*") if f.is_file()] if a.cold else []
    print(f"corpus: {len(files)} files, {mb:.1f} MB; {a.runs} runs each, taking turns, 2 threads, {'cold (page cache dropped before each run)' if a.cold else 'warm (files in the page cache)'}")
    wall, cpu = timed(rows, a.runs, env, cold)
    for name, _ in rows:
        best, med = min(wall[name]), statistics.median(wall[name])
        print(f"{name:34} best {best*1000:7.1f} ms  median {med*1000:7.1f} ms  cpu {min(cpu[name])*1000:7.1f} ms  {mb/best:7.1f} MB/s")
    base_name = rows[0][0]
    for name in ("vejviser check", "vejviser check --format json"):
        r = lambda f, d: f(d[name]) / f(d[base_name])
        print(f"{name} / baseline: {r(min, wall):.2f}x best, {r(statistics.median, wall):.2f}x median, {r(min, cpu):.2f}x cpu (target <= 1.5x)")


if __name__ == "__main__":
    main()
