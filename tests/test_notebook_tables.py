"""Tables the report notebooks chart, built by the library (the notebooks only call these).

Each is checked against hand-computed values and against the steps the notebooks used to run
themselves (assign a period, merge, drop undated rows, group), which serve as the oracle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from newslens import aggregate, framing, sentiment


def _tones() -> tuple[pd.DataFrame, pd.DataFrame]:
    """An article table and its article_tone-shaped tones: 2 outlets, 2 weeks, one undated, one without tone."""
    articles = pd.DataFrame({
        "id": ["a", "b", "c", "d", "e", "f"],
        "outlet": ["X", "X", "X", "Y", "Y", "Y"],
        "published": pd.to_datetime(["2024-09-02", "2024-09-08", "2024-09-09", "2024-09-04", None, "2024-09-05"]),
    })
    tones = articles.assign(n_sentences=[2, 1, 3, 1, 2, 0], tone=[0.5, -0.1, 0.25, -0.4, 0.9, np.nan])
    return articles, tones


def test_article_tone_over_time_by_hand():
    _, tones = _tones()
    out = sentiment.article_tone_over_time(tones, period="week", min_n=2, n_boot=200, seed=3)
    # weeks start on Monday: 2 and 8 Sep are the week of 2 Sep, 9 Sep the next; e is undated; f has no tone
    assert out[["outlet", "period", "n", "mean", "reliable"]].values.tolist() == [
        ["X", pd.Timestamp("2024-09-02"), 2, pytest.approx(0.2), True],
        ["X", pd.Timestamp("2024-09-09"), 1, 0.25, False],
        ["Y", pd.Timestamp("2024-09-02"), 1, -0.4, False],
    ]
    assert out.attrs["undated"] == 1
    single = out.iloc[1]
    assert np.isnan(single["ci_low"]) and np.isnan(single["ci_high"])  # one value: no interval
    # two values 0.5 and -0.1: mean 0.2, standard error 0.3, Student-t with 1 degree of freedom
    half = stats.t.ppf(0.975, 1) * 0.3
    assert (out.loc[0, "ci_low"], out.loc[0, "ci_high"]) == (pytest.approx(0.2 - half), pytest.approx(0.2 + half))
    with pytest.raises(KeyError, match="published"):
        sentiment.article_tone_over_time(tones.drop(columns="published"))


@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_article_tone_over_time_equals_the_notebook_steps_it_replaces(period):
    articles, tones = _tones()
    with_period = articles.assign(period=aggregate.period_start(articles["published"], period))
    dated = tones.merge(with_period[["id", "period"]], on="id").dropna(subset=["period"])
    expected = aggregate.group_mean(dated, "tone", ["outlet", "period"], seed=0, min_n=3)
    out = sentiment.article_tone_over_time(tones, period=period, seed=0, min_n=3)
    pd.testing.assert_frame_equal(out, expected, check_exact=True)
    assert out.attrs["undated"] == len(tones) - len(dated)


def _topics(seed: int = 0) -> tuple[pd.DataFrame, framing.TopicModel]:
    rng = np.random.default_rng(seed)
    words = {"war": ["missile", "strike", "troops", "drone"], "money": ["budget", "taxes", "markets", "prices"]}
    rows = []
    for name, vocab in words.items():
        for i in range(6):
            published = None if (name, i) == ("war", 5) else f"2024-09-{2 + 4 * i:02d}"
            rows.append((f"{name}{i}", f"outlet{i % 2}", " ".join(rng.choice(vocab, size=10)), published))
    docs = pd.DataFrame(rows, columns=["id", "outlet", "text", "published"])
    docs["published"] = pd.to_datetime(docs["published"])
    return docs, framing.fit_topics(docs, k=2, seed=seed, min_df=1)


def test_topic_share_over_time_equals_the_notebook_steps_it_replaces():
    _, model = _topics()
    documents = model.documents
    dated = documents.assign(period=aggregate.period_start(documents["published"], "week"))
    expected = aggregate.group_mean(dated.dropna(subset=["period"]), "share", ["topic", "period"], seed=1, min_n=2)
    out = framing.topic_share_over_time(model, period="week", seed=1, min_n=2)
    pd.testing.assert_frame_equal(out, expected, check_exact=True)
    assert out.attrs["undated"] == 1  # war5 has no date
    # by hand: 11 dated articles, each counted once per topic; published every 4 days from 2 Sep
    weeks = out.loc[out["topic"] == 0].set_index("period")["n"]
    assert weeks.sum() == 11
    assert weeks.to_dict() == {
        pd.Timestamp("2024-09-02"): 4,  # Mon 2 and Fri 6 Sep, two articles each
        pd.Timestamp("2024-09-09"): 4,  # 10 and 14 Sep
        pd.Timestamp("2024-09-16"): 3,  # 18 Sep, and Sunday 22 Sep (its war article is undated)
    }
    last_week = documents["published"].between("2024-09-16", "2024-09-22") & (documents["topic"] == 1)
    assert out.loc[out["topic"] == 1, "mean"].iloc[-1] == pytest.approx(documents.loc[last_week, "share"].mean())


def test_top_terms_joins_each_topics_terms_by_rank():
    _, model = _topics()
    out = framing.top_terms(model)
    assert list(out.columns) == ["topic", "top terms"] and out["topic"].tolist() == [0, 1]
    for topic, joined in out.itertuples(index=False):
        rows = model.terms[model.terms["topic"] == topic]
        by_rank = [term for _, term in sorted(zip(rows["rank"], rows["term"]))]
        assert joined == ", ".join(by_rank)
    assert {frozenset(cell.split(", ")[:4]) for cell in out["top terms"]} == {  # the planted words lead
        frozenset({"missile", "strike", "troops", "drone"}), frozenset({"budget", "taxes", "markets", "prices"})}


def test_predicted_prevalence_by_hand():
    predictions = pd.DataFrame({
        "id": ["a", "a", "b", "b", "c", "c"],
        "label": ["eco", "war"] * 3,
        "probability": [0.8, 0.2, 0.4, 0.6, 0.9, 0.1],
        "predicted": [True, False, False, True, True, False],
    })
    docs = pd.DataFrame({"id": ["c", "b", "a"], "outlet": ["Y", "X", "X"], "title": ["", "", ""]})
    out = framing.predicted_prevalence(predictions, docs, min_n=2, n_boot=100)
    assert out[["frame", "outlet", "n", "mean", "reliable"]].values.tolist() == [
        ["eco", "X", 2, 0.5, True],
        ["eco", "Y", 1, 1.0, False],
        ["war", "X", 2, 0.5, True],
        ["war", "Y", 1, 0.0, False],
    ]
    with pytest.raises(KeyError, match="'source'"):
        framing.predicted_prevalence(predictions, docs, by="source")
