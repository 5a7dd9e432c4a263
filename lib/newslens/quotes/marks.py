"""Quotation marks: the quoted spans of news text, marks included.

News uses “curly” and "straight" double quotes, «guillemets» (and German „low-high“ quotes),
and single quotes the British way (‘…’ or '…'), whose closing mark is also the apostrophe.
:func:`quote_spans` pairs them in one left-to-right pass:

* an opening mark opens a quote and the next closing mark of the same family closes it; a
  quote inside a quote (‘…’ inside “…”) is part of the outer one, and only outermost quotes are
  returned;
* two apostrophes ``''`` are a double quotation mark (news archives such as LexisNexis write
  them for “ and ”);
* straight marks and ``’`` are read from their context: a mark between two letters or digits
  is an apostrophe (O'Brien, Kyiv's, don’t), as is one before a digit ('90s) or in an elision
  (rock 'n' roll, 'em); a single mark after a letter closes a quote only when one is open;
* a quote runs over paragraphs when each new paragraph starts with an opening mark of its family
  (the news convention: no closing mark until the last paragraph);
* unbalanced marks never raise: a closing mark with nothing open is ignored, and a quote left
  open at the end of its paragraph is dropped while the quotes paired inside it are kept, so
  the quotes that can be paired are still found (“A, he said. “B,” she said. gives “B,”).

>>> text = "“We will respond,” Lavrov said of O'Brien's ‘red lines’."
>>> [text[s:e] for s, e in quote_spans(text)]
['“We will respond,”', '‘red lines’']
"""

from __future__ import annotations

import re

__all__ = ["quote_spans"]

_DOUBLE, _SINGLE, _GUILLEMET = 0, 1, 2
_FAMILY = {'"': _DOUBLE, "''": _DOUBLE, "“": _DOUBLE, "”": _DOUBLE, "„": _DOUBLE,
           "'": _SINGLE, "‘": _SINGLE, "’": _SINGLE, "«": _GUILLEMET, "»": _GUILLEMET}  # fmt: skip
# Marks that may open the continuation of a quote at the start of a new paragraph.
_CONTINUES = {_DOUBLE: '"“„', _SINGLE: "'‘", _GUILLEMET: "«»"}
# A mark, or a line break with the whitespace after it (a paragraph boundary).
_EVENT_RE = re.compile("''|[\"'“”„«»‘’]|\\n\\s*")
_ELISION_RE = re.compile(r"(?:n|em|til|tis|twas|cause|bout|round)(?![^\W_])", re.IGNORECASE)
_OPEN_BEFORE = "([{—–-/\"'“”„«»‘’"  # characters after which a mark may open a quote
_CLOSE_AFTER = ".,;:!?)]}—–-/…\"'“”„«»‘’"  # characters before which a mark may close one


def _opens_context(text: str, i: int, j: int) -> tuple[bool, bool]:
    """(left side allows an opening mark, right side allows a closing mark) around ``text[i:j]``."""
    before = text[i - 1] if i > 0 else " "
    after = text[j] if j < len(text) else " "
    return (before.isspace() or before in _OPEN_BEFORE), (after.isspace() or after in _CLOSE_AFTER)


def _single_closes_later(text: str, i: int, end: int) -> bool:
    """Whether a later single mark in ``text[i+1:end]`` could close the open single quote."""
    for m in re.finditer("['’]", text[i + 1 : end]):
        j = i + 1 + m.start()
        after = text[j + 1] if j + 1 < len(text) else " "
        if not text[j - 1].isspace() and (after.isspace() or after in _CLOSE_AFTER):
            return True
    return False


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Outermost quotes of ``text`` as ``(start, end)`` offsets, both marks included, in order.

    >>> quote_spans('He said "no". Rock \\'n\\' roll in the \\'90s.')
    [(8, 12)]
    >>> doc = "“One.\\n\\n“Two.”"  # a quote over two paragraphs
    >>> [doc[s:e] for s, e in quote_spans(doc)]
    ['“One.\\n\\n“Two.”']
    """
    if not isinstance(text, str):
        return []
    spans: list[tuple[int, int]] = []
    stack: list[tuple[int, int, str, list]] = []  # (family, position, mark, quotes closed inside) of open quotes
    skip = -1  # position of a mark that continues a quote over a paragraph break
    n = len(text)
    for m in _EVENT_RE.finditer(text):
        i, end = m.span()
        c = m.group()
        if c[0] == "\n":
            if not stack:
                continue
            j = end
            if j < n and text[j].islower():
                continue  # a hard-wrapped line, not a new paragraph
            family = stack[0][0]
            if j < n and (text[j] in _CONTINUES[family] or family == _DOUBLE and text.startswith("''", j)):
                for entry in stack[1:]:
                    stack[0][3].extend(entry[3])
                del stack[1:]
                skip = j
            else:
                for entry in stack:
                    spans.extend(entry[3])  # quotes paired inside an unclosed one
                stack.clear()
            continue
        if i == skip:
            continue
        family = _FAMILY[c]
        left, right = _opens_context(text, i, end)
        open_families = {entry[0] for entry in stack}
        is_open = family in open_families
        role = ""  # "open", "close" or "" (not a quotation mark here)
        if c in "«„":
            role = "open"
        elif c == "»":
            role = "close"
        elif c == "“":
            if stack and stack[-1][2] == "„" or (not left and right and is_open):
                role = "close"
            else:
                role = "open"
        elif c == "”":
            role = "close" if is_open else ("open" if left and not right else "")
        elif c == '"' or c == "''":
            if right and not left and is_open:
                role = "close"
            elif left and not right:
                role = "open"
            elif is_open and not left:
                role = "close"
        else:  # ' ‘ ’: quotation mark or apostrophe
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < n else " "
            if before.isalnum() and after.isalnum():
                role = ""  # O'Brien, Kyiv's, don’t
            elif left and not right:
                elision = after.isdigit() or _ELISION_RE.match(text, i + 1) is not None
                if c != "’" and not elision:
                    role = "open"
            elif not left and right and is_open:
                role = "close"
                if before in "sS" and c != "‘":
                    # "the officials’ plan": a plural possessive, when a later mark can close
                    k = i + 1
                    while k < n and text[k] == " ":
                        k += 1
                    paragraph_end = text.find("\n", i)
                    paragraph_end = n if paragraph_end < 0 else paragraph_end
                    if k < n and text[k].islower() and _single_closes_later(text, i, paragraph_end):
                        role = ""
        if role == "open":
            stack.append((family, i, c, []))
        elif role == "close" and is_open:
            while stack[-1][0] != family:
                stack.pop()  # unclosed inside the quote being closed: part of it
            start = stack.pop()[1]
            (stack[-1][3] if stack else spans).append((start, end))
    for entry in stack:
        spans.extend(entry[3])
    return sorted(spans)
