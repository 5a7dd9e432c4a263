"""newslens.duplicates.clusters against a slow obvious reference, and its documented rules.

The reference works on Python sets of word tuples: every pair of articles is compared exactly,
components are found by breadth-first search, and the chaining check is applied as documented.
"""

from __future__ import annotations

import math
import unicodedata
from collections import deque

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newslens.duplicates import clusters, cue
from newslens.duplicates.minhash import candidate_pairs, detection_probability, signatures
from newslens.duplicates.shingles import line_shingles, words

# --- the reference -------------------------------------------------------------------------------


def _unspaced(ch: str) -> bool:
    return 0x4E00 <= ord(ch) <= 0x9FFF or 0x3040 <= ord(ch) <= 0x30FF


def ref_words(line: str) -> list[str]:
    out, current = [], []
    for ch in line.lower():
        if _unspaced(ch):
            out.extend(["".join(current)] if current else [])
            out.append(ch)
            current = []
        elif unicodedata.category(ch)[0] in "LNM":
            current.append(ch)
        else:
            out.extend(["".join(current)] if current else [])
            current = []
    out.extend(["".join(current)] if current else [])
    return out


def ref_lines(text) -> list[tuple[str, ...]]:
    text = text if isinstance(text, str) else ""
    return [tuple(w) for w in (ref_words(line) for line in text.split("\n")) if w]


def ref_shingles(lines, k: int) -> set[tuple[str, ...]]:
    return {line[i : i + k] for line in lines for i in range(len(line) - k + 1)}


def reference(df, *, threshold=0.8, k=5, least=20, share=0.02, min_articles=10):
    n = len(df)
    lines = [ref_lines(t) for t in df["text"]]
    raw = [ref_shingles(ls, k) for ls in lines]
    # boilerplate lines: per outlet, over distinct (outlet, title, lines) articles
    seen, counted = set(), []
    for i in range(n):
        key = (df["outlet"].iloc[i], df["title"].iloc[i], tuple(lines[i]))
        if key not in seen:
            seen.add(key)
            counted.append(i)
    flagged = set()
    for outlet in set(df["outlet"]):
        docs = [i for i in counted if df["outlet"].iloc[i] == outlet]
        freq: dict = {}
        for i in docs:
            for line in set(lines[i]):
                freq[line] = freq.get(line, 0) + 1
        needed = max(min_articles, math.ceil(share * len(docs)))
        flagged |= {line for line, c in freq.items() if c >= needed}
    sets = [ref_shingles([ln for ln in lines[i] if ln not in flagged], k) for i in range(n)]
    short = [len(raw[i]) < least for i in range(n)]
    eligible = [i for i in range(n) if not short[i] and len(sets[i]) >= least]

    def overlap(i, j):
        return len(sets[i] & sets[j]) >= threshold * min(len(sets[i]), len(sets[j])) - 1e-9

    edges = {i: set() for i in eligible}
    for x, i in enumerate(eligible):
        for j in eligible[x + 1 :]:
            if overlap(i, j):
                edges[i].add(j)
                edges[j].add(i)
    when = pd.to_datetime(df["published"])
    cues = [cue(t, r) for t, r in zip(df["text"], df["reprinted_from"])]
    ids = df["id"].tolist()

    def order(i):
        return (pd.isna(when.iloc[i]), when.iloc[i] if not pd.isna(when.iloc[i]) else 0, cues[i] is not None, ids[i])

    def parts(nodes):
        left, out = set(nodes), []
        while left:
            start = min(left)
            comp, queue = {start}, deque([start])
            while queue:
                for j in edges[queue.popleft()]:
                    if j in left and j not in comp:
                        comp.add(j)
                        queue.append(j)
            left -= comp
            out.append(comp)
        return out

    rows = []
    queue = [comp for comp in parts(eligible) if len(comp) >= 2]
    while queue:
        group = sorted(queue.pop(), key=order)
        c = group[0]
        kept = [i for i in group if len(sets[i] & sets[c]) >= threshold * len(sets[i]) - 1e-9]
        if len(kept) >= 2:
            for i in kept:
                common = len(sets[i] & sets[c])
                rows.append((ids[i], ids[c], i == c, common / len(sets[i] | sets[c]), common / len(sets[i]),
                             cues[i]))  # fmt: skip
        rest = [i for i in group if i not in kept]
        queue.extend(p for p in parts(rest) if len(p) >= 2)
    out = pd.DataFrame(rows, columns=["id", "cluster", "canonical", "similarity", "containment", "cue"])
    out = out.sort_values(["cluster", "canonical", "id"], ascending=[True, False, True]).reset_index(drop=True)
    skipped = (sum(short), sum(1 for i in range(n) if not short[i] and len(sets[i]) < least))
    return out, skipped


