"""newslens.quotes on a slice of PolNeAR train (news attribution relations, brat standoff).

Needs the project's shared eval folder (``../shared/eval/polnear``, not redistributed); skipped
without it. The full figures come from ``bench/eval_quotes.py`` (``make eval``).
"""

from __future__ import annotations

import re

import pytest

from newslens.quotes import extract
from shared_data import EVAL, bench_module

DATA = EVAL / "polnear"
pytestmark = pytest.mark.skipif(
    not (DATA / "train").is_dir(), reason=f"PolNeAR not available at {DATA} (only in the project's shared eval folder)"
)


def test_annotation_spans_are_read_exactly():
    ev = bench_module("eval_quotes")
    folder = DATA / "train"
    checked = 0
    for path in sorted((folder / "attributions").glob("*.ann"))[:30]:
        text = (folder / "text" / f"{path.stem.rpartition('_')[0]}.txt").read_text(encoding="utf-8")
        gold = ev.read_ann(path, text)
        raw = path.read_text(encoding="utf-8")
        events = len(re.findall(r"^E\d+\t", raw, flags=re.M))
        assert 0 < len(gold.contents) <= events
        for line in raw.split("\n"):
            m = re.match(r"^T\d+\t\S+ (\d+) (\d+)\t(.*)$", line)
            if m:  # single-span surfaces are the text between their offsets
                assert text[int(m[1]) : int(m[2])] == m[3]
                checked += 1
    assert checked > 500


def test_quoted_content_on_a_train_slice_stays_above_the_floor():
    ev = bench_module("eval_quotes")
    articles, golds = ev.load_split(DATA, "train")
    articles = articles.iloc[:60]
    golds = [g for g in golds if g.article in set(articles["id"])]
    result = ev.evaluate(extract(articles), golds, min_overlap=0.3)
    assert result["quoted"]["gold"] > 300
    assert result["quoted"]["f1"] >= 0.80
    assert result["quoted"]["speaker_accuracy"] >= 0.80
