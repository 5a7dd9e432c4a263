"""newslens.target_tone: clauses, windows, left-out speech, offsets and bad targets.

Expected compounds are computed by hand from VADER's lexicon (``newslens.vader.load_lexicon``) and
VADER's normalisation ``s / sqrt(s² + 15)``, or by ``vaderSentiment`` 3.3.2 itself on the text
that should be scored.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from newslens import actors, sentiment
from newslens.corpus import load_corpus
from newslens.target_tone import (
    SENTENCE_TONE,
    Speech,
    actor_targets,
    actor_tone,
    clause_spans,
    scope,
    scored_text,
    speech_spans,
    target_tone,
)
from newslens.vader import load_lexicon

LEX = load_lexicon()
ORACLE = SentimentIntensityAnalyzer()
CORPUS = "corpus"


def compound(*valences: float) -> float:
    """VADER's compound of a text whose scored words have these valences (no punctuation emphasis)."""
    s = sum(valences)
    return round(s / math.sqrt(s * s + 15), 4)


def oracle(text: str) -> float:
    return ORACLE.polarity_scores(text)["compound"]


def one(sentence: str, start: int, end: int, **options) -> pd.Series:
    out = target_tone(pd.DataFrame({"id": ["s"], "sentence": [sentence]}),
                      pd.DataFrame({"id": ["s"], "start": [start], "end": [end]}), **options)  # fmt: skip
    assert len(out) == 1
    return out.iloc[0]


# --- clause and sentence disagree: values by hand --------------------------------------------------

CONTRAST = "Critics praised the deal, but Smith called it a disaster."


def test_the_sentence_compound_applies_vaders_but_rule():
    # before "but" × 0.5, after it × 1.5
    expected = compound(0.5 * LEX["critics"], 0.5 * LEX["praised"], 1.5 * LEX["disaster"])
    assert expected == -0.7311
    assert one(CONTRAST, 0, 7, **SENTENCE_TONE)["compound"] == expected == oracle(CONTRAST)


def test_the_clause_before_but_is_scored_without_the_but_rule():
    row = one(CONTRAST, 0, 7, split=("contrast",), exclude_quotes="none", mask_target=False)
    assert CONTRAST[row["scope_start"] : row["scope_end"]] == "Critics praised the deal"
    assert row["compound"] == compound(LEX["critics"], LEX["praised"]) == 0.25  # positive, the sentence is negative
    masked = one(CONTRAST, 0, 7, split=("contrast",), exclude_quotes="none")
    assert masked["compound"] == compound(LEX["praised"]) == 0.4939


def test_the_clause_after_but_loses_the_conjunction_and_its_boost():
    row = one(CONTRAST, 30, 35, split=("contrast",), exclude_quotes="none")
    assert CONTRAST[row["scope_start"] : row["scope_end"]] == "Smith called it a disaster."
    assert row["compound"] == compound(LEX["disaster"]) == -0.6249  # not × 1.5


def test_strong_punctuation_always_splits():
    s = "The plan is good; the war is bad."
    assert oracle(s) == compound(LEX["good"], LEX["war"], LEX["bad"]) < 0
    first = one(s, 4, 8, exclude_quotes="none", mask_target=False)
    second = one(s, 22, 25, exclude_quotes="none", mask_target=False)
    assert s[first["scope_start"] : first["scope_end"]] == "The plan is good"
    assert first["compound"] == compound(LEX["good"]) == 0.4404
    assert s[second["scope_start"] : second["scope_end"]] == "the war is bad."
    assert second["compound"] == oracle("the war is bad.") == compound(LEX["war"], LEX["bad"])


def test_clause_text_scores_as_vadersentiment_scores_it():
    sentences = [
        "Lavrov, who praised the talks, said Kyiv had failed; Zelensky was calm.",
        "The minister welcomed the deal – a great success – while critics warned of a crisis.",
        "Sanders won the vote, although his rivals called the count a terrible farce!",
        "Biden hopes for peace (a weak hope, critics say), but the war goes on.",
    ]
    for s in sentences:
        for m in re.finditer(r"[A-Z][a-z]+", s):
            for split in ((), ("dashes", "commas", "contrast", "relative")):
                text = scored_text(s, m.start(), m.end(), split=split, exclude_quotes="none")
                assert one(s, m.start(), m.end(), split=split, exclude_quotes="none")["compound"] == oracle(text)


