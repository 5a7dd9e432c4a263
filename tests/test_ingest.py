"""End-to-end ingestion (newslens.ingest): every record becomes an article or a report row."""

from __future__ import annotations

import builtins
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from newslens import ingest
from newslens.cli import main
from newslens.corpus import COLUMNS
from newslens.corpus import ingest as ingest_frames

REPO = Path(__file__).resolve().parents[1]
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + bytes(64)

# Input records of tests/fixtures/ingest/mixed, counted by hand (JSONL: non-blank lines).
EXPECTED_RECORDS = {
    "dupes/copy_of_a.txt": [1], "exports/data.tsv": [1, 2], "exports/ledger.csv": [1, 2],
    "exports/no_text.csv": [1, 2], "feeds/list.json": [1, 2], "feeds/wire.jsonl": [1, 3, 4, 5, 6],
    "notes.md": [1], "pages/article.html": [1], "pages/nav_only.html": [1], "scraped/a.txt": [1],
    "scraped/bad_date.txt": [1], "scraped/empty.txt": [1], "scraped/latin1.txt": [1],
    "scraped/no_date.txt": [1], "scraped/reprint.txt": [1], "scraped/title_only.txt": [1],
    "scraped/utf16.txt": [1],
}  # fmt: skip
EXPECTED_ARTICLES = [
    ("dupes/copy_of_a.txt", 1, "news.am"), ("exports/data.tsv", 1, "Harbor Gazette"),
    ("exports/data.tsv", 2, ""), ("exports/ledger.csv", 1, "Baltic Ledger"),
    ("exports/ledger.csv", 2, "Baltic Ledger"), ("feeds/list.json", 1, "Atlantic Wire"),
    ("feeds/list.json", 2, "Atlantic Wire"), ("feeds/wire.jsonl", 1, "Caspian Herald"),
    ("feeds/wire.jsonl", 4, "news.am"), ("pages/article.html", 1, "Harbor Gazette"),
    ("scraped/bad_date.txt", 1, "Danube Daily"), ("scraped/latin1.txt", 1, "Meridian Post"),
    ("scraped/no_date.txt", 1, "Danube Daily"), ("scraped/reprint.txt", 1, "Times Tengri"),
    ("scraped/title_only.txt", 1, "Steppe Observer"), ("scraped/utf16.txt", 1, "Vistula Times"),
]  # fmt: skip
EXPECTED_PROBLEMS = [
    ("exports/data.tsv", 2, "warning", "missing-date"),
    ("exports/data.tsv", 2, "warning", "missing-outlet"),
    ("exports/data.tsv", 2, "warning", "ragged-row"),
    ("exports/no_text.csv", None, "error", "missing-column"),
    ("feeds/list.json", 2, "warning", "bad-date"),
    ("feeds/wire.jsonl", 3, "error", "invalid-json"),
    ("feeds/wire.jsonl", 5, "error", "not-an-object"),
    ("feeds/wire.jsonl", 6, "error", "empty-record"),
    ("notes.md", None, "warning", "unsupported-format"),
    ("pages/nav_only.html", None, "error", "no-article"),
    ("scraped/a.txt", 1, "warning", "duplicate-id"),
    ("scraped/bad_date.txt", 1, "warning", "bad-date"),
    ("scraped/empty.txt", None, "error", "empty-file"),
    ("scraped/latin1.txt", None, "warning", "encoding-fallback"),
    ("scraped/no_date.txt", 1, "warning", "missing-date"),
    ("scraped/title_only.txt", 1, "warning", "no-text"),
    ("scraped/utf16.txt", None, "warning", "non-utf8-encoding"),
]


@pytest.fixture
def mixed(ingest_fixtures, tmp_path) -> Path:
    """A private copy of the mixed fixture corpus (tests may add files to it)."""
    return Path(shutil.copytree(ingest_fixtures / "mixed", tmp_path / "mixed"))


def rows(problems: pd.DataFrame) -> list[tuple]:
    return [(p, None if pd.isna(r) else int(r), s, c)
            for p, r, s, c in problems[["path", "record", "severity", "code"]].itertuples(index=False)]  # fmt: skip


def test_mixed_corpus_articles_and_problems(mixed):
    articles, problems = ingest_frames(mixed)
    assert list(articles.columns) == list(COLUMNS)
    got = list(articles[["source_path", "record", "outlet"]].itertuples(index=False, name=None))
    assert got == EXPECTED_ARTICLES
    assert rows(problems) == EXPECTED_PROBLEMS


