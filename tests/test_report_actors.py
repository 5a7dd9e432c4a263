"""Report 40-actors, built by `newslens report 40-actors` on the bundled corpus plus a fixture article
whose quote carries markup, then opened in Debian's chromium: its tables are complete and the quote is
shown as text, never run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from test_browser import IMG_TEXT, SCRIPT_TEXT, Visit

REPO = Path(__file__).resolve().parents[1]
PLANTED = REPO / "tests" / "fixtures" / "quotes" / "xss-quote.txt"
NAME = "40-actors"

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("actors")
    corpus = root / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    shutil.copy(PLANTED, corpus / PLANTED.name)
    table = root / "build" / "corpus.parquet"
    run = [sys.executable, "-m", "newslens"]
    subprocess.run([*run, "ingest", str(corpus), "--out", str(table), "--report", str(table.with_name("ingest.csv"))],
                   check=True, capture_output=True, text=True, cwd=REPO)  # fmt: skip
    done = subprocess.run([*run, "report", NAME, "--corpus", str(table), "--out", str(root / "reports")],
                          capture_output=True, text=True, cwd=REPO)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "reports"


def tables(report: Path, slug: str) -> pd.DataFrame:
    return pd.read_csv(report / "tables" / NAME / f"{slug}.csv")


def test_the_report_has_every_table_and_figure(report):
    assert (report / f"{NAME}.html").is_file()
    figures = {p.name for p in (report / "figures" / NAME).iterdir()}
    for slug in ("mentions-by-outlet", "mentions-over-time", "voices-by-outlet", "roles-by-outlet", "other-side",
                 "quoted-vs-own-tone", "actor-network"):
        assert {f"{slug}.png", f"{slug}.csv"} <= figures, slug
    for slug in ("mentions-by-outlet", "mentions-by-outlet-and-period", "voice-share-of-quotes",
                 "voice-share-of-words", "role-share-of-quotes", "role-share-of-words", "unnamed-sources",
                 "dominant-voices", "other-side", "quoted-vs-own-tone", "cooccurrence-edges", "example-quotes"):
        assert (report / "tables" / NAME / f"{slug}.csv").is_file(), slug
    outlets = sorted(tables(report, "voice-share-of-quotes")["outlet"].unique())
    assert "Security Quote Desk" in outlets
    assert sorted(tables(report, "unnamed-sources")["outlet"]) == outlets
    assert list(tables(report, "dominant-voices").columns) == ["rank", *outlets]
    shares = tables(report, "voice-share-of-quotes").groupby("outlet")["share"].sum()
    assert shares.to_numpy() == pytest.approx(1.0)  # every quote has exactly one voice
    other = tables(report, "other-side")
    assert other["side"].unique().tolist() == ["Russia", "Ukraine"]  # the two most quoted countries here
    edges = tables(report, "cooccurrence-edges")
    assert (edges["actor_a"] < edges["actor_b"]).all() and edges["sentences"].is_monotonic_decreasing
    drawn = pd.read_csv(report / "figures" / NAME / "actor-network.csv")
    assert (drawn["sentences"] >= 3).all() and len(drawn) == int((edges["sentences"] >= 3).sum())


@pytest.mark.browser
def test_the_planted_quote_is_shown_as_text(report, browser):
    examples = tables(report, "example-quotes")
    planted = examples[examples["outlet"] == "Security Quote Desk"]
    assert planted["quote"].str.contains(SCRIPT_TEXT, regex=False).tolist() == [True]
    visit = Visit(browser, (report / f"{NAME}.html").as_uri())
    try:
        assert visit.dialogs == [] and visit.errors == [], (visit.dialogs, visit.errors)
        assert visit.page.locator("script").count() == 0
        assert visit.page.locator("img[src=x]").count() == 0
        assert visit.page.locator("[onerror], [onload], [onclick]").count() == 0
        foreign = [u for u in visit.requests if not u.startswith(("file:", "data:"))]
        assert foreign == []
        href = f"tables/{NAME}/example-quotes.csv"
        table = visit.page.locator(".nl-table-wrap", has=visit.page.locator(f'a[href="{href}"]'))
        assert table.count() == 1
        row = table.locator("tr", has_text="Security Quote Desk")
        assert row.count() == 1
        cells = row.locator("td").all_inner_texts()
        assert "Markup in a quote <b>bold</b>" in cells
        assert any(SCRIPT_TEXT in c and IMG_TEXT in c for c in cells), cells
    finally:
        visit.close()
