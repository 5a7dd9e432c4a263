"""The package's one bootstrap: per-group seeded streams, blocked resampling, percentile intervals.

A statistic's sampling distribution is estimated by drawing the units it is computed from
(articles, sentences, coded items) with replacement, ``n_boot`` times, and computing the
statistic on every resample.

* **Streams per group.** :func:`group_rng` derives a group's random stream from the seed and a
  canonical encoding of the *value* of the group's key (:func:`key_bytes`), so a group's interval
  depends only on its own units, the seed and its key: adding, removing or changing other groups
  leaves it unchanged, and ``3`` and ``np.int64(3)``, or ``pd.Timestamp("2024-09-02")`` and
  ``np.datetime64("2024-09-02")``, give the same stream on any numpy or pandas version.
* **Bounded memory.** Resamples are drawn in blocks of rows (:func:`resample`) holding at most
  ``block_elements`` values at a time; the draws do not depend on the block size.
* **Intervals.** :func:`percentile_interval` gives the ``(1 − ci)/2`` and ``(1 + ci)/2``
  quantiles (linear interpolation) of the replicates. With fewer than :data:`MIN_UNITS` units
  there is no interval (NaN bounds): one unit resamples to itself, a zero-width "interval".
  The percentile bootstrap is too narrow for small samples (for the mean of 5 normal values a
  nominal 95% interval covers about 83%); :mod:`newslens.aggregate` uses Student-t and Wilson
  intervals for means and shares instead.

>>> values = np.array([1.0, 2.0, 3.0, 4.0])
>>> low, high = percentile_interval(lambda s: s.mean(axis=1), values, rng=group_rng(0, "x"))
>>> bool(1.0 <= low < values.mean() < high <= 4.0)
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import numbers
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

__all__ = ["MIN_UNITS", "BLOCK_ELEMENTS", "key_bytes", "key_digest", "group_rng", "resample", "replicates",
           "percentile_interval", "sum_interval"]  # fmt: skip

MIN_UNITS = 2
"""Fewest units (articles, sentences …) for which an interval is given; below it the bounds are NaN."""

BLOCK_ELEMENTS = 1_000_000
"""Most values (resample indices, or values gathered by them) held at once while resampling."""


def _is_na(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return False


def _encode(value) -> bytes:
    """One key element as a type tag, the payload's length (8 bytes, little-endian) and the payload."""
    if _is_na(value):
        tag, payload = b"n", b""
    elif isinstance(value, bool | np.bool_):
        tag, payload = b"b", b"\x01" if value else b"\x00"
    elif isinstance(value, dt.date | np.datetime64):
        tag, payload = b"t", str(pd.Timestamp(value).as_unit("ns").value).encode("ascii")
    elif isinstance(value, dt.timedelta | np.timedelta64):  # before integers: numpy's timedelta is one
        tag, payload = b"d", str(pd.Timedelta(value).as_unit("ns").value).encode("ascii")
    elif isinstance(value, numbers.Integral):
        tag, payload = b"i", str(int(value)).encode("ascii")
    elif isinstance(value, float | np.floating):
        tag, payload = b"f", repr(float(value)).encode("ascii")
    elif isinstance(value, str):
        tag, payload = b"s", str(value).encode("utf-8")
    else:
        raise TypeError(
            f"cannot derive a random stream from a group key of type {type(value).__name__} ({value!r:.60}); "
            "group by str, int, float, bool, date/time or timedelta columns"
        )
    return tag + len(payload).to_bytes(8, "little") + payload


def key_bytes(key) -> bytes:
    """Canonical bytes of a group key's value; a tuple is its elements' encodings in order.

    Each element is a one-byte type tag, the payload's length as 8 little-endian bytes, then the
    payload: ``s`` str (UTF-8), ``i`` integer (decimal digits; numpy integers included), ``f``
    float (``repr`` of the Python float), ``b`` bool (one byte 0/1), ``t`` date or time
    (nanoseconds since 1970-01-01 as decimal digits; UTC for time-zone-aware values; a date is
    its midnight), ``d`` timedelta (nanoseconds), ``n`` missing (None, NaN, NA, NaT; empty
    payload). A key that is not a tuple is encoded as the one-element tuple ``(key,)``. Other
    types raise ``TypeError`` rather than fall back to how they happen to print.

    >>> key_bytes(("A", np.int64(3)))
    b's\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00Ai\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x003'
    >>> key_bytes(3) == key_bytes((3,)) == key_bytes((np.int64(3),))
    True
    """
    elements = key if isinstance(key, tuple) else (key,)
    return b"".join(_encode(v) for v in elements)