# --- clauses and scopes -------------------------------------------------------------------------


def test_clause_spans_by_boundary():
    tail = "as 1,000 troops waited at 10:30."
    s = f"Putin, who spoke first, was calm; NATO (the alliance) was not — but it said little, {tail}"
    spans = lambda split: [s[a:b] for a, b in clause_spans(s, split=split)]  # noqa: E731
    second = "NATO (the alliance) was not — but it said little"
    assert spans(()) == ["Putin, who spoke first, was calm", f"{second}, {tail}"]
    assert spans(("dashes",)) == ["Putin, who spoke first, was calm", "NATO", "the alliance", "was not",
                                  f"but it said little, {tail}"]  # fmt: skip
    assert spans(("commas",)) == ["Putin", "who spoke first", "was calm", second, tail]
    assert spans(("contrast",))[1:] == ["NATO (the alliance) was not —", f"it said little, {tail}"]
    assert spans(("relative",))[:2] == ["Putin", "spoke first, was calm"]


def test_sentences_inside_one_text_are_clauses():
    s = "Corker: Trump has failed\nCorker slammed the plan. Mr. Smith was happy."
    assert [s[a:b] for a, b in clause_spans(s)] == ["Corker", "Trump has failed", "Corker slammed the plan.",
                                                    "Mr. Smith was happy."]  # fmt: skip


def test_a_relative_clause_right_after_the_target_stays_with_it():
    s = "Putin, who was smiling, met Lavrov, who was angry."
    lo, hi = scope(s, 0, 5, split=("relative",))
    assert s[lo:hi] == "Putin, who was smiling, met Lavrov"
    lo, hi = scope(s, 28, 34, split=("relative",))
    assert s[lo:hi] == "was smiling, met Lavrov, who was angry."


def test_windows_count_whitespace_tokens():
    s = "one two three Smith four five six"
    assert s[slice(*scope(s, 14, 19, method="window", window=2))] == "two three Smith four five"
    assert s[slice(*scope(s, 14, 19, method="window", window=0))] == "Smith"
    assert s[slice(*scope(s, 14, 19, method="window", window=10))] == s
    assert s[slice(*scope(s, 15, 17, method="window", window=1))] == "three Smith four"  # part of a token


def test_boundaries_inside_the_target_are_ignored():
    s = "Good news; Washington, D.C. — the capital — is calm."
    lo, hi = scope(s, 11, 27, split=("commas", "dashes"))
    assert (lo, hi) == (11, 27)


def test_options_are_checked():
    with pytest.raises(ValueError, match="method='tree' is not valid"):
        scope("a b", 0, 1, method="tree")
    with pytest.raises(ValueError, match="split='semicolons' is not valid"):
        clause_spans("a b", split=("semicolons",))
    with pytest.raises(TypeError, match="sequence of boundary names"):
        clause_spans("a b", split="commas")
    with pytest.raises(ValueError, match="exclude_quotes='all' is not valid"):
        scored_text("a b", 0, 1, exclude_quotes="all")
    with pytest.raises(ValueError, match="window must be a non-negative integer"):
        scope("a b", 0, 1, method="window", window=-1)


# --- quotes and masks ---------------------------------------------------------------------------


def test_the_targets_own_words_are_left_out():
    s = "“This is a disaster,” Smith said of the good plan."
    assert speech_spans([s]) == [[Speech(0, 21, 22, 27)]]
    own = one(s, 22, 27, method="sentence", exclude_quotes="target", mask_target=False)
    assert own["compound"] == compound(LEX["good"]) == oracle("said of the good plan.")
    kept = one(s, 22, 27, method="sentence", exclude_quotes="none", mask_target=False, straight_quotes=False)
    assert kept["compound"] == oracle(s)
    others = one(s, 22, 27, method="sentence", exclude_quotes="others", mask_target=False, straight_quotes=False)
    assert others["compound"] == oracle(s)  # Smith's own speech is not someone else's


