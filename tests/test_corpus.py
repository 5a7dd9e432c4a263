"""The corpus table API (newslens.corpus): load_corpus, validate, subset."""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

import newslens
from newslens import ingest
from newslens.corpus import COLUMNS, document_parts, document_text, empty_corpus, load_corpus, migrate, subset, validate


def frame(**overrides) -> pd.DataFrame:
    """Three hand-made articles in the corpus schema."""
    df = pd.DataFrame({
        "id": ["0000000000000001", "0000000000000002", "0000000000000003"],
        "title": ["A", "B", "C"],
        "text": ["NATO warns Moscow.", "Peace talks resume.", "Red lines again."],
        "outlet": ["Times Tengri", "Baltic Ledger", "Times Tengri"],
        "published": pd.to_datetime(["2024-09-01", "2024-09-15", None]),
        "author": [None, "X", None], "url": [None, None, None], "source_id": [None, "LN-0002", None],
        "reprinted_from": [None, None, None],
        "reading_time": pd.array([2, None, 3], dtype="Int64"),
        "extra": ["{}", "{}", "{}"], "source_path": ["a.txt", "b.txt", "c.txt"],
        "record": pd.array([1, 1, 1], dtype="Int64"), "reader": ["txt", "txt", "txt"],
    })  # fmt: skip
    for name, value in overrides.items():
        df[name] = value
    return df


def test_load_corpus_exported_from_package():
    assert newslens.load_corpus is load_corpus
    assert "load_corpus" in newslens.__all__


def test_empty_corpus_has_schema():
    df = empty_corpus()
    assert list(df.columns) == list(COLUMNS)
    assert str(df["reading_time"].dtype) == "Int64" and str(df["record"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_dtype(df["published"])
    assert validate(df) is not None


def test_validate_reorders_and_keeps_extra_columns():
    df = frame()
    df["score"] = [0.1, 0.2, 0.3]
    shuffled = df[["score", *reversed(COLUMNS)]]
    assert list(validate(shuffled).columns) == [*COLUMNS, "score"]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda df: df.drop(columns="outlet"), "no 'outlet' column"),
        (lambda df: df.assign(published=["2024-09-01"] * 3), "'published' must be datetime64"),
        (lambda df: df.assign(reading_time=[1.5, 2.0, 3.0]), "'reading_time' must be integer"),
        (lambda df: df.assign(record=["1", "1", "1"]), "'record' must be integer"),
        (lambda df: df.assign(title=pd.Series([1, 2, 3], dtype=object)), "'title' must hold strings, found int"),
        (lambda df: df.assign(text=[1.0, 2.0, 3.0]), "'text' must hold strings, has dtype float64"),
        (lambda df: df.assign(outlet=["A", None, "B"]), "'outlet' has missing values"),
        (lambda df: df.assign(id=["abc", "def", "ghi"]), "16 lowercase hex chars, found 'abc'"),
        (lambda df: df.assign(id=["0000000000000001"] * 3), "must be unique"),
        (lambda df: df.assign(reader=["txt", "pdf", "txt"]), "found 'pdf'"),
    ],
)
def test_validate_names_the_bad_column(change, message):
    with pytest.raises(ValueError, match=message):
        validate(change(frame()))


def test_validate_accepts_any_datetime_unit_and_int64():
    df = frame(published=pd.to_datetime(["2024-09-01", "2024-09-15", None]).astype("datetime64[s]"),
               record=[1, 1, 1])  # fmt: skip
    assert validate(df)["record"].tolist() == [1, 1, 1]


def test_validate_rejects_non_frame():
    with pytest.raises(TypeError, match="expected a pandas DataFrame"):
        validate([1, 2])


def test_load_corpus_from_parquet_folder_and_file(ingest_fixtures, tmp_path):
    folder = shutil.copytree(ingest_fixtures / "mixed", tmp_path / "mixed")
    run = ingest.build([folder])
    ingest.write_outputs(run, tmp_path / "corpus.parquet", tmp_path / "report.csv")
    from_parquet = load_corpus(tmp_path / "corpus.parquet")
    with pytest.warns(UserWarning, match=r"17 ingestion problem\(s\) \(6 error\(s\)\) .*:\d+ \S+: .*\(\+12 more\)"):
        from_folder = load_corpus(folder)
    pd.testing.assert_frame_equal(from_parquet, from_folder, check_dtype=False)
    assert list(from_parquet.columns) == list(COLUMNS)
    assert from_folder.attrs == {}  # a table in attrs would break pd.concat on derived frames
    pd.concat([from_folder.iloc[:2], from_folder.iloc[2:]])


