"""One reader per input format; each turns a file into raw articles plus problem rows.

Readers are plain functions ``read(path, settings) -> FileResult`` registered in `READERS` by
format name; `format_for(path)` picks one from the file suffix.

>>> format_for("corpus/a.JSONL"), format_for("notes.md")
('jsonl', None)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from newslens.config import FileSettings
from newslens.readers.records import FileResult
from newslens.readers.tabular import read_csv, read_json, read_jsonl, read_tsv
from newslens.readers.text import read_txt

SUFFIXES = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv",
            ".tsv": "tsv", ".tab": "tsv", ".html": "html", ".htm": "html"}  # fmt: skip


def _read_html(path: Path, settings: FileSettings) -> FileResult:
    from newslens.readers.webpage import read_html

    return read_html(path, settings)


READERS: dict[str, Callable[[Path, FileSettings], FileResult]] = {
    "txt": read_txt, "jsonl": read_jsonl, "json": read_json, "csv": read_csv, "tsv": read_tsv,
    "html": _read_html,
}  # fmt: skip


def format_for(path: str | Path) -> str | None:
    """Reader name for a file suffix (case-insensitive), None when unsupported."""
    name = os.fspath(path).rpartition("/")[2]
    stem, dot, suffix = name.rpartition(".")
    return SUFFIXES.get("." + suffix.lower()) if dot and stem else None
