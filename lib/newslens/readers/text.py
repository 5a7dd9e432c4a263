"""Scraped article text (.txt): title, `- ` metadata lines, body paragraphs, trailing boilerplate.

Layout (the format of the seed article)::

    NATO Secretary General calls Putin's "red lines" a fake     <- line 1: title
    - Times Tengri                                              <- outlet: first `- ` line that is
    - Sep 17, 2024                                                 not a date, reading time or byline
    - 2 min read
    - By Jane Doe                                               (optional byline)
    First paragraph ...                                         <- body, one paragraph per line
    Reprinted from https://news.am/                             <- or `Source: <url>` -> reprinted_from
    Comments                                                    <- trailing boilerplate, removed

Further `- ` lines go to `extra` (`Key: value` lines under their lower-cased key, others under
"meta"). A second date line goes to `extra` too.

>>> art, problems = parse_scraped("Title\\n- Outlet\\n- 2024-09-17\\n- 3 min read\\nBody.\\nShare\\n")
>>> art.title, art.outlet, art.published, art.reading_time, art.text, problems
('Title', 'Outlet', datetime.date(2024, 9, 17), 3, 'Body.', [])
"""

from __future__ import annotations

import re
from pathlib import Path

from newslens.config import FileSettings
from newslens.dates import looks_like_date, parse_date
from newslens.readers.decoding import decode, normalise_line
from newslens.readers.records import FileResult, Problem, RawArticle

_READING_TIME = re.compile(
    r"^(?:reading time:?\s*)?(\d{1,3})\s*(?:-|\s)?(?:min|mins|minutes?)\.?(?:\s+read(?:ing)?)?$",
    re.I,
)
_BYLINE = re.compile(r"^(?:by|written by|author:)\s+(\S.*)$", re.I)
_DATED = re.compile(r"^(?:published|posted|date|updated|last updated)(?:\s+on)?:?\s+(.+)$", re.I)
_KEY_VALUE = re.compile(r"^([A-Za-z][\w .-]{0,30}?)\s*:\s+(\S.*)$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_REPRINT = re.compile(
    r"^(?:reprinted from|republished from|originally published (?:at|by|on|in))\s*:?\s+(\S.*)$"
    r"|^source\s*:\s*((?:https?://|www\.)\S+)$",
    re.I,
)
_BOILERPLATE = re.compile(
    r"^(?:comments?|\d+\s+comments?|comments?\s*\(\d+\)|share|share this(?: article| story)?|"
    r"tweet|print|e-?mail|like|advertisement|related(?: articles| news)?|read more|subscribe|"
    r"leave a (?:comment|reply)|tags?:?|more news|back to top|copy link)$",
    re.I,
)


def read_txt(path: Path, settings: FileSettings) -> FileResult:
    """Read one scraped-article .txt file (one article, record 1)."""
    result = FileResult()
    text, warning = decode(path.read_bytes())
    if warning is not None:
        result.problems.append(warning)
    article, problems = parse_scraped(
        text, dayfirst=settings.dayfirst, formats=settings.date_formats
    )
    result.problems.extend(problems)
    if article is not None:
        result.articles.append(article)
    return result


def parse_scraped(
    text: str, *, dayfirst: bool = False, formats: tuple[str, ...] = ()
) -> tuple[RawArticle | None, list[Problem]]:
    """Parse the text of one scraped article; None (with an error) when there is nothing in it."""
    lines = [normalise_line(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return None, [Problem(None, "error", "empty-file", "no text in the file")]
    problems: list[Problem] = []
    art = RawArticle(record=1)
    start = 0
    if lines[0].startswith("- "):
        problems.append(Problem(1, "warning", "missing-title", "first line is metadata, not a title"))
    else:
        art.title = lines[0]
        start = 1
    end = start
    while end < len(lines) and lines[end].startswith("- "):
        end += 1
    meta, body = lines[start:end], lines[end:]
    _read_meta(art, [line[2:].strip() for line in meta], dayfirst, formats)
    while body:
        if _BOILERPLATE.match(body[-1]):
            body.pop()
        elif art.reprinted_from is None and (m := _REPRINT.match(body[-1])):
            art.reprinted_from = m[1] or m[2]
            body.pop()
        else:
            break
    art.text = "\n\n".join(body)
    if not art.text:
        problems.append(Problem(1, "warning", "no-text", "article has a title but no body text"))
    return art, problems


def _read_meta(art: RawArticle, meta: list[str], dayfirst: bool, formats: tuple[str, ...]) -> None:
    extra_lines: list[str] = []
    for value in meta:
        if not value:
            continue
        day = parse_date(value, dayfirst=dayfirst, formats=formats)
        if day is None and (m := _DATED.match(value)):
            day = parse_date(m[1], dayfirst=dayfirst, formats=formats)
        if day is None and art.published is None and looks_like_date(value):
            art.published = value  # unparseable: reported as bad-date, kept in extra
        elif day is not None and art.published is None:
            art.published = day
        elif (m := _READING_TIME.match(value)) and art.reading_time is None:
            art.reading_time = int(m[1])
        elif (m := _BYLINE.match(value)) and art.author is None:
            art.author = m[1].strip()
        elif art.outlet is None and day is None:
            art.outlet = value
        elif _URL.match(value) and art.url is None:
            art.url = value
        elif (m := _KEY_VALUE.match(value)) and m[1].strip().lower() not in art.extra:
            art.extra[m[1].strip().lower()] = m[2]
        else:
            extra_lines.append(value)
    if extra_lines:
        art.extra["meta"] = extra_lines
