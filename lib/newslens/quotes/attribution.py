"""Attribution: who said each quote, and reported speech, from rules on sentences and tokens.

The patterns, on :func:`newslens.text.sentence_spans` sentences and word tokens of
:data:`newslens.text.TOKEN_PATTERN` (punctuation marks are tokens too):

* after a quote: ``“…,” X said`` / ``“…,” said X`` / ``“…,” according to X``; words before
  the quote in its sentence make it ``mixed`` (``The West is “playing with fire,” X said``);
* before a quote: ``X said: “…”``, ``X told reporters on Monday that “…”``, ``According to X,
  “…”``, also when ``X said:`` ends the sentence or paragraph before;
* reported speech: ``X said (that) …``, ``X warned …``, ``…, X said.``, ``…, said X.``,
  ``according to X, …`` and ``…, according to X.``; a quote inside the reported clause makes it
  ``mixed`` (``X said the West was “playing with fire”``) instead of a row of its own;
* a quote whose sentence has no attribution: if the next sentence is just ``X said (…)`` it
  names the speaker; else a fully quoted sentence after an attributed one is a floating quote
  and inherits that speaker (``resolved``); else a next sentence opening with ``X said …``
  names it;
* any other quote of :data:`MIN_UNATTRIBUTED_WORDS` words or more is kept without a speaker
  (shorter ones are scare quotes and titles: “red lines”).

The speech verbs are the editable list ``data/speech_verbs_en.txt`` (:data:`SPEECH_VERBS`).
A verb after "was", "is" ... (``he was told``) or a determiner (``the said treaty``) is no cue.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from importlib import resources

from newslens.quotes.marks import quote_spans
from newslens.quotes.speakers import PRONOUNS, ROLE_WORDS
from newslens.text import ABBREVIATIONS, STOPWORDS, TOKEN_PATTERN

__all__ = ["SPEECH_VERBS", "QUOTE_ONLY_VERBS", "MIN_UNATTRIBUTED_WORDS", "Raw", "attributions"]

MIN_UNATTRIBUTED_WORDS = 8
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


def _trie(words: list[str]) -> str:
    """A regex alternation of ``words`` factored by common prefixes (fast to match)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            body = (body if len(alts) == 1 and len(alts[0]) == 1 else f"(?:{body})") + "?"
        return body

    return build(trie)


_CUE_RE = re.compile(
    r"(?<![\w'’-])(?:[Aa]ccording to|" + _trie(sorted(SPEECH_VERBS, key=len, reverse=True)).replace(r"\ ", r"\s+")
    + r")(?![\w'’-])"
)  # fmt: skip
_TOKEN_RE = re.compile(TOKEN_PATTERN + r"|[^\w\s]")
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
                          "earlier later last next this on in at during after before while when since "
                          "by with to for from of into over about".split())  # fmt: skip
_PREPOSITIONS = frozenset("in on at during after before from to with by for over about into through "
                          "under since while as".split())  # fmt: skip
_LEAD_PUNCT = frozenset(",—–-")
_CLAUSE_END = frozenset(".;:!?…")
_QUOTE_CHARS = frozenset("\"'“”„«»‘’")
_PRONOUN_WORDS = PRONOUNS | {"i", "we", "you"}
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "us", "me", "you", "it"})
_MAX_HEAD = 12
_MAX_TAIL = 8


@dataclass
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


class _Tok:
    __slots__ = ("text", "start", "end", "lower", "word")

    def __init__(self, m: re.Match) -> None:
        self.text = m.group()
        self.start = m.start()
        self.end = m.end()
        self.lower = self.text.lower()
        self.word = _WORD_START.match(self.text) is not None


class _Doc:
    """One article: its text, sentences, paragraphs, quotes and speech-verb cues."""

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.spans = spans
        self.starts = [s for s, _ in spans]
        self.paragraph: list[int] = []
        number = 0
        for k, (s, _) in enumerate(spans):
            if k and _LINE_BREAK.search(text, spans[k - 1][1], s):
                number += 1
            self.paragraph.append(number)
        self.quotes = [q for q in quote_spans(text) if _WORD_START.search(text, q[0], q[1])]
        self.quote_starts = [q[0] for q in self.quotes]
        self.cues: dict[int, tuple[int, str]] = {}
        for m in _CUE_RE.finditer(text):
            self.cues[m.start()] = (m.end(), " ".join(m.group().lower().split()))

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def tokens(self, start: int, end: int) -> list[_Tok]:
        return [_Tok(m) for m in _TOKEN_RE.finditer(self.text, start, end)] if end > start else []

    def in_quote(self, pos: int) -> bool:
        k = bisect.bisect_right(self.quote_starts, pos) - 1
        return k >= 0 and pos < self.quotes[k][1]