def assert_same(fast, slow):
    assert fast["id"].tolist() == slow["id"].tolist()
    assert fast["cluster"].tolist() == slow["cluster"].tolist()
    assert fast["canonical"].tolist() == slow["canonical"].tolist()
    assert fast["cue"].fillna("-").tolist() == slow["cue"].fillna("-").tolist()
    np.testing.assert_allclose(fast["similarity"].to_numpy(float), slow["similarity"].to_numpy(float), atol=1e-12)
    np.testing.assert_allclose(fast["containment"].to_numpy(float), slow["containment"].to_numpy(float), atol=1e-12)


# --- random corpora ------------------------------------------------------------------------------

VOCAB = [f"w{i}" for i in range(40)] + ["Москва", "заявила", "НАТО", "ракеты", "Ünïcode", "naïve", "don't"]
CJK = "中国外交部发言人说美国应该停止"
BOILER = "Subscribe to our newsletter for the top stories every morning."


def _line(draw, lo, hi, *, tag=None):
    """A line of random words; with `tag`, words carry it, so lines of different tags share none."""
    ws = draw(st.lists(st.sampled_from(VOCAB), min_size=lo, max_size=hi))
    if tag is not None:
        ws = [w + tag for w in ws]
    elif draw(st.booleans()) and ws:
        ws[draw(st.integers(0, len(ws) - 1))] = "".join(draw(st.lists(st.sampled_from(CJK), min_size=1, max_size=6)))
    sep = draw(st.sampled_from([" ", ", ", " - ", " “", "; "]))
    return sep.join(ws)


@st.composite
def corpora(draw, *, light: bool = False):
    stories = [[_line(draw, 30 if light else 3, 40 if light else 14, tag=f"s{j}" if light else None)
                for _ in range(draw(st.integers(1, 3)))]
               for j in range(draw(st.integers(1, 3)))]  # fmt: skip
    texts = []
    for _ in range(draw(st.integers(1, 10))):
        kind = draw(st.sampled_from(["copy", "copy", "copy", "other", "empty", "boiler"] if not light else
                                    ["copy", "copy", "other"]))  # fmt: skip
        if kind == "copy":
            paras = list(draw(st.sampled_from(stories)))
            if light:
                if draw(st.booleans()):  # the first word replaced: one shingle of 28 or more changed
                    paras[0] = "replaced " + paras[0].split(" ", 1)[1]
            else:
                if len(paras) > 1 and draw(st.booleans()):
                    paras = paras[1:] if draw(st.booleans()) else paras[:-1]
                if draw(st.booleans()):
                    paras[0] = draw(st.sampled_from(["(Reuters) - ", "(AP) — ", "MOSCOW (AFP) - "])) + paras[0]
                if draw(st.booleans()):
                    paras.append(BOILER)
            texts.append("\n".join(paras))
        elif kind == "other":
            texts.append(_line(draw, 20 if light else 0, 40 if light else 14, tag=f"o{len(texts)}" if light else None))
        elif kind == "empty":
            texts.append(draw(st.sampled_from(["", " ", "\n\n", None])))
        else:
            texts.append(BOILER)
    n = len(texts)
    days = draw(st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=n, max_size=n))
    return pd.DataFrame({
        "id": [f"{i:016x}" for i in draw(st.permutations(range(n)))],
        "title": draw(st.lists(st.sampled_from(["", "A title", "Another"]), min_size=n, max_size=n)),
        "text": texts,
        "outlet": draw(st.lists(st.sampled_from(["Daily", "Courier", "Wire"]), min_size=n, max_size=n)),
        "published": pd.to_datetime([None if d is None else f"2024-09-0{d + 1}" for d in days]),
        "reprinted_from": draw(st.lists(st.sampled_from([None, None, None, "https://wire.example/"]),
                                        min_size=n, max_size=n)),
    })  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(df=corpora(), k=st.sampled_from([1, 2, 3]), least=st.integers(1, 6), threshold=st.sampled_from([0.5, 0.8, 1.0]),
       min_articles=st.sampled_from([2, 3, 100]), share=st.sampled_from([0.0, 0.4]))  # fmt: skip
