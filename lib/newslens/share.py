"""Licence-safe sharing: what a published report may quote of an article, and a scanner that checks it.

News-database licences (LexisNexis, Factiva) forbid passing the full text on. In the `derived`
sharing mode no published file quotes more than `words` (default 12) consecutive words of any
article: keyword-in-context windows shrink to fit, example sentences become article ids with
their matched terms, titles and excerpts are cut. Counts, rates, key terms, codes and ids are
published in full, with the document-term matrix. The default mode, `full`, changes nothing.

A word is a run of letters and digits (`[^\\W_]+`, case folded): "Kyiv's long-range" is four words.
Cutting and scanning count words the same way, so a cut text never reads as a longer run.

`newslens report --share derived` (`make reports SHARE=derived`) gives each notebook's kernel
the policy in the environment (`NEWSLENS_SHARE`, `NEWSLENS_SHARE_WORDS`); `Outputs` reads it
and applies `Policy.table` to every table and figure data it writes.

>>> policy = Policy("derived", 4)
>>> policy.cut("Putin warned the West against long-range strikes")
'Putin warned the West…'
>>> policy.kwic("the West against", "long-range", "strikes on Russia")
('against', 'long-range', 'strikes')
>>> Policy().cut("Putin warned the West against long-range strikes")
'Putin warned the West against long-range strikes'

`scan(corpus_df, folder)` finds the longest run of consecutive article words in any file below
`folder` (HTML text, CSV, notebook JSON, PNG text chunks, any other text file): the corpus's
word k-grams are hashed into a sorted array, each file's word stream is hashed the same way and
looked up, and matching windows are chained exactly, position by position, into runs.
"""

from __future__ import annotations

import html
import json
import os
import re
import struct
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import pandas as pd

from newslens.choices import check_choice

Mode = Literal["full", "derived"]
MODES: tuple[str, ...] = get_args(Mode)
WORDS = 12
"""Default longest run of an article's consecutive words a derived-mode report may contain."""

ENV_MODE, ENV_WORDS = "NEWSLENS_SHARE", "NEWSLENS_SHARE_WORDS"

CUT_COLUMNS = ("title", "text", "excerpt", "quote", "snippet", "headline")
"""Table columns holding article text, cut to `words` words in derived mode."""
DROPPED_COLUMNS = ("sentence",)
"""Table columns holding whole sentences, left out in derived mode (ids and terms stay)."""
KWIC_COLUMNS = ("left", "match", "right")
"""A keyword-in-context window: shrunk in derived mode so that the three together fit."""

_WORD = re.compile(r"[^\W_]+")
ELLIPSIS = "…"


def words(text: str) -> list[str]:
    """The words of `text` as the policy counts them (case folded).

    >>> words("Kyiv's long-range U.S. strikes")
    ['kyiv', 's', 'long', 'range', 'u', 's', 'strikes']
    """
    return [m.group().casefold() for m in _WORD.finditer(text)]


def cut(text: str, n: int, *, keep: Literal["start", "end"] = "start", mark: str = ELLIPSIS) -> str:
    """`text` cut to its first (or last) `n` words, `mark` where text was left out.

    >>> cut("one two three four", 2), cut("one two three four", 2, keep="end", mark="")
    ('one two…', 'three four')
    >>> cut("one two", 2)
    'one two'
    """
    spans = [m.span() for m in _WORD.finditer(text)]
    if len(spans) <= n:
        return text
    if n <= 0:
        return mark
    if keep == "end":
        return mark + text[spans[-n][0]:]
    return text[: spans[n - 1][1]] + mark