def _is_cue(doc: _Doc, tok: _Tok) -> bool:
    return tok.start in doc.cues and not doc.in_quote(tok.start)


def _cue_end_index(toks: list[_Tok], k: int, end: int) -> int:
    """Index of the first token after a cue that starts at token ``k`` and ends at ``end``."""
    while k < len(toks) and toks[k].start < end:
        k += 1
    return k


def _abbreviation_dot(toks: list[_Tok], k: int) -> bool:
    """Whether the "." at token ``k`` ends an abbreviation or an initial (Mr., U.S., G.K.)."""
    if k == 0 or toks[k - 1].end != toks[k].start:
        return False
    prev = toks[k - 1].lower
    return prev in ABBREVIATIONS or (len(prev) == 1 and prev.isalpha()) or "." in prev


def _valid_head(toks: list[_Tok]) -> bool:
    words = [t for t in toks if t.word]
    if not words or len(words) > _MAX_HEAD:
        return False
    first = words[0]
    if len(words) == 1 and first.lower in _PRONOUN_WORDS:
        return True
    if first.lower in _NOT_SPEAKERS or words[-1].lower in _EDGE or first.lower in _EDGE:
        return False
    if not any(t.text[:1].isupper() or t.lower in ROLE_WORDS for t in words) and first.lower not in _OPENERS:
        return False  # "began filming": no name, title or role word
    for k, tok in enumerate(toks):
        if tok.word:
            if tok.lower in STOPWORDS and tok.lower not in _INNER and not (k == 0 and tok.lower in _OPENERS):
                return False
        elif tok.text == ".":
            if not _abbreviation_dot(toks, k):
                return False
        elif tok.text not in "-&/'’":
            return False
    return any(t.lower not in STOPWORDS for t in words)


def _strip_gap(toks: list[_Tok], lo: int, end: int) -> tuple[int, bool]:
    """Move ``end`` left over adverbs and auxiliaries; also report a passive auxiliary."""
    passive = False
    while end > lo:
        tok = toks[end - 1]
        if end - 3 >= lo and tuple(t.lower for t in toks[end - 3 : end]) in _QUOTED_AS:
            end -= 3
        elif tok.word and (tok.lower in _GAP or (tok.lower.endswith("ly") and len(tok.lower) > 4)):
            end -= 1
        elif tok.word and tok.lower in _PASSIVE:
            passive = True
            end -= 1
        else:
            break
    return end, passive


@dataclass
class _Speaker:
    head: tuple[int, int]  # token index range of the speaker phrase
    appos: tuple[int, int]  # token index range of an apposition ("the Kremlin spokesman"), may be empty
    toks: list[_Tok]

    def span(self) -> tuple[int, int]:
        return self.toks[self.head[0]].start, self.toks[self.head[1] - 1].end

    def texts(self, text: str) -> tuple[str, str]:
        a, b = self.appos
        appos = text[self.toks[a].start : self.toks[b - 1].end] if b > a else ""
        s, e = self.span()
        return text[s:e], appos


