"""Every measure against the coders' majority (newslens.validation.check_measures), its verdicts and examples.

A coding round is built by hand on a sample of the bundled corpus: three coders start from the
machine's own codes; on a known set of units two of them move to the same other value (so the
majority moves and the machine is wrong there), on another set only one does (the majority stays).
The expected majority, scores and α follow from that construction, computed here with
scikit-learn and NLTK, never through the functions under test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance
from sklearn.metrics import precision_recall_fscore_support

from newslens import load_corpus, validation
from newslens.framing import Coding, evaluate, load_scheme

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FRAMES = list(load_scheme("generic").dictionary.categories)
TONES = ["negative", "neutral", "positive"]


@pytest.fixture(scope="module")
def corpus():
    if not CORPUS.is_dir():
        pytest.skip(f"bundled corpus not found: {CORPUS}")
    return load_corpus(CORPUS)


def _other(value: str, values: list[str]) -> str:
    return values[(values.index(value) + 1) % len(values)]


@pytest.fixture(scope="module")
def round_(corpus):
    """(codes, codebook, machine codes, expected majority, units moved by the majority, units one coder moved)."""
    drawn = validation.sample(corpus, 30, by=("outlet",), seed=2)
    units = drawn["unit"].tolist()
    presence = validation.frame_presence(corpus).pivot(index="unit", columns="category", values="present")
    machine = {f: {u: str(presence.loc[u, f]) for u in units} for f in FRAMES}
    machine["frame"] = validation.frame_dominant(corpus).set_index("unit")["label"].to_dict()
    machine["tone"] = validation.vader_tone(corpus).set_index("unit")["label"].to_dict()
    russia = validation.actor_tone_labels(corpus, rollup=True).query("actor == 'Russia'").set_index("unit")["label"]
    machine["tone:Russia"] = russia.to_dict()
    quoted = validation.quoted_speakers(corpus, categories=["Russia"])
    machine["quoted:Russia"] = dict(zip(quoted["unit"], quoted["present"].astype("str"), strict=True))
    book = validation.combine(validation.frame_codebook("generic"),
                              validation.frame_codebook("generic", coding="dominant"),
                              validation.tone_codebook(), validation.tone_codebook("tone:Russia", target="Russia"),
                              validation.quoted_codebook("Russia"))
    values = {v: list(rows["value"]) for v, rows in book.groupby("variable", sort=False)}
    moved = {v: set(units[k::7]) for k, v in enumerate(values)}  # B and C both move: the majority moves
    alone = {v: set(units[k + 3::9]) - moved[v] for k, v in enumerate(values)}  # only C moves
    rows, expected = [], {v: {} for v in values}
    for variable, options in values.items():
        for u in units:
            base = machine[variable].get(u, "neutral")  # an article not naming Russia: coded neutral
            other = _other(base, options)
            codes = {"A": base, "B": other if u in moved[variable] else base,
                     "C": other if u in moved[variable] | alone[variable] else base}
            rows += [(u, coder, variable, value) for coder, value in codes.items()]
            expected[variable][u] = other if u in moved[variable] else base
    codes = pd.DataFrame(rows, columns=["unit", "coder", "variable", "value"])
    return codes, book, machine, expected, moved, alone


@pytest.fixture(scope="module")
def checks(corpus, round_):
    codes, book, *_ = round_
    return validation.check_measures(corpus, codes, book, n_boot=200, seed=1, rollup=True)


def _f1(truth, predicted, labels, average=None):
    return precision_recall_fscore_support(truth, predicted, labels=labels, average=average, zero_division=0)


def _nltk_alpha(a: list, b: list) -> float:
    data = [("m", f"u{k}", x) for k, x in enumerate(a)] + [("h", f"u{k}", y) for k, y in enumerate(b)]
    return AnnotationTask(data=data, distance=binary_distance).alpha()


def test_every_measure_is_compared(checks):
    assert list(checks) == list(validation.CHECKS)
    assert all(c.ran for c in checks.values()), {k: c.note for k, c in checks.items()}
    assert checks["frames"].note == "30 coded articles with a majority code on all 5 frames"


def test_frame_presence_against_the_majority(checks, round_, corpus):
    _codes, _book, machine, expected, moved, _alone = round_
    check = checks["frames"]
    units = sorted(expected["conflict"])
    for frame in FRAMES:
        truth = [expected[frame][u] for u in units]
        pred = [machine[frame][u] for u in units]
        p, r, f, _ = _f1(truth, pred, ["1"])
        row = check.comparison.scores.query("outlet == 'all' and category == @frame").iloc[0]
        if "1" in truth or "1" in pred:
            assert (row["precision"], row["recall"], row["f1"]) == (pytest.approx(p[0]), pytest.approx(r[0]),
                                                                    pytest.approx(f[0]))
        agreement = check.agreement.set_index("variable").loc[frame]
        assert agreement["alpha"] == pytest.approx(_nltk_alpha(pred, truth), abs=1e-9)
        assert agreement["units"] == 30
        assert agreement["f1"] == pytest.approx(row["f1"], nan_ok=True)
        differ = {u for u in units if machine[frame][u] != expected[frame][u]}
        assert differ == moved[frame]
    # the detail is the default rule with its own scores: the same numbers
    detail = check.detail.set_index("frame")
    for frame in FRAMES:
        row = check.comparison.scores.query("outlet == 'all' and category == @frame").iloc[0]
        assert detail.loc[frame, "f1"] == pytest.approx(row["f1"], nan_ok=True)
        assert (detail.loc[frame, "min_hits"], detail.loc[frame, "threshold"]) == (2, 1.0)


def test_scores_per_outlet_are_those_of_the_outlets_units(checks, round_, corpus):
    _codes, _book, machine, expected, *_ = round_
    outlet = corpus.set_index("id")["outlet"]
    scores = checks["tone"].comparison.scores
    units = pd.Series(sorted(expected["tone"]))
    for name, group in units.groupby(units.map(outlet)):
        truth = [expected["tone"][u] for u in group]
        pred = [machine["tone"][u] for u in group]
        used = sorted(set(truth) | set(pred))
        _p, _r, f, _ = _f1(truth, pred, used, average="macro")
        got = scores.query("outlet == @name and category == 'macro'")["f1"].item()
        assert got == pytest.approx(f), name


def test_tone_is_ordinal_alpha_of_machine_and_majority(checks, round_):
    _codes, _book, machine, expected, *_ = round_
    units = sorted(expected["tone"])
    row = checks["tone"].agreement.iloc[0]
    matrix = [[machine["tone"][u] for u in units], [expected["tone"][u] for u in units]]
    assert row["level"] == "ordinal"
    assert row["alpha"] == pytest.approx(validation.alpha(matrix, level="ordinal", values=TONES))
    _p, _r, f, _ = _f1(matrix[1], matrix[0], sorted(set(matrix[0]) | set(matrix[1])), average="macro")
    assert row["f1_of"] == "macro" and row["f1"] == pytest.approx(f)


def test_calibrated_frames_are_frame_agreements_held_out_scores(checks, round_, corpus):
    _codes, _book, _machine, expected, *_ = round_
    wide = pd.DataFrame({"id": sorted(expected["conflict"]),
                         **{f: [int(expected[f][u]) for u in sorted(expected[f])] for f in FRAMES}})
    table = validation.frame_agreement(corpus, wide, folds=5, seed=1).set_index("frame")
    check = checks["calibrated_frames"]
    pd.testing.assert_frame_equal(check.detail, table.reset_index())
    for frame in FRAMES:
        row = check.comparison.scores.query("outlet == 'all' and category == @frame").iloc[0]
        assert row["f1"] == pytest.approx(table.loc[frame, "f1"], nan_ok=True)
    calibration = validation.calibration_table(checks)
    assert calibration["frame"].tolist() == [f for f in FRAMES for _ in range(2)]
    rules = calibration.set_index(["frame", "rule"])
    assert rules.loc[("conflict", "default"), "min_hits"] == 2
    assert rules.loc[("conflict", "calibrated (cross-validated)"), "min_hits"] == table.loc["conflict", "min_hits"]


def test_dominant_frame_and_classifier(checks, round_, corpus):
    _codes, _book, machine, expected, moved, _alone = round_
    units = sorted(expected["frame"])
    truth = [expected["frame"][u] for u in units]
    agreement = checks["dominant_frame"].agreement.iloc[0]
    assert agreement["alpha"] == pytest.approx(_nltk_alpha([machine["frame"][u] for u in units], truth), abs=1e-9)
    # the classifier: cross-validated on the majority labels with two or more examples, nothing else
    counts = pd.Series(truth).value_counts()
    kept = [u for u in units if counts[expected["frame"][u]] >= 2]
    coding = Coding.from_frame(pd.DataFrame({"id": kept, "label": [expected["frame"][u] for u in kept]}),
                               text_col=None, id_col="id", label_col="label", corpus=corpus)
    with pytest.warns(UserWarning):
        result = evaluate(coding, folds=5, seed=1)
    predicted = dict(zip(result.predictions["id"], result.predictions["predicted"], strict=True))
    pairs = checks["classifier"].pairs.set_index("unit")
    assert pairs["machine"].to_dict() == predicted
    assert pairs["human"].to_dict() == {u: expected["frame"][u] for u in kept}
    rare = sorted(set(counts[counts < 2].index))
    if rare:
        assert f"single example ({', '.join(repr(r) for r in rare)})" in checks["classifier"].note


def test_actor_tone_on_the_articles_that_name_the_actor(checks, round_):
    _codes, _book, machine, expected, *_ = round_
    named = sorted(u for u in expected["tone:Russia"] if u in machine["tone:Russia"])
    check = checks["actor_tone"]
    assert sorted(check.pairs["unit"]) == named
    row = check.agreement.iloc[0]
    assert row["variable"] == "tone:Russia" and row["units"] == len(named)
    matrix = [[machine["tone:Russia"][u] for u in named], [expected["tone:Russia"][u] for u in named]]
    assert row["alpha"] == pytest.approx(validation.alpha(matrix, level="ordinal", values=TONES))
    missing = len(expected["tone:Russia"]) - len(named)
    assert (f"({missing} pairs whose article never names the actor" in check.note) == (missing > 0)


def test_quoted_speakers_against_the_majority(checks, round_):
    _codes, _book, machine, expected, moved, _alone = round_
    check = checks["quoted"]
    units = sorted(expected["quoted:Russia"])
    truth = [int(expected["quoted:Russia"][u]) for u in units]
    predicted = [int(machine["quoted:Russia"][u]) for u in units]
    assert sum(predicted) > 0 and truth != predicted  # the round has quoted articles and moved codes
    p, r, f, _ = _f1(truth, predicted, labels=[1], average="binary")
    scores = check.comparison.scores.query("category == 'Russia'").iloc[0]
    assert (scores["precision"], scores["recall"], scores["f1"]) == pytest.approx((p, r, f))
    row = check.agreement.set_index("variable").loc["quoted:Russia"]
    assert row["alpha"] == pytest.approx(_nltk_alpha([str(x) for x in predicted], [str(x) for x in truth]))
    assert check.note == "30 coded articles with a majority code on all 1 quoted variables"


def test_verdicts_state_both_alphas_by_krippendorffs_rule(checks, round_):
    codes, book, *_ = round_
    agreement = validation.agreement_table(codes, book, n_boot=200, seed=1)
    table = validation.verdict_table(agreement, checks)
    assert len(table) == sum(len(c.agreement) for c in checks.values())
    for row in table.itertuples():
        human = agreement.set_index("variable").loc[row.variable]
        assert row.coders_verdict == human["verdict"] and row.coders_alpha == human["alpha"]
        word = ("reliable" if row.machine_alpha >= 0.8 else "tentative" if row.machine_alpha >= 0.667
                else "unreliable")
        assert row.machine_verdict.endswith(f": {word} by Krippendorff's 0.667/0.8 rule")
        assert row.verdict.startswith(f"Coders: {human['verdict']}. ")
        assert f"; n = {row.units} units." in row.verdict


def test_examples_list_the_units_that_split(checks, round_, corpus):
    codes, book, machine, expected, moved, alone = round_
    split = validation.coder_disagreements(codes, book, corpus, n=100)
    for variable in moved:
        listed = set(split.loc[split["variable"] == variable, "unit"])
        assert listed == moved[variable] | alone[variable]
    row = split.iloc[0]
    assert row["codes"].startswith("A: ") and " · B: " in row["codes"]
    assert row["title"] == corpus.set_index("id").loc[row["unit"], "title"]
    wrong = validation.machine_disagreements({"frames": checks["frames"]}, corpus, n=100)
    for frame in FRAMES:
        assert set(wrong.loc[wrong["variable"] == frame, "unit"]) == moved[frame]
    assert validation.machine_disagreements(checks, corpus, n=1).groupby(["measure", "variable"]).size().max() == 1


def test_measures_that_cannot_be_compared_say_why(corpus, round_):
    codes, book, *_ = round_
    tone_only = codes[codes["variable"] == "tone"]
    got = validation.check_measures(corpus, tone_only, book, measures=["frames", "classifier", "tone"], n_boot=50)
    assert not got["frames"].ran and "no frame of the scheme is coded" in got["frames"].note
    assert not got["classifier"].ran and "no variable 'frame' is coded" in got["classifier"].note
    assert got["tone"].ran
    outside = validation.check_measures(corpus.iloc[:0], codes, book, measures=["tone"], n_boot=50)
    assert outside["tone"].note.startswith("not compared: no coded unit is an article")
    with pytest.raises(ValueError, match="measure"):
        validation.check_measures(corpus, codes, book, measures=["sarcasm"])


def test_sentence_units_are_compared_for_tone_only(corpus):
    doc = corpus.iloc[:2]
    sentences = validation.units(doc, unit="sentence")
    tone = validation.vader_tone(doc, unit="sentence").set_index("unit")["label"]
    rows = [(u, c, "tone", tone[u]) for u in sentences["unit"][:8] for c in "AB"]
    codes = pd.DataFrame(rows, columns=["unit", "coder", "variable", "value"])
    got = validation.check_measures(corpus, codes, validation.tone_codebook(), measures=["tone", "frames"], n_boot=50)
    assert got["tone"].ran and got["tone"].note.startswith("8 coded sentences")
    assert got["tone"].comparison.score("f1", "micro") == 1.0
    assert "the coded units are sentences" in got["frames"].note
    assert validation.unit_kind(codes, corpus) == "sentence"


def test_frame_coding_is_the_wide_majority_table(round_):
    codes, _book, _machine, expected, *_ = round_
    wide = validation.frame_coding(codes, FRAMES)
    assert wide.columns.tolist() == ["id", *FRAMES]
    for frame in FRAMES:
        assert dict(zip(wide["id"], wide[frame].astype(str), strict=True)) == expected[frame]
