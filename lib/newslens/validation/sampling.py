"""Coding samples: stratified, seeded draws of articles or sentences, never the same unit twice.

Strata are the combinations of the ``by`` columns; ``"period"`` is the calendar ``period``
(default month) containing ``published``, and articles without a date form their own stratum.
``allocation="proportional"`` gives each stratum its share of ``n`` (largest remainders, ties
to the larger stratum, then stratum order); ``"equal"`` gives each the same number (the
remainder to the first strata in order). A stratum with fewer units than allocated gives all of
them: the sample is then smaller than ``n``, and it says so (a ``UserWarning`` and the
``short`` rows of :func:`allocate`). Within a stratum units are drawn without replacement from
their own seeded stream, so adding a stratum does not change what is drawn in the others.

A unit is an article (``unit`` = its id) or a sentence (``unit`` = ``id:part:sentence_no``, e.g.
``a1b2:body:3``; the title is ``a1b2:title:0``). ``weight`` is the stratum's units per drawn unit,
for estimates about the whole corpus from an equal-allocation sample.

>>> docs = pd.DataFrame({"id": list("abcdef"), "outlet": list("XXXXYY"), "text": ["Some text."] * 6})
>>> s = sample(docs, 3, by=("outlet",), seed=0)
>>> s.groupby("outlet").size().to_dict(), s["unit"].is_unique
({'X': 2, 'Y': 1}, True)
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
import pandas as pd

from newslens.aggregate import Period, period_start
from newslens.choices import check_choice

__all__ = ["UNITS", "ALLOCATIONS", "units", "allocate", "sample"]

Unit = Literal["article", "sentence"]
UNITS: tuple[str, ...] = get_args(Unit)
Allocation = Literal["proportional", "equal"]
ALLOCATIONS: tuple[str, ...] = get_args(Allocation)


def units(df: pd.DataFrame, *, unit: Unit = "article", period: Period = "month") -> pd.DataFrame:
    """The population to sample from: one row per article or sentence, with a ``unit`` id.

    Columns: ``unit, id`` (then ``part, sentence_no`` for sentences), the corpus columns
    ``outlet, published, title`` when present, ``period`` when ``published`` is, and ``text``
    (for sentences: the sentence). Sorted by unit.

    >>> docs = pd.DataFrame({"id": ["a"], "title": ["Red lines"], "text": ["One. Two."]})
    >>> units(docs, unit="sentence")[["unit", "text"]].values.tolist()
    [['a:body:0', 'One.'], ['a:body:1', 'Two.'], ['a:title:0', 'Red lines']]
    """
    check_choice("unit", unit, UNITS)
    for col in ("id", "text"):
        if col not in df.columns:
            raise KeyError(f"sample: column {col!r} not in table (columns: {list(df.columns)})")
    if df["id"].duplicated().any():
        raise ValueError(f"sample: article ids must be unique; repeated: {sorted(set(df['id'][df['id'].duplicated()]))[:5]}")
    carry = [c for c in ("outlet", "published", "title") if c in df.columns]
    if unit == "article":
        out = df[["id", *carry, "text"]].copy()
        out.insert(0, "unit", out["id"].astype("str"))
    else:
        from newslens.text import split_sentences

        sents = split_sentences(df[["id", *(["title"] if "title" in df.columns else []), "text"]])
        out = sents.merge(df[["id", *carry]], on="id", how="left", validate="many_to_one")
        out = out.rename(columns={"sentence": "text"})
        out.insert(0, "unit", out["id"].astype("str") + ":" + out["part"] + ":" + out["sentence_no"].astype("str"))
        out = out[["unit", "id", "part", "sentence_no", *carry, "text"]]
    if "published" in out.columns:
        out["period"] = period_start(pd.to_datetime(out["published"]), period)
    return out.sort_values("unit", kind="mergesort").reset_index(drop=True)


def _shares(sizes: np.ndarray, n: int, allocation: str) -> np.ndarray:
    if allocation == "equal":
        base, extra = divmod(n, len(sizes))
        return np.array([base + (k < extra) for k in range(len(sizes))], dtype=np.int64)
    exact = n * sizes / sizes.sum()
    wanted = np.floor(exact).astype(np.int64)
    order = sorted(range(len(sizes)), key=lambda k: (-(exact[k] - wanted[k]), -sizes[k], k))
    for k in order[: n - int(wanted.sum())]:
        wanted[k] += 1
    return wanted


def _check_by(pop: pd.DataFrame, by: Sequence[str]) -> list[str]:
    by = list(by)
    missing = [c for c in by if c not in pop.columns]
    if missing:
        raise KeyError(f"sample: stratum column(s) {missing} not available (columns: {list(pop.columns)}; "
                       "'period' needs a 'published' column)")
    return by


def allocate(
    df: pd.DataFrame,
    n: int,
    *,
    by: Sequence[str] = ("outlet", "period"),
    unit: Unit = "article",
    allocation: Allocation = "proportional",
    period: Period = "month",
) -> pd.DataFrame:
    """Units wanted per stratum: ``[*by, available, wanted, drawn, short]``, sorted by stratum.

    ``short`` marks strata with fewer units than wanted (``drawn`` = ``available`` there).

    >>> docs = pd.DataFrame({"id": list("abcd"), "outlet": list("XXXY"), "text": ["t"] * 4})
    >>> allocate(docs, 4, by=("outlet",), allocation="equal").values.tolist()
    [['X', 3, 2, 2, False], ['Y', 1, 2, 1, True]]
    """
    check_choice("allocation", allocation, ALLOCATIONS)
    pop = units(df, unit=unit, period=period)
    return _allocate(pop, n, _check_by(pop, by), allocation)


def _allocate(pop: pd.DataFrame, n: int, by: list[str], allocation: str) -> pd.DataFrame:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"sample: n must be a positive integer, got {n!r}")
    if by:
        sizes = pop.groupby(by, sort=True, dropna=False).size().rename("available").reset_index()
    else:
        sizes = pd.DataFrame({"available": [len(pop)]})
    wanted = _shares(sizes["available"].to_numpy(dtype="float64"), int(n), allocation) if len(sizes) else []
    sizes["wanted"] = np.asarray(wanted, dtype=np.int64)
    sizes["drawn"] = np.minimum(sizes["wanted"], sizes["available"]).astype("int64")
    sizes["short"] = sizes["drawn"] < sizes["wanted"]
    return sizes.astype({"available": "int64"}).reset_index(drop=True)


def _label(value) -> str:
    if pd.isna(value):
        return "(missing)"
    return str(value.date()) if isinstance(value, pd.Timestamp) else str(value)


def _stratum_rng(seed: int, key: tuple) -> np.random.Generator:
    digest = hashlib.blake2b(repr(key).encode("utf-8"), digest_size=8).digest()
    return np.random.default_rng([int(seed), int.from_bytes(digest, "little")])


def sample(
    df: pd.DataFrame,
    n: int,
    *,
    by: Sequence[str] = ("outlet", "period"),
    unit: Unit = "article",
    allocation: Allocation = "proportional",
    seed: int = 0,
    period: Period = "month",
) -> pd.DataFrame:
    """A stratified random sample of ``n`` units (see the module notes), sorted by unit.

    Returns the :func:`units` columns plus ``stratum`` (the stratum's values joined by `` | ``)
    and ``weight``. ``result.attrs["strata"]`` holds the :func:`allocate` table as records and
    ``result.attrs["short"]`` the number of units the sample lacks; a short stratum also warns.
    """
    check_choice("allocation", allocation, ALLOCATIONS)
    pop = units(df, unit=unit, period=period)
    by = _check_by(pop, by)
    table = _allocate(pop, n, by, allocation)
    groups = pop.groupby(by, sort=True, dropna=False) if by else [((), pop)]
    picked = []
    for (key, members), row in zip(groups, table.itertuples(index=False), strict=True):
        key = key if isinstance(key, tuple) else (key,)
        take = int(row.drawn)
        chosen = _stratum_rng(seed, tuple(str(k) for k in key)).choice(len(members), size=take, replace=False)
        part = members.iloc[np.sort(chosen)].copy()
        part["stratum"] = " | ".join(_label(k) for k in key) if by else "all"
        part["weight"] = float(row.available) / take if take else np.nan
        picked.append(part)
    out = pd.concat(picked, ignore_index=True) if picked else pop.iloc[0:0].assign(stratum="", weight=0.0)
    out["stratum"] = out["stratum"].astype("str")
    out = out.sort_values("unit", kind="mergesort").reset_index(drop=True)
    short = table[table["short"]]
    lacking = int((short["wanted"] - short["drawn"]).sum())
    if lacking:
        listing = "; ".join(
            f"{' | '.join(_label(r[c]) for c in by) or 'all'}: {r['available']} of {r['wanted']}"
            for _, r in short.iterrows()
        )
        warnings.warn(f"sample: {len(short)} stratum/strata too small, drew all they have ({listing}); "
                      f"the sample has {len(out)} of {int(table['wanted'].sum())} units", UserWarning, stacklevel=2)
    out.attrs["strata"] = [{k: (str(v) if isinstance(v, pd.Timestamp) else v) for k, v in rec.items()}
                           for rec in table.to_dict("records")]
    out.attrs["short"] = lacking
    return out
