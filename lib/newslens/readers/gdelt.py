"""GDELT Global Knowledge Graph 2.1 files: tab-separated, no header, 27 columns, one row per document.

Metadata only: the record id (`source_id`), the date (`V2.1DATE`, YYYYMMDDHHMMSS), the source's
common name (outlet), the document URL, and in `extra` as structured JSON: `tone` (V1.5TONE's
seven values), `themes`, `persons`, `organizations`, `locations` (type, name, country, ADM1,
latitude, longitude, feature id) and the source collection. The page title comes from the
Extras field's `<PAGE_TITLE>` (authors from `<PAGE_AUTHORS>`). The text is always empty:
`extra["text_status"]` is "metadata-only" and one warning row per file says so.

>>> row = ["20230702153000-0", "20230702153000", "1", "example.org", "https://example.org/a", "", "",
...        "KILL;WOUND", "", "1#Kenya#KE#KE##-1#38#KE", "", "jane doe", "", "un", "",
...        "-2.5,1.5,4,5.5,20,1,300", "", "", "", "", "", "", "", "", "", "",
...        "<PAGE_TITLE>Two dead</PAGE_TITLE>"]
>>> art = parse_row(row, record=1)
>>> art.title, art.outlet, art.published, art.source_id, art.extra["tone"]["tone"], art.extra["themes"]
('Two dead', 'example.org', datetime.date(2023, 7, 2), '20230702153000-0', -2.5, ['KILL', 'WOUND'])
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from pathlib import Path

from newslens.config import FileSettings
from newslens.readers.accounting import no_article
from newslens.readers.decoding import TextLines
from newslens.readers.records import FileResult, Problem, RawArticle

COLUMNS = 27
RECORD_ID = re.compile(r"^\d{14}-T?\d+$")
TONE = ("tone", "positive", "negative", "polarity", "activity_density", "self_group_density", "word_count")
LOCATION = ("type", "name", "country", "adm1", "latitude", "longitude", "feature_id")
METADATA_ONLY = "metadata-only"
_COLLECTIONS = {"1": "web", "2": "citation-only", "3": "core", "4": "dtic", "5": "jstor", "6": "non-textual"}
_EXTRA = re.compile(r"<(PAGE_TITLE|PAGE_AUTHORS)>(.*?)</\1>", re.S)


def is_gkg(first_line: str) -> bool:
    """True for a GKG 2.1 row: 27 tab-separated fields, the first a record id (YYYYMMDDHHMMSS-N).

    >>> is_gkg("20230702153000-0\\t" + "\\t".join(["x"] * 26)), is_gkg("id,title")
    (True, False)
    """
    fields = first_line.rstrip("\r\n").split("\t")
    return len(fields) == COLUMNS and bool(RECORD_ID.match(fields[0]))


def read_gkg(path: Path, settings: FileSettings) -> FileResult:
    """Read a GKG 2.1 file; `record` is the 1-based line number."""
    result = FileResult()
    lines = TextLines(path)
    for number, line in lines:
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != COLUMNS:
            result.problems.append(Problem(number, "error", "ragged-row",
                                           f"{len(fields)} tab-separated fields, GKG 2.1 has {COLUMNS}; "
                                           "row skipped"))  # fmt: skip
            continue
        result.articles.append(parse_row(fields, record=number))
    result.problems[:0] = lines.problems
    if result.articles:
        untitled = sum(not a.title for a in result.articles)
        result.problems.append(Problem(None, "warning", METADATA_ONLY,
                                       f"{len(result.articles)} GKG records are metadata only (no text; "
                                       f"{untitled} without a page title): analyses that need a body "
                                       "skip them"))  # fmt: skip
    return no_article(result, "no GKG 2.1 rows (27 tab-separated fields)")


def parse_row(fields: Sequence[str], *, record: int) -> RawArticle:
    """One GKG row (27 fields) as a metadata-only RawArticle."""
    extras = {name: html.unescape(value).strip() for name, value in _EXTRA.findall(fields[26])}
    extra: dict[str, object] = {"text_status": METADATA_ONLY}
    if tone := _tone(fields[15]):
        extra["tone"] = tone
    for key, column in (("themes", 7), ("persons", 11), ("organizations", 13)):
        if values := _unique(fields[column].split(";")):
            extra[key] = values
    if locations := [_location(x) for x in fields[9].split(";") if x.strip()]:
        extra["locations"] = locations
    extra["collection"] = _COLLECTIONS.get(fields[2], fields[2])
    return RawArticle(
        record=record,
        title=" ".join(extras.get("PAGE_TITLE", "").split()),
        outlet=fields[3].strip() or None,
        published=_date(fields[1]),
        author=extras.get("PAGE_AUTHORS") or None,
        url=fields[4].strip() or None,
        extra=extra,
        source_id=fields[0].strip() or None,
    )


def _date(value: str) -> dt.date | str | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError:
        return value


def _tone(value: str) -> dict[str, float] | None:
    parts = value.split(",")
    if len(parts) != len(TONE):
        return None
    try:
        return dict(zip(TONE, map(float, parts), strict=True))
    except ValueError:
        return None


def _location(entry: str) -> dict[str, object]:
    parts = entry.split("#") + [""] * len(LOCATION)
    out: dict[str, object] = dict(zip(LOCATION, parts, strict=False))
    for key in ("latitude", "longitude"):
        try:
            out[key] = float(out[key]) if out[key] != "" else None
        except ValueError:
            pass
    return out


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))
