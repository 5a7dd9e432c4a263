"""Benchmark newslens.quotes.extract on a synthetic corpus, beside its previous implementation.

The articles come from ``bench/synth.py``; their only quotes are of one shape ("“…,” X said
in Y."), so each article here also gets 1-3 paragraphs of quoted speech in the other shapes
news uses (X said: “…”, floating and multi-paragraph quotes, pronoun speakers, mixed and
reported speech), drawn deterministically from the seed. Sentence offsets
(``newslens.text.sentence_spans``) are computed once beforehand and not timed: the corpus's
sentences are cached elsewhere. Each step then runs in a fresh process on the same articles:

* ``quotes:newslens jobs=1`` and ``jobs=auto`` (every core): ``newslens.quotes.extract(df,
  spans=...)``, the full table (attributions, speakers, actors, roles);
* ``quotes:<rev> jobs=1`` and ``jobs=auto``: the same call on the package as it was at git
  revision ``--baseline`` (default ``55e1122``, before the speed-up), extracted with ``git
  archive`` into a temporary folder put first on ``sys.path``; every row must be identical
  (the script compares the two tables and says so);
* ``quotes:naive-regex``: one regex for ``“…,” Name said`` / ``“…,” said Name`` over each text,
  the obvious alternative (no other shapes, no roles, no actors).

    .venv/bin/python bench/bench_quotes.py              # 20,000 articles
    .venv/bin/python bench/bench_quotes.py --n 100000   # the issue's target: <= 60 s on 2 cores
    .venv/bin/python bench/bench_quotes.py --baseline none  # without the previous implementation
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
BASELINE = "55e1122"  # the last revision before the speed-up of issue 12
_LIB = os.environ.get("NEWSLENS_BENCH_LIB")  # a previous revision's lib/ folder, for its steps
if _LIB:
    sys.path.insert(0, _LIB)

from synth import synthetic_frame  # noqa: E402

from newslens.text import sentence_spans  # noqa: E402

_SPEAKERS = ("Dmitry Peskov, the Kremlin spokesman,", "NATO Secretary General Jens Stoltenberg",
             "a senior U.S. official", "Foreign Minister Sergei Lavrov", "Mr. Scholz", "President Zelensky",
             "Olga Petrova, an analyst at the Kyiv School of Economics,", "a resident of Kharkiv",
             "Gen. Syrskyi", "Britain's defence secretary")  # fmt: skip
_QUOTES = ("We will not be intimidated", "This is a dangerous escalation", "Nobody wants a wider war",
           "The strikes are a legitimate response", "Our patience is not unlimited",
           "The West is playing with fire", "We need more air defence now", "Talks are the only way out",
           "The red lines have moved before", "Every day without a decision costs lives")  # fmt: skip
_SHAPES = (
    "“{q},” {s} said. “{r}.”",
    "{s} told reporters: “{q}. {r}.”",
    "{s} said that {c}.",
    "“{q},” {s} said on Monday.\n\n“{r},” he added.",
    "“{q}.\n\n“{r},” {s} said.",
    "According to {s}, {c}.",
    "{s} warned that the West was “{p}”.",
    "“{q}!” said {s}.",
)
_CLAUSES = ("the strikes would continue", "the talks had stalled", "more missiles were on their way",
            "the decision had not yet been taken", "the front line was holding")  # fmt: skip
_NAIVE = re.compile(
    r"[“\"]([^”\"]{1,2000})[”\"],?\s+(?:([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s+(?:said|says|added|told)"
    r"|(?:said|says|added|told)\s+([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}))"
)


def with_quotes(texts: list[str], seed: int) -> list[str]:
    """Each text with 1-3 paragraphs of quoted speech inserted after random paragraphs."""
    rng = np.random.default_rng(seed)
    out = []
    for text in texts:
        paragraphs = text.split("\n\n")
        for _ in range(int(rng.integers(1, 4))):
            shape = _SHAPES[int(rng.integers(len(_SHAPES)))]
            q, r = (_QUOTES[int(k)] for k in rng.choice(len(_QUOTES), 2, replace=False))
            speaker = _SPEAKERS[int(rng.integers(len(_SPEAKERS)))]
            if "{s} " not in shape:  # the speaker ends its clause: no comma closing an apposition
                speaker = speaker.rstrip(",")
            para = shape.format(q=q, r=r, s=speaker, c=_CLAUSES[int(rng.integers(len(_CLAUSES)))], p=q.lower())
            paragraphs.insert(int(rng.integers(len(paragraphs) + 1)), para[0].upper() + para[1:])
        out.append("\n\n".join(paragraphs))
    return out


def _spans(texts: list[str]) -> list[list[tuple[int, int]]]:
    return [sentence_spans(t) for t in texts]


def prepare(n: int, seed: int) -> Path:
    """Write the articles and their sentence offsets to bench/out (once per n and seed)."""
    path = OUT / f"quotes-{n}-{seed}.pickle"
    if path.is_file():
        return path
    df = synthetic_frame(n, seed=seed)[["id", "text"]]
    df = df.assign(text=with_quotes(df["text"].tolist(), seed))
    texts = df["text"].tolist()
    size = max(1, -(-len(texts) // 16))
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        chunks = [texts[k : k + size] for k in range(0, len(texts), size)]
        spans = [s for part in pool.map(_spans, chunks) for s in part]
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump((df, spans), f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return path


def naive(texts: list[str]) -> int:
    """Rows of the regex-only pass: (quote, speaker) for each match."""
    rows = 0
    for text in texts:
        for m in _NAIVE.finditer(text):
            rows += (m.group(2) or m.group(3)) is not None
    return rows


def run_step(step: str, path: Path, out_path: Path) -> dict:
    with open(path, "rb") as f:
        df, spans = pickle.load(f)
    if step.startswith("quotes:"):
        import newslens
        from newslens.quotes import extract

        where = str(Path(newslens.__file__).resolve())
        if _LIB and not where.startswith(str(Path(_LIB).resolve())):
            raise RuntimeError(f"{step}: imported newslens from {where}, not from {_LIB}")
    start = time.perf_counter()
    cpu_start = _cpu_seconds()
    if step.startswith("quotes:") and step != "quotes:naive-regex":
        jobs = step.rpartition("=")[2]
        if jobs == "auto" and _LIB:  # the previous implementation takes a number
            jobs = str(os.cpu_count() or 1)
        out = extract(df, spans=spans, jobs=jobs if jobs == "auto" else int(jobs))
        units = len(out)
        direct = int((out["kind"] == "direct").sum())
    else:
        out = None
        units = naive(df["text"].tolist())
        direct = units
    seconds = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_start
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if out is not None:
        out.to_parquet(out_path, index=False)
    return {"step": step, "seconds": seconds, "cpu": cpu, "units": units, "direct": direct, "maxrss_kib": maxrss}


def _baseline_lib(rev: str, root: Path) -> Path:
    """``lib/`` of the package at git revision ``rev``, extracted below ``root``."""
    repo = BENCH.parent
    archive = subprocess.run(["git", "-C", str(repo), "archive", rev, "lib/newslens"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive.stdout, check=True)
    return root / "lib"


def _cpu_seconds() -> float:
    """CPU time of this process and its finished worker processes (user + system)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _steps(baseline: str | None) -> list[str]:
    steps = ["quotes:newslens jobs=1", "quotes:newslens jobs=auto"]
    if baseline:
        steps += [f"quotes:{baseline} jobs=1", f"quotes:{baseline} jobs=auto"]
    return [*steps, "quotes:naive-regex"]


