"""Agreement between coders: Krippendorff's α, percent agreement, Cohen's and Fleiss' κ.

Reliability data are a coders × units table (rows = coders, columns = units; a DataFrame or a 2-D
array) whose missing cells (NaN, None) are units a coder did not code. α follows Krippendorff
(2011), "Computing Krippendorff's Alpha-Reliability": every unit coded by ``m >= 2`` coders adds
each ordered pair of its values to the coincidence matrix with weight ``1/(m-1)``, units coded
once are not pairable and are ignored, and

    α = 1 - (n - 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck

with ``n`` the number of pairable values, ``n_c`` the values of category ``c`` and δ² the
difference function of the level of measurement: nominal (0 if equal, else 1), ordinal
(squared difference of the categories' mid-ranks ``Σ_{g<=c} n_g - n_c/2``), interval
(``(c-k)²``) and ratio (``((c-k)/(c+k))²``). α is NaN when it is undefined (fewer than two
pairable values, or all of them the same).

>>> data = [[1, 2, 3, 3], [1, 2, 3, 1]]
>>> round(alpha(data), 3), percent_agreement(data)
(0.667, 0.75)

:func:`alpha_ci` adds a seeded percentile bootstrap over units and the probability that α lies
below a minimum (Krippendorff's q; 0.667 for tentative conclusions, 0.8 for reliable data).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from newslens import bootstrap
from newslens.choices import check_choice

__all__ = [
    "LEVELS",
    "AlphaResult",
    "alpha",
    "alpha_ci",
    "coincidences",
    "category_alpha",
    "percent_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "expected_alpha",
    "verdict",
    "reliability_data",
    "agreement_table",
]

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = get_args(Level)
TENTATIVE, RELIABLE = 0.667, 0.8
"""Krippendorff's minimums: α >= 0.8 reliable, 0.667 <= α < 0.8 tentative conclusions only."""
_BLOCK_ELEMENTS = 4_000_000  # bootstrap coincidence matrices computed in blocks of this many cells


# --- reliability data ----------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _encode(data, values: Sequence | None) -> tuple[np.ndarray, list]:
    """Coders × units table as integer codes (-1 = missing) and the ordered list of values."""
    cells = data.to_numpy(dtype=object) if isinstance(data, pd.DataFrame) else np.asarray(data, dtype=object)
    if cells.ndim != 2:
        raise ValueError(f"reliability data must be 2-D (coders x units), got {cells.ndim} dimension(s)")
    present = [v for v in cells.ravel() if not _missing(v)]
    if values is None:
        kinds = {isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool) for v in present}
        if kinds == {False, True}:
            raise ValueError("reliability data mix numbers and other values; give values= to fix the categories")
        scale = sorted(set(present), key=lambda v: (v if kinds == {True} else str(v)))
    else:
        scale = list(values)
        if len(set(scale)) != len(scale):
            raise ValueError(f"values= lists a category twice: {scale}")
        unknown = sorted({str(v) for v in present} - {str(v) for v in scale})
        if unknown:
            raise ValueError(f"values not in values=: {', '.join(unknown[:10])}")
    index = {str(v): k for k, v in enumerate(scale)}
    codes = np.full(cells.shape, -1, dtype=np.int64)
    for pos, value in np.ndenumerate(cells):
        if not _missing(value):
            codes[pos] = index[str(value)]
    return codes, scale


def _unit_counts(codes: np.ndarray, n_values: int) -> np.ndarray:
    """Values per unit and category, only for pairable units (coded at least twice): units × values."""
    counts = np.zeros((codes.shape[1], n_values))
    for row in codes:
        coded = np.nonzero(row >= 0)[0]
        np.add.at(counts, (coded, row[coded]), 1.0)
    pairable = counts.sum(axis=1) >= 2
    return counts[pairable]


def _unit_coincidences(counts: np.ndarray) -> np.ndarray:
    """Each unit's coincidence matrix, units × values × values (Krippendorff 2011, eq. for o_ck)."""
    m = counts.sum(axis=1)
    o = counts[:, :, None] * counts[:, None, :]
    idx = np.arange(counts.shape[1])
    o[:, idx, idx] -= counts
    return o / (m - 1)[:, None, None]


