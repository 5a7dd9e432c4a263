"""Supervised frame classifier: coding files, cross-validated metrics, saved models."""

import io
import json
import os
import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold, cross_val_predict, cross_val_score
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

import newslens
from newslens.framing import (
    TRUSTED_TYPES,
    Coding,
    CodingError,
    FrameClassifier,
    ModelFileError,
    baseline_pipeline,
    classification_metrics,
    cv_folds,
    default_pipeline,
    evaluate,
    load_model,
    predict,
    read_coding,
    train,
)

FIXTURES = Path(__file__).parent / "fixtures" / "framing"


def test_metrics_hand_computed():
    summary, per, confusion = classification_metrics(["a", "a", "b", "b"], ["a", "b", "b", "b"], labels=["a", "b"])
    s = summary.set_index("metric")["value"]
    assert s["accuracy"] == 0.75
    # a: P 1/1, R 1/2, F1 2/3; b: P 2/3, R 2/2, F1 0.8; macro-F1 (2/3 + 0.8) / 2
    assert s["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)
    assert per.values.tolist() == [["a", 1.0, 0.5, pytest.approx(2 / 3), 2], ["b", pytest.approx(2 / 3), 1.0,
                                                                            pytest.approx(0.8), 2]]
    assert confusion.values.tolist() == [["a", "a", 1], ["a", "b", 1], ["b", "a", 0], ["b", "b", 2]]


def test_multilabel_metrics_hand_computed():
    true = [("a",), ("a", "b"), ("b",)]
    pred = [("a",), ("a",), ("a", "b")]
    summary, per, confusion = classification_metrics(true, pred, labels=["a", "b"], multilabel=True)
    s = summary.set_index("metric")["value"]
    assert s["subset_accuracy"] == pytest.approx(1 / 3)
    assert s["hamming_loss"] == pytest.approx(2 / 6)  # two wrong cells of six
    assert s["micro_f1"] == pytest.approx(0.75)  # tp 3, fp 1, fn 1
    assert s["macro_f1"] == pytest.approx((0.8 + 2 / 3) / 2)  # a: tp2 fp1 fn0; b: tp1 fp0 fn1
    assert per["support"].tolist() == [2, 2]
    a = confusion.loc[confusion["label"] == "a"].set_index(["true", "predicted"])["n"]
    assert a[("yes", "yes")] == 2 and a[("no", "yes")] == 1 and a[("yes", "no")] == 0 and a[("no", "no")] == 0


def test_separable_fixture_is_perfect():
    coding = read_coding(FIXTURES / "coding_separable.csv")
    assert coding.labels == ("economy", "human", "security") and not coding.multilabel
    result = evaluate(coding, folds=3, seed=0)
    assert result.metric("accuracy") == 1.0 and result.metric("macro_f1") == 1.0
    assert result.per_class["support"].tolist() == [6, 6, 6]
    diagonal = result.confusion.loc[result.confusion["true"] == result.confusion["predicted"], "n"]
    assert diagonal.tolist() == [6, 6, 6] and result.confusion["n"].sum() == 18
    assert sorted(result.predictions["fold"].value_counts().tolist()) == [6, 6, 6]


def _noisy_coding(seed: int = 1) -> Coding:
    rng = np.random.default_rng(seed)
    vocab = {"war": ["missile", "troops", "strike", "army"], "money": ["budget", "tax", "prices", "deficit"],
             "people": ["family", "children", "mother", "grief"]}
    shared = ["today", "official", "report", "week", "city", "said"]
    rows = []
    for label, words in vocab.items():
        for _ in range(20):
            own = rng.choice(words, size=2).tolist()
            noise = rng.choice(shared + [w for ws in vocab.values() for w in ws], size=4).tolist()
            rows.append((" ".join(own + noise), label))
    table = pd.DataFrame(rows, columns=["text", "frame"])
    return Coding.from_frame(table, text_col="text", label_col="frame")


def test_cross_validation_matches_sklearn_oracle():
    coding = _noisy_coding()
    result = evaluate(coding, folds=5, seed=0)
    x, y = coding.data["text"].to_numpy(dtype=object), coding.y
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    oracle_pred = cross_val_predict(default_pipeline(), x, y, cv=cv)
    assert result.predictions["predicted"].tolist() == list(oracle_pred)
    oracle_scores = cross_val_score(default_pipeline(), x, y, cv=cv, scoring="f1_macro")
    assert result.per_fold["macro_f1"].to_numpy() == pytest.approx(oracle_scores)
    assert result.metric("macro_f1_fold_mean") == pytest.approx(oracle_scores.mean())
    assert result.metric("accuracy") == pytest.approx(np.mean(oracle_pred == y))
    assert 0.5 < result.metric("macro_f1") < 1.0  # noisy on purpose: not a trivially perfect score


def test_evaluation_is_deterministic_and_seeded():
    coding = _noisy_coding()
    a, b = evaluate(coding, seed=3), evaluate(coding, seed=3)
    pd.testing.assert_frame_equal(a.predictions, b.predictions)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    folds0 = [t.tolist() for _, t in cv_folds(coding, seed=0)]
    folds1 = [t.tolist() for _, t in cv_folds(coding, seed=1)]
    assert folds0 != folds1


def test_missing_label_column_lists_available_columns():
    path = FIXTURES / "coding_missing_label.csv"
    with pytest.raises(CodingError, match=r"coding_missing_label.csv: column 'frame' not found; "
                                          r"available columns: text, code"):
        read_coding(path)


def test_unknown_ids_are_listed_and_counted():
    corpus = newslens.load_corpus(FIXTURES / "mini_corpus.jsonl")
    with pytest.raises(CodingError, match=r"coding_unknown_ids.csv: 2 article id\(s\) not in the corpus: "
                                          r"eeeeeeeeeeeeeeee, ffffffffffffffff"):
        read_coding(FIXTURES / "coding_unknown_ids.csv", text_col=None, id_col="id", corpus=corpus)


def test_ids_take_texts_from_the_corpus():
    corpus = newslens.load_corpus(FIXTURES / "mini_corpus.jsonl")
    coding = read_coding(FIXTURES / "coding_ids.csv", text_col=None, id_col="id", corpus=corpus)
    first = coding.data.iloc[0]
    assert first["id"] == "2ebe991d5c8dcfed"
    assert first["text"] == "Red lines and costs\n\nThe clash over red lines. War costs money. The budget."
    # two of the four articles have no title: with text="title" they have no text and are skipped
    with pytest.warns(UserWarning, match=r"skipped 2 row\(s\) without text or label: rows 2, 4"):
        titles = read_coding(FIXTURES / "coding_ids.csv", text_col=None, id_col="id", corpus=corpus, text="title")
    assert titles.data["text"].tolist() == ["Red lines and costs", "Budget"]


def test_single_class_cannot_train():
    with pytest.raises(CodingError, match=r"coding_single_class.csv: only one label \('security'\).*cannot train"):
        read_coding(FIXTURES / "coding_single_class.csv")


def test_empty_rows_are_reported_and_skipped():
    path = FIXTURES / "coding_empty_rows.csv"
    with pytest.warns(UserWarning, match=r"skipped 2 row\(s\) without text or label: rows 2, 4"):
        coding = read_coding(path)
    assert coding.problems.values.tolist() == [[str(path), 2, "no text; row skipped"],
                                               [str(path), 4, "no label; row skipped"]]
    assert coding.data["row"].tolist() == [1, 3, 5, 6, 7, 8]


def test_rare_labels_reduce_folds_or_fail():
    table = pd.DataFrame({"text": ["a b", "c d", "e f", "g h", "i j", "k l", "m n"],
                          "frame": ["x", "x", "x", "x", "y", "y", "y"]})
    coding = Coding.from_frame(table, source="rare.csv")
    expected = r"rare.csv: labels with fewer examples than folds=5: 'x' \(4\), 'y' \(3\); using 3 folds"
    with pytest.warns(UserWarning, match=expected):
        folds = cv_folds(coding, folds=5)
    assert len(folds) == 3
    single = Coding.from_frame(pd.concat([table, pd.DataFrame({"text": ["o p"], "frame": ["z"]})]), source="one.csv")
    with pytest.raises(CodingError, match=r"one.csv: cross-validation needs at least 2 examples per label; "
                                          r"too few: 'z' \(1\)"):
        evaluate(single)


def test_multilabel_from_one_or_several_columns():
    one = read_coding(FIXTURES / "coding_multilabel.csv")
    two = read_coding(FIXTURES / "coding_two_columns.csv", label_col=["frame1", "frame2"])
    assert one.multilabel and two.multilabel
    assert [sorted(x) for x in one.data["labels"]] == [sorted(x) for x in two.data["labels"]]
    result = evaluate(one, folds=4, seed=0)
    metrics = set(result.summary["metric"])
    assert {"subset_accuracy", "micro_f1", "macro_f1", "hamming_loss"} <= metrics
    assert sorted(result.predictions["fold"].tolist()) == sorted([1, 2, 3, 4] * 3)
    # every fold holds one row of each label set (4 rows per set, 4 folds)
    for _, test in cv_folds(one, folds=4, seed=0):
        assert sorted("|".join(sorted(one.data["labels"].iloc[i])) for i in test) == [
            "economy", "economy|security", "security"]
    assert result.metric("hamming_loss") <= 0.25


def test_train_save_load_predict(tmp_path):
    coding = read_coding(FIXTURES / "coding_separable.csv")
    model = train(coding, folds=3, seed=0)
    meta = model.metadata
    assert meta["labels"] == ["economy", "human", "security"] and meta["n"] == 18
    assert meta["cv"]["accuracy"] == 1.0 and meta["parameters"]["folds"] == 3
    assert meta["coding_file"].endswith("coding_separable.csv") and len(meta["coding_sha256"]) == 64
    assert {"trained_at", "sklearn_version", "newslens_version", "label_counts"} <= set(meta)
    path = model.save(tmp_path / "models" / "frames-model.zip")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to warn about: no pickle is opened
        loaded = load_model(path)
    assert loaded.labels == model.labels and loaded.multilabel is False and loaded.metadata == meta
    docs = pd.DataFrame({"id": ["n1", "n2"], "title": ["", ""],
                         "text": ["Missile strike on the army base", "The budget and tax prices"]})
    before, after = predict(model, docs), predict(loaded, docs)
    pd.testing.assert_frame_equal(before, after, check_exact=True)
    assert before.groupby("id")["probability"].sum().to_numpy() == pytest.approx([1.0, 1.0])
    chosen = before.loc[before["predicted"], ["id", "label"]].values.tolist()
    assert chosen == [["n1", "security"], ["n2", "economy"]]


def test_model_file_is_skops_pipeline_plus_json_metadata(tmp_path):
    coding = read_coding(FIXTURES / "coding_multilabel.csv")
    model = train(coding, folds=None)
    path = model.save(tmp_path / "multi.zip")
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["metadata.json", "pipeline.skops"]
        header = json.loads(archive.read("metadata.json"))
        pipeline = skops.io.loads(archive.read("pipeline.skops"), trusted=[])  # skops alone can read it
    assert header == {"format": "newslens-frame-classifier", "format_version": 1, "labels": ["economy", "security"],
                      "multilabel": True, "training": model.metadata}
    texts = ["Missile costs drain the budget", "Troops and tanks", "Tax rises"]
    assert np.array_equal(pipeline.predict_proba(texts), model.pipeline.predict_proba(texts))
    loaded = load_model(path)
    docs = pd.DataFrame({"id": ["a", "b", "c"], "text": texts})
    pd.testing.assert_frame_equal(predict(model, docs), predict(loaded, docs), check_exact=True)


def _schema_types(path):
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(io.BytesIO(archive.read("pipeline.skops"))) as inner:
        schema = json.loads(inner.read("schema.json"))
    found, stack = set(), [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__module__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def test_trusted_types_are_exactly_the_parts_of_the_shipped_pipelines(tmp_path):
    used = set()
    for name in ("coding_separable.csv", "coding_multilabel.csv"):
        coding = read_coding(FIXTURES / name)
        for pipeline in (None, baseline_pipeline(multilabel=coding.multilabel)):
            path = train(coding, folds=None, pipeline=pipeline).save(tmp_path / "m.zip")
            used |= _schema_types(path)
            load_model(path)
    assert used == set(TRUSTED_TYPES)


def test_load_refuses_untrusted_types_and_names_them(tmp_path):
    evil = FrameClassifier(pipeline=Pipeline([("run", FunctionTransformer(os.system)), ("model", MultinomialNB())]),
                           labels=("a", "b"), multilabel=False, metadata={})
    path = evil.save(tmp_path / "evil.zip")
    with pytest.raises(ModelFileError, match=r"evil\.zip: refused: .*posix\.system") as refused:
        load_model(path)
    assert "sklearn.naive_bayes.MultinomialNB" in str(refused.value)
    assert "sklearn.preprocessing._function_transformer.FunctionTransformer" in str(refused.value)
    # a custom pipeline of known parts loads once its extra types are trusted explicitly
    coding = read_coding(FIXTURES / "coding_separable.csv")
    custom = train(coding, folds=None, pipeline=Pipeline([("features", TfidfVectorizer()), ("model", MultinomialNB())]))
    path = custom.save(tmp_path / "nb.zip")
    with pytest.raises(ModelFileError, match=r"outside the trusted list: sklearn\.naive_bayes\.MultinomialNB\. "):
        load_model(path)
    loaded = load_model(path, trust=["sklearn.naive_bayes.MultinomialNB"])
    docs = pd.DataFrame({"id": ["x"], "text": ["budget and tax"]})
    pd.testing.assert_frame_equal(predict(custom, docs), predict(loaded, docs), check_exact=True)


class _TouchOnLoad:
    """Unpickling this creates a file: proof of whether a pickle was opened."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize("compress", [0, 3], ids=["plain", "zlib"])
def test_load_refuses_pickles_of_the_old_format_and_says_how_to_resave(tmp_path, compress):
    import joblib

    coding = read_coding(FIXTURES / "coding_separable.csv")
    model = train(coding, folds=None)
    old = tmp_path / "frames.joblib"
    joblib.dump(model, old, compress=compress)  # how models were saved before
    with pytest.raises(ModelFileError, match="pickled model") as refused:
        load_model(old)
    message = str(refused.value)
    assert message.startswith(f"{old}: ") and "arbitrary code" in message
    marker = tmp_path / "opened"
    joblib.dump(_TouchOnLoad(marker), tmp_path / "trap.joblib", compress=compress)
    with pytest.raises(ModelFileError, match="pickled model"):
        load_model(tmp_path / "trap.joblib")
    assert not marker.exists(), "the pickle was opened"
    # the command in the message re-saves the old model in the current format
    command = re.search(r'python -c "([^"]+)"', message).group(1)
    subprocess.run([sys.executable, "-c", command], cwd=tmp_path, check=True)
    resaved = load_model(tmp_path / "frames-model.zip")
    docs = pd.DataFrame({"id": ["n1"], "text": ["Missile strike on the army base"]})
    pd.testing.assert_frame_equal(predict(model, docs), predict(resaved, docs), check_exact=True)


def test_load_refuses_other_files(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("x marks the spot\n", encoding="utf-8")
    with pytest.raises(ModelFileError, match=r"notes\.txt: not a newslens model file"):
        load_model(text)
    bare = tmp_path / "bare.skops"
    skops.io.dump(default_pipeline(), bare)  # a skops file without the newslens metadata
    with pytest.raises(ModelFileError, match="no metadata.json"):
        load_model(bare)
    with pytest.raises(ModelFileError, match="cannot read model file"):
        load_model(tmp_path / "missing.zip")
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(newer, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"format": "newslens-frame-classifier", "format_version": 2}))
        archive.writestr("pipeline.skops", b"")
    with pytest.raises(ModelFileError, match="format version 2"):
        load_model(newer)


def test_multilabel_predict_thresholds():
    model = train(read_coding(FIXTURES / "coding_multilabel.csv"), folds=None)
    out = predict(model, pd.DataFrame({"id": ["m"], "text": ["Missile costs drain the budget"]}))
    assert out["label"].tolist() == ["economy", "security"]
    assert (out["predicted"] == (out["probability"] >= 0.5)).all()
