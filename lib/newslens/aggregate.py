"""Group means with their n and an interval; calendar periods.

Every aggregate shown to a reader carries its n and an uncertainty interval. Groups with fewer
than ``min_n`` values are kept but flagged ``reliable=False`` so plots can grey them out.

Intervals (``interval=``; the level is ``ci``, 0.95 unless given):

* ``"t"``: Student-t, ``mean ± t(n−1, (1+ci)/2) · s/√n``. Exact for normal data at every n ≥ 2
  and, by the central limit theorem, close for others; the percentile bootstrap is not: for the
  mean of 3, 5, 10 and 30 normal values a nominal 95% percentile interval covers about 74%,
  83%, 89% and 94% (``bench/bench_intervals.py``; BCa does no better), because it uses normal
  rather than t quantiles and the resamples' spread is too small by the factor √((n−1)/n).
  With two or three values the t interval is wide and may reach past the values' possible range
  (−1 … +1 for tone): that is what so few values support.
* ``"wilson"``: the Wilson score interval for a share of 0/1 values (Wilson 1927; recommended
  for small n by Brown, Cai & DasGupta 2001). It stays within [0, 1] and is not zero-width when
  every value is 0 or every value is 1.
* ``"percentile"``: the seeded percentile bootstrap of :mod:`newslens.bootstrap` (``n_boot``
  resamples; each group's stream derived from ``seed`` and the group's key).
* ``"auto"`` (the default): ``"wilson"`` when every value of the column is 0 or 1 (presence of
  a frame, a classifier's label), otherwise ``"t"``.

Below two values there is no interval: ``ci_low`` and ``ci_high`` are NaN. The level and the
method are kept in the result's ``attrs`` (``"ci"``, ``"interval"``), and :func:`interval_label`
writes them for figure labels.

>>> df = pd.DataFrame({"outlet": ["A", "A", "A", "B"], "tone": [0.1, 0.3, 0.2, -0.4]})
>>> group_mean(df, "tone", ["outlet"], min_n=3)[["outlet", "n", "mean", "reliable"]]
  outlet  n  mean  reliable
0      A  3   0.2      True
1      B  1  -0.4     False
"""

from __future__ import annotations

import math
from typing import Literal, get_args

import numpy as np
import pandas as pd
from scipy import stats

from newslens.bootstrap import MIN_UNITS, group_rng, percentile_interval
from newslens.choices import check_choice

__all__ = ["Period", "PERIODS", "Interval", "INTERVALS", "period_start", "mean_interval", "group_mean",
           "interval_label"]  # fmt: skip

Period = Literal["day", "week", "month"]
PERIODS: tuple[str, ...] = get_args(Period)

Interval = Literal["auto", "t", "wilson", "percentile"]
INTERVALS: tuple[str, ...] = get_args(Interval)

_INTERVAL_NAMES = {"t": "Student-t", "wilson": "Wilson", "percentile": "percentile-bootstrap"}


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


def _mean(sample: np.ndarray) -> np.ndarray:
    return sample.mean(axis=1)