def _backward_subject(doc: _Doc, toks: list[_Tok], cue: int, lo: int) -> tuple[_Speaker | None, bool]:
    """The speaker phrase ending right before the cue at token ``cue``, and whether it follows a comma.

    Stops at punctuation, verbs of other clauses (cues) and function words; "X, the Kremlin
    spokesman, said" gives X with the apposition; "X, who said" gives X.
    """
    end, passive = _strip_gap(toks, lo, cue)
    if not passive and end - 2 >= lo and toks[end - 1].lower == "to" and toks[end - 2].word:
        # "the email goes on to say", "he went on to say", "she wanted to say"
        end -= 2  # "to" and the verb before it, or the last word of a cue ("goes on")
        if end > lo and toks[end - 1].start in doc.cues and doc.cues[toks[end - 1].start][0] >= toks[end].end:
            end -= 1
        end, passive = _strip_gap(toks, lo, end)
    if passive or end <= lo:
        return None, False
    last = toks[end - 1]
    if last.lower in _PRONOUN_WORDS:
        comma = end - 2 >= lo and toks[end - 2].text == ","
        return _Speaker((end - 1, end), (end, end), toks), comma
    appos = (end, end)
    if last.lower == "who" and end - 2 >= lo and toks[end - 2].text == ",":
        end -= 2
    elif last.text == ",":
        # "X, the Kremlin spokesman, said": the apposition between two commas
        k = end - 2
        while k >= lo and k > end - 26 and toks[k].text != ",":
            if (not toks[k].word and toks[k].text not in ".'’-()") or (toks[k].word and _is_cue(doc, toks[k])):
                return None, False
            k -= 1
        if k < lo or toks[k].text != ",":
            return None, False
        appos = (k + 1, end - 1)
        end = k
    if end - 1 > lo and toks[end - 1].text == ")":
        # "Rep. Zoe Lofgren (D-Calif.), who …, said": a parenthesis after the name
        k = end - 2
        while k > lo and k > end - 8 and toks[k].text != "(":
            k -= 1
        if toks[k].text == "(":
            appos = (k + 1, end - 1) if appos[1] <= appos[0] else appos
            end = k
    start = end
    while start > lo and end - start < _MAX_HEAD + 4:
        tok = toks[start - 1]
        if tok.word:
            if _is_cue(doc, tok) or (tok.lower in STOPWORDS and tok.lower not in _INNER and tok.lower not in _OPENERS):
                break
        elif not (tok.text == "." and _abbreviation_dot(toks, start - 1)) and tok.text not in "-&":
            break
        start -= 1
    while start < end and toks[start].lower in _EDGE:
        start += 1
    if start >= end or not _valid_head(toks[start:end]):
        return None, False
    comma = start - 1 >= lo and toks[start - 1].text == ","
    return _Speaker((start, end), appos, toks), comma


def _forward_phrase(toks: list[_Tok], k: int, *, closed: bool = False) -> _Speaker | None:
    """A speaker phrase starting at token ``k``, up to a comma, the clause end or a function word
    ("said Larry O'Connor on Hot Air"), with an apposition after a comma ("said Dmitry Peskov,
    the Kremlin spokesman."); with ``closed`` the apposition needs a closing comma ("According to
    X, the spokesman, ...")."""
    n = len(toks)
    end = k
    while end < n:
        tok = toks[end]
        if tok.word:
            if end > k and tok.lower in STOPWORDS and tok.lower not in _INNER:
                break
        elif not (tok.text == "." and _abbreviation_dot(toks, end)) and tok.text not in "-&'’":
            break
        end += 1
    while end > k and toks[end - 1].lower in _EDGE:
        end -= 1
    if end == k or not _valid_head(toks[k:end]):
        return None
    appos = (end, end)
    if end < n and toks[end].text == ",":
        a = end + 1
        b = a
        while b < n and toks[b].text not in ",()" and toks[b].text not in _CLAUSE_END | _QUOTE_CHARS:
            b += 1
        shut = b < n and toks[b].text == ","
        if 0 < b - a <= 10 and (toks[a].lower in _OPENERS or toks[a].text[:1].isupper()) and (shut or not closed):
            appos = (a, b)
    return _Speaker((k, end), appos, toks)


def _forward_subject(doc: _Doc, toks: list[_Tok], k: int) -> tuple[_Speaker | None, int]:
    """"X said" starting at token ``k``: the speaker phrase and the index of the cue token."""
    j = k
    commas: list[int] = []
    while j < len(toks) and j - k <= 2 * _MAX_HEAD + 4:
        tok = toks[j]
        if tok.word and _is_cue(doc, tok) and tok.text[:1].islower() and not (j > k and toks[j - 1].lower in _OPENERS):
            break  # (after a determiner the word is a noun: "the note says", "the report said")
        if tok.text == ",":
            commas.append(j)
        elif not tok.word and not (tok.text == "." and _abbreviation_dot(toks, j)) and tok.text not in "-&'’":
            return None, -1
        j += 1
    else:
        return None, -1
    if j == len(toks) or len(commas) > 2:
        return None, -1
    end, passive = _strip_gap(toks, k, j)
    while end > k and toks[end - 1].text == ",":
        end -= 1
    if passive or end <= k:
        return None, -1
    head_end = commas[0] if commas and commas[0] < end else end
    appos = (head_end + 1, end) if head_end < end else (end, end)
    if not _valid_head(toks[k:head_end]):
        return None, -1
    return _Speaker((k, head_end), appos, toks), j


