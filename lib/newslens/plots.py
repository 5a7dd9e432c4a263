"""Plotting: pure functions, DataFrame in, matplotlib Axes out.

Every function takes an optional `ax`; without one it draws on a new figure that pyplot does not
track, so notebooks and tests never share global figure state. Panel grids (`keyness_grid`) take
no `ax` and return their Figure. Styling is applied inside `matplotlib.rc_context`, never globally.
"""

import math
import textwrap

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from newslens.aggregate import interval_label

_STYLE = {
    "figure.dpi": 100,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.parse_math": False,
}


def _axes(ax, figsize):
    """The given Axes, or a new one on a figure not tracked by pyplot."""
    return ax if ax is not None else Figure(figsize=figsize, layout="constrained").add_subplot()


# --- corpus overview (00-corpus-overview) -------------------------------------------------------


def weekly_articles(counts, *, ax=None, title: str = "Articles per outlet per week"):
    """Stacked bars of articles per week, one colour per outlet (legend shows each outlet's n).

    `counts` is `newslens.overview.weekly_counts` output: columns outlet, week, n.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"outlet": ["A", "B"], "week": pd.to_datetime(["2024-09-02"] * 2), "n": [2, 1]})
    >>> weekly_articles(c).get_legend_handles_labels()[1]
    ['A (n=2)', 'B (n=1)']
    """

    with mpl.rc_context(_STYLE):
        ax = _axes(ax, (9, 4))
        wide = counts.pivot(index="week", columns="outlet", values="n").fillna(0).sort_index()
        x = np.arange(len(wide))
        bottom = np.zeros(len(wide))
        colours = mpl.colormaps["tab10" if wide.shape[1] <= 10 else "tab20"]
        for i, outlet in enumerate(wide.columns):
            values = wide[outlet].to_numpy(dtype=float)
            ax.bar(x, values, bottom=bottom, color=colours(i % colours.N), width=0.8,
                   label=f"{outlet} (n={int(values.sum())})")
            bottom += values
        ax.set_xticks(x, [d.strftime("%Y-%m-%d") for d in wide.index], rotation=60, ha="right")
        ax.set_xlabel("week starting (Monday)")
        ax.set_ylabel("articles")
        ax.set_title(f"{title} (n={int(bottom.sum())} dated articles)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    return ax


def length_by_outlet(lengths, *, ax=None, seed: int = 0, title: str = "Article length by outlet"):
    """Box plot of article length (words) per outlet with every article as a jittered dot.

    `lengths` is `newslens.overview.word_counts` output: columns id, outlet, words. Tick labels
    show each outlet's n; the jitter is seeded.

    >>> import pandas as pd
    >>> w = pd.DataFrame({"id": ["a", "b", "c"], "outlet": ["A", "A", "B"], "words": [100, 300, 50]})
    >>> [t.get_text() for t in length_by_outlet(w).get_yticklabels()]
    ['A (n=2)', 'B (n=1)']
    """

    with mpl.rc_context(_STYLE):
        outlets = sorted(lengths["outlet"].unique())
        ax = _axes(ax, (9, 0.5 * len(outlets) + 1.5))
        groups = [lengths.loc[lengths["outlet"] == o, "words"].to_numpy() for o in outlets]
        positions = np.arange(1, len(outlets) + 1)
        ax.boxplot(groups, positions=positions, orientation="horizontal", widths=0.6,
                   showfliers=False, medianprops={"color": "black"})
        rng = np.random.default_rng(seed)
        for pos, values in zip(positions, groups):
            jitter = rng.uniform(-0.2, 0.2, size=len(values))
            ax.scatter(values, pos + jitter, s=10, alpha=0.6, color="tab:blue", zorder=3)
        ax.set_yticks(positions, [f"{o} (n={len(g)})" for o, g in zip(outlets, groups)])
        ax.invert_yaxis()
        ax.set_xlabel("words in the article body")
        ax.set_title(f"{title} (n={len(lengths)} articles)")
    return ax


def coverage_grid(counts, *, ax=None, title: str = "Weekly coverage by outlet"):
    """Outlet × week grid of article counts; weeks without articles are left white and marked "–".

    `counts` is `newslens.overview.weekly_counts` output: columns outlet, week, n.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"outlet": ["A", "A"], "week": pd.to_datetime(["2024-09-02", "2024-09-09"]), "n": [2, 0]})
    >>> sorted(t.get_text() for t in coverage_grid(c).texts)
    ['2', '–']
    """

    with mpl.rc_context(_STYLE):
        wide = counts.pivot(index="outlet", columns="week", values="n").fillna(0).sort_index()
        ax = _axes(ax, (max(6.0, 0.45 * wide.shape[1] + 3), 0.45 * len(wide) + 1.8))
        values = wide.to_numpy(dtype=float)
        masked = np.ma.masked_equal(values, 0)
        cmap = mpl.colormaps["Blues"].with_extremes(bad="white")
        ax.imshow(masked, aspect="auto", cmap=cmap, vmin=0, vmax=max(1.0, values.max()),
                  interpolation="nearest")
        for (row, col), value in np.ndenumerate(values):
            ax.text(col, row, str(int(value)) if value else "–", ha="center", va="center", fontsize=7,
                    color="white" if value > 0.6 * values.max() else "black")
        totals = values.sum(axis=1).astype(int)
        ax.set_yticks(range(len(wide)), [f"{o} (n={n})" for o, n in zip(wide.index, totals)])
        ax.set_xticks(range(wide.shape[1]), [d.strftime("%m-%d") for d in wide.columns], rotation=60)
        ax.set_xlabel("week starting (Monday, month-day)")
        ax.set_title(title)
    return ax


def copy_matrix(matrix, *, ax=None, title: str = "Who copies whom"):
    """Source × copying-outlet grid of copies; each cell gives the number of copies n, "–" for none.

    `matrix` is `newslens.duplicates.copy_matrix` output: columns source (the canonical copy's
    outlet), outlet (where the copy appeared), n. Both axes list every outlet of either column;
    the diagonal holds an outlet repeating its own article.

    >>> import pandas as pd
    >>> m = pd.DataFrame({"source": ["Wire", "Wire"], "outlet": ["A", "B"], "n": [3, 1]})
    >>> sorted(t.get_text() for t in copy_matrix(m).texts)
    ['1', '3', '–', '–', '–', '–', '–', '–', '–']
    """

    with mpl.rc_context(_STYLE):
        names = sorted(set(matrix["source"]) | set(matrix["outlet"]))
        ax = _axes(ax, (max(5.0, 0.8 * len(names) + 3), 0.5 * len(names) + 2))
        if matrix.empty:
            ax.set_axis_off()
            ax.set_title(f"{title}: no article is a copy of another")
            return ax
        wide = matrix.pivot(index="source", columns="outlet", values="n").reindex(index=names, columns=names)
        values = wide.fillna(0).to_numpy(dtype=float)
        cmap = mpl.colormaps["Blues"].with_extremes(bad="white")
        ax.imshow(np.ma.masked_equal(values, 0), aspect="auto", cmap=cmap, vmin=0, vmax=max(1.0, values.max()),
                  interpolation="nearest")
        for (row, col), value in np.ndenumerate(values):
            ax.text(col, row, str(int(value)) if value else "–", ha="center", va="center", fontsize=8,
                    color="white" if value > 0.6 * values.max() else ("black" if value else "grey"))
        copied = values.sum(axis=1).astype(int)
        copying = values.sum(axis=0).astype(int)
        ax.set_yticks(range(len(names)), [f"{o} (n={n})" for o, n in zip(names, copied)])
        ax.set_xticks(range(len(names)), [f"{o} (n={n})" for o, n in zip(names, copying)], rotation=45, ha="right")
        ax.set_ylabel("source (canonical copy)")
        ax.set_xlabel("outlet where the copy appeared (n = copies it holds)")
        ax.set_title(f"{title}: copies per source and outlet ({int(values.sum())} in all)")
    return ax


# --- sentiment (10-sentiment) -------------------------------------------------------------------

_UNRELIABLE_NOTE = "hollow/grey: fewer articles than the reliability minimum"


def tone_distribution(tones, *, ax=None, value: str = "tone", by: str = "outlet", seed: int = 0,
                      title: str = "Article tone by outlet"):
    """Box plot of article tone per group with every article as a jittered dot.

    `tones` is `newslens.sentiment.article_tone` output (columns `by` and `value`). Articles
    without a score (no sentences) cannot be drawn; tick labels give each group's n of scored
    articles and the title the number left out. The jitter is seeded.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"outlet": ["A", "A", "B"], "tone": [0.2, -0.1, float("nan")]})
    >>> ax = tone_distribution(t)
    >>> [x.get_text() for x in ax.get_yticklabels()], ax.get_title()
    (['A (n=2)', 'B (n=0)'], 'Article tone by outlet (n=2 articles; 1 without sentences not shown)')
    """

    with mpl.rc_context(_STYLE):
        groups_all = sorted(tones[by].dropna().unique())
        ax = _axes(ax, (9, 0.5 * len(groups_all) + 1.6))
        data = [tones.loc[tones[by] == g, value].dropna().to_numpy(dtype=float) for g in groups_all]
        positions = np.arange(1, len(groups_all) + 1)
        nonempty = [k for k, d in enumerate(data) if len(d)]
        if nonempty:
            ax.boxplot([data[k] for k in nonempty], positions=positions[nonempty], orientation="horizontal",
                       widths=0.6, showfliers=False, medianprops={"color": "black"})
        rng = np.random.default_rng(seed)
        for pos, values in zip(positions, data):
            jitter = rng.uniform(-0.2, 0.2, size=len(values))
            ax.scatter(values, pos + jitter, s=10, alpha=0.6, color="tab:blue", zorder=3)
        ax.axvline(0, color="grey", linewidth=0.8, linestyle=":")
        ax.set_yticks(positions, [f"{g} (n={len(d)})" for g, d in zip(groups_all, data)])
        if groups_all:
            ax.set_ylim(len(groups_all) + 0.5, 0.5)
        ax.set_xlabel("article tone: mean VADER compound of its sentences (−1 negative … +1 positive)")
        shown = sum(len(d) for d in data)
        left_out = int(tones[value].isna().sum())
        note = f"; {left_out} without sentences not shown" if left_out else ""
        ax.set_title(f"{title} (n={shown} articles{note})")
    return ax


def tone_over_time(means, *, ax=None, x: str = "period", by: str = "outlet",
                   title: str = "Tone over time", ylabel: str = "mean article tone",
                   xlabel: str = "period starting"):
    """Mean tone per period and group with its interval (error bars).

    `means` is `newslens.aggregate.group_mean` output with columns `by`, `x`, n, mean, ci_low,
    ci_high, reliable. Reliable points are filled; points with too few articles are hollow and
    their bars grey, and the title says so; the title names the interval's level and method
    (`newslens.aggregate.interval_label`). Thin lines only link each group's points in time
    order. Rows without a date are not placed on the axis.

    >>> import pandas as pd
    >>> m = pd.DataFrame({"outlet": ["A", "A"], "period": pd.to_datetime(["2024-09-02", "2024-09-09"]),
    ...                   "n": [6, 2], "mean": [0.1, -0.2], "ci_low": [0.0, -0.4], "ci_high": [0.2, 0.0],
    ...                   "reliable": [True, False]})
    >>> ax = tone_over_time(m)
    >>> [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    ['A (n=8)']
    """

    with mpl.rc_context(_STYLE):
        ax = _axes(ax, (9, 4.5))
        dated = means.dropna(subset=[x]).sort_values([by, x])
        groups_all = sorted(dated[by].unique())
        colours = mpl.colormaps["tab10" if len(groups_all) <= 10 else "tab20"]
        for k, group in enumerate(groups_all):
            rows = dated[dated[by] == group]
            colour = colours(k % colours.N)
            ax.plot(rows[x], rows["mean"], color=colour, linewidth=0.9, alpha=0.45,
                    label=f"{group} (n={int(rows['n'].sum())})")
            for reliable in (True, False):
                part = rows[rows["reliable"] == reliable]
                if part.empty:
                    continue
                err = np.vstack([part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]])
                ax.errorbar(part[x], part["mean"], yerr=err, fmt="o", markersize=5, capsize=2,
                            color=colour if reliable else "lightgrey",
                            markerfacecolor=colour if reliable else "white",
                            markeredgecolor=colour, ecolor=colour if reliable else "lightgrey", linewidth=1)
        ax.axhline(0, color="grey", linewidth=0.8, linestyle=":")
        ax.set_ylabel(ylabel)
        ax.set_xlabel(xlabel)
        ax.tick_params(axis="x", rotation=45)
        note = f"\n{_UNRELIABLE_NOTE}" if (~dated["reliable"].astype(bool)).any() else ""
        ax.set_title(f"{title}: mean with {interval_label(means)}{note}")
        if groups_all:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    return ax


