"""Machine against human: scores against scikit-learn, intervals, per outlet; the measure adapters."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import precision_recall_fscore_support

from newslens import bootstrap
from newslens.validation.compare import compare, consensus, consensus_presence
from newslens.validation.measures import MEASURES, cv_labels, frame_presence, tone_class, vader_tone


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=1, max_size=40))
def test_label_scores_equal_sklearn(pairs):
    human = pd.DataFrame({"unit": [f"u{k}" for k in range(len(pairs))], "label": [p[0] for p in pairs]})
    machine = pd.DataFrame({"unit": human["unit"], "label": [p[1] for p in pairs]})
    r = compare(machine, human, n_boot=20)
    labels = list(r.labels)
    scores = r.scores.set_index("category")
    for average, name in ((None, None), ("macro", "macro"), ("micro", "micro")):
        p, rc, f, _ = precision_recall_fscore_support(human["label"], machine["label"], labels=labels,
                                                      average=average, zero_division=0)
        got = scores.loc[labels if name is None else name]
        np.testing.assert_allclose(got["precision"], p, atol=1e-12)
        np.testing.assert_allclose(got["recall"], rc, atol=1e-12)
        np.testing.assert_allclose(got["f1"], f, atol=1e-12)
    conf = r.confusion.pivot(index="human", columns="machine", values="n").loc[labels, labels]
    pd.testing.assert_frame_equal(conf, pd.crosstab(human["label"], machine["label"]).reindex(
        index=labels, columns=labels, fill_value=0), check_names=False, check_dtype=False)


def test_presence_scores_equal_sklearn_multilabel():
    rng = np.random.default_rng(0)
    h, m = rng.integers(0, 2, (60, 3)), rng.integers(0, 2, (60, 3))
    cats = ["eco", "peace", "war"]

    def table(x):
        return pd.DataFrame({"unit": np.repeat([f"u{k}" for k in range(60)], 3), "category": cats * 60,
                             "present": x.ravel()})

    r = compare(table(m), table(h), n_boot=50)
    for average, name in (("macro", "macro"), ("micro", "micro")):
        p, rc, f, _ = precision_recall_fscore_support(h, m, average=average, zero_division=0)
        assert r.score("precision", name) == pytest.approx(p)
        assert r.score("recall", name) == pytest.approx(rc)
        assert r.score("f1", name) == pytest.approx(f)
    war = r.confusion[r.confusion["category"] == "war"].set_index(["human", "machine"])["n"]
    assert war[("yes", "yes")] == int(((h[:, 2] == 1) & (m[:, 2] == 1)).sum())


def test_intervals_are_a_bootstrap_over_units_and_per_outlet():
    rng = np.random.default_rng(2)
    n = 80
    human = pd.DataFrame({"unit": [f"u{k:02d}" for k in range(n)], "label": rng.choice(["neg", "pos"], n),
                          "outlet": rng.choice(["X", "Y"], n)})
    flip = rng.random(n) < np.where(human["outlet"] == "X", 0.1, 0.4)
    machine = human.assign(label=np.where(flip, np.where(human["label"] == "pos", "neg", "pos"), human["label"]))
    r = compare(machine.drop(columns="outlet"), human, by="outlet", n_boot=300, seed=7)
    assert r.scores["outlet"].unique().tolist() == ["all", "X", "Y"]
    assert r.score("f1", "micro", "X") > r.score("f1", "micro", "Y")
    x = human["outlet"] == "X"
    alone = compare(machine[x], human[x], n_boot=300, seed=7).scores.set_index("category")
    per_outlet = r.scores[r.scores["outlet"] == "X"].set_index("category")
    columns = ["n", "support", "predicted", "precision", "recall", "f1"]
    pd.testing.assert_frame_equal(alone[columns], per_outlet[columns])
    # slow reference for the pooled micro-F1 interval: accuracy on each resample
    units = sorted(human["unit"])
    agree = (machine.set_index("unit").loc[units, "label"] == human.set_index("unit").loc[units, "label"]).to_numpy()
    draws = np.concatenate(list(bootstrap.resample(n, n_boot=300, rng=bootstrap.group_rng(7, ("all",)))))
    acc = agree[draws].mean(axis=1)
    row = r.scores[(r.scores["outlet"] == "all") & (r.scores["category"] == "micro")].iloc[0]
    assert (row["f1_low"], row["f1_high"]) == pytest.approx(tuple(np.quantile(acc, [0.025, 0.975])))
    assert row["f1_low"] <= row["f1"] <= row["f1_high"]


def test_units_on_one_side_are_listed_not_dropped_silently():
    human = pd.DataFrame({"unit": ["a", "b", "c"], "label": ["x", "y", None]})
    machine = pd.DataFrame({"unit": ["a", "b", "d"], "label": ["x", "x", "y"]})
    r = compare(machine, human, n_boot=10)
    assert r.scores["n"].iloc[0] == 2
    assert r.unmatched.values.tolist() == [["c", "human", "no label"], ["d", "machine", "only in the machine codes"]]
    with pytest.raises(ValueError, match="categories not in labels="):
        compare(machine, human, labels=["x"])


def test_consensus_majority_and_ties():
    codes = pd.DataFrame({"unit": list("aaabbcc"), "coder": list("ABCABAB"), "variable": ["f"] * 7,
                          "value": list("1101" "011")})
    table = consensus(codes, "f")
    assert table[["unit", "label", "coders"]].values.tolist() == [["a", "1", 3], ["c", "1", 2]]
    assert table.attrs["ties"] == ["b"]
    presence = consensus_presence(codes, ["f"])
    assert presence.values.tolist() == [["a", "f", 1], ["c", "f", 1]] and presence.attrs["ties"] == ["b"]


def test_tone_classes_at_vaders_thresholds():
    assert tone_class([0.05, 0.049, -0.049, -0.05, np.nan]).tolist()[:4] == ["positive", "neutral", "neutral",
                                                                            "negative"]


def test_adapters_give_codes_compare_reads():
    docs = pd.DataFrame({"id": ["a", "b", "c"], "outlet": ["X", "X", "Y"], "title": ["", "", ""],
                         "text": ["A wonderful, happy success. Great joy.", "A terrible, deadly war.",
                                  "The committee met on Tuesday."]})
    tone = vader_tone(docs)
    assert tone[["unit", "outlet", "label"]].values.tolist() == [["a", "X", "positive"], ["b", "X", "negative"],
                                                                 ["c", "Y", "neutral"]]
    sentences = vader_tone(docs, unit="sentence")
    assert sentences["unit"].tolist()[:2] == ["a:body:0", "a:body:1"]
    human = pd.DataFrame({"unit": ["a", "b", "c"], "label": ["positive", "negative", "negative"]})
    r = compare(tone, human, by="outlet", n_boot=20)
    assert r.score("f1", "micro") == pytest.approx(2 / 3)
    presence = frame_presence(docs)
    assert set(presence.columns) == {"unit", "outlet", "category", "present"} and len(presence) == 15
    assert MEASURES["actor_tone"].keys == ("unit", "actor") and MEASURES["frames"].shape == "presence"


def test_cv_labels_are_out_of_fold_predictions():
    from newslens.framing import Coding, evaluate

    coding = Coding.from_frame(pd.DataFrame({
        "text": ["war troops", "troops attack", "attack war", "budget costs", "costs tax", "tax budget"],
        "frame": ["security"] * 3 + ["economic"] * 3}), text_col="text", label_col="frame")
    result = evaluate(coding, folds=3)
    machine, human = cv_labels(result)
    r = compare(machine, human, n_boot=20)
    assert r.score("f1", "micro") == pytest.approx(result.metric("accuracy"))
    assert machine["unit"].tolist() == [f"row {k}" for k in range(1, 7)]


def test_actor_tone_and_dominant_frame_adapters():
    from newslens.validation.measures import actor_tone_labels, frame_dominant, human_actor_tone

    docs = pd.DataFrame({"id": ["a", "b"], "outlet": ["X", "Y"], "title": ["", ""],
                         "text": ["NATO did a wonderful, excellent job. The Kremlin was terrible and cruel.",
                                  "Costs and budget costs rose; the budget crisis costs jobs."]})
    machine = actor_tone_labels(docs)
    got = {(r.unit, r.actor): r.label for r in machine.itertuples()}
    assert got[("a", "NATO")] == "positive" and got[("a", "Russia")] == "negative"  # the Kremlin counts for Russia
    codes = pd.DataFrame({"unit": ["a"] * 4, "coder": ["A", "B"] * 2,
                          "variable": ["tone:NATO"] * 2 + ["tone:Russia"] * 2,
                          "value": ["positive", "positive", "neutral", "neutral"]})
    r = compare(machine, human_actor_tone(codes), on=("unit", "actor"), n_boot=20)
    assert r.scores["n"].iloc[0] == 2 and r.score("f1", "micro") == 0.5
    dominant = frame_dominant(docs)
    assert dominant.set_index("unit").loc["b", "label"] == "economic_consequences"


def test_a_category_no_one_uses_has_no_score_and_stays_out_of_macro():
    """labels= may list a category the sample never shows: perfect agreement still scores 1, not 2/3."""
    human = pd.DataFrame({"unit": [f"u{k}" for k in range(6)], "label": list("aabbab"),
                          "outlet": list("XXXYYY")})  # fmt: skip
    perfect = compare(human.drop(columns="outlet"), human, labels=["a", "b", "c"], n_boot=50)
    scores = perfect.scores.set_index("category")
    assert scores.loc["macro", ["precision", "recall", "f1"]].tolist() == [1.0, 1.0, 1.0]
    assert scores.loc["macro", ["f1_low", "f1_high"]].tolist() == [1.0, 1.0]
    assert scores.loc["c", ["precision", "recall", "f1", "f1_low"]].isna().all()
    assert (scores.loc["c", "support"], scores.loc["c", "predicted"]) == (0, 0)
    machine = human.assign(label=list("abbbba")).drop(columns="outlet")
    r = compare(machine, human, by="outlet", labels=["a", "b", "c"], n_boot=50)
    for group, rows in (("all", slice(None)), ("X", slice(0, 3)), ("Y", slice(3, 6))):
        h, m = human["label"][rows], machine["label"][rows]
        used = sorted(set(h) | set(m))  # the categories either side uses in the group
        p, rc, f, _ = precision_recall_fscore_support(h, m, labels=used, average="macro", zero_division=0)
        assert (r.score("precision", "macro", group), r.score("recall", "macro", group)) == (pytest.approx(p),
                                                                                          pytest.approx(rc))
        assert r.score("f1", "macro", group) == pytest.approx(f)
    presence = pd.DataFrame({"unit": ["a", "a", "b", "b"], "category": ["war", "eco"] * 2, "present": [1, 0, 0, 0]})
    assert compare(presence, presence, n_boot=20).score("f1", "macro") == 1.0  # 'eco' is absent everywhere


def test_confusion_of_one_group():
    human = pd.DataFrame({"unit": list("abc"), "label": list("xyx"), "outlet": list("PPQ")})
    r = compare(human.assign(label=list("xxx")).drop(columns="outlet"), human, by="outlet", n_boot=10)
    assert r.confusion_of("Q").values.tolist() == [["x", "x", 1], ["x", "y", 0], ["y", "x", 0], ["y", "y", 0]]
    assert r.confusion_of().equals(r.confusion[r.confusion["outlet"] == "all"].drop(columns="outlet")
                                   .reset_index(drop=True))
    with pytest.raises(KeyError, match="no confusion table for group 'R'"):
        r.confusion_of("R")


def test_generic_dominant_codebook_holds_the_label_of_articles_without_a_frame():
    """frame_dominant says 'none' where no frame is present: coders must be able to say so too."""
    from newslens.validation.codebook import frame_codebook
    from newslens.validation.measures import frame_dominant

    docs = pd.DataFrame({"id": ["a", "b"], "title": ["", ""],
                         "text": ["War, conflict, clashes and tension everywhere.", "The committee met on Tuesday."]})
    machine = frame_dominant(docs)
    assert machine["label"].tolist() == ["conflict", "none"]
    values = frame_codebook("generic", coding="dominant")["value"].tolist()
    human = machine.assign(label=["conflict", "none"])
    assert compare(machine, human, labels=values, n_boot=10).score("f1", "macro") == 1.0
    assert "none" not in frame_codebook("policy", coding="dominant")["value"].tolist()  # its residual is 'other'


def test_actor_tone_rolls_leaders_up_like_the_sentiment_report():
    from newslens.validation.measures import actor_tone_labels

    docs = pd.DataFrame({"id": ["a"], "outlet": ["X"], "title": [""],
                         "text": ["Putin made a terrible, cruel threat."]})
    assert actor_tone_labels(docs)["actor"].tolist() == ["Putin"]
    rolled = actor_tone_labels(docs, rollup=True)
    assert rolled[["actor", "label"]].values.tolist() == [["Russia", "negative"]]


def test_quoted_speakers_against_coders_by_hand():
    from newslens.validation import consensus_presence, quoted_speakers

    docs = pd.DataFrame({
        "id": ["a", "b", "c", "d"], "outlet": ["X", "X", "Y", "Y"],
        "text": ['"We will respond," Lavrov said.', "Putin said the talks had failed.",
                 "A senior official said the plan was dead.", "Rain fell on Tuesday."],
    })
    machine = quoted_speakers(docs, categories=["Lavrov", "Putin"])
    assert machine[["unit", "outlet", "category", "present"]].values.tolist() == [
        ["a", "X", "Lavrov", 1], ["a", "X", "Putin", 0], ["b", "X", "Lavrov", 0], ["b", "X", "Putin", 1],
        ["c", "Y", "Lavrov", 0], ["c", "Y", "Putin", 0], ["d", "Y", "Lavrov", 0], ["d", "Y", "Putin", 0]]
    roles = quoted_speakers(docs, by="role")
    assert roles.query("present == 1")[["unit", "category"]].values.tolist() == [
        ["a", "official"], ["b", "official"], ["c", "unnamed"]]
    # two coders agree everywhere and see Putin quoted in d, which the machine misses
    human_rows = {("a", "Lavrov"): "1", ("b", "Putin"): "1", ("d", "Putin"): "1"}
    codes = pd.DataFrame([(u, coder, v, human_rows.get((u, v), "0"))
                          for u in "abcd" for v in ("Lavrov", "Putin") for coder in ("A", "B")],
                         columns=["unit", "coder", "variable", "value"])
    r = compare(machine, consensus_presence(codes, ["Lavrov", "Putin"]), n_boot=20)
    assert r.score("precision", "Putin") == 1.0
    assert r.score("recall", "Putin") == 0.5
    assert r.score("f1", "Putin") == pytest.approx(2 / 3)
    assert r.score("f1", "Lavrov") == 1.0
