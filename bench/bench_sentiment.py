"""Sentiment throughput: newslens' VADER port against the reference loop, and end to end.

Part 1 scores the same sentences three ways, side by side: a plain
`vaderSentiment.SentimentIntensityAnalyzer().polarity_scores` loop (the reference), newslens'
port in one process, and the port in worker processes; prints sentences/s, ratios and whether
all scores are identical. Sentences: the 23,703 of VADER's ground truth when `../shared/eval`
is present, else sentences split from the synthetic corpus. The three run one after the other
in `--repeats` rounds, each run with a fresh analyzer (cold caches); printed are the best
round's rate and the ratios best-vs-best and the median of the per-round ratios.

A control first measures how much parallel capacity the (shared) machine offers at that moment:
`--jobs` CPU-bound busy loops in workers against one in-process loop.

Part 2 runs the pipeline end to end on `synthetic_frame(n)`: split sentences, score them,
aggregate per article (`newslens.sentiment.article_tone`) and per outlet and week
(`newslens.aggregate.group_mean`). Each configuration runs in a fresh subprocess, so its peak
memory (ru_maxrss, own process and workers) is its own: the reference path (split, reference
loop, the same pandas aggregation), newslens with 1 and with `--jobs` processes.

Usage: .venv/bin/python bench/bench_sentiment.py [--n 5000] [--jobs 2] [--steps reference,ours-1,ours-2]
       e.g. --n 100000 --steps ours-2 for the 100k-article figure (about 5 minutes on 2 shared cores).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

import numpy as np  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "vader_icwsm2014"
STEPS = ("reference", "ours-1", "ours-2")


def eval_sentences() -> list[str]:
    texts: list[str] = []
    for path in sorted(EVAL.glob("*_GroundTruth.txt")):
        raw = path.read_bytes().decode("utf-8-sig")
        texts += [line.split("\t", 2)[2] for line in raw.split("\r\n") if line]
    return texts


def synthetic_sentences(n_articles: int) -> list[str]:
    from synth import synthetic_frame

    from newslens.text import split_sentences

    return split_sentences(synthetic_frame(n_articles, seed=0))["sentence"].tolist()


def interleaved(repeats: int, runs: list) -> tuple[list[list[float]], list[list[float]], list[object]]:
    """Wall and CPU times (own + workers) of each callable per round, and its last result; rounds
    run the callables one after the other so that load from other processes on a shared machine
    hits every contender alike."""
    times: list[list[float]] = [[] for _ in runs]
    cpu: list[list[float]] = [[] for _ in runs]
    results: list[object] = [None] * len(runs)
    for _ in range(repeats):
        for k, run in enumerate(runs):
            results[k] = None
            gc.collect()
            start, cpu_start = time.perf_counter(), _cpu_seconds()
            result = run()
            times[k].append(time.perf_counter() - start)
            cpu[k].append(_cpu_seconds() - cpu_start)
            # Kept as an untracked numpy array, so that the garbage collector does not walk the
            # previous results while the next contender runs.
            results[k] = np.array(result, dtype="float64")
            del result
    return times, cpu, results


def _busy(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def parallel_capacity(jobs: int, n: int = 10_000_000) -> float:
    """How many cores this machine gives us now: `jobs` busy loops in `jobs` workers against one
    loop in this process (ideal: `jobs`; less when other work shares the cores)."""
    from newslens.parallel import process_pool

    start = time.perf_counter()
    _busy(n)
    single = time.perf_counter() - start
    with process_pool(jobs) as pool:
        list(pool.map(_busy, [0] * jobs))  # workers are spawned: start them before timing
        start = time.perf_counter()
        list(pool.map(_busy, [n] * jobs))
        parallel = time.perf_counter() - start
    return jobs * single / parallel


def part1(repeats: int, jobs: int) -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from newslens.vader import Vader, score_many

    if EVAL.is_dir():
        texts, source = eval_sentences(), "VADER ground-truth sentences (../shared/eval/vader_icwsm2014)"
    else:
        texts, source = synthetic_sentences(600), "sentences of synthetic_frame(600) (shared eval data absent)"
    print(f"== Part 1: scoring {len(texts):,} {source}; {repeats} interleaved rounds")

    def reference():
        analyzer = SentimentIntensityAnalyzer()
        return [tuple(analyzer.polarity_scores(t).values()) for t in texts]  # neg, neu, pos, compound

    runs = [
        ("reference loop (vaderSentiment)", reference),
        ("newslens.vader, 1 process", lambda: Vader().scores(texts)),
        (f"newslens.vader, {jobs} processes", lambda: score_many(texts, jobs=jobs)),
    ]
    times, cpu, results = interleaved(repeats, [run for _, run in runs])
    for (label, _), own, own_cpu in zip(runs, times, cpu, strict=True):
        print(f"  {label:<34}{min(own):>8.3f} s {len(texts) / min(own):>12,.0f} sentences/s (best round; "
              f"CPU {min(own_cpu):.3f} s)")
    for (label, _), own in zip(runs[1:], times[1:], strict=True):
        per_round = statistics.median(ref / ours for ref, ours in zip(times[0], own, strict=True))
        print(f"  speed-up {label:<34} {min(times[0]) / min(own):>5.2f}x best vs best, "
              f"{per_round:.2f}x median of the {repeats} rounds")
    identical = all(np.array_equal(r, results[0]) and r.shape == (len(texts), 4) for r in results[1:])
    print(f"  scores identical to the reference for all {len(texts):,} sentences: {identical}")
    if not identical:
        raise SystemExit("scores differ from the reference")


def _cpu_seconds() -> float:
    """CPU time of this process and its finished workers (user + system)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def run_step(step: str, n: int, jobs: int) -> dict:
    """One end-to-end configuration, in this (fresh) process."""
    from synth import synthetic_frame

    from newslens import aggregate, sentiment
    from newslens.text import split_sentences

    t0 = time.perf_counter()
    corpus = synthetic_frame(n, seed=0)
    t_synth = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    if step == "reference":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        analyzer = SentimentIntensityAnalyzer()
        sents = split_sentences(corpus)
        sents = sents[sents["part"] == "body"]
        compound = np.array([analyzer.polarity_scores(t)["compound"] for t in sents["sentence"]])
        scored = sents.assign(compound=compound)
        per_article = scored.groupby("id").agg(tone=("compound", "mean"), n_sentences=("compound", "size"))
        tones = corpus[["id", "outlet", "published"]].merge(per_article, left_on="id", right_index=True, how="left")
        n_sentences = len(sents)
    else:
        tones = sentiment.article_tone(corpus, jobs=1 if step == "ours-1" else jobs)
        n_sentences = int(tones["n_sentences"].sum())
    tones = tones.assign(week=aggregate.period_start(tones["published"], "week"))
    weekly = aggregate.group_mean(tones, "tone", ["outlet", "week"], seed=0)
    seconds = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_start
    return {
        "step": step,
        "articles": n,
        "sentences": n_sentences,
        "groups": len(weekly),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "synth_seconds": t_synth,
        "rss_after_synth_mib": rss_before / 1024,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_workers_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def part2(n: int, jobs: int, steps: list[str]) -> None:
    print(f"\n== Part 2: end to end on synthetic_frame({n:,}): split + score + article tone + outlet×week means")
    print("   (each configuration in a fresh subprocess; corpus generation not timed; CPU = own + workers;")
    print("    on a shared machine wall time depends on other load, CPU time much less)")
    results = {}
    for step in steps:
        cmd = [sys.executable, __file__, "--run-step", step, "--n", str(n), "--jobs", str(jobs)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"step {step} failed:\n{proc.stderr}")
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        results[step] = res
        label = {"reference": "reference (split + vaderSentiment loop)", "ours-1": "newslens, 1 process",
                 "ours-2": f"newslens, {jobs} processes"}[step]  # fmt: skip
        print(
            f"  {label:<40}{res['sentences']:>11,} sentences {res['seconds']:>8.1f} s "
            f"{res['sentences'] / res['seconds']:>9,.0f} sentences/s  (CPU {res['cpu_seconds']:.1f} s)  "
            f"peak RSS {res['peak_rss_mib']:,.0f} MiB "
            f"(after corpus generation {res['rss_after_synth_mib']:,.0f} MiB; "
            f"largest worker {res['peak_rss_workers_mib']:,.0f} MiB incl. pages shared with the parent)"
        )
    if "reference" in results:
        for step in ("ours-1", "ours-2"):
            if step in results:
                ratio = results["reference"]["seconds"] / results[step]["seconds"]
                print(f"  speed-up {step} vs reference: {ratio:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="articles in the end-to-end corpus (default 5000)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the parallel runs (default 2)")
    parser.add_argument("--repeats", type=int, default=5, help="timing rounds in part 1 (default 5)")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"end-to-end configurations, from {', '.join(STEPS)}")
    parser.add_argument("--skip-part1", action="store_true", help="only run the end-to-end part")
    parser.add_argument("--run-step", choices=STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_step:
        print(json.dumps(run_step(args.run_step, args.n, args.jobs)))
        return 0
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        parser.error(f"unknown step(s) {unknown}; choose from {', '.join(STEPS)}")
    capacity = parallel_capacity(args.jobs)
    print(f"(control: {args.jobs} CPU-bound workers do {capacity:.2f}x the work of one process right now; "
          f"{args.jobs}.00x on an otherwise idle machine)\n")
    if not args.skip_part1:
        part1(args.repeats, args.jobs)
    part2(args.n, args.jobs, steps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
