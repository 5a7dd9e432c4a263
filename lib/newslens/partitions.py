"""The corpus table as a partitioned Parquet dataset: a folder of part files, read one at a time.

A large corpus is written as a folder (``build/corpus.parquet/``) of part files in the corpus
schema (`newslens.schema`) and a manifest, ``_partitions.json``::

    build/corpus.parquet/
        _partitions.json        schema version, rows, and per part: file, rows, first and last
                                id, text bytes, SHA-256 of the file
        part-00000.parquet      the articles with the smallest ids, sorted by id
        part-00001.parquet      ...

Partitioning is deterministic: the articles are sorted by id and cut into consecutive runs of
at most `PART_TEXT_BYTES` of title and text (UTF-8), so the same table gives the same parts and
an article's part follows from its id alone. `write_table` writes one; `newslens ingest
--partitioned` (and ingest by itself for a corpus above `AUTO_PARTITION_BYTES`) uses it.

`read_table` concatenates the parts back into the table in its own order (source_path, record):
the same rows, columns and dtypes as the single-file table, so the fingerprint is the same.
`iter_tables` yields one part at a time, so memory is bounded by the part size.

The heavy steps (`newslens.cluster`) work on `Partition` objects: the path of one part file,
its checksum and the ids of the rows wanted. A worker opens the file itself, so every worker
must see the dataset folder at the same path (a shared file system on a cluster); a worker that
finds another file there (its checksum differs) stops with an error naming the file.

>>> import tempfile, pandas as pd
>>> from newslens.schema import empty_corpus
>>> folder = Path(tempfile.mkdtemp()) / "corpus.parquet"
>>> write_table(empty_corpus(), folder)
>>> is_dataset(folder), len(read_table(folder))
(True, 0)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newslens import atomic
from newslens.schema import SCHEMA_VERSION, arrow_schema, empty_corpus, migrate

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["PART_TEXT_BYTES", "AUTO_PARTITION_BYTES", "MANIFEST", "ATTRS_KEY", "CHUNK_ROWS", "Partition", "text_bytes",
           "write_table", "is_dataset", "manifest", "read_table", "iter_tables", "of", "read"]  # fmt: skip

PART_TEXT_BYTES = 128 * 2**20
"""Most title-and-text bytes (UTF-8) in one part file (a part holds at least one article)."""
AUTO_PARTITION_BYTES = 2**30
"""`newslens ingest` writes a partitioned dataset when the corpus has more text than this (1 GiB)."""
MANIFEST = "_partitions.json"
ATTRS_KEY = "newslens.partitions"
"""Key of ``DataFrame.attrs`` under which `read_table` records the parts a table was read from."""
CHUNK_ROWS = 2000
"""Articles per partition when a table held in memory is split for the workers."""


def text_bytes(table: pa.Table) -> pa.Array:
    """UTF-8 bytes of title plus text of every row (an Arrow int64 array)."""
    import pyarrow.compute as pc

    def length(name: str):
        return pc.fill_null(pc.binary_length(table[name]), 0).cast("int64")

    return pc.add(length("title"), length("text"))


def _cuts(sizes: Sequence[int], limit: int) -> list[tuple[int, int]]:
    """Consecutive [start, stop) runs of `sizes` each summing to at most `limit` (at least one item).

    >>> _cuts([3, 3, 3, 9, 1], 6)
    [(0, 2), (2, 3), (3, 4), (4, 5)]
    """
    runs, start, total = [], 0, 0
    for k, size in enumerate(sizes):
        if k > start and total + size > limit:
            runs.append((start, k))
            start, total = k, 0
        total += size
    if start < len(sizes):
        runs.append((start, len(sizes)))
    return runs


def write_table(table: pa.Table | pd.DataFrame, folder: str | os.PathLike, *,
                part_bytes: int = PART_TEXT_BYTES) -> None:  # fmt: skip
    """Write `table` (corpus schema) as a partitioned dataset at `folder`, replacing what is there.

    The dataset is assembled in a temporary folder beside `folder` and moved into place, so a
    reader sees the old table (file or folder) or the new dataset, never half of one.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not isinstance(table, pa.Table):
        table = pa.Table.from_pandas(table, schema=arrow_schema(), preserve_index=False)
    if part_bytes < 1:
        raise ValueError(f"part_bytes must be positive, got {part_bytes}")
    table = table.take(pc.sort_indices(table, [("id", "ascending")]))
    sizes = text_bytes(table).to_numpy(zero_copy_only=False).tolist()
    target = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        parts = []
        for number, (start, stop) in enumerate(_cuts(sizes, part_bytes)):
            name = f"part-{number:05d}.parquet"
            chunk = table.slice(start, stop - start)
            pq.write_table(chunk, staging / name, compression="snappy",
                           use_dictionary=["outlet", "author", "reprinted_from", "reader"],
                           write_statistics=["id", "outlet", "published", "source_path", "record"])  # fmt: skip
            ids = chunk["id"]
            parts.append({"file": name, "rows": chunk.num_rows, "first_id": ids[0].as_py(), "last_id": ids[-1].as_py(),
                          "text_bytes": int(sum(sizes[start:stop])), "sha256": atomic.file_sha256(staging / name)})  # fmt: skip
        info = {"schema_version": SCHEMA_VERSION, "rows": table.num_rows, "part_text_bytes": part_bytes,
                "parts": parts}  # fmt: skip
        atomic.write_text(staging / MANIFEST, json.dumps(info, indent=1) + "\n")
        atomic.replace_dir(staging, target)  # also where a single-file table was
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def is_dataset(path: str | os.PathLike) -> bool:
    """True when `path` is a partitioned dataset folder (it holds `MANIFEST`)."""
    return (Path(path) / MANIFEST).is_file()


