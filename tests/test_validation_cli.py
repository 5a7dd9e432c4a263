"""`newslens validate sample|sheet|agreement|frames|tone`, end to end in a temporary folder."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from newslens.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FRAMES = ["conflict", "human_interest", "economic_consequences", "morality", "responsibility"]


def fill_as_coders(xlsx: Path, truth: dict, errors: dict[str, float], seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    wb = load_workbook(xlsx)
    for coder, rate in errors.items():
        ws = wb[coder]
        header = {c.value: c.column for c in ws[1]}
        for row in range(2, ws.max_row + 1):
            unit = ws.cell(row=row, column=1).value
            for variable, value in truth[unit].items():
                if rng.random() < rate:
                    value = {"0": "1", "1": "0", "negative": "positive", "positive": "neutral",
                             "neutral": "negative"}[value]
                ws.cell(row=row, column=header[variable]).value = int(value) if value in "01" else value
    wb.save(xlsx)


@pytest.mark.slow
def test_validate_end_to_end(tmp_path, capsys):
    if not CORPUS.is_dir():
        pytest.skip(f"bundled corpus not found: {CORPUS}")
    sample_csv, xlsx = tmp_path / "sample.csv", tmp_path / "coding.xlsx"
    assert main(["validate", "sample", str(CORPUS), "--n", "30", "--by", "outlet", "--seed", "1",
                 "--out", str(sample_csv)]) == 0
    out = capsys.readouterr().out
    assert "30 articles from 6 strata (proportional, seed 1)" in out
    sample = pd.read_csv(sample_csv, dtype=str)
    assert sample["unit"].is_unique and len(sample) == 30

    assert main(["validate", "sheet", str(sample_csv), "--coders", "A", "B", "C", "--variables", "frames", "tone",
                 "--out", str(xlsx)]) == 0
    assert f"{xlsx}: 3 coder sheet(s), 6 variable(s)" in capsys.readouterr().out
    assert load_workbook(xlsx).sheetnames == ["A", "B", "C", "codebook"]

    from newslens import load_corpus
    from newslens.validation import frame_presence, vader_tone

    corpus = load_corpus(CORPUS)
    presence = frame_presence(corpus).pivot(index="unit", columns="category", values="present")
    tone = vader_tone(corpus).set_index("unit")["label"]
    truth = {u: {**{f: str(presence.loc[u, f]) for f in FRAMES}, "tone": tone[u]} for u in sample["unit"]}
    fill_as_coders(xlsx, truth, {"A": 0.0, "B": 0.0, "C": 0.2})
    wb = load_workbook(xlsx)
    wb["C"].cell(row=2, column=4).value = "perhaps"  # one bad cell: reported, the rest loads
    wb.save(xlsx)
    codebook = str(tmp_path / "coding-codebook.csv")

    agreement_csv, problems_csv = tmp_path / "agreement.csv", tmp_path / "problems.csv"
    assert main(["validate", "agreement", str(xlsx), "--codebook", codebook, "--sample", str(sample_csv),
                 "--n-boot", "200", "--out", str(agreement_csv), "--problems", str(problems_csv)]) == 0
    out = capsys.readouterr().out
    assert "3 coder(s) (A, B, C); 1 problem row(s)" in out
    assert "Krippendorff's 0.667/0.8 rule" in out
    table = pd.read_csv(agreement_csv)
    assert table["variable"].tolist() == [*FRAMES, "tone"] and (table["coders"] == 3).all()
    assert pd.read_csv(problems_csv)["reason"].str.startswith("unknown value 'perhaps'").tolist() == [True]

    calibrated = tmp_path / "calibrated.yml"
    assert main(["validate", "frames", str(CORPUS), str(xlsx), "--codebook", codebook, "--folds", "3",
                 "--out", str(calibrated)]) == 0
    out = capsys.readouterr().out
    # the majority of A and B is the dictionary's own default presence, so the default rule scores 1.0
    conflict = next(line for line in out.splitlines() if line.startswith("conflict "))
    assert conflict.split()[1:4] == ["1.000", "1.000", "1.000"]
    from newslens.framing import load_scheme

    assert "presence" in load_scheme(calibrated).dictionary.meta["conflict"]

    scores_csv = tmp_path / "tone.csv"
    assert main(["validate", "tone", str(CORPUS), str(xlsx), "--codebook", codebook, "--n-boot", "100",
                 "--out", str(scores_csv)]) == 0
    out = capsys.readouterr().out
    assert "VADER tone vs human (tone, articles, n=30;" in out
    scores = pd.read_csv(scores_csv)
    micro = scores[(scores["outlet"] == "all") & (scores["category"] == "micro")]
    assert micro["f1"].item() == 1.0  # the A/B majority is VADER's own class
    assert set(scores["outlet"]) >= {"all", "Atlantic Ledger"}


def test_validate_reports_bad_input(tmp_path, capsys):
    assert main(["validate", "agreement", str(tmp_path / "missing.xlsx"), "--codebook",
                 str(tmp_path / "nope.csv")]) == 2
    assert "newslens validate agreement: error:" in capsys.readouterr().err
    (tmp_path / "s.csv").write_text("id,text\na,b\n")
    assert main(["validate", "sheet", str(tmp_path / "s.csv"), "--coders", "A", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "not a sample" in capsys.readouterr().err


def test_the_commands_of_a_coding_round_run_as_printed(tmp_path, monkeypatch, capsys):
    """validation.commands prints what a researcher types: run each line, check what it wrote."""
    import shlex

    from newslens.params import parse_value
    from newslens.validation import commands, read_codebook

    if not CORPUS.is_dir():
        pytest.skip(f"bundled corpus not found: {CORPUS}")
    monkeypatch.chdir(tmp_path)
    text = commands(str(CORPUS), n=12, by=["outlet"], seed=3, coders=["ana", "ben"], variables=["frames", "tone"],
                    actors=["NATO", "Russia"], quoted=["Putin"])
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    sample_line, sheet_line, report_line, make_line, make_params = lines
    assert main(shlex.split(sample_line)[1:]) == 0 and main(shlex.split(sheet_line)[1:]) == 0
    assert len(pd.read_csv("sample.csv")) == 12
    book = read_codebook("coding.xlsx")
    assert list(dict.fromkeys(book["variable"])) == [*FRAMES, "tone", "tone:NATO", "tone:Russia", "quoted:Putin"]
    assert load_workbook("coding.xlsx").sheetnames == ["ana", "ben", "codebook"]
    report = shlex.split(report_line)
    assert report[:3] == ["newslens", "report", "50-validation"]
    assert parse_value(report[report.index("coding_files") + 1]) == ["coding.xlsx"]
    assert make_line.startswith("make report NB=50-validation P=")
    inner = shlex.split(shlex.split(make_line)[3].removeprefix("P="))
    assert inner == ["-p", "coding_files", "[coding.xlsx]", "-p", "sample_file", "sample.csv"]
    assert make_params == "make report NB=50-validation PARAMS=validation.yml"
    import yaml

    params = yaml.safe_load("\n".join(line[2:] for line in text.splitlines() if line.startswith("#   ")))
    assert params == {"50-validation": {"coding_files": ["coding.xlsx"], "sample_file": "sample.csv"}}


def test_sheet_with_actor_tone_only(tmp_path, capsys):
    (tmp_path / "s.csv").write_text("unit,text\na,Some text\n")
    out = tmp_path / "c.xlsx"
    assert main(["validate", "sheet", str(tmp_path / "s.csv"), "--coders", "A", "--variables", "--actors", "NATO",
                 "--out", str(out)]) == 0
    assert [c.value for c in load_workbook(out)["A"][1]] == ["unit", "text", "tone:NATO"]
    assert main(["validate", "sheet", str(tmp_path / "s.csv"), "--coders", "A", "--variables", "--actors", "NATO",
                 "--quoted", "Putin", "--out", str(out)]) == 0
    assert [c.value for c in load_workbook(out)["A"][1]] == ["unit", "text", "tone:NATO", "quoted:Putin"]
    assert main(["validate", "sheet", str(tmp_path / "s.csv"), "--coders", "A", "--variables", "--out",
                 str(out)]) == 2
    assert "nothing to code" in capsys.readouterr().err
