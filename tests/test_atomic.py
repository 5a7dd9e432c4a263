"""newslens.atomic is the package's one atomic writer; ingest and the Punkt cache write through it."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newslens import atomic, ingest, text

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "newslens"


def test_write_with_a_path_writer(tmp_path):
    target = tmp_path / "sub" / "t.parquet"
    atomic.write_with(target, lambda tmp: pq.write_table(pa.table({"x": [1, 2]}), tmp))
    assert pq.read_table(target).column("x").to_pylist() == [1, 2]
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in target.parent.iterdir()] == ["t.parquet"]


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_write_with_failure_keeps_the_old_file(tmp_path, error):
    target = tmp_path / "t.csv"
    target.write_text("old")

    def half_then_fail(tmp: Path) -> None:
        tmp.write_text("new, half writ")
        raise error

    with pytest.raises(type(error)):
        atomic.write_with(target, half_then_fail)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_ingest_outputs_are_replaced_atomically(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("T\n- O\n- 2024-09-17\nBody.\n")
    out, report = tmp_path / "build" / "corpus.parquet", tmp_path / "build" / "report.csv"
    run = ingest.build([tmp_path / "in"])
    ingest.write_outputs(run, out, report)
    before = out.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", crash)
    with pytest.raises(OSError, match="disk full"):
        ingest.write_outputs(run, out, report)
    assert out.read_bytes() == before and pd.read_parquet(out)["title"].tolist() == ["T"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["corpus.parquet", "report.csv"]


def test_punkt_cache_is_written_atomically(tmp_path, monkeypatch):
    texts = ["Gen. Smith arrived in the capital on Monday. He spoke to reporters about a new deal."]
    calls = []
    real = atomic.write_text
    monkeypatch.setattr(atomic, "write_text", lambda path, data: calls.append(Path(path)) or real(path, data))
    params = text.train_punkt(texts, cache_dir=tmp_path / "cache")
    (cached,) = (tmp_path / "cache").iterdir()
    assert calls == [cached] and cached.name.startswith("punkt-") and cached.suffix == ".json"
    assert "gen" in params.abbrev_types


def test_only_newslens_atomic_moves_files_into_place():
    """Temporary-file-then-rename lives in one module: no other module calls os.replace, os.rename
    or tempfile.mkstemp."""
    banned = {("os", "replace"), ("os", "rename"), ("tempfile", "mkstemp"), ("tempfile", "NamedTemporaryFile")}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "atomic.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and (node.value.id, node.attr) in banned):  # fmt: skip
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value.id}.{node.attr}")
    assert found == []
