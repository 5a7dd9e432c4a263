"""Tests for newslens.quotes: quotation marks, attribution patterns, speakers, bad input, scoring."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newslens.cli import main
from newslens.dictionary import Dictionary
from newslens.quotes import COLUMNS, SPEECH_VERBS, extract, match_spans, quote_spans, scores
from newslens.quotes.scoring import overlap
from newslens.quotes.speakers import describe
from newslens.text import sentence_spans, sentences


def one(text: str, **kwargs) -> pd.DataFrame:
    """The rows extracted from one article."""
    return extract(pd.DataFrame({"id": ["a"], "text": [text]}), **kwargs)


def rows(text: str, **kwargs) -> list[tuple]:
    """(kind, quote, speaker, cue, resolved) of each row."""
    out = one(text, **kwargs)
    return [(r.kind, r.quote, None if pd.isna(r.speaker) else r.speaker, None if pd.isna(r.cue) else r.cue,
             bool(r.resolved)) for r in out.itertuples()]  # fmt: skip


def marks(text: str) -> list[str]:
    return [text[s:e] for s, e in quote_spans(text)]


# --- quotation marks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("“We will respond,” he said.", ["“We will respond,”"]),
        ('"We will respond," he said.', ['"We will respond,"']),
        ("«Мы ответим», — заявил Лавров.", ["«Мы ответим»"]),
        ("„Wir werden antworten“, sagte Scholz.", ["„Wir werden antworten“"]),
        ("‘We will respond,’ he said.", ["‘We will respond,’"]),
        ("'We will respond,' he said.", ["'We will respond,'"]),
        ("''We will respond,'' Mr. Lew said.", ["''We will respond,''"]),  # LexisNexis / NYT archives
        # apostrophes are not quotation marks
        ("John O'Brien said Kyiv's plan, rock 'n' roll and the '90s are over.", []),
        ("O’Brien’s view: don’t cross Kyiv’s red lines in the ’90s style.", []),
        ("The generals' plan and the officials’ reply.", []),
        # British single quotes around a possessive and an apostrophe inside
        ("‘The generals’ plan won’t work,’ he said.", ["‘The generals’ plan won’t work,’"]),
        # quotes inside quotes belong to the outer quote
        ("“He told me ‘never’ twice,” she said.", ["“He told me ‘never’ twice,”"]),
        ("‘He said “never” twice,’ she said.", ['‘He said “never” twice,’']),
        ('"The U.S. isn’t about “Equal Justice” anymore."', ['"The U.S. isn’t about “Equal Justice” anymore."']),
    ],
)
def test_quotation_marks_as_news_uses_them(text, expected):
    assert marks(text) == expected


def test_a_quote_over_several_paragraphs_has_an_opening_mark_on_each():
    text = "“First part.\n\n“Second part.\n\n“Last part,” he said.\n\nThen “another.”"
    assert marks(text) == ["“First part.\n\n“Second part.\n\n“Last part,”", "“another.”"]
    # a paragraph that does not start with a mark ends the unclosed quote
    assert marks("“Unclosed part.\n\nPlain paragraph, “closed.”") == ["“closed.”"]
    # a hard-wrapped line (lower-case start) is the same paragraph
    assert marks("“One line\ncontinues here,” he said.") == ["“One line\ncontinues here,”"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("No quotation marks at all.", []),
        ("“Only “opening “marks here", []),
        ("Closing” marks” only”", []),
        ("“A, he said. “B,” she said.", ["“B,”"]),  # the pairable quote is still found
        ('"A, he said. "B," she said. "C."', ['"B,"', '"C."']),
        ("“ « ” »", ["“ « ”"]),
        ("", []),
    ],
)
def test_unbalanced_marks_never_raise_and_pairable_quotes_are_found(text, expected):
    assert marks(text) == expected


def _reference_pairs(text: str) -> list[tuple[int, int]]:
    """Slow obvious reference for curly double quotes attached to words: pair each “ with the
    next ” when no other mark lies between (within a paragraph), repeat until nothing pairs,
    and keep the outermost pairs."""
    marks_at = {i: c for i, c in enumerate(text) if c in "“”"}
    paragraph = {i: text.count("\n\n", 0, i) for i in marks_at}
    pairs = []
    changed = True
    while changed:
        changed = False
        order = sorted(marks_at)
        for a, b in zip(order, order[1:]):
            if marks_at[a] == "“" and marks_at[b] == "”" and paragraph[a] == paragraph[b]:
                pairs.append((a, b + 1))
                del marks_at[a], marks_at[b]
                changed = True
                break
    return sorted(p for p in pairs if not any(q != p and q[0] <= p[0] and p[1] <= q[1] for q in pairs))


_WORDS = st.sampled_from(["war", "peace", "talks", "Kyiv's", "O'Brien", "said", "red", "lines"])
_PIECE = st.one_of(_WORDS, _WORDS.map(lambda w: "“" + w), _WORDS.map(lambda w: w + "”"),
                   _WORDS.map(lambda w: w + ",”"), st.just("\n\nA"))  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECE, max_size=40))
def test_pairing_agrees_with_a_slow_reference(pieces):
    text = " ".join(pieces)
    assert quote_spans(text) == _reference_pairs(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("ab .,\n'’‘\"“”«»„") + ["''", "O'Brien", "said"]), max_size=60).map("".join))
def test_any_text_gives_ordered_disjoint_spans_from_mark_to_mark(text):
    spans = quote_spans(text)
    assert spans == sorted(spans)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert e1 <= s2
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert text[s] in "\"'“”„«‘" and text[e - 1] in "\"'“”»‘’"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("aZé9٣²½Ω.'’‐‑- \n“”,:_") + ["U.S.", "Jan.", "O'Brien", "long-range"]),
                max_size=50).map("".join))  # fmt: skip
def test_attribution_tokens_agree_with_the_token_pattern(text):
    # the faster split used for texts without "_" gives the tokens of newslens.text.TOKEN_PATTERN
    from newslens.quotes.attribution import _SPLIT_NO_UNDERSCORE_RE, _SPLIT_RE
    from newslens.text import TOKEN_RE

    plain = text.replace("_", " ")
    parts = _SPLIT_NO_UNDERSCORE_RE.split(plain)
    assert parts == _SPLIT_RE.split(plain)
    assert [t for t in parts[1::2] if t[0].isalnum()] == TOKEN_RE.findall(plain)


# --- sentence offsets ------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("ab .?!\n“”\"") + ["Mr. ", "U.S. ", " He ", "\n\n"]), max_size=60).map("".join))
def test_sentence_spans_point_at_the_sentences_in_the_text(text):
    spans = sentence_spans(text)
    assert [" ".join(text[s:e].split()) for s, e in spans] == sentences(text)
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))


# --- attribution patterns ----------------------------------------------------------------------


def test_quote_then_speaker_said():
    assert rows("“We will respond,” Lavrov said.") == [("direct", "“We will respond,”", "Lavrov", "said", False)]


def test_quote_then_said_speaker_with_apposition():
    out = one("“We will respond,” said Dmitry Peskov, the Kremlin spokesman.")
    assert out[["quote", "speaker", "speaker_actor", "role", "cue"]].values.tolist() == [
        ["“We will respond,”", "Dmitry Peskov", "Peskov", "spokesperson", "said"]
    ]


def test_quote_then_speaker_added():
    assert rows("“This is not over,” Zelensky added on Monday.") == [
        ("direct", "“This is not over,”", "Zelensky", "added", False)
    ]


def test_speaker_said_colon_quote():
    assert rows("Foreign Minister Sergei Lavrov said: “We will respond.”") == [
        ("direct", "“We will respond.”", "Foreign Minister Sergei Lavrov", "said", False)
    ]


def test_speaker_said_colon_at_the_end_of_the_paragraph_before():
    text = "In a statement, the Kremlin said:\n\n“The strikes are a provocation.”"
    assert rows(text) == [("direct", "“The strikes are a provocation.”", "the Kremlin", "said", False)]


@pytest.mark.parametrize("that", ["that ", ""])
def test_reported_speech_with_and_without_that(that):
    got = rows(f"Lavrov said {that}the West was playing with fire.")
    assert got == [("indirect", f"{that}the West was playing with fire", "Lavrov", "said", False)]


def test_according_to_before_and_after():
    assert rows("According to a senior U.S. official, the strikes will continue.") == [
        ("indirect", "the strikes will continue", "a senior U.S. official", "according to", False)
    ]
    assert rows("The strikes will continue, according to sources.") == [
        ("indirect", "The strikes will continue", "sources", "according to", False)
    ]
    assert rows("“The strikes will continue,” according to a Pentagon statement.")[0][:4] == (
        "direct", "“The strikes will continue,”", "a Pentagon statement", "according to")  # fmt: skip


@pytest.mark.parametrize(
    "verb", ["told reporters", "warned", "insisted", "noted", "argued", "stressed", "says", "warns", "claimed",
             "acknowledged", "tweeted", "has repeatedly said", "also told the BBC"],
)  # fmt: skip
def test_speech_verbs_with_inflections(verb):
    cue = next(w for w in reversed(verb.split()) if w in SPEECH_VERBS)
    got = rows(f"Stoltenberg {verb} that the alliance would not be divided.")
    assert got == [("indirect", "that the alliance would not be divided", "Stoltenberg", cue, False)]


def test_speech_verb_list_is_a_documented_data_file_with_inflected_forms():
    for form, base in {"said": "say", "says": "say", "saying": "say", "told": "tell", "warned": "warn",
                       "insists": "insist", "argued": "argue", "stressing": "stress", "pointed out": "point out"}.items():
        assert SPEECH_VERBS[form] == base
    data = Path(__file__).resolve().parents[1] / "lib" / "newslens" / "data" / "speech_verbs_en.txt"
    assert data.read_text(encoding="utf-8").startswith("# Speech verbs")


def test_trailing_reported_speech_and_inverted_said():
    assert rows("The West is playing with fire, Lavrov said.") == [
        ("indirect", "The West is playing with fire", "Lavrov", "said", False)
    ]
    assert rows("The West is playing with fire, said Lavrov.") == [
        ("indirect", "The West is playing with fire", "Lavrov", "said", False)
    ]


def test_quote_followed_by_a_sentence_naming_the_speaker():
    assert rows("“No!” Lavrov said. He left the room.") == [("direct", "“No!”", "Lavrov", "said", False)]
    assert rows("“We will respond.” Lavrov said this on Monday in Moscow.") == [
        ("direct", "“We will respond.”", "Lavrov", "said", False)
    ]


def test_floating_quotes_inherit_the_previous_speaker():
    text = ("“The West is playing with fire,” Mr. Lavrov told reporters. “Nobody wants a war. But we are ready.”"
            "\n\n“We have said it many times.”")  # fmt: skip
    got = one(text)
    assert got["quote"].tolist() == ["“The West is playing with fire,”", "“Nobody wants a war. But we are ready.”",
                                     "“We have said it many times.”"]  # fmt: skip
    assert got["speaker"].tolist() == ["Mr. Lavrov"] * 3
    assert got["resolved"].tolist() == [False, True, True]
    assert got["cue"].isna().tolist() == [False, True, True]
    assert got["speaker_start"].tolist() == [text.index("Mr. Lavrov")] * 3  # the words that name him
    # a quote after an unattributed sentence has nobody to inherit from (and is short: a scare quote)
    assert rows("The talks stalled. “Red lines.”") == []


def test_split_quote_around_one_attribution():
    text = "“We are ready,” he said, “but nobody wants a war.”"
    out = one("Lavrov spoke on Monday. " + text)
    assert out["quote"].tolist() == ["“We are ready,”", "“but nobody wants a war.”"]
    assert out["speaker_start"].nunique() == 1 and out["cue"].tolist() == ["said", "said"]


def test_mixed_quote_inside_reported_speech_is_one_row():
    assert rows("Lavrov said the West was “playing with fire” in Ukraine.") == [
        ("mixed", "the West was “playing with fire” in Ukraine", "Lavrov", "said", False)
    ]
    assert rows("The West is “playing with fire,” Lavrov said.") == [
        ("mixed", "The West is “playing with fire,”", "Lavrov", "said", False)
    ]


def test_multi_paragraph_quote_is_one_row():
    text = "“The first paragraph of the statement.\n\n“The second paragraph,” Lavrov said."
    assert rows(text) == [("direct", text[: text.index(" Lavrov")], "Lavrov", "said", False)]


@pytest.mark.parametrize(
    "text, speaker, mention",
    [
        ("“We are ready,” Lavrov said. “It is your move,” he added.", "Lavrov", "he"),
        ("“We are ready,” Ms. Harris said. “It is your move,” she added.", "Ms. Harris", "she"),
        ("“We will respond,” the Kremlin said. “It is a provocation,” it said.", "the Kremlin", "it"),
        ("“We are ready,” NATO said. “The alliance is united,” they said.", "NATO", "they"),
        ("“We are ready,” Putin and Lavrov said. “It is your move,” they added.", "Putin and Lavrov", "they"),
        ("Foreign Minister Sergei Lavrov said the talks failed. “We tried,” the minister added.",
         "Foreign Minister Sergei Lavrov", "the minister"),
        ("“We are ready,” Lavrov said.\n\n“It is your move,” he added.", "Lavrov", "he"),  # the paragraph before
    ],
)
def test_pronoun_and_nominal_speakers_resolve_to_the_nearest_earlier_named_speaker(text, speaker, mention):
    out = one(text).iloc[-1]
    assert (out["speaker"], bool(out["resolved"])) == (speaker, True)
    assert text[out["speaker_start"] : out["speaker_end"]] == mention  # offsets: the words of this attribution


def test_resolution_respects_kind_gender_and_distance():
    # "she" skips a male speaker; no female speaker before: unresolved, kept as written
    out = one("“We are ready,” Mr. Smith said. “It is your move,” she added.").iloc[-1]
    assert out["speaker"] == "she" and not out["resolved"] and pd.isna(out["speaker_actor"])
    # the nearest earlier named speaker wins
    text = "“A,” Lavrov said. “B,” Blinken said. “C,” he added."
    assert one(text)["speaker"].tolist() == ["Lavrov", "Blinken", "Blinken"]
    # "it" needs a country or organisation, not a person
    out = one("“We are ready,” Lavrov said. “It is a provocation,” it said.").iloc[-1]
    assert out["speaker"] == "it" and not out["resolved"]
    # two paragraphs back is too far
    out = one("“A,” Lavrov said.\n\nThe talks went on.\n\n“B,” he added.").iloc[-1]
    assert out["speaker"] == "he" and not out["resolved"]
    # "the minister" needs a named speaker with that office: Putin is a president
    out = one("“A,” Putin said. “B,” the minister added.").iloc[-1]
    assert out["speaker"] == "the minister" and not out["resolved"] and out["role"] == "official"


# --- speakers: actors and roles ----------------------------------------------------------------


@pytest.mark.parametrize(
    "speaker, actor, role",
    [
        ("Mr. Putin", "Putin", "official"),
        ("President Putin", "Putin", "official"),
        ("Russian President Vladimir Putin", "Putin", "official"),
        ("Gen. Syrskyi", None, "official"),
        ("NATO Secretary General Jens Stoltenberg", "Stoltenberg", "official"),
        ("Peskov", "Peskov", "spokesperson"),
        ("a Kremlin spokesman", "Russia", "spokesperson"),
        ("Putin's spokesman", "Russia", "spokesperson"),
        ("the Kremlin", "Russia", "official"),
        ("Moscow", "Russia", "official"),
        ("a senior U.S. official", "US", "unnamed"),
        ("US officials", "US", "unnamed"),
        ("sources", None, "unnamed"),
        ("people familiar with the matter", None, "unnamed"),
        ("analyst Olga Petrova", None, "expert"),
        ("a professor at Kyiv University", None, "expert"),
        ("Gennady Lapin of the Institute for Eurasian Stability", None, "expert"),
        ("a resident of Kharkiv", None, "citizen"),
        ("a BBC correspondent", None, "journalist"),
        ("John Smith", None, None),  # a name the dictionary does not know: kept, no actor, no role
    ],
)
def test_speakers_are_normalised_through_the_actors_dictionary(speaker, actor, role):
    got = describe([(speaker, "")])[0]
    assert (got.actor, got.role) == (actor, role)


def test_apposition_gives_the_role_and_the_row_keeps_the_name():
    out = one("“We will respond,” Dmitry Peskov, the Kremlin spokesman, said.").iloc[0]
    assert (out["speaker"], out["speaker_actor"], out["role"]) == ("Dmitry Peskov", "Peskov", "spokesperson")
    out = one("“Prices will rise,” said Olga Petrova, an analyst at the Kyiv School of Economics.").iloc[0]
    assert (out["speaker"], out["role"]) == ("Olga Petrova", "expert") and pd.isna(out["speaker_actor"])


def test_a_later_surname_keeps_the_role_of_the_full_name():
    text = "“A,” said Gennady Lapin of the Institute for Eurasian Stability. Later, Lapin said the talks had failed."
    out = one(text)
    assert out["speaker"].tolist() == ["Gennady Lapin of the Institute for Eurasian Stability", "Lapin"]
    assert out["role"].tolist() == ["expert", "expert"]


def test_speaker_not_in_the_dictionary_is_kept_as_surface_text():
    out = one("“The harvest is lost,” said Ivan Petrenko.").iloc[0]
    assert out["speaker"] == "Ivan Petrenko" and pd.isna(out["speaker_actor"]) and pd.isna(out["role"])


def test_custom_actors_dictionary_and_speaker_role(tmp_path):
    path = tmp_path / "mini.yml"
    path.write_text("categories:\n  Petrenko:\n    type: person\n    speaker_role: citizen\n"
                    "    patterns: [petrenko*]\n", encoding="utf-8")  # fmt: skip
    out = one("“The harvest is lost,” said Ivan Petrenko.", actors=path).iloc[0]
    assert (out["speaker_actor"], out["role"]) == ("Petrenko", "citizen")
    bad = Dictionary.from_mapping({"X": {"patterns": ["x"], "speaker_role": "king"}})
    with pytest.raises(ValueError, match="speaker_role 'king' is not one of"):
        one("“Yes,” X said.", actors=bad)


# --- bad input -----------------------------------------------------------------------------------


def test_no_quotation_marks_at_all():
    assert rows("The talks stalled on Monday. Nobody said anything.") == []
    assert rows("Lavrov said the talks had stalled.") == [
        ("indirect", "the talks had stalled", "Lavrov", "said", False)
    ]


def test_only_opening_marks():
    # no quote can be paired; the attributions are still read, without the stray marks
    assert rows("“We will respond, Lavrov said. “Nobody wants war, Peskov added.") == [
        ("indirect", "We will respond", "Lavrov", "said", False),
        ("indirect", "Nobody wants war", "Peskov", "added", False),
    ]
    assert rows("““ “") == []


def test_quotes_inside_quotes_give_one_row_for_the_outer_quote():
    text = "“He told me, ‘We will never give up,’ and then he left,” Zelensky said."
    assert rows(text) == [("direct", text[: text.index(" Zelensky")], "Zelensky", "said", False)]


def test_a_200k_character_paragraph_within_a_time_bound():
    sentence = "“We will not retreat from the positions we hold,” Lavrov said on Monday in Moscow. "
    text = (sentence + "The talks in Geneva went on without result. ") * 1500
    assert len(text) > 190_000 and "\n" not in text
    started = time.perf_counter()
    out = one(text)
    assert time.perf_counter() - started < 20
    assert len(out) == 1500 and (out["speaker"] == "Lavrov").all()
    # one quote opened and never closed in a 200k-character paragraph
    started = time.perf_counter()
    assert rows("“" + "no closing mark here " * 10_000) == []
    assert time.perf_counter() - started < 10


def test_non_english_text_never_raises():
    text = ("«Мы ответим», — заявил Лавров. „Wir antworten“, sagte Scholz. « Nous répondrons », a dit Macron. "
            "普京说：“我们会回应。”")  # fmt: skip
    assert marks(text) == ["«Мы ответим»", "„Wir antworten“", "« Nous répondrons »", "“我们会回应。”"]
    # English speech verbs only: no speaker is named, and quotes this short are not kept alone
    assert rows(text) == []
    long = "«Мы ответим на любые удары по нашей территории, и это не пустые слова», — заявил Лавров."
    assert rows(long) == [("direct", long[: long.index("»") + 1], None, None, False)]


def test_apostrophes_in_names_are_not_quotes():
    text = "John O'Brien, a historian at Kyiv's university, said rock 'n' roll of the '90s was “a form of protest.”"
    assert rows(text) == [("mixed", "rock 'n' roll of the '90s was “a form of protest.”", "John O'Brien", "said", False)]


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, "", "   ", 42])
def test_missing_or_non_text_gives_no_rows(value):
    df = pd.DataFrame({"id": ["a", "b"], "text": pd.Series([value, "“Yes,” Lavrov said."], dtype=object)})
    out = extract(df)
    assert out["id"].tolist() == ["b"]


def test_empty_table_and_missing_column():
    out = extract(pd.DataFrame({"id": pd.Series([], dtype="str"), "text": pd.Series([], dtype="str")}))
    assert list(out.columns) == list(COLUMNS) and out.empty
    with pytest.raises(KeyError, match="'text'"):
        extract(pd.DataFrame({"id": ["a"]}))


# --- the table ---------------------------------------------------------------------------------------


_FRAGMENTS = st.sampled_from([
    "“We will respond,” Lavrov said.", "He added: “Nobody wants war.”", "“Red lines.”", "Peskov said that",
    " the talks failed.", "According to sources, ", "O'Brien's ", "‘British style,’ she said. ", "«Нет» ",
    "\n\n", "“Unclosed ", "closing” ", "Mr. ", "the minister warned ", "'90s ", " it said.", ",” said Biden",
])  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_FRAGMENTS, max_size=12).map("".join), min_size=1, max_size=3))
def test_offsets_point_into_the_text_on_random_articles(texts):
    df = pd.DataFrame({"id": [f"id{k}" for k in range(len(texts))], "text": texts})
    out = extract(df)
    assert list(out.columns) == list(COLUMNS)
    by_id = dict(zip(df["id"], df["text"], strict=True))
    for r in out.itertuples():
        text = by_id[r.id]
        assert text[r.start : r.end] == r.quote and r.start < r.end
        if not pd.isna(r.speaker_start):
            assert 0 <= r.speaker_start < r.speaker_end <= len(text)
            if not r.resolved:
                assert text[r.speaker_start : r.speaker_end] == r.speaker
    keys = list(zip(out["id"], out["start"], out["end"]))
    assert keys == sorted(keys) and out.index.equals(pd.RangeIndex(len(out)))
    assert set(out["kind"]) <= {"direct", "mixed", "indirect"}


def test_dtypes_sorting_and_determinism():
    df = pd.DataFrame({"id": ["b", "a"], "text": ["“Yes,” Biden said.", "Lavrov said the talks failed. “No,” he said."]})
    out = extract(df)
    assert out["id"].tolist() == ["a", "a", "b"]
    assert str(out["start"].dtype) == "int64" and str(out["speaker_start"].dtype) == "Int64"
    assert str(out["resolved"].dtype) == "bool" and str(out["quote"].dtype) == "str"
    assert out.to_csv(index=False) == extract(df).to_csv(index=False)
    # a filtered corpus keeps its own index; ids repeat when articles do
    subset = pd.concat([df, df]).set_axis([10, 5, 7, 3])
    again = extract(subset)
    assert again["id"].tolist() == ["a"] * 4 + ["b"] * 2 and again.index.equals(pd.RangeIndex(6))


def test_worker_processes_give_the_same_rows():
    texts = ["“We will respond,” Lavrov said. “It is your move,” he added. Peskov said the talks stalled."] * 450
    df = pd.DataFrame({"id": [f"{k:04d}" for k in range(450)], "text": texts})
    serial = extract(df)
    parallel = extract(df, jobs=2)
    pd.testing.assert_frame_equal(serial, parallel)
    pd.testing.assert_frame_equal(serial, extract(df, jobs="auto"))
    assert len(serial) == 450 * 3
    for bad in (0, "many", True):
        with pytest.raises(ValueError, match="jobs"):
            extract(df, jobs=bad)


def test_batches_give_the_same_rows(monkeypatch):
    # articles go in batches that describe each speaker phrase once: the rows must not depend on them
    import newslens.quotes as quotes

    texts = ["“We will respond,” Lavrov said. “It is your move,” he added.", "No quotes here.", "",
             "Peskov, the Kremlin spokesman, said the talks had stalled. “Never,” said Mr. Lavrov."] * 5  # fmt: skip
    df = pd.DataFrame({"id": [f"{k:02d}" for k in range(len(texts))][::-1], "text": texts})
    whole = extract(df)
    monkeypatch.setattr(quotes, "_BATCH", 3)
    pd.testing.assert_frame_equal(extract(df), whole)
    assert len(whole) == 5 * 4 and whole["id"].is_monotonic_increasing


def test_precomputed_sentence_spans_give_the_same_rows():
    df = pd.DataFrame({"id": ["a"], "text": ["“We will respond,” Lavrov said. “No,” he added."]})
    pd.testing.assert_frame_equal(extract(df, spans=[sentence_spans(df["text"][0])]), extract(df))
    with pytest.raises(ValueError, match="spans has 2 entries for 1 articles"):
        extract(df, spans=[[], []])


# --- scoring -------------------------------------------------------------------------------------------


def test_overlap_and_one_to_one_matching_on_hand_made_spans():
    assert overlap([(0, 10)], [(5, 20)]) == 5
    assert overlap([(0, 5), (10, 15)], [(3, 12)]) == 4  # discontinuous gold ("“A,” he said, “B.”")
    assert overlap([(0, 5)], [(5, 9)]) == 0
    gold = [[(0, 10)], [(20, 30)], [(40, 50)]]
    # 30% of the gold span: 3 characters of 10 are enough, 2 are not
    assert match_spans(gold, [[(7, 12)]]) == [(0, 0)]
    assert match_spans(gold, [[(8, 12)]]) == []
    # strict variant: 80%
    assert match_spans(gold, [[(0, 7)]], min_overlap=0.8) == []
    assert match_spans(gold, [[(0, 8)]], min_overlap=0.8) == [(0, 0)]
    # one prediction covering two gold quotes matches only the first
    assert match_spans(gold, [[(0, 30)]]) == [(0, 0)]
    # each gold quote takes the unmatched prediction covering most of it
    assert match_spans([[(0, 10)], [(0, 10)]], [[(0, 4)], [(0, 9)]]) == [(0, 1), (1, 0)]


def test_scores_precision_recall_f1_and_speaker_accuracy():
    gold = [[(0, 10)], [(20, 30)], [(40, 50)]]
    predicted = [[(0, 10)], [(22, 30)], [(60, 70)], [(80, 90)]]
    result = scores(gold, predicted, gold_speakers=[[(11, 15)], [(31, 35)], []],
                    predicted_speakers=[[(12, 14)], [(36, 40)], [], []])  # fmt: skip
    assert (result["tp"], result["fp"], result["fn"]) == (2, 2, 1)
    assert result["precision"] == pytest.approx(0.5) and result["recall"] == pytest.approx(2 / 3)
    assert result["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert result["speaker_right"] == 1 and result["speaker_accuracy"] == pytest.approx(0.5)
    assert scores([], [])["f1"] == 0.0
    with pytest.raises(ValueError, match="min_overlap"):
        match_spans(gold, predicted, min_overlap=0)


# --- command line -----------------------------------------------------------------------------------------


def test_cli_writes_the_table_and_a_summary(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(
        '{"title": "Talks", "text": "“We will respond,” Lavrov said. Peskov said the talks had stalled.", '
        '"outlet": "Wire", "published": "2024-09-12"}\n'
        '{"title": "Quiet", "text": "Nothing was said.", "outlet": "Wire", "published": "2024-09-13"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "quotes.csv"
    assert main(["quotes", str(corpus), "--out", str(out), "--jobs", "1"]) == 0
    table = pd.read_csv(out)
    assert list(table.columns) == list(COLUMNS)
    assert table["speaker"].tolist() == ["Lavrov", "Peskov"] and table["kind"].tolist() == ["direct", "indirect"]
    err = capsys.readouterr().err
    assert "2 attributions (1 direct, 0 mixed, 1 indirect) in 1 of 2 articles" in err
    assert main(["quotes", str(tmp_path / "missing")]) == 2
    assert "newslens quotes: error:" in capsys.readouterr().err
