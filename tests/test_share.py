"""newslens.share: cutting text to N words, shrinking KWIC windows, tables under a policy, the
scanner (HTML, CSV, notebook JSON, PNG text chunks) and `newslens share scan`."""

from __future__ import annotations

import json
import struct
import zlib

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from newslens import cli
from newslens.report import Outputs
from newslens.share import Policy, cut, html_text, png_text, scan, words

ARTICLE = ("Quartermaster Velloran told reporters on Tuesday that the cobalt barges had crossed no red line "
           "and that the harbour pilots of Ostrava would testify to every single mooring.")
# words: 1 quartermaster 2 velloran 3 told 4 reporters 5 on 6 tuesday 7 that 8 the 9 cobalt 10 barges
# 11 had 12 crossed 13 no 14 red 15 line 16 and 17 that 18 the 19 harbour 20 pilots 21 of 22 ostrava
# 23 would 24 testify 25 to 26 every 27 single 28 mooring
CORPUS = pd.DataFrame({"id": ["a1", "b2"], "title": ["Harbour pilots of Ostrava", ""],
                       "text": [ARTICLE, "An unrelated article about weather in the hills and the rain."]})


def test_words_split_like_the_scanner():
    assert words("Kyiv's long-range U.S. strikes, 2024") == ["kyiv", "s", "long", "range", "u", "s", "strikes", "2024"]
    assert words("") == []


@pytest.mark.parametrize(
    ("text", "n", "keep", "expected"),
    [
        ("one two three four five", 3, "start", "one two three…"),
        ("one two three four five", 3, "end", "…three four five"),
        ("one two three", 3, "start", "one two three"),  # short enough: unchanged
        ("Kyiv's long-range strikes", 3, "start", "Kyiv's long…"),  # four words by the policy's count
        ("one two", 0, "start", "…"),
    ],
)
def test_cut(text, n, keep, expected):
    assert cut(text, n, keep=keep) == expected
    assert len(words(cut(text, n, keep=keep))) == min(n, len(words(text)))


def test_full_policy_changes_nothing():
    full = Policy()
    df = pd.DataFrame({"title": [ARTICLE], "sentence": [ARTICLE], "left": ["a b c"], "match": ["x"], "right": ["d"]})
    assert full.table(df) is df
    assert full.cut(ARTICLE) == ARTICLE
    assert full.kwic("a b c", "x", "d") == ("a b c", "x", "d")
    assert full.note() == ""


@pytest.mark.parametrize(
    ("left", "match", "right", "n", "expected"),
    [
        # budget 5 - 1 = 4 words: two before, two after
        ("w1 w2 w3 w4", "hit", "w5 w6 w7 w8", 5, ("w3 w4", "hit", "w5 w6")),
        # an odd budget gives the extra word to the right
        ("w1 w2 w3 w4", "red line", "w5 w6 w7 w8", 5, ("w4", "red line", "w5 w6")),
        # a side with too few words leaves its share to the other
        ("w1", "hit", "w5 w6 w7 w8", 5, ("w1", "hit", "w5 w6 w7")),
        ("w1 w2 w3 w4", "hit", "", 5, ("w1 w2 w3 w4", "hit", "")),
        # a match longer than the limit is itself cut
        ("w1", "a b c d e f", "w2", 4, ("", "a b c d…", "")),
    ],
)
def test_kwic_windows_shrink_to_fit(left, match, right, n, expected):
    got = Policy("derived", n).kwic(left, match, right)
    assert got == expected
    assert sum(len(words(part)) for part in got) <= n


def test_derived_table_cuts_titles_drops_sentences_keeps_counts_and_ids():
    df = pd.DataFrame({
        "id": ["a1"], "outlet": ["Eastern Courier"], "hits": [3], "terms": ["cost; budget"],
        "title": [ARTICLE], "sentence": [ARTICLE], "excerpt": [ARTICLE],
        "left": ["the cobalt barges had crossed no"], "match": ["red line"], "right": ["and that the harbour pilots"],
    })
    shown = Policy("derived", 6).table(df)
    assert list(shown.columns) == ["id", "outlet", "hits", "terms", "title", "excerpt", "left", "match", "right"]
    assert shown.loc[0, "title"] == "Quartermaster Velloran told reporters on Tuesday…"
    assert shown.loc[0, "excerpt"] == shown.loc[0, "title"]
    assert shown.loc[0, ["left", "match", "right"]].tolist() == ["crossed no", "red line", "and that"]
    assert shown.loc[0, ["id", "outlet", "hits", "terms"]].tolist() == ["a1", "Eastern Courier", 3, "cost; budget"]
    assert shown.attrs["share"] == ["context windows cut to 6 words", "sentence left out",
                                    "title cut to 6 words", "excerpt cut to 6 words"]
    assert "sentence" in df.columns  # the input is not changed


def test_policy_from_environment_and_bad_values():
    assert Policy.from_env({}) == Policy("full", 12)
    assert Policy.from_env(Policy("derived", 7).env()) == Policy("derived", 7)
    with pytest.raises(ValueError, match="share mode='partial' is not valid"):
        Policy("partial")
    with pytest.raises(ValueError, match=">= 1"):
        Policy("derived", 0)
    with pytest.raises(ValueError, match="NEWSLENS_SHARE_WORDS='many'"):
        Policy.from_env({"NEWSLENS_SHARE": "derived", "NEWSLENS_SHARE_WORDS": "many"})


