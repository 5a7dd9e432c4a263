"""Factiva HTML (both layouts) and the text form (newslens.readers.factiva)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newslens.config import FileSettings
from newslens.readers import factiva
from shared_data import newsdb

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
SETTINGS = FileSettings()


def test_article_format_positional_divs_in_german():
    result = factiva.read_html(FIXTURES / "factiva_article_format.html", SETTINGS)
    first, second = result.articles
    assert (first.title, first.author, first.outlet, first.published) == (
        "Streit über Marschflugkörper", "Anna Beispiel", "Ostkurier", dt.date(2011, 9, 7))
    assert first.text == "Erster Absatz.\n\nZweiter Absatz."
    assert first.source_id == "OSTK000020110907e7970001a"
    assert first.extra == {"section": "Ausland", "words": 412, "source_code": "OSTK", "page": "5",
                           "language": "Deutsch", "copyright": "© 2011 Ostkurier. Alle Rechte vorbehalten.",
                           "notes": ["Ostkurier Verlag"]}  # fmt: skip
    assert (second.title, second.text, second.published) == ("Nur eine Schlagzeile", "", dt.date(2011, 9, 8))
    problems = sorted((p.record or 0, p.code, p.message) for p in result.problems)
    assert problems == [(0, "count-mismatch", "the file states 3 documents (search summary: "
                                              "'Results Found 3'); 2 parsed"),
                        (2, "no-text", "article has a headline but no text")]


def test_indexing_layout_codes_and_unknown_code():
    result = factiva.read_html(FIXTURES / "factiva_indexing.html", SETTINGS)
    (art,) = result.articles
    assert (art.title, art.author, art.outlet, art.published) == (
        "Les frappes en débat", "Jean Exemple", "Le Courrier", dt.date(2011, 3, 12))
    assert art.text == "Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième."
    assert art.source_id == "LECOUR0020110312e73c0001x" and art.extra["words"] == 295
    assert art.extra["subjects"] == ["gpol : Domestic Politics", "gcat : Political/General News"]
    assert art.extra["xq"] == "mystery value"
    assert [(p.code, p.record) for p in result.problems] == [("unknown-field", 1)]


def test_text_form_form_feeds_and_uppercase_body_start():
    result = factiva.read_text(FIXTURES / "factiva_text.txt", SETTINGS)
    first, second = result.articles
    # "IN the morning" inside TD is text, not the IN (industries) code
    assert first.text == "First paragraph of the lead.\n\nIN the morning ministers met.\n\nSecond paragraph."
    assert (first.title, first.author, first.published, first.source_id) == (
        "Strikes debated again", "John Example", dt.date(2011, 9, 7), "ATLLED0020110907e7970001c")
    assert (second.title, second.text, second.source_id) == ("Second article", "Only text.", "ATLLED0020110908e7980002d")
    assert result.problems == []


def test_page_without_articles_is_an_error_row(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>Factiva</title></head><body><p>Session expired</p></body></html>")
    result = factiva.read_html(page, SETTINGS)
    assert result.articles == [] and [p.code for p in result.problems] == ["no-article"]


@pytest.mark.parametrize("name, count", [("factiva/amcat_factivia.htm", 9), ("factiva/amcat_SO00.htm", 100)])
def test_real_article_format_exports(name, count):
    result = factiva.read_html(newsdb(name), SETTINGS)
    assert len(result.articles) == count
    assert all(a.title and a.text and a.outlet == "Die Südostschweiz" and isinstance(a.published, dt.date)
               for a in result.articles)  # fmt: skip
    assert len({a.source_id for a in result.articles}) == count
    # the search found 1,342 articles; the file holds `count` of them
    assert [p.message for p in result.problems] == [
        f"the file states 1342 documents (search summary: 'Results Found 1,342'); {count} parsed"]


def test_real_indexing_export_french_dates():
    result = factiva.read_html(newsdb("factiva/factiva_test.html"), SETTINGS)
    first, second = result.articles
    assert (first.title, first.published, first.outlet) == ("Test 1", dt.date(2011, 12, 29), "Test newspaper")
    assert first.text.startswith("First head paragraph, with a few non-ASCII characters: à la française.")
    assert first.text.endswith("Fourth and last paragraph.") and first.extra["words"] == 295
    assert (second.source_id, second.outlet) == ("TESTFR0020111229e7ct0015j", "Ouest France")
    assert result.problems == []
