"""Benchmark newslens.keywords: document-term matrices and KWIC on a synthetic corpus.

Each measured step runs in a fresh subprocess that first loads the corpus table (cached as
``bench/out/keywords-synth-N-seedS.parquet``); the step's time excludes loading, and its memory
is the peak resident set size during the step above the resident size after loading (Linux
``VmHWM``, reset after loading through ``/proc/self/clear_refs``; elsewhere ``ru_maxrss``,
which then also counts the loading peak).

* DTM (unigrams + bigrams, stopwords removed) and grouping by outlet, at ``--n`` articles, and at
  ``--alt-n`` articles side by side with the obvious alternatives: scikit-learn's
  ``CountVectorizer`` with ``newslens.text.TOKEN_PATTERN`` (its bigrams bridge removed stopwords,
  hence more terms), a pure-Python ``collections.Counter`` loop (which yields only the outlet
  totals, not a per-article matrix, so it needs almost no memory), and (at ``--dense-n`` articles)
  a dense pandas ``crosstab`` of unigrams.
* KWIC at ``--n`` articles (pre-filtered by substring tests, hits verified on tokens) against
  the obvious alternative at ``--alt-n``: tokenise every article with spans and scan the tokens.

    .venv/bin/python bench/bench_keywords.py              # 100,000 articles (alternatives at 10,000)
    .venv/bin/python bench/bench_keywords.py --n 20000 --alt-n 5000
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent

import pandas as pd  # noqa: E402
from synth import synthetic_frame  # noqa: E402

from newslens.keywords import build_dtm, group, kwic  # noqa: E402
from newslens.query import normalise, parse  # noqa: E402
from newslens.text import STOPWORDS, TOKEN_PATTERN, TOKEN_RE, tokens  # noqa: E402

QUERIES = ('"red line*"', "escalat* AND NOT nato", '"storm shadow" AND starmer')


def corpus_path(n: int, seed: int) -> Path:
    """The cached synthetic corpus table of n articles, generated on first use."""
    path = BENCH / "out" / f"keywords-synth-{n}-seed{seed}.parquet"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        # In a subprocess, so this process does not keep the generator's memory.
        subprocess.run([sys.executable, __file__, "--step", "generate", "--data", str(path), "--n", str(n),
                        "--seed", str(seed)], check=True)  # fmt: skip
        print(f"   (generated {n:,} synthetic articles in {time.perf_counter() - started:.0f} s -> {path})")
    return path


def counter_dtm(df: pd.DataFrame) -> int:
    """Pure Python: a Counter of unigrams and stopword-free bigrams per article, summed by outlet."""
    by_outlet: dict[str, Counter] = {}
    for outlet, title, text in zip(df["outlet"], df["title"], df["text"]):
        counts: Counter = Counter()
        for part in (title, text):
            toks = tokens(part)
            keep = [t not in STOPWORDS for t in toks]
            counts.update(t for t, k in zip(toks, keep) if k)
            counts.update(f"{a} {b}" for a, b, ka, kb in zip(toks, toks[1:], keep, keep[1:]) if ka and kb)
        by_outlet.setdefault(outlet, Counter()).update(counts)
    return len(set().union(*by_outlet.values()))


def sklearn_dtm(df: pd.DataFrame) -> tuple[int, int]:
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(token_pattern=TOKEN_PATTERN, stop_words=sorted(STOPWORDS), ngram_range=(1, 2))
    matrix = vectorizer.fit_transform((df["title"] + "\n\n" + df["text"]).tolist())
    codes, _ = pd.factorize(df["outlet"], sort=True)
    return matrix.shape[1], int(matrix.nnz)


def dense_crosstab(df: pd.DataFrame) -> tuple[int, int]:
    """Dense document × term table (unigrams) with pandas, then summed by outlet."""
    long = pd.DataFrame({"doc": df["id"], "outlet": df["outlet"],
                         "term": [[t for t in tokens(a) + tokens(b) if t not in STOPWORDS]
                                  for a, b in zip(df["title"], df["text"])]}).explode("term")  # fmt: skip
    table = pd.crosstab(long["doc"], long["term"])
    table.groupby(df.set_index("id").loc[table.index, "outlet"].to_numpy()).sum()
    return table.shape


def naive_kwic(df: pd.DataFrame, query: str, window: int = 5) -> int:
    """Tokenise every article with spans, match the query's positive terms on tokens, cut contexts."""
    q = parse(query)
    rows = []
    for doc_id, title, text in zip(df["id"], df["title"], df["text"]):
        fields = []
        for part in (title, text):
            found = list(TOKEN_RE.finditer(normalise(part)))
            fields.append((part, [m.group().lower() for m in found], [m.span() for m in found]))
        present = {}
        for term in q.terms:
            present[term.patterns] = any(_token_starts(term, toks) for _, toks, _ in fields)
        if not _evaluate(q.root, present):
            continue
        for part, toks, spans in fields:
            for term in q.positive_terms:
                for i in _token_starts(term, toks):
                    j = i + len(term.patterns)
                    lo, hi = max(i - window, 0), min(j + window, len(toks))
                    rows.append((doc_id, part[spans[lo][0] : spans[i][0]], part[spans[i][0] : spans[j - 1][1]],
                                 part[spans[j - 1][1] : spans[hi - 1][1]]))  # fmt: skip
    return len(rows)


def _token_starts(term, toks: list[str]) -> list[int]:
    n = len(term.patterns)
    ok = lambda p, t: t.startswith(p[:-1]) if p.endswith("*") else t == p  # noqa: E731
    return [i for i in range(len(toks) - n + 1) if all(ok(term.patterns[k], toks[i + k]) for k in range(n))]


