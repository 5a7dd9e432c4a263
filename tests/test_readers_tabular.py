"""JSON Lines, JSON, CSV and TSV readers (newslens.readers.tabular)."""

from __future__ import annotations

import json

from newslens.config import FileSettings
from newslens.readers.tabular import read_csv, read_json, read_jsonl, read_tsv, resolve_fields

PLAIN = FileSettings()


def codes(result):
    return [(p.record, p.severity, p.code) for p in result.problems]


def test_default_field_names_case_insensitive():
    header = ["Headline", "BODY", "Media_Name", "publish_date", "Link", "byline", "votes"]
    assert resolve_fields(header, ()) == {
        "title": "Headline", "text": "BODY", "outlet": "Media_Name", "published": "publish_date",
        "url": "Link", "author": "byline",
    }  # fmt: skip


def test_explicit_mapping_wins_and_frees_default_names():
    fields = resolve_fields(["title", "summary", "text"], (("text", "summary"),))
    assert fields == {"title": "title", "text": "summary"}  # "text" is left for extra


def test_jsonl_broken_line_among_good_ones(tmp_path):
    path = tmp_path / "a.jsonl"
    good = {"title": "A", "text": "Body a.", "outlet": "X"}
    path.write_text(json.dumps(good) + "\n{broken\n\n" + json.dumps(dict(good, title="B")) + "\n")
    result = read_jsonl(path, PLAIN)
    assert [(a.record, a.title) for a in result.articles] == [(1, "A"), (4, "B")]
    assert codes(result) == [(2, "error", "invalid-json")]


def test_jsonl_extra_fields_kept_and_text_paragraphs(tmp_path):
    path = tmp_path / "a.jsonl"
    record = {"title": "A", "body": "One.\n\n  Two  \n", "tags": ["x"], "score": 3, "empty": ""}
    path.write_text(json.dumps(record) + "\n")
    (art,) = read_jsonl(path, PLAIN).articles
    assert art.text == "One.\n\nTwo"
    assert art.extra == {"tags": ["x"], "score": 3}


def test_jsonl_non_object_and_empty_records(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('[1, 2]\n{"title": "", "text": " "}\n{"title": "Only title"}\n')
    result = read_jsonl(path, PLAIN)
    assert [a.record for a in result.articles] == [3]
    assert codes(result) == [(1, "error", "not-an-object"), (2, "error", "empty-record"),
                             (3, "warning", "no-text")]  # fmt: skip


def test_json_list_wrapper_and_single_object(tmp_path):
    for doc, n in (([{"text": "a"}, {"text": "b"}], 2), ({"articles": [{"text": "a"}]}, 1), ({"text": "a"}, 1)):
        path = tmp_path / "a.json"
        path.write_text(json.dumps(doc))
        assert len(read_json(path, PLAIN).articles) == n


def test_json_invalid_and_wrong_shape(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"articles": [')
    assert codes(read_json(path, PLAIN)) == [(None, "error", "invalid-json")]
    path.write_text("42")
    assert codes(read_json(path, PLAIN)) == [(None, "error", "unsupported-json")]


def test_csv_with_mapping_multiline_cells_and_extra(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('link,headline,date,body,section\nhttp://x/1,Head one,17.09.2024,"Line one.\n\nLine two.",World\n'
                    "http://x/2,Head two,05.10.2024,Body two.,\n")  # fmt: skip
    mapping = FileSettings(columns=(("published", "date"), ("text", "body"), ("title", "headline"), ("url", "link")))
    result = read_csv(path, mapping)
    assert [(a.record, a.title, a.url, a.published) for a in result.articles] == [
        (1, "Head one", "http://x/1", "17.09.2024"), (2, "Head two", "http://x/2", "05.10.2024")]  # fmt: skip
    assert result.articles[0].text == "Line one.\n\nLine two."
    assert result.articles[0].extra == {"section": "World"} and result.articles[1].extra == {}
    assert result.problems == []


def test_csv_missing_text_column_is_one_file_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,outlet\nA,X\nB,Y\n")
    result = read_csv(path, PLAIN)
    assert result.articles == []
    assert codes(result) == [(None, "error", "missing-column")]
    assert "header is: title, outlet" in result.problems[0].message


def test_csv_mapping_to_absent_column_is_named(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,body\nA,B\n")
    result = read_csv(path, FileSettings(columns=(("text", "article_text"),)))
    assert codes(result) == [(None, "error", "missing-column")]
    assert "'article_text' is not a column" in result.problems[0].message


def test_tsv_ragged_row(tmp_path):
    path = tmp_path / "a.tsv"
    path.write_text("title\ttext\toutlet\nA\tBody a.\tX\nB\tBody b.\n\nC\tBody c.\tX\textra cell\n")
    result = read_tsv(path, PLAIN)
    assert [(a.record, a.title) for a in result.articles] == [(1, "A"), (2, "B"), (3, "C")]
    assert result.articles[2].extra == {"_extra_cells": ["extra cell"]}
    assert codes(result) == [(2, "warning", "ragged-row"), (3, "warning", "ragged-row")]


def test_csv_cp1252_lines_decoded_with_warning(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("title,text\nCafé,ok\n".encode("cp1252") + "Naïve,fine\n".encode("utf-8"))
    result = read_csv(path, PLAIN)
    assert [a.title for a in result.articles] == ["Café", "Naïve"]
    assert codes(result) == [(None, "warning", "encoding-fallback")]


def test_csv_utf16_with_bom(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("title,text\nКиев,текст\n".encode("utf-16"))
    result = read_csv(path, PLAIN)
    assert [(a.title, a.text) for a in result.articles] == [("Киев", "текст")]
    assert codes(result) == [(None, "warning", "non-utf8-encoding")]


def test_csv_long_field_beyond_default_csv_limit(tmp_path):
    path = tmp_path / "a.csv"
    body = "word " * 60_000  # 300 kB, above the csv module's default 128 kB field limit
    path.write_text(f'title,text\nLong,"{body}"\n')
    (art,) = read_csv(path, PLAIN).articles
    assert len(art.text) == len(body.strip())
