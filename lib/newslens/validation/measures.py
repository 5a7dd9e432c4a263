"""Adapters: each newslens measure as a codes table that :func:`newslens.validation.compare` reads.

An adapter takes the corpus (or a measure's own output) and returns codes keyed like the human
coding: ``unit`` (the article id, or ``id:part:sentence_no`` for sentences), more key columns
where the measure needs them (``actor``), ``outlet`` when the corpus has it, and either a
``label`` column (one category per unit) or ``category`` + ``present`` (several per unit).
:data:`MEASURES` lists them with their keys and shape; a new measure is one more function and
one more entry.

>>> docs = pd.DataFrame({"id": ["a", "b"], "text": ["A wonderful, happy day.", "A terrible war."]})
>>> vader_tone(docs)[["unit", "label"]].values.tolist()
[['a', 'positive'], ['b', 'negative']]
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from newslens.choices import check_choice
from newslens.validation.sampling import UNITS, Unit

__all__ = ["Measure", "MEASURES", "TONE_CLASSES", "tone_class", "frame_presence", "frame_dominant",
           "classifier_labels", "cv_labels", "vader_tone", "actor_tone_labels", "human_actor_tone",
           "quoted_speakers"]

TONE_CLASSES = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Measure:
    """A measure's adapter: its ``keys`` (columns that identify a unit) and ``shape`` (labels or presence)."""

    name: str
    keys: tuple[str, ...]
    shape: str
    codes: Callable[..., pd.DataFrame]
    description: str


def tone_class(compound) -> pd.Series:
    """VADER's three classes: positive at >= 0.05, negative at <= -0.05, else neutral (NaN stays NaN).

    >>> tone_class(pd.Series([0.05, 0.0499, -0.05, None])).tolist()
    ['positive', 'neutral', 'negative', nan]
    """
    from newslens.sentiment import NEGATIVE, POSITIVE

    values = pd.to_numeric(pd.Series(compound), errors="coerce").astype("float64")
    out = np.where(values >= POSITIVE, "positive", np.where(values <= NEGATIVE, "negative", "neutral")).astype(object)
    out[values.isna().to_numpy()] = np.nan
    return pd.Series(out, index=values.index, dtype=object)


def _carry(corpus_df: pd.DataFrame) -> list[str]:
    return ["id", *(["outlet"] if "outlet" in corpus_df.columns else [])]


def frame_presence(
    corpus_df: pd.DataFrame,
    scheme: str | os.PathLike = "generic",
    *,
    threshold: float | None = None,
    min_hits: int | None = None,
    text: str = "title+text",
) -> pd.DataFrame:
    """Frame dictionary presence per article: ``[unit, outlet, category, present]``.

    Each frame of the scheme (not the residual frame, which has no indicators) is present by
    the scheme's rule (:func:`newslens.framing.frame_scores`); ``threshold`` and ``min_hits``
    override it for frames whose scheme entry sets none.

    >>> docs = pd.DataFrame({"id": ["a"], "text": ["War and conflict, clashes and tension everywhere."]})
    >>> frame_presence(docs).query("present == 1")["category"].tolist()
    ['conflict']
    """
    from newslens.framing import frame_scores, load_scheme

    options = {k: v for k, v in (("threshold", threshold), ("min_hits", min_hits)) if v is not None}
    s = load_scheme(scheme)
    scores = frame_scores(corpus_df, s, text=text, **options)
    scores = scores[scores["frame"].isin(s.dictionary.categories)]
    carry = [c for c in ("outlet",) if c in scores.columns]
    out = pd.DataFrame({"unit": scores["id"].astype("str"), **{c: scores[c] for c in carry},
                        "category": scores["frame"].astype("str"), "present": scores["present"].astype("int64")})
    return out.reset_index(drop=True)


def frame_dominant(corpus_df: pd.DataFrame, scheme: str | os.PathLike = "generic", **options) -> pd.DataFrame:
    """The dominant frame per article as labels: ``[unit, outlet, label]`` (``none`` when no frame is present)."""
    from newslens.framing import frame_scores, frame_table

    table = frame_table(frame_scores(corpus_df, scheme, **options))
    carry = [c for c in ("outlet",) if c in table.columns]
    return pd.DataFrame({"unit": table["id"].astype("str"), **{c: table[c] for c in carry},
                         "label": table["dominant_frame"].astype("str")})  # fmt: skip