def test_speech_about_the_target_is_kept_and_other_speech_left_out():
    s = "“Smith is a terrible liar,” Jones said, and Brown agreed."
    speech = speech_spans([s])[0]
    first = speech[0]
    assert s[first.start : first.end] == "“Smith is a terrible liar,”"
    assert s[first.speaker_start : first.speaker_end] == "Jones"
    about = one(s, 1, 6, method="sentence", exclude_quotes="both")
    assert about["compound"] == oracle('"      is a terrible liar," Jones said, and Brown agreed.')
    assert about["compound"] == compound(LEX["terrible"], LEX["liar"], LEX["agreed"])
    brown = one(s, 44, 49, method="sentence", exclude_quotes="others")
    assert brown["compound"] == compound(LEX["agreed"])  # Jones's words about Smith are left out
    jones = one(s, 28, 33, method="sentence", exclude_quotes="target")
    assert jones["compound"] == compound(LEX["agreed"])


def test_guillemets_and_single_quotes_are_quotes():
    for s in ("«Smith is a terrible liar», Jones said.", "‘Smith is a terrible liar,’ Jones said."):
        jones = one(s, s.index("Jones"), s.index("Jones") + 5, method="sentence", exclude_quotes="target")
        assert jones["compound"] == 0.0, s
        smith = one(s, 1, 6, method="sentence", exclude_quotes="both", mask_target=False)
        assert smith["compound"] == compound(LEX["terrible"], LEX["liar"]), s


def test_straight_quotes_let_vader_see_words_next_to_curly_marks():
    s = "“Great job,” Smith said, but he don’t like the plan."
    curly = one(s, 13, 18, method="sentence", exclude_quotes="none", mask_target=False, straight_quotes=False)
    assert curly["compound"] == oracle(s)
    straight = one(s, 13, 18, method="sentence", exclude_quotes="none", mask_target=False)
    assert straight["compound"] == oracle(s.replace("“", '"').replace("”", '"').replace("’", "'"))
    assert oracle("“Great") == 0.0 and oracle('"Great') == compound(LEX["great"])


def test_masking_the_target_removes_the_valence_of_its_name():
    s = "Great Britain and the United States met."
    assert one(s, 0, 13, method="sentence", exclude_quotes="none", mask_target=False)["compound"] == compound(
        LEX["great"], LEX["united"])  # fmt: skip
    assert one(s, 0, 13, method="sentence", exclude_quotes="none")["compound"] == compound(LEX["united"])
    assert one(s, 22, 35, method="sentence", exclude_quotes="none")["compound"] == compound(LEX["great"])


# --- offsets and bad targets ----------------------------------------------------------------------


def test_offsets_are_used_exactly_at_the_edges():
    s = "Smith won; the war is bad, said Jones"
    first = one(s, 0, 5, exclude_quotes="none")
    last = one(s, 32, 37, exclude_quotes="none", mask_target=False)
    assert (first["scope_start"], first["scope_end"]) == (0, 9)
    assert first["compound"] == compound(LEX["won"])
    assert s[last["scope_start"] : last["scope_end"]] == "the war is bad, said Jones"
    assert pd.isna(first["problem"]) and pd.isna(last["problem"])
    one_char = one("X", 0, 1)
    assert one_char["compound"] == 0.0 and pd.isna(one_char["problem"])


def test_an_empty_clause_is_neutral():
    s = "Smith; the war is bad."
    row = one(s, 0, 5)
    assert (row["scope_start"], row["scope_end"]) == (0, 5)
    assert row[["neg", "neu", "pos", "compound"]].tolist() == [0.0, 0.0, 0.0, 0.0]


def test_overlapping_targets_are_scored_each_on_its_own():
    s = "Judge Neil Gorsuch was praised; critics were angry."
    targets = pd.DataFrame({"id": ["s"] * 3, "start": [0, 6, 11], "end": [18, 18, 18],
                            "mention": ["Judge Neil Gorsuch", "Neil Gorsuch", "Gorsuch"]})  # fmt: skip
    out = target_tone(pd.DataFrame({"id": ["s"], "sentence": [s]}), targets)
    assert out["compound"].tolist() == [compound(LEX["praised"])] * 3
    assert out["problem"].isna().all()
    assert out[["start", "end"]].values.tolist() == [[0, 18], [6, 18], [11, 18]]


