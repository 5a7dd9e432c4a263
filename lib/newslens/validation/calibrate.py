"""Calibration of frame dictionaries against hand coding, scored out of sample.

A frame is present in an article when it has at least ``min_hits`` indicator hits and at least
``threshold`` hits per 1,000 tokens (:mod:`newslens.framing.frames`). :func:`frame_agreement`
chooses each frame's rule on a grid (``MIN_HITS`` × ``THRESHOLDS``) by F1 on the training folds
of a coded sample and scores the chosen rule on the held-out fold; precision, recall and F1
are computed on all held-out predictions together. The reported ``min_hits``/``threshold`` are
chosen the same way on the whole sample: that is the rule to use, and the cross-validated
scores say how well such a choice does on articles it was not chosen on. In-sample scores of
the chosen rule would flatter it, and are never reported. :func:`rule_agreement` scores a fixed
rule (the default, or a scheme file's own) on all coded articles: nothing is fitted, so nothing
needs holding out. :func:`write_scheme` writes the calibrated scheme as a YAML file that every
report reads as ``scheme_file``.

``coding_df`` is wide: ``id`` and one 0/1 column per frame name (frames without a column are
not calibrated; other columns are ignored).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from newslens import atomic
from newslens.framing.frames import FrameScheme, frame_scores, load_scheme

__all__ = ["MIN_HITS", "THRESHOLDS", "frame_agreement", "rule_agreement", "write_scheme"]

MIN_HITS = (1, 2, 3, 4, 5, 6, 8, 10)
THRESHOLDS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 20.0)
COLUMNS = ["frame", "precision", "recall", "f1", "n", "support", "min_hits", "threshold"]


def _coded(corpus_df: pd.DataFrame, coding_df: pd.DataFrame, scheme: FrameScheme, text: str):
    """Hits and rates of the coded articles, and their 0/1 human codes, per calibrated frame."""
    if "id" not in coding_df.columns:
        raise KeyError(f"coding table needs an 'id' column (columns: {list(coding_df.columns)})")
    frames = [f for f in scheme.dictionary.categories if f in coding_df.columns]
    if not frames:
        raise ValueError(f"coding table has no column named after a frame of the scheme "
                         f"({', '.join(scheme.dictionary.categories)})")
    ids = coding_df["id"].astype("str")
    if ids.duplicated().any():
        raise ValueError(f"coding table lists article id(s) twice: {sorted(set(ids[ids.duplicated()]))[:5]}")
    known = set(corpus_df["id"].astype("str"))
    unknown = sorted(set(ids) - known)
    if unknown:
        raise ValueError(f"{len(unknown)} coded article id(s) not in the corpus: {', '.join(unknown[:10])}")
    human = {}
    for frame in frames:
        values = pd.to_numeric(coding_df[frame], errors="coerce")
        bad = ~values.isin([0, 1])
        if bad.any():
            rows = [int(i) + 2 for i in np.nonzero(bad.to_numpy())[0][:10]]
            raise ValueError(f"coding column {frame!r} must hold 0 or 1; not so in row(s) {rows} (header = row 1)")
        human[frame] = values.to_numpy(dtype=np.int64)
    docs = corpus_df[corpus_df["id"].astype("str").isin(set(ids))]
    docs = docs.set_index(docs["id"].astype("str")).loc[ids].reset_index(drop=True)
    scores = frame_scores(docs, scheme, text=text, threshold=0.0, min_hits=0)
    hits, rates = {}, {}
    for frame in frames:
        rows = scores[scores["frame"] == frame].set_index("id").loc[docs["id"]]
        hits[frame] = rows["hits"].to_numpy(dtype="float64", na_value=0.0)
        rates[frame] = rows["per_1000"].to_numpy(dtype="float64", na_value=0.0)
    return frames, ids.to_numpy(), hits, rates, human


def _prf(pred: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = float((pred & truth).sum())
    fp = float((pred & ~truth).sum())
    fn = float((~pred & truth).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return precision, recall, f1


def _fit(hits: np.ndarray, rates: np.ndarray, truth: np.ndarray) -> tuple[int, float]:
    """The grid rule with the best F1 (ties: fewer hits, then lower threshold)."""
    need_hits = np.array(MIN_HITS, dtype="float64")[:, None, None]
    need_rate = np.array(THRESHOLDS, dtype="float64")[None, :, None]
    pred = (hits[None, None, :] >= need_hits) & (rates[None, None, :] >= need_rate)
    t = truth.astype(bool)[None, None, :]
    tp = (pred & t).sum(axis=-1)
    denom = 2 * tp + (pred & ~t).sum(axis=-1) + (~pred & t).sum(axis=-1)
    f1 = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)
    i, j = np.unravel_index(int(np.argmax(f1)), f1.shape)  # argmax: first best in (min_hits, threshold) order
    return MIN_HITS[i], THRESHOLDS[j]


def _table(rows: list[tuple], n: int) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=COLUMNS)
    macro = ("macro", out["precision"].mean(), out["recall"].mean(), out["f1"].mean(), n,
             int(out["support"].sum()), pd.NA, np.nan)  # fmt: skip
    out = pd.concat([out, pd.DataFrame([macro], columns=COLUMNS)], ignore_index=True)
    return out.astype({"frame": "str", "precision": "float64", "recall": "float64", "f1": "float64", "n": "int64",
                       "support": "int64", "min_hits": "Int64", "threshold": "float64"})


def frame_agreement(
    corpus_df: pd.DataFrame,
    coding_df: pd.DataFrame,
    *,
    scheme: str | os.PathLike | FrameScheme = "generic",
    folds: int = 5,
    seed: int = 0,
    text: str = "title+text",
) -> pd.DataFrame:
    """Cross-validated agreement of each frame's calibrated rule with the hand coding.

    Returns ``[frame, precision, recall, f1, n, support, min_hits, threshold]``, one row per
    coded frame in scheme order, then ``macro`` (the mean of the frames' scores). ``n``: coded
    articles, ``support``: those coded as showing the frame. Folds are shuffled with ``seed``
    and shared by all frames.
    """
    from sklearn.model_selection import KFold

    s = load_scheme(scheme)
    frames, ids, hits, rates, human = _coded(corpus_df, coding_df, s, text)
    n = len(ids)
    if folds < 2 or n < folds:
        raise ValueError(f"frame_agreement: need 2 <= folds <= coded articles, got folds={folds}, n={n}")
    splits = list(KFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(n)))
    rows = []
    for frame in frames:
        truth = human[frame].astype(bool)
        predicted = np.zeros(n, dtype=bool)
        for train, test in splits:
            mh, th = _fit(hits[frame][train], rates[frame][train], truth[train])
            predicted[test] = (hits[frame][test] >= mh) & (rates[frame][test] >= th)
        mh, th = _fit(hits[frame], rates[frame], truth)
        rows.append((frame, *_prf(predicted, truth), n, int(truth.sum()), mh, th))
    return _table(rows, n)


def rule_agreement(
    corpus_df: pd.DataFrame,
    coding_df: pd.DataFrame,
    *,
    scheme: str | os.PathLike | FrameScheme = "generic",
    min_hits: int = 2,
    threshold: float = 1.0,
    text: str = "title+text",
) -> pd.DataFrame:
    """Agreement of a fixed rule with the hand coding, same columns as :func:`frame_agreement`.

    The rule is the scheme's own per frame where its file sets one, else ``min_hits`` and
    ``threshold`` (the defaults of :func:`newslens.framing.frame_scores`).
    """
    from newslens.framing.frames import presence_rule

    s = load_scheme(scheme)
    frames, ids, hits, rates, human = _coded(corpus_df, coding_df, s, text)
    rows = []
    for frame in frames:
        mh, th = presence_rule(s.dictionary, frame, min_hits, threshold)
        predicted = (hits[frame] >= mh) & (rates[frame] >= th)
        rows.append((frame, *_prf(predicted, human[frame].astype(bool)), len(ids), int(human[frame].sum()), mh, th))
    return _table(rows, len(ids))


def write_scheme(
    agreement: pd.DataFrame,
    path: str | os.PathLike,
    *,
    scheme: str | os.PathLike | FrameScheme = "generic",
    note: str = "",
) -> Path:
    """Write ``scheme`` with each calibrated frame's ``presence`` rule from ``agreement`` as YAML.

    ``agreement`` is :func:`frame_agreement` output; frames it lacks keep their rule (none, or the
    scheme file's). The file loads with :func:`newslens.framing.load_scheme` and as any report's
    ``scheme_file``; its header comment records the cross-validated F1 of every frame.
    """
    s = load_scheme(scheme)
    d = s.dictionary
    rules = {r.frame: r for r in agreement.itertuples(index=False) if r.frame != "macro"}
    unknown = sorted(set(rules) - set(d.categories))
    if unknown:
        raise ValueError(f"write_scheme: frame(s) {unknown} not in the scheme")
    categories = {}
    for frame in d.categories:
        entry = {k: v for k, v in d.meta[frame].items() if k != "presence"}
        if frame in rules:
            entry["presence"] = {"min_hits": int(rules[frame].min_hits), "threshold": float(rules[frame].threshold)}
        elif "presence" in d.meta[frame]:
            entry["presence"] = d.meta[frame]["presence"]
        entry["patterns"] = list(d.patterns[frame])
        categories[frame] = entry
    document = {"name": f"{d.name}-calibrated" if d.name else "calibrated", "description": d.description or ""}
    if s.residual:
        document["residual"] = {"name": s.residual, "description": s.residual_description}
    document["categories"] = categories
    lines = ["# Frame scheme calibrated against hand coding by newslens.validation.frame_agreement.",
             "# Each calibrated frame's presence rule was chosen by F1 on the coded sample; cross-validated scores:"]
    for frame, r in rules.items():
        lines.append(f"#   {frame}: precision {r.precision:.3f}, recall {r.recall:.3f}, F1 {r.f1:.3f} "
                     f"(n {r.n}, coded present {r.support}), min_hits {int(r.min_hits)}, threshold {r.threshold:g}")
    lines += [f"# {line}" for line in note.splitlines()]
    text = "\n".join(lines) + "\n" + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    atomic.write_text(path, text)
    return Path(path)
