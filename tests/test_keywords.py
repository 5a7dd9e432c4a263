"""Document-term matrices, grouping, top terms, keyness for many groups, collocations, trends."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from scipy import sparse

from newslens import keywords
from newslens.keywords import DTM, build_dtm, collocations, group, keyness, keyness_stats, log_odds, term_frequency, top_terms
from newslens.text import STOPWORDS, tokens


def corpus(rows: list[tuple[str, str, str]], dates: list[str] | None = None) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["outlet", "title", "text"])
    df.insert(0, "id", [f"{i:016x}" for i in range(len(df))])
    df["published"] = pd.to_datetime(dates or ["2024-09-02"] * len(df))
    return df


def test_dtm_counts_by_hand():
    df = corpus([("A", "Red line", "The red line and the red flag."), ("B", "", "A flag, a line.")])
    dtm = build_dtm(df)
    assert list(dtm.terms) == ["flag", "line", "red"]
    assert dtm.matrix.toarray().tolist() == [[1, 2, 3], [1, 1, 0]]
    assert list(dtm.docs) == list(df.id)
    assert sparse.issparse(dtm.matrix)


def test_bigrams_do_not_bridge_stopwords_or_title_and_body():
    df = corpus([("A", "Kyiv warns", "Strikes on Russia escalate the war")])
    terms = set(build_dtm(df, ngram_range=(2, 2)).terms)
    # "strikes on russia" would give "strikes russia" if stopwords were removed first.
    assert terms == {"kyiv warns", "russia escalate"}
    all_terms = set(build_dtm(df, ngram_range=(1, 2), stopwords=False).terms)
    assert {"on russia", "the war", "strikes on", "warns"} <= all_terms
    assert "warns strikes" not in all_terms


def test_min_df_and_custom_stopwords():
    df = corpus([("A", "", "missile strike"), ("A", "", "missile talks"), ("B", "", "talks")])
    assert list(build_dtm(df, min_df=2).terms) == ["missile", "talks"]
    assert list(build_dtm(df, stopwords={"missile"}).terms) == ["strike", "talks"]


def test_group_equals_dense_groupby():
    rng = np.random.default_rng(3)
    dense = rng.poisson(0.7, size=(40, 12))
    labels = rng.choice(["x", "y", "z"], size=40)
    dtm = DTM(sparse.csr_matrix(dense), np.array([f"t{i}" for i in range(12)], dtype=object), np.arange(40))
    grouped = group(dtm, labels)
    expected = pd.DataFrame(dense).groupby(labels).sum()
    assert list(grouped.docs) == list(expected.index)
    assert np.array_equal(grouped.matrix.toarray(), expected.to_numpy())


def test_group_rejects_missing_labels():
    dtm = DTM(sparse.csr_matrix(np.eye(3, dtype=np.int64)), np.array(["a", "b", "c"]), np.arange(3))
    with pytest.raises(ValueError, match="no label"):
        group(dtm, ["x", None, "y"])
    with pytest.raises(ValueError, match="labels for"):
        group(dtm, ["x", "y"])


def test_top_terms_count_and_tfidf():
    dense = np.array([[5, 1, 2], [0, 4, 2]])
    dtm = DTM(sparse.csr_matrix(dense), np.array(["war", "talks", "nato"], dtype=object), np.array(["d1", "d2"]))
    counts = top_terms(dtm, ["A", "B"], top_n=2)
    assert counts[["group", "term", "count"]].values.tolist() == [["A", "war", 5], ["A", "nato", 2], ["B", "talks", 4], ["B", "nato", 2]]
    tfidf = top_terms(dtm, ["A", "B"], measure="tfidf", top_n=3).set_index(["group", "term"])
    # tf = 5/8, idf = ln(2/1); "nato" is used by both groups, so idf = ln(2/2) = 0.
    assert tfidf.loc[("A", "war"), "tfidf"] == pytest.approx(5 / 8 * np.log(2))
    assert tfidf.loc[("A", "nato"), "tfidf"] == 0
    assert tfidf.loc[("A", "war"), "per_10k"] == pytest.approx(5 / 8 * 10_000)
    with pytest.raises(ValueError, match="choose one of: count, tfidf"):
        top_terms(dtm, ["A", "B"], measure="idf")


def three_outlets() -> pd.DataFrame:
    rows = []
    for i in range(6):
        rows.append(("Alpha", "", f"Missile strikes hit depots. Strikes continue day {i}."))
        rows.append(("Beta", "", f"Ceasefire talks resume. Diplomats meet again {i}."))
        rows.append(("Gamma", "", f"Nuclear doctrine changes. Analysts discuss doctrine {i}."))
    rows.append(("Gamma", "", "Beekeeping beekeeping beekeeping beekeeping beekeeping beekeeping beekeeping."))
    return corpus(rows)


def test_keyness_each_group_against_the_rest_matches_two_group_stats():
    df = three_outlets()
    result = keyness(df, by="outlet", min_docs=1, only_significant=False)
    assert set(result.group) == {"Alpha", "Beta", "Gamma"}
    dtm = build_dtm(df)
    counts = pd.DataFrame(dtm.matrix.toarray(), columns=dtm.terms).groupby(df.outlet.to_numpy()).sum()
    target, reference = counts.loc["Beta"], counts.drop(index="Beta").sum()
    expected = keyness_stats(target, reference, total_target=target.sum(), total_reference=reference.sum()).set_index("term")
    beta = result[result.group == "Beta"].set_index("term")
    assert beta.index[0] in {"ceasefire", "talks", "resume", "diplomats", "meet"}
    for term in ("talks", "diplomats"):
        for col in ("g2", "chi2", "chi2_yates", "log_ratio", "pct_diff", "p_g2"):
            assert beta.loc[term, col] == pytest.approx(expected.loc[term, col])
    # Sorted by group, then G² descending within group.
    assert list(result.group) == sorted(result.group)
    for _, part in result.groupby("group"):
        assert part.g2.is_monotonic_decreasing
    assert (result.log_ratio > 0).all()  # direction="over"


def test_dispersion_filter_stops_one_article_dominating():
    df = three_outlets()
    loose = keyness(df, by="outlet", min_docs=1, only_significant=False)
    strict = keyness(df, by="outlet", min_docs=2, only_significant=False)
    assert "beekeeping" in set(loose[loose.group == "Gamma"].term)
    assert "beekeeping" not in set(strict.term)
    assert (strict.docs_target >= 2).all()
    multi = keyness(df, by="outlet", min_docs=1, min_groups=2, only_significant=False)
    assert (multi.groups >= 2).all()
    assert "beekeeping" not in set(multi.term)


def test_bonferroni_is_stricter():
    df = three_outlets()
    plain = keyness(df, by="outlet", min_docs=1, correction="none", only_significant=False)
    bonf = keyness(df, by="outlet", min_docs=1, correction="bonferroni", only_significant=False)
    assert bonf.significant.sum() <= plain.significant.sum()
    tested = bonf.groupby("group").size()
    for _, row in bonf.iterrows():
        assert row.significant == (row.p_g2 < 0.05 / tested[row.group])
    only = keyness(df, by="outlet", min_docs=1, correction="none")
    assert only.significant.all()
    assert len(only) == plain.significant.sum()


def test_keyness_directions_top_n_and_bad_options():
    df = three_outlets()
    under = keyness(df, by="outlet", min_docs=1, direction="under", only_significant=False)
    assert (under.log_ratio < 0).all()
    both = keyness(df, by="outlet", min_docs=1, direction="both", only_significant=False, top_n=3)
    assert both.groupby("group").size().max() <= 3
    with pytest.raises(ValueError, match="choose one of: over, under, both"):
        keyness(df, by="outlet", direction="up")
    with pytest.raises(ValueError, match="not a column"):
        keyness(df, by="section")


def test_keyness_missing_labels_are_counted_not_lost_silently():
    df = three_outlets()
    df.loc[0, "outlet"] = None
    result = keyness(df, by="outlet", min_docs=1, only_significant=False)
    assert result.attrs["missing_label"] == 1


def test_log_odds_adapter_uses_corpus_prior():
    df = three_outlets()
    out = log_odds(df, "outlet", "Alpha", "Beta")
    assert out.term.iloc[0] in {"strikes", "missile", "hit", "depots", "continue", "day"}
    assert out.term.iloc[-1] in {"talks", "ceasefire", "resume", "diplomats", "meet"}
    dtm = build_dtm(df)
    totals = dict(zip(dtm.terms, np.asarray(dtm.matrix.sum(axis=0)).ravel()))
    assert out.set_index("term").loc["strikes", "prior"] == totals["strikes"]
    with pytest.raises(ValueError, match="not a value"):
        log_odds(df, "outlet", "Alpha", "Delta")


def test_collocations_ranking_equals_nltk():
    texts = [
        "Putin warned that long-range missiles cross a red line.",
        "The red line was crossed, Kremlin spokesman Dmitry Peskov said.",
        "Kremlin spokesman Dmitry Peskov denied the report on long-range missiles.",
        "Western allies debate long-range missiles and red lines.",
        "Red line rhetoric, the Kremlin spokesman said, is not a bluff.",
    ]
    df = corpus([("A", "", t) for t in texts])
    ours = collocations(df, measure="pmi", min_freq=2, stopwords=False)
    finder = BigramCollocationFinder.from_documents([tokens(t) for t in texts])
    finder.apply_freq_filter(2)
    expected = finder.score_ngrams(BigramAssocMeasures.pmi)
    assert [tuple(p) for p in ours[["w1", "w2"]].values] == [p for p, _ in expected]
    assert ours.pmi.tolist() == pytest.approx([s for _, s in expected])
    for measure, fn in (("llr", BigramAssocMeasures.likelihood_ratio), ("t", BigramAssocMeasures.student_t)):
        ranked = collocations(df, measure=measure, min_freq=2, stopwords=False)
        assert [tuple(p) for p in ranked[["w1", "w2"]].values] == [p for p, _ in finder.score_ngrams(fn)]
    with_sw = collocations(df, min_freq=2)
    assert not any(w in STOPWORDS for w in [*with_sw.w1, *with_sw.w2])
    assert ("red", "line") in set(zip(with_sw.w1, with_sw.w2))
    assert with_sw.set_index("bigram").loc["red line", "freq"] == 3


def test_term_frequency_per_10k_by_week_with_intervals():
    df = corpus(
        [
            ("A", "Red line", "Putin draws a red line."),  # 7 tokens, 2 hits
            ("A", "", "Escalation feared."),  # 2 tokens
            ("B", "", "Nothing here at all today."),  # 5 tokens (next week)
        ],
        dates=["2024-09-02", "2024-09-08", "2024-09-09"],
    )
    df.loc[len(df)] = ["ffffffffffffffff", "B", "", "Red lines", pd.NaT]
    out = term_frequency(df, ["red line*", "escalat*"], period="week", n_boot=200, seed=1)
    assert out.attrs["undated"] == 1
    first = out[out.period == pd.Timestamp("2024-09-02")].set_index("term")
    assert first.loc["red line*", "hits"] == 2
    assert first.loc["red line*", "n_tokens"] == 9
    assert first.loc["red line*", "per_10k"] == pytest.approx(2 / 9 * 10_000)
    assert first.loc["escalat*", "per_10k"] == pytest.approx(1 / 9 * 10_000)
    assert first.loc["red line*", "ci_low"] <= first.loc["red line*", "per_10k"] <= first.loc["red line*", "ci_high"]
    second = out[out.period == pd.Timestamp("2024-09-09")]
    assert second.hits.tolist() == [0, 0]
    again = term_frequency(df, ["red line*", "escalat*"], period="week", n_boot=200, seed=1)
    pd.testing.assert_frame_equal(out, again)


def test_keyword_interface_is_tidy():
    df = three_outlets()
    for frame in (keywords.keyness(df, by="outlet", min_docs=1), keywords.kwic(df, "doctrine")):
        assert "term" in frame.columns
        assert list(frame.index) == list(range(len(frame)))


def test_dtm_matches_counter_oracle():
    df = three_outlets()
    dtm = build_dtm(df, ngram_range=(1, 1), stopwords=False)
    for i, (title, text) in enumerate(zip(df.title, df.text)):
        expected = Counter(tokens(title) + tokens(text))
        row = dtm.matrix[i]
        got = {dtm.terms[j]: v for j, v in zip(row.indices, row.data)}
        assert got == dict(expected)


PIECES = ["Red", "line", "lines", "NATO", "the", "of", "U.S.", "Putin’s", "long‑range", "strikes", "a", "war",
          "escalation", "2024", "it's", "Kyiv"]
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n\n", " — ", "-", "’", "‘", "\u2011", "_", " (", ") "]


def random_texts(seed: int, n: int) -> list[str]:
    rng = np.random.default_rng(seed)
    return ["".join(str(rng.choice(PIECES)) + str(rng.choice(SEPARATORS)) for _ in range(int(rng.integers(0, 30))))
            for _ in range(n)]


def test_dtm_unigrams_and_bigrams_against_a_counter_oracle():
    texts = random_texts(9, 120)
    titles = random_texts(10, 120)
    df = pd.DataFrame({"id": [str(i) for i in range(120)], "title": titles, "text": texts})
    dtm = build_dtm(df, ngram_range=(1, 3))
    for i, (title, text) in enumerate(zip(titles, texts)):
        expected: Counter = Counter()
        for part in (title, text):
            toks = tokens(part)
            for n in (1, 2, 3):
                for j in range(len(toks) - n + 1):
                    gram = toks[j : j + n]
                    if not any(t in STOPWORDS for t in gram):
                        expected[" ".join(gram)] += 1
        row = dtm.matrix[i]
        assert {dtm.terms[j]: int(v) for j, v in zip(row.indices, row.data)} == dict(expected)
    assert list(dtm.terms) == sorted(dtm.terms)


def test_dtm_min_df_against_document_frequencies():
    df = pd.DataFrame({"id": [str(i) for i in range(80)], "title": "", "text": random_texts(3, 80)})
    full = build_dtm(df, ngram_range=(1, 2))
    doc_freq = dict(zip(full.terms, np.asarray((full.matrix > 0).sum(axis=0)).ravel()))
    pruned = build_dtm(df, ngram_range=(1, 2), min_df=3)
    assert set(pruned.terms) == {t for t, f in doc_freq.items() if f >= 3}
    column = {t: j for j, t in enumerate(full.terms)}
    keep = [column[t] for t in pruned.terms]
    assert np.array_equal(pruned.matrix.toarray(), full.matrix.toarray()[:, keep])


def test_dtm_edge_cases():
    empty = build_dtm(pd.DataFrame({"id": [], "title": [], "text": []}))
    assert empty.matrix.shape == (0, 0)
    only_stopwords = build_dtm(pd.DataFrame({"id": ["a", "b"], "title": ["", None], "text": ["the of a", None]}))
    assert only_stopwords.matrix.shape == (2, 0)
    with pytest.raises(ValueError, match="ngram_range"):
        build_dtm(pd.DataFrame({"id": ["a"], "title": [""], "text": ["x"]}), ngram_range=(2, 1))


# --- group sizes, default pair, key terms per period -----------------------------------------


def test_group_sizes_rank_by_articles_then_name_and_count_missing():
    df = pd.DataFrame({"outlet": ["B", "A", "B", "C", "A", None, "C", "C"]})
    sizes = keywords.group_sizes(df, "outlet")
    # C has 3 articles; A and B tie at 2 and are ordered by name; one article has no outlet.
    assert sizes.values.tolist() == [["C", 3], ["A", 2], ["B", 2]]
    assert sizes.columns.tolist() == ["outlet", "articles"]
    assert sizes.attrs["missing"] == 1
    with pytest.raises(ValueError, match="by='section' is not a corpus column; choose one of: outlet"):
        keywords.group_sizes(df, "section")


def test_default_pair_takes_the_largest_groups_unless_given():
    df = pd.DataFrame({"outlet": ["B", "A", "B", "C", "A", "C", "C"]})  # C 3, A 2, B 2
    assert keywords.default_pair(df, "outlet") == ("C", "A")
    assert keywords.default_pair(df, "outlet", group_a="B") == ("B", "C")
    assert keywords.default_pair(df, "outlet", group_b="C") == ("A", "C")
    assert keywords.default_pair(df, "outlet", group_a="A", group_b="B") == ("A", "B")
    with pytest.raises(ValueError, match="'D' is not a value of 'outlet'; available: A, B, C"):
        keywords.default_pair(df, "outlet", group_b="D")
    with pytest.raises(ValueError, match="must differ"):
        keywords.default_pair(df, "outlet", group_a="A", group_b="A")
    single = pd.DataFrame({"outlet": ["A", "A", None]})
    with pytest.raises(ValueError, match="needs two groups of 'outlet'; the corpus has 1"):
        keywords.default_pair(single, "outlet")
    with pytest.raises(ValueError, match="needs two groups"):
        keywords.default_pair(single, "outlet", group_a="A")


def two_weeks() -> pd.DataFrame:
    df = corpus(
        [
            ("A", "", "missile missile strike"),
            ("B", "", "missile depot"),
            ("A", "", "ceasefire talks"),
            ("B", "", "talks talks"),
            ("A", "", "missile talks"),
        ],
        dates=["2024-09-02", "2024-09-08", "2024-09-09", "2024-09-15", "2024-09-02"],
    )
    df.loc[4, "published"] = pd.NaT
    return df


def test_period_keyness_by_hand():
    from scipy.stats import chi2_contingency

    keys = keywords.period_keyness(two_weeks(), period="week", min_docs=2, only_significant=False)
    # Dated tokens: week of 2 Sept missile 3, strike 1, depot 1 (5); week of 9 Sept ceasefire 1, talks 3 (4).
    # Terms in fewer than 2 articles of their week (strike, depot, ceasefire) fail the dispersion filter.
    assert keys["period"].dt.strftime("%Y-%m-%d").tolist() == ["2024-09-02", "2024-09-09"]
    assert keys["term"].tolist() == ["missile", "talks"]
    assert keys[["freq_target", "freq_reference", "docs_target"]].values.tolist() == [[3, 0, 2], [3, 0, 2]]
    # log ratio with the zero reference frequency replaced by 0.5
    assert keys["log_ratio"].tolist() == pytest.approx([np.log2((3 / 5) / (0.5 / 4)), np.log2((3 / 4) / (0.5 / 5))])
    g2_missile = chi2_contingency([[3, 0], [2, 4]], correction=False, lambda_="log-likelihood")[0]
    assert keys["g2"].iloc[0] == pytest.approx(g2_missile)
    assert keys.attrs == {"dated": 4, "undated": 1, "periods": 2}
    assert "group" not in keys.columns and keys.columns[0] == "period"


def test_period_keyness_needs_two_periods_and_valid_options():
    one_month = keywords.period_keyness(two_weeks(), period="month", min_docs=1)
    assert one_month.empty and one_month.attrs["periods"] == 1
    assert one_month.columns[:2].tolist() == ["period", "term"]
    # the single month is still summarised: four dated articles, no key term
    assert keywords.period_summary(two_weeks(), one_month, period="month").values.tolist() == [
        [pd.Timestamp("2024-09-01"), 4, 0, ""]
    ]
    with pytest.raises(ValueError, match="period='year' is not valid; choose one of: day, week, month"):
        keywords.period_keyness(two_weeks(), period="year")
    with pytest.raises(ValueError, match="top_n must be at least 1"):
        keywords.period_keyness(two_weeks(), top_n=0)


def test_period_summary_lists_every_dated_period():
    df = two_weeks()
    keys = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-09-02", "2024-09-02"]),
            "term": ["missile", "strike"],
            "log_ratio": [2.26, 0.04],
        }
    )
    summary = keywords.period_summary(df, keys, period="week")
    assert summary.columns.tolist() == ["period", "articles", "key_terms", "terms"]
    assert summary["period"].dt.strftime("%Y-%m-%d").tolist() == ["2024-09-02", "2024-09-09"]
    # two dated articles per week (the undated one is in no period); the second week has no key term
    assert summary[["articles", "key_terms", "terms"]].values.tolist() == [
        [2, 2, "missile (2.3), strike (0.0)"],
        [2, 0, ""],
    ]
    computed = keywords.period_summary(df, keywords.period_keyness(df, min_docs=2, only_significant=False))
    assert computed["terms"].tolist() == ["missile (2.3)", "talks (2.9)"]
