"""The heavy steps on a local dask cluster: one worker against two, beside the in-process run.

A synthetic corpus (`synth.synthetic_frame(n)`) is written as a partitioned dataset
(`newslens.partitions`, parts of `--part-mb` MB of text) and read back; then the heavy steps a
report runs (sentence splitting and VADER scoring, dictionary tone, frame counts for both bundled
schemes, keyness with bigrams) run three ways in the same process, one after the other:

* in-process, no scheduler (today's path);
* on a `distributed.LocalCluster` of 1 worker process (one thread), through `newslens.cluster`;
* on one of 2 worker processes.

Workers are warmed up first (imports, lexicons), so the times are the steps themselves; the
three run in turn in each of `--rounds` rounds and the best time of each is compared (the load
of a shared machine changes from minute to minute). Every result is compared with the first
in-process one (CSV text, byte for byte). A control first measures
the parallel capacity the shared machine offers at that moment: two busy loops in two processes
against one.

Usage: .venv/bin/python bench/bench_cluster.py [--n 5000] [--part-mb 1] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def busy(seconds: float) -> int:
    end, k = time.perf_counter() + seconds, 0
    while time.perf_counter() < end:
        k += 1
    return k


def capacity(seconds: float = 2.0) -> float:
    """Work done by two busy processes over that of one (2.0 on two idle cores)."""
    ctx = get_context("spawn")
    with ctx.Pool(1) as one:
        single = one.apply(busy, (seconds,))
    with ctx.Pool(2) as two:
        both = sum(two.map(busy, [seconds, seconds]))
    return both / single


def heavy_steps(df):
    from newslens import framing, keywords, sentiment

    return {
        "sentence_tone": sentiment.sentence_tone(df),
        "dictionary_tone": sentiment.dictionary_tone(df, sentiment.vader_lexicon_dictionary()),
        "frames_generic": framing.frame_scores(df, "generic"),
        "frames_policy": framing.frame_scores(df, "policy"),
        "keyness": keywords.keyness(df, by="outlet", ngram_range=(1, 2)),
    }


def timed(df) -> tuple[float, dict]:
    started = time.perf_counter()
    out = heavy_steps(df)
    return time.perf_counter() - started, {k: v.to_csv(index=False) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5_000, help="articles (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="rounds, each running the three in turn (default: %(default)s)")
    parser.add_argument("--part-mb", type=float, default=1.0, help="MB of text per part (default: %(default)s)")
    args = parser.parse_args()

    from distributed import LocalCluster

    import newslens
    from newslens import cluster, partitions
    from synth import synthetic_frame

    print(f"parallel capacity of the machine now: {capacity():.2f} of 2.00 (two busy processes against one)")
    folder = Path(tempfile.mkdtemp(prefix="bench-cluster-")) / "corpus.parquet"
    partitions.write_table(synthetic_frame(args.n), folder, part_bytes=int(args.part_mb * 2**20))
    df = newslens.load_corpus(folder)
    info = partitions.manifest(folder)
    mb = sum(p["text_bytes"] for p in info["parts"]) / 2**20
    print(f"{len(df)} articles, {mb:.0f} MB of text in {len(info['parts'])} part files")

    os.environ.pop(cluster.ENV, None)
    expected = None
    best: dict[str, float] = {}
    same = True
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as one, \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as two:  # fmt: skip
        for lc in (one, two):  # warm up the workers (imports, lexicons)
            os.environ[cluster.ENV] = lc.scheduler_address
            timed(df.head(400).__finalize__(df))
        for round_no in range(1, args.rounds + 1):
            for label, lc in (("in-process (no scheduler)", None), ("dask, 1 worker", one), ("dask, 2 workers", two)):
                if lc is None:
                    os.environ.pop(cluster.ENV, None)
                else:
                    os.environ[cluster.ENV] = lc.scheduler_address
                seconds, got = timed(df)
                expected = expected or got
                same &= all(got[k] == expected[k] for k in expected)
                best[label] = min(best.get(label, float("inf")), seconds)
                print(f"  round {round_no}  {label:<27} {seconds:7.1f} s", flush=True)
        for lc in (one, two):
            cluster.connect(lc.scheduler_address).close()
        os.environ.pop(cluster.ENV, None)
    local_s, one_s, two_s = best.values()
    print(f"best of {args.rounds}: in-process {local_s:.1f} s, 1 worker {one_s:.1f} s, 2 workers {two_s:.1f} s; "
          f"every result identical to in-process: {same}")
    print(f"speed-up 2 workers / 1 worker: {one_s / two_s:.2f}x (target >= 1.7x; machine shared and loaded)")
    print(f"1 worker against in-process: {local_s / one_s:.2f}x")


if __name__ == "__main__":
    main()
