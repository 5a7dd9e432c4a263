"""Tests for newslens.actors and the bundled actors dictionary."""

from pathlib import Path

import pandas as pd
import pytest

from newslens import actors, text
from newslens.actors import default_actors, groups, mentions
from newslens.dictionary import Dictionary

SEED_ARTICLE = Path(__file__).resolve().parents[1] / "corpus" / "000_813a72da52f0618f.txt"


def _sents(*sentences):
    return pd.DataFrame(
        {
            "id": pd.Series(["a"] * len(sentences), dtype="str"),
            "part": pd.Series(["body"] * len(sentences), dtype="str"),
            "sentence_no": pd.Series(range(len(sentences)), dtype="int64"),
            "sentence": pd.Series(list(sentences), dtype="str"),
        }
    )


def _who(sentence, **kwargs):
    """{actor: n} for one sentence."""
    out = mentions(_sents(sentence), **kwargs)
    return dict(zip(out["actor"], out["n"], strict=True))


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Moscow warned Washington.", {"Russia": 1, "US": 1}),
        ("The Kremlin said nothing; the Kremlin's spokesman Dmitry Peskov did.", {"Russia": 2, "Peskov": 1}),
        ("U.S. officials and the US Army told us", {"US": 2}),  # "us" the pronoun is not the US
        ("The United States and America's allies, American troops", {"US": 3}),
        ("The White House and the Pentagon disagreed with the State Department.", {"US": 3}),
        ("Kyiv, Kiev and Ukraine's Ukrainian forces", {"Ukraine": 4}),
        ("Downing Street, London and British ministers in Britain", {"UK": 4}),
        ("The Élysée, the Elysee and Paris", {"France": 3}),
        ("Berlin and Beijing, Tehran and Pyongyang", {"Germany": 1, "China": 1, "Iran": 1, "North Korea": 1}),
        ("Officials in Brussels", {"EU": 1}),
        ("Stoltenberg said", {"Stoltenberg": 1}),
        ("NATO Secretary General Jens Stoltenberg said", {"NATO": 1, "Stoltenberg": 1}),
        ("The secretary-general also backed Britain.", {"NATO": 1, "UK": 1}),
        ("UN Secretary-General Antonio Guterres", {}),
        ("Kim Jong Un met Kim Jong-un", {"Kim Jong Un": 2}),
        ("Prime Minister Michel Barnier", {}),
        ("European Council President Charles Michel", {"EU": 1, "Michel": 1}),
        ("Ursula von der Leyen and Xi Jinping", {"von der Leyen": 1, "Xi": 1}),
        ("The Russian Federation", {"Russia": 1}),
        ("The Russia-Ukraine war, pro-Russian media, a NATO-led mission, Kremlin-backed groups",
         {"Russia": 3, "Ukraine": 1, "NATO": 1}),
        ("EU-China trade and Iran-made drones", {"China": 1, "Iran": 1, "EU": 1}),
        ("", {}),
    ],
)
def test_hand_written_sentences(sentence, expected):
    assert _who(sentence) == expected


def test_rollup_maps_leaders_to_their_group_and_sums():
    sentence = "NATO Secretary General Jens Stoltenberg said Putin and Lavrov speak for Moscow."
    assert _who(sentence) == {"Russia": 1, "NATO": 1, "Putin": 1, "Lavrov": 1, "Stoltenberg": 1}
    assert _who(sentence, rollup=True) == {"Russia": 3, "NATO": 2}


def test_output_is_tidy_in_sentence_table_order_then_dictionary_order():
    sents = pd.DataFrame(
        {
            "id": pd.Series(["b", "a", "a"], dtype="str"),
            "part": pd.Series(["body", "body", "title"], dtype="str"),
            "sentence_no": pd.Series([0, 1, 0], dtype="int64"),
            "sentence": pd.Series(["Zelensky thanked Biden", "Putin met Xi in China", "Kyiv"], dtype="str"),
        }
    )
    expected = pd.DataFrame(
        {
            "id": pd.Series(["a", "a", "a", "a", "b", "b"], dtype="str"),
            "part": pd.Series(["title"] + ["body"] * 5, dtype="str"),
            "sentence_no": pd.Series([0, 1, 1, 1, 0, 0], dtype="int64"),
            "actor": pd.Series(["Ukraine", "China", "Putin", "Xi", "Zelensky", "Biden"], dtype="str"),
            "n": pd.Series([1, 1, 1, 1, 1, 1], dtype="int64"),
        }
    )
    pd.testing.assert_frame_equal(mentions(sents), expected)