def key_digest(key) -> int:
    """The first 8 bytes of BLAKE2b of :func:`key_bytes`, as a little-endian unsigned integer.

    >>> key_digest(pd.Timestamp("2024-09-02")) == key_digest(np.datetime64("2024-09-02"))
    True
    """
    return int.from_bytes(hashlib.blake2b(key_bytes(key), digest_size=8).digest(), "little")


def group_rng(seed: int, key) -> np.random.Generator:
    """The random stream of the group ``key`` under ``seed``: ``default_rng([seed, key_digest(key)])``.

    >>> group_rng(0, "A").integers(0, 10, 3).tolist() == group_rng(0, ("A",)).integers(0, 10, 3).tolist()
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return np.random.default_rng([int(seed), key_digest(key)])


def resample(
    n: int, *, n_boot: int, rng: np.random.Generator, per_unit: int = 1, block_elements: int = BLOCK_ELEMENTS
) -> Iterator[np.ndarray]:
    """``n_boot`` resamples of ``n`` unit indices, yielded as ``(rows, n)`` blocks in draw order.

    A block holds at most ``block_elements // (n * per_unit)`` rows (at least one), so that the
    indices, or ``per_unit`` values gathered per index, stay within ``block_elements``. The
    indices come from ``rng.integers(0, n)`` row after row: the same generator state gives the
    same resamples whatever the block size.

    >>> [b.shape for b in resample(3, n_boot=5, rng=np.random.default_rng(0), block_elements=6)]
    [(2, 3), (2, 3), (1, 3)]
    """
    if n < 1 or n_boot < 0 or per_unit < 1 or block_elements < 1:
        raise ValueError(f"resample: need n >= 1, n_boot >= 0, per_unit >= 1, block_elements >= 1; "
                         f"got n={n}, n_boot={n_boot}, per_unit={per_unit}, block_elements={block_elements}")  # fmt: skip
    rows = max(1, block_elements // (n * per_unit))
    for start in range(0, n_boot, rows):
        yield rng.integers(0, n, size=(min(rows, n_boot - start), n))


def counts(n: int, *, n_boot: int, rng: np.random.Generator, block_elements: int = BLOCK_ELEMENTS) -> np.ndarray:
    """How often each of ``n`` units is drawn in each of ``n_boot`` resamples, shape ``(n_boot, n)``.

    The resamples are those of :func:`resample` (same generator, same draws); a statistic that is
    a weighted sum over units (coincidence matrices, confusion counts) is then ``counts @ per_unit``.
    ``n`` = 0 gives an empty ``(n_boot, 0)`` array.

    >>> counts(4, n_boot=3, rng=np.random.default_rng(1)).sum(axis=1).tolist()
    [4, 4, 4]
    """
    if n == 0:
        return np.zeros((int(n_boot), 0), dtype=np.int64)
    out = np.empty((int(n_boot), int(n)), dtype=np.int64)
    done = 0
    for idx in resample(n, n_boot=n_boot, rng=rng, block_elements=block_elements):
        rows = len(idx)
        flat = (idx + np.arange(rows)[:, None] * n).ravel()
        out[done : done + rows] = np.bincount(flat, minlength=rows * n).reshape(rows, n)
        done += rows
    return out


def replicates(
    statistic: Callable[[np.ndarray], np.ndarray],
    data: np.ndarray,
    *,
    n_boot: int,
    rng: np.random.Generator,
    block_elements: int = BLOCK_ELEMENTS,
) -> np.ndarray:
    """The statistic on each of ``n_boot`` resamples of the rows (units) of ``data``.

    ``data`` has one row per unit (shape ``(n,)`` or ``(n, m, ...)``). ``statistic`` receives a
    block of resamples, ``data[idx]`` of shape ``(rows, n, ...)``, and returns one value per
    resample (shape ``(rows,)``) or several (``(rows, k)``); the result stacks the blocks:
    ``(n_boot,)`` or ``(n_boot, k)``.

    >>> replicates(lambda s: s.sum(axis=1), np.array([1, 1]), n_boot=3, rng=np.random.default_rng(0))
    array([2, 2, 2])
    """
    data = np.asarray(data)
    if data.ndim == 0 or len(data) == 0:
        raise ValueError("replicates: data needs at least one unit (row)")
    per_unit = int(np.prod(data.shape[1:], dtype=np.int64))
    blocks = [np.asarray(statistic(data[idx])) for idx in
              resample(len(data), n_boot=n_boot, rng=rng, per_unit=per_unit, block_elements=block_elements)]  # fmt: skip
    if not blocks:
        return np.empty((0,))
    return np.concatenate(blocks, axis=0)


def _interval(reps: np.ndarray, ci: float) -> tuple:
    """The ``ci`` percentile bounds of replicates ``(n_boot,)`` or ``(n_boot, k...)``, NaN rows left out."""
    flat = reps.reshape(len(reps), -1)
    low, high = np.full(flat.shape[1], np.nan), np.full(flat.shape[1], np.nan)
    defined = ~np.isnan(flat).all(axis=0)  # a column without any defined replicate has no interval
    if defined.any():
        low[defined], high[defined] = np.nanquantile(flat[:, defined], [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    if reps.ndim == 1:
        return (float(low[0]), float(high[0]))
    return (low.reshape(reps.shape[1:]), high.reshape(reps.shape[1:]))


def _check(ci: float, n_boot: int, data: np.ndarray, where: str) -> None:
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, got {ci!r}")
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot!r}")
    if data.ndim == 0 or len(data) == 0:
        raise ValueError(f"{where}: data needs at least one unit (row)")


def percentile_interval(
    statistic: Callable[[np.ndarray], np.ndarray],
    data: np.ndarray,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    rng: np.random.Generator,
    block_elements: int = BLOCK_ELEMENTS,
) -> tuple:
    """Percentile-bootstrap ``ci`` interval ``(low, high)`` of ``statistic`` over the units of ``data``.

    ``statistic`` and ``data`` as in :func:`replicates`; for a statistic with ``k`` values per
    resample, ``low`` and ``high`` are arrays of ``k``. Replicates where the statistic is
    undefined (NaN) are left out. Fewer than :data:`MIN_UNITS` units give NaN bounds.

    >>> percentile_interval(lambda s: s.mean(axis=1), np.array([0.4]), rng=np.random.default_rng(0))
    (nan, nan)
    """
    data = np.asarray(data)
    _check(ci, n_boot, data, "percentile_interval")
    if len(data) < MIN_UNITS:
        reps = np.asarray(statistic(data[np.zeros((1, len(data)), dtype=np.intp)]), dtype="float64")
        return _interval(np.full_like(reps, np.nan), ci)
    return _interval(replicates(statistic, data, n_boot=n_boot, rng=rng, block_elements=block_elements)
                     .astype("float64"), ci)  # fmt: skip


def sum_interval(
    statistic: Callable[[np.ndarray], np.ndarray],
    data: np.ndarray,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    rng: np.random.Generator,
    block_elements: int = BLOCK_ELEMENTS,
) -> tuple:
    """:func:`percentile_interval` of a statistic of the resamples' column sums.

    ``data`` has one row per unit and ``k`` columns (counts: quotes, words, hits, tokens);
    ``statistic`` receives the sums of each resample, shape ``(rows, k)``, and returns one value
    per resample and column, ``(rows, k)``. The sums are :func:`counts` ``@ data``: the same
    resamples as :func:`percentile_interval`, without gathering ``n × k`` values per resample. For
    integer ``data`` (below 2**53) the sums, and so the interval, equal those of
    ``percentile_interval(lambda s: statistic(s.sum(axis=1)), data)`` exactly.

    >>> data = np.array([[1, 0], [0, 1], [2, 1]])
    >>> share = lambda sums: sums / sums.sum(axis=1, keepdims=True)
    >>> low, high = sum_interval(share, data, rng=group_rng(0, "x"))
    >>> low.tolist() == percentile_interval(lambda s: share(s.sum(axis=1)), data, rng=group_rng(0, "x"))[0].tolist()
    True
    """
    data = np.asarray(data, dtype="float64")
    _check(ci, n_boot, data, "sum_interval")
    data = data.reshape(len(data), -1)
    if len(data) < MIN_UNITS:
        return _interval(np.full((1, data.shape[1]), np.nan), ci)
    n = len(data)
    rows = max(1, block_elements // n)
    reps = [np.asarray(statistic(counts(n, n_boot=min(rows, n_boot - start), rng=rng, block_elements=block_elements)
                                 .astype("float64") @ data), dtype="float64")
            for start in range(0, n_boot, rows)]  # fmt: skip
    return _interval(np.concatenate(reps, axis=0), ci)
