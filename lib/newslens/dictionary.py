"""The dictionary engine: categories of glob / multi-word patterns counted in documents.

One engine serves sentiment lexicons, frame indicators and actor aliases. Patterns are
case-insensitive and matched on :func:`newslens.text.tokens`; ``*`` is a wildcard inside a
token (``threat*``, ``*-led``); space-separated patterns match token sequences
(``red line*``). Matching rules:

* at each token position the longest matching entry of a category wins (ties: the entry with
  fewer wildcards, then file order), and its tokens are consumed for that category, so
  ``nuclear war`` counts once, not also as ``nuclear*`` in the same category;
* categories are matched independently (quanteda's ``nested_scope="key"``): an entry listed
  in several categories, or tokens covered by entries of different categories, count in each;
* with ``negation=N`` a hit preceded by a negator (``not``, ``no``, ``never``, ``*n't`` ...,
  see ``data/negators_en.txt``) within N tokens of the same clause (no ``. ! ? ; :`` between)
  is counted under ``neg_<category>`` instead (the Lexicoder convention).

File formats (:func:`load` picks one by suffix):

* ``.yml``/``.yaml`` -- newslens YAML: optional ``name``/``description`` (other top-level keys
  are kept in ``header``) and a ``categories:`` mapping of category -> list of patterns, or
  category -> ``{patterns: [...], <metadata>}``; or quanteda-style YAML whose top level is the
  categories, each a list of patterns (``positive: [good, great*]``; no nesting);
* ``.dic`` -- LIWC: category ids and names between two ``%`` lines, then ``word<TAB>ids``;
* ``.lc3``/``.lcd`` -- Lexicoder (e.g. the licensed Lexicoder Sentiment Dictionary): a line
  ``+category`` (optionally ``+category#RRGGBB``, a display colour) starts a category and each
  following non-blank line is an entry, e.g. ``abandon*`` or ``a lie``.

>>> d = Dictionary.from_mapping({"conflict": ["nuclear*", "nuclear war", "red line*"]})
>>> count(d, pd.DataFrame({"id": ["a"], "text": ["A nuclear war over red lines."]}))
  id  category  count  n_tokens    per_1000
0  a  conflict      2         6  333.333333
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, InitVar, dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import yaml

from newslens.text import ABBREVIATIONS, NUMBER_ABBREVIATIONS, TOKEN_RE, data_lines, is_missing, tokens

__all__ = ["Dictionary", "DictionaryError", "NEGATORS", "load", "count", "matches"]

NEGATORS: frozenset[str] = frozenset(data_lines("negators_en.txt"))
"""Negators for the negation window; tokens ending in ``n't`` are negators too."""

_WILDCARD_SENTINEL = "qqwildcardqq"
_CLAUSE_PUNCT = re.compile(r"[.!?;:]")


