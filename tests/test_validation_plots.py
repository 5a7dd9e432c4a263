"""The validation report's figures: what is drawn is the data given, from real library outputs."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from newslens import plots, validation


def _points(ax) -> list[tuple[float, float]]:
    """(x, y) of every dot drawn (the errorbar caps are other markers)."""
    out = []
    for line in ax.get_lines():
        if line.get_marker() == "o":
            out += list(zip(*(np.asarray(v, dtype=float) for v in line.get_data()), strict=True))
    return out


def test_sample_allocation_bars_are_the_strata():
    docs = pd.DataFrame({"id": [f"a{k}" for k in range(9)], "outlet": list("XXXXXXYYZ"), "text": ["t"] * 9,
                         "published": pd.to_datetime(["2024-08-03"] * 4 + ["2024-09-01"] * 2 + ["2024-08-09"] * 3)})
    plan = validation.allocate(docs, 8, by=("outlet", "period"), allocation="equal")
    ax = plots.sample_allocation(plan)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["X · 2024-08", "X · 2024-09", "Y · 2024-08", "Z · 2024-08"]
    widths = [p.get_width() for p in ax.patches]
    assert widths[:4] == plan["available"].tolist() and widths[4:8] == plan["drawn"].tolist()
    notes = [t.get_text() for t in ax.texts]
    assert notes == ["2 of 4", "2 of 2", "2 of 2", "1 of 1, short by 1"]
    assert len(ax.patches) == 9  # one red outline: the short stratum
    assert "7 of 8 units from 4 strata" in ax.get_title()


def test_alpha_intervals_place_each_alpha_on_krippendorffs_zones():
    codes = pd.DataFrame([(f"u{u}", c, v, str(int(u % 2 if v == "war" else (u + (c == "B")) % 2)))
                          for u in range(20) for c in "AB" for v in ("war", "eco")],
                         columns=["unit", "coder", "variable", "value"])  # fmt: skip
    book = pd.DataFrame({"variable": ["war", "war", "eco", "eco"], "level": "nominal", "value": ["1", "0"] * 2,
                         "label": "", "definition": ""})  # fmt: skip
    table = validation.agreement_table(codes, book, n_boot=100)
    ax = plots.alpha_intervals(table[["variable", "units", "alpha", "ci_low", "ci_high"]])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["war (n=20 units)", "eco (n=20 units)"]
    assert _points(ax) == [(1.0, 0.0), (pytest.approx(table["alpha"].iloc[1]), 1.0)]
    edges = sorted(line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == "--")
    assert edges == [0.667, 0.8]
    assert {"unreliable", "tentative", "reliable"} <= {t.get_text() for t in ax.texts}
    assert ax.get_xlim()[0] <= table["ci_low"].min()


def test_score_intervals_pooled_first_per_outlet_after_nothing_for_undefined():
    human = pd.DataFrame({"unit": list("abcdef"), "label": list("xxyyxy"), "outlet": list("PPPQQQ")})
    machine = human.assign(label=list("xyyyxx")).drop(columns="outlet")
    r = validation.compare(machine, human, by="outlet", labels=["x", "y", "z"], n_boot=50)
    ax = plots.score_intervals(r.scores)
    assert ax.get_legend_handles_labels()[1] == ["all (n=6)", "P (n=3)", "Q (n=3)"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x", "y", "z", "macro", "micro"]
    pooled = ax.get_lines()[0]
    assert pooled.get_color() == "black"
    xs = np.asarray(pooled.get_xdata(), dtype=float)
    expected = r.scores[r.scores["outlet"] == "all"]["f1"].to_numpy()
    np.testing.assert_allclose(xs, expected)  # z is NaN: not drawn (NaN x)
    assert np.isnan(xs[2])


def test_calibration_table_plots_by_rule():
    table = pd.DataFrame({"frame": ["war", "war"], "rule": ["calibrated (cross-validated)", "default"],
                          "n": [30, 30], "f1": [0.9, 0.7], "f1_low": [0.8, 0.5], "f1_high": [1.0, 0.85]})
    ax = plots.score_intervals(table, group_col="rule")
    assert ax.get_legend_handles_labels()[1] == ["calibrated (cross-validated) (n=30)", "default (n=30)"]
    assert [x for x, _ in _points(ax)] == [0.9, 0.7]


def test_label_confusion_counts_rows_human_columns_machine():
    human = pd.DataFrame({"unit": list("abcde"), "label": ["neg", "neg", "pos", "neu", "pos"]})
    machine = human.assign(label=["neg", "pos", "pos", "neg", "pos"])
    r = validation.compare(machine, human, labels=["neg", "neu", "pos"], n_boot=10)
    ax = plots.label_confusion(r.confusion_of(), machine="VADER tone", title="x " * 40)
    assert [t.get_text() for t in ax.texts] == ["1", "0", "1", "1", "0", "0", "0", "0", "2"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["neg (n=2)", "neu (n=1)", "pos (n=2)"]
    assert ax.get_xlabel() == "VADER tone" and ax.get_ylabel() == "coders' majority"
    assert "\n" in ax.get_title()  # a long title is wrapped, not cut off


def test_presence_confusion_one_table_per_category():
    units, categories = np.repeat(list("abcd"), 2), ["eco", "war"] * 4
    machine = pd.DataFrame({"unit": units, "category": categories, "present": [1, 0, 1, 1, 0, 0, 0, 1]})
    human = pd.DataFrame({"unit": units, "category": categories, "present": [1, 1, 0, 1, 0, 0, 0, 0]})
    r = validation.compare(machine, human, n_boot=10)
    fig = plots.presence_confusion(r.confusion_of(), ncols=3, machine="frames")
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in shown] == ["eco (n=4)", "war (n=4)"]
    # eco: human yes/machine yes 1 (a), human no/machine yes 1 (b), human no/machine no 2
    assert [t.get_text() for t in shown[0].texts] == ["1", "0", "1", "2"]
    assert [t.get_text() for t in shown[1].texts] == ["1", "1", "1", "1"]  # a: yes/no, b: yes/yes, c, d
    assert len(fig.axes) == 2  # no more columns than categories
    three = pd.concat([r.confusion_of(), r.confusion_of().query("category == 'eco'").assign(category="oil")])
    grid = plots.presence_confusion(three, ncols=2)
    assert len(grid.axes) == 4 and [ax.get_visible() for ax in grid.axes] == [True, True, True, False]


def test_validation_plots_leave_no_pyplot_state():
    before, style = plt.get_fignums(), dict(matplotlib.rcParams)
    plan = pd.DataFrame({"outlet": ["A"], "available": [3], "wanted": [2], "drawn": [2], "short": [False]})
    plots.sample_allocation(plan)
    plots.alpha_intervals(pd.DataFrame({"variable": ["v"], "alpha": [0.5], "ci_low": [0.4], "ci_high": [0.6],
                                        "units": [9]}))  # fmt: skip
    assert plt.get_fignums() == before
    assert dict(matplotlib.rcParams) == style  # styled inside rc_context only
