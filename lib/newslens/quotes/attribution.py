"""Attribution: who said each quote, and reported speech, from rules on sentences and tokens.

The patterns, on :func:`newslens.text.sentence_spans` sentences and word tokens of
:data:`newslens.text.TOKEN_PATTERN` (punctuation marks are tokens too), in this order:

1. a quote and the attribution in its sentence: ``“…,” X said`` / ``“…,” said X`` /
   ``“…,” according to X`` (words before the quote make it ``mixed``: ``The West is “playing with
   fire,” X said``); ``X said: “…”``, ``X told reporters on Monday that “…”``, ``According to X,
   “…”``, also when ``X said:`` ends the sentence or paragraph before; ``X continued: “…”`` and
   ``Republican pollster X: “…”`` (a name before a colon); ``“A,” X said, “B.”`` gives both
   parts to X;
2. reported speech around the other speech verbs: ``X said (that) …``, ``X warned …``,
   ``…, X said.``, ``…, said X.``, ``Clinton, a top aide said, “…”``, ``according to X, …``,
   ``…, according to X.``, participles and "and" verbs with their clause's subject
   (``X said, adding that …``); a quote inside the reported clause makes it ``mixed`` instead of a
   row of its own;
3. a quote with no attribution in its sentence: if the next sentence is just ``X said (…)`` it
   names the speaker; else a fully quoted sentence (up to three words may lead in: "Now, “…”")
   after an attributed sentence is a floating quote and inherits that attribution; else a next
   sentence opening with ``X said …`` names it; any other quote of
   :data:`MIN_UNATTRIBUTED_WORDS` words or more is kept without a speaker (shorter ones are scare
   quotes and titles: “red lines”).

A speaker phrase is a pronoun or up to 12 words with a name, a title or a role word
(``data/speakers_en.yml``), with an apposition between commas ("X, the Kremlin spokesman, said").
The speech verbs are the editable list ``data/speech_verbs_en.txt`` (:data:`SPEECH_VERBS`;
capitalised forms are names, not verbs: "Secretary of State Blinken"). A verb after "was", "is"
... (``he was told``) or a determiner (``the said treaty``) is no cue.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from importlib import resources
from itertools import accumulate, compress

from newslens.quotes.marks import quote_spans
from newslens.quotes.speakers import PRONOUNS, ROLE_WORDS
from newslens.text import ABBREVIATIONS, STOPWORDS, TOKEN_PATTERN

__all__ = ["SPEECH_VERBS", "QUOTE_ONLY_VERBS", "MIN_UNATTRIBUTED_WORDS", "Raw", "attributions"]

MIN_UNATTRIBUTED_WORDS = 12
"""A quote nobody is named for is kept when it has at least this many words."""


def _speech_verbs() -> tuple[dict[str, str], frozenset[str]]:
    text = resources.files("newslens").joinpath("data", "speech_verbs_en.txt").read_text(encoding="utf-8")
    forms: dict[str, str] = {}
    quote_only: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        starred = line.startswith("*")
        words = [" ".join(w.split()).lower() for w in line.lstrip("*").split(",")]
        if any(not w for w in words):
            raise ValueError(f"data/speech_verbs_en.txt:{number}: empty form in {line!r}")
        for word in words:
            forms.setdefault(word, words[0])
            if starred:
                quote_only.add(word)
    return forms, frozenset(quote_only)


SPEECH_VERBS, QUOTE_ONLY_VERBS = _speech_verbs()
SPEECH_VERBS: dict[str, str]
"""Every inflected form of the speech verbs -> its base form (``"said" -> "say"``)."""
QUOTE_ONLY_VERBS: frozenset[str]
"""Forms that introduce a quotation but never reported speech (``continued``)."""

_TELL = frozenset({"tell", "inform", "assure", "reassure", "brief", "remind"})  # verbs with an addressee


_SINGLE_CUES = frozenset(form for form in SPEECH_VERBS if " " not in form)
_MULTI_CUES: dict[str, list[tuple[str, ...]]] = {}  # first word -> the following words of multi-word cues
for _form in sorted(SPEECH_VERBS, key=len, reverse=True):
    if " " in _form:
        _MULTI_CUES.setdefault(_form.split()[0], []).append(tuple(_form.split()[1:]))
_MULTI_CUES.setdefault("according", []).append(("to",))


_SPLIT_RE = re.compile(f"({TOKEN_PATTERN}|[^\\w\\s])")
# The same tokens for a text without "_" (where \w is TOKEN_PATTERN's [^\W_]), found faster:
# the dotted-abbreviation branch is tried only before a dot.
_SPLIT_NO_UNDERSCORE_RE = re.compile(r"((?=\w\.)(?<!\w)[^\W\d_](?:\.[^\W\d_])+(?!\w)"
                                     r"|\w+(?:['\u2019\-\u2010\u2011]\w+)*|[^\w\s])")  # fmt: skip
_WORD_START = re.compile(r"[^\W_]")
_LINE_BREAK = re.compile(r"\n")

# Words that may sit between a speaker and the verb ("Lavrov also said", "he has repeatedly warned").
_GAP = frozenset("also later then again further earlier previously repeatedly once has had have would will "
                 "could can may might must should did does do not never just recently reportedly publicly "
                 "privately separately simply only already often subsequently initially first "
                 "quickly flatly bluntly".split())  # fmt: skip
_QUOTED_AS = frozenset((aux, "quoted", "as") for aux in ("was", "is", "were", "been"))  # "X was quoted as saying"
# Lower-case function words allowed inside a speaker phrase ("the head of the agency").
_INNER = frozenset({"the", "a", "an", "of", "for", "at", "in", "from", "to", "and", "his", "her", "their", "its", "our",
                    "those", "these", "this", "several", "some", "many", "other", "each"})  # fmt: skip
_OPENERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "one", "two", "three", "several",
                      "some", "many", "another", "other", "senior", "top", "former", "both", "this", "these",
                      "those", "each"})  # fmt: skip
_EDGE = frozenset({"and", "of", "for", "at", "in", "from", "to"})  # never first or last in a speaker phrase
_PASSIVE = frozenset({"was", "were", "is", "are", "be", "been", "being", "am", "get", "got", "gets"})
_NO_SUBJECT = frozenset({"there", "that", "what", "which", "who", "whom", "as", "if"})
_NOT_SPEAKERS = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday tonight "
                          "earlier later last next on in at during after before while when since "
                          "by with to for from of into over about".split())  # fmt: skip
_PREPOSITIONS = frozenset("in on at during after before from to with by for over about into through "
                          "under since while as".split())  # fmt: skip
_VERBAL = _PASSIVE | frozenset("has have had will would can could should did does do may might must".split())
_CONTRACTED = re.compile("['’](?:s|ve|d|ll)$")
_DEMONSTRATIVES = frozenset({"this", "so", "nothing", "much", "little"})
_LEAD_PUNCT = frozenset(",—–-")
_CLAUSE_END = frozenset(".;:!?…")
_QUOTE_CHARS = frozenset("\"'“”„«»‘’")
_PRONOUN_WORDS = PRONOUNS | {"i", "we", "you"}
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "us", "me", "you", "it"})
_MAX_HEAD = 12
_MAX_TAIL = 8


@dataclass(slots=True)
class Raw:
    """One attribution before its speaker is described and resolved (offsets in the text)."""

    start: int
    end: int
    kind: str
    cue: str | None
    mention_start: int  # -1: no speaker words of its own
    mention_end: int
    head: str
    appos: str
    parent: int  # index of the attribution a floating quote continues, else -1
    paragraph: int


class _Tokens:
    """The tokens of an article as parallel lists (built with C-level splits, scanned by index).

    ``cue`` maps the index of each token that starts a speech-verb cue outside quotation marks
    to ``(end offset, cue text)``.
    """

    __slots__ = ("text", "lower", "start", "end", "word", "words", "n", "cue")

    def __init__(self, doc: _Doc) -> None:
        parts = (_SPLIT_RE if "_" in doc.text else _SPLIT_NO_UNDERSCORE_RE).split(doc.text)
        offsets = list(accumulate(map(len, parts)))
        self.text = text = parts[1::2]
        self.n = n = len(text)
        self.start = start = offsets[:-1:2][:n]
        self.end = end = offsets[1::2][:n]
        self.lower = lower = "\x00".join(text).lower().split("\x00") if text else []
        self.word = word = [t[0].isalnum() for t in text]
        self.words = list(accumulate(word, initial=0))  # word tokens before each index
        # speech-verb cues: lower-case forms ("said", not "Said"), "According to", multi-word cues
        self.cue = cue = {k: (end[k], text[k]) for k in compress(range(n), map(_SINGLE_CUES.__contains__, text))}
        for k in compress(range(n), map(_MULTI_CUES.__contains__, lower)):
            if text[k][0].isupper() and lower[k] != "according":
                continue
            for rest in _MULTI_CUES[lower[k]]:
                if tuple(lower[k + 1 : k + 1 + len(rest)]) == rest:
                    cue[k] = (end[k + len(rest)], " ".join((lower[k], *rest)))
                    break
        if doc.quotes:
            for k in [k for k in cue if doc.in_quote(start[k])]:
                del cue[k]

    def index(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        return bisect_left(self.start, pos)

    def cap(self, k: int) -> bool:
        return self.text[k][0].isupper()


class _Doc:
    """One article: its text, sentences, paragraphs, quotes and speech-verb cues.

    ``cue_tokens`` are the token indices of the cues in text order, ``cue_starts`` their offsets.
    """

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.spans = spans
        self.starts = starts = [s for s, _ in spans]
        ends = [e for _, e in spans]
        self.paragraph = paragraph = [0] * len(spans)  # paragraph number of each sentence
        if "\n" in text:
            breaks = [m.start() for m in _LINE_BREAK.finditer(text)]
            last = len(breaks)
            number = 0
            for k in range(1, len(spans)):
                i = bisect_left(breaks, ends[k - 1])
                if i < last and breaks[i] < starts[k]:
                    number += 1
                paragraph[k] = number
        self.quotes = [q for q in quote_spans(text) if _WORD_START.search(text, q[0], q[1])]
        self.quote_starts = [q[0] for q in self.quotes]
        self.t = t = _Tokens(self)
        self.cue_tokens = sorted(t.cue)
        self.cue_starts = [t.start[k] for k in self.cue_tokens]
        token_starts = t.start
        self.bounds = [(bisect_left(token_starts, a), bisect_left(token_starts, b)) for a, b in spans]

    def n_words(self, start: int, end: int) -> int:
        """Word tokens in ``text[start:end]``."""
        t = self.t
        return t.words[bisect_left(t.start, end)] - t.words[bisect_left(t.start, start)]

    def sentence_of(self, pos: int) -> int:
        s = bisect_right(self.starts, pos) - 1
        return s if s > 0 else 0

    def region(self, start: int, end: int) -> tuple[_Tokens, int, int]:
        """The tokens of ``text[start:end]`` (inside one sentence) as (tokens, first, stop) indices."""
        s = bisect_right(self.starts, start) - 1
        limit = self.spans[s if s > 0 else 0][1]
        t = self.t
        return t, bisect_left(t.start, start), bisect_left(t.start, end if end < limit else limit)

    def last_cue(self, lo: int, hi: int) -> int:
        """The index of the last cue token in ``lo:hi``, or -1."""
        i = bisect_left(self.cue_tokens, hi) - 1
        return self.cue_tokens[i] if i >= 0 and self.cue_tokens[i] >= lo else -1

    def cue_between(self, start: int, end: int) -> bool:
        """Whether a cue starts in ``[start, end)``."""
        i = bisect_left(self.cue_starts, start)
        return i < len(self.cue_starts) and self.cue_starts[i] < end

    def in_quote(self, pos: int) -> bool:
        k = bisect_right(self.quote_starts, pos) - 1
        return k >= 0 and pos < self.quotes[k][1]


def _abbreviation_dot(t: _Tokens, k: int) -> bool:
    """Whether the "." at token ``k`` ends an abbreviation or an initial (Mr., U.S., G.K.)."""
    if k == 0 or t.end[k - 1] != t.start[k]:
        return False
    prev = t.lower[k - 1]
    return prev in ABBREVIATIONS or (len(prev) == 1 and prev.isalpha()) or "." in prev


def _valid_head(t: _Tokens, a: int, b: int) -> bool:
    """Whether tokens ``a:b`` can name a speaker: a pronoun, or up to :data:`_MAX_HEAD` words
    with a name, title or role word, and no function word other than :data:`_INNER`."""
    lower, word, text = t.lower, t.word, t.text
    count = t.words[b] - t.words[a] if b > a else 0
    if count <= 0 or count > _MAX_HEAD:
        return False
    f, e = a, b - 1  # the first and the last word
    while not word[f]:
        f += 1
    while not word[e]:
        e -= 1
    first = lower[f]
    if count == 1 and first in _PRONOUN_WORDS:
        return True
    if first in _NOT_SPEAKERS or first in _EDGE or lower[e] in _EDGE:
        return False
    named = content = False
    for k in range(a, b):
        low = lower[k]
        if word[k]:
            if low in STOPWORDS:
                if low not in _INNER and not (k == a and low in _OPENERS):
                    return False
            else:
                content = True
            if not named and (text[k][0].isupper() or low in ROLE_WORDS):
                named = True
        elif low == ".":
            if not _abbreviation_dot(t, k):
                return False
        elif low not in "-&/'’":
            return False
    return content and (named or first in _OPENERS)  # "began filming": no name, title or role word


def _strip_gap(t: _Tokens, lo: int, end: int) -> tuple[int, bool]:
    """Move ``end`` left over adverbs and auxiliaries; also report a passive auxiliary."""
    passive = False
    while end > lo:
        low = t.lower[end - 1]
        if end - 3 >= lo and (t.lower[end - 3], t.lower[end - 2], low) in _QUOTED_AS:
            end -= 3
        elif t.word[end - 1] and (low in _GAP or (low.endswith("ly") and len(low) > 4)):
            end -= 1
        elif t.word[end - 1] and low in _PASSIVE:
            passive = True
            end -= 1
        else:
            break
    return end, passive


@dataclass(slots=True)
class _Speaker:
    """A speaker phrase: token ranges of the words naming the speaker and of an apposition."""

    t: _Tokens
    head: tuple[int, int]
    appos: tuple[int, int]  # may be empty ("the Kremlin spokesman" in "Peskov, the Kremlin spokesman")

    def span(self) -> tuple[int, int]:
        return self.t.start[self.head[0]], self.t.end[self.head[1] - 1]

    def last(self) -> int:
        """The end offset of the phrase with its apposition."""
        return self.t.end[max(self.head[1], self.appos[1]) - 1]

    def texts(self, text: str) -> tuple[str, str]:
        a, b = self.appos
        appos = text[self.t.start[a] : self.t.end[b - 1]] if b > a else ""
        s, e = self.span()
        return text[s:e], appos


def _backward_subject(t: _Tokens, cue: int, lo: int) -> tuple[_Speaker | None, bool]:
    """The speaker phrase ending right before the cue at token ``cue``, and whether it follows a comma.

    Stops at punctuation, verbs of other clauses (cues) and function words; "X, the Kremlin
    spokesman, said" gives X with the apposition; "X, who said" gives X.
    """
    end, passive = _strip_gap(t, lo, cue)
    if not passive and end - 2 >= lo and t.lower[end - 1] == "to" and t.word[end - 2]:
        # "the email goes on to say", "he went on to say", "she wanted to say"
        end -= 2  # "to" and the verb before it, or the last word of a cue ("goes on")
        if end > lo and end - 1 in t.cue and t.cue[end - 1][0] >= t.end[end]:
            end -= 1
        end, passive = _strip_gap(t, lo, end)
    if passive or end <= lo:
        return None, False
    last = t.lower[end - 1]
    if last in _PRONOUN_WORDS or _CONTRACTED.sub("", last) in _PRONOUN_WORDS:  # "he", "He's said"
        return _Speaker(t, (end - 1, end), (end, end)), end - 2 >= lo and t.text[end - 2] == ","
    appos = (end, end)
    if last == "who" and end - 2 >= lo and t.text[end - 2] == ",":
        end -= 2
    elif last == ",":
        # "X, the Kremlin spokesman, said": the apposition between two commas
        k = end - 2
        while k >= lo and k > end - 26 and t.text[k] != ",":
            if (not t.word[k] and t.text[k] not in ".'’-()") or k in t.cue:
                return None, False
            k -= 1
        if k < lo or t.text[k] != ",":
            return None, False
        appos = (k + 1, end - 1)
        end = k
    if end - 1 > lo and t.text[end - 1] == ")":
        # "Rep. Zoe Lofgren (D-Calif.), who …, said": a parenthesis after the name
        k = end - 2
        while k > lo and k > end - 8 and t.text[k] != "(":
            k -= 1
        if t.text[k] == "(":
            appos = (k + 1, end - 1) if appos[1] <= appos[0] else appos
            end = k
    start = end
    while start > lo and end - start < _MAX_HEAD + 4:
        k = start - 1
        low = t.lower[k]
        if t.word[k]:
            if k in t.cue or (low in STOPWORDS and low not in _INNER and low not in _OPENERS):
                break
        elif not (low == "." and _abbreviation_dot(t, k)) and low not in "-&":
            break
        start -= 1
    while start < end and t.lower[start] in _EDGE:
        start += 1
    if start >= end or not _valid_head(t, start, end):
        return None, False
    return _Speaker(t, (start, end), appos), start - 1 >= lo and t.text[start - 1] == ","


def _forward_phrase(t: _Tokens, k: int, hi: int, *, closed: bool = False) -> _Speaker | None:
    """A speaker phrase starting at token ``k``, up to a comma, the clause end or a function word
    ("said Larry O'Connor on Hot Air"), with an apposition after a comma ("said Dmitry Peskov,
    the Kremlin spokesman."); with ``closed`` the apposition needs a closing comma ("According to
    X, the spokesman, ...")."""
    end = k
    while end < hi:
        low = t.lower[end]
        if t.word[end]:
            if end > k and low in STOPWORDS and low not in _INNER:
                break
        elif not (low == "." and _abbreviation_dot(t, end)) and low not in "-&'’":
            break
        end += 1
    while end > k and t.lower[end - 1] in _EDGE:
        end -= 1
    if end == k or not _valid_head(t, k, end):
        return None
    appos = (end, end)
    if end < hi and t.text[end] == ",":
        a = b = end + 1
        while b < hi and t.text[b] not in ",()" and t.text[b] not in _CLAUSE_END and t.text[b] not in _QUOTE_CHARS:
            b += 1
        shut = b < hi and t.text[b] == ","
        if 0 < b - a <= 10 and (t.lower[a] in _OPENERS or t.cap(a)) and (shut or not closed):
            appos = (a, b)
    return _Speaker(t, (k, end), appos)


def _forward_subject(t: _Tokens, k: int, hi: int) -> tuple[_Speaker | None, int]:
    """"X said" starting at token ``k``: the speaker phrase and the index of the cue token."""
    j = k
    commas: list[int] = []
    while j < hi and j - k <= 2 * _MAX_HEAD + 4:
        if j in t.cue and t.text[j][0].islower() and not (j > k and t.lower[j - 1] in _OPENERS):
            break  # (after a determiner the word is a noun: "the note says", "the report said")
        text = t.text[j]
        if text == ",":
            commas.append(j)
        elif not t.word[j] and not (text == "." and _abbreviation_dot(t, j)) and text not in "-&'’":
            return None, -1
        j += 1
    else:
        return None, -1
    if j == hi or len(commas) > 2:
        return None, -1
    end, passive = _strip_gap(t, k, j)
    while end > k and t.text[end - 1] == ",":
        end -= 1
    if passive or end <= k:
        return None, -1
    head_end = commas[0] if commas and commas[0] < end else end
    if not _valid_head(t, k, head_end):
        return None, -1
    appos = (head_end + 1, end) if head_end < end else (end, end)
    return _Speaker(t, (k, head_end), appos), j


@dataclass(slots=True)
class _Found:
    """An attribution's speaker phrase and cue (``cue`` None for "X: “…”")."""

    speaker: _Speaker | None
    cue: str | None
    cue_pos: int
    cue_end: int

    def end(self) -> int:
        """Where the words of the attribution (cue and speaker phrase) end."""
        return max(self.cue_end, self.speaker.last()) if self.speaker is not None else self.cue_end


def _found(speaker: _Speaker | None, t: _Tokens, cue: int) -> _Found:
    end, text = t.cue[cue]
    return _Found(speaker, text, t.start[cue], end)


def _after_quote(doc: _Doc, q: tuple[int, int], limit: int) -> _Found | None:
    """``“…,” X said`` / ``“…,” said X`` / ``“…,” according to X``."""
    t, k, hi = doc.region(q[1], limit)
    while k < hi and t.text[k] in _LEAD_PUNCT:
        k += 1
    if k >= hi or not t.word[k]:
        return None
    if k in t.cue and (t.text[k][0].islower() or t.lower[k] == "according"):
        j = t.index(t.cue[k][0])
        if j >= hi or t.lower[j] in _NOT_SPEAKERS:
            return None
        speaker = _forward_phrase(t, j, hi)
        return _found(speaker, t, k) if speaker else None
    speaker, c = _forward_subject(t, k, hi)
    return _found(speaker, t, c) if speaker is not None else None


_RELATIVE = frozenset({"what", "which", "whom", "as"})
_INTRO = frozenset("and but so then yet still meanwhile later earlier also however instead now".split())


def _elliptic(t: _Tokens, c: int, lo: int) -> bool:
    """Whether the cue at token ``c`` has its subject earlier in the clause: "…, saying",
    "… and added"."""
    end, _ = _strip_gap(t, lo, c)
    if end == lo:
        return False
    return (t.text[end - 1] == "," and t.lower[c].endswith("ing")) or t.lower[end - 1] == "and"


def _clause_subject(doc: _Doc, cue_pos: int, mentions: dict[int, list[_Speaker]]) -> _Speaker | None:
    """The subject of the clause a participle or "and" verb continues: the speaker of an earlier
    attribution or speech verb in the sentence ("Nefzi said, adding …"), else the sentence's
    opening noun phrase if it names someone ("In 2016, Mrs. Schlafly endorsed Trump, saying …")."""
    s = doc.sentence_of(cue_pos)
    for speaker in reversed(mentions.get(s, ())):
        if speaker.span()[0] < cue_pos:
            return speaker
    t = doc.t
    lo, _ = doc.bounds[s]
    hi = t.index(cue_pos)
    cues = doc.cue_tokens
    for i in range(bisect_left(cues, hi) - 1, -1, -1):
        c = cues[i]
        if c < lo:
            break
        if not _elliptic(t, c, lo):
            speaker, _ = _backward_subject(t, c, lo)
            if speaker is not None:
                return speaker
    k = lo
    while k < hi and (t.lower[k] in _INTRO or not t.word[k]):
        k += 1
    comma = next((i for i in range(k, min(hi, k + 6)) if t.text[i] == ","), -1)
    if comma >= 0 and (t.lower[k] in _PREPOSITIONS or t.lower[k].endswith("ly") or comma - k <= 4):
        k = comma + 1  # "In 2016,", "Hours later,"
    end = k
    while end < hi:
        low = t.lower[end]
        if t.word[end] and end == k and low in _PRONOUN_WORDS:
            end += 1
            break
        if t.word[end] and (t.cap(end) or low in _INNER or low in _OPENERS or low in ROLE_WORDS):
            end += 1
        elif low == "." and _abbreviation_dot(t, end):
            end += 1
        else:
            break
    while end > k and t.lower[end - 1] in _EDGE:
        end -= 1
    if end <= k or end >= hi or not t.word[end] or not _valid_head(t, k, end):
        return None
    if not any(t.lower[i] in _PRONOUN_WORDS or t.lower[i] in ROLE_WORDS or (t.cap(i) and t.lower[i] not in STOPWORDS)
               for i in range(k, end)):  # fmt: skip
        return None  # "The first …": nobody named
    return _Speaker(t, (k, end), (end, end))


def _colon_speaker(t: _Tokens, lo: int, hi: int) -> _Found | None:
    """"Republican pollster Daron Shaw: “…”", "Kasich resisted: “…”": a name opening its clause
    right before a colon, or before one verb and a colon."""
    if hi - lo < 2 or t.text[hi - 1] != ":":
        return None
    for end in (hi - 1, hi - 2):
        if end < lo + 1 or (end == hi - 2 and (not t.word[end] or t.cap(end) or t.lower[end] in STOPWORDS)):
            continue
        speaker, _ = _backward_subject(t, end, lo)
        if speaker is None or (speaker.head[0] > lo and t.word[speaker.head[0] - 1]):
            continue  # the phrase must open its clause
        if any(t.cap(k) and t.lower[k] not in STOPWORDS for k in range(*speaker.head)):
            return _Found(speaker, None, t.start[hi - 1], t.end[hi - 1])
    return None


def _before_quote(doc: _Doc, lo_pos: int, qs: int, mentions: dict[int, list[_Speaker]]) -> _Found | None:
    """``X said: “…”``, ``X told reporters that “…”``, ``According to X, “…”``."""
    t, lo, hi = doc.region(lo_pos, qs)
    if not any(t.word[lo:hi]):
        return None
    cue = doc.last_cue(lo, hi)
    if cue < 0:
        return _colon_speaker(t, lo, hi)
    j = t.index(t.cue[cue][0])
    if t.cue[cue][1] == "according to":
        last = hi
        while last > j and t.text[last - 1] in ",:—–-":
            last -= 1
        speaker = _forward_phrase(t, j, hi, closed=True) if last > j else None
        if speaker is None or max(speaker.head[1], speaker.appos[1]) < last:
            return None
        return _found(speaker, t, cue)
    if hi - j > _MAX_TAIL or doc.last_cue(j, hi) >= 0:
        return None
    if hi > j and not (t.text[hi - 1] in ":,—–-" or t.lower[hi - 1] == "that"):
        return None  # "X said the West was “…”": reported speech with a quote, not a direct quote
    if hi - j > 1 and t.text[j] == ",":
        return None  # "X said, adding …"
    if _elliptic(t, cue, lo):
        speaker = _clause_subject(doc, t.start[cue], mentions)
    else:
        speaker, _ = _backward_subject(t, cue, lo)
        if speaker is not None and speaker.head[0] > lo and t.lower[speaker.head[0] - 1] in _RELATIVE:
            return None  # "… on what she called “X”": part of the reported speech around it
    return _found(speaker, t, cue) if speaker is not None else None


def _next_sentence(doc: _Doc, s: int) -> tuple[_Found | None, bool]:
    """Sentence ``s`` opening with "X said": its speaker, and whether it says nothing else."""
    t = doc.t
    lo, hi = doc.bounds[s]
    speaker, c = _forward_subject(t, lo, hi)
    if speaker is None:
        return None, False
    rest = range(t.index(t.cue[c][0]), hi)
    words = [k for k in rest if t.word[k]]
    bare = len(words) <= _MAX_TAIL and not any(t.lower[k] == "that" or k in t.cue for k in words)
    bare = bare and not any(t.text[k] in _QUOTE_CHARS or t.text[k] == ":" for k in rest)
    return _found(speaker, t, c), bare


_TIME_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday week month year weekend "
                        "morning afternoon evening night".split())  # fmt: skip
