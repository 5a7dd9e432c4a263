"""Provenance: corpus fingerprint, versions, git commit."""

from __future__ import annotations

import subprocess
from importlib import metadata

import pandas as pd
import pytest

from newslens.provenance import KEY_LIBRARIES, collect, fingerprint, git_commit, table_hash, versions


def corpus() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a1", "b2", "c3"],
            "title": ["One", "Two", "Three"],
            "text": ["First text.", "Second text.", "Third text."],
            "outlet": ["Daily Beacon", "Times Tengri", "Daily Beacon"],
            "published": pd.to_datetime(["2024-09-03", "2024-08-30", None]),
        }
    )


def test_fingerprint_counts_articles_outlets_and_span():
    fp = fingerprint(corpus())
    assert {k: fp[k] for k in ("articles", "outlets", "first", "last", "undated")} == {
        "articles": 3,
        "outlets": 2,
        "first": "2024-08-30",
        "last": "2024-09-03",
        "undated": 1,
    }


def test_fingerprint_is_stable_for_the_same_content():
    assert fingerprint(corpus()) == fingerprint(corpus())
    assert table_hash(corpus()) == table_hash(corpus().copy())


def test_hash_does_not_depend_on_the_datetime_unit():
    us = corpus().assign(published=lambda d: d["published"].astype("datetime64[us]"))
    ns = corpus().assign(published=lambda d: d["published"].astype("datetime64[ns]"))
    assert table_hash(us) == table_hash(ns)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.assign(text=["First text!", "Second text.", "Third text."]),  # one character
        lambda d: pd.concat([d, d.iloc[[0]].assign(id="d4")], ignore_index=True),  # one more row
        lambda d: d.assign(outlet=["Daily Beacon", "Times Tengri", "Times Tengri"]),
        lambda d: d.assign(published=pd.to_datetime(["2024-09-04", "2024-08-30", None])),
    ],
)
def test_fingerprint_changes_when_the_corpus_changes(change):
    assert fingerprint(change(corpus()))["sha256"] != fingerprint(corpus())["sha256"]


def test_versions_lists_python_and_key_libraries():
    found = versions()
    assert set(found) == {"python", *KEY_LIBRARIES}
    assert found["pandas"] == metadata.version("pandas") == pd.__version__
    assert found["vaderSentiment"] == "3.3.2"


def test_git_commit_outside_git_is_unknown(tmp_path):
    assert git_commit(tmp_path) == "unknown"


def test_git_commit_reads_head_and_flags_modified_files(tmp_path):
    def git(*args):
        return subprocess.run(
            ["git", "-C", str(tmp_path), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
            capture_output=True, text=True, check=True,
        ).stdout.strip()

    git("init", "-q")
    (tmp_path / "a.txt").write_text("one\n")
    git("add", "a.txt")
    git("commit", "-q", "-m", "first")
    head = git("rev-parse", "HEAD")
    assert len(head) == 40
    assert git_commit(tmp_path) == head
    (tmp_path / "a.txt").write_text("two\n")
    assert git_commit(tmp_path) == f"{head}+modified"


def test_collect_bundles_everything(tmp_path):
    prov = collect(corpus(), corpus="c.parquet", parameters={"seed": 1}, root=tmp_path)
    assert prov["fingerprint"] == fingerprint(corpus())
    assert prov["parameters"] == {"seed": 1}
    assert prov["commit"] == "unknown"
    assert prov["run_at"].endswith(" UTC")
