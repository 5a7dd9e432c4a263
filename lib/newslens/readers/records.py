"""What a reader returns: raw article fields and problem rows, before ids and outlets are settled.

>>> Problem(3, "warning", "missing-date", "no publication date").severity
'warning'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One report row for a file: `record` is None when it concerns the whole file."""

    record: int | None
    severity: Severity
    code: str
    message: str


@dataclass
class RawArticle:
    """Article fields as found in the input; `published` is the raw text or an already parsed day.

    `source_id` is the source database's own identifier of the document (e.g. a LexisNexis
    document number or a Factiva AN), for readers of vendor exports that carry one.
    """

    record: int
    title: str = ""
    text: str = ""
    outlet: str | None = None
    published: Any = None
    author: str | None = None
    url: str | None = None
    source_id: str | None = None
    reprinted_from: str | None = None
    reading_time: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class FileResult:
    """Everything one file yielded; `reader` names the reader that parsed it when an entry point
    chose one by content (None: the entry point's own name)."""

    articles: list[RawArticle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reader: str | None = None
