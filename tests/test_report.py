"""Report outputs (figures, tables), atomic writes and HTML rendering."""

from __future__ import annotations

import base64
import os
import re
import struct

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from newslens import atomic
from newslens.render import clean_output_html, notebook_html, provenance_html
from newslens.report import Outputs, csv_text, png_bytes, table_html

DATA = pd.DataFrame({"outlet": ["Daily Beacon", "Times Tengri"], "n": [3, 5]})


def bar_figure() -> Figure:
    fig = Figure(figsize=(4, 3))
    fig.add_subplot().bar(DATA["outlet"], DATA["n"])
    return fig


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of every chunk of a PNG file."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunks.append((kind, data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return chunks


def test_figure_writes_png_and_csv_of_exactly_the_data(tmp_path):
    out = Outputs(tmp_path, "10-demo")
    out.figure(bar_figure(), DATA, "articles", show=False)
    folder = tmp_path / "figures" / "10-demo"
    assert sorted(p.name for p in folder.iterdir()) == ["articles.csv", "articles.png"]
    assert (folder / "articles.csv").read_bytes() == b"outlet,n\nDaily Beacon,3\nTimes Tengri,5\n"
    png = (folder / "articles.png").read_bytes()
    kinds = [kind for kind, _ in png_chunks(png)]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    texts = [payload for kind, payload in png_chunks(png) if kind in (b"tEXt", b"iTXt", b"zTXt", b"tIME")]
    assert not any(b"Software" in t or b"matplotlib" in t for t in texts), texts
    width, height = struct.unpack(">II", png_chunks(png)[0][1][:8])
    assert (width, height) == (4 * 120, 3 * 120)  # fixed dpi


def test_png_bytes_identical_for_identical_figures():
    assert png_bytes(bar_figure()) == png_bytes(bar_figure())
    other = bar_figure()
    other.axes[0].set_title("changed")
    assert png_bytes(other) != png_bytes(bar_figure())


def test_table_writes_csv(tmp_path):
    out = Outputs(tmp_path, "10-demo")
    out.table(DATA, "counts", show=False)
    assert (tmp_path / "tables" / "10-demo" / "counts.csv").read_text() == "outlet,n\nDaily Beacon,3\nTimes Tengri,5\n"


def test_csv_keeps_a_meaningful_index_as_columns():
    wide = DATA.set_index("outlet")
    assert csv_text(wide) == "outlet,n\nDaily Beacon,3\nTimes Tengri,5\n"
    assert csv_text(DATA.iloc[[1, 0]]) == "outlet,n\nTimes Tengri,5\nDaily Beacon,3\n"
    with pytest.raises(TypeError, match="expected a pandas DataFrame"):
        csv_text([1, 2])


def test_table_html_escapes_cells_and_headers():
    df = pd.DataFrame({"<b>title</b>": ["<script>alert('xss')</script>", "<img src=x onerror=alert(1)>"]})
    markup = table_html(df)
    assert "<script" not in markup and "<img" not in markup and "<b>" not in markup
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in markup or "&lt;script&gt;alert('xss')&lt;/script&gt;" in markup
    assert "&lt;b&gt;title&lt;/b&gt;" in markup
    assert "2 rows" in markup


def test_table_html_shows_the_first_rows_and_says_so():
    markup = table_html(pd.DataFrame({"i": range(60)}), max_rows=50, csv_href="tables/x/t.csv")
    assert markup.count("<tr") == 51  # header + 50 rows
    assert "first 50 of 60 rows" in markup and 'href="tables/x/t.csv"' in markup


def test_outputs_display_figure_and_escaped_table(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False, metadata=None: shown.append((obj, metadata)))
    out = Outputs(tmp_path, "10-demo")
    out.figure(bar_figure(), DATA, "articles")
    out.table(pd.DataFrame({"t": ["<script>x</script>"]}), "titles")
    (image, meta), (caption, _), (table, _) = shown
    assert base64.b64decode(image["image/png"]) == (tmp_path / "figures" / "10-demo" / "articles.png").read_bytes()
    assert meta == {"image/png": {"width": 384, "alt": "articles"}}  # 4 in at 96 px/in; no title: the name
    assert 'href="figures/10-demo/articles.csv"' in caption["text/html"] and "(2 rows)" in caption["text/html"]
    assert "&lt;script&gt;" in table["text/html"] and "<script>" not in table["text/html"]


@pytest.mark.parametrize("slug", ["", "a/b", "../x", "with space", ".hidden"])
def test_bad_names_are_rejected(tmp_path, slug):
    with pytest.raises(ValueError, match="is not valid"):
        Outputs(tmp_path, "10-demo").table(DATA, slug, show=False)


