"""Stratified coding samples: allocation by hand, no unit twice, seeded, short strata reported."""

import warnings

import numpy as np
import pandas as pd
import pytest

from newslens.validation.sampling import allocate, sample, units


def corpus(sizes: dict[str, int]) -> pd.DataFrame:
    rows = [(f"{outlet}{k:03d}", outlet, f"Title {k}", f"Text {k}. More text.", pd.Timestamp("2024-09-02"))
            for outlet, size in sizes.items() for k in range(size)]
    return pd.DataFrame(rows, columns=["id", "outlet", "title", "text", "published"])


def test_proportional_allocation_by_largest_remainder():
    # exact shares 2.5, 1.5, 1.0 -> floors 2, 1, 1; the one left goes to the larger of the two .5 remainders
    table = allocate(corpus({"A": 5, "B": 3, "C": 2}), 5, by=("outlet",))
    assert table[["outlet", "available", "wanted", "drawn", "short"]].values.tolist() == [
        ["A", 5, 3, 3, False], ["B", 3, 1, 1, False], ["C", 2, 1, 1, False]]


def test_equal_allocation_reports_a_short_stratum():
    docs = corpus({"A": 10, "B": 2, "C": 10})
    with pytest.warns(UserWarning, match=r"too small.*B: 2 of 4.*has 10 of 12 units"):
        s = sample(docs, 12, by=("outlet",), allocation="equal")
    assert s.groupby("outlet").size().to_dict() == {"A": 4, "B": 2, "C": 4}
    assert s.attrs["short"] == 2
    assert [r["short"] for r in s.attrs["strata"]] == [False, True, False]


def test_never_the_same_unit_twice_even_when_asking_for_more():
    docs = corpus({"A": 3, "B": 2})
    with pytest.warns(UserWarning, match="too small"):
        s = sample(docs, 50, by=("outlet",), allocation="equal")
    assert sorted(s["unit"]) == sorted(docs["id"])


def test_seeded_and_independent_of_other_strata_and_row_order():
    docs = corpus({"A": 30, "B": 30})
    first = sample(docs, 10, by=("outlet",), seed=4)
    assert first.equals(sample(docs.iloc[::-1], 10, by=("outlet",), seed=4))
    assert not first["unit"].equals(sample(docs, 10, by=("outlet",), seed=5)["unit"])
    more = pd.concat([docs, corpus({"C": 30})], ignore_index=True)
    again = sample(more, 15, by=("outlet",), seed=4)  # 5 per outlet again
    assert set(first["unit"]) == set(again.loc[again["outlet"] != "C", "unit"])


def test_every_unit_of_a_stratum_is_equally_likely():
    docs = corpus({"A": 4})
    hits = pd.Series(0, index=docs["id"])
    for seed in range(800):
        hits[sample(docs, 2, by=("outlet",), seed=seed)["unit"]] += 1
    np.testing.assert_allclose(hits / 800, 0.5, atol=0.06)  # about 3.4 standard errors


def test_periods_and_undated_articles_are_strata():
    docs = corpus({"A": 6})
    docs.loc[:1, "published"] = pd.Timestamp("2024-10-15")
    docs.loc[2, "published"] = pd.NaT
    table = allocate(docs, 6, by=("outlet", "period"))
    assert table["available"].tolist() == [3, 2, 1]
    assert table["period"].isna().tolist() == [False, False, True]
    s = sample(docs, 6)
    assert sorted(set(s["stratum"])) == ["A | (missing)", "A | 2024-09-01", "A | 2024-10-01"]
    assert s.set_index("unit").loc["A000", "weight"] == 1.0


def test_sentence_units():
    docs = corpus({"A": 2})
    pop = units(docs, unit="sentence")
    assert pop["unit"].tolist() == ["A000:body:0", "A000:body:1", "A000:title:0",
                                    "A001:body:0", "A001:body:1", "A001:title:0"]
    assert pop.set_index("unit").loc["A001:body:1", "text"] == "More text."
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sample(docs, 4, by=("outlet",), unit="sentence", seed=1)
    assert len(s) == 4 and s["unit"].is_unique


def test_bad_options_are_named():
    docs = corpus({"A": 2})
    with pytest.raises(ValueError, match="allocation='even' is not valid; choose one of: proportional, equal"):
        sample(docs, 1, allocation="even")
    with pytest.raises(KeyError, match="stratum column"):
        sample(docs, 1, by=("section",))
    with pytest.raises(ValueError, match="n must be a positive integer"):
        sample(docs, 0)
