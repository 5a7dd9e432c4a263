"""The reports and JupyterLab in a real browser.

Reports: built once per session from the bundled corpus plus a fixture article whose title and
body carry markup (`<script>`, `<img onerror>`), then every page opened in Debian's chromium
through playwright over file://: offline, complete, safe with hostile article text. A second build
checks that figures and tables are byte-identical. The validation report is also built with a coding
round (tests/coding_round.py) that codes the fixture article, whose text its example tables show.

JupyterLab: started as `make lab` starts it, on a free loopback port with a token, in a project
folder with the bundled corpus built; a notebook is run there cell by cell, as a user would.

Requires chromium at /usr/bin/chromium, or at $NEWSLENS_CHROMIUM (`make test` installs it or says
what to install).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from newslens import pipeline

REPO = Path(__file__).resolve().parents[1]
XSS = REPO / "tests" / "fixtures" / "xss" / "xss-article.txt"
XSS_QUOTE = REPO / "tests" / "fixtures" / "quotes" / "xss-quote.txt"  # the same payloads inside a quote
CHROMIUM = os.environ.get("NEWSLENS_CHROMIUM", "/usr/bin/chromium")
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
    "40-actors": "example-quotes",
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
    """corpus/ plus the XSS fixture articles, ingested into a temporary build folder."""
    root = tmp_path_factory.mktemp("browser")
    corpus = root / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    shutil.copy(XSS, corpus / XSS.name)
    shutil.copy(XSS_QUOTE, corpus / XSS_QUOTE.name)
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
                link = visit.page.locator(f'nav a[href="notebooks/{path.stem}.ipynb"]')
                assert link.count() == 1, f"{path.name} does not link its executed notebook"
                assert (reports / "notebooks" / f"{path.stem}.ipynb").is_file()
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


@pytest.fixture(scope="session")
def validation_report(corpus_table) -> Path:
    """50-validation run on a coding round filled by simulated coders that includes the fixture article."""
    from coding_round import fill_round

    from newslens import load_corpus

    corpus = load_corpus(corpus_table)
    hostile = corpus.loc[corpus["outlet"] == "Security Test Desk", "id"].item()
    filled = fill_round(corpus, corpus_table.parents[1] / "coding-round", must_include=hostile)
    out = corpus_table.parents[1] / "reports-validation"
    chosen = [nb for nb in pipeline.discover(REPO / "notebooks") if nb.name == "50-validation"]
    params = [("coding_files", json.dumps([str(p) for p in filled.files])), ("sample_file", str(filled.sample_csv)),
              ("n_boot", "200")]
    results = pipeline.run_reports(chosen, corpus=corpus_table, out=out, root=REPO, cli_params=params)
    assert [r.status for r in results] == ["ok"], [r.message for r in results]
    return out


def test_validation_examples_show_article_markup_as_text(validation_report, browser):
    """The tables of units to read carry article text: shown as text, never run, on a page that stays offline."""
    visit = Visit(browser, (validation_report / "50-validation.html").as_uri())
    try:
        assert visit.dialogs == [] and visit.console == [] and visit.errors == []
        assert [u for u in visit.requests if not u.startswith(("file:", "data:"))] == []
        assert visit.page.locator("script").count() == 0 and visit.page.locator("img[src=x]").count() == 0
        images = visit.images()
        assert len(images) > 10 and all(i["complete"] and i["w"] > 0 for i in images)
        for slug in ("examples-coders", "examples-machine"):
            href = f"tables/50-validation/{slug}.csv"
            table = visit.page.locator(".nl-table-wrap", has=visit.page.locator(f'a[href="{href}"]'))
            assert table.count() == 1, f"no table linked to {href}"
            text = table.inner_text()
            assert SCRIPT_TEXT in text and IMG_TEXT in text, f"payload not shown as text in {href}"
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


LAB_NOTEBOOK = "00-corpus-overview"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def api(base: str, token: str, path: str, method: str = "GET"):
    request = urllib.request.Request(f"{base}{path}", method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


@contextmanager
def jupyterlab(root: Path, home: Path):
    """JupyterLab started as `make lab` starts it (`python -m newslens.lab`, from `root`), listening
    on a free loopback port with a token; its configuration, data and runtime folders below `home`.
    Kernels and server are shut down through the REST API afterwards."""
    token = secrets.token_hex(16)
    base = f"http://127.0.0.1:{free_port()}"
    env = os.environ | {f"JUPYTER_{kind}_DIR": str(home / kind.lower()) for kind in ("CONFIG", "DATA", "RUNTIME")}
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "lab.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "newslens.lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={base.rsplit(':', 1)[1]}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}"],
            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"JupyterLab exited: {log_path.read_text()[-3000:]}"
            try:
                api(base, token, "/api/status")
                break
            except OSError:
                assert time.monotonic() < deadline, f"JupyterLab did not start: {log_path.read_text()[-3000:]}"
                time.sleep(0.2)
        yield base, token, log_path
    finally:
        try:
            for kernel in api(base, token, "/api/kernels"):
                api(base, token, f"/api/kernels/{kernel['id']}", method="DELETE")
            api(base, token, "/api/shutdown", method="POST")
            server.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            server.kill()
            server.wait()


@pytest.fixture
def lab_project(tmp_path) -> Path:
    """A project folder: one report notebook, the bundled corpus built, a reports/ folder."""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(REPO / "notebooks" / f"{LAB_NOTEBOOK}.ipynb", root / "notebooks")
    table = root / "build" / "corpus.parquet"
    subprocess.run(
        [sys.executable, "-m", "newslens", "ingest", str(REPO / "corpus"), "--out", str(table),
         "--report", str(table.with_name("ingest-report.csv"))],
        check=True, capture_output=True, text=True,
    )
    (root / "reports").mkdir()
    (root / "reports" / "README.md").write_text("Published reports: only newslens report writes here.\n")
    return root


def test_a_notebook_runs_in_jupyterlab(lab_project, tmp_path, browser):
    """Open the notebook in JupyterLab, run all cells in the `newslens` kernel: every cell ran, none
    shows an error, the figures render, the outputs go to the scratch folder and reports/ is untouched."""
    home = tmp_path / "jupyter"
    code_cells = sum(cell["cell_type"] == "code"
                     for cell in json.loads((lab_project / "notebooks" / f"{LAB_NOTEBOOK}.ipynb").read_text())["cells"])
    with jupyterlab(lab_project, home) as (base, token, log_path):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{base}/lab/tree/notebooks/{LAB_NOTEBOOK}.ipynb?token={token}")
            page.locator(".jp-NotebookPanel .jp-CodeCell").first.wait_for(timeout=60_000)
            page.get_by_text("newslens | Idle", exact=True).wait_for(timeout=60_000)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
            page.wait_for_function(
                r"""n => {
                    const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')]
                        .map(p => p.textContent.trim());
                    return prompts.length === n && prompts.every(p => /^\[\d+\]:$/.test(p));
                }""",
                arg=code_cells, timeout=60_000,
            )
            page.get_by_text("newslens | Idle", exact=True).wait_for(timeout=30_000)
            errors = page.locator('.jp-NotebookPanel [data-mime-type="application/vnd.jupyter.stderr"]')
            assert errors.count() == 0, errors.all_inner_texts()
            images = page.eval_on_selector_all(
                ".jp-NotebookPanel .jp-RenderedImage img",
                "els => els.map(i => ({complete: i.complete, w: i.naturalWidth, h: i.naturalHeight}))",
            )
            assert images and all(i["complete"] and i["w"] > 0 and i["h"] > 0 for i in images), images
        finally:
            context.close()
        sessions = api(base, token, "/api/sessions")
        assert [s["kernel"]["name"] for s in sessions] == ["newslens"]
    figures = lab_project / "build" / "scratch" / "figures" / LAB_NOTEBOOK
    assert len(images) == len(list(figures.glob("*.png"))) > 0
    assert sorted(p.relative_to(lab_project).as_posix() for p in (lab_project / "reports").rglob("*")) == [
        "reports/README.md"
    ]
