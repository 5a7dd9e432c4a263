"""Benchmark `newslens.duplicates.clusters` on a synthetic corpus with injected syndicated copies.

Corpus: `synth.syndicated_frame(n)`: `synthetic_frame` articles (with its ~5% verbatim reprints)
plus 5% copies edited the way syndication edits them (trimmed lede or tail, new headline, a wire
prefix, the copying outlet's newsletter line, ~2% of words replaced, another outlet, 0-3 days
later). Ground truth: articles of one story. Pair recall and precision count the pairs of
articles put in one cluster against the pairs of one story; "edited" counts only pairs with an
injected copy in them.

Targets (2-core machine): 100,000 articles with recall >= 0.95 at precision >= 0.99 in <= 60 s,
peak memory <= 2 GB (peak RSS of the measured Linux VmHWM of the step, reset after the corpus
is loaded so that it counts the loaded corpus but not the parquet reader's own peak, checked
against the process tree's RSS sampled every 20 ms; the whole process's ru_maxrss is printed too).
Each step runs in a fresh subprocess, which loads the corpus from bench/out/ (generated once,
git-ignored) and times only the step itself.

Side by side on the smaller corpus (--side-n, default 10,000):

* exact-hash dedup (what Media Cloud, AmCAT and 4CAT do): articles with the same normalised text;
* edit distance the LexisNexisTools way: relative Levenshtein distance (rapidfuzz, C++) between
  the articles of each day, a pair matching at distance <= 0.2, clusters as connected
  components; and the time all pairs would take, extrapolated from a measured random sample;
* the MinHash + LSH step alone, on the same shingle sets: newslens' numpy signatures and banding
  against datasketch's MinHash and MinHashLSH with the same 32 bands of 4 rows.

    .venv/bin/python bench/bench_duplicates.py                 # 100,000 + 10,000 articles
    .venv/bin/python bench/bench_duplicates.py --n 20000 --side-n 2000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TARGETS = {"recall": 0.95, "precision": 0.99, "seconds": 60.0, "peak_gib": 2.0}
COLUMNS = ["id", "title", "text", "outlet", "published", "reprinted_from", "story", "edited"]
LEVENSHTEIN_MAX = 0.2
SAMPLE_PAIRS = 20_000


def corpus_for(n: int, seed: int) -> Path:
    """The synthetic corpus table for (n, seed), generated once."""
    path = OUT / f"duplicates-corpus-n{n}-seed{seed}.parquet"
    if not path.is_file():
        # In a subprocess: Linux keeps a process's peak RSS across fork and exec, so a parent that
        # had held the generated corpus would inflate every measured step's ru_maxrss.
        OUT.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        code = (f"import sys; sys.path.insert(0, {str(HERE)!r}); from synth import syndicated_frame; "
                f"syndicated_frame({n}, seed={seed}).to_parquet({str(path.with_suffix('.tmp'))!r}, index=False)")
        subprocess.run([sys.executable, "-c", code], check=True)
        path.with_suffix(".tmp").rename(path)
        print(f"generated {n:,} articles in {path} ({time.perf_counter() - started:.1f} s)", flush=True)
    return path


def _pairs(n: np.ndarray) -> np.ndarray:
    return n * (n - 1) // 2


def pair_scores(df: pd.DataFrame, group: pd.Series) -> dict:
    """Pair recall and precision of a grouping (group label per row, NA: alone) against `story`."""
    label = group.astype("object").where(group.notna(), "\0alone" + df["id"].astype(str))
    both = pd.DataFrame({"group": label.to_numpy(), "story": df["story"].to_numpy(), "edited": df["edited"].to_numpy()})
    cells = both.groupby(["group", "story"]).agg(k=("edited", "size"), e=("edited", "sum"))
    hits = int(_pairs(cells["k"]).sum())
    hits_edited = int((_pairs(cells["k"]) - _pairs(cells["k"] - cells["e"])).sum())
    stories = both.groupby("story").agg(k=("edited", "size"), e=("edited", "sum"))
    true, true_edited = int(_pairs(stories["k"]).sum()), int((_pairs(stories["k"]) - _pairs(stories["k"] - stories["e"])).sum())
    predicted = int(_pairs(both.groupby("group").size()).sum())
    return {"true_pairs": true, "predicted_pairs": predicted, "recall": hits / true if true else float("nan"),
            "precision": hits / predicted if predicted else float("nan"),
            "recall_edited": hits_edited / true_edited if true_edited else float("nan")}  # fmt: skip


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    return connected_components(coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n)), directed=False)[1]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_step(step: str, path: Path, seed: int) -> dict:
    df = pd.read_parquet(path, columns=COLUMNS)
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    exact_peak = _reset_peak()
    result: dict = {"step": step, "articles": len(df), "rss_after_load_kib": _status_kib("VmRSS"),
                    "load_average": os.getloadavg()[0]}  # fmt: skip
    started, cpu = time.perf_counter(), _cpu()
    if step == "newslens":
        from newslens.duplicates import clusters

        found = clusters(df)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        group = df["id"].map(dict(zip(found["id"], found["cluster"])))
        result.update({k: found.attrs[k] for k in ("clusters", "skipped_short", "skipped_boilerplate",
                                                    "boilerplate_lines", "candidate_pairs", "verified_pairs")})
    elif step == "exact-hash":
        normalised = df["text"].str.lower().str.split().str.join(" ")
        key = pd.Series(pd.util.hash_array(normalised.to_numpy(dtype=object)).astype(str), index=df.index)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        group = key.where(key.duplicated(keep=False))
    elif step == "levenshtein-same-day":
        from rapidfuzz.distance import Levenshtein

        texts = df["text"].tolist()
        a, b, compared = [], [], 0
        for _, rows in sorted(df.groupby(df["published"].dt.normalize()).indices.items()):
            rows = rows.tolist()
            for x, i in enumerate(rows):
                for j in rows[x + 1 :]:
                    if Levenshtein.normalized_distance(texts[i], texts[j]) <= LEVENSHTEIN_MAX:
                        a.append(i)
                        b.append(j)
            compared += len(rows) * (len(rows) - 1) // 2
        label = _components(len(df), np.array(a, dtype=np.int64), np.array(b, dtype=np.int64))
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        labels = pd.Series(label, index=df.index)
        group = labels.where(labels.duplicated(keep=False))
        result["pairs_compared"] = compared
    elif step == "levenshtein-all-pairs-sample":
        from rapidfuzz.distance import Levenshtein

        rng = np.random.default_rng(seed)
        texts = df["text"].tolist()
        i, j = rng.integers(len(df), size=(2, SAMPLE_PAIRS))
        started, cpu = time.perf_counter(), _cpu()
        for x, y in zip(i.tolist(), j.tolist()):
            Levenshtein.normalized_distance(texts[x], texts[y])
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        all_pairs = len(df) * (len(df) - 1) // 2
        result.update({"pairs_timed": SAMPLE_PAIRS, "all_pairs": all_pairs,
                       "extrapolated_seconds": seconds / SAMPLE_PAIRS * all_pairs})  # fmt: skip
        group = None
    elif step in ("minhash:numpy", "minhash:datasketch"):
        from newslens.duplicates.clusters import BANDS, BINS, ROWS
        from newslens.duplicates.minhash import candidate_pairs, signatures
        from newslens.duplicates.shingles import line_shingles

        sets, _ = line_shingles(df["text"], k=5, seed=seed).sets()
        rows = np.flatnonzero(sets.sizes() > 0)
        started, cpu = time.perf_counter(), _cpu()
        if step == "minhash:numpy":
            pairs = rows[candidate_pairs(signatures(sets, rows, bins=BINS, seed=seed), bands=BANDS, rows=ROWS)]
        else:
            from datasketch import MinHash, MinHashLSH

            lsh = MinHashLSH(num_perm=BINS, params=(BANDS, ROWS))
            hashes = {}
            with lsh.insertion_session() as session:
                for r in rows.tolist():
                    m = MinHash(num_perm=BINS, seed=seed, hashfunc=int)
                    m.update_batch(sets.get(r).tolist())
                    hashes[r] = m
                    session.insert(r, m)
            found = {(min(r, s), max(r, s)) for r in rows.tolist() for s in lsh.query(hashes[r]) if s != r}
            pairs = np.array(sorted(found), dtype=np.int64).reshape(-1, 2)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        story = df["story"].to_numpy()
        result.update({"candidates": len(pairs), "candidate_true_pairs": int((story[pairs[:, 0]] == story[pairs[:, 1]]).sum())})
        group = None
    else:
        raise ValueError(f"unknown step {step!r}")
    result.update({"seconds": seconds, "cpu_seconds": cpu, "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                   "step_peak_kib": _status_kib("VmHWM") if exact_peak else None})  # fmt: skip
    if group is not None:
        result.update(pair_scores(df, group))
    return result


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset VmHWM (Linux), so that it gives the peak RSS of the step, the loaded corpus included."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure(step: str, path: Path, seed: int) -> dict:
    """Run one step in a fresh subprocess; sample the RSS of its process tree every 20 ms."""
    import psutil

    proc = subprocess.Popen([sys.executable, __file__, "--step", step, "--corpus", str(path), "--seed", str(seed)],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    watched, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.02)
    out = proc.stdout.read()
    if proc.returncode:
        raise SystemExit(f"step {step} failed with status {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["tree_peak_kib"] = peak // 1024
    return result


def _mib(kib: float) -> str:
    return f"{kib / 1024:,.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles in the main corpus (default 100,000)")
    parser.add_argument("--side-n", type=int, default=10_000, help="articles for the side-by-side steps (default 10,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, Path(args.corpus), args.seed)))
        return 0
    load = os.getloadavg()
    print(f"newslens.duplicates benchmark (seed {args.seed}); load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"on {os.cpu_count()} cores; one fresh process per step", flush=True)  # fmt: skip
    main_corpus = corpus_for(args.n, args.seed)
    big = measure("newslens", main_corpus, args.seed)
    step_peak = big["step_peak_kib"] if big["step_peak_kib"] is not None else big["maxrss_kib"]
    peak_gib = max(big["tree_peak_kib"], step_peak) / 2**20
    print(f"\n== {args.n:,} articles: clusters(df), default options (load average {big['load_average']:.2f} at start)")
    print(f"  time {big['seconds']:.1f} s wall, {big['cpu_seconds']:.1f} s CPU")
    print(f"  peak RSS while clustering {_mib(step_peak)} MiB (VmHWM, the loaded corpus of "
          f"{_mib(big['rss_after_load_kib'])} MiB included); process tree sampled every 20 ms {_mib(big['tree_peak_kib'])} "
          f"MiB; whole process with reading the corpus file {_mib(big['maxrss_kib'])} MiB (ru_maxrss)")  # fmt: skip
    print(f"  pair recall {big['recall']:.4f} (edited copies {big['recall_edited']:.4f}), pair precision "
          f"{big['precision']:.4f}; {big['true_pairs']:,} true pairs, {big['predicted_pairs']:,} predicted")
    print(f"  {big['clusters']:,} clusters; {big['candidate_pairs']:,} LSH candidates, {big['verified_pairs']:,} verified "
          f"pairs; skipped {big['skipped_short']} short, {big['skipped_boilerplate']} boilerplate-only; "
          f"{big['boilerplate_lines']} boilerplate lines")  # fmt: skip
    checks = {"recall": big["recall"] >= TARGETS["recall"], "precision": big["precision"] >= TARGETS["precision"],
              "seconds": big["seconds"] <= TARGETS["seconds"], "peak_gib": peak_gib <= TARGETS["peak_gib"]}  # fmt: skip
    print("  targets: " + ", ".join(f"{k} {'met' if ok else 'MISSED'}" for k, ok in checks.items())
          + f" (recall >= {TARGETS['recall']}, precision >= {TARGETS['precision']}, <= {TARGETS['seconds']:.0f} s, "
          f"<= {TARGETS['peak_gib']} GiB)")  # fmt: skip

    side = corpus_for(args.side_n, args.seed)
    steps = ("newslens", "exact-hash", "levenshtein-same-day", "levenshtein-all-pairs-sample", "minhash:numpy",
             "minhash:datasketch")  # fmt: skip
    results = {}
    for step in steps:
        results[step] = measure(step, side, args.seed)
    ours = results["newslens"]
    print(f"\n== {args.side_n:,} articles side by side")
    print(f"{'method':<24}{'seconds':>9}{'CPU s':>8}{'recall':>8}{'edited':>8}{'precision':>10}{'peak MiB':>9}"
          f"{'wall / newslens':>16}{'CPU / newslens':>15}")  # fmt: skip
    for step in ("newslens", "exact-hash", "levenshtein-same-day"):
        r = results[step]
        print(f"{step:<24}{r['seconds']:>9.2f}{r['cpu_seconds']:>8.2f}{r['recall']:>8.4f}{r['recall_edited']:>8.4f}"
              f"{r['precision']:>10.4f}{_mib(r['step_peak_kib'] or r['maxrss_kib']):>9}"
              f"{r['seconds'] / ours['seconds']:>15.2f}x{r['cpu_seconds'] / ours['cpu_seconds']:>14.2f}x")
    sample = results["levenshtein-all-pairs-sample"]
    cpu_all = sample["cpu_seconds"] / sample["pairs_timed"] * sample["all_pairs"]
    print(f"levenshtein all pairs (not run: extrapolated): {sample['pairs_timed']:,} random pairs timed, "
          f"{sample['seconds']:.2f} s wall / {sample['cpu_seconds']:.2f} s CPU -> {sample['all_pairs']:,} pairs would take "
          f"{sample['extrapolated_seconds']:,.0f} s wall / {cpu_all:,.0f} s CPU "
          f"({sample['extrapolated_seconds'] / ours['seconds']:,.0f}x / {cpu_all / ours['cpu_seconds']:,.0f}x newslens)")
    print(f"same-day Levenshtein compared {results['levenshtein-same-day']['pairs_compared']:,} pairs")
    exact = results["exact-hash"]["recall_edited"]
    versus = f"{ours['recall_edited'] / exact:.1f}x" if exact else "it finds none of them"
    print(f"recall on edited copies: newslens {ours['recall_edited']:.4f}, exact hash {exact:.4f} ({versus}); "
          f"on all pairs {ours['recall']:.4f} vs {results['exact-hash']['recall']:.4f} "
          f"({ours['recall'] / results['exact-hash']['recall']:.2f}x)")
    numpy_, sketch = results["minhash:numpy"], results["minhash:datasketch"]
    print(f"MinHash + LSH only (same shingle sets, {BANDS_ROWS}): numpy {numpy_['seconds']:.2f} s "
          f"({numpy_['candidates']:,} candidates, {numpy_['candidate_true_pairs']:,} of one story), datasketch "
          f"{sketch['seconds']:.2f} s ({sketch['candidates']:,} candidates, {sketch['candidate_true_pairs']:,} of one "
          f"story): datasketch/numpy {sketch['seconds'] / numpy_['seconds']:.1f}x wall, "
          f"{sketch['cpu_seconds'] / numpy_['cpu_seconds']:.1f}x CPU")  # fmt: skip
    return 0 if all(checks.values()) else 1


BANDS_ROWS = "32 bands x 4 rows, 128 hashes"

if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