def classifier_labels(predictions: pd.DataFrame) -> pd.DataFrame:
    """Codes from :func:`newslens.framing.predict` output ``[id, label, probability, predicted]``.

    One predicted label per id gives labels ``[unit, label]``; otherwise (multi-label models)
    presence ``[unit, category, present]``.

    >>> p = pd.DataFrame({"id": ["a", "a"], "label": ["eco", "war"], "probability": [0.3, 0.7],
    ...                   "predicted": [False, True]})
    >>> classifier_labels(p).values.tolist()
    [['a', 'war']]
    """
    chosen = predictions[predictions["predicted"].astype(bool)]
    if not chosen["id"].duplicated().any() and set(chosen["id"]) == set(predictions["id"]):
        out = pd.DataFrame({"unit": chosen["id"].astype("str"), "label": chosen["label"].astype("str")})
        return out.sort_values("unit", kind="mergesort").reset_index(drop=True)
    out = pd.DataFrame({"unit": predictions["id"].astype("str"), "category": predictions["label"].astype("str"),
                        "present": predictions["predicted"].astype("int64")})  # fmt: skip
    return out.sort_values(["unit", "category"], kind="mergesort").reset_index(drop=True)


def cv_labels(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Machine and human labels from a cross-validated :class:`newslens.framing.CVResult`.

    Every machine label is an out-of-fold prediction (made by a model that never saw the unit),
    so the comparison is a validity estimate, not an in-sample fit. Units are the article ids,
    or ``row N`` for coding tables without ids. Multi-label results become presence tables.
    """
    p = result.predictions
    units = [i if i else f"row {r}" for i, r in zip(p["id"].astype("str"), p["row"], strict=True)]
    if not any(";" in v for v in (*p["true"], *p["predicted"])):
        return (pd.DataFrame({"unit": units, "label": p["predicted"].astype("str")}),
                pd.DataFrame({"unit": units, "label": p["true"].astype("str")}))  # fmt: skip
    labels = sorted({x for v in (*p["true"], *p["predicted"]) for x in v.split(";") if x})

    def presence(column: str) -> pd.DataFrame:
        sets = [set(v.split(";")) for v in p[column]]
        return pd.DataFrame({"unit": np.repeat(units, len(labels)), "category": labels * len(units),
                             "present": [int(lab in s) for s in sets for lab in labels]})  # fmt: skip

    return presence("predicted"), presence("true")


def vader_tone(corpus_df: pd.DataFrame, *, unit: Unit = "article", sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """VADER tone as three classes at ±0.05: ``[unit, outlet, label]``.

    ``unit="article"``: the article's mean sentence compound (:func:`newslens.sentiment.article_tone`;
    articles without sentences are left out); ``"sentence"``: each sentence's compound, the unit
    ``id:part:sentence_no`` as in :func:`newslens.validation.sample`. ``sentences`` reuses a
    :func:`newslens.sentiment.sentence_tone` table.
    """
    from newslens.sentiment import article_tone, sentence_tone

    check_choice("unit", unit, UNITS)
    scored = sentence_tone(corpus_df) if sentences is None else sentences
    if unit == "article":
        tones = article_tone(corpus_df, sentences=scored, include_title=False)
        tones = tones[tones["tone"].notna()]
        out = pd.DataFrame({"unit": tones["id"].astype("str"), "label": tone_class(tones["tone"]).to_numpy()})
        ids = tones["id"]
    else:
        keys = scored["id"].astype("str") + ":" + scored["part"] + ":" + scored["sentence_no"].astype("str")
        out = pd.DataFrame({"unit": keys.to_numpy(), "label": tone_class(scored["compound"]).to_numpy()})
        ids = scored["id"]
    if "outlet" in corpus_df.columns:
        out.insert(1, "outlet", ids.map(corpus_df.set_index("id")["outlet"]).to_numpy())
    out["label"] = out["label"].astype("str")
    return out.sort_values("unit", kind="mergesort").reset_index(drop=True)


def actor_tone_labels(corpus_df: pd.DataFrame, *, actors=None, rollup: bool = False,
                      sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tone toward each mentioned actor per article, three classes: ``[unit, actor, outlet, label]``.

    The class of the mean compound of the article's sentences that mention the actor
    (:func:`newslens.sentiment.actor_tone`); compare on ``("unit", "actor")``. ``actors`` and
    ``rollup`` are those of :func:`newslens.actors.mentions` (``rollup=True``: Putin counts as
    Russia, as in the sentiment report by default).
    """
    from newslens.actors import mentions
    from newslens.sentiment import actor_tone, sentence_tone

    scored = sentence_tone(corpus_df) if sentences is None else sentences
    found = mentions(scored, actors, rollup=rollup)
    tones = actor_tone(scored, found, corpus_df=corpus_df)
    out = pd.DataFrame({"unit": tones["id"].astype("str"), "actor": tones["actor"].astype("str")})
    if "outlet" in tones.columns:
        out["outlet"] = tones["outlet"].to_numpy()
    out["label"] = tone_class(tones["tone"]).astype("str").to_numpy()
    return out.sort_values(["unit", "actor"], kind="mergesort").reset_index(drop=True)


