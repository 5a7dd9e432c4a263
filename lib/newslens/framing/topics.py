"""Inductive frames: NMF topic models on tf-idf, with top terms, typical articles and prevalence.

Non-negative matrix factorisation splits the tf-idf document-term matrix into k topics; each
topic is a weighted set of terms, each article a non-negative mix of topics. Topics are not
frames by themselves: read the top terms *and* the most representative articles before naming
one. Terms are :func:`newslens.text.tokens` without :data:`newslens.text.STOPWORDS`, numbers
and one-letter words; the title and the body are modelled together.

Results are deterministic for a given ``seed`` (``init="nndsvdar"``, ``random_state=seed``);
different seeds may give different topics. Large corpora stay fast: the vocabulary is capped at
the ``max_features`` most frequent terms (5,000), and above ``fit_sample`` articles (20,000) the
model is fitted on a seeded random sample of them (drawn in id order, so the row order of the
table does not matter) and every article's topic mix is then computed with the fitted topics
(``NMF.transform``). Topics are numbered by weight: topic 0 carries the
largest part of the reconstructed tf-idf matrix (ties: by top term), so the numbering does not
depend on the order in which the solver happens to return them.

>>> docs = pd.DataFrame({"id": list("abcde"), "text": ["budget tax budget", "tax budget",
...                      "missile strike missile", "strike missile", "missile strike"]})
>>> fit_topics(docs, k=2, min_df=1).terms.query("rank == 1")["term"].tolist()
['missile', 'budget']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from newslens.aggregate import Period, group_mean, period_start
from newslens.choices import check_choice
from newslens.framing.frames import TEXT_PARTS, TextPart, article_text
from newslens.keywords.dtm import DTM, build_dtm
from newslens.text import STOPWORDS, tokens

__all__ = [
    "TopicModel",
    "topic_terms",
    "fit_topics",
    "representative_articles",
    "topic_labels",
    "top_terms",
    "topic_share_over_time",
]


def topic_terms(text: str) -> list[str]:
    """The terms a topic model sees: tokens without stopwords, numbers and one-letter words.

    >>> topic_terms("The 2 long-range missiles of Kyiv")
    ['long-range', 'missiles', 'kyiv']
    """
    return [t for t in tokens(text) if len(t) > 1 and t not in STOPWORDS and not any(c.isdigit() for c in t)]


@dataclass(frozen=True)
class TopicModel:
    """A fitted NMF topic model.

    ``terms``: ``[topic, rank, term, weight]`` (the ``n_terms`` heaviest terms per topic);
    ``documents``: ``[id, outlet, published, topic, weight, share]`` one row per (article,
    topic), ``share`` = the topic's part of the article's total weight (0 for an article without
    any modelled term); ``dominant``: ``[id, outlet, published, topic, share]`` the heaviest topic
    per article (topic 0-based; articles without modelled terms get topic -1).
    """

    terms: pd.DataFrame
    documents: pd.DataFrame
    dominant: pd.DataFrame
    k: int
    seed: int
    reconstruction_error: float


def fit_topics(
    docs: pd.DataFrame,
    *,
    k: int = 6,
    seed: int = 0,
    n_terms: int = 10,
    min_df: int | float = 2,
    max_df: float = 0.9,
    max_features: int | None = 5_000,
    text: TextPart = "title+text",
    fit_sample: int | None = 20_000,
    dtm: DTM | None = None,
) -> TopicModel:
    """Fit an NMF topic model with ``k`` topics on the tf-idf (sublinear tf) of ``docs``.

    ``min_df``/``max_df`` drop terms in too few / too many articles (scikit-learn semantics).
    Needs at least ``k`` articles and ``k`` modelled terms. Initialisation is NNDSVD with its zeros
    filled by small random values drawn from ``seed`` (``init="nndsvdar"``): the same seed gives
    the same topics, and trying other seeds shows how stable a solution is. Topic ``t``'s weight
    is its part of the reconstruction, ``sum(W[:, t]) * sum(H[t])``; topics are numbered from the
    heaviest (weights compared to 9 decimals of their share, ties broken by the top term).
    ``max_features`` keeps the most frequent terms (ties: alphabetical); with more than
    ``fit_sample`` articles NMF is fitted on ``fit_sample`` of them drawn with ``seed``, then
    applied to all (None: always fit on all). ``dtm`` reuses the unigram-or-wider
    :func:`~newslens.keywords.build_dtm` of ``docs`` (title and text, stopwords removed; its
    single words are the modelled terms), e.g. :meth:`newslens.derived.Store.dtm`.
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfTransformer

    check_choice("text", text, TEXT_PARTS)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    if "id" not in docs.columns:
        raise KeyError(f"column 'id' not in table (columns: {list(docs.columns)})")
    if len(docs) < k:
        raise ValueError(f"fit_topics: {len(docs)} articles cannot support k={k} topics")
    counts, vocabulary = _topic_counts(docs, text, dtm, min_df=min_df, max_df=max_df, max_features=max_features)
    if len(vocabulary) < k:
        raise ValueError(f"fit_topics: only {len(vocabulary)} terms for k={k} topics; lower min_df or k")
    matrix = TfidfTransformer(sublinear_tf=True).fit_transform(counts.astype("float64"))
    model = NMF(n_components=k, init="nndsvdar", random_state=seed, max_iter=1000)
    if fit_sample is None or len(docs) <= fit_sample:
        weights = model.fit_transform(matrix)
    else:
        by_id = np.argsort(docs["id"].astype("str").to_numpy(), kind="stable")
        drawn = np.sort(np.random.default_rng(seed).choice(len(docs), size=int(fit_sample), replace=False))
        model.fit(matrix[by_id[drawn]])
        weights = model.transform(matrix)
    components = model.components_
    order = _by_weight(weights, components, vocabulary)
    weights, components = weights[:, order], components[order]

    term_rows = []
    for topic, row in enumerate(components):
        order = np.lexsort((vocabulary, -row))[:n_terms]
        term_rows.extend((topic, rank, str(vocabulary[j]), float(row[j])) for rank, j in enumerate(order, 1))
    terms = pd.DataFrame(term_rows, columns=["topic", "rank", "term", "weight"])
    terms["term"] = terms["term"].astype("str")

    meta_cols = ["id"] + [c for c in ("outlet", "published") if c in docs.columns]
    base = docs[meta_cols].reset_index(drop=True)
    totals = weights.sum(axis=1)
    shares = np.divide(weights, totals[:, None], out=np.zeros_like(weights), where=totals[:, None] > 0)
    documents = base.loc[np.repeat(np.arange(len(base)), k)].reset_index(drop=True)
    documents["topic"] = np.tile(np.arange(k), len(base))
    documents["weight"] = weights.reshape(-1)
    documents["share"] = shares.reshape(-1)
    documents = documents.sort_values(["id", "topic"], kind="mergesort").reset_index(drop=True)

    dominant = base.copy()
    dominant["topic"] = np.where(totals > 0, weights.argmax(axis=1), -1)
    dominant["share"] = np.where(totals > 0, shares.max(axis=1), 0.0)
    dominant = dominant.sort_values("id", kind="mergesort").reset_index(drop=True)
    return TopicModel(terms=terms, documents=documents, dominant=dominant, k=int(k), seed=int(seed),
                      reconstruction_error=float(model.reconstruction_err_))


