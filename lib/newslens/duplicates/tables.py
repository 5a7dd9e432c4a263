"""Syndication tables for reports: clusters, copy shares per outlet, who copies whom, canonical subset.

Every function takes the corpus table and the result of :func:`~newslens.duplicates.clusters` on
it. A *copy* is an article of a cluster that is not the cluster's canonical copy; a copy *of
another outlet* is one whose canonical copy is in a different outlet.

>>> import pandas as pd
>>> from newslens.duplicates import clusters
>>> story = " ".join(f"word{i}" for i in range(60))
>>> df = pd.DataFrame({"id": ["a", "b", "c"], "outlet": ["Wire", "Daily", "Daily"], "title": ["T", "T", "U"],
...     "published": pd.to_datetime(["2024-09-01", "2024-09-02", "2024-09-02"]),
...     "text": [story, story, " ".join(f"other{i}" for i in range(60))]})
>>> found = clusters(df)
>>> copy_matrix(df, found).to_dict("records")
[{'source': 'Wire', 'outlet': 'Daily', 'n': 1}]
>>> canonical_ids(df, found).tolist()
['a', 'c']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from newslens.aggregate import group_mean
from newslens.duplicates.selection import choice, within
from newslens.membership import isin

__all__ = ["canonical_ids", "copy_matrix", "copy_shares", "method_note", "sources", "summary"]


def _members(df: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """The cluster rows with each article's outlet, title and date and its canonical copy's outlet."""
    info = df[["id", "outlet", "title", "published"]].assign(id=df["id"].astype("str"))
    missing = ~isin(found["id"], info["id"])
    if missing.any():
        raise ValueError(f"cluster table names article {found['id'][missing].iloc[0]!r}, which the corpus lacks")
    rows = found.merge(info, on="id", how="left", validate="one_to_one")
    source = rows.loc[rows["canonical"], ["cluster", "outlet"]].rename(columns={"outlet": "source"})
    return rows.merge(source, on="cluster", how="left", validate="many_to_one")


def summary(df: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster: canonical copy (id, outlet, title, date), size, outlets and the days spanned.

    Columns ``cluster, outlet, title, published, articles, outlets, other_outlets, days``, largest
    cluster first (then by cluster id); `other_outlets` counts the outlets other than the canonical
    copy's, `days` the days from the first to the last copy (NA when a date is unknown).
    """
    rows = _members(df, found)
    rows = rows.assign(published=pd.to_datetime(rows["published"]), unknown=lambda t: t["published"].isna())
    grouped = rows.groupby("cluster", sort=True)
    canonical = rows.loc[rows["canonical"]].set_index("cluster").sort_index()
    elsewhere = rows.loc[rows["outlet"] != rows["source"]].groupby("cluster")["outlet"].nunique()
    span = (grouped["published"].max() - grouped["published"].min()).dt.days.astype("Int64")
    out = pd.DataFrame({
        "outlet": canonical["outlet"].astype("str"), "title": canonical["title"].astype("str"),
        "published": canonical["published"], "articles": grouped.size().astype("int64"),
        "outlets": grouped["outlet"].nunique().astype("int64"),
        "other_outlets": elsewhere.reindex(canonical.index, fill_value=0).astype("int64"),
        "days": span.mask(grouped["unknown"].any()),
    }, index=canonical.index.rename("cluster"))  # fmt: skip
    out = out.reset_index().astype({"cluster": "str"})
    return out.sort_values(["articles", "cluster"], ascending=[False, True], kind="stable").reset_index(drop=True)


def copy_shares(df: pd.DataFrame, found: pd.DataFrame, *, ci: float = 0.95) -> pd.DataFrame:
    """Per outlet, the share of its articles that are copies of another outlet's article.

    Columns ``outlet, n, copies, share, ci_low, ci_high``: n articles, the copies among them, their
    share and its Wilson interval at level `ci` (:func:`newslens.aggregate.group_mean`; no interval
    below two articles).
    """
    rows = _members(df, found)
    copied = rows.loc[~rows["canonical"] & (rows["outlet"] != rows["source"]), "id"]
    is_copy = isin(df["id"].astype("str"), copied).astype(float)
    flags = pd.DataFrame({"outlet": df["outlet"].astype("str"), "copy": is_copy})
    means = group_mean(flags, "copy", ["outlet"], interval="wilson", ci=ci, min_n=0)
    copies = flags.groupby("outlet", sort=True)["copy"].sum().astype("int64")
    out = means.assign(copies=means["outlet"].map(copies).astype("int64")).rename(columns={"mean": "share"})
    return out[["outlet", "n", "copies", "share", "ci_low", "ci_high"]].reset_index(drop=True)