def test_custom_dictionary_path_and_columns(tmp_path):
    path = tmp_path / "mini.yml"
    path.write_text(
        "categories:\n  Kremlin:\n    group: Russia\n    patterns: [kremlin*, peskov]\n  Russia: [russia*]\n",
        encoding="utf-8",
    )
    sents = pd.DataFrame({"doc": [7], "s": ["The Kremlin's Peskov spoke of Russia."]})
    out = mentions(sents, path, id_cols=["doc"], text_col="s")
    assert out.values.tolist() == [[7, "Kremlin", 2], [7, "Russia", 1]]
    rolled = mentions(sents, Dictionary.from_mapping({"Russia": ["russia", "kremlin*"]}), id_cols=["doc"], text_col="s")
    assert rolled.values.tolist() == [[7, "Russia", 2]]


def test_missing_column_is_named():
    with pytest.raises(KeyError, match="'sentence'"):
        mentions(pd.DataFrame({"id": ["a"], "part": ["body"], "sentence_no": [0]}))


def test_bundled_dictionary_covers_the_brief_and_groups_are_actors():
    d = default_actors()
    required = {
        "NATO", "Russia", "Ukraine", "US", "UK", "France", "Germany", "China", "Iran", "North Korea", "EU",
        "Putin", "Peskov", "Lavrov", "Medvedev", "Shoigu", "Zelensky", "Sybiha", "Kuleba", "Biden", "Blinken",
        "Austin", "Harris", "Trump", "Starmer", "Lammy", "Healey", "Macron", "Scholz", "Xi", "Kim Jong Un",
        "Khamenei", "Pezeshkian", "von der Leyen", "Borrell", "Michel", "Stoltenberg", "Rutte",
    }  # fmt: skip
    assert required <= set(d.categories)
    mapping = groups(d)
    assert set(mapping.values()) <= set(d.categories)
    for actor in d.categories:
        assert d.meta[actor]["type"] in {"country", "organisation", "person"}
        if d.meta[actor]["type"] != "person":
            assert mapping[actor] == actor
        else:
            assert mapping[actor] != actor
    assert mapping["Peskov"] == "Russia" and mapping["Rutte"] == "NATO" and mapping["Borrell"] == "EU"


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason="seed article corpus/000_813a72da52f0618f.txt not present")
def test_seed_article_mentions():
    body = "\n\n".join(SEED_ARTICLE.read_text(encoding="utf-8").splitlines()[4:10])
    sents = text.split_sentences(pd.DataFrame({"id": ["x"], "title": [""], "text": [body]}))
    out = actors.mentions(sents)
    # sentence 13: "Putin said on Sept. 12 ... would mean a NATO and U.S. war against Russia."
    s13 = out[out["sentence_no"] == 13]
    assert dict(zip(s13["actor"], s13["n"], strict=True)) == {"Russia": 2, "US": 1, "NATO": 1, "Putin": 1}
    totals = out.groupby("actor")["n"].sum()
    # hand count over the 16 body sentences
    assert totals["Stoltenberg"] == 5
    assert totals["China"] == 6
    assert totals["Putin"] == 5


def test_missing_sentences_and_empty_tables():
    sents = _sents(None, "Kyiv")
    out = mentions(sents)
    assert out[["sentence_no", "actor", "n"]].values.tolist() == [[1, "Ukraine", 1]]
    empty = mentions(sents.iloc[:0])
    assert empty.empty and list(empty.columns) == ["id", "part", "sentence_no", "actor", "n"]
