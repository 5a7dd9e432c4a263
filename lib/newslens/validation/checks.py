"""Each newslens measure against a coding round: the coders' majority as reference, scored.

For every measure in :data:`CHECKS` the human reference is the coders' majority code per unit
(:func:`~newslens.validation.consensus`; ties are left out and counted), and the machine's
codes come from the measure's adapter (:mod:`newslens.validation.measures`) run on the coded
articles only:

=====================  ======================================  =================================================
measure                human variables                         machine codes
=====================  ======================================  =================================================
``frames``             a 0/1 variable per frame of the scheme  frame dictionaries, the default presence rule
``calibrated_frames``  the same                                the rule calibrated on the other folds (held out)
``dominant_frame``     ``frame``                               frame dictionaries, the dominant frame
``classifier``         ``frame``                               the frame classifier, out-of-fold predictions
``tone``               ``tone``                                VADER, three classes at ±0.05
``actor_tone``         ``tone:<actor>``, one per actor         VADER on the sentences that name the actor
``quoted``             ``quoted:<actor>`` (1/0), per actor     quotes: the actor is a speaker in the article
=====================  ======================================  =================================================

Each :class:`MeasureCheck` holds the :class:`~newslens.validation.Comparison` (precision,
recall and F1 with intervals, pooled and per outlet, the confusion table) and, per variable,
Krippendorff's α between the machine and the coders' majority — the machine read as one more
coder and judged by the same 0.667/0.8 rule — beside the variable's F1 (presence: of "present";
labels: macro-F1). A measure that cannot be compared (no such variable coded, too few examples
for the classifier, sentence units for an article measure) is kept with a ``note`` saying why.
Units coded as sentences (``id:part:sentence_no``) are compared for ``tone`` only.

:func:`verdict_table` puts the coders' own α (how far the reference can be trusted) beside the
machine's, one plain sentence per measure and variable.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from newslens.choices import check_choice
from newslens.validation.agreement import TENTATIVE, alpha_ci
from newslens.validation.calibrate import cv_presence, frame_agreement, rule_agreement
from newslens.validation.codebook import check_codebook
from newslens.validation.compare import Comparison, compare, consensus, consensus_presence
from newslens.validation.measures import (actor_tone_labels, cv_labels, frame_dominant, frame_presence,
                                          quoted_speakers, vader_tone)
from newslens.validation.sampling import SENTENCE_UNIT, article_id

__all__ = ["CHECKS", "MeasureCheck", "check_measures", "coded_frames", "frame_coding", "unit_kind",
           "machine_agreement", "verdict_table", "calibration_table", "scores_table"]

CHECKS: dict[str, str] = {
    "frames": "frame dictionaries (presence, default rule)",
    "calibrated_frames": "frame dictionaries (presence, calibrated rule, cross-validated)",
    "dominant_frame": "frame dictionaries (dominant frame)",
    "classifier": "frame classifier (dominant frame, cross-validated)",
    "tone": "VADER tone (3 classes at ±0.05)",
    "actor_tone": "VADER tone toward each actor (3 classes)",
    "quoted": "quotes: who is quoted (the actor as speaker)",
}
"""The measures :func:`check_measures` compares, with the name the report gives them."""

DOMINANT = "frame"
AGREEMENT_COLUMNS = ["measure", "variable", "level", "units", "alpha", "ci_low", "ci_high", "p_below", "minimum",
                     "verdict", "f1_of", "f1", "f1_low", "f1_high"]
PAIR_COLUMNS = ["measure", "variable", "unit", "outlet", "human", "machine"]


@dataclass(frozen=True)
class MeasureCheck:
    """One measure against the coders' majority (see the module notes).

    ``agreement``: per variable ``[measure, variable, level, units, alpha, ci_low, ci_high,
    p_below, minimum, verdict, f1_of, f1, f1_low, f1_high]`` (α of machine and majority);
    ``pairs``: every matched code ``[measure, variable, unit, outlet, human, machine]``;
    ``detail``: the measure's own table (the rule of each frame for ``frames``, the calibrated
    rules of :func:`~newslens.validation.frame_agreement` for ``calibrated_frames``, the
    cross-validation summary for ``classifier``; else empty); ``note``: what was compared, or why not.
    """

    measure: str
    description: str
    variables: tuple[str, ...]
    comparison: Comparison | None
    agreement: pd.DataFrame
    pairs: pd.DataFrame
    detail: pd.DataFrame
    note: str

    @property
    def ran(self) -> bool:
        """Whether the measure was compared."""
        return self.comparison is not None


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})


def unit_kind(codes: pd.DataFrame, articles: pd.DataFrame) -> str:
    """``"article"`` when coded units are article ids of ``articles``, ``"sentence"`` when they are
    sentence units of them (``id:part:sentence_no``), ``""`` when none is either.

    >>> docs = pd.DataFrame({"id": ["a1"]})
    >>> [unit_kind(pd.DataFrame({"unit": [u]}), docs) for u in ("a1", "a1:body:2", "zz")]
    ['article', 'sentence', '']
    """
    ids = set(articles["id"].astype("str"))
    coded = set(codes["unit"].astype("str"))
    if coded & ids:
        return "article"
    if any(SENTENCE_UNIT.match(u) and article_id(u) in ids for u in coded):
        return "sentence"
    return ""


def coded_frames(codes: pd.DataFrame, scheme: str | os.PathLike = "generic") -> list[str]:
    """The frames of ``scheme`` (residual frame aside) coded as presence variables, in scheme order.

    >>> coded_frames(pd.DataFrame({"variable": ["tone", "morality", "conflict"]}))
    ['conflict', 'morality']
    """
    from newslens.framing import load_scheme

    coded = set(codes["variable"])
    return [f for f in load_scheme(scheme).dictionary.categories if f in coded]


def frame_coding(codes: pd.DataFrame, frames: Sequence[str]) -> pd.DataFrame:
    """The coders' majority presence codes as the wide table calibration reads: ``id`` + a 0/1 column per frame.

    Units without a majority on every frame are left out (listed in ``attrs["ties"]``).

    >>> codes = pd.DataFrame({"unit": ["u", "u"], "coder": ["A", "B"], "variable": ["war", "war"], "value": ["1"] * 2})
    >>> frame_coding(codes, ["war"]).values.tolist()
    [['u', 1]]
    """
    from newslens.validation.compare import consensus_presence

    human = consensus_presence(codes, list(frames))
    wide = human.pivot(index="unit", columns="category", values="present").reindex(columns=list(frames))
    wide = wide.reset_index().rename(columns={"unit": "id"}).rename_axis(columns=None)
    wide = wide.astype({f: "int64" for f in frames}).sort_values("id", kind="mergesort").reset_index(drop=True)
    wide.attrs["ties"] = human.attrs["ties"]
    return wide


def _spec(book: pd.DataFrame, variable: str) -> tuple[str, list[str]]:
    rows = book[book["variable"] == variable]
    return str(rows["level"].iloc[0]), list(rows["value"])


def _majority(codes: pd.DataFrame, variable: str, units: set[str]) -> tuple[pd.DataFrame, int, int]:
    """Majority labels of ``variable`` for units in ``units``; the counts of ties and of units outside."""
    one = consensus(codes, variable)
    inside = one["unit"].isin(units)
    return one[inside].reset_index(drop=True), len(one.attrs["ties"]), int((~inside).sum())


def _with_outlet(table: pd.DataFrame, docs: pd.DataFrame, key: str = "unit") -> pd.DataFrame:
    if "outlet" not in docs.columns or "outlet" in table.columns:
        return table
    outlets = docs.assign(_id=docs["id"].astype("str")).drop_duplicates("_id").set_index("_id")["outlet"]
    return table.assign(outlet=table[key].map(outlets).to_numpy())


def _variable_agreement(measure, variable, level, scale, human, machine, *, n_boot, seed, minimum):
    """α of machine and majority on one variable (two aligned lists of codes), as one agreement row."""
    data = [list(machine), list(human)]
    if level in ("interval", "ratio"):
        data = [[float(v) for v in row] for row in data]
        scale = [float(v) for v in scale]
    result = alpha_ci(data, level=level, values=scale, n_boot=n_boot, seed=seed, minimum=minimum,
                      key=("machine", measure, variable))
    return {"measure": measure, "variable": variable, "level": level, "units": len(data[0]),
            "alpha": result.alpha, "ci_low": result.ci_low, "ci_high": result.ci_high, "p_below": result.p_below,
            "minimum": result.minimum, "verdict": result.verdict()}  # fmt: skip


def _f1(comparison: Comparison, category: str) -> dict:
    row = comparison.scores[(comparison.scores.iloc[:, 0] == "all") & (comparison.scores["category"] == category)]
    return {"f1_of": "present" if comparison.kind == "presence" else "macro",
            "f1": float(row["f1"].iloc[0]), "f1_low": float(row["f1_low"].iloc[0]),
            "f1_high": float(row["f1_high"].iloc[0])}  # fmt: skip


def _agreement_frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    return out.astype({"measure": "str", "variable": "str", "level": "str", "verdict": "str", "f1_of": "str",
                       "units": "int64"})


def _pairs_frame(rows: list[pd.DataFrame]) -> pd.DataFrame:
    if not rows:
        return _empty(PAIR_COLUMNS)
    return pd.concat(rows, ignore_index=True)[PAIR_COLUMNS].astype("str").reset_index(drop=True)


class _Skip(Exception):
    """A measure that cannot be compared; the message says why."""


def _presence_rows(name, machine, human, comparison, book, variables, options) -> tuple[list, list]:
    """Per (codebook variable, category) of a presence measure: its α-and-F1 row and its matched pairs."""
    merged = machine.merge(human, on=["unit", "category"], suffixes=("_machine", "_human"))
    rows, pairs = [], []
    for variable, category in variables:
        one = merged[merged["category"] == category]
        level, scale = _spec(book, variable)
        human_codes, machine_codes = one["present_human"].astype("str"), one["present_machine"].astype("str")
        row = _variable_agreement(name, variable, level, scale, human_codes, machine_codes, **options["alpha"])
        rows.append(row | _f1(comparison, category))
        pairs.append(pd.DataFrame({"measure": name, "variable": variable, "unit": one["unit"],
                                   "outlet": one["outlet"] if "outlet" in one.columns else "",
                                   "human": human_codes, "machine": machine_codes}))  # fmt: skip
    return rows, pairs


def _presence_check(name, docs, codes, book, frames, options) -> tuple:
    if not frames:
        raise _Skip("no frame of the scheme is coded as a presence variable (code them with --variables frames)")
    wide = frame_coding(codes, frames)
    ties = len(wide.attrs["ties"])
    wide = wide[wide["id"].isin(set(docs["id"].astype("str")))].reset_index(drop=True)
    if wide.empty:
        raise _Skip("no coded article has a majority code on every frame")
    human = wide.melt(id_vars="id", var_name="category", value_name="present").rename(columns={"id": "unit"})
    coded = docs[docs["id"].astype("str").isin(set(wide["id"]))]
    scheme = options["scheme"]
    if name == "frames":
        machine = frame_presence(coded, scheme, threshold=options["threshold"], min_hits=options["min_hits"])
        detail = rule_agreement(coded, wide, scheme=scheme, min_hits=options["min_hits"],
                                threshold=options["threshold"])
    else:
        folds = options["folds"]
        if len(wide) < max(2, folds):
            raise _Skip(f"{len(wide)} articles with a majority code on every frame: too few for {folds}-fold "
                        "cross-validation")
        machine = cv_presence(coded, wide, scheme=scheme, folds=folds, seed=options["seed"])
        detail = frame_agreement(coded, wide, scheme=scheme, folds=folds, seed=options["seed"])
    machine = machine[machine["category"].isin(frames)].reset_index(drop=True)
    comparison = compare(machine, human, by="outlet" if "outlet" in machine.columns else None, labels=frames,
                         n_boot=options["n_boot"], seed=options["seed"])
    rows, pairs = _presence_rows(name, machine, human, comparison, book, zip(frames, frames), options)
    note = (f"{len(wide)} coded articles with a majority code on all {len(frames)} frames"
            + (f" ({ties} left out: no majority on some frame)" if ties else ""))
    return comparison, rows, pairs, detail, note


def _label_check(name, docs, codes, book, variable, options, kind) -> tuple:
    if not (codes["variable"] == variable).any():
        hint = "--variables dominant" if variable == DOMINANT else "--variables tone"
        raise _Skip(f"no variable {variable!r} is coded (code it with {hint})")
    level, scale = _spec(book, variable)
    units = set(docs["id"].astype("str")) if kind == "article" else None
    if kind == "sentence":
        from newslens.validation.sampling import units as unit_table

        units = set(unit_table(docs, unit="sentence")["unit"])
    human, ties, outside = _majority(codes, variable, units)
    if human.empty:
        raise _Skip(f"no coded unit has a majority code for {variable!r}")
    detail = _empty([])
    extra = ""
    if name == "dominant_frame":
        coded = docs[docs["id"].astype("str").isin(set(human["unit"]))]
        machine = frame_dominant(coded, options["scheme"], threshold=options["threshold"], min_hits=options["min_hits"])
    elif name == "classifier":
        machine, human, detail, extra = _classifier(docs, human, options)
    else:
        coded = docs[docs["id"].astype("str").isin({article_id(u) for u in human["unit"]})]
        machine = vader_tone(coded, unit=kind)
        machine = machine[machine["unit"].isin(set(human["unit"]))].reset_index(drop=True)
    labels = scale + sorted(set(machine["label"]) - set(scale))
    comparison = compare(machine, human, by="outlet" if "outlet" in machine.columns else None, labels=labels,
                         n_boot=options["n_boot"], seed=options["seed"])
    merged = machine.merge(human[["unit", "label"]], on="unit", suffixes=("_machine", "_human"))
    row = _variable_agreement(name, variable, level, labels, merged["label_human"], merged["label_machine"],
                              **options["alpha"])  # fmt: skip
    pairs = pd.DataFrame({"measure": name, "variable": variable, "unit": merged["unit"],
                          "outlet": merged["outlet"] if "outlet" in merged.columns else "",
                          "human": merged["label_human"], "machine": merged["label_machine"]})  # fmt: skip
    note = (f"{len(human)} coded {kind}s with a majority code for {variable!r}"
            + (f" ({ties} left out: tied codes)" if ties else "")
            + (f"; {outside} coded units not in the corpus table" if outside else "") + extra)
    return comparison, [row | _f1(comparison, "macro")], [pairs], detail, note


def _classifier(docs, human, options):
    from newslens.framing import Coding, evaluate

    counts = human["label"].value_counts()
    rare = sorted(counts[counts < 2].index)
    kept = human[~human["label"].isin(rare)].reset_index(drop=True)
    if kept["label"].nunique() < 2:
        raise _Skip("the classifier needs at least two frames with two or more coded examples each")
    coding = Coding.from_frame(pd.DataFrame({"id": kept["unit"], "label": kept["label"]}), text_col=None,
                               id_col="id", label_col="label", corpus=docs, source="the coders' majority")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        result = evaluate(coding, folds=options["folds"], seed=options["seed"])
    machine, truth = cv_labels(result)
    machine = _with_outlet(machine, docs)
    extra = f"; {result.folds}-fold cross-validation, every label predicted by a model that never saw the unit"
    if rare:
        extra += (f"; left out: {int(counts[rare].sum())} unit(s) whose frame has a single example "
                  f"({', '.join(repr(r) for r in rare)}), since a classifier cannot learn a frame from one example")
    extra += "".join(f"; {w.message}" for w in caught)
    return machine, truth, result.summary, extra


def _actor_check(name, docs, codes, book, prefix, options) -> tuple:
    variables = sorted({v for v in codes["variable"] if str(v).startswith(prefix)})
    if not variables:
        raise _Skip(f"no actor tone variable ({prefix}<actor>) is coded")
    ids = set(docs["id"].astype("str"))
    parts, ties = [], 0
    for variable in variables:
        one, tied, _outside = _majority(codes, variable, ids)
        ties += tied
        parts.append(one.assign(actor=variable[len(prefix):])[["unit", "actor", "label"]])
    human = pd.concat(parts, ignore_index=True)
    if human.empty:
        raise _Skip("no coded article has a majority code for an actor's tone")
    coded = docs[docs["id"].astype("str").isin(set(human["unit"]))]
    machine = actor_tone_labels(coded, actors=options["actors"], rollup=options["rollup"])
    machine = machine[machine["actor"].isin(set(human["actor"]))].reset_index(drop=True)
    scale = list(dict.fromkeys(v for variable in variables for v in _spec(book, variable)[1]))
    labels = scale + sorted(set(machine["label"]) - set(scale))
    options_compare = {"labels": labels, "n_boot": options["n_boot"], "seed": options["seed"]}
    by = "outlet" if "outlet" in machine.columns else None
    comparison = compare(machine, human, on=("unit", "actor"), by=by, **options_compare)
    merged = machine.merge(human, on=["unit", "actor"], suffixes=("_machine", "_human"))
    rows, pairs = [], []
    for variable in variables:
        actor = variable[len(prefix):]
        one = merged[merged["actor"] == actor]
        level, _scale = _spec(book, variable)
        row = _variable_agreement(name, variable, level, labels, one["label_human"], one["label_machine"],
                                  **options["alpha"])  # fmt: skip
        alone = compare(machine[machine["actor"] == actor], human[human["actor"] == actor], on=("unit", "actor"),
                        **options_compare)
        rows.append(row | _f1(alone, "macro"))
        pairs.append(pd.DataFrame({"measure": name, "variable": variable, "unit": one["unit"],
                                   "outlet": one["outlet"] if "outlet" in one.columns else "",
                                   "human": one["label_human"], "machine": one["label_machine"]}))  # fmt: skip
    missing = len(human) - len(merged)
    note = (f"{len(human)} coded (article, actor) pairs with a majority code, {len(merged)} of them with a "
            f"machine tone" + (f" ({missing} pairs whose article never names the actor by the actors dictionary)"
                                if missing else "") + (f"; {ties} left out: tied codes" if ties else ""))
    return comparison, rows, pairs, _empty([]), note


def _quoted_check(name, docs, codes, book, prefix, options) -> tuple:
    variables = sorted({v for v in codes["variable"] if str(v).startswith(prefix)})
    if not variables:
        raise _Skip(f"no quoted variable ({prefix}<actor>, 1/0) is coded")
    human = consensus_presence(codes, variables)
    ties = len(human.attrs["ties"])
    human = human[human["unit"].isin(set(docs["id"].astype("str")))]
    if human.empty:
        raise _Skip("no coded article has a majority code on every quoted variable")
    actors = [v[len(prefix):] for v in variables]
    human = human.assign(category=human["category"].str.slice(len(prefix))).reset_index(drop=True)
    coded = docs[docs["id"].astype("str").isin(set(human["unit"]))]
    machine = quoted_speakers(coded, categories=actors, actors=options["actors"])
    comparison = compare(machine, human, by="outlet" if "outlet" in machine.columns else None, labels=actors,
                         n_boot=options["n_boot"], seed=options["seed"])
    rows, pairs = _presence_rows(name, machine, human, comparison, book, zip(variables, actors), options)
    note = (f"{human['unit'].nunique()} coded articles with a majority code on all {len(variables)} quoted "
            "variables" + (f" ({ties} left out: no majority on some variable)" if ties else ""))
    return comparison, rows, pairs, _empty([]), note


def check_measures(
    articles: pd.DataFrame,
    codes: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    measures: Sequence[str] = tuple(CHECKS),
    scheme: str | os.PathLike = "generic",
    threshold: float = 1.0,
    min_hits: int = 2,
    tone_variable: str = "tone",
    actor_prefix: str = "tone:",
    quoted_prefix: str = "quoted:",
    actors=None,
    rollup: bool = False,
    folds: int = 5,
    n_boot: int = 1000,
    seed: int = 0,
    minimum: float = TENTATIVE,
) -> dict[str, MeasureCheck]:
    """Compare each of ``measures`` with the coders' majority (see the module notes), by name.

    ``articles`` is the corpus table (coded units outside it are counted, not compared),
    ``codes`` the long coding table of :func:`~newslens.validation.read_coding`, ``codebook``
    its codebook. ``threshold``/``min_hits`` are the default frame presence rule (as in the
    framing report), ``actors``/``rollup`` those of the actor tone (``actors`` also names the
    speakers of ``quoted``). Intervals: ``n_boot``
    seeded bootstrap resamples over units; α's ``p_below`` is P(α < ``minimum``).
    """
    for name in measures:
        check_choice("measure", name, tuple(CHECKS))
    book = check_codebook(codebook)
    kind = unit_kind(codes, articles)
    options = {"scheme": scheme, "threshold": threshold, "min_hits": min_hits, "folds": folds, "n_boot": n_boot,
               "seed": seed, "actors": actors, "rollup": rollup,
               "alpha": {"n_boot": n_boot, "seed": seed, "minimum": minimum}}  # fmt: skip
    coded = set(codes["unit"].astype("str"))
    if kind == "sentence":
        coded = {article_id(u) for u in coded}
    docs = articles[articles["id"].astype("str").isin(coded)].reset_index(drop=True)
    frames = coded_frames(codes, scheme)
    variables = {"frames": frames, "calibrated_frames": frames, "dominant_frame": [DOMINANT],
                 "classifier": [DOMINANT], "tone": [tone_variable],
                 "actor_tone": sorted({v for v in codes["variable"] if str(v).startswith(actor_prefix)}),
                 "quoted": sorted({v for v in codes["variable"] if str(v).startswith(quoted_prefix)})}  # fmt: skip
    out = {}
    for name in dict.fromkeys(measures):
        try:
            if not kind:
                raise _Skip("no coded unit is an article (or a sentence of an article) of the corpus table")
            if kind == "sentence" and name != "tone":
                raise _Skip("the coded units are sentences; this measure is compared on articles")
            if name in ("frames", "calibrated_frames"):
                result = _presence_check(name, docs, codes, book, frames, options)
            elif name == "actor_tone":
                result = _actor_check(name, docs, codes, book, actor_prefix, options)
            elif name == "quoted":
                result = _quoted_check(name, docs, codes, book, quoted_prefix, options)
            else:
                variable = DOMINANT if name in ("dominant_frame", "classifier") else tone_variable
                result = _label_check(name, docs, codes, book, variable, options, kind)
        except _Skip as why:
            out[name] = MeasureCheck(name, CHECKS[name], tuple(variables[name]), None, _agreement_frame([]),
                                     _pairs_frame([]), _empty([]), f"not compared: {why}")
            continue
        comparison, rows, pairs, detail, note = result
        out[name] = MeasureCheck(name, CHECKS[name], tuple(variables[name]), comparison, _agreement_frame(rows),
                                 _pairs_frame(pairs), detail.reset_index(drop=True), note)
    return out


def scores_table(checks: Mapping[str, MeasureCheck]) -> pd.DataFrame:
    """Every compared measure's scores in one table: ``measure`` then the :class:`Comparison` columns.

    The group column is named ``group`` (``all`` or an outlet).
    """
    parts = [c.comparison.scores.rename(columns={c.comparison.scores.columns[0]: "group"}).assign(measure=name)
             for name, c in checks.items() if c.ran]
    if not parts:
        return _empty(["measure", "group", "category"])
    out = pd.concat(parts, ignore_index=True)
    return out[["measure", *[c for c in out.columns if c != "measure"]]].reset_index(drop=True)


def machine_agreement(checks: Mapping[str, MeasureCheck]) -> pd.DataFrame:
    """Every compared measure's α with the coders' majority, one row per measure and variable.

    The ``agreement`` tables of the checks stacked, with ``label`` (``measure: variable``) first.
    """
    parts = [c.agreement for c in checks.values() if c.ran]
    if not parts:
        return _agreement_frame([]).assign(label=pd.Series(dtype="str"))[["label", *AGREEMENT_COLUMNS]]
    out = pd.concat(parts, ignore_index=True)
    out.insert(0, "label", out["measure"] + ": " + out["variable"])
    return out.reset_index(drop=True)


def verdict_table(agreement: pd.DataFrame, checks: Mapping[str, MeasureCheck]) -> pd.DataFrame:
    """One row per compared measure and variable: can the coders be trusted, and does the machine match them?

    ``agreement`` is :func:`~newslens.validation.agreement_table` of the same coding round.
    Columns: ``measure, description, variable, coders, coders_alpha, coders_ci_low, coders_ci_high,
    coders_verdict, units, machine_alpha, machine_ci_low, machine_ci_high, machine_verdict, f1_of,
    f1, f1_low, f1_high, verdict``; ``verdict`` says it in words.
    """
    human = agreement.set_index("variable")
    rows = []
    for name, check in checks.items():
        for r in check.agreement.itertuples(index=False):
            coders = human.loc[r.variable] if r.variable in human.index else None
            coders_verdict = coders["verdict"] if coders is not None else "no coder agreement (not coded twice)"
            what = "F1 of present" if r.f1_of == "present" else "macro-F1"
            if np.isnan(r.f1):
                f1 = f"{what} undefined (neither the coders' majority nor the machine uses the code)"
            else:
                f1 = f"{what} = {r.f1:.2f} [{r.f1_low:.2f}, {r.f1_high:.2f}]"
            sentence = (f"Coders: {coders_verdict}. {check.description[0].upper()}{check.description[1:]} against "
                        f"their majority: {r.verdict}; {f1}; n = {r.units} units.")
            rows.append({
                "measure": name, "description": check.description, "variable": r.variable,
                "coders": int(coders["coders"]) if coders is not None else 0,
                "coders_alpha": coders["alpha"] if coders is not None else np.nan,
                "coders_ci_low": coders["ci_low"] if coders is not None else np.nan,
                "coders_ci_high": coders["ci_high"] if coders is not None else np.nan,
                "coders_verdict": coders_verdict, "units": r.units, "machine_alpha": r.alpha,
                "machine_ci_low": r.ci_low, "machine_ci_high": r.ci_high, "machine_verdict": r.verdict,
                "f1_of": r.f1_of, "f1": r.f1, "f1_low": r.f1_low, "f1_high": r.f1_high, "verdict": sentence,
            })  # fmt: skip
    columns = ["measure", "description", "variable", "coders", "coders_alpha", "coders_ci_low", "coders_ci_high",
               "coders_verdict", "units", "machine_alpha", "machine_ci_low", "machine_ci_high", "machine_verdict",
               "f1_of", "f1", "f1_low", "f1_high", "verdict"]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"coders": "int64", "units": "int64"}).reset_index(drop=True)


def calibration_table(checks: Mapping[str, MeasureCheck]) -> pd.DataFrame:
    """Default and calibrated presence rule per frame, side by side (long: one row per frame and rule).

    Columns: ``frame, rule, min_hits, threshold, n, support, predicted, precision, precision_low,
    precision_high, recall, recall_low, recall_high, f1, f1_low, f1_high``; ``rule`` is
    ``default`` or ``calibrated (cross-validated)``. Scores are pooled over outlets; the
    calibrated rule's are held out (each article scored by a rule fitted without it), and its
    ``min_hits``/``threshold`` are the rule fitted on the whole sample, the one the calibrated
    scheme file carries.
    """
    names = {"frames": "default", "calibrated_frames": "calibrated (cross-validated)"}
    parts = []
    for name, rule in names.items():
        check = checks.get(name)
        if check is None or not check.ran:
            continue
        scores = check.comparison.scores
        scores = scores[(scores.iloc[:, 0] == "all") & scores["category"].isin(check.variables)]
        rules = check.detail.set_index("frame")[["min_hits", "threshold"]]
        part = scores.drop(columns=scores.columns[0]).rename(columns={"category": "frame"})
        part = part.join(rules, on="frame").assign(rule=rule)
        parts.append(part)
    columns = ["frame", "rule", "min_hits", "threshold", "n", "support", "predicted", "precision", "precision_low",
               "precision_high", "recall", "recall_low", "recall_high", "f1", "f1_low", "f1_high"]
    if not parts:
        return _empty(columns)
    out = pd.concat(parts, ignore_index=True)[columns]
    order = {f: k for k, f in enumerate(dict.fromkeys(out["frame"]))}
    out = out.assign(_f=out["frame"].map(order)).sort_values(["_f", "rule"], kind="mergesort").drop(columns="_f")
    return out.astype({"frame": "str", "rule": "str"}).reset_index(drop=True)
