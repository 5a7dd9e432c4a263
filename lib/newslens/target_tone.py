"""Target-dependent tone: VADER on the words of a sentence that concern one target (an actor mention).

The tone of "the sentences mentioning X" mixes three things: what the sentence says about X,
what it says about everything else, and what X says. :func:`target_tone` scores one target (a
character span of a sentence) and can leave the last two out:

* ``method`` chooses the words scored: the whole ``sentence`` (VADER's sentence compound, the
  tone of :func:`newslens.sentiment.actor_tone`), the ``clause`` around the target, or a
  ``window`` of whitespace tokens (VADER's own tokens) on each side of it.
* ``exclude_quotes`` leaves out reported speech found by :func:`newslens.quotes.extract` in the
  sentence: ``"target"`` the content of what the target itself says ("Lavrov said the talks
  had failed" is Lavrov's tone about the talks, not the tone towards Lavrov), ``"others"`` what
  other speakers say when it does not contain the target, ``"both"`` or ``"none"``. Speech
  about the target is always kept.
* ``mask_target`` leaves the target's own words out: a name is not a judgement of its bearer,
  but VADER scores "United States" +1.8 and "Great Britain" +3.1, and "Josh Earnest" or "Reality
  Winner" alike.
* ``straight_quotes`` reads curly quotation marks and apostrophes (“ ” „ « » ‘ ’) as straight
  ones. VADER strips only ASCII punctuation from a word, so in “Great job,” neither "great" nor
  "job," is found in its lexicon, and "don’t" does not negate; with straight marks both work.
  Each mark is one character either way, so offsets do not move.

Clauses (:func:`clause_spans`) come from rules, offline: sentences
(:func:`newslens.text.sentence_spans`; a news "sentence" may hold a headline and a sentence)
split at ``;``, ``?``, ``!`` and ``:``
(not between digits, as in 10:30), and optionally at the :data:`BOUNDARIES`: dashes and
brackets, commas (not in 1,000), the contrastive conjunctions of :data:`CONTRAST_WORDS` (but,
while, although ...) and relative pronouns (who, which ...). A relative clause right after the
target describes the target and stays in its clause ("Putin, who ..."). The boundary words
themselves are not scored: splitting at "but" gives two clauses without it, so VADER's
contrastive "but" rule (valences before "but" × 0.5, after it × 1.5) applies only inside a
clause that keeps its "but". Parts of the sentence left out (quotes, the target) are blanked
with spaces, which VADER's whitespace tokens do not see, so offsets never shift.

The defaults (``method="clause"`` with the ``split`` of :data:`DEFAULT_SPLIT`,
``exclude_quotes="both"``, ``mask_target=True``, ``straight_quotes=True``) are the choice made on
a development half of NewsMTSC train by ``bench/eval_newsmtsc.py``, where they beat the
sentence compound on the other half. :func:`newslens.sentiment.actor_tone` is unchanged; the
options :data:`SENTENCE_TONE` reproduce it here.

>>> s = "Critics praised the deal, but Smith called it a disaster."
>>> vader([s])["compound"].item()  # critics -1.2, praised 2.2 halved before "but"; disaster -3.1 × 1.5
-0.7311
>>> vader([scored_text(s, 0, 7, split=("contrast",))])["compound"].item()  # "praised the deal": 2.2 / √(2.2² + 15)
0.4939
>>> vader([scored_text(s, 30, 35, split=("contrast",))])["compound"].item()  # Smith's own words are left out
0.0
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, NamedTuple, get_args

import numpy as np
import pandas as pd

from newslens import actors as actors_module
from newslens import dictionary
from newslens.choices import check_choice
from newslens.quotes import extract
from newslens.sentiment import NEGATIVE, POSITIVE, vader
from newslens.text import TOKEN_RE, sentence_spans
from newslens.vader import FIELDS, score_many

__all__ = [
    "BOUNDARIES",
    "CONTRAST_WORDS",
    "DEFAULT_SPLIT",
    "EXCLUDE_QUOTES",
    "METHODS",
    "RELATIVE_WORDS",
    "SENTENCE_TONE",
    "Speech",
    "actor_targets",
    "actor_tone",
    "clause_spans",
    "scope",
    "scored_text",
    "speech_spans",
    "straighten",
    "target_tone",
]

Method = Literal["sentence", "clause", "window"]
METHODS: tuple[str, ...] = get_args(Method)
ExcludeQuotes = Literal["none", "target", "others", "both"]
EXCLUDE_QUOTES: tuple[str, ...] = get_args(ExcludeQuotes)
Boundary = Literal["dashes", "commas", "contrast", "relative"]
BOUNDARIES: tuple[str, ...] = get_args(Boundary)
"""Optional clause boundaries; sentence ends and ``; ? ! :`` always split."""

DEFAULT_SPLIT: tuple[str, ...] = ()
"""The clause boundaries chosen on NewsMTSC (``bench/eval_newsmtsc.py``): strong punctuation only."""
DEFAULT_WINDOW = 12
"""Whitespace tokens on each side of the target for ``method="window"``."""
SENTENCE_TONE: dict[str, object] = {"method": "sentence", "exclude_quotes": "none", "mask_target": False,
                                    "straight_quotes": False}  # fmt: skip
"""The options under which a target's tone is its sentence's VADER compound (:mod:`newslens.sentiment`)."""

CONTRAST_WORDS: tuple[str, ...] = ("but", "while", "whereas", "although", "though", "even though", "however",
                                   "even as")  # fmt: skip
"""Contrastive and concessive conjunctions that end a clause (``"yet"`` is left out: "not yet")."""
RELATIVE_WORDS: tuple[str, ...] = ("who", "whom", "whose", "which")
"""Relative pronouns that start a clause (``"that"`` is left out: it is mostly a complementiser)."""


def _words(words: Sequence[str]) -> str:
    longest_first = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in longest_first)


_STRONG = r"[;?!]|(?<!\d):(?!\d)"
_PATTERNS = {
    "dashes": r"[()\[\]]|[—―]|--|\s[-–]\s",
    "commas": r",(?!\d)",
    "contrast": rf",?\s*\b(?:{_words(CONTRAST_WORDS)})\b",
    "relative": rf",?\s*\b(?:{_words(RELATIVE_WORDS)})\b",
}
_STRAIGHT = str.maketrans(dict.fromkeys("“”„‟«»", '"') | dict.fromkeys("‘’‚‛", "'"))
_RELATIVE = re.compile(_PATTERNS["relative"], re.IGNORECASE)
_ONLY_COMMAS = re.compile(r"[\s,]*")
_WORD = re.compile(r"[^\W_]")
_VADER_TOKEN = re.compile(r"\S+")
_COMPILED: dict[tuple[str, ...], re.Pattern[str]] = {}


def _check_split(split: Sequence[str]) -> tuple[str, ...]:
    if isinstance(split, str):
        raise TypeError(f"split must be a sequence of boundary names, not the string {split!r}")
    for name in split:
        check_choice("split", name, BOUNDARIES)
    return tuple(b for b in BOUNDARIES if b in split)


def _boundary_re(split: tuple[str, ...]) -> re.Pattern[str]:
    if split not in _COMPILED:
        _COMPILED[split] = re.compile("|".join([_STRONG, *(_PATTERNS[b] for b in split)]), re.IGNORECASE)
    return _COMPILED[split]


@functools.lru_cache(maxsize=16384)
def _sentence_gaps(text: str) -> tuple[tuple[int, int], ...]:
    """The spans between the sentences of ``text`` (memoised: every target of a sentence asks)."""
    sents = sentence_spans(text)
    return tuple((a[1], b[0]) for a, b in zip(sents, sents[1:]))


def _boundaries(text: str, split: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans that separate clauses: sentence gaps and boundary matches, in text order."""
    return sorted([*(m.span() for m in _boundary_re(split).finditer(text)), *_sentence_gaps(text)])


