"""Benchmark newslens.text: sentence splitting and word tokens on a synthetic corpus.

Each measured step runs in a fresh subprocess (time and peak RSS of that step alone):

* sentences: ``newslens.text.split_sentences`` (Punkt + shipped news abbreviations, memoised
  boundary decisions) against plain NLTK Punkt with the same parameters and the naive regex
  split ``(?<=[.!?])\\s+``;
* tokens: ``newslens.text.tokens`` against ``re.findall(r"\\w+", text.lower())``.

It also reports how often the alternatives agree with newslens (plain Punkt must agree on every
article; the regex splitter breaks after "Sept." and "U.S.").

    .venv/bin/python bench/bench_text.py            # 5,000 articles
    .venv/bin/python bench/bench_text.py --n 100000
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent

from nltk.tokenize.punkt import PunktSentenceTokenizer  # noqa: E402
from synth import synthetic_frame  # noqa: E402

from newslens import text  # noqa: E402

_NAIVE_SPLIT = re.compile(r"(?<=[.!?])\s+")
_NAIVE_WORD = re.compile(r"\w+")


def _plain_punkt_sentences(tokenizer, doc: str) -> list[str]:
    """The obvious Punkt use: same parameters and paragraph handling, no memo."""
    return [s for block in text._blocks(doc) for s in tokenizer.tokenize(block)]


def _naive_sentences(doc: str) -> list[str]:
    return [s for s in _NAIVE_SPLIT.split(doc.strip()) if s]


def run_step(step: str, n: int, seed: int) -> dict:
    df = synthetic_frame(n, seed=seed)
    docs = df["text"].tolist()
    start = time.perf_counter()
    if step == "sentences:newslens":
        units = len(text.split_sentences(df))
    elif step == "sentences:plain-punkt":
        tokenizer = PunktSentenceTokenizer(text.default_punkt())
        units = sum(len(_plain_punkt_sentences(tokenizer, d)) for d in docs) + int(df["title"].ne("").sum())
    elif step == "sentences:regex":
        units = sum(len(_naive_sentences(d)) for d in docs) + int(df["title"].ne("").sum())
    elif step == "tokens:newslens":
        units = sum(len(text.tokens(d)) for d in docs)
    elif step == "tokens:regex-w":
        units = sum(len(_NAIVE_WORD.findall(d.lower())) for d in docs)
    else:
        raise ValueError(f"unknown step {step!r}")
    seconds = time.perf_counter() - start
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"step": step, "seconds": seconds, "units": units, "maxrss_kib": maxrss}


STEPS = ("sentences:newslens", "sentences:plain-punkt", "sentences:regex", "tokens:newslens", "tokens:regex-w")


def agreement(n: int, seed: int) -> tuple[int, int, int]:
    """Articles (of n) where plain Punkt / the regex split give exactly the newslens sentences."""
    df = synthetic_frame(n, seed=seed)
    tokenizer = PunktSentenceTokenizer(text.default_punkt())
    same_punkt = same_regex = 0
    for doc in df["text"]:
        ours = text.sentences(doc)
        plain = [re.sub(r"\s+", " ", s).strip() for s in _plain_punkt_sentences(tokenizer, doc)]
        same_punkt += ours == plain
        same_regex += ours == [re.sub(r"\s+", " ", s).strip() for s in _naive_sentences(doc)]
    return len(df), same_punkt, same_regex


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="number of synthetic articles (default 5000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.n, args.seed)))
        return 0
    results = {}
    for step in STEPS:
        proc = subprocess.run(
            [sys.executable, __file__, "--step", step, "--n", str(args.n), "--seed", str(args.seed)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[step] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"newslens.text on {args.n:,} synthetic articles (seed {args.seed}); one fresh process per step")
    print(f"{'step':<24}{'seconds':>9}{'units':>12}{'units/s':>12}{'vs newslens':>13}{'peak MiB':>10}")
    for step, r in results.items():
        rate = r["units"] / r["seconds"]
        base = results[step.split(":")[0] + ":newslens"]
        ratio = base["seconds"] / r["seconds"] if r["seconds"] else float("nan")
        print(
            f"{step:<24}{r['seconds']:>9.2f}{r['units']:>12,}{rate:>12,.0f}"
            f"{ratio:>12.2f}x{r['maxrss_kib'] / 1024:>10.0f}"
        )
    print("(vs newslens: newslens time / step time; < 1 means the step is slower than newslens)")
    total, same_punkt, same_regex = agreement(min(args.n, 500), args.seed)
    print(f"identical sentences: plain Punkt {same_punkt}/{total} articles, regex split {same_regex}/{total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
