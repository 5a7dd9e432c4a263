"""Bytes to text: UTF-8 (with or without BOM), UTF-16/32 with BOM, else cp1252 / Latin-1 with a warning.

Binary content (NUL bytes without a UTF-16/32 BOM, or many control characters) raises
`BinaryContent`. Whitespace normalisation is the only other change ever made to text.

>>> decode("café".encode("cp1252"))[0], decode("café".encode("cp1252"))[1].code
('café', 'encoding-fallback')
>>> normalise_line("  a \\t  b ")
'a b'
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from newslens.readers.records import FileResult, Problem

SNIFF_BYTES = 8192
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]+")
_NUL_MESSAGE = "contains NUL bytes: a binary file (or UTF-16 without a byte-order mark)"


class BinaryContent(ValueError):
    """The bytes are not text in any supported encoding."""


def normalise_line(line: str) -> str:
    """Strip a line and collapse runs of spaces and tabs to one space."""
    if "  " in line or "\t" in line:
        line = _SPACES.sub(" ", line)
    return line.strip()


def bom_encoding(head: bytes) -> str | None:
    """Encoding announced by a byte-order mark at the start of `head`, else None."""
    return next((enc for bom, enc in _BOMS if head.startswith(bom)), None)


def read_html_export(path: Path, parse: Callable[..., FileResult]) -> FileResult:
    """Decode an HTML export (as :func:`decode`), parse its lxml tree with ``parse``; the decoding warning first."""
    import lxml.html

    text, warning = decode(path.read_bytes())
    result = parse(lxml.html.document_fromstring(text))
    if warning is not None:
        result.problems.insert(0, warning)
    return result


def decode(data: bytes) -> tuple[str, Problem | None]:
    """Decode a whole file; the Problem (a warning) says when it was not plain UTF-8."""
    encoding = bom_encoding(data[:4])
    if encoding is not None:
        text = data.decode(encoding, errors="replace")
        _check_text(text)
        warning = None if encoding == "utf-8-sig" else _unusual(encoding)
        return text, warning
    if b"\x00" in data:
        raise BinaryContent(_NUL_MESSAGE)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text, encoding = _fallback(data)
        _check_text(text)
        return text, Problem(None, "warning", "encoding-fallback",
                             f"not valid UTF-8 (byte {exc.start}); decoded as {encoding}")  # fmt: skip
    _check_text(text)
    return text, None


class TextLines:
    """Iterate (line number, decoded line) over a file without loading it whole.

    Line ends are removed unless `keepends` (as the csv module needs).

    Lines that are not UTF-8 are decoded as cp1252/Latin-1; after iteration `problems` holds
    the warnings. Raises `BinaryContent` when the first bytes are binary.
    """

    def __init__(self, path: Path, *, keepends: bool = False) -> None:
        self.path = path
        self.keepends = keepends
        self.problems: list[Problem] = []

    def __iter__(self) -> Iterator[tuple[int, str]]:
        with open(self.path, "rb") as raw:
            head = raw.read(SNIFF_BYTES)
            raw.seek(0)
            encoding = bom_encoding(head[:4])
            if encoding is None and b"\x00" in head:
                raise BinaryContent(_NUL_MESSAGE)
            if encoding not in (None, "utf-8-sig"):
                self.problems.append(_unusual(encoding))
                stream = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
                for number, line in enumerate(stream, start=1):
                    yield number, self._end(line)
                return
            fallback: list[int] = []
            for number, line in enumerate(raw, start=1):
                if number == 1 and line.startswith(codecs.BOM_UTF8):
                    line = line[len(codecs.BOM_UTF8) :]
                try:
                    text = line.decode("utf-8")
                except UnicodeDecodeError:
                    text, _ = _fallback(line)
                    fallback.append(number)
                yield number, self._end(text)
        if fallback:
            self.problems.append(Problem(
                None, "warning", "encoding-fallback",
                f"{len(fallback)} line(s) not valid UTF-8 (first: line {fallback[0]}); "
                "decoded as cp1252/Latin-1",
            ))  # fmt: skip


    def _end(self, line: str) -> str:
        return line if self.keepends else line.rstrip("\r\n")


def _fallback(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _unusual(encoding: str) -> Problem:
    return Problem(None, "warning", "non-utf8-encoding",
                   f"decoded as {encoding} (byte-order mark); UTF-8 is recommended")  # fmt: skip


def _check_text(text: str) -> None:
    sample = text[:SNIFF_BYTES]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise BinaryContent("too many control characters: a binary file, not text")