def _out_path(step: str, n: int, seed: int) -> Path:
    return OUT / f"quotes-{n}-{seed}-{re.sub(r'[^A-Za-z0-9=]+', '_', step)}.parquet"


def _same(a: Path, b: Path) -> str:
    """Whether two saved extract() tables are identical (values, dtypes, order)."""
    import pandas as pd

    left, right = pd.read_parquet(a), pd.read_parquet(b)
    if left.shape != right.shape or list(left.dtypes) != list(right.dtypes):
        return f"no: shapes {left.shape} vs {right.shape}, dtypes {list(left.dtypes)} vs {list(right.dtypes)}"
    if left.equals(right):
        return f"yes ({len(left):,} rows, {left.shape[1]} columns)"
    bad = (left.ne(right) & ~(left.isna() & right.isna())).any(axis=1)
    return f"no: {int(bad.sum()):,} of {len(left):,} rows differ, first at row {int(bad.to_numpy().argmax())}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="number of synthetic articles (default 20000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline", default=BASELINE,
                        help=f"git revision to time side by side (default {BASELINE}; 'none' to skip)")  # fmt: skip
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = prepare(args.n, args.seed)
    if args.step:
        print(json.dumps(run_step(args.step, path, _out_path(args.step, args.n, args.seed))))
        return 0
    baseline = None if args.baseline.lower() == "none" else args.baseline
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-quotes-") as tmp:
        lib = _baseline_lib(baseline, Path(tmp)) if baseline else None
        for step in _steps(baseline):
            env = dict(os.environ)
            env.pop("NEWSLENS_BENCH_LIB", None)
            if baseline and step.startswith(f"quotes:{baseline} "):
                env["NEWSLENS_BENCH_LIB"] = str(lib)
            proc = subprocess.run([sys.executable, __file__, "--step", step, "--n", str(args.n), "--seed", str(args.seed)],
                                  capture_output=True, text=True, check=True, env=env)  # fmt: skip
            results[step] = json.loads(proc.stdout.strip().splitlines()[-1])
    load = os.getloadavg()[0]
    print(f"newslens.quotes on {args.n:,} synthetic articles with quoted speech (seed {args.seed}), sentence "
          f"offsets precomputed; one fresh process per step; load average {load:.1f} on {os.cpu_count()} cores")
    print(f"{'step':<26}{'seconds':>9}{'cpu s':>9}{'rows':>11}{'direct':>10}{'s/100k':>9}{'cpu s/100k':>11}"
          f"{'speed-up':>9}{'vs naive':>10}{'peak MiB':>10}")  # fmt: skip
    base = results["quotes:naive-regex"]["seconds"]
    scale = 100_000 / args.n
    for step, r in results.items():
        old = results.get(step.replace("newslens", str(baseline))) if baseline and "newslens" in step else None
        ratio = f"{old['seconds'] / r['seconds']:>8.2f}x" if old else f"{'':>9}"
        print(f"{step:<26}{r['seconds']:>9.2f}{r['cpu']:>9.2f}{r['units']:>11,}{r['direct']:>10,}"
              f"{r['seconds'] * scale:>9.1f}{r['cpu'] * scale:>11.1f}{ratio}{r['seconds'] / base:>9.1f}x"
              f"{r['maxrss_kib'] / 1024:>10.0f}")  # fmt: skip
    print("(seconds: wall time; cpu s: CPU time of the step's processes, workers included; s/100k: seconds scaled")
    print(f" to 100,000 articles; speed-up: {baseline or 'previous'} wall time / this wall time, same jobs; vs naive:")
    print(" step time / naive regex time; rows: attributions found, direct: fully quoted ones)")
    if baseline:
        for jobs in ("1", "auto"):
            new, old = (_out_path(f"quotes:{v} jobs={jobs}", args.n, args.seed) for v in ("newslens", baseline))
            print(f"jobs={jobs}: rows identical to {baseline}: {_same(new, old)}")
        auto = _out_path("quotes:newslens jobs=auto", args.n, args.seed)
        print(f"jobs=auto rows identical to jobs=1: {_same(auto, _out_path('quotes:newslens jobs=1', args.n, args.seed))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