def test_bad_targets_are_kept_with_a_reason():
    sents = pd.DataFrame({"id": ["a", "b"], "sentence": ["Smith won the vote.", None]})
    targets = pd.DataFrame({
        "id": ["a", "a", "a", "a", "a", "a", "b", "c"],
        "start": [0, 40, 3, 6, None, -1, 0, 0],
        "end": [5, 45, 3, 9, None, 4, 5, 5],
        "mention": ["Smith", None, None, "Smith", "vote", "Jones", "Smith", "Smith"],
    })
    out = target_tone(sents, targets, exclude_quotes="none", mask_target=False)
    assert len(out) == len(targets)
    by = {(r.id, r.mention if isinstance(r.mention, str) else None, r.start if pd.notna(r.start) else None): r
          for r in out.itertuples()}  # fmt: skip
    assert pd.isna(by[("a", "Smith", 0)].problem) and by[("a", "Smith", 0)].compound == compound(LEX["won"])
    assert by[("a", None, 40)].problem == "offsets 40:45 are not a span of the sentence (19 characters)"
    assert pd.isna(by[("a", None, 40)].compound) and pd.isna(by[("a", None, 40)].scope_start)
    assert by[("a", None, 3)].problem == "offsets 3:3 are not a span of the sentence (19 characters)"
    moved = by[("a", "Smith", 6)]
    assert moved.problem == "offsets 6:9 do not hold 'Smith'; used its occurrence at 0:5"
    assert moved.compound == compound(LEX["won"])
    assert "used its occurrence at 14:18" in by[("a", "vote", None)].problem
    assert by[("a", "Jones", -1)].problem == ("offsets -1:4 are not a span of the sentence (19 characters) "
                                               "and 'Jones' is not in it")  # fmt: skip
    assert by[("b", "Smith", 0)].problem == "no sentence text"
    assert by[("c", "Smith", 0)].problem == "no sentence with this key"
    assert out["compound"].notna().sum() == 3


def test_a_mention_not_at_valid_offsets_keeps_the_offsets():
    row = one_mention("Smith won the vote.", 10, 13, "Jones")
    assert row["problem"] == "'Jones' is not in the sentence; used offsets 10:13 ('the')"
    assert row["compound"] == compound(LEX["won"])  # clause of "the", "the" masked


def one_mention(sentence, start, end, mention):
    return target_tone(pd.DataFrame({"id": ["s"], "sentence": [sentence]}),
                       pd.DataFrame({"id": ["s"], "start": [start], "end": [end], "mention": [mention]}),
                       exclude_quotes="none").iloc[0]  # fmt: skip


def test_output_is_sorted_and_independent_of_input_order():
    sents = pd.DataFrame({"id": ["b", "a"], "sentence": ["Jones lost; Smith won.", "Brown was happy."]})
    targets = pd.DataFrame({"id": ["b", "a", "b"], "start": [12, 0, 0], "end": [17, 5, 5], "tag": ["s", "br", "j"]})
    out = target_tone(sents, targets)
    assert out["tag"].tolist() == ["br", "j", "s"]
    shuffled = target_tone(sents.iloc[::-1], targets.iloc[[2, 0, 1]])
    pd.testing.assert_frame_equal(out, shuffled)
    assert list(out.columns) == ["id", "start", "end", "tag", "scope_start", "scope_end", "neg", "neu", "pos",
                                 "compound", "problem"]  # fmt: skip


def test_table_errors_name_the_problem():
    sents = pd.DataFrame({"id": ["a", "a"], "sentence": ["x", "y"]})
    with pytest.raises(ValueError, match="repeated keys"):
        target_tone(sents, pd.DataFrame({"id": ["a"], "start": [0], "end": [1]}))
    with pytest.raises(KeyError, match="targets_df lacks column"):
        target_tone(sents.iloc[:1], pd.DataFrame({"id": ["a"], "from": [0], "to": [1]}))


def test_the_sentence_option_is_plain_sentence_vader():
    texts = ["A good deal. A bad war.", "“Great job,” she said.", "Nothing here", "Not bad at all!"]
    sents = pd.DataFrame({"id": range(4), "sentence": texts})
    targets = pd.DataFrame({"id": [0, 1, 2, 3], "start": [2, 13, 0, 4], "end": [6, 16, 7, 7]})
    out = target_tone(sents, targets, **SENTENCE_TONE)
    pd.testing.assert_frame_equal(out[["neg", "neu", "pos", "compound"]], sentiment.vader(texts))


_WORDS = st.sampled_from(["good", "bad", "Smith", "war", "peace", "but", "while", "who", ",", ";", ":", "—", "(", ")",
                          "“", "”", "said", "not", "10:30", "1,000", "\n", "Mr.", "!", "?", "."])  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=25), st.data())
