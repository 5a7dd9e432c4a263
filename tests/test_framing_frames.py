"""Frame dictionaries: scores per article, per sentence and per driver term, counted by hand."""

from pathlib import Path

import pandas as pd
import pytest

from newslens.dictionary import Dictionary, DictionaryError
from newslens.framing import (
    dominant_counts,
    frame_drivers,
    frame_examples,
    frame_prevalence,
    frame_scores,
    frame_sentences,
    frame_table,
    load_scheme,
    scheme_table,
    sentence_table,
    top_frames,
)

FIXTURES = Path(__file__).parent / "fixtures" / "framing"
TINY = FIXTURES / "tiny_frames.yml"


@pytest.fixture
def docs() -> pd.DataFrame:
    # Token counts by hand (title + body): a 4 + 10 = 14, b 4, c 1 + 4 = 5, d 4.
    return pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "title": ["Red lines and costs", "", "Budget", ""],
            "text": ["The clash over red lines. War costs money. The budget.", "A clash. Calm day.",
                     "budget budget clash clash", "war war cost cost"],
            "outlet": ["X", "X", "Y", "Y"],
            "published": pd.to_datetime(["2024-09-02", "2024-09-03", "2024-09-10", "2024-09-11"]),
        }
    )


def test_frame_scores_hand_counted(docs):
    s = frame_scores(docs, TINY)
    assert list(s.columns) == ["id", "outlet", "published", "frame", "hits", "n_tokens", "per_1000", "present",
                               "dominant"]
    assert s["frame"].tolist() == ["conflict", "economic", "other"] * 4
    measured = s.loc[s["frame"] != "other"]
    # a: conflict = red lines (title), clash, red lines, war; economic = costs (title), costs, budget
    assert measured["hits"].tolist() == [4, 3, 1, 0, 2, 3, 2, 2]
    assert measured["n_tokens"].tolist() == [14, 14, 4, 4, 5, 5, 4, 4]
    expected_rate = [4 / 14, 3 / 14, 1 / 4, 0, 2 / 5, 3 / 5, 2 / 4, 2 / 4]
    assert measured["per_1000"].tolist() == pytest.approx([1000 * r for r in expected_rate])
    # b has one conflict hit: below min_hits=2, so nothing is present and the residual frame applies
    assert s["present"].tolist() == [True, True, False, False, False, True, True, True, False, True, True, False]
    dominant = s.loc[s["dominant"], ["id", "frame"]].values.tolist()
    # d is a tie (2 hits each): the frame listed first in the scheme wins
    assert dominant == [["a", "conflict"], ["b", "other"], ["c", "economic"], ["d", "conflict"]]
    other = s.loc[s["frame"] == "other"]
    assert other["hits"].isna().all() and other["per_1000"].isna().all()


def test_threshold_and_min_hits(docs):
    long_doc = pd.DataFrame({"id": ["long"], "text": ["clash clash " + "filler " * 2998]})  # 3000 tokens
    default = frame_scores(long_doc, TINY)
    assert default.loc[default["frame"] == "conflict", "per_1000"].item() == pytest.approx(2 / 3)
    assert not default.loc[default["frame"] == "conflict", "present"].item()  # 0.67 per 1,000 < 1.0
    lenient = frame_scores(long_doc, TINY, threshold=0.5)
    assert lenient.loc[lenient["frame"] == "conflict", "present"].item()
    one_hit = frame_scores(docs, TINY, min_hits=1)
    b = one_hit.loc[one_hit["id"] == "b"].set_index("frame")
    assert b.loc["conflict", "present"] and b.loc["conflict", "dominant"] and not b.loc["other", "present"]