def test_exact_candidates_equal_the_reference(df, k, least, threshold, min_articles, share):
    fast = clusters(df, field="text", candidates="all", shingle_size=k, min_shingles=least, threshold=threshold,
                    boilerplate_min=min_articles, boilerplate_share=share)  # fmt: skip
    slow, (short, boiler) = reference(df, threshold=threshold, k=k, least=least, share=share,
                                      min_articles=min_articles)  # fmt: skip
    assert_same(fast, slow)
    assert (fast.attrs["skipped_short"], fast.attrs["skipped_boilerplate"]) == (short, boiler)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(df=corpora(light=True))
def test_lsh_equals_the_reference_when_copies_are_close(df):
    """Copies differ from their story in at most its first word and different stories share no word,
    so every verified pair has Jaccard >= 0.9 and LSH misses one with probability < 1e-15: the fast
    path must give exactly the reference's clusters."""
    fast = clusters(df, shingle_size=3, min_shingles=10)
    slow, _ = reference(df, k=3, least=10)
    assert_same(fast, slow)


# --- shingling ---------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aZ9 ,.-'\n\t_“”—é\u0301ЖжΩ中国かカ")), max_size=40), max_size=6))
def test_shingle_words_match_the_reference_tokenizer(texts):
    assert words(texts) == [[w for line in t.split("\n") for w in ref_words(line)] for t in texts]


def test_chinese_is_one_word_per_character_and_cyrillic_is_lower_cased():
    assert words(["中国外交部，说。", "МОСКВА заявила"]) == [list("中国外交部说"), ["москва", "заявила"]]


def test_line_shingles_do_not_cross_lines_and_sets_are_sorted():
    sets, raw = line_shingles(["a b c\nd e", "a b c d e"], k=2).sets()
    assert raw.tolist() == [3, 4]
    assert all((np.diff(sets.get(i).astype(np.int64)) > 0).all() for i in range(2))


# --- MinHash and LSH ---------------------------------------------------------------------------


def test_signature_agreement_estimates_jaccard():
    rng = np.random.default_rng(0)
    texts, expected = [], []
    for _ in range(60):
        shared = rng.integers(20, 200)
        only = rng.integers(0, 200, size=2)
        common = [f"c{rng.integers(1e9)}" for _ in range(shared)]
        a = common + [f"a{rng.integers(1e9)}" for _ in range(only[0])]
        b = common + [f"b{rng.integers(1e9)}" for _ in range(only[1])]
        texts += [" ".join(a), " ".join(b)]
        expected.append(shared / (shared + only.sum()))
    sets, _ = line_shingles(texts, k=1).sets()
    sig = signatures(sets, np.arange(len(texts)))
    agree = (sig[0::2] == sig[1::2]).mean(axis=1)
    errors = agree - np.array(expected)
    assert abs(errors.mean()) < 0.015  # unbiased
    assert np.abs(errors).max() < 0.2  # within ~4.5 standard errors of 128 bins