_MEDIUM_WORDS = frozenset("statement interview speech tweet post letter briefing address op-ed email "
                          "conversation call".split())  # fmt: skip
_SKIPPED = frozenset({"yesterday", "today", "tonight", "again", "also", "repeatedly", "previously"})
_BEFORE_TIME = frozenset({"on", "last", "this", "late", "early", "earlier"})
_BEFORE_MEDIUM = frozenset({"in", "during", "via", "on"})
_MEDIUM_DETERMINERS = frozenset({"a", "an", "his", "her", "their", "its"})
_AUDIENCE = frozenset({"reporters", "journalists"})


def _skip_adjuncts(t: _Tokens, k: int, hi: int) -> int:
    """Skip "on Monday", "last week", "yesterday", "in a statement" after a speech verb."""
    while k < hi:
        low = t.lower[k]
        if low in _SKIPPED or low == ",":
            k += 1
        elif low in _BEFORE_TIME and k + 1 < hi and t.lower[k + 1] in _TIME_WORDS:
            k += 2
        elif (low in _BEFORE_MEDIUM and k + 2 < hi and t.lower[k + 1] in _MEDIUM_DETERMINERS
              and t.lower[k + 2] in _MEDIUM_WORDS):  # fmt: skip
            k += 3
        else:
            break
    return k


