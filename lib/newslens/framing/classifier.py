"""Supervised frame classifier: learn frames from a hand-coded sample, validate, apply.

Researchers code a sample of articles (or headlines) by hand; this module reads that coding
table, estimates how well a text classifier reproduces the human coding with stratified k-fold
cross-validation, trains it on the whole sample and classifies the rest of the corpus with
probabilities.

The default pipeline is a tf-idf union of word 1–2-grams and character 2–5-grams inside word
boundaries (``char_wb``), both with sublinear term frequency, feeding a logistic regression
with ``class_weight="balanced"`` (rare frames weigh as much as frequent ones) and ``C=1``.
Rows with several labels switch to one-vs-rest (one binary model per frame, a frame is
predicted when its probability is at least 0.5).

Coding table (CSV, UTF-8): one row per coded unit, either a text column or an article-id
column (texts are then taken from the corpus) and either one label column holding
``;``-separated labels or several label columns (one label per cell). Problems are reported
with the file name: a missing column lists the available ones, unknown article ids are listed
and counted, rows without text or without labels are skipped with a ``UserWarning`` naming
their row numbers (1-based data rows, the header is row 0), and a single label cannot be
trained. Cross-validation needs at least 2 examples per label; when the rarest label has fewer
examples than ``folds``, the number of folds is reduced to that count with a ``UserWarning``.

Model files (:meth:`FrameClassifier.save`, :func:`load_model`) are zip archives of two members:
``pipeline.skops``, the fitted scikit-learn pipeline in skops format (plain data, no pickle), and
``metadata.json``, labels and training metadata (``unzip -p model.zip metadata.json`` shows it).
Loading builds only the types of :data:`TRUSTED_TYPES` (what :func:`default_pipeline` and
:func:`baseline_pipeline` are made of) and refuses a file naming any other type; pickled models
of earlier versions are refused too, with the command that re-saves them.

>>> import pandas as pd
>>> coding = Coding.from_frame(pd.DataFrame({
...     "text": ["war troops", "troops attack", "attack war", "budget costs", "costs tax", "tax budget"],
...     "frame": ["security"] * 3 + ["economic"] * 3}), text_col="text", label_col="frame")
>>> evaluate(coding, folds=3).summary.set_index("metric").loc["accuracy", "value"]
np.float64(1.0)
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newslens import atomic
from newslens.aggregate import group_mean
from newslens.choices import check_choice
from newslens.framing.frames import TEXT_PARTS, TextPart, article_text

__all__ = [
    "Coding",
    "CodingError",
    "CVResult",
    "FrameClassifier",
    "ModelFileError",
    "TRUSTED_TYPES",
    "read_coding",
    "default_pipeline",
    "baseline_pipeline",
    "classification_metrics",
    "cv_folds",
    "evaluate",
    "train",
    "predict",
    "predicted_prevalence",
    "load_model",
]

MULTILABEL_THRESHOLD = 0.5
"""A frame is predicted for a unit when its one-vs-rest probability reaches this value."""


class CodingError(ValueError):
    """A coding table that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Coding:
    """A cleaned coding table: ``data`` has columns ``row, id, text, labels`` (labels: tuple).

    ``problems`` lists skipped rows (``file, row, reason``); ``labels`` are sorted;
    ``multilabel`` is True when any row carries more than one label.
    """

    data: pd.DataFrame
    labels: tuple[str, ...]
    multilabel: bool
    source: str = "<table>"
    problems: pd.DataFrame = field(default_factory=lambda: _problems([]))

    @classmethod
    def from_frame(
        cls,
        table: pd.DataFrame,
        *,
        text_col: str | None = "text",
        label_col: str | Sequence[str] = "frame",
        id_col: str | None = None,
        corpus: pd.DataFrame | None = None,
        text: TextPart = "title+text",
        sep: str = ";",
        source: str = "<table>",
    ) -> Coding:
        """Clean an in-memory coding table (see :func:`read_coding` for the rules)."""
        return _clean(table, text_col=text_col, label_col=label_col, id_col=id_col, corpus=corpus,
                      text=text, sep=sep, source=source)

    @property
    def y(self) -> np.ndarray | list[tuple[str, ...]]:
        """Single-label: array of labels; multi-label: list of label tuples."""
        if self.multilabel:
            return list(self.data["labels"])
        return np.array([labels[0] for labels in self.data["labels"]], dtype=object)

    def label_counts(self) -> pd.Series:
        """Number of rows carrying each label, in label order."""
        counts = Counter(label for labels in self.data["labels"] for label in labels)
        return pd.Series([counts[label] for label in self.labels], index=list(self.labels), dtype="int64")


