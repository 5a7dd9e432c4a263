"""newslens.quotes on a slice of PolNeAR train (news attribution relations, brat standoff).

Needs the project's shared eval folder (``../shared/eval/polnear``, not redistributed); skipped
without it. The full figures come from ``bench/eval_quotes.py`` (``make eval``).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from newslens.quotes import extract

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "eval" / "polnear"
pytestmark = pytest.mark.skipif(
    not (DATA / "train").is_dir(), reason=f"PolNeAR not available at {DATA} (only in the project's shared eval folder)"
)


def _eval_module():
    if "eval_quotes" not in sys.modules:
        spec = importlib.util.spec_from_file_location("eval_quotes", ROOT / "bench" / "eval_quotes.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["eval_quotes"] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules["eval_quotes"]


def test_annotation_spans_are_read_exactly():
    ev = _eval_module()
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
    ev = _eval_module()
    articles, golds = ev.load_split(DATA, "train")
    articles = articles.iloc[:60]
    golds = [g for g in golds if g.article in set(articles["id"])]
    result = ev.evaluate(extract(articles), golds, min_overlap=0.3)
    assert result["quoted"]["gold"] > 300
    assert result["quoted"]["f1"] >= 0.80
    assert result["quoted"]["speaker_accuracy"] >= 0.80
