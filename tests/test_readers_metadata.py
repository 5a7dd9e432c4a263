"""Media Cloud CSV and GDELT GKG 2.1 readers (newslens.readers.mediacloud, newslens.readers.gdelt)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from newslens.config import FileSettings
from newslens.readers import gdelt, mediacloud
from shared_data import newsdb

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
SETTINGS = FileSettings()


def test_search_export_title_only_flagged_once_per_file():
    result = mediacloud.read_csv(FIXTURES / "mediacloud_search.csv", SETTINGS)
    first, second = result.articles
    assert (first.source_id, first.outlet, first.published, first.title, first.url) == (
        "aa01", "ledger.example", "2024-09-17", "Allies weigh long-range strikes", "https://ledger.example/a")
    assert first.extra == {"indexed_date": "2024-09-18 10:00:00+00:00", "language": "en",
                           "media_url": "ledger.example", "text_status": "title-only"}  # fmt: skip
    assert second.title == "Streit, über Raketen" and second.text == ""
    problems = sorted((p.record or 0, p.code) for p in result.problems)
    assert problems == [(0, "title-only"), (3, "empty-record")]
    assert "2 of 2 articles have a title but no text" in result.problems[-1].message


def test_explorer_export_with_text_column():
    result = mediacloud.read_csv(FIXTURES / "mediacloud_explorer.csv", SETTINGS)
    with_text, title_only = result.articles
    assert with_text.text == "First paragraph.\n\nSecond paragraph." and "text_status" not in with_text.extra
    assert (with_text.source_id, with_text.outlet) == ("1739289919", "CNN U.S. Edition")
    assert with_text.extra["media_id"] == "20088" and with_text.extra["ap_syndicated"] == "False"
    assert title_only.extra["text_status"] == "title-only"
    assert [p.message for p in result.problems] == [
        "1 of 2 articles have a title but no text (the export has no text column): analyses that need a "
        "body skip them"]


def test_gkg_rows_metadata_only_with_structured_extra():
    result = gdelt.read_gkg(FIXTURES / "gkg_sample.csv", SETTINGS)
    first, second = result.articles
    assert (first.source_id, first.outlet, first.published, first.url) == (
        "20241001120000-0", "ledger.example", dt.date(2024, 10, 1), "https://ledger.example/x")
    assert (first.title, first.author, first.text) == ("Strikes & red lines", "Jane Doe", "")
    assert first.extra["tone"] == {"tone": -3.5, "positive": 1.25, "negative": 4.75, "polarity": 6.0,
                                   "activity_density": 20.5, "self_group_density": 1.5, "word_count": 412.0}
    assert first.extra["themes"] == ["ARMEDCONFLICT", "KILL"]  # repeated theme once, in order
    assert first.extra["locations"][1] == {"type": "4", "name": "Kyiv, Kyyiv, Misto, Ukraine", "country": "UP",
                                           "adm1": "UP12", "latitude": 50.4333, "longitude": 30.5167,
                                           "feature_id": "-1044367"}  # fmt: skip
    assert first.extra["persons"] == ["volodymyr zelensky"] and first.extra["organizations"] == ["nato"]
    assert second.title == "" and second.extra["text_status"] == "metadata-only"
    assert sorted((p.record or 0, p.code) for p in result.problems) == [(0, "metadata-only"), (3, "ragged-row")]
    assert "2 GKG records are metadata only (no text; 1 without a page title)" in result.problems[-1].message


def test_real_media_cloud_exports():
    search = mediacloud.read_csv(newsdb("mediacloud/mediacloud_search_export_2026.csv"), SETTINGS)
    assert len(search.articles) == 2093 and all(len(a.source_id) == 64 for a in search.articles)
    assert [p.code for p in search.problems] == ["title-only"]
    explorer = mediacloud.read_csv(newsdb("mediacloud/mediacloud_explorer_export_2020.csv"), SETTINGS)
    assert len(explorer.articles) == 367 and explorer.articles[0].source_id == "1732196477"
    assert all(a.extra["text_status"] == "title-only" for a in explorer.articles)


def test_real_gkg_sample():
    result = gdelt.read_gkg(newsdb("gdelt/20230702153000.gkg.sample8.tsv"), SETTINGS)
    assert len(result.articles) == 8 and all(a.title and a.outlet and a.url for a in result.articles)
    assert result.articles[0].title == "Hunt for suspects after shooting at street party leaves two dead"
    assert result.articles[0].extra["tone"]["word_count"] == 613.0
    assert "&#x2013;" not in result.articles[5].title and "\u2013" in result.articles[5].title
