"""HTML pages (newslens.readers.webpage), extracted offline with trafilatura."""

from __future__ import annotations

from newslens.config import FileSettings
from newslens.readers.webpage import extract_article, read_html


def test_article_page_text_and_metadata(ingest_fixtures):
    result = read_html(ingest_fixtures / "mixed" / "pages" / "article.html", FileSettings())
    assert result.problems == []
    (art,) = result.articles
    assert art.title == "Allies debate deep strikes"
    assert art.outlet == "Harbor Gazette"
    assert art.author == "Laura Weber"
    assert art.published == "2024-09-19"
    assert art.url == "https://harborgazette.example/allies-debate-deep-strikes"
    paragraphs = art.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Western allies debated on Thursday")
    assert "Home" not in art.text and "Copyright" not in art.text


def test_navigation_only_page_has_no_article(ingest_fixtures):
    result = read_html(ingest_fixtures / "mixed" / "pages" / "nav_only.html", FileSettings())
    assert result.articles == []
    assert [(p.severity, p.code) for p in result.problems] == [("error", "no-article")]


def test_empty_markup_has_no_article():
    assert extract_article("<html><body></body></html>") is None
