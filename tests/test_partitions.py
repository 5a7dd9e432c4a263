"""Partitioned corpus datasets: deterministic parts, the same table back, bounded reads, bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from scipy import sparse

import newslens
from newslens import atomic, derived, ingest, partitions, provenance
from newslens.keywords import dtm as dtm_module
from newslens.keywords import build_dtm

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return newslens.load_corpus(REPO / "corpus")


@pytest.fixture(scope="module")
def dataset(table, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ds") / "corpus.parquet"
    partitions.write_table(table, folder, part_bytes=60_000)
    return folder


def test_parts_are_sorted_id_ranges_within_the_size_limit(table, dataset):
    info = partitions.manifest(dataset)
    parts = info["parts"]
    assert len(parts) >= 3 and info["rows"] == len(table) == sum(p["rows"] for p in parts)
    utf8 = {i: len(t.encode()) + len(x.encode()) for i, t, x in zip(table["id"], table["title"], table["text"])}
    for p in parts:
        part = pq.read_table(dataset / p["file"]).to_pandas()
        ids = part["id"].tolist()
        assert ids == sorted(ids) and (ids[0], ids[-1]) == (p["first_id"], p["last_id"])
        assert p["text_bytes"] == sum(utf8[i] for i in ids)
        assert p["text_bytes"] <= 60_000 or len(ids) == 1
    for before, after in zip(parts, parts[1:]):
        assert before["last_id"] < after["first_id"]  # disjoint ranges, in id order


def test_the_same_table_gives_byte_identical_parts(table, dataset, tmp_path):
    again = tmp_path / "corpus.parquet"
    partitions.write_table(table.sample(frac=1, random_state=3), again, part_bytes=60_000)  # row order does not matter
    first = {p["file"]: p["sha256"] for p in partitions.manifest(dataset)["parts"]}
    second = {p["file"]: p["sha256"] for p in partitions.manifest(again)["parts"]}
    assert first == second


def test_load_corpus_reads_the_table_back_exactly(table, dataset):
    back = newslens.load_corpus(dataset)
    pd.testing.assert_frame_equal(back, table)
    assert provenance.fingerprint(back) == provenance.fingerprint(table)
    assert [p.path for p in partitions.of(back)] == [str((dataset / p["file"]).resolve())
                                                     for p in partitions.manifest(dataset)["parts"]]


def test_iter_tables_yields_one_part_at_a_time(dataset):
    rows = [len(part) for part in partitions.iter_tables(dataset, columns=["text"])]
    assert rows == [p["rows"] for p in partitions.manifest(dataset)["parts"]]


def test_a_subset_maps_to_the_parts_holding_its_ids(dataset):
    df = newslens.load_corpus(dataset)
    sub = newslens.corpus.subset(df, outlets=["Eastern Courier"])
    parts = partitions.of(sub)
    assert sorted(i for p in parts for i in p.ids) == sorted(sub["id"])
    read = pd.concat([p.read() for p in parts])
    assert sorted(read["id"]) == sorted(sub["id"]) and set(read["outlet"]) == {"Eastern Courier"}


def test_a_table_in_memory_is_sliced():
    df = pd.DataFrame({"id": list("abcde")})
    assert [p["id"].tolist() for p in partitions.of(df, rows=2)] == [["a", "b"], ["c", "d"], ["e"]]


def test_a_part_that_changed_is_refused_naming_it(table, tmp_path):
    folder = tmp_path / "corpus.parquet"
    partitions.write_table(table, folder, part_bytes=60_000)
    part = partitions.of(newslens.load_corpus(folder))[1]
    first = pq.read_table(part.path)
    pq.write_table(first.slice(1), part.path)  # a worker would see another file at that path
    with pytest.raises(ValueError, match=f"partition {part.path} differs from the dataset's manifest"):
        part.read()


def test_an_old_dataset_is_migrated(table, tmp_path):
    folder = tmp_path / "corpus.parquet"
    partitions.write_table(table, folder, part_bytes=60_000)
    info = partitions.manifest(folder)
    for p in info["parts"]:  # rewrite each part without the column schema version 2 added
        path = folder / p["file"]
        pq.write_table(pq.read_table(path).drop(["source_id"]), path)
        p["sha256"] = atomic.file_sha256(path)
    (folder / partitions.MANIFEST).write_text(json.dumps(info))
    back = newslens.load_corpus(folder)
    assert back["source_id"].isna().all() and str(back["source_id"].dtype) == "str"
    pd.testing.assert_frame_equal(back.drop(columns="source_id"), table.drop(columns="source_id"))


def test_a_folder_without_manifest_is_not_a_dataset(tmp_path):
    (tmp_path / "x.parquet").mkdir()
    assert not partitions.is_dataset(tmp_path / "x.parquet")
    (tmp_path / "x.parquet" / partitions.MANIFEST).write_text("{")
    with pytest.raises(ValueError, match="not a readable partitioned corpus"):
        partitions.manifest(tmp_path / "x.parquet")


def test_ingest_partitions_on_request_and_above_the_threshold(tmp_path, monkeypatch):
    out, report = tmp_path / "corpus.parquet", tmp_path / "report.csv"
    run = ingest.build([REPO / "corpus"])
    assert ingest.write_outputs(run, out, report) is False and out.is_file()
    assert ingest.write_outputs(run, out, report, partitioned=True) is True and partitions.is_dataset(out)
    assert ingest.write_outputs(run, out, report, partitioned=False) is False and out.is_file()  # folder replaced
    monkeypatch.setattr(partitions, "AUTO_PARTITION_BYTES", 1000)
    assert ingest.write_outputs(run, out, report) is True and partitions.is_dataset(out)
    pd.testing.assert_frame_equal(newslens.load_corpus(out), run.table.to_pandas())


def test_ingest_command_line_writes_a_dataset(tmp_path):
    out = tmp_path / "corpus.parquet"
    done = subprocess.run([sys.executable, "-m", "newslens", "ingest", str(REPO / "corpus"), "--out", str(out),
                           "--report", str(tmp_path / "r.csv"), "--partitioned"],
                          capture_output=True, text=True, cwd=REPO, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "(partitioned: 1 part files)" in done.stdout and partitions.is_dataset(out)


def test_dtm_merged_from_partitions_equals_the_whole_table(table):
    whole = build_dtm(table, ngram_range=(1, 2), min_df=2)
    opts = dict(ngram_range=(1, 2), words=newslens.text.STOPWORDS, lowercase=True, text_part="title+text")
    shuffled = table.sample(frac=1, random_state=1)
    parts = [dtm_module._dtm_part(shuffled.iloc[k : k + 20], **opts) for k in range(0, len(table), 20)]
    matrix, terms = dtm_module._merge(parts, table["id"], 2)
    assert terms.tolist() == whole.terms.tolist()
    assert matrix.dtype == np.int32 and (matrix != whole.matrix).nnz == 0 and matrix.shape == whole.matrix.shape
    assert sparse.isspmatrix_csr(matrix) and matrix.has_sorted_indices


def test_derived_tables_of_a_partitioned_corpus_are_cached_beside_it(dataset):
    store = derived.open_store(dataset, jobs=1, progress=False)
    first = store.tokens(store.corpus)
    again = derived.open_store(dataset, jobs=1, progress=False)
    pd.testing.assert_frame_equal(again.tokens(again.corpus), first)
    assert [e["status"] for e in store.events] == ["built"] and [e["status"] for e in again.events] == ["hit"]
    assert (dataset.parent / derived.FOLDER).is_dir()
