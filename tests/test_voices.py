"""newslens.voices on a small hand-written corpus: every expectation below is counted by hand from the
texts (who is quoted, words, the other side, mentions, shared sentences), or computed by an
independent oracle (vaderSentiment itself, statsmodels' Wilson interval, scipy's t interval, a plain
loop over the bootstrap resamples)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from newslens import actors, bootstrap, quotes, text, voices
from newslens.report import table_html

ARTICLES = pd.DataFrame({
    "id": ["a1", "a2", "a3", "b1", "b2"],
    "outlet": ["Alpha", "Alpha", "Alpha", "Beta", "Beta"],
    "published": pd.to_datetime(["2024-09-02", "2024-09-03", "2024-09-10", "2024-09-04", "2024-09-11"]),
    "title": ["Moscow warns", "Kyiv asks", "Quiet day", "Talks", "Aid"],
    "text": [
        "“We will respond harshly,” Putin said. “The West is to blame.”\n\nA senior official said the talks had failed.",
        "Zelensky said: “We need more weapons.” Russia and Ukraine traded strikes. It was a terrible night.",
        "Nothing happened in Brussels.",
        "“This is a great day for peace,” Zelensky said. NATO and Russia met, and the talks were good.",
        "Analyst Jane Roe said: “Aid will come.” The Kremlin said Ukraine was losing.",
    ],
})  # fmt: skip
# By hand: Alpha quotes Putin twice (Russia; 4 and 5 words), an unnamed official once (4 words) and
# Zelensky once (Ukraine; 4 words); Beta quotes Zelensky (7 words), the analyst Jane Roe, who is not
# in the actors dictionary (3 words), and the Kremlin (Russia; 3 words).
VOICES = {"a1": ["Russia", "Russia", voices.UNNAMED], "a2": ["Ukraine"], "b1": ["Ukraine"],
          "b2": [voices.OTHER, "Russia"]}  # fmt: skip
WORDS = {"a1": [4, 5, 4], "a2": [4], "b1": [7], "b2": [3, 3]}


@pytest.fixture(scope="module")
def extracted():
    return quotes.extract(ARTICLES)


@pytest.fixture(scope="module")
def labelled(extracted):
    return voices.label_quotes(extracted, ARTICLES)


@pytest.fixture(scope="module")
def mentions():
    return actors.mentions(text.split_sentences(ARTICLES), rollup=True)


def test_label_quotes_gives_each_quote_its_voice_and_words(labelled):
    got = {k: g["voice"].tolist() for k, g in labelled.groupby("id")}
    assert got == VOICES
    assert {k: g["words"].tolist() for k, g in labelled.groupby("id")} == WORDS
    assert labelled["outlet"].tolist() == ["Alpha"] * 4 + ["Beta"] * 3
    assert labelled.loc[labelled["voice"] == voices.OTHER, "role"].tolist() == ["expert"]
    unrolled = voices.label_quotes(quotes.extract(ARTICLES), ARTICLES, rollup=False)
    assert unrolled["voice"].tolist()[:2] == ["Putin", "Putin"]


def test_shares_of_quotes_and_of_words_by_voice(labelled):
    by_quotes = voices.voice_shares(labelled, ARTICLES, min_n=1).set_index(["outlet", "voice"])
    expected = {("Alpha", "Russia"): (2, 4), ("Alpha", voices.UNNAMED): (1, 4), ("Alpha", "Ukraine"): (1, 4),
                ("Beta", voices.OTHER): (1, 3), ("Beta", "Russia"): (1, 3), ("Beta", "Ukraine"): (1, 3)}
    assert sorted(by_quotes.index) == sorted(expected)
    for key, (count, total) in expected.items():
        assert by_quotes.loc[key, "count"] == count and by_quotes.loc[key, "total"] == total
        assert by_quotes.loc[key, "share"] == pytest.approx(count / total)
    assert by_quotes.loc[("Alpha", "Russia"), "n_articles"] == 3  # a3 has no quote but is one of Alpha's articles
    assert by_quotes.loc[("Alpha", "Russia"), "n_quotes"] == 4
    by_words = voices.voice_shares(labelled, ARTICLES, weight="words", min_n=1).set_index(["outlet", "voice"])
    assert by_words.loc[("Alpha", "Russia"), "share"] == pytest.approx(9 / 17)
    assert by_words.loc[("Beta", "Ukraine"), "share"] == pytest.approx(7 / 13)
    # sorted by outlet, then share, largest first, then name
    table = voices.voice_shares(labelled, ARTICLES, min_n=1)
    assert table["voice"].tolist() == ["Russia", voices.UNNAMED, "Ukraine", voices.OTHER, "Russia", "Ukraine"]


def test_shares_by_role_and_unnamed_sources(labelled):
    by_role = voices.voice_shares(labelled, ARTICLES, by="role", min_n=1)
    shares = dict(zip(zip(by_role["outlet"], by_role["role"]), by_role["share"], strict=True))
    assert shares == pytest.approx({("Alpha", "official"): 3 / 4, ("Alpha", "unnamed"): 1 / 4,
                                    ("Beta", "official"): 2 / 3, ("Beta", "expert"): 1 / 3})
    words = voices.voice_shares(labelled, ARTICLES, by="role", weight="words", min_n=1)
    unnamed = voices.unnamed_share(by_role, words)
    assert unnamed["outlet"].tolist() == ["Alpha", "Beta"]
    assert unnamed["quotes"].tolist() == [1, 0] and unnamed["words"].tolist() == [4, 0]
    assert unnamed["quote_share"].tolist() == pytest.approx([1 / 4, 0.0])
    assert unnamed["word_share"].tolist() == pytest.approx([4 / 17, 0.0])


def test_share_intervals_resample_articles(labelled):
    """The interval is the percentile bootstrap over the outlet's articles, seeded per outlet: a plain
    loop over the same resamples gives the same bounds."""
    table = voices.voice_shares(labelled, ARTICLES, weight="words", n_boot=400, seed=7, min_n=1)
    ids = ["a1", "a2", "a3"]
    weights = np.array([[9, 4, 0], [0, 0, 4], [0, 0, 0]], dtype=float)  # Russia, (unnamed source), Ukraine
    reps = []
    for block in bootstrap.resample(3, n_boot=400, rng=bootstrap.group_rng(7, "Alpha")):
        for idx in block:
            sums = weights[idx].sum(axis=0)
            reps.append(sums / sums.sum() if sums.sum() else np.full(3, np.nan))
    reps = np.array(reps)
    low, high = np.nanquantile(reps, [0.025, 0.975], axis=0)
    alpha = table[table["outlet"] == "Alpha"].set_index("voice").loc[["Russia", voices.UNNAMED, "Ukraine"]]
    assert alpha["ci_low"].to_numpy() == pytest.approx(low)
    assert alpha["ci_high"].to_numpy() == pytest.approx(high)
    assert sorted(ids) == ids
    again = voices.voice_shares(labelled, ARTICLES, weight="words", n_boot=400, seed=7, min_n=1)
    pd.testing.assert_frame_equal(table, again)
    assert table.attrs == {"ci": 0.95, "interval": "percentile"}


def test_reliable_needs_articles_and_quotes(labelled):
    table = voices.voice_shares(labelled, ARTICLES, min_n=3)
    assert table.groupby("outlet")["reliable"].first().to_dict() == {"Alpha": True, "Beta": False}


def test_dominant_voices_side_by_side(labelled):
    table = voices.dominant_voices(voices.voice_shares(labelled, ARTICLES, min_n=1), top=2)
    assert list(table.columns) == ["rank", "Alpha", "Beta"]
    assert table["rank"].tolist() == [1, 2]
    assert table["Alpha"].str.split(" ").str[0].tolist() == ["Russia", voices.UNNAMED.split(" ")[0]]
    assert table.loc[0, "Alpha"].startswith("Russia 50% [") and table.loc[0, "Alpha"].endswith("], 2")


def test_the_other_side(labelled):
    assert voices.most_quoted(labelled) == ["Russia", "Ukraine"]
    sides = voices.other_side(labelled, ARTICLES, ["Russia", "Ukraine"], min_n=1)
    got = sides.set_index(["outlet", "side"])
    expected = {  # (articles quoting, articles, quotes, quotes of either side)
        ("Alpha", "Russia"): (1, 3, 2, 3), ("Alpha", "Ukraine"): (1, 3, 1, 3),
        ("Beta", "Russia"): (1, 2, 1, 2), ("Beta", "Ukraine"): (1, 2, 1, 2),
    }
    assert list(got.index) == list(expected)
    for key, (quoting, n, count, pair_total) in expected.items():
        row = got.loc[key]
        assert (row["articles_quoting"], row["n_articles"], row["quotes"], row["pair_quotes"]) == (quoting, n, count,
                                                                                                  pair_total)
        assert row["article_share"] == pytest.approx(quoting / n)
        assert row["quote_share"] == pytest.approx(count / pair_total)
        wilson = proportion_confint(quoting, n, alpha=0.05, method="wilson")
        assert (row["article_low"], row["article_high"]) == pytest.approx(wilson)
    with pytest.raises(ValueError, match="two different voices"):
        voices.other_side(labelled, ARTICLES, ["Russia"])


def test_most_quoted_fills_an_unquoted_pair_from_the_dictionary():
    assert voices.most_quoted(pd.DataFrame({"voice": pd.Series([], dtype="str")})) == ["Russia", "Ukraine"]


def test_quoted_and_own_tone_against_vader_itself(extracted):
    reference = SentimentIntensityAnalyzer()

    def mean_compound(pieces):
        return np.mean([reference.polarity_scores(p)["compound"] for p in pieces])

    tones = voices.speech_tone(ARTICLES, extracted).set_index("id")
    # a1: the two quotes (marks straightened) against what is left of each sentence: "Putin said." and the
    # reported speech (in the outlet's words).
    quoted = {"a1": ['"We will respond harshly,"', '"The West is to blame."'], "a2": ['"We need more weapons."'],
              "b1": ['"This is a great day for peace,"'], "b2": ['"Aid will come."']}
    own = {"a1": ["Putin said.", "A senior official said the talks had failed."],
           "a2": ["Zelensky said:", "Russia and Ukraine traded strikes.", "It was a terrible night."],
           "a3": ["Nothing happened in Brussels."], "b1": ["Zelensky said.", "NATO and Russia met, and the talks were good."],
           "b2": ["Analyst Jane Roe said:", "The Kremlin said Ukraine was losing."]}  # fmt: skip
    for doc, pieces in quoted.items():
        assert tones.loc[doc, "quoted_tone"] == pytest.approx(mean_compound(pieces), abs=1e-4)
        assert tones.loc[doc, "quoted_sentences"] == len(pieces)
    for doc, pieces in own.items():
        assert tones.loc[doc, "own_tone"] == pytest.approx(mean_compound(pieces), abs=1e-4)
        assert tones.loc[doc, "own_sentences"] == len(pieces)
    assert np.isnan(tones.loc["a3", "quoted_tone"]) and tones.loc["a3", "quoted_sentences"] == 0
    assert tones.loc["b2", "quoted_chars"] == len('"Aid will come."')


def test_scare_quotes_and_reported_speech_are_the_outlets_own_voice():
    doc = pd.DataFrame({"id": ["s"], "outlet": ["X"],
                        "text": ["Critics mock the “red lines” again. Lavrov said the talks were a disaster."]})
    tones = voices.speech_tone(doc, quotes.extract(doc))
    assert tones.loc[0, "quoted_sentences"] == 0
    assert tones.loc[0, "own_sentences"] == 2


def test_tone_by_outlet_has_student_t_intervals(extracted):
    tones = voices.speech_tone(ARTICLES, extracted)
    table = voices.speech_tone_by_outlet(tones, min_n=1)
    assert table[["outlet", "voice"]].values.tolist() == [
        ["Alpha", "quoted"], ["Alpha", "own"], ["Alpha", "quoted − own"],
        ["Beta", "quoted"], ["Beta", "own"], ["Beta", "quoted − own"]]  # fmt: skip
    alpha = tones[tones["outlet"] == "Alpha"]
    diff = (alpha["quoted_tone"] - alpha["own_tone"]).dropna().to_numpy()
    row = table[(table["outlet"] == "Alpha") & (table["voice"] == "quoted − own")].iloc[0]
    assert row["n"] == 2 and row["mean"] == pytest.approx(diff.mean())
    expected = stats.t.interval(0.95, df=1, loc=diff.mean(), scale=stats.sem(diff))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(expected)
    own = table[(table["outlet"] == "Alpha") & (table["voice"] == "own")].iloc[0]
    assert own["n"] == 3


def test_mentions_per_outlet_and_over_time(mentions):
    table = voices.mention_shares(ARTICLES, mentions, min_n=1).set_index(["actor", "outlet"])
    expected = {("Russia", "Alpha"): (3, 2 / 3, 3), ("Ukraine", "Alpha"): (3, 1 / 3, 3), ("EU", "Alpha"): (3, 1 / 3, 1),
                ("NATO", "Alpha"): (3, 0.0, 0), ("Russia", "Beta"): (2, 1.0, 2), ("Ukraine", "Beta"): (2, 1.0, 2),
                ("NATO", "Beta"): (2, 0.5, 1), ("EU", "Beta"): (2, 0.0, 0)}  # fmt: skip
    assert sorted(table.index) == sorted(expected)
    for key, (n, share, count) in expected.items():
        assert (table.loc[key, "n"], table.loc[key, "mentions"]) == (n, count)
        assert table.loc[key, "mean"] == pytest.approx(share)
        wilson = proportion_confint(round(share * n), n, alpha=0.05, method="wilson")
        assert (table.loc[key, "ci_low"], table.loc[key, "ci_high"]) == pytest.approx(wilson)
    weekly = voices.mention_shares(ARTICLES, mentions, by=["period"], top=1, min_n=1)
    assert weekly["actor"].unique().tolist() == ["Russia"]  # in 4 articles; Ukraine in 3
    assert weekly["period"].dt.strftime("%Y-%m-%d").tolist() == ["2024-09-02", "2024-09-09"]
    assert weekly["n"].tolist() == [3, 2] and weekly["mean"].tolist() == pytest.approx([1.0, 0.5])
    undated = ARTICLES.assign(published=ARTICLES["published"].where(ARTICLES["id"] != "a3"))
    assert voices.mention_shares(undated, mentions, by=["period"]).attrs["undated"] == 1


def test_cooccurrence_edges_and_nodes(mentions):
    edges = voices.cooccurrence(mentions)
    # a2 and b2: "Russia and Ukraine ...", "... Ukraine was losing" after "The Kremlin"; b1: "NATO and Russia met"
    assert edges.values.tolist() == [["Russia", "Ukraine", 2, 2], ["NATO", "Russia", 1, 1]]
    nodes = voices.actor_counts(mentions)
    assert nodes.values.tolist() == [["Russia", 5, 4], ["Ukraine", 5, 3], ["EU", 1, 1], ["NATO", 1, 1]]


def test_actor_network_is_deterministic(mentions):
    from newslens import plots
    from newslens.report import png_bytes

    edges, nodes = voices.cooccurrence(mentions), voices.actor_counts(mentions)
    first = plots.actor_network(edges, nodes, seed=3)
    second = plots.actor_network(edges.iloc[::-1], nodes, seed=3)
    assert png_bytes(first.figure) == png_bytes(second.figure)
    assert sorted(t.get_text() for t in first.texts) == ["NATO", "Russia", "Ukraine"]


def test_example_quotes(labelled):
    examples = voices.example_quotes(labelled, per=2)
    assert examples[["voice", "outlet"]].values.tolist() == [
        ["Russia", "Alpha"], ["Russia", "Alpha"], ["Russia", "Beta"], ["Ukraine", "Alpha"], ["Ukraine", "Beta"]]
    assert examples["quote"].tolist()[:3] == ["“The West is to blame.”", "“We will respond harshly,”",
                                              "Ukraine was losing"]  # fmt: skip
    assert examples.loc[0, "title"] == "Moscow warns"
    short = voices.example_quotes(labelled, per=1, max_chars=10)
    assert short.loc[0, "quote"] == "“The West…"


def test_example_quotes_are_shown_as_text():
    planted = pd.DataFrame({"id": ["x"], "outlet": ["Alpha"], "title": ["<b>t</b>"],
                            "text": ["“<script>alert('x')</script> is a red line,” Putin said."]})
    examples = voices.example_quotes(voices.label_quotes(quotes.extract(planted), planted))
    assert examples["quote"].tolist() == ["“<script>alert('x')</script> is a red line,”"]
    markup = table_html(examples)
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup


def test_empty_selection_gives_empty_tables():
    none = ARTICLES.iloc[0:0]
    labelled = voices.label_quotes(quotes.extract(none), none)
    assert voices.voice_shares(labelled, none).empty
    assert voices.other_side(labelled, none, ["Russia", "Ukraine"]).empty
    assert voices.speech_tone(none, quotes.extract(none)).empty
    assert voices.example_quotes(labelled).empty


def test_a_selection_without_quotes_or_mentions_still_gives_tables_and_figures():
    from newslens import plots

    arts = pd.DataFrame({"id": ["a", "b"], "outlet": ["X", "Y"], "published": pd.to_datetime(["2024-09-02", None]),
                         "title": ["Nothing", "Weather"], "text": ["It rained all day.", "“Sunny,” a resident said."]})
    labelled = voices.label_quotes(quotes.extract(arts), arts)
    mentions = actors.mentions(text.split_sentences(arts))
    shares = voices.mention_shares(arts, mentions)
    assert shares.empty
    assert plots.interval_dots(shares, row="actor").get_title().endswith("nothing to show in this selection")
    by_role = voices.voice_shares(labelled, arts, by="role")
    unnamed = voices.unnamed_share(by_role, by_role)
    assert unnamed[["outlet", "quotes", "quote_share"]].values.tolist() == [["Y", 0, 0.0]]
    assert unnamed[["quote_low", "quote_high"]].isna().all(axis=None)  # one article: no interval
    sides = voices.other_side(labelled, arts, voices.most_quoted(labelled), min_n=1)
    assert sides["quotes"].tolist() == [0, 0, 0, 0] and sides["quote_share"].isna().all()
    assert voices.cooccurrence(mentions).empty
    assert plots.actor_network(voices.cooccurrence(mentions), voices.actor_counts(mentions)).get_title().startswith(
        "Actors mentioned in the same sentence: no pair")


def test_a_quote_without_speaker_has_no_speaker_and_unknown_role():
    arts = pd.DataFrame({"id": ["n"], "outlet": ["X"], "text": [
        "The crowd was large. “This war must end now, before more people die in it and more cities burn.” "
        "Nobody knew who shouted it."]})  # fmt: skip
    labelled = voices.label_quotes(quotes.extract(arts), arts)
    assert labelled[["voice", "role", "words"]].values.tolist() == [[voices.NO_SPEAKER, "(unknown)", 15]]
    assert voices.example_quotes(labelled).empty  # only dictionary voices get example quotes
