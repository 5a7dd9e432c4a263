"""A faster, faithful port of VADER (``vaderSentiment`` 3.3.2).

Scores are identical to ``vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer.polarity_scores``
(the reference implementation by VADER's author) for every input string: same lexicons (read from
the installed ``vaderSentiment`` package), same constants (imported from it), same rules applied in
the same order with the same floating-point operations, including the reference's quirks (the
"but" rule's value-based re-indexing, ALL-CAPS emphasis on zero valences, "kind of").

It is faster because work the reference repeats for every word of every sentence is done once:

* per distinct whitespace token, a cached record holds the lower-case form of the
  punctuation-stripped word, its ``isupper()``, lexicon valence, booster value and whether it is
  a negator (the cache is emptied when it reaches 500,000 tokens, bounding memory);
* the reference rebuilds the lower-cased word list in each negation and idiom check (quadratic in
  sentence length); here it is built once per sentence;
* only lexicon words are visited; sentences without lexicon words return at once;
* emoji replacement runs only when a non-ASCII text contains an emoji character (a set test in C).

>>> analyzer = Vader()
>>> analyzer.polarity_scores("The book was only kind of good.")
{'neg': 0.0, 'neu': 0.697, 'pos': 0.303, 'compound': 0.3832}
>>> analyzer.scores(["Not bad at all", ""])
[(0.0, 0.513, 0.487, 0.431), (0.0, 0.0, 0.0, 0.0)]
"""

from __future__ import annotations

import functools
import math
import string
from collections.abc import Iterable, Sequence
from importlib.resources import files
from itertools import compress
from operator import itemgetter

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
)

from newslens.parallel import process_pool

__all__ = ["Vader", "shared_analyzer", "score_many", "load_lexicon", "FIELDS"]

FIELDS = ("neg", "neu", "pos", "compound")

_PUNCT = string.punctuation
_NEGATE = frozenset(NEGATE)
# Every word that occurs in a multi-word special case or booster phrase: an idiom check can only
# change a valence when one of the words it looks at is in this set.
_IDIOM_WORDS = frozenset(w for key in (*SPECIAL_CASES, *BOOSTER_DICT) if " " in key for w in key.split(" "))
_CACHE_LIMIT = 500_000

# Positions in a token record.
_LOW, _UPPER, _IN_LEX, _CAND, _BOOST, _NEG, _SCORES = range(7)
_low, _upper, _scores = itemgetter(_LOW), itemgetter(_UPPER), itemgetter(_SCORES)


def _read_package_file(name: str) -> str:
    # codecs.open in the reference reads in binary mode: no newline translation, BOM kept.
    return files("vaderSentiment").joinpath(name).read_bytes().decode("utf-8")


def load_lexicon() -> dict[str, float]:
    """VADER's word -> valence lexicon, read from the installed ``vaderSentiment`` package."""
    lexicon: dict[str, float] = {}
    for line in _read_package_file("vader_lexicon.txt").rstrip("\n").split("\n"):
        if not line:
            continue
        word, measure = line.strip().split("\t")[0:2]
        lexicon[word] = float(measure)
    return lexicon


def _load_emojis() -> dict[str, str]:
    emojis: dict[str, str] = {}
    for line in _read_package_file("emoji_utf8_lexicon.txt").rstrip("\n").split("\n"):
        emoji, description = line.strip().split("\t")[0:2]
        emojis[emoji] = description
    return emojis


class _TokenCache(dict):
    """Raw whitespace token -> record tuple (see the ``_LOW`` ... ``_SCORES`` positions)."""

    def __init__(self, lexicon: dict[str, float]):
        super().__init__()
        self.lexicon = lexicon

    def __missing__(self, token: str) -> tuple:
        stripped = token.strip(_PUNCT)
        word = token if len(stripped) <= 2 else stripped
        low = word.lower()
        in_lex = low in self.lexicon
        boost = BOOSTER_DICT.get(low)
        # A word scores only when it is in the lexicon and not a booster (boosters score 0).
        cand = self.lexicon[low] if in_lex and boost is None else None
        low2 = low.lower()
        negator = low2 in _NEGATE or "n't" in low2
        record = (low, word.isupper(), in_lex, cand, boost, negator, cand is not None)
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[token] = record
        return record


