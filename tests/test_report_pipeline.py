"""The report pipeline end to end: papermill execution, failure path, parameters, determinism.

Each run starts a `newslens` kernel (installed by `make setup`), so these tests take seconds.
"""

from __future__ import annotations

import ast
import base64
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from newslens import cli, params, pipeline, provenance
from newslens.corpus import load_corpus

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "report"  # 98-ok runs cleanly, 99-broken raises when `fail` is true

pytestmark = pytest.mark.slow

ARTICLES = {
    "a1.txt": ("Allies weigh long-range strikes", "Alpha Post", "Sep 2, 2024", "Officials met. They talked about strikes."),
    "a2.txt": ("Kremlin warns of red lines", "Alpha Post", "Sep 4, 2024", "Moscow warned again. A red line was named."),
    "a3.txt": ("Strike decision delayed", "Alpha Post", "Sep 25, 2024", "No decision yet. Talks go on."),
    "b1.txt": ("Kremlin warns of red lines", "Beta Daily", "Sep 5, 2024", "The same warning, reprinted. It was short."),
    "b2.txt": ("Analysts doubt escalation", "Beta Daily", "Sep 12, 2024", "Experts were sceptical about the threats."),
    "c1.txt": ("Missiles and diplomacy", "Gamma News", "Sep 18, 2024", "Diplomats spoke. Missiles were discussed at length today."),
}


def write_articles(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, outlet, date, body) in ARTICLES.items():
        (folder / name).write_text(f"{title}\n- {outlet}\n- {date}\n- 1 min read\n{body}\n", encoding="utf-8")
    # An article without a date: kept, reported as a warning in the ingest report.
    (folder / "d1.txt").write_text("Undated note\n- Gamma News\n- 1 min read\nNo date here.\n", encoding="utf-8")


def ingest(source: Path, build: Path) -> Path:
    table = build / "corpus.parquet"
    subprocess.run(
        [sys.executable, "-m", "newslens", "ingest", str(source), "--out", str(table),
         "--report", str(build / "ingest-report.csv")],
        check=True, capture_output=True, text=True,
    )
    return table