def _content_start(t: _Tokens, j: int, hi: int, base: str) -> int:
    """Token index where the reported clause after a verb begins (after "that", ":", an object)."""
    for k in range(j, min(hi, j + 10)):
        if t.lower[k] == "that":
            return k
        if t.text[k] == ";" or k in t.cue or t.text[k] in _QUOTE_CHARS:
            break
    k = j
    if base in _TELL and k < hi:
        if t.lower[k] in _OBJECT_PRONOUNS or t.lower[k] in _AUDIENCE:
            k += 1
        elif t.lower[k] in _OPENERS or t.cap(k):
            k += 1
            while k < hi and t.word[k] and t.cap(k):
                k += 1
    k = _skip_adjuncts(t, k, hi)
    while k < hi and t.text[k] in ":,":
        k += 1
    return k


def _indirect(doc: _Doc, c: int, mentions: dict[int, list[_Speaker]]) -> tuple[_Found, int, int] | None:
    """Reported speech around the cue at token ``c``: (attribution, content start, content end)."""
    t = doc.t
    cue_pos = t.start[c]
    s = bisect_right(doc.starts, cue_pos) - 1
    s_start, s_end = doc.spans[s if s > 0 else 0]
    lo, n = doc.bounds[s if s > 0 else 0]
    if c >= n:
        return None
    cue_end, cue = t.cue[c]
    j = bisect_left(t.start, cue_end)
    end = s_end
    text = doc.text
    while end > s_start and text[end - 1] in ".!?…":
        end -= 1
    if cue == "according to":
        speaker = _forward_phrase(t, j, n, closed=True) if j < n else None
        if speaker is None:
            return None
        if c > lo and t.text[c - 1] == ",":
            return _found(speaker, t, c), s_start, t.start[c - 1]  # "…, according to X."
        after = max(speaker.head[1], speaker.appos[1])
        if after + 1 < n and t.text[after] == "," and any(t.word[after + 1 : n]):
            return _found(speaker, t, c), t.start[after + 1], end  # "According to X, …"
        return None
    if c > lo and t.lower[c - 1] in _OPENERS and not t.cap(c - 1):
        return None  # "the said treaty", "his claims"
    if _elliptic(t, c, lo):
        speaker = _clause_subject(doc, cue_pos, mentions)
        if speaker is None:
            return None
        after_comma = False
    else:
        speaker, after_comma = _backward_subject(t, c, lo)
    if speaker is None:
        if c > lo and t.text[c - 1] == "," and j < n:  # "…, said X."
            inverted = _forward_phrase(t, j, n)
            if inverted is not None and max(inverted.head[1], inverted.appos[1]) >= n - 2:
                return _found(inverted, t, c), s_start, t.start[c - 1]
        return None
    if speaker.t.lower[speaker.head[0]] in _NO_SUBJECT:
        return None
    first = speaker.head[0]
    words = t.words
    if after_comma and lo <= first < n:
        if words[first - 1] - words[lo] >= 1 and j < n and t.text[j] == ",":
            return _found(speaker, t, c), s_start, end  # "Clinton, a top aide said, “is very confident”"
        short = words[n] - words[j] <= _MAX_TAIL and "that" not in t.lower[j:n]
        if short and words[first - 1] - words[lo] >= 3:
            return _found(speaker, t, c), s_start, t.start[first - 1]  # "…, X said."
    k = _content_start(t, j, n, SPEECH_VERBS.get(cue, cue))
    if k >= n or words[n] - words[k] < 3 or t.lower[k] in _PREPOSITIONS or t.lower[k] in _VERBAL:
        return None  # "in a statement", "everything Trump says is true"
    if t.lower[k] in _DEMONSTRATIVES and (k + 1 >= n or t.lower[k + 1] in _PREPOSITIONS or not t.word[k + 1]):
        return None  # "Lavrov said this on Monday.", "he said so."
    return _found(speaker, t, c), t.start[k], end


