"""How often tracked words and phrases occur over time, per 10,000 words, with bootstrap intervals.

Each tracked term is a word or phrase pattern as in dictionaries (``"red line*"``, ``escalat*``,
``nuclear``), counted exactly as the concordance finds it (:func:`newslens.query.phrase`). The
rate of a period is its hits divided by its tokens (title + text, stopwords included); the
interval resamples the period's articles (:mod:`newslens.bootstrap`: seeded percentile bootstrap,
one random stream per period, no interval for a period with a single article).

>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["a", "b"], "title": ["", ""],
...     "text": ["Escalation fears grow", "Talks resume"],
...     "published": pd.to_datetime(["2024-09-02", "2024-09-03"])})
>>> term_frequency(df, ["escalat*"], n_boot=0)[["period", "term", "hits", "n_tokens", "per_10k"]]
      period      term  hits  n_tokens  per_10k
0 2024-09-02  escalat*     1         5   2000.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from newslens.aggregate import Period, period_start
from newslens.bootstrap import group_rng, sum_interval
from newslens.corpus import document_parts
from newslens.query import candidates, phrase
from newslens.text import tokens


def term_hits(corpus_df: pd.DataFrame, terms: Sequence[str]) -> pd.DataFrame:
    """Hits of each tracked term in each article's title and text: ``[id, term, hits]``, terms in
    the order given, articles in table order, zeros included.

    >>> df = pd.DataFrame({"id": ["a", "b"], "title": ["Escalation", ""], "text": ["It escalated.", "Calm."]})
    >>> term_hits(df, ["escalat*"]).values.tolist()
    [['a', 'escalat*', 2], ['b', 'escalat*', 0]]
    """
    queries = [phrase(t) for t in terms]
    fields = list(zip(*(field.to_numpy(dtype=object) for field in document_parts(corpus_df))))
    hits = np.zeros((len(queries), len(corpus_df)), dtype=np.int64)
    for k, q in enumerate(queries):
        for pos in np.flatnonzero(candidates(corpus_df, q).to_numpy()):
            hits[k, pos] = sum(len(q.hits(text)) for text in fields[pos])
    return pd.DataFrame({
        "id": np.tile(corpus_df["id"].to_numpy(dtype=object), len(queries)),
        "term": pd.Series(np.repeat(np.asarray(list(terms), dtype=object), len(corpus_df)), dtype="str"),
        "hits": hits.ravel(),
    }).astype({"id": corpus_df["id"].dtype})  # fmt: skip


def term_frequency(
    corpus_df: pd.DataFrame,
    terms: Sequence[str],
    *,
    period: Period = "week",
    n_boot: int = 1000,
    seed: int = 0,
    ci: float = 0.95,
    token_counts: pd.DataFrame | None = None,
    hit_counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Hits per 10,000 words of each term in each period (weeks start on Monday).

    Returns ``period, term, n_articles, hits, n_tokens, per_10k, ci_low, ci_high`` sorted by
    period then term order, one row per period with articles and term (zeros included).
    Undated articles cannot be placed in time; their number is in ``result.attrs["undated"]``.
    The interval is a ``ci`` percentile bootstrap over the period's articles (``attrs["ci"]``,
    ``attrs["interval"]``); it is NaN for a period of one article, and with ``n_boot=0``.
    A period's interval depends only on its own articles, ``seed`` and its start date.
    ``token_counts`` reuses the articles' ``[id, title_tokens, text_tokens]``
    (:meth:`newslens.derived.Store.tokens`) instead of tokenising every article again, and
    ``hit_counts`` the :func:`term_hits` of the same terms (:meth:`newslens.derived.Store.term_hits`)
    instead of searching the texts again.
    """
    queries = [phrase(t) for t in terms]
    if not queries:
        raise ValueError("give at least one term to track")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, got {ci}")
    dated = corpus_df[corpus_df["published"].notna()]
    starts = period_start(dated["published"], period).to_numpy()
    fields = list(zip(*(field.to_numpy(dtype=object) for field in document_parts(dated))))
    if token_counts is None:
        n_tokens = np.array([len(tokens(a)) + len(tokens(b)) for a, b in fields], dtype=np.int64)
    else:
        known = token_counts.set_index("id")
        n_tokens = (known["title_tokens"] + known["text_tokens"]).reindex(dated["id"]).to_numpy(dtype=np.int64)
    if hit_counts is None:
        hit_counts = term_hits(dated, terms)
    wide = hit_counts.drop_duplicates(["id", "term"]).pivot(index="id", columns="term", values="hits")
    hits = wide.reindex(index=dated["id"], columns=list(terms))
    if hits.isna().any().any():
        raise KeyError("term_frequency: hit_counts lacks some of the articles or terms")
    hits = hits.to_numpy(dtype=np.int64).T
    periods, codes = np.unique(starts, return_inverse=True)
    rows = []
    for p, start in enumerate(periods):
        members = np.flatnonzero(codes == p)
        tok = n_tokens[members]
        h = hits[:, members]
        with np.errstate(invalid="ignore", divide="ignore"):
            rates = h.sum(axis=1) / tok.sum() * 10_000
        low = high = np.full(len(terms), np.nan)
        if n_boot > 0:
            # Resample the period's articles (tokens and hits of every term together) from the
            # period's own stream: other periods never change its interval.
            units = np.column_stack([tok, h.T])
            low, high = sum_interval(_rates, units, n_boot=n_boot, ci=ci, rng=group_rng(seed, start))
        for k, term in enumerate(terms):
            rows.append((start, term, len(members), int(h[k].sum()), int(tok.sum()), rates[k], low[k], high[k]))
    out = pd.DataFrame(
        rows, columns=["period", "term", "n_articles", "hits", "n_tokens", "per_10k", "ci_low", "ci_high"]
    )
    out.attrs.update(undated=int(len(corpus_df) - len(dated)), ci=ci, interval="percentile" if n_boot > 0 else None)
    return out


def _rates(sums: np.ndarray) -> np.ndarray:
    # sums: (resamples, 1 + terms), tokens first; hits per 10,000 tokens per term.
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums[:, 1:] / sums[:, :1] * 10_000
