"""HTML article pages: main text and metadata extracted offline with trafilatura.

Extraction favours precision, so navigation-only pages yield no article (an error row) rather
than a menu posing as text. The outlet is the page's site name (og:site_name and similar), else
its host name; a leading copy of the title in the text is dropped.

>>> page = ("<html><head><title>T</title><meta property='og:site_name' content='Ledger'></head>"
...         "<body><article><p>" + "Long-range strikes were debated again. " * 5 + "</p></article></body></html>")
>>> art = extract_article(page)
>>> art.outlet, art.text[:25]
('Ledger', 'Long-range strikes were d')
"""

from __future__ import annotations

from pathlib import Path

from newslens.config import FileSettings
from newslens.readers.decoding import decode, normalise_line
from newslens.readers.records import FileResult, Problem, RawArticle


def read_html(path: Path, settings: FileSettings) -> FileResult:
    """Read one HTML page as one article (record 1)."""
    result = FileResult()
    text, warning = decode(path.read_bytes())
    if warning is not None:
        result.problems.append(warning)
    art = extract_article(text)
    if art is None:
        result.problems.append(Problem(None, "error", "no-article",
                                       "no article text could be extracted from the page"))  # fmt: skip
    else:
        result.articles.append(art)
    return result


def extract_article(html: str) -> RawArticle | None:
    """The article in an HTML page, or None when there is no main text."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        return None
    title = " ".join((doc.title or "").split())
    paragraphs = [p for p in map(normalise_line, doc.text.splitlines()) if p]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if not paragraphs:
        return None
    extra = {key: value for key in ("description", "categories", "tags", "language")
             if (value := getattr(doc, key, None))}  # fmt: skip
    return RawArticle(
        record=1,
        title=title,
        text="\n\n".join(paragraphs),
        outlet=doc.sitename or doc.hostname or None,
        published=doc.date or None,
        author=doc.author or None,
        url=doc.url or None,
        extra=extra,
    )
