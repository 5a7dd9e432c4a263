"""LexisNexis exports: the classic TXT download and the older HTML download.

A classic export is a cover block ("Download Request: Selected Items: 1-10", or its Dutch or
German form) followed by documents, each opened by a "N of M DOCUMENTS" line::

                               1 of 10 DOCUMENTS          <- separator (record 1, source_id "1")
                                  Guardian.com            <- centred header: outlet,
                            January 11, 2010 Monday       <- date line, edition lines
    Headline; subtitle after a semicolon                  <- title (the ';' part is extra.subtitle)
    BYLINE: Andrew Sparrow                                <- header fields
    LENGTH: 355 words
    Body paragraphs, wrapped at 80 columns ...            <- text (lines of a paragraph joined)
    LOAD-DATE: January 11, 2010                           <- footer fields
                       Copyright 2010 Guardian Unlimited   <- copyright (extra.copyright)

Field labels are read in English, German, Dutch and French (`AUTOR:`, `RUBRIK:`, `LÄNGE:`,
`LONGUEUR:`, ...) and stored under one English key (`extra["section"]`, `extra["words"]`, ...).
A field block is bounded by known labels: an unknown `LABEL:` between known ones is kept in
`extra` and reported, one at the edge of the body ("WASHINGTON: ...") stays body text.

The counts the file states (the cover's range, the "of M" of the separators) are checked against
what was parsed; a document with neither headline nor body is an error row.

>>> doc = ("     1 of 1 DOCUMENT\\n\\n              The Paper\\n\\n            May 2, 2011 Monday\\n\\n"
...        "Head;\\nSub\\n\\nBYLINE: Ann Lee\\n\\nLENGTH: 3 words\\n\\nBody text here.\\n\\n"
...        "LANGUAGE: ENGLISH\\n\\n          Copyright 2011 The Paper\\n")
>>> result = parse_txt(doc)
>>> art = result.articles[0]
>>> art.title, art.outlet, art.published, art.author, art.text, art.source_id
('Head', 'The Paper', datetime.date(2011, 5, 2), 'Ann Lee', 'Body text here.', '1')
>>> art.extra["subtitle"], art.extra["words"], art.extra["language"], result.problems
('Sub', 3, 'ENGLISH', [])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newslens.config import FileSettings
from newslens.dates import looks_like_date, parse_dateline
from newslens.readers.accounting import count_check, no_article
from newslens.readers.decoding import decode, read_html_export
from newslens.readers.records import FileResult, Problem, RawArticle

SEPARATOR = re.compile(
    r"^\s*(\d+)\s+(?:of|von|van|de|sur|di|af|av)\s+(\d+)\s+"
    r"(?:DOCUMENTS?|DOKUMENTE?N?|DOCUMENTEN|DOCUMENTI|DOCUMENTOS|DOKUMENTER)\s*$",
    re.I,
)
_LABEL = re.compile(r"^([A-ZÄÖÜÀÂÇÉÈÊËÎÏÔÛÙ][A-ZÄÖÜÀÂÇÉÈÊËÎÏÔÛÙ0-9/-]*[A-ZÄÖÜÀÂÇÉÈÊËÎÏÔÛÙ]):(?:\s+(.*))?$")
_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s)", re.I)
_RIGHTS = re.compile(r"rights reserved|rechte vorbehalten|droits réservés|rechten voorbehouden|"
                     r"^all rights|^alle rechte", re.I)  # fmt: skip
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_WORDS = re.compile(r"^(\d[\d,.]*)\s*(?:words?|wörter|woerter|worte|mots|woorden|palabras|parole|ord)\.?$",
                    re.I)  # fmt: skip
_COVER_RANGE = re.compile(
    r"^(?:download request|printopdracht|druckauftrag|demande d'impression|print request)\s*:"
    r".*?(\d+)\s*-\s*(\d+)\s*$",
    re.I,
)
_VENDOR_ERROR = re.compile(r"error in this document|not possible to display|kann nicht angezeigt", re.I)
INDENT = 10
"""A line indented this much (or more) is centred: LexisNexis centres outlet, date and copyright."""

# canonical key -> labels in English, German, Dutch and French (upper case, as exported)
_FIELDS: dict[str, tuple[str, ...]] = {
    "author": ("BYLINE", "AUTOR", "AUTEUR", "SIGNATURE", "NAME", "VERFASSER", "AUTHOR"),
    "title": ("HEADLINE", "TITLE", "TITRE", "TITEL", "LEADALL", "KOP", "SCHLAGZEILE"),
    "body": ("BODY", "TEXT", "TEXTE", "ARTICLE", "ARTIKEL", "TEKST", "CHAPEAU"),
    "section": ("SECTION", "RUBRIK", "RUBRIQUE", "RUBRIEK", "SECTIE", "RESSORT"),
    "length": ("LENGTH", "LÄNGE", "LAENGE", "LONGUEUR", "LENGTE", "UMFANG"),
    "load-date": ("LOAD-DATE", "UPDATE", "DATE-CHARGEMENT", "LAADDATUM", "LADEDATUM"),
    "language": ("LANGUAGE", "SPRACHE", "LANGUE", "TAAL"),
    "publication-type": ("PUBLICATION-TYPE", "PUB-TYPE", "TYPE-PUBLICATION", "PUBLIKATIONSTYP",
                         "PUBLICATIETYPE", "PUBLICATIE-TYPE", "DOCUMENT-TYPE"),
    "journal-code": ("JOURNAL-CODE", "CODE-REVUE", "JOURNALCODE"),
    "dateline": ("DATELINE", "ORTSZEILE", "LIEU", "PLAATS"),
    "highlight": ("HIGHLIGHT", "UNTERZEILE", "INTRO", "LEAD"),
    "graphic": ("GRAPHIC", "GRAFIK", "GRAPHIQUE", "ILLUSTRATION", "AFBEELDING", "FOTO", "PHOTO"),
    "url": ("URL",),
    "correction": ("CORRECTION", "KORREKTUR", "RECTIFICATIF"),
    "correction-date": ("CORRECTION-DATE",),
    "notes": ("NOTES", "NOTE", "ANMERKUNG", "HINWEIS"),
    "edition": ("EDITION", "AUSGABE", "EDITIE"),
}  # fmt: skip
_KEPT = (
    "SHOW", "GUESTS", "ANCHORS", "TRANSCRIPT", "SUBJECT", "PUB-SUBJECT", "COMPANY", "ORGANIZATION",
    "PERSON", "GEOGRAPHIC", "CITY", "STATE", "COUNTRY", "INDUSTRY", "TICKER", "SERIES", "TYPE",
    "DISTRIBUTION", "BIO", "ISSUE", "COLUMN", "SOURCE", "ACC-NO", "DOCUMENT-ID", "CATEGORY",
    "JOURNAL", "COMMENT", "PUB-DATE", "CONTACT", "DESCRIPTOR", "TERMS",
)  # fmt: skip
_DOCUMENT_TYPE = "DOCUMENT-TYPE"
LABELS: dict[str, str] = {label: key for key, labels in _FIELDS.items() for label in labels}
LABELS.update({label: label.lower() for label in _KEPT})
LABELS[_DOCUMENT_TYPE] = "document-type"


def canonical_label(label: str) -> str | None:
    """The English key of a field label in any export language (None when unknown).

    >>> canonical_label("LÄNGE"), canonical_label("Journal Code"), canonical_label("OFFERROLLER")
    ('length', 'journal-code', None)
    """
    return LABELS.get("-".join(label.upper().split()))


def word_count(value: str) -> int | None:
    """Words in a LENGTH value ("2,968 words", "306 Wörter", "543 mots"), None if not a count.

    >>> word_count("2,968 words"), word_count("306 Wörter"), word_count("a lot")
    (2968, 306, None)
    """
    m = _WORDS.match(" ".join(value.split()))
    return int(re.sub(r"[,.]", "", m[1])) if m else None


def store_field(art: RawArticle, label: str, text: str) -> bool:
    """Put a ``LABEL: text`` field on the article under its English key; False when the label is unknown.

    Author and URL fill the article's own fields (the first one wins), a LENGTH becomes
    ``extra["words"]``, a repeated field is joined with "; ", an unknown label is kept in
    ``extra`` under its lower-cased name.

    >>> art = RawArticle(record=1)
    >>> store_field(art, "LÄNGE", "306 Wörter"), store_field(art, "OFFERROLLER", "x"), art.extra
    (True, False, {'words': 306, 'offerroller': 'x'})
    """
    key = canonical_label(label)
    known = key is not None
    key = key if known else label.lower()
    if key == "author" and art.author is None:
        art.author = text
    elif key == "url" and art.url is None:
        art.url = text
    elif key == "length" and (words := word_count(text)) is not None:
        art.extra["words"] = words
    elif key in art.extra:
        art.extra[key] = f"{art.extra[key]}; {text}"
    else:
        art.extra[key] = text
    return known


@dataclass(frozen=True)
class Block:
    """A paragraph of an export: its stripped lines and whether it is centred."""

    lines: tuple[str, ...]
    centred: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass
class Parsed:
    """One document: the article (None when it holds none), the reason, unknown labels seen."""

    article: RawArticle | None
    reason: str = ""
    unknown: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_txt(path: Path, settings: FileSettings) -> FileResult:
    """Read a classic LexisNexis TXT export (any number of documents)."""
    text, warning = decode(path.read_bytes())
    result = parse_txt(text)
    if warning is not None:
        result.problems.insert(0, warning)
    return result


def parse_txt(text: str) -> FileResult:
    """Parse the text of a classic TXT export."""
    lines = text.replace("\ufeff", "").splitlines()
    starts = [i for i, line in enumerate(lines) if SEPARATOR.match(line)]
    result = FileResult()
    if not starts:
        return no_article(result, "no 'N of M DOCUMENTS' line: the file holds no LexisNexis document "
                                  "(a cover page only, or not a LexisNexis export)")  # fmt: skip
    cover = lines[: starts[0]]
    documents = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        m = SEPARATOR.match(lines[start])
        documents.append(((int(m[1]), int(m[2])), blocks_from_lines(lines[start + 1 : end])))
    stated, where = _cover_count(cover)
    _collect(result, documents, stated, where)
    return result


def blocks_from_lines(lines: Iterable[str]) -> list[Block]:
    """Paragraphs (runs of non-blank lines), each marked centred when indented like a header."""
    blocks: list[Block] = []
    current: list[str] = []
    for line in [*lines, ""]:
        line = line.replace("\xa0", " ").expandtabs(8).rstrip()
        if line.strip():
            current.append(line)
            continue
        if current:
            indents = [len(x) - len(x.lstrip(" ")) for x in (current[0], current[-1])]
            stripped = tuple(" ".join(x.split()) for x in current)
            blocks.append(Block(stripped, centred=max(indents) >= INDENT))
            current = []
    return blocks


def _cover_count(cover: Sequence[str]) -> tuple[int | None, str]:
    for line in cover:
        if m := _COVER_RANGE.match(line.strip()):
            return int(m[2]) - int(m[1]) + 1, f"cover: {' '.join(line.split())!r}"
    return None, ""


def _collect(result: FileResult, documents: list[tuple[tuple[int, int | None], list[Block]]],
             stated: int | None, where: str) -> None:  # fmt: skip
    """Parse every document into `result`, then account for them against the stated counts."""
    unknown: dict[str, list[int]] = {}
    parsed = None
    for record, ((number, total), blocks) in enumerate(documents, start=1):
        parsed = parse_document(blocks, record=record)
        result.problems.extend(parsed.problems)
        for label in parsed.unknown:
            unknown.setdefault(label, []).append(record)
        if parsed.article is None:
            name = f"document {number} of {total}" if total else f"document {number}"
            result.problems.append(Problem(record, "error", "empty-document",
                                           f"{name}: {parsed.reason}"))  # fmt: skip
            continue
        parsed.article.source_id = str(number)
        result.articles.append(parsed.article)
    for label, records in sorted(unknown.items()):
        result.problems.append(Problem(records[0], "warning", "unknown-field",
                                       f"field label {label + ':'!r} is not a known LexisNexis label "
                                       f"({len(records)} document(s), first: record {records[0]}); "
                                       f"kept in extra[{label.lower()!r}]"))  # fmt: skip
    totals = sorted({total for (_, total), _ in documents if total is not None})
    if stated is None and len(totals) == 1:
        stated, where = totals[0], f"'{totals[0]} DOCUMENTS' on the separators"
    elif len(totals) > 1:
        result.problems.append(Problem(None, "warning", "mixed-totals",
                                       f"the separators state different totals ({', '.join(map(str, totals))}): "
                                       "several exports joined, or an edited file"))  # fmt: skip
    if (mismatch := count_check(stated, len(result.articles), where)) is not None:
        result.problems.append(mismatch)
    vendor_error = parsed is not None and parsed.reason.startswith("the export says")
    if documents and not vendor_error and not _closed(documents[-1][1]):
        result.problems.append(Problem(len(documents), "warning", "truncated",
                                       "the last document ends without closing fields (LOAD-DATE, "
                                       "LANGUAGE, ...) or copyright line: the export may be cut off"))  # fmt: skip
    no_article(result, f"none of the {len(documents)} document(s) holds a headline or body")


def _closed(blocks: list[Block]) -> bool:
    if not blocks:
        return False
    last = blocks[-1]
    if _COPYRIGHT.match(last.lines[0]) or _RIGHTS.search(last.lines[-1]):
        return True
    return bool((m := _LABEL.match(last.lines[0])) and canonical_label(m[1]))


# -- one document ---------------------------------------------------------------------------------


def parse_document(blocks: Sequence[Block], *, record: int) -> Parsed:
    """One LexisNexis document (the blocks after its separator) as a RawArticle."""
    if len(blocks) == 1 and _VENDOR_ERROR.search(blocks[0].text):
        return Parsed(None, reason=f"the export says {blocks[0].text!r}")
    art = RawArticle(record=record)
    copyright_lines: list[str] = []
    header, rest, title_lines = _header(blocks, art, copyright_lines)
    while rest and _is_copyright(rest[-1]):
        copyright_lines[:0] = rest.pop().lines
    if title_lines is None and rest and not _LABEL.match(rest[0].lines[0]):
        title_lines = list(rest.pop(0).lines)
    if rest and (words := word_count(rest[0].text)) is not None:
        art.extra["words"] = words
        rest.pop(0)
    if title_lines is not None and _unlabelled_byline(rest):
        art.author = rest.pop(0).text
    fields: list[tuple[str, str, list[str]]] = []
    body = _split_fields(rest, fields)
    if not body and title_lines is None and any(canonical_label(f[0]) is None for f in fields):
        # all fields and no text: the unknown "LABEL: ..." blocks were text ("FLASH: ...")
        body = [" ".join([f"{f[0]}: {f[1]}", *f[2]]) for f in fields if canonical_label(f[0]) is None]
        fields = [f for f in fields if canonical_label(f[0]) is not None]
    unknown = _apply_fields(art, fields, title_lines is None)
    if title_lines is not None:
        _set_title(art, title_lines)
    art.text = "\n\n".join(body)
    if copyright_lines:
        art.extra["copyright"] = " ".join(copyright_lines)
    if not art.title and not art.text:
        what = "only copyright lines" if copyright_lines and not art.outlet else "no headline and no body"
        return Parsed(None, reason=what, unknown=unknown)
    problems = []
    if not art.text:
        problems.append(Problem(record, "warning", "no-text", "document has a headline but no body text"))
    elif not art.title:
        problems.append(Problem(record, "warning", "missing-title", "document has no headline"))
    return Parsed(art, unknown=unknown, problems=problems)


_HEADER_FIELDS = frozenset({"author", "section", "length", "dateline", "highlight", "title", "edition"})


def _unlabelled_byline(rest: Sequence[Block]) -> bool:
    """True when `rest` opens with a short unlabelled line before the header fields ("Sylvia Maier").

    Only when header fields (LENGTH, SECTION, DATELINE, ...) follow it and body text follows them.
    """
    if len(rest) < 3 or _LABEL.match(rest[0].lines[0]) or len(rest[0].lines) > 1:
        return False
    line = rest[0].lines[0]
    if len(line) > 60 or len(line.split()) > 8 or line.endswith((".", "!", "?", ":")):
        return False
    m = _LABEL.match(rest[1].lines[0])
    if not m or canonical_label(m[1]) not in _HEADER_FIELDS:
        return False
    return any(not _LABEL.match(b.lines[0]) for b in rest[2:])


def _is_copyright(block: Block) -> bool:
    return bool(_COPYRIGHT.match(block.lines[0]) or (block.centred and _RIGHTS.search(block.lines[-1])))


def _header(blocks: Sequence[Block], art: RawArticle, copyright_lines: list[str]
            ) -> tuple[list[Block], list[Block], list[str] | None]:  # fmt: skip
    """Split off the header (outlet, date, edition): returns header, rest and headline lines.

    The header runs to the date line and the centred blocks after it; a left-aligned block
    before the date is the headline (or the outlet when nothing centred came first).
    """
    date_at = _date_position(blocks)
    end = 0 if date_at is None else date_at[0] + 1
    while end < len(blocks) and blocks[end].centred:
        end += 1
    title: list[str] | None = None
    outlet_lines: list[str] = []
    edition: list[str] = []
    url_block = -1
    for index in range(end):
        block = blocks[index]
        in_copyright = False
        for position, line in enumerate(block.lines):
            if (index, position) == date_at:
                art.published = parse_dateline(line)
                in_copyright = False
                continue
            if _COPYRIGHT.match(line) or (in_copyright and _RIGHTS.search(line)):
                copyright_lines.append(line)
                in_copyright = True
                continue
            in_copyright = False
            m = _LABEL.match(line)
            key = canonical_label(m[1]) if m else None
            if key == "title" and title is None:
                title = [m[2] or "", *block.lines[position + 1 :]]
                break
            if key is not None:
                art.extra[key] = m[2] or ""
            elif _URL.match(line):
                art.url, url_block = line, index
            elif index == url_block and " " not in line:
                art.url = (art.url or "") + line
            elif date_at is not None and (index, position) > date_at:
                edition.append(line)
            elif block.centred or not outlet_lines:
                outlet_lines.append(line)
            elif title is None:
                title = list(block.lines[position:])
                break
            else:
                outlet_lines.append(line)
    header = outlet_lines[1:]
    if outlet_lines:
        art.outlet = outlet_lines[0]
    if art.published is None and (raw := next((x for x in header if looks_like_date(x)), None)):
        art.published = raw  # unparseable: finalise reports it and keeps it in extra
        header.remove(raw)
    if header:
        art.extra["header"] = header
    if edition:
        art.extra["edition"] = " ".join(edition)
    return list(blocks[:end]), list(blocks[end:]), title


def _date_position(blocks: Sequence[Block]) -> tuple[int, int] | None:
    """(block, line) of the date line: the first centred one, else the first one near the top."""
    for centred_only, limit in ((True, 8), (False, 5)):
        for index, block in enumerate(blocks[:limit]):
            if centred_only and not block.centred:
                continue
            if not centred_only and _LABEL.match(block.lines[0]):
                return None
            for position, line in enumerate(block.lines):
                if parse_dateline(line) is not None:
                    return index, position
    return None


def _split_fields(rest: list[Block], fields: list[tuple[str, str, list[str]]]) -> list[str]:
    """Move the header and footer field blocks of `rest` into `fields`; return body paragraphs."""
    kinds: list[tuple[str, str, str, list[str]]] = []  # (kind, label, value, continuation lines)
    for block in rest:
        m = _LABEL.match(block.lines[0])
        if not m:
            kinds.append(("text", "", block.text, []))
            continue
        key = canonical_label(m[1])
        value, more = m[2] or "", list(block.lines[1:])
        if key is None:
            kinds.append(("unknown", m[1], value, more))
        elif key == "body" and not value and not more:
            kinds.append(("body", m[1], "", []))
        else:
            kinds.append(("known", m[1], value, more))
    # an empty known label takes the paragraph after it as its value ("HIGHLIGHT:" + text)
    merged: list[tuple[str, str, str, list[str]]] = []
    for kind in kinds:
        prev = merged[-1] if merged else None
        if (kind[0] == "text" and prev and prev[0] == "known" and not prev[2] and not prev[3]
                and canonical_label(prev[1]) != "body"):  # fmt: skip
            merged[-1] = ("known", prev[1], kind[2], [])
        else:
            merged.append(kind)
    n = len(merged)
    start = 0
    while start < n and merged[start][0] in ("known", "unknown"):
        start += 1
    body_marker = start < n and merged[start][0] == "body"
    if not body_marker and start < n:
        while start > 0 and merged[start - 1][0] == "unknown":
            start -= 1
    end = n
    while end > start and merged[end - 1][0] in ("known", "unknown"):
        end -= 1
    if end > start:
        while end < n and merged[end][0] == "unknown":
            end += 1
    for kind, label, value, more in merged[:start] + merged[end:]:
        fields.append((label, value, more))
    body: list[str] = []
    for kind, label, value, more in merged[start:end]:
        if kind == "body":
            continue
        line = f"{label}: {value}".strip() if kind != "text" else value
        body.append(" ".join([line, *more]).strip())
    return [p for p in body if p]


def _apply_fields(art: RawArticle, fields: list[tuple[str, str, list[str]]], want_title: bool
                  ) -> list[str]:  # fmt: skip
    """Store the fields on the article; return the unknown labels."""
    unknown: list[str] = []
    for label, value, more in fields:
        if canonical_label(label) == "title" and want_title and not art.title:
            _set_title(art, [value, *more] if value else more)
        elif not store_field(art, label, " ".join([value, *more]).strip()):
            unknown.append(label)
    return unknown


def _set_title(art: RawArticle, lines: Sequence[str]) -> None:
    """Headline lines: the part up to a line ending in ';' is the title, the rest the subtitle."""
    lines = [line for line in lines if line]
    cut = next((i for i, line in enumerate(lines[:-1]) if line.endswith(";")), None)
    if cut is None:
        art.title = " ".join(lines).strip()
        return
    art.title = " ".join(lines[: cut + 1]).strip().removesuffix(";").strip()
    art.extra["subtitle"] = " ".join(lines[cut + 1 :]).strip()


# -- the older HTML export ------------------------------------------------------------------------


def read_html(path: Path, settings: FileSettings) -> FileResult:
    """Read a LexisNexis HTML export: the same documents as the TXT export, as centred/left DIVs."""
    return read_html_export(path, parse_html)


def parse_html(root) -> FileResult:
    """Parse an lxml HTML tree of a LexisNexis HTML export.

    Documents start at the `<DOC NUMBER=n>` comments (or at a "N of M DOCUMENTS" paragraph);
    each paragraph or table row of the top-level DIVs (and tables) is a block, centred when its DIV's class
    is centred in the page's style sheet.
    """
    import lxml.etree

    centred = set()
    for style in root.iter("style"):
        for name, body in re.findall(r"\.([\w-]+)\s*\{([^}]*)\}", style.text_content()):
            if re.search(r"text-align:\s*center", body):
                centred.add(name)
    for bad in list(root.iter("style", "script")):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    documents: list[tuple[tuple[int, int | None], list[Block]]] = []
    body = root.find("body")
    for element in (body.iter() if body is not None else ()):
        if element.tag is lxml.etree.Comment:
            if "<DOC NUMBER" in (element.text or "").upper():
                documents.append(((len(documents) + 1, None), []))
            continue
        if element.tag not in ("div", "table") or element.getparent() is not body:
            continue
        is_centred = bool(set((element.get("class") or "").split()) & centred)
        for block in _html_blocks(element, is_centred):
            if len(block.lines) == 1 and (m := SEPARATOR.match(block.lines[0])):
                if documents and not documents[-1][1] and documents[-1][0][1] is None:
                    documents[-1] = ((int(m[1]), int(m[2])), [])
                else:
                    documents.append(((int(m[1]), int(m[2])), []))
            elif documents:
                documents[-1][1].append(block)
    result = FileResult()
    if not documents:
        return no_article(result, "no 'N of M DOCUMENTS' line: the page holds no LexisNexis document")
    meta = next((m.get("documents") for m in root.iter("meta") if m.get("documents")), None)
    stated = int(meta) if meta and meta.isdigit() else None
    _collect(result, documents, stated, f'<META DOCUMENTS="{meta}">' if stated is not None else "")
    return result


def _html_blocks(div, is_centred: bool) -> list[Block]:
    """The paragraphs and table rows of one DIV as blocks."""
    blocks = []
    for element in div.iter("p", "tr"):
        if element.tag == "p" and any(a.tag == "tr" for a in element.iterancestors()):
            continue
        if element.tag == "tr":
            cells = [" ".join(td.text_content().split()) for td in element.iter("td", "th")]
            lines = (" | ".join(c for c in cells if c),)
        else:
            lines = tuple(" ".join(line.replace("\xa0", " ").split())
                          for line in element.text_content().split("\n"))  # fmt: skip
        lines = tuple(line for line in lines if line)
        if lines:
            blocks.append(Block(lines, centred=is_centred))
    if not blocks and (text := " ".join(div.text_content().split())):
        blocks.append(Block((text,), centred=is_centred))
    return blocks