class Vader:
    """VADER sentence scorer with the reference's results and a per-token cache.

    >>> Vader().polarity_scores("VADER is VERY SMART, handsome, and FUNNY!!!")["compound"]
    0.9342
    """

    def __init__(self) -> None:
        self.lexicon = load_lexicon()
        self.emojis = _load_emojis()
        self._emoji_chars = frozenset(k for k in self.emojis if len(k) == 1)
        self._tokens = _TokenCache(self.lexicon)

    def polarity_scores(self, text: str) -> dict[str, float]:
        """Scores of one text as the reference's dict ``{neg, neu, pos, compound}``."""
        return dict(zip(FIELDS, self.score(text)))

    def scores(self, texts: Iterable[str]) -> list[tuple[float, float, float, float]]:
        """``(neg, neu, pos, compound)`` for each text, in order."""
        score = self.score
        return [score(t) for t in texts]

    def _replace_emojis(self, text: str) -> str:
        emojis = self.emojis
        out = []
        prev_space = True
        for ch in text:
            if ch in emojis:
                if not prev_space:
                    out.append(" ")
                out.append(emojis[ch])
                prev_space = False
            else:
                out.append(ch)
                prev_space = ch == " "
        return "".join(out)

    def score(self, text: str) -> tuple[float, float, float, float]:
        """``(neg, neu, pos, compound)`` of one text, rounded as the reference rounds."""
        if not text.isascii() and not self._emoji_chars.isdisjoint(text):
            text = self._replace_emojis(text)
        # The reference strips surrounding whitespace here; split() and the counts of "!" and "?"
        # below are the same without it, so the copy is skipped.
        cache = self._tokens
        infos = list(map(cache.__getitem__, text.split()))
        n = len(infos)
        if n == 0:
            return (0.0, 0.0, 0.0, 0.0)
        cands = list(compress(range(n), map(_scores, infos)))
        if not cands:
            return (0.0, 1.0, 0.0, 0.0)
        n_upper = sum(map(_upper, infos))
        is_cap_diff = 0 < n - n_upper < n
        lows = list(map(_low, infos))
        sentiments: list = [0] * n
        for i in cands:
            x = infos[i]
            low = lows[i]
            if low == "kind" and i < n - 1 and lows[i + 1] == "of":
                continue
            lexval = x[_CAND]
            valence = lexval
            if low == "no" and i != n - 1 and infos[i + 1][_IN_LEX]:
                valence = 0.0
            if (
                (i > 0 and lows[i - 1] == "no")
                or (i > 1 and lows[i - 2] == "no")
                or (i > 2 and lows[i - 3] == "no" and lows[i - 1] in ("or", "nor"))
            ):
                valence = lexval * N_SCALAR
            if x[_UPPER] and is_cap_diff:
                if valence > 0:
                    valence += C_INCR
                else:
                    valence -= C_INCR
            # The reference's loop over the three preceding words, unrolled: a preceding word
            # that is not a lexicon word may boost/dampen (scaled by distance) and negate.
            if i > 0:
                y = infos[i - 1]
                if not y[_IN_LEX]:
                    boost = y[_BOOST]
                    s = 0.0 if boost is None else _scalar(boost, valence, y[_UPPER] and is_cap_diff)
                    valence = valence + s
                    if y[_NEG]:
                        valence = valence * N_SCALAR
            if i > 1:
                y = infos[i - 2]
                if not y[_IN_LEX]:
                    boost = y[_BOOST]
                    s = 0.0 if boost is None else _scalar(boost, valence, y[_UPPER] and is_cap_diff)
                    if s != 0:
                        s = s * 0.95
                    valence = valence + s
                    w2, w1 = lows[i - 2], lows[i - 1]
                    if w2 == "never" and (w1 == "so" or w1 == "this"):
                        valence = valence * 1.25
                    elif w2 == "without" and w1 == "doubt":
                        pass
                    elif y[_NEG]:
                        valence = valence * N_SCALAR
            if i > 2:
                y = infos[i - 3]
                if not y[_IN_LEX]:
                    boost = y[_BOOST]
                    s = 0.0 if boost is None else _scalar(boost, valence, y[_UPPER] and is_cap_diff)
                    if s != 0:
                        s = s * 0.9
                    valence = valence + s
                    w3, w2, w1 = lows[i - 3], lows[i - 2], lows[i - 1]
                    if (w3 == "never" and (w2 == "so" or w2 == "this")) or (w1 == "so" or w1 == "this"):
                        valence = valence * 1.25
                    elif w3 == "without" and (w2 == "doubt" or w1 == "doubt"):
                        pass
                    elif y[_NEG]:
                        valence = valence * N_SCALAR
                    valence = self._idioms(valence, lows, i, n)
            if i > 1 and not infos[i - 1][_IN_LEX] and lows[i - 1] == "least":
                if lows[i - 2] != "at" and lows[i - 2] != "very":
                    valence = valence * N_SCALAR
            elif i > 0 and not infos[i - 1][_IN_LEX] and lows[i - 1] == "least":
                valence = valence * N_SCALAR
            sentiments[i] = valence
        if "but" in lows:
            _but(sentiments, lows.index("but"))
        return _summarise(sentiments, cands, text)

    @staticmethod
    def _idioms(valence: float, lows: list[str], i: int, n: int) -> float:
        w3, w2, w1, w0 = lows[i - 3], lows[i - 2], lows[i - 1], lows[i]
        if not (w0 in _IDIOM_WORDS or w1 in _IDIOM_WORDS or w2 in _IDIOM_WORDS or w3 in _IDIOM_WORDS):
            return valence
        onezero = f"{w1} {w0}"
        twoonezero = f"{w2} {w1} {w0}"
        twoone = f"{w2} {w1}"
        threetwoone = f"{w3} {w2} {w1}"
        threetwo = f"{w3} {w2}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in SPECIAL_CASES:
                valence = SPECIAL_CASES[seq]
                break
        if n - 1 > i:
            zeroone = f"{w0} {lows[i + 1]}"
            if zeroone in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroone]
        if n - 1 > i + 1:
            zeroonetwo = f"{w0} {lows[i + 1]} {lows[i + 2]}"
            if zeroonetwo in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in BOOSTER_DICT:
                valence = valence + BOOSTER_DICT[n_gram]
        return valence