def tone_heatmap(means, *, ax=None, row: str = "actor", col: str = "outlet",
                 title: str = "Tone of sentences mentioning each actor"):
    """Row × column grid of mean tone; each cell shows the mean and its n.

    `means` is `newslens.aggregate.group_mean` output over `[row, col]`. Colour runs from red
    (negative) through white to blue (positive), symmetric around 0. Cells with too few
    articles (`reliable` False) are grey with grey text; empty cells show "–".

    >>> import pandas as pd
    >>> m = pd.DataFrame({"actor": ["NATO", "NATO"], "outlet": ["A", "B"], "n": [7, 1],
    ...                   "mean": [0.25, -0.5], "ci_low": [0.1, -0.5], "ci_high": [0.4, -0.5],
    ...                   "reliable": [True, False]})
    >>> sorted(t.get_text() for t in tone_heatmap(m).texts)
    ['+0.25\\nn=7', '−0.50\\nn=1']
    """

    with mpl.rc_context(_STYLE):
        rows = sorted(means[row].unique())
        cols = sorted(means[col].unique())
        ax = _axes(ax, (max(6.0, 1.1 * len(cols) + 3), 0.5 * len(rows) + 2))
        if means.empty:
            ax.set_axis_off()
            ax.set_title(f"{title}: no mentions in this selection")
            return ax
        mean = means.pivot(index=row, columns=col, values="mean").reindex(index=rows, columns=cols)
        n = means.pivot(index=row, columns=col, values="n").reindex(index=rows, columns=cols)
        reliable = means.pivot(index=row, columns=col, values="reliable").reindex(index=rows, columns=cols)
        reliable = reliable.fillna(False).to_numpy(dtype=bool)
        values = mean.to_numpy(dtype=float)
        limit = max(0.05, float(np.nanmax(np.abs(values[reliable])))) if reliable.any() else 1.0
        shown = np.ma.masked_where(~reliable | np.isnan(values), values)
        cmap = mpl.colormaps["RdBu"].with_extremes(bad="#e6e6e6")
        ax.imshow(shown, aspect="auto", cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest")
        for (i, j), value in np.ndenumerate(values):
            if np.isnan(value):
                ax.text(j, i, "–", ha="center", va="center", fontsize=7, color="grey")
                continue
            text = f"{value:+.2f}".replace("-", "−") + f"\nn={int(n.iloc[i, j])}"
            dark = reliable[i, j] and abs(value) > 0.6 * limit
            colour = "white" if dark else ("black" if reliable[i, j] else "grey")
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color=colour)
        ax.set_yticks(range(len(rows)), rows)
        ax.set_xticks(range(len(cols)), cols, rotation=45, ha="right")
        note = "\ngrey cells: fewer articles than the reliability minimum" if (~reliable & ~np.isnan(values)).any() else ""
        ax.set_title(f"{title} (mean article-level tone, n = articles){note}")
    return ax