_MAX_LEAD = 3  # words before a floating quote in its sentence ("Now, “…”", "But “…”")


def _whole_sentences(doc: _Doc, q: tuple[int, int]) -> bool:
    """Whether the quote is its sentence(s): nothing after it, and no cue and at most
    :data:`_MAX_LEAD` words before it."""
    a = doc.spans[doc.sentence_of(q[0])][0]
    b = doc.spans[doc.sentence_of(q[1] - 1)][1]
    if _WORD_START.search(doc.text, q[1], b) is not None:
        return False
    return doc.n_words(a, q[0]) <= _MAX_LEAD and not doc.cue_between(a, q[0])


def attributions(text: str, spans: list[tuple[int, int]]) -> list[Raw]:
    """Every attribution of one article, in text order of its content (see the module docstring)."""
    if not isinstance(text, str) or not spans:
        return []
    doc = _Doc(text, spans)
    out: list[Raw] = []
    used: set[int] = set()  # cue positions taken by a direct quote
    quote_attr: dict[int, int] = {}  # quote index -> attribution index
    last_in_sentence: dict[int, int] = {}  # sentence -> the last attribution that ends there
    mentions: dict[int, list[_Speaker]] = {}  # sentence -> the speaker phrases found in it so far

    starts, paragraph = doc.starts, doc.paragraph

    def add(start: int, end: int, kind: str, found: _Found | None, parent: int = -1) -> int:
        if parent >= 0:
            p = out[parent]
            ms, me, head, appos = p.mention_start, p.mention_end, p.head, p.appos
            anchor = start
        elif found is not None and found.speaker is not None:
            speaker = found.speaker
            tok_start, tok_end = speaker.t.start, speaker.t.end
            ms, me = tok_start[speaker.head[0]], tok_end[speaker.head[1] - 1]
            head = text[ms:me]
            a, b = speaker.appos
            appos = text[tok_start[a] : tok_end[b - 1]] if b > a else ""
            s = bisect_right(starts, ms) - 1
            mentions.setdefault(s if s > 0 else 0, []).append(speaker)
            anchor = ms
        else:
            ms = me = -1
            head = appos = ""
            anchor = start
        s = bisect_right(starts, anchor) - 1
        out.append(Raw(start, end, kind, None if found is None else found.cue, ms, me, head, appos, parent,
                       paragraph[s if s > 0 else 0]))  # fmt: skip
        s = bisect_right(starts, end - 1 if end > me else me - 1) - 1
        last_in_sentence[s if s > 0 else 0] = len(out) - 1
        return len(out) - 1

    # 1. direct quotes with the attribution in their sentence
    carried: dict[int, _Found] = {}  # "“A,” said X, “B.”": B shares A's attribution
    for k, q in enumerate(doc.quotes):
        s_first = doc.sentence_of(q[0])
        s_last = doc.sentence_of(q[1] - 1)
        before_lo = doc.spans[s_first][0]
        if k and doc.quotes[k - 1][1] > before_lo:
            before_lo = doc.quotes[k - 1][1]
        after_hi = doc.spans[s_last][1]
        nxt = doc.quotes[k + 1] if k + 1 < len(doc.quotes) else None
        if nxt is not None and nxt[0] < after_hi:
            after_hi = nxt[0]
        found = _after_quote(doc, q, after_hi)
        start, kind = q[0], "direct"
        if found is None and k in carried:
            found = carried[k]
        elif found is not None:
            words_end = found.end()
            if nxt is not None and nxt[0] == after_hi and words_end <= nxt[0]:
                # the rest of the sentence up to the next quote: adjuncts of this attribution only
                if not doc.cue_between(words_end, nxt[0]) and doc.n_words(words_end, nxt[0]) <= 12:
                    carried[k + 1] = found
            t, lo, hi = doc.region(before_lo, q[0])
            if any(t.word[lo:hi]) and doc.last_cue(lo, hi) < 0:
                start, kind = t.start[lo], "mixed"
        else:
            found = _before_quote(doc, before_lo, q[0], mentions)
            if found is None and s_first > 0 and _WORD_START.search(text, doc.spans[s_first][0], q[0]) is None:
                prev_start, prev_end = doc.spans[s_first - 1]
                if text[prev_start:prev_end].rstrip().endswith(":"):
                    found = _before_quote(doc, prev_start, prev_end, mentions)
        if found is not None:
            used.add(found.cue_pos)
            quote_attr[k] = add(start, q[1], kind, found)

    # 2. reported speech around the remaining cues (quotes inside it make it mixed)
    covered_until = -1
    for c in doc.cue_tokens:
        cue_pos = doc.t.start[c]
        if cue_pos in used or cue_pos < covered_until or doc.t.cue[c][1] in QUOTE_ONLY_VERBS:
            continue
        hit = _indirect(doc, c, mentions)
        if hit is None:
            continue
        found, c_start, c_end = hit
        absorbed = []
        first = max(0, bisect_right(doc.quote_starts, c_start) - 1)
        for k in range(first, len(doc.quotes)):
            q = doc.quotes[k]
            if q[0] >= c_end:
                break
            if q[1] <= c_start:
                continue
            if k in quote_attr:
                if q[0] >= c_start:
                    c_end = min(c_end, q[0])
            elif q[0] >= c_start:
                absorbed.append(k)
                c_end = max(c_end, q[1])
        while c_end > c_start and text[c_end - 1] in " ,;:—–-":
            c_end -= 1
        absorbed = [k for k in absorbed if doc.quotes[k][1] <= c_end]
        if not absorbed:  # an unpaired mark is no part of reported speech
            while c_start < c_end and (text[c_start] in _QUOTE_CHARS or text[c_start].isspace()):
                c_start += 1
            while c_end > c_start and (text[c_end - 1] in _QUOTE_CHARS or text[c_end - 1].isspace()):
                c_end -= 1
        if c_end <= c_start or (not absorbed and doc.n_words(c_start, c_end) < 3):
            continue
        whole = len(absorbed) == 1 and doc.quotes[absorbed[0]] == (c_start, c_end)
        index = add(c_start, c_end, "direct" if whole else "mixed" if absorbed else "indirect", found)
        for k in absorbed:
            quote_attr[k] = index
        covered_until = c_end

    # 3. quotes without an attribution in their sentence
    for k, q in enumerate(doc.quotes):
        if k in quote_attr:
            continue
        s_last = doc.sentence_of(q[1] - 1)
        whole = _whole_sentences(doc, q)
        nxt_found, bare = None, False
        if whole and s_last + 1 < len(doc.spans) and doc.paragraph[s_last + 1] == doc.paragraph[s_last]:
            nxt_found, bare = _next_sentence(doc, s_last + 1)
        parent = last_in_sentence.get(doc.sentence_of(q[0]) - 1, -1) if whole else -1
        if parent >= 0 and out[parent].mention_start < 0:
            parent = -1
        if nxt_found is not None and (bare or parent < 0):
            quote_attr[k] = add(q[0], q[1], "direct", nxt_found)
        elif parent >= 0:
            quote_attr[k] = add(q[0], q[1], "direct", None, parent=parent)
        elif doc.n_words(q[0], q[1]) >= MIN_UNATTRIBUTED_WORDS:
            quote_attr[k] = add(q[0], q[1], "direct", None)
    order = sorted(range(len(out)), key=lambda i: (out[i].start, out[i].end))
    new_index = {old: new for new, old in enumerate(order)}
    for raw in out:
        if raw.parent >= 0:
            raw.parent = new_index[raw.parent]
    return [out[i] for i in order]