def copy_matrix(df: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """Who copies whom: the number of copies `n` in `outlet` of a canonical copy from `source`.

    Long format, one row per (source, outlet) pair with at least one copy, sorted; an outlet
    repeating its own article appears with source == outlet.
    """
    rows = _members(df, found)
    copies = rows.loc[~rows["canonical"]]
    counts = copies.groupby(["source", "outlet"], sort=True).size().rename("n").reset_index()
    return counts.astype({"source": "str", "outlet": "str", "n": "int64"})


def sources(df: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """The most-copied outlets: per outlet of canonical copies, the stories other outlets copied.

    Columns ``source, stories, copies, outlets``: clusters whose canonical copy is the source's and
    that have a copy in another outlet, those copies, and the number of outlets that copied; most
    copies first (then by name).
    """
    rows = _members(df, found)
    elsewhere = rows.loc[~rows["canonical"] & (rows["outlet"] != rows["source"])]
    grouped = elsewhere.groupby("source", sort=True)
    out = pd.DataFrame({"stories": grouped["cluster"].nunique(), "copies": grouped.size(),
                        "outlets": grouped["outlet"].nunique()}).reset_index()  # fmt: skip
    out = out.astype({"source": "str", "stories": "int64", "copies": "int64", "outlets": "int64"})
    return out.sort_values(["copies", "source"], ascending=[False, True], kind="stable").reset_index(drop=True)


def canonical_ids(df: pd.DataFrame, found: pd.DataFrame) -> pd.Series:
    """The ids of the canonical subset: every article outside a cluster and each cluster's
    canonical copy (the copies are left out), sorted."""
    copies = found.loc[~found["canonical"], "id"]
    ids = df["id"].astype("str")
    kept = np.sort(ids[~isin(ids, copies)].to_numpy())
    return pd.Series(kept, name="id", dtype="str")


def method_note(df: pd.DataFrame, found: pd.DataFrame) -> str:
    """What the clusters of the selection `df` rest on and how much the `duplicates` choice matters:
    what was compared (bodies, or titles in a title-only corpus), the threshold, the articles
    skipped, the clusters and the share of articles that are copies (those canonical leaves out).

    `found` are the clusters with their ``attrs`` (:func:`~newslens.duplicates.clusters`), of `df`
    or of the whole corpus (restricted with :func:`~newslens.duplicates.selection.within`).

    >>> import pandas as pd
    >>> from newslens.duplicates import clusters
    >>> story = " ".join(f"word{i}" for i in range(60))
    >>> df = pd.DataFrame({"id": ["a", "b", "c"], "outlet": ["Wire", "Daily", "Daily"], "title": "T",
    ...     "published": pd.to_datetime(["2024-09-01", "2024-09-02", "2024-09-02"]), "text": [story, story, ""]})
    >>> print(method_note(df, clusters(df)))  # doctest: +NORMALIZE_WHITESPACE
    Article bodies compared (5-word shingles; a pair is a copy when 80% of the shorter text's shingles
    are in the longer one). 1 of 3 articles not compared (1 too short). 1 cluster with 2 articles; 1 of 3
    articles (33.3%) is a copy of another article: duplicates=canonical leaves it out of an analysis.
    """
    attrs = found.attrs
    info = choice(df, found, "canonical")
    selected = within(found, df)
    k, threshold = attrs.get("shingle_size", 5), attrs.get("threshold", 0.8)
    rule = f"a pair is a copy when {100 * threshold:g}% of the shorter text's shingles are in the longer one"
    if attrs.get("field") == "title":
        note = (f"This corpus has no article bodies, so titles were compared ({k}-word shingles, titles with at "
                f"least {attrs.get('min_shingles', 4)}; {rule}): a cluster is a set of near-identical headlines, "
                "most often the same story, but short generic headlines can coincide and a copy under a new "
                "headline is not found.")
    else:
        note = f"Article bodies compared ({k}-word shingles; {rule})."
    reasons = {"skipped_short": "too short", "skipped_boilerplate": "only boilerplate"}
    skipped = [(attrs[key], reason) for key, reason in reasons.items() if attrs.get(key)]
    if skipped:
        counts = ", ".join(f"{count} {reason}" for count, reason in skipped)
        note += f" {sum(c for c, _ in skipped)} of {attrs['articles']} articles not compared ({counts})."
    n, copies = info["articles"], info["copies"]
    if not copies:
        return note + f" No article of the {n} is a copy of another, so the duplicates choice changes nothing."
    plural = "cluster" if info["clusters"] == 1 else "clusters"
    verb = "is a copy" if copies == 1 else "are copies"
    return note + (f" {info['clusters']} {plural} with {len(selected)} articles; {copies} of {n} articles "
                   f"({100 * copies / n:.1f}%) {verb} of another article: duplicates=canonical leaves "
                   f"{'it' if copies == 1 else 'them'} out of an analysis.")