def _numeric(scale: list, level: str) -> np.ndarray:
    try:
        return np.array([float(v) for v in scale], dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"level={level!r} needs numeric values, got {scale[:5]}") from None


def _deltas(scale: list, level: str, marginals: np.ndarray) -> np.ndarray:
    """δ² for every pair of categories; batched over leading dimensions of ``marginals`` (ordinal)."""
    k = len(scale)
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "ordinal":
        mid = np.cumsum(marginals, axis=-1) - marginals / 2
        return (mid[..., :, None] - mid[..., None, :]) ** 2
    x = _numeric(scale, level)
    diff = x[:, None] - x[None, :]
    if level == "interval":
        return diff**2
    total = x[:, None] + x[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total == 0, 0.0, (diff / total) ** 2)


def _alpha_from(o: np.ndarray, scale: list, level: str) -> np.ndarray:
    """α from coincidence matrices, batched over leading dimensions."""
    nc = o.sum(axis=-1)
    n = nc.sum(axis=-1)
    delta = _deltas(scale, level, nc)
    observed = (o * delta).sum(axis=(-2, -1))
    expected = (nc[..., :, None] * nc[..., None, :] * delta).sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 - (n - 1) * observed / expected
    return np.where((expected > 0) & (n >= 2), out, np.nan)


def coincidences(data, *, values: Sequence | None = None) -> pd.DataFrame:
    """The coincidence matrix as a tidy table ``[value_a, value_b, o]``, every pair of categories.

    >>> coincidences([[1, 1], [1, 2]]).values.tolist()
    [[1, 1, 2.0], [1, 2, 1.0], [2, 1, 1.0], [2, 2, 0.0]]
    """
    codes, scale = _encode(data, values)
    o = _unit_coincidences(_unit_counts(codes, len(scale))).sum(axis=0)
    k = len(scale)
    return pd.DataFrame(
        {
            "value_a": pd.Series([scale[i] for i in range(k) for _ in range(k)], dtype=object),
            "value_b": pd.Series([scale[j] for _ in range(k) for j in range(k)], dtype=object),
            "o": o.reshape(-1) if k else np.zeros(0),
        }
    )


def alpha(data, *, level: Level = "nominal", values: Sequence | None = None) -> float:
    """Krippendorff's α of coders × units reliability data (NaN = not coded).

    ``values`` fixes the categories and, for ordinal data, their order (default: the sorted
    distinct values); interval and ratio data must be numbers.

    >>> alpha([[1, 2, 3], [1, 2, 3]]), round(alpha([[1, 2], [2, 1]]), 3)
    (1.0, -0.5)
    """
    check_choice("level", level, LEVELS)
    codes, scale = _encode(data, values)
    if level != "nominal" and level != "ordinal":
        _numeric(scale, level)
    counts = _unit_counts(codes, len(scale))
    if not len(counts):
        return float("nan")
    return float(_alpha_from(_unit_coincidences(counts).sum(axis=0), scale, level))


@dataclass(frozen=True)
class AlphaResult:
    """α with its bootstrap interval and Krippendorff's q = P(α < minimum) over the resamples."""

    alpha: float
    ci_low: float
    ci_high: float
    p_below: float
    minimum: float
    level: str
    units: int
    values: int
    n_boot: int

    def verdict(self) -> str:
        """The plain sentence, e.g. ``α = 0.71 [0.62, 0.79]: tentative by Krippendorff's 0.667/0.8 rule``."""
        return verdict(self.alpha, self.ci_low, self.ci_high)

    def as_dict(self) -> dict[str, Any]:
        """The fields as a dict (one row of a table)."""
        return asdict(self)