def test_text_part_and_missing_columns(docs):
    body = frame_scores(docs, TINY, text="text")
    a = body.loc[(body["id"] == "a") & (body["frame"] == "conflict")]
    assert a[["hits", "n_tokens"]].values.tolist() == [[3, 10]]
    title_only = frame_scores(docs[["id", "text"]], TINY)  # no title column, no outlet/published
    assert list(title_only.columns[:2]) == ["id", "frame"]
    with pytest.raises(ValueError, match="text='body' is not valid; choose one of: title\\+text, title, text"):
        frame_scores(docs, TINY, text="body")
    with pytest.raises(ValueError, match="duplicate article ids: a"):
        frame_scores(pd.concat([docs, docs.iloc[:1]]), TINY)


def test_no_residual_gives_none_and_empty_text():
    d = Dictionary.from_mapping({"eco": ["cost*"]})
    docs = pd.DataFrame({"id": ["x", "y"], "text": ["nothing here", ""]})
    s = frame_scores(docs, d)
    assert s["hits"].tolist() == [0, 0] and s["n_tokens"].tolist() == [2, 0]
    assert pd.isna(s["per_1000"].iloc[1]) and not s["present"].any()
    assert frame_table(s)["dominant_frame"].tolist() == ["none", "none"]


def test_liwc_dic_gives_the_same_counts(docs):
    yml = frame_scores(docs, TINY)
    dic = frame_scores(docs, FIXTURES / "tiny_frames.dic")
    pd.testing.assert_frame_equal(
        dic.reset_index(drop=True),
        yml.loc[yml["frame"] != "other"].reset_index(drop=True).assign(
            dominant=dic["dominant"].to_numpy()),  # without a residual, b has no dominant frame
    )
    assert frame_table(dic).set_index("id").loc["b", "dominant_frame"] == "none"


def test_frame_table_wide(docs):
    t = frame_table(frame_scores(docs, TINY))
    assert list(t.columns) == ["id", "outlet", "published", "n_tokens", "dominant_frame",
                               "conflict_hits", "conflict_per_1000", "conflict_present",
                               "economic_hits", "economic_per_1000", "economic_present",
                               "other_hits", "other_per_1000", "other_present"]
    assert t["dominant_frame"].tolist() == ["conflict", "other", "economic", "conflict"]
    assert t["economic_hits"].tolist() == [3, 0, 3, 2]


def test_frame_sentences_hand_listed(docs):
    s = frame_sentences(docs.iloc[:1], TINY)
    got = s[["part", "sentence_no", "frame", "hits", "terms"]].values.tolist()
    assert got == [
        ["title", 0, "conflict", 1, "red lines"],
        ["title", 0, "economic", 1, "costs"],
        ["body", 0, "conflict", 2, "clash; red lines"],
        ["body", 1, "conflict", 1, "war"],
        ["body", 1, "economic", 1, "costs"],
        ["body", 2, "economic", 1, "budget"],
    ]
    assert s["sentence"].tolist()[2] == "The clash over red lines."
    assert (s["outlet"] == "X").all()


def test_frame_examples_picks_most_hits(docs):
    s = frame_sentences(docs, TINY)
    top = frame_examples(s, n=1)
    got = top[["frame", "outlet", "id", "sentence", "hits"]].values.tolist()
    assert got == [
        ["conflict", "X", "a", "The clash over red lines.", 2],
        ["conflict", "Y", "c", "budget budget clash clash", 2],
        ["economic", "X", "a", "Red lines and costs", 1],  # tie at 1 hit: title first
        ["economic", "Y", "c", "budget budget clash clash", 2],
    ]


