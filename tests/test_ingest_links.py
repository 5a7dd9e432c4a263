"""Symbolic and hard links in a corpus folder: every folder and every file is read once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd

from newslens import ingest
from newslens.corpus import ingest as ingest_frames


def article(path: Path, title: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n- Outlet\n- 2024-09-17\nBody of {title}.\n")
    return path


def rows(problems: pd.DataFrame) -> list[tuple]:
    return [(p, None if pd.isna(r) else int(r), s, c)
            for p, r, s, c in problems[["path", "record", "severity", "code"]].itertuples(index=False)]  # fmt: skip


def real_files(root: Path) -> list[str]:
    """Every file below `root` by its real path, found without following any link (the oracle)."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink() and not name.startswith("."):
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def test_folder_loop_is_read_once_with_one_warning(tmp_path):
    article(tmp_path / "top.txt", "Top")
    article(tmp_path / "loop" / "inner.txt", "Inner")
    (tmp_path / "loop" / "up").symlink_to("..")
    run = ingest.build([tmp_path])
    assert run.files == 2
    assert run.table["source_path"].to_pylist() == ["loop/inner.txt", "top.txt"]
    assert [(p.path, p.record, p.severity, p.code) for p in run.problems] == [
        ("loop/up", None, "warning", "symlink-loop")]  # fmt: skip
    assert "links back to the ingested folder" in run.problems[0].message


def test_loop_in_a_real_corpus_accounts_for_every_file_once(ingest_fixtures, tmp_path):
    """The mixed fixture with two loops gives the same articles and problems as without them,
    plus one warning per loop; every real file is an article or a report row, exactly once."""
    plain = Path(shutil.copytree(ingest_fixtures / "mixed", tmp_path / "plain"))
    looped = Path(shutil.copytree(plain, tmp_path / "looped"))
    (looped / "scraped" / "up").symlink_to("..")
    (looped / "feeds" / "again").symlink_to(".")
    reference, reference_problems = ingest_frames(plain)
    articles, problems = ingest_frames(looped)
    pd.testing.assert_frame_equal(articles, reference)
    loops = [("feeds/again", None, "warning", "symlink-loop"), ("scraped/up", None, "warning", "symlink-loop")]
    assert rows(problems) == sorted(rows(reference_problems) + loops, key=lambda r: (r[0], r[1] or -1, r[3]))

    named = set(articles["source_path"]) | {p for p, *_ in rows(problems)}
    assert named - {"feeds/again", "scraped/up"} == set(real_files(looped)) - {"corpus.yml"}
    assert real_files(looped) == real_files(plain)  # the loops added no file


def test_symlinked_file_is_read_once_under_its_shortest_path(tmp_path):
    article(tmp_path / "deep" / "er" / "story.txt", "Story")
    (tmp_path / "story.txt").symlink_to("deep/er/story.txt")  # shorter than the real path
    article(tmp_path / "b" / "same.txt", "Same")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "same.txt").symlink_to("../b/same.txt")  # as short: the first in sorted order wins
    os.link(tmp_path / "b" / "same.txt", tmp_path / "c.txt")  # a hard link: shortest of all
    articles, problems = ingest_frames(tmp_path)
    assert articles["source_path"].tolist() == ["c.txt", "story.txt"]
    assert rows(problems) == [("a/same.txt", None, "warning", "duplicate-path"),
                              ("b/same.txt", None, "warning", "duplicate-path"),
                              ("deep/er/story.txt", None, "warning", "duplicate-path")]  # fmt: skip
    assert problems["message"].tolist() == [
        "the same file as c.txt (a symbolic or hard link); read once, as c.txt",
        "the same file as c.txt (a symbolic or hard link); read once, as c.txt",
        "the same file as story.txt (a symbolic or hard link); read once, as story.txt",
    ]
    assert set(real_files(tmp_path)) == {"b/same.txt", "c.txt", "deep/er/story.txt"}


def test_second_link_to_a_folder_is_not_read_again(tmp_path):
    article(tmp_path / "2024" / "sep" / "a.txt", "A")
    (tmp_path / "latest").symlink_to("2024/sep")
    (tmp_path / "zz").mkdir()
    (tmp_path / "zz" / "september").symlink_to("../2024/sep")
    articles, problems = ingest_frames(tmp_path)
    assert articles["source_path"].tolist() == ["latest/a.txt"]  # the shortest path to the folder
    assert rows(problems) == [("2024/sep", None, "warning", "duplicate-path"),
                              ("zz/september", None, "warning", "duplicate-path")]  # fmt: skip
    assert problems["message"].tolist() == ["the same folder as latest; read once, as latest"] * 2


def test_links_outside_the_folder_are_read_and_reported(tmp_path):
    outside = tmp_path / "archive"
    article(outside / "old" / "x.txt", "Old")
    article(outside / "single.txt", "Single")
    root = tmp_path / "corpus"
    article(root / "inside.txt", "Inside")
    (root / "old").symlink_to(outside / "old")
    (root / "one.txt").symlink_to(outside / "single.txt")
    (root / "old-again").symlink_to(outside / "old")
    articles, problems = ingest_frames(root)
    assert articles["source_path"].tolist() == ["inside.txt", "old/x.txt", "one.txt"]
    assert rows(problems) == [("old", None, "warning", "outside-root"),
                              ("old-again", None, "warning", "duplicate-path"),
                              ("old-again", None, "warning", "outside-root"),
                              ("one.txt", None, "warning", "outside-root")]  # fmt: skip
    messages = dict(zip(problems["path"] + ":" + problems["code"], problems["message"], strict=True))
    assert messages["old:outside-root"] == f"links to {outside / 'old'}, outside the ingested folder; read as if it were inside"


def test_broken_link_is_reported_as_unreadable(tmp_path):
    article(tmp_path / "good.txt", "Good")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    articles, problems = ingest_frames(tmp_path)
    assert articles["source_path"].tolist() == ["good.txt"]
    assert rows(problems) == [("gone.txt", None, "error", "unreadable")]


def test_links_and_the_incremental_cache(tmp_path):
    corpus = tmp_path / "c"
    article(corpus / "a.txt", "A")
    (corpus / "loop").mkdir()
    (corpus / "loop" / "up").symlink_to("..")
    (corpus / "alias.txt").symlink_to("a.txt")
    cache = tmp_path / "cache"
    first = ingest.build([corpus], cache_dir=cache)
    again = ingest.build([corpus], cache_dir=cache)
    assert (again.parsed, again.reused) == (0, 1)
    assert again.table.equals(first.table) and again.problems == first.problems
    assert [(p.path, p.code) for p in again.problems] == [("alias.txt", "duplicate-path"), ("loop/up", "symlink-loop")]


def test_a_corpus_folder_reached_through_a_link(tmp_path):
    article(tmp_path / "real" / "a.txt", "A")
    (tmp_path / "link").symlink_to("real")
    articles, problems = ingest_frames(tmp_path / "link")
    assert articles["source_path"].tolist() == ["a.txt"] and problems.empty


def test_a_root_inside_another_root_is_read_once_in_either_order(tmp_path):
    article(tmp_path / "r" / "a.txt", "A")
    article(tmp_path / "r" / "sub" / "b.txt", "B")
    (tmp_path / "r" / "sub" / "up").symlink_to("..")
    for roots in ([tmp_path / "r", tmp_path / "r" / "sub"], [tmp_path / "r" / "sub", tmp_path / "r"]):
        articles, problems = ingest_frames(roots)
        assert articles["source_path"].tolist() == ["a.txt", "sub/b.txt"]
        assert rows(problems) == [("sub/up", None, "warning", "symlink-loop")]
