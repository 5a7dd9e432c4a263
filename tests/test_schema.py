"""The corpus schema (newslens.schema): one definition, and what ingest, corpus and readers take from it."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from newslens import config, corpus, ingest, overview, readers, schema
from newslens.config import FileSettings
from newslens.readers.records import RawArticle

# The schema as documented in newslens.schema, written out by hand.
EXPECTED = [
    ("id", "str", pa.large_string()), ("title", "str", pa.large_string()), ("text", "str", pa.large_string()),
    ("outlet", "str", pa.large_string()), ("published", "datetime64[us]", pa.timestamp("us")),
    ("author", "str", pa.large_string()), ("url", "str", pa.large_string()),
    ("source_id", "str", pa.large_string()), ("reprinted_from", "str", pa.large_string()),
    ("reading_time", "Int64", pa.int64()), ("extra", "str", pa.large_string()),
    ("source_path", "str", pa.large_string()), ("record", "Int64", pa.int64()), ("reader", "str", pa.large_string()),
]  # fmt: skip


def test_columns_dtypes_and_arrow_types():
    assert schema.COLUMNS == tuple(name for name, _, _ in EXPECTED)
    assert schema.pandas_dtypes() == {name: dtype for name, dtype, _ in EXPECTED}
    arrow = schema.arrow_schema()
    assert [(f.name, f.type) for f in arrow] == [(name, kind) for name, _, kind in EXPECTED]
    empty = schema.empty_corpus()
    assert [str(t) for t in empty.dtypes] == [dtype for _, dtype, _ in EXPECTED]
    assert schema.REQUIRED == ("id", "title", "text", "outlet", "extra", "source_path", "reader")


def test_one_home_for_every_schema_name():
    assert corpus.COLUMNS is schema.COLUMNS and corpus.READERS is schema.READERS
    assert corpus.empty_corpus is schema.empty_corpus
    assert overview.REPORT_COLUMNS is schema.REPORT_COLUMNS
    assert ingest.REPORT_COLUMNS is schema.REPORT_COLUMNS
    assert sorted(readers.READERS) == sorted(schema.READERS) and config.FORMATS == schema.READERS


def test_arrow_table_round_trips_pandas_dtypes(tmp_path):
    df = schema.empty_corpus()
    table = pa.Table.from_pandas(df, schema=schema.arrow_schema(), preserve_index=False)
    pq.write_table(table, tmp_path / "t.parquet")
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert [str(t) for t in back.dtypes] == [dtype for _, dtype, _ in EXPECTED]


def test_reader_source_id_reaches_the_table(tmp_path):
    """A reader that fills RawArticle.source_id (as vendor database readers will) sets the column."""
    assert RawArticle(record=1).source_id is None
    path = tmp_path / "x.txt"
    path.write_text("x")
    source = ingest.Source(str(path), "x.txt", "txt", FileSettings(), 1, 0)
    row, problems = ingest.finalise(RawArticle(record=1, title="T", text="B", outlet="O", published="2024-09-17",
                                               source_id="LNGD-123"), source)  # fmt: skip
    assert dict(zip(schema.COLUMNS, row, strict=True))["source_id"] == "LNGD-123"
    row, _ = ingest.finalise(RawArticle(record=1, title="T", text="B", outlet="O", published="2024-09-17"), source)
    assert dict(zip(schema.COLUMNS, row, strict=True))["source_id"] is None
    assert problems == []


def test_ingested_table_has_source_id_after_url(tmp_path):
    (tmp_path / "a.txt").write_text("T\n- O\n- 2024-09-17\nBody.\n")
    articles, _ = corpus.ingest(tmp_path)
    columns = list(articles.columns)
    assert columns.index("source_id") == columns.index("url") + 1
    assert articles["source_id"].isna().all() and str(articles["source_id"].dtype) == "str"