@dataclass(frozen=True)
class Policy:
    """How much article text a report may publish: `mode` "full" (everything, the default) or
    "derived" (no more than `words` consecutive words of any article)."""

    mode: Mode = "full"
    words: int = WORDS

    def __post_init__(self) -> None:
        check_choice("share mode", self.mode, MODES)
        if isinstance(self.words, bool) or not isinstance(self.words, int) or self.words < 1:
            raise ValueError(f"share words must be a whole number >= 1, got {self.words!r}")

    @property
    def derived(self) -> bool:
        return self.mode == "derived"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Policy:
        """The policy `newslens report` gives a notebook's kernel (full when none is set).

        >>> Policy.from_env({"NEWSLENS_SHARE": "derived", "NEWSLENS_SHARE_WORDS": "8"})
        Policy(mode='derived', words=8)
        """
        mode = environ.get(ENV_MODE, "") or "full"
        raw = environ.get(ENV_WORDS, "") or str(WORDS)
        try:
            n = int(raw)
        except ValueError:
            raise ValueError(f"{ENV_WORDS}={raw!r} is not a whole number") from None
        return cls(mode, n)  # type: ignore[arg-type]

    def env(self) -> dict[str, str]:
        """Environment variables that give this policy to a kernel (`from_env` reads them)."""
        return {ENV_MODE: self.mode, ENV_WORDS: str(self.words)}

    def cut(self, text: str) -> str:
        """`text` cut to `words` words in derived mode; unchanged in full mode."""
        return cut(text, self.words) if self.derived and isinstance(text, str) else text

    def kwic(self, left: str, match: str, right: str) -> tuple[str, str, str]:
        """A keyword-in-context window shrunk so that left, match and right hold at most `words`
        words together: the match first, then the nearest words, as many before as after."""
        if not self.derived:
            return left, match, right
        budget = self.words - len(words(match))
        if budget <= 0:
            return "", cut(match, self.words), ""
        have_left, have_right = len(words(left)), len(words(right))
        n_left = min(have_left, budget // 2)
        n_right = min(have_right, budget - n_left)
        n_left = min(have_left, budget - n_right)
        return cut(left, n_left, keep="end", mark=""), match, cut(right, n_right, mark="")

    def table(self, df: pd.DataFrame) -> pd.DataFrame:
        """A table as this policy publishes it. In derived mode: KWIC columns shrunk, sentence
        columns left out, title/text/excerpt columns cut; `attrs["share"]` says what changed.

        >>> t = pd.DataFrame({"id": ["a"], "sentence": ["A long sentence here."], "terms": ["long"]})
        >>> shown = Policy("derived", 2).table(t)
        >>> list(shown.columns), shown.attrs["share"]
        (['id', 'terms'], ['sentence left out'])
        """
        if not self.derived or not isinstance(df, pd.DataFrame):
            return df
        changed: list[str] = []
        out = df.copy()
        if set(KWIC_COLUMNS) <= set(out.columns) and len(out):
            cells = [self.kwic(*(str(v) if isinstance(v, str) else "" for v in row))
                     for row in out[list(KWIC_COLUMNS)].itertuples(index=False)]  # fmt: skip
            for i, column in enumerate(KWIC_COLUMNS):
                out[column] = pd.Series([c[i] for c in cells], index=out.index, dtype="str")
            changed.append(f"context windows cut to {self.words} words")
        for column in DROPPED_COLUMNS:
            if column in out.columns:
                out = out.drop(columns=column)
                changed.append(f"{column} left out")
        for column in CUT_COLUMNS:
            if column in out.columns and (out[column].dtype == "str" or out[column].dtype == object):
                out[column] = out[column].map(self.cut)
                changed.append(f"{column} cut to {self.words} words")
        out.attrs = {**df.attrs, "share": changed}
        return out

    def note(self) -> str:
        """One paragraph stating the mode and what it leaves out ("" in full mode)."""
        if not self.derived:
            return ""
        n = self.words
        return (
            f"Sharing mode: derived. No published file quotes more than {n} consecutive words of any "
            f"article: keyword-in-context windows are cut to {n} words, example sentences are replaced "
            f"by their article ids and matched terms, titles and excerpts are cut to {n} words. Counts, "
            "rates, key terms, codes and ids are complete, and the document-term matrix is published "
            "as tables/30-keywords/document-term-matrix.csv (one row per article id and term)."
        )


# --- the scanner ---------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]\w*);")
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")
_TEXT_SUFFIXES = {".html", ".htm", ".csv", ".tsv", ".txt", ".json", ".yml", ".yaml", ".md", ".ipynb", ".xml"}
_BASE = np.uint64(1_000_003)


def html_text(markup: str) -> str:
    """The text of HTML: tags become spaces (newlines kept, so lines stay lines), entities are
    decoded, inline base64 data is dropped.

    >>> html_text("<td>Kyiv&#x27;s</td><td>strikes</td>")
    " Kyiv's  strikes "
    """
    markup = _DATA_URI.sub(" ", markup)

    def replace(m: re.Match) -> str:
        token = m.group()
        if token.startswith("<"):
            return " " + "\n" * token.count("\n")
        return html.unescape(token)

    return _TAG.sub(replace, markup)


def _json_passages(value, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        yield where, "".join(value)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _json_passages(v, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key in value:
            if key.startswith("image/"):
                continue
            passages = _json_passages(value[key], f"{where}.{key}" if where else key)
            for place, text in passages:
                yield place, html_text(text) if "html" in key or "markdown" in key else text


def png_text(data: bytes) -> str:
    """The text chunks (tEXt, zTXt, iTXt) of a PNG file, one `key: value` per line."""
    lines, at = [], 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        body = data[at + 8 : at + 8 + length]
        at += 12 + length
        try:
            if kind == b"tEXt":
                key, _, value = body.partition(b"\0")
                lines.append(f"{key.decode('latin-1')}: {value.decode('latin-1')}")
            elif kind == b"zTXt":
                key, _, value = body.partition(b"\0")
                lines.append(f"{key.decode('latin-1')}: {zlib.decompress(value[1:]).decode('latin-1')}")
            elif kind == b"iTXt":
                key, _, rest = body.partition(b"\0")
                compressed, rest = rest[0], rest[2:]
                _lang, _, rest = rest.partition(b"\0")
                _translated, _, value = rest.partition(b"\0")
                text = zlib.decompress(value) if compressed else value
                lines.append(f"{key.decode('latin-1')}: {text.decode('utf-8', 'replace')}")
        except (zlib.error, IndexError, UnicodeDecodeError):
            lines.append(f"{kind.decode('latin-1')}: (unreadable chunk)")
    return "\n".join(lines)


def file_passages(path: Path) -> list[tuple[str, str]] | None:
    """The text a reader of `path` sees, as `(where, text)` passages; None for a file that holds
    no text (a binary other than PNG)."""
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".png":
        return [("png text", png_text(data))]
    if suffix not in _TEXT_SUFFIXES and b"\0" in data[:4096]:
        return None
    text = data.decode("utf-8", errors="replace")
    if suffix == ".ipynb":
        try:
            return list(_json_passages(json.loads(text), ""))
        except json.JSONDecodeError:
            return [("", text)]
    if suffix in (".html", ".htm", ".xml"):
        return [("", html_text(text))]
    return [("", text)]


def _window_hashes(ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hash of every k-word window of `ids` (negative ids break windows) and whether it is whole."""
    n = len(ids) - k + 1
    if n <= 0:
        return np.zeros(0, np.uint64), np.zeros(0, bool)
    codes = ids.astype(np.uint64)
    h = np.zeros(n, np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _BASE + codes[j : j + n] + np.uint64(1)
    breaks = np.concatenate([[0], np.cumsum(ids < 0)])
    whole = breaks[k : k + n] - breaks[:n] == 0
    return h, whole


@dataclass(frozen=True, eq=False)
class Index:
    """The corpus's word k-grams: `hashes` sorted, `starts` (positions in `ids`) beside them."""

    k: int
    vocab: dict[str, int]
    ids: np.ndarray
    hashes: np.ndarray
    starts: np.ndarray
    segments: np.ndarray
    """Start position of each (article, part) segment in `ids`; `labels` names them."""
    labels: list[tuple[str, str]]

    @classmethod
    def build(cls, corpus_df: pd.DataFrame, *, k: int) -> Index:
        """Index the title and the text of every article (separately: a run never spans both)."""
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        vocab: dict[str, int] = {}
        chunks: list[list[int]] = []
        segments, labels, at = [], [], 0
        for part in ("title", "text"):
            if part not in corpus_df.columns:
                continue
            for doc, text in zip(corpus_df["id"].astype("str"), corpus_df[part].tolist()):
                if not isinstance(text, str):
                    continue
                seq = [vocab.setdefault(w, len(vocab)) for w in words(text)]
                if len(seq) < k:
                    continue
                segments.append(at)
                labels.append((doc, part))
                chunks.append(seq + [-1])
                at += len(seq) + 1
        ids = np.fromiter((i for c in chunks for i in c), dtype=np.int64, count=at)
        h, whole = _window_hashes(ids, k)
        starts = np.flatnonzero(whole)
        order = np.argsort(h[starts], kind="stable")
        return cls(k, vocab, ids, h[starts][order], starts[order], np.asarray(segments, np.int64), labels)

    def encode(self, tokens: list[str]) -> np.ndarray:
        """Word ids of `tokens` (-1 for words the corpus does not have)."""
        get = self.vocab.get
        return np.fromiter((get(t, -1) for t in tokens), dtype=np.int64, count=len(tokens))

    def label(self, position: int) -> tuple[str, str, int]:
        """(article id, part, word number in that part) of a corpus position."""
        seg = int(np.searchsorted(self.segments, position, side="right")) - 1
        doc, part = self.labels[seg]
        return doc, part, position - int(self.segments[seg])


@dataclass(frozen=True)
class Run:
    """The longest run of consecutive article words found in one file."""

    file: str
    words: int
    where: str
    line: int
    word: int
    article: str
    part: str
    article_word: int
    text: str


def longest_run(index: Index, tokens: list[str]) -> tuple[int, int, int]:
    """(length, start in `tokens`, corpus position) of the longest run of `tokens` that is a run of
    consecutive words of one article part; (0, -1, -1) when no run reaches `index.k` words."""
    k = index.k
    ids = index.encode(tokens)
    h, whole = _window_hashes(ids, k)
    if not len(index.hashes) or not whole.any():
        return 0, -1, -1
    at = np.searchsorted(index.hashes, h)
    hit = whole & (at < len(index.hashes))
    hit[hit] = index.hashes[at[hit]] == h[hit]
    best = (0, -1, -1)
    alive: dict[int, int] = {}
    previous = -2
    for i in np.flatnonzero(hit).tolist():
        if i != previous + 1:
            alive = {}
        previous = i
        lo = int(at[i])
        hi = int(np.searchsorted(index.hashes, h[i], side="right"))
        window = ids[i : i + k]
        found: dict[int, int] = {}
        for p in index.starts[lo:hi].tolist():
            if np.array_equal(index.ids[p : p + k], window):
                found[p] = alive.get(p - 1, i)
        alive = found
        for p, start in found.items():
            length = i - start + k
            if length > best[0]:
                best = (length, start, p - (i - start))
    return best


@dataclass
class Scan:
    """Result of `scan`: the longest run per file, the files without text, the time taken."""

    runs: list[Run]
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    k: int = 0

    @property
    def longest(self) -> Run | None:
        found = [r for r in self.runs if r.words]
        return min(found, key=lambda r: (-r.words, r.file)) if found else None

    def table(self) -> pd.DataFrame:
        """One row per scanned file, longest run first."""
        rows = [vars(r) for r in self.runs]
        frame = pd.DataFrame(rows, columns=list(Run.__dataclass_fields__))
        return frame.sort_values(["words", "file"], ascending=[False, True], kind="stable").reset_index(drop=True)


def scan(corpus_df: pd.DataFrame, folder: str | os.PathLike, *, min_words: int = 4) -> Scan:
    """The longest run of consecutive words of any article (title or text) in every file below
    `folder`. Runs shorter than `min_words` are not looked for (their length shows as 0).

    >>> import tempfile
    >>> docs = pd.DataFrame({"id": ["a"], "title": ["Red lines"],
    ...                      "text": ["Putin warned the West against long-range strikes on Russia."]})
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "t.csv").write_text("id,left,match\\na,warned the West,against long-range\\n")
    >>> run = scan(docs, folder, min_words=2).longest
    >>> run.words, run.file, run.line, run.article, run.text
    (6, 't.csv', 2, 'a', 'warned the west against long range')
    """
    started = time.perf_counter()
    root = Path(folder)
    index = Index.build(corpus_df, k=min_words)
    runs, skipped = [], []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        passages = file_passages(path)
        if passages is None:
            skipped.append(name)
            continue
        tokens: list[str] = []
        marks: list[tuple[int, str, str, list[int]]] = []  # first token, where, text, token starts
        for where, text in passages:
            spans = list(_WORD.finditer(text))
            marks.append((len(tokens), where, text, [m.start() for m in spans]))
            tokens.extend(m.group().casefold() for m in spans)
        length, start, position = longest_run(index, tokens)
        if not length:
            runs.append(Run(name, 0, "", 0, 0, "", "", 0, ""))
            continue
        first, where, text, starts = next(m for m in reversed(marks) if m[0] <= start)
        offset = starts[start - first]
        line = text.count("\n", 0, offset) + 1
        doc, part, article_word = index.label(position)
        shown = " ".join(tokens[start : start + length])
        runs.append(Run(name, length, where, line, start - first + 1, doc, part, article_word + 1, shown))
    return Scan(runs, skipped, time.perf_counter() - started, min_words)
