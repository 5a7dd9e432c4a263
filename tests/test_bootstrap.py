"""newslens.bootstrap: stable per-group streams, blocked resampling, percentile intervals."""

from __future__ import annotations

import datetime as dt
import hashlib
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from newslens.bootstrap import group_rng, key_bytes, key_digest, percentile_interval, replicates, resample, sum_interval


def _mean(sample):
    return sample.mean(axis=1)


def _draws(seed, key, k=20):
    return group_rng(seed, key).integers(0, 1_000_000, size=k).tolist()


# --- keys and streams ----------------------------------------------------------------------------


def test_key_digest_golden_values_from_the_encoding():
    # ("Eastern Courier", 2024-09-02): tag "s", length 15 as 8 little-endian bytes, the UTF-8 text;
    # tag "t", length 19, the nanoseconds since 1970-01-01 in decimal digits.
    ns = (dt.date(2024, 9, 2) - dt.date(1970, 1, 1)).days * 86_400 * 10**9
    assert ns == 1_725_235_200_000_000_000
    outlet_week = (
        b"s" + b"\x0f\x00\x00\x00\x00\x00\x00\x00" + b"Eastern Courier"
        + b"t" + b"\x13\x00\x00\x00\x00\x00\x00\x00" + b"1725235200000000000"
    )  # fmt: skip
    three = b"i" + b"\x01\x00\x00\x00\x00\x00\x00\x00" + b"3"
    mixed = (
        b"f" + b"\x03\x00\x00\x00\x00\x00\x00\x00" + b"0.5"
        + b"n" + b"\x00\x00\x00\x00\x00\x00\x00\x00"
        + b"b" + b"\x01\x00\x00\x00\x00\x00\x00\x00" + b"\x01"
    )  # fmt: skip
    cases = [
        (("Eastern Courier", pd.Timestamp("2024-09-02")), outlet_week, "0aebc8a7d03ba76d"),
        (np.int64(3), three, "f792df1210106cd4"),
        ((0.5, None, True), mixed, "ada8a4dd79f306b8"),
    ]
    for key, encoded, golden in cases:
        assert key_bytes(key) == encoded
        # BLAKE2b-64 of the bytes, read as a little-endian integer; the hex digests are pinned so
        # that a change of hash or byte order cannot pass unnoticed.
        assert hashlib.blake2b(encoded, digest_size=8).hexdigest() == golden
        assert key_digest(key) == int.from_bytes(bytes.fromhex(golden), "little")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (3, np.int64(3)),
        (np.int32(3), np.uint8(3)),
        (0.25, np.float64(0.25)),
        (np.float32(0.5), 0.5),  # 0.5 is exact in float32
        ("Daily", np.str_("Daily")),
        (True, np.bool_(True)),
        (pd.Timestamp("2024-09-02"), np.datetime64("2024-09-02")),
        (pd.Timestamp("2024-09-02"), np.datetime64("2024-09-02T00:00:00.000000000")),
        (pd.Timestamp("2024-09-02"), dt.datetime(2024, 9, 2)),
        (pd.Timestamp("2024-09-02"), dt.date(2024, 9, 2)),
        (pd.Timestamp("2024-09-02 02:00", tz="Europe/Berlin"), pd.Timestamp("2024-09-02 00:00", tz="UTC")),
        (pd.Timedelta(days=1), np.timedelta64(1, "D")),
        (None, np.nan),
        (pd.NA, pd.NaT),
        (np.datetime64("NaT"), float("nan")),
        ("x", ("x",)),
        (("A", 3), ("A", np.int64(3))),
    ],
)
def test_same_value_same_stream_whatever_the_scalar_type(a, b):
    assert key_bytes(a) == key_bytes(b)
    assert _draws(0, a) == _draws(0, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (3, 3.0),  # type-tagged: an integer key and a float key are different groups
        (1, True),
        ("3", 3),
        ("", None),
        (("a", "bc"), ("ab", "c")),  # lengths are encoded, so the split is part of the key
        (("A",), ("A", None)),
        (pd.Timestamp("2024-09-02"), pd.Timestamp("2024-09-09")),
    ],
)
def test_different_values_different_streams(a, b):
    assert key_bytes(a) != key_bytes(b)
    assert _draws(0, a) != _draws(0, b)


def test_seed_changes_the_stream_and_bad_keys_are_refused():
    assert _draws(0, "A") != _draws(1, "A")
    with pytest.raises(TypeError, match="group key of type list"):
        key_bytes(("A", [1, 2]))
    with pytest.raises(ValueError, match="seed"):
        group_rng(-1, "A")


# --- resampling ----------------------------------------------------------------------------------


