"""Nexis Uni DOCX and RTF exports (newslens.readers.nexisuni); DOCX fixtures are written with python-docx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

from newslens.config import FileSettings
from newslens.readers import nexisuni
from shared_data import newsdb

SETTINGS = FileSettings()
NBSP = "\xa0"
COVER = ["Date and Time: Friday, October 4, 2024 9:31:00 AM CEST", "Job Number: 1", "Documents (2)",
         "1. Allies weigh strikes", "Client/Matter: -None-", "Search Terms: red line",
         "2. Second title", "Client/Matter: -None-", "Search Terms: red line"]  # fmt: skip
ARTICLE_1 = ["Allies weigh strikes", "The Eastern Courier", "September 17, 2024 Tuesday 9:20 AM GMT",
             "Late Edition", "Copyright 2024 Eastern Courier Ltd.", f"Section:{NBSP}WORLD; Version:2",
             f"Length:{NBSP}118 words", f"Byline:{NBSP}Jane Doe", f"Desk-Code:{NBSP}WX", "Body",
             "First paragraph.", "Second paragraph.", f"Load-Date:{NBSP}September 18, 2024",
             "End of Document"]  # fmt: skip
ARTICLE_2 = ["Second title", "Baltic Ledger", "18 septembre 2024 mercredi", f"Length:{NBSP}0 words",
             f"Load-Date:{NBSP}September 19, 2024", "End of Document"]  # fmt: skip


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def codes(result):
    return sorted(((p.record, p.code) for p in result.problems), key=lambda x: (x[0] or 0, x[1]))


def test_docx_articles_fields_and_counts(tmp_path):
    path = write_docx(tmp_path / "export.docx", [*COVER, *ARTICLE_1, *ARTICLE_2])
    result = nexisuni.read_docx(path, SETTINGS)
    first, second = result.articles
    assert (first.title, first.outlet, first.published, first.author) == (
        "Allies weigh strikes", "The Eastern Courier", dt.date(2024, 9, 17), "Jane Doe")
    assert first.text == "First paragraph.\n\nSecond paragraph."
    assert first.extra == {"edition": "Late Edition", "copyright": "Copyright 2024 Eastern Courier Ltd.",
                           "section": "WORLD; Version:2", "words": 118, "desk-code": "WX",
                           "load-date": "September 18, 2024"}  # fmt: skip
    assert (second.title, second.published, second.text) == ("Second title", dt.date(2024, 9, 18), "")
    assert [a.source_id for a in result.articles] == ["1", "2"]
    # the unknown label is kept and reported; the article without a body is flagged
    assert codes(result) == [(1, "unknown-field"), (2, "no-text")]


def test_cover_only_docx_is_an_error_row(tmp_path):
    result = nexisuni.read_docx(write_docx(tmp_path / "cover.docx", ["Nexis Uni test"]), SETTINGS)
    assert result.articles == [] and codes(result) == [(None, "no-article")]
    assert "cover page only" in result.problems[0].message and "Nexis Uni test" in result.problems[0].message


def test_truncated_docx_keeps_last_article_and_reports(tmp_path):
    cut = ARTICLE_2[:-2]  # no Load-Date, no End of Document ... and add a body
    path = write_docx(tmp_path / "cut.docx", [*COVER, *ARTICLE_1, *cut, "Body", "Half a sentence"])
    result = nexisuni.read_docx(path, SETTINGS)
    assert [a.text for a in result.articles] == ["First paragraph.\n\nSecond paragraph.", "Half a sentence"]
    assert (2, "truncated") in codes(result)


def test_stated_count_checked(tmp_path):
    cover = [line.replace("Documents (2)", "Documents (3)") for line in COVER]
    result = nexisuni.read_docx(write_docx(tmp_path / "short.docx", [*cover, *ARTICLE_1, *ARTICLE_2]), SETTINGS)
    mismatch = [p for p in result.problems if p.code == "count-mismatch"]
    assert [p.message for p in mismatch] == ["the file states 3 documents ('Documents (3)'); 2 parsed",
                                             "the contents list has 2 entries, the cover states 3 documents"]


def test_rtf_same_layout(tmp_path):
    def rtf_escape(text: str) -> str:
        return "".join(c if ord(c) < 128 else f"\\u{ord(c)}?" for c in text)

    body = "".join(rtf_escape(line) + "\\par\n" for line in [*COVER, *ARTICLE_1, *ARTICLE_2])
    path = tmp_path / "export.rtf"
    path.write_text("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}\n" + body + "}", encoding="ascii")
    result = nexisuni.read_rtf(path, SETTINGS)
    assert [a.title for a in result.articles] == ["Allies weigh strikes", "Second title"]
    assert result.articles[0].extra["words"] == 118 and result.articles[1].published == dt.date(2024, 9, 18)
    assert codes(result) == [(1, "unknown-field"), (2, "no-text")]


def test_real_nexis_uni_docx_100_articles():
    result = nexisuni.read_docx(newsdb("nexisuni/seolub_example1.DOCX"), SETTINGS)
    assert len(result.articles) == 100 and result.problems == []  # "Documents (100)"
    assert all(a.outlet == "El Pais" and isinstance(a.published, dt.date) and a.text for a in result.articles)
    first = result.articles[0]
    assert first.title == "Noruega invierte 18.000 millones en la Bolsa española"
    assert first.published == dt.date(2010, 3, 22) and first.author == "DAVID FERNÁNDEZ"


def test_real_lexisnexis_sample_docx_and_cover_only():
    result = nexisuni.read_docx(newsdb("lexisnexis/sample.DOCX"), SETTINGS)
    assert len(result.articles) == 10 and result.problems == []
    assert result.articles[0].author == "Mattha Busby (now), Andrew Sparrow (earlier)"
    cover = nexisuni.read_docx(newsdb("lexisnexis/test.DOCX"), SETTINGS)
    assert cover.articles == [] and [p.code for p in cover.problems] == ["no-article"]
