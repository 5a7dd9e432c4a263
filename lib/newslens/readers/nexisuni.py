"""Nexis Uni exports: DOCX (read with python-docx) and RTF (read with striprtf).

An export opens with a cover ("Date and Time: ...", "Job Number: ...", "Documents (100)") and a
contents list ("1. Title", "2. Title", ...); then, per article::

    Title
    Outlet                                   <- e.g. "The Guardian(London)"
    July 1, 2019 Monday 9:20 AM GMT          <- date line
    Única Edición                            <- edition lines (extra.edition), optional
    Copyright 2019 ...                       <- extra.copyright, optional
    Section: POLITICS; Version:28            <- fields, "Label:" + no-break space + value
    Length: 355 words
    Byline: Andrew Sparrow
    Body
    paragraphs ...
    Load-Date: July 2, 2019                  <- closing fields
    End of Document

Field labels share the LexisNexis table (`lexisnexis.canonical_label`, stored by
`lexisnexis.store_field`). The stated count ("Documents (N)") and the contents list are checked against the articles parsed; a file with
no "End of Document" and no article (a cover only) is an error row.

>>> lines = ["Documents (1)", "1. A title", "A title", "The Paper", "May 2, 2011 Monday",
...          "Length:\\xa03 words", "Body", "Three words here.", "Load-Date:\\xa0May 3, 2011",
...          "End of Document"]
>>> result = parse_lines(lines)
>>> art = result.articles[0]
>>> art.title, art.outlet, art.published, art.text, art.extra, result.problems
('A title', 'The Paper', datetime.date(2011, 5, 2), 'Three words here.', {'words': 3, 'load-date': 'May 3, 2011'}, [])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from newslens.config import FileSettings
from newslens.dates import parse_dateline
from newslens.readers.accounting import count_check, no_article
from newslens.readers.decoding import decode
from newslens.readers.lexisnexis import store_field
from newslens.readers.records import FileResult, Problem, RawArticle

_END = re.compile(r"^end of document$", re.I)
_BODY = re.compile(r"^(?:body|text|texto|texte|corps|artikel|tekst)$", re.I)
_FIELD = re.compile(r"^([A-Za-zÄÖÜäöüÀ-ÿ][\w/-]*(?: [\w/-]+)?):[\s\xa0]*(.*)$")
_DOCUMENTS = re.compile(r"^(?:documents|dokumente|documenten|documentos|documenti)\s*\((\d+)\)$", re.I)
_CONTENTS = re.compile(r"^(\d+)\.\s+\S")
_COPYRIGHT = re.compile(r"^(?:copyright\b|©)", re.I)
_CLASSIFICATION = re.compile(r"^(?:classification|klassifikation|classificatie|clasificación)$", re.I)


def read_docx(path: Path, settings: FileSettings) -> FileResult:
    """Read a Nexis Uni DOCX export."""
    import docx

    document = docx.Document(str(path))
    return parse_lines(docx_lines(document))


def docx_lines(document) -> list[str]:
    """The text of a python-docx Document, one stripped non-empty line per paragraph or table row."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rpartition("}")[2]
        if tag == "p":
            lines.extend(Paragraph(element, document).text.split("\n"))
        elif tag == "tbl":
            for row in Table(element, document).rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells))
                lines.append(" | ".join(c for c in cells if c))
    return _clean(lines)


def read_rtf(path: Path, settings: FileSettings) -> FileResult:
    """Read a Nexis Uni RTF export (same layout as the DOCX)."""
    result = parse_lines(rtf_lines(path))
    return result


def rtf_lines(path: Path) -> list[str]:
    """The text of an RTF file as stripped non-empty lines."""
    from striprtf.striprtf import rtf_to_text

    raw, _ = decode(path.read_bytes())
    return _clean(rtf_to_text(raw, errors="replace").splitlines())


def _clean(lines: Iterable[str]) -> list[str]:
    out = []
    for line in lines:
        line = " ".join(line.replace("\xa0", "\x00").split()).replace("\x00", "\xa0").strip(" \xa0")
        if line:
            out.append(line)
    return out


