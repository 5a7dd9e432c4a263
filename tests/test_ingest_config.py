"""corpus.yml parsing and per-file settings (newslens.config)."""

from __future__ import annotations

import pytest

from newslens.config import CorpusConfig, FileSettings, url_host


def test_no_file_gives_defaults(tmp_path):
    assert CorpusConfig.load(tmp_path) == CorpusConfig()
    assert CorpusConfig.load(tmp_path).settings_for("a.txt") == FileSettings()


def test_fixture_config_first_matching_glob_wins(ingest_fixtures):
    cfg = CorpusConfig.load(ingest_fixtures / "mixed")
    ledger = cfg.settings_for("exports/ledger.csv")
    assert ledger.format == "csv" and ledger.outlet == "Baltic Ledger" and ledger.dayfirst
    assert dict(ledger.columns) == {"url": "link", "title": "headline", "published": "date", "text": "body"}
    assert ledger.date_formats == ("%d.%m.%Y",)
    other = cfg.settings_for("exports/data.tsv")
    assert other.outlet is None and other.columns == () and not other.dayfirst


def test_globs_are_relative_and_double_star_spans_folders():
    cfg = CorpusConfig.from_mapping({"files": [{"glob": "a/*.csv", "outlet": "One"},
                                               {"glob": "**/*.csv", "outlet": "Two"}]})  # fmt: skip
    assert cfg.settings_for("a/x.csv").outlet == "One"
    assert cfg.settings_for("a/b/x.csv").outlet == "Two"  # * does not cross "/"
    assert cfg.settings_for("x.csv").outlet == "Two"
    assert cfg.settings_for("x.txt").outlet is None


def test_outlet_aliases_case_insensitive_and_urls_reduced_to_host():
    cfg = CorpusConfig.from_mapping({"outlet_aliases": {"news.am": ["News.am", "https://news.am/"]}})
    canon = cfg.settings_for("a.txt").canonical_outlet
    assert canon("NEWS.AM") == "news.am"
    assert canon("https://www.news.am/eng/news/1") == "news.am"
    assert canon("  Times   Tengri ") == "Times Tengri"  # unknown names only get whitespace tidied
    assert canon("https://unknown.example/x") == "unknown.example"


def test_settings_digest_changes_with_settings():
    cfg = CorpusConfig.from_mapping({"files": [{"glob": "*.csv", "outlet": "A"}]})
    assert cfg.settings_for("a.csv").digest() != cfg.settings_for("a.txt").digest()
    assert cfg.settings_for("a.csv").digest() == cfg.settings_for("b.csv").digest()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"outlets": {}}, "unknown key(s) outlets"),
        ({"files": [{"format": "csv"}]}, "'glob' is required"),
        ({"files": [{"glob": "*.x", "format": "xlsx"}]}, "choose one of: txt, jsonl, json, csv, tsv, html"),
        ({"files": [{"glob": "*.csv", "columns": {"body": "text"}}]}, "columns key='body' is not valid"),
        ({"dates": {"formats": "%d"}}, "formats must be a list"),
    ],
)
def test_bad_config_rejected_with_clear_message(data, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        CorpusConfig.from_mapping(data)


def test_invalid_yaml_names_the_file(tmp_path):
    (tmp_path / "corpus.yml").write_text("files: [\n")
    with pytest.raises(ValueError, match="corpus.yml: not valid YAML"):
        CorpusConfig.load(tmp_path)


def test_url_host():
    assert url_host("www.Example.org/x") == "example.org"
    assert url_host("Example news") is None
