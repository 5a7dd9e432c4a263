"""One reader per input format; each turns a file into raw articles plus problem rows.

Readers are plain functions ``read(path, settings) -> FileResult`` registered in `READERS` by
name; `format_for(path)` picks an entry point from the file suffix alone, so discovery only
stats files. The `txt`, `csv`, `tsv`, `html` and `rtf` entry points look at the file's first
bytes when it is parsed (a cached step) and hand it to the reader of the news database that
wrote it; `FileResult.reader` then names the reader used:

========== =================================================================================
entry      read as
========== =================================================================================
txt        `lexisnexis` ("N of M DOCUMENTS" lines), `factiva-text` (HD/PD/SN/AN code lines),
           else a scraped article (`txt`)
csv, tsv   `gkg` (27 tab-separated fields, no header), `mediacloud` (id/stories_id,
           media_name, publish_date, title, url), else a table (`csv`/`tsv`)
html       `factiva` (div.article), `lexisnexis-html` ("N of M DOCUMENTS"), else a web page
docx       `nexisuni`
rtf        `nexisuni-rtf` ("End of Document"), else `factiva-rtf`
========== =================================================================================

>>> format_for("corpus/a.JSONL"), format_for("notes.md"), format_for("export.DOCX")
('jsonl', None, 'docx')
>>> sniff_text("                1 of 1 DOCUMENT\\n\\n   The Paper\\n"), sniff_text("Title\\n- Outlet\\n")
('lexisnexis', 'txt')
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from newslens.config import FileSettings
from newslens.readers.decoding import SNIFF_BYTES, bom_encoding
from newslens.readers.records import FileResult
from newslens.readers.tabular import read_csv, read_json, read_jsonl, read_tsv
from newslens.readers.text import read_txt

SUFFIXES = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv",
            ".tsv": "tsv", ".tab": "tsv", ".html": "html", ".htm": "html", ".docx": "docx",
            ".rtf": "rtf"}  # fmt: skip
HEAD_BYTES = 4 * SNIFF_BYTES
_LN_SEPARATOR = re.compile(
    r"^[ \t]*\d+[ \t]+(?:of|von|van|de|sur|di|af|av)[ \t]+\d+[ \t]+"
    r"(?:DOCUMENTS?|DOKUMENTE?N?|DOCUMENTEN|DOCUMENTI|DOCUMENTOS|DOKUMENTER)[ \t]*\r?$",
    re.I | re.M,
)
_FACTIVA_CODES = re.compile(r"^(?:HD|PD|SN|WC|LP|TD|AN)(?:[ \t]|$)", re.M)


def _lazy(module: str, name: str, reader: str | None = None) -> Callable[[Path, FileSettings], FileResult]:
    """A reader imported when first used (parsing workers start quickly), naming itself."""

    def read(path: Path, settings: FileSettings) -> FileResult:
        import importlib

        result = getattr(importlib.import_module(f"newslens.readers.{module}"), name)(path, settings)
        if reader is not None:
            result.reader = reader
        return result

    read.__name__ = f"{module}.{name}"
    return read


VENDORS: dict[str, Callable[[Path, FileSettings], FileResult]] = {
    "lexisnexis": _lazy("lexisnexis", "read_txt", "lexisnexis"),
    "lexisnexis-html": _lazy("lexisnexis", "read_html", "lexisnexis-html"),
    "nexisuni": _lazy("nexisuni", "read_docx", "nexisuni"),
    "nexisuni-rtf": _lazy("nexisuni", "read_rtf", "nexisuni-rtf"),
    "factiva": _lazy("factiva", "read_html", "factiva"),
    "factiva-text": _lazy("factiva", "read_text", "factiva-text"),
    "factiva-rtf": _lazy("factiva", "read_rtf", "factiva-rtf"),
    "mediacloud": _lazy("mediacloud", "read_csv", "mediacloud"),
    "gkg": _lazy("gdelt", "read_gkg", "gkg"),
}
"""The readers of news-database exports, by the name the `reader` column records."""


def head_text(path: Path) -> str:
    """The first bytes of a file as text (BOM honoured, undecodable bytes replaced)."""
    with open(path, "rb") as raw:
        head = raw.read(HEAD_BYTES)
    encoding = bom_encoding(head[:4]) or "utf-8"
    return head.decode(encoding, errors="replace").lstrip("\ufeff")


def sniff_text(head: str) -> str:
    """Reader name for the head of a .txt file."""
    if _LN_SEPARATOR.search(head):
        return "lexisnexis"
    codes = {m[0].strip() for m in _FACTIVA_CODES.finditer(head)}
    if {"HD", "AN"} <= codes or len(codes) >= 4:
        return "factiva-text"
    return "txt"


def sniff_table(head: str, delimiter: str) -> str:
    """Reader name for the head of a .csv/.tsv file: gkg, mediacloud or the generic table reader."""
    from newslens.readers.gdelt import is_gkg
    from newslens.readers.mediacloud import is_mediacloud

    first = head.split("\n", 1)[0]
    if is_gkg(first):
        return "gkg"
    if delimiter == "," and is_mediacloud([c.strip().strip('"') for c in first.split(",")]):
        return "mediacloud"
    return "csv" if delimiter == "," else "tsv"


def sniff_html(head: str) -> str:
    """Reader name for the head of an .html file: factiva, lexisnexis-html or a web page."""
    low = head.lower()
    if re.search(r"<title>\s*factiva", low) or (
        "factiva" in low and re.search(r'class="article\b|class="[^"]*\barticle ', low)
    ):
        return "factiva"
    if "<doc number" in low or "lxncomment" in low or _LN_SEPARATOR.search(re.sub(r"<[^>]+>", "\n", head)):
        return "lexisnexis-html"
    return "html"


def _read_html(path: Path, settings: FileSettings) -> FileResult:
    from newslens.readers.webpage import read_html

    return read_html(path, settings)


def _txt(path: Path, settings: FileSettings) -> FileResult:
    name = sniff_text(head_text(path))
    return read_txt(path, settings) if name == "txt" else VENDORS[name](path, settings)


def _table(delimiter: str) -> Callable[[Path, FileSettings], FileResult]:
    generic = read_csv if delimiter == "," else read_tsv

    def read(path: Path, settings: FileSettings) -> FileResult:
        if settings.columns:  # an explicit corpus.yml mapping means a plain table
            return generic(path, settings)
        name = sniff_table(head_text(path), delimiter)
        return VENDORS[name](path, settings) if name in VENDORS else generic(path, settings)

    return read


def _html(path: Path, settings: FileSettings) -> FileResult:
    name = sniff_html(head_text(path))
    return _read_html(path, settings) if name == "html" else VENDORS[name](path, settings)


def _rtf(path: Path, settings: FileSettings) -> FileResult:
    from newslens.readers.nexisuni import rtf_lines

    lines = rtf_lines(path)
    nexis = any(line.lower() == "end of document" or line.lower().startswith("documents (") for line in lines)
    name = "nexisuni-rtf" if nexis else "factiva-rtf"
    return VENDORS[name](path, settings)


READERS: dict[str, Callable[[Path, FileSettings], FileResult]] = {
    "txt": _txt, "jsonl": read_jsonl, "json": read_json, "csv": _table(","), "tsv": _table("\t"),
    "html": _html, "docx": VENDORS["nexisuni"], "rtf": _rtf, **VENDORS,
}  # fmt: skip


def format_for(path: str | Path) -> str | None:
    """Reader name for a file suffix (case-insensitive), None when unsupported."""
    name = os.fspath(path).rpartition("/")[2]
    stem, dot, suffix = name.rpartition(".")
    return SUFFIXES.get("." + suffix.lower()) if dot and stem else None