def _topic_counts(docs, text, dtm, *, min_df, max_df, max_features):
    """Counts of the modelled terms (documents × terms, sorted terms) and the terms."""
    if dtm is None:
        parts = pd.DataFrame({"id": docs["id"].to_numpy()})
        parts["title"] = article_text(docs, part="title").to_numpy() if text != "text" else ""
        parts["text"] = article_text(docs, part="text").to_numpy() if text != "title" else ""
        dtm = build_dtm(parts)
    terms = dtm.terms.astype(str)
    modelled = np.flatnonzero([" " not in t and len(t) > 1 and not any(c.isdigit() for c in t) for t in terms])
    matrix = dtm.matrix[:, modelled].tocsc()
    terms = terms[modelled]
    n = matrix.shape[0]
    doc_freq = np.diff(matrix.indptr)
    low = min_df if isinstance(min_df, int | np.integer) else min_df * n
    high = max_df if isinstance(max_df, int | np.integer) else max_df * n
    kept = np.flatnonzero((doc_freq >= low) & (doc_freq <= high))
    if not len(kept):
        raise ValueError("fit_topics: no terms left to model; lower min_df or raise max_df")
    if max_features is not None and len(kept) > max_features:
        totals = np.asarray(matrix[:, kept].sum(axis=0)).ravel()
        kept = np.sort(kept[np.lexsort((terms[kept], -totals))[:max_features]])
    return matrix[:, kept].tocsr(), terms[kept].astype(object)


def _by_weight(weights: np.ndarray, components: np.ndarray, vocabulary: np.ndarray) -> np.ndarray:
    """Topic order: largest part of the reconstruction first, then by top term (alphabetical)."""
    total = weights.sum(axis=0) * components.sum(axis=1)
    share = np.round(total / total.sum(), 9) if total.sum() > 0 else np.zeros_like(total)
    top = [str(vocabulary[np.lexsort((vocabulary, -row))[0]]) for row in components]
    return np.array(sorted(range(len(total)), key=lambda t: (-share[t], top[t])), dtype=np.intp)


