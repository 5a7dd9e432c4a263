"""Corpus overview: what is in the corpus, per outlet and week, and what ingestion reported.

Pure functions on the corpus table returning tidy DataFrames (sorted, index reset); the
`00-corpus-overview` notebook only calls them and plots the results.

>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["a", "b", "c"], "title": ["T", "T", "U"], "text": ["one two", "x", "y z w"],
...     "outlet": ["A", "B", "A"], "published": pd.to_datetime(["2024-09-02", "2024-09-03", "2024-09-18"])})
>>> weekly_counts(df)
  outlet       week  n
0      A 2024-09-02  1
1      A 2024-09-09  0
2      A 2024-09-16  1
3      B 2024-09-02  1
4      B 2024-09-09  0
5      B 2024-09-16  0
>>> word_counts(df)["words"].tolist()
[2, 3, 1]
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from newslens.aggregate import period_start
from newslens.schema import REPORT_COLUMNS
from newslens.text import tokens

__all__ = [
    "weekly_counts",
    "coverage",
    "word_counts",
    "length_summary",
    "reprints",
    "sample_titles",
    "find_ingest_report",
    "read_ingest_report",
    "problem_counts",
]


def _dated(df: pd.DataFrame) -> pd.DataFrame:
    published = pd.to_datetime(df["published"])
    return df.assign(published=published).loc[published.notna()]


def weekly_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Articles per outlet per week (weeks start Monday), zeros included for every week between
    the corpus's first and last dated week. Undated articles are not counted (see `coverage`)."""
    outlets = sorted(df["outlet"].dropna().unique())
    dated = _dated(df)
    if dated.empty:
        return pd.DataFrame({"outlet": pd.Series([], dtype="str"),
                             "week": pd.Series([], dtype="datetime64[s]"),
                             "n": pd.Series([], dtype="int64")})
    week = period_start(dated["published"], "week")
    weeks = pd.date_range(week.min(), week.max(), freq="7D")
    grid = pd.MultiIndex.from_product([outlets, weeks], names=["outlet", "week"])
    counts = (
        dated.assign(week=week).groupby(["outlet", "week"]).size().reindex(grid, fill_value=0)
    )
    return counts.rename("n").astype("int64").reset_index()


