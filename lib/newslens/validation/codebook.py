"""Codebooks: the variables coders fill in, their allowed values and each value's definition.

A codebook is a table ``[variable, level, value, label, definition]``, one row per allowed value,
values in scale order (the order an ordinal variable's categories have). Frame codebooks take
their definitions from the scheme's YAML (``lib/newslens/data/frames_*.yml`` or your own file),
so coders read the same description the dictionary was written for. A codebook written beside a
coding workbook reads back with :func:`newslens.validation.read_codebook`.

>>> frame_codebook("generic").groupby("variable", sort=False).size().to_dict()
{'conflict': 2, 'human_interest': 2, 'economic_consequences': 2, 'morality': 2, 'responsibility': 2}
>>> tone_codebook()["value"].tolist()
['negative', 'neutral', 'positive']
"""

from __future__ import annotations

import os
from typing import Literal, get_args

import pandas as pd

from newslens.choices import check_choice
from newslens.framing.frames import NO_FRAME, FrameScheme, load_scheme, scheme_table
from newslens.validation.agreement import LEVELS

__all__ = ["COLUMNS", "FRAME_CODINGS", "frame_codebook", "tone_codebook", "check_codebook", "combine"]

COLUMNS = ["variable", "level", "value", "label", "definition"]
FrameCoding = Literal["presence", "dominant"]
FRAME_CODINGS: tuple[str, ...] = get_args(FrameCoding)
PRESENT, ABSENT = "1", "0"


def check_codebook(codebook: pd.DataFrame) -> pd.DataFrame:
    """A clean copy of ``codebook`` (string columns, index reset) or a ValueError naming the problem.

    >>> check_codebook(pd.DataFrame({"variable": ["v", "v"], "level": ["nominal"] * 2, "value": ["a", "a"],
    ...                              "label": ["", ""], "definition": ["", ""]}))
    Traceback (most recent call last):
    ...
    ValueError: codebook: variable 'v' lists value 'a' twice
    """
    missing = [c for c in COLUMNS if c not in codebook.columns]
    if missing:
        raise ValueError(f"codebook: column(s) {missing} missing (columns: {list(codebook.columns)})")
    out = codebook[COLUMNS].fillna("").astype("str").reset_index(drop=True)
    for col in ("variable", "level", "value"):
        out[col] = out[col].str.strip()
    if (out["variable"] == "").any() or (out["value"] == "").any():
        raise ValueError("codebook: every row needs a variable and a value")
    for variable, rows in out.groupby("variable", sort=False):
        levels = set(rows["level"])
        if len(levels) != 1:
            raise ValueError(f"codebook: variable {variable!r} has several levels: {sorted(levels)}")
        check_choice(f"codebook level of {variable!r}", next(iter(levels)), LEVELS)
        twice = rows["value"][rows["value"].duplicated()]
        if len(twice):
            raise ValueError(f"codebook: variable {variable!r} lists value {twice.iloc[0]!r} twice")
        if next(iter(levels)) in ("interval", "ratio"):
            try:
                [float(v) for v in rows["value"]]
            except ValueError:
                raise ValueError(f"codebook: variable {variable!r} is {next(iter(levels))} but its values "
                                 f"are not all numbers: {list(rows['value'])}") from None
    return out


def frame_codebook(
    scheme: str | os.PathLike | FrameScheme = "generic", *, coding: FrameCoding = "presence"
) -> pd.DataFrame:
    """A codebook for a frame scheme.

    ``coding="presence"``: one nominal variable per frame (the residual frame left out), values
    ``1`` (present: the frame's description) and ``0`` (absent). ``coding="dominant"``: one
    variable ``frame`` whose values are the frames, residual frame included; a scheme without a
    residual frame gets the value ``none`` (no frame of the scheme is present), the label
    :func:`newslens.framing.frame_table` gives such articles.

    >>> frame_codebook("policy", coding="dominant")["value"].tolist()[-2:]
    ['external_regulation', 'other']
    >>> frame_codebook("generic", coding="dominant")["value"].tolist()[-2:]
    ['responsibility', 'none']
    """
    check_choice("coding", coding, FRAME_CODINGS)
    table = scheme_table(scheme)
    rows = []
    if coding == "dominant":
        for r in table.itertuples(index=False):
            rows.append(("frame", "nominal", r.frame, r.label, r.description))
        if not load_scheme(scheme).residual:
            rows.append(("frame", "nominal", NO_FRAME, "No frame", "None of the frames above is present."))
    else:
        for r in table[table["n_patterns"] > 0].itertuples(index=False):
            rows.append((r.frame, "nominal", PRESENT, f"{r.label}: present", r.description))
            rows.append((r.frame, "nominal", ABSENT, f"{r.label}: absent", "The description above does not apply."))
    return check_codebook(pd.DataFrame(rows, columns=COLUMNS))


def tone_codebook(variable: str = "tone", *, target: str = "the unit") -> pd.DataFrame:
    """An ordinal three-class tone variable: negative, neutral, positive (VADER's classes at ±0.05).

    >>> tone_codebook("tone_nato", target="NATO")["definition"].iloc[0]
    'The tone toward NATO is negative: unfavourable, critical or pessimistic.'
    """
    what = "The unit's tone" if target == "the unit" else f"The tone toward {target}"
    rows = [
        (variable, "ordinal", "negative", "Negative", f"{what} is negative: unfavourable, critical or pessimistic."),
        (variable, "ordinal", "neutral", "Neutral", f"{what} is neutral, mixed or balanced."),
        (variable, "ordinal", "positive", "Positive", f"{what} is positive: favourable, approving or hopeful."),
    ]
    return check_codebook(pd.DataFrame(rows, columns=COLUMNS))


def quoted_codebook(actor: str, *, prefix: str = "quoted:") -> pd.DataFrame:
    """A nominal presence variable ``<prefix><actor>``: does the article quote the actor (1) or not (0)?

    >>> quoted_codebook("NATO")["variable"].tolist()
    ['quoted:NATO', 'quoted:NATO']
    """
    said = (f"The article quotes {actor} or reports what {actor} said (in quotation marks or as "
            "reported speech), a spokesperson speaking for them included.")
    rows = [(f"{prefix}{actor}", "nominal", PRESENT, f"{actor} quoted", said),
            (f"{prefix}{actor}", "nominal", ABSENT, f"{actor} not quoted", "The article quotes no statement of theirs.")]
    return check_codebook(pd.DataFrame(rows, columns=COLUMNS))


def combine(*codebooks: pd.DataFrame) -> pd.DataFrame:
    """Several codebooks as one (variables must not repeat).

    >>> combine(tone_codebook(), frame_codebook())["variable"].nunique()
    6
    """
    parts = [check_codebook(c) for c in codebooks]
    seen: set[str] = set()
    for part in parts:
        names = set(part["variable"])
        if names & seen:
            raise ValueError(f"codebook: variable(s) {sorted(names & seen)} defined twice")
        seen |= names
    return check_codebook(pd.concat(parts, ignore_index=True))