def alpha_ci(
    data,
    *,
    level: Level = "nominal",
    values: Sequence | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    ci: float = 0.95,
    minimum: float = TENTATIVE,
    key: tuple = (),
) -> AlphaResult:
    """α with a seeded percentile-bootstrap interval over units and ``p_below`` = P(α < ``minimum``).

    Each resample draws the pairable units with replacement (their coincidences add up); the
    interval is the ``(1-ci)/2``, ``(1+ci)/2`` quantiles of the resampled α, ``p_below`` the share
    of resamples below ``minimum``. ``key`` names the stream (e.g. the variable) so the interval of
    one variable does not depend on the others. Resamples where α is undefined are left out.

    >>> r = alpha_ci([[1, 2, 3, 1, 2], [1, 2, 3, 1, 2]], n_boot=200)
    >>> r.alpha, r.ci_low, r.ci_high, r.units
    (1.0, 1.0, 1.0, 5)
    """
    check_choice("level", level, LEVELS)
    if not 0 < ci < 1 or n_boot < 1:
        raise ValueError(f"alpha_ci: need 0 < ci < 1 and n_boot >= 1, got ci={ci!r}, n_boot={n_boot!r}")
    codes, scale = _encode(data, values)
    if level in ("interval", "ratio"):
        _numeric(scale, level)
    counts = _unit_counts(codes, len(scale))
    units, k = len(counts), len(scale)
    nan = float("nan")
    if not units:
        return AlphaResult(nan, nan, nan, nan, minimum, level, 0, 0, n_boot)
    per_unit = _unit_coincidences(counts).reshape(units, k * k)
    point = float(_alpha_from(per_unit.sum(axis=0).reshape(k, k), scale, level))
    draws = bootstrap.counts(units, n_boot=n_boot, rng=bootstrap.group_rng(seed, key)).astype("float64")
    block = max(1, _BLOCK_ELEMENTS // max(1, k * k))
    boot = np.concatenate(
        [_alpha_from((draws[s : s + block] @ per_unit).reshape(-1, k, k), scale, level)
         for s in range(0, n_boot, block)]  # fmt: skip
    )
    boot = boot[~np.isnan(boot)]
    if boot.size:
        low, high = (float(q) for q in np.quantile(boot, [(1 - ci) / 2, (1 + ci) / 2]))
        p_below = float((boot < minimum).mean())
    else:
        low = high = p_below = nan
    return AlphaResult(point, low, high, p_below, float(minimum), level, units, int(counts.sum()), int(n_boot))


def category_alpha(data, *, values: Sequence | None = None) -> pd.DataFrame:
    """Per-category α for nominal data, and the category each one is most confused with.

    For each category ``c``: α of the data recoded to "c" versus "any other category", which
    from the coincidence matrix is ``1 - (n-1)(n_c - o_cc) / (n_c (n - n_c))``. Returns
    ``[category, n, alpha, confused_with, share_confused]``: ``n`` pairable values of ``c``,
    ``confused_with`` the other category that coincides most often with ``c`` (ties: scale
    order; empty when none does) and ``share_confused`` that coincidence as a share of ``n``.

    >>> category_alpha([[1, 1, 2, 3], [1, 1, 2, 2]])[["category", "n", "confused_with"]].values.tolist()
    [[1, 4.0, ''], [2, 3.0, 3], [3, 1.0, 2]]
    """
    codes, scale = _encode(data, values)
    counts = _unit_counts(codes, len(scale))
    o = _unit_coincidences(counts).sum(axis=0) if len(counts) else np.zeros((len(scale), len(scale)))
    nc = o.sum(axis=1)
    n = nc.sum()
    rows = []
    for c, category in enumerate(scale):
        with np.errstate(divide="ignore", invalid="ignore"):
            value = 1.0 - (n - 1) * (nc[c] - o[c, c]) / (nc[c] * (n - nc[c]))
        defined = nc[c] > 0 and n - nc[c] > 0 and n >= 2
        off = o[c].copy()
        off[c] = -1.0
        best = int(off.argmax()) if len(scale) > 1 else c
        confused = off[best] > 0
        rows.append((category, float(nc[c]), float(value) if defined else float("nan"),
                     scale[best] if confused else "", float(off[best] / nc[c]) if confused else 0.0))
    out = pd.DataFrame(rows, columns=["category", "n", "alpha", "confused_with", "share_confused"])
    return out.astype({"category": object, "confused_with": object})


def percent_agreement(data) -> float:
    """Mean over units coded at least twice of the share of coder pairs that agree (NaN if none).

    >>> percent_agreement([[1, 1, 2], [1, 2, None], [1, 2, None]])
    0.6666666666666666
    """
    codes, scale = _encode(data, None)
    counts = _unit_counts(codes, len(scale))
    if not len(counts):
        return float("nan")
    m = counts.sum(axis=1)
    return float(((counts * (counts - 1)).sum(axis=1) / (m * (m - 1))).mean())


def cohen_kappa(data) -> float:
    """Cohen's κ of two coders (a 2 × units table) on the units both coded (NaN if undefined).

    >>> round(cohen_kappa([["a", "a", "b", "b"], ["a", "b", "b", "b"]]), 3)
    0.5
    """
    codes, scale = _encode(data, None)
    if codes.shape[0] != 2:
        raise ValueError(f"cohen_kappa needs exactly two coders (rows), got {codes.shape[0]}")
    both = (codes >= 0).all(axis=0)
    a, b = codes[0, both], codes[1, both]
    if not a.size:
        return float("nan")
    k = len(scale)
    table = np.zeros((k, k))
    np.add.at(table, (a, b), 1.0)
    table /= a.size
    observed = np.trace(table)
    expected = float(table.sum(axis=1) @ table.sum(axis=0))
    return float((observed - expected) / (1 - expected)) if expected < 1 else float("nan")


def fleiss_kappa(data) -> float:
    """Fleiss' κ (1971) of coders × units data; units may have different numbers of codes (>= 2).

    ``P_i`` is the share of agreeing coder pairs in unit ``i``, ``p_j`` the share of all codes
    in category ``j``; κ = (mean P_i - Σ p_j²) / (1 - Σ p_j²).

    >>> round(fleiss_kappa([[1, 1, 2], [1, 2, 2], [1, 2, 2]]), 3)
    0.55
    """
    codes, scale = _encode(data, None)
    counts = _unit_counts(codes, len(scale))
    if not len(counts):
        return float("nan")
    m = counts.sum(axis=1)
    p_unit = (counts * (counts - 1)).sum(axis=1) / (m * (m - 1))
    share = counts.sum(axis=0) / counts.sum()
    expected = float((share**2).sum())
    return float((p_unit.mean() - expected) / (1 - expected)) if expected < 1 else float("nan")


def expected_alpha(
    confusions: Sequence, prevalence: Sequence[float], *, level: Level = "nominal", values: Sequence | None = None
) -> float:
    """Population α of coders with known confusion matrices coding units of known true prevalence.

    ``confusions[j][a][b]`` is the probability that coder ``j`` codes a unit of true category ``a``
    as ``b``; every coder codes every unit. As the number of units grows, the coincidence matrix
    divided by ``n`` tends to ``ō_bb' = Σ_{i≠j} Σ_a π_a C_i[a,b] C_j[a,b'] / (m(m-1))`` and the
    category shares to ``p̄_b = Σ_i Σ_a π_a C_i[a,b] / m``, so α tends to
    ``1 - Σ ō δ² / Σ p̄ p̄ δ²`` (the ``(n-1)/n`` factor tends to 1).

    >>> perfect = [[[1, 0], [0, 1]]] * 3
    >>> expected_alpha(perfect, [0.5, 0.5])
    1.0
    """
    check_choice("level", level, LEVELS)
    c = np.asarray(confusions, dtype="float64")
    pi = np.asarray(prevalence, dtype="float64")
    if c.ndim != 3 or c.shape[1] != c.shape[2] or c.shape[1] != pi.size or c.shape[0] < 2:
        raise ValueError("expected_alpha: confusions must be coders (>= 2) x K x K and prevalence of length K")
    if not np.allclose(c.sum(axis=2), 1) or not math.isclose(pi.sum(), 1):
        raise ValueError("expected_alpha: each confusion row and the prevalence must sum to 1")
    m, k = c.shape[0], c.shape[1]
    joint = np.einsum("a,iab,jac->ijbc", pi, c, c)
    o = (joint.sum(axis=(0, 1)) - np.einsum("iibc->bc", joint)) / (m * (m - 1))
    p = np.einsum("a,iab->b", pi, c) / m
    scale = list(range(k)) if values is None else list(values)
    delta = _deltas(scale, level, p)
    return float(1.0 - (o * delta).sum() / (p[:, None] * p[None, :] * delta).sum())


def _fmt(value: float, digits: int) -> str:
    return "NaN" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def verdict(value: float, ci_low: float, ci_high: float, *, digits: int = 2) -> str:
    """A plain sentence on α by Krippendorff's rule (>= 0.8 reliable, >= 0.667 tentative).

    The class uses the unrounded α; when rounding to ``digits`` would blur a threshold, three
    decimals are shown.

    >>> verdict(0.714, 0.62, 0.79)
    "α = 0.71 [0.62, 0.79]: tentative by Krippendorff's 0.667/0.8 rule"
    >>> verdict(0.7996, 0.70, 0.86)
    "α = 0.800 [0.700, 0.860]: tentative by Krippendorff's 0.667/0.8 rule"
    """
    if value is None or math.isnan(value):
        return "α undefined (fewer than two pairable values, or no variation in the codes)"
    word = "reliable" if value >= RELIABLE else "tentative" if value >= TENTATIVE else "unreliable"
    rounded = round(value, digits)
    if (rounded >= RELIABLE) != (value >= RELIABLE) or (rounded >= TENTATIVE) != (value >= TENTATIVE):
        digits = 3
    return (f"α = {_fmt(value, digits)} [{_fmt(ci_low, digits)}, {_fmt(ci_high, digits)}]: "
            f"{word} by Krippendorff's 0.667/0.8 rule")


# --- from coding tables --------------------------------------------------------------------------


def reliability_data(codes: pd.DataFrame, variable: str) -> pd.DataFrame:
    """One variable of a long coding table ``[unit, coder, variable, value]`` as coders × units.

    Rows are coders, columns units (both sorted); cells the values, None where not coded.

    >>> codes = pd.DataFrame({"unit": ["u1", "u1", "u2"], "coder": ["A", "B", "A"],
    ...                       "variable": ["tone"] * 3, "value": ["pos", "neg", "pos"]})
    >>> reliability_data(codes, "tone").values.tolist()
    [['pos', 'pos'], ['neg', None]]
    """
    rows = codes[codes["variable"] == variable]
    if rows.empty:
        raise KeyError(f"no codes for variable {variable!r}; variables: {', '.join(sorted(set(codes['variable'])))}")
    table = rows.pivot(index="coder", columns="unit", values="value").sort_index().sort_index(axis=1)
    table = table.astype(object).where(table.notna(), None)
    return table.rename_axis(index="coder", columns="unit")


def agreement_table(
    codes: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    n_boot: int = 2000,
    seed: int = 0,
    ci: float = 0.95,
    minimum: float = TENTATIVE,
) -> pd.DataFrame:
    """Agreement per variable of a coding round, in codebook order.

    ``codes`` is a long table ``[unit, coder, variable, value]`` (as from
    :func:`newslens.validation.read_coding`), ``codebook`` a codebook table (level and the
    ordered values of each variable). Returns ``[variable, level, coders, units, values, alpha,
    ci_low, ci_high, p_below, minimum, percent_agreement, fleiss_kappa, verdict]``; ``units``
    counts units coded at least twice.
    """
    rows = []
    for variable, spec in codebook.groupby("variable", sort=False):
        level = str(spec["level"].iloc[0])
        scale = list(spec["value"])
        if level in ("interval", "ratio"):
            scale = [float(v) for v in scale]
        if not (codes["variable"] == variable).any():
            continue
        matrix = reliability_data(codes, variable)
        if level in ("interval", "ratio"):
            matrix = matrix.map(lambda v: None if v is None else float(v))
        result = alpha_ci(matrix, level=level, values=scale, n_boot=n_boot, seed=seed, ci=ci, minimum=minimum,
                          key=(variable,))
        rows.append({
            "variable": variable, "level": level, "coders": int(matrix.shape[0]), "units": result.units,
            "values": result.values, "alpha": result.alpha, "ci_low": result.ci_low, "ci_high": result.ci_high,
            "p_below": result.p_below, "minimum": result.minimum,
            "percent_agreement": percent_agreement(matrix), "fleiss_kappa": fleiss_kappa(matrix),
            "verdict": result.verdict(),
        })  # fmt: skip
    columns = ["variable", "level", "coders", "units", "values", "alpha", "ci_low", "ci_high", "p_below",
               "minimum", "percent_agreement", "fleiss_kappa", "verdict"]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"variable": "str", "level": "str", "verdict": "str"}).reset_index(drop=True)
