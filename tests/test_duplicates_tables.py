"""Report tables of newslens.duplicates (hand-computed on a small corpus) and `newslens duplicates`."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from newslens.cli import main
from newslens.duplicates import canonical_ids, clusters, copy_matrix, copy_shares, sources, summary


def _story(tag: str) -> str:
    return " ".join(f"{tag}{i}" for i in range(60))


@pytest.fixture
def corpus():
    s, t = _story("s"), _story("t")
    rows = [  # id, outlet, date, text
        ("w1", "Wire", "2024-09-01", s),  # canonical of story S
        ("d1", "Daily", "2024-09-02", "(Reuters) - " + s),  # copy of Wire
        ("c1", "Courier", "2024-09-03", s.replace("s7 ", "x ")),  # copy of Wire
        ("d2", "Daily", "2024-09-01", t),  # canonical of story T
        ("d3", "Daily", "2024-09-02", t),  # Daily repeating itself
        ("c2", "Courier", "2024-09-02", t),  # copy of Daily
        ("u1", "Courier", "2024-09-01", _story("u")),
        ("u2", "Wire", "2024-09-01", _story("v")),
        ("u3", "Daily", "2024-09-01", _story("z")),
    ]
    df = pd.DataFrame(rows, columns=["id", "outlet", "published", "text"])
    return df.assign(published=pd.to_datetime(df["published"]), title=df["id"].str.upper(), reprinted_from=None)


def test_clusters_of_the_example(corpus):
    found = clusters(corpus)
    assert found[["id", "cluster", "canonical"]].values.tolist() == [
        ["d2", "d2", True], ["c2", "d2", False], ["d3", "d2", False],
        ["w1", "w1", True], ["c1", "w1", False], ["d1", "w1", False],
    ]  # fmt: skip


def test_summary(corpus):
    table = summary(corpus, clusters(corpus))
    assert table[["cluster", "outlet", "title", "articles", "outlets", "other_outlets", "days"]].values.tolist() == [
        ["d2", "Daily", "D2", 3, 2, 1, 1], ["w1", "Wire", "W1", 3, 3, 2, 2]]  # fmt: skip
    assert table["published"].dt.strftime("%Y-%m-%d").tolist() == ["2024-09-01", "2024-09-01"]


def test_summary_days_are_unknown_when_a_date_is(corpus):
    corpus.loc[corpus["id"] == "c1", "published"] = pd.NaT
    table = summary(corpus, clusters(corpus)).set_index("cluster")
    assert pd.isna(table.loc["w1", "days"]) and table.loc["d2", "days"] == 1


def test_copy_shares(corpus):
    from scipy.stats import binomtest

    table = copy_shares(corpus, clusters(corpus))
    assert table[["outlet", "n", "copies"]].values.tolist() == [["Courier", 3, 2], ["Daily", 4, 1], ["Wire", 2, 0]]
    assert table["share"].tolist() == pytest.approx([2 / 3, 1 / 4, 0.0])
    for row in table.itertuples():  # Wilson score intervals, computed by scipy
        wilson = binomtest(row.copies, row.n).proportion_ci(confidence_level=0.95, method="wilson")
        assert (row.ci_low, row.ci_high) == pytest.approx((wilson.low, wilson.high))


def test_copy_matrix(corpus):
    assert copy_matrix(corpus, clusters(corpus)).values.tolist() == [
        ["Daily", "Courier", 1], ["Daily", "Daily", 1], ["Wire", "Courier", 1], ["Wire", "Daily", 1]]


def test_sources(corpus):
    assert sources(corpus, clusters(corpus)).values.tolist() == [["Wire", 1, 2, 2], ["Daily", 1, 1, 1]]


def test_canonical_ids(corpus):
    kept = canonical_ids(corpus, clusters(corpus))
    assert kept.tolist() == ["d2", "u1", "u2", "u3", "w1"]
    assert len(corpus) - len(kept) == 4  # the copies removed


def test_tables_of_a_corpus_without_clusters(corpus):
    lone = corpus.iloc[[6, 7, 8]]
    found = clusters(lone)
    assert found.empty
    assert summary(lone, found).empty and copy_matrix(lone, found).empty and sources(lone, found).empty
    assert copy_shares(lone, found)["copies"].tolist() == [0, 0, 0]
    assert canonical_ids(lone, found).tolist() == ["u1", "u2", "u3"]


def test_tables_refuse_a_cluster_table_of_another_corpus(corpus):
    with pytest.raises(ValueError, match="names article 'w1', which the corpus lacks"):
        copy_matrix(corpus.iloc[1:], clusters(corpus))


def _write_corpus(path, texts):
    records = [{"title": f"T{i}", "text": t, "outlet": o, "published": d} for i, (t, o, d) in enumerate(texts)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_cli_writes_clusters_and_a_summary_line(tmp_path, capsys):
    s = _story("s")
    _write_corpus(tmp_path / "c.jsonl", [(s, "Wire", "2024-09-01"), ("(AP) — " + s, "Daily", "2024-09-02"),
                                         ("", "Daily", "2024-09-02"), (_story("o"), "Courier", "2024-09-03")])
    out = tmp_path / "clusters.csv"
    with pytest.warns(UserWarning, match="no-text"):  # the corpus reader reports the empty record
        assert main(["duplicates", str(tmp_path / "c.jsonl"), "--threshold", "0.9", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("newslens duplicates: 4 articles (text), 1 clusters of 2 articles (1 copies), "
                              "skipped 1 short and 0 boilerplate-only, 0 boilerplate lines, threshold 0.9 in ")
    assert f"clusters -> {out}" in printed
    table = pd.read_csv(out)
    assert list(table.columns) == ["id", "cluster", "canonical", "similarity", "containment", "cue"]
    assert table["canonical"].tolist() == [True, False] and table["cue"].fillna("").tolist() == ["", "(AP)"]


def test_cli_reports_bad_input(tmp_path, capsys):
    assert main(["duplicates", str(tmp_path / "missing.jsonl")]) == 2
    assert "newslens duplicates: error: input path does not exist" in capsys.readouterr().err
    _write_corpus(tmp_path / "c.jsonl", [(_story("s"), "Wire", "2024-09-01")])
    assert main(["duplicates", str(tmp_path / "c.jsonl"), "--threshold", "1.5"]) == 2
    assert "threshold must be a number in (0, 1], got 1.5" in capsys.readouterr().err
