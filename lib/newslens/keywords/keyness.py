"""Keyness: which terms distinguish a target group from a reference.

Significance (G², chi² with and without Yates' correction, with p-values) and effect size
(Hardie's log ratio, Gabrielatos & Marchi's %DIFF) side by side, vectorised over the 2×2 tables
of all terms at once.

For one term with frequency ``a`` in the target (``N_t`` tokens) and ``b`` in the reference
(``N_r`` tokens) the table is ``[[a, b], [N_t - a, N_r - b]]``:

* G² (Dunning 1993) = 2 Σ O·ln(O/E) over the four cells (0·ln 0 = 0), 1 degree of freedom.
* chi² = Σ (O − E)²/E; with Yates' correction each |O − E| shrinks by 0.5 (not below 0),
  exactly as ``scipy.stats.chi2_contingency(correction=True)`` does.
* log ratio (Hardie 2014) = log2((a/N_t) / (b/N_r)); a zero frequency is replaced by 0.5 so the
  ratio stays finite. +1 means twice as frequent in the target.
* %DIFF (Gabrielatos & Marchi 2012) = 100 · (a/N_t − b/N_r) / (b/N_r); a zero reference frequency
  is replaced by 0.5. −100 means absent from the target.

G² says how sure we are that a difference exists (it grows with corpus size); the log ratio and
%DIFF say how large the difference is. Read them together.

>>> import pandas as pd
>>> t = pd.Series({"missile": 30, "the": 500})
>>> r = pd.Series({"missile": 10, "the": 1500})
>>> keyness_stats(t, r, total_target=10_000, total_reference=30_000)[["term", "log_ratio"]]
      term  log_ratio
0  missile   3.169925
1      the   0.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import xlogy
from scipy.stats import chi2 as chi2_dist

from newslens.choices import check_choice
from newslens.keywords.dtm import DTM, build_dtm, group, select

Direction = Literal["over", "under", "both"]
Correction = Literal["bonferroni", "none"]
DIRECTIONS: tuple[str, ...] = get_args(Direction)
CORRECTIONS: tuple[str, ...] = get_args(Correction)
ZERO_ADJUSTMENT = 0.5
"""Frequency substituted for a zero before taking the log ratio and %DIFF (Hardie 2014)."""

STAT_COLUMNS = [
    "g2", "p_g2", "chi2", "p_chi2", "chi2_yates", "p_chi2_yates", "log_ratio", "pct_diff",
]
KEYNESS_COLUMNS = [
    "group", "term", "freq_target", "freq_reference", "docs_target", "docs_reference",
    "groups", "per_10k_target", "per_10k_reference", *STAT_COLUMNS, "significant",
]
"""Columns of :func:`keyness` and :func:`keyness_dtm`, in order."""


def two_by_two(
    a: np.ndarray, b: np.ndarray, total_target: float, total_reference: float
) -> dict[str, np.ndarray]:
    """Keyness statistics for arrays of target counts ``a`` and reference counts ``b``.

    Every term needs ``a + b > 0``. Returns arrays keyed by the names in ``STAT_COLUMNS``.

    >>> s = two_by_two(np.array([10.0]), np.array([10.0]), 100, 100)
    >>> float(s["g2"][0]), float(s["log_ratio"][0])
    (0.0, 0.0)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    nt, nr = float(total_target), float(total_reference)
    if nt <= 0 or nr <= 0:
        raise ValueError(f"totals must be positive (target={nt}, reference={nr})")
    if np.any(a + b <= 0):
        raise ValueError("every term needs a positive frequency in the target or the reference")
    if np.any(a > nt) or np.any(b > nr):
        raise ValueError("a term frequency exceeds its corpus total")
    c, d = nt - a, nr - b
    n = nt + nr
    row1, row2 = a + b, c + d
    observed = (a, b, c, d)
    expected = (nt * row1 / n, nr * row1 / n, nt * row2 / n, nr * row2 / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2.0 * sum(xlogy(o, o / e) for o, e in zip(observed, expected))
        inv_e = sum(np.where(e > 0, 1.0 / e, 0.0) for e in expected)
    g2 = np.maximum(g2, 0.0)  # rounding can leave -1e-13 for identical proportions
    deviation = np.abs(a - expected[0])  # |O − E| is the same in all four cells of a 2×2 table
    chi2 = deviation**2 * inv_e
    chi2_yates = np.maximum(deviation - 0.5, 0.0) ** 2 * inv_e
    adj_a = np.where(a == 0, ZERO_ADJUSTMENT, a)
    adj_b = np.where(b == 0, ZERO_ADJUSTMENT, b)
    log_ratio = np.log2((adj_a / nt) / (adj_b / nr))
    pct_diff = 100.0 * (a / nt - adj_b / nr) / (adj_b / nr)
    return {
        "g2": g2,
        "p_g2": chi2_dist.sf(g2, 1),
        "chi2": chi2,
        "p_chi2": chi2_dist.sf(chi2, 1),
        "chi2_yates": chi2_yates,
        "p_chi2_yates": chi2_dist.sf(chi2_yates, 1),
        "log_ratio": log_ratio,
        "pct_diff": pct_diff,
    }


def keyness_stats(
    freq_target: pd.Series,
    freq_reference: pd.Series,
    *,
    total_target: float | None = None,
    total_reference: float | None = None,
) -> pd.DataFrame:
    """Keyness of every term of a target against a reference, from term counts.

    ``freq_target`` and ``freq_reference`` are counts indexed by term (aligned on the union, a
    missing term counts 0). Totals default to the sums of the counts; pass the corpus sizes when
    the Series hold only some terms. Terms absent from both carry no information and are left
    out. Returns ``term, freq_target, freq_reference, per_10k_target, per_10k_reference`` and the
    statistics, sorted by G² (descending), then term.

    >>> keyness_stats(pd.Series({"x": 5, "y": 5}), pd.Series({"x": 1, "y": 9})).term.tolist()
    ['x', 'y']
    """
    counts = pd.concat(
        {"freq_target": freq_target, "freq_reference": freq_reference}, axis=1
    ).fillna(0)
    counts = counts[(counts.freq_target + counts.freq_reference) > 0]
    nt = float(freq_target.sum() if total_target is None else total_target)
    nr = float(freq_reference.sum() if total_reference is None else total_reference)
    stats = two_by_two(counts.freq_target.to_numpy(), counts.freq_reference.to_numpy(), nt, nr)
    out = pd.DataFrame(
        {
            "term": counts.index.astype(str),
            "freq_target": counts.freq_target.to_numpy().astype(np.int64),
            "freq_reference": counts.freq_reference.to_numpy().astype(np.int64),
            "per_10k_target": counts.freq_target.to_numpy() / nt * 10_000,
            "per_10k_reference": counts.freq_reference.to_numpy() / nr * 10_000,
            **stats,
        }
    )
    return out.sort_values(["g2", "term"], ascending=[False, True], ignore_index=True)


def keyness(
    corpus_df: pd.DataFrame,
    by: str = "outlet",
    *,
    ngram_range: tuple[int, int] = (1, 1),
    stopwords: bool = True,
    min_docs: int = 2,
    min_groups: int = 1,
    alpha: float = 0.05,
    correction: Correction = "bonferroni",
    direction: Direction = "over",
    only_significant: bool = True,
    top_n: int | None = None,
    dtm: DTM | None = None,
) -> pd.DataFrame:
    """Key terms of every group of ``corpus_df[by]`` against all other groups, in one call.

    Builds the document-term matrix (title + text) and hands it to :func:`keyness_dtm`;
    see there for the options and the columns. Articles whose ``by`` value is missing belong to no
    group and are left out of both sides (the count is in ``result.attrs["missing_label"]``).
    ``dtm`` reuses :func:`~newslens.keywords.build_dtm` of ``corpus_df`` (its rows, in order) with
    the same ``ngram_range`` and ``stopwords``, e.g. :meth:`newslens.derived.Store.dtm`.

    >>> df = pd.DataFrame({"id": ["1", "2", "3", "4"], "title": "",
    ...     "text": ["strike strike", "strike missile", "talks peace", "talks ceasefire"],
    ...     "outlet": ["A", "A", "B", "B"]})
    >>> keyness(df, min_docs=2, only_significant=False)[["group", "term"]].values.tolist()
    [['A', 'strike'], ['B', 'talks']]
    """
    if by not in corpus_df.columns:
        raise ValueError(f"by={by!r} is not a column; available: {', '.join(map(str, corpus_df.columns))}")
    labels = corpus_df[by]
    known = labels.notna().to_numpy()
    if dtm is None:
        dtm = build_dtm(corpus_df.loc[known], ngram_range=ngram_range, stopwords=stopwords)
    elif not known.all():
        dtm = select(dtm, np.flatnonzero(known))
    result = keyness_dtm(
        dtm,
        labels[known].to_numpy(),
        min_docs=min_docs,
        min_groups=min_groups,
        alpha=alpha,
        correction=correction,
        direction=direction,
        only_significant=only_significant,
        top_n=top_n,
    )
    result.attrs["missing_label"] = int((~known).sum())
    return result


def keyness_dtm(
    dtm: DTM,
    labels: Sequence | np.ndarray | pd.Series,
    *,
    min_docs: int = 2,
    min_groups: int = 1,
    alpha: float = 0.05,
    correction: Correction = "bonferroni",
    direction: Direction = "over",
    only_significant: bool = True,
    top_n: int | None = None,
) -> pd.DataFrame:
    """Each group of ``labels`` (one per document of ``dtm``) against the rest.

    Dispersion filter: a term over-used in the target must occur in at least ``min_docs``
    documents of the target (an under-used one in ``min_docs`` documents of the reference), and
    in at least ``min_groups`` groups, so one article or one outlet's boilerplate cannot dominate.
    ``direction`` keeps terms over-used in the target (``"over"``), under-used (``"under"``) or
    both. A term is ``significant`` when ``p_g2 < alpha``, with ``alpha`` divided by the number
    of terms tested in that comparison under ``correction="bonferroni"``. Corpus sizes are the
    token totals of the matrix (all its terms, before any filter).

    Returns ``group, term, freq_target, freq_reference, docs_target, docs_reference, groups,
    per_10k_target, per_10k_reference, g2, p_g2, chi2, p_chi2, chi2_yates, p_chi2_yates,
    log_ratio, pct_diff, significant`` sorted by group, then G² (descending), then term; at most
    ``top_n`` rows per group.
    """
    check_choice("direction", direction, DIRECTIONS)
    check_choice("correction", correction, CORRECTIONS)
    if min_docs < 0 or min_groups < 0:
        raise ValueError("min_docs and min_groups must be >= 0")
    if top_n is not None and top_n < 1:
        raise ValueError(f"top_n must be at least 1 (or None for all terms), got {top_n}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    grouped = group(dtm, labels)
    grouped_docs = group(dtm.binary(), labels)
    if grouped.matrix.shape[0] < 2:
        raise ValueError("keyness needs at least two groups to compare")
    totals_by_term = np.asarray(grouped.matrix.sum(axis=0)).ravel().astype(float)
    docs_by_term = np.asarray(grouped_docs.matrix.sum(axis=0)).ravel().astype(float)
    n_groups_with_term = np.asarray((grouped.matrix > 0).sum(axis=0)).ravel()
    grand_total = totals_by_term.sum()
    frames = []
    for g, label in enumerate(grouped.docs):
        target = _row(grouped.matrix, g)
        target_docs = _row(grouped_docs.matrix, g)
        reference = totals_by_term - target
        reference_docs = docs_by_term - target_docs
        nt = target.sum()
        nr = grand_total - nt
        if nt == 0 or nr == 0:
            continue
        over = target * nr > reference * nt
        keep = (target + reference > 0) & (n_groups_with_term >= min_groups)
        dispersed = np.where(over, target_docs >= min_docs, reference_docs >= min_docs)
        keep &= dispersed
        if direction == "over":
            keep &= over
        elif direction == "under":
            keep &= ~over & (target * nr < reference * nt)
        idx = np.flatnonzero(keep)
        stats = two_by_two(target[idx], reference[idx], nt, nr)
        tested = max(len(idx), 1)
        threshold = alpha / tested if correction == "bonferroni" else alpha
        frame = pd.DataFrame(
            {
                "group": label,
                "term": grouped.terms[idx],
                "freq_target": target[idx].astype(np.int64),
                "freq_reference": reference[idx].astype(np.int64),
                "docs_target": target_docs[idx].astype(np.int64),
                "docs_reference": reference_docs[idx].astype(np.int64),
                "groups": n_groups_with_term[idx].astype(np.int64),
                "per_10k_target": target[idx] / nt * 10_000,
                "per_10k_reference": reference[idx] / nr * 10_000,
                **stats,
            }
        )
        frame["significant"] = frame.p_g2 < threshold
        if only_significant:
            frame = frame[frame.significant]
        frame = frame.sort_values(["g2", "term"], ascending=[False, True])
        if top_n is not None:
            frame = frame.head(top_n)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    return pd.concat(frames, ignore_index=True)[KEYNESS_COLUMNS]


def _row(matrix: sparse.csr_matrix, i: int) -> np.ndarray:
    return np.asarray(matrix[i].toarray()).ravel().astype(float)
