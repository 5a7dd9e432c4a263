"""newslens.sentiment: sentence-level VADER, article tone, dictionary tone, actor tone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from newslens import sentiment
from newslens.dictionary import Dictionary
from newslens.text import split_sentences

ORACLE = SentimentIntensityAnalyzer()


def oracle_compound(text: str) -> float:
    return ORACLE.polarity_scores(text)["compound"]


def corpus(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["id", "title", "text", "outlet", "published"])
    df["published"] = pd.to_datetime(df["published"])
    return df


@pytest.fixture
def small():
    return corpus(
        [
            ("b2", "Talks collapse", "The talks were a failure. Nobody was happy.", "Daily", "2024-09-03"),
            ("a1", "A good day", "The deal is good. The war is terrible. It rained.", "Herald", "2024-09-02"),
            ("c3", "", "", "Herald", None),
            ("d4", "Dots", "... !!! ---", "Daily", "2024-09-04"),
            ("e5", "Nachricht", "Das ist eine gute Nachricht. Путин заявил это.", "Daily", "2024-09-05"),
        ]
    )


# --- vader() -----------------------------------------------------------------------------------


def test_vader_matches_oracle_in_input_order():
    texts = ["The war is terrible.", "What a wonderful deal!", "It rained."]
    out = sentiment.vader(texts)
    assert out.columns.tolist() == ["neg", "neu", "pos", "compound"]
    for (_, row), text in zip(out.iterrows(), texts, strict=True):
        assert row.to_dict() == ORACLE.polarity_scores(text)


def test_vader_accepts_series_and_missing_values():
    s = pd.Series(["good", None, np.nan, pd.NA, "bad"], index=[10, 11, 12, 13, 14], dtype=object)
    out = sentiment.vader(s)
    assert out.index.tolist() == [0, 1, 2, 3, 4]
    assert out["compound"].tolist() == [0.4404, 0.0, 0.0, 0.0, -0.5423]
    assert out.iloc[1].tolist() == [0.0, 0.0, 0.0, 0.0]  # exactly the scores of ""
    str_series = pd.Series(["good", None], dtype="str")
    assert sentiment.vader(str_series)["compound"].tolist() == [0.4404, 0.0]


def test_vader_empty_input_and_type_errors():
    assert sentiment.vader([]).shape == (0, 4)
    with pytest.raises(TypeError, match="item 1 is int"):
        sentiment.vader(["good", 3])
    with pytest.raises(ValueError, match="jobs"):
        sentiment.vader(["good"], jobs=0)


def test_vader_extremely_long_sentence():
    # ~200k characters in one "sentence"; few lexicon words keep the reference fast enough.
    text = "The committee met again and " * 7200 + "it was a good and hopeful result"
    assert len(text) > 200_000
    assert sentiment.vader([text]).iloc[0].to_dict() == ORACLE.polarity_scores(text)


def test_vader_in_workers_equals_single_process():
    texts = ["good", "bad", "not bad", "", "The war is terrible!"] * 2000
    single = sentiment.vader(texts)
    pd.testing.assert_frame_equal(sentiment.vader(texts, jobs=2), single)


# --- sentence_tone / article_tone --------------------------------------------------------------


def test_sentence_tone_rows_and_scores(small):
    out = sentiment.sentence_tone(small)
    assert out.columns.tolist() == ["id", "part", "sentence_no", "sentence", "neg", "neu", "pos", "compound"]
    a1 = out[out["id"] == "a1"]
    assert a1["sentence"].tolist() == ["A good day", "The deal is good.", "The war is terrible.", "It rained."]
    assert a1["part"].tolist() == ["title", "body", "body", "body"]
    for _, row in out.iterrows():
        assert row[["neg", "neu", "pos", "compound"]].to_dict() == ORACLE.polarity_scores(row["sentence"])
    # Same order as the splitter; punctuation-only pieces of d4 are not sentences.
    split = split_sentences(small)
    assert set(split["id"]) - set(out["id"]) == set()
    assert out[out["id"] == "d4"]["part"].tolist() == ["title"]
    assert out["id"].tolist() == sorted(out["id"].tolist())


def test_article_tone_by_hand(small):
    out = sentiment.article_tone(small)
    assert out.columns.tolist() == [
        "id", "outlet", "published", "n_sentences", "tone", "share_positive", "share_negative",
    ]  # fmt: skip
    assert out["id"].tolist() == ["a1", "b2", "c3", "d4", "e5"]  # every article, sorted
    a1 = out.set_index("id").loc["a1"]
    body = ["The deal is good.", "The war is terrible.", "It rained."]
    compounds = [oracle_compound(t) for t in body]  # 0.4404, -0.4767, 0.0
    assert a1["n_sentences"] == 3
    assert a1["tone"] == pytest.approx(np.mean(compounds))
    assert a1["share_positive"] == pytest.approx(1 / 3)
    assert a1["share_negative"] == pytest.approx(1 / 3)
    assert a1["outlet"] == "Herald" and a1["published"] == pd.Timestamp("2024-09-02")
    for empty in ("c3", "d4"):  # empty text; punctuation only
        row = out.set_index("id").loc[empty]
        assert row["n_sentences"] == 0
        assert np.isnan(row["tone"]) and np.isnan(row["share_positive"])
    e5 = out.set_index("id").loc["e5"]  # non-English: scored, mostly neutral, no crash
    assert e5["n_sentences"] == 2


def test_article_tone_with_title(small):
    out = sentiment.article_tone(small, include_title=True).set_index("id")
    texts = ["A good day", "The deal is good.", "The war is terrible.", "It rained."]
    assert out.loc["a1", "n_sentences"] == 4
    assert out.loc["a1", "tone"] == pytest.approx(np.mean([oracle_compound(t) for t in texts]))
    assert out.loc["d4", "n_sentences"] == 1  # the title "Dots"


def test_article_tone_reuses_sentences_and_handles_na_text(small):
    small = small.assign(text=small["text"].astype(object))
    small.loc[small["id"] == "b2", "text"] = None
    sents = sentiment.sentence_tone(small)
    reused = sentiment.article_tone(small, sentences=sents)
    pd.testing.assert_frame_equal(reused, sentiment.article_tone(small))
    assert reused.set_index("id").loc["b2", "n_sentences"] == 0


def test_sentence_tone_in_workers_equals_single_process(small, monkeypatch):
    monkeypatch.setattr(sentiment, "_MIN_CHUNK", 2)
    many = pd.concat([small.assign(id=small["id"] + f"-{k}") for k in range(3)], ignore_index=True)
    pd.testing.assert_frame_equal(sentiment.sentence_tone(many, jobs=2), sentiment.sentence_tone(many))


def test_duplicate_ids_are_rejected(small):
    with pytest.raises(ValueError, match="a1"):
        sentiment.article_tone(pd.concat([small, small.iloc[[1]]]))


def test_whole_article_saturates_but_sentence_mean_does_not():
    article = " ".join(["The plan is good."] * 20)
    whole = sentiment.vader([article])["compound"].item()
    tone = sentiment.article_tone(pd.DataFrame({"id": ["x"], "text": [article]}))["tone"].item()
    assert whole > 0.99
    assert tone == pytest.approx(oracle_compound("The plan is good."))


# --- top sentences -----------------------------------------------------------------------------


def test_top_sentences_per_outlet(small):
    sents = sentiment.sentence_tone(small)
    top = sentiment.top_sentences(sents, small, n=1)
    assert top.columns.tolist()[:6] == ["outlet", "direction", "rank", "compound", "sentence", "title"]
    herald = top[top["outlet"] == "Herald"].set_index("direction")
    assert herald.loc["positive", "sentence"] == "A good day"  # 0.4404 like "The deal is good.", earlier part
    assert herald.loc["negative", "sentence"] == "The war is terrible."
    assert herald.loc["negative", "title"] == "A good day"
    daily = top[top["outlet"] == "Daily"].set_index("direction")
    assert daily.loc["negative", "compound"] == min(
        oracle_compound(t) for t in ["Talks collapse", "The talks were a failure.", "Nobody was happy."]
    )
    assert (top["rank"] == 1).all()


def test_top_sentences_lists_boilerplate_once():
    df = corpus(
        [
            ("a", "", "Subscribe now, it is great! Fine.", "X", "2024-09-01"),
            ("b", "", "Subscribe now, it is great! Good news.", "X", "2024-09-02"),
        ]
    )
    top = sentiment.top_sentences(sentiment.sentence_tone(df), df, n=5)
    positive = top[top["direction"] == "positive"]
    assert positive["sentence"].tolist().count("Subscribe now, it is great!") == 1
    assert positive["id"].iloc[0] == "a"


def test_top_sentences_looks_past_repeats_at_the_top():
    # "Great." three times at the top; a later copy of "Fine." scoring higher than its first one
    # (an edited table) does not count: the first copy, by id, is the one listed.
    sents = pd.DataFrame(
        [("a", 0, "Great.", 0.9), ("b", 0, "Great.", 0.9), ("c", 0, "Great.", 0.9),
         ("a", 1, "Fine.", 0.3), ("b", 1, "Fine.", 0.95), ("c", 1, "Good.", 0.5)],
        columns=["id", "sentence_no", "sentence", "compound"],
    ).assign(part="body")  # fmt: skip
    df = corpus([(i, "", "", "X", "2024-09-01") for i in "abc"])
    top = sentiment.top_sentences(sents, df, n=3)
    assert top[["sentence", "id", "compound"]].values.tolist() == [
        ["Great.", "a", 0.9], ["Good.", "c", 0.5], ["Fine.", "a", 0.3]
    ]  # fmt: skip
    assert top["direction"].eq("positive").all() and top["rank"].tolist() == [1, 2, 3]


# --- dictionary tone ---------------------------------------------------------------------------


def test_vader_lexicon_dictionary_follows_valence_sign():
    d = sentiment.vader_lexicon_dictionary()
    pos, neg = set(d.patterns["positive"]), set(d.patterns["negative"])
    assert {"good", "peace", "hope"} <= pos and {"war", "bad", "threat"} <= neg
    assert not pos & neg
    lexicon = ORACLE.lexicon
    assert all(lexicon[w] > 0 for w in pos) and all(lexicon[w] < 0 for w in neg)
    assert ":)" not in pos and ":(" not in neg  # emoticons never match word tokens
    assert len(pos) + len(neg) == 7254


def test_dictionary_tone_by_hand():
    d = Dictionary.from_mapping({"pos": ["good", "hope*"], "neg": ["bad", "war"], "other": ["talks"]})
    df = corpus(
        [
            # 10 tokens: good, hopeful (+2); war (-1); "not bad" is a negated negative (+1)
            ("a", "", "Good talks and hopeful signs. War. It is not bad at all.", "X", "2024-09-01"),
            ("b", "", "Nothing to see here.", "X", "2024-09-02"),
            ("c", "", "", "Y", None),
        ]
    )
    out = sentiment.dictionary_tone(df, d, positive="pos", negative="neg").set_index("id")
    assert out.loc["a", ["n_positive", "n_negative", "n_tokens"]].tolist() == [3, 1, 12]
    assert out.loc["a", "tone_per_1000"] == pytest.approx((3 - 1) / 12 * 1000)
    assert out.loc["a", "tone_ratio"] == pytest.approx(0.5)
    assert out.loc["b", "n_positive"] == 0 and np.isnan(out.loc["b", "tone_ratio"])
    assert out.loc["b", "tone_per_1000"] == 0.0
    assert np.isnan(out.loc["c", "tone_per_1000"])  # no tokens at all
    plain = sentiment.dictionary_tone(df, d, positive="pos", negative="neg", negation=0).set_index("id")
    assert plain.loc["a", ["n_positive", "n_negative"]].tolist() == [2, 2]


def test_dictionary_tone_with_lexicoder_style_negation_categories():
    d = Dictionary.from_mapping(
        {
            "negative": ["bad", "war"],
            "positive": ["good", "safe"],
            "neg_positive": ["not good", "not safe"],
            "neg_negative": ["not bad"],
        }
    )
    df = pd.DataFrame({"id": ["a"], "text": ["Not good, not bad, not safe. A good war."]})
    with pytest.raises(ValueError, match="negation=0"):
        sentiment.dictionary_tone(df, d)
    out = sentiment.dictionary_tone(df, d, negation=0).iloc[0]
    # raw hits: positive good, safe, good = 3; negative bad, war = 2; neg_positive 2; neg_negative 1
    # positive: 3 - 2 + 1 = 2; negative: 2 - 1 + 2 = 3
    assert (out["n_positive"], out["n_negative"]) == (2, 3)
    assert out["tone_ratio"] == pytest.approx(-1 / 5)


def test_dictionary_tone_rejects_unknown_category():
    d = Dictionary.from_mapping({"POSITIVE": ["good"], "NEGATIVE": ["bad"]})
    df = pd.DataFrame({"id": ["a"], "text": ["good"]})
    with pytest.raises(ValueError, match="POSITIVE, NEGATIVE"):
        sentiment.dictionary_tone(df, d)
    ok = sentiment.dictionary_tone(df, d, positive="POSITIVE", negative="NEGATIVE")
    assert ok["n_positive"].item() == 1


# --- actor tone and agreement ------------------------------------------------------------------


def test_actor_tone_by_hand():
    sents = pd.DataFrame(
        {
            "id": ["a", "a", "a", "b"],
            "part": ["title", "body", "body", "body"],
            "sentence_no": [0, 0, 1, 0],
            "compound": [0.6, -0.4, 0.2, -0.1],
        }
    )
    ments = pd.DataFrame(
        {
            "id": ["a", "a", "a", "a", "b"],
            "part": ["title", "body", "body", "body", "body"],
            "sentence_no": [0, 0, 0, 1, 0],
            "actor": ["NATO", "NATO", "Russia", "NATO", "Russia"],
            "n": [1, 2, 1, 1, 1],
        }
    )
    out = sentiment.actor_tone(sents, ments)
    assert out[["id", "actor", "n_sentences"]].values.tolist() == [
        ["a", "NATO", 3], ["a", "Russia", 1], ["b", "Russia", 1],
    ]  # fmt: skip
    assert out["tone"].tolist() == pytest.approx([(0.6 - 0.4 + 0.2) / 3, -0.4, -0.1])
    assert out["share_negative"].tolist() == pytest.approx([1 / 3, 1.0, 1.0])
    articles = pd.DataFrame({"id": ["b", "a"], "outlet": ["Y", "X"], "published": pd.to_datetime(["2024-09-02"] * 2)})
    carried = sentiment.actor_tone(sents, ments, corpus_df=articles)
    assert carried.columns.tolist()[:4] == ["id", "outlet", "published", "actor"]
    assert carried["outlet"].tolist() == ["X", "X", "Y"]
    pd.testing.assert_frame_equal(carried.drop(columns=["outlet", "published"]), out)


def test_actor_tone_over_time_by_hand():
    tones = pd.DataFrame(
        {
            "id": ["a1", "a2", "a2", "a3", "a3", "a4", "a5", "a5"],
            "actor": ["NATO", "NATO", "Russia", "NATO", "Russia", "Ukraine", "Ukraine", "Russia"],
            "published": pd.to_datetime(
                ["2024-09-02", "2024-09-05", "2024-09-05", "2024-09-10", "2024-09-10", "2024-09-11", None, None]
            ),
            "tone": [0.2, 0.4, -0.6, -0.3, -0.2, 0.5, 0.1, -0.4],
        }
    )
    # articles per actor: NATO 3, Russia 3 (one undated), Ukraine 2 -> the top two are NATO and Russia
    out = sentiment.actor_tone_over_time(tones, top=2, period="week", min_n=2)
    assert out.columns.tolist() == ["actor", "period", "n", "mean", "ci_low", "ci_high", "reliable"]
    assert out["actor"].tolist() == ["NATO", "NATO", "Russia", "Russia"]
    assert out["period"].dt.strftime("%Y-%m-%d").tolist() == ["2024-09-02", "2024-09-09"] * 2
    assert out["n"].tolist() == [2, 1, 1, 1]
    assert out["mean"].tolist() == pytest.approx([0.3, -0.3, -0.6, -0.2])
    assert out["reliable"].tolist() == [True, False, False, False]
    # Student-t: two articles 0.2 and 0.4 have s = 0.1·√2, s/√2 = 0.1, and t(1 df, 0.975) = 12.7062,
    # so 0.3 ± 1.27062; one article gives no interval at all.
    assert out["ci_low"].tolist() == pytest.approx([0.3 - 1.270620, np.nan, np.nan, np.nan], nan_ok=True)
    assert out["ci_high"].tolist() == pytest.approx([0.3 + 1.270620, np.nan, np.nan, np.nan], nan_ok=True)
    assert out.attrs["ci"] == 0.95 and out.attrs["interval"] == "t"
    assert out.attrs["undated"] == 1  # Russia in a5; Ukraine's undated row is not among the kept actors
    # a tie in the number of articles goes to the first name
    assert sentiment.actor_tone_over_time(tones, top=1)["actor"].unique().tolist() == ["NATO"]
    monthly = sentiment.actor_tone_over_time(tones, top=3, period="month", min_n=2)
    assert monthly[["actor", "n"]].values.tolist() == [["NATO", 3], ["Russia", 2], ["Ukraine", 1]]
    assert monthly["mean"].tolist() == pytest.approx([(0.2 + 0.4 - 0.3) / 3, (-0.6 - 0.2) / 2, 0.5])
    with pytest.raises(ValueError, match="top must be at least 1"):
        sentiment.actor_tone_over_time(tones, top=0)
    with pytest.raises(ValueError, match="period='year' is not valid; choose one of: day, week, month"):
        sentiment.actor_tone_over_time(tones, period="year")
    with pytest.raises(KeyError, match="published"):
        sentiment.actor_tone_over_time(tones.drop(columns="published"))


def test_compare_methods_joins_per_article(small):
    tones = sentiment.article_tone(small)
    d = Dictionary.from_mapping({"positive": ["good", "happy"], "negative": ["terrible", "failure"]})
    dtones = sentiment.dictionary_tone(small, d)
    pairs = sentiment.compare_methods(tones, dtones)
    assert pairs.columns.tolist() == [
        "id", "outlet", "published", "vader_tone", "dictionary_per_1000", "dictionary_ratio",
    ]  # fmt: skip
    assert pairs["id"].tolist() == tones["id"].tolist()
    a1 = pairs.set_index("id").loc["a1"]
    # "The deal is good. The war is terrible. It rained." -> 1 positive, 1 negative in 10 tokens
    assert a1["dictionary_per_1000"] == 0.0 and a1["dictionary_ratio"] == 0.0
    assert a1["vader_tone"] == tones.set_index("id").loc["a1", "tone"]
    b2 = pairs.set_index("id").loc["b2"]
    # "The talks were a failure. Nobody was happy." -> failure, and "happy" negated by "nobody"
    # (a negator) counts as negative: 0 positive, 2 negative
    assert b2["dictionary_ratio"] == -1.0


def test_method_agreement_against_numpy():
    rng = np.random.default_rng(0)
    x = rng.normal(size=40)
    pairs = pd.DataFrame({"v": x, "d": x * 0.5 + rng.normal(size=40), "const": 1.0})
    pairs.loc[3, "d"] = np.nan
    out = sentiment.method_agreement(pairs, x="v", y=["d", "const"])
    assert out[["x", "y"]].values.tolist() == [["v", "d"], ["v", "const"]]
    keep = pairs["d"].notna()
    row = out.iloc[0]
    assert row["n"] == 39
    assert row["pearson_r"] == pytest.approx(np.corrcoef(pairs["v"][keep], pairs["d"][keep])[0, 1])
    ranks = np.corrcoef(pairs["v"][keep].rank(), pairs["d"][keep].rank())[0, 1]
    assert row["spearman_r"] == pytest.approx(ranks)
    assert out.iloc[1]["n"] == 40 and np.isnan(out.iloc[1]["pearson_r"])  # constant column
    tiny = sentiment.method_agreement(pairs.head(2), x="v", y="d").iloc[0]
    assert tiny["n"] == 2 and np.isnan(tiny["pearson_r"])


def test_summarise_tone_by_hand():
    tones = pd.DataFrame(
        {
            "outlet": ["A", "A", "A", "B", "B"],
            "tone": [0.2, 0.4, np.nan, -0.3, -0.1],
            "n_sentences": [4, 2, 0, 5, 5],
            "share_positive": [0.5, 1.0, np.nan, 0.0, 0.2],
            "share_negative": [0.25, 0.0, np.nan, 0.6, 0.4],
        }
    )
    out = sentiment.summarise_tone(tones, ["outlet"], min_n=3, seed=1).set_index("outlet")
    assert out.loc["A", ["n", "n_unscored", "n_sentences"]].tolist() == [2, 1, 6]
    assert out.loc["A", "mean"] == pytest.approx(0.3)
    assert out.loc["A", "share_positive"] == pytest.approx(0.75)
    assert out.loc["B", "share_negative"] == pytest.approx(0.5)
    assert not out["reliable"].any()
    # B: -0.3 and -0.1, mean -0.2, s/√2 = 0.1, t(1 df, 0.975) = 12.7062
    assert (out.loc["B", "ci_low"], out.loc["B", "ci_high"]) == pytest.approx((-0.2 - 1.270620, -0.2 + 1.270620))


# --- plots --------------------------------------------------------------

def test_unreliable_points_are_hollow_and_grey():
    from newslens import plots

    means = pd.DataFrame(
        {
            "outlet": ["A", "A"],
            "period": pd.to_datetime(["2024-09-02", "2024-09-09"]),
            "n": [6, 1],
            "mean": [0.1, -0.2],
            "ci_low": [0.0, -0.2],
            "ci_high": [0.2, -0.2],
            "reliable": [True, False],
        }
    )
    ax = plots.tone_over_time(means)
    markers = [line for line in ax.get_lines() if line.get_marker() == "o"]
    faces = sorted(str(line.get_markerfacecolor()) for line in markers)
    assert len(markers) == 2 and "white" in faces  # one filled, one hollow
    assert "fewer articles" in ax.get_title()
    heat = plots.tone_heatmap(means.assign(actor="NATO").drop(columns="period").assign(outlet=["A", "B"]))
    image = heat.get_images()[0].get_array()
    assert image.mask.tolist() == [[False, True]]  # the unreliable cell is not coloured
    assert "grey cells" in heat.get_title()


def test_article_with_an_extremely_long_sentence():
    long_sentence = "The committee met again and " * 7200 + "it was a good and hopeful result."
    df = pd.DataFrame({"id": ["long", "short"], "text": [long_sentence, "A bad war."]})
    out = sentiment.article_tone(df).set_index("id")
    sents = sentiment.sentence_tone(df)
    long_rows = sents[sents["id"] == "long"]
    assert long_rows["sentence"].str.len().max() > 200_000
    expected = np.mean([oracle_compound(s) for s in long_rows["sentence"]])
    assert out.loc["long", "tone"] == pytest.approx(expected)
    assert out.loc["short", "tone"] == oracle_compound("A bad war.")


def test_plots_accept_empty_selections():
    import warnings

    from newslens import plots

    means = pd.DataFrame(columns=["actor", "outlet", "period", "n", "mean", "ci_low", "ci_high", "reliable"])
    tones = pd.DataFrame({"outlet": pd.Series([], dtype="str"), "tone": pd.Series([], dtype="float64")})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "no mentions" in plots.tone_heatmap(means).get_title()
        assert plots.tone_over_time(means).get_legend() is None  # no group drawn
        assert "n=0 articles" in plots.tone_distribution(tones).get_title()
        assert "n=0 articles" in plots.tone_agreement(tones.assign(d=[]), x="tone", y="d").get_title()
