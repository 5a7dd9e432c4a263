"""`newslens frames evaluate` and `newslens frames score`."""

from pathlib import Path

import pandas as pd

from newslens.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "framing"


def test_evaluate_prints_metrics(capsys):
    rc = main(["frames", "evaluate", str(FIXTURES / "coding_separable.csv"), "--text-col", "text",
               "--label-col", "frame", "--folds", "3", "--seed", "0"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "n=18 coded texts, 3 labels (single-label), 3-fold" in out
    assert "accuracy 1.000  macro-F1 1.000" in out
    assert "security" in out and "support" in out


def test_evaluate_reports_bad_file(capsys):
    rc = main(["frames", "evaluate", str(FIXTURES / "coding_missing_label.csv")])
    err = capsys.readouterr().err
    assert rc == 2
    assert "column 'frame' not found; available columns: text, code" in err


def test_score_writes_one_row_per_article(tmp_path, capsys):
    out = tmp_path / "scores.csv"
    rc = main(["frames", "score", str(FIXTURES / "mini_corpus.jsonl"), "--scheme", str(FIXTURES / "tiny_frames.yml"),
               "--out", str(out)])
    assert rc == 0
    table = pd.read_csv(out)
    assert len(table) == 4
    got = sorted(zip(table["conflict_hits"], table["economic_hits"], table["dominant_frame"]))
    assert got == [(1, 0, "other"), (2, 2, "conflict"), (2, 3, "economic"), (4, 3, "conflict")]
    assert "4 articles scored" in capsys.readouterr().err


def test_score_unknown_scheme(capsys):
    rc = main(["frames", "score", str(FIXTURES / "mini_corpus.jsonl"), "--scheme", "nope"])
    assert rc == 2
    assert "scheme='nope' is not valid; choose one of: generic, policy" in capsys.readouterr().err