def test_outputs_apply_the_policy_to_tables_and_figure_data(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = pd.DataFrame({"id": ["a1"], "title": [ARTICLE], "n": [1]})
    out = Outputs(tmp_path, "00-x", share=Policy("derived", 3))
    out.table(df, "titles", show=False)
    fig, _ = plt.subplots()
    out.figure(fig, df, "plot", show=False)
    expected = "id,title,n\na1,Quartermaster Velloran told…,1\n"
    assert (tmp_path / "tables/00-x/titles.csv").read_text() == expected
    assert (tmp_path / "figures/00-x/plot.csv").read_text() == expected
    full = Outputs(tmp_path / "full", "00-x")
    full.table(df, "titles", show=False)
    assert ARTICLE in (tmp_path / "full/tables/00-x/titles.csv").read_text()


# --- the scanner --------------------------------------------------------------------------------------


def test_html_text_decodes_entities_and_keeps_lines():
    assert html_text("<p>pilots&#x27; quay</p>\n<td\nclass='x'>b&amp;c</td>") == " pilots' quay \n \nb&c "
    assert "AAAA" not in html_text('<img src="data:image/png;base64,AAAA//==">')


def _png_with_text(key: str, value: str) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    itxt = chunk(b"iTXt", key.encode() + b"\0\x01\0\0\0" + zlib.compress(value.encode()))
    return b"\x89PNG\r\n\x1a\n" + header + itxt + chunk(b"IEND", b"")


def test_png_text_chunks():
    assert png_text(_png_with_text("Title", "cobalt barges")) == "Title: cobalt barges"


def test_scan_finds_the_exact_longest_run_per_file_type(tmp_path):
    # HTML: the run continues across table cells and through an entity (words 6-15: 10 words)
    (tmp_path / "page.html").write_text(
        "<html><body><p>intro</p>\n<table><tr><td>Tuesday that the</td><td>cobalt barges</td>"
        "<td>had crossed no red&#32;line</td><td>x</td></tr></table></body></html>")
    # CSV: words 19-28 (10 words) after an id; the next row's words are not contiguous with them
    (tmp_path / "t.csv").write_text("id,text\na1,harbour pilots of Ostrava would testify to every single mooring\n"
                                    "a1,quartermaster velloran told\n")
    # notebook: a markdown cell and a stream output; a run split over two lines of one output counts
    nb = new_notebook(cells=[new_markdown_cell("Nothing here."),
                             new_code_cell("x = 1", outputs=[new_output("stream", name="stdout",
                                                                        text="Velloran told reporters\non Tuesday\n")])])
    (tmp_path / "n.ipynb").write_text(nbformat.writes(nb))
    (tmp_path / "f.png").write_bytes(_png_with_text("Title", "the cobalt barges had crossed"))
    (tmp_path / "blob.bin").write_bytes(b"\0\1\2the cobalt barges had crossed no red line")
    (tmp_path / "clean.csv").write_text("term,count\nred,3\nline,2\n")
    result = scan(CORPUS, tmp_path, min_words=3)
    by_file = {r.file: r for r in result.runs}
    assert by_file["page.html"].words == 10
    assert (by_file["page.html"].line, by_file["page.html"].article, by_file["page.html"].article_word) == (2, "a1", 6)
    assert by_file["page.html"].text == "tuesday that the cobalt barges had crossed no red line"
    assert (by_file["t.csv"].words, by_file["t.csv"].line, by_file["t.csv"].word) == (10, 2, 4)
    assert by_file["n.ipynb"].words == 5 and by_file["n.ipynb"].where.startswith("cells[1].outputs[0]")
    assert by_file["f.png"].words == 5
    assert by_file["clean.csv"].words == 0
    assert result.skipped == ["blob.bin"]
    assert result.longest.file == "page.html"  # ties go to the first file name


def test_scan_title_and_text_are_separate_passages(tmp_path):
    # the title's last words followed by the text's first words are not one run
    (tmp_path / "x.csv").write_text("pilots of Ostrava quartermaster velloran told reporters\n")
    runs = {r.file: r for r in scan(CORPUS, tmp_path, min_words=2).runs}
    assert (runs["x.csv"].words, runs["x.csv"].part) == (4, "text")


def test_scan_does_not_join_two_places_of_the_article(tmp_path):
    # "that the" occurs twice in the article (words 7-8 and 17-18); the file joins the text before
    # the first with the text after the second: two runs of 4 words, not one of 6
    (tmp_path / "x.csv").write_text("on tuesday that the harbour pilots\n")
    assert scan(CORPUS, tmp_path, min_words=2).longest.words == 4


def test_share_scan_command(tmp_path, capsys):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"title": "Harbour pilots", "text": ARTICLE, "outlet": "X",
                                  "published": "2024-09-01"}) + "\n")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.csv").write_text("left,match,right\nthe cobalt barges had crossed no,red line,and that the\n")
    assert cli.main(["share", "scan", str(corpus), str(reports), "--max-words", "12"]) == 0
    printed = capsys.readouterr().out
    assert "longest run: 11 words in a.csv line 2 word 4, from article" in printed
    assert "'the cobalt barges had crossed no red line and that the'" in printed
    assert cli.main(["share", "scan", str(corpus), str(reports), "--max-words", "10"]) == 1
    assert "FAILED: a run of 11 words is longer than 10" in capsys.readouterr().err
    assert cli.main(["share", "scan", str(corpus), str(tmp_path / "missing")]) == 2