def _problems(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": pd.Series([r[0] for r in rows], dtype="str"),
            "row": pd.Series([r[1] for r in rows], dtype="int64"),
            "reason": pd.Series([r[2] for r in rows], dtype="str"),
        }
    )


def _require_columns(table: pd.DataFrame, columns: Sequence[str], source: str) -> None:
    available = ", ".join(map(str, table.columns)) or "(none)"
    for col in columns:
        if col not in table.columns:
            raise CodingError(f"{source}: column {col!r} not found; available columns: {available}")


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _clean(
    table: pd.DataFrame,
    *,
    text_col: str | None,
    label_col: str | Sequence[str],
    id_col: str | None,
    corpus: pd.DataFrame | None,
    text: TextPart,
    sep: str,
    source: str,
) -> Coding:
    check_choice("text", text, TEXT_PARTS)
    label_cols = [label_col] if isinstance(label_col, str) else list(label_col)
    if not label_cols:
        raise CodingError(f"{source}: no label column given")
    if (text_col is None) == (id_col is None):
        raise CodingError(f"{source}: give exactly one of text_col (texts in the file) or id_col (article ids)")
    _require_columns(table, label_cols, source)
    _require_columns(table, [text_col or id_col], source)
    table = table.reset_index(drop=True)
    if id_col is not None:
        if corpus is None:
            raise CodingError(f"{source}: id_col={id_col!r} needs the corpus table to look the texts up")
        ids = [_cell(v) for v in table[id_col]]
        known = dict(zip(corpus["id"].astype(str), article_text(corpus, part=text), strict=True))
        unknown = sorted({i for i in ids if i and i not in known})
        if unknown:
            shown = ", ".join(unknown[:20]) + (" ..." if len(unknown) > 20 else "")
            raise CodingError(f"{source}: {len(unknown)} article id(s) not in the corpus: {shown}")
        texts = [known.get(i, "") for i in ids]
    else:
        ids = ["" for _ in range(len(table))]
        texts = [_cell(v) for v in table[text_col]]
    rows, keep_ids, keep_texts, keep_labels, problems = [], [], [], [], []
    for i in range(len(table)):
        if len(label_cols) == 1:
            raw = [part.strip() for part in _cell(table.at[i, label_cols[0]]).split(sep)]
        else:
            raw = [_cell(table.at[i, col]) for col in label_cols]
        labels = tuple(dict.fromkeys(label for label in raw if label))
        missing = [what for what, empty in (("text", not texts[i].strip()), ("label", not labels)) if empty]
        if missing:
            problems.append((source, i + 1, f"no {' and no '.join(missing)}; row skipped"))
            continue
        rows.append(i + 1)
        keep_ids.append(ids[i])
        keep_texts.append(texts[i])
        keep_labels.append(labels)
    if problems:
        numbers = ", ".join(str(p[1]) for p in problems[:30]) + (" ..." if len(problems) > 30 else "")
        warnings.warn(f"{source}: skipped {len(problems)} row(s) without text or label: rows {numbers}",
                      UserWarning, stacklevel=3)
    if not rows:
        raise CodingError(f"{source}: no usable rows (every row lacks a text or a label)")
    labels = tuple(sorted({label for row in keep_labels for label in row}))
    if len(labels) < 2:
        raise CodingError(f"{source}: only one label ({labels[0]!r}) in the file; cannot train a classifier "
                          "with a single class — code examples of at least two frames")
    data = pd.DataFrame(
        {
            "row": pd.Series(rows, dtype="int64"),
            "id": pd.Series(keep_ids, dtype="str"),
            "text": pd.Series(keep_texts, dtype="str"),
            "labels": pd.Series(keep_labels, dtype=object),
        }
    )
    multilabel = any(len(row) > 1 for row in keep_labels)
    return Coding(data=data, labels=labels, multilabel=multilabel, source=source, problems=_problems(problems))


