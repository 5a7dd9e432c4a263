"""Benchmark `newslens ingest` on a synthetic corpus of scraped .txt articles.

Targets (2-core machine): 100,000 files ingested in <= 60 s, re-ingest after one file changed in
<= 5 s, peak memory <= 2 GB. Each step runs in a fresh subprocess, which reports its time and
peak RSS (`ru_maxrss`, its own and the largest of its worker processes). The obvious alternative,
a single-process run that re-parses everything (no workers, no cache), runs in the same session
and the ratios are printed side by side.

    .venv/bin/python bench/bench_ingest.py            # 100,000 articles
    .venv/bin/python bench/bench_ingest.py --n 10000

The generated corpus is kept in bench/out/ (git-ignored) and reused by later runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TARGETS = {"full_s": 60.0, "one_changed_s": 5.0, "peak_gib": 2.0}


def corpus_for(n: int, seed: int) -> Path:
    """The synthetic corpus folder for (n, seed), generated once and marked complete."""
    root = OUT / f"ingest-corpus-n{n}-seed{seed}"
    marker = root / ".complete"  # hidden: ingestion skips it
    if not marker.is_file():
        from synth import write_corpus

        shutil.rmtree(root, ignore_errors=True)
        started = time.perf_counter()
        write_corpus(root, n, seed=seed)
        marker.write_text(f"{n} {seed}\n")
        print(f"generated {n:,} articles in {root} ({time.perf_counter() - started:.1f} s)")
    return root


def step(corpus: Path, work: Path, *, jobs: int, cache: bool) -> dict:
    """One measured ingest in this process (called in a fresh subprocess by `measure`)."""
    started = time.perf_counter()
    from newslens import ingest

    imported = time.perf_counter()
    out = work / "corpus.parquet"
    run = ingest.build([corpus], jobs=jobs, cache_dir=work / ".ingest-cache" if cache else None)
    ingest.write_outputs(run, out, work / "ingest-report.csv")
    done = time.perf_counter()
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu_seconds": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
        "seconds": done - imported,
        "seconds_with_imports": done - started,
        "files": run.files, "parsed": run.parsed, "reused": run.reused, "articles": run.table.num_rows,
        "problems": len(run.problems),
        "rss_main_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "rss_worker_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }  # fmt: skip


def measure(corpus: Path, work: Path, *, jobs: int, cache: bool) -> dict:
    """Run `step` in a fresh interpreter and return its measurements."""
    command = [sys.executable, __file__, "--step", str(corpus), str(work), str(jobs), str(int(cache))]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    from newslens.ingest import PARALLEL_MIN_FILES

    workers = jobs if result["parsed"] >= PARALLEL_MIN_FILES and jobs > 1 else 0
    result["peak_kib"] = result["rss_main_kib"] + workers * result["rss_worker_kib"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of articles (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default: %(default)s)")
    parser.add_argument("--step", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        corpus, work, jobs, cache = args.step
        print(json.dumps(step(Path(corpus), Path(work), jobs=int(jobs), cache=cache == "1")))
        return 0

    corpus = corpus_for(args.n, args.seed)
    work = OUT / f"ingest-work-n{args.n}"
    shutil.rmtree(work, ignore_errors=True)
    from synth import FILES_PER_FOLDER

    middle = args.n // 2
    victim = corpus / f"{middle // FILES_PER_FOLDER:04d}" / f"{middle:07d}.txt"
    original = victim.read_bytes()
    try:
        full = measure(corpus, work / "cached", jobs=args.jobs, cache=True)
        unchanged = measure(corpus, work / "cached", jobs=args.jobs, cache=True)
        victim.write_bytes(original.replace(b"\n", b"\n- Correction: a figure was updated\n", 1))
        changed = measure(corpus, work / "cached", jobs=args.jobs, cache=True)
    finally:
        victim.write_bytes(original)
    baseline = measure(corpus, work / "single", jobs=1, cache=False)
    shutil.rmtree(work, ignore_errors=True)

    print(f"\nnewslens ingest benchmark: {args.n:,} synthetic .txt articles, {args.jobs} workers")
    print(f"{'step':<44}{'parsed':>8}{'reused':>8}{'time s':>9}{'+imports':>10}{'CPU s':>8}"
          f"{'peak RSS MiB':>14}")  # fmt: skip
    rows = [("newslens ingest, cold cache (workers)", full),
            ("re-ingest, nothing changed", unchanged),
            ("re-ingest, one file changed", changed),
            ("alternative: one process, no cache", baseline)]  # fmt: skip
    for label, r in rows:
        print(f"{label:<44}{r['parsed']:>8,}{r['reused']:>8,}{r['seconds']:>9.2f}"
              f"{r['seconds_with_imports']:>10.2f}{r['cpu_seconds']:>8.1f}{r['peak_kib'] / 1024:>14.0f}")  # fmt: skip
    print(f"\narticles: {full['articles']:,} (alternative: {baseline['articles']:,}); report rows: {full['problems']}")
    print(f"ratio full ingest:      alternative / workers        = {baseline['seconds'] / full['seconds']:.2f}x")
    print(f"ratio one file changed: alternative / incremental    = {baseline['seconds'] / changed['seconds']:.1f}x")
    peak_gib = max(r["peak_kib"] for _, r in rows) / 2**20
    checks = [("full ingest", full["seconds_with_imports"], TARGETS["full_s"], "s"),
              ("one file changed", changed["seconds_with_imports"], TARGETS["one_changed_s"], "s"),
              ("peak memory (main + workers)", peak_gib, TARGETS["peak_gib"], "GiB")]  # fmt: skip
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          "CPU s = user + system time of the step and its workers")  # fmt: skip
    print("\ntargets (times include interpreter start-up and imports):")
    for name, value, target, unit in checks:
        verdict = "met" if value <= target else "MISSED"
        print(f"  {name:<30} {value:8.2f} {unit:<3} target <= {target:g} {unit}: {verdict}")
    if full["articles"] != baseline["articles"] or changed["parsed"] != 1 or unchanged["parsed"] != 0:
        print("inconsistent results between steps", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
