"""newslens.vader must score exactly like vaderSentiment 3.3.2 (the oracle), only faster."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
)

from newslens.vader import Vader, score_many

FIXTURE = Path(__file__).parent / "fixtures" / "vader" / "tricky_sentences.txt"
EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "vader_icwsm2014"

ORACLE = SentimentIntensityAnalyzer()
OURS = Vader()


def fixture_sentences() -> list[str]:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("text", fixture_sentences())
def test_tricky_sentences_match_the_oracle(text):
    assert OURS.polarity_scores(text) == ORACLE.polarity_scores(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\t\n",
        "  good  ",
        "GOOD",
        "good\u00a0BAD\u2003ok",  # non-breaking and em spaces are whitespace for str.split
        "💘",
        "💘💘 good",
        "good💘",
        "a \U0001f600 b",
        "👍🏽 great",  # emoji + skin-tone modifier
        "Ce n'est pas mal",
        "wasn't isn't aren't",
        "no",
        "no no",
        "no good",
        "kind of",
        "kind",
        "kind of good",
        "but",
        "least",
        "at least good",
        "very least good",
        "so good",
        "never so good",
        "never this bad",
        "without doubt good",
        "GREAT great",
        "the shit the bomb",
        "bad ass badass",
        "good " * 300 + "but bad " * 300,
        "?" * 10 + " good",
        "good " + "!" * 10,
        "Good? Good?? Good???",
    ],
)
def test_edge_inputs_match_the_oracle(text):
    assert OURS.polarity_scores(text) == ORACLE.polarity_scores(text)


def test_hand_checked_values():
    # good = 1.9 in the lexicon; compound = s / sqrt(s^2 + 15), rounded to 4 places.
    assert OURS.polarity_scores("good") == {"neg": 0.0, "neu": 0.0, "pos": 1.0, "compound": 0.4404}
    # "not" negates: 1.9 * -0.74 = -1.406 -> -1.406 / sqrt(1.976836 + 15) = -0.3412;
    # neg = (1.406 + 1) / (2.406 + 1 neutral word) = 0.706
    assert OURS.polarity_scores("not good") == {"neg": 0.706, "neu": 0.294, "pos": 0.0, "compound": -0.3412}
    # three "!" add 3 * 0.292 = 0.876: 2.776 / sqrt(7.706176 + 15) = 0.5826
    assert OURS.polarity_scores("good!!!")["compound"] == 0.5826
    # booster "very" adds 0.293: 2.193 -> 0.4927; pos = 3.193 / 4.193 = 0.762
    assert OURS.polarity_scores("very good") == {"neg": 0.0, "neu": 0.238, "pos": 0.762, "compound": 0.4927}
    # "but": good 1.9 * 0.5 = 0.95 before, bad -2.5 * 1.5 = -3.75 after; sum -2.8 -> -0.5859;
    # pos 1.95, neg 4.75, 7 neutral words: total 13.7
    assert OURS.polarity_scores("The food is good but the service is bad") == {
        "neg": 0.347,
        "neu": 0.511,
        "pos": 0.142,
        "compound": -0.5859,
    }
    # ALL CAPS among lower case adds 0.733: 2.633 - 2.5 = 0.133 -> 0.0343
    assert OURS.polarity_scores("GOOD food, bad service")["compound"] == 0.0343
    # "kind" is itself a lexicon word (2.4), so "kind of" does not dampen "good" here.
    assert OURS.polarity_scores("kind of good")["compound"] == 0.4404
    assert OURS.polarity_scores("") == {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}


def test_lexicons_are_the_installed_packages():
    assert OURS.lexicon == ORACLE.lexicon
    assert OURS.emojis == ORACLE.emojis


_VOCAB = sorted(
    {
        *BOOSTER_DICT,
        *NEGATE,
        *SPECIAL_CASES,
        *"no not never so this without doubt least at very or nor but BUT kind of sort the".split(),
        *"good GOOD bad BAD war peace great horrible threat safe :) :( :D <3 LOL".split(),
        "isn't",
        "don't",
        "“great”",
        "‘bad’",
        "good,",
        "bad!",
        "(good)",
        "💘",
        "😡",
        "🔥",
        "!",
        "?",
        "!!",
        "???",
    }
)
_LEXICON_WORDS = sorted(ORACLE.lexicon)


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(
        st.one_of(
            st.sampled_from(_VOCAB),
            st.sampled_from(_LEXICON_WORDS),
            st.sampled_from(_LEXICON_WORDS).map(str.upper),
            st.text(min_size=1, max_size=6),
        ),
        max_size=25,
    ),
    sep=st.sampled_from([" ", "  ", "\n", " \t", ""]),
)
def test_random_texts_match_the_oracle(words, sep):
    text = sep.join(words)
    assert OURS.polarity_scores(text) == ORACLE.polarity_scores(text)


def test_score_many_in_workers_keeps_order_and_scores():
    texts = fixture_sentences() * 7
    expected = [tuple(ORACLE.polarity_scores(t).values()) for t in texts]
    assert score_many(texts) == expected
    assert score_many(texts, jobs=2, chunk_size=25) == expected


def test_score_many_uses_the_given_analyzer_in_workers_too():
    texts = fixture_sentences() * 7
    custom = Vader()
    for word in ("good", "great", "bad", "terrible"):  # turn a few valences around
        custom.lexicon[word] = -custom.lexicon[word]
    expected = custom.scores(texts)
    assert expected != OURS.scores(texts)  # the custom lexicon changes some scores
    assert score_many(texts, analyzer=custom) == expected
    assert score_many(texts, jobs=2, chunk_size=25, analyzer=custom) == expected
    assert score_many(texts, jobs=2, chunk_size=25) == OURS.scores(texts)  # and only where it is given


@pytest.mark.parametrize("jobs", [0, -1, 1.5, "2"])
def test_score_many_rejects_bad_jobs(jobs):
    with pytest.raises(ValueError, match="jobs must be a positive integer"):
        score_many(["good"], jobs=jobs)


def test_published_ground_truth_scores_match():
    if not EVAL.is_dir():
        pytest.skip(f"VADER ground truth not available at {EVAL} (only in the project's shared eval folder)")
    total = 0
    for gt in sorted(EVAL.glob("*_GroundTruth.txt")):
        lines = [line for line in gt.read_bytes().decode("utf-8-sig").split("\r\n") if line]
        texts = [line.split("\t", 2)[2] for line in lines]
        scores_file = EVAL / "derived" / gt.name.replace("_GroundTruth.txt", "_vaderSentiment-3.3.2_scores.tsv")
        rows = scores_file.read_text(encoding="utf-8").splitlines()[1:]
        reference = [tuple(float(v) for v in row.split("\t")[2:6]) for row in rows]
        assert len(reference) == len(texts)
        mismatches = [t for t, ref in zip(texts, reference, strict=True) if OURS.score(t) != ref]
        assert mismatches == [], f"{gt.name}: {len(mismatches)} mismatches, e.g. {mismatches[:3]}"
        total += len(texts)
    assert total == 23_703