class DictionaryError(ValueError):
    """A dictionary file or mapping that cannot be used; the message names file and line."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None) -> None:
        where = str(path) if path is not None else "<mapping>"
        if line is not None:
            where += f":{line}"
        super().__init__(f"{where}: {message}")
        self.path = None if path is None else str(path)
        self.line = line


def _compile_pattern(pattern: str) -> tuple[str, ...]:
    """Normalised token patterns of one entry: ``"Red Line*"`` -> ``("red", "line*")``."""
    pieces: list[str] = []
    for piece in pattern.split():
        toks = [t.replace(_WILDCARD_SENTINEL, "*") for t in tokens(piece.replace("*", _WILDCARD_SENTINEL))]
        if piece.strip("*") == "" or any(t.strip("*") == "" for t in toks):
            raise ValueError(f"pattern {pattern!r}: a bare '*' would match any token")
        pieces.extend(toks)
    if not pieces:
        raise ValueError(f"pattern {pattern!r} contains no word characters")
    return tuple(pieces)


@dataclass(frozen=True)
class _Entry:
    length: int
    token_ids: tuple[int, ...]
    hits: tuple[tuple[int, str], ...]  # (category index, pattern as written)
    rank: tuple[int, int, int]  # sort key: longest, fewest wildcards, file order


class _Matcher:
    """Compiled form of a dictionary: token patterns indexed for fast lookup per token."""

    def __init__(self, entries: Sequence[tuple[tuple[str, ...], int, str]]) -> None:
        token_id: dict[str, int] = {}
        grouped: dict[tuple[str, ...], list[tuple[int, str]]] = {}
        for toks, cat, pattern in entries:
            hits = grouped.setdefault(toks, [])
            if all(c != cat for c, _ in hits):
                hits.append((cat, pattern))
            for tok in toks:
                token_id.setdefault(tok, len(token_id))
        self.literals: dict[str, int] = {}
        self.prefixes: dict[str, int] = {}
        self.globs: list[tuple[re.Pattern[str], int]] = []
        for tok, tid in token_id.items():
            star = tok.find("*")
            if star < 0:
                self.literals[tok] = tid
            elif star == len(tok) - 1:
                self.prefixes[tok[:-1]] = tid
            else:
                regex = ".*".join(re.escape(part) for part in tok.split("*"))
                self.globs.append((re.compile(regex, re.DOTALL), tid))
        self.prefix_lengths = sorted({len(p) for p in self.prefixes})
        self.starting: dict[int, list[_Entry]] = {}
        for order, (toks, hits) in enumerate(grouped.items()):
            entry = _Entry(
                length=len(toks),
                token_ids=tuple(token_id[t] for t in toks),
                hits=tuple(hits),
                rank=(-len(toks), sum(t.count("*") for t in toks), order),
            )
            self.starting.setdefault(entry.token_ids[0], []).append(entry)
        self._ids: dict[str, frozenset[int]] = {}
        self._candidates: dict[str, tuple[_Entry, ...]] = {}
        self._active: set[str] = set()  # tokens that start at least one entry

    def token_ids(self, tok: str) -> frozenset[int]:
        """Ids of the token patterns that ``tok`` matches (memoised per distinct token)."""
        found = self._ids.get(tok)
        if found is None:
            ids = []
            tid = self.literals.get(tok)
            if tid is not None:
                ids.append(tid)
            n = len(tok)
            for length in self.prefix_lengths:
                if length > n:
                    break
                tid = self.prefixes.get(tok[:length])
                if tid is not None:
                    ids.append(tid)
            ids.extend(tid for regex, tid in self.globs if regex.fullmatch(tok))
            found = self._ids[tok] = frozenset(ids)
        return found

    def candidates(self, tok: str) -> tuple[_Entry, ...]:
        """Entries whose first token pattern matches ``tok``, best first."""
        found = self._candidates.get(tok)
        if found is None:
            entries = [e for tid in self.token_ids(tok) for e in self.starting.get(tid, ())]
            found = self._candidates[tok] = tuple(sorted(entries, key=lambda e: e.rank))
            if found:
                self._active.add(tok)
        return found

    def scan(self, toks: Sequence[str], n_categories: int, negated: Sequence[bool] | None):
        """Yield ``(category index, pattern, start, end, negated)`` for every hit."""
        for tok in set(toks).difference(self._candidates):
            self.candidates(tok)
        active = self._active
        positions = [i for i, tok in enumerate(toks) if tok in active]
        if not positions:
            return
        next_free = [0] * n_categories
        n = len(toks)
        candidates = self._candidates
        ids_of = self._ids  # holds every token of this document after the loop above
        for i in positions:
            for entry in candidates[toks[i]]:
                length = entry.length
                end = i + length
                if end > n:
                    continue
                if length > 1:
                    tids = entry.token_ids
                    k = 1
                    while k < length and tids[k] in ids_of[toks[i + k]]:
                        k += 1
                    if k < length:
                        continue
                for cat, pattern in entry.hits:
                    if next_free[cat] <= i:
                        next_free[cat] = end
                        yield cat, pattern, i, end, bool(negated and negated[i])


def _frozen(value: Any) -> Any:
    """A read-only copy of metadata: mappings become read-only mappings, lists and tuples tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(value)
    return value


