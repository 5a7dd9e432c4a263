"""Media Cloud CSV exports: the current search export and the legacy Explorer export.

Current search export: `id, indexed_date, language, media_name, media_url, publish_date, title,
url` (expanded exports add `text`). Legacy Explorer export: `stories_id, publish_date, title,
url, language, ap_syndicated, themes, media_id, media_name, media_url`. The Media Cloud id
(`id` / `stories_id`) is the `source_id`; `media_name` is the outlet; every other column goes
to `extra`. Without a text column the articles are title-only: `extra["text_status"]` is
"title-only" and one `title-only` warning row per file says how many, so analyses that need a
body can say so.

>>> is_mediacloud(["id", "indexed_date", "language", "media_name", "media_url", "publish_date", "title", "url"])
True
>>> is_mediacloud(["title", "text", "date"])
False
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from newslens.config import FileSettings
from newslens.readers.accounting import no_article
from newslens.readers.decoding import TextLines
from newslens.readers.records import FileResult, Problem, RawArticle

_ID_COLUMNS = ("id", "stories_id")
_REQUIRED = frozenset({"media_name", "publish_date", "title", "url"})
_TEXT_COLUMNS = ("text", "story_text", "full_text")
TITLE_ONLY = "title-only"


def is_mediacloud(header: Sequence[str]) -> bool:
    """True for a Media Cloud header: an id or stories_id column beside media_name, publish_date,
    title and url."""
    names = {h.strip().lower() for h in header}
    return _REQUIRED <= names and any(c in names for c in _ID_COLUMNS)


def read_csv(path: Path, settings: FileSettings) -> FileResult:
    """Read a Media Cloud CSV export; `record` is the 1-based data row."""
    result = FileResult()
    lines = TextLines(path, keepends=True)
    rows = csv.reader(line for _, line in lines)
    header: list[str] | None = None
    title_only = record = 0
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            if not is_mediacloud(header):
                return no_article(result, f"not a Media Cloud header: {', '.join(header)}")
            id_column = next(c for c in _ID_COLUMNS if c in header)
            text_column = next((c for c in _TEXT_COLUMNS if c in header), None)
            continue
        record += 1
        if len(row) != len(header):
            result.problems.append(Problem(record, "warning", "ragged-row",
                                           f"{len(row)} cells, header has {len(header)}"))  # fmt: skip
        values = dict(zip(header, (cell.strip() for cell in row), strict=False))
        art = RawArticle(
            record=record,
            title=" ".join(values.pop("title", "").split()),
            outlet=values.pop("media_name", "") or None,
            published=values.pop("publish_date", "") or None,
            url=values.pop("url", "") or None,
            source_id=values.pop(id_column, "") or None,
        )
        text = values.pop(text_column, "") if text_column else ""
        art.text = "\n\n".join(p for p in (" ".join(x.split()) for x in text.splitlines()) if p)
        art.extra = {k: v for k, v in values.items() if v}
        if not art.title and not art.text:
            result.problems.append(Problem(record, "error", "empty-record", "row has neither title nor text"))
            continue
        if not art.text:
            art.extra["text_status"] = TITLE_ONLY
            title_only += 1
        result.articles.append(art)
    result.problems[:0] = lines.problems
    if title_only:
        result.problems.append(Problem(None, "warning", TITLE_ONLY,
                                       f"{title_only} of {len(result.articles)} articles have a title but "
                                       "no text (the export has no text column): analyses that need a "
                                       "body skip them"))  # fmt: skip
    return no_article(result, "no header row and no records" if header is None else "no data rows")