def read_coding(
    path: str | os.PathLike,
    *,
    text_col: str | None = "text",
    label_col: str | Sequence[str] = "frame",
    id_col: str | None = None,
    corpus: pd.DataFrame | None = None,
    text: TextPart = "title+text",
    sep: str = ";",
) -> Coding:
    """Read a coding table CSV into a :class:`Coding`.

    Give ``text_col`` (texts in the file) or ``id_col`` with ``corpus`` (set ``text_col=None``;
    the article's ``text`` part — ``title``, ``text`` or ``title+text`` — is looked up).
    ``label_col`` is one column of ``sep``-separated labels or a list of columns.

    >>> read_coding("missing.csv")
    Traceback (most recent call last):
    ...
    newslens.framing.classifier.CodingError: missing.csv: cannot read coding file: file not found
    """
    source = str(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise CodingError(f"{source}: cannot read coding file: file not found") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise CodingError(f"{source}: cannot read coding file: {str(err).strip()}") from None
    return _clean(table, text_col=text_col, label_col=label_col, id_col=id_col, corpus=corpus,
                  text=text, sep=sep, source=source)


# --- pipelines -----------------------------------------------------------------------------------


def default_pipeline(*, multilabel: bool = False, C: float = 1.0, seed: int = 0):
    """The default frame classifier (unfitted): word 1–2-grams + char_wb 2–5-grams tf-idf, logistic regression.

    >>> default_pipeline().named_steps["model"].class_weight
    'balanced'
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ]
    )
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed)
    if multilabel:
        model = OneVsRestClassifier(model)
    return Pipeline([("features", features), ("model", model)])


def baseline_pipeline(*, multilabel: bool = False):
    """The plain comparison: ``TfidfVectorizer()`` + ``LogisticRegression()`` with library defaults."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    model = LogisticRegression()
    return Pipeline([("features", TfidfVectorizer()), ("model", OneVsRestClassifier(model) if multilabel else model)])


# --- metrics -------------------------------------------------------------------------------------


def classification_metrics(
    y_true: Sequence, y_pred: Sequence, *, labels: Sequence[str], multilabel: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Summary, per-class and confusion tables for one set of predictions.

    Single-label: summary metrics ``n, accuracy, macro_f1, weighted_f1``; confusion
    ``[true, predicted, n]`` (every pair, zeros included). Multi-label (labels as tuples):
    ``n, subset_accuracy, micro_f1, macro_f1, hamming_loss``; confusion
    ``[label, true, predicted, n]`` with true/predicted ``yes``/``no``. The per-class table is
    ``[label, precision, recall, f1, support]`` (support: true examples; 0/0 counts as 0).

    >>> s, per, _ = classification_metrics(["a", "a", "b", "b"], ["a", "b", "b", "b"], labels=["a", "b"])
    >>> s.set_index("metric")["value"].round(3).to_dict()
    {'n': 4.0, 'accuracy': 0.75, 'macro_f1': 0.733, 'weighted_f1': 0.733}
    """
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        f1_score,
        hamming_loss,
        multilabel_confusion_matrix,
        precision_recall_fscore_support,
    )

    labels = list(labels)
    if multilabel:
        from sklearn.preprocessing import MultiLabelBinarizer

        binarizer = MultiLabelBinarizer(classes=labels)
        true = binarizer.fit_transform(y_true)
        pred = binarizer.transform(y_pred)
        summary = {
            "n": float(len(true)),
            "subset_accuracy": accuracy_score(true, pred),
            "micro_f1": f1_score(true, pred, average="micro", zero_division=0),
            "macro_f1": f1_score(true, pred, average="macro", zero_division=0),
            "hamming_loss": hamming_loss(true, pred),
        }
        matrices = multilabel_confusion_matrix(true, pred)
        conf_rows = [
            (label, t, p, int(m[ti, pi]))
            for label, m in zip(labels, matrices, strict=True)
            for ti, t in ((1, "yes"), (0, "no"))
            for pi, p in ((1, "yes"), (0, "no"))
        ]
        confusion = pd.DataFrame(conf_rows, columns=["label", "true", "predicted", "n"])
    else:
        true, pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
        summary = {
            "n": float(len(true)),
            "accuracy": accuracy_score(true, pred),
            "macro_f1": f1_score(true, pred, labels=labels, average="macro", zero_division=0),
            "weighted_f1": f1_score(true, pred, labels=labels, average="weighted", zero_division=0),
        }
        matrix = confusion_matrix(true, pred, labels=labels)
        conf_rows = [(t, p, int(matrix[i, j])) for i, t in enumerate(labels) for j, p in enumerate(labels)]
        confusion = pd.DataFrame(conf_rows, columns=["true", "predicted", "n"])
    precision, recall, f1, support = precision_recall_fscore_support(
        true, pred, labels=None if multilabel else labels, zero_division=0
    )
    per_class = pd.DataFrame(
        {"label": labels, "precision": precision, "recall": recall, "f1": f1, "support": support.astype("int64")}
    )
    summary_df = pd.DataFrame({"metric": list(summary), "value": [float(v) for v in summary.values()]})
    for col in ("label", "true", "predicted"):
        if col in confusion.columns:
            confusion[col] = confusion[col].astype("str")
    per_class["label"] = per_class["label"].astype("str")
    summary_df["metric"] = summary_df["metric"].astype("str")
    return summary_df, per_class, confusion


# --- cross-validation ----------------------------------------------------------------------------


def _strata(coding: Coding, folds: int) -> np.ndarray:
    """Stratification key per row.

    Single-label: the label. Multi-label (an approximation of iterative stratification): the
    label set (label powerset) when it occurs at least ``folds`` times, else the row's rarest
    label, else one shared ``"(rare)"`` stratum.
    """
    if not coding.multilabel:
        return np.array([labels[0] for labels in coding.data["labels"]], dtype=object)
    counts = coding.label_counts()
    sets = ["|".join(sorted(labels)) for labels in coding.data["labels"]]
    set_counts = Counter(sets)
    keys = []
    for key, labels in zip(sets, coding.data["labels"], strict=True):
        if set_counts[key] >= folds:
            keys.append(key)
            continue
        rarest = min(labels, key=lambda label: (counts[label], label))
        keys.append(rarest)
    key_counts = Counter(keys)
    return np.array([k if key_counts[k] >= folds else "(rare)" for k in keys], dtype=object)


def _check_folds(coding: Coding, folds: int) -> int:
    if isinstance(folds, bool) or not isinstance(folds, int | np.integer) or folds < 2:
        raise ValueError(f"folds must be an integer >= 2, got {folds!r}")
    counts = coding.label_counts()
    too_few = counts[counts < 2]
    if len(too_few):
        listing = ", ".join(f"{label!r} ({n})" for label, n in too_few.items())
        raise CodingError(f"{coding.source}: cross-validation needs at least 2 examples per label; "
                          f"too few: {listing}. Code more examples, or merge or drop these labels.")
    smallest = int(counts.min())
    if smallest < folds:
        rare = ", ".join(f"{label!r} ({n})" for label, n in counts[counts < folds].items())
        warnings.warn(f"{coding.source}: labels with fewer examples than folds={folds}: {rare}; "
                      f"using {smallest} folds instead", UserWarning, stacklevel=3)
        folds = smallest
    return int(folds)


def cv_folds(coding: Coding, *, folds: int = 5, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified, shuffled (``random_state=seed``) train/test index pairs for ``coding``.

    ``folds`` is reduced (with a warning) when a label has fewer examples; see the module notes.
    """
    from sklearn.model_selection import StratifiedKFold

    folds = _check_folds(coding, folds)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    strata = _strata(coding, folds)
    return list(splitter.split(np.zeros(len(strata)), strata))


@dataclass(frozen=True)
class CVResult:
    """Cross-validated performance of a pipeline on a coding table.

    ``summary`` ``[metric, value]`` from the pooled out-of-fold predictions, plus the mean and
    standard deviation of macro-F1 over folds; ``per_class`` ``[label, precision, recall, f1,
    support]``; ``confusion`` (see :func:`classification_metrics`); ``per_fold`` ``[fold, n,
    <metrics>]``; ``predictions`` ``[row, id, fold, true, predicted]`` (labels ``;``-joined).
    """

    summary: pd.DataFrame
    per_class: pd.DataFrame
    confusion: pd.DataFrame
    per_fold: pd.DataFrame
    predictions: pd.DataFrame
    folds: int

    def metric(self, name: str) -> float:
        """One summary value, e.g. ``result.metric("macro_f1")``."""
        values = self.summary.set_index("metric")["value"]
        if name not in values.index:
            raise KeyError(f"no metric {name!r}; available: {', '.join(values.index)}")
        return float(values[name])


def _fit_predict(pipeline, coding: Coding, train_idx: np.ndarray, test_idx: np.ndarray) -> list:
    from sklearn.base import clone
    from sklearn.preprocessing import MultiLabelBinarizer

    texts = coding.data["text"].to_numpy(dtype=object)
    model = clone(pipeline)
    if coding.multilabel:
        binarizer = MultiLabelBinarizer(classes=list(coding.labels))
        y = binarizer.fit_transform([coding.data["labels"].iloc[i] for i in train_idx])
        model.fit(texts[train_idx], y)
        return [tuple(binarizer.classes_[row.astype(bool)]) for row in _multilabel_decision(model, texts[test_idx])]
    y = coding.y
    model.fit(texts[train_idx], y[train_idx])
    return list(model.predict(texts[test_idx]))


def _multilabel_decision(model, texts) -> np.ndarray:
    return np.asarray(model.predict_proba(texts)) >= MULTILABEL_THRESHOLD


def evaluate(coding: Coding, *, pipeline=None, folds: int = 5, seed: int = 0, C: float = 1.0) -> CVResult:
    """Stratified k-fold cross-validation of ``pipeline`` (default: :func:`default_pipeline`).

    Each fold trains a fresh clone on the other folds and predicts its own rows; the summary and
    per-class metrics are computed on all out-of-fold predictions together (as
    ``cross_val_predict`` would), ``per_fold`` on each fold (as ``cross_val_score`` would).
    Folds depend only on the coding table, ``folds`` and ``seed``, so two pipelines evaluated with
    the same arguments see the same folds.
    """
    if pipeline is None:
        pipeline = default_pipeline(multilabel=coding.multilabel, C=C, seed=seed)
    splits = cv_folds(coding, folds=folds, seed=seed)
    n = len(coding.data)
    predicted: list = [None] * n
    fold_of = np.zeros(n, dtype=np.int64)
    fold_rows = []
    y_true = coding.y if not coding.multilabel else list(coding.data["labels"])
    for number, (train_idx, test_idx) in enumerate(splits, 1):
        fold_pred = _fit_predict(pipeline, coding, train_idx, test_idx)
        for i, p in zip(test_idx, fold_pred, strict=True):
            predicted[i] = p
            fold_of[i] = number
        summary, _, _ = classification_metrics(
            [y_true[i] for i in test_idx], fold_pred, labels=coding.labels, multilabel=coding.multilabel
        )
        fold_rows.append({"fold": number, **summary.set_index("metric")["value"].to_dict()})
    summary, per_class, confusion = classification_metrics(
        y_true, predicted, labels=coding.labels, multilabel=coding.multilabel
    )
    per_fold = pd.DataFrame(fold_rows)
    per_fold["n"] = per_fold["n"].astype("int64")
    spread = pd.DataFrame(
        {
            "metric": ["folds", "macro_f1_fold_mean", "macro_f1_fold_sd"],
            "value": [float(len(splits)), float(per_fold["macro_f1"].mean()), float(per_fold["macro_f1"].std(ddof=1))],
        }
    )
    summary = pd.concat([summary, spread], ignore_index=True)
    summary["metric"] = summary["metric"].astype("str")

    def joined(value) -> str:
        return ";".join(value) if isinstance(value, tuple) else str(value)

    predictions = pd.DataFrame(
        {
            "row": coding.data["row"],
            "id": coding.data["id"],
            "fold": fold_of,
            "true": pd.Series([joined(v) for v in y_true], dtype="str"),
            "predicted": pd.Series([joined(v) for v in predicted], dtype="str"),
        }
    )
    return CVResult(summary=summary, per_class=per_class, confusion=confusion, per_fold=per_fold,
                    predictions=predictions, folds=len(splits))


# --- training, saving, applying ------------------------------------------------------------------


MODEL_FORMAT = "newslens-frame-classifier"
MODEL_FORMAT_VERSION = 1

TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.str",
        "numpy.ndarray",
        "numpy.float64",
        "sklearn.pipeline.Pipeline",
        "sklearn.pipeline.FeatureUnion",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.multiclass.OneVsRestClassifier",
        "sklearn.preprocessing._label.LabelBinarizer",
    }
)
"""Every type :func:`load_model` builds from a model file: the parts of the default and baseline pipelines
(single- and multi-label), as skops names them (``module.Class``; skops records every plain value, number
or text, as ``builtins.str`` JSON, and the vectorisers' ``dtype`` as ``numpy.float64``)."""


