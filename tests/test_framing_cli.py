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


def test_evaluate_by_article_id_equals_evaluating_the_same_texts(tmp_path, capsys):
    from newslens import load_corpus
    from newslens.framing.frames import article_text

    corpus = load_corpus(FIXTURES / "mini_corpus.jsonl")
    coding = pd.read_csv(FIXTURES / "coding_ids.csv", dtype=str)
    texts = dict(zip(corpus["id"], article_text(corpus)))
    coding.assign(text=coding["id"].map(texts)).to_csv(tmp_path / "by_text.csv", index=False)

    rc_ids = main(["frames", "evaluate", str(FIXTURES / "coding_ids.csv"), "--id-col", "id",
                   "--corpus", str(FIXTURES / "mini_corpus.jsonl"), "--folds", "2"])
    by_ids = capsys.readouterr().out.splitlines()
    rc_text = main(["frames", "evaluate", str(tmp_path / "by_text.csv"), "--folds", "2"])
    by_text = capsys.readouterr().out.splitlines()
    assert rc_ids == rc_text == 0
    assert "n=4 coded texts, 2 labels" in by_ids[0]
    assert by_ids[1:] == by_text[1:]


def test_evaluate_by_id_reports_unknown_ids_and_needs_corpus(capsys):
    rc = main(["frames", "evaluate", str(FIXTURES / "coding_unknown_ids.csv"), "--id-col", "id",
               "--corpus", str(FIXTURES / "mini_corpus.jsonl"), "--folds", "2"])
    assert rc == 2
    assert "2 article id(s) not in the corpus: eeeeeeeeeeeeeeee, ffffffffffffffff" in capsys.readouterr().err
    assert main(["frames", "evaluate", str(FIXTURES / "coding_ids.csv"), "--id-col", "id"]) == 2
    assert "--id-col and --corpus go together" in capsys.readouterr().err
