"""The benchmark corpus generator's syndicated copies, and clusters on a real Media Cloud export."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest

from newslens.duplicates import clusters

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
EXPORT = SHARED / "newsdb" / "mediacloud" / "mediacloud_explorer_export_2020.csv"


def _synth():
    spec = importlib.util.spec_from_file_location("synth", REPO / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_syndicated_frame_keeps_synthetic_frame_and_edits_copies_like_syndication():
    synth = _synth()
    df = synth.syndicated_frame(300, copies=0.1, seed=2)
    base = synth.synthetic_frame(270, seed=2)
    pd.testing.assert_frame_equal(df.iloc[:270][base.columns].reset_index(drop=True), base)
    assert df["id"].is_unique and int(df["edited"].sum()) == 30
    originals = df.loc[~df["edited"] & df["reprinted_from"].isna()].set_index("story")
    for _, copy in df.loc[df["edited"]].iterrows():
        source = originals.loc[copy["story"]]
        assert copy["outlet"] != source["outlet"]
        assert 0 <= (copy["published"] - source["published"]).days <= 3
        paragraphs = copy["text"].split("\n\n")
        assert paragraphs[-1] == f"Subscribe to the {copy['outlet']} newsletter for the day's most important stories."
        prefix = re.match(r"^(?:[A-Z]+ )?\((?:Reuters|AP|AFP)\) [-\u2014] ", paragraphs[0])
        assert prefix
        body = [paragraphs[0][prefix.end():], *paragraphs[1:-1]]
        whole = source["text"].split("\n\n")
        options = [whole] if len(whole) < 3 else [whole[1:], whole[:-1]]  # lede or tail trimmed
        kept = max(options, key=lambda paras: _same_words(body, paras))
        assert [len(p.split(" ")) for p in body] == [len(q.split(" ")) for q in kept]
        total = sum(len(q.split(" ")) for q in kept)
        assert 1 - _same_words(body, kept) / total < 0.08  # ~2% of words replaced


def _same_words(body: list[str], paragraphs: list[str]) -> int:
    if len(body) != len(paragraphs):
        return -1
    return sum(a == b for p, q in zip(body, paragraphs) for a, b in zip(p.split(" "), q.split(" ")))


@pytest.mark.skipif(not EXPORT.is_file(), reason="../shared/newsdb (real Media Cloud export) is not available")
def test_media_cloud_titles_with_the_same_words_are_clustered():
    raw = pd.read_csv(EXPORT, dtype=str, keep_default_na=False)
    df = pd.DataFrame({"id": raw["stories_id"], "title": raw["title"], "text": "", "outlet": raw["media_name"],
                       "published": pd.to_datetime(raw["publish_date"], format="ISO8601")})  # fmt: skip
    found = clusters(df)
    assert found.attrs["field"] == "title" and found.attrs["articles"] == 367
    cluster_of = dict(zip(found["id"], found["cluster"]))
    # independent expectation: rows whose titles have the same words (case and punctuation aside)
    # and at least five words are one story
    key = raw["title"].map(lambda t: " ".join(re.findall(r"\w+", t.casefold())))
    groups = raw.assign(key=key).groupby("key")["stories_id"].apply(list)
    for title, ids in groups.items():
        if len(ids) > 1 and len(title.split()) >= 5:
            assert len({cluster_of.get(i) for i in ids}) == 1 and cluster_of.get(ids[0]) is not None, title
    assert found.equals(clusters(df, candidates="all"))  # LSH finds what checking every pair finds