def topic_labels(model: TopicModel, *, n: int = 4) -> pd.DataFrame:
    """A provisional name per topic from its top ``n`` terms: ``[topic, label]``.

    >>> m = TopicModel(terms=pd.DataFrame({"topic": [0, 0], "rank": [1, 2], "term": ["a", "b"], "weight": [2.0, 1.0]}),
    ...                documents=pd.DataFrame(), dominant=pd.DataFrame(), k=1, seed=0, reconstruction_error=0.0)
    >>> topic_labels(m).to_dict("records")
    [{'topic': 0, 'label': '0: a, b'}]
    """
    top = model.terms.loc[model.terms["rank"] <= n].sort_values(["topic", "rank"])
    labels = top.groupby("topic", sort=True)["term"].agg(", ".join)
    out = pd.DataFrame({"topic": labels.index.astype("int64"), "label": [f"{t}: {s}" for t, s in labels.items()]})
    out["label"] = out["label"].astype("str")
    return out


def top_terms(model: TopicModel) -> pd.DataFrame:
    """Every topic's top terms in one cell, heaviest first: ``[topic, top terms]``, by topic.

    >>> m = TopicModel(terms=pd.DataFrame({"topic": [0, 0, 1], "rank": [1, 2, 1], "term": ["a", "b", "c"],
    ...                "weight": [2.0, 1.0, 3.0]}), documents=pd.DataFrame(), dominant=pd.DataFrame(), k=2, seed=0,
    ...                reconstruction_error=0.0)
    >>> top_terms(m).values.tolist()
    [[0, 'a, b'], [1, 'c']]
    """
    ordered = model.terms.sort_values(["topic", "rank"], kind="mergesort")
    out = ordered.groupby("topic", sort=True)["term"].agg(", ".join).reset_index()
    return out.rename(columns={"term": "top terms"})


def topic_share_over_time(
    model: TopicModel, *, period: Period = "week", n_boot: int = 1000, seed: int = 0, min_n: int = 5
) -> pd.DataFrame:
    """Mean share of each topic in the articles of each period, with n and a confidence interval.

    Each article (``model.documents``, which needs ``published``) is placed in the ``period``
    containing its date (weeks start on Monday); :func:`newslens.aggregate.group_mean` of
    ``share`` gives ``[topic, period, n, mean, ci_low, ci_high, reliable]`` sorted by topic and
    period, ``n`` counting articles. Undated articles are left out; their number is
    ``result.attrs["undated"]``.

    >>> docs = pd.DataFrame({"id": ["a", "b", "c"], "published": pd.to_datetime(["2024-09-02", "2024-09-03", None]),
    ...                      "topic": [0, 0, 0], "weight": [1.0, 1.0, 1.0], "share": [0.2, 0.6, 1.0]})
    >>> m = TopicModel(terms=pd.DataFrame(), documents=docs, dominant=pd.DataFrame(), k=1, seed=0,
    ...                reconstruction_error=0.0)
    >>> out = topic_share_over_time(m, min_n=1)
    >>> out[["topic", "period", "n", "mean"]].values.tolist(), out.attrs["undated"]
    ([[0, Timestamp('2024-09-02 00:00:00'), 2, 0.4]], 1)
    """
    documents = model.documents
    if "published" not in documents.columns:
        raise KeyError("topic_share_over_time: the topic model's documents have no 'published' column")
    dated = documents[documents["published"].notna()]
    dated = dated.assign(period=period_start(dated["published"], period))
    out = group_mean(dated, "share", ["topic", "period"], n_boot=n_boot, seed=seed, min_n=min_n)
    out.attrs["undated"] = int(documents.loc[documents["published"].isna(), "id"].nunique())
    return out


def representative_articles(model: TopicModel, docs: pd.DataFrame, *, n: int = 3) -> pd.DataFrame:
    """The ``n`` articles with the largest share of each topic: ``[topic, rank, id, outlet, title, share]``.

    Ties are broken by the topic's weight, then by id. ``title`` is taken from ``docs`` when it
    has one.
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    d = model.documents.loc[model.documents["weight"] > 0]
    d = d.sort_values(["topic", "share", "weight", "id"], ascending=[True, False, False, True], kind="mergesort")
    top = d.groupby("topic", sort=True).head(n).copy()
    top["rank"] = top.groupby("topic").cumcount() + 1
    cols = ["topic", "rank", "id"] + [c for c in ("outlet",) if c in top.columns]
    out = top[cols + ["share"]]
    if "title" in docs.columns:
        titles = docs.set_index("id")["title"]
        out.insert(len(cols), "title", titles.reindex(out["id"]).astype("str").to_numpy())
    return out.reset_index(drop=True)
