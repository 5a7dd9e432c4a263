"""Reader choice by content at parse time, the reader column, source_id and duplicates across exports."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pandas as pd

from newslens.ingest import build, discover
from newslens.readers import sniff_html, sniff_table, sniff_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"


def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    for name in ("ln_export.txt", "mediacloud_search.csv", "generic.csv", "factiva_indexing.html",
                 "factiva_text.txt"):  # fmt: skip
        shutil.copy(FIXTURES / name, root / name)
    shutil.copy(FIXTURES / "gkg_sample.csv", root / "gkg_export.csv")
    (root / "scraped.txt").write_text("A scraped title\n- Plain Outlet\n- 2024-09-17\nBody.\n", encoding="utf-8")
    (root / "page.html").write_text(
        "<html><head><title>Page</title><meta property='og:site_name' content='Ledger'></head><body><article><p>"
        + "Long-range strikes were debated again in the capital. " * 6 + "</p></article></body></html>",
        encoding="utf-8")
    document = docx.Document()
    for line in ("Documents (1)", "1. Docx title", "Docx title", "Docx Outlet", "May 2, 2011 Monday",
                 "Length:\xa03 words", "Body", "Three words here.", "End of Document"):  # fmt: skip
        document.add_paragraph(line)
    document.save(str(root / "nexis.DOCX"))
    return root


def test_sniffers_on_heads():
    assert sniff_text((FIXTURES / "ln_export.txt").read_text()) == "lexisnexis"
    assert sniff_text((FIXTURES / "factiva_text.txt").read_text()) == "factiva-text"
    assert sniff_text("NATO chief dismisses red lines\n- Times Tengri\n- Sep 17, 2024\nText.\n") == "txt"
    assert sniff_table((FIXTURES / "gkg_sample.csv").read_text(), ",") == "gkg"
    assert sniff_table((FIXTURES / "mediacloud_search.csv").read_text(), ",") == "mediacloud"
    assert sniff_table((FIXTURES / "generic.csv").read_text(), ",") == "csv"
    assert sniff_html((FIXTURES / "factiva_article_format.html").read_text()) == "factiva"
    assert sniff_html("<HTML><BODY><!-- <DOC NUMBER=1> --><P>1 of 1 DOCUMENT</P></BODY></HTML>") == "lexisnexis-html"
    assert sniff_html("<html><body><article><p>News.</p></article></body></html>") == "html"


def test_discovery_uses_suffixes_and_parsing_names_the_reader(tmp_path):
    root = corpus(tmp_path)
    sources, _, _ = discover([root])
    # discovery only stats: the entry point comes from the suffix
    assert {s.rel: s.format for s in sources} == {
        "factiva_indexing.html": "html", "factiva_text.txt": "txt", "generic.csv": "csv",
        "gkg_export.csv": "csv", "ln_export.txt": "txt", "mediacloud_search.csv": "csv",
        "nexis.DOCX": "docx", "page.html": "html", "scraped.txt": "txt"}
    run = build([root], cache_dir=tmp_path / "cache")
    table = run.table.to_pandas()
    readers = table.groupby("source_path")["reader"].unique().map(list).to_dict()
    assert readers == {
        "factiva_indexing.html": ["factiva"], "factiva_text.txt": ["factiva-text"], "generic.csv": ["csv"],
        "gkg_export.csv": ["gkg"], "ln_export.txt": ["lexisnexis"], "mediacloud_search.csv": ["mediacloud"],
        "nexis.DOCX": ["nexisuni"], "page.html": ["html"], "scraped.txt": ["txt"]}
    source_ids = {(r.source_path, r.record): r.source_id for r in table.itertuples()}
    assert source_ids[("ln_export.txt", 1)] == "1"
    assert source_ids[("factiva_indexing.html", 1)] == "LECOUR0020110312e73c0001x"
    assert source_ids[("mediacloud_search.csv", 2)] == "aa02"
    assert source_ids[("gkg_export.csv", 1)] == "20241001120000-0"
    assert pd.isna(source_ids[("scraped.txt", 1)]) and pd.isna(source_ids[("generic.csv", 1)])
    # unchanged files are not parsed again, and keep their reader
    again = build([root], cache_dir=tmp_path / "cache")
    assert again.parsed == 0 and again.table["reader"].to_pylist() == run.table["reader"].to_pylist()


def test_same_article_in_two_download_batches_is_a_duplicate(tmp_path):
    root = tmp_path / "batches"
    root.mkdir()
    text = (FIXTURES / "ln_export.txt").read_text(encoding="utf-8")
    (root / "batch1.txt").write_text(text, encoding="utf-8")
    # the second batch repeats document 3 as its only document
    third = text[text.index("3 of 3 DOCUMENTS") - 31 :].replace("3 of 3 DOCUMENTS", "1 of 1 DOCUMENT")
    (root / "batch2.txt").write_text(third, encoding="utf-8")
    run = build([root])
    assert run.table.num_rows == 3
    duplicates = [p for p in run.problems if p.code == "duplicate-id"]
    assert [(p.path, p.record) for p in duplicates] == [("batch2.txt", 1)]
    assert "batch1.txt (record 3)" in duplicates[0].message
