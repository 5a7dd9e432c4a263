"""Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

For term *i* with counts ``y_a``, ``y_b`` in groups a and b (totals ``n_a``, ``n_b``) and prior
pseudo-counts ``α_i`` summing to ``α_0`` (the paper's eq. 16–22):

    δ_i = log((y_a + α_i) / (n_a + α_0 − y_a − α_i)) − log((y_b + α_i) / (n_b + α_0 − y_b − α_i))
    σ²_i ≈ 1/(y_a + α_i) + 1/(y_b + α_i)          z_i = δ_i / σ_i

The prior shrinks the log-odds of rare terms towards what the background expects, so a word seen
twice in one group and never in the other no longer tops the list; the z-score then ranks terms
by how reliably they separate the two groups. A larger ``α_0`` means stronger shrinkage.

>>> import pandas as pd
>>> a = pd.Series({"strike": 20, "talks": 5})
>>> b = pd.Series({"strike": 5, "talks": 20})
>>> log_odds_dirichlet(a, b, pd.Series({"strike": 1.0, "talks": 1.0}))[["term", "z"]].round(3)
     term      z
0  strike  5.413
1   talks -5.413
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from newslens.keywords.dtm import DTM, build_dtm, group, select


def log_odds_dirichlet(counts_a: pd.Series, counts_b: pd.Series, prior: pd.Series) -> pd.DataFrame:
    """Log-odds ratio δ, its variance and z-score for every term used by group a or b.

    ``counts_a``/``counts_b`` are term counts indexed by term (missing = 0); their sums are the
    group totals ``n_a``/``n_b``. ``prior`` holds the pseudo-counts ``α_i`` (``α_0`` is their sum)
    and must be positive for every term used. Returns ``term, count_a, count_b, prior, delta,
    variance, z`` sorted by z (descending: group a's terms first), then term.
    """
    counts = pd.concat({"count_a": counts_a, "count_b": counts_b}, axis=1).fillna(0)
    counts = counts[(counts.count_a + counts.count_b) > 0]
    alpha = prior.reindex(counts.index)
    bad = alpha.isna() | (alpha <= 0)
    if bad.any():
        sample = ", ".join(map(repr, alpha.index[bad][:5]))
        raise ValueError(f"the prior needs a positive pseudo-count for every term; missing or <= 0 for {int(bad.sum())} terms ({sample})")
    alpha0 = float(prior.sum())
    ya, yb = counts.count_a.to_numpy(float), counts.count_b.to_numpy(float)
    na, nb = float(counts_a.sum()), float(counts_b.sum())
    ai = alpha.to_numpy(float)
    delta = np.log((ya + ai) / (na + alpha0 - ya - ai)) - np.log((yb + ai) / (nb + alpha0 - yb - ai))
    variance = 1.0 / (ya + ai) + 1.0 / (yb + ai)
    out = pd.DataFrame(
        {
            "term": counts.index.astype(str),
            "count_a": ya.astype(np.int64),
            "count_b": yb.astype(np.int64),
            "prior": ai,
            "delta": delta,
            "variance": variance,
            "z": delta / np.sqrt(variance),
        }
    )
    return out.sort_values(["z", "term"], ascending=[False, True], ignore_index=True)


def prior_from_counts(counts: pd.Series, *, alpha0: float | None = None) -> pd.Series:
    """Dirichlet prior proportional to background ``counts``; scaled to sum to ``alpha0`` if given.

    With ``alpha0=None`` the counts themselves are the pseudo-counts (α_0 = background size).

    >>> prior_from_counts(pd.Series({"x": 30, "y": 10}), alpha0=8).tolist()
    [6.0, 2.0]
    """
    total = float(counts.sum())
    if total <= 0:
        raise ValueError("background counts must have a positive total")
    if alpha0 is None:
        return counts.astype(float)
    if alpha0 <= 0:
        raise ValueError(f"alpha0 must be positive, got {alpha0}")
    return counts.astype(float) * (alpha0 / total)


def log_odds(
    corpus_df: pd.DataFrame,
    by: str,
    group_a: str,
    group_b: str,
    *,
    ngram_range: tuple[int, int] = (1, 1),
    stopwords: bool = True,
    alpha0: float | None = None,
    reference: pd.Series | None = None,
    min_count: int = 1,
    dtm: DTM | None = None,
) -> pd.DataFrame:
    """Log-odds (Dirichlet prior) of ``group_a`` against ``group_b`` in ``corpus_df[by]``.

    The prior's *shape* (α_i ∝ a term's background frequency) comes from the whole corpus (all
    groups), or from a ``reference`` frequency list (term → count; corpus terms absent from it get
    a count of 1). Its *strength* is ``alpha0`` (α_0 = Σ α_i, Monroe, Colaresi & Quinn 2008, §3.5):
    by default the corpus's total term count (all counted terms of the articles with a known
    ``by``), so the corpus prior is the corpus's own counts, and a reference of any size carries
    the same weight as the corpus would. (Raw counts of a 10-million-word reference as pseudo-counts would swamp two groups of
    5,000 words and pull every z towards 0.) ``result.attrs["alpha0"]`` holds the α_0 used. Keeps
    terms used at least ``min_count`` times by the two groups together. Columns as
    :func:`log_odds_dirichlet`. ``dtm`` reuses :func:`~newslens.keywords.build_dtm` of ``corpus_df``
    with the same ``ngram_range`` and ``stopwords`` (as in :func:`~newslens.keywords.keyness`).
    """
    if by not in corpus_df.columns:
        raise ValueError(f"by={by!r} is not a column; available: {', '.join(map(str, corpus_df.columns))}")
    present = set(corpus_df[by].dropna().unique())
    for name in (group_a, group_b):
        if name not in present:
            raise ValueError(f"{name!r} is not a value of {by!r}; available: {', '.join(sorted(map(str, present)))}")
    if group_a == group_b:
        raise ValueError("group_a and group_b must differ")
    known = corpus_df[by].notna().to_numpy()
    if dtm is None:
        dtm = build_dtm(corpus_df.loc[known], ngram_range=ngram_range, stopwords=stopwords)
    elif not known.all():
        dtm = select(dtm, np.flatnonzero(known))
    grouped = group(dtm, corpus_df.loc[known, by].to_numpy())
    rows = {label: i for i, label in enumerate(grouped.docs)}
    counts_a = pd.Series(grouped.matrix[rows[group_a]].toarray().ravel(), index=grouped.terms)
    counts_b = pd.Series(grouped.matrix[rows[group_b]].toarray().ravel(), index=grouped.terms)
    totals = dtm.term_totals()
    background = totals if reference is None else reference.reindex(grouped.terms).fillna(1).clip(lower=1)
    strength = float(totals.sum()) if alpha0 is None else alpha0
    result = log_odds_dirichlet(counts_a, counts_b, prior_from_counts(background, alpha0=strength))
    result = result[result.count_a + result.count_b >= min_count].reset_index(drop=True)
    result.attrs["alpha0"] = strength
    return result
