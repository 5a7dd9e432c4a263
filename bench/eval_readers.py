"""The news-database readers on the real exports in ../shared/newsdb (not redistributed here).

Per file: the reader chosen by content, the count the file states, the documents parsed, the
share of articles with a title, a parsed date, an outlet and a body, the problem rows, and the
parse time; then AmCAT's expected parse of amcat_test.txt as an oracle (fields equal after the
normalisation described in tests/amcat_oracle.py, and exactly equal).

    .venv/bin/python bench/eval_readers.py
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

from newslens.config import FileSettings
from newslens.dates import parse_date
from newslens.readers import READERS, format_for

ROOT = Path(__file__).resolve().parents[1]
NEWSDB = ROOT / ".." / "shared" / "newsdb"
_STATED = re.compile(r"states (\d+) documents")


def _dated(value: object) -> bool:
    return isinstance(value, dt.date) or (isinstance(value, str) and parse_date(value) is not None)


def main() -> int:
    if not NEWSDB.is_dir():
        print(f"skipped: {NEWSDB} not found (real exports are not redistributed)")
        return 0
    print(f"{'file':<48} {'reader':<16} {'stated':>6} {'parsed':>6} {'title':>6} {'date':>6} "
          f"{'outlet':>6} {'body':>6} {'problems':>8} {'ms':>8}")  # fmt: skip
    for path in sorted(NEWSDB.rglob("*")):
        fmt = format_for(path.name)
        if not path.is_file() or fmt is None or path.suffix == ".json":
            continue
        started = time.perf_counter()
        result = READERS[fmt](path, FileSettings())
        ms = (time.perf_counter() - started) * 1000
        arts = result.articles
        n = len(arts) or 1
        stated = next((int(m[1]) for p in result.problems if (m := _STATED.search(p.message))), None)
        shares = [sum(bool(a.title) for a in arts) / n, sum(_dated(a.published) for a in arts) / n,
                  sum(bool(a.outlet) for a in arts) / n, sum(bool(a.text) for a in arts) / n]  # fmt: skip
        stated_text = str(stated) if stated is not None else ("=" if arts else "-")
        print(f"{path.relative_to(NEWSDB).as_posix():<48} {result.reader or fmt:<16} {stated_text:>6} "
              f"{len(arts):>6} " + " ".join(f"{s:>6.0%}" for s in shares)
              + f" {len(result.problems):>8} {ms:>8.1f}")  # fmt: skip
    print("stated: the count the file states when it differs from the documents parsed ('=': no "
          "difference reported, '-': no article)")
    sys.path.insert(0, str(ROOT / "tests"))
    from amcat_oracle import compare

    from newslens.readers.lexisnexis import read_txt

    result = read_txt(NEWSDB / "lexisnexis" / "amcat_test.txt", FileSettings())
    solutions = json.loads((NEWSDB / "lexisnexis" / "amcat_test_body_sols.json").read_text(encoding="utf-8"))
    figures = compare(result.articles, solutions)
    print(f"\nAmCAT oracle (amcat_test.txt, {len(solutions)} articles): {figures['equal']} of {figures['fields']} "
          f"fields equal after normalisation, {figures['exact']} exactly equal; "
          f"{len(figures['mismatches'])} mismatches (explained in tests/test_readers_lexisnexis.py)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
