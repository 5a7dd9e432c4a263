"""newslens.aggregate: calendar periods and bootstrap group means."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from newslens.aggregate import bootstrap_mean_ci, group_mean, period_start


def dates(*values):
    return pd.Series(pd.to_datetime(list(values), format="ISO8601"), name="published")


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("day", ["2024-09-12", "2024-09-15", "2024-09-16", "2024-10-01"]),
        # 2024-09-12 is a Thursday, 09-15 a Sunday, 09-16 a Monday: weeks start on Monday 09-09 / 09-16.
        ("week", ["2024-09-09", "2024-09-09", "2024-09-16", "2024-09-30"]),
        ("month", ["2024-09-01", "2024-09-01", "2024-09-01", "2024-10-01"]),
    ],
)
def test_period_start_by_hand(period, expected):
    got = period_start(dates("2024-09-12", "2024-09-15 18:30", "2024-09-16", "2024-10-01"), period)
    assert got.dt.strftime("%Y-%m-%d").tolist() == expected
    assert got.name == "published"


def test_period_start_keeps_nat_and_any_unit():
    s = pd.Series([pd.Timestamp("2024-08-31"), pd.NaT]).astype("datetime64[s]")
    got = period_start(s, "month")
    assert got.iloc[0] == pd.Timestamp("2024-08-01")
    assert pd.isna(got.iloc[1])


def test_period_start_rejects_unknown_period():
    with pytest.raises(ValueError, match="day, week, month"):
        period_start(dates("2024-09-12"), "year")


@pytest.fixture
def tones():
    return pd.DataFrame(
        {
            "outlet": ["B", "A", "A", "A", "B", "C", "A"],
            "week": pd.to_datetime(["2024-09-02"] * 7),
            "tone": [0.5, 0.1, 0.2, np.nan, -0.5, np.nan, 0.6],
        }
    )


def test_group_mean_by_hand(tones):
    out = group_mean(tones, "tone", ["outlet"], min_n=3)
    assert out.columns.tolist() == ["outlet", "n", "mean", "ci_low", "ci_high", "reliable"]
    assert out["outlet"].tolist() == ["A", "B", "C"]
    assert out["n"].tolist() == [3, 2, 0]  # NaN values are not counted
    assert out["mean"].iloc[0] == pytest.approx((0.1 + 0.2 + 0.6) / 3)
    assert out["mean"].iloc[1] == pytest.approx(0.0)
    assert np.isnan(out["mean"].iloc[2]) and np.isnan(out["ci_low"].iloc[2])  # kept, not dropped
    assert out["reliable"].tolist() == [True, False, False]
    # Bootstrap means of a sample lie within its range.
    assert 0.1 <= out["ci_low"].iloc[0] <= out["mean"].iloc[0] <= out["ci_high"].iloc[0] <= 0.6
    assert out["ci_low"].iloc[1] >= -0.5 and out["ci_high"].iloc[1] <= 0.5


def test_group_mean_two_keys_sorted_and_missing_key_kept():
    df = pd.DataFrame(
        {
            "outlet": ["B", "A", "A", "B"],
            "week": pd.to_datetime(["2024-09-09", "2024-09-09", None, "2024-09-02"]),
            "tone": [1.0, 2.0, 3.0, 4.0],
        }
    )
    out = group_mean(df, "tone", ["outlet", "week"], min_n=1)
    assert out["outlet"].tolist() == ["A", "A", "B", "B"]
    assert out["week"].iloc[0] == pd.Timestamp("2024-09-09") and pd.isna(out["week"].iloc[1])
    assert out["mean"].tolist() == [2.0, 3.0, 4.0, 1.0]
    assert out["n"].sum() == 4  # no row lost
    assert out["week"].dtype == df["week"].dtype


def test_single_value_interval_is_degenerate():
    out = group_mean(pd.DataFrame({"g": ["x"], "v": [0.3]}), "v", ["g"])
    assert (out["ci_low"].item(), out["ci_high"].item()) == (0.3, 0.3)
    assert not out["reliable"].item()


def test_group_mean_is_deterministic_for_a_seed():
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"outlet": rng.choice(["A", "B"], size=80), "tone": rng.normal(size=80)})
    a = group_mean(df, "tone", ["outlet"], seed=7)
    b = group_mean(df, "tone", ["outlet"], seed=7)
    pd.testing.assert_frame_equal(a, b)
    c = group_mean(df, "tone", ["outlet"], seed=8)
    assert not np.array_equal(a[["ci_low", "ci_high"]].to_numpy(), c[["ci_low", "ci_high"]].to_numpy())
    pd.testing.assert_frame_equal(a[["outlet", "n", "mean"]], c[["outlet", "n", "mean"]])


def test_group_interval_does_not_depend_on_other_groups(tones):
    alone = group_mean(tones[tones["outlet"] == "A"], "tone", ["outlet"], seed=3)
    together = group_mean(tones, "tone", ["outlet"], seed=3)
    pd.testing.assert_frame_equal(alone, together.iloc[:1])


@pytest.mark.parametrize("n", [12, 60, 6000])  # 6000 x 1000 resamples exceeds one block
def test_interval_close_to_scipy_percentile_bootstrap(n):
    rng = np.random.default_rng(42)
    values = rng.normal(0.1, 0.3, size=n)
    low, high = bootstrap_mean_ci(values, n_boot=10_000, rng=np.random.default_rng(1))
    ref = stats.bootstrap(
        (values,), np.mean, n_resamples=10_000, batch=500, method="percentile", confidence_level=0.95,
        random_state=2,
    ).confidence_interval
    se = values.std(ddof=1) / np.sqrt(n)
    # Two independent Monte Carlo runs of 10,000 resamples: each bound's Monte Carlo error is about
    # 0.03 SE, so they agree within 0.15 SE (a 90% instead of a 95% interval would be 0.32 SE off).
    assert low == pytest.approx(ref.low, abs=0.15 * se)
    assert high == pytest.approx(ref.high, abs=0.15 * se)
    # ...and with the normal approximation mean ± 1.96 SE.
    assert low == pytest.approx(values.mean() - 1.96 * se, abs=0.25 * se)


def test_ci_level_controls_width():
    values = np.random.default_rng(0).normal(size=100)
    narrow = bootstrap_mean_ci(values, ci=0.5, rng=np.random.default_rng(0))
    wide = bootstrap_mean_ci(values, ci=0.99, rng=np.random.default_rng(0))
    assert wide[0] < narrow[0] < narrow[1] < wide[1]


def test_empty_frame_gives_empty_result():
    df = pd.DataFrame({"outlet": pd.Series([], dtype="str"), "tone": pd.Series([], dtype="float64")})
    out = group_mean(df, "tone", ["outlet"])
    assert out.empty and out.columns.tolist() == ["outlet", "n", "mean", "ci_low", "ci_high", "reliable"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"ci": 1.0}, "ci must be"), ({"n_boot": 0}, "n_boot"), ({"by": ["nope"]}, "nope")],
)
def test_group_mean_rejects_bad_arguments(tones, kwargs, match):
    args = {"by": ["outlet"], **kwargs}
    with pytest.raises((ValueError, KeyError), match=match):
        group_mean(tones, "tone", args.pop("by"), **args)