@pytest.mark.parametrize("block", [1, 7, 50, 10**9])
def test_blocks_do_not_change_the_draws(block):
    values = np.arange(10, dtype=float) ** 2
    whole = np.vstack(list(resample(10, n_boot=37, rng=np.random.default_rng(3), block_elements=10**9)))
    parts = list(resample(10, n_boot=37, rng=np.random.default_rng(3), block_elements=block))
    assert all(p.shape[0] <= max(1, block // 10) for p in parts)
    np.testing.assert_array_equal(np.vstack(parts), whole)
    blocked = replicates(_mean, values, n_boot=37, rng=np.random.default_rng(3), block_elements=block)
    np.testing.assert_array_equal(blocked, values[whole].mean(axis=1))


def test_memory_is_bounded_by_the_block():
    # 1,000 resamples of 200,000 units drawn at once would hold 1.6 GB of indices alone.
    values = np.random.default_rng(0).normal(size=200_000)
    tracemalloc.start()
    try:
        replicates(_mean, values, n_boot=1000, rng=np.random.default_rng(1), block_elements=500_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # a block: 2 rows x 200,000 indices (3.2 MB) and the values they gather (3.2 MB)
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.1f} MiB"


def test_multivalued_statistic_over_rows_of_units():
    # units are (tokens, hits of term 1, hits of term 2) rows; the statistic is a ratio per term
    units = np.array([[10, 1, 0], [20, 4, 2], [30, 0, 3]])
    reps = replicates(lambda s: s[:, :, 1:].sum(axis=1) / s[:, :, :1].sum(axis=1), units, n_boot=5,
                      rng=np.random.default_rng(0))  # fmt: skip
    idx = next(resample(3, n_boot=5, rng=np.random.default_rng(0)))
    expected = units[idx][:, :, 1:].sum(axis=1) / units[idx][:, :, :1].sum(axis=1)
    np.testing.assert_array_equal(reps, expected)
    low, high = percentile_interval(lambda s: s[:, :, 1:].sum(axis=1) / s[:, :, :1].sum(axis=1), units,
                                    rng=np.random.default_rng(0))  # fmt: skip
    assert low.shape == high.shape == (2,) and (low <= high).all()


# --- percentile intervals ------------------------------------------------------------------------


@pytest.mark.parametrize("n", [12, 60, 6000])  # 6000 x 10,000 resamples takes many blocks
def test_interval_close_to_scipy_percentile_bootstrap(n):
    rng = np.random.default_rng(42)
    values = rng.normal(0.1, 0.3, size=n)
    low, high = percentile_interval(_mean, values, n_boot=10_000, rng=np.random.default_rng(1))
    ref = stats.bootstrap(
        (values,), np.mean, n_resamples=10_000, batch=500, method="percentile", confidence_level=0.95,
        random_state=2,
    ).confidence_interval
    se = values.std(ddof=1) / np.sqrt(n)
    # Two independent Monte Carlo runs of 10,000 resamples: each bound's Monte Carlo error is about
    # 0.03 SE, so they agree within 0.15 SE (a 90% instead of a 95% interval would be 0.32 SE off).
    assert low == pytest.approx(ref.low, abs=0.15 * se)
    assert high == pytest.approx(ref.high, abs=0.15 * se)


def test_ci_level_controls_width():
    values = np.random.default_rng(0).normal(size=100)
    narrow = percentile_interval(_mean, values, ci=0.5, rng=np.random.default_rng(0))
    wide = percentile_interval(_mean, values, ci=0.99, rng=np.random.default_rng(0))
    assert wide[0] < narrow[0] < narrow[1] < wide[1]


def test_no_interval_below_two_units():
    one = percentile_interval(_mean, np.array([0.3]), rng=np.random.default_rng(0))
    assert np.isnan(one).all()
    many = percentile_interval(lambda s: s.sum(axis=1), np.array([[1, 2]]), rng=np.random.default_rng(0))
    assert many[0].shape == (2,) and np.isnan(many).all()
    with pytest.raises(ValueError, match="at least one unit"):
        percentile_interval(_mean, np.array([]), rng=np.random.default_rng(0))


def test_undefined_replicates_are_left_out():
    # tokens 0 in one of two articles: a resample of only that article has no rate (0/0)
    units = np.array([[0, 0], [10, 2]])

    def rate(sample):
        with np.errstate(invalid="ignore"):
            return sample[:, :, 1].sum(axis=1) / sample[:, :, 0].sum(axis=1)

    reps = replicates(rate, units, n_boot=200, rng=np.random.default_rng(0))
    assert np.isnan(reps).sum() > 20  # about a quarter of the resamples
    low, high = percentile_interval(rate, units, rng=np.random.default_rng(0))
    assert (low, high) == (0.2, 0.2)  # every defined resample has 2 hits in 10 tokens per article drawn


@pytest.mark.parametrize("block", [7, 50, 10**9])
def test_interval_of_sums_equals_gathering_the_resamples(block):
    # Integer counts (quotes per article and voice): the sums of each resample from counts @ data
    # are exact, so the interval is the very one of summing the gathered resamples.
    data = np.random.default_rng(4).poisson(0.7, size=(40, 3))
    data[5] = 0  # an article without quotes still counts as drawn

    def share(sums):
        with np.errstate(invalid="ignore"):
            return sums / sums.sum(axis=1, keepdims=True)

    gathered = percentile_interval(lambda s: share(s.sum(axis=1)), data, n_boot=300, rng=np.random.default_rng(9))
    summed = sum_interval(share, data, n_boot=300, rng=np.random.default_rng(9), block_elements=block)
    np.testing.assert_array_equal(summed[0], gathered[0])
    np.testing.assert_array_equal(summed[1], gathered[1])
    one = sum_interval(share, data[:1], rng=np.random.default_rng(0))
    assert one[0].shape == (3,) and np.isnan(one).all()
    with pytest.raises(ValueError, match="at least one unit"):
        sum_interval(share, np.empty((0, 3)), rng=np.random.default_rng(0))