def test_atomic_write_failure_leaves_old_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("old good report")

    def crash(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_text(target, "new half-written report")
    assert target.read_text() == "old good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temp file left


def test_atomic_write_interrupted_before_replace(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    target.write_text("a\n1\n")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        atomic.write_bytes(target, b"a\n2\n")
    assert target.read_text() == "a\n1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_atomic_write_creates_readable_files(tmp_path):
    atomic.write_text(tmp_path / "sub" / "x.txt", "x")
    mask = os.umask(0o022)
    os.umask(mask)
    assert (tmp_path / "sub" / "x.txt").stat().st_mode & 0o777 == 0o666 & ~mask


def test_replace_dir_swaps_whole_folders(tmp_path):
    old, new = tmp_path / "figures" / "00-x", tmp_path / "stage" / "00-x"
    old.mkdir(parents=True)
    (old / "stale.png").write_bytes(b"old")
    new.mkdir(parents=True)
    (new / "fresh.png").write_bytes(b"new")
    atomic.replace_dir(new, old)
    assert [p.name for p in old.iterdir()] == ["fresh.png"]
    assert not new.exists()
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == ["00-x"]


def test_clean_output_html_keeps_structure_and_drops_active_content():
    markup = (
        '<h2 onclick="x()">Head</h2><table><tr><td><a href="javascript:alert(1)">a</a>'
        '<a href="tables/t.csv">b</a></td></tr></table>'
        "<style>p{color:red}</style><script>alert(1)</script><img src=x onerror=alert(1)>"
        '<iframe src="https://example.org"></iframe>'
    )
    cleaned = clean_output_html(markup)
    assert cleaned == (
        "<h2>Head</h2><table><tbody><tr><td><a>a</a>"
        '<a href="tables/t.csv">b</a></td></tr></tbody></table>'
    )


PROV = {
    "run_at": "2024-10-01 12:00:00 UTC",
    "corpus": "build/corpus.parquet",
    "fingerprint": {"articles": 64, "outlets": 6, "first": "2024-08-01", "last": "2024-10-31",
                    "undated": 2, "sha256": "f" * 64},
    "parameters": {"outlets": ["<Beacon>"]},
    "versions": {"python": "3.11.7", "pandas": "3.1.1"},
    "commit": "unknown",
}


def test_provenance_block_shows_every_field_escaped():
    block = provenance_html(PROV)
    for text in ("2024-10-01 12:00:00 UTC", "build/corpus.parquet", "64 articles, 6 outlets",
                 "2024-08-01 to 2024-10-31 (2 undated)", "f" * 64, "pandas 3.1.1", "unknown"):
        assert text in block
    assert "&lt;Beacon&gt;" in block and "<Beacon>" not in block


def executed_notebook():
    code = new_code_cell("print('hidden source')", execution_count=1)
    code.outputs = [
        new_output("stream", name="stdout", text="visible output\n"),
        new_output("display_data", data={"text/html": "<p>ok</p><script>alert(1)</script>",
                                         "text/plain": "ok"}),
        new_output("display_data", data={"application/javascript": "alert(2)"}),
        new_output("display_data", data={"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="}),
    ]
    return new_notebook(cells=[new_markdown_cell("# Demo\nOne line."), code])


def test_notebook_html_is_offline_and_hides_code():
    page = notebook_html(executed_notebook(), title="Demo", provenance=PROV)
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "remote resource referenced"
    assert "hidden source" not in page
    assert "visible output" in page and "<p>ok</p>" in page
    assert 'src="data:image/png;base64,iVBOR' in page
    assert 'id="provenance"' in page and 'href="index.html"' in page
    assert "<title>Demo</title>" in page


def test_notebook_html_keeps_code_on_request():
    page = notebook_html(executed_notebook(), title="Demo", provenance=PROV, code=True)
    assert "hidden" in page and "source" in page
    assert "<script" not in page.lower()


def test_outputs_refuse_a_published_reports_folder(tmp_path):
    """Only `newslens report` writes where its manifest is; it runs notebooks into a staging folder."""
    Outputs(tmp_path, "10-demo").table(DATA, "counts", show=False)  # a plain folder is fine
    (tmp_path / "_manifest.json").write_text("{}\n")
    with pytest.raises(ValueError, match="holds published reports: only `newslens report`"):
        Outputs(tmp_path, "10-demo")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["_manifest.json", "counts.csv"]
