"""Keyword in context: one row per hit of a query, with its left and right context.

The query (see :mod:`newslens.query`) selects the articles — AND, OR and NOT work on whole
articles — and its positive words and phrases (those not under a NOT) are the hits shown.
Articles are pre-filtered with vectorised substring and regex tests (:func:`newslens.query.prefilter`)
before any tokenising, so a search over 100,000 articles takes seconds. Contexts are the original text, ``window`` tokens either
side, with runs of whitespace shown as one space.

>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["a1"], "outlet": ["Daily"], "published": [pd.Timestamp("2024-09-12")],
...     "title": [""], "text": ["Putin said that the West's long-range strikes cross a red line."]})
>>> kwic(df, '"red line*"', window=3)[["left", "match", "right"]].values.tolist()
[['strikes cross a', 'red line', '']]
"""

from __future__ import annotations

import re
from collections import deque
from functools import lru_cache
from typing import Literal, get_args

import numpy as np
import pandas as pd

from newslens.choices import check_choice
from newslens.query import PREFILTER_ROWS, Query, normalise, parse, prefilter
from newslens.text import TOKEN_PATTERN, TOKEN_RE

Sort = Literal["position", "left", "right"]
SORTS: tuple[str, ...] = get_args(Sort)
COLUMNS = ["id", "outlet", "published", "title", "field", "offset", "term", "left", "match", "right"]
_SPACE = re.compile(r"\s+")
_FETCHED = ("id", "outlet", "published", "title", "text")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _left(text: str, start: int, window: int, *, key: bool) -> tuple[str, str]:
    """Original text of the ``window`` tokens before ``start``; if ``key``, their lower-cased words nearest first."""
    if window == 0:
        return "", ""
    reach = 8 * (window + 1)
    while True:
        a = 0 if start - reach <= 0 else max(text.rfind(" ", 0, start - reach), text.rfind("\n", 0, start - reach)) + 1
        found = deque(TOKEN_RE.finditer(text, a, start), maxlen=window)
        if len(found) == window or a == 0:
            break
        reach *= 4
    if not found:
        return "", ""
    words = " ".join(reversed([normalise(t.group()).lower() for t in found])) if key else ""
    return _squash(text[found[0].start() : start]), words


@lru_cache(maxsize=8)
def _following(window: int) -> re.Pattern[str]:
    """Matches from a position through the next ``window`` tokens (at least one), as a token scan would find them.

    The skip before each token is lazy and the token atomic, so each repetition takes the
    first token a left-to-right scan finds; the greedy count stops at the first token missing.
    """
    return re.compile(rf"(?:[\s\S]*?(?>{TOKEN_PATTERN})){{1,{window}}}")


def _right(text: str, end: int, window: int, *, key: bool) -> tuple[str, str]:
    """Original text of the ``window`` tokens after ``end``, and (if ``key``) their lower-cased words."""
    if window == 0:
        return "", ""
    m = _following(window).match(text, end)
    if m is None:
        return "", ""
    words = " ".join(normalise(t).lower() for t in TOKEN_RE.findall(text, end, m.end())) if key else ""
    return _squash(text[end : m.end()]), words


