"""The corpus schema, defined once: columns, their kinds, and everything derived from them.

One row per article, columns in this order:

============== ============== =============================================================
column         dtype          meaning
============== ============== =============================================================
id             str            16 hex chars of SHA-256 over outlet (case-folded), title, text
title          str            title, "" if none
text           str            body; paragraphs joined by "\\n\\n"; only decoding and whitespace
                              normalisation (strip lines, collapse spaces/tabs) applied
outlet         str            canonical outlet name (corpus.yml aliases applied), "" if unknown
published      datetime64     naive, day precision; NaT when unknown (unit may be ns/us/ms/s)
author         str or NA
url            str or NA
source_id      str or NA      the source database's own identifier of the document (e.g. a
                              LexisNexis document number or a Factiva AN), when a reader knows it
reprinted_from str or NA      "Reprinted from <url>" / "Source: <url>" of scraped articles
reading_time   Int64          minutes, NA when unknown
extra          str            JSON object of metadata with no column of its own, "{}" if none
source_path    str            input file relative to the ingested root
record         Int64          1-based record in the file (JSONL line, CSV data row, 1 for txt/html)
reader         str            the reader that parsed the record: txt, jsonl, json, csv, tsv, html,
                              or a news-database reader (lexisnexis, nexisuni, factiva, mediacloud,
                              gkg, ...; see `READERS`)
============== ============== =============================================================

`SCHEMA` is the one definition; the pandas dtypes, the empty table and the Arrow schema are
derived from it. Tables written before a column existed get it as missing values on load
(`ADDED` lists such columns with the schema version that introduced them). `REPORT_COLUMNS` are
the columns of the ingest problem report.

>>> COLUMNS[:4], pandas_dtypes()["published"], str(arrow_schema().field("record").type)
(('id', 'title', 'text', 'outlet'), 'datetime64[us]', 'int64')
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:  # pandas and pyarrow are imported where used, so parsing workers start quickly
    import pandas as pd
    import pyarrow as pa

Kind = Literal["str", "datetime", "int"]


class Column(NamedTuple):
    """One corpus column: name, kind, and whether it may hold missing values."""

    name: str
    kind: Kind
    nullable: bool


SCHEMA: tuple[Column, ...] = (
    Column("id", "str", False),
    Column("title", "str", False),
    Column("text", "str", False),
    Column("outlet", "str", False),
    Column("published", "datetime", True),
    Column("author", "str", True),
    Column("url", "str", True),
    Column("source_id", "str", True),
    Column("reprinted_from", "str", True),
    Column("reading_time", "int", True),
    Column("extra", "str", False),
    Column("source_path", "str", False),
    Column("record", "int", True),
    Column("reader", "str", False),
)
SCHEMA_VERSION = 2
"""Bumped whenever a column is added, removed or retyped (1: the first schema, 2: `source_id`)."""
ADDED: dict[str, int] = {"source_id": 2}
"""Columns added after the first schema, with the version that added them (NA in older tables)."""

COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA)
STRINGS: tuple[str, ...] = tuple(c.name for c in SCHEMA if c.kind == "str")
INTEGERS: tuple[str, ...] = tuple(c.name for c in SCHEMA if c.kind == "int")
REQUIRED: tuple[str, ...] = tuple(c.name for c in SCHEMA if not c.nullable)
READERS: tuple[str, ...] = ("txt", "jsonl", "json", "csv", "tsv", "html", "docx", "rtf", "lexisnexis", "lexisnexis-html",
                            "nexisuni", "nexisuni-rtf", "factiva", "factiva-text", "factiva-rtf", "mediacloud",
                            "gkg")  # fmt: skip
"""Values of the `reader` column and of `format:` in corpus.yml: the entry points and readers of
`newslens.readers` (`docx`/`rtf` entries record the vendor reader they hand the file to)."""

REPORT_COLUMNS: tuple[str, ...] = ("path", "record", "severity", "code", "message")
"""Columns of the ingest problem report (`build/ingest-report.csv`); `record` is empty for a whole file."""
REPORT_DTYPES: dict[str, str] = {"path": "str", "record": "Int64", "severity": "str", "code": "str",
                                 "message": "str"}  # fmt: skip

_PANDAS: dict[Kind, str] = {"str": "str", "datetime": "datetime64[us]", "int": "Int64"}


def pandas_dtypes() -> dict[str, str]:
    """The pandas dtype of every column, in column order."""
    return {c.name: _PANDAS[c.kind] for c in SCHEMA}


def empty_corpus() -> pd.DataFrame:
    """A zero-row corpus table with the exact column order and dtypes.

    >>> empty_corpus().dtypes["reading_time"]
    Int64Dtype()
    """
    import pandas as pd

    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in pandas_dtypes().items()})


@functools.cache
def arrow_schema() -> pa.Schema:
    """Arrow schema of the corpus table: that of `empty_corpus()`, whose pandas metadata makes a
    table read back with pandas restore Int64 and str (large_string, timestamp[us], int64)."""
    import pyarrow as pa

    return pa.Schema.from_pandas(empty_corpus(), preserve_index=False)


def migrate(df: pd.DataFrame) -> pd.DataFrame:
    """Bring a table read back from Parquet or Arrow to the current schema.

    Columns added to the schema after the table was written (`newslens.schema.ADDED`, e.g.
    `source_id`) are added as missing values; integer columns that came back as floats (missing
    values without pandas metadata) become Int64 again. A current table is returned unchanged.

    >>> import pandas as pd
    >>> old = empty_corpus().drop(columns="source_id").assign(record=pd.Series([], dtype="float64"))
    >>> migrated = migrate(old)
    >>> str(migrated["source_id"].dtype), str(migrated["record"].dtype)
    ('str', 'Int64')
    """
    import pandas as pd

    dtypes = pandas_dtypes()
    missing = {name: pd.Series(pd.NA, index=df.index, dtype=dtypes[name]) for name in ADDED if name not in df}
    changes = {name: "Int64" for name in INTEGERS
               if name in df.columns and pd.api.types.is_float_dtype(df[name].dtype)}  # fmt: skip
    if changes:
        df = df.astype(changes)
    return df.assign(**missing) if missing else df