def _evaluate(node, present: dict) -> bool:
    from newslens.query import And, Not, Term

    if isinstance(node, Term):
        return present[node.patterns]
    if isinstance(node, Not):
        return not _evaluate(node.operand, present)
    values = [_evaluate(c, present) for c in node.operands]
    return all(values) if isinstance(node, And) else any(values)


def load(path: str, n: int) -> pd.DataFrame:
    """The first n articles, reading only the row groups needed (memory grows with n, not the file)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    batches, rows = [], 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=500):
        batches.append(batch)
        rows += batch.num_rows
        if rows >= n:
            break
    return pa.Table.from_batches(batches).slice(0, n).to_pandas()


def _status_kib(field: str) -> int | None:
    try:
        return int(re.search(rf"{field}:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))
    except (OSError, AttributeError):
        return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def run_step(step: str, path: str, n: int) -> dict:
    df = load(path, n)
    gc.collect()
    resident = _status_kib("VmRSS") or 0
    exact = _reset_peak()
    start = time.perf_counter()
    info: dict = {}
    if step == "dtm:newslens":
        dtm = build_dtm(df, ngram_range=(1, 2))
        info["build_s"] = time.perf_counter() - start
        grouped = group(dtm, df["outlet"].to_numpy())
        info.update(terms=len(dtm.terms), nnz=int(dtm.matrix.nnz), groups=len(grouped.docs),
                    matrix_mib=(dtm.matrix.data.nbytes + dtm.matrix.indices.nbytes + dtm.matrix.indptr.nbytes) / 2**20)  # fmt: skip
    elif step == "dtm:sklearn":
        info["terms"], info["nnz"] = sklearn_dtm(df)
    elif step == "dtm:counter":
        info["terms"] = counter_dtm(df)
    elif step == "dtm:dense-crosstab":
        info["shape"] = dense_crosstab(df)
    elif step in ("kwic:newslens", "kwic:naive"):
        for query in QUERIES:
            began = time.perf_counter()
            if step == "kwic:newslens":
                hits = kwic(df, query, max_per_article=None)
                found = (len(hits), hits.attrs["articles"])
            else:
                found = (naive_kwic(df, query), None)
            info[query] = {"seconds": time.perf_counter() - began, "hits": found[0], "articles": found[1]}
    else:
        raise ValueError(f"unknown step {step!r}")
    seconds = time.perf_counter() - start
    peak = _status_kib("VmHWM") if exact else None
    peak = peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"step": step, "n": n, "seconds": seconds, "peak_kib": peak - resident, **info}


def measure(step: str, path: Path, n: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--step", step, "--data", str(path), "--n", str(n)],
                         check=True, capture_output=True, text=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles for newslens (default: %(default)s)")
    parser.add_argument("--alt-n", type=int, default=10_000, help="articles for the side-by-side comparison (default: %(default)s)")
    parser.add_argument("--dense-n", type=int, default=2_000, help="articles for the dense crosstab (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "generate":
        synthetic_frame(args.n, seed=args.seed).to_parquet(args.data, row_group_size=500)
        return 0
    if args.step:
        print(json.dumps(run_step(args.step, args.data, args.n)))
        return 0
    if not 0 < args.dense_n <= args.alt_n <= args.n:
        parser.error("need 0 < --dense-n <= --alt-n <= --n")
    path = corpus_path(args.n, args.seed)

    def show(r: dict, ref: dict | None = None) -> None:
        mib = r["peak_kib"] / 1024
        ratio = ""
        if ref is not None:
            ref_mib = ref["peak_kib"] / 1024
            ratio = f"  x{r['seconds'] / ref['seconds']:5.1f} time, x{mib / max(ref_mib, 1):5.1f} memory vs newslens"
        extra = {k: (round(v, 1) if isinstance(v, float) else v) for k, v in r.items() if k not in {"step", "n", "seconds", "peak_kib"}}
        print(f"  {r['step']:<34} n={r['n']:>7,}  {r['seconds']:7.2f} s  +{mib:7.0f} MiB  {extra}{ratio}")

    print("== DTM: unigrams + bigrams, stopwords removed, grouped by outlet (memory: peak RSS above the loaded table)")
    show(measure("dtm:newslens", path, args.n))
    ours = measure("dtm:newslens", path, args.alt_n)
    show(ours)
    for step in ("dtm:sklearn", "dtm:counter"):
        show(measure(step, path, args.alt_n), ours)
    ours_small = measure("dtm:newslens", path, args.dense_n)
    show(ours_small)
    show(measure("dtm:dense-crosstab", path, args.dense_n), ours_small)
    print("== KWIC (window 5, all hits, no cap per article); memory: peak over the queries of the step")
    big = measure("kwic:newslens", path, args.n)
    small = measure("kwic:newslens", path, args.alt_n)
    naive = measure("kwic:naive", path, args.alt_n)
    for r in (big, small, naive):
        print(f"  {r['step']:<16} n={r['n']:>7,}  +{r['peak_kib'] / 1024:5.0f} MiB")
    for query in QUERIES:
        for r in (big, small, naive):
            q = r[query]
            ratio = f"  x{q['seconds'] / small[query]['seconds']:5.1f} time vs newslens" if r is naive else ""
            where = f" in {q['articles']:,} articles" if q["articles"] is not None else ""
            print(f"    {query:<28} {r['step']:<14} n={r['n']:>7,}  {q['seconds']:6.2f} s  {q['hits']:>7,} hits{where}{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