def test_every_input_record_is_an_article_or_a_report_row(mixed):
    articles, problems = ingest_frames(mixed)
    as_articles = set(articles[["source_path", "record"]].itertuples(index=False, name=None))
    reported = {(p, r) for p, r, _, _ in rows(problems)}
    expected = {(path, r) for path, records in EXPECTED_RECORDS.items() for r in records}
    assert as_articles <= expected
    lost = [(p, r) for p, r in sorted(expected)
            if (p, r) not in as_articles and (p, r) not in reported and (p, None) not in reported]  # fmt: skip
    assert lost == []
    assert len(articles) + sum(1 for p, r in expected if (p, r) not in as_articles) == len(expected)


def test_fields_of_mixed_corpus(mixed):
    articles, _ = ingest_frames(mixed)
    by_path = articles.set_index(["source_path", "record"])
    ledger = by_path.loc[("exports/ledger.csv", 1)]
    assert ledger["title"] == "Baltic states urge faster aid"
    assert ledger["published"] == pd.Timestamp("2024-09-17")  # 17.09.2024 via the per-glob format
    assert ledger["url"] == "https://balticledger.example/1"
    assert json.loads(ledger["extra"]) == {"section": "World"}
    assert ledger["text"] == "Estonia, Latvia and Lithuania urged faster deliveries.\n\nOfficials in Riga said time was running out."
    copy = by_path.loc[("dupes/copy_of_a.txt", 1)]
    assert (copy["author"], copy["reading_time"], copy["reprinted_from"]) == (
        "Anna Novak", 3, "https://example.org/original-story")  # fmt: skip
    assert json.loads(copy["extra"]) == {"meta": ["Exclusive interview"], "section": "World"}
    assert by_path.loc[("scraped/latin1.txt", 1)]["text"] == "Ministers met at a café and called the outcome \u201cdisappointing\u201d."
    assert by_path.loc[("scraped/utf16.txt", 1)]["text"] == "Kyiv welcomed the EU\u2019s new sanctions package."
    assert json.loads(by_path.loc[("scraped/bad_date.txt", 1)]["extra"]) == {"published_raw": "Sept. 31, 2024"}
    assert pd.isna(by_path.loc[("scraped/bad_date.txt", 1)]["published"])
    wire = by_path.loc[("feeds/wire.jsonl", 4)]
    assert (wire["author"], wire["reading_time"]) == ("Mark Smith", 4)
    assert articles["published"].dt.normalize().equals(articles["published"])  # day precision


def test_seed_article_through_ingest(seed_article, tmp_path):
    articles, problems = ingest_frames(seed_article)
    assert problems.empty
    (art,) = articles.to_dict("records")
    assert art["source_path"] == seed_article.name and art["reader"] == "txt" and art["record"] == 1
    assert (art["outlet"], art["published"], art["reading_time"]) == ("Times Tengri", pd.Timestamp("2024-09-17"), 2)
    # the id is SHA-256 over case-folded outlet, title and text, joined by \x1f (computed here independently)
    blob = "\x1f".join(["times tengri", art["title"], art["text"]]).encode()
    assert art["id"] == hashlib.sha256(blob).hexdigest()[:16]


def test_ids_stable_across_runs_and_copies(mixed, tmp_path):
    first, _ = ingest_frames(mixed)
    other = Path(shutil.copytree(mixed, tmp_path / "elsewhere"))
    os.utime(other / "scraped" / "no_date.txt", (1, 1))
    second, _ = ingest_frames(other)
    assert first["id"].tolist() == second["id"].tolist()
    assert first["id"].str.fullmatch(r"[0-9a-f]{16}").all() and first["id"].is_unique


def test_reprint_by_other_outlet_gets_its_own_id(mixed):
    articles, _ = ingest_frames(mixed)
    copy = articles[articles["source_path"] == "dupes/copy_of_a.txt"].iloc[0]
    reprint = articles[articles["source_path"] == "scraped/reprint.txt"].iloc[0]
    assert (copy["title"], copy["text"]) == (reprint["title"], reprint["text"])
    assert copy["id"] != reprint["id"]


def test_duplicate_names_both_files_and_keeps_first(mixed):
    articles, problems = ingest_frames(mixed)
    (dup,) = problems[problems["code"] == "duplicate-id"].to_dict("records")
    assert dup["path"] == "scraped/a.txt" and "dupes/copy_of_a.txt" in dup["message"]
    assert "scraped/a.txt" not in set(articles["source_path"])


