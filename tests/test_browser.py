"""The reports in a real browser: offline, complete, and safe with hostile article text.

Builds the reports once per session from the bundled corpus plus a fixture article whose title
and body carry markup (`<script>`, `<img onerror>`), then opens every page in Debian's chromium
through playwright over file://. A second build checks that figures and tables are byte-identical.
Requires /usr/bin/chromium (installed by `.ci/run`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from newslens import pipeline

REPO = Path(__file__).resolve().parents[1]
XSS = REPO / "tests" / "fixtures" / "xss" / "xss-article.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SCRIPT_TEXT = "<script>alert('xss')</script>"
IMG_TEXT = "<img src=x onerror=alert(1)>"
# The table of each report page that shows the fixture article's title or text (checked in a built
# report). The index shows no article text. 30-keywords' keyword-in-context table also shows the
# body's "red line" hit between the two payloads, with this context:
SHOWN_IN = {
    "00-corpus-overview": "title-sample",
    "10-sentiment": "top-sentences",
    "20-framing": "examples-generic",
    "30-keywords": "kwic",
}
KWIC_LEFT = "the markup: <script>alert('xss')</script> then a"
KWIC_RIGHT = "then <img src=x onerror=alert(1)> must"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def build_reports(table: Path, out: Path) -> Path:
    results = pipeline.run_reports(pipeline.discover(REPO / "notebooks"), corpus=table, out=out, root=REPO)
    failed = [r.message for r in results if r.status != "ok"]
    assert not failed, failed
    return out


@pytest.fixture(scope="session")
def corpus_table(tmp_path_factory) -> Path:
    """corpus/ plus the XSS fixture article, ingested into a temporary build folder."""
    root = tmp_path_factory.mktemp("browser")
    corpus = root / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    shutil.copy(XSS, corpus / XSS.name)
    table = root / "build" / "corpus.parquet"
    subprocess.run(
        [sys.executable, "-m", "newslens", "ingest", str(corpus), "--out", str(table),
         "--report", str(table.with_name("ingest-report.csv"))],
        check=True, capture_output=True, text=True, cwd=REPO,
    )
    return table


@pytest.fixture(scope="session")
def reports(corpus_table) -> Path:
    """All notebooks/NN-*.ipynb run through the pipeline (built once per session)."""
    return build_reports(corpus_table, corpus_table.parents[1] / "reports")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """One page load with everything the page tried to do recorded."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context()
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []

        def route(r):
            self.requests.append(r.request.url)
            if r.request.url.startswith(("file:", "data:")):
                r.continue_()
            else:
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def images(self) -> list[dict]:
        return self.page.evaluate(
            "Array.from(document.images).map(i => ({src: i.src.slice(0, 40), complete: i.complete, w: i.naturalWidth}))"
        )

    def close(self):
        self.context.close()


def pages(reports: Path) -> list[Path]:
    return [reports / "index.html", *sorted(reports.glob("[0-9][0-9]-*.html"))]


def test_every_notebook_has_a_page(reports):
    names = {nb.name for nb in pipeline.discover(REPO / "notebooks")}
    assert {p.stem for p in reports.glob("[0-9][0-9]-*.html")} == names


def test_pages_are_offline_clean_and_complete(reports, browser):
    for path in pages(reports):
        visit = Visit(browser, path.as_uri())
        try:
            foreign = [u for u in visit.requests if not u.startswith(("file:", "data:"))]
            assert foreign == [], f"{path.name} requested {foreign}"
            assert [c for c in visit.console if c.startswith("error")] == [], f"{path.name}: {visit.console}"
            assert visit.errors == [], f"{path.name}: {visit.errors}"
            images = visit.images()
            assert all(i["complete"] and i["w"] > 0 for i in images), f"{path.name}: undecoded image {images}"
            if path.name != "index.html":
                assert images, f"{path.name} shows no figure"
                assert all(i["src"].startswith("data:image/png;base64,") for i in images)
                assert visit.page.locator("#provenance").is_visible()
        finally:
            visit.close()


def test_index_links_resolve(reports, browser):
    visit = Visit(browser, (reports / "index.html").as_uri())
    try:
        hrefs = visit.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        rows = visit.page.locator("table.nl-reports tbody tr").count()
    finally:
        visit.close()
    assert rows == len(pipeline.discover(REPO / "notebooks"))
    notebooks = [href for href in hrefs if href.endswith(".ipynb")]
    assert len(notebooks) == rows, "every report links its executed notebook"
    assert len(hrefs) >= 2 * rows
    for href in hrefs:
        url = urlparse(href)
        assert url.scheme == "file", href
        target = Path(unquote(url.path))
        assert target.is_file(), f"broken link {href}"
        if href in notebooks:
            nbformat.validate(nbformat.read(target, as_version=4))
            continue
        page = Visit(browser, href)
        try:
            assert page.page.title(), f"{href} has no title"
        finally:
            page.close()


def test_article_markup_is_shown_as_text_and_never_runs(reports, browser):
    assert set(SHOWN_IN) <= {path.stem for path in pages(reports)}
    for path in pages(reports):
        visit = Visit(browser, path.as_uri())
        try:
            assert visit.dialogs == [], f"{path.name} opened a dialog: {visit.dialogs}"
            assert visit.console == [], f"{path.name} wrote to the console: {visit.console}"
            assert visit.page.locator("img[src=x]").count() == 0, path.name
            assert visit.page.locator("script").count() == 0, f"{path.name} contains a script element"
            assert visit.page.locator("[onerror], [onload], [onclick]").count() == 0, path.name
            if path.stem in SHOWN_IN:
                href = f"tables/{path.stem}/{SHOWN_IN[path.stem]}.csv"
                table = visit.page.locator(".nl-table-wrap", has=visit.page.locator(f'a[href="{href}"]'))
                assert table.count() == 1, f"{path.name}: no table linked to {href}"
                text = table.inner_text()
                assert SCRIPT_TEXT in text and IMG_TEXT in text, f"{path.name}: payload not shown as text in {href}"
                if path.stem == "30-keywords":
                    row = table.locator("tr", has_text=KWIC_LEFT)
                    assert row.count() == 1, "30-keywords: the fixture's keyword-in-context row is missing"
                    cells = row.locator("td").all_inner_texts()
                    assert cells[2:5] == [KWIC_LEFT, "red line", KWIC_RIGHT], cells
        finally:
            visit.close()


def test_rebuilding_all_reports_gives_identical_figures_and_tables(reports, corpus_table):
    """`make reports` twice on the same corpus and parameters: byte-identical CSV and PNG files."""
    again = build_reports(corpus_table, corpus_table.parents[1] / "reports-again")

    def files(out: Path) -> dict[str, bytes]:
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                if p.suffix in {".csv", ".png"}}

    first, second = files(reports), files(again)
    assert len(first) > 10 and first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