def _thawed(value: Any) -> Any:
    """Plain dicts in place of the read-only mappings of :func:`_frozen` (which cannot be pickled)."""
    if isinstance(value, Mapping):
        return {k: _thawed(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_thawed(v) for v in value)
    return value


@dataclass(frozen=True, repr=False)
class Dictionary:
    """Named categories of patterns, with per-category metadata; immutable once built.

    Attributes: ``patterns`` (category -> tuple of patterns as written, file order),
    ``categories`` (tuple, file order), ``name``, ``description``, ``meta`` (category -> extra
    keys), ``header`` (extra top-level keys of a YAML file), ``source`` (file path or None).
    The constructor's ``lines=`` (``(category, index) -> line`` of each pattern in its file) only
    locates errors in messages.
    The matcher is compiled once, when the dictionary is built, so nothing can change afterwards:
    the mappings are read-only (metadata lists become tuples). A changed dictionary is a new one,
    e.g. ``dataclasses.replace(d, patterns={**d.patterns, "threat": ["threat*", "ultimatum*"]})``,
    which compiles its own matcher (metadata of categories no longer listed is dropped).

    >>> d = Dictionary.from_mapping({"threat": ["threat*", "red line*"]}, name="demo")
    >>> d.categories, d.patterns["threat"]
    (('threat',), ('threat*', 'red line*'))
    >>> d.patterns["threat"] = ("peace",)
    Traceback (most recent call last):
    ...
    TypeError: 'mappingproxy' object does not support item assignment
    """

    patterns: Mapping[str, tuple[str, ...]]
    _: KW_ONLY
    name: str = "dictionary"
    description: str = ""
    meta: Mapping[str, Mapping[str, Any]] | None = None
    header: Mapping[str, Any] | None = None
    source: str | Path | None = None
    lines: InitVar[Mapping[tuple[str, int], int] | None] = None
    categories: tuple[str, ...] = field(init=False)
    _matcher: _Matcher = field(init=False, compare=False)

    def __post_init__(self, lines: Mapping[tuple[str, int], int] | None) -> None:
        source = self.source
        if not isinstance(self.patterns, Mapping):
            raise DictionaryError(
                f"expected a mapping of category -> patterns, got {type(self.patterns).__name__}", path=source
            )
        for cat, pats in self.patterns.items():
            if isinstance(pats, str) or not isinstance(pats, Sequence):
                raise DictionaryError(f"category {cat!r}: expected a list of patterns", path=source)
        patterns = {str(c): tuple(p) for c, p in self.patterns.items()}
        categories = tuple(patterns)
        meta = self.meta or {}
        entries = []
        for cat_index, cat in enumerate(categories):
            for pat_index, pattern in enumerate(patterns[cat]):
                try:
                    entries.append((_compile_pattern(pattern), cat_index, pattern))
                except ValueError as err:
                    line = (lines or {}).get((cat, pat_index))
                    raise DictionaryError(f"category {cat!r}: {err}", path=source, line=line) from None
        set_field = object.__setattr__  # the dataclass is frozen: fields are set once, here
        set_field(self, "patterns", MappingProxyType(patterns))
        set_field(self, "categories", categories)
        set_field(self, "meta", MappingProxyType({c: _frozen(meta.get(c, {})) for c in categories}))
        set_field(self, "header", _frozen(self.header or {}))
        set_field(self, "source", None if source is None else str(source))
        set_field(self, "_matcher", _Matcher(entries))

    def __repr__(self) -> str:
        n = sum(len(p) for p in self.patterns.values())
        return f"Dictionary(name={self.name!r}, categories={len(self.categories)}, patterns={n})"

    def __hash__(self) -> int:
        return hash((self.name, tuple(self.patterns.items())))

    def __reduce__(self):
        """Pickled (and copied) as the constructor call that builds it again."""
        options = {"name": self.name, "description": self.description, "meta": _thawed(self.meta),
                   "header": _thawed(self.header), "source": self.source}
        return functools.partial(Dictionary, **options), (_thawed(self.patterns),)

    @classmethod
    def from_mapping(
        cls,
        mapping: Mapping[str, Sequence[str] | Mapping[str, Any]],
        *,
        name: str = "dictionary",
        description: str = "",
    ) -> Dictionary:
        """Build a dictionary from ``{category: [patterns]}`` or ``{category: {"patterns": [...], **meta}}``.

        >>> dict(Dictionary.from_mapping({"eu": {"patterns": ["brussels"], "type": "organisation"}}).meta["eu"])
        {'type': 'organisation'}
        """
        patterns: dict[str, list[str]] = {}
        meta: dict[str, dict[str, Any]] = {}
        for cat, value in mapping.items():
            patterns[str(cat)], meta[str(cat)] = _category_value(str(cat), value, None, None)
        return cls(patterns, name=name, description=description, meta=meta)

    def to_frame(self) -> pd.DataFrame:
        """The instrument as a table: one row per (category, pattern), in file order."""
        rows = [(c, p) for c in self.categories for p in self.patterns[c]]
        return pd.DataFrame(rows, columns=["category", "pattern"], dtype="str")


def _category_value(
    cat: str, value: Any, path: Path | None, line: int | None, item_lines: Sequence[int] = ()
) -> tuple[list[str], dict]:
    """Patterns and metadata of one category in short (list) or long (mapping) form."""
    if isinstance(value, Mapping):
        meta = {str(k): v for k, v in value.items() if k != "patterns"}
        if "patterns" not in value:
            raise DictionaryError(f"category {cat!r} has no 'patterns' list", path=path, line=line)
        value = value["patterns"]
    else:
        meta = {}
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise DictionaryError(
            f"category {cat!r}: expected a list of patterns, got {type(value).__name__}", path=path, line=line
        )
    if not value:
        raise DictionaryError(f"category {cat!r} has no patterns", path=path, line=line)
    patterns = []
    for number, pattern in enumerate(value, 1):
        if isinstance(pattern, bool) or not isinstance(pattern, str | int | float):
            raise DictionaryError(
                f"category {cat!r}, pattern #{number}: expected text, got {type(pattern).__name__}",
                path=path,
                line=item_lines[number - 1] if len(item_lines) >= number else line,
            )
        patterns.append(str(pattern))
    return patterns, meta


# --- file formats ----------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DictionaryError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x}); re-save the file as UTF-8", path=path, line=line
        ) from None


