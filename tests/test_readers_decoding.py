"""Bytes to text (newslens.readers.decoding)."""

from __future__ import annotations

import pytest

from newslens.readers.decoding import BinaryContent, TextLines, decode, normalise_line


def test_utf8_with_and_without_bom():
    assert decode("Kyiv – “red lines”".encode()) == ("Kyiv – “red lines”", None)
    assert decode(b"\xef\xbb\xbfKyiv") == ("Kyiv", None)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding):
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    text, warning = decode(bom + "Путин’s red line".encode(encoding))
    assert text.lstrip("\ufeff") == "Путин’s red line"
    assert warning.code == "non-utf8-encoding" and warning.severity == "warning"


def test_cp1252_then_latin1_fallback():
    text, warning = decode(b"\x93quoted\x94 caf\xe9")
    assert text == "“quoted” café" and "cp1252" in warning.message
    text, warning = decode(b"caf\xe9 \x81")  # 0x81 is undefined in cp1252
    assert text == "café \x81" and "latin-1" in warning.message
    assert warning.code == "encoding-fallback"


def test_binary_content_rejected():
    with pytest.raises(BinaryContent, match="NUL bytes"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(BinaryContent, match="control characters"):
        decode(bytes(range(1, 9)) * 100)


def test_text_lines_streams_with_per_line_fallback(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xef\xbb\xbfone\r\ntw\xf6\n\nthree")
    lines = TextLines(path)
    assert list(lines) == [(1, "one"), (2, "twö"), (3, ""), (4, "three")]
    assert [(p.code, "line 2" in p.message) for p in lines.problems] == [("encoding-fallback", True)]


def test_normalise_line_only_touches_spaces_and_tabs():
    assert normalise_line(" a\t\tb   c\u00a0d ") == "a b c\u00a0d"