def clause_spans(sentence: str, *, split: Sequence[str] = DEFAULT_SPLIT) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the clauses of ``sentence``, in order.

    Clauses are the text between boundaries (see the module notes), stripped of surrounding
    spaces; pieces without a letter or digit are left out. ``split`` adds boundaries from
    :data:`BOUNDARIES` to the sentence ends and ``; ? ! :`` that always split.

    >>> s = "Putin, who spoke first, was calm; NATO was not, but it said little."
    >>> [s[a:b] for a, b in clause_spans(s)]
    ['Putin, who spoke first, was calm', 'NATO was not, but it said little.']
    >>> [s[a:b] for a, b in clause_spans(s, split=("contrast", "relative"))]
    ['Putin', 'spoke first, was calm', 'NATO was not', 'it said little.']
    """
    split = _check_split(split)
    out, pos = [], 0
    for start, end in [*_boundaries(sentence, split), (len(sentence), len(sentence))]:
        if start >= pos:
            piece = sentence[pos:start]
            if _WORD.search(piece):
                lead = len(piece) - len(piece.lstrip())
                out.append((pos + lead, pos + len(piece.rstrip())))
        pos = max(pos, end)
    return out


def scope(
    sentence: str,
    start: int,
    end: int,
    *,
    method: Method = "clause",
    split: Sequence[str] = DEFAULT_SPLIT,
    window: int = DEFAULT_WINDOW,
) -> tuple[int, int]:
    """The span ``(lo, hi)`` of ``sentence`` scored for the target at ``[start, end)``.

    ``sentence``: the whole text. ``clause``: from the last boundary ending at or before
    ``start`` to the first starting at or after ``end`` (boundaries inside the target are
    ignored; a relative pronoun right after the target does not end its clause). ``window``:
    ``window`` whitespace tokens on each side of the tokens the target touches. The result
    always contains the target.

    >>> s = "Lavrov, who was smiling, said talks failed; Kyiv disagreed."
    >>> [s[slice(*scope(s, 0, 6, split=("relative",)))], s[slice(*scope(s, 44, 48))]]
    ['Lavrov, who was smiling, said talks failed', 'Kyiv disagreed.']
    >>> s[slice(*scope(s, 44, 48, method="window", window=1))]
    'failed; Kyiv disagreed.'
    """
    check_choice("method", method, METHODS)
    if method == "sentence":
        return 0, len(sentence)
    if method == "window":
        if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 0:
            raise ValueError(f"window must be a non-negative integer, got {window!r}")
        toks = [m.span() for m in _VADER_TOKEN.finditer(sentence)]
        touched = [k for k, (a, b) in enumerate(toks) if a < end and b > start]
        if not touched:
            return start, end
        lo, hi = max(0, touched[0] - window), min(len(toks) - 1, touched[-1] + window)
        return min(toks[lo][0], start), max(toks[hi][1], end)
    split = _check_split(split)
    lo, hi = 0, len(sentence)
    for a, b in _boundaries(sentence, split):
        if b <= start:
            lo = max(lo, b)
        elif a >= end:
            m = _RELATIVE.match(sentence, a) if "relative" in split else None
            if m is not None and m.end() == b and _ONLY_COMMAS.fullmatch(sentence, end, a):
                continue  # "Putin, who ...": the relative clause describes the target
            hi = a
            break
    while lo < start and sentence[lo].isspace():
        lo += 1
    while hi > end and sentence[hi - 1].isspace():
        hi -= 1
    return lo, hi


class Speech(NamedTuple):
    """Reported speech in a sentence: content ``[start, end)`` and the speaker's words (-1 when unnamed)."""

    start: int
    end: int
    speaker_start: int
    speaker_end: int