class ModelFileError(ValueError):
    """A model file that is refused or cannot be read; the message names the file and the reason."""


@dataclass
class FrameClassifier:
    """A trained pipeline with its labels and training metadata (see :func:`train`)."""

    pipeline: Any
    labels: tuple[str, ...]
    multilabel: bool
    metadata: dict[str, Any]

    def save(self, path: str | os.PathLike) -> Path:
        """Write the model archive (``pipeline.skops`` + ``metadata.json``, see the module notes) atomically."""
        import skops.io

        header = {"format": MODEL_FORMAT, "format_version": MODEL_FORMAT_VERSION, "labels": list(self.labels),
                  "multilabel": bool(self.multilabel), "training": self.metadata}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(_METADATA, json.dumps(header, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
            archive.writestr(_PIPELINE, skops.io.dumps(self.pipeline))
        path = Path(path)
        atomic.write_bytes(path, buffer.getvalue())
        return path


_METADATA = "metadata.json"
_PIPELINE = "pipeline.skops"
# How pickles begin: protocol 2+ (joblib's default) and joblib's compressed variants (zlib, gzip,
# bz2, xz, lzma, lz4).
_PICKLE_MAGIC = (b"\x80", b"x\x01", b"x^", b"x\x9c", b"x\xda", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"]\x00\x00",
                 b"\x04\x22\x4d\x18")


def _named_types(node: Any) -> set[str]:
    """Every ``module.Class`` a skops schema names (its nodes carry ``__module__`` and ``__class__``)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "__module__" in item and "__class__" in item:
                found.add(f"{item['__module__']}.{item['__class__']}")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _read_archive(path: str | os.PathLike) -> tuple[dict[str, Any], bytes]:
    """The metadata and the skops bytes of a model archive; anything else is refused unopened."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(4)
    except OSError as err:
        raise ModelFileError(f"{path}: cannot read model file: {err.strerror or err}") from None
    if not zipfile.is_zipfile(path):
        if start.startswith(_PICKLE_MAGIC):
            raise ModelFileError(
                f"{path}: a pickled model (the format of earlier newslens versions) is not opened, because loading "
                "a pickle can run arbitrary code. If you trust where the file comes from, re-save it once in the "
                f"current format: python -c \"import joblib; joblib.load('{path}').save('frames-model.zip')\"; "
                "otherwise train the model again from its coding table and save it with FrameClassifier.save"
            )
        raise ModelFileError(f"{path}: not a newslens model file (a zip archive of {_METADATA} and {_PIPELINE})")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        missing = [name for name in (_METADATA, _PIPELINE) if name not in names]
        if missing:
            raise ModelFileError(f"{path}: not a newslens model file: no {' and no '.join(missing)} in the archive")
        try:
            header = json.loads(archive.read(_METADATA).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ModelFileError(f"{path}: {_METADATA} is not valid JSON: {err}") from None
        data = archive.read(_PIPELINE)
    if not isinstance(header, dict) or header.get("format") != MODEL_FORMAT:
        raise ModelFileError(f"{path}: {_METADATA} does not describe a {MODEL_FORMAT} model")
    version = header.get("format_version")
    if version != MODEL_FORMAT_VERSION:
        raise ModelFileError(f"{path}: model format version {version!r}; this newslens reads version "
                             f"{MODEL_FORMAT_VERSION} (a newer newslens wrote it? then upgrade)")
    labels = header.get("labels")
    labels_ok = isinstance(labels, list) and bool(labels) and all(isinstance(label, str) for label in labels)
    if not labels_ok or not isinstance(header.get("multilabel"), bool):
        raise ModelFileError(f"{path}: {_METADATA} needs 'labels' (a list of text) and 'multilabel' (true/false)")
    return header, data


def _file_sha256(path: str) -> str | None:
    try:
        return atomic.file_sha256(path)
    except OSError:
        return None


def train(
    coding: Coding,
    *,
    pipeline=None,
    C: float = 1.0,
    seed: int = 0,
    folds: int | None = 5,
) -> FrameClassifier:
    """Fit on the whole coding table; with ``folds`` the cross-validated metrics go into the metadata.

    The metadata records labels, n, label counts, UTC training time, parameters, library
    versions, the coding file and its SHA-256, and (unless ``folds=None``) the CV summary and
    per-class table.
    """
    import sklearn
    from sklearn.base import clone
    from sklearn.preprocessing import MultiLabelBinarizer

    from newslens import __version__

    custom = pipeline is not None
    if pipeline is None:
        pipeline = default_pipeline(multilabel=coding.multilabel, C=C, seed=seed)
    cv = evaluate(coding, pipeline=pipeline, folds=folds, seed=seed) if folds is not None else None
    model = clone(pipeline)
    texts = coding.data["text"].to_numpy(dtype=object)
    if coding.multilabel:
        model.fit(texts, MultiLabelBinarizer(classes=list(coding.labels)).fit_transform(coding.data["labels"]))
    else:
        model.fit(texts, coding.y)
    metadata = {
        "labels": list(coding.labels),
        "n": len(coding.data),
        "label_counts": {k: int(v) for k, v in coding.label_counts().items()},
        "multilabel": coding.multilabel,
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "parameters": {"pipeline": "custom" if custom else "default", "C": None if custom else C, "seed": seed,
                       "folds": None if cv is None else cv.folds, "steps": repr(pipeline)},
        "sklearn_version": sklearn.__version__,
        "newslens_version": __version__,
        "coding_file": coding.source,
        "coding_sha256": _file_sha256(coding.source),
        "cv": None if cv is None else cv.summary.set_index("metric")["value"].to_dict(),
        "cv_per_class": None if cv is None else cv.per_class.to_dict("records"),
    }
    return FrameClassifier(pipeline=model, labels=coding.labels, multilabel=coding.multilabel, metadata=metadata)


def load_model(path: str | os.PathLike, *, trust: Iterable[str] = ()) -> FrameClassifier:
    """Load a model saved with :meth:`FrameClassifier.save`, building only trusted types.

    Every type the pipeline is made of must be in :data:`TRUSTED_TYPES` or in ``trust`` (names as
    ``module.Class``, e.g. ``["sklearn.naive_bayes.MultinomialNB"]`` for a custom pipeline you
    trained yourself); otherwise :class:`ModelFileError` names the other types and nothing is
    built. Pickled models of earlier versions are refused without being opened, with the command
    that re-saves them. Warns when the scikit-learn version differs from training.

    >>> load_model("missing.zip")
    Traceback (most recent call last):
    ...
    newslens.framing.classifier.ModelFileError: missing.zip: cannot read model file: No such file or directory
    """
    import sklearn
    import skops.io

    header, data = _read_archive(path)
    allowed = TRUSTED_TYPES | set(trust)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            named = _named_types(json.loads(inner.read("schema.json")))
        untrusted = set(skops.io.get_untrusted_types(data=data))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ModelFileError(f"{path}: {_PIPELINE} is not a skops file: {err}") from None
    refused = sorted((named | untrusted) - allowed)
    if refused:
        raise ModelFileError(
            f"{path}: refused: the pipeline contains type(s) outside the trusted list: {', '.join(refused)}. "
            "Load only models whose parts you know; for a custom pipeline you trained yourself, pass "
            "trust=[...] with these names"
        )
    pipeline = skops.io.loads(data, trusted=sorted(untrusted))
    metadata = header.get("training") or {}
    trained_with = metadata.get("sklearn_version")
    if trained_with != sklearn.__version__:
        warnings.warn(f"{path}: trained with scikit-learn {trained_with}, running {sklearn.__version__}; "
                      "predictions may differ", UserWarning, stacklevel=2)
    return FrameClassifier(pipeline=pipeline, labels=tuple(header["labels"]), multilabel=header["multilabel"],
                           metadata=metadata)


def predict(model: FrameClassifier, docs: pd.DataFrame, *, text: TextPart = "title+text") -> pd.DataFrame:
    """Classify articles: ``[id, label, probability, predicted]``, one row per (article, label).

    ``text`` chooses what is classified (``title``, ``text`` or ``title+text``; match what was
    coded). Single-label: ``predicted`` marks the most probable label (ties: label order).
    Multi-label: every label with probability >= 0.5. Sorted by id, then label.
    """
    check_choice("text", text, TEXT_PARTS)
    texts = article_text(docs, part=text).to_numpy(dtype=object)
    labels = list(model.labels)
    if len(docs):
        proba = np.asarray(model.pipeline.predict_proba(texts), dtype="float64")
    else:
        proba = np.zeros((0, len(labels)))
    if not model.multilabel:
        classes = list(model.pipeline.classes_)
        proba = proba[:, [classes.index(label) for label in labels]]
        chosen = np.zeros_like(proba, dtype=bool)
        if len(proba):
            chosen[np.arange(len(proba)), proba.argmax(axis=1)] = True
    else:
        chosen = proba >= MULTILABEL_THRESHOLD
    out = pd.DataFrame(
        {
            "id": np.repeat(docs["id"].to_numpy(dtype=object), len(labels)),
            "label": np.tile(np.array(labels, dtype=object), len(docs)),
            "probability": proba.reshape(-1),
            "predicted": chosen.reshape(-1),
        }
    )
    out["id"] = out["id"].astype("str")
    out["label"] = out["label"].astype("str")
    return out.sort_values(["id", "label"], kind="mergesort").reset_index(drop=True)


def predicted_prevalence(
    predictions: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    by: str = "outlet",
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = 5,
) -> pd.DataFrame:
    """Share of articles the classifier assigns to each frame, per ``by`` group, with a confidence interval.

    ``predictions`` is :func:`predict` output, ``docs`` the classified articles (``id`` and
    ``by``). Returns :func:`newslens.aggregate.group_mean` of the 0/1 assignment:
    ``[frame, by, n, mean, ci_low, ci_high, reliable]``, sorted by frame and group.

    >>> p = pd.DataFrame({"id": ["a", "a", "b", "b"], "label": ["eco", "war", "eco", "war"],
    ...                   "probability": [0.9, 0.1, 0.3, 0.7], "predicted": [True, False, False, True]})
    >>> docs = pd.DataFrame({"id": ["a", "b"], "outlet": ["X", "X"]})
    >>> predicted_prevalence(p, docs, min_n=1)[["frame", "outlet", "n", "mean"]].values.tolist()
    [['eco', 'X', 2, 0.5], ['war', 'X', 2, 0.5]]
    """
    if by not in docs.columns:
        raise KeyError(f"predicted_prevalence: column {by!r} not in docs (columns: {list(docs.columns)})")
    work = predictions.merge(docs[["id", by]], on="id")
    work = work.assign(frame=work["label"], present=work["predicted"].astype(float))
    return group_mean(work, "present", ["frame", by], n_boot=n_boot, seed=seed, min_n=min_n)