def test_load_corpus_single_file_without_problems(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("Title\n- Outlet\n- Sep 17, 2024\nBody.\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = load_corpus(path)
    assert df[["title", "outlet", "text"]].values.tolist() == [["Title", "Outlet", "Body."]]


def test_load_corpus_missing_parquet(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus table not found"):
        load_corpus(tmp_path / "nope.parquet")


def test_load_corpus_bad_parquet_names_column(tmp_path):
    frame().drop(columns="reader").to_parquet(tmp_path / "bad.parquet")
    with pytest.raises(ValueError, match="no 'reader' column"):
        load_corpus(tmp_path / "bad.parquet")


def test_subset_outlets_and_inclusive_dates():
    df = frame()
    assert subset(df, outlets=["Times Tengri"])["id"].tolist() == ["0000000000000001", "0000000000000003"]
    assert subset(df, outlets="Baltic Ledger")["title"].tolist() == ["B"]
    assert subset(df, start="2024-09-01", end="2024-09-15")["title"].tolist() == ["A", "B"]  # NaT left out
    assert subset(df, start="2024-09-02")["title"].tolist() == ["B"]
    assert subset(df, end="2024-09-14")["title"].tolist() == ["A"]
    assert subset(df, outlets=[], start="", end=None)["title"].tolist() == ["A", "B", "C"]
    out = subset(df, outlets=["Times Tengri"], start="2024-09-01")
    assert out.index.tolist() == [0] and out is not df


def test_subset_end_includes_whole_last_day():
    df = frame(published=pd.to_datetime(["2024-09-15 23:59", "2024-09-16 00:00", None]))
    assert subset(df, end="2024-09-15")["title"].tolist() == ["A"]


def test_subset_unknown_outlet_lists_valid_ones():
    with pytest.raises(ValueError, match="unknown outlet\\(s\\): 'Nope'; valid outlets: Baltic Ledger, Times Tengri"):
        subset(frame(), outlets=["Times Tengri", "Nope"])


def test_subset_bad_date():
    with pytest.raises(ValueError, match="start='someday' is not a date"):
        subset(frame(), start="someday")


def test_subset_query_combines_with_outlets():
    df = frame()
    assert subset(df, query="peace")["title"].tolist() == ["B"]
    assert subset(df, outlets=["Times Tengri"], query="nato OR red")["title"].tolist() == ["A", "C"]


def test_table_written_before_source_id_loads(ingest_fixtures, tmp_path):
    """tests/fixtures/ingest/v1/corpus.parquet was written by the first schema (no source_id)."""
    old = ingest_fixtures / "v1" / "corpus.parquet"
    assert "source_id" not in pd.read_parquet(old).columns
    loaded = load_corpus(old)
    assert list(loaded.columns) == list(COLUMNS)
    assert loaded["source_id"].isna().all() and str(loaded["source_id"].dtype) == "str"
    fresh, problems = newslens.corpus.ingest(shutil.copytree(ingest_fixtures / "v1" / "articles", tmp_path / "a"))
    assert rows_of(problems) == [("undated.txt", 1, "missing-date")]
    pd.testing.assert_frame_equal(loaded, fresh)


def test_migrate_adds_new_columns_and_restores_integers():
    old = frame().drop(columns="source_id").astype({"record": "float64"})
    migrated = migrate(old)
    assert migrated["source_id"].isna().all() and str(migrated["source_id"].dtype) == "str"
    assert str(migrated["record"].dtype) == "Int64" and migrated["record"].tolist() == [1, 1, 1]
    current = frame()
    assert migrate(current) is current
    pd.testing.assert_frame_equal(validate(migrated), validate(frame(source_id=pd.Series([None] * 3, dtype="str"))))


def rows_of(problems: pd.DataFrame) -> list[tuple]:
    return [(p, None if pd.isna(r) else int(r), c) for p, r, c in problems[["path", "record", "code"]].itertuples(index=False)]


def test_document_text_joins_title_and_body():
    df = pd.DataFrame({"title": ["Red lines", "", None, "  Only title "], "text": ["Body.", "Only body.", "B", None]})
    assert document_text(df).tolist() == ["Red lines\n\nBody.", "Only body.", "B", "Only title"]
    assert document_text(df, part="title").tolist() == ["Red lines", "", "", "Only title"]
    assert document_text(df, part="text").tolist() == ["Body.", "Only body.", "B", ""]
    assert document_text(df.iloc[[3, 0]]).index.tolist() == [3, 0]
    assert document_text(df[["text"]]).tolist() == ["Body.", "Only body.", "B", ""]
    assert [p.tolist() for p in document_parts(df.iloc[:2])] == [["Red lines", ""], ["Body.", "Only body."]]
    assert [p.tolist() for p in document_parts(df.iloc[:2], part="text")] == [["Body.", "Only body."]]
    with pytest.raises(ValueError, match="text='body' is not valid; choose one of: title\\+text, title, text"):
        document_text(df, part="body")
    with pytest.raises(KeyError, match="column 'text' not in table"):
        document_text(df[["title"]])