def speech_spans(
    sentences: Sequence[str], *, actors: dictionary.Dictionary | str | Path | None = None
) -> list[list[Speech]]:
    """The reported speech of each sentence, found by :func:`newslens.quotes.extract` on the sentence alone.

    >>> speech_spans(["“We will respond,” Lavrov said.", "No quotes here."])
    [[Speech(start=0, end=18, speaker_start=19, speaker_end=25)], []]
    """
    texts = [s if isinstance(s, str) else "" for s in sentences]
    out: list[list[Speech]] = [[] for _ in texts]
    if not texts:
        return out
    found = extract(pd.DataFrame({"id": np.arange(len(texts)), "text": texts}), actors=actors)
    named = found["speaker_start"].notna()
    s_start = found["speaker_start"].where(named, -1).astype("int64")
    s_end = found["speaker_end"].where(named, -1).astype("int64")
    for row, a, b, sa, sb in zip(found["id"], found["start"], found["end"], s_start, s_end, strict=True):
        out[int(row)].append(Speech(int(a), int(b), int(sa), int(sb)))
    return out


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def straighten(text: str) -> str:
    """Curly quotation marks and apostrophes (“ ” „ ‟ « » ‘ ’ ‚ ‛) as straight ones, one for one.

    >>> print(straighten("“Great job,” he said; he don’t"))
    "Great job," he said; he don't
    """
    return text.translate(_STRAIGHT)