def test_identical_sets_get_identical_signatures_and_are_candidates():
    sets, _ = line_shingles(["x y z", "z y x", "x y z"], k=1).sets()
    sig = signatures(sets, [0, 1, 2])
    assert (sig[0] == sig[1]).all() and (sig[0] == sig[2]).all()
    assert candidate_pairs(sig, bands=32, rows=4).tolist() == [[0, 1], [0, 2], [1, 2]]


def test_detection_probability_matches_the_banding_formula():
    assert detection_probability(1.0, bands=32, rows=4) == 1.0
    assert detection_probability(0.0, bands=32, rows=4) == 0.0
    assert detection_probability(0.5, bands=32, rows=4) == pytest.approx(1 - (1 - 0.5**4) ** 32)


# --- documented rules --------------------------------------------------------------------------


def _story(tag: str, n: int = 60) -> str:
    return " ".join(f"{tag}{i}" for i in range(n))


def _frame(texts, outlets=None, days=None, ids=None, reprinted=None):
    n = len(texts)
    return pd.DataFrame({
        "id": ids or [f"{i:016x}" for i in range(n)], "title": [""] * n, "text": texts,
        "outlet": outlets or [f"Outlet {i}" for i in range(n)],
        "published": pd.to_datetime(days or ["2024-09-01"] * n), "reprinted_from": reprinted or [None] * n,
    })  # fmt: skip


def test_canonical_copy_is_earliest_then_without_cue_then_smallest_id():
    s = _story("s")
    df = _frame([s, s, "(Reuters) - " + s, s], days=["2024-09-03", "2024-09-02", "2024-09-02", None],
                ids=["a" * 16, "c" * 16, "b" * 16, "0" * 16])  # fmt: skip
    found = clusters(df)
    assert found.loc[found["canonical"], "id"].tolist() == ["c" * 16]
    assert set(found["cluster"]) == {"c" * 16}
    df2 = _frame([s, s, s], ids=["b" * 16, "a" * 16, "c" * 16], reprinted=["https://x.example/", None, None])
    assert clusters(df2).loc[lambda t: t["canonical"], "id"].tolist() == ["a" * 16]


def test_unrelated_stories_sharing_a_boilerplate_paragraph_are_not_chained():
    boiler = _story("legal", 40)
    a, b = _story("alpha"), _story("beta")
    bridge = boiler + " tiny addition"
    df = _frame([a + "\n" + boiler, a + "\n" + boiler, bridge, b + "\n" + boiler, b + "\n" + boiler],
                days=["2024-09-01", "2024-09-02", "2024-09-03", "2024-09-04", "2024-09-05"])  # fmt: skip
    found = clusters(df, candidates="all")
    assert found.attrs["boilerplate_lines"] == 0  # too rare to be recognised as boilerplate here
    # verified pairs (between distinct texts): story A - bridge, bridge - story B: one component
    assert found.attrs["verified_pairs"] == 2
    groups = found.groupby("cluster")["id"].apply(sorted).tolist()
    ids = df["id"].tolist()
    assert groups == [[ids[0], ids[1], ids[2]], [ids[3], ids[4]]]


def test_frequent_boilerplate_is_dropped_and_boilerplate_only_texts_are_skipped():
    notice = ("We use cookies to improve your experience on our website and to show you relevant "
              "advertising; by continuing to browse you agree to our privacy policy and terms of use.")
    texts = [_story(f"u{i}x") + "\n" + notice for i in range(30)] + [notice] * 12
    df = _frame(texts, outlets=["Daily"] * 42)
    df["title"] = [f"Title {i}" for i in range(42)]
    found = clusters(df)
    assert found.empty
    assert found.attrs["boilerplate_lines"] == 1
    assert (found.attrs["skipped_short"], found.attrs["skipped_boilerplate"]) == (0, 12)
    # without the filter the twelve notice-only pages are clustered (with one another, and with
    # whichever article LSH pairs them with, since the notice is contained in every article)
    unfiltered = clusters(df, boilerplate_min=10_000)
    assert set(df["id"][30:]) <= set(unfiltered["id"])


