"""Key terms of each calendar period against all other periods, and a one-line summary per period.

The keyness test of :func:`newslens.keywords.keyness` with the period (day, week starting on
Monday, or month of ``published``) as the group. Undated articles cannot be placed in a period
and are left out; their number is reported.

>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["1", "2", "3", "4"], "title": "",
...     "text": ["strikes strikes", "strikes again", "talks talks", "talks resume"],
...     "published": pd.to_datetime(["2024-09-02", "2024-09-03", "2024-09-09", "2024-09-10"])})
>>> keys = period_keyness(df, period="week", min_docs=2, only_significant=False)
>>> keys[["period", "term"]].astype(str).values.tolist()
[['2024-09-02', 'strikes'], ['2024-09-09', 'talks']]
>>> period_summary(df, keys, period="week")[["articles", "key_terms", "terms"]].values.tolist()
[[2, 1, 'strikes (3.0)'], [2, 1, 'talks (2.2)']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from newslens.aggregate import Period, period_start
from newslens.keywords.dtm import DTM, select
from newslens.keywords.keyness import KEYNESS_COLUMNS, keyness

__all__ = ["period_keyness", "period_summary"]


def period_keyness(
    corpus_df: pd.DataFrame,
    *,
    period: Period = "week",
    ngram_range: tuple[int, int] = (1, 1),
    stopwords: bool = True,
    min_docs: int = 2,
    only_significant: bool = True,
    top_n: int | None = None,
    dtm: DTM | None = None,
) -> pd.DataFrame:
    """Key terms of every ``period`` against all other periods, from the dated articles.

    Columns as :func:`newslens.keywords.keyness` with ``group`` renamed ``period`` (the first day
    of the period, datetime), sorted by period, then G² (descending), then term. The options are
    those of :func:`~newslens.keywords.keyness`. ``result.attrs`` holds ``dated`` and ``undated``
    (articles with and without a date) and ``periods`` (periods with articles); with fewer than
    two periods there is nothing to compare and the table is empty. ``dtm`` reuses the matrix of
    ``corpus_df`` (as in :func:`~newslens.keywords.keyness`).
    """
    if "published" not in corpus_df.columns:
        raise KeyError(f"period_keyness: column 'published' not in table (columns: {list(corpus_df.columns)})")
    known = corpus_df["published"].notna()
    dated = corpus_df.loc[known].assign(period=period_start(corpus_df.loc[known, "published"], period))
    n_periods = int(dated["period"].nunique())
    if n_periods >= 2:
        rows = None if dtm is None else select(dtm, np.flatnonzero(known.to_numpy()))
        keys = keyness(dated, by="period", ngram_range=ngram_range, stopwords=stopwords, min_docs=min_docs,
                       only_significant=only_significant, top_n=top_n, dtm=rows)
    else:
        keys = pd.DataFrame(columns=KEYNESS_COLUMNS)
    keys = keys.rename(columns={"group": "period"})
    keys["period"] = pd.to_datetime(keys["period"])
    keys.attrs = {"dated": int(known.sum()), "undated": int((~known).sum()), "periods": n_periods}
    return keys


def period_summary(corpus_df: pd.DataFrame, keys: pd.DataFrame, *, period: Period = "week") -> pd.DataFrame:
    """One row per period with dated articles: ``[period, articles, key_terms, terms]``, sorted by period.

    ``keys`` is :func:`period_keyness` output for the same ``corpus_df`` and ``period``.
    ``articles`` counts the period's articles, ``key_terms`` its rows in ``keys`` and ``terms``
    lists them in the order of ``keys`` (strongest first) as ``term (log ratio)``, the log ratio
    rounded to one decimal. A period without key terms is listed with 0 and an empty string.

    >>> df = pd.DataFrame({"published": pd.to_datetime(["2024-09-02", "2024-09-09", None])})
    >>> keys = pd.DataFrame({"period": pd.to_datetime(["2024-09-02", "2024-09-02"]),
    ...                      "term": ["strike", "red line"], "log_ratio": [2.46, 1.0]})
    >>> period_summary(df, keys).values.tolist()[0][1:]
    [1, 2, 'strike (2.5), red line (1.0)']
    """
    starts = period_start(corpus_df["published"].dropna(), period)
    sizes = starts.value_counts().rename_axis("period").rename("articles")
    labels = pd.Series(
        [f"{term} ({ratio:.1f})" for term, ratio in zip(keys["term"], keys["log_ratio"])], index=keys.index, dtype="str"
    )
    listed = labels.groupby(pd.to_datetime(keys["period"]).to_numpy(), sort=True).agg([", ".join, "size"])
    listed.columns = ["terms", "key_terms"]
    out = sizes.to_frame().join(listed, how="left").rename_axis("period").reset_index()
    out["key_terms"] = out["key_terms"].fillna(0).astype("int64")
    out["terms"] = out["terms"].fillna("").astype("str")
    out["articles"] = out["articles"].astype("int64")
    return out.sort_values("period", kind="mergesort", ignore_index=True)[["period", "articles", "key_terms", "terms"]]
