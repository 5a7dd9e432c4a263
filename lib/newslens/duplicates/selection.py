"""Clusters of a selection of articles, and the `duplicates` choice analyses make (keep or canonical).

Clusters are found once for the whole corpus (:func:`~newslens.duplicates.cache.for_corpus`);
an analysis of some outlets or dates uses them through :func:`within`, which keeps the selected
members of each cluster and names the first of them canonical by the clusters' own rule (earliest
published, unknown dates last; ties to the copy without a wire cue, then to the smallest id). On
the whole corpus it returns the clusters unchanged. ``duplicates="canonical"`` then leaves out
every article of a cluster except its canonical copy (:func:`newslens.corpus.subset`).

>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["a", "b", "c"], "published": pd.to_datetime(["2024-09-01", "2024-09-02", "2024-09-03"])})
>>> found = pd.DataFrame({"id": ["a", "b", "c"], "cluster": "a", "canonical": [True, False, False],
...     "similarity": [1.0, 0.9, 0.9], "containment": [1.0, 0.95, 0.95], "cue": [None, None, "(AP)"]})
>>> within(found, df[df["id"] != "a"])[["id", "cluster", "canonical"]].values.tolist()
[['b', 'b', True], ['c', 'b', False]]
>>> choice(df, found, "canonical")
{'duplicates': 'canonical', 'articles': 3, 'copies': 2, 'removed': 2, 'clusters': 1, 'threshold': None, 'field': None}
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
import pandas as pd

from newslens.choices import check_choice
from newslens.membership import isin

__all__ = ["CHOICES", "Choice", "choice", "copy_ids", "describe", "show", "within"]

Choice = Literal["keep", "canonical"]
CHOICES: tuple[str, ...] = get_args(Choice)


def within(found: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """The clusters `found` restricted to the articles of `df`: one row per selected article of a
    cluster that keeps two or more selected members, with the first of them (by publication date,
    unknown last; then without a cue; then by id) as its canonical copy and its id as `cluster`.

    `similarity` and `containment` are measured against the canonical copy, so they are kept for the
    clusters whose canonical copy is selected and missing (NaN) for the others. Same columns and
    order as :func:`~newslens.duplicates.clusters`; ``attrs`` are kept.
    """
    ids = df["id"].astype("str")
    rows = found.loc[isin(found["id"], ids)]
    when = pd.Series(pd.to_datetime(df["published"]).to_numpy("datetime64[ns]"), index=ids.to_numpy())
    stamp = rows["id"].map(when).to_numpy("datetime64[ns]").view(np.int64)
    stamp = np.where(stamp == np.iinfo(np.int64).min, np.iinfo(np.int64).max, stamp)  # unknown dates last
    order = rows.assign(_when=stamp, _cue=rows["cue"].notna().to_numpy())
    order = order.sort_values(["cluster", "_when", "_cue", "id"], kind="stable")
    size = order.groupby("cluster", sort=False)["id"].transform("size")
    order = order.loc[size >= 2]
    first = order.groupby("cluster", sort=False)["id"].transform("first")
    moved = (first != order["cluster"]).to_numpy()
    out = order.assign(cluster=first.astype("str"), canonical=(order["id"] == first).to_numpy())
    out.loc[moved, ["similarity", "containment"]] = np.nan
    out = out.drop(columns=["_when", "_cue"])[list(found.columns)]
    out = out.sort_values(["cluster", "canonical", "id"], ascending=[True, False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs = dict(found.attrs)
    return out


def copy_ids(found: pd.DataFrame, df: pd.DataFrame) -> pd.Series:
    """The ids of the articles of `df` that ``duplicates="canonical"`` leaves out: every selected
    member of a cluster (:func:`within`) but its canonical copy, sorted."""
    selected = within(found, df)
    return selected.loc[~selected["canonical"], "id"].sort_values(kind="stable").reset_index(drop=True)


def choice(df: pd.DataFrame, found: pd.DataFrame, duplicates: Choice) -> dict[str, object]:
    """What the `duplicates` choice does to the selection `df`: ``duplicates, articles`` (selected),
    ``copies`` (those canonical would leave out), ``removed`` (those left out: 0 with keep),
    ``clusters`` (with two or more selected members), and the clusters' ``threshold`` and ``field``
    (from their ``attrs``; None when unknown)."""
    check_choice("duplicates", duplicates, CHOICES)
    selected = within(found, df)
    copies = int((~selected["canonical"]).sum())
    return {"duplicates": duplicates, "articles": int(len(df)), "copies": copies,
            "removed": copies if duplicates == "canonical" else 0, "clusters": int(selected["cluster"].nunique()),
            "threshold": found.attrs.get("threshold"), "field": found.attrs.get("field")}  # fmt: skip


def describe(info: dict[str, object]) -> str:
    """One sentence saying what a :func:`choice` did, for a report's method note.

    >>> describe({"duplicates": "canonical", "articles": 73, "copies": 9, "removed": 9, "clusters": 4,
    ...           "threshold": 0.8, "field": "text"})
    'duplicates=canonical: 9 of 73 articles left out as copies (4 clusters at threshold 0.8, one article kept per cluster, its canonical copy); 64 analysed.'
    >>> describe({"duplicates": "keep", "articles": 73, "copies": 0, "removed": 0, "clusters": 0,
    ...           "threshold": 0.8, "field": "text"})
    'duplicates=keep: all 73 articles analysed; none is a copy of another (threshold 0.8).'
    """
    n, copies, removed = info["articles"], info["copies"], info["removed"]
    at = f"threshold {info['threshold']:g}" if info.get("threshold") is not None else "the given clusters"
    on = " on titles only" if info.get("field") == "title" else ""
    if info["duplicates"] == "canonical":
        return (f"duplicates=canonical: {removed} of {n} articles left out as copies ({info['clusters']} clusters"
                f" at {at}{on}, one article kept per cluster, its canonical copy); {n - removed} analysed.")
    if not copies:
        return f"duplicates=keep: all {n} articles analysed; none is a copy of another ({at}{on})."
    share = 100 * copies / n
    return (f"duplicates=keep: all {n} articles analysed, {copies} of them ({share:.1f}%) copies in "
            f"{info['clusters']} clusters ({at}{on}); duplicates=canonical would leave those {copies} out.")


def show(df: pd.DataFrame) -> None:
    """Display :func:`describe` of the choice :func:`newslens.corpus.subset` made for `df`
    (``df.attrs["duplicates"]``) in a notebook, as a provenance note: `newslens report` adds it to
    the page's provenance block as the row "Duplicates"."""
    from newslens.provenance import provenance_note

    if "duplicates" not in df.attrs:
        raise ValueError("the table has no duplicates choice: make it with newslens.corpus.subset(..., clusters=...)")
    provenance_note("Duplicates", describe(df.attrs["duplicates"]))