def test_frame_drivers_hand_counted(docs):
    d = frame_drivers(docs, TINY)
    assert list(d.columns) == ["frame", "outlet", "term", "pattern", "hits", "share"]
    got = [(r.frame, r.outlet, r.term, r.pattern, r.hits, round(r.share, 4)) for r in d.itertuples()]
    assert got == [
        ("conflict", "X", "clash", "clash*", 2, 0.4),
        ("conflict", "X", "red lines", "red line*", 2, 0.4),
        ("conflict", "X", "war", "war", 1, 0.2),
        ("conflict", "Y", "clash", "clash*", 2, 0.5),
        ("conflict", "Y", "war", "war", 2, 0.5),
        ("economic", "X", "costs", "cost*", 2, round(2 / 3, 4)),
        ("economic", "X", "budget", "budget", 1, round(1 / 3, 4)),
        ("economic", "Y", "budget", "budget", 3, 0.6),
        ("economic", "Y", "cost", "cost*", 2, 0.4),
    ]
    top1 = frame_drivers(docs, TINY, top=1, by=None)
    assert top1[["frame", "term", "hits", "share"]].values.tolist() == [
        ["conflict", "clash", 4, pytest.approx(4 / 9)], ["economic", "budget", 4, pytest.approx(4 / 8)]]


def test_bundled_schemes_are_complete():
    generic = load_scheme("generic")
    assert generic.frames == ("conflict", "human_interest", "economic_consequences", "morality", "responsibility")
    assert generic.residual is None
    policy = load_scheme("policy")
    assert len(policy.dictionary.categories) == 14 and policy.residual == "other"
    assert len(policy.frames) == 15
    for name in ("generic", "policy"):
        table = scheme_table(name)
        measured = table.loc[table["n_patterns"] > 0]
        assert (measured["n_patterns"].between(15, 45)).all(), measured[["frame", "n_patterns"]]
        assert (table["description"].str.len() > 40).all()
        assert measured["source"].str.contains("2000|2014").all()
    assert "no other frame" in policy.residual_description.lower() or "none of" in policy.residual_description


@pytest.mark.parametrize(
    ("scheme", "sentence", "frame"),
    [
        ("generic", "The two sides clashed as critics accused the minister and rivals rejected the plan.",
         "conflict"),
        ("generic", "The mother mourned her children; the families of the victims suffered in grief.",
         "human_interest"),
        ("generic", "The costs hit the budget: billions in spending, higher prices and lost revenue.",
         "economic_consequences"),
        ("generic", "Church leaders called it a moral duty and an evil that shames our conscience.", "morality"),
        ("generic", "The government is responsible and must take action; critics blame its failure to decide.",
         "responsibility"),
        ("policy", "Troops, missiles and drones: the military attack threatens national security.",
         "security_and_defense"),
        ("policy", "A new poll and survey show public opinion and public support shifting.", "public_opinion"),
        ("policy", "Shortages of ammunition and supplies deplete the army's reserves.", "capacity_and_resources"),
        ("policy", "Diplomats at the summit negotiated sanctions with allies and partners.", "external_regulation"),
    ],
)
def test_prototypical_sentences_get_their_frame(scheme, sentence, frame):
    s = frame_scores(pd.DataFrame({"id": ["p"], "text": [sentence]}), scheme)
    assert s.loc[s["dominant"], "frame"].item() == frame


def test_bad_scheme_arguments(tmp_path):
    with pytest.raises(ValueError, match="scheme='nope' is not valid; choose one of: generic, policy"):
        load_scheme("nope")
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\nresidual: conflict\ncategories:\n  conflict: [war]\n  eco: [cost]\n")
    with pytest.raises(DictionaryError, match="bad.yml: residual frame 'conflict' is also a category"):
        load_scheme(bad)


def test_prevalence_is_group_mean_of_presence(docs):
    from newslens.aggregate import group_mean

    scores = frame_scores(docs, TINY)
    prev = frame_prevalence(scores, by=["outlet"], min_n=1, seed=0)
    assert prev["frame"].tolist() == ["conflict", "conflict", "economic", "economic", "other", "other"]
    # presence from test_frame_scores_hand_counted: conflict a, c, d; economic a, c, d; other b
    assert prev["mean"].tolist() == [0.5, 1.0, 0.5, 1.0, 0.5, 0.0]
    oracle = group_mean(scores.assign(v=scores["present"].astype(float)), "v", ["frame", "outlet"], min_n=1, seed=0)
    assert prev[["ci_low", "ci_high"]].to_numpy() == pytest.approx(oracle[["ci_low", "ci_high"]].to_numpy())
    weekly = frame_prevalence(scores, by=["period"], period="week", min_n=1)
    conflict = weekly.loc[weekly["frame"] == "conflict"]
    assert conflict["period"].dt.strftime("%Y-%m-%d").tolist() == ["2024-09-02", "2024-09-09"]
    assert conflict[["n", "mean"]].values.tolist() == [[2, 0.5], [2, 1.0]]


