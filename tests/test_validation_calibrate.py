"""Calibration of frame presence rules: cross-validated, never in-sample; the calibrated scheme file."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold

from newslens.dictionary import Dictionary
from newslens.framing import frame_scores, load_scheme
from newslens.validation.calibrate import MIN_HITS, THRESHOLDS, frame_agreement, rule_agreement, write_scheme

ECO = Dictionary.from_mapping({"eco": {"patterns": ["cost*"], "label": "Economic", "description": "Money."},
                               "war": {"patterns": ["war"], "label": "War", "description": "Fighting."}},
                              name="toy")


def corpus(hits_eco, hits_war, length=100):
    texts = [" ".join(["cost"] * e + ["war"] * w + ["filler"] * (length - e - w)) for e, w in zip(hits_eco, hits_war)]
    return pd.DataFrame({"id": [f"a{k:03d}" for k in range(len(texts))], "title": "", "text": texts})


def test_learns_the_coders_rule_and_beats_the_default():
    rng = np.random.default_rng(0)
    eco, war = rng.integers(0, 6, 60), rng.integers(0, 4, 60)
    docs = corpus(eco, war)
    coding = pd.DataFrame({"id": docs["id"], "eco": (eco >= 3).astype(int), "war": (war >= 1).astype(int)})
    calibrated = frame_agreement(docs, coding, scheme=ECO, folds=5, seed=0).set_index("frame")
    default = rule_agreement(docs, coding, scheme=ECO).set_index("frame")
    assert calibrated.loc["eco", ["precision", "recall", "f1"]].tolist() == [1.0, 1.0, 1.0]
    assert (calibrated.loc["eco", "min_hits"], calibrated.loc["eco", "threshold"]) == (3, 0.0)
    assert (calibrated.loc["war", "min_hits"], calibrated.loc["war", "f1"]) == (1, 1.0)
    assert default.loc["eco", "precision"] < 1 and default.loc["war", "recall"] < 1
    assert (default.loc["eco", "min_hits"], default.loc["eco", "threshold"]) == (2, 1.0)
    assert calibrated.index.tolist() == ["eco", "war", "macro"]
    assert calibrated.loc["macro", "f1"] == 1.0 and calibrated.loc["macro", "n"] == 60


def reference_cv(hits, rates, truth, folds, seed):
    """Slow obvious cross-validation: loop over the grid in (min_hits, threshold) order, keep the first best."""
    def f1(pred, t):
        tp, fp, fn = (pred & t).sum(), (pred & ~t).sum(), (~pred & t).sum()
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0

    predicted = np.zeros(len(truth), dtype=bool)
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(hits):
        best, rule = -1.0, None
        for mh in MIN_HITS:
            for th in THRESHOLDS:
                score = f1((hits[train] >= mh) & (rates[train] >= th), truth[train])
                if score > best:
                    best, rule = score, (mh, th)
        predicted[test] = (hits[test] >= rule[0]) & (rates[test] >= rule[1])
    return f1(predicted, truth), best


def test_scores_are_held_out_not_in_sample():
    rng = np.random.default_rng(3)
    eco = rng.integers(0, 8, 80)
    docs = corpus(eco, np.zeros(80, dtype=int), length=rng.integers(20, 200, 80).max())
    truth = (rng.random(80) < 0.2 + 0.08 * eco)  # noisy coders: presence only loosely tied to hits
    coding = pd.DataFrame({"id": docs["id"], "eco": truth.astype(int)})
    got = frame_agreement(docs, coding, scheme=ECO, folds=4, seed=2).set_index("frame").loc["eco", "f1"]
    rates = 1000 * eco / len(docs["text"].iloc[0].split())
    expected, _ = reference_cv(eco.astype(float), rates, truth, 4, 2)
    assert got == pytest.approx(expected)
    in_sample = max(
        (2 * ((p := (eco >= mh) & (rates >= th)) & truth).sum()) / (p.sum() + truth.sum())
        for mh in MIN_HITS for th in THRESHOLDS)
    assert got < in_sample  # the in-sample optimum flatters the rule; it is not what is reported


def test_calibrated_scheme_file_loads_and_gives_the_calibrated_presence(tmp_path):
    rng = np.random.default_rng(0)
    eco, war = rng.integers(0, 6, 40), rng.integers(0, 4, 40)
    docs = corpus(eco, war)
    coding = pd.DataFrame({"id": docs["id"], "eco": (eco >= 4).astype(int)})  # war not coded: keeps the default
    agreement = frame_agreement(docs, coding, scheme=ECO, folds=4)
    path = write_scheme(agreement, tmp_path / "calibrated.yml", scheme=ECO)
    scheme = load_scheme(path)
    assert scheme.dictionary.meta["eco"]["presence"] == {"min_hits": 4, "threshold": 0.0}
    assert "presence" not in scheme.dictionary.meta["war"]
    assert scheme.dictionary.meta["eco"]["description"] == "Money."
    scores = frame_scores(docs, path, min_hits=2, threshold=1.0).pivot(index="id", columns="frame", values="present")
    assert (scores["eco"].to_numpy() == (eco >= 4)).all()  # the file's rule, not the call's
    assert (scores["war"].to_numpy() == (war >= 2)).all()  # frames without a rule keep the call's
    assert rule_agreement(docs, coding, scheme=path).set_index("frame").loc["eco", "f1"] == 1.0
    assert "# Frame scheme calibrated" in path.read_text()


def test_policy_scheme_keeps_its_residual_frame(tmp_path):
    coding = pd.DataFrame({"id": ["a000", "a001"], "economic": [1, 0]})
    docs = pd.DataFrame({"id": ["a000", "a001"], "text": ["budget costs tax budget economy", "nothing here at all"]})
    rows = rule_agreement(docs, coding, scheme="policy")
    path = write_scheme(rows.assign(min_hits=1, threshold=0.0).iloc[:1], tmp_path / "p.yml", scheme="policy")
    assert load_scheme(path).residual == "other"
    assert load_scheme(path).frames == load_scheme("policy").frames


def test_bad_coding_tables_are_named():
    docs = corpus([1, 2], [0, 0])
    with pytest.raises(ValueError, match=r"must hold 0 or 1; not so in row\(s\) \[3\]"):
        rule_agreement(docs, pd.DataFrame({"id": docs["id"], "eco": [1, 2]}), scheme=ECO)
    with pytest.raises(ValueError, match="not in the corpus: zzz"):
        rule_agreement(docs, pd.DataFrame({"id": ["zzz"], "eco": [1]}), scheme=ECO)
    with pytest.raises(ValueError, match="no column named after a frame"):
        rule_agreement(docs, pd.DataFrame({"id": docs["id"], "other": [1, 0]}), scheme=ECO)
