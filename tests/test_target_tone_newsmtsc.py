"""bench/eval_newsmtsc.py's scoring, and newslens.target_tone on a slice of NewsMTSC train.

The data tests need the project's shared eval folder (``../shared/eval/newsmtsc``, not
redistributed) and are skipped without it; the full figures come from ``bench/eval_newsmtsc.py``
(``make eval``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from newslens import bootstrap
from newslens.sentiment import vader
from newslens.target_tone import target_tone
from shared_data import EVAL, bench_module

DATA = EVAL / "newsmtsc" / "train.jsonl"
needs_data = pytest.mark.skipif(not DATA.is_file(), reason=f"NewsMTSC not available at {DATA} "
                                "(only in the project's shared eval folder)")  # fmt: skip


def test_scores_match_scikit_learn():
    ev = bench_module("eval_newsmtsc")
    rng = np.random.default_rng(3)
    for n in (1, 7, 200):
        gold, pred = rng.integers(0, 3, n), rng.integers(0, 3, n)
        pred[: n // 3] = 1  # some classes may be missing from either side
        point = ev.rates(np.bincount(gold * 3 + pred, minlength=9).reshape(3, 3))
        p, r, f, _ = precision_recall_fscore_support(gold, pred, labels=[0, 1, 2], zero_division=0)
        np.testing.assert_allclose(point["precision"], p)
        np.testing.assert_allclose(point["recall"], r)
        np.testing.assert_allclose(point["f1"], f)
        assert ev.macro_f1(gold, pred) == pytest.approx(f1_score(gold, pred, labels=[0, 1, 2], average="macro",
                                                                 zero_division=0))  # fmt: skip
        assert float(point["accuracy"]) == pytest.approx(accuracy_score(gold, pred))


def test_the_bootstrap_draws_whole_sentences():
    ev = bench_module("eval_newsmtsc")
    units = np.array([0, 0, 1, 2, 2, 2])
    gold, pred = np.array([0, 1, 2, 0, 0, 1]), np.array([0, 1, 1, 0, 2, 1])
    per_unit = ev.unit_confusions(units, gold, pred)
    assert per_unit.sum(axis=1).tolist() == [2, 1, 3]
    counts = bootstrap.counts(3, n_boot=50, rng=np.random.default_rng(0))
    for row, resample in zip(counts @ per_unit, counts, strict=True):
        drawn = np.repeat(np.arange(3), resample)  # the sentences drawn, each with all its targets
        take = np.concatenate([np.flatnonzero(units == u) for u in drawn])
        assert row.tolist() == np.bincount(gold[take] * 3 + pred[take], minlength=9).tolist()


def test_folds_keep_identical_sentences_together():
    ev = bench_module("eval_newsmtsc")
    texts = pd.Series(["a", "b", "c", "a", "d", "e", "f", "b", "g", "h"])
    folds = ev.folds_of(texts, 2, 12)
    assert folds[0] == folds[3] and folds[1] == folds[7]
    assert sorted(np.bincount([folds[texts.tolist().index(t)] for t in sorted(set(texts))])) == [4, 4]
    assert folds.tolist() == ev.folds_of(texts.iloc[::-1].reset_index(drop=True), 2, 12)[::-1].tolist()


@needs_data
def test_targets_are_read_with_exact_offsets():
    ev = bench_module("eval_newsmtsc")
    sents, targets = ev.load(DATA)
    assert (len(sents), len(targets)) == (7758, 8739)
    assert targets["gold"].value_counts().to_dict() == {"negative": 3316, "neutral": 3028, "positive": 2395}
    rows = targets.merge(sents, on="sid", validate="many_to_one")
    assert all(s[a:b] == m for s, a, b, m in zip(rows["sentence"], rows["start"], rows["end"], rows["mention"],
                                                 strict=True))  # fmt: skip


@needs_data
def test_target_tone_beats_sentence_vader_on_held_out_sentences():
    """The library defaults (chosen on the tuning half) against the sentence compound, on 1,500 held-out targets."""
    ev = bench_module("eval_newsmtsc")
    sents, targets = ev.load(DATA)
    rows = targets.merge(sents, on="sid", validate="many_to_one")
    held_out = rows[ev.folds_of(rows["sentence"], 2, 12) == 1].head(1500)
    gold = pd.Categorical(held_out["gold"], categories=ev.CLASSES).codes.astype(np.int64)
    baseline = ev.classes(vader(held_out["sentence"])["compound"].to_numpy())
    scored = target_tone(sents[sents["sid"].isin(held_out["sid"])], held_out[["sid", "tid", "start", "end", "mention"]],
                         on="sid")  # fmt: skip
    assert scored["problem"].isna().all()
    improved = ev.classes(scored.set_index("tid").loc[held_out["tid"], "compound"].to_numpy())
    base_f1, new_f1 = ev.macro_f1(gold, baseline), ev.macro_f1(gold, improved)
    assert new_f1 > base_f1 + 0.02, (base_f1, new_f1)