def manifest(folder: str | os.PathLike) -> dict:
    """The dataset's manifest; ValueError naming the folder when it is missing or unreadable."""
    path = Path(folder) / MANIFEST
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        parts = info["parts"]
        if not all({"file", "rows", "first_id", "last_id", "sha256"} <= set(p) for p in parts):
            raise KeyError("file, rows, first_id, last_id, sha256")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{folder}: not a readable partitioned corpus ({MANIFEST}: {exc})") from exc
    return info


@dataclass(frozen=True)
class Partition:
    """One part file of a dataset and the ids of its rows a step reads (None: every row)."""

    path: str
    sha256: str
    ids: tuple[str, ...] | None = None

    def read(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The part's rows (those in `ids`, in part order), migrated to the current schema.

        Raises ValueError when the file is not the one the dataset's manifest describes (so a
        worker that sees another file at the path never computes on it) or lacks some ids.
        """
        import pandas as pd

        path = Path(self.path)
        if not path.is_file():
            raise ValueError(f"partition {path} not found: every worker must see the corpus at this path")
        if atomic.file_sha256(path) != self.sha256:
            raise ValueError(f"partition {path} differs from the dataset's manifest (SHA-256); the corpus "
                             "changed during the run or this worker sees another file at that path")  # fmt: skip
        wanted = None if columns is None else list(dict.fromkeys(["id", *columns]))
        frame = migrate(pd.read_parquet(path, columns=wanted))
        if self.ids is not None:
            from newslens.membership import isin

            keep = isin(frame["id"], self.ids)
            if int(keep.sum()) != len(self.ids):
                raise ValueError(f"partition {path} lacks {len(self.ids) - int(keep.sum())} of the articles asked for")
            frame = frame[keep].reset_index(drop=True)
        return frame


def _parts(folder: Path, info: dict) -> list[Partition]:
    return [Partition(str((folder / p["file"]).resolve()), p["sha256"]) for p in info["parts"]]


def read_table(folder: str | os.PathLike) -> pd.DataFrame:
    """The whole table of a dataset, in table order (source_path, record), schema migrated
    (`newslens.corpus.load_corpus` validates it).

    The result's ``attrs`` record the part files (see `of`), so steps run through
    `newslens.cluster` can send workers the paths instead of the text.
    """
    import pandas as pd

    folder = Path(folder)
    info = manifest(folder)
    tables = [part.read() for part in _parts(folder, info)]
    df = pd.concat(tables, ignore_index=True) if tables else empty_corpus()
    df = migrate(df).sort_values(["source_path", "record", "id"], kind="mergesort", na_position="last")
    df = df.reset_index(drop=True)
    df.attrs[ATTRS_KEY] = tuple((p.path, p.sha256, q["last_id"], q["rows"])
                                for p, q in zip(_parts(folder, info), info["parts"], strict=True))  # fmt: skip
    return df


def iter_tables(folder: str | os.PathLike, columns: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
    """The dataset's parts one at a time (each in id order): memory is bounded by one part.

    >>> sum(len(part) for part in iter_tables("build/corpus.parquet"))  # doctest: +SKIP
    """
    folder = Path(folder)
    for part in _parts(folder, manifest(folder)):
        yield part.read(columns)


def of(df: pd.DataFrame, *, rows: int = CHUNK_ROWS) -> list[Partition | pd.DataFrame]:
    """The partitions a step maps over for the articles of `df`, in order.

    A table read by `read_table` (or a subset of one: rows selected, the ``attrs`` kept) gives
    one `Partition` per part file holding some of its articles, with their ids; any other table
    gives in-memory slices of `rows` articles, which a dask client sends to the workers. The
    workers read the part files, not `df`: a table whose title or text was changed in memory
    must drop the record first (``df.attrs.pop(ATTRS_KEY)``).

    >>> import pandas as pd
    >>> [len(p) for p in of(pd.DataFrame({"id": ["a", "b", "c"]}), rows=2)]
    [2, 1]
    """
    import numpy as np

    recorded = df.attrs.get(ATTRS_KEY)
    if not recorded or "id" not in df.columns:
        return [df.iloc[k : k + rows] for k in range(0, len(df), rows)]
    lasts = np.array([r[2] for r in recorded], dtype=object)
    ids = df["id"].to_numpy(dtype=object)
    where = np.searchsorted(lasts, ids) if len(ids) else np.zeros(0, dtype=np.int64)
    if len(ids) and where.max() >= len(recorded):
        raise ValueError("the table has articles outside the partitioned corpus it was read from; "
                         f"drop attrs[{ATTRS_KEY!r}] to process it in memory")  # fmt: skip
    out = []
    for number in np.unique(where):
        path, sha, _, n_rows = recorded[number]
        chosen = ids[where == number]
        out.append(Partition(path, sha, None if len(chosen) == n_rows else tuple(sorted(chosen))))
    return out


def read(part: Partition | pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows of one partition: read from its file, or the in-memory slice itself."""
    if isinstance(part, Partition):
        return part.read(columns)
    return part if columns is None else part[[c for c in dict.fromkeys(["id", *columns]) if c in part.columns]]