def _scored(sentence, start, end, *, method, split, window, exclude_quotes, speech, mask_target, straight_quotes):
    """``(lo, hi, text)``: the scope and the text scored (see :func:`scored_text`)."""
    left_out: list[tuple[int, int]] = []
    if exclude_quotes != "none":
        if speech is None:
            speech = speech_spans([sentence])[0]
        for sp in speech:
            own = sp.speaker_start >= 0 and sp.speaker_start < end and start < sp.speaker_end
            about = sp.start < end and start < sp.end
            if (own and exclude_quotes in ("target", "both")) or (
                not own and not about and exclude_quotes in ("others", "both")
            ):
                # never blank the target itself (a speaker's content does not hold it, but be safe)
                pieces = ((sp.start, min(sp.end, start)), (max(sp.start, end), sp.end))
                left_out += [(a, b) for a, b in pieces if a < b]
    text = _blank(sentence, left_out)
    lo, hi = scope(text, start, end, method=method, split=split, window=window)
    if mask_target:
        text = _blank(text, [(start, end)])
    text = text[lo:hi]
    return lo, hi, straighten(text) if straight_quotes else text


def scored_text(
    sentence: str,
    start: int,
    end: int,
    *,
    method: Method = "clause",
    split: Sequence[str] = DEFAULT_SPLIT,
    window: int = DEFAULT_WINDOW,
    exclude_quotes: ExcludeQuotes = "both",
    speech: Sequence[Speech] | None = None,
    mask_target: bool = True,
    straight_quotes: bool = True,
) -> str:
    """The text VADER scores for the target at ``[start, end)`` of ``sentence`` (see the module notes).

    ``speech`` is the sentence's reported speech (:func:`speech_spans`; found here when None
    and ``exclude_quotes`` is not ``"none"``). Left-out speech and the masked target become
    spaces; the scope (:func:`scope`) is taken after the speech is left out, so punctuation
    inside left-out quotes does not split clauses.

    >>> s = "“This is a disaster,” Smith said of the good plan."
    >>> scored_text(s, 22, 27, method="sentence").split()
    ['said', 'of', 'the', 'good', 'plan.']
    >>> scored_text(s, 22, 27, **SENTENCE_TONE) == s
    True
    >>> scored_text(s, 22, 27, method="sentence", exclude_quotes="none")
    '"This is a disaster,"       said of the good plan.'
    """
    check_choice("exclude_quotes", exclude_quotes, EXCLUDE_QUOTES)
    return _scored(sentence, start, end, method=method, split=_check_split(split), window=window,
                   exclude_quotes=exclude_quotes, speech=speech, mask_target=mask_target,
                   straight_quotes=straight_quotes)[2]  # fmt: skip


def _integer(value) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if np.isfinite(number) and number == int(number) else None


def _locate(sentence, start, end, mention) -> tuple[int | None, int | None, str | None]:
    """Target offsets to use and the problem with the given ones (None when they are fine)."""
    if not isinstance(sentence, str):
        return None, None, "no sentence text"
    a, b = _integer(start), _integer(end)
    has_mention = isinstance(mention, str) and mention != ""
    valid = a is not None and b is not None and 0 <= a < b <= len(sentence)
    if valid and (not has_mention or sentence[a:b] == mention):
        return a, b, None
    given = f"offsets {start if a is None else a}:{end if b is None else b}"
    if has_mention:
        found = [m.start() for m in re.finditer(re.escape(mention), sentence)]
        if found:
            at = min(found, key=lambda k: (abs(k - a) if a is not None else 0, k))
            used = f"used its occurrence at {at}:{at + len(mention)}"
            return at, at + len(mention), f"{given} do not hold {mention!r}; {used}"
        if valid:
            return a, b, f"{mention!r} is not in the sentence; used {given} ({sentence[a:b]!r})"
    problem = f"{given} are not a span of the sentence ({len(sentence)} characters)"
    return None, None, f"{problem} and {mention!r} is not in it" if has_mention else problem