def tone_agreement(pairs, *, x: str, y: str, ax=None, by: str = "outlet",
                   xlabel: str = "VADER article tone", ylabel: str = "dictionary tone",
                   title: str = "VADER and dictionary tone per article"):
    """Scatter of two per-article tone measures, one colour per group; the title gives n.

    `pairs` has one row per article with columns `x`, `y` and `by`; rows missing either value
    are not drawn (and not counted).

    >>> import pandas as pd
    >>> p = pd.DataFrame({"outlet": ["A", "B", "B"], "v": [0.1, 0.3, None], "d": [1.0, 4.0, 2.0]})
    >>> tone_agreement(p, x="v", y="d").get_title()
    'VADER and dictionary tone per article (n=2 articles)'
    """

    with mpl.rc_context(_STYLE):
        ax = _axes(ax, (7, 5))
        both = pairs.dropna(subset=[x, y])
        groups_all = sorted(both[by].unique())
        colours = mpl.colormaps["tab10" if len(groups_all) <= 10 else "tab20"]
        for k, group in enumerate(groups_all):
            rows = both[both[by] == group]
            ax.scatter(rows[x], rows[y], s=14, alpha=0.7, color=colours(k % colours.N),
                       label=f"{group} (n={len(rows)})")
        ax.axvline(0, color="grey", linewidth=0.8, linestyle=":")
        ax.axhline(0, color="grey", linewidth=0.8, linestyle=":")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(f"{title} (n={len(both)} articles)")
        if groups_all:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    return ax


# --- framing (20-framing) ------------------------------------------------------------------------


def frame_prevalence(prevalence, *, ax=None, labels: dict | None = None,
                     title: str = "Share of articles with each frame, by outlet"):
    """Dot plot of frame prevalence per outlet with intervals (level and method on the x label).

    `prevalence` is `newslens.aggregate.group_mean` output on 0/1 frame presence grouped by
    `["frame", "outlet"]` (columns frame, outlet, n, mean, ci_low, ci_high, reliable). One row per
    frame (in order of appearance), one colour per outlet; hollow markers flag groups with too
    few articles (`reliable` False). `labels` maps frame keys to display names.

    >>> import pandas as pd
    >>> p = pd.DataFrame({"frame": ["conflict"] * 2, "outlet": ["A", "B"], "n": [10, 2], "mean": [0.5, 1.0],
    ...                   "ci_low": [0.2, 1.0], "ci_high": [0.8, 1.0], "reliable": [True, False]})
    >>> frame_prevalence(p).get_legend_handles_labels()[1]
    ['A (n=10)', 'B (n=2)']
    """

    labels = labels or {}
    with mpl.rc_context(_STYLE):
        frames = list(dict.fromkeys(prevalence["frame"]))
        outlets = sorted(prevalence["outlet"].unique())
        ax = _axes(ax, (9, 0.12 * len(frames) * max(3, len(outlets)) + 1.5))
        colours = mpl.colormaps["tab10" if len(outlets) <= 10 else "tab20"]
        step = 0.8 / max(1, len(outlets))
        for i, outlet in enumerate(outlets):
            rows = prevalence.loc[prevalence["outlet"] == outlet].set_index("frame").reindex(frames)
            y = np.arange(len(frames)) - 0.4 + step * (i + 0.5)
            mean = rows["mean"].to_numpy(dtype=float)
            low = mean - rows["ci_low"].to_numpy(dtype=float)
            high = rows["ci_high"].to_numpy(dtype=float) - mean
            colour = colours(i % colours.N)
            n = int(rows["n"].fillna(0).max())
            ax.errorbar(mean, y, xerr=[low, high], fmt="none", ecolor=colour, elinewidth=1, capsize=0)
            reliable = rows["reliable"].fillna(False).to_numpy(dtype=bool)
            ax.scatter(mean[reliable], y[reliable], color=colour, s=22, zorder=3, label=f"{outlet} (n={n})")
            ax.scatter(mean[~reliable], y[~reliable], facecolor="white", edgecolor=colour, s=22, zorder=3)
        ax.set_yticks(range(len(frames)), [labels.get(f, f) for f in frames])
        ax.set_ylim(len(frames) - 0.5, -0.5)
        for boundary in np.arange(len(frames) - 1) + 0.5:
            ax.axhline(boundary, color="0.9", linewidth=0.8, zorder=0)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
        ax.set_xlabel(f"share of articles where the frame is present ({interval_label(prevalence)})")
        ax.set_title(title)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    return ax