def test_title_only_corpus_clusters_titles():
    df = _frame(["", "", "", ""])
    df["title"] = ["Escaped Kentucky inmate captured in southern Indiana",
                   "Escaped Kentucky inmate captured in southern Indiana - WLKY",
                   "Senate race turns to attacks in Kentucky", "Short title"]  # fmt: skip
    found = clusters(df)
    assert found.attrs["field"] == "title" and found.attrs["shingle_size"] == 2
    assert sorted(found["id"]) == df["id"].tolist()[:2]
    assert found.attrs["skipped_short"] == 1  # "Short title": one 2-word shingle


def test_same_corpus_same_clusters_in_any_row_order():
    s1, s2 = _story("p"), _story("q")
    df = _frame([s1, s1.replace("p3 ", "x "), s2, s2 + " extra words here", _story("r")],
                days=["2024-09-01", "2024-09-02", "2024-09-01", "2024-09-03", "2024-09-01"])  # fmt: skip
    first = clusters(df)
    again = clusters(df)
    shuffled = clusters(df.sample(frac=1, random_state=3).reset_index(drop=True))
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, shuffled)
    assert first["cluster"].nunique() == 2


def test_bad_options_are_errors_naming_the_option():
    df = _frame([_story("a")])
    with pytest.raises(ValueError, match="field='body' is not valid; choose one of: auto, text, title"):
        clusters(df, field="body")
    with pytest.raises(ValueError, match="candidates='exact' is not valid"):
        clusters(df, candidates="exact")
    with pytest.raises(ValueError, match="threshold must be a number in"):
        clusters(df, threshold=0)
    with pytest.raises(ValueError, match="'id' must be unique"):
        clusters(_frame([_story("a"), _story("b")], ids=["a" * 16, "a" * 16]))
    with pytest.raises(ValueError, match="column 'text' must hold strings"):
        clusters(df.assign(text=[12]))


def test_cues():
    assert cue("WASHINGTON (AP) — The Senate voted") == "(AP)"
    assert cue("PARIS (AFP) - Le président") == "AFP"
    assert cue("Body text.\n\nReprinted from https://daily.example/") == "Reprinted from"
    assert cue("Body text.\n\nSource: Daily Courier") == "Source:"
    assert cue("Open source: a movement. " * 20) is None  # lower-case "source:" is prose
    assert cue("x" * 300 + " (Reuters) in the middle of a long article " + "y" * 300) is None
    assert cue(None) is None and cue("", "https://x.example/") == "Reprinted from"


class _Bar:
    """Records what a progress bar is told."""

    made: list = []

    def __init__(self, *, total, desc):
        self.total, self.desc, self.done, self.closed = total, desc, 0, False
        _Bar.made.append(self)

    def update(self, n):
        self.done += n

    def close(self):
        self.closed = True


def test_progress_bars_count_articles_then_pairs_and_close():
    _Bar.made = []
    s = _story("p")
    texts = [s, s.replace("p5 ", "x "), s + " more"] + [_story(f"o{i}x") for i in range(3000)]
    found = clusters(_frame(texts, outlets=["A"] * len(texts)), progress=_Bar)
    assert [(b.desc, b.total) for b in _Bar.made] == [("shingles", 3003), ("pairs", _Bar.made[1].total)]
    assert all(b.done == b.total and b.closed for b in _Bar.made)
    assert _Bar.made[1].total >= found.attrs["verified_pairs"] >= 2