@dataclass
class _Found:
    speaker: _Speaker | None
    cue: str | None
    cue_pos: int
    end: int = -1  # where the words of the attribution end (cue and speaker phrase)

    def __post_init__(self) -> None:
        if self.end < 0:
            ends = [self.cue_pos]
            if self.speaker is not None:
                toks = self.speaker.toks
                ends.append(toks[self.speaker.head[1] - 1].end)
                if self.speaker.appos[1] > self.speaker.appos[0]:
                    ends.append(toks[self.speaker.appos[1] - 1].end)
            self.end = max(ends)


def _skip_lead(toks: list[_Tok]) -> int:
    k = 0
    while k < len(toks) and toks[k].text in _LEAD_PUNCT:
        k += 1
    return k


def _after_quote(doc: _Doc, q: tuple[int, int], limit: int) -> _Found | None:
    """``“…,” X said`` / ``“…,” said X`` / ``“…,” according to X``."""
    toks = doc.tokens(q[1], limit)
    k = _skip_lead(toks)
    if k >= len(toks) or not toks[k].word:
        return None
    first = toks[k]
    if _is_cue(doc, first) and (first.text[:1].islower() or first.lower.startswith("according")):
        cue_end, cue = doc.cues[first.start]
        j = _cue_end_index(toks, k, cue_end)
        if j < len(toks) and toks[j].lower in _NOT_SPEAKERS:
            return None
        speaker = _forward_phrase(toks, j) if j < len(toks) else None
        return _Found(speaker, cue, first.start) if speaker else None
    speaker, c = _forward_subject(doc, toks, k)
    if speaker is None:
        return None
    return _Found(speaker, doc.cues[toks[c].start][1], toks[c].start)


_RELATIVE = frozenset({"what", "which", "whom", "as"})
_INTRO = frozenset("and but so then yet still meanwhile later earlier also however instead now".split())


def _elliptic(toks: list[_Tok], c: int) -> bool:
    """Whether the cue at token ``c`` has its subject earlier in the clause: "…, saying",
    "… and added"."""
    end, _ = _strip_gap(toks, 0, c)
    if end == 0:
        return False
    before = toks[end - 1]
    return (before.text == "," and toks[c].lower.endswith("ing")) or before.lower == "and"


def _clause_subject(doc: _Doc, cue_pos: int, mentions: list[_Speaker]) -> _Speaker | None:
    """The subject of the clause a participle or "and" verb continues: the speaker of an earlier
    attribution in the sentence, else the sentence's opening noun phrase ("In 2016, Mrs.
    Schlafly endorsed Trump, saying …")."""
    s_start, _ = doc.spans[doc.sentence_of(cue_pos)]
    for speaker in reversed(mentions):
        if s_start <= speaker.span()[0] < cue_pos:
            return speaker
    toks = doc.tokens(s_start, cue_pos)
    k = 0
    while k < len(toks) and toks[k].lower in _INTRO:
        k += 1
    if k < len(toks) and (toks[k].lower in _PREPOSITIONS or toks[k].lower.endswith("ly")):
        k = next((i + 1 for i in range(k, len(toks)) if toks[i].text == ","), len(toks))
    end = k
    while end < len(toks):
        tok = toks[end]
        if tok.word and end == k and tok.lower in _PRONOUN_WORDS:
            end += 1
            break
        if tok.word and (tok.text[:1].isupper() or tok.lower in _INNER or tok.lower in _OPENERS or tok.lower in ROLE_WORDS):
            end += 1
        elif tok.text == "." and _abbreviation_dot(toks, end):
            end += 1
        else:
            break
    while end > k and toks[end - 1].lower in _EDGE:
        end -= 1
    if end <= k or end >= len(toks) or not toks[end].word or not _valid_head(toks[k:end]):
        return None
    return _Speaker((k, end), (end, end), toks)


