"""Reports on derived tables: the second run reuses them (provenance says so), results are the same,
and the published pages carry no progress-bar output even when the heavy steps run in chunks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = ("00-corpus-overview", "30-keywords")

pytestmark = pytest.mark.slow

_BAR = re.compile(r"\d+%\|")  # tqdm's "40%|████" (its rate, "chunk/s", is checked too)


def _report(table: Path, out: Path, *extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "newslens", "report", *NOTEBOOKS, "--corpus", str(table), "--out", str(out), *extra],
        cwd=REPO, capture_output=True, text=True, timeout=900,
        env={**__import__("os").environ, "NEWSLENS_CHUNK_ARTICLES": "10"},  # 73 articles: 8 chunks, 2 workers
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def _tables(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.suffix in {".csv", ".png"}}


def test_second_run_hits_the_cache_and_pages_have_no_progress_bars(tmp_path):
    table = tmp_path / "build" / "corpus.parquet"
    subprocess.run([sys.executable, "-m", "newslens", "ingest", str(REPO / "corpus"), "--out", str(table),
                    "--report", str(tmp_path / "build" / "ingest-report.csv")], check=True, capture_output=True)  # fmt: skip
    first = tmp_path / "first"
    _report(table, first)
    assert (tmp_path / "build" / "derived").is_dir()
    page = (first / "00-corpus-overview.html").read_text(encoding="utf-8")
    assert "tokens: built (not cached before)" in page and "cache hit" not in page
    page = (first / "30-keywords.html").read_text(encoding="utf-8")  # the overview's token counts are reused
    assert "tokens: cache hit" in page and "dtm (ngram_range=[1, 2]): built (not cached before)" in page
    for name in NOTEBOOKS:
        for path in (first / f"{name}.html", first / "notebooks" / f"{name}.ipynb"):
            text = path.read_text(encoding="utf-8")
            assert not _BAR.search(text) and "chunk/s" not in text and "tqdm" not in text.lower(), path

    second = tmp_path / "second"
    _report(table, second, "-p", "jobs", "1")
    page = (second / "30-keywords.html").read_text(encoding="utf-8")
    assert "tokens: cache hit" in page and "dtm (ngram_range=[1, 2]): cache hit" in page
    assert "built" not in page.split("Derived tables")[1].split("</tr>")[0]
    assert _tables(first) == _tables(second)  # the cached run (one job) gives the same files
