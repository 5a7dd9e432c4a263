"""The scraped-article .txt reader (newslens.readers.text)."""

from __future__ import annotations

import datetime as dt

import pytest

from newslens.readers.text import parse_scraped


def test_seed_article_parses_exactly(seed_article):
    art, problems = parse_scraped(seed_article.read_text(encoding="utf-8"))
    assert problems == []
    assert art.title == "NATO Secretary General calls Putin's \u201cred lines\u201d a fake"
    assert art.outlet == "Times Tengri"
    assert art.published == dt.date(2024, 9, 17)
    assert art.reading_time == 2
    assert art.reprinted_from == "https://news.am/"
    assert art.author is None and art.extra == {}
    paragraphs = art.text.split("\n\n")
    # the file has six body lines between the metadata and "Reprinted from" (counted by eye)
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("NATO Secretary General Jens Stoltenberg has questioned")
    assert paragraphs[-1].endswith("deep inside Russian Federation.")
    assert "Comments" not in art.text and "Reprinted" not in art.text


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Sep 17, 2024", dt.date(2024, 9, 17)),
        ("17 September 2024", dt.date(2024, 9, 17)),
        ("2024-09-17", dt.date(2024, 9, 17)),
        ("Sept. 17, 2024", dt.date(2024, 9, 17)),
        ("Published: Oct 2, 2024", dt.date(2024, 10, 2)),
    ],
)
def test_date_line_in_any_position(line, expected):
    art, _ = parse_scraped(f"T\n- 4 min read\n- {line}\n- Outlet\nBody.\n")
    assert (art.published, art.outlet, art.reading_time) == (expected, "Outlet", 4)


def test_outlet_is_first_line_that_is_not_date_reading_time_or_byline():
    text = "Title\n- By Jane Doe\n- 2024-09-17\n- 5 min read\n- Baltic Ledger\n- Politics\n- Tags: NATO\nBody.\n"
    art, problems = parse_scraped(text)
    assert art.author == "Jane Doe"
    assert art.outlet == "Baltic Ledger"
    assert art.extra == {"meta": ["Politics"], "tags": "NATO"}
    assert problems == []


def test_whitespace_normalised_and_blank_lines_between_paragraphs():
    text = "  Title  with   gaps \n- Outlet\n\n  First\t\tparagraph   here. \n\n\nSecond one.\r\nThird.\n"
    art, _ = parse_scraped(text)
    assert art.title == "Title with gaps"
    assert art.text == "First paragraph here.\n\nSecond one.\n\nThird."


def test_trailing_boilerplate_and_source_line_removed():
    text = "T\n- O\nBody one.\nBody two.\nSource: https://example.org/x\n\nShare\n\n\nComments\n"
    art, _ = parse_scraped(text)
    assert art.text == "Body one.\n\nBody two."
    assert art.reprinted_from == "https://example.org/x"


def test_source_line_that_is_not_a_url_stays_in_the_text():
    art, _ = parse_scraped("T\n- O\nBody.\nSource: interviews with officials\n")
    assert art.text == "Body.\n\nSource: interviews with officials"
    assert art.reprinted_from is None


def test_unparseable_date_is_kept_raw_for_the_report():
    art, _ = parse_scraped("T\n- Outlet\n- Sept. 31, 2024\nBody.\n")
    assert art.published == "Sept. 31, 2024"  # finalise() turns this into a bad-date warning
    assert art.outlet == "Outlet"


def test_second_date_goes_to_extra():
    art, _ = parse_scraped("T\n- Outlet\n- Sep 17, 2024\n- Updated: Sep 18, 2024\nBody.\n")
    assert art.published == dt.date(2024, 9, 17)
    assert art.extra == {"updated": "Sep 18, 2024"}


def test_title_only_is_kept_with_a_warning():
    art, problems = parse_scraped("Only a title\n- Outlet\n- 2024-09-16\n")
    assert art.title == "Only a title" and art.text == ""
    assert [(p.code, p.severity) for p in problems] == [("no-text", "warning")]


def test_blank_text_is_an_error():
    art, problems = parse_scraped(" \n\t\n")
    assert art is None
    assert [(p.code, p.severity) for p in problems] == [("empty-file", "error")]


def test_missing_title_reported():
    art, problems = parse_scraped("- Outlet\n- 2024-09-16\nBody.\n")
    assert art.title == "" and art.outlet == "Outlet" and art.text == "Body."
    assert [p.code for p in problems] == ["missing-title"]