def test_any_span_of_any_sentence_gives_a_scope_around_it(words, data):
    s = " ".join(words)
    start = data.draw(st.integers(0, len(s) - 1))
    end = data.draw(st.integers(start + 1, len(s)))
    split = data.draw(st.sampled_from([(), ("commas",), ("dashes", "commas", "contrast", "relative")]))
    for method in ("sentence", "clause", "window"):
        lo, hi = scope(s, start, end, method=method, split=split, window=3)
        assert 0 <= lo <= start < end <= hi <= len(s)
        text = scored_text(s, start, end, method=method, split=split, window=3, exclude_quotes="none")
        assert len(text) == hi - lo
        expected = s[lo:start] + " " * (end - start) + s[end:hi]
        assert text == expected.replace("“", '"').replace("”", '"')  # the target blanked, the marks straight
    clauses = clause_spans(s, split=split)
    inside = [(a, b) for a, b in clauses if a <= start and end <= b]
    if inside and "relative" not in split:
        lo, hi = scope(s, start, end, split=split)
        assert (lo, hi) == inside[0]  # the clause holding the target is its scope


# --- actors ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_sentences():
    corpus = load_corpus(CORPUS)
    return corpus, sentiment.sentence_tone(corpus)


def test_actor_targets_point_at_their_mentions(corpus_sentences):
    _, sents = corpus_sentences
    targets = actor_targets(sents)
    merged = targets.merge(sents[["id", "part", "sentence_no", "sentence"]], on=["id", "part", "sentence_no"])
    assert len(merged) == len(targets) > 500
    assert all(s[a:b] == m for s, a, b, m in zip(merged["sentence"], merged["start"], merged["end"], merged["mention"]))
    counts = targets.groupby(["id", "part", "sentence_no", "actor"], sort=False).size().rename("n").reset_index()
    expected = actors.mentions(sents)
    keys = ["id", "part", "sentence_no", "actor"]
    pd.testing.assert_frame_equal(counts.sort_values(keys).reset_index(drop=True)[keys + ["n"]],
                                  expected.sort_values(keys).reset_index(drop=True)[keys + ["n"]],
                                  check_dtype=False)  # fmt: skip


def test_actor_targets_read_upper_case_us_as_the_country():
    sents = pd.DataFrame({"id": ["a"], "part": ["body"], "sentence_no": [0],
                          "sentence": ["US-led talks: the US and us, then NATO’s US envoy met Putin."]})  # fmt: skip
    out = actor_targets(sents)
    s = sents["sentence"].iloc[0]
    assert [(r.actor, s[r.start : r.end]) for r in out.itertuples()] == [
        ("US", "US"), ("US", "US"), ("NATO", "NATO’s"), ("US", "US"), ("Putin", "Putin")]  # fmt: skip
    assert out["start"].tolist() == [0, 18, 34, 41, 54]
    rolled = actor_targets(sents.assign(sentence="Putin and Lavrov met."), rollup=True)
    assert rolled["actor"].tolist() == ["Russia", "Russia"]
    assert actor_targets(sents.assign(sentence="Nobody here.")).empty


def test_actor_tone_with_sentence_options_is_sentiment_actor_tone(corpus_sentences):
    corpus, sents = corpus_sentences
    expected = sentiment.actor_tone(sents, actors.mentions(sents), corpus_df=corpus)
    got = actor_tone(sents, corpus_df=corpus, **SENTENCE_TONE)
    pd.testing.assert_frame_equal(got, expected)


def test_actor_tone_by_default_leaves_out_what_actors_say(corpus_sentences):
    corpus, sents = corpus_sentences
    default = actor_tone(sents)
    plain = actor_tone(sents, **SENTENCE_TONE)
    assert default[["id", "actor", "n_sentences"]].equals(plain[["id", "actor", "n_sentences"]])
    assert (default["tone"] != plain["tone"]).mean() > 0.2
    # a sentence where one actor speaks and another is spoken of
    one_sentence = pd.DataFrame({"id": ["a"], "part": ["body"], "sentence_no": [0],
                                 "sentence": ["“NATO is a terrible threat,” Putin said."]})  # fmt: skip
    tones = actor_tone(one_sentence).set_index("actor")["tone"]
    assert tones["Putin"] == 0.0
    assert tones["NATO"] == compound(LEX["terrible"], LEX["threat"])
