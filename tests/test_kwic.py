"""Keyword in context: hits, contexts, sorting, caps, filtering, and the `newslens kwic` command."""

from __future__ import annotations

import pandas as pd
import pytest

from newslens.cli import main
from newslens.keywords import kwic
from newslens.keywords.kwic import COLUMNS, concordance_lines
from newslens.query import QuerySyntaxError


def corpus() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["b" * 16, "a" * 16, "c" * 16, "d" * 16],
            "title": ["Red lines, again", "", "NATO and the red line", "Talks"],
            "text": [
                "Putin said  the\n\nstrikes would cross a red line. Analysts doubt the red lines.",
                "Escalation? Kyiv dismissed the RED LINE talk.",
                "No red line was crossed, NATO said.",
                "Peace talks resume.",
            ],
            "outlet": ["Daily", "Post", "Daily", "Post"],
            "published": pd.to_datetime(["2024-09-12", "2024-09-10", "2024-09-11", None]),
        }
    )


def test_rows_and_contexts_by_hand():
    df = corpus()
    hits = kwic(df, '"red line*"', window=3)
    assert list(hits.columns) == COLUMNS
    b_text = df.text[0]
    # Position order: published date, then id, title before text, character offset.
    assert hits[["id", "field", "offset", "match"]].values.tolist() == [
        ["a" * 16, "text", df.text[1].index("RED LINE"), "RED LINE"],
        ["c" * 16, "title", df.title[2].index("red line"), "red line"],
        ["c" * 16, "text", df.text[2].index("red line"), "red line"],
        ["b" * 16, "title", 0, "Red lines"],
        ["b" * 16, "text", b_text.index("red line."), "red line"],
        ["b" * 16, "text", b_text.index("red lines"), "red lines"],
    ]
    first = hits.iloc[0]
    # Contexts run from the first to the last token of the window: no trailing period.
    assert (first.left, first.right) == ("Kyiv dismissed the", "talk")
    row = hits[(hits.id == "b" * 16) & (hits.offset == b_text.index("red line."))].iloc[0]
    # Three tokens each side in the original surface text, whitespace runs shown as one space.
    assert row.left == "would cross a"
    assert row.right == ". Analysts doubt the"
    wide = kwic(corpus(), '"red line*"', window=6)
    assert wide[(wide.id == "b" * 16) & (wide.offset == b_text.index("red line."))].left.iloc[0] == "said the strikes would cross a"
    title_hit = hits[(hits.id == "b" * 16) & (hits.field == "title")].iloc[0]
    assert (title_hit.left, title_hit.right) == ("", ", again")
    assert hits.attrs == {"hits_total": 6, "hits_shown": 6, "articles": 3}
    assert hits.published.dtype == corpus().published.dtype


def test_contexts_at_exact_window():
    df = pd.DataFrame({"id": ["x"], "title": [""], "outlet": ["O"], "published": pd.to_datetime(["2024-01-01"]),
                       "text": ["one two three four five six seven TARGET eight nine ten eleven twelve"]})
    row = kwic(df, "target", window=2).iloc[0]
    assert (row.left, row.match, row.right) == ("six seven", "TARGET", "eight nine")
    row = kwic(df, "target", window=0).iloc[0]
    assert (row.left, row.right) == ("", "")


def test_not_and_and_filter_articles_but_only_positive_terms_are_shown():
    hits = kwic(corpus(), '"red line*" AND NOT nato')
    assert set(hits.id) == {"a" * 16, "b" * 16}
    hits = kwic(corpus(), "escalat* AND kyiv")
    assert hits.match.tolist() == ["Escalation", "Kyiv"]
    with pytest.raises(ValueError, match="outside NOT"):
        kwic(corpus(), "NOT nato")


def test_longest_term_wins_when_terms_overlap():
    hits = kwic(corpus(), 'red OR "red line"')
    phrase_hits = kwic(corpus(), '"red line"')
    both = hits.merge(phrase_hits, on=["id", "field", "offset"], suffixes=("", "_phrase"))
    # Every "red line" is shown once, as the phrase; the other hits are lone "red" ("Red lines").
    assert len(both) == len(phrase_hits) == 4
    assert (both.term == '"red line"').all()
    rest = hits[hits.term == "red"]
    assert rest.match.str.lower().tolist() == ["red", "red"]
    assert len(hits) == 6


def test_sort_left_right_and_cap():
    df = pd.DataFrame({"id": ["x"], "title": [""], "outlet": ["O"], "published": pd.to_datetime(["2024-01-01"]),
                       "text": ["zebra line crossed. apple line held. mango line bent."]})
    assert kwic(df, "line", sort="left").left.str.split().str[-1].tolist() == ["apple", "mango", "zebra"]
    assert kwic(df, "line", sort="right").right.str.split().str[0].tolist() == ["bent", "crossed.", "held."]
    assert kwic(df, "line").left.str.split().str[-1].tolist() == ["zebra", "apple", "mango"]
    capped = kwic(df, "line", max_per_article=2)
    assert len(capped) == 2
    assert capped.attrs["hits_total"] == 3
    with pytest.raises(ValueError, match="choose one of: position, left, right"):
        kwic(df, "line", sort="middle")
    with pytest.raises(QuerySyntaxError):
        kwic(df, '"line')


def test_no_hits_gives_an_empty_frame_with_the_columns():
    hits = kwic(corpus(), "ceasefire")
    assert hits.empty
    assert list(hits.columns) == COLUMNS
    assert hits.attrs["hits_total"] == 0


def test_concordance_lines_align_matches():
    hits = kwic(corpus(), '"red line*"', window=4)
    lines = concordance_lines(hits, width=20)
    columns = {line.index("[") for line in lines}
    assert len(columns) == 1
    # date (10) + 2 spaces + outlet column (5, "Daily") + space + left context (<= 20) + space
    assert columns == {10 + 2 + 5 + 1 + 20 + 1}
    assert lines[2].endswith("[red line] was crossed, NATO s…")


SEED_ARTICLE = """{title}
- {outlet}
- Sep {day}, 2024
- 2 min read
{text}
"""


def test_cli_prints_a_concordance(tmp_path, capsys):
    (tmp_path / "one.txt").write_text(SEED_ARTICLE.format(
        title="Putin draws a red line", outlet="Daily", day=12,
        text="The Kremlin said strikes would cross a red line. NATO disagreed."), encoding="utf-8")
    (tmp_path / "two.txt").write_text(SEED_ARTICLE.format(
        title="Talks", outlet="Post", day=13, text="Ceasefire talks resume in Geneva."), encoding="utf-8")
    assert main(["kwic", str(tmp_path), '"red line"', "--window", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("2 hits in 1 of 2 articles")
    assert len(out) == 3
    assert "[red line]" in out[1] and "[red line]" in out[2]
    assert out[1].index("[") == out[2].index("[")
    assert main(["kwic", str(tmp_path), "red line*", "--limit", "1"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_cli_reports_query_errors(tmp_path, capsys):
    assert main(["kwic", str(tmp_path), "(nato"]) == 2
    err = capsys.readouterr().err
    assert "never closed" in err and "\n  (nato\n  ^" in err