def _before_quote(doc: _Doc, lo: int, qs: int, mentions: list[_Speaker]) -> _Found | None:
    """``X said: “…”``, ``X told reporters that “…”``, ``According to X, “…”``."""
    toks = doc.tokens(lo, qs)
    if not any(t.word for t in toks):
        return None
    cue = -1
    for k in range(len(toks) - 1, -1, -1):
        if toks[k].word and _is_cue(doc, toks[k]):
            cue = k
            break
    if cue < 0:
        if len(toks) >= 2 and toks[-1].text == ":":
            # "Kasich resisted: “…”", "Republican pollster Daron Shaw: “…”": a named speaker before a colon
            speaker, _ = _backward_subject(doc, toks, len(toks) - 1, 0)
            if speaker is None or speaker.head[0] > 0 and toks[speaker.head[0] - 1].word:
                speaker, _ = _backward_subject(doc, toks, len(toks) - 2, 0) if toks[-2].word else (None, False)
            if speaker is not None and any(t.text[:1].isupper() for t in toks[speaker.head[0] : speaker.head[1]]):
                return _Found(speaker, None, toks[-1].start)
        return None
    cue_end, cue_text = doc.cues[toks[cue].start]
    j = _cue_end_index(toks, cue, cue_end)
    tail = toks[j:]
    if cue_text == "according to":
        while tail and tail[-1].text in ",:—–-":
            tail = tail[:-1]
        if not tail:
            return None
        speaker = _forward_phrase(toks, j, closed=True)
        if speaker is None or max(speaker.head[1], speaker.appos[1]) < j + len(tail):
            return None
        return _Found(speaker, cue_text, toks[cue].start)
    if len(tail) > _MAX_TAIL or any(t.word and _is_cue(doc, t) for t in tail):
        return None
    if tail and not (tail[-1].text in ":,—–-" or tail[-1].lower == "that"):
        return None  # "X said the West was “…”": reported speech with a quote, not a direct quote
    if tail and tail[0].text == "," and len(tail) > 1:
        return None  # "X said, adding …"
    if _elliptic(toks, cue):
        speaker = _clause_subject(doc, toks[cue].start, mentions)
    else:
        speaker, _ = _backward_subject(doc, toks, cue, 0)
        if speaker is not None and speaker.head[0] > 0 and toks[speaker.head[0] - 1].lower in _RELATIVE:
            return None  # "… on what she called “X”": part of the reported speech around it
    if speaker is None:
        return None
    return _Found(speaker, cue_text, toks[cue].start)


def _next_sentence(doc: _Doc, s: int) -> tuple[_Found | None, bool]:
    """Sentence ``s`` opening with "X said": its speaker, and whether it says nothing else."""
    start, end = doc.spans[s]
    toks = doc.tokens(start, end)
    speaker, c = _forward_subject(doc, toks, 0)
    if speaker is None:
        return None, False
    cue_end, cue = doc.cues[toks[c].start]
    rest = toks[_cue_end_index(toks, c, cue_end) :]
    words = [t for t in rest if t.word]
    bare = len(words) <= _MAX_TAIL and all(t.lower != "that" and not _is_cue(doc, t) for t in words)
    bare = bare and not any(t.text in _QUOTE_CHARS or t.text == ":" for t in rest)
    return _Found(speaker, cue, toks[c].start), bare


_TIME_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday week month year weekend "
                        "morning afternoon evening night".split())  # fmt: skip
_MEDIUM_WORDS = frozenset("statement interview speech tweet post letter briefing address op-ed email "
                          "conversation call".split())  # fmt: skip


def _skip_adjuncts(toks: list[_Tok], k: int) -> int:
    """Skip "on Monday", "last week", "yesterday", "in a statement" after a speech verb."""
    n = len(toks)
    while k < n:
        low = toks[k].lower
        if low in {"yesterday", "today", "tonight", "again", "also", "repeatedly", "previously"}:
            k += 1
        elif low in {"on", "last", "this", "late", "early", "earlier"} and k + 1 < n and toks[k + 1].lower in _TIME_WORDS:
            k += 2
        elif low in {"in", "during", "via", "on"} and k + 2 < n and toks[k + 1].lower in {"a", "an", "his", "her", "their", "its"} \
                and toks[k + 2].lower in _MEDIUM_WORDS:
            k += 3
        elif toks[k].text == ",":
            k += 1
        else:
            break
    return k


