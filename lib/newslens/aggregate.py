"""Group means with their n and a seeded percentile-bootstrap interval; calendar periods.

Every aggregate shown to a reader carries its n and an uncertainty interval. Groups with fewer
than ``min_n`` values are kept but flagged ``reliable=False`` so plots can grey them out.

>>> df = pd.DataFrame({"outlet": ["A", "A", "A", "B"], "tone": [0.1, 0.3, 0.2, -0.4]})
>>> group_mean(df, "tone", ["outlet"], min_n=3)[["outlet", "n", "mean", "reliable"]]
  outlet  n  mean  reliable
0      A  3   0.2      True
1      B  1  -0.4     False
"""

from __future__ import annotations

import hashlib
from typing import Literal, get_args

import numpy as np
import pandas as pd

from newslens.choices import check_choice

__all__ = ["Period", "PERIODS", "period_start", "bootstrap_mean_ci", "group_mean"]

Period = Literal["day", "week", "month"]
PERIODS: tuple[str, ...] = get_args(Period)

# Bootstrap replicates are drawn in blocks of at most this many indices to bound memory.
_BLOCK_ELEMENTS = 4_000_000


def period_start(dates: pd.Series, period: Period) -> pd.Series:
    """First day of the ``period`` containing each date (weeks start on Monday); NaT stays NaT.

    >>> period_start(pd.Series(pd.to_datetime(["2024-09-12", "2024-09-15"])), "week").dt.day.tolist()
    [9, 9]
    """
    check_choice("period", period, PERIODS)
    values = pd.to_datetime(dates).dt.normalize()
    if period == "day":
        start = values
    elif period == "week":
        start = values - pd.to_timedelta(values.dt.day_of_week, unit="D")
    else:
        start = values - pd.to_timedelta(values.dt.day - 1, unit="D")
    return start.rename(dates.name)


def bootstrap_mean_ci(
    values: np.ndarray, *, n_boot: int = 1000, ci: float = 0.95, rng: np.random.Generator
) -> tuple[float, float]:
    """Percentile-bootstrap interval of the mean of ``values`` (NaN, NaN when empty).

    Resamples are drawn with ``rng.integers`` in blocks (vectorised, bounded memory); the bounds
    are the ``(1-ci)/2`` and ``(1+ci)/2`` quantiles (linear interpolation) of the resample means.

    >>> bootstrap_mean_ci(np.array([1.0, 1.0]), rng=np.random.default_rng(0))
    (1.0, 1.0)
    """
    values = np.asarray(values, dtype="float64")
    n = values.size
    if n == 0:
        return (float("nan"), float("nan"))
    block = max(1, min(n_boot, _BLOCK_ELEMENTS // n))
    means = np.empty(n_boot)
    for start in range(0, n_boot, block):
        stop = min(n_boot, start + block)
        idx = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = values[idx].mean(axis=1)
    low, high = np.quantile(means, [(1 - ci) / 2, (1 + ci) / 2])
    return (float(low), float(high))


def _group_rng(seed: int, key: tuple) -> np.random.Generator:
    # Each group gets its own stream derived from the seed and the group's key, so a group's
    # interval does not change when other groups are added or removed.
    digest = hashlib.blake2b(repr(key).encode("utf-8"), digest_size=8).digest()
    return np.random.default_rng([seed, int.from_bytes(digest, "little")])


def group_mean(
    df: pd.DataFrame,
    value: str,
    by: list[str],
    *,
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = 5,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Mean of ``value`` per group with n and a seeded percentile-bootstrap ``ci`` interval.

    Returns ``[*by, n, mean, ci_low, ci_high, reliable]`` sorted by ``by``. Missing values of
    ``value`` are left out of the mean and of ``n``; a group whose values are all missing is
    still listed (n 0, mean and interval NaN). Missing keys in ``by`` (e.g. an unknown date)
    form their own group rather than being dropped. ``reliable`` is False when ``n < min_n``.
    The same input and seed always give the same intervals.

    >>> df = pd.DataFrame({"g": ["x"] * 4, "v": [1.0, 2.0, 3.0, 4.0]})
    >>> group_mean(df, "v", ["g"], min_n=2).round(3).to_dict("records")
    [{'g': 'x', 'n': 4, 'mean': 2.5, 'ci_low': 1.5, 'ci_high': 3.5, 'reliable': True}]
    """
    missing = [c for c in [value, *by] if c not in df.columns]
    if missing:
        raise KeyError(f"group_mean: column(s) {missing} not in table (columns: {list(df.columns)})")
    if not by:
        raise ValueError("group_mean: `by` must name at least one column")
    if not 0 < ci < 1:
        raise ValueError(f"group_mean: ci must be between 0 and 1, got {ci!r}")
    if n_boot < 1 or min_n < 0:
        raise ValueError(f"group_mean: need n_boot >= 1 and min_n >= 0, got n_boot={n_boot}, min_n={min_n}")
    rows = []
    grouped = df.groupby(by, sort=True, dropna=False)[value]
    for key, series in grouped:
        key = key if isinstance(key, tuple) else (key,)
        values = pd.to_numeric(series, errors="raise").to_numpy(dtype="float64", na_value=np.nan)
        values = values[~np.isnan(values)]
        low, high = bootstrap_mean_ci(values, n_boot=n_boot, ci=ci, rng=_group_rng(seed, key))
        mean = float(values.mean()) if values.size else float("nan")
        rows.append((*key, values.size, mean, low, high, values.size >= min_n))
    columns = [*by, "n", "mean", "ci_low", "ci_high", "reliable"]
    out = pd.DataFrame(rows, columns=columns)
    for col in by:
        out[col] = out[col].astype(df[col].dtype)
    out["n"] = out["n"].astype("int64")
    out["reliable"] = out["reliable"].astype(bool)
    return out.sort_values(by, kind="mergesort", na_position="last").reset_index(drop=True)
