"""Corpus ingestion: files in, one article table plus one problem report out (never a silent drop).

`build(paths)` finds every input file below the given folders/files, reads each with the reader
for its format (see `newslens.readers`), settles outlet names, dates and content ids, drops exact
duplicates (keeping the first in sorted path order) and returns an Arrow table in the corpus schema
(`newslens.schema`) with the problem rows. Symbolic links are followed, each folder and each file
once (see `discover`). With a `cache_dir`, files whose path, size, mtime_ns, corpus.yml settings,
reader version and schema version are unchanged are not parsed again.

>>> import tempfile; from pathlib import Path
>>> root = Path(tempfile.mkdtemp()); _ = (root / "a.txt").write_text("Title\\n- Outlet\\n- 2024-09-17\\nBody.\\n")
>>> run = build([root])
>>> run.table.num_rows, run.table["outlet"][0].as_py(), run.parsed, [p.code for p in run.problems]
(1, 'Outlet', 1, [])
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from stat import S_ISREG
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from newslens import atomic, partitions
from newslens.config import CONFIG_NAME, CorpusConfig, FileSettings
from newslens.dates import parse_date
from newslens.readers import READERS, format_for
from newslens.readers.decoding import BinaryContent
from newslens.readers.records import Problem, RawArticle
from newslens.schema import COLUMNS, REPORT_COLUMNS, SCHEMA_VERSION, arrow_schema

if TYPE_CHECKING:
    import pyarrow as pa

READER_VERSION = "2"
"""Bumped when a reader's output changes; cached parses of another reader or schema version are
never reused (the cache key holds both, see `Source.key`)."""
MAX_WHOLE_FILE_BYTES = 32 * 2**20
"""Formats read whole (txt, html, json) are refused above this size; jsonl/csv/tsv are streamed."""
WHOLE_FILE_FORMATS = frozenset({"txt", "html", "json", "docx", "rtf"})
PARALLEL_MIN_FILES = 2000
PARSE_CHUNK = 500
_VERSION = f"{READER_VERSION}/{SCHEMA_VERSION}"
_READING_TIME = re.compile(r"^\s*(\d{1,4})(?:\s*(?:min|mins|minutes?)\.?(?:\s+read)?)?\s*$", re.I)


class Source(NamedTuple):
    """One input file: absolute path, path relative to the ingested root(s), format, settings."""

    path: str
    rel: str
    format: str
    settings: FileSettings
    size: int
    mtime_ns: int

    def key(self) -> str:
        """What must be unchanged for the cached parse of this file to be reused."""
        return f"{self.size}:{self.mtime_ns}:{self.settings.digest()}:{self.format}:{_VERSION}"


@dataclass(frozen=True)
class ReportRow:
    """One row of the ingest report (`record` None: the whole file)."""

    path: str
    record: int | None
    severity: str
    code: str
    message: str

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, -1 if self.record is None else self.record, self.code, self.message)


@dataclass
class Run:
    """Result of `build`: the article table, the problem rows and file counts."""

    table: pa.Table
    problems: list[ReportRow]
    files: int = 0
    parsed: int = 0
    reused: int = 0
    base: str = ""


def discover(paths: Sequence[str | os.PathLike]) -> tuple[list[Source], list[ReportRow], Path]:
    """All input files below `paths` (sorted), problem rows for skipped entries, and the base folder.

    `source_path` is relative to the one folder given, the parent of the one file given, or the
    common parent folder when several paths are given. Hidden entries (".name"), corpus.yml and
    README files (README, README.md, readme.txt, ...) are documentation, not input, and are skipped;
    files in an unsupported format are reported as warnings.

    Symbolic links are followed, but every folder is read once and every file once (both known by
    device and inode): a file reachable by several paths (symbolic or hard links) keeps the
    shortest path (fewest folders, then the first in sorted order) as its `source_path`, and each
    other path gets a `duplicate-path` warning; a folder link that leads back into its own
    ancestors gets one `symlink-loop` warning and is not followed. A link that leads outside the
    given folder is followed and read, with one `outside-root` warning naming its target (copying
    or archiving the folder would not take those files along).
    """
    if not paths:
        raise ValueError("no input paths given")
    roots = [Path(p).resolve() for p in paths]
    for given, root in zip(paths, roots, strict=True):
        if not root.exists():
            raise FileNotFoundError(f"input path does not exist: {given}")
    folders = [r if r.is_dir() else r.parent for r in roots]
    base = Path(os.path.commonpath(folders)) if len(roots) > 1 else folders[0]
    sources: dict[str, Source] = {}
    problems: list[ReportRow] = []
    first_path: dict[tuple[int, int], str] = {}  # (device, inode) -> the first path found to it
    more_paths: dict[tuple[int, int], list[str]] = {}
    folders_read: dict[tuple[int, int], tuple[tuple[int, int] | None, str]] = {}
    outer_first = sorted(zip(roots, folders, strict=True), key=lambda pair: _path_order(pair[0].relative_to(base)))
    for root, folder in outer_first:  # a root inside another root is then already read
        config = CorpusConfig.load(folder)
        prefix = folder.relative_to(base).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        if root.is_dir():
            entries, links = _walk(str(root), prefix, folders_read)
            problems.extend(ReportRow(prefix + local, None, "warning", code, message)
                            for local, code, message in links)  # fmt: skip
        else:
            entries = [(str(root), root.name, None)]
        plain = None if config.rules else config.settings_for("")
        for path, local, info in entries:
            rel = prefix + local
            if rel in sources or local == CONFIG_NAME or _is_readme(local.rpartition("/")[2]):
                continue
            try:
                info = info or os.stat(path)
                if isinstance(info, OSError):
                    raise info
            except OSError as exc:
                problems.append(ReportRow(rel, None, "error", "unreadable", _os_message(exc)))
                continue
            if not S_ISREG(info.st_mode):
                problems.append(ReportRow(rel, None, "error", "not-a-file",
                                          "not a regular file (fifo, socket or device); skipped"))  # fmt: skip
                continue
            settings = plain or config.settings_for(local)
            fmt = settings.format or format_for(local)
            if fmt is None:
                suffix = os.path.splitext(local)[1] or "files without a suffix"
                problems.append(ReportRow(rel, None, "warning", "unsupported-format",
                                          f"no reader for {suffix!r}; skipped "
                                          "(set `format:` for it in corpus.yml)"))  # fmt: skip
                continue
            sources[rel] = Source(path, rel, fmt, settings, info.st_size, info.st_mtime_ns)
            first = first_path.setdefault((info.st_dev, info.st_ino), rel)
            if first != rel:
                more_paths.setdefault((info.st_dev, info.st_ino), [first]).append(rel)
    for rels in more_paths.values():
        kept, *others = sorted(rels, key=_path_order)
        for other in others:
            del sources[other]
            problems.append(ReportRow(other, None, "warning", "duplicate-path",
                                      f"the same file as {kept} (a symbolic or hard link); read once, as {kept}"))  # fmt: skip
    return sorted(sources.values(), key=lambda s: s.rel), problems, base


def _path_order(rel: str | Path) -> tuple[int, tuple[str, ...]]:
    """Sort key of relative paths: fewest parts first, then part by part in name order ("." first).

    >>> sorted(["b/a.txt", "c.txt", "a-b/x.txt", "a/x.txt", "."], key=_path_order)
    ['.', 'c.txt', 'a/x.txt', 'a-b/x.txt', 'b/a.txt']
    """
    parts = Path(rel).parts
    return len(parts), parts


def parse_source(source: Source) -> tuple[list[tuple], list[Problem]]:
    """Read one file: article rows in `COLUMNS` order and its problems. Never raises."""
    problems: list[Problem] = []
    if source.size == 0:
        return [], [Problem(None, "error", "empty-file", "the file is empty (0 bytes)")]
    if source.format in WHOLE_FILE_FORMATS and source.size > MAX_WHOLE_FILE_BYTES:
        limit = MAX_WHOLE_FILE_BYTES // 2**20
        return [], [Problem(None, "error", "file-too-large",
                            f"{source.size / 2**20:.0f} MiB is more than the {limit} MiB accepted for one "
                            f"{source.format} document; split it or convert it to JSON Lines")]  # fmt: skip
    try:
        result = READERS[source.format](Path(source.path), source.settings)
    except BinaryContent as exc:
        return [], [Problem(None, "error", "binary-file", str(exc))]
    except OSError as exc:
        return [], [Problem(None, "error", "unreadable", _os_message(exc))]
    except Exception as exc:  # a malformed file must not stop a run over thousands of others
        return [], [Problem(None, "error", "reader-failed", f"{type(exc).__name__}: {exc}")]
    problems.extend(result.problems)
    if result.reader is not None:  # the entry point chose a reader by content
        source = source._replace(format=result.reader)
    rows = []
    for art in result.articles:
        row, row_problems = finalise(art, source)
        rows.append(row)
        problems.extend(row_problems)
    return rows, problems


def article_id(outlet: str, title: str, text: str, locator: str = "") -> str:
    """16 hex chars of SHA-256 over the case-folded outlet, the title and the text.

    A record without text (a title-only database row) also hashes its `locator` (the
    database id, else the URL), so two different stories under one headline stay two
    articles, while the same row in two download batches is still one.

    >>> article_id("Times Tengri", "T", "Body") == article_id("times tengri", "T", "Body")
    True
    >>> article_id("M", "Live updates", "", "1") == article_id("M", "Live updates", "", "2")
    False
    """
    parts = (outlet.casefold(), title, text) if text or not locator else (outlet.casefold(), title, text, locator)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def finalise(art: RawArticle, source: Source) -> tuple[tuple, list[Problem]]:
    """Settle one raw article into a row: canonical outlet, parsed date, reading time, id."""
    settings = source.settings
    problems: list[Problem] = []
    extra = dict(art.extra)
    outlet = settings.outlet or art.outlet or settings.default_outlet
    if settings.outlet and art.outlet and art.outlet != settings.outlet:
        extra["source_outlet"] = art.outlet
    if outlet:
        outlet = settings.canonical_outlet(outlet)
    else:
        outlet = ""
        problems.append(Problem(art.record, "warning", "missing-outlet",
                                "no outlet in the record and no default_outlet in corpus.yml"))  # fmt: skip
    published = art.published
    if isinstance(published, str):
        raw = published
        published = parse_date(raw, dayfirst=settings.dayfirst, formats=settings.date_formats)
        if published is None:
            extra["published_raw"] = raw
            problems.append(Problem(art.record, "warning", "bad-date",
                                    f"unrecognised publication date {raw!r}; published left empty"))  # fmt: skip
    elif published is None:
        problems.append(Problem(art.record, "warning", "missing-date", "no publication date"))
    elif not isinstance(published, dt.date):
        extra["published_raw"] = published
        problems.append(Problem(art.record, "warning", "bad-date",
                                f"unrecognised publication date {published!r}; published left empty"))  # fmt: skip
        published = None
    reading_time = art.reading_time
    if reading_time is not None and not isinstance(reading_time, int):
        match = _READING_TIME.match(str(reading_time))
        if match is None:
            extra["reading_time_raw"] = reading_time
            problems.append(Problem(art.record, "warning", "bad-reading-time",
                                    f"unrecognised reading time {reading_time!r}"))  # fmt: skip
        reading_time = int(match[1]) if match else None
    row = (
        article_id(outlet, art.title, art.text, art.source_id or art.url or ""), art.title, art.text, outlet, published,
        art.author or None, art.url or None, art.source_id or None, art.reprinted_from or None, reading_time,
        json.dumps(extra, ensure_ascii=False, sort_keys=True, default=str), source.rel,
        art.record, source.format,
    )  # fmt: skip
    return row, problems


def build(
    paths: Sequence[str | os.PathLike],
    *,
    jobs: int = 1,
    cache_dir: str | os.PathLike | None = None,
    progress: Callable[[int], Any] | None = None,
) -> Run:
    """Ingest `paths` into an Arrow table in the corpus schema (sorted by source_path, record).

    `jobs` > 1 parses with that many worker processes (from `PARALLEL_MIN_FILES` files to parse
    on); `cache_dir` enables incremental runs; `progress(total)` returns a bar with `update(n)`
    and `close()` (e.g. `tqdm(total=total)`).
    """
    import pyarrow as pa

    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    sources, problems, base = discover(paths)
    rels = [s.rel for s in sources]
    keys = [s.key() for s in sources]
    cache = _Cache(Path(cache_dir), str(base)) if cache_dir is not None else None
    hits = cache.lookup(rels, keys) if cache else [None] * len(sources)
    todo = [s for s, hit in zip(sources, hits, strict=True) if hit is None]
    new = cache.next_segment() if cache else 0
    batches, parsed = [], {}
    offset = done = 0
    for batch, counts, probs in _parse_all(todo, jobs, progress):
        batches.append(batch)
        chunk = todo[done : done + len(counts)]
        for source, count, problem_json in zip(chunk, counts, probs, strict=True):
            parsed[source.rel] = (new, offset, count, problem_json)
            offset += count
        done += len(counts)
    entries = [hit if hit is not None else parsed[rel] for rel, hit in zip(rels, hits, strict=True)]
    tables = {segment: cache.segments[segment] for segment in {e[0] for e in entries if e[2]} - {new}}
    tables[new] = pa.Table.from_batches(batches, schema=arrow_schema())
    table = _assemble(entries, tables)
    if cache and (todo or len(sources) != len(cache.rels)):
        cache.save(rels, keys, entries, tables=tables, table=table, new=new)
    for rel, entry in zip(rels, entries, strict=True):
        if entry[3] != "[]":
            problems.extend(ReportRow(rel, *p) for p in json.loads(entry[3]))
    table, duplicates = _dedupe(table)
    problems.extend(duplicates)
    problems.sort(key=ReportRow.sort_key)
    return Run(table=table, problems=problems, files=len(sources), parsed=len(todo),
               reused=len(sources) - len(todo), base=str(base))  # fmt: skip


def write_outputs(run: Run, out: str | os.PathLike, report: str | os.PathLike, *,
                  partitioned: bool | None = None) -> bool:  # fmt: skip
    """Write the table to `out` (.parquet) and the problems to `report` (.csv), each atomically.

    The table is one Parquet file, or with `partitioned` a partitioned dataset folder at `out`
    (`newslens.partitions`); by default it is partitioned when its title and text exceed
    `newslens.partitions.AUTO_PARTITION_BYTES`. Returns whether it was partitioned.
    """
    import csv
    import io

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if partitioned is None:
        partitioned = (pc.sum(partitions.text_bytes(run.table)).as_py() or 0) > partitions.AUTO_PARTITION_BYTES

    def write_parquet(tmp: Path) -> None:
        pq.write_table(run.table, tmp, compression="snappy",
                       use_dictionary=["outlet", "author", "reprinted_from", "reader"],
                       write_statistics=["id", "outlet", "published", "reading_time", "source_path",
                                         "record", "reader"])  # fmt: skip

    out = Path(out)
    if partitioned:
        partitions.write_table(run.table, out)
    elif out.is_dir():  # a dataset written before: the single file takes its place
        tmp = out.with_name(f".{out.name}.file")
        atomic.write_with(tmp, write_parquet)
        atomic.replace_dir(tmp, out)
    else:
        atomic.write_with(out, write_parquet)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for p in run.problems:
        writer.writerow([p.path, "" if p.record is None else p.record, p.severity, p.code, p.message])
    atomic.write_text(report, buffer.getvalue())
    return partitioned


def _walk(
    root: str, prefix: str, parent_of: dict[tuple[int, int], tuple[tuple[int, int] | None, str]]
) -> tuple[list[tuple[str, str, os.stat_result | OSError]], list[tuple[str, str, str]]]:
    """Files below the folder `root` as (path, path relative to `root`, stat or the error), and the
    links not followed or leading outside as (path relative to `root`, code, message).

    Folders are read breadth first, each level in path order, so the first path by which a folder
    is reached is its shortest. `parent_of` maps every folder read so far, in this walk or an
    earlier one, by (device, inode) to its parent folder and its path (`prefix` + path below
    `root`); a folder in it is not read again, so a root inside an earlier root yields nothing.
    """
    found: list[tuple[str, str, os.stat_result | OSError]] = []
    links: list[tuple[str, str, str]] = []
    real_root = os.path.realpath(root)
    top = os.stat(root)
    if (top.st_dev, top.st_ino) in parent_of:
        return found, links
    parent_of[(top.st_dev, top.st_ino)] = (None, prefix.rstrip("/"))
    level: list[tuple[tuple[str, ...], str, tuple[int, int], bool]] = [((), root, (top.st_dev, top.st_ino), True)]
    while level:
        children = []
        for parts, folder, ident, inside in level:
            local = "/".join(parts)
            try:
                entries = list(os.scandir(folder))
            except OSError as exc:
                found.append((folder, local, exc))
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                name = f"{local}/{entry.name}" if local else entry.name
                try:
                    is_dir, info, is_link = entry.is_dir(), entry.stat(), entry.is_symlink()
                except OSError as exc:
                    found.append((entry.path, name, exc))
                    continue
                leaves = inside and is_link and not _within(target := os.path.realpath(entry.path), real_root)
                if leaves:
                    links.append((name, "outside-root",
                                  f"links to {target}, outside the ingested folder; read as if it were inside"))  # fmt: skip
                if is_dir:
                    children.append(((*parts, entry.name), entry.path, (info.st_dev, info.st_ino), ident,
                                     inside and not leaves))  # fmt: skip
                else:
                    found.append((entry.path, name, info))
        level = []
        for name, path, ident, parent, inside in sorted(children):
            local = "/".join(name)
            if ident not in parent_of:
                parent_of[ident] = (parent, prefix + local)
                level.append((name, path, ident, inside))
                continue
            first = parent_of[ident][1]
            where = f"the folder {first}" if first else "the ingested folder"
            ancestor = parent
            while ancestor is not None and ancestor != ident:
                ancestor = parent_of[ancestor][0]
            if ancestor == ident:
                links.append((local, "symlink-loop", f"links back to {where}, which contains it; not followed"))
            else:
                links.append((local, "duplicate-path", f"the same folder as {first}; read once, as {first}"))
    return found, links


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _is_readme(name: str) -> bool:
    return name[:6].casefold() == "readme" and name[6:7] in ("", ".")


def _os_message(exc: OSError) -> str:
    return f"cannot read the file: {exc.strerror or exc}"


def parse_chunk(sources: list[Source]) -> tuple[pa.RecordBatch, list[int], list[str]]:
    """Parse consecutive files into one Arrow batch, with rows per file and problems (JSON) per file."""
    import pyarrow as pa

    rows: list[tuple] = []
    counts, problems = [], []
    for source in sources:
        file_rows, file_problems = parse_source(source)
        rows.extend(file_rows)
        counts.append(len(file_rows))
        problems.append(_encode(file_problems))
    target = arrow_schema()
    columns = zip(*rows, strict=True) if rows else [()] * len(target)
    arrays = []
    for name, values in zip(COLUMNS, columns, strict=True):
        kind = target.field(name).type
        if name == "published":
            arrays.append(pa.array(values, pa.date32()).cast(kind))
        else:
            arrays.append(pa.array(values, kind))
    return pa.RecordBatch.from_arrays(arrays, schema=target), counts, problems


def _parse_all(todo: list[Source], jobs: int, progress: Callable[[int], Any] | None
               ) -> Iterable[tuple[pa.RecordBatch, list[int], list[str]]]:  # fmt: skip
    chunks = [todo[i : i + PARSE_CHUNK] for i in range(0, len(todo), PARSE_CHUNK)]
    bar = progress(len(todo)) if progress else None
    try:
        if jobs > 1 and len(todo) >= PARALLEL_MIN_FILES:
            from newslens.parallel import process_pool

            with process_pool(jobs) as pool:
                for result in pool.map(parse_chunk, chunks):
                    if bar is not None:
                        bar.update(len(result[1]))
                    yield result
        else:
            for chunk in chunks:
                result = parse_chunk(chunk)
                if bar is not None:
                    bar.update(len(chunk))
                yield result
    finally:
        if bar is not None:
            bar.close()


def _assemble(entries: list[tuple[int, int, int, str]], tables: dict[int, pa.Table]) -> pa.Table:
    """Rows of every file in source order, as zero-copy slices of the segment tables.

    `entries` holds (segment, row offset, row count, problems) per file, in source order.
    """
    import pyarrow as pa

    pieces: list[list[int]] = []
    for segment, offset, count, _ in entries:
        if not count:
            continue
        if pieces and pieces[-1][0] == segment and pieces[-1][1] + pieces[-1][2] == offset:
            pieces[-1][2] += count
        else:
            pieces.append([segment, offset, count])
    if not pieces:
        return next(iter(tables.values())).slice(0, 0)
    return pa.concat_tables([tables[segment].slice(offset, count) for segment, offset, count in pieces])


def _encode(problems: list[Problem]) -> str:
    if not problems:
        return "[]"
    return json.dumps([[p.record, p.severity, p.code, p.message] for p in problems])


def _dedupe(table: pa.Table) -> tuple[pa.Table, list[ReportRow]]:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pc.count_distinct(table["id"]).as_py() == table.num_rows:
        return table, []
    seen: dict[str, int] = {}
    keep: list[bool] = []
    problems: list[ReportRow] = []
    ids = table["id"].to_pylist()
    paths = table["source_path"]
    records = table["record"]
    for i, ident in enumerate(ids):
        first = seen.setdefault(ident, i)
        keep.append(first == i)
        if first != i:
            where = f"{paths[first].as_py()} (record {records[first].as_py()})"
            problems.append(ReportRow(paths[i].as_py(), records[i].as_py(), "warning", "duplicate-id",
                                      f"same article (id {ident}) as {where}; kept the first"))  # fmt: skip
    if not problems:
        return table, problems
    return table.filter(pa.array(keep)), problems


class _Cache:
    """Parsed rows and problems per file, kept beside the output so unchanged files are not re-read.

    `segments/NNNNNNNN.arrow` hold article rows (before duplicates are dropped); each run that
    parses files adds one segment with their rows, and the cache is compacted into a single
    segment when more than half of the stored rows are stale or there are too many segments.
    `files.arrow` maps each file to its key, segment, row offset, row count and problems (JSON);
    its metadata records the ingested base folder and the reader and schema versions.
    """

    MAX_SEGMENTS = 8
    FIELDS = ("rel", "key", "segment", "offset", "count", "problems")

    def __init__(self, folder: Path, base: str) -> None:
        import pyarrow as pa

        self.folder = folder
        self.meta = {b"base": base.encode(), b"version": _VERSION.encode()}
        self.rels: list[str] = []
        self.columns: dict[str, list[Any]] = {}
        self.segments: dict[int, pa.Table] = {}
        try:
            index = pa.ipc.open_file(pa.memory_map(str(folder / "files.arrow"))).read_all()
        except (OSError, pa.ArrowException):
            return
        if index.schema.metadata != self.meta or index.schema.names != list(self.FIELDS):
            return
        self.columns = {name: index[name].to_pylist() for name in self.FIELDS}
        self.rels = self.columns["rel"]

    def lookup(self, rels: list[str], keys: list[str]) -> list[Any]:
        """Per file (aligned with `rels`): its cached (segment, offset, count, problems), or None."""
        if not self.rels:
            return [None] * len(rels)
        c = self.columns
        cached = zip(c["key"], c["segment"], c["offset"], c["count"], c["problems"], strict=True)
        if rels == self.rels:  # the usual case: same files, compare keys in order
            hits = [entry if key == entry[0] else None for key, entry in zip(keys, cached, strict=True)]
        else:
            where = dict(zip(self.rels, cached, strict=True))
            hits = [entry if entry is not None and key == entry[0] else None
                    for key, entry in zip(keys, map(where.get, rels), strict=True)]  # fmt: skip
        hits = [hit[1:] if hit is not None else None for hit in hits]
        ends: dict[int, int] = {}
        for hit in hits:
            if hit is not None and hit[2]:
                ends[hit[0]] = max(ends.get(hit[0], 0), hit[1] + hit[2])
        for segment, end in ends.items():
            table = self._segment(segment)
            if table is None or end > table.num_rows:
                return [None] * len(rels)
        return hits

    def next_segment(self) -> int:
        return max(self.columns.get("segment", []), default=-1) + 1

    def save(self, rels: list[str], keys: list[str], entries: list[tuple[int, int, int, str]], *,
             tables: dict[int, pa.Table], table: pa.Table, new: int) -> None:  # fmt: skip
        """Store the new segment (or compact everything into it), then the index."""
        import pyarrow as pa

        (self.folder / "segments").mkdir(parents=True, exist_ok=True)
        used = {e[0] for e in entries if e[2]}
        stored = sum(tables[i].num_rows for i in used)
        if len(used) > self.MAX_SEGMENTS or stored > 2 * table.num_rows:
            compacted, offset = [], 0
            for _, _, count, problems in entries:
                compacted.append((new, offset, count, problems))
                offset += count
            entries, used, segment = compacted, {new}, table
        else:
            segment = tables[new]
        if new in used:
            atomic.write_with(self._path(new), lambda tmp: _write_arrow(segment, tmp))
        segments, offsets, counts, problems = zip(*entries, strict=True) if entries else ((),) * 4
        index = pa.table({
            "rel": pa.array(rels, pa.string()), "key": pa.array(keys, pa.string()),
            "segment": pa.array(segments, pa.int64()), "offset": pa.array(offsets, pa.int64()),
            "count": pa.array(counts, pa.int64()), "problems": pa.array(problems, pa.string()),
        }).replace_schema_metadata(self.meta)  # fmt: skip
        atomic.write_with(self.folder / "files.arrow", lambda tmp: _write_arrow(index, tmp))
        for path in (self.folder / "segments").glob("*.arrow"):
            if path.stem.isdigit() and int(path.stem) not in used:
                path.unlink(missing_ok=True)

    def _path(self, segment: int) -> Path:
        return self.folder / "segments" / f"{segment:08d}.arrow"

    def _segment(self, segment: int) -> pa.Table | None:
        import pyarrow as pa

        if segment not in self.segments:
            try:
                table = pa.ipc.open_file(pa.memory_map(str(self._path(segment)))).read_all()
            except (OSError, pa.ArrowException):
                return None
            if not table.schema.equals(arrow_schema()):
                return None
            self.segments[segment] = table
        return self.segments[segment]


def _write_arrow(table: pa.Table, path: Path) -> None:
    import pyarrow as pa

    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def progress_bar(total_min: int = 500) -> Callable[[int], Any] | None:
    """A tqdm bar factory for the parse loop on a terminal; hidden for fewer than `total_min` files."""
    if not sys.stderr.isatty():
        return None

    def bar(total: int) -> Any:
        from tqdm import tqdm

        return tqdm(total=total, unit="file", file=sys.stderr, disable=total < total_min)

    return bar