def test_binary_file_named_txt(tmp_path):
    (tmp_path / "image.txt").write_bytes(PNG)
    (tmp_path / "good.txt").write_text("T\n- O\n- 2024-09-17\nBody.\n")
    articles, problems = ingest_frames(tmp_path)
    assert articles["source_path"].tolist() == ["good.txt"]
    assert rows(problems) == [("image.txt", None, "error", "binary-file")]


def test_binary_without_nul_bytes_detected(tmp_path):
    (tmp_path / "noise.txt").write_bytes(bytes(range(1, 32)) * 300)
    _, problems = ingest_frames(tmp_path)
    assert rows(problems) == [("noise.txt", None, "error", "binary-file")]


def test_unreadable_file_reported(tmp_path, monkeypatch):
    """chmod 000 makes a file unreadable for normal users. Tests may run as root, which ignores
    permission bits, so `open` is wrapped to refuse files without read bits, as the kernel would."""
    (tmp_path / "good.txt").write_text("T\n- O\n- 2024-09-17\nBody.\n")
    locked = tmp_path / "locked.txt"
    locked.write_text("T\n- O\nSecret body.\n")
    locked.chmod(0)
    real_open = builtins.open

    def permission_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.stat(file).st_mode & 0o444 == 0:
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", permission_open)
    monkeypatch.setattr(Path, "read_bytes", lambda self: permission_open(self, "rb").read())
    articles, problems = ingest_frames(tmp_path)
    assert articles["source_path"].tolist() == ["good.txt"]
    assert rows(problems) == [("locked.txt", None, "error", "unreadable")]
    assert "Permission denied" in problems["message"].iloc[0]


def test_fifo_and_folder_named_txt(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block: must be skipped, not read
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "folder.txt" / "inner.txt").write_text("T\n- O\n- 2024-09-17\nBody.\n")
    articles, problems = ingest_frames(tmp_path)
    assert articles["source_path"].tolist() == ["folder.txt/inner.txt"]
    assert rows(problems) == [("pipe.txt", None, "error", "not-a-file")]


def test_hidden_files_and_folders_skipped(tmp_path):
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "a.txt").write_text("T\n- O\nBody.\n")
    (tmp_path / ".DS_Store").write_bytes(PNG)
    articles, problems = ingest_frames(tmp_path)
    assert articles.empty and problems.empty


