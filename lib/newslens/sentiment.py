"""Sentiment of news articles: sentence-level VADER, dictionary tone, actor-targeted tone.

VADER is a sentence-level model, so an article's tone is an aggregate of its sentences:
the mean sentence compound (``tone``), the shares of positive (compound >= 0.05) and negative
(compound <= -0.05) sentences, and the number of sentences. VADER is never run on a whole
article: its compound is a normalised *sum* of word valences, ``s / sqrt(s² + 15)``, so every
additional sentence pushes it towards ±1 and long texts saturate. Twenty sentences that each
score a mild 0.44 ("The plan is good.") give a whole-text compound of 0.9948, while the mean
of the sentences stays 0.44:

>>> article = " ".join(["The plan is good."] * 20)
>>> vader([article])["compound"].item(), vader(["The plan is good."])["compound"].item()
(0.9948, 0.4404)

Whole-text scoring is also slower (the reference re-scans the whole text for each sentiment
word). Scores come from :mod:`newslens.vader`, a faster port whose output is identical to
``vaderSentiment`` 3.3.2 (checked on all 23,703 sentences of VADER's published ground truth by
``bench/eval_vader.py``).

Dictionary tone (:func:`dictionary_tone`) counts positive and negative dictionary hits per
article (by default VADER's own lexicon used as a plain word list, see
:func:`vader_lexicon_dictionary`), which makes a lexicon-only comparison with the rule-based
VADER scores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from newslens import cluster, partitions
from newslens import dictionary as dictionary_engine
from newslens.aggregate import Period, group_mean, period_start
from newslens.choices import check_choice
from newslens.corpus import document_text
from newslens.text import split_sentences, tokens
from newslens.share import Policy
from newslens.vader import FIELDS, load_lexicon, score_many, shared_analyzer

__all__ = [
    "POSITIVE",
    "NEGATIVE",
    "vader",
    "sentence_tone",
    "article_tone",
    "summarise_tone",
    "article_tone_over_time",
    "top_sentences",
    "vader_lexicon_dictionary",
    "dictionary_tone",
    "actor_tone",
    "actor_tone_over_time",
    "compare_methods",
    "method_agreement",
]

POSITIVE = 0.05
"""A sentence is positive when its compound is >= this (VADER's author's threshold)."""
NEGATIVE = -0.05
"""A sentence is negative when its compound is <= this."""

# sentence_tone(jobs>1): articles per worker task, between these bounds and small enough that
# every worker gets about 8 tasks (balanced load); fewer than 2 minimal chunks run in-process.
_MIN_CHUNK, _MAX_CHUNK = 100, 2000
_CARRY = ("outlet", "published")
_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit


def _check_jobs(jobs: int) -> None:
    if isinstance(jobs, bool) or not isinstance(jobs, int | np.integer) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs!r}")


def _texts(sentences: Sequence[str] | pd.Series) -> list[str]:
    values = sentences.tolist() if isinstance(sentences, pd.Series) else list(sentences)
    out: list[str] = []
    for position, text in enumerate(values):
        if isinstance(text, str):
            out.append(text)
        elif text is None or (not isinstance(text, list | tuple | dict) and pd.isna(text)):
            out.append("")
        else:
            raise TypeError(f"vader: item {position} is {type(text).__name__}, not str (value {text!r:.60})")
    return out


def vader(sentences: Sequence[str] | pd.Series, *, jobs: int = 1) -> pd.DataFrame:
    """VADER scores ``[neg, neu, pos, compound]``, one row per input sentence in input order.

    Missing values (None, NaN, NA) score as the empty string (all zeros). ``jobs`` > 1 scores
    in that many worker processes (used for inputs of 8,000 sentences or more).

    >>> vader(["Not bad at all", None])
       neg    neu    pos  compound
    0  0.0  0.513  0.487     0.431
    1  0.0  0.000  0.000     0.000
    """
    _check_jobs(jobs)
    rows = score_many(_texts(sentences), jobs=int(jobs))
    return pd.DataFrame(np.array(rows, dtype="float64").reshape(-1, 4), columns=list(FIELDS))


def _split_and_score(docs: pd.DataFrame, punkt) -> pd.DataFrame:
    sents = split_sentences(docs, punkt=punkt)
    scores = shared_analyzer().scores(sents["sentence"].tolist())
    values = np.array(scores, dtype="float64").reshape(-1, 4)
    scored = sents.assign(**{name: values[:, k] for k, name in enumerate(FIELDS)})
    has_word = np.array([_WORD_CHAR.search(t) is not None for t in scored["sentence"]], dtype=bool)
    keep = has_word | (scored["compound"] != 0).to_numpy()
    return scored[keep].reset_index(drop=True)


def _tone_part(part, punkt) -> pd.DataFrame:
    return _split_and_score(partitions.read(part, ("title", "text")), punkt)


def _check_ids(corpus_df: pd.DataFrame, where: str) -> None:
    for col in ("id", "text"):
        if col not in corpus_df.columns:
            raise KeyError(f"{where}: column {col!r} not in table (columns: {list(corpus_df.columns)})")
    dup = corpus_df["id"][corpus_df["id"].duplicated()]
    if len(dup):
        raise ValueError(f"{where}: article ids must be unique; repeated: {sorted(set(dup))[:5]}")


def _codes(*columns: pd.Series, sort: bool = True) -> tuple[list[np.ndarray], pd.Index]:
    """Integer codes of the values in ``columns``, shared between the columns, and the distinct values
    they stand for. With ``sort`` codes follow the sorted value order; missing values share one code
    (the last), as merges and ``dropna=False`` groups treat them."""
    codes, uniques = pd.factorize(pd.concat(columns, ignore_index=True), sort=sort, use_na_sentinel=False)
    return np.split(codes, np.cumsum([len(c) for c in columns])[:-1]), uniques


def _starts(ordered: np.ndarray) -> np.ndarray:
    """Where a new value begins in the sorted array ``ordered`` (a boolean mask)."""
    start = np.ones(len(ordered), dtype=bool)
    start[1:] = ordered[1:] != ordered[:-1]
    return start


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct values of ``keys`` in sorted order (``np.unique`` hashes, which is slower here)."""
    ordered = np.sort(keys)
    return ordered[_starts(ordered)]