def mean_interval(
    values: np.ndarray,
    *,
    interval: Literal["t", "wilson", "percentile"] = "t",
    ci: float = 0.95,
    n_boot: int = 1000,
    rng: np.random.Generator | None = None,
) -> tuple[float, float]:
    """A ``ci`` interval ``(low, high)`` for the mean of ``values`` (NaN, NaN below two values).

    ``interval`` as in the module notes; ``"percentile"`` needs ``rng`` (``n_boot`` resamples).

    >>> [round(b, 4) for b in mean_interval(np.array([1.0, 2.0, 3.0]))]  # 2 ± t(2, 0.975) · 1/√3 = 2 ± 4.3027/√3
    [-0.4841, 4.4841]
    >>> [round(b, 4) for b in mean_interval(np.array([0, 0, 0, 0, 1]), interval="wilson")]
    [0.0362, 0.6245]
    """
    check_choice("interval", interval, INTERVALS[1:])
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, got {ci!r}")
    values = np.asarray(values, dtype="float64")
    n = values.size
    if n < MIN_UNITS:
        return (float("nan"), float("nan"))
    mean = float(values.mean())
    if interval == "t":
        half = float(stats.t.ppf((1 + ci) / 2, n - 1)) * float(values.std(ddof=1)) / math.sqrt(n)
        return (mean - half, mean + half)
    if interval == "wilson":
        if not np.isin(values, (0.0, 1.0)).all():
            raise ValueError("the Wilson interval is for shares: every value must be 0 or 1")
        z = float(stats.norm.ppf((1 + ci) / 2))
        centre = (mean + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(mean * (1 - mean) / n + z * z / (4 * n * n))
        # The interval holds the share (exactly 0 or 1 at the extremes, whatever the rounding).
        return (max(0.0, min(centre - half, mean)), min(1.0, max(centre + half, mean)))
    if rng is None:
        raise ValueError("the percentile bootstrap needs a random generator (rng=)")
    return percentile_interval(_mean, values, n_boot=n_boot, ci=ci, rng=rng)


def interval_label(table: pd.DataFrame) -> str:
    """How ``table``'s ``ci_low``/``ci_high`` were made, for a figure label: level and method.

    Reads ``table.attrs`` (``"ci"``, ``"interval"``) as set by :func:`group_mean` and
    :func:`newslens.keywords.term_frequency`; says so when they are missing.

    >>> t = pd.DataFrame({"mean": [0.1]})
    >>> t.attrs.update(ci=0.9, interval="t")
    >>> interval_label(t)
    '90% Student-t interval'
    >>> interval_label(pd.DataFrame())
    'interval (level not recorded)'
    """
    ci, method = table.attrs.get("ci"), table.attrs.get("interval")
    if ci is None or method not in _INTERVAL_NAMES:
        return "interval (level not recorded)"
    return f"{100 * ci:g}% {_INTERVAL_NAMES[method]} interval"


def group_mean(
    df: pd.DataFrame,
    value: str,
    by: list[str],
    *,
    interval: Interval = "auto",
    ci: float = 0.95,
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = 5,
) -> pd.DataFrame:
    """Mean of ``value`` per group with n and a ``ci`` interval (Student-t, or Wilson for 0/1 shares).

    Returns ``[*by, n, mean, ci_low, ci_high, reliable]`` sorted by ``by``. Missing values of
    ``value`` are left out of the mean and of ``n``; a group whose values are all missing is
    still listed (n 0, mean and interval NaN). Missing keys in ``by`` (e.g. an unknown date)
    form their own group rather than being dropped. ``reliable`` is False when ``n < min_n``.
    ``interval`` is one of :data:`INTERVALS` (see the module notes); ``n_boot`` and ``seed`` set
    the bootstrap of ``interval="percentile"``. Groups with fewer than two values get NaN bounds.
    ``result.attrs`` holds ``ci`` and the ``interval`` used. The same input and seed always give
    the same intervals.

    >>> df = pd.DataFrame({"g": ["x"] * 4, "v": [1.0, 2.0, 3.0, 4.0]})
    >>> out = group_mean(df, "v", ["g"], min_n=2)
    >>> out.round(3).to_dict("records"), out.attrs
    ([{'g': 'x', 'n': 4, 'mean': 2.5, 'ci_low': 0.446, 'ci_high': 4.554, 'reliable': True}], {'ci': 0.95, 'interval': 't'})
    """
    check_choice("interval", interval, INTERVALS)
    missing = [c for c in [value, *by] if c not in df.columns]
    if missing:
        raise KeyError(f"group_mean: column(s) {missing} not in table (columns: {list(df.columns)})")
    if not by:
        raise ValueError("group_mean: `by` must name at least one column")
    if not 0 < ci < 1:
        raise ValueError(f"group_mean: ci must be between 0 and 1, got {ci!r}")
    if n_boot < 1 or min_n < 0:
        raise ValueError(f"group_mean: need n_boot >= 1 and min_n >= 0, got n_boot={n_boot}, min_n={min_n}")
    numeric = pd.to_numeric(df[value], errors="raise").to_numpy(dtype="float64", na_value=np.nan)
    if interval == "auto":
        known = numeric[~np.isnan(numeric)]
        interval = "wilson" if known.size and np.isin(known, (0.0, 1.0)).all() else "t"
    rows = []
    grouped = pd.Series(numeric, index=df.index).groupby([df[c] for c in by], sort=True, dropna=False)
    for key, series in grouped:
        key = key if isinstance(key, tuple) else (key,)
        values = series.to_numpy()
        values = values[~np.isnan(values)]
        rng = group_rng(seed, key) if interval == "percentile" else None
        low, high = mean_interval(values, interval=interval, ci=ci, n_boot=n_boot, rng=rng)
        mean = float(values.mean()) if values.size else float("nan")
        rows.append((*key, values.size, mean, low, high, values.size >= min_n))
    columns = [*by, "n", "mean", "ci_low", "ci_high", "reliable"]
    out = pd.DataFrame(rows, columns=columns)
    for col in by:
        out[col] = out[col].astype(df[col].dtype)
    out["n"] = out["n"].astype("int64")
    out["reliable"] = out["reliable"].astype(bool)
    out = out.sort_values(by, kind="mergesort", na_position="last").reset_index(drop=True)
    out.attrs.update(ci=ci, interval=interval)
    return out
