"""Duplicates in analyses: clusters of a selection, corpus.subset(duplicates=...), the per-corpus cache,
the overview tables on a corpus with planted copies, the copy-matrix plot and provenance notes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from syndication_corpus import EXPECTED_COPIES, EXPECTED_MATRIX, EXPECTED_SOURCES, PLANTED, planted_corpus

from newslens import duplicates, plots, provenance
from newslens.corpus import subset
from newslens.duplicates import cache
from newslens.render import provenance_html


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    df = planted_corpus()
    # ids in url order, so the Daily Beacon copy of Wire story 0 (same day, "(Reuters)") has the smaller id
    return df.assign(id=[f"{i:016x}" for i in range(len(df))], reprinted_from=None)


@pytest.fixture(scope="module")
def found(planted) -> pd.DataFrame:
    return duplicates.clusters(planted)


def _key(url: str) -> str:
    return url.removeprefix("https://planted.example/")


def test_planted_clusters_are_found_with_their_sources(planted, found):
    by_id = planted.set_index("id")["url"].map(_key)
    members = found.assign(article=found["id"].map(by_id), source=found["cluster"].map(by_id))
    copies = sorted(zip(members.loc[~members["canonical"], "source"], members.loc[~members["canonical"], "article"]))
    expected = sorted((f"{src}/{s}", f"{outlet}/copy-of-{src}-{s}") for src, s, outlet, _, _ in PLANTED)
    assert copies == expected
    assert members["canonical"].sum() == 6  # Wire 0, 1, 2; Daily 0; Courier 3; Harbour 0


def test_the_wire_cue_breaks_a_same_day_tie(planted, found):
    daily = planted.loc[planted["url"].str.endswith("Daily Beacon/copy-of-Wire Service-0"), "id"].iloc[0]
    wire = planted.loc[planted["url"].str.endswith("Wire Service/0"), "id"].iloc[0]
    assert daily < wire  # the smallest-id rule alone would pick the copy
    row = found.set_index("id").loc[daily]
    assert row["cluster"] == wire and not row["canonical"] and row["cue"] == "(Reuters)"


def test_overview_tables_match_the_planted_copies(planted, found):
    matrix = duplicates.copy_matrix(planted, found)
    assert [tuple(r) for r in matrix[["source", "outlet", "n"]].itertuples(index=False)] == EXPECTED_MATRIX
    shares = duplicates.copy_shares(planted, found).set_index("outlet")
    assert {o: (int(r.n), int(r.copies)) for o, r in shares.iterrows()} == EXPECTED_COPIES
    assert shares.loc["Daily Beacon", "share"] == pytest.approx(3 / 9)
    assert [tuple(r) for r in duplicates.sources(planted, found).itertuples(index=False)] == EXPECTED_SOURCES
    table = duplicates.summary(planted, found)
    assert table["articles"].tolist() == [4, 3, 2, 2, 2, 2]


def test_copy_matrix_plot_shows_n_in_every_planted_cell(planted, found):
    matrix = duplicates.copy_matrix(planted, found)
    ax = plots.copy_matrix(matrix)
    names = sorted(set(matrix["source"]) | set(matrix["outlet"]))
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}
    assert len(cells) == len(names) ** 2
    for source, outlet, n in EXPECTED_MATRIX:
        assert cells[(names.index(source), names.index(outlet))] == str(n)
    assert cells[(names.index("Daily Beacon"), names.index("Wire Service"))] == "–"
    assert "9 in all" in ax.get_title()
    empty = plots.copy_matrix(matrix.iloc[:0])
    assert "no article is a copy" in empty.get_title()


def test_within_the_whole_corpus_is_the_clusters_unchanged(planted, found):
    pd.testing.assert_frame_equal(duplicates.within(found, planted), found)


def test_within_a_selection_moves_the_canonical_copy(planted, found):
    no_wire = planted.loc[planted["outlet"] != "Wire Service"]
    inside = duplicates.within(found, no_wire)
    urls = planted.set_index("id")["url"].map(_key)
    clusters = {urls[c]: sorted(urls[i] for i in g["id"]) for c, g in inside.groupby("cluster")}
    # Wire story 0: its three copies remain, the earliest (Daily Beacon's, same day as the wire) is canonical.
    assert clusters["Daily Beacon/copy-of-Wire Service-0"] == sorted(
        ["Daily Beacon/copy-of-Wire Service-0", "Eastern Courier/copy-of-Wire Service-0",
         "Harbour Times/copy-of-Wire Service-0"])  # fmt: skip
    # Wire story 2 had one copy: no cluster is left of it.
    assert not any("Wire Service-2" in m for members in clusters.values() for m in members)
    moved = inside["cluster"].map(urls).str.contains("copy-of-Wire")
    assert inside.loc[moved, "similarity"].isna().all() and inside.loc[~moved, "similarity"].notna().all()
    assert (inside.groupby("cluster")["canonical"].sum() == 1).all()


def test_subset_canonical_keeps_one_article_per_cluster(planted, found):
    kept = subset(planted, duplicates="canonical", clusters=found)
    assert len(kept) == len(planted) - len(PLANTED) == 24
    assert not kept["url"].str.contains("copy-of").any()  # every planted copy is the later one
    assert kept.attrs["duplicates"] == {"duplicates": "canonical", "articles": 33, "copies": 9, "removed": 9,
                                        "clusters": 6, "threshold": 0.8, "field": "text"}  # fmt: skip
    assert kept["id"].tolist() == duplicates.canonical_ids(planted, found).tolist()
    # Without clusters given, canonical finds them itself.
    pd.testing.assert_frame_equal(subset(planted, duplicates="canonical"), kept)


def test_subset_canonical_with_a_selection_counts_what_it_removed(planted, found):
    kept = subset(planted, outlets=["Daily Beacon", "Eastern Courier"], duplicates="canonical", clusters=found)
    # Daily+Courier: 19 articles. Clusters among them: Wire 0 (Daily, Courier copies), Wire 1 (Daily, Courier),
    # Daily 0 (original, Courier copy), Courier 3 (original, repeat): one article left out of each.
    assert kept.attrs["duplicates"]["articles"] == 19 and kept.attrs["duplicates"]["removed"] == 4
    assert len(kept) == 15


def test_subset_keep_gives_the_same_rows_as_without_the_switch(planted, found):
    plain = subset(planted, outlets=["Daily Beacon"], start="2024-09-03")
    kept = subset(planted, outlets=["Daily Beacon"], start="2024-09-03", duplicates="keep", clusters=found)
    pd.testing.assert_frame_equal(kept, plain)
    assert kept.to_csv() == plain.to_csv()
    # Daily Beacon's copies have their sources in other outlets: within it alone, nothing is copied twice.
    assert kept.attrs["duplicates"]["removed"] == 0 and kept.attrs["duplicates"]["copies"] == 0
    both = subset(planted, outlets=["Daily Beacon", "Wire Service"], duplicates="keep", clusters=found)
    assert both.attrs["duplicates"]["copies"] == 2 and both.attrs["duplicates"]["removed"] == 0
    assert len(both) == 15
    assert "duplicates" not in plain.attrs


def test_subset_rejects_an_unknown_choice(planted, found):
    with pytest.raises(ValueError, match="duplicates='canon' is not valid; choose one of: keep, canonical"):
        subset(planted, duplicates="canon", clusters=found)


def test_method_note_says_how_much_the_choice_matters(planted, found):
    note = duplicates.method_note(planted, found)
    assert note.startswith("Article bodies compared (5-word shingles")
    assert "6 clusters with 15 articles; 9 of 33 articles (27.3%) are copies of another article" in note


def test_no_clusters_one_article_and_title_only(planted):
    distinct = planted.loc[~planted["url"].str.contains("copy-of")].reset_index(drop=True)
    none = duplicates.clusters(distinct)
    assert none.empty
    pd.testing.assert_frame_equal(subset(distinct, duplicates="canonical", clusters=none), distinct)
    assert "changes nothing" in duplicates.method_note(distinct, none)
    assert duplicates.copy_matrix(distinct, none).empty and duplicates.sources(distinct, none).empty
    assert duplicates.copy_shares(distinct, none)["copies"].sum() == 0

    one = planted.iloc[:1]
    kept = subset(one, duplicates="canonical")
    assert len(kept) == 1 and kept.attrs["duplicates"]["removed"] == 0
    assert duplicates.summary(one, duplicates.clusters(one)).empty

    titles = planted.assign(text="")
    found = duplicates.clusters(titles)
    assert found.attrs["field"] == "title"
    urls = titles.set_index("id")["url"].map(_key)
    # Copies under their own headline are found on titles; those with a new headline are not.
    same_headline = [(f"{src}/{s}", f"{o}/copy-of-{src}-{s}") for src, s, o, edit, _ in PLANTED if "headline" not in edit]
    assert sorted(urls[found["id"]]) == sorted({url for pair in same_headline for url in pair})
    assert (~found["canonical"]).sum() == 7
    # Titles carry no wire cue, so the same-day tie of Wire story 0 goes to the smaller id, the copy's.
    tie = found.loc[found["id"].map(urls) == "Wire Service/0", "cluster"].map(urls).iloc[0]
    assert tie == "Daily Beacon/copy-of-Wire Service-0"
    note = duplicates.method_note(titles, found)
    assert note.startswith("This corpus has no article bodies, so titles were compared")
    assert duplicates.describe(subset(titles, duplicates="canonical").attrs["duplicates"]).startswith(
        "duplicates=canonical: 7 of 33 articles left out as copies (")
    assert "on titles only" in duplicates.describe(subset(titles, duplicates="canonical").attrs["duplicates"])


def test_cache_reads_what_it_wrote_and_is_keyed_by_table_and_threshold(planted, tmp_path, found):
    first = duplicates.cached(planted, tmp_path)
    assert first.attrs["cache"] == "built"
    again = duplicates.cached(planted, tmp_path)
    assert again.attrs["cache"] == "read"
    pd.testing.assert_frame_equal(again, found)
    assert {k: again.attrs[k] for k in found.attrs} == found.attrs
    sha = provenance.table_hash(planted)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"duplicates-{sha[:16]}-t0.8.parquet"]
    assert duplicates.cached(planted, tmp_path, threshold=0.9).attrs["cache"] == "built"
    changed = planted.assign(title=planted["title"].str.upper())
    assert duplicates.cached(changed, tmp_path).attrs["cache"] == "built"
    assert len(list(tmp_path.iterdir())) == 3


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other-table", "no-canonical"])
def test_a_corrupt_cache_file_is_reported_and_rebuilt(planted, tmp_path, found, damage):
    path = duplicates.cached(planted, tmp_path).attrs["cache_file"]
    data = open(path, "rb").read()
    if damage == "truncated":
        open(path, "wb").write(data[: len(data) // 2])
    elif damage == "garbage":
        open(path, "wb").write(b"not a parquet file")
    elif damage == "other-table":  # a file of another table under this table's name
        other = planted.iloc[:10]
        cache._write(cache.cache_path(tmp_path, "0" * 64, 0.8), duplicates.clusters(other), "0" * 64, 0.8)
        (tmp_path / cache.cache_path(tmp_path, "0" * 64, 0.8).name).replace(path)
    else:
        broken = found.assign(canonical=False)
        cache._write(tmp_path / "x.parquet", broken, provenance.table_hash(planted), 0.8)
        (tmp_path / "x.parquet").replace(path)
    with pytest.warns(UserWarning, match="duplicate-cluster cache rebuilt"):
        rebuilt = duplicates.cached(planted, tmp_path)
    assert rebuilt.attrs["cache"] == "rebuilt"
    pd.testing.assert_frame_equal(rebuilt, found)
    assert duplicates.cached(planted, tmp_path).attrs["cache"] == "read"


def test_for_corpus_caches_beside_a_table_and_not_for_a_folder(planted, tmp_path):
    table = tmp_path / "build" / "corpus.parquet"
    assert duplicates.for_corpus(table, planted).attrs["cache"] == "built"
    assert [p.name for p in (tmp_path / "build" / "derived").iterdir()][0].startswith("duplicates-")
    assert duplicates.for_corpus(table, planted).attrs["cache"] == "read"
    assert duplicates.for_corpus(tmp_path / "articles", planted).attrs["cache"] == "memory"


def test_provenance_notes_reach_the_provenance_block():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    note = "duplicates=canonical: 9 of 33 articles left out as copies <b>"
    cell = new_code_cell("x", outputs=[new_output("display_data", data={"text/plain": note},
                                                  metadata={"newslens": {"provenance": {"Duplicates": note}}})])
    notes = provenance.notebook_notes(new_notebook(cells=[cell]))
    assert notes == {"Duplicates": note}
    block = provenance_html({"run_at": "now", "corpus": "c", "fingerprint": {"articles": 1, "outlets": 1,
                             "first": "", "last": "", "sha256": "0"}, "parameters": {}, "versions": {},
                             "commit": "x", "notes": notes})  # fmt: skip
    assert "<th>Duplicates</th><td><code>duplicates=canonical: 9 of 33 articles left out as copies &lt;b&gt;" in block


def test_validate_sample_and_its_commands_take_the_choice(tmp_path, capsys):
    import shlex

    from syndication_corpus import write_jsonl

    from newslens import load_corpus
    from newslens.cli import main
    from newslens.validation import commands

    source = write_jsonl(planted_corpus(), tmp_path / "corpus" / "planted.jsonl")
    table = tmp_path / "build" / "corpus.parquet"
    assert main(["ingest", str(source), "--out", str(table), "--report", str(tmp_path / "build" / "r.csv")]) == 0
    capsys.readouterr()
    text = commands(str(table), n=24, by=["outlet"], coders=["ana"], duplicates="canonical")
    sample_line = text.splitlines()[0]
    assert "--duplicates canonical" in sample_line and "-p duplicates canonical" in text
    assert "#     duplicates: canonical" in text
    args = shlex.split(sample_line)[1:]
    args[args.index("--out") + 1] = str(tmp_path / "sample.csv")
    assert main(args) == 0
    assert "9 copies left out (duplicates=canonical)" in capsys.readouterr().out
    drawn = pd.read_csv(tmp_path / "sample.csv", dtype=str)
    df = load_corpus(table)
    copies = df.loc[df["url"].str.contains("copy-of"), "id"]
    assert len(drawn) == 24 and not drawn["unit"].isin(copies).any()  # all 24 originals, none of the copies
    assert "duplicates" not in commands(str(table), n=24, by=["outlet"], coders=["ana"])
    with pytest.raises(ValueError, match="duplicates='twice' is not valid"):
        commands(str(table), duplicates="twice")