def target_tone(
    sentences_df: pd.DataFrame,
    targets_df: pd.DataFrame,
    *,
    on: str | Sequence[str] = "id",
    sentence_col: str = "sentence",
    method: Method = "clause",
    split: Sequence[str] = DEFAULT_SPLIT,
    window: int = DEFAULT_WINDOW,
    exclude_quotes: ExcludeQuotes = "both",
    mask_target: bool = True,
    straight_quotes: bool = True,
    actors: dictionary.Dictionary | str | Path | None = None,
) -> pd.DataFrame:
    """VADER scores of each target, from the words of its sentence that concern it.

    ``sentences_df`` has the key columns ``on`` (unique) and ``sentence_col``; ``targets_df``
    has ``on``, ``start`` and ``end`` (character offsets into the sentence, end exclusive) and
    optionally ``mention`` (the target's text, checked against the offsets). The options are
    those of :func:`scored_text`; ``actors`` is passed to :func:`newslens.quotes.extract`.
    Returns the columns of ``targets_df`` followed by ``scope_start, scope_end`` (the scored
    span), ``neg, neu, pos, compound`` and ``problem``, one row per target. Bad targets are
    kept: offsets that do not hold the mention are replaced by its nearest occurrence, and a
    target that cannot be placed (no such sentence, offsets outside it, an empty span) has no
    scores (NA); ``problem`` says what happened (NA when nothing did). Rows are sorted by
    ``on``, then by where the target lies (targets that cannot be placed last, in input order).

    >>> sents = pd.DataFrame({"id": ["a"], "sentence": ["Critics praised the deal, but Smith called it a disaster."]})
    >>> targets = pd.DataFrame({"id": ["a", "a", "a"], "start": [0, 30, 90], "end": [7, 35, 95]})
    >>> out = target_tone(sents, targets, split=("contrast",), exclude_quotes="none")
    >>> out[["start", "scope_start", "scope_end", "compound"]]
       start  scope_start  scope_end  compound
    0      0            0         24    0.4939
    1     30           30         57   -0.6249
    2     90         <NA>       <NA>       NaN
    >>> out["problem"].iloc[2]
    'offsets 90:95 are not a span of the sentence (57 characters)'
    """
    keys = [on] if isinstance(on, str) else list(on)
    check_choice("method", method, METHODS)
    check_choice("exclude_quotes", exclude_quotes, EXCLUDE_QUOTES)
    split = _check_split(split)
    for frame, name, cols in ((sentences_df, "sentences_df", [*keys, sentence_col]),
                              (targets_df, "targets_df", [*keys, "start", "end"])):  # fmt: skip
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise KeyError(f"target_tone: {name} lacks column(s) {missing} (columns: {list(frame.columns)})")
    if sentences_df[keys].duplicated().any():
        dup = sentences_df.loc[sentences_df[keys].duplicated(), keys].head(5).values.tolist()
        raise ValueError(f"target_tone: sentences_df has repeated keys {keys}: {dup}")
    lookup = sentences_df[[*keys, sentence_col]].rename(columns={sentence_col: "_sentence"})
    joined = targets_df[keys].merge(lookup, on=keys, how="left", validate="many_to_one", indicator="_found")
    sentences = joined["_sentence"].tolist()
    found = (joined["_found"] == "both").to_numpy()
    mentions = targets_df["mention"].tolist() if "mention" in targets_df.columns else [None] * len(targets_df)
    speech: dict[str, list[Speech]] = {}
    if exclude_quotes != "none":
        distinct = list(dict.fromkeys(s for s in sentences if isinstance(s, str)))
        speech = dict(zip(distinct, speech_spans(distinct, actors=actors), strict=True))
    texts: list[str | None] = []
    lows: list[int | None] = []
    highs: list[int | None] = []
    problems: list[str | None] = []
    located: list[tuple[int, int]] = []
    for sentence, start, end, mention, ok in zip(sentences, targets_df["start"], targets_df["end"], mentions, found,
                                                 strict=True):  # fmt: skip
        a, b, problem = _locate(sentence, start, end, mention) if ok else (None, None, "no sentence with this key")
        problems.append(problem)
        located.append((-1, -1) if a is None else (a, b))
        if a is None:
            texts.append(None)
            lows.append(None)
            highs.append(None)
            continue
        lo, hi, text = _scored(sentence, a, b, method=method, split=split, window=window,
                               exclude_quotes=exclude_quotes, speech=speech.get(sentence, []),
                               mask_target=mask_target, straight_quotes=straight_quotes)  # fmt: skip
        texts.append(text)
        lows.append(lo)
        highs.append(hi)
    scores = np.full((len(texts), 4), np.nan)
    placed = [k for k, t in enumerate(texts) if t is not None]
    if placed:
        scores[placed] = np.array(score_many([texts[k] for k in placed]), dtype="float64").reshape(-1, 4)
    out = targets_df.reset_index(drop=True).copy()
    out["scope_start"] = pd.array(lows, dtype="Int64")
    out["scope_end"] = pd.array(highs, dtype="Int64")
    for k, name in enumerate(FIELDS):
        out[name] = scores[:, k]
    out["problem"] = pd.Series(problems, dtype="str")
    # sorted by key, then where the target was placed (unplaced targets last), then input order
    where = np.array(located, dtype="int64").reshape(-1, 2)
    order = out[keys].assign(_unplaced=where[:, 0] < 0, _a=where[:, 0], _b=where[:, 1])
    order = order.sort_values([*keys, "_unplaced", "_a", "_b"], kind="mergesort").index
    return out.take(order).reset_index(drop=True)