def human_actor_tone(codes: pd.DataFrame, *, prefix: str = "tone:") -> pd.DataFrame:
    """Human actor tone from variables named ``<prefix><actor>`` (e.g. ``tone:NATO``), majority per unit.

    Returns ``[unit, actor, label]`` to compare with :func:`actor_tone_labels` on ``("unit", "actor")``.

    >>> codes = pd.DataFrame({"unit": ["a", "a"], "coder": ["A", "B"], "variable": ["tone:NATO"] * 2,
    ...                       "value": ["negative"] * 2})
    >>> human_actor_tone(codes).values.tolist()
    [['a', 'NATO', 'negative']]
    """
    from newslens.validation.compare import consensus

    parts = []
    for variable in sorted({v for v in codes["variable"] if str(v).startswith(prefix)}):
        one = consensus(codes, variable)
        parts.append(pd.DataFrame({"unit": one["unit"], "actor": variable[len(prefix):], "label": one["label"]}))
    if not parts:
        return pd.DataFrame({"unit": pd.Series(dtype="str"), "actor": pd.Series(dtype="str"),
                             "label": pd.Series(dtype="str")})  # fmt: skip
    out = pd.concat(parts, ignore_index=True).astype("str")
    return out.sort_values(["unit", "actor"], kind="mergesort").reset_index(drop=True)


def quoted_speakers(
    corpus_df: pd.DataFrame,
    *,
    by: str = "actor",
    categories=None,
    actors=None,
    quotes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Who is quoted in each article, as presence: ``[unit, outlet, category, present]``.

    ``present`` is 1 when the article has at least one attribution (:func:`newslens.quotes.extract`,
    direct, mixed or indirect) whose speaker is the category: the canonical actor
    (``by="actor"``, the ``speaker_actor`` column) or the role (``by="role"``: official, expert,
    unnamed, …). Every article of ``corpus_df`` gets one row per category, so an article that
    quotes nobody is a row of zeros, as a coder's sheet would be. ``categories`` defaults to the
    categories found; ``quotes`` reuses an :func:`~newslens.quotes.extract` table. Human codes
    come from 0/1 variables named after the categories (:func:`consensus_presence`).

    >>> docs = pd.DataFrame({"id": ["a", "b"], "text": ['"We will respond," Lavrov said.', "Rain fell."]})
    >>> quoted_speakers(docs, categories=["Lavrov"]).values.tolist()
    [['a', 'Lavrov', 1], ['b', 'Lavrov', 0]]
    """
    from newslens.quotes import extract

    check_choice("by", by, ("actor", "role"))
    found = extract(corpus_df, actors=actors) if quotes is None else quotes
    column = "speaker_actor" if by == "actor" else "role"
    named = found.loc[found[column].notna(), ["id", column]].astype("str")
    pairs = set(zip(named["id"], named[column], strict=True))
    chosen = sorted({c for _, c in pairs}) if categories is None else [str(c) for c in categories]
    ids = sorted(corpus_df["id"].astype("str"))
    out = pd.DataFrame({"unit": np.repeat(ids, len(chosen)), "category": chosen * len(ids),
                        "present": [int((i, c) in pairs) for i in ids for c in chosen]})  # fmt: skip
    if "outlet" in corpus_df.columns:
        out.insert(1, "outlet", out["unit"].map(corpus_df.set_index(corpus_df["id"].astype("str"))["outlet"]))
    return out.astype({"unit": "str", "category": "str", "present": "int64"})


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("frames", ("unit",), "presence", frame_presence, "frame dictionaries: presence of each frame"),
        Measure("dominant_frame", ("unit",), "labels", frame_dominant, "frame dictionaries: the dominant frame"),
        Measure("classifier", ("unit",), "labels", classifier_labels, "the supervised frame classifier"),
        Measure("tone", ("unit",), "labels", vader_tone, "VADER tone in three classes at ±0.05"),
        Measure("actor_tone", ("unit", "actor"), "labels", actor_tone_labels, "tone toward each actor"),
        Measure("quoted", ("unit",), "presence", quoted_speakers, "quotes: who is quoted (actor or role)"),
    )
}
"""The adapters by name, with the keys to compare on and the shape of their codes."""
