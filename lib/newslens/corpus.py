"""The corpus table: load, validate and subset articles (text is never altered).

The table's columns and dtypes are defined in `newslens.schema` (one row per article, sorted by
(source_path, record)); `newslens.ingest` builds it from raw files. `load_corpus` reads a built
table (migrating one written by an older version) or ingests files; `validate` checks a table
against the schema; `subset` selects articles; `document_text` is the text an analysis reads.

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
from typing import TYPE_CHECKING, Literal, get_args

from newslens import partitions
from newslens.choices import check_choice
from newslens.schema import (COLUMNS, INTEGERS, READERS, REPORT_COLUMNS, REPORT_DTYPES, REQUIRED, STRINGS,
                             empty_corpus, migrate)  # fmt: skip

if TYPE_CHECKING:  # pandas is imported where used, so parsing workers start quickly
    import pandas as pd

    from newslens.duplicates.selection import Choice

__all__ = ["COLUMNS", "READERS", "TEXT_PARTS", "TextPart", "empty_corpus", "validate", "migrate", "ingest",
           "load_corpus", "subset", "document_text", "document_parts"]  # fmt: skip

TextPart = Literal["title+text", "title", "text"]
TEXT_PARTS: tuple[str, ...] = get_args(TextPart)
_ID = re.compile(r"^[0-9a-f]{16}$")


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """Check `df` against the corpus schema; return it with the schema columns first.

    Raises ValueError naming the first missing or mistyped column (or bad/duplicate ids).
    Extra columns (e.g. added scores) are kept after the schema columns.

    >>> validate(empty_corpus()).columns[:3].tolist()
    ['id', 'title', 'text']
    >>> validate(empty_corpus().drop(columns="outlet"))
    Traceback (most recent call last):
    ValueError: corpus table has no 'outlet' column (expected columns: id, title, text, outlet, published, author, url, source_id, reprinted_from, reading_time, extra, source_path, record, reader)
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(df).__name__}")
    for name in COLUMNS:
        if name not in df.columns:
            raise ValueError(f"corpus table has no {name!r} column "
                             f"(expected columns: {', '.join(COLUMNS)})")  # fmt: skip
    for name in STRINGS:
        col = df[name]
        if not (pd.api.types.is_string_dtype(col.dtype) or col.dtype == object):
            raise ValueError(f"column {name!r} must hold strings, has dtype {col.dtype}")
        bad = col.dropna().map(lambda v: not isinstance(v, str)) if col.dtype == object else None
        if bad is not None and bad.any():
            value = col.dropna()[bad].iloc[0]
            raise ValueError(f"column {name!r} must hold strings, found {type(value).__name__} "
                             f"{value!r}")  # fmt: skip
        if name in REQUIRED and col.isna().any():
            raise ValueError(f"column {name!r} has missing values (row {int(col.isna().argmax())})")
    if not pd.api.types.is_datetime64_dtype(df["published"].dtype):
        raise ValueError(f"column 'published' must be datetime64 (naive), has dtype "
                         f"{df['published'].dtype}")  # fmt: skip
    for name in INTEGERS:
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

    from newslens.ingest import build

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    run = build(list(paths), jobs=jobs)
    articles = validate(run.table.to_pandas())
    problems = pd.DataFrame(
        [(p.path, p.record, p.severity, p.code, p.message) for p in run.problems],
        columns=list(REPORT_COLUMNS),
    ).astype(REPORT_DTYPES)
    return articles, problems


