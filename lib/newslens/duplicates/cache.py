"""Clusters found once per corpus: kept beside the corpus table, keyed by its SHA-256 and the threshold.

``for_corpus("build/corpus.parquet", df)`` reads ``build/derived/duplicates-<hash>-t0.8.parquet``
when it holds the clusters of exactly this table (its SHA-256, as the reports' provenance shows it,
and the threshold are stored in the file and checked), and otherwise finds them with
:func:`~newslens.duplicates.clusters` and writes the file atomically. A file that cannot be read,
or whose key, columns or ids do not fit the table, is reported with a warning and rebuilt. A corpus
given as a folder or a single article file has no build folder: its clusters are found in memory.

>>> import pandas as pd, tempfile
>>> story = " ".join(f"word{i}" for i in range(60))
>>> df = pd.DataFrame({"id": ["a", "b"], "outlet": ["X", "Y"], "title": "", "text": story,
...     "published": pd.to_datetime(["2024-09-01", "2024-09-02"])})
>>> folder = tempfile.mkdtemp()
>>> first = cached(df, folder)
>>> first.attrs["cache"], cached(df, folder).attrs["cache"]
('built', 'read')
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pandas as pd

from newslens import atomic, partitions
from newslens.duplicates.clusters import COLUMNS, clusters
from newslens.membership import isin
from newslens.provenance import corpus_sha256, table_hash

__all__ = ["FOLDER", "cache_path", "cached", "for_corpus"]

FOLDER = "derived"
"""Sub-folder of the corpus table's folder that holds the cache files."""
_KEY = b"newslens.duplicates"
_DTYPES = {"id": "str", "cluster": "str", "canonical": "bool", "similarity": "float64",
           "containment": "float64", "cue": "str"}  # fmt: skip


def cache_path(folder: str | os.PathLike, sha256: str, threshold: float) -> Path:
    """The cache file of a table with content hash `sha256` at `threshold`.

    >>> cache_path("build/derived", "ab" * 32, 0.8).name
    'duplicates-abababababababab-t0.8.parquet'
    """
    return Path(folder) / f"duplicates-{sha256[:16]}-t{threshold:g}.parquet"


def _read(path: Path, df: pd.DataFrame, sha256: str, threshold: float) -> pd.DataFrame:
    """The cached clusters at `path`; ValueError saying why when they are not those of `df`."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
        meta = json.loads((table.schema.metadata or {}).get(_KEY, b"null"))
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError) on a damaged file
        raise ValueError(f"unreadable ({exc})") from None
    if not isinstance(meta, dict) or meta.get("sha256") != sha256 or meta.get("threshold") != threshold:
        raise ValueError("its key is not this corpus table's SHA-256 and threshold")
    if table.column_names != list(COLUMNS):
        raise ValueError(f"columns {table.column_names} instead of {list(COLUMNS)}")
    found = table.to_pandas().astype(_DTYPES)
    if not isin(found["id"], df["id"].astype("str")).all() or found["id"].duplicated().any():
        raise ValueError("it names articles the corpus table lacks, or one article twice")
    canonical = found.groupby("cluster")["canonical"].sum()
    if len(found) and not (canonical == 1).all():
        raise ValueError("a cluster without exactly one canonical copy")
    found.attrs.update(meta.get("attrs", {}))
    return found


def _write(path: Path, found: pd.DataFrame, sha256: str, threshold: float) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(found.astype(_DTYPES), preserve_index=False)
    meta = json.dumps({"sha256": sha256, "threshold": threshold, "attrs": found.attrs}, sort_keys=True)
    table = table.replace_schema_metadata({_KEY: meta.encode("utf-8")})
    atomic.write_with(path, lambda tmp: pq.write_table(table, tmp))


def cached(df: pd.DataFrame, folder: str | os.PathLike, *, threshold: float = 0.8,
           sha256: str | None = None) -> pd.DataFrame:  # fmt: skip
    """The clusters of the corpus table `df` at `threshold`, read from `folder` or found and saved there.

    `sha256` is the table's :func:`~newslens.provenance.table_hash` when already known; the other
    options of :func:`~newslens.duplicates.clusters` keep their defaults. ``attrs["cache"]`` is ``"read"``,
    ``"built"`` or ``"rebuilt"`` (the file was corrupt or stale), ``attrs["cache_file"]`` the file.
    """
    sha256 = sha256 or table_hash(df)
    path = cache_path(folder, sha256, threshold)
    state = "built"
    if path.exists():
        try:
            found = _read(path, df, sha256, threshold)
        except ValueError as reason:
            warnings.warn(f"{path}: duplicate-cluster cache rebuilt: {reason}", stacklevel=2)
            state = "rebuilt"
        else:
            found.attrs.update(cache="read", cache_file=str(path))
            return found
    found = clusters(df, threshold=threshold)
    _write(path, found, sha256, threshold)
    found.attrs.update(cache=state, cache_file=str(path))
    return found


def for_corpus(corpus: str | os.PathLike, df: pd.DataFrame, *, threshold: float = 0.8) -> pd.DataFrame:
    """The clusters of the whole corpus table `df` loaded from `corpus`: cached in `derived/` beside
    a `.parquet` table (:func:`cached`), found in memory for a folder or file of articles.

    Pass the table as loaded, before any selection: analyses restrict the clusters to their
    selection (:func:`~newslens.duplicates.selection.within`).
    """
    path = Path(corpus)
    if path.suffix.lower() != ".parquet":
        found = clusters(df, threshold=threshold)
        found.attrs.update(cache="memory", cache_file="")
        return found
    folder = path.parent / FOLDER  # the table's hash as the derived tables remember it: not hashed again
    keyed = path / partitions.MANIFEST if partitions.is_dataset(path) else path
    return cached(df, folder, threshold=threshold, sha256=corpus_sha256(df, keyed, folder))
