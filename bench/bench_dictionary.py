"""Benchmark the dictionary engine (newslens.dictionary.count) on a synthetic corpus.

Each measured step runs in a fresh subprocess (time and peak RSS of that step alone):

* the bundled actors dictionary (38 categories, wildcards and multi-word aliases) with the
  engine, with the engine and a negation window of 3, and with the obvious alternative: one
  case-insensitive regex per pattern, hits summed per category (no longest-match rule, so
  "NATO secretary general" also counts "nato" and "the secretary general");
* VADER's lexicon as a two-category dictionary (about 7,000 single words) with the engine and
  with one big regex alternation per category.

The summary prints docs/s, the ratio to the engine, and how many (document, category) counts
the regex alternative gets exactly equal to the engine.

    .venv/bin/python bench/bench_dictionary.py            # 5,000 articles
    .venv/bin/python bench/bench_dictionary.py --n 100000
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent

from synth import synthetic_frame  # noqa: E402

from newslens import actors, dictionary, text  # noqa: E402

_EDGE_L = r"(?<![\w'’\-])"
_EDGE_R = r"(?![\w'’\-])"


def _glob_regex(pattern: str) -> str:
    parts = []
    for tok in pattern.split():
        parts.append(r"[\w'’\-]*".join(re.escape(p) for p in tok.split("*")))
    return _EDGE_L + r"\W+".join(parts) + _EDGE_R


def vader_dictionary() -> dictionary.Dictionary:
    """VADER's lexicon words (single tokens only) as categories positive / negative."""
    lexicon = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    cats: dict[str, list[str]] = {"positive": [], "negative": []}
    for line in lexicon.splitlines():
        word, mean = line.split("\t")[:2]
        if text.tokens(word) == [word] and float(mean) != 0:
            cats["positive" if float(mean) > 0 else "negative"].append(word)
    return dictionary.Dictionary.from_mapping(cats, name="vader")


def regex_per_pattern(d: dictionary.Dictionary, docs: list[str]) -> np.ndarray:
    compiled = [[re.compile(_glob_regex(p), re.IGNORECASE) for p in d.patterns[c]] for c in d.categories]
    return np.array([[sum(len(rx.findall(doc)) for rx in pats) for pats in compiled] for doc in docs])


def regex_alternation(d: dictionary.Dictionary, docs: list[str]) -> np.ndarray:
    compiled = []
    for c in d.categories:
        words = "|".join(re.escape(p) for p in sorted(d.patterns[c], key=len, reverse=True))
        compiled.append(re.compile(f"{_EDGE_L}(?:{words}){_EDGE_R}", re.IGNORECASE))
    return np.array([[len(rx.findall(doc)) for rx in compiled] for doc in docs])


def _engine(d: dictionary.Dictionary, df, negation: int = 0) -> np.ndarray:
    out = dictionary.count(d, df.assign(id=range(len(df))), negation=negation)
    k = len(out["category"].unique())
    return out["count"].to_numpy().reshape(-1, k)[:, : len(d.categories)]


def _negated(df):
    """The synthetic prose has no negators; put "not" before every "the" (a heavy worst case)."""
    return df.assign(text=df["text"].str.replace(" the ", " not the ", regex=False))


STEPS = {
    "actors:newslens": lambda df: _engine(actors.default_actors(), df),
    "actors:regex-per-pattern": lambda df: regex_per_pattern(actors.default_actors(), df["text"].tolist()),
    "actors-not:newslens": lambda df: _engine(actors.default_actors(), _negated(df)),
    "actors-not:newslens-negation3": lambda df: _engine(actors.default_actors(), _negated(df), 3),
    "vader:newslens": lambda df: _engine(vader_dictionary(), df),
    "vader:regex-alternation": lambda df: regex_alternation(vader_dictionary(), df["text"].tolist()),
}
ALTERNATIVES = {"actors:regex-per-pattern", "vader:regex-alternation"}


def run_step(step: str, n: int, seed: int, out_file: Path | None, limit: int | None) -> dict:
    df = synthetic_frame(n, seed=seed).head(limit)
    start = time.perf_counter()
    counts = STEPS[step](df)
    seconds = time.perf_counter() - start
    if out_file is not None:
        np.save(out_file, counts)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"step": step, "seconds": seconds, "docs": len(df), "maxrss_kib": maxrss}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="number of synthetic articles (default 5000)")
    parser.add_argument("--n-alt", type=int, default=300, help="articles for the slow regex alternatives (default 300)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--step", choices=list(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--counts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.n, args.seed, args.counts, args.limit)))
        return 0
    import tempfile

    results, counts = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for step in STEPS:
            out_file = Path(tmp) / f"{step.replace(':', '_')}.npy"
            cmd = [sys.executable, __file__, "--step", step, "--n", str(args.n), "--seed", str(args.seed)]
            if step in ALTERNATIVES:
                cmd += ["--limit", str(args.n_alt)]
            proc = subprocess.run([*cmd, "--counts", str(out_file)], capture_output=True, text=True, check=True)
            results[step] = json.loads(proc.stdout.strip().splitlines()[-1])
            counts[step] = np.load(out_file)
    print(f"newslens.dictionary.count on {args.n:,} synthetic articles (seed {args.seed}; regex alternatives on the "
          f"first {min(args.n, args.n_alt):,}); one fresh process per step")
    print(f"{'step':<31}{'docs':>7}{'seconds':>9}{'docs/s':>10}{'vs engine':>11}{'equal counts':>14}{'peak MiB':>10}")
    for step, r in results.items():
        base = results[step.split(":")[0] + ":newslens"]
        ratio = (r["seconds"] / r["docs"]) and (base["seconds"] / base["docs"]) / (r["seconds"] / r["docs"])
        rows = counts[step].shape[0]
        equal = float(np.mean(counts[step] == counts[step.split(":")[0] + ":newslens"][:rows]))
        print(
            f"{step:<31}{r['docs']:>7,}{r['seconds']:>9.2f}{r['docs'] / r['seconds']:>10,.0f}{ratio:>10.2f}x"
            f"{equal:>13.1%}{r['maxrss_kib'] / 1024:>10.0f}"
        )
    print("(vs engine: ratio of per-document times, engine / step; equal counts: share of (document, category)")
    print(" cells equal to the engine without negation; actors-not: every 'the' preceded by 'not')")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