def _scalar(boost: float, valence: float, caps_emphasis: bool) -> float:
    """The reference's ``scalar_inc_dec`` for a booster word with value ``boost``."""
    scalar = boost
    if valence < 0:
        scalar *= -1
    if caps_emphasis:
        if valence > 0:
            scalar += C_INCR
        else:
            scalar -= C_INCR
    return scalar


def _but(sentiments: list, bi: int) -> None:
    """The reference's contrastive-"but" rule, in place, including its value-based indexing.

    The reference walks the list and looks each value up again with ``list.index`` (first equal
    value), so repeated values are rescaled at their first occurrence; kept as is for identity.
    """
    for sentiment in sentiments:
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments[si] = sentiment * 0.5
        elif si > bi:
            sentiments[si] = sentiment * 1.5


def _summarise(sentiments: list, cands: list[int], text: str) -> tuple[float, float, float, float]:
    # Only candidate (lexicon) positions can be non-zero, also after the "but" rule.
    sum_s = float(sum(sentiments))
    ep_count = text.count("!")
    if ep_count > 4:
        ep_count = 4
    ep_amplifier = ep_count * 0.292
    qm_count = text.count("?")
    qm_amplifier = 0
    if qm_count > 1:
        qm_amplifier = qm_count * 0.18 if qm_count <= 3 else 0.96
    punct = ep_amplifier + qm_amplifier
    if sum_s > 0:
        sum_s += punct
    elif sum_s < 0:
        sum_s -= punct
    compound = sum_s / math.sqrt((sum_s * sum_s) + 15)
    if compound < -1.0:
        compound = -1.0
    elif compound > 1.0:
        compound = 1.0
    pos_sum = 0.0
    neg_sum = 0.0
    neu_count = len(sentiments) - len(cands)
    for i in cands:
        s = sentiments[i]
        if s > 0:
            pos_sum += float(s) + 1
        if s < 0:
            neg_sum += float(s) - 1
        if s == 0:
            neu_count += 1
    if pos_sum > math.fabs(neg_sum):
        pos_sum += punct
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= punct
    total = pos_sum + math.fabs(neg_sum) + neu_count
    return (
        round(math.fabs(neg_sum / total), 3),
        round(math.fabs(neu_count / total), 3),
        round(math.fabs(pos_sum / total), 3),
        round(compound, 4),
    )


@functools.cache
def shared_analyzer() -> Vader:
    """This process's analyzer, created on first use (lexicons loaded and token cache kept once)."""
    return Vader()


# The analyzer a score_many worker process uses, when the caller gave one (set once per worker).
_worker_analyzer: Vader | None = None


def _set_worker_analyzer(analyzer: Vader | None) -> None:
    global _worker_analyzer
    _worker_analyzer = analyzer


def _worker_scores(texts: list[str]) -> list[tuple[float, float, float, float]]:
    return (_worker_analyzer or shared_analyzer()).scores(texts)


def score_many(
    texts: Sequence[str], *, jobs: int = 1, chunk_size: int = 4000, analyzer: Vader | None = None
) -> list[tuple[float, float, float, float]]:
    """Score many texts, optionally in ``jobs`` worker processes (chunked, order kept).

    Inputs shorter than two chunks are scored in this process whatever ``jobs`` says: starting
    workers would cost more than it saves. ``analyzer`` scores every text, in this process or
    (a copy sent once to each worker) in the workers; without it each process uses its shared
    analyzer (:func:`shared_analyzer`). Workers are spawned (:mod:`newslens.parallel`).

    >>> score_many(["good", "bad"], jobs=2)
    [(0.0, 0.0, 1.0, 0.4404), (1.0, 0.0, 0.0, -0.5423)]
    """
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs!r}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    if jobs == 1 or len(texts) < 2 * chunk_size:
        return (analyzer or shared_analyzer()).scores(texts)
    chunks = [list(texts[k : k + chunk_size]) for k in range(0, len(texts), chunk_size)]
    with process_pool(jobs, initializer=_set_worker_analyzer, initargs=(analyzer,)) as pool:
        results = pool.map(_worker_scores, chunks)
        return [row for chunk in results for row in chunk]
