"""Bigram collocations: association measures side by side, computed by NLTK.

PMI favours rare, exclusive pairs; log-likelihood (G²) and the t-score favour frequent, reliable
ones; chi² sits between. A frequency floor (``min_freq``) keeps PMI from ranking one-off pairs
first. Bigrams never cross the title/body boundary or an article boundary; word frequencies
include stopwords, and a bigram containing a stopword is dropped afterwards (``stopwords=True``).

>>> import pandas as pd
>>> df = pd.DataFrame({"id": list("abc"), "title": "", "text": [
...     "Putin warned of red lines.", "Red lines were crossed.", "No red lines, said Kyiv."]})
>>> collocations(df, min_freq=2)[["bigram", "freq"]].values.tolist()
[['red lines', 3]]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Literal, get_args

import pandas as pd
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from nltk.probability import FreqDist

from newslens.choices import check_choice
from newslens.corpus import document_parts
from newslens.text import STOPWORDS, tokens

Measure = Literal["pmi", "llr", "t", "chi2"]
MEASURES: tuple[str, ...] = get_args(Measure)
_NLTK = {
    "pmi": BigramAssocMeasures.pmi,
    "llr": BigramAssocMeasures.likelihood_ratio,
    "t": BigramAssocMeasures.student_t,
    "chi2": BigramAssocMeasures.chi_sq,
}


def _units(corpus_df: pd.DataFrame) -> Iterator[list[str]]:
    for field in document_parts(corpus_df):
        for value in field.tolist():
            toks = tokens(value, lower=True)
            if toks:
                yield toks


def pair_counts(corpus_df: pd.DataFrame) -> pd.DataFrame:
    """Word and adjacent-pair frequencies of the lower-cased titles and texts: ``[w1, w2, count]``,
    ``w2`` empty for a word's own count. Counts of parts of a corpus add up to the whole's.

    >>> pair_counts(pd.DataFrame({"title": [""], "text": ["Red lines, red lines"]})).values.tolist()
    [['red', '', 2], ['lines', '', 2], ['red', 'lines', 2], ['lines', 'red', 1]]
    """
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for toks in _units(corpus_df):
        words.update(toks)
        pairs.update(zip(toks, toks[1:]))
    rows = [(w, "", n) for w, n in words.items()] + [(a, b, n) for (a, b), n in pairs.items()]
    return pd.DataFrame(rows, columns=["w1", "w2", "count"]).astype({"w1": "str", "w2": "str", "count": "int64"})


def bigram_finder(
    corpus_df: pd.DataFrame, *, min_freq: int = 3, stopwords: bool = True, counts: pd.DataFrame | None = None
) -> BigramCollocationFinder:
    """NLTK finder over the lower-cased tokens of every title and text, filtered as documented above.

    ``counts`` reuses :func:`pair_counts` of the same articles (summed over chunks of them).
    """
    if min_freq < 1:
        raise ValueError(f"min_freq must be >= 1, got {min_freq}")
    if counts is None:
        finder = BigramCollocationFinder.from_documents(_units(corpus_df))
    else:
        single = counts["w2"] == ""
        word_fd = FreqDist(dict(zip(counts.loc[single, "w1"], counts.loc[single, "count"].astype(int))))
        pair_fd = FreqDist(dict(zip(zip(counts.loc[~single, "w1"], counts.loc[~single, "w2"]),
                                    counts.loc[~single, "count"].astype(int))))  # fmt: skip
        finder = BigramCollocationFinder(word_fd, pair_fd)
    finder.apply_freq_filter(min_freq)
    if stopwords:
        finder.apply_word_filter(lambda w: w in STOPWORDS)
    return finder


def collocations(
    corpus_df: pd.DataFrame,
    *,
    measure: Measure = "llr",
    min_freq: int = 3,
    stopwords: bool = True,
    top_n: int | None = None,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Bigrams with their frequency and PMI, log-likelihood, t-score and chi², ranked by ``measure``.

    Returns ``w1, w2, bigram, freq, pmi, llr, t, chi2`` sorted by ``measure`` (descending), then
    by the bigram (NLTK's own order), at most ``top_n`` rows. ``counts`` reuses :func:`pair_counts`
    of the same articles (:meth:`newslens.derived.Store.pair_counts`).
    """
    check_choice("measure", measure, MEASURES)
    finder = bigram_finder(corpus_df, min_freq=min_freq, stopwords=stopwords, counts=counts)
    scores = {name: dict(finder.score_ngrams(fn)) for name, fn in _NLTK.items()}
    pairs = list(scores[measure])
    frame = pd.DataFrame(
        {
            "w1": [p[0] for p in pairs],
            "w2": [p[1] for p in pairs],
            "bigram": [f"{p[0]} {p[1]}" for p in pairs],
            "freq": [finder.ngram_fd[p] for p in pairs],
            **{name: [scores[name][p] for p in pairs] for name in MEASURES},
        },
        columns=["w1", "w2", "bigram", "freq", *MEASURES],
    ).astype({"w1": "str", "w2": "str", "bigram": "str", "freq": "int64", **{m: "float64" for m in MEASURES}})
    frame = frame.sort_values([measure, "w1", "w2"], ascending=[False, True, True], ignore_index=True)
    return frame if top_n is None else frame.head(top_n)