def _content_start(doc: _Doc, toks: list[_Tok], j: int, base: str) -> int:
    """Token index where the reported clause after a verb begins (after "that", ":", an object)."""
    n = len(toks)
    for k in range(j, min(n, j + 10)):
        if toks[k].lower == "that":
            return k
        if toks[k].text in ";" or (toks[k].word and _is_cue(doc, toks[k])) or toks[k].text in _QUOTE_CHARS:
            break
    k = j
    if base in _TELL and k < n:
        if toks[k].lower in _OBJECT_PRONOUNS or toks[k].lower in {"reporters", "journalists"}:
            k += 1
        elif toks[k].lower in _OPENERS or toks[k].text[:1].isupper():
            k += 1
            while k < n and toks[k].word and toks[k].text[:1].isupper():
                k += 1
    k = _skip_adjuncts(toks, k)
    while k < n and toks[k].text in ":,":
        k += 1
    return k


def _indirect(doc: _Doc, cue_pos: int, mentions: list[_Speaker]) -> tuple[_Found, int, int] | None:
    """Reported speech around the cue at ``cue_pos``: (attribution, content start, content end)."""
    s_start, s_end = doc.spans[doc.sentence_of(cue_pos)]
    toks = doc.tokens(s_start, s_end)
    c = next((k for k, t in enumerate(toks) if t.start == cue_pos), -1)
    if c < 0:
        return None
    cue_end, cue = doc.cues[cue_pos]
    j = _cue_end_index(toks, c, cue_end)
    end = s_end
    while end > s_start and doc.text[end - 1] in ".!?…":
        end -= 1
    if cue == "according to":
        speaker = _forward_phrase(toks, j, closed=True) if j < len(toks) else None
        if speaker is None:
            return None
        after = max(speaker.head[1], speaker.appos[1])
        if c > 0 and toks[c - 1].text == ",":
            return _Found(speaker, cue, cue_pos), s_start, toks[c - 1].start  # "…, according to X."
        if after < len(toks) and toks[after].text == ",":
            first = after + 1
            if first < len(toks) and any(t.word for t in toks[first:]):
                return _Found(speaker, cue, cue_pos), toks[first].start, end
        return None
    if c > 0 and toks[c - 1].lower in _OPENERS and not toks[c - 1].text[:1].isupper():
        return None  # "the said treaty", "his claims"
    if _elliptic(toks, c):
        speaker, after_comma = _clause_subject(doc, cue_pos, mentions), False
        if speaker is None:
            return None
    else:
        speaker, after_comma = _backward_subject(doc, toks, c, 0)
    rest = [t for t in toks[j:] if t.word]
    if speaker is None:
        # "…, said X."
        if c > 0 and toks[c - 1].text == "," and j < len(toks):
            inverted = _forward_phrase(toks, j)
            if inverted is not None and max(inverted.head[1], inverted.appos[1]) >= len(toks) - 2:
                return _Found(inverted, cue, cue_pos), s_start, toks[c - 1].start
        return None
    if speaker.toks[speaker.head[0]].lower in _NO_SUBJECT:
        return None
    short = len(rest) <= _MAX_TAIL and all(t.lower != "that" for t in rest)
    head_first = speaker.head[0]
    if after_comma and short and head_first >= 2 and speaker.toks is toks:
        return _Found(speaker, cue, cue_pos), s_start, toks[head_first - 1].start  # "…, X said."
    k = _content_start(doc, toks, j, SPEECH_VERBS.get(cue, cue))
    words = [t for t in toks[k:] if t.word]
    if len(words) < 3 or (toks[k].lower in _PREPOSITIONS if k < len(toks) else True):
        return None
    return _Found(speaker, cue, cue_pos), toks[k].start, end


_MAX_LEAD = 3  # words before a floating quote in its sentence ("Now, “…”", "But “…”")


def _whole_sentences(doc: _Doc, q: tuple[int, int]) -> bool:
    """Whether the quote is its sentence(s): nothing after it, and no cue and at most
    :data:`_MAX_LEAD` words before it."""
    a = doc.spans[doc.sentence_of(q[0])][0]
    b = doc.spans[doc.sentence_of(q[1] - 1)][1]
    if _WORD_START.search(doc.text, q[1], b) is not None:
        return False
    return _n_words(doc.text, a, q[0]) <= _MAX_LEAD and not any(a <= c < q[0] for c in doc.cues)