def frames_over_time(prevalence, *, ax=None, labels: dict | None = None, period_col: str = "period",
                     group_col: str = "frame", ylabel: str = "share of articles with the frame",
                     title: str = "Share of articles with each frame over time"):
    """Lines of frame prevalence (or topic share) per period with shaded intervals.

    `prevalence` is `group_mean` output grouped by `[group_col, period_col]`, one line per
    value of `group_col`. Periods with `reliable` False are drawn as hollow markers. The y label
    names the bands' level and method.

    >>> import pandas as pd
    >>> p = pd.DataFrame({"frame": ["conflict"] * 2, "period": pd.to_datetime(["2024-09-02", "2024-09-09"]),
    ...                   "n": [10, 12], "mean": [0.5, 0.6], "ci_low": [0.2, 0.3], "ci_high": [0.8, 0.9],
    ...                   "reliable": [True, True]})
    >>> frames_over_time(p).get_legend_handles_labels()[1]
    ['conflict']
    """

    labels = labels or {}
    with mpl.rc_context(_STYLE):
        ax = _axes(ax, (9, 4.5))
        frames = list(dict.fromkeys(prevalence[group_col]))
        colours = mpl.colormaps["tab10" if len(frames) <= 10 else "tab20"]
        for i, frame in enumerate(frames):
            rows = prevalence.loc[prevalence[group_col] == frame].dropna(subset=[period_col]).sort_values(period_col)
            x = rows[period_col].to_numpy()
            colour = colours(i % colours.N)
            ax.fill_between(x, rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float),
                            color=colour, alpha=0.12, linewidth=0)
            ax.plot(x, rows["mean"].to_numpy(dtype=float), color=colour, marker="o", markersize=3,
                    label=labels.get(frame, frame))
            weak = ~rows["reliable"].to_numpy(dtype=bool)
            ax.scatter(x[weak], rows["mean"].to_numpy(dtype=float)[weak], facecolor="white", edgecolor=colour,
                       s=18, zorder=3)
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
        band = f"\n(band: {interval_label(prevalence)})" if prevalence["ci_low"].notna().any() else ""
        ax.set_ylabel(f"{ylabel}{band}")
        ax.set_xlabel(f"{period_col} starting")
        ax.tick_params(axis="x", labelrotation=45)
        ax.set_title(title)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
        ax.margins(x=0.02)
    return ax


def confusion_matrix(confusion, *, ax=None, title: str = "Cross-validated confusion matrix"):
    """Heat map of a confusion table ``[true, predicted, n]`` with the counts written in the cells.

    Rows are the human (true) labels, columns the predicted ones; colour is the row share, so
    each row shows where that label's examples went.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"true": ["a", "a", "b", "b"], "predicted": ["a", "b", "a", "b"], "n": [3, 1, 0, 4]})
    >>> [t.get_text() for t in confusion_matrix(c).texts]
    ['3', '1', '0', '4']
    """

    with mpl.rc_context(_STYLE):
        labels = list(dict.fromkeys(confusion["true"]))
        wide = confusion.pivot(index="true", columns="predicted", values="n").reindex(index=labels, columns=labels)
        counts = wide.fillna(0).to_numpy(dtype=float)
        totals = counts.sum(axis=1, keepdims=True)
        shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
        size = 0.55 * len(labels) + 2.5
        ax = _axes(ax, (size + 1.5, size))
        ax.imshow(shares, cmap="Blues", vmin=0, vmax=1, aspect="equal", interpolation="nearest")
        for (row, col), value in np.ndenumerate(counts):
            ax.text(col, row, str(int(value)), ha="center", va="center", fontsize=7,
                    color="white" if shares[row, col] > 0.6 else "black")
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
        ax.set_yticks(range(len(labels)), [f"{lab} (n={int(t)})" for lab, t in zip(labels, totals[:, 0])])
        ax.set_xlabel("predicted")
        ax.set_ylabel("human coding")
        ax.set_title(title)
    return ax


def topic_prevalence(prevalence, *, ax=None, labels: dict | None = None,
                     title: str = "Mean topic share by outlet"):
    """Outlet × topic heat map of mean topic shares, the value written in each cell.

    `prevalence` is `group_mean` output on topic shares grouped by `["outlet", "topic"]`;
    `labels` maps topic numbers to names (e.g. from `newslens.framing.topic_labels`).

    >>> import pandas as pd
    >>> p = pd.DataFrame({"outlet": ["A", "A"], "topic": [0, 1], "n": [4, 4], "mean": [0.7, 0.3]})
    >>> [t.get_text() for t in topic_prevalence(p).texts]
    ['70%', '30%']
    """

    labels = labels or {}
    with mpl.rc_context(_STYLE):
        wide = prevalence.pivot(index="outlet", columns="topic", values="mean").sort_index()
        n = prevalence.groupby("outlet")["n"].max().reindex(wide.index)
        values = wide.to_numpy(dtype=float)
        ax = _axes(ax, (max(6.0, 1.1 * wide.shape[1] + 3), 0.45 * len(wide) + 2.2))
        ax.imshow(values, cmap="Purples", vmin=0, vmax=max(0.01, float(np.nanmax(values))), aspect="auto",
                  interpolation="nearest")
        for (row, col), value in np.ndenumerate(values):
            ax.text(col, row, f"{value:.0%}", ha="center", va="center", fontsize=7,
                    color="white" if value > 0.6 * np.nanmax(values) else "black")
        ax.set_yticks(range(len(wide)), [f"{o} (n={int(k)})" for o, k in zip(wide.index, n)])
        ax.set_xticks(range(wide.shape[1]), [labels.get(t, str(t)) for t in wide.columns], rotation=30, ha="right")
        ax.set_title(title)
    return ax


