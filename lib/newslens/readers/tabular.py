"""Record formats: JSON Lines, JSON (a list, or {"articles": [...]}), CSV and TSV.

Input fields map to corpus columns by the default names below (case-insensitive) or by an
explicit `columns: {schema column: input column}` mapping from corpus.yml; every other
non-empty field is kept in `extra`.

>>> resolve_fields(["Headline", "Body", "link", "votes"], ())
{'title': 'Headline', 'text': 'Body', 'url': 'link'}
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from newslens.config import FileSettings
from newslens.readers.decoding import TextLines, decode, normalise_line
from newslens.readers.records import FileResult, Problem, RawArticle

DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "outlet": ("outlet", "source", "site", "media_name"),
    "published": ("published", "date", "publish_date"),
    "author": ("author", "byline"),
    "url": ("url", "link"),
    "reprinted_from": ("reprinted_from",),
    "reading_time": ("reading_time",),
}
_CSV_FIELD_LIMIT = 2**31 - 1


def resolve_fields(names: Iterable[str], columns: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Map schema column -> input field: explicit `columns` first, then the default names."""
    present = list(dict.fromkeys(names))
    lower = {name.strip().lower(): name for name in reversed(present)}
    fields: dict[str, str] = {}
    explicit = dict(columns)
    for target, candidates in DEFAULT_FIELDS.items():
        if target in explicit:
            if explicit[target] in present:
                fields[target] = explicit[target]
            elif explicit[target].strip().lower() in lower:
                fields[target] = lower[explicit[target].strip().lower()]
            continue
        hit = next((lower[c] for c in candidates if c in lower), None)
        if hit is not None and hit not in explicit.values():
            fields[target] = hit
    return fields


def build_article(record: int, row: Mapping[str, Any], fields: Mapping[str, str]) -> RawArticle:
    """A RawArticle from one input record, given the resolved field mapping."""
    art = RawArticle(record=record)
    used = set(fields.values())
    for target, key in fields.items():
        value = _as_text(row.get(key))
        if value is None:
            continue
        if target == "text":
            art.text = "\n\n".join(p for p in map(normalise_line, value.splitlines()) if p)
        elif target == "title":
            art.title = " ".join(value.split())
        else:
            setattr(art, target, value.strip())
    art.extra = {k: v for k, v in row.items() if k not in used and v not in (None, "", [], {})}
    return art


def read_jsonl(path: Path, settings: FileSettings) -> FileResult:
    """One JSON object per line; a broken line is an error row, the others are still read."""
    result = FileResult()
    lines = TextLines(path)
    for number, line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            result.problems.append(Problem(number, "error", "invalid-json", f"line {number}: {exc.msg} "
                                           f"(column {exc.colno})"))  # fmt: skip
            continue
        _add_object(result, number, obj, settings)
    result.problems[:0] = lines.problems
    return result


def read_json(path: Path, settings: FileSettings) -> FileResult:
    """A JSON document: a list of article objects, {"articles": [...]}, or one article object."""
    result = FileResult()
    text, warning = decode(path.read_bytes())
    if warning is not None:
        result.problems.append(warning)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        result.problems.append(Problem(None, "error", "invalid-json",
                                       f"{exc.msg} at line {exc.lineno} column {exc.colno}"))  # fmt: skip
        return result
    if isinstance(doc, dict) and isinstance(doc.get("articles"), list):
        items = doc["articles"]
    elif isinstance(doc, dict):
        items = [doc]
    elif isinstance(doc, list):
        items = doc
    else:
        result.problems.append(Problem(None, "error", "unsupported-json",
                                       f"expected a list of objects or {{\"articles\": [...]}}, "
                                       f"got {type(doc).__name__}"))  # fmt: skip
        return result
    for number, obj in enumerate(items, start=1):
        _add_object(result, number, obj, settings)
    return result


def read_csv(path: Path, settings: FileSettings) -> FileResult:
    """Comma-separated values with a header row; `record` is the 1-based data row."""
    return _read_delimited(path, settings, ",")


def read_tsv(path: Path, settings: FileSettings) -> FileResult:
    """Tab-separated values with a header row; `record` is the 1-based data row."""
    return _read_delimited(path, settings, "\t")


def _read_delimited(path: Path, settings: FileSettings, delimiter: str) -> FileResult:
    result = FileResult()
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    lines = TextLines(path, keepends=True)
    rows = csv.reader((line for _, line in lines), delimiter=delimiter)
    header: list[str] | None = None
    fields: dict[str, str] = {}
    record = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            result.problems.append(Problem(record + 1, "error", "invalid-csv",
                                           f"line {rows.line_num}: {exc}"))  # fmt: skip
            record += 1
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip() for cell in row]
            fields = resolve_fields(header, settings.columns)
            missing = _missing_mapped(settings.columns, header)
            if missing or "text" not in fields:
                wanted = missing or [f"one of {', '.join(DEFAULT_FIELDS['text'])}"]
                result.problems.append(Problem(None, "error", "missing-column",
                                               f"no text column ({'; '.join(wanted)}); header is: "
                                               f"{', '.join(header)}; map it in corpus.yml "
                                               "`columns: {text: ...}`; no records read"))  # fmt: skip
                return result
            continue
        record += 1
        if len(row) != len(header):
            result.problems.append(Problem(record, "warning", "ragged-row",
                                           f"{len(row)} cells, header has {len(header)}"))  # fmt: skip
        values = dict(zip(header, row, strict=False))
        if len(row) > len(header):
            values["_extra_cells"] = row[len(header):]
        _add_article(result, build_article(record, values, fields))
    result.problems[:0] = lines.problems
    if header is None:
        result.problems.append(Problem(None, "error", "empty-file", "no header row and no records"))
    return result


def _missing_mapped(columns: tuple[tuple[str, str], ...], header: list[str]) -> list[str]:
    lower = {h.lower() for h in header}
    return [f"{target}: {source!r} is not a column" for target, source in columns
            if source not in header and source.lower() not in lower]  # fmt: skip


def _add_object(result: FileResult, number: int, obj: object, settings: FileSettings) -> None:
    if not isinstance(obj, dict):
        result.problems.append(Problem(number, "error", "not-an-object",
                                       f"record is a {type(obj).__name__}, not an object"))  # fmt: skip
        return
    _add_article(result, build_article(number, obj, resolve_fields(obj, settings.columns)))


def _add_article(result: FileResult, art: RawArticle) -> None:
    if not art.text and not art.title:
        result.problems.append(Problem(art.record, "error", "empty-record",
                                       "record has neither text nor title"))  # fmt: skip
        return
    if not art.text:
        result.problems.append(Problem(art.record, "warning", "no-text", "record has no body text"))
    result.articles.append(art)


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v is not None)
    elif not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)
    return value if value.strip() else None
