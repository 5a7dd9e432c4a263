"""NMF topics: determinism per seed, recovery of planted topics, shares and representative articles."""

import numpy as np
import pandas as pd
import pytest

from newslens.framing import fit_topics, representative_articles, topic_labels, topic_terms


def _planted(n_per_topic: int = 8, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    vocab = {
        "war": ["missile", "strike", "troops", "artillery", "frontline", "drone"],
        "money": ["budget", "inflation", "deficit", "taxes", "markets", "prices"],
        "talks": ["summit", "diplomats", "negotiations", "treaty", "envoy", "ceasefire"],
    }
    rows = []
    for t, (name, words) in enumerate(vocab.items()):
        for i in range(n_per_topic):
            text = " ".join(rng.choice(words, size=12).tolist() + ["report", "week"])
            rows.append((f"{name}{i:02d}", f"outlet{i % 2}", text, name))
    return pd.DataFrame(rows, columns=["id", "outlet", "text", "planted"])


def test_same_seed_same_model_and_planted_topics_recovered():
    docs = _planted()
    a = fit_topics(docs[["id", "outlet", "text"]], k=3, seed=0)
    b = fit_topics(docs[["id", "outlet", "text"]], k=3, seed=0)
    pd.testing.assert_frame_equal(a.terms, b.terms)
    pd.testing.assert_frame_equal(a.documents, b.documents)
    pd.testing.assert_frame_equal(a.dominant, b.dominant)
    # each planted group maps to exactly one topic and each topic to one group
    merged = a.dominant.merge(docs[["id", "planted"]], on="id")
    assert merged.groupby("planted")["topic"].nunique().eq(1).all()
    assert merged.groupby("topic")["planted"].nunique().eq(1).all()
    assert sorted(merged["topic"].unique()) == [0, 1, 2]
    # "report" and "week" occur in every article: above max_df=0.9, so never a topic term
    assert not a.terms["term"].isin(["report", "week"]).any()


def test_other_seed_gives_a_valid_model():
    docs = _planted()[["id", "outlet", "text"]]
    other = fit_topics(docs, k=3, seed=7)
    assert other.seed == 7 and len(other.documents) == 3 * len(docs)
    assert other.documents.groupby("id")["share"].sum().to_numpy() == pytest.approx(np.ones(len(docs)))


def test_terms_shares_and_representatives():
    docs = _planted()
    model = fit_topics(docs, k=3, seed=0, n_terms=4)
    assert model.terms.groupby("topic")["rank"].apply(list).tolist() == [[1, 2, 3, 4]] * 3
    assert (model.terms.groupby("topic")["weight"].apply(lambda w: w.is_monotonic_decreasing)).all()
    assert list(model.documents.columns) == ["id", "outlet", "topic", "weight", "share"]
    reps = representative_articles(model, docs.assign(title=docs["id"].str.upper()), n=2)
    assert reps.groupby("topic").size().tolist() == [2, 2, 2]
    for row in reps.itertuples():
        same_topic = model.documents.loc[model.documents["topic"] == row.topic, "share"]
        assert row.share >= same_topic.quantile(0.5)
    assert reps["title"].tolist()[0] == reps["id"].tolist()[0].upper()
    labels = topic_labels(model, n=2)
    assert labels["label"].str.match(r"^\d: \w+, \w+$").all()


def test_topic_terms_filter_and_errors():
    assert topic_terms("The 3 long-range missiles of 2024 — a test") == ["long-range", "missiles", "test"]
    docs = _planted(n_per_topic=1)
    with pytest.raises(ValueError, match="3 articles cannot support k=4 topics"):
        fit_topics(docs, k=4)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        fit_topics(docs, k=0)


def _uneven() -> pd.DataFrame:
    """Three planted topics of different weight: few short articles, many long ones, a narrow one."""
    rng = np.random.default_rng(1)
    plan = [  # (name, words, articles, words per article)
        ("war", ["missile", "strike", "troops", "artillery", "frontline", "drone"], 7, 6),
        ("money", ["budget", "inflation", "deficit", "taxes", "markets", "prices"], 9, 12),
        ("talks", ["summit", "diplomats"], 8, 7),
    ]
    rows = [(f"{name}{i:02d}", "o", " ".join(rng.choice(words, size=length).tolist()), name)
            for name, words, count, length in plan for i in range(count)]  # fmt: skip
    return pd.DataFrame(rows, columns=["id", "outlet", "text", "planted"])


def test_topics_are_numbered_by_weight_whatever_the_solver_order():
    docs = _uneven()
    model = fit_topics(docs[["id", "outlet", "text"]], k=3, seed=0, min_df=1, n_terms=100)
    assert model.terms.groupby("topic").size().min() >= 2  # every term of each topic is listed
    # a topic's weight is its part of the reconstruction: sum over articles x sum over terms
    weight = model.documents.groupby("topic")["weight"].sum() * model.terms.groupby("topic")["weight"].sum()
    assert weight.is_monotonic_decreasing and weight.iloc[0] > 1.2 * weight.iloc[-1]
    merged = model.dominant.merge(docs[["id", "planted"]], on="id")
    topic_of = merged.groupby("planted")["topic"].agg(lambda t: t.mode().item())
    assert sorted(topic_of.tolist()) == [0, 1, 2]
    # the numbering is the same when the articles come in another order
    shuffled = docs.sample(frac=1.0, random_state=3)[["id", "outlet", "text"]]
    again = fit_topics(shuffled, k=3, seed=0, min_df=1, n_terms=100)
    first_terms = model.terms.query("rank <= 2").groupby("topic")["term"].apply(set)
    assert again.terms.query("rank <= 2").groupby("topic")["term"].apply(set).equals(first_terms)
    assert topic_labels(model, n=1)["label"].tolist()[0].startswith("0: ")


def test_sampled_fit_recovers_planted_topics_and_ignores_row_order():
    # 300 articles, fitted on a seeded sample of 60, then every article transformed
    docs = _planted(n_per_topic=100, seed=2)
    model = fit_topics(docs[["id", "outlet", "text"]], k=3, seed=0, fit_sample=60)
    merged = model.dominant.merge(docs[["id", "planted"]], on="id")
    assert merged.groupby("planted")["topic"].nunique().eq(1).all()
    assert merged.groupby("topic")["planted"].nunique().eq(1).all()
    vocab = {"war": "missile", "money": "budget", "talks": "summit"}
    for name, word in vocab.items():  # each topic's terms are the planted words of one group
        topic = merged.loc[merged["planted"] == name, "topic"].iloc[0]
        planted_words = set(" ".join(docs.loc[docs["planted"] == name, "text"]).split()) - {"report", "week"}
        top = model.terms.loc[(model.terms["topic"] == topic) & (model.terms["rank"] <= 6), "term"]
        assert set(top) == planted_words  # the six planted words, and only they, lead the topic
        assert word in planted_words
    again = fit_topics(docs.iloc[::-1][["id", "outlet", "text"]], k=3, seed=0, fit_sample=60)
    pd.testing.assert_frame_equal(model.terms, again.terms)
    pd.testing.assert_frame_equal(model.dominant, again.dominant)
    other_sample = fit_topics(docs[["id", "outlet", "text"]], k=3, seed=1, fit_sample=60)
    assert not other_sample.documents["weight"].equals(model.documents["weight"])


def test_vocabulary_cap_keeps_the_most_frequent_terms():
    docs = pd.DataFrame({"id": list("abcd"), "text": ["alpha alpha beta gamma", "alpha beta gamma delta",
                                                      "alpha beta delta", "alpha gamma delta"]})
    model = fit_topics(docs, k=1, min_df=1, max_df=1.0, max_features=2, n_terms=5)
    # totals: alpha 5, beta 3, gamma 3, delta 3: alpha, then beta (alphabetical tie-break)
    assert sorted(model.terms["term"]) == ["alpha", "beta"]