# --- keywords (30-keywords) ------------------------------------------------------------------


def keyness_bars(keys, *, group: str, ax=None, top_n: int = 15, title: str | None = None):
    """Horizontal bars of the log ratio of one group's key terms, each labelled with G² and n.

    `keys` is `newslens.keywords.keyness` output (columns group, term, freq_target, g2,
    log_ratio, ...); the `top_n` rows of `group` are drawn in their order (strongest G² on top).
    n is the term's frequency in the group; bars of under-used terms point left.

    >>> import pandas as pd
    >>> k = pd.DataFrame({"group": ["A", "A"], "term": ["strike", "missile"], "freq_target": [30, 12],
    ...                   "g2": [40.2, 11.5], "log_ratio": [2.5, 1.2]})
    >>> [t.get_text() for t in keyness_bars(k, group="A").get_yticklabels()]
    ['strike', 'missile']
    """

    rows = keys[keys["group"] == group].head(top_n)
    with mpl.rc_context(_STYLE):
        ax = _axes(ax, (6, 0.3 * max(len(rows), 3) + 1))
        y = np.arange(len(rows))
        values = rows["log_ratio"].to_numpy(dtype=float)
        ax.barh(y, values, color=np.where(values >= 0, "tab:blue", "tab:orange"), height=0.7)
        ax.set_yticks(y, rows["term"].tolist())
        ax.invert_yaxis()
        span = max(float(np.abs(values).max()) if len(values) else 1.0, 1.0)
        for yi, v, g2, n in zip(y, values, rows["g2"], rows["freq_target"]):
            ax.text(v + (0.02 * span if v >= 0 else -0.02 * span), yi, f"G²={g2:.1f}  n={int(n)}",
                    va="center", ha="left" if v >= 0 else "right", fontsize=7)  # fmt: skip
        low = min(0.0, float(values.min())) if len(values) else 0.0
        high = max(0.0, float(values.max())) if len(values) else 1.0
        ax.set_xlim(low - (0.6 * span if low < 0 else 0.0), high + 0.6 * span)  # room for the labels
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_xlabel("log ratio (log2 of relative frequency, group vs the rest)")
        ax.set_title(title or f"{group}: key terms (n = frequency in {group})")
        if rows.empty:
            ax.text(0.5, 0.5, "no key terms pass the filters", transform=ax.transAxes, ha="center", va="center")
    return ax


