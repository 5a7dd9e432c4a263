"""Factiva exports: HTML in both display layouts, and the plain-text / RTF form.

*Article Format* HTML: each `div.article` holds the headline (`#hd`), positional divs (section
before the headline; author, word count, date, source, source code, page, language, copyright
after it, in the export's language: "475 words", "475 Wörter", "475 mots"), the paragraphs
(`p.articleParagraph`) and "Document <AN>".

*Full Article/Report plus Indexing* HTML: each `div.article` is a table of rows keyed by codes
(HD headline, BY byline, WC words, PD date, SN source, SC source code, LA language, CY copyright,
LP lead, TD text, NS subjects, RE regions, AN accession number, ...). The text form has the same
codes, one "CODE value" line per field (values may continue on the following lines), articles
separated by form feeds.

The accession number (AN) is the `source_id`. The search summary's "Results Found" is checked
against the articles parsed.

>>> text = "HD Strikes debated\\nWC 120 words\\nPD 12 mars 2011\\nSN Le Monde\\nLP\\nLead.\\nTD\\nBody.\\nAN Document LEMOND0020110312e73c0001\\n"
>>> art = parse_text(text).articles[0]
>>> art.title, art.outlet, art.published, art.text, art.source_id, art.extra["words"]
('Strikes debated', 'Le Monde', datetime.date(2011, 3, 12), 'Lead.\\n\\nBody.', 'LEMOND0020110312e73c0001', 120)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from newslens.config import FileSettings
from newslens.dates import parse_dateline
from newslens.readers.accounting import count_check, no_article
from newslens.readers.decoding import decode, read_html_export
from newslens.readers.lexisnexis import word_count
from newslens.readers.records import FileResult, Problem, RawArticle

CODES: dict[str, str] = {
    "HD": "title", "BY": "author", "CR": "credit", "WC": "length", "PD": "published", "ET": "time",
    "SN": "outlet", "SC": "source_code", "ED": "edition", "PG": "page", "LA": "language",
    "CY": "copyright", "LP": "text", "TD": "text", "CT": "contact", "RF": "reference",
    "CO": "companies", "IN": "industries", "NS": "subjects", "RE": "regions", "IPC": "ipc",
    "IPD": "descriptors", "PUB": "publisher", "AN": "source_id", "SE": "section", "CLM": "column",
    "VOL": "volume", "ART": "art", "NGC": "ngc", "GC": "gc", "ARN": "arn",
}  # fmt: skip
_LISTS = frozenset({"companies", "industries", "subjects", "regions"})
_UNKNOWN_CODE = re.compile(r"^[A-Z]{2,3}$")
_DOCUMENT = re.compile(r"^(?:document|dokument|documento)\s+(\S+)$", re.I)
_RESULTS = re.compile(r"(?:results found|ergebnisse gefunden|résultats trouvés|resultados encontrados)"
                      r"\s*([\d.,\s]+)", re.I)  # fmt: skip
_LANGUAGES = frozenset({
    "english", "englisch", "anglais", "german", "deutsch", "allemand", "french", "français",
    "französisch", "francais", "spanish", "español", "spanisch", "espagnol", "italian", "italiano",
    "italienisch", "dutch", "nederlands", "niederländisch", "portuguese", "português", "russian",
    "russisch", "chinese", "japanese", "arabic", "danish", "swedish", "norwegian", "polish",
})  # fmt: skip
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)", re.I)
_TIME = re.compile(r"^\d{1,2}:\d{2}(?:\s*(?:gmt|[ap]m))?$", re.I)
_PAGE = re.compile(r"^\d{1,4}$")
_SOURCE_CODE = re.compile(r"^[A-Z0-9]{2,10}$")


def _stated(text: str) -> int | None:
    m = _RESULTS.search(text)
    digits = re.sub(r"\D", "", m[1]) if m else ""
    return int(digits) if digits else None


# -- HTML -----------------------------------------------------------------------------------------


def read_html(path: Path, settings: FileSettings) -> FileResult:
    """Read a Factiva HTML export (either layout)."""
    return read_html_export(path, parse_html)


def parse_html(root) -> FileResult:
    """Parse an lxml tree of a Factiva HTML page."""
    for bad in list(root.iter("style", "script")):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    result = FileResult()
    articles = root.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " article ")]')
    unknown: dict[str, list[int]] = {}
    for record, div in enumerate(articles, start=1):
        if div.xpath('.//td[contains(@class, "index")]'):
            art, codes = _indexed_article(div, record)
        else:
            art, codes = _format_article(div, record), []
        for code in codes:
            unknown.setdefault(code, []).append(record)
        _add(result, art)
    _report_unknown(result, unknown)
    summary = " ".join(" ".join(root.xpath("//body//text()")).split()) if articles else ""
    stated = _stated(summary)
    if (mismatch := count_check(stated, len(result.articles), f"search summary: 'Results Found {stated:,}'"
                                if stated else "")) is not None:  # fmt: skip
        result.problems.append(mismatch)
    return no_article(result, "no div.article in the page: not a Factiva export, or an unknown layout"
                      if not articles else f"none of the {len(articles)} div.article holds a headline or text")


def _add(result: FileResult, art: RawArticle) -> None:
    if not art.title and not art.text:
        result.problems.append(Problem(art.record, "error", "empty-document", "article has no headline and no text"))
        return
    if not art.text:
        result.problems.append(Problem(art.record, "warning", "no-text", "article has a headline but no text"))
    result.articles.append(art)


def _report_unknown(result: FileResult, unknown: dict[str, list[int]]) -> None:
    for code, records in sorted(unknown.items()):
        result.problems.append(Problem(records[0], "warning", "unknown-field",
                                       f"Factiva code {code!r} is not known ({len(records)} article(s), "
                                       f"first: record {records[0]}); kept in extra[{code.lower()!r}]"))  # fmt: skip


def _lines(element) -> list[str]:
    return [x for x in (" ".join(t.split()) for t in element.text_content().split("\n")) if x]


def _format_article(div, record: int) -> RawArticle:
    """The "Article Format" layout: positional divs around the headline."""
    art = RawArticle(record=record)
    seen_headline = False
    after_date = False
    for child in div:
        text = " ".join(child.text_content().split())
        if child.get("id") == "hd" or "Headline" in (child.get("class") or ""):
            art.title, seen_headline = text, True
            continue
        if not text:
            continue
        classes = child.get("class") or ""
        if child.tag == "p" and "articleParagraph" in classes:
            paragraphs = art.text.split("\n\n") if art.text else []
            art.text = "\n\n".join([*paragraphs, text])
        elif child.tag == "p":
            if m := _DOCUMENT.match(text):
                art.source_id = m[1]
            else:
                art.extra.setdefault("notes", []).append(text)
        elif not seen_headline:
            art.extra["section"] = text
        elif "author" in classes:
            art.author = text.removeprefix("Von ").removeprefix("By ").removeprefix("Par ").strip()
        elif (words := word_count(text)) is not None:
            art.extra["words"] = words
        elif art.published is None and (day := parse_dateline(text)) is not None:
            art.published, after_date = day, True
        elif _COPYRIGHT.match(text):
            art.extra["copyright"] = text
        elif text.lower() in _LANGUAGES:
            art.extra["language"] = text
        elif _TIME.match(text):
            art.extra["time"] = text
        elif after_date and art.outlet is None:
            art.outlet = text
        elif art.outlet is not None and "source_code" not in art.extra and _SOURCE_CODE.match(text):
            art.extra["source_code"] = text
        elif _PAGE.match(text) and "page" not in art.extra:
            art.extra["page"] = text
        else:
            art.extra.setdefault("other", []).append(text)
    return art


def _indexed_article(div, record: int) -> tuple[RawArticle, list[str]]:
    """The "Full Article/Report plus Indexing" layout: one table row per code."""
    fields: list[tuple[str, list[str]]] = []
    for row in div.iter("tr"):
        cells = row.findall("td")
        if len(cells) < 2:
            continue
        code = " ".join(cells[0].text_content().split())
        paragraphs = cells[1].findall(".//p")
        values = [" ".join(p.text_content().split()) for p in paragraphs] if paragraphs else _lines(cells[1])
        fields.append((code, [v for v in values if v]))
    return _article(fields, record)


def _article(fields: Sequence[tuple[str, list[str]]], record: int) -> tuple[RawArticle, list[str]]:
    """An article from (code, values) pairs; also returns the unknown codes."""
    art = RawArticle(record=record)
    body: list[str] = []
    unknown: list[str] = []
    for code, values in fields:
        key = CODES.get(code)
        value = " ".join(values)
        if key is None:
            unknown.append(code)
            key = code.lower()
        if key == "text":
            body.extend(values)
        elif key == "title":
            art.title = value
        elif key == "author":
            art.author = value
        elif key == "outlet":
            art.outlet = value
        elif key == "published":
            art.published = parse_dateline(value) or value
        elif key == "source_id":
            art.source_id = m[1] if (m := _DOCUMENT.match(value)) else value
        elif key == "length" and (words := word_count(value)) is not None:
            art.extra["words"] = words
        elif key in _LISTS:
            art.extra[key] = [x.strip() for x in re.split(r"\s*\|\s*", value) if x.strip()]
        elif value:
            art.extra[key] = value
    art.text = "\n\n".join(body)
    return art, unknown


# -- the text / RTF form --------------------------------------------------------------------------

_CODE_LINE = re.compile(r"^(" + "|".join(sorted(CODES, key=len, reverse=True)) + r")(?:[\t ]+(.*))?$")
_BODY_END = re.compile(r"^(?:LP|TD|CT|RF|CO|IN|NS|RE|IPC|IPD|PUB|AN)(?:\t|\s{2,}|$)|^AN\s+(?i:document|dokument)\s"
                       r"|^(?:NS|RE|IN|CO)\s+[\w-]+\s:\s")  # fmt: skip


def read_text(path: Path, settings: FileSettings) -> FileResult:
    """Read a Factiva plain-text export."""
    text, warning = decode(path.read_bytes())
    result = parse_text(text)
    if warning is not None:
        result.problems.insert(0, warning)
    return result


def read_rtf(path: Path, settings: FileSettings) -> FileResult:
    """Read a Factiva RTF export (converted to text with striprtf, then read as the text form)."""
    from striprtf.striprtf import rtf_to_text

    raw, _ = decode(path.read_bytes())
    return parse_text(rtf_to_text(raw, errors="replace"))


def parse_text(text: str) -> FileResult:
    """Parse the text form: articles separated by form feeds (or by the line after "AN")."""
    result = FileResult()
    articles: list[list[tuple[str, list[str]]]] = []
    current: list[tuple[str, list[str]]] = []
    in_body = False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "\f" in raw:
            if current:
                articles.append(current)
            current, in_body = [], False
            raw = raw.replace("\f", "")
        line = " ".join(raw.replace("\xa0", " ").split())
        if not line:
            continue
        m = _CODE_LINE.match(line)
        if m and in_body and not _BODY_END.match(raw.strip()):
            m = None  # inside LP/TD only an unmistakable code line ends the text
        if m:
            code = m[1]
            if code == "HD" and current and any(c == "HD" for c, _ in current):
                articles.append(current)
                current = []
            current.append((code, [m[2]] if m[2] else []))
            in_body = code in ("LP", "TD")
        elif current:
            current[-1][1].append(line)
    if current:
        articles.append(current)
    unknown: dict[str, list[int]] = {}
    for record, fields in enumerate(articles, start=1):
        art, codes = _article(fields, record)
        for code in codes:
            unknown.setdefault(code, []).append(record)
        _add(result, art)
    _report_unknown(result, unknown)
    return no_article(result, "no Factiva code lines (HD, PD, SN, TD, AN, ...) found" if not articles
                      else f"none of the {len(articles)} article(s) holds a headline or text")
