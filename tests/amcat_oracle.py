"""AmCAT's expected parse of its LexisNexis test export, compared field by field with ours.

AmCAT (AGPL) ships `test.txt` with the parse it expects (`test_body_sols.json`); only that data
is read here. AmCAT's field names are mapped onto the corpus table: `medium` is the outlet,
`byline` is AmCAT's name both for the BYLINE field and for the part of a headline after its
semicolon (our `extra["subtitle"]`), `length_int` is our `extra["words"]`, and the untranslated
labels AmCAT keeps (`update`, `date-chargement`, `code-revue`, `type-publication`, `pub-type`)
are our English keys. Dates are compared as days (the corpus table has day precision); texts
both exactly and with whitespace collapsed (LexisNexis wraps lines at 80 columns; AmCAT keeps
those line breaks, the corpus table joins the lines of a paragraph).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from newslens.readers.records import RawArticle

EXTRA_KEYS = {
    "section": "section", "language": "language", "length_int": "words", "load-date": "load-date",
    "update": "load-date", "date-chargement": "load-date", "publication-type": "publication-type",
    "type-publication": "publication-type", "pub-type": "publication-type",
    "journal-code": "journal-code", "code-revue": "journal-code", "document-type": "document-type",
    "dateline": "dateline", "highlight": "highlight", "guests": "guests", "transcript": "transcript",
    "anchors": "anchors", "pub-subject": "pub-subject", "subject": "subject", "company": "company",
    "bio": "bio",
}  # fmt: skip


def ours(art: RawArticle, key: str, expected: Any) -> Any:
    """Our value for AmCAT's `key` (normalised as described in the module docstring)."""
    if key == "medium":
        return art.outlet
    if key == "title":
        return art.title
    if key == "text":
        return " ".join(art.text.split()) if " ".join(str(expected).split()) != str(expected) else art.text
    if key == "date":
        return art.published.isoformat() if isinstance(art.published, dt.date) else art.published
    if key in ("author", "signature"):
        return art.author
    if key == "byline":
        return art.extra.get("subtitle", art.author)
    if key == "url":
        return art.url
    if key == "issue":
        return next((h for h in art.extra.get("header", []) if h == expected), None)
    return art.extra.get(EXTRA_KEYS.get(key, key))


def normalise(key: str, value: Any) -> Any:
    """AmCAT's value as the corpus table would hold it."""
    if key == "date":
        return str(value)[:10]
    if key == "text":
        return " ".join(str(value).split())
    if isinstance(value, str):
        return value.strip()
    return value


def compare(articles: list[RawArticle], solutions: list[dict[str, Any]]) -> dict[str, Any]:
    """Per field: exact equality, equality after normalisation, and the mismatches."""
    exact = equal = total = 0
    mismatches: dict[tuple[int, str], tuple[Any, Any]] = {}
    for index, (art, solution) in enumerate(zip(articles, solutions, strict=True)):
        for key, value in solution.items():
            total += 1
            mine = ours(art, key, value)
            if key != "text" and key != "date" and mine == value:
                exact += 1
            elif key == "text" and art.text == value:
                exact += 1
            if mine == normalise(key, value) or (key == "text" and " ".join(art.text.split()) == normalise(key, value)):
                equal += 1
            else:
                mismatches[(index, key)] = (normalise(key, value), mine)
    return {"fields": total, "exact": exact, "equal": equal, "mismatches": mismatches}