# Upper-case "US" is the country, as newslens.actors reads it: its aliases match "U.S.".
_US = re.compile(r"(?<![^\W_])US(?![^\W_])")


def _token_spans(text: str) -> list[tuple[int, int]]:
    """Character spans in ``text`` of the tokens the actors dictionary matches (upper-case US as U.S.)."""
    shifts = [m.start() for m in _US.finditer(text)]
    rewritten = _US.sub("U.S.", text)
    starts = [p + 2 * k for k, p in enumerate(shifts)]  # where each "U.S." starts in the rewritten text

    def back(r: int) -> int:
        k = int(np.searchsorted(starts, r, side="right"))  # replacements starting at or before r
        if k and r < starts[k - 1] + 4:
            return shifts[k - 1] + min(r - starts[k - 1], 2)
        return r - 2 * k

    return [(back(m.start()), back(m.end())) for m in TOKEN_RE.finditer(rewritten)]


def actor_targets(
    sentences_df: pd.DataFrame,
    actors: dictionary.Dictionary | str | Path | None = None,
    *,
    id_cols: Sequence[str] = ("id", "part", "sentence_no"),
    text_col: str = "sentence",
    rollup: bool = False,
) -> pd.DataFrame:
    """Every actor mention as a target: ``[*id_cols, actor, start, end, mention]``.

    The alias matches of :func:`newslens.actors.alias_hits` (the mentions
    :func:`newslens.actors.mentions` counts), with character offsets into the sentence
    (``sentence[start:end] == mention``). With ``rollup`` leaders count as their ``group``.
    Rows follow the sentence table's order (title before body), then the mention's position.

    >>> sents = pd.DataFrame({"id": ["a"], "part": ["body"], "sentence_no": [0],
    ...                       "sentence": ["The US-led talks with Mr. Putin’s envoy failed."]})
    >>> actor_targets(sents)[["actor", "start", "end", "mention"]]
       actor  start  end  mention
    0     US      4    6       US
    1  Putin     26   33  Putin’s
    """
    id_cols = list(id_cols)
    actors_dict = actors_module.default_actors() if actors is None else (
        actors if isinstance(actors, dictionary.Dictionary) else dictionary.load(actors))  # fmt: skip
    hits = actors_module.alias_hits(sentences_df, actors_dict, id_cols=id_cols, text_col=text_col,
                                    where="actor_targets")  # fmt: skip
    names = actors_module.groups(actors_dict) if rollup else {a: a for a in actors_dict.categories}
    columns = [*id_cols, "actor", "start", "end", "mention"]
    if hits.empty:
        empty = sentences_df[id_cols].iloc[0:0].reset_index(drop=True)
        return empty.assign(actor=pd.Series(dtype="str"), start=pd.Series(dtype="int64"),
                            end=pd.Series(dtype="int64"), mention=pd.Series(dtype="str"))[columns]  # fmt: skip
    rows = sentences_df[[*id_cols, text_col]].reset_index(drop=True)
    rows = rows.assign(_row=np.arange(len(rows)))
    where = hits[id_cols].merge(rows, on=id_cols, how="left", validate="many_to_one")
    spans: dict[int, list[tuple[int, int]]] = {}
    starts, ends, texts = [], [], []
    for row, text, a, b in zip(where["_row"], where[text_col], hits["start"], hits["end"], strict=True):
        if row not in spans:
            spans[row] = _token_spans(text)
        lo, hi = spans[row][a][0], spans[row][b - 1][1]
        starts.append(lo)
        ends.append(hi)
        texts.append(text[lo:hi])
    out = hits[id_cols].assign(
        actor=hits["category"].map(names).astype("str"),
        start=np.array(starts, dtype="int64"),
        end=np.array(ends, dtype="int64"),
        mention=pd.Series(texts, dtype="str", index=hits.index),
        _row=where["_row"].to_numpy(),
    )
    out = out.sort_values(["_row", "start", "end"], kind="mergesort").drop(columns="_row")
    return out[columns].reset_index(drop=True)