def load_corpus(path: str | os.PathLike) -> pd.DataFrame:
    """The validated corpus table from a built `.parquet` (a file or a partitioned dataset folder,
    see `newslens.partitions`), a corpus folder or one article file.

    A table written by an older version is brought to the current schema (see `migrate`).
    Reading raw files warns when some records could not be read, naming the first problems
    (file, record, reason); `ingest(path)` returns the full problem table beside the articles.

    >>> df = load_corpus("build/corpus.parquet")  # doctest: +SKIP
    """
    import pandas as pd

    path = Path(path)
    if partitions.is_dataset(path):
        table = partitions.read_table(path)
        return validate(table).__finalize__(table)
    if path.suffix.lower() == ".parquet":
        if not path.is_file():
            raise FileNotFoundError(f"corpus table not found: {path} (build it with `make corpus`)")
        return validate(migrate(pd.read_parquet(path)))
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
    duplicates: Choice = "keep",
    clusters: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Articles of the given outlets, published between start and end (inclusive), matching query.

    Unknown outlet names raise ValueError listing the valid ones; with `start`/`end`, articles
    without a date are left out. `query` is evaluated by `newslens.query.mask`. Empty values
    (None, "", []) mean no restriction. Returns a copy with a fresh index.

    `duplicates` ``"canonical"`` then keeps one article per cluster of near-duplicates: its
    canonical copy within the selection (`newslens.duplicates.selection.within`), beside every
    article in no cluster. `clusters` are those of the whole table `df`
    (`newslens.duplicates.clusters`, or `newslens.duplicates.for_corpus` to cache them); without
    them canonical finds them. When `clusters` are given or duplicates is canonical,
    ``attrs["duplicates"]`` says what the choice did (`newslens.duplicates.selection.choice`:
    ``removed``, ``copies``, ...); with ``"keep"`` the rows are those of the selection either way.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"outlet": ["A", "B"], "published": pd.to_datetime(["2024-09-01", "2024-09-02"])})
    >>> subset(df, outlets=["B"])["outlet"].tolist(), len(subset(df, end="2024-09-01"))
    (['B'], 1)
    >>> story = " ".join(f"word{i}" for i in range(60))
    >>> wire = df.assign(id=["a", "b"], title="", text=story)
    >>> canonical = subset(wire, duplicates="canonical")
    >>> canonical["id"].tolist(), canonical.attrs["duplicates"]["removed"]
    (['a'], 1)
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
    if duplicates == "keep" and clusters is None:
        return df[keep].reset_index(drop=True)
    from newslens.duplicates import clusters as find_clusters
    from newslens.duplicates.selection import CHOICES, choice, copy_ids
    from newslens.membership import isin

    check_choice("duplicates", duplicates, CHOICES)
    found = find_clusters(df) if clusters is None else clusters
    selected = df[keep]
    info = choice(selected, found, duplicates)
    if duplicates == "canonical":
        keep &= ~isin(df["id"].astype("str"), copy_ids(found, selected))
    out = df[keep].reset_index(drop=True)
    out.attrs["duplicates"] = info
    return out


def _day(value: str | dt.date, name: str) -> pd.Timestamp:
    import pandas as pd

    try:
        stamp = pd.Timestamp(value)
    except ValueError as exc:
        raise ValueError(f"{name}={value!r} is not a date (use YYYY-MM-DD)") from exc
    if pd.isna(stamp):
        raise ValueError(f"{name}={value!r} is not a date (use YYYY-MM-DD)")
    return stamp.normalize()


def document_parts(df: pd.DataFrame, *, part: TextPart = "title+text") -> list[pd.Series]:
    """The text an analysis reads, one Series per field: ``[title, text]``, ``[title]`` or ``[text]``.

    Values are strings with surrounding whitespace stripped; missing values count as empty, and a
    table without a ``title`` column has empty titles. Analyses that must not join words across
    the title and the body (n-grams, phrases) read the fields separately; :func:`document_text`
    joins them.

    >>> import pandas as pd
    >>> parts = document_parts(pd.DataFrame({"title": [" Red lines "], "text": [None]}))
    >>> [p.tolist() for p in parts]
    [['Red lines'], ['']]
    """
    import pandas as pd

    check_choice("text", part, TEXT_PARTS)

    def field(name: str) -> pd.Series:
        if name not in df.columns:
            if name == "title":
                return pd.Series([""] * len(df), index=df.index, dtype="str", name="title")
            raise KeyError(f"column {name!r} not in table (columns: {list(df.columns)})")
        return df[name].astype("str").fillna("").str.strip()

    return [field(name) for name in ("title", "text") if part in (name, "title+text")]


def document_text(df: pd.DataFrame, *, part: TextPart = "title+text") -> pd.Series:
    """The text to analyse per article: the title, the body, or both joined by a blank line.

    Fields are those of :func:`document_parts`; an empty title or body adds no blank line.
    Returns a str Series named ``text`` on the index of `df`.

    >>> import pandas as pd
    >>> docs = pd.DataFrame({"title": ["Red lines", ""], "text": ["Body.", "Only body."]})
    >>> document_text(docs).tolist(), document_text(docs, part="title").tolist()
    (['Red lines\\n\\nBody.', 'Only body.'], ['Red lines', ''])
    """
    import pandas as pd

    parts = document_parts(df, part=part)
    if len(parts) == 1:
        return parts[0].rename("text")
    joined = [f"{t}\n\n{b}" if t and b else (t or b) for t, b in zip(*parts, strict=True)]
    return pd.Series(joined, index=df.index, dtype="str", name="text")
