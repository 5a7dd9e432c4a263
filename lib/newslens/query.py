"""A small query language for finding articles and hits, matched on word tokens.

Syntax (case-insensitive matching; operators in upper case):

* ``nato`` — a word; ``escalat*`` — a word with a trailing wildcard (any token starting so)
* ``"red line"`` — a phrase (consecutive tokens); ``"red line*"`` — wildcards work inside too
* ``red line`` — adjacent terms are joined by an implicit AND (both anywhere in the article)
* ``AND``, ``OR``, ``NOT`` and parentheses: ``(nato OR "western allies") AND NOT ukraine*``;
  NOT binds tightest, then AND, then OR

Words are matched against :func:`newslens.text.tokens` of the title and the text, so a query
word is tokenised the same way (``U.S.`` is the token ``u.s``; ``putin’s`` is ``putin's``).
A phrase never spans the title and the body. Malformed queries raise
:class:`QuerySyntaxError` whose message points at the position with a caret.

Matching is fast without giving up exactness: :func:`prefilter` bounds the answer with
vectorised (pyarrow) substring and regex tests on whole columns — articles lacking a term's
letters cannot match, and a plain word with whitespace around it certainly does — and only the
articles in between are checked in Python, where each regex hit of a term is confirmed on the
tokens around it.

>>> q = parse('"red line*" AND NOT nato')
>>> [t.text for t in q.positive_terms]
['"red line*"']
>>> import pandas as pd
>>> df = pd.DataFrame({"title": ["", ""], "text": ["Putin's red lines", "NATO crossed a red line"]})
>>> mask(df, q).tolist()
[True, False]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, reduce

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newslens.text import TOKEN_RE, tokens

__all__ = [
    "QuerySyntaxError", "Term", "And", "Or", "Not", "Query",
    "parse", "phrase", "mask", "prefilter", "candidates", "normalise",
]

_ALNUM_RUN = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s")
_PLAIN = re.compile(r"[a-z0-9]+\*?")
_SURE_END = r"(?:$|[\s,;:!?()\[\]\"“”]|\.(?:$|\s))"
_SURE_END_RE = re.compile(_SURE_END)
_TOKEN_REST = re.compile(r"[^\W_]*(?:['\u2019\-\u2010\u2011][^\W_]+)*")  # the rest of a word token
_VARIANTS = {"'": "['\u2019\u2018]", "-": "[-\u2010\u2011]"}
_TOKEN_TAIL = r"(?:[^\W_]|['\u2019\u2018\-\u2010\u2011.](?=[^\W_]))*"
_WORD = re.compile(r'[^\s()"]+')
OPERATORS = ("AND", "OR", "NOT")


class QuerySyntaxError(ValueError):
    """A malformed query; ``position`` is the 0-based character offset of the problem.

    >>> try:
    ...     parse("red AND")
    ... except QuerySyntaxError as err:
    ...     print(err)
    expected a word, phrase or '(' after 'AND' (position 7)
      red AND
             ^
    """

    def __init__(self, reason: str, query: str, position: int) -> None:
        self.reason = reason
        self.query = query
        self.position = position
        super().__init__(f"{reason} (position {position})\n  {query}\n  {' ' * position}^")


@dataclass(frozen=True)
class Term:
    """A word or phrase: lower-case token ``patterns``; one ending in ``*`` matches any token with that prefix."""

    patterns: tuple[str, ...]
    text: str
    position: int = 0

    def literals(self) -> list[str]:
        """Letter/digit runs every matching article must contain (lower-cased), for pre-filtering."""
        return [run for p in self.patterns for run in _ALNUM_RUN.findall(p.rstrip("*"))]

    def sure_pattern(self) -> str | None:
        """A regex (RE2 syntax, matched ignoring case) whose match proves the term occurs, or None.

        Only for plain ASCII words (a wildcard only at the end): the first word preceded by
        whitespace, words separated by whitespace, the last followed by whitespace or punctuation
        that cannot continue a token. Whitespace never belongs to a token, so such a match is
        always a true token match.

        >>> print(phrase("red line*").positive_terms[0].sure_pattern())
        (?:^|\\s)red\\s+line
        """
        if not all(_PLAIN.fullmatch(p) for p in self.patterns) or any(p.endswith("*") for p in self.patterns[:-1]):
            return None
        words = r"\s+".join(p.rstrip("*") for p in self.patterns)
        tail = "" if self.patterns[-1].endswith("*") else _SURE_END
        return r"(?:^|\s)" + words + tail

    def _source(self) -> str:
        # A superset of the true matches (token boundaries are checked afterwards): each pattern's
        # letters, apostrophe/hyphen variants allowed, a wildcard running on through the token,
        # patterns separated by non-word characters. The "no letter before" check sits after the
        # first (always literal) character so the regex engine can scan for that literal.
        parts = []
        for p in self.patterns:
            core = "".join(_VARIANTS.get(ch, re.escape(ch)) for ch in p.rstrip("*"))
            parts.append(core + _TOKEN_TAIL if p.endswith("*") else core)
        body = r"[\W_]+".join(parts)
        first = re.escape(self.patterns[0][0])
        return first + r"(?<![^\W_]" + first + ")" + body[len(first) :] + r"(?![^\W_])"

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        """For lower-cased text (patterns are lower case)."""
        return re.compile(self._source())

    @cached_property
    def _regex_any_case(self) -> re.Pattern[str]:
        """For text whose lower-casing changes its length (offsets would not carry over)."""
        return re.compile(self._source(), re.IGNORECASE)

    def _token_matches(self, k: int, tok: str) -> bool:
        p = self.patterns[k]
        return tok.startswith(p[:-1]) if p.endswith("*") else tok == p

    def _verify(self, text: str, start: int, end: int) -> int | None:
        """End of a true match starting at ``start`` (``end``: end of the regex match), else None.

        Tokenising from the whitespace before ``start`` to the whitespace after ``end`` gives the
        same tokens as tokenising the whole text, since no token contains whitespace.
        """
        a = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
        m = _SPACE.search(text, end)
        b = m.start() if m else len(text)
        local = [t for t in TOKEN_RE.finditer(text, a, b) if t.start() >= start]
        n = len(self.patterns)
        if len(local) < n or local[0].start() != start:
            return None
        for k in range(n):
            if not self._token_matches(k, normalise(local[k].group()).lower()):
                return None
        return local[n - 1].end()

    @cached_property
    def _plain(self) -> bool:
        """ASCII letters/digits only, a wildcard only at the end after at least two characters."""
        return self.sure_pattern() is not None and not (self.patterns[-1].endswith("*") and len(self.patterns[-1]) < 3)

    def _quick_end(self, haystack: str, m: re.Match) -> int | None:
        """End of the match when whitespace around it proves the token boundaries, else None.

        A token never contains whitespace, so a plain word preceded by whitespace starts a token;
        a word token continues through letters, digits and apostrophe/hyphen joiners only.
        """
        start = m.start()
        if not self._plain or (start > 0 and not haystack[start - 1].isspace()):
            return None
        words = m.group().split()
        if len(words) != len(self.patterns) or any(w.lower() != p for w, p in zip(words, self.patterns[:-1])):
            return None  # some separator was not whitespace
        if self.patterns[-1].endswith("*"):
            return _TOKEN_REST.match(haystack, m.end() - len(words[-1]) + len(self.patterns[-1]) - 1).end()
        return m.end() if _SURE_END_RE.match(haystack, m.end()) else None

    def _search(self, text: str, lowered: str | None = None) -> Iterator[tuple[int, int]]:
        lowered = text.lower() if lowered is None else lowered
        regex, haystack = (self._regex, lowered) if len(lowered) == len(text) else (self._regex_any_case, text)
        pos = 0
        while (m := regex.search(haystack, pos)) is not None:
            end = self._quick_end(haystack, m)
            if end is None:
                end = self._verify(text, m.start(), m.end())
            if end is None:
                pos = m.start() + 1
            else:
                yield m.start(), end
                pos = end

    def spans(self, text: object, lowered: str | None = None) -> list[tuple[int, int]]:
        """Character spans of every match in ``text`` (matched on its tokens, case-insensitive).

        >>> Term(("red", "line*"), '"red line*"').spans("Red lines; red-line; red, lined")
        [(0, 9), (21, 31)]
        """
        return list(self._search(text, lowered)) if isinstance(text, str) else []

    def occurs(self, text: object, lowered: str | None = None) -> bool:
        """Whether the term matches anywhere in ``text`` (``lowered``: ``text.lower()`` if at hand)."""
        return isinstance(text, str) and next(self._search(text, lowered), None) is not None


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Term | And | Or | Not


def _walk(node: Node, negated: bool = False) -> Iterator[tuple[Term, bool]]:
    if isinstance(node, Term):
        yield node, negated
    elif isinstance(node, Not):
        yield from _walk(node.operand, not negated)
    else:
        for child in node.operands:
            yield from _walk(child, negated)


def _truth(node: Node, leaf: Callable[[Term], bool]) -> bool:
    if isinstance(node, Term):
        return leaf(node)
    if isinstance(node, Not):
        return not _truth(node.operand, leaf)
    values = (_truth(child, leaf) for child in node.operands)
    return all(values) if isinstance(node, And) else any(values)


def _bounds(
    node: Node, leaf: Callable[[Term], tuple[np.ndarray, np.ndarray]]
) -> tuple[np.ndarray, np.ndarray]:
    """Arrays (sure, maybe) bounding the true matches from below and above: sure ⊆ true ⊆ maybe."""
    if isinstance(node, Term):
        return leaf(node)
    if isinstance(node, Not):
        sure, maybe = _bounds(node.operand, leaf)
        return ~maybe, ~sure
    parts = [_bounds(child, leaf) for child in node.operands]
    combine = np.logical_and if isinstance(node, And) else np.logical_or
    return reduce(combine, (p[0] for p in parts)), reduce(combine, (p[1] for p in parts))


@dataclass(frozen=True)
class Query:
    """A parsed query: the source ``text`` and its syntax tree ``root``."""

    text: str
    root: Node

    @cached_property
    def terms(self) -> tuple[Term, ...]:
        """Every distinct term (by patterns), in query order."""
        return tuple(_distinct(t for t, _ in _walk(self.root)))

    @cached_property
    def positive_terms(self) -> tuple[Term, ...]:
        """Distinct terms not under a NOT: what a concordance highlights."""
        return tuple(_distinct(t for t, negated in _walk(self.root) if not negated))

    def matches(self, fields: Sequence[object]) -> bool:
        """Whether an article with these fields (title, text) matches; a phrase stays within one field."""
        memo: dict[tuple[str, ...], bool] = {}
        texts = [(f, f.lower()) for f in fields if isinstance(f, str) and f]

        def leaf(term: Term) -> bool:
            if term.patterns not in memo:
                memo[term.patterns] = any(term.occurs(f, low) for f, low in texts)
            return memo[term.patterns]

        return _truth(self.root, leaf)

    def hits(self, text: object) -> list[tuple[int, int, Term]]:
        """Non-overlapping ``(start, end, term)`` character spans of the positive terms in ``text``.

        Where matches overlap, the one starting first wins, then the one with more tokens.

        >>> [(a, b, t.text) for a, b, t in parse('red OR "red line"').hits("A red line, a red flag")]
        [(2, 10, '"red line"'), (14, 17, 'red')]
        """
        if not isinstance(text, str) or not text:
            return []
        lowered = text.lower()
        found = sorted(
            (start, -len(term.patterns), end, i)
            for i, term in enumerate(self.positive_terms)
            for start, end in term.spans(text, lowered)
        )
        terms = self.positive_terms
        out, next_free = [], 0
        for start, _, end, i in found:
            if start >= next_free:
                out.append((start, end, terms[i]))
                next_free = end
        return out


def _distinct(terms: Iterator[Term]) -> Iterator[Term]:
    seen: set[tuple[str, ...]] = set()
    for t in terms:
        if t.patterns not in seen:
            seen.add(t.patterns)
            yield t


# --- parsing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lexeme:
    kind: str  # "term", "op", "(", ")"
    value: object
    position: int
    text: str


def _term_from_words(words: list[tuple[str, int]], text: str, position: int, query: str) -> Term:
    patterns: list[str] = []
    for word, at in words:
        star = word.find("*")
        if star != -1 and (star != len(word) - 1 or star == 0):
            raise QuerySyntaxError("a wildcard '*' may only end a word, after at least one letter", query, at + star)
        toks = tokens(word.rstrip("*"), lower=True)
        if not toks:
            raise QuerySyntaxError(f"{word!r} contains no letters or digits to search for", query, at)
        if word.endswith("*"):
            toks[-1] += "*"
        patterns.extend(toks)
    return Term(tuple(patterns), text, position)


def _lex(query: str) -> list[_Lexeme]:
    out: list[_Lexeme] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(_Lexeme(ch, ch, i, ch))
            i += 1
        elif ch == '"':
            close = query.find('"', i + 1)
            if close == -1:
                raise QuerySyntaxError("unclosed quote: a phrase needs a closing '\"'", query, i)
            inner = query[i + 1 : close]
            words = [(m.group(), i + 1 + m.start()) for m in re.finditer(r"\S+", inner)]
            if not words:
                raise QuerySyntaxError("empty phrase", query, i)
            out.append(_Lexeme("term", _term_from_words(words, query[i : close + 1], i, query), i, query[i : close + 1]))
            i = close + 1
        else:
            m = _WORD.match(query, i)
            word = m.group()
            if word in OPERATORS:
                out.append(_Lexeme("op", word, i, word))
            else:
                out.append(_Lexeme("term", _term_from_words([(word, i)], word, i, query), i, word))
            i = m.end()
    return out


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.lexemes = _lex(query)
        self.i = 0

    def peek(self) -> _Lexeme | None:
        return self.lexemes[self.i] if self.i < len(self.lexemes) else None

    def error(self, reason: str, position: int) -> QuerySyntaxError:
        return QuerySyntaxError(reason, self.query, position)

    def parse(self) -> Node:
        if not self.lexemes:
            raise self.error("empty query", 0)
        node = self.or_expr()
        extra = self.peek()
        if extra is not None:
            if extra.kind == ")":
                raise self.error("unmatched ')'", extra.position)
            raise self.error(f"unexpected {extra.text!r}", extra.position)
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while (lx := self.peek()) is not None and lx.kind == "op" and lx.value == "OR":
            self.i += 1
            items.append(self.and_expr(after=lx))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self, after: _Lexeme | None = None) -> Node:
        items = [self.unary(after)]
        while (lx := self.peek()) is not None:
            if lx.kind == "op" and lx.value == "AND":
                self.i += 1
                items.append(self.unary(lx))
            elif lx.kind in ("term", "(") or (lx.kind == "op" and lx.value == "NOT"):
                items.append(self.unary(None))
            else:
                break
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self, after: _Lexeme | None) -> Node:
        lx = self.peek()
        if lx is not None and lx.kind == "op" and lx.value == "NOT":
            self.i += 1
            return Not(self.unary(lx))
        return self.primary(after)

    def primary(self, after: _Lexeme | None) -> Node:
        lx = self.peek()
        expected = "expected a word, phrase or '('" + (f" after {after.text!r}" if after else "")
        if lx is None:
            raise self.error(expected, len(self.query))
        if lx.kind == "term":
            self.i += 1
            return lx.value  # type: ignore[return-value]
        if lx.kind == "(":
            self.i += 1
            if (nxt := self.peek()) is not None and nxt.kind == ")":
                raise self.error("empty parentheses", lx.position)
            node = self.or_expr()
            close = self.peek()
            if close is None or close.kind != ")":
                raise self.error("'(' is never closed", lx.position)
            self.i += 1
            return node
        if lx.kind == ")":
            raise self.error(f"{expected}, found ')'", lx.position)
        if after is None:
            raise self.error(f"{lx.text!r} needs a word, phrase or '(' before it", lx.position)
        raise self.error(f"{expected}, found {lx.text!r}", lx.position)


def parse(query: str) -> Query:
    """Parse a query string into a :class:`Query` (raises :class:`QuerySyntaxError`).

    >>> parse("escalat* OR (nato AND NOT russia)").root
    Or(operands=(Term(patterns=('escalat*',), text='escalat*', position=0), And(operands=(Term(patterns=('nato',), text='nato', position=13), Not(operand=Term(patterns=('russia',), text='russia', position=26))))))
    """
    if not isinstance(query, str):
        raise TypeError(f"query must be a string, got {type(query).__name__}")
    return Query(query, _Parser(query).parse())


def phrase(pattern: str) -> Query:
    """A query for one word or phrase pattern written without quotes, as in dictionaries.

    >>> phrase("red line*").positive_terms[0].patterns
    ('red', 'line*')
    """
    words = [(m.group(), m.start()) for m in re.finditer(r"\S+", pattern)]
    if not words:
        raise QuerySyntaxError("empty phrase", pattern, 0)
    if '"' in pattern or any(w in OPERATORS or set(w) & set("()") for w, _ in words):
        raise QuerySyntaxError("a phrase pattern takes words only (no quotes, operators or parentheses)", pattern, 0)
    return Query(pattern, _term_from_words(words, pattern, 0, pattern))


# --- matching on a corpus table -------------------------------------------------------------


def normalise(token: str) -> str:
    """A token's curly apostrophe and Unicode hyphens as ASCII, as ``newslens.text.tokens`` does.

    >>> normalise("Putin\u2019s long\u2011range")
    "Putin's long-range"
    """
    return token.replace("\u2019", "'").replace("\u2010", "-").replace("\u2011", "-")


def _as_query(query: str | Query) -> Query:
    return query if isinstance(query, Query) else parse(query)


PREFILTER_ROWS = 20_000
"""Articles lower-cased at a time by the vectorised pre-filter (bounds its memory)."""


def prefilter(df: pd.DataFrame, query: str | Query) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised bounds on :func:`mask`: ``(sure, maybe)`` boolean arrays with sure ⊆ mask ⊆ maybe.

    ``maybe``: a term can only match in a field (title or text) that contains all its letter/digit
    runs as substrings (ignoring case). ``sure``: the term's :meth:`Term.sure_pattern` matches the
    field (ignoring case). NOT swaps the bounds, so only articles between them need their tokens checked.
    """
    q = _as_query(query)
    sure_all = np.zeros(len(df), dtype=bool)
    maybe_all = np.zeros(len(df), dtype=bool)
    for first in range(0, len(df), PREFILTER_ROWS):
        rows = slice(first, first + PREFILTER_ROWS)
        fields = [df[c].iloc[rows].fillna("").astype("str") for c in ("title", "text")]
        size = len(fields[0])
        cache: dict[tuple[int, str], np.ndarray] = {}

        def contains(k: int, literal: str) -> np.ndarray:
            if (k, literal) not in cache:
                found = fields[k].str.contains(literal, case=False, regex=False)
                cache[(k, literal)] = found.to_numpy(dtype=bool, na_value=False)
            return cache[(k, literal)]

        def leaf(term: Term) -> tuple[np.ndarray, np.ndarray]:
            maybe = np.zeros(size, dtype=bool)
            sure = np.zeros(size, dtype=bool)
            pattern = term.sure_pattern()
            for k in range(2):
                here = reduce(np.logical_and, (contains(k, lit) for lit in term.literals()), np.ones(size, bool))
                maybe |= here
                if pattern is not None and here.any():
                    sure |= here & _regex_contains(fields[k], pattern)
            return sure, maybe

        sure_all[rows], maybe_all[rows] = _bounds(q.root, leaf)
    return sure_all, maybe_all


