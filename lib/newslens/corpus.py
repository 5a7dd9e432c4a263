"""The corpus table: load, validate and subset articles (text is never altered).

One row per article, columns in this order:

============== ============== =============================================================
column         dtype          meaning
============== ============== =============================================================
id             str            16 hex chars of SHA-256 over outlet (case-folded), title, text
title          str            title, "" if none
text           str            body; paragraphs joined by "\\n\\n"; only decoding and whitespace
                              normalisation (strip lines, collapse spaces/tabs) applied
outlet         str            canonical outlet name (corpus.yml aliases applied), "" if unknown
published      datetime64     naive, day precision; NaT when unknown (unit may be ns/us/ms/s)
author         str or NA
url            str or NA
reprinted_from str or NA      "Reprinted from <url>" / "Source: <url>" of scraped articles
reading_time   Int64          minutes, NA when unknown
extra          str            JSON object of metadata with no column of its own, "{}" if none
source_path    str            input file relative to the ingested root
record         Int64          1-based record in the file (JSONL line, CSV data row, 1 for txt/html)
reader         str            txt, jsonl, json, csv, tsv or html
============== ============== =============================================================

Rows are sorted by (source_path, record). `ingest(paths)` reads raw files and returns the table
with a problem table (path, record, severity, code, message).

>>> df = load_corpus("corpus/000_813a72da52f0618f.txt")  # doctest: +SKIP
>>> subset(df, outlets=["Times Tengri"], start="2024-09-01", end="2024-09-30")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where used, so parsing workers start quickly
    import pandas as pd

COLUMNS: tuple[str, ...] = ("id", "title", "text", "outlet", "published", "author", "url",
                            "reprinted_from", "reading_time", "extra", "source_path", "record",
                            "reader")  # fmt: skip
READERS: tuple[str, ...] = ("txt", "jsonl", "json", "csv", "tsv", "html", "lexisnexis", "lexisnexis-html",
                            "nexisuni", "nexisuni-rtf", "factiva", "factiva-text", "factiva-rtf",
                            "mediacloud", "gkg")  # fmt: skip
_STRINGS = ("id", "title", "text", "outlet", "author", "url", "reprinted_from", "extra",
            "source_path", "reader")  # fmt: skip
_REQUIRED = ("id", "title", "text", "outlet", "extra", "source_path", "reader")
_INTEGERS = ("reading_time", "record")
_ID = re.compile(r"^[0-9a-f]{16}$")


def empty_corpus() -> pd.DataFrame:
    """A zero-row corpus table with the exact column order and dtypes."""
    import pandas as pd

    data = {c: pd.Series([], dtype="str") for c in _STRINGS}
    data["published"] = pd.Series([], dtype="datetime64[us]")
    for name in _INTEGERS:
        data[name] = pd.Series([], dtype="Int64")
    return pd.DataFrame({c: data[c] for c in COLUMNS})


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """Check `df` against the corpus schema; return it with the schema columns first.

    Raises ValueError naming the first missing or mistyped column (or bad/duplicate ids).
    Extra columns (e.g. added scores) are kept after the schema columns.

    >>> validate(empty_corpus()).columns[:3].tolist()
    ['id', 'title', 'text']
    >>> validate(empty_corpus().drop(columns="outlet"))
    Traceback (most recent call last):
    ValueError: corpus table has no 'outlet' column (expected columns: id, title, text, outlet, published, author, url, reprinted_from, reading_time, extra, source_path, record, reader)
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(df).__name__}")
    for name in COLUMNS:
        if name not in df.columns:
            raise ValueError(f"corpus table has no {name!r} column "
                             f"(expected columns: {', '.join(COLUMNS)})")  # fmt: skip
    for name in _STRINGS:
        col = df[name]
        if not (pd.api.types.is_string_dtype(col.dtype) or col.dtype == object):
            raise ValueError(f"column {name!r} must hold strings, has dtype {col.dtype}")
        bad = col.dropna().map(lambda v: not isinstance(v, str)) if col.dtype == object else None
        if bad is not None and bad.any():
            value = col.dropna()[bad].iloc[0]
            raise ValueError(f"column {name!r} must hold strings, found {type(value).__name__} "
                             f"{value!r}")  # fmt: skip
        if name in _REQUIRED and col.isna().any():
            raise ValueError(f"column {name!r} has missing values (row {int(col.isna().argmax())})")
    if not pd.api.types.is_datetime64_dtype(df["published"].dtype):
        raise ValueError(f"column 'published' must be datetime64 (naive), has dtype "
                         f"{df['published'].dtype}")  # fmt: skip
    for name in _INTEGERS:
        if not pd.api.types.is_integer_dtype(df[name].dtype):
            raise ValueError(f"column {name!r} must be integer (Int64), has dtype {df[name].dtype}")
    bad_ids = ~df["id"].str.fullmatch(_ID.pattern)
    if bad_ids.any():
        raise ValueError(f"column 'id' must be 16 lowercase hex chars, found "
                         f"{df['id'][bad_ids].iloc[0]!r}")  # fmt: skip
    dupes = df["id"].duplicated()
    if dupes.any():
        raise ValueError(f"column 'id' must be unique, {df['id'][dupes].iloc[0]!r} repeats")
    bad_readers = ~df["reader"].isin(READERS)
    if bad_readers.any():
        raise ValueError(f"column 'reader' must be one of {', '.join(READERS)}, found "
                         f"{df['reader'][bad_readers].iloc[0]!r}")  # fmt: skip
    rest = [c for c in df.columns if c not in COLUMNS]
    return df[list(COLUMNS) + rest]


