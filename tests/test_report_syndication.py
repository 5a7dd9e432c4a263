"""Syndicated copies in the reports, end to end on a corpus with planted copies (tests/syndication_corpus.py):
the overview's syndication section, `duplicates=canonical` in an analysis report with its provenance, and
`duplicates=keep` giving the very outputs the reports gave before the switch existed."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from syndication_corpus import EXPECTED_COPIES, EXPECTED_MATRIX, planted_corpus, write_jsonl

from newslens import cli, pipeline

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

SETUP = ("articles = corpus_table.subset(store.corpus, outlets=outlets, start=start, end=end, duplicates=duplicates,\n"
         "                               clusters=newslens.duplicates.for_corpus(corpus, store.corpus))\n"
         "newslens.duplicates.show(articles)")  # fmt: skip
BEFORE = "articles = corpus_table.subset(store.corpus, outlets=outlets, start=start, end=end)"


@pytest.fixture(scope="module")
def corpus_table(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("syndication")
    source = write_jsonl(planted_corpus(), root / "corpus" / "planted.jsonl")
    table = root / "build" / "corpus.parquet"
    subprocess.run([sys.executable, "-m", "newslens", "ingest", str(source), "--out", str(table),
                    "--report", str(root / "build" / "ingest-report.csv")],
                   check=True, capture_output=True, text=True)  # fmt: skip
    return table


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch):
    monkeypatch.chdir(REPO)


def run(capsys, *args: str) -> tuple[int, str]:
    status = cli.main(["report", *args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def page_text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.suffix in {".csv", ".png"}}


def test_overview_shows_the_planted_copies(corpus_table, tmp_path, capsys):
    status, log = run(capsys, "00-corpus-overview", "--corpus", str(corpus_table), "--out", str(tmp_path))
    assert status == 0, log
    figures, tables = tmp_path / "figures" / "00-corpus-overview", tmp_path / "tables" / "00-corpus-overview"
    matrix = (figures / "copy-matrix.csv").read_text().splitlines()
    assert matrix == ["source,outlet,n"] + [f"{s},{o},{n}" for s, o, n in EXPECTED_MATRIX]
    assert (figures / "copy-matrix.png").stat().st_size > 0
    shares = [line.split(",")[:3] for line in (tables / "copy-share-by-outlet.csv").read_text().splitlines()[1:]]
    assert {o: (int(n), int(c)) for o, n, c in shares} == EXPECTED_COPIES
    sources = (tables / "most-copied-sources.csv").read_text().splitlines()
    assert sources[1] == "Wire Service,3,6,3"
    clusters = (tables / "duplicate-clusters.csv").read_text().splitlines()
    assert len(clusters) == 1 + 6 and clusters[1].split(",")[1] == "Wire Service"
    assert not (tables / "shared-titles.csv").exists()
    text = page_text(tmp_path / "00-corpus-overview.html")
    assert "9 of 33 articles (27.3%) are copies of another article" in text
    assert "The canonical copy of a cluster is the earliest published one" in text
    assert len(list((corpus_table.parent / "derived").glob("duplicates-*-t0.8.parquet"))) == 1


def test_a_title_only_corpus_is_clustered_on_titles_and_says_so(tmp_path, capsys):
    titles = planted_corpus().assign(text="")
    source = write_jsonl(titles, tmp_path / "corpus" / "titles.jsonl")
    table = tmp_path / "build" / "corpus.parquet"
    assert cli.main(["ingest", str(source), "--out", str(table), "--report", str(tmp_path / "build" / "r.csv")]) == 0
    status, log = run(capsys, "00-corpus-overview", "--corpus", str(table), "--out", str(tmp_path / "reports"))
    assert status == 0, log
    text = page_text(tmp_path / "reports" / "00-corpus-overview.html")
    assert "This corpus has no article bodies, so titles were compared (2-word shingles" in text
    assert "7 of 33 articles (21.2%) are copies of another article" in text  # the new-headline copies are missed


def test_canonical_leaves_the_copies_out_and_says_so(corpus_table, tmp_path, capsys):
    status, log = run(capsys, "10-sentiment", "20-framing", "30-keywords", "40-actors", "50-validation", "--corpus",
                      str(corpus_table), "--out", str(tmp_path), "-p", "duplicates", "canonical")  # fmt: skip
    assert status == 0, log
    sizes = (tmp_path / "tables" / "30-keywords" / "group-sizes.csv").read_text().splitlines()
    assert sizes[0].startswith("outlet,articles")
    assert sum(int(line.split(",")[1]) for line in sizes[1:]) == 24  # 33 articles less the 9 planted copies
    tones = (tmp_path / "tables" / "10-sentiment" / "tone-by-outlet.csv").read_text()
    assert "copy-of" not in tones
    assert "--duplicates canonical" in page_text(tmp_path / "50-validation.html")  # the sampling command
    for name in ("10-sentiment", "20-framing", "30-keywords", "40-actors", "50-validation"):
        text = page_text(tmp_path / f"{name}.html")
        provenance = text[text.index("Provenance"):]
        assert ('Duplicatesduplicates=canonical: 9 of 33 articles left out as copies (6 clusters at threshold 0.8, '
                'one article kept per cluster, its canonical copy); 24 analysed.') in provenance  # th, then td
        assert '"duplicates": "canonical"' in provenance


def test_an_unknown_choice_fails_the_report_with_the_valid_ones(corpus_table, tmp_path, capsys):
    status, log = run(capsys, "30-keywords", "--corpus", str(corpus_table), "--out", str(tmp_path),
                      "-p", "duplicates", "canon")  # fmt: skip
    assert status != 0 and "duplicates='canon' is not valid; choose one of: keep, canonical" in log


def _before(source: Path, folder: Path) -> Path:
    """The notebook as it was before the `duplicates` parameter: one subset call, no clusters."""
    nb = nbformat.read(source, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    lines = code[0].source.split("\n")
    assert sum(line.startswith("duplicates: ") for line in lines) == 1
    code[0].source = "\n".join(line for line in lines if not line.startswith("duplicates: "))
    assert SETUP in code[1].source and code[1].source.startswith("import newslens.duplicates\n")
    code[1].source = code[1].source.replace(SETUP, BEFORE).replace("import newslens.duplicates\n", "import newslens\n", 1)
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / source.name)
    return folder / source.name


@pytest.mark.parametrize("name", ["10-sentiment", "30-keywords"])
def test_keep_gives_the_outputs_of_the_reports_without_the_switch(corpus_table, tmp_path, name):
    now = pipeline.Notebook.read(REPO / "notebooks" / f"{name}.ipynb")
    before = pipeline.Notebook.read(_before(now.path, tmp_path / "before-notebooks"))
    for nb, out in ((now, tmp_path / "now"), (before, tmp_path / "before")):
        results = pipeline.run_reports([nb], corpus=corpus_table, out=out, root=REPO, log=lambda line: None)
        assert results[0].status == "ok", results[0].message
    a, b = outputs(tmp_path / "now"), outputs(tmp_path / "before")
    assert a and a.keys() == b.keys()
    assert [path for path in a if a[path] != b[path]] == []
    assert "duplicates=keep: all 33 articles analysed, 9 of them (27.3%) copies" in page_text(tmp_path / "now" / f"{name}.html")