def test_dominant_counts_hand_counted(docs):
    # dominant frames from test_frame_scores_hand_counted: X a conflict, b other; Y c economic, d conflict
    counts = dominant_counts(frame_scores(docs, TINY))
    assert counts.columns.tolist() == ["outlet", "conflict", "economic", "other", "all"]
    assert counts.values.tolist() == [["X", 1, 0, 1, 2], ["Y", 1, 1, 0, 2], ["all", 2, 1, 1, 4]]


def test_dominant_counts_without_residual_frame_adds_none_and_keeps_zero_columns(docs):
    scheme = Dictionary.from_mapping(
        {"conflict": ["clash*", "red line*", "war"], "morality": ["moral*"], "economic": ["cost*", "budget"]}
    )
    counts = dominant_counts(frame_scores(docs, scheme))
    # morality is never dominant but keeps its column; b (one conflict hit) has no dominant frame
    assert counts.columns.tolist() == ["outlet", "conflict", "morality", "economic", "none", "all"]
    assert counts.values.tolist() == [["X", 1, 0, 0, 1, 2], ["Y", 1, 0, 1, 0, 2], ["all", 2, 0, 1, 1, 4]]
    with pytest.raises(KeyError, match="column 'section' not in table"):
        dominant_counts(frame_scores(docs, scheme), by="section")


def test_top_frames_by_share_of_articles_ties_in_scheme_order(docs):
    # hits (conflict, economic): a 4, 3; b 1, 0; c 2, 3; d 2, 2. With min_hits=3 conflict is present in a
    # (1/4), economic in a and c (2/4), and the residual frame in b and d (2/4): a tie broken by scheme order.
    scores = frame_scores(docs, TINY, min_hits=3)
    assert top_frames(scores, n=2) == ["economic", "other"]
    assert top_frames(scores) == ["economic", "other", "conflict"]
    # with the default min_hits=2: conflict and economic 3/4 each, other 1/4
    assert top_frames(frame_scores(docs, TINY), n=1) == ["conflict"]
    with pytest.raises(ValueError, match="n must be at least 1"):
        top_frames(scores, n=0)


def test_frame_sentences_from_a_sentence_table_split_once(docs):
    units = sentence_table(docs)
    assert units[["part", "sentence_no"]].values.tolist()[:1] == [["title", 0]]
    for scheme in (TINY, "generic"):
        pd.testing.assert_frame_equal(frame_sentences(docs, scheme, sentences=units), frame_sentences(docs, scheme))


def test_given_counts_in_any_order_give_the_same_scores(docs):
    from newslens import dictionary

    d = load_scheme(TINY).dictionary
    counts = dictionary.count(d, docs.assign(both=docs["title"] + " " + docs["text"]), id_col="id", text_col="both")
    shuffled = pd.concat([counts.sample(frac=1, random_state=0),
                          pd.DataFrame({"id": ["other"], "category": ["conflict"], "count": [9], "n_tokens": [9]})])
    pd.testing.assert_frame_equal(frame_scores(docs, TINY, counts=shuffled), frame_scores(docs, TINY), check_exact=True)
    for broken in (counts.iloc[1:], pd.concat([counts, counts.iloc[:1]])):  # a cell missing, a cell twice
        with pytest.raises(ValueError, match="one row per article and frame"):
            frame_scores(docs, TINY, counts=broken)