def _mapping_items(node: yaml.Node, path: Path, what: str) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise DictionaryError(f"{what} must be a mapping", path=path, line=node.start_mark.line + 1)
    seen: dict[str, int] = {}
    for key, _ in node.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode):
            raise DictionaryError(f"{what}: keys must be plain text", path=path, line=line)
        if key.value in seen:
            raise DictionaryError(
                f"{what}: duplicate key {key.value!r} (first at line {seen[key.value]})", path=path, line=line
            )
        seen[key.value] = line
    return node.value


def _load_yaml(path: Path) -> Dictionary:
    text = _read_text(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        reason = getattr(err, "problem", None) or str(err)
        line = None if mark is None else mark.line + 1
        raise DictionaryError(f"invalid YAML: {reason}", path=path, line=line) from None
    if root is None:
        raise DictionaryError("empty dictionary file", path=path, line=1)
    loader = yaml.SafeLoader("")
    top_items = _mapping_items(root, path, "top level")
    top = {key.value: value for key, value in top_items}
    if "categories" in top and not isinstance(top["categories"], yaml.SequenceNode):
        category_items = _mapping_items(top["categories"], path, "categories")
    else:
        # quanteda style: the top level IS the categories, each a list of patterns
        for key, value in top_items:
            if not isinstance(value, yaml.SequenceNode):
                shape = "a mapping" if isinstance(value, yaml.MappingNode) else "a single value"
                raise DictionaryError(
                    f"no 'categories' key, so every top-level key must be a category with a list of "
                    f"patterns (quanteda style), but {key.value!r} has {shape}; put metadata and long-form "
                    "categories under 'categories:' (nested categories are not supported)",
                    path=path,
                    line=key.start_mark.line + 1,
                )
        category_items, top = top_items, {}
    patterns: dict[str, list[str]] = {}
    meta: dict[str, dict] = {}
    lines: dict[tuple[str, int], int] = {}
    for key, value_node in category_items:
        cat = key.value
        line = key.start_mark.line + 1
        seq = value_node
        if isinstance(value_node, yaml.MappingNode):
            seq = next((v for k, v in value_node.value if k.value == "patterns"), value_node)
        item_lines = [item.start_mark.line + 1 for item in seq.value] if isinstance(seq, yaml.SequenceNode) else []
        lines.update({(cat, number): item_line for number, item_line in enumerate(item_lines)})
        value = loader.construct_object(value_node, deep=True)
        patterns[cat], meta[cat] = _category_value(cat, value, path, line, item_lines)
    header = {k: loader.construct_object(v, deep=True) for k, v in top.items() if k != "categories"}
    return Dictionary(
        patterns,
        name=str(header.pop("name", None) or path.stem),
        description=str(header.pop("description", None) or ""),
        meta=meta,
        source=path,
        lines=lines,
        header=header,
    )


def _liwc_id(raw: str) -> str:
    """Category ids compare as numbers when numeric ("02" == "2")."""
    return str(int(raw)) if raw.isdigit() else raw


def _load_liwc(path: Path) -> Dictionary:
    lines = _read_text(path).splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        raise DictionaryError("LIWC .dic needs a category block between two '%' lines", path=path, line=1)
    if any(line.strip() for line in lines[: marks[0]]):
        raise DictionaryError("text before the opening '%' line", path=path, line=1)
    names: dict[str, str] = {}
    for i in range(marks[0] + 1, marks[1]):
        parts = lines[i].split(None, 1)
        if not parts:
            continue
        if len(parts) != 2:
            raise DictionaryError(f"category line needs '<id> <name>', got {lines[i]!r}", path=path, line=i + 1)
        cat_id = _liwc_id(parts[0])
        if cat_id in names:
            raise DictionaryError(f"duplicate category id {parts[0]!r}", path=path, line=i + 1)
        names[cat_id] = parts[1].strip()
    if not names:
        raise DictionaryError("no categories in the '%' block", path=path, line=marks[0] + 1)
    patterns: dict[str, list[str]] = {name: [] for name in names.values()}
    line_of: dict[tuple[str, int], int] = {}
    for i in range(marks[1] + 1, len(lines)):
        raw = lines[i].strip()
        if not raw:
            continue
        word, sep, rest = raw.partition("\t")
        if not sep:
            word, _, rest = raw.partition(" ")
        word, cat_ids = word.strip(), rest.split()
        if not cat_ids:
            raise DictionaryError(f"entry {word!r} has no category ids", path=path, line=i + 1)
        for raw_id in cat_ids:
            if any(c in raw_id for c in "/()<>"):
                raise DictionaryError(
                    f"entry {word!r}: conditional LIWC category {raw_id!r} is not supported; "
                    "list the word with plain category ids",
                    path=path,
                    line=i + 1,
                )
            cat_id = _liwc_id(raw_id)
            if cat_id not in names:
                raise DictionaryError(
                    f"entry {word!r}: unknown category id {raw_id!r} (defined ids: {', '.join(names)})",
                    path=path,
                    line=i + 1,
                )
            cat = names[cat_id]
            if word not in patterns[cat]:
                line_of[(cat, len(patterns[cat]))] = i + 1
                patterns[cat].append(word)
    meta = {name: {"liwc_id": cat_id} for cat_id, name in names.items()}
    return Dictionary(patterns, name=path.stem, meta=meta, source=path, lines=line_of)


_LEXICODER_CATEGORY = re.compile(r"\+(?P<name>.*?)(?P<colour>#[0-9A-Fa-f]{6})?")


def _load_lexicoder(path: Path) -> Dictionary:
    """Lexicoder 3 text format, as read by quanteda's ``read_dict_lexicoder``.

    A line ``+name`` starts a category (Lexicoder may append a display colour, ``+negative#AA0000``,
    kept as ``meta["colour"]``); each following non-blank line is one entry; surrounding
    whitespace is ignored. The format has no comment syntax, so a line starting with ``#`` is
    refused rather than read as a pattern.
    """
    text = _read_text(path)
    if text.lstrip().startswith("<"):
        raise DictionaryError(
            "looks like an XML dictionary (Yoshikoder); expected Lexicoder text: '+category' lines followed "
            "by one entry per line",
            path=path,
            line=text[: len(text) - len(text.lstrip())].count("\n") + 1,
        )
    patterns: dict[str, list[str]] = {}
    meta: dict[str, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
    line_of: dict[tuple[str, int], int] = {}
    cat: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("+"):
            found = _LEXICODER_CATEGORY.fullmatch(line)
            name = found["name"].strip() if found else ""
            if not name:
                raise DictionaryError(f"category line {line!r} has no name", path=path, line=number)
            if name in first_line:
                raise DictionaryError(
                    f"duplicate category {name!r} (first at line {first_line[name]})", path=path, line=number
                )
            if cat is not None and not patterns[cat]:
                raise DictionaryError(f"category {cat!r} has no entries", path=path, line=first_line[cat])
            cat = name
            first_line[cat] = number
            patterns[cat] = []
            meta[cat] = {"colour": found["colour"].upper()} if found["colour"] else {}
            continue
        if line.startswith("#"):
            raise DictionaryError(
                f"entry {line!r} starts with '#': Lexicoder files have no comments; remove the line",
                path=path,
                line=number,
            )
        if cat is None:
            raise DictionaryError(f"entry {line!r} comes before the first '+category' line", path=path, line=number)
        entry = " ".join(line.split())
        if entry not in patterns[cat]:
            line_of[(cat, len(patterns[cat]))] = number
            patterns[cat].append(entry)
    if cat is None:
        raise DictionaryError("no '+category' line", path=path, line=1)
    if not patterns[cat]:
        raise DictionaryError(f"category {cat!r} has no entries", path=path, line=first_line[cat])
    return Dictionary(patterns, name=path.stem, meta=meta, source=path, lines=line_of)


_LOADERS = {
    ".yml": _load_yaml,
    ".yaml": _load_yaml,
    ".dic": _load_liwc,
    ".lc3": _load_lexicoder,
    ".lcd": _load_lexicoder,
}


def load(path: str | Path) -> Dictionary:
    """Load a dictionary file; the suffix picks the format (see the module docs).

    ``.yml``/``.yaml``: YAML with a ``categories:`` mapping, or quanteda style (every top-level
    key a category with a list of patterns); ``.dic``: LIWC; ``.lc3``/``.lcd``: Lexicoder.

    Problems raise :class:`DictionaryError` naming the file and line.

    >>> import newslens, pathlib
    >>> load(pathlib.Path(newslens.__file__).parent / "data" / "actors.yml").categories[:2]
    ('Russia', 'Ukraine')
    """
    path = Path(path)
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise ValueError(f"{path}: unknown dictionary format {suffix!r}; valid suffixes: {', '.join(_LOADERS)}")
    return loader(path)


# --- counting ----------------------------------------------------------------------------------


def _tokens_and_negation(text: Any, window: int) -> tuple[list[str], list[bool] | None]:
    """Tokens of ``text`` and, when ``window`` > 0, whether each token is in a negator's scope."""
    if window <= 0:
        return tokens(text), None
    if is_missing(text):
        return [], []
    text = str(text)
    toks = tokens(text)
    negated = [False] * len(toks)
    kinds = set(toks)
    negating = {tok for tok in kinds if tok in NEGATORS or tok.endswith("n't")}
    if not negating:
        return toks, negated
    spans = list(map(re.Match.span, TOKEN_RE.finditer(text)))
    # "No. 10" is an abbreviation, not a negator, and its period ends nothing
    numbered = set()
    if not kinds.isdisjoint(NUMBER_ABBREVIATIONS):
        numbered = {k for k, tok in enumerate(toks[:-1]) if tok in NUMBER_ABBREVIATIONS
                    and text.startswith(".", spans[k][1]) and toks[k + 1][:1].isdigit()}  # fmt: skip

    def clause_ends_before(k: int) -> bool:
        """Whether clause punctuation separates token ``k - 1`` from token ``k``."""
        prev_end, start = spans[k - 1][1], spans[k][0]
        if start - prev_end <= 1 and text[prev_end] == " ":
            return False
        gap = text[prev_end:start]
        if gap.startswith(".") and (
            k - 1 in numbered
            or (toks[k - 1] in ABBREVIATIONS and toks[k - 1] not in NUMBER_ABBREVIATIONS)
            or "." in toks[k - 1]
        ):
            gap = gap[1:]  # the period of "Mr.", "U.S." or "No. 10" does not end the clause
        return _CLAUSE_PUNCT.search(gap) is not None

    for j, tok in enumerate(toks):
        if tok in negating and j not in numbered:
            for i in range(j + 1, min(j + window + 1, len(toks))):
                if clause_ends_before(i):
                    break
                negated[i] = True
    return toks, negated


def _check_args(docs: pd.DataFrame, id_col: str | Sequence[str], text_col: str, negation: int) -> list[str]:
    id_cols = [id_col] if isinstance(id_col, str) else list(id_col)
    for col in [*id_cols, text_col]:
        if col not in docs.columns:
            raise KeyError(f"column {col!r} not in table (columns: {list(docs.columns)})")
    if isinstance(negation, bool) or not isinstance(negation, int | np.integer) or negation < 0:
        raise ValueError(f"negation must be a non-negative integer (tokens), got {negation!r}")
    return id_cols


def _all_categories(dictionary: Dictionary, negation: int) -> list[str]:
    cats = list(dictionary.categories)
    if not negation:
        return cats
    clash = sorted(set(cats) & {f"neg_{c}" for c in cats})
    if clash:
        raise ValueError(f"with negation, category names {clash} clash with the neg_<category> counts; rename them")
    return cats + [f"neg_{c}" for c in cats]


def count(
    dictionary: Dictionary,
    docs: pd.DataFrame,
    *,
    id_col: str | Sequence[str] = "id",
    text_col: str = "text",
    negation: int = 0,
) -> pd.DataFrame:
    """Hits per document and category: ``[id, category, count, n_tokens, per_1000]``.

    One row per (document, category) including zeros; categories in dictionary order, then
    (with ``negation``) the ``neg_<category>`` counts in the same order. ``id_col`` may be a
    list of columns (e.g. ``["id", "part", "sentence_no"]``); rows sharing an id are summed.
    ``per_1000`` is NaN for documents without tokens (missing or empty text).

    >>> d = Dictionary.from_mapping({"threat": ["threat*"]})
    >>> docs = pd.DataFrame({"id": ["a"], "text": ["Not a threat, just threats."]})
    >>> count(d, docs, negation=3)[["category", "count"]].to_dict("list")
    {'category': ['threat', 'neg_threat'], 'count': [1, 1]}
    """
    id_cols = _check_args(docs, id_col, text_col, negation)
    cats = _all_categories(dictionary, negation)
    n_cat = len(dictionary.categories)
    counts = np.zeros((len(docs), len(cats)), dtype=np.int64)
    n_tokens = np.zeros(len(docs), dtype=np.int64)
    matcher = dictionary._matcher
    for row, text in enumerate(docs[text_col].tolist()):
        toks, negated = _tokens_and_negation(text, negation)
        n_tokens[row] = len(toks)
        for cat, _pattern, _start, _end, neg in matcher.scan(toks, n_cat, negated):
            counts[row, cat + n_cat * neg] += 1
    wide = docs[id_cols].reset_index(drop=True).copy()
    value_cols = [f"_c{k}" for k in range(len(cats))]
    wide = pd.concat([wide, pd.DataFrame(counts, columns=value_cols), pd.DataFrame({"n_tokens": n_tokens})], axis=1)
    if wide.duplicated(id_cols).any():
        wide = wide.groupby(id_cols, sort=False, dropna=False, as_index=False).sum()
    wide = wide.sort_values(id_cols, kind="mergesort", na_position="last").reset_index(drop=True)
    n_docs = len(wide)
    out = {col: np.repeat(wide[col].to_numpy(), len(cats)) for col in id_cols}
    out["category"] = np.tile(np.array(cats, dtype=object), n_docs)
    out["count"] = wide[value_cols].to_numpy().reshape(-1)
    out["n_tokens"] = np.repeat(wide["n_tokens"].to_numpy(), len(cats))
    result = pd.DataFrame(out)
    for col in id_cols:
        result[col] = result[col].astype(docs[col].dtype)
    result["category"] = result["category"].astype("str")
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(result["n_tokens"] > 0, 1000.0 * result["count"] / result["n_tokens"].replace(0, 1), np.nan)
    result["per_1000"] = per.astype("float64")
    return result


def matches(
    dictionary: Dictionary,
    docs: pd.DataFrame,
    *,
    id_col: str | Sequence[str] = "id",
    text_col: str = "text",
    negation: int = 0,
) -> pd.DataFrame:
    """Every hit, for transparency: ``[id, category, pattern, match, start, end]``.

    ``match`` is the matched tokens joined by a space, ``start``/``end`` token offsets
    (end exclusive). Rows are ordered by id, then start, then category order.

    >>> d = Dictionary.from_mapping({"conflict": ["nuclear*", "nuclear war"]})
    >>> matches(d, pd.DataFrame({"id": ["a"], "text": ["Nuclear war; nuclear talks"]}))
      id  category      pattern        match  start  end
    0  a  conflict  nuclear war  nuclear war      0    2
    1  a  conflict     nuclear*      nuclear      2    3
    """
    id_cols = _check_args(docs, id_col, text_col, negation)
    cats = _all_categories(dictionary, negation)
    n_cat = len(dictionary.categories)
    matcher = dictionary._matcher
    rows: list[int] = []
    cat_idx: list[int] = []
    pats: list[str] = []
    texts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for row, text in enumerate(docs[text_col].tolist()):
        toks, negated = _tokens_and_negation(text, negation)
        for cat, pattern, start, end, neg in matcher.scan(toks, n_cat, negated):
            rows.append(row)
            cat_idx.append(cat + n_cat * neg)
            pats.append(pattern)
            texts.append(" ".join(toks[start:end]))
            starts.append(start)
            ends.append(end)
    ids = docs[id_cols].reset_index(drop=True).iloc[rows].reset_index(drop=True)
    result = ids.assign(
        _cat=np.array(cat_idx, dtype=np.int64),
        category=pd.Series([cats[c] for c in cat_idx], dtype="str"),
        pattern=pd.Series(pats, dtype="str"),
        match=pd.Series(texts, dtype="str"),
        start=np.array(starts, dtype=np.int64),
        end=np.array(ends, dtype=np.int64),
    )
    result = result.sort_values([*id_cols, "start", "_cat"], kind="mergesort", na_position="last")
    return result.drop(columns="_cat").reset_index(drop=True)