def coverage(df: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: articles, undated articles, first/last date, and the weeks of the corpus span
    in which the outlet published nothing (`missing_weeks`, Mondays as YYYY-MM-DD)."""
    counts = weekly_counts(df)
    rows = []
    for outlet, group in df.groupby("outlet", sort=True):
        dates = pd.to_datetime(group["published"]).dropna()
        weeks = counts.loc[counts["outlet"] == outlet]
        empty = weeks.loc[weeks["n"] == 0, "week"]
        rows.append(
            {
                "outlet": outlet,
                "articles": len(group),
                "undated": int(len(group) - len(dates)),
                "first": dates.min().strftime("%Y-%m-%d") if len(dates) else "",
                "last": dates.max().strftime("%Y-%m-%d") if len(dates) else "",
                "weeks": len(weeks),
                "weeks_with_articles": int((weeks["n"] > 0).sum()),
                "weeks_without": len(empty),
                "missing_weeks": ", ".join(d.strftime("%Y-%m-%d") for d in empty),
            }
        )
    columns = ["outlet", "articles", "undated", "first", "last", "weeks", "weeks_with_articles",
               "weeks_without", "missing_weeks"]
    return pd.DataFrame(rows, columns=columns)


def word_counts(df: pd.DataFrame, *, token_counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Length of each article body in words (`newslens.text.tokens`), one row per article.

    `token_counts` reuses the counts `[id, text_tokens]` of `newslens.derived.Store.tokens`.
    """
    if token_counts is None:
        words = [len(tokens(text)) for text in df["text"]]
    else:
        words = token_counts.set_index("id")["text_tokens"].reindex(df["id"]).to_numpy()
    out = pd.DataFrame({"id": df["id"].to_numpy(), "outlet": df["outlet"].to_numpy(), "words": words})
    return out.sort_values(["outlet", "id"], kind="stable").reset_index(drop=True)


def length_summary(lengths: pd.DataFrame) -> pd.DataFrame:
    """Distribution of article length per outlet: n, min, quartiles, max, mean (words).

    >>> length_summary(pd.DataFrame({"outlet": ["A"] * 4, "words": [100, 200, 300, 400]}))
      outlet  n  min     q1  median     q3  max   mean
    0      A  4  100  175.0   250.0  325.0  400  250.0
    """
    grouped = lengths.groupby("outlet", sort=True)["words"]
    out = pd.DataFrame(
        {
            "n": grouped.size(),
            "min": grouped.min(),
            "q1": grouped.quantile(0.25),
            "median": grouped.median(),
            "q3": grouped.quantile(0.75),
            "max": grouped.max(),
            "mean": grouped.mean().round(1),
        }
    )
    return out.reset_index()


def reprints(df: pd.DataFrame) -> pd.DataFrame:
    """Articles marked as reprinted, counted per outlet and source (`reprinted_from`)."""
    marked = df.loc[df["reprinted_from"].notna() & (df["reprinted_from"].astype("str") != "")]
    counts = marked.groupby(["outlet", "reprinted_from"], sort=True).size().rename("n")
    return counts.reset_index()


def sample_titles(df: pd.DataFrame, *, per_outlet: int = 5, seed: int = 0) -> pd.DataFrame:
    """A seeded random sample of up to `per_outlet` titles from each outlet.

    Each outlet draws from its own generator (seeded by `seed` and the outlet name), so adding an
    outlet does not change the others' samples.
    """
    if per_outlet < 0:
        raise ValueError(f"per_outlet must be >= 0, got {per_outlet}")
    parts = []
    for outlet, group in df.groupby("outlet", sort=True):
        group = group.sort_values("id", kind="stable")
        rng = np.random.default_rng([seed, zlib.crc32(str(outlet).encode("utf-8"))])
        pick = rng.choice(len(group), size=min(per_outlet, len(group)), replace=False)
        parts.append(group.iloc[np.sort(pick)])
    columns = ["outlet", "published", "title", "id"]
    if not parts:
        return pd.DataFrame(columns=columns)
    sample = pd.concat(parts)[columns].assign(published=lambda d: pd.to_datetime(d["published"]).dt.strftime("%Y-%m-%d"))
    return sample.sort_values(["outlet", "published", "id"], kind="stable").reset_index(drop=True)


def find_ingest_report(corpus: str | Path, *, explicit: str | Path = "") -> Path | None:
    """The ingest report to show: `explicit` when given (it must exist), otherwise
    `ingest-report.csv` beside a corpus `.parquet` table; None when there is none.

    >>> find_ingest_report("no/such/corpus.parquet") is None
    True
    """
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise FileNotFoundError(f"ingest report {explicit} does not exist")
        return path
    beside = Path(corpus).with_name("ingest-report.csv")
    return beside if Path(corpus).suffix == ".parquet" and beside.is_file() else None


def read_ingest_report(path: str | Path | None) -> pd.DataFrame:
    """The ingestion problem report (all columns as text) in the order `newslens ingest` writes it:
    by path, record as a number (whole-file rows first), code and message; no rows when `path` is None.
    """
    if path is None:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in REPORT_COLUMNS})
    report = pd.read_csv(path, dtype="str", keep_default_na=False)
    first = [c for c in ("path", "record", "code", "message") if c in report.columns]
    keys = first + [c for c in report.columns if c not in first]

    def order(column: pd.Series) -> pd.Series:
        return pd.to_numeric(column.replace("", "-1"), errors="coerce") if column.name == "record" else column

    return report.sort_values(keys, key=order, kind="stable").reset_index(drop=True)


def problem_counts(report: pd.DataFrame, *, by: tuple[str, ...] = ("severity", "code")) -> pd.DataFrame:
    """Number of ingestion problems per kind (columns in `by` that the report has)."""
    keys = [c for c in by if c in report.columns]
    if not keys:
        return pd.DataFrame({"n": [len(report)]})
    return report.groupby(keys, sort=True).size().rename("n").reset_index()
