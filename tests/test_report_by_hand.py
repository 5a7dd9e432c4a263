"""A notebook run by hand never touches the published reports.

The project root of these tests is a temporary folder laid out like the repository's: the bundled
corpus built into `build/corpus.parquet`, and `reports/` published by `newslens report` with a
parameter the notebook's default does not have (so that a run with the defaults would write other
figures and tables, not the same bytes again). The notebook then runs by hand through papermill,
as `jupyter nbconvert --execute` or a papermill command line would, from that root.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from newslens import load_corpus, pipeline

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "00-corpus-overview.ipynb"

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file below `folder`: its bytes, inode and modification time (a rewrite changes them)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("by-hand")
    table = root / "build" / "corpus.parquet"
    subprocess.run(
        [sys.executable, "-m", "newslens", "ingest", str(REPO / "corpus"), "--out", str(table),
         "--report", str(table.with_name("ingest-report.csv"))],
        check=True, capture_output=True, text=True,
    )
    published = subprocess.run(
        [sys.executable, "-m", "newslens", "report", "00-corpus-overview", "--corpus", str(table),
         "--out", str(root / "reports"), "-p", "titles_per_outlet", "1"],
        capture_output=True, text=True, cwd=REPO,
    )
    assert published.returncode == 0, published.stdout + published.stderr
    assert (root / "reports" / "figures" / "00-corpus-overview").is_dir()
    return root


def run_by_hand(root: Path, output: Path, **parameters) -> None:
    papermill.execute_notebook(str(NOTEBOOK), str(output), parameters=parameters, cwd=str(root),
                               kernel_name=pipeline.KERNEL, progress_bar=False,
                               kernel_manager_class=pipeline._kernel_manager_class())


def test_a_notebook_run_by_hand_writes_into_its_scratch_folder(project, tmp_path):
    before = snapshot(project / "reports")
    run_by_hand(project, tmp_path / "ran.ipynb")
    assert snapshot(project / "reports") == before
    scratch = project / "build" / "scratch"
    sample = (scratch / "tables" / "00-corpus-overview" / "title-sample.csv").read_text().splitlines()
    published = (project / "reports" / "tables" / "00-corpus-overview" / "title-sample.csv").read_text().splitlines()
    per_outlet = load_corpus(project / "build" / "corpus.parquet")["outlet"].value_counts()
    expected = (sum(min(1, n) for n in per_outlet), sum(min(5, n) for n in per_outlet))  # -p 1 vs the default 5
    assert (len(published) - 1, len(sample) - 1) == expected
    assert (scratch / "figures" / "00-corpus-overview" / "articles-per-week.png").is_file()


def test_a_notebook_run_by_hand_refuses_the_published_folder(project, tmp_path):
    before = snapshot(project / "reports")
    with pytest.raises(PapermillExecutionError) as raised:
        run_by_hand(project, tmp_path / "ran.ipynb", output_dir="reports")
    assert raised.value.ename == "ValueError"
    assert "holds published reports: only `newslens report` (make reports) writes there" in raised.value.evalue
    assert snapshot(project / "reports") == before