def actor_tone(
    sentences_df: pd.DataFrame,
    *,
    actors: dictionary.Dictionary | str | Path | None = None,
    rollup: bool = False,
    corpus_df: pd.DataFrame | None = None,
    **options,
) -> pd.DataFrame:
    """Tone towards each actor per article, from the words that concern it (shaped as sentiment.actor_tone).

    ``sentences_df`` is a sentence table (``id, part, sentence_no, sentence``, e.g. from
    :func:`newslens.sentiment.sentence_tone`). Every mention (:func:`actor_targets`) is scored
    with :func:`target_tone` and its ``options``; a sentence mentioning an actor several times
    counts once, with the mean compound of its mentions. Returns ``[id, actor, n_sentences, tone, share_positive,
    share_negative]`` sorted by id and actor (shares at compound >= 0.05 / <= -0.05), plus
    ``outlet`` and ``published`` after ``id`` when ``corpus_df`` is given. With the options of
    :data:`SENTENCE_TONE` it is :func:`newslens.sentiment.actor_tone` of the sentences and
    their actor mentions. With the defaults the US gets no credit for the word "United" in its
    name and no blame for what it says itself.

    >>> sents = pd.DataFrame({"id": ["a"], "part": ["body"], "sentence_no": [0],
    ...                       "sentence": ["Putin praised the talks, but the United States called them a farce."]})
    >>> actor_tone(sents, **SENTENCE_TONE)["tone"].tolist()  # "United" 1.8 × 1.5 after "but"
    [0.3071, 0.3071]
    >>> actor_tone(sents, split=("contrast",), exclude_quotes="none")[["actor", "tone"]]
       actor    tone
    0  Putin  0.4939
    1     US -0.4019
    >>> actor_tone(sents, split=("contrast",))["tone"].tolist()  # what the US says is left out
    [0.4939, 0.0]
    """
    keys = ["id", "part", "sentence_no"]
    targets = actor_targets(sentences_df, actors, id_cols=keys, rollup=rollup)
    scored = target_tone(sentences_df, targets, on=keys, actors=actors, **options)
    per_sentence = scored.groupby([*keys, "actor"], sort=False)["compound"].mean().reset_index()
    compound = per_sentence["compound"]
    out = (
        per_sentence.assign(_pos=(compound >= POSITIVE).astype("float64"),
                            _neg=(compound <= NEGATIVE).astype("float64"))  # fmt: skip
        .groupby(["id", "actor"], sort=True)
        .agg(
            n_sentences=("compound", "size"),
            tone=("compound", "mean"),
            share_positive=("_pos", "mean"),
            share_negative=("_neg", "mean"),
        )
        .reset_index()
    )
    out["n_sentences"] = out["n_sentences"].astype("int64")
    if corpus_df is not None:
        carry = corpus_df[["id", *[c for c in ("outlet", "published") if c in corpus_df.columns]]]
        out = carry.merge(out, on="id", how="inner", validate="one_to_many")
        out = out.sort_values(["id", "actor"], kind="mergesort").reset_index(drop=True)
    return out