def parse_lines(lines: Sequence[str]) -> FileResult:
    """Parse the lines of a Nexis Uni export into articles and problems."""
    result = FileResult()
    ends = [i for i, line in enumerate(lines) if _END.match(line)]
    bodies = [i for i, line in enumerate(lines) if _BODY.match(line)]
    if not ends and not bodies:
        shown = "; ".join(lines[:3]) if lines else "nothing"
        return no_article(result, f"no 'End of Document' and no 'Body' line in {len(lines)} line(s) "
                                  f"({shown!r}): a cover page only, or not a Nexis Uni export")  # fmt: skip
    chunks, start = [], 0
    for end in ends:
        chunks.append(list(lines[start:end]))
        start = end + 1
    tail = list(lines[start:])
    truncated = any(_BODY.match(line) for line in tail)
    if truncated:
        chunks.append(tail)
    cover_end = _cover_end(chunks[0]) if chunks else 0
    cover = chunks[0][:cover_end] if chunks else []
    if chunks:
        chunks[0] = chunks[0][cover_end:]
    unknown: dict[str, list[int]] = {}
    for record, chunk in enumerate(chunks, start=1):
        art, labels = parse_article(chunk, record=record)
        for label in labels:
            unknown.setdefault(label, []).append(record)
        if art is None:
            result.problems.append(Problem(record, "error", "empty-document",
                                           f"document {record} has no title and no body"))  # fmt: skip
            continue
        if not art.text:
            result.problems.append(Problem(record, "warning", "no-text", "article has a title but no body text"))
        result.articles.append(art)
    for label, records in sorted(unknown.items()):
        key = label.lower()
        result.problems.append(Problem(records[0], "warning", "unknown-field",
                                       f"field label {label + ':'!r} is not a known Nexis Uni label "
                                       f"({len(records)} article(s), first: record {records[0]}); "
                                       f"kept in extra[{key!r}]"))  # fmt: skip
    if truncated:
        result.problems.append(Problem(len(chunks), "warning", "truncated",
                                       "the last article has no 'End of Document' line: the export may "
                                       "be cut off"))  # fmt: skip
    stated = next((int(m[1]) for line in cover if (m := _DOCUMENTS.match(line))), None)
    listed = [int(m[1]) for line in cover if (m := _CONTENTS.match(line))]
    if (mismatch := count_check(stated, len(result.articles), f"'Documents ({stated})'")) is not None:
        result.problems.append(mismatch)
    elif stated is None and listed:
        if (mismatch := count_check(max(listed), len(result.articles), "contents list")) is not None:
            result.problems.append(mismatch)
    if listed and stated is not None and max(listed) != stated:
        result.problems.append(Problem(None, "warning", "count-mismatch",
                                       f"the contents list has {max(listed)} entries, the cover states "
                                       f"{stated} documents"))  # fmt: skip
    return no_article(result, f"none of the {len(chunks)} document(s) holds a title or body")


def _cover_end(chunk: Sequence[str]) -> int:
    """Where the first article starts in the first chunk (after cover and contents list)."""
    body = next((i for i, line in enumerate(chunk) if _BODY.match(line)), len(chunk))
    date = _date_index(chunk, body)
    if date is not None and date >= 2:
        return date - 2
    return 0


def _date_index(chunk: Sequence[str], stop: int) -> int | None:
    """The date line of an article header: the last date before the fields and "Body"."""
    index = stop - 1
    while index >= 0 and (_FIELD.match(chunk[index]) or _COPYRIGHT.match(chunk[index])):
        index -= 1
    for i in range(index, max(index - 6, -1), -1):
        if parse_dateline(chunk[i]) is not None and not _FIELD.match(chunk[i]):
            return i
    return None


def parse_article(chunk: Sequence[str], *, record: int) -> tuple[RawArticle | None, list[str]]:
    """One article (the lines before its "End of Document"); also returns the unknown labels."""
    art = RawArticle(record=record, source_id=str(record))
    body_at = next((i for i, line in enumerate(chunk) if _BODY.match(line)), None)
    stop = body_at if body_at is not None else len(chunk)
    footer = len(chunk)
    while footer > stop + 1 and (_FIELD.match(chunk[footer - 1]) or _CLASSIFICATION.match(chunk[footer - 1])):
        footer -= 1
    if body_at is None:
        # no "Body": the fields run from the first label line to the end
        stop = next((i for i, line in enumerate(chunk) if _FIELD.match(line)), len(chunk))
        footer = len(chunk)
    date = _date_index(chunk, stop)
    header = list(chunk[:stop])
    if date is not None:
        art.published = parse_dateline(chunk[date])
        before, after = header[:date], header[date + 1 :]
    else:
        before, after = header[:2], header[2:]
    if before:
        art.outlet = before[-1] if len(before) >= 2 else None
        art.title = before[-2] if len(before) >= 2 else before[0]
    edition, fields = [], []
    for line in after:
        if _COPYRIGHT.match(line):
            art.extra["copyright"] = line
        elif _FIELD.match(line):
            fields.append(line)
        else:
            edition.append(line)
    if edition:
        art.extra["edition"] = " ".join(edition)
    fields.extend(line for line in chunk[footer:] if not _CLASSIFICATION.match(line))
    body = chunk[stop + 1 : footer] if body_at is not None else []
    art.text = "\n\n".join(body)
    unknown = _apply(art, fields)
    if not art.title and not art.text:
        return None, unknown
    return art, unknown


def _apply(art: RawArticle, fields: Sequence[str]) -> list[str]:
    unknown = []
    for line in fields:
        m = _FIELD.match(line)
        if not store_field(art, m[1], m[2].strip()):
            unknown.append(m[1])
    return unknown
