"""Every article of a database export accounted for: the counts a file states against what was parsed.

>>> count_check(10, 10, "cover: 'Selected Items: 1-10'") is None
True
>>> count_check(100, 98, "'Documents (100)'").message
"the file states 100 documents ('Documents (100)'); 98 parsed"
"""

from __future__ import annotations

from newslens.readers.records import FileResult, Problem


def count_check(stated: int | None, parsed: int, where: str) -> Problem | None:
    """A `count-mismatch` warning when the file states a count other than the one parsed."""
    if stated is None or stated == parsed:
        return None
    return Problem(None, "warning", "count-mismatch",
                   f"the file states {stated} documents ({where}); {parsed} parsed")  # fmt: skip


def no_article(result: FileResult, reason: str) -> FileResult:
    """Add the `no-article` error a file that yielded nothing gets, saying why; returns `result`."""
    if not result.articles:
        result.problems.append(Problem(None, "error", "no-article", reason))
    return result
