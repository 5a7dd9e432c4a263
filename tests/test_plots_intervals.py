"""Figure labels state the interval level and method actually used; no bar is drawn from one article."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from newslens import plots
from newslens.aggregate import group_mean
from newslens.framing import frame_prevalence
from newslens.keywords import term_frequency


@pytest.fixture
def tones():
    return pd.DataFrame(
        {
            "outlet": ["A"] * 6 + ["B"],
            "period": pd.to_datetime(["2024-09-02"] * 3 + ["2024-09-09"] * 3 + ["2024-09-02"]),
            "tone": [0.1, 0.3, -0.2, 0.4, 0.0, 0.2, -0.5],
        }
    )


@pytest.mark.parametrize(("ci", "text"), [(0.9, "90% Student-t interval"), (0.95, "95% Student-t interval")])
def test_tone_over_time_title_states_the_level(tones, ci, text):
    means = group_mean(tones, "tone", ["outlet", "period"], ci=ci, min_n=2)
    title = plots.tone_over_time(means).get_title()
    assert text in title
    if ci != 0.95:
        assert "95%" not in title


def test_no_error_bar_from_a_single_article(tones):
    means = group_mean(tones, "tone", ["outlet", "period"], min_n=2)
    assert means.loc[means["outlet"] == "B", ["ci_low", "ci_high"]].isna().all().all()  # n = 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plots.tone_over_time(means)
    drawn = []
    for collection in ax.collections:  # error bars are line collections, one segment per point
        for segment in collection.get_segments():
            segment = np.asarray(segment).reshape(-1, 2)
            if len(segment) and np.isfinite(segment).all():
                drawn.append(tuple(segment[:, 1]))
    # A's two points have bars; B's single article has none (a zero-width bar would be (-0.5, -0.5))
    assert len(drawn) == 2
    assert all(low < high for low, high in drawn)


def test_frame_figures_state_the_share_interval():
    scores = pd.DataFrame(
        {
            "id": [f"a{i}" for i in range(6)],
            "outlet": ["X", "X", "X", "Y", "Y", "Y"],
            "frame": ["conflict"] * 6,
            "present": [True, False, True, False, False, False],
            "published": pd.to_datetime(["2024-09-02", "2024-09-03", "2024-09-10"] * 2),
        }
    )
    by_outlet = frame_prevalence(scores, by=["outlet"], min_n=1)
    assert "(95% Wilson interval)" in plots.frame_prevalence(by_outlet).get_xlabel()
    over_time = frame_prevalence(scores, by=["period"], min_n=1)
    assert "95% Wilson interval" in plots.frames_over_time(over_time).get_ylabel()
    topic_shares = group_mean(scores.assign(share=[0.2, 0.5, 0.1, 0.0, 0.3, 0.9], period=scores["published"]),
                              "share", ["frame", "period"], ci=0.8)  # fmt: skip
    assert "80% Student-t interval" in plots.frames_over_time(topic_shares).get_ylabel()


def test_term_frequency_band_states_the_level():
    df = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "title": ["", "", ""],
            "text": ["Nuclear talks", "Nuclear nuclear drills", "Grain deal"],
            "published": pd.to_datetime(["2024-09-02", "2024-09-03", "2024-09-04"]),
        }
    )
    freq = term_frequency(df, ["nuclear"], n_boot=200, ci=0.9)
    assert "90% percentile-bootstrap interval" in plots.term_frequency_lines(freq).get_ylabel()
    assert "band" not in plots.term_frequency_lines(term_frequency(df, ["nuclear"], n_boot=0)).get_ylabel()