def _regex_contains(values: pd.Series, pattern: str) -> np.ndarray:
    """Case-insensitive RE2 search with pyarrow (pandas would fall back to Python's re here)."""
    found = pc.match_substring_regex(pa.array(values.array), pattern, ignore_case=True)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def candidates(df: pd.DataFrame, query: str | Query) -> pd.Series:
    """Boolean Series: articles that may match ``query`` (a superset of :func:`mask`, vectorised)."""
    return pd.Series(prefilter(df, query)[1], index=df.index, name="candidate")


def mask(df: pd.DataFrame, query: str | Query) -> pd.Series:
    """Boolean Series (aligned with ``df.index``): which articles' title or text match ``query``.

    >>> df = pd.DataFrame({"title": ["Escalation", "Talks"], "text": ["NATO warns", "Peace talks resume"]})
    >>> mask(df, "escalat* AND nato").tolist()
    [True, False]
    """
    q = _as_query(query)
    sure, maybe = prefilter(df, q)
    result = sure.copy()
    unsure = np.flatnonzero(maybe & ~sure)
    for first in range(0, len(unsure), PREFILTER_ROWS):
        rows = unsure[first : first + PREFILTER_ROWS]
        titles = df["title"].iloc[rows].to_numpy(dtype=object)
        texts = df["text"].iloc[rows].to_numpy(dtype=object)
        result[rows] = [q.matches(fields) for fields in zip(titles, texts)]
    return pd.Series(result, index=df.index, name="match")
