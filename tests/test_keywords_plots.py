"""Keyword plots draw exactly the values they are given."""

from __future__ import annotations

import numpy as np
import pandas as pd

from newslens import plots


def test_keyness_bars_draw_log_ratios_labelled_with_g2_and_n():
    keys = pd.DataFrame({
        "group": ["A", "A", "A", "B"],
        "term": ["strike", "missile", "depot", "talks"],
        "freq_target": [30, 12, 5, 9],
        "g2": [40.25, 11.5, 4.0, 20.0],
        "log_ratio": [2.5, 1.25, -0.5, 3.0],
    })
    ax = plots.keyness_bars(keys, group="A", top_n=2)
    widths = [patch.get_width() for patch in ax.patches]
    assert widths == [2.5, 1.25]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["strike", "missile"]
    assert [t.get_text() for t in ax.texts] == ["G²=40.2  n=30", "G²=11.5  n=12"]
    under = plots.keyness_bars(keys, group="A")
    assert [p.get_width() for p in under.patches][-1] == -0.5
    empty = plots.keyness_bars(keys, group="C")
    assert "no key terms" in empty.texts[0].get_text()


def test_log_odds_scatter_plots_z_against_total_frequency():
    scores = pd.DataFrame({"term": ["war", "talks", "the", "nato"], "count_a": [20, 1, 50, 3],
                           "count_b": [2, 15, 50, 3], "z": [3.1, -2.5, 0.0, 0.4]})
    ax = plots.log_odds_scatter(scores, label_a="Daily", label_b="Post", n_labels=5)
    offsets = ax.collections[0].get_offsets()
    assert np.allclose(offsets[:, 0], [22, 16, 100, 6])
    assert np.allclose(offsets[:, 1], [3.1, -2.5, 0.0, 0.4])
    assert sorted(t.get_text() for t in ax.texts) == ["talks", "war"]  # only |z| >= 1.96 is labelled
    assert "Daily" in ax.get_ylabel() and "Post" in ax.get_ylabel()


def test_term_frequency_lines_one_line_per_term_in_time_order():
    freq = pd.DataFrame({
        "period": pd.to_datetime(["2024-09-09", "2024-09-02", "2024-09-02", "2024-09-09"]),
        "term": ["nuclear", "nuclear", "escalat*", "escalat*"],
        "n_articles": [4, 3, 3, 4], "hits": [5, 2, 1, 0],
        "per_10k": [9.0, 4.0, 2.0, 0.0], "ci_low": [5.0, 1.0, 0.0, 0.0], "ci_high": [12.0, 8.0, 6.0, 0.0],
    })
    ax = plots.term_frequency_lines(freq)
    assert [line.get_label() for line in ax.lines] == ["nuclear (7 hits)", "escalat* (1 hits)"]
    assert list(ax.lines[0].get_ydata()) == [4.0, 9.0]


def test_keyness_grid_draws_one_panel_per_group_in_size_order_and_hides_the_rest():
    keys = pd.DataFrame({
        "group": ["A", "A", "B"],
        "term": ["strike", "missile", "talks"],
        "freq_target": [30, 12, 9],
        "g2": [40.25, 11.5, 20.0],
        "log_ratio": [2.5, 1.25, 3.0],
    })
    sizes = pd.DataFrame({"outlet": ["B", "A", "C"], "articles": [7, 5, 1]})  # group_sizes order: largest first
    fig = plots.keyness_grid(keys, sizes, top_n=2)
    assert len(fig.axes) == 4 and [ax.get_visible() for ax in fig.axes] == [True, True, True, False]
    shown = fig.axes[:3]
    assert [ax.get_title() for ax in shown] == ["B (7 articles)", "A (5 articles)", "C (1 articles)"]
    assert [p.get_width() for p in shown[0].patches] == [3.0]
    assert [p.get_width() for p in shown[1].patches] == [2.5, 1.25]
    assert "no key terms" in shown[2].texts[0].get_text()
    assert fig.get_size_inches().tolist() == [12.0, 0.25 * 2 * 2 + 1.2 * 2]  # two rows of two
    assert not any(ax.spines["top"].get_visible() or ax.spines["right"].get_visible() for ax in shown)  # house style
    single = plots.keyness_grid(keys, sizes.head(1), top_n=2, ncols=3)
    assert [ax.get_visible() for ax in single.axes] == [True, False, False]
