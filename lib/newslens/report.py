"""Report outputs: each figure as PNG plus the CSV of exactly what it plots, each table as CSV.

A notebook creates one `Outputs` for its output folder and its own name, then hands it every
figure and table. Files are written atomically and byte-for-byte reproducibly (no timestamps or
software versions in the PNG, fixed dpi, CSV with "\\n" line endings), and each one is displayed
in the notebook: figures as an inline PNG, tables as escaped HTML (cell text is never rendered
as markup, so article text stays text).

A published reports folder (one holding `newslens report`'s manifest) is written by
`newslens report` alone: it runs each notebook into a staging folder and publishes only complete
runs. A notebook run by hand (JupyterLab, papermill) writes into its scratch folder, the
`output_dir` default `build/scratch`, and `Outputs` refuses a published folder.

>>> import matplotlib; matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt, pandas as pd, tempfile
>>> out = Outputs(tempfile.mkdtemp(), "00-demo")
>>> data = pd.DataFrame({"outlet": ["A", "B"], "n": [3, 5]})
>>> fig, ax = plt.subplots()
>>> _ = ax.bar(data["outlet"], data["n"])
>>> out.figure(fig, data, "articles-per-outlet", show=False)
>>> sorted(p.name for p in out.figures_dir.iterdir())
['articles-per-outlet.csv', 'articles-per-outlet.png']
>>> out.table(data, "counts", show=False)
>>> (out.tables_dir / "counts.csv").read_text()
'outlet,n\\nA,3\\nB,5\\n'
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
from pathlib import Path

import pandas as pd

from newslens import atomic
from newslens.pipeline import MANIFEST

DPI = 120
"""Resolution of every saved figure (pixels per inch)."""

PNG_METADATA = {"Software": None}
"""PNG text chunks: matplotlib's default "Software" entry (its version) is dropped."""

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _check_slug(value: str, what: str) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise ValueError(
            f"{what} {value!r} is not valid: use letters, digits, '-' and '_' "
            "(it becomes a file name), e.g. 'tone-by-outlet'"
        )
    return value


def png_bytes(fig, *, dpi: int = DPI) -> bytes:
    """Render a matplotlib figure to PNG bytes that depend only on what is drawn.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.plot([1, 2])
    >>> png_bytes(fig) == png_bytes(fig)
    True
    """
    import matplotlib as mpl

    buffer = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": "newslens", "path.simplify": True}):
        fig.savefig(buffer, format="png", dpi=dpi, metadata=PNG_METADATA, bbox_inches=None)
    return buffer.getvalue()


def csv_text(data: pd.DataFrame) -> str:
    """The CSV text of a DataFrame: a meaningful index becomes columns, "\\n" line endings.

    >>> csv_text(pd.DataFrame({"a": [1, 2]}))
    'a\\n1\\n2\\n'
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(data).__name__}")
    if not isinstance(data.index, pd.RangeIndex) or data.index.name is not None:
        data = data.reset_index()
    elif not data.index.equals(pd.RangeIndex(len(data))):
        data = data.reset_index(drop=True)
    return data.to_csv(index=False, lineterminator="\n")


def table_html(df: pd.DataFrame, *, max_rows: int = 50, csv_href: str = "") -> str:
    """Escaped HTML for a table: every cell and header is text, never markup.

    >>> "<script>" in table_html(pd.DataFrame({"t": ["<script>x</script>"]}))
    False
    """
    shown = df.head(max_rows)
    body = shown.to_html(index=False, escape=True, border=0, na_rep="", classes="nl-table")
    rows = "1 row" if len(df) == 1 else f"{len(df)} rows"
    note = rows if len(df) <= max_rows else f"first {max_rows} of {rows}"
    if csv_href:
        link = f'<a href="{html.escape(csv_href)}">{html.escape(Path(csv_href).name)}</a>'
        note = f"{note}; data: {link}"
    return f'<div class="nl-table-wrap">{body}<p class="nl-data">{note}</p></div>'


class Outputs:
    """Where one notebook saves its figures and tables, below `output_dir`.

    `figure(fig, data, slug)` writes `figures/<name>/<slug>.png` and `.csv` (exactly `data`);
    `table(df, slug)` writes `tables/<name>/<slug>.csv`. Both display what they wrote.
    `output_dir` must not be a published reports folder.
    """

    def __init__(self, output_dir: str | os.PathLike, name: str, *, dpi: int = DPI) -> None:
        self.root = Path(output_dir)
        self.name = _check_slug(name, "report name")
        self.dpi = dpi
        if (self.root / MANIFEST).exists():
            raise ValueError(
                f"output_dir {str(output_dir)!r} holds published reports: only `newslens report` "
                "(make reports) writes there; a notebook run by hand writes into a scratch folder "
                "such as build/scratch, the default of output_dir"
            )

    @property
    def figures_dir(self) -> Path:
        return self.root / "figures" / self.name

    @property
    def tables_dir(self) -> Path:
        return self.root / "tables" / self.name

    def figure(self, fig, data: pd.DataFrame, slug: str, *, show: bool = True) -> None:
        """Save `fig` as PNG and `data` (what it plots) as CSV; display it; close the figure."""
        import matplotlib.pyplot as plt

        _check_slug(slug, "figure name")
        text = csv_text(data)
        png = png_bytes(fig, dpi=self.dpi)
        width = round(fig.get_figwidth() * 96)
        plt.close(fig)
        atomic.write_text(self.figures_dir / f"{slug}.csv", text)
        atomic.write_bytes(self.figures_dir / f"{slug}.png", png)
        if show:
            from IPython.display import display

            alt = " / ".join(ax.get_title() for ax in fig.axes if ax.get_title()) or slug
            display(
                {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"<figure {slug}>"},
                raw=True,
                metadata={"image/png": {"width": width, "alt": alt}},
            )
            href = f"figures/{self.name}/{slug}.csv"
            rows = "1 row" if len(data) == 1 else f"{len(data)} rows"
            display(
                {
                    "text/html": f'<p class="nl-data">Data plotted: <a href="{html.escape(href)}">'
                    f"{html.escape(slug)}.csv</a> ({rows})</p>",
                    "text/plain": f"Data plotted: {href} ({rows})",
                },
                raw=True,
            )

    def table(self, df: pd.DataFrame, slug: str, *, max_rows: int = 50, show: bool = True) -> None:
        """Save `df` as CSV and display its first `max_rows` rows as escaped HTML."""
        _check_slug(slug, "table name")
        atomic.write_text(self.tables_dir / f"{slug}.csv", csv_text(df))
        if show:
            from IPython.display import display

            href = f"tables/{self.name}/{slug}.csv"
            display(
                {
                    "text/html": table_html(df, max_rows=max_rows, csv_href=href),
                    "text/plain": df.head(max_rows).to_string(index=False),
                },
                raw=True,
            )