def _first(keys: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each distinct value of ``keys``, in order."""
    order = np.argsort(keys, kind="stable")
    return np.sort(order[_starts(keys[order])])


def _unique_order(keys: np.ndarray, what: str) -> np.ndarray:
    """The positions that sort ``keys``, which must be unique: else a MergeError about ``what``, as a
    validated merge raises."""
    order = np.argsort(keys, kind="stable")
    if not _starts(keys[order]).all():
        raise pd.errors.MergeError(f"{what} are not unique")
    return order


def _lookup(keys: np.ndarray, values: np.ndarray, what: str) -> np.ndarray:
    """Position of each of ``values`` in ``keys`` (unique, see :func:`_unique_order`), -1 where absent."""
    order = _unique_order(keys, what)
    ordered = keys[order]
    if not len(keys):
        return np.full(len(values), -1)
    at = np.minimum(np.searchsorted(ordered, values), len(keys) - 1)
    return np.where(ordered[at] == values, order[at], -1)


def _take(df: pd.DataFrame, columns: Sequence[str], rows: np.ndarray) -> pd.DataFrame:
    """``df[columns]`` at positions ``rows``, with a fresh index."""
    return df[list(columns)].iloc[rows].reset_index(drop=True)


def _at(column: pd.Series, rows: np.ndarray, *, missing: bool = False) -> pd.Series:
    """``column``'s values at positions ``rows``, missing where a row is -1. As in a left merge, the
    dtype makes room for missing values (int64 → float64) when there are any, or ``missing`` says so."""
    padded = np.append(rows, -1) if missing else rows
    return column.reset_index(drop=True).reindex(padded).iloc[: len(rows)].reset_index(drop=True)


def _tone_by(group: np.ndarray, compound: pd.Series, *, sort: bool) -> pd.DataFrame:
    """``[n_sentences, tone, share_positive, share_negative]`` per value of ``group`` (integer keys, one
    per ``compound`` value; -1 for a missing key, left out), indexed by key. Equal to a groupby of the
    same rows on the keys they stand for: the rows keep their order and missing keys stay in place
    (pandas sums sorted groups differently from unsorted ones)."""
    compound = compound.reset_index(drop=True)
    stats = (
        pd.DataFrame({"compound": compound, "_pos": (compound >= POSITIVE).astype("float64"),
                      "_neg": (compound <= NEGATIVE).astype("float64")})  # fmt: skip
        .groupby(pd.arrays.IntegerArray(group, group < 0), sort=sort)
        .agg(
            n_sentences=("compound", "size"),
            tone=("compound", "mean"),
            share_positive=("_pos", "mean"),
            share_negative=("_neg", "mean"),
        )
    )
    stats.index = stats.index.to_numpy(dtype="int64")
    return stats.astype({"n_sentences": "int64"})


def sentence_tone(corpus_df: pd.DataFrame, *, jobs: int = 1, punkt=None) -> pd.DataFrame:
    """One row per sentence: ``[id, part, sentence_no, sentence, neg, neu, pos, compound]``.

    Sentences come from :func:`newslens.text.split_sentences` (the title is one unit, part
    ``"title"``; body sentences are numbered from 0), in (id, part, sentence_no) order.
    ``punkt`` optionally passes parameters from :func:`newslens.text.train_punkt`. With
    ``jobs`` > 1 splitting and scoring run in worker processes on chunks of articles, and with
    a dask scheduler as tasks per partition (:mod:`newslens.cluster`).
    Pieces without a letter or digit that VADER scores neutral (``...``, ``* * *`` separators)
    are not sentences and are left out (their ``sentence_no`` is skipped, not renumbered).

    >>> df = pd.DataFrame({"id": ["a"], "title": ["Talks fail"], "text": ["A good deal. A bad war."]})
    >>> sentence_tone(df)[["part", "sentence", "compound"]]
        part      sentence  compound
    0  title    Talks fail   -0.5423
    1   body  A good deal.    0.4404
    2   body    A bad war.   -0.8126
    """
    _check_jobs(jobs)
    _check_ids(corpus_df, "sentence_tone")
    docs = corpus_df[[c for c in ("id", "title", "text") if c in corpus_df.columns]]
    if len(docs) < 2 * _MIN_CHUNK and isinstance(cluster.current(jobs), cluster.Local):
        jobs = 1
    size = min(_MAX_CHUNK, max(_MIN_CHUNK, -(-len(docs) // (8 * int(jobs)))))
    parts = cluster.map_partitions(_tone_part, docs, step="sentence splitting and scoring", jobs=int(jobs), rows=size,
                                   punkt=punkt)  # fmt: skip
    if len(parts) == 1:
        return parts[0]
    out = pd.concat(parts, ignore_index=True)
    keys = pd.DataFrame({"id": out["id"], "body": out["part"] == "body", "no": out["sentence_no"]})
    order = keys.sort_values(["id", "body", "no"], kind="mergesort").index  # keys only: no copy of the text
    return out.take(order).reset_index(drop=True)


def article_tone(
    corpus_df: pd.DataFrame,
    *,
    include_title: bool = False,
    jobs: int = 1,
    punkt=None,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tone of each article from its sentences, one row per article ``id`` (sorted by id).

    Columns: ``id``, ``outlet`` and ``published`` (when present in ``corpus_df``),
    ``n_sentences``, ``tone`` (mean sentence compound), ``share_positive`` and
    ``share_negative`` (shares of sentences with compound >= 0.05 / <= -0.05). The title counts
    as a sentence only with ``include_title``. Articles without sentences are kept with
    ``n_sentences`` 0 and NaN tone and shares. ``sentences`` reuses a :func:`sentence_tone`
    result of the same corpus instead of splitting and scoring again.

    >>> df = pd.DataFrame({"id": ["a", "b"], "text": ["A good deal. A bad war. Talks.", "..."]})
    >>> article_tone(df).round(4)
      id  n_sentences    tone  share_positive  share_negative
    0  a            3 -0.1241          0.3333          0.3333
    1  b            0     NaN             NaN             NaN
    """
    _check_ids(corpus_df, "article_tone")
    scored = sentence_tone(corpus_df, jobs=jobs, punkt=punkt) if sentences is None else sentences
    (article, sentence), _ = _codes(corpus_df["id"], scored["id"])
    rows = np.ones(len(scored), dtype=bool) if include_title else (scored["part"] == "body").to_numpy()
    group = np.where(scored["id"].notna().to_numpy(), sentence, -1)[rows]
    per_article = _tone_by(group, scored["compound"][rows], sort=False).reindex(article).reset_index(drop=True)
    base = corpus_df[["id", *[c for c in _CARRY if c in corpus_df.columns]]].reset_index(drop=True)
    out = pd.concat([base, per_article], axis=1)
    out["n_sentences"] = out["n_sentences"].fillna(0).astype("int64")
    return out.take(np.argsort(article, kind="stable")).reset_index(drop=True)  # by id


def summarise_tone(
    tones: pd.DataFrame, by: Sequence[str] = ("outlet",), *, n_boot: int = 1000, seed: int = 0, min_n: int = 5
) -> pd.DataFrame:
    """Per group: articles, mean tone with its confidence interval, and mean shares of positive and negative sentences.

    Input: :func:`article_tone` output. Returns ``[*by, n, mean, ci_low, ci_high, reliable,
    share_positive, share_negative, n_sentences, n_unscored]`` sorted by ``by``: the first six
    as in :func:`newslens.aggregate.group_mean` over ``tone`` (``n`` counts articles with at
    least one sentence), then the mean article shares, the total number of sentences and the
    number of articles without sentences (not in ``n``).

    >>> t = pd.DataFrame({"outlet": ["A", "A", "B"], "tone": [0.2, 0.4, None], "n_sentences": [3, 1, 0],
    ...                   "share_positive": [0.5, 1.0, None], "share_negative": [0.0, 0.0, None]})
    >>> summarise_tone(t, min_n=2)[["outlet", "n", "mean", "share_positive", "n_sentences", "n_unscored"]]
      outlet  n  mean  share_positive  n_sentences  n_unscored
    0      A  2   0.3            0.75            4           0
    1      B  0   NaN             NaN            0           1
    """
    by = list(by)
    means = group_mean(tones, "tone", by, n_boot=n_boot, seed=seed, min_n=min_n)
    extra = tones.assign(_unscored=tones["tone"].isna()).groupby(by, sort=True, dropna=False).agg(
        share_positive=("share_positive", "mean"),
        share_negative=("share_negative", "mean"),
        n_sentences=("n_sentences", "sum"),
        n_unscored=("_unscored", "sum"),
    )
    out = means.merge(extra.reset_index(), on=by, how="left", validate="one_to_one")
    return out.astype({"n_sentences": "int64", "n_unscored": "int64"})


def article_tone_over_time(
    tones: pd.DataFrame,
    *,
    by: str = "outlet",
    period: Period = "week",
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = 5,
) -> pd.DataFrame:
    """Mean article tone per ``by`` group and period, with n and a confidence interval.

    Input: :func:`article_tone` output (with ``published``). Each article is placed in the
    ``period`` containing its date (weeks start on Monday) and averaged with
    :func:`newslens.aggregate.group_mean`: ``[by, period, n, mean, ci_low, ci_high, reliable]``
    sorted by group and period; ``n`` counts articles with a tone. Undated articles cannot be
    placed in time; their number is ``result.attrs["undated"]``.

    >>> t = pd.DataFrame({"id": ["a", "b", "c"], "outlet": ["X", "X", "X"], "tone": [0.2, 0.4, -0.5],
    ...                   "published": pd.to_datetime(["2024-09-02", "2024-09-04", None])})
    >>> out = article_tone_over_time(t, min_n=2)
    >>> out[["outlet", "period", "n", "mean", "reliable"]], out.attrs["undated"]
    (  outlet     period  n  mean  reliable
    0      X 2024-09-02  2   0.3      True, 1)
    """
    missing = [c for c in (by, "published", "tone") if c not in tones.columns]
    if missing:
        raise KeyError(f"article_tone_over_time: column(s) {missing} not in table (columns: {list(tones.columns)})")
    dated = tones[tones["published"].notna()]
    dated = dated.assign(period=period_start(dated["published"], period))
    out = group_mean(dated, "tone", [by, "period"], n_boot=n_boot, seed=seed, min_n=min_n)
    out.attrs["undated"] = int(len(tones) - len(dated))
    return out


def _leading(rows: np.ndarray, score: np.ndarray, group: np.ndarray, n_groups: int, depth: int):
    """Those of ``rows`` whose ``score`` (integers below ``len(score)``) is among the ``depth`` lowest
    distinct scores of their ``group``, and the groups that have more distinct scores than that."""
    width = len(score) + 1
    pair_group, pair_score = np.divmod(_distinct(group[rows] * width + score[rows]), width)
    within = _rank(pair_group)
    limit = np.full(n_groups, -1)
    np.maximum.at(limit, pair_group[within < depth], pair_score[within < depth])
    return rows[score[rows] <= limit[group[rows]]], pair_group[within == depth]


def _rank(ordered: np.ndarray) -> np.ndarray:
    """Place of each element among the equal ones in the sorted array ``ordered``, from 0."""
    return np.arange(len(ordered)) - np.searchsorted(ordered, ordered)


def _first_of_text(rows: np.ndarray, group: np.ndarray, position: np.ndarray, text: pd.Series) -> np.ndarray:
    """For each ``text`` and ``group`` of one of ``rows``: the row with that text in that group that
    comes first by ``position`` (over all rows of ``text``)."""
    same = np.flatnonzero(text.isin(text.iloc[rows]).to_numpy())
    (codes,), values = _codes(text.iloc[same], sort=False)
    key = group[same] * len(values) + codes
    order = np.lexsort((position[same], key))
    return same[order][_starts(key[order])]


def top_sentences(
    sentences: pd.DataFrame, corpus_df: pd.DataFrame, *, n: int = 5, by: str = "outlet", share: Policy | None = None
) -> pd.DataFrame:
    """The ``n`` most positive and most negative sentences per ``by`` group, with article titles.

    Input: a :func:`sentence_tone` table and the corpus (for ``by``, ``title``, ``published``).
    Returns ``[by, direction, rank, compound, sentence, title, published, id, part,
    sentence_no]``; direction is ``"positive"`` (highest compound first) or ``"negative"``
    (lowest first); only sentences beyond ±0.05 qualify. A sentence repeated verbatim within a
    group (boilerplate) is listed once, at its first article by id. Ties are broken by id, then
    title before body, then sentence number, so the table is deterministic.

    Under a derived sharing policy (``share``, see :mod:`newslens.share`) the sentence is left out
    and ``terms`` (its VADER lexicon words, in order, each once) takes its place; titles are cut.
    """
    if n < 1:
        raise ValueError(f"top_sentences: n must be >= 1, got {n!r}")
    carry = [c for c in (by, "title", "published") if c in corpus_df.columns]
    if by not in carry:
        raise KeyError(f"top_sentences: column {by!r} not in corpus (columns: {list(corpus_df.columns)})")
    (articles, ids), id_values = _codes(corpus_df["id"], sentences["id"])
    article = _lookup(articles, ids, "top_sentences: the ids of corpus_df")  # -1: not in the corpus
    (by_article, by_missing), by_values = _codes(corpus_df[by], _at(corpus_df[by], np.array([-1])))
    group = np.append(by_article, by_missing)[article]  # a sentence without an article is in the missing group
    (number,), number_values = _codes(sentences["sentence_no"])
    body = (sentences["part"] == "body").to_numpy()
    order = np.argsort(np.ravel_multi_index((ids, body, number), (len(id_values), 2, len(number_values))),
                       kind="stable")  # fmt: skip
    position = np.empty(len(order), dtype=np.intp)
    position[order] = np.arange(len(order))  # place in (id, title first, sentence number) order
    compound = sentences["compound"].to_numpy(dtype="float64", na_value=np.nan)
    (level,), levels = _codes(sentences["compound"])
    # Per direction, the sentences that qualify and a score for every sentence (its compound's rank, best 0).
    lists = {"positive": (np.flatnonzero(compound >= POSITIVE), len(levels) - 1 - level),
             "negative": (np.flatnonzero(compound <= NEGATIVE), level)}  # fmt: skip
    # A sentence repeated within a group counts at its first place only. Finding repeats means comparing
    # texts, so only the rows with the `depth` best scores of each group are checked; depth grows while
    # a group has fewer than n unrepeated sentences there and more scores (a repeat normally scores as
    # its original, so one round is enough).
    depth = n
    while True:
        heads = {d: _leading(rows, score, group, len(by_values), depth) for d, (rows, score) in lists.items()}
        first = _first_of_text(np.concatenate([rows for rows, _ in heads.values()]), group, position,
                               sentences["sentence"])  # fmt: skip
        kept = {d: rows[np.isin(rows, first)] for d, (rows, _) in heads.items()}
        if all((np.bincount(group[kept[d]], minlength=len(by_values))[more] >= n).all()
               for d, (_, more) in heads.items()):  # fmt: skip
            break
        depth *= 4
    picked = []
    for direction, (_, score) in lists.items():
        rows = kept[direction]
        rows = rows[np.lexsort((position[rows], score[rows], group[rows]))]
        rank = _rank(group[rows])
        rows, rank = rows[rank < n], rank[rank < n] + 1
        picked.append((rows, rank, np.full(len(rows), direction == "positive")))
    rows, rank, positive = (np.concatenate(parts) for parts in zip(*picked, strict=True))
    final = np.lexsort((rank, positive, group[rows]))  # by group, "negative" before "positive", rank
    rows, rank, positive = rows[final], rank[final], positive[final]
    missing = bool((article < 0).any())
    out = pd.concat(
        [_at(corpus_df[by], article[rows], missing=missing).rename(by),
         pd.Series(np.where(positive, "positive", "negative"), name="direction", dtype="str"),
         pd.Series(rank, name="rank", dtype="int64"),
         _take(sentences, ["compound", "sentence"], rows),
         *[_at(corpus_df[c], article[rows], missing=missing).rename(c) for c in ("title", "published") if c in carry],
         _take(sentences, ["id", "part", "sentence_no"], rows)],
        axis=1,
    )  # fmt: skip
    if share is None or not share.derived:
        return out
    lexicon = load_lexicon()
    terms = ["; ".join(dict.fromkeys(w for w in tokens(text) if w in lexicon)) for text in out["sentence"]]
    out.insert(out.columns.get_loc("sentence"), "terms", pd.Series(terms, index=out.index, dtype="str"))
    return share.table(out)


def vader_lexicon_dictionary() -> dictionary_engine.Dictionary:
    """VADER's lexicon as a two-category dictionary: valence > 0 → ``positive``, < 0 → ``negative``.

    Read from the installed ``vaderSentiment`` package. Only entries that are single word
    tokens for :func:`newslens.text.tokens` are kept (7,254 of 7,506); emoticons such as ``:-)``
    can never match a word token and are left out. Valence strength is ignored: every hit
    counts 1.

    >>> d = vader_lexicon_dictionary()
    >>> d.categories, "good" in d.patterns["positive"], "war" in d.patterns["negative"]
    (('positive', 'negative'), True, True)
    """
    positive: list[str] = []
    negative: list[str] = []
    for word, valence in load_lexicon().items():
        if tokens(word) != [word]:
            continue
        if valence > 0:
            positive.append(word)
        elif valence < 0:
            negative.append(word)
    return dictionary_engine.Dictionary.from_mapping(
        {"positive": positive, "negative": negative},
        name="vader-lexicon",
        description="VADER 3.3.2 lexicon words split by the sign of their valence",
    )


def dictionary_tone(
    corpus_df: pd.DataFrame,
    dictionary: dictionary_engine.Dictionary,
    *,
    negation: int = 3,
    positive: str = "positive",
    negative: str = "negative",
    include_title: bool = False,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Dictionary sentiment per article: hit counts and two net-tone measures.

    Counts with :func:`newslens.dictionary.count` on the body (title prepended with
    ``include_title``). With ``negation`` > 0 a hit within ``negation`` tokens after a negator
    flips polarity, as in Lexicoder: ``n_positive = positive + neg_negative`` and
    ``n_negative = negative + neg_positive``. A dictionary that brings its own negated-phrase
    categories ``neg_<positive>``/``neg_<negative>`` (the Lexicoder Sentiment Dictionary's
    ``neg_positive`` "not good" lists) needs ``negation=0``; their hits then move the word they
    contain to the other side: ``n_positive = positive − neg_positive + neg_negative`` and
    ``n_negative = negative − neg_negative + neg_positive`` (floored at 0).
    ``positive``/``negative`` name the dictionary's categories (e.g. ``POSITIVE``/``NEGATIVE``).
    Returns ``[id, outlet, published, n_positive, n_negative,
    n_tokens, tone_per_1000, tone_ratio]`` sorted by id, where
    ``tone_per_1000 = (n_positive − n_negative) / n_tokens · 1000`` (NaN without tokens) and
    ``tone_ratio = (n_positive − n_negative) / (n_positive + n_negative)`` (Lexicoder's net
    tone in [-1, 1], NaN without hits). ``counts`` reuses the counts ``[id, category, count,
    n_tokens]`` of the same text, dictionary and negation (:meth:`newslens.derived.Store.counts`).

    >>> d = dictionary_engine.Dictionary.from_mapping({"positive": ["good"], "negative": ["bad"]})
    >>> df = pd.DataFrame({"id": ["a"], "text": ["Good. Not bad. Bad idea."]})
    >>> dictionary_tone(df, d)[["n_positive", "n_negative", "n_tokens", "tone_ratio"]]
       n_positive  n_negative  n_tokens  tone_ratio
    0           2           1         5    0.333333
    """
    _check_ids(corpus_df, "dictionary_tone")
    for name in (positive, negative):
        check_choice("category", name, dictionary.categories)
    own_negation = [c for c in (f"neg_{positive}", f"neg_{negative}") if c in dictionary.categories]
    if own_negation and negation:
        raise ValueError(
            f"dictionary_tone: the dictionary has its own negation categories {own_negation}; "
            "pass negation=0 to use them instead of the negation window"
        )
    if counts is None:
        docs = corpus_df[[c for c in ("id", "title", "text") if c in corpus_df.columns]]
        parts = cluster.map_partitions(_count_part, docs, step="dictionary counts", dictionary=dictionary,
                                       negation=negation, include_title=include_title)  # fmt: skip
        counts = parts[0] if len(parts) == 1 else pd.concat(parts).sort_values("id", kind="mergesort",
                                                                                 ignore_index=True)  # fmt: skip
    (article, counted), _ = _codes(corpus_df["id"], counts["id"])  # integer ids: cheaper to pivot and join
    wide = counts[["category", "count"]].assign(id=counted).pivot(index="id", columns="category", values="count")
    first = _first(counted)
    n_tokens = counts["n_tokens"].iloc[first].set_axis(counted[first])

    def hits(category: str) -> pd.Series:
        return wide[category] if category in wide.columns else pd.Series(0, index=wide.index)

    neg_pos, neg_neg = hits(f"neg_{positive}"), hits(f"neg_{negative}")
    if own_negation:
        n_pos = (hits(positive) - neg_pos + neg_neg).clip(lower=0)
        n_neg = (hits(negative) - neg_neg + neg_pos).clip(lower=0)
    else:  # neg_* are the negation window's counts (all zero without negation)
        n_pos = hits(positive) + neg_neg
        n_neg = hits(negative) + neg_pos
    per_article = pd.DataFrame(
        {"n_positive": n_pos.astype("int64"), "n_negative": n_neg.astype("int64"), "n_tokens": n_tokens}
    )
    net = (per_article["n_positive"] - per_article["n_negative"]).astype("float64")
    toks = per_article["n_tokens"].astype("float64")
    hits_total = (per_article["n_positive"] + per_article["n_negative"]).astype("float64")
    per_article["tone_per_1000"] = (net / toks.where(toks > 0)) * 1000
    per_article["tone_ratio"] = net / hits_total.where(hits_total > 0)
    base = corpus_df[["id", *[c for c in _CARRY if c in corpus_df.columns]]].reset_index(drop=True)
    out = pd.concat([base, per_article.reindex(article).reset_index(drop=True)], axis=1)
    return out.take(np.argsort(article, kind="stable")).reset_index(drop=True)  # by id


def _count_part(part, dictionary: dictionary_engine.Dictionary, negation: int, include_title: bool) -> pd.DataFrame:
    rows = partitions.read(part, ("title", "text"))
    text = document_text(rows, part="title+text" if include_title else "text")
    return dictionary_engine.count(dictionary, rows[["id"]].assign(text=text.to_numpy()), negation=negation)


def actor_tone(
    sentence_tone_df: pd.DataFrame, mentions_df: pd.DataFrame, *, corpus_df: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Tone of the sentences that mention each actor, per article.

    ``mentions_df`` needs ``id``, ``part``, ``sentence_no`` and ``actor`` (one row per mention,
    as from :func:`newslens.actors.mentions`); a sentence mentioning an actor twice counts once.
    Returns ``[id, actor, n_sentences, tone, share_positive, share_negative]`` sorted by id and
    actor, plus ``outlet`` and ``published`` after ``id`` when ``corpus_df`` is given; aggregate
    further per outlet and period with :func:`newslens.aggregate.group_mean`.

    >>> sents = pd.DataFrame({"id": ["a", "a"], "part": ["body", "body"], "sentence_no": [0, 1],
    ...                       "compound": [0.5, -0.3]})
    >>> ments = pd.DataFrame({"id": ["a", "a", "a"], "part": ["body"] * 3, "sentence_no": [0, 0, 1],
    ...                       "actor": ["NATO", "NATO", "Kremlin"]})
    >>> actor_tone(sents, ments)[["id", "actor", "n_sentences", "tone"]]
      id    actor  n_sentences  tone
    0  a  Kremlin            1  -0.3
    1  a     NATO            1   0.5
    """
    keys = ["id", "part", "sentence_no"]
    for frame, name, cols in ((sentence_tone_df, "sentence_tone_df", [*keys, "compound"]),
                              (mentions_df, "mentions_df", [*keys, "actor"])):  # fmt: skip
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise KeyError(f"actor_tone: {name} lacks column(s) {missing} (columns: {list(frame.columns)})")
    frames = [sentence_tone_df, mentions_df, *([] if corpus_df is None else [corpus_df])]
    ids, id_values = _codes(*(frame["id"] for frame in frames))
    parts, part_values = _codes(sentence_tone_df["part"], mentions_df["part"])
    numbers, number_values = _codes(sentence_tone_df["sentence_no"], mentions_df["sentence_no"])
    dims = (len(id_values), len(part_values), len(number_values))
    sentence, mention = (np.ravel_multi_index((ids[k], parts[k], numbers[k]), dims) for k in (0, 1))
    row = _lookup(sentence, mention, "actor_tone: the sentence keys (id, part, sentence_no) of sentence_tone_df")
    (actor,), actor_values = _codes(mentions_df["actor"])
    n_actors = len(actor_values)
    found = np.flatnonzero(row >= 0)
    found = found[_first(row[found] * n_actors + actor[found])]  # a sentence counts once per actor
    known = (mentions_df["id"].notna() & mentions_df["actor"].notna()).to_numpy()[found]
    group = np.where(known, ids[1][found] * n_actors + actor[found], -1)  # (id, actor) in sorted order
    out = _tone_by(group, sentence_tone_df["compound"].iloc[row[found]], sort=True)
    article, actor = np.divmod(out.index.to_numpy(), n_actors)
    actor = pd.Series(actor_values.take(actor), name="actor").astype(mentions_df["actor"].dtype)
    stats = out.reset_index(drop=True)
    if corpus_df is None:
        article = pd.Series(id_values.take(article), name="id").astype(mentions_df["id"].dtype)
        return pd.concat([article, actor, stats], axis=1)
    row = _lookup(ids[2], article, "actor_tone: the ids of corpus_df")
    kept = row >= 0
    carry = ["id", *[c for c in _CARRY if c in corpus_df.columns]]
    return pd.concat([_take(corpus_df, carry, row[kept]), actor[kept].reset_index(drop=True),
                      stats[kept].reset_index(drop=True)], axis=1)  # fmt: skip


def actor_tone_over_time(
    actor_tones: pd.DataFrame,
    *,
    top: int = 6,
    period: Period = "week",
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = 5,
) -> pd.DataFrame:
    """Mean tone toward the ``top`` most-mentioned actors per period, with n and a confidence interval.

    Input: :func:`actor_tone` output with ``published`` (pass ``corpus_df``), one row per article
    and actor. The actors mentioned in the most articles are kept (ties: by name); each article's
    actor tone is placed in the ``period`` containing its date (weeks start on Monday) and
    averaged with :func:`newslens.aggregate.group_mean`. Returns ``[actor, period, n, mean,
    ci_low, ci_high, reliable]`` sorted by actor and period; ``n`` counts articles. Undated
    articles cannot be placed in time: their (article, actor) rows among the kept actors are
    counted in ``result.attrs["undated"]``.

    >>> t = pd.DataFrame({"id": ["a", "b", "b", "c"], "actor": ["NATO", "NATO", "Russia", "NATO"],
    ...                   "published": pd.to_datetime(["2024-09-02", "2024-09-04", "2024-09-04", "2024-09-10"]),
    ...                   "tone": [0.2, 0.4, -0.5, -0.1]})
    >>> actor_tone_over_time(t, top=1, min_n=2)[["actor", "period", "n", "mean", "reliable"]]
      actor     period  n  mean  reliable
    0  NATO 2024-09-02  2   0.3      True
    1  NATO 2024-09-09  1  -0.1     False
    """
    missing = [c for c in ("id", "actor", "published", "tone") if c not in actor_tones.columns]
    if missing:
        raise KeyError(f"actor_tone_over_time: column(s) {missing} not in table (columns: {list(actor_tones.columns)})")
    if isinstance(top, bool) or top < 1:
        raise ValueError(f"actor_tone_over_time: top must be at least 1, got {top!r}")
    actor, actors = pd.factorize(actor_tones["actor"], sort=True)
    article, ids = pd.factorize(actor_tones["id"])
    known = (actor >= 0) & (article >= 0)
    pairs = _distinct(actor[known] * len(ids) + article[known])  # each (actor, article) once
    articles = np.bincount(pairs // len(ids), minlength=len(actors))
    ranked = np.lexsort((np.arange(len(actors)), -articles))  # most articles first, ties by name
    chosen = actor_tones.loc[np.isin(actor, ranked[:top]), ["actor", "published", "tone"]]
    dated = chosen[chosen["published"].notna()]
    dated = dated.assign(period=period_start(dated["published"], period))
    out = group_mean(dated, "tone", ["actor", "period"], n_boot=n_boot, seed=seed, min_n=min_n)
    out.attrs["undated"] = int(len(chosen) - len(dated))
    return out


def compare_methods(vader_tones: pd.DataFrame, dictionary_tones: pd.DataFrame) -> pd.DataFrame:
    """Per-article VADER and dictionary tone side by side.

    Joins :func:`article_tone` and :func:`dictionary_tone` output on ``id``: returns ``[id,
    outlet, published, vader_tone, dictionary_per_1000, dictionary_ratio]`` (outlet and
    published when present), one row per article of ``vader_tones``, sorted by id.

    >>> v = pd.DataFrame({"id": ["a", "b"], "tone": [0.3, None]})
    >>> d = pd.DataFrame({"id": ["b", "a"], "tone_per_1000": [-5.0, 12.5], "tone_ratio": [-1.0, 0.5]})
    >>> compare_methods(v, d)
      id  vader_tone  dictionary_per_1000  dictionary_ratio
    0  a         0.3                 12.5               0.5
    1  b         NaN                 -5.0              -1.0
    """
    left = vader_tones[["id", *[c for c in _CARRY if c in vader_tones.columns], "tone"]].reset_index(drop=True)
    (vader_ids, dictionary_ids), _ = _codes(left["id"], dictionary_tones["id"])
    order = _unique_order(vader_ids, "compare_methods: the ids of vader_tones")
    row = _lookup(dictionary_ids, vader_ids, "compare_methods: the ids of dictionary_tones")
    out = pd.concat([left.rename(columns={"tone": "vader_tone"}),
                     _at(dictionary_tones["tone_per_1000"], row).rename("dictionary_per_1000"),
                     _at(dictionary_tones["tone_ratio"], row).rename("dictionary_ratio")], axis=1)  # fmt: skip
    return out.take(order).reset_index(drop=True)  # by id


def method_agreement(
    pairs: pd.DataFrame, *, x: str = "vader_tone", y: Sequence[str] = ("dictionary_per_1000", "dictionary_ratio")
) -> pd.DataFrame:
    """Correlation of one tone measure with others: ``[x, y, n, pearson_r, pearson_p, spearman_r, spearman_p]``.

    One row per column in ``y`` (e.g. :func:`compare_methods` output). Rows where either value
    is missing are left out (``n`` counts the pairs used); with fewer than 3 pairs or a constant
    column the correlations are NaN.

    >>> p = pd.DataFrame({"v": [0.1, 0.4, 0.2, None], "d": [1.0, 3.0, 2.5, 2.0]})
    >>> method_agreement(p, x="v", y=["d"]).round(3)
       x  y  n  pearson_r  pearson_p  spearman_r  spearman_p
    0  v  d  3      0.891        0.3         1.0         0.0
    """
    rows = []
    nan = float("nan")
    for col in [y] if isinstance(y, str) else list(y):
        both = pd.DataFrame({"x": pd.to_numeric(pairs[x]), "y": pd.to_numeric(pairs[col])}).dropna()
        n = len(both)
        if n < 3 or both["x"].nunique() < 2 or both["y"].nunique() < 2:
            r, rp, rho, rhop = nan, nan, nan, nan
        else:
            r, rp = stats.pearsonr(both["x"], both["y"])
            rho, rhop = stats.spearmanr(both["x"], both["y"])
        rows.append((x, col, n, float(r), float(rp), float(rho), float(rhop)))
    out = pd.DataFrame(rows, columns=["x", "y", "n", "pearson_r", "pearson_p", "spearman_r", "spearman_p"])
    return out.astype({"x": "str", "y": "str", "n": "int64"})
