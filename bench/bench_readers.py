"""Benchmark the LexisNexis TXT reader on a synthetic classic export.

Target: 10,000 articles parse in <= 10 s. The exports (files of 500 documents, the classic
download limit) are written from `synth.synthetic_frame`
(cover block, "N of M DOCUMENTS" separators, centred outlet and date, headline, BYLINE/SECTION/
LENGTH, body wrapped at 80 columns, LOAD-DATE/LANGUAGE, copyright). In the same run:

- ours: `newslens.readers.lexisnexis.read_txt` on each file;
- ingest: `newslens.ingest.build` on the folder (detection, ids, dates, one process);
- naive: the obvious alternative, a regex split on the separators and a `LABEL:` dictionary per
  document with no header, footer, copyright or count handling (a lower bound for the work).

Each parse is checked: every synthetic title and body comes back.

    .venv/bin/python bench/bench_readers.py            # 10,000 articles
    .venv/bin/python bench/bench_readers.py --n 2000
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from newslens.config import FileSettings
from newslens.ingest import build
from newslens.readers.lexisnexis import read_txt
from newslens.readers.records import FileResult

TARGET_S = 10.0
PER_FILE = 500


def render_export(df) -> str:
    """The articles of a corpus frame as one classic LexisNexis TXT export."""
    n = len(df)
    out = [f"\ufeffDownload Request: Selected Items: 1-{n}", "Terms: (red line)", "", ""]
    for number, row in enumerate(df.itertuples(), start=1):
        out += [f"{number:>36} of {n} DOCUMENTS", "", "", f"{row.outlet:^80}".rstrip(), "",
                f"{row.published:%B %-d, %Y %A}".center(80).rstrip(), "", row.title, ""]  # fmt: skip
        if isinstance(row.author, str):
            out += [f"BYLINE: {row.author}", ""]
        out += ["SECTION: WORLD; Pg. 4", "", f"LENGTH: {len(row.text.split())} words", ""]
        for paragraph in row.text.split("\n\n"):
            out += [*textwrap.wrap(paragraph, 80, break_on_hyphens=False, break_long_words=False), ""]
        out += [f"LOAD-DATE: {row.published:%B %-d, %Y}", "", "LANGUAGE: ENGLISH", "", "",
                f"Copyright 2024 {row.outlet}".center(80).rstrip(), "All Rights Reserved".center(80).rstrip(), ""]
    return "\r\n".join(out) + "\r\n"


_SEPARATOR = re.compile(r"^\s*\d+ of \d+ DOCUMENTS?\s*$", re.M)
_FIELD = re.compile(r"^([A-Z-]+): (.*)$")


def naive(path: Path) -> list[dict]:
    """The obvious alternative: split on separators, paragraphs by blank lines, LABEL: fields."""
    docs = []
    for chunk in _SEPARATOR.split(path.read_text(encoding="utf-8-sig").replace("\r\n", "\n"))[1:]:
        paragraphs = [" ".join(p.split()) for p in chunk.split("\n\n") if p.strip()]
        fields = {m[1]: m[2] for p in paragraphs if (m := _FIELD.match(p))}
        body = [p for p in paragraphs if not _FIELD.match(p)]
        docs.append({"outlet": body[0], "date": body[1], "title": body[2], "text": "\n\n".join(body[3:-1]),
                     **fields})  # fmt: skip
    return docs


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles in the export")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synth import synthetic_frame

    df = synthetic_frame(args.n, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        folder.mkdir()
        paths = []
        for start in range(0, args.n, PER_FILE):
            path = folder / f"export-{start // PER_FILE:04d}.txt"
            path.write_text(render_export(df.iloc[start : start + PER_FILE]), encoding="utf-8", newline="")
            paths.append(path)
        size = sum(p.stat().st_size for p in paths) / 2**20
        t_naive, docs = timed(lambda: [d for p in paths for d in naive(p)])
        t_ours, results = timed(lambda: [read_txt(p, FileSettings()) for p in paths])
        t_ingest, run = timed(lambda: build([folder]))
    result = FileResult([a for r in results for a in r.articles], [p for r in results for p in r.problems])
    titles = [a.title for a in result.articles]
    texts = [a.text for a in result.articles]
    ok = titles == df["title"].tolist() and texts == df["text"].tolist() and not result.problems
    ok_ingest = run.table.num_rows == args.n
    print(f"LexisNexis TXT exports: {args.n:,} articles in {len(paths)} files, {size:.1f} MiB")
    print(f"  ours   read_txt       {t_ours:7.2f} s  {args.n / t_ours:9,.0f} articles/s  "
          f"(all titles and bodies back: {ok})")
    print(f"  ingest build          {t_ingest:7.2f} s  {args.n / t_ingest:9,.0f} articles/s  "
          f"({run.table.num_rows:,} rows, {len(run.problems)} problems)")
    print(f"  naive  regex split    {t_naive:7.2f} s  {args.n / t_naive:9,.0f} articles/s  ({len(docs):,} documents)")
    print(f"  ratio ours / naive = {t_ours / t_naive:.2f}; ingest / naive = {t_ingest / t_naive:.2f}")
    scaled = t_ours * 10_000 / args.n
    print(f"  target: 10,000 articles in <= {TARGET_S:.0f} s -> {scaled:.2f} s per 10,000 "
          f"({'met' if scaled <= TARGET_S else 'MISSED'})")
    return 0 if ok and ok_ingest else 1


if __name__ == "__main__":
    raise SystemExit(main())