@pytest.mark.slow
def test_large_jsonl_streamed_and_large_txt_refused(tmp_path):
    """A 50 MB JSON Lines file is read record by record; a 50 MB .txt (one "article") is refused."""
    record = {"title": "Long wire", "text": "Strikes deep inside Russia were debated again. " * 40, "outlet": "Wire",
              "published": "2024-09-17"}  # fmt: skip
    line = json.dumps(record)
    n = 50 * 2**20 // len(line) + 1
    with (tmp_path / "big.jsonl").open("w") as handle:
        for i in range(n):
            handle.write(line.replace("Long wire", f"Long wire {i}") + "\n")
    paragraph = record["text"] + "\n"
    with (tmp_path / "big.txt").open("w") as handle:
        handle.write("Title\n- Outlet\n" + paragraph * (50 * 2**20 // len(paragraph) + 1))
    (tmp_path / "small.txt").write_text("T\n- O\n- 2024-09-17\nBody.\n")
    assert min((tmp_path / "big.jsonl").stat().st_size, (tmp_path / "big.txt").stat().st_size) >= 50 * 2**20
    script = ("import json, resource, sys; from newslens.corpus import ingest; a, p = ingest(sys.argv[1]); "
              "print(json.dumps([len(a), p['path'].tolist(), p['code'].tolist(), "
              "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True)
    count, paths, codes, peak_kib = json.loads(done.stdout)
    assert count == n + 1  # every JSONL record and small.txt
    assert (paths, codes) == (["big.txt"], ["file-too-large"])
    assert peak_kib < 1024 * 1024, f"peak RSS {peak_kib} KiB for 100 MB of input"


def test_incremental_reparses_only_changed_files(mixed, tmp_path):
    cache = tmp_path / "cache"
    first = ingest.build([mixed], cache_dir=cache)
    n_files = len(EXPECTED_RECORDS) - 1  # notes.md has no reader
    assert (first.files, first.parsed, first.reused) == (n_files, n_files, 0)
    again = ingest.build([mixed], cache_dir=cache)
    assert (again.parsed, again.reused) == (0, n_files)
    assert again.table.equals(first.table) and again.problems == first.problems

    no_date = mixed / "scraped" / "no_date.txt"
    no_date.write_text(no_date.read_text().replace("- 2 min read", "- 2 min read\n- 2024-09-30"))
    changed = ingest.build([mixed], cache_dir=cache)
    assert (changed.parsed, changed.reused) == (1, n_files - 1)
    fresh = ingest.build([mixed])  # no cache: the reference
    assert changed.table.equals(fresh.table) and changed.problems == fresh.problems
    assert "missing-date" not in {p.code for p in changed.problems if p.path == "scraped/no_date.txt"}

    (mixed / "scraped" / "new.txt").write_text("New\n- Outlet\n- 2024-10-01\nBody.\n")
    (mixed / "scraped" / "reprint.txt").unlink()
    grown = ingest.build([mixed], cache_dir=cache)
    assert (grown.files, grown.parsed, grown.reused) == (n_files, 1, n_files - 1)
    assert grown.table.equals(ingest.build([mixed]).table)
    assert "scraped/reprint.txt" not in grown.table["source_path"].to_pylist()


def test_changed_corpus_yml_reparses_the_files_it_applies_to(mixed, tmp_path):
    cache = tmp_path / "cache"
    ingest.build([mixed], cache_dir=cache)
    config = mixed / "corpus.yml"
    config.write_text(config.read_text().replace('outlet: "Baltic Ledger"', 'outlet: "Ledger Weekly"'))
    run = ingest.build([mixed], cache_dir=cache)
    assert run.parsed == 1  # only exports/ledger.csv matches the changed entry
    ledger = [o for o, p in zip(run.table["outlet"].to_pylist(), run.table["source_path"].to_pylist(), strict=True)
              if p == "exports/ledger.csv"]  # fmt: skip
    assert ledger == ["Ledger Weekly", "Ledger Weekly"]


def test_damaged_cache_is_rebuilt(mixed, tmp_path):
    cache = tmp_path / "cache"
    ingest.build([mixed], cache_dir=cache)
    for segment in (cache / "segments").glob("*.arrow"):
        segment.write_bytes(b"garbage")
    run = ingest.build([mixed], cache_dir=cache)
    assert run.reused == 0 and run.table.equals(ingest.build([mixed]).table)


def test_parallel_parse_matches_serial_and_synthetic_frame(tmp_path):
    spec = importlib.util.spec_from_file_location("synth", REPO / "bench" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    synthetic_frame, write_corpus = synth.synthetic_frame, synth.write_corpus
    n = ingest.PARALLEL_MIN_FILES + 50
    write_corpus(tmp_path / "c", n, seed=3)
    serial, problems = ingest_frames(tmp_path / "c", jobs=1)
    parallel, _ = ingest_frames(tmp_path / "c", jobs=2)
    assert problems.empty
    pd.testing.assert_frame_equal(serial, parallel)
    pd.testing.assert_frame_equal(serial, synthetic_frame(n, seed=3), check_dtype=False)


def test_multiple_roots_are_relative_to_their_common_parent(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text(f"Title {name}\n- O\n- 2024-09-17\nBody {name}.\n")
    articles, _ = ingest_frames([tmp_path / "b", tmp_path / "a" / "x.txt"])
    assert articles["source_path"].tolist() == ["a/x.txt", "b/x.txt"]


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="input path does not exist"):
        ingest.build([tmp_path / "nope"])


def test_cli_writes_table_and_sorted_report(mixed, tmp_path, capsys):
    out, report = tmp_path / "build" / "corpus.parquet", tmp_path / "build" / "report.csv"
    code = main(["ingest", str(mixed), "--out", str(out), "--report", str(report), "--jobs", "1"])
    assert code == 0
    text = capsys.readouterr().out
    assert f"{len(EXPECTED_RECORDS) - 1} files ({len(EXPECTED_RECORDS) - 1} parsed, 0 reused)" in text
    assert f"{len(EXPECTED_ARTICLES)} articles, 11 warnings, 6 errors" in text
    table = pd.read_parquet(out)
    assert list(table.columns) == list(COLUMNS) and len(table) == len(EXPECTED_ARTICLES)
    assert str(table["reading_time"].dtype) == "Int64" and str(table["record"].dtype) == "Int64"
    rep = pd.read_csv(report, dtype={"record": "Int64"})
    assert list(rep.columns) == ["path", "record", "severity", "code", "message"]
    assert rows(rep) == EXPECTED_PROBLEMS
    assert main(["ingest", str(mixed), "--out", str(out), "--report", str(report), "--strict"]) == 1
    assert "0 parsed, 16 reused" in capsys.readouterr().out


def test_cli_strict_passes_on_clean_corpus(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("T\n- O\n- 2024-09-17\nBody.\n")
    args = ["ingest", str(tmp_path / "in"), "--out", str(tmp_path / "c.parquet"), "--report", str(tmp_path / "r.csv")]
    assert main([*args, "--strict"]) == 0


def test_python_m_newslens_ingest(tmp_path, seed_article):
    out = tmp_path / "corpus.parquet"
    done = subprocess.run([sys.executable, "-m", "newslens", "ingest", str(seed_article), "--out", str(out),
                           "--report", str(tmp_path / "r.csv")], capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "1 articles, 0 warnings, 0 errors" in done.stdout
    assert done.stderr == ""  # no progress bar when stderr is not a terminal


def test_cli_missing_path_exit_code(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nope"), "--out", str(tmp_path / "c.parquet")]) == 2
    assert "input path does not exist" in capsys.readouterr().err


def test_report_rows_sorted():
    unsorted = [ingest.ReportRow("b", 2, "warning", "x", ""), ingest.ReportRow("a", None, "error", "y", ""),
                ingest.ReportRow("b", 1, "error", "z", ""), ingest.ReportRow("a", 3, "warning", "a", "")]  # fmt: skip
    ordered = sorted(unsorted, key=ingest.ReportRow.sort_key)
    assert [(r.path, r.record) for r in ordered] == [("a", None), ("a", 3), ("b", 1), ("b", 2)]




def test_readme_and_corpus_yml_are_not_input(tmp_path):
    (tmp_path / "README.md").write_text("# About this corpus\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "readme.txt").write_text("Notes\n- not an article\nText.\n")
    (tmp_path / "corpus.yml").write_text("default_outlet: Wire\n")
    (tmp_path / "a.txt").write_text("T\n- 2024-09-17\nBody.\n")
    articles, problems = ingest_frames(tmp_path)
    assert articles[["source_path", "outlet"]].values.tolist() == [["a.txt", "Wire"]]
    assert problems.empty


def test_cache_compacts_after_many_small_updates(mixed, tmp_path):
    cache = tmp_path / "cache"
    ingest.build([mixed], cache_dir=cache)
    target = mixed / "scraped" / "no_date.txt"
    for i in range(12):
        target.write_text(f"Ukraine asks allies for more air defence\n- Danube Daily\n- 2024-09-{i + 1:02d}\nBody {i}.\n")
        run = ingest.build([mixed], cache_dir=cache)
        assert (run.parsed, run.reused) == (1, 15)
        assert len(list((cache / "segments").glob("*.arrow"))) <= ingest._Cache.MAX_SEGMENTS + 1
    assert run.table.equals(ingest.build([mixed]).table)
    dates = dict(zip(run.table["source_path"].to_pylist(), run.table["published"].to_pylist(), strict=True))
    assert str(dates["scraped/no_date.txt"].date()) == "2024-09-12"


def test_cache_of_an_older_schema_is_not_mixed_in(mixed, tmp_path):
    """A cache written before `source_id` existed (index version "1", keys ending in ":1",
    segments without the column) is parsed again, not joined with new segments."""
    import pyarrow as pa

    cache = tmp_path / "cache"
    fresh = ingest.build([mixed], cache_dir=cache)
    def read(path: Path) -> pa.Table:
        return pa.ipc.open_file(pa.py_buffer(path.read_bytes())).read_all()

    index = read(cache / "files.arrow")
    keys = [key.rpartition(":")[0] + ":1" for key in index["key"].to_pylist()]
    old_index = index.set_column(index.schema.get_field_index("key"), "key", pa.array(keys, pa.string()))
    old_index = old_index.replace_schema_metadata({**index.schema.metadata, b"version": b"1"})
    for path, table in [(cache / "files.arrow", old_index)] + [
        (segment, read(segment).drop_columns(["source_id"]))
        for segment in (cache / "segments").glob("*.arrow")
    ]:
        ingest._write_arrow(table, path)
    run = ingest.build([mixed], cache_dir=cache)
    assert (run.parsed, run.reused) == (fresh.files, 0)
    assert run.table.equals(fresh.table) and run.problems == fresh.problems
    again = ingest.build([mixed], cache_dir=cache)
    assert (again.parsed, again.reused) == (0, fresh.files) and again.table.equals(fresh.table)
