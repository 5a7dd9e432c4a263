"""`corpus.yml`: per-corpus reading settings (formats, column mappings, outlets, date hints).

The file sits beside the corpus files; every key is optional::

    default_outlet: null
    outlet_aliases: {news.am: ["News.am", "https://news.am/"]}
    dates: {dayfirst: false, formats: []}
    files:
      - glob: "exports/*.csv"
        format: csv
        outlet: "Baltic Ledger"
        columns: {url: link, title: headline, published: date, text: body}
        dates: {formats: ["%d.%m.%Y"], dayfirst: true}

`CorpusConfig.settings_for("exports/a.csv")` returns the `FileSettings` that apply to one file
(the first matching `files` entry wins; globs are relative to the folder of corpus.yml, `**`
spans folders).

>>> cfg = CorpusConfig.from_mapping({"outlet_aliases": {"news.am": ["NEWS.am"]}})
>>> cfg.settings_for("a.txt").canonical_outlet("https://www.news.am/eng/")
'news.am'
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

import yaml

from newslens.choices import check_choice

Format = Literal["txt", "jsonl", "json", "csv", "tsv", "html", "docx", "rtf", "lexisnexis", "lexisnexis-html",
                 "nexisuni", "nexisuni-rtf", "factiva", "factiva-text", "factiva-rtf", "mediacloud", "gkg"]
FORMATS: tuple[str, ...] = get_args(Format)
SCHEMA_FIELDS = ("title", "text", "outlet", "published", "author", "url", "reprinted_from",
                 "reading_time")  # fmt: skip
CONFIG_NAME = "corpus.yml"


def url_host(value: str) -> str | None:
    """Host of a URL-like string without `www.` (None when `value` is not URL-like).

    >>> url_host("https://www.news.am/eng/"), url_host("Times Tengri")
    ('news.am', None)
    """
    text = value.strip()
    if not re.match(r"^(?:https?://|www\.)\S+$", text, re.I):
        return None
    host = urlsplit(text if "://" in text else "http://" + text).hostname or ""
    return host.removeprefix("www.") or None


@dataclass(frozen=True)
class FileSettings:
    """Everything corpus.yml says about reading one file."""

    format: str | None = None
    outlet: str | None = None
    default_outlet: str | None = None
    columns: tuple[tuple[str, str], ...] = ()
    dayfirst: bool = False
    date_formats: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()

    def canonical_outlet(self, name: str) -> str:
        """Canonical outlet for `name` (aliases are case-insensitive; URLs reduce to their host)."""
        name = " ".join(name.split())
        table = dict(self.aliases)
        if (hit := table.get(name.casefold())) is not None:
            return hit
        host = url_host(name)
        if host is None:
            return name
        return table.get(host.casefold(), host)

    @functools.lru_cache(maxsize=256)  # noqa: B019 - frozen, hashable, few distinct settings
    def digest(self) -> str:
        """Short hash of these settings, part of the ingestion cache key."""
        blob = json.dumps(self.__dict__, sort_keys=True, default=list).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


@dataclass(frozen=True)
class FileRule:
    glob: str
    format: str | None = None
    outlet: str | None = None
    columns: tuple[tuple[str, str], ...] = ()
    dayfirst: bool | None = None
    date_formats: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CorpusConfig:
    """Parsed corpus.yml (all defaults when the corpus has none)."""

    default_outlet: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()
    dayfirst: bool = False
    date_formats: tuple[str, ...] = ()
    rules: tuple[FileRule, ...] = field(default_factory=tuple)

    @classmethod
    def load(cls, folder: Path) -> CorpusConfig:
        """Read `folder/corpus.yml`; defaults when it does not exist. Bad content raises ValueError."""
        path = Path(folder) / CONFIG_NAME
        if not path.is_file():
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError as exc:
            raise ValueError(f"{path}: not valid YAML: {exc}") from exc
        try:
            return cls.from_mapping(data or {})
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from exc

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> CorpusConfig:
        """Build from the parsed YAML mapping, rejecting unknown keys and bad values."""
        _only_keys("corpus.yml", data, ("default_outlet", "outlet_aliases", "dates", "files"))
        aliases: dict[str, str] = {}
        for canonical, variants in (data.get("outlet_aliases") or {}).items():
            if isinstance(variants, str):
                variants = [variants]
            for variant in [canonical, *variants]:
                variant = str(variant).strip()
                aliases[variant.casefold()] = str(canonical)
                if (host := url_host(variant)) is not None:
                    aliases.setdefault(host.casefold(), str(canonical))
        dayfirst, formats = _dates("dates", data.get("dates") or {})
        rules = tuple(_rule(i, entry) for i, entry in enumerate(data.get("files") or []))
        default = data.get("default_outlet")
        return cls(
            default_outlet=None if default is None else str(default),
            aliases=tuple(sorted(aliases.items())),
            dayfirst=bool(dayfirst),
            date_formats=tuple(formats or ()),
            rules=rules,
        )

    def settings_for(self, relpath: str) -> FileSettings:
        """Settings for the file at `relpath` (POSIX path relative to the corpus.yml folder)."""
        if not self.rules:
            return self._settings(-1)
        index = next((i for i, r in enumerate(self.rules) if _glob_match(relpath, r.glob)), -1)
        return self._settings(index)

    @functools.lru_cache(maxsize=256)  # noqa: B019 - frozen, hashable, few rules
    def _settings(self, index: int) -> FileSettings:
        rule = self.rules[index] if index >= 0 else FileRule(glob="**")
        return FileSettings(
            format=rule.format,
            outlet=rule.outlet,
            default_outlet=self.default_outlet,
            columns=rule.columns,
            dayfirst=self.dayfirst if rule.dayfirst is None else rule.dayfirst,
            date_formats=(rule.date_formats or ()) + self.date_formats,
            aliases=self.aliases,
        )


def _only_keys(where: str, data: object, valid: tuple[str, ...]) -> None:
    if not isinstance(data, dict):
        raise ValueError(f"{where} must be a mapping, got {type(data).__name__}")
    unknown = sorted(set(data) - set(valid))
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(map(str, unknown))}; "
                         f"valid keys: {', '.join(valid)}")  # fmt: skip


def _dates(where: str, data: object) -> tuple[bool | None, tuple[str, ...] | None]:
    _only_keys(where, data, ("dayfirst", "formats"))
    assert isinstance(data, dict)
    formats = data.get("formats")
    if formats is not None and not isinstance(formats, list):
        raise ValueError(f"{where}.formats must be a list of strptime formats")
    dayfirst = data.get("dayfirst")
    return (None if dayfirst is None else bool(dayfirst),
            None if formats is None else tuple(map(str, formats)))  # fmt: skip


def _rule(index: int, entry: object) -> FileRule:
    where = f"files[{index}]"
    _only_keys(where, entry, ("glob", "format", "outlet", "columns", "dates"))
    assert isinstance(entry, dict)
    if not entry.get("glob"):
        raise ValueError(f"{where}: 'glob' is required")
    fmt = entry.get("format")
    if fmt is not None:
        check_choice(f"{where}.format", fmt, FORMATS)
    columns = entry.get("columns") or {}
    if not isinstance(columns, dict):
        raise ValueError(f"{where}.columns must map schema column: input column")
    for target in columns:
        check_choice(f"{where}.columns key", target, SCHEMA_FIELDS)
    dayfirst, formats = _dates(f"{where}.dates", entry.get("dates") or {})
    outlet = entry.get("outlet")
    return FileRule(
        glob=str(entry["glob"]),
        format=fmt,
        outlet=None if outlet is None else str(outlet),
        columns=tuple(sorted((str(k), str(v)) for k, v in columns.items())),
        dayfirst=dayfirst,
        date_formats=formats,
    )


def _glob_match(relpath: str, pattern: str) -> bool:
    return re.fullmatch(_glob_regex(pattern.removeprefix("./")), relpath) is not None


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)
