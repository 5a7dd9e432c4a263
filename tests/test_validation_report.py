"""The validation report (notebooks/50-validation.ipynb) run through `newslens report`.

The project is the bundled corpus plus the fixture article whose title and body carry markup.
Without coding files the report explains how to make a coding round and still runs clean; with a
round filled in by simulated coders (tests/coding_round.py) its published tables must hold what
the library gives for the same files, and agreement, scores and verdicts must match what is
computed here from what the coders typed (NLTK, scikit-learn, a slow ordinal α), and article
text must reach the page escaped.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance
from sklearn.metrics import precision_recall_fscore_support

from coding_round import CODERS, PLAN, fill_round
from newslens import load_corpus, validation
from newslens.framing import load_scheme
from newslens.report import csv_text

REPO = Path(__file__).resolve().parents[1]
XSS = REPO / "tests" / "fixtures" / "xss" / "xss-article.txt"
SCRIPT_TEXT = "<script>alert('xss')</script>"
NAME = "50-validation"
N_BOOT = 300
TONES = ["negative", "neutral", "positive"]

pytestmark = pytest.mark.slow


def run_report(table: Path, out: Path, *params: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "newslens", "report", NAME, "--corpus", str(table), "--out", str(out)]
    for pair in params:
        args += ["-p", *pair.split(" ", 1)]
    return subprocess.run(args, capture_output=True, text=True, cwd=REPO)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("validation-report")
    if not (REPO / "corpus").is_dir():
        pytest.skip("bundled corpus not found")
    shutil.copytree(REPO / "corpus", root / "corpus")
    shutil.copy(XSS, root / "corpus" / XSS.name)
    table = root / "build" / "corpus.parquet"
    subprocess.run([sys.executable, "-m", "newslens", "ingest", str(root / "corpus"), "--out", str(table),
                    "--report", str(table.with_name("ingest-report.csv"))],
                   check=True, capture_output=True, text=True, cwd=REPO)  # fmt: skip
    corpus = load_corpus(table)
    return root, table, corpus, corpus.loc[corpus["outlet"] == "Security Test Desk", "id"].item()


@pytest.fixture(scope="module")
def plain(project):
    root, table, _corpus, _xss = project
    ran = run_report(table, root / "reports-plain")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return root / "reports-plain"


@pytest.fixture(scope="module")
def coded(project):
    root, table, corpus, xss = project
    filled = fill_round(corpus, root / "round", must_include=xss)
    files = json.dumps([str(p) for p in filled.files])
    ran = run_report(table, root / "reports-coded", f"coding_files {files}", f"sample_file {filled.sample_csv}",
                     f"n_boot {N_BOOT}")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return root / "reports-coded", filled


def published(out: Path, kind: str, slug: str) -> str:
    return (out / kind / NAME / slug).read_text(encoding="utf-8")


def page_text(out: Path) -> str:
    return html.unescape((out / f"{NAME}.html").read_text(encoding="utf-8"))


# --- without coding files ------------------------------------------------------------------------


def test_without_coding_files_it_shows_how_to_make_a_coding_round(plain, project):
    _root, table, corpus, _xss = project
    assert sorted(p.name for p in (plain / "tables" / NAME).iterdir()) == ["sample-titles.csv"]
    assert sorted(p.name for p in (plain / "figures" / NAME).iterdir()) == ["sample-plan.csv", "sample-plan.png"]
    drawn = validation.sample(corpus, 50, by=("outlet", "period"), seed=0)
    assert published(plain, "tables", "sample-titles.csv") == csv_text(drawn[["unit", "stratum", "title"]])
    plan = validation.allocate(corpus, 50, by=("outlet", "period"))
    assert published(plain, "figures", "sample-plan.csv") == csv_text(plan)
    text = page_text(plain)
    commands = validation.commands(str(table), n=50, coders=["coder1", "coder2", "coder3"],
                                   variables=["frames", "dominant", "tone"], actors=["Russia", "Ukraine", "NATO"],
                                   quoted=["Russia", "Ukraine", "NATO"])
    for line in commands.splitlines():
        assert line in text, line
    assert "No coding_files given: nothing to read." in text
    assert_clean_run(plain)


def assert_clean_run(out: Path) -> None:
    """No cell of the executed notebook raised or wrote to stderr (warnings included)."""
    import nbformat

    ran = nbformat.read(out / "notebooks" / f"{NAME}.ipynb", as_version=4)
    outputs = [o for cell in ran.cells if cell.cell_type == "code" for o in cell.outputs]
    assert outputs and [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"] == []


def test_a_bad_measure_name_fails_loudly_and_names_the_choices(project, tmp_path):
    _root, table, _corpus, _xss = project
    ran = run_report(table, tmp_path / "out", 'measures ["frames", "sarcasm"]')
    assert ran.returncode == 1
    assert "measure='sarcasm' is not valid" in ran.stdout + ran.stderr
    assert not (tmp_path / "out" / f"{NAME}.html").exists()


# --- with coding files: the library's values -----------------------------------------------------


def library_results(filled, corpus):
    book = validation.read_codebook(filled.files[0])
    codes = validation.read_coding(*filled.files, codebook=book, sample=filled.sample_csv)
    agreement = validation.agreement_table(codes.codes, book, n_boot=N_BOOT, seed=0, minimum=0.667)
    checks = validation.check_measures(corpus, codes.codes, book, n_boot=N_BOOT, seed=0, rollup=True, folds=5)
    return book, codes, agreement, checks


def test_published_tables_hold_the_librarys_values_for_the_same_files(coded, project):
    out, filled = coded
    corpus = project[2]
    book, codes, agreement, checks = library_results(filled, corpus)
    expected_tables = {
        "coding-problems": codes.problems,
        "coder-agreement": agreement,
        "category-agreement": validation.category_table(codes.codes, book),
        "coder-pairs": validation.coder_pairs(codes.codes, book),
        "examples-coders": validation.coder_disagreements(codes.codes, book, corpus, n=3),
        "machine-scores": validation.scores_table(checks),
        "calibration": validation.calibration_table(checks),
        "verdicts": validation.verdict_table(agreement, checks),
        "examples-machine": validation.machine_disagreements(checks, corpus, n=3),
    }
    names = {p.name for p in (out / "tables" / NAME).iterdir()}
    assert names == {f"{slug}.csv" for slug in expected_tables} | {"calibrated-scheme.yml"}
    assert_clean_run(out)
    for slug, table in expected_tables.items():
        assert published(out, "tables", f"{slug}.csv") == csv_text(table), slug
    figures = {
        "coder-agreement": agreement[["variable", "units", "alpha", "ci_low", "ci_high"]],
        "machine-agreement": validation.machine_agreement(checks)[["label", "units", "alpha", "ci_low", "ci_high"]],
        "calibration": validation.calibration_table(checks),
    }
    for name, check in checks.items():
        figures[f"scores-{name}"] = check.comparison.scores
        figures[f"confusion-{name}"] = check.comparison.confusion_of("all")
    shown = {p.stem for p in (out / "figures" / NAME).glob("*.png")}
    assert shown == set(figures) | {"sample-plan"}
    for slug, data in figures.items():
        assert published(out, "figures", f"{slug}.csv") == csv_text(data), slug


# --- with coding files: independent expectations -------------------------------------------------


def ordinal_alpha(matrix: list[list], scale: list) -> float:
    """Krippendorff's ordinal α by the book, with loops (units coded once ignored)."""
    units = [[row[j] for row in matrix if row[j] is not None] for j in range(len(matrix[0]))]
    units = [u for u in units if len(u) >= 2]
    o = {(c, k): 0.0 for c in scale for k in scale}
    for values in units:
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    o[(a, b)] += 1 / (len(values) - 1)
    n_c = {c: sum(o[(c, k)] for k in scale) for c in scale}
    n = sum(n_c.values())

    def delta(c, k):
        lo, hi = sorted((scale.index(c), scale.index(k)))
        return (sum(n_c[scale[g]] for g in range(lo, hi + 1)) - (n_c[scale[lo]] + n_c[scale[hi]]) / 2) ** 2

    observed = sum(o[(c, k)] * delta(c, k) for c in scale for k in scale)
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in scale for k in scale) / (n - 1)
    return 1 - observed / expected


