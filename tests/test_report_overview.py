"""Corpus overview computations (newslens.overview) and their plots, on a hand-made corpus."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from newslens import overview, plots


@pytest.fixture
def df() -> pd.DataFrame:
    # Weeks (Mondays): 2024-09-02, 09-09, 09-16, 09-23.
    return pd.DataFrame(
        {
            "id": ["a1", "a2", "a3", "b1", "b2", "c1"],
            "title": ["Red lines", "Strikes approved?", "Other", "RED LINES!", "Strikes  approved", "Solo"],
            "text": ["one two three", "one two", "long-range strikes hit", "x", "a b c d e", "Putin's line"],
            "outlet": ["Alpha", "Alpha", "Alpha", "Beta", "Beta", "Gamma"],
            "published": pd.to_datetime(
                ["2024-09-02", "2024-09-08", "2024-09-26", "2024-09-03", None, "2024-09-17"]
            ),
            "reprinted_from": ["https://news.am/", None, "https://news.am/", "Wire", None, None],
        }
    )


def test_weekly_counts_fill_every_week_of_the_span(df):
    counts = overview.weekly_counts(df)
    weeks = ["2024-09-02", "2024-09-09", "2024-09-16", "2024-09-23"]
    assert list(counts.columns) == ["outlet", "week", "n"]
    assert counts["outlet"].tolist() == ["Alpha"] * 4 + ["Beta"] * 4 + ["Gamma"] * 4
    assert counts["week"].dt.strftime("%Y-%m-%d").tolist() == weeks * 3
    assert counts["n"].tolist() == [2, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0]
    assert counts["n"].sum() == df["published"].notna().sum()


def test_coverage_lists_missing_weeks(df):
    cov = overview.coverage(df).set_index("outlet")
    assert cov.loc["Alpha", "missing_weeks"] == "2024-09-09, 2024-09-16"
    assert cov.loc["Beta", "undated"] == 1 and cov.loc["Beta", "articles"] == 2
    assert cov.loc["Beta", "weeks_without"] == 3
    assert cov.loc["Gamma", "first"] == cov.loc["Gamma", "last"] == "2024-09-17"
    assert (cov["weeks"] == 4).all()
    assert (cov["weeks_with_articles"] + cov["weeks_without"] == cov["weeks"]).all()


def test_word_counts_and_summary(df):
    lengths = overview.word_counts(df)
    assert lengths[["id", "words"]].values.tolist() == [
        ["a1", 3], ["a2", 2], ["a3", 3], ["b1", 1], ["b2", 5], ["c1", 2]
    ]
    summary = overview.length_summary(lengths).set_index("outlet")
    assert summary.loc["Alpha", "n"] == 3 and summary.loc["Alpha", "median"] == 3
    assert summary.loc["Beta", "q1"] == 2.0  # numpy linear interpolation between 1 and 5
    assert summary.loc["Beta", "mean"] == 3.0


def test_reprints_counted_per_outlet_and_source(df):
    assert overview.reprints(df).values.tolist() == [["Alpha", "https://news.am/", 2], ["Beta", "Wire", 1]]


def test_sample_titles_is_seeded_and_per_outlet(df):
    first = overview.sample_titles(df, per_outlet=2, seed=1)
    assert first.equals(overview.sample_titles(df, per_outlet=2, seed=1))
    assert first.groupby("outlet").size().to_dict() == {"Alpha": 2, "Beta": 2, "Gamma": 1}
    assert set(first["id"]) <= set(df["id"])
    # Another outlet in the corpus does not change Alpha's sample.
    more = pd.concat([df, df.iloc[[5]].assign(id="d1", outlet="Delta")], ignore_index=True)
    again = overview.sample_titles(more, per_outlet=2, seed=1)
    assert again.loc[again["outlet"] == "Alpha", "id"].tolist() == first.loc[first["outlet"] == "Alpha", "id"].tolist()
    with pytest.raises(ValueError, match="per_outlet"):
        overview.sample_titles(df, per_outlet=-1)


def test_ingest_report_is_found_beside_the_table(tmp_path):
    table = tmp_path / "corpus.parquet"
    assert overview.find_ingest_report(table) is None
    report = tmp_path / "ingest-report.csv"
    report.write_text(
        "path,record,severity,code,message\n"
        "b.jsonl,7,error,bad-json,not JSON\n"
        "a.txt,,warning,missing-date,no date\n"
        "b.jsonl,2,warning,missing-date,no date\n",
        encoding="utf-8",
    )
    assert overview.find_ingest_report(table) == report
    assert overview.find_ingest_report(tmp_path) is None  # a folder corpus has no report beside it
    with pytest.raises(FileNotFoundError):
        overview.find_ingest_report(table, explicit=tmp_path / "nope.csv")
    problems = overview.read_ingest_report(report)
    assert problems["path"].tolist() == ["a.txt", "b.jsonl", "b.jsonl"]
    assert problems.loc[0, "record"] == ""  # a whole-file problem keeps its empty record
    counts = overview.problem_counts(problems)
    assert counts.values.tolist() == [["error", "bad-json", 1], ["warning", "missing-date", 2]]
    assert list(overview.read_ingest_report(None).columns) == ["path", "record", "severity", "code", "message"]


def test_ingest_report_records_sort_as_numbers(tmp_path):
    """Records 2, 10 and 11 of one file, and its whole-file row, in the order ingest writes them."""
    report = tmp_path / "ingest-report.csv"
    report.write_text(
        "path,record,severity,code,message\n"
        "feed.jsonl,10,error,invalid-json,bad line\n"
        "feed.jsonl,2,warning,missing-date,no date\n"
        "a.txt,,error,empty-file,empty\n"
        "feed.jsonl,,warning,encoding-fallback,latin-1\n"
        "feed.jsonl,11,warning,bad-date,odd date\n"
        "feed.jsonl,2,warning,bad-date,odd date\n",
        encoding="utf-8",
    )
    problems = overview.read_ingest_report(report)
    assert problems[["path", "record", "code"]].values.tolist() == [
        ["a.txt", "", "empty-file"], ["feed.jsonl", "", "encoding-fallback"], ["feed.jsonl", "2", "bad-date"],
        ["feed.jsonl", "2", "missing-date"], ["feed.jsonl", "10", "invalid-json"], ["feed.jsonl", "11", "bad-date"],
    ]  # fmt: skip
    assert problems.index.tolist() == list(range(6))


def test_plots_label_every_group_with_its_n(df):
    counts = overview.weekly_counts(df)
    ax = plots.weekly_articles(counts)
    assert ax.get_legend_handles_labels()[1] == ["Alpha (n=3)", "Beta (n=1)", "Gamma (n=1)"]
    assert "n=5 dated articles" in ax.get_title()
    heights = [bar.get_height() for bar in ax.patches]
    assert sum(heights) == 5
    ax = plots.length_by_outlet(overview.word_counts(df))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Alpha (n=3)", "Beta (n=2)", "Gamma (n=1)"]
    ax = plots.coverage_grid(counts)
    assert [t.get_text() for t in ax.texts].count("–") == 8
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Alpha (n=3)", "Beta (n=1)", "Gamma (n=1)"]
