"""Tracked-term intervals: one bootstrap stream per period, bounded memory, no interval from one article."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest

from newslens.aggregate import interval_label
from newslens.bootstrap import group_rng, percentile_interval
from newslens.keywords import term_frequency


def articles(rows: list[tuple[str, str]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["published", "text"])
    df.insert(0, "id", [f"{i:016x}" for i in range(len(df))])
    df["title"] = ""
    df["published"] = pd.to_datetime(df["published"])
    return df


WEEK_2 = [
    ("2024-09-10", "Nuclear threats again today"),  # 4 tokens, 1 hit
    ("2024-09-11", "Talks resume in Geneva"),  # 4 tokens, 0 hits
    ("2024-09-12", "Nuclear doctrine and nuclear drills"),  # 5 tokens, 2 hits
]


def test_a_period_interval_does_not_change_when_an_earlier_period_changes():
    # week 2: 20 articles of 3 to 11 words with 0 to 3 hits, so that its interval depends on the draws
    rng = np.random.default_rng(0)
    week_2 = [(f"2024-09-{10 + i % 5}", " ".join(["nuclear"] * int(rng.integers(0, 4)) + ["talks"] * int(rng.integers(3, 9))))
              for i in range(20)]  # fmt: skip
    base = articles([("2024-09-03", "Nuclear plant"), ("2024-09-04", "Grain deal")] + week_2)
    # the first week gains articles (and so more resampling work) ...
    changed = articles([("2024-09-03", "Nuclear plant"), ("2024-09-04", "Grain deal"),
                        ("2024-09-05", "Nuclear nuclear nuclear"), ("2024-09-06", "Storm")] + week_2)  # fmt: skip
    a = term_frequency(base, ["nuclear"], n_boot=500, seed=4)
    b = term_frequency(changed, ["nuclear"], n_boot=500, seed=4)
    assert (a.iloc[0]["n_articles"], b.iloc[0]["n_articles"]) == (2, 4)
    # ... and the second week's interval stays exactly what it was
    pd.testing.assert_frame_equal(a.iloc[[1]].reset_index(drop=True), b.iloc[[1]].reset_index(drop=True))
    alone = term_frequency(articles(week_2), ["nuclear"], n_boot=500, seed=4)
    pd.testing.assert_frame_equal(alone, a.iloc[[1]].reset_index(drop=True))
    other_seed = term_frequency(articles(week_2), ["nuclear"], n_boot=500, seed=5)
    assert other_seed["ci_low"].item() != alone["ci_low"].item()  # the draws do matter here


def test_interval_is_the_bootstrap_of_the_period_rate():
    out = term_frequency(articles(WEEK_2), ["nuclear", "talks"], n_boot=400, seed=9, ci=0.9)
    # oracle: the shared bootstrap on (tokens, hits) rows of the period's articles, drawn from
    # the stream of the period's start date, statistic = hits / tokens per 10,000
    units = np.array([[4, 1, 0], [4, 0, 1], [5, 2, 0]])
    low, high = percentile_interval(
        lambda s: s[:, :, 1:].sum(axis=1) / s[:, :, :1].sum(axis=1) * 10_000, units, n_boot=400, ci=0.9,
        rng=group_rng(9, pd.Timestamp("2024-09-09")),
    )
    assert out["per_10k"].tolist() == pytest.approx([3 / 13 * 10_000, 1 / 13 * 10_000])
    assert out["ci_low"].tolist() == pytest.approx(low.tolist())
    assert out["ci_high"].tolist() == pytest.approx(high.tolist())
    assert interval_label(out) == "90% percentile-bootstrap interval"


def test_adding_a_term_leaves_the_other_terms_intervals_alone():
    one = term_frequency(articles(WEEK_2), ["nuclear"], n_boot=300, seed=2)
    two = term_frequency(articles(WEEK_2), ["talks", "nuclear"], n_boot=300, seed=2)
    pd.testing.assert_frame_equal(one, two.iloc[[1]].reset_index(drop=True))


def test_no_interval_for_a_period_of_one_article():
    out = term_frequency(articles([("2024-09-03", "Nuclear plant")] + WEEK_2), ["nuclear"], n_boot=200)
    first, second = out.iloc[0], out.iloc[1]
    assert first["n_articles"] == 1 and np.isnan(first["ci_low"]) and np.isnan(first["ci_high"])
    assert second["ci_low"] < second["per_10k"] < second["ci_high"]


def test_memory_is_bounded_for_a_large_period():
    # 6,000 articles in one week, 2,000 resamples: drawing them at once takes 96 MB of indices
    # and as much again for each array gathered by them.
    texts = ["nuclear talks today", "grain deal signed", "storm hits coast"]
    df = articles([("2024-09-02", texts[i % 3]) for i in range(6_000)])
    tracemalloc.start()
    try:
        out = term_frequency(df, ["nuclear"], n_boot=2_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out["n_articles"].item() == 6_000
    assert out["ci_low"].item() < out["per_10k"].item() < out["ci_high"].item()
    assert peak < 48 * 2**20, f"peak {peak / 2**20:.0f} MiB"