def keyness_grid(keys, sizes, *, top_n: int = 15, ncols: int = 2):
    """Key-term bars of every group side by side, `ncols` per row; returns the Figure.

    `keys` is `newslens.keywords.keyness` output and `sizes` `newslens.keywords.group_sizes`
    output (columns: the group column, articles): one panel per row of `sizes`, in its order
    (largest group first), drawn by :func:`keyness_bars` and titled with the group's n.
    Unused cells of the last row are hidden.

    >>> import pandas as pd
    >>> k = pd.DataFrame({"group": ["A", "B"], "term": ["strike", "talks"], "freq_target": [30, 9],
    ...                   "g2": [40.2, 20.0], "log_ratio": [2.5, 3.0]})
    >>> fig = keyness_grid(k, pd.DataFrame({"outlet": ["A", "B", "C"], "articles": [5, 4, 1]}))
    >>> [ax.get_title() for ax in fig.axes if ax.get_visible()]
    ['A (5 articles)', 'B (4 articles)', 'C (1 articles)']
    """

    groups, counts = sizes.iloc[:, 0].tolist(), sizes["articles"].tolist()
    nrows = max(math.ceil(len(groups) / ncols), 1)
    with mpl.rc_context(_STYLE):
        fig = Figure(figsize=(12, 0.25 * top_n * nrows + 1.2 * nrows), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for ax, group, n in zip(axes, groups, counts):
            keyness_bars(keys, group=group, ax=ax, top_n=top_n, title=f"{group} ({int(n)} articles)")
        for ax in axes[len(groups):]:
            ax.set_visible(False)
    return fig


def log_odds_scatter(scores, *, ax=None, label_a: str = "group a", label_b: str = "group b",
                     n_labels: int = 10, z_line: float = 1.96, title: str | None = None):
    """Monroe et al. style plot: z-score of the log-odds (Dirichlet prior) against term frequency.

    `scores` is `newslens.keywords.log_odds` output (columns term, count_a, count_b, z). Terms
    beyond ±`z_line` are coloured; the `n_labels` strongest on each side are labelled.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"term": ["war", "talks", "the"], "count_a": [20, 1, 50], "count_b": [2, 15, 50],
    ...                   "z": [3.1, -2.5, 0.0]})
    >>> len(log_odds_scatter(s, n_labels=1).texts)
    2
    """

    with mpl.rc_context(_STYLE):
        ax = _axes(ax, (8, 5))
        total = (scores["count_a"] + scores["count_b"]).to_numpy(dtype=float)
        z = scores["z"].to_numpy(dtype=float)
        colours = np.where(z >= z_line, "tab:blue", np.where(z <= -z_line, "tab:orange", "lightgrey"))
        ax.scatter(total, z, s=8, c=colours, alpha=0.8, linewidths=0)
        ax.set_xscale("log")
        for sign in (1, -1):
            ax.axhline(sign * z_line, color="grey", linewidth=0.6, linestyle="--")
        ordered = scores.assign(_total=total).sort_values("z", kind="stable")
        strongest = [ordered[ordered["z"] >= z_line].tail(n_labels), ordered[ordered["z"] <= -z_line].head(n_labels)]
        for part in strongest:
            for _, row in part.iterrows():
                ax.annotate(row["term"], (row["_total"], row["z"]), fontsize=7, xytext=(3, 0),
                            textcoords="offset points", va="center")  # fmt: skip
        ax.set_xlabel("frequency in both groups (log scale)")
        ax.set_ylabel(f"z-score: + more in {label_a}, − more in {label_b}")
        ax.set_title(title or f"{label_a} vs {label_b}: weighted log-odds with informative Dirichlet prior")
    return ax


def term_frequency_lines(freq, *, ax=None, title: str = "Tracked terms per 10,000 words"):
    """One line per tracked term over time with its bootstrap interval as a band.

    `freq` is `newslens.keywords.term_frequency` output (columns period, term, n_articles, hits,
    per_10k, ci_low, ci_high). The legend gives each term's total hits, the y label the bands'
    level and method.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"period": pd.to_datetime(["2024-09-02", "2024-09-09"]), "term": ["nuclear"] * 2,
    ...                   "n_articles": [3, 4], "hits": [2, 5], "per_10k": [4.0, 9.0], "ci_low": [1.0, 5.0],
    ...                   "ci_high": [8.0, 12.0]})
    >>> term_frequency_lines(f).get_legend_handles_labels()[1]
    ['nuclear (7 hits)']
    """

    with mpl.rc_context(_STYLE):
        ax = _axes(ax, (9, 4))
        for term, part in freq.groupby("term", sort=False):
            part = part.sort_values("period")
            line, = ax.plot(part["period"], part["per_10k"], marker="o", markersize=3,
                            label=f"{term} ({int(part['hits'].sum())} hits)")  # fmt: skip
            ax.fill_between(part["period"], part["ci_low"], part["ci_high"], color=line.get_color(), alpha=0.15,
                            linewidth=0)  # fmt: skip
        ax.set_xlabel("period start")
        band = f"\n(band: {interval_label(freq)})" if freq["ci_low"].notna().any() else ""
        ax.set_ylabel(f"hits per 10,000 words{band}")
        ax.set_title(title)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
        for label in ax.get_xticklabels():
            label.set_rotation(45)
            label.set_ha("right")
    return ax


# --- validation (50-validation) -----------------------------------------------------------------


def _stratum_label(value) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "(no date)"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m") if value.day == 1 else value.strftime("%Y-%m-%d")
    return str(value)


def sample_allocation(allocation, *, ax=None, title: str = "Coding sample per stratum"):
    """Bars of the units available and drawn in each stratum of a coding sample.

    `allocation` is `newslens.validation.allocate` output: the stratum columns, then
    `available, wanted, drawn, short`. Grey bars are the units available, blue the units
    drawn; a stratum too small for its share (`short`) is outlined in red and says by how much.

    >>> import pandas as pd
    >>> a = pd.DataFrame({"outlet": ["A", "B"], "available": [10, 1], "wanted": [3, 2], "drawn": [3, 1],
    ...                   "short": [False, True]})
    >>> ax = sample_allocation(a)
    >>> [t.get_text() for t in ax.get_yticklabels()], [t.get_text() for t in ax.texts]
    (['A', 'B'], ['3 of 10', '1 of 1, short by 1'])
    """

    strata = [c for c in allocation.columns if c not in ("available", "wanted", "drawn", "short")]
    labels = [" · ".join(_stratum_label(row[c]) for c in strata) or "all" for _, row in allocation.iterrows()]
    with mpl.rc_context(_STYLE):
        ax = _axes(ax, (8, 0.28 * len(labels) + 1.6))
        y = np.arange(len(labels))
        available = allocation["available"].to_numpy(dtype=float)
        drawn = allocation["drawn"].to_numpy(dtype=float)
        short = allocation["short"].to_numpy(dtype=bool)
        ax.barh(y, available, color="0.85", label="available")
        ax.barh(y, drawn, color="tab:blue", label="drawn")
        for k in np.nonzero(short)[0]:
            ax.barh(y[k], available[k], fill=False, edgecolor="tab:red", linewidth=1.2)
        for k, row in enumerate(allocation.itertuples(index=False)):
            note = f"{int(row.drawn)} of {int(row.available)}"
            if row.short:
                note += f", short by {int(row.wanted) - int(row.drawn)}"
            ax.annotate(note, (available[k], y[k]), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
        ax.set_yticks(y, labels)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_xlabel("units (articles or sentences)")
        wanted, got = int(allocation["wanted"].sum()), int(allocation["drawn"].sum())
        ax.set_title(f"{title}: {got} of {wanted} units from {len(labels)} strata")
        ax.legend(loc="lower right", frameon=False, fontsize=8)
    return ax


_ALPHA_ZONES = ((-np.inf, 0.667, "#f6d5d5", "unreliable"), (0.667, 0.8, "#f9ecc8", "tentative"),
                (0.8, np.inf, "#d8eed8", "reliable"))


def alpha_intervals(agreement, *, ax=None, label: str = "variable",
                    title: str = "Agreement between coders (Krippendorff's α)"):
    """Dot plot of α per row with its bootstrap interval, over Krippendorff's 0.667 and 0.8 zones.

    `agreement` has columns `label` (default `variable`), `alpha`, `ci_low`, `ci_high` and `units`
    (`newslens.validation.agreement_table` output, or a measure's agreement with the coders).
    Shaded zones: below 0.667 unreliable, 0.667–0.8 tentative, from 0.8 reliable; a row whose α
    is undefined is marked as such.

    >>> import pandas as pd
    >>> a = pd.DataFrame({"variable": ["tone", "war"], "alpha": [0.71, float("nan")], "ci_low": [0.62, float("nan")],
    ...                   "ci_high": [0.79, float("nan")], "units": [60, 1]})
    >>> ax = alpha_intervals(a)
    >>> [t.get_text() for t in ax.get_yticklabels()], [t.get_text() for t in ax.texts][-1]
    (['tone (n=60 units)', 'war (n=1 units)'], 'α undefined')
    """

    with mpl.rc_context(_STYLE):
        names = agreement[label].astype(str).tolist()
        ax = _axes(ax, (9, 0.35 * len(names) + 2.0))
        value = agreement["alpha"].to_numpy(dtype=float)
        low = agreement["ci_low"].to_numpy(dtype=float)
        high = agreement["ci_high"].to_numpy(dtype=float)
        finite = np.concatenate([low[~np.isnan(low)], value[~np.isnan(value)], [0.0]])
        left = min(-0.1, float(finite.min()) - 0.05)
        for start, end, colour, word in _ALPHA_ZONES:
            ax.axvspan(max(start, left), min(end, 1.05), color=colour, zorder=0, linewidth=0)
            ax.text((max(start, left) + min(end, 1.05)) / 2, 1.0, word, transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=7, color="0.35")
        for edge in (0.667, 0.8):
            ax.axvline(edge, color="0.4", linewidth=0.8, linestyle="--", zorder=1)
        y = np.arange(len(names))
        ok = ~np.isnan(value)
        ax.errorbar(value[ok], y[ok], xerr=[value[ok] - np.nan_to_num(low[ok], nan=value[ok]),
                                            np.nan_to_num(high[ok], nan=value[ok]) - value[ok]],
                    fmt="o", color="black", markersize=5, elinewidth=1.2, capsize=2, zorder=3)  # fmt: skip
        for k in np.nonzero(~ok)[0]:
            ax.text(0.0, y[k], "α undefined", va="center", ha="left", fontsize=8, color="tab:red")
        units = agreement["units"].to_numpy() if "units" in agreement.columns else [None] * len(names)
        ax.set_yticks(y, [f"{n} (n={int(u)} units)" if u is not None else n for n, u in zip(names, units)])
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.set_xlim(left, 1.05)
        ax.set_xlabel("Krippendorff's α with its bootstrap interval (resampling units)\n"
                      "dashed lines: 0.667 (tentative) and 0.8 (reliable)")
        ax.set_title(title, pad=14)
    return ax


def score_intervals(scores, *, metric: str = "f1", group_col: str | None = None, ax=None,
                    title: str = "Machine against the coders: F1 per category"):
    """Dot plot of a score per category with its interval, one colour per group (pooled first, in black).

    `scores` is `newslens.validation.Comparison.scores` (group column first, e.g. `outlet`, with
    `all` for the pooled units) or `newslens.validation.calibration_table` (`group_col="rule"`);
    columns `category` (or `frame`), `n`, `metric` and `<metric>_low`/`<metric>_high`. Rows whose
    score is undefined (a category absent from a group) are not drawn.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"outlet": ["all", "all", "A"], "category": ["neg", "macro", "neg"], "n": [9, 9, 4],
    ...                   "f1": [0.8, 0.7, 0.5], "f1_low": [0.6, 0.5, 0.2], "f1_high": [0.9, 0.8, 0.8]})
    >>> score_intervals(s).get_legend_handles_labels()[1]
    ['all (n=9)', 'A (n=4)']
    """

    group_col = group_col or scores.columns[0]
    category = "category" if "category" in scores.columns else "frame"
    with mpl.rc_context(_STYLE):
        categories = list(dict.fromkeys(scores[category].astype(str)))
        groups = list(dict.fromkeys(scores[group_col].astype(str)))
        if "all" in groups:
            groups = ["all"] + [g for g in groups if g != "all"]
        ax = _axes(ax, (9, 0.1 * len(categories) * max(3, len(groups)) + 1.6))
        colours = mpl.colormaps["tab10" if len(groups) <= 10 else "tab20"]
        step = 0.8 / max(1, len(groups))
        others = 0
        for i, group in enumerate(groups):
            rows = scores[scores[group_col].astype(str) == group].set_index(category).reindex(categories)
            colour = "black" if group == "all" else colours(others % colours.N)
            others += group != "all"
            value = rows[metric].to_numpy(dtype=float)
            y = np.arange(len(categories)) - 0.4 + step * (i + 0.5)
            low = value - rows[f"{metric}_low"].to_numpy(dtype=float)
            high = rows[f"{metric}_high"].to_numpy(dtype=float) - value
            n = int(rows["n"].fillna(0).max()) if "n" in rows.columns else 0
            ax.errorbar(value, y, xerr=[np.nan_to_num(low), np.nan_to_num(high)], fmt="o", color=colour,
                        markersize=4, elinewidth=1, capsize=0, label=f"{group} (n={n})")  # fmt: skip
        ax.set_yticks(range(len(categories)), categories)
        ax.set_ylim(len(categories) - 0.5, -0.5)
        for boundary in np.arange(len(categories) - 1) + 0.5:
            ax.axhline(boundary, color="0.9", linewidth=0.8, zorder=0)
        ax.set_xlim(-0.02, 1.02)
        ax.set_xlabel(f"{metric} with its bootstrap interval (resampling units); n = units compared")
        ax.set_title(title)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    return ax


def label_confusion(confusion, *, ax=None, machine: str = "machine",
                    title: str = "Machine against the coders' majority"):
    """Heat map of a human × machine confusion table `[human, machine, n]` (counts in the cells).

    Rows are the coders' majority codes, columns the machine's; colour is the row share, so each
    row shows where that code's units went (see :func:`confusion_matrix`). `machine` names the
    measure on the x axis.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"human": ["neg", "neg", "pos", "pos"], "machine": ["neg", "pos", "neg", "pos"],
    ...                   "n": [5, 1, 2, 4]})
    >>> ax = label_confusion(c, machine="VADER")
    >>> [t.get_text() for t in ax.texts], ax.get_xlabel()
    (['5', '1', '2', '4'], 'VADER')
    """

    ax = confusion_matrix(confusion.rename(columns={"human": "true", "machine": "predicted"}), ax=ax,
                          title=textwrap.fill(title, 55))
    with mpl.rc_context(_STYLE):
        ax.set_xlabel(textwrap.fill(machine, 55))
        ax.set_ylabel("coders' majority")
    return ax


def presence_confusion(confusion, *, ncols: int = 5, machine: str = "machine",
                       title: str = "Machine against the coders' majority, per category"):
    """One 2 × 2 table per category of a presence confusion table; returns the Figure.

    `confusion` has columns `category, human, machine, n` with `yes`/`no` codes
    (`newslens.validation.Comparison.confusion_of()` of presence codes). Rows: the coders'
    majority (present, absent); columns: the machine; colour is the row share.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"category": ["war"] * 4, "human": ["yes", "yes", "no", "no"],
    ...                   "machine": ["yes", "no", "yes", "no"], "n": [6, 2, 1, 11]})
    >>> fig = presence_confusion(c)
    >>> [t.get_text() for t in fig.axes[0].texts], fig.axes[0].get_title()
    (['6', '2', '1', '11'], 'war (n=20)')
    """

    categories = list(dict.fromkeys(confusion["category"]))
    ncols = max(1, min(ncols, len(categories)))
    nrows = max(math.ceil(len(categories) / ncols), 1)
    with mpl.rc_context(_STYLE):
        fig = Figure(figsize=(2.3 * ncols + 0.6, 2.3 * nrows + 0.7), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for ax, name in zip(axes, categories):
            rows = confusion[confusion["category"] == name].set_index(["human", "machine"])["n"]
            counts = np.array([[rows.get((h, m), 0) for m in ("yes", "no")] for h in ("yes", "no")], dtype=float)
            totals = counts.sum(axis=1, keepdims=True)
            shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
            ax.imshow(shares, cmap="Blues", vmin=0, vmax=1, aspect="equal", interpolation="nearest")
            for (row, col), value in np.ndenumerate(counts):
                ax.text(col, row, str(int(value)), ha="center", va="center", fontsize=8,
                        color="white" if shares[row, col] > 0.6 else "black")
            ax.set_xticks([0, 1], ["present", "absent"])
            ax.set_yticks([0, 1], ["present", "absent"])
            ax.set_xlabel(machine)
            ax.set_ylabel("coders' majority")
            ax.set_title(f"{name} (n={int(counts.sum())})")
        for ax in axes[len(categories):]:
            ax.set_visible(False)
        fig.suptitle(title)
    return fig


# --- actors and voices (40-actors) ----------------------------------------------------------------


def interval_dots(table, *, row: str, value: str = "mean", low: str = "ci_low", high: str = "ci_high",
                  by: str = "outlet", percent: bool = True, ax=None, xlabel: str = "share", title: str = ""):
    """Dot plot of a value per `row` and `by` group with its interval (error bars).

    One line per `row` value (in order of appearance), one colour per `by` group; hollow markers
    flag rows whose `reliable` column is False. With `percent` the axis runs from 0 to 100%; the
    title names the interval (`newslens.aggregate.interval_label`).

    >>> import pandas as pd
    >>> t = pd.DataFrame({"voice": ["US", "US"], "outlet": ["A", "B"], "share": [0.5, 0.2],
    ...                   "ci_low": [0.3, 0.1], "ci_high": [0.7, 0.4], "reliable": [True, False]})
    >>> interval_dots(t, row="voice", value="share").get_legend_handles_labels()[1]
    ['A', 'B']
    """

    with mpl.rc_context(_STYLE):
        rows_all = list(dict.fromkeys(table[row]))
        groups_all = sorted(table[by].unique())
        ax = _axes(ax, (9, 0.12 * len(rows_all) * max(3, len(groups_all)) + 1.5))
        if not rows_all:
            ax.set_axis_off()
            ax.set_title(f"{title}: nothing to show in this selection" if title else "nothing to show in this selection")
            return ax
        colours = mpl.colormaps["tab10" if len(groups_all) <= 10 else "tab20"]
        step = 0.8 / max(1, len(groups_all))
        for i, group in enumerate(groups_all):
            part = table.loc[table[by] == group].drop_duplicates(row).set_index(row).reindex(rows_all)
            y = np.arange(len(rows_all)) - 0.4 + step * (i + 0.5)
            mean = part[value].to_numpy(dtype=float)
            err = np.vstack([mean - part[low].to_numpy(dtype=float), part[high].to_numpy(dtype=float) - mean])
            colour = colours(i % colours.N)
            ax.errorbar(mean, y, xerr=np.nan_to_num(err), fmt="none", ecolor=colour, elinewidth=1, capsize=0)
            reliable = (part["reliable"].fillna(False).to_numpy(dtype=bool) if "reliable" in part
                        else np.ones(len(part), dtype=bool))  # fmt: skip
            ax.scatter(mean[reliable], y[reliable], color=colour, s=22, zorder=3, label=str(group))
            ax.scatter(mean[~reliable], y[~reliable], facecolor="white", edgecolor=colour, s=22, zorder=3)
        ax.set_yticks(range(len(rows_all)), [str(r) for r in rows_all])
        ax.set_ylim(len(rows_all) - 0.5, -0.5)
        for boundary in np.arange(len(rows_all) - 1) + 0.5:
            ax.axhline(boundary, color="0.9", linewidth=0.8, zorder=0)
        if percent:
            ax.set_xlim(0, 1)
            ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
        else:
            ax.axvline(0, color="grey", linewidth=0.8, linestyle=":")
        ax.set_xlabel(xlabel)
        note = f"\n{_UNRELIABLE_NOTE}" if "reliable" in table and (~table["reliable"].astype(bool)).any() else ""
        ax.set_title(f"{title} ({interval_label(table)}){note}" if title else f"{interval_label(table)}{note}")
        if groups_all:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    return ax


def actor_network(edges, nodes, *, ax=None, seed: int = 0, min_sentences: int = 1,
                  title: str = "Actors mentioned in the same sentence"):
    """The co-occurrence network: one node per actor (area ∝ sentences), one edge per pair (width ∝ sentences).

    `edges` is `newslens.voices.cooccurrence` output (actor_a, actor_b, sentences); `nodes` has
    `actor` and `sentences` (sentences mentioning the actor). Edges with fewer than
    `min_sentences` sentences are left out, and so are actors left without an edge. The layout
    is networkx's spring layout seeded with `seed`, on nodes and edges added in sorted order, so
    the same tables give the same drawing.

    >>> import pandas as pd
    >>> e = pd.DataFrame({"actor_a": ["NATO", "Russia"], "actor_b": ["Russia", "US"], "sentences": [3, 1]})
    >>> n = pd.DataFrame({"actor": ["NATO", "Russia", "US"], "sentences": [4, 5, 2]})
    >>> sorted(t.get_text() for t in actor_network(e, n, min_sentences=2).texts)
    ['NATO', 'Russia']
    """
    import networkx as nx

    kept = edges[edges["sentences"] >= min_sentences]
    kept = kept.sort_values(["actor_a", "actor_b"], kind="mergesort")
    graph = nx.Graph()
    size = dict(zip(nodes["actor"], nodes["sentences"], strict=True))
    graph.add_nodes_from(sorted(set(kept["actor_a"]) | set(kept["actor_b"])))
    graph.add_weighted_edges_from(zip(kept["actor_a"], kept["actor_b"], kept["sentences"], strict=True))
    with mpl.rc_context(_STYLE):
        ax = _axes(ax, (9, 7))
        ax.set_axis_off()
        if not graph.number_of_nodes():
            ax.set_title(f"{title}: no pair with at least {min_sentences} sentences")
            return ax
        pos = nx.spring_layout(graph, seed=seed, weight="weight", k=1.5 / math.sqrt(graph.number_of_nodes()))
        heaviest = max(w for _, _, w in graph.edges(data="weight"))
        largest = max(size.get(a, 1) for a in graph.nodes)
        for a, b, w in graph.edges(data="weight"):
            (xa, ya), (xb, yb) = pos[a], pos[b]
            ax.plot([xa, xb], [ya, yb], color="0.55", linewidth=0.5 + 5 * w / heaviest, alpha=0.6, zorder=1)
        xy = np.array([pos[a] for a in graph.nodes])
        areas = np.array([60 + 1400 * size.get(a, 1) / largest for a in graph.nodes])
        ax.scatter(xy[:, 0], xy[:, 1], s=areas, color="#4c72b0", alpha=0.85, zorder=2, edgecolor="white")
        for a, (x, y) in zip(graph.nodes, xy, strict=True):
            ax.text(x, y, a, ha="center", va="center", fontsize=8, zorder=3)
        ax.set_title(f"{title} (edges: at least {min_sentences} sentences; width and area ∝ sentences)")
        ax.margins(0.08)
    return ax