def test_ordinal_reference_on_krippendorffs_worked_example():
    n = None
    worked = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
              [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
    assert round(ordinal_alpha(worked, [1, 2, 3, 4, 5]), 3) == 0.815  # Krippendorff (2011)


def typed_matrix(filled, variable: str) -> tuple[list[str], list[list]]:
    rows = filled.typed[filled.typed["variable"] == variable]
    units = sorted(set(rows["unit"]))
    cell = {(r.coder, r.unit): r.value for r in rows.itertuples()}
    return units, [[cell.get((c, u)) for u in units] for c in CODERS]


def test_coder_agreement_and_verdicts_match_what_the_coders_typed(coded):
    out, filled = coded
    table = pd.read_csv(out / "tables" / NAME / "coder-agreement.csv").set_index("variable")
    assert table.index.tolist() == list(PLAN)
    words = set()
    for variable in PLAN:
        units, matrix = typed_matrix(filled, variable)
        if variable.startswith("tone"):
            expected = ordinal_alpha(matrix, TONES)
        else:
            triples = [(c, u, v) for c, row in zip(CODERS, matrix) for u, v in zip(units, row) if v is not None]
            expected = AnnotationTask(data=triples, distance=binary_distance).alpha()
        row = table.loc[variable]
        assert row["alpha"] == pytest.approx(expected, abs=1e-9), variable
        assert row["units"] == len(units) and row["coders"] == 3
        shares = []
        for j in range(len(units)):
            coded = [row[j] for row in matrix if row[j] is not None]
            pairs = [(a, b) for i, a in enumerate(coded) for b in coded[i + 1:]]
            if pairs:
                shares.append(np.mean([a == b for a, b in pairs]))
        assert row["percent_agreement"] == pytest.approx(np.mean(shares))
        word = "reliable" if expected >= 0.8 else "tentative" if expected >= 0.667 else "unreliable"
        assert row["verdict"].endswith(f": {word} by Krippendorff's 0.667/0.8 rule")
        assert row["ci_low"] <= row["alpha"] <= row["ci_high"]
        words.add(word)
    assert words == {"reliable", "tentative", "unreliable"}  # the round exercises every class
    verdicts = pd.read_csv(out / "tables" / NAME / "verdicts.csv")
    for row in verdicts.itertuples():
        assert row.coders_verdict == table.loc[row.variable, "verdict"]
        assert row.verdict.startswith(f"Coders: {row.coders_verdict}. ")
        assert f"against their majority: {row.machine_verdict}; " in row.verdict
        if np.isnan(row.machine_alpha):  # e.g. a frame neither the machine nor the majority ever marks
            assert row.machine_verdict.startswith("α undefined") and np.isnan(row.f1) and "undefined" in row.verdict
            continue
        word = "reliable" if row.machine_alpha >= 0.8 else "tentative" if row.machine_alpha >= 0.667 else "unreliable"
        assert row.machine_verdict.endswith(f": {word} by Krippendorff's 0.667/0.8 rule")
        assert f"= {row.f1:.2f} [{row.f1_low:.2f}, {row.f1_high:.2f}]; n = {row.units} units." in row.verdict


def majority(filled, variable: str) -> dict[str, str]:
    """The most common typed value per unit, ties left out (counted here, not by the library)."""
    out = {}
    for unit, rows in filled.typed[filled.typed["variable"] == variable].groupby("unit"):
        counts = Counter(rows["value"]).most_common()
        if len(counts) == 1 or counts[0][1] > counts[1][1]:
            out[unit] = counts[0][0]
    return out


def test_machine_scores_match_sklearn_on_the_typed_majority(coded):
    out, filled = coded
    scores = pd.read_csv(out / "tables" / NAME / "machine-scores.csv", keep_default_na=False, na_values=[""])
    pooled = scores[scores["group"] == "all"].set_index(["measure", "category"])
    human = majority(filled, "tone")
    units = sorted(human)
    truth, pred = [human[u] for u in units], [filled.machine["tone"][u] for u in units]
    used = sorted(set(truth) | set(pred))
    p, r, f, _ = precision_recall_fscore_support(truth, pred, labels=used, average="macro", zero_division=0)
    assert (pooled.loc[("tone", "macro"), "precision"], pooled.loc[("tone", "macro"), "f1"]) == (pytest.approx(p),
                                                                                                pytest.approx(f))
    assert pooled.loc[("tone", "macro"), "n"] == len(units)
    for frame in ("conflict", "human_interest", "responsibility"):
        codes = {v: majority(filled, v) for v in ("conflict", "human_interest", "economic_consequences",
                                                   "morality", "responsibility")}
        complete = sorted(set.intersection(*(set(c) for c in codes.values())))
        truth = [codes[frame][u] for u in complete]
        pred = [filled.machine[frame][u] for u in complete]
        p, r, f, _ = precision_recall_fscore_support(truth, pred, labels=["1"], average=None, zero_division=0)
        row = pooled.loc[("frames", frame)]
        assert (row["precision"], row["recall"], row["f1"]) == (pytest.approx(p[0]), pytest.approx(r[0]),
                                                                pytest.approx(f[0])), frame
    problems = pd.read_csv(out / "tables" / NAME / "coding-problems.csv")
    assert problems[["sheet", "row", "column"]].values.tolist() == [list(filled.bad_cell)]
    assert problems["reason"].item().startswith("unknown value 'perhaps'")


def test_the_calibrated_scheme_carries_the_calibrated_rules(coded):
    out, _filled = coded
    calibration = pd.read_csv(out / "tables" / NAME / "calibration.csv")
    scheme = load_scheme(out / "tables" / NAME / "calibrated-scheme.yml")
    calibrated = calibration[calibration["rule"] == "calibrated (cross-validated)"]
    assert len(calibrated) == 5
    for row in calibrated.itertuples():
        assert scheme.dictionary.meta[row.frame]["presence"] == {"min_hits": row.min_hits, "threshold": row.threshold}
    assert scheme.frames == load_scheme("generic").frames
    assert "cross-validated scores" in (out / "tables" / NAME / "calibrated-scheme.yml").read_text()


def test_article_text_reaches_the_page_escaped(coded, project):
    out, _filled = coded
    xss = project[3]
    examples = pd.read_csv(out / "tables" / NAME / "examples-coders.csv")
    hostile = examples[examples["unit"] == xss]
    assert len(hostile) and SCRIPT_TEXT in hostile["title"].iloc[0]
    assert (pd.read_csv(out / "tables" / NAME / "examples-machine.csv")["unit"] == xss).any()
    markup = (out / f"{NAME}.html").read_text(encoding="utf-8")
    assert "<script" not in markup and "<img src=x" not in markup
    assert html.escape(SCRIPT_TEXT, quote=False) in markup or html.escape(SCRIPT_TEXT) in markup
    notebook = (out / "notebooks" / f"{NAME}.ipynb").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in notebook  # the HTML outputs of the executed notebook are escaped too