@pytest.fixture(scope="module")
def corpus_table(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pipeline")
    write_articles(root / "corpus")
    return ingest(root / "corpus", root / "build")


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(["report", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch):
    monkeypatch.chdir(REPO)  # notebooks run with the project root as working directory


def outputs(out: Path) -> dict[str, bytes]:
    """Every CSV and PNG below `out`, by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.suffix in {".csv", ".png"}
    }


def test_failed_notebook_keeps_the_last_good_report(corpus_table, tmp_path, capsys):
    out = tmp_path / "reports"
    common = ["99-broken", "--notebooks-dir", str(FIXTURES), "--corpus", str(corpus_table), "--out", str(out)]
    status, stdout, _ = run_cli(capsys, *common, "-p", "fail", "false")
    assert status == 0, stdout
    good_html = (out / "99-broken.html").read_bytes()
    assert (out / "tables" / "99-broken" / "values.csv").read_text() == "x,y,label\n1,3,good\n2,1,good\n3,2,good\n"
    assert re.search(r"99-broken\s+ok\s+[\d.]+ s", stdout) and "total" in stdout

    status, stdout, stderr = run_cli(capsys, *common, "-p", "label", "bad")
    assert status == 1
    # The message names the notebook, the cell (number and first line) and the error.
    assert "99-broken: cell 4 (`ratio = len(data) / (0 if fail else 1)`) raised ZeroDivisionError: division by zero" in stderr
    assert re.search(r"99-broken\s+failed", stdout)
    # The last good page, figure and table are untouched; the staged "bad" ones never moved in.
    assert (out / "99-broken.html").read_bytes() == good_html
    assert "bad" not in (out / "tables" / "99-broken" / "values.csv").read_text()
    assert "bad" not in (out / "figures" / "99-broken" / "line.csv").read_text()
    # The executed notebook is kept with the error located.
    failed = nbformat.read(out / "_failed" / "99-broken.ipynb", as_version=4)
    errors = [o for c in failed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert [e.ename for e in errors] == ["ZeroDivisionError"]
    assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) or "An Exception was encountered" in c.source
               for c in failed.cells)
    # The index marks the failure and still links the last good page.
    index = (out / "index.html").read_text()
    row = re.search(r'<tr id="report-99-broken">(.*?)</tr>', index, re.S).group(1)
    assert "nl-status-failed" in row and 'href="99-broken.html"' in row and 'href="_failed/99-broken.ipynb"' in row
    assert "ZeroDivisionError" in row
    assert not list(out.glob(".staging-*"))  # nothing half-done left behind

    # A later good run clears the failure.
    status, _, _ = run_cli(capsys, *common, "-p", "fail", "false", "--code")
    assert status == 0
    assert not (out / "_failed" / "99-broken.ipynb").exists()
    text = html.unescape(re.sub(r"<[^>]+>", "", (out / "99-broken.html").read_text()))
    assert "ratio = len(data) / (0 if fail else 1)" in text  # --code keeps the code
    assert f'output_dir = "{out}"' in text and ".staging" not in text  # the final folder is shown
    assert "nl-status-ok" in (out / "index.html").read_text()


@pytest.mark.parametrize(
    "order", [["99-broken", "98-ok"], ["98-ok", "99-broken"]], ids=["broken-first", "broken-last"]
)
def test_a_failing_notebook_does_not_stop_the_others(corpus_table, tmp_path, capsys, order):
    out = tmp_path / "reports"
    common = [*order, "--notebooks-dir", str(FIXTURES), "--corpus", str(corpus_table), "--out", str(out)]
    status, stdout, stderr = run_cli(capsys, *common, "-p", "fail", "false")
    assert status == 0, stdout + stderr
    good_broken_html = (out / "99-broken.html").read_bytes()
    # Remove 98-ok's page and table so the next run has to make them again.
    (out / "98-ok.html").unlink()
    shutil.rmtree(out / "tables" / "98-ok")

    status, stdout, stderr = run_cli(capsys, *common, "-p", "label", "bad")
    assert status == 1
    # Both ran, in the order given, each with its own status.
    expected = {"98-ok": "ok", "99-broken": "failed"}
    assert re.findall(r"^\s+(9\d-[a-z]+)\s+(ok|failed)\s", stdout, re.M) == [(name, expected[name]) for name in order]
    assert "1 ok, 1 failed" in stdout
    assert "99-broken: cell 4 (`ratio = len(data) / (0 if fail else 1)`) raised ZeroDivisionError" in stderr
    assert "98-ok" not in stderr
    # 98-ok: page and table rebuilt; its table counts the hand-made corpus (Gamma News includes d1.txt, undated).
    assert (out / "tables" / "98-ok" / "articles-per-outlet.csv").read_text() == (
        "outlet,articles\nAlpha Post,3\nBeta Daily,2\nGamma News,2\n"
    )
    page = (out / "98-ok.html").read_text()
    assert "<title>Working fixture</title>" in page
    assert re.search(r"Alpha Post\s*</td>\s*<td>\s*3\s*</td>", page)
    assert not (out / "_failed" / "98-ok.ipynb").exists()
    # 99-broken: the last good page and outputs stay, the failed run is kept for inspection.
    assert (out / "99-broken.html").read_bytes() == good_broken_html
    assert "bad" not in (out / "tables" / "99-broken" / "values.csv").read_text()
    assert (out / "_failed" / "99-broken.ipynb").is_file()
    manifest = json.loads((out / "_manifest.json").read_text())
    assert {name: manifest[name]["status"] for name in expected} == expected
    index = (out / "index.html").read_text()
    ok_row = re.search(r'<tr id="report-98-ok">(.*?)</tr>', index, re.S).group(1)
    failed_row = re.search(r'<tr id="report-99-broken">(.*?)</tr>', index, re.S).group(1)
    assert "nl-status-ok" in ok_row and 'href="98-ok.html"' in ok_row and "nl-status-failed" not in ok_row
    assert "nl-status-failed" in failed_row and 'href="99-broken.html"' in failed_row
    assert not list(out.glob(".staging-*"))


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.ipynb")), ids=lambda p: p.stem)
def test_fixture_notebooks_follow_the_notebook_rules(path):
    """The fixtures are report notebooks like any other: clean, no definitions, standard parameters, a title."""
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert not [node for cell in code for node in ast.walk(ast.parse(cell.source))
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    declared = {p.name for p in params.notebook_parameters(nb)}
    assert set(params.STANDARD) <= declared
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert all(pipeline.summary(nb))


def test_bad_parameters_stop_the_run_before_anything_executes(corpus_table, tmp_path, capsys):
    out = tmp_path / "reports"
    common = ["--notebooks-dir", str(FIXTURES), "--corpus", str(corpus_table), "--out", str(out)]
    status, _, stderr = run_cli(capsys, *common, "-p", "colour", "red")
    assert status == 2
    assert "unknown parameter 'colour'" in stderr and "fail (bool)" in stderr and "label (str)" in stderr
    status, _, stderr = run_cli(capsys, *common, "-p", "fail", "sometimes")
    assert status == 2 and "'fail' expects bool" in stderr
    status, _, stderr = run_cli(capsys, "99-nope", *common)
    assert status == 2 and "no report notebook '99-nope'; available: 98-ok, 99-broken" in stderr
    assert not out.exists() or not any(out.iterdir())


def test_overview_is_deterministic_and_shows_provenance(corpus_table, tmp_path, capsys):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        status, stdout, stderr = run_cli(capsys, "00-corpus-overview", "--corpus", str(corpus_table), "--out", str(out))
        assert status == 0, stdout + stderr
    a, b = outputs(first), outputs(second)
    assert a and a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []
    assert {"figures/00-corpus-overview/articles-per-week.png", "figures/00-corpus-overview/articles-per-week.csv",
            "tables/00-corpus-overview/title-sample.csv"} <= a.keys()

    # The figures' data is what the hand-made corpus says (weeks start Monday 2024-09-02).
    weekly = a["figures/00-corpus-overview/articles-per-week.csv"].decode().splitlines()
    assert weekly[:5] == ["outlet,week,n", "Alpha Post,2024-09-02,2", "Alpha Post,2024-09-09,0",
                          "Alpha Post,2024-09-16,0", "Alpha Post,2024-09-23,1"]
    problems = a["tables/00-corpus-overview/ingest-problems.csv"].decode()
    assert "d1.txt" in problems

    page = (first / "00-corpus-overview.html").read_text()
    fp = provenance.fingerprint(load_corpus(corpus_table))
    assert fp["sha256"] in page and "7 articles, 3 outlets, 2024-09-02 to 2024-09-25 (1 undated)" in page
    assert "import newslens" not in page  # code hidden by default
    index = (first / "index.html").read_text()
    assert "What the corpus contains" in index and 'href="00-corpus-overview.html"' in index
    manifest = json.loads((first / "_manifest.json").read_text())
    assert manifest["00-corpus-overview"]["status"] == "ok"


def test_parameters_restrict_the_corpus(corpus_table, tmp_path, capsys):
    out = tmp_path / "reports"
    params = tmp_path / "params.yml"
    params.write_text("00-corpus-overview:\n  titles_per_outlet: 1\n", encoding="utf-8")
    status, stdout, stderr = run_cli(
        capsys, "00", "--corpus", str(corpus_table), "--out", str(out), "--params", str(params),
        "-p", "outlets", "[Alpha Post, Beta Daily]", "-p", "start", "2024-09-03",
    )
    assert status == 0, stdout + stderr
    coverage = (out / "tables" / "00-corpus-overview" / "coverage-by-outlet.csv").read_text().splitlines()
    assert [line.split(",")[:3] for line in coverage[1:]] == [["Alpha Post", "2", "0"], ["Beta Daily", "2", "0"]]
    sample = (out / "tables" / "00-corpus-overview" / "title-sample.csv").read_text().splitlines()
    assert len(sample) == 1 + 2  # one title per outlet
    page = (out / "00-corpus-overview.html").read_text()
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert '"start": "2024-09-03"' in text and '"titles_per_outlet": 1' in text  # shown in provenance


def test_outputs_under_another_name_fail_the_report(corpus_table, tmp_path, capsys):
    out = tmp_path / "reports"
    status, _, stderr = run_cli(
        capsys, "99-broken", "--notebooks-dir", str(FIXTURES), "--corpus", str(corpus_table), "--out", str(out),
        "-p", "fail", "false", "-p", "report_name", "99-other",
    )
    assert status == 1
    assert "99-broken: wrote outputs under figures/99-other, tables/99-other" in stderr
    assert not (out / "figures").exists() and not (out / "99-broken.html").exists()


NOISE = re.compile(r"ERROR|Circular|Traceback")
SLOW_KERNEL_INFO = '''import time

kernel = get_ipython().kernel
answer = kernel.shell_handlers["kernel_info_request"]


async def answer_then_stay_busy(*args):
    await answer(*args)
    time.sleep(3)


kernel.shell_handlers["kernel_info_request"] = answer_then_stay_busy
'''


def test_kernel_shutdown_prints_nothing(corpus_table, tmp_path):
    """papermill asks for kernel_info after the last cell and shuts the kernel down as soon as the
    reply arrives; the kernel, still inside that handler, must not be sent SIGINT (ipykernel would
    log `[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.`). The notebook keeps its kernel
    busy after the reply for 3 s, so that the race is lost every time, not once in a while."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    source = nbformat.read(FIXTURES / "98-ok.ipynb", as_version=4)
    source.cells.append(nbformat.v4.new_code_cell(SLOW_KERNEL_INFO))
    nbformat.write(source, notebooks / "98-ok.ipynb")
    result = subprocess.run(
        [sys.executable, "-m", "newslens", "report", "--notebooks-dir", str(notebooks), "--corpus", str(corpus_table),
         "--out", str(tmp_path / "reports")],
        capture_output=True, text=True, cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = (result.stdout + result.stderr).splitlines()
    assert [line for line in lines if NOISE.search(line)] == []
    assert [line for line in lines if not line.startswith(("newslens ", "  "))] == []
    assert re.search(r"^  98-ok\s+ok\s", result.stdout, re.M)


def test_executed_notebook_is_published_beside_the_page(corpus_table, tmp_path, capsys):
    out = (tmp_path / "reports").resolve()
    published = out / "notebooks" / "99-broken.ipynb"
    common = ["99-broken", "--notebooks-dir", str(FIXTURES), "--corpus", str(corpus_table), "--out", str(out)]

    # A notebook that has never run to the end publishes nothing.
    status, _, _ = run_cli(capsys, *common)
    assert status == 1
    assert not published.exists()
    assert "notebooks/99-broken.ipynb" not in (out / "index.html").read_text()

    status, stdout, stderr = run_cli(capsys, *common, "-p", "fail", "false")
    assert status == 0, stdout + stderr
    text = published.read_text(encoding="utf-8")
    assert ".staging" not in text
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    # The injected parameters, with the output folder the files were published to.
    injected = [cell for cell in code if "injected-parameters" in cell.metadata.get("tags", [])]
    assert len(injected) == 1
    assert f'output_dir = "{out}"' in injected[0].source and "fail = False" in injected[0].source
    assert nb.metadata.papermill.parameters == {"corpus": str(corpus_table.resolve()), "output_dir": str(out),
                                                "fail": False}
    assert nb.metadata.papermill.output_path == str(published)
    # The outputs: the figure as a PNG, the table with the values the notebook wrote, the last cell's print.
    outputs = [output for cell in code for output in cell.outputs]
    pngs = [base64.b64decode(o.data["image/png"]) for o in outputs if "image/png" in o.get("data", {})]
    assert pngs == [(out / "figures" / "99-broken" / "line.png").read_bytes()]
    tables = [o.data["text/html"] for o in outputs if "nl-table" in o.get("data", {}).get("text/html", "")]
    assert len(tables) == 1 and tables[0].count("<td>good</td>") == 3
    assert [o.text for o in outputs if o.output_type == "stream"] == ["ratio 3.0\n"]
    # Its data links lead to the published CSV files from where the notebook lies.
    hrefs = [h for o in outputs for h in re.findall(r'href="([^"]+)"', o.get("data", {}).get("text/html", ""))]
    assert sorted(hrefs) == ["../figures/99-broken/line.csv", "../tables/99-broken/values.csv"]
    assert all((published.parent / href).resolve().is_file() for href in hrefs)
    # Linked from the index and from the page.
    index = (out / "index.html").read_text()
    row = re.search(r'<tr id="report-99-broken">(.*?)</tr>', index, re.S).group(1)
    assert 'href="notebooks/99-broken.ipynb"' in row
    assert 'href="notebooks/99-broken.ipynb"' in (out / "99-broken.html").read_text()

    # A failed run leaves the last good notebook in place, byte for byte.
    good = published.read_bytes()
    status, _, _ = run_cli(capsys, *common, "-p", "label", "bad")
    assert status == 1
    assert published.read_bytes() == good
    assert 'href="notebooks/99-broken.ipynb"' in (out / "index.html").read_text()


def test_reports_whose_inputs_did_not_change_keep_their_pages(corpus_table, tmp_path, capsys):
    out = tmp_path / "reports"
    common = ["98-ok", "99-broken", "--notebooks-dir", str(FIXTURES), "--corpus", str(corpus_table), "--out", str(out),
              "-p", "fail", "false"]

    def run(*extra: str) -> dict[str, bool]:
        """Run; which notebooks were kept as up to date (True) and which ran (False)."""
        status, stdout, stderr = run_cli(capsys, *common, *extra)
        assert status == 0, stdout + stderr
        lines = dict(re.findall(r"^\s+(9\d-[a-z]+)\s+ok\s+[\d.]+ s(.*)$", stdout, re.M))
        assert sorted(lines) == ["98-ok", "99-broken"], stdout
        return {name: "up to date" in rest for name, rest in lines.items()}

    def published() -> dict[str, tuple[bytes, int]]:
        return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
                for p in sorted(out.rglob("*")) if p.is_file() and p.name != "index.html" and p.suffix != ".json"}

    assert run() == {"98-ok": False, "99-broken": False}
    before, manifest = published(), json.loads((out / "_manifest.json").read_text())
    assert run() == {"98-ok": True, "99-broken": True}  # nothing changed: nothing runs, nothing is rewritten
    assert published() == before
    again = json.loads((out / "_manifest.json").read_text())
    assert {k: again[k]["last_ok_at"] for k in again} == {k: manifest[k]["last_ok_at"] for k in manifest}

    assert run("-p", "label", "other") == {"98-ok": True, "99-broken": False}  # only 99-broken takes `label`
    assert "other" in (out / "tables" / "99-broken" / "values.csv").read_text()
    assert run("-p", "label", "other") == {"98-ok": True, "99-broken": True}
    (out / "tables" / "98-ok" / "articles-per-outlet.csv").unlink()  # a published file is missing: run again
    assert run("-p", "label", "other") == {"98-ok": False, "99-broken": True}
    assert (out / "tables" / "98-ok" / "articles-per-outlet.csv").is_file()
    assert run("-p", "label", "other", "--code") == {"98-ok": False, "99-broken": False}  # pages show code now
    assert run("-p", "label", "other", "--code", "--force") == {"98-ok": False, "99-broken": False}

    # Another corpus table at the same path: its content hash differs, every report runs.
    corpus = tmp_path / "corpus"
    write_articles(corpus)
    (corpus / "e1.txt").write_text("Extra\n- Delta Times\n- Sep 30, 2024\n- 1 min read\nOne more.\n", encoding="utf-8")
    common[common.index("--corpus") + 1] = str(ingest(corpus, tmp_path / "build"))
    assert run("-p", "label", "other", "--code") == {"98-ok": False, "99-broken": False}
    assert "Delta Times,1" in (out / "tables" / "98-ok" / "articles-per-outlet.csv").read_text()
