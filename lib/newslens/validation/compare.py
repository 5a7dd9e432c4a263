"""Machine against human: precision, recall and F1 per category, macro and micro, with intervals.

Both sides are *codes tables* keyed by ``on`` (default ``unit``), in one of two shapes:

* **labels**: one row per unit with a ``label`` column (one category per unit: the dominant
  frame, a tone class);
* **presence**: one row per unit and category with ``category`` and a 0/1 ``present`` column
  (several categories per unit: frames present).

Per category, ``precision = tp/(tp+fp)``, ``recall = tp/(tp+fn)``, ``f1 = 2tp/(2tp+fp+fn)``
(0/0 counts as 0, as in scikit-learn's ``zero_division=0``); ``macro`` averages the categories,
``micro`` pools their counts (for labels, micro precision = recall = F1 = accuracy). Intervals
are seeded percentile bootstraps over units. The same table is computed for the pooled units
(group ``all``) and for each value of ``by`` (e.g. ``outlet``): a measure that works for one
outlet and fails for another biases every comparison between them.

Units on one side only, or with a missing label, are left out and listed in ``unmatched``.

>>> human = pd.DataFrame({"unit": ["a", "b", "c", "d"], "label": ["pos", "neg", "neg", "pos"]})
>>> machine = pd.DataFrame({"unit": ["a", "b", "c", "d"], "label": ["pos", "neg", "pos", "pos"]})
>>> r = compare(machine, human, n_boot=100)
>>> r.scores[["category", "precision", "recall", "f1"]].round(3).values.tolist()
[['neg', 1.0, 0.5, 0.667], ['pos', 0.667, 1.0, 0.8], ['macro', 0.833, 0.75, 0.733], ['micro', 0.75, 0.75, 0.75]]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from newslens import bootstrap

__all__ = ["Comparison", "compare", "consensus", "consensus_presence"]

ALL = "all"
_METRICS = ("precision", "recall", "f1")


@dataclass(frozen=True)
class Comparison:
    """Result of :func:`compare`.

    ``scores``: ``[group, category, n, support, predicted, precision, precision_low,
    precision_high, recall, recall_low, recall_high, f1, f1_low, f1_high]`` (``group`` is named
    after ``by``; ``n`` units, ``support`` human positives, ``predicted`` machine positives);
    ``confusion``: labels ``[group, human, machine, n]``, presence ``[group, category, human,
    machine, n]`` (``yes``/``no``), every cell including zeros; ``unmatched``: ``[*on, side, reason]``.
    """

    kind: str
    labels: tuple[str, ...]
    scores: pd.DataFrame
    confusion: pd.DataFrame
    unmatched: pd.DataFrame

    def score(self, metric: str, category: str = "macro", group: str = ALL) -> float:
        """One value, e.g. ``result.score("f1", "macro")``."""
        col = self.scores.columns[0]
        row = self.scores[(self.scores[col] == group) & (self.scores["category"] == category)]
        if row.empty:
            raise KeyError(f"no scores for category {category!r} in group {group!r}")
        return float(row[metric].iloc[0])


def _kind(table: pd.DataFrame, side: str) -> str:
    if "label" in table.columns:
        return "labels"
    if {"category", "present"} <= set(table.columns):
        return "presence"
    raise KeyError(f"compare: the {side} table needs a 'label' column, or 'category' and 'present' "
                   f"(columns: {list(table.columns)})")


def _matrix(table: pd.DataFrame, keys: list[str], kind: str, labels: list[str], side: str,
            problems: list) -> pd.DataFrame:
    """Units × categories 0/1 matrix for one side (complete units only)."""
    missing = [k for k in keys if k not in table.columns]
    if missing:
        raise KeyError(f"compare: the {side} table lacks key column(s) {missing}")
    if kind == "labels":
        dup = table[keys].duplicated()
        if dup.any():
            raise ValueError(f"compare: the {side} table has several labels for unit(s) "
                             f"{table.loc[dup, keys].astype(str).agg('|'.join, axis=1).tolist()[:5]}")
        empty = table["label"].isna() | (table["label"].astype("str").str.strip() == "")
        for rec in table.loc[empty, keys].itertuples(index=False):
            problems.append((*rec, side, "no label"))
        rows = table[~empty]
        onehot = np.zeros((len(rows), len(labels)), dtype=np.int64)
        onehot[np.arange(len(rows)), pd.Categorical(rows["label"].astype("str"), categories=labels).codes] = 1
        return pd.DataFrame(onehot, index=pd.MultiIndex.from_frame(rows[keys].astype("str")), columns=labels)
    wide = table.assign(_p=pd.to_numeric(table["present"].astype("float64"))).pivot_table(
        index=keys, columns="category", values="_p", aggfunc="max")  # fmt: skip
    wide.index = pd.MultiIndex.from_frame(wide.index.to_frame(index=False).astype("str"))
    wide = wide.reindex(columns=labels)
    incomplete = wide.isna().any(axis=1)
    for key in wide.index[incomplete]:
        problems.append((*key, side, "presence missing for some categories"))
    return (wide[~incomplete] > 0).astype("int64")


def _rates(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> dict[str, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    return {"precision": precision, "recall": recall, "f1": f1}


def _metrics(weights: np.ndarray, m: np.ndarray, h: np.ndarray) -> dict[str, np.ndarray]:
    """Per category (columns 0..K-1), macro (K) and micro (K+1), for each row of unit weights."""
    tp, fp, fn = weights @ (m * h), weights @ (m * (1 - h)), weights @ ((1 - m) * h)
    per = _rates(tp, fp, fn)
    micro = _rates(tp.sum(axis=-1), fp.sum(axis=-1), fn.sum(axis=-1))
    return {k: np.concatenate([v, v.mean(axis=-1, keepdims=True), micro[k][..., None]], axis=-1)
            for k, v in per.items()}


def _group_scores(m, h, labels, group, *, n_boot, seed, ci) -> list[dict]:
    n = len(m)
    point = _metrics(np.ones((1, n)), m, h)
    boot = _metrics(bootstrap.counts(n, n_boot=n_boot, rng=bootstrap.group_rng(seed, (group,))).astype("float64"), m, h) if n else None
    q = [(1 - ci) / 2, (1 + ci) / 2]
    rows = []
    names = [*labels, "macro", "micro"]
    support, predicted = h.sum(axis=0), m.sum(axis=0)
    for k, name in enumerate(names):
        row = {"group": group, "category": name, "n": n,
               "support": int(support[k]) if k < len(labels) else int(support.sum()),
               "predicted": int(predicted[k]) if k < len(labels) else int(predicted.sum())}  # fmt: skip
        for metric in _METRICS:
            row[metric] = float(point[metric][0, k]) if n else np.nan
            low, high = np.quantile(boot[metric][:, k], q) if n else (np.nan, np.nan)
            row[f"{metric}_low"], row[f"{metric}_high"] = float(low), float(high)
        rows.append(row)
    return rows


def compare(
    machine: pd.DataFrame,
    human: pd.DataFrame,
    *,
    on: str | Sequence[str] = "unit",
    by: str | None = None,
    labels: Sequence[str] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    ci: float = 0.95,
) -> Comparison:
    """Score ``machine`` codes against ``human`` codes (see the module notes).

    ``labels`` fixes the categories and their order (default: every category either side uses,
    sorted); codes outside ``labels`` are a ValueError. ``by`` names a column of either table
    (e.g. ``outlet``) for scores per group beside the pooled ``all``.
    """
    if not 0 < ci < 1 or n_boot < 1:
        raise ValueError(f"compare: need 0 < ci < 1 and n_boot >= 1, got ci={ci!r}, n_boot={n_boot!r}")
    keys = [on] if isinstance(on, str) else list(on)
    kind = _kind(machine, "machine")
    if _kind(human, "human") != kind:
        raise ValueError("compare: machine and human codes must have the same shape (both labels or both presence)")
    col = "label" if kind == "labels" else "category"
    used = {str(v) for t in (machine, human) for v in t[col].dropna() if str(v).strip()}
    if labels is None:
        labels = sorted(used)
    labels = [str(v) for v in labels]
    outside = sorted(used - set(labels))
    if outside:
        raise ValueError(f"compare: categories not in labels=: {', '.join(outside)}")
    problems: list[tuple] = []
    mm = _matrix(machine, keys, kind, labels, "machine", problems)
    hh = _matrix(human, keys, kind, labels, "human", problems)
    both = mm.index.intersection(hh.index).sort_values()
    for side, index in (("machine", mm.index), ("human", hh.index)):
        for key in index.difference(both):
            problems.append((*key, side, f"only in the {side} codes"))
    m = mm.loc[both].to_numpy(dtype="float64")
    h = hh.loc[both].to_numpy(dtype="float64")
    units = both.to_frame(index=False)
    groups = [ALL]
    if by is not None:
        source = machine if by in machine.columns else human if by in human.columns else None
        if source is None:
            raise KeyError(f"compare: column {by!r} in neither table")
        lookup = source.assign(**{k: source[k].astype("str") for k in keys}).drop_duplicates(keys)
        units = units.merge(lookup[[*keys, by]], on=keys, how="left", validate="one_to_one")
        units[by] = units[by].astype("str").fillna("(missing)")
        groups += sorted(set(units[by]))
    rows, confusion = [], []
    for group in groups:
        mask = np.ones(len(units), dtype=bool) if group == ALL else (units[by] == group).to_numpy()
        rows += _group_scores(m[mask], h[mask], labels, group, n_boot=n_boot, seed=seed, ci=ci)
        confusion += _confusion(m[mask], h[mask], labels, group, kind)
    name = by or "group"
    scores = pd.DataFrame(rows).rename(columns={"group": name})
    scores = scores.astype({name: "str", "category": "str", "n": "int64", "support": "int64", "predicted": "int64"})
    conf_cols = ["group", "human", "machine", "n"] if kind == "labels" else ["group", "category", "human", "machine", "n"]
    confusion_df = pd.DataFrame(confusion, columns=conf_cols).rename(columns={"group": name})
    unmatched = pd.DataFrame(problems, columns=[*keys, "side", "reason"]).astype("str")
    unmatched = unmatched.sort_values([*keys, "side"], kind="mergesort").reset_index(drop=True)
    return Comparison(kind=kind, labels=tuple(labels), scores=scores, confusion=confusion_df, unmatched=unmatched)


def _confusion(m: np.ndarray, h: np.ndarray, labels: list[str], group: str, kind: str) -> list[tuple]:
    if kind == "labels":
        table = h.T @ m  # human category × machine category
        return [(group, a, b, int(table[i, j])) for i, a in enumerate(labels) for j, b in enumerate(labels)]
    rows = []
    for k, label in enumerate(labels):
        for hv, hn in ((1, "yes"), (0, "no")):
            for mv, mn in ((1, "yes"), (0, "no")):
                rows.append((group, label, hn, mn, int(((h[:, k] == hv) & (m[:, k] == mv)).sum())))
    return rows


# --- human reference codes -----------------------------------------------------------------------


def consensus(codes: pd.DataFrame, variable: str, *, coders: Sequence[str] | None = None,
              min_coders: int = 1) -> pd.DataFrame:
    """The majority code per unit for one variable: ``[unit, label, coders, share]``, sorted by unit.

    ``codes`` is a long table ``[unit, coder, variable, value]``; ``coders`` keeps only those
    coders. Units coded by fewer than ``min_coders`` coders, and ties between values, get no
    label: they are left out and listed in ``result.attrs["ties"]`` and ``attrs["too_few"]``.

    >>> codes = pd.DataFrame({"unit": ["u", "u", "u", "v", "v"], "coder": ["A", "B", "C", "A", "B"],
    ...                       "variable": ["tone"] * 5, "value": ["pos", "pos", "neg", "pos", "neg"]})
    >>> t = consensus(codes, "tone")
    >>> t.values.tolist(), t.attrs["ties"]
    ([['u', 'pos', 3, 0.6666666666666666]], ['v'])
    """
    rows = codes[codes["variable"] == variable]
    if coders is not None:
        rows = rows[rows["coder"].isin(list(coders))]
    out, ties, too_few = [], [], []
    for unit, values in rows.groupby("unit", sort=True)["value"]:
        counted = Counter(values).most_common()
        if len(values) < min_coders:
            too_few.append(str(unit))
        elif len(counted) > 1 and counted[0][1] == counted[1][1]:
            ties.append(str(unit))
        else:
            out.append((str(unit), str(counted[0][0]), len(values), counted[0][1] / len(values)))
    table = pd.DataFrame(out, columns=["unit", "label", "coders", "share"])
    table = table.astype({"unit": "str", "label": "str", "coders": "int64", "share": "float64"})
    table.attrs["ties"], table.attrs["too_few"] = ties, too_few
    return table


def consensus_presence(codes: pd.DataFrame, variables: Sequence[str], **options) -> pd.DataFrame:
    """Majority presence codes (variables coded ``1``/``0``) as a presence table ``[unit, category, present]``.

    A unit without a majority on some variable is left out (listed in ``attrs["ties"]``).

    >>> codes = pd.DataFrame({"unit": ["u", "u"], "coder": ["A", "B"], "variable": ["war", "war"], "value": ["1", "1"]})
    >>> consensus_presence(codes, ["war"]).values.tolist()
    [['u', 'war', 1]]
    """
    parts, ties = [], set()
    for variable in variables:
        one = consensus(codes, variable, **options)
        ties |= set(one.attrs["ties"]) | set(one.attrs["too_few"])
        parts.append(pd.DataFrame({"unit": one["unit"], "category": variable,
                                   "present": (one["label"] == "1").astype("int64")}))  # fmt: skip
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["unit", "category", "present"])
    complete = table.groupby("unit")["category"].transform("size") == len(list(variables))
    ties |= set(table.loc[~complete, "unit"])
    table = table[complete & ~table["unit"].isin(ties)]
    order = pd.Categorical(table["category"], categories=list(variables), ordered=True)
    table = table.assign(_c=order).sort_values(["unit", "_c"], kind="mergesort").drop(columns="_c")
    table = table.astype({"unit": "str", "category": "str", "present": "int64"}).reset_index(drop=True)
    table.attrs["ties"] = sorted(ties)
    return table
