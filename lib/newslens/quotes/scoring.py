"""Scoring extracted quotes against hand annotation: overlap matching, precision, recall, F1.

A gold quote is found when a predicted span covers at least ``min_overlap`` of the gold span's
characters; gold quotes are matched one to one, in order, each to the unmatched prediction that
covers most of it (the Gender Gap Tracker's rule, Asr et al. 2021; 0.3 lenient, 0.8 strict). A
quote is a set of character spans (annotations may be discontinuous: "“A,” he said, “B.”").
A matched quote's speaker is right when the predicted and gold speaker spans overlap (or when
neither names a speaker).

>>> gold = [[(0, 10)], [(20, 30)]]
>>> predicted = [[(2, 10)], [(40, 50)]]
>>> match_spans(gold, predicted)
[(0, 0)]
>>> scores(gold, predicted)["f1"]
0.5
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["match_spans", "overlap", "scores"]

Spans = Sequence[tuple[int, int]]


def _merged(spans: Spans) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans if e > s):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def overlap(a: Spans, b: Spans) -> int:
    """Characters covered by both span sets.

    >>> overlap([(0, 5), (10, 15)], [(3, 12)])
    4
    """
    x, y = _merged(a), _merged(b)
    i = j = total = 0
    while i < len(x) and j < len(y):
        lo, hi = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        total += max(0, hi - lo)
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return total


def _length(spans: Spans) -> int:
    return sum(e - s for s, e in _merged(spans))


def match_spans(
    gold: Sequence[Spans], predicted: Sequence[Spans], *, min_overlap: float = 0.3
) -> list[tuple[int, int]]:
    """One-to-one matches ``(gold index, predicted index)``, in gold order.

    Each gold quote, in order, takes the unmatched prediction covering the largest share of its
    characters if that share is at least ``min_overlap`` (ties: the earlier prediction).

    >>> match_spans([[(0, 10)], [(0, 10)]], [[(0, 4)], [(0, 9)]])
    [(0, 1), (1, 0)]
    """
    if not 0 < min_overlap <= 1:
        raise ValueError(f"min_overlap must be in (0, 1], got {min_overlap!r}")
    free = set(range(len(predicted)))
    pairs: list[tuple[int, int]] = []
    for g, spans in enumerate(gold):
        size = _length(spans)
        if size == 0:
            continue
        best, best_share = -1, 0.0
        for p in sorted(free):
            share = overlap(spans, predicted[p]) / size
            if share >= min_overlap and share > best_share:
                best, best_share = p, share
        if best >= 0:
            free.discard(best)
            pairs.append((g, best))
    return pairs


def scores(
    gold: Sequence[Spans],
    predicted: Sequence[Spans],
    *,
    gold_speakers: Sequence[Spans] | None = None,
    predicted_speakers: Sequence[Spans] | None = None,
    min_overlap: float = 0.3,
) -> dict[str, float]:
    """``tp``, ``fp``, ``fn``, ``precision``, ``recall``, ``f1`` and, when speakers are given,
    ``speaker_right`` and ``speaker_accuracy`` (right speakers among the matches).

    >>> scores([[(0, 10)]], [[(0, 10)]], gold_speakers=[[(12, 15)]], predicted_speakers=[[(14, 20)]])
    {'tp': 1, 'fp': 0, 'fn': 0, 'precision': 1.0, 'recall': 1.0, 'f1': 1.0, 'speaker_right': 1, 'speaker_accuracy': 1.0}
    """
    pairs = match_spans(gold, predicted, min_overlap=min_overlap)
    tp = len(pairs)
    fp = len(predicted) - tp
    fn = len(gold) - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out: dict[str, float] = {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}
    if gold_speakers is not None and predicted_speakers is not None:
        right = 0
        for g, p in pairs:
            gs, ps = gold_speakers[g], predicted_speakers[p]
            if (not _length(gs) and not _length(ps)) or overlap(gs, ps) > 0:
                right += 1
        out["speaker_right"] = right
        out["speaker_accuracy"] = right / tp if tp else 0.0
    return out