def kwic(
    corpus_df: pd.DataFrame,
    query: str | Query,
    *,
    window: int = 5,
    sort: Sort = "position",
    max_per_article: int | None = 10,
) -> pd.DataFrame:
    """Concordance of ``query`` in the titles and texts of ``corpus_df``.

    Returns ``id, outlet, published, title, field ("title"/"text"), offset (character offset of
    the match in that field), term (the query term that matched), left, match, right``.
    ``sort="position"`` orders by publication date (undated last), article and position;
    ``"left"`` by the words before the hit (nearest first), ``"right"`` by the words after it.
    At most ``max_per_article`` hits per article (``None`` = all); ``result.attrs`` records
    ``hits_total``, ``hits_shown`` and ``articles``.
    """
    check_choice("sort", sort, SORTS)
    if window < 0:
        raise ValueError(f"window must be >= 0, got {window}")
    if max_per_article is not None and max_per_article < 1:
        raise ValueError(f"max_per_article must be >= 1 or None, got {max_per_article}")
    q = query if isinstance(query, Query) else parse(query)
    if not q.positive_terms:
        raise ValueError(f"query {q.text!r} has no word or phrase outside NOT to show in context")
    rows: list[tuple] = []
    total = articles = 0
    sure, maybe = prefilter(corpus_df, q)
    positions = np.flatnonzero(maybe)
    for first in range(0, len(positions), PREFILTER_ROWS):
        chunk = positions[first : first + PREFILTER_ROWS]
        # Slice first: a take from a many-chunked Arrow column would copy the whole column.
        span, picked = slice(chunk[0], chunk[-1] + 1), chunk - chunk[0]
        columns = [corpus_df[c].iloc[span].iloc[picked].tolist() for c in _FETCHED]
        for decided, rec in zip(sure[chunk], zip(*columns)):
            fields = (("title", rec[3]), ("text", rec[4]))
            if not decided and not q.matches([text for _, text in fields]):
                continue
            articles += 1
            shown = 0
            for order, (field, text) in enumerate(fields):
                for start, end, term in q.hits(text):
                    total += 1
                    if max_per_article is not None and shown >= max_per_article:
                        continue
                    shown += 1
                    left, left_key = _left(text, start, window, key=sort == "left")
                    right, right_key = _right(text, end, window, key=sort == "right")
                    match = _squash(text[start:end])
                    rows.append((*rec[:4], field, start, term.text, left, match, right, order, left_key, right_key))
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "_field", "_left", "_right"])
    text_columns = ["id", "outlet", "title", "field", "term", "left", "match", "right"]
    frame = frame.astype({**{c: "str" for c in text_columns}, "offset": "int64",
                          "published": corpus_df["published"].dtype})  # fmt: skip
    position = ["published", "id", "_field", "offset"]
    keys = {"position": position, "left": ["_left", *position], "right": ["_right", *position]}[sort]
    frame = frame.sort_values(keys, na_position="last", kind="stable", ignore_index=True)[COLUMNS]
    frame.attrs.update(hits_total=total, hits_shown=len(frame), articles=articles)
    return frame


def concordance_lines(hits: pd.DataFrame, *, width: int = 40) -> list[str]:
    """Aligned text lines of a :func:`kwic` result: date, outlet, left context, [match], right context.

    Left contexts are right-aligned and cut to ``width`` characters from the left (``…`` marks a
    cut), right contexts cut to ``width`` from the right, so every match starts in the same column.

    >>> hits = pd.DataFrame({"published": [pd.Timestamp("2024-09-12"), pd.NaT], "outlet": ["Daily", "Kyiv Post"],
    ...     "left": ["said the strikes cross a", ""], "match": ["red line", "Red lines"], "right": ["", "again"]})
    >>> print("\\n".join(concordance_lines(hits, width=12)))
    2024-09-12  Daily     …kes cross a [red line]
    ----------  Kyiv Post              [Red lines] again
    """
    if width < 2:
        raise ValueError(f"width must be >= 2, got {width}")

    def cut_left(s: str) -> str:
        return s if len(s) <= width else "…" + s[len(s) - width + 1 :]

    def cut_right(s: str) -> str:
        return s if len(s) <= width else s[: width - 1] + "…"

    dates = [d.strftime("%Y-%m-%d") if pd.notna(d) else "-" * 10 for d in hits["published"]]
    outlets = [str(o) if pd.notna(o) else "" for o in hits["outlet"]]
    outlet_width = max((len(o) for o in outlets), default=0)
    lefts = [cut_left(s) for s in hits["left"]]
    left_width = max((len(s) for s in lefts), default=0)
    return [
        f"{d}  {o:<{outlet_width}} {left:>{left_width}} [{m}] {cut_right(r)}".rstrip()
        for d, o, left, m, r in zip(dates, outlets, lefts, hits["match"], hits["right"])
    ]