def ingest(
    paths: str | os.PathLike | Sequence[str | os.PathLike], *, jobs: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read corpus files/folders into (articles, problems) DataFrames; no files are written.

    >>> articles, problems = ingest("corpus/")  # doctest: +SKIP
    """
    import pandas as pd

    from newslens.ingest import REPORT_COLUMNS, build

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    run = build(list(paths), jobs=jobs)
    articles = validate(_restore(run.table.to_pandas()))
    problems = pd.DataFrame(
        [(p.path, p.record, p.severity, p.code, p.message) for p in run.problems],
        columns=list(REPORT_COLUMNS),
    ).astype({"path": "str", "record": "Int64", "severity": "str", "code": "str", "message": "str"})
    return articles, problems


def load_corpus(path: str | os.PathLike) -> pd.DataFrame:
    """The validated corpus table from a built `.parquet`, a corpus folder or one article file.

    Reading raw files warns when some records could not be read, naming the first problems
    (file, record, reason); `ingest(path)` returns the full problem table beside the articles.

    >>> df = load_corpus("build/corpus.parquet")  # doctest: +SKIP
    """
    import pandas as pd

    path = Path(path)
    if path.suffix.lower() == ".parquet":
        if not path.is_file():
            raise FileNotFoundError(f"corpus table not found: {path} (build it with `make corpus`)")
        return validate(_restore(pd.read_parquet(path)))
    articles, problems = ingest(path)
    if len(problems):
        errors = int((problems["severity"] == "error").sum())
        shown = "; ".join(
            f"{row.path}:{row.record if pd.notna(row.record) else '-'} {row.code}: {row.message}"
            for row in problems.head(5).itertuples()
        )
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        warnings.warn(f"{len(problems)} ingestion problem(s) ({errors} error(s)) reading {path}: "
                      f"{shown}{more}; newslens.corpus.ingest(path) returns them all", stacklevel=2)  # fmt: skip
    return articles


def subset(
    df: pd.DataFrame,
    *,
    outlets: str | Iterable[str] | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    query: str | None = None,
) -> pd.DataFrame:
    """Articles of the given outlets, published between start and end (inclusive), matching query.

    Unknown outlet names raise ValueError listing the valid ones; with `start`/`end`, articles
    without a date are left out. `query` is evaluated by `newslens.query.mask`. Empty values
    (None, "", []) mean no restriction. Returns a copy with a fresh index.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"outlet": ["A", "B"], "published": pd.to_datetime(["2024-09-01", "2024-09-02"])})
    >>> subset(df, outlets=["B"])["outlet"].tolist(), len(subset(df, end="2024-09-01"))
    (['B'], 1)
    """
    import pandas as pd

    keep = pd.Series(True, index=df.index)
    if outlets:
        wanted = [outlets] if isinstance(outlets, str) else list(outlets)
        valid = sorted(df["outlet"].dropna().unique())
        unknown = [o for o in wanted if o not in set(valid)]
        if unknown:
            raise ValueError(f"unknown outlet(s): {', '.join(map(repr, unknown))}; "
                             f"valid outlets: {', '.join(valid)}")  # fmt: skip
        keep &= df["outlet"].isin(wanted)
    if start:
        keep &= df["published"] >= _day(start, "start")
    if end:
        keep &= df["published"] < _day(end, "end") + pd.Timedelta(days=1)
    if query:
        from newslens.query import mask

        keep &= mask(df, query)
    return df[keep].reset_index(drop=True)


def _day(value: str | dt.date, name: str) -> pd.Timestamp:
    import pandas as pd

    try:
        stamp = pd.Timestamp(value)
    except ValueError as exc:
        raise ValueError(f"{name}={value!r} is not a date (use YYYY-MM-DD)") from exc
    if pd.isna(stamp):
        raise ValueError(f"{name}={value!r} is not a date (use YYYY-MM-DD)")
    return stamp.normalize()


def _restore(df: pd.DataFrame) -> pd.DataFrame:
    """Give a table read back from Parquet/Arrow the schema dtypes where it lost them."""
    import pandas as pd

    changes = {}
    for name in _INTEGERS:
        if name in df.columns and pd.api.types.is_float_dtype(df[name].dtype):
            changes[name] = "Int64"
    return df.astype(changes) if changes else df