def attributions(text: str, spans: list[tuple[int, int]]) -> list[Raw]:
    """Every attribution of one article, in text order of its content (see the module docstring)."""
    if not isinstance(text, str) or not spans:
        return []
    doc = _Doc(text, spans)
    out: list[Raw] = []
    used: set[int] = set()  # cue positions taken by a direct quote
    quote_attr: dict[int, int] = {}  # quote index -> attribution index
    last_in_sentence: dict[int, int] = {}  # sentence -> the last attribution that ends there

    mentions: list[_Speaker] = []  # the speaker phrases found so far, in the order found

    def add(start: int, end: int, kind: str, found: _Found | None, parent: int = -1) -> int:
        if found is not None and found.speaker is not None:
            ms, me = found.speaker.span()
            head, appos = found.speaker.texts(text)
            mentions.append(found.speaker)
        else:
            ms = me = -1
            head = appos = ""
        if parent >= 0:
            p = out[parent]
            ms, me, head, appos = p.mention_start, p.mention_end, p.head, p.appos
        anchor = ms if ms >= 0 and parent < 0 else start
        out.append(Raw(start, end, kind, None if found is None else found.cue, ms, me, head, appos, parent,
                       doc.paragraph[doc.sentence_of(anchor)]))  # fmt: skip
        index = len(out) - 1
        last = max(end, me) - 1
        last_in_sentence[doc.sentence_of(last)] = index
        return index

    # 1. direct quotes with the attribution in their sentence
    carried: dict[int, _Found] = {}  # "“A,” said X, “B.”": B shares A's attribution
    for k, q in enumerate(doc.quotes):
        s_first = doc.sentence_of(q[0])
        s_last = doc.sentence_of(q[1] - 1)
        before_lo = doc.spans[s_first][0]
        if k and doc.quotes[k - 1][1] > before_lo:
            before_lo = doc.quotes[k - 1][1]
        after_hi = doc.spans[s_last][1]
        if k + 1 < len(doc.quotes) and doc.quotes[k + 1][0] < after_hi:
            after_hi = doc.quotes[k + 1][0]
        found = _after_quote(doc, q, after_hi)
        start = q[0]
        kind = "direct"
        if found is None and k in carried:
            found = carried[k]
        elif found is not None:
            nxt = doc.quotes[k + 1] if k + 1 < len(doc.quotes) else None
            words_end = max(found.end, doc.cues[found.cue_pos][0])
            if nxt is not None and nxt[0] == after_hi and words_end <= nxt[0]:
                # the rest of the sentence up to the next quote: adjuncts of this attribution only
                rest_cues = [c for c in doc.cues if words_end <= c < nxt[0]]
                if not rest_cues and _n_words(text, words_end, nxt[0]) <= 12:
                    carried[k + 1] = found
            lead = doc.tokens(before_lo, q[0])
            if any(t.word for t in lead) and not any(t.word and _is_cue(doc, t) for t in lead):
                start, kind = lead[0].start, "mixed"
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
    for cue_pos in sorted(doc.cues):
        if cue_pos in used or doc.in_quote(cue_pos) or cue_pos < covered_until or doc.cues[cue_pos][1] in QUOTE_ONLY_VERBS:
            continue
        hit = _indirect(doc, cue_pos, mentions)
        if hit is None:
            continue
        found, c_start, c_end = hit
        absorbed = []
        for k, q in enumerate(doc.quotes):
            if q[1] <= c_start or q[0] >= c_end:
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
        if c_end <= c_start or (not absorbed and _n_words(text, c_start, c_end) < 3):
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
        nxt, bare = None, False
        if whole and s_last + 1 < len(doc.spans) and doc.paragraph[s_last + 1] == doc.paragraph[s_last]:
            nxt, bare = _next_sentence(doc, s_last + 1)
        parent = last_in_sentence.get(doc.sentence_of(q[0]) - 1, -1) if whole else -1
        if parent >= 0 and out[parent].mention_start < 0:
            parent = -1
        if nxt is not None and (bare or parent < 0):
            quote_attr[k] = add(q[0], q[1], "direct", nxt)
        elif parent >= 0:
            quote_attr[k] = add(q[0], q[1], "direct", None, parent=parent)
        elif _n_words(text, q[0], q[1]) >= MIN_UNATTRIBUTED_WORDS:
            quote_attr[k] = add(q[0], q[1], "direct", None)
    order = sorted(range(len(out)), key=lambda i: (out[i].start, out[i].end))
    new_index = {old: new for new, old in enumerate(order)}
    for raw in out:
        if raw.parent >= 0:
            raw.parent = new_index[raw.parent]
    return [out[i] for i in order]


def _n_words(text: str, start: int, end: int) -> int:
    return sum(1 for m in _TOKEN_RE.finditer(text, start, end) if _WORD_START.match(m.group()))
