"""Keyness and log-odds statistics against scipy.stats and hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2, chi2_contingency, power_divergence

from newslens.keywords import keyness_stats, log_odds, log_odds_dirichlet, prior_from_counts
from newslens.keywords.keyness import two_by_two


def test_hand_computed_example():
    # "missile": 10 of 1,000 target tokens, 5 of 2,000 reference tokens.
    out = keyness_stats(pd.Series({"missile": 10}), pd.Series({"missile": 5}), total_target=1000, total_reference=2000)
    row = out.iloc[0]
    # Expected cells: row total 15 split 1:2 -> 5 and 10; the rest 2,985 -> 995 and 1,990.
    g2 = 2 * (10 * math.log(10 / 5) + 5 * math.log(5 / 10) + 990 * math.log(990 / 995) + 1995 * math.log(1995 / 1990))
    pearson = 25 / 5 + 25 / 10 + 25 / 995 + 25 / 1990
    yates = 4.5**2 * (1 / 5 + 1 / 10 + 1 / 995 + 1 / 1990)
    assert row.g2 == pytest.approx(g2, rel=1e-12)
    assert row.chi2 == pytest.approx(pearson, rel=1e-12)
    assert row.chi2_yates == pytest.approx(yates, rel=1e-12)
    assert row.p_g2 == pytest.approx(chi2.sf(g2, 1), rel=1e-12)
    assert row.log_ratio == pytest.approx(2.0)  # 1 % vs 0.25 %: four times as frequent
    assert row.pct_diff == pytest.approx(300.0)
    assert row.per_10k_target == pytest.approx(100.0)
    assert row.per_10k_reference == pytest.approx(25.0)
    assert (row.freq_target, row.freq_reference) == (10, 5)


def test_against_scipy_on_random_tables():
    rng = np.random.default_rng(42)
    for _ in range(300):
        nt = int(rng.integers(50, 100_000))
        nr = int(rng.integers(50, 100_000))
        a = int(rng.integers(0, min(nt, 200)))
        b = int(rng.integers(0 if a else 1, min(nr, 200)))
        s = two_by_two(np.array([a]), np.array([b]), nt, nr)
        table = np.array([[a, b], [nt - a, nr - b]])
        g2, p_g2, _, expected = chi2_contingency(table, correction=False, lambda_="log-likelihood")
        x2, p_x2, _, _ = chi2_contingency(table, correction=False)
        x2y, p_x2y, _, _ = chi2_contingency(table, correction=True)
        pd_g2, pd_p = power_divergence(table.ravel(), f_exp=expected.ravel(), lambda_="log-likelihood", ddof=2)
        assert s["g2"][0] == pytest.approx(g2, rel=1e-9, abs=1e-9)
        assert s["g2"][0] == pytest.approx(pd_g2, rel=1e-9, abs=1e-9)
        assert s["p_g2"][0] == pytest.approx(p_g2, rel=1e-9, abs=1e-12)
        assert s["p_g2"][0] == pytest.approx(pd_p, rel=1e-9, abs=1e-12)
        assert s["chi2"][0] == pytest.approx(x2, rel=1e-9, abs=1e-9)
        assert s["p_chi2"][0] == pytest.approx(p_x2, rel=1e-9, abs=1e-12)
        assert s["chi2_yates"][0] == pytest.approx(x2y, rel=1e-9, abs=1e-9)
        assert s["p_chi2_yates"][0] == pytest.approx(p_x2y, rel=1e-9, abs=1e-12)


def test_vectorised_equals_one_at_a_time():
    rng = np.random.default_rng(7)
    a = rng.integers(0, 50, 200).astype(float)
    b = rng.integers(1, 50, 200).astype(float)
    together = two_by_two(a, b, 5000, 8000)
    for i in (0, 17, 199):
        alone = two_by_two(a[i : i + 1], b[i : i + 1], 5000, 8000)
        for key, values in together.items():
            assert values[i] == pytest.approx(alone[key][0])


def test_zero_frequency_adjustment():
    out = keyness_stats(
        pd.Series({"only_target": 4, "only_reference": 0}),
        pd.Series({"only_target": 0, "only_reference": 8}),
        total_target=1000,
        total_reference=1000,
    ).set_index("term")
    # Zero replaced by 0.5: log2((4/1000) / (0.5/1000)) = log2(8) = 3, and log2(0.5/8) = -4.
    assert out.loc["only_target", "log_ratio"] == pytest.approx(3.0)
    assert out.loc["only_reference", "log_ratio"] == pytest.approx(-4.0)
    # %DIFF: reference zero becomes 0.5 -> (4 - 0.5) / 0.5 * 100 = 700; target zero gives -100.
    assert out.loc["only_target", "pct_diff"] == pytest.approx(700.0)
    assert out.loc["only_reference", "pct_diff"] == pytest.approx(-100.0)


def test_sorted_by_g2_and_terms_absent_from_both_dropped():
    out = keyness_stats(
        pd.Series({"x": 50, "y": 10, "z": 0, "w": 20}),
        pd.Series({"x": 10, "y": 10, "z": 0, "w": 20}),
    )
    assert "z" not in set(out.term)
    assert out.g2.is_monotonic_decreasing
    assert out.term.iloc[0] == "x"
    assert list(out.index) == list(range(len(out)))


def test_bad_totals_raise():
    with pytest.raises(ValueError, match="exceeds"):
        two_by_two(np.array([20.0]), np.array([1.0]), 10, 100)
    with pytest.raises(ValueError, match="positive"):
        two_by_two(np.array([1.0]), np.array([1.0]), 0, 100)


def test_log_odds_hand_computed_from_the_paper():
    # Toy table: group a uses "war" 8 times of 20 tokens, group b 2 of 30; "peace" 2 and 18;
    # "talks" 10 and 10. Prior pseudo-counts alpha = 2, 1, 1 (alpha_0 = 4).
    a = pd.Series({"war": 8, "peace": 2, "talks": 10})
    b = pd.Series({"war": 2, "peace": 18, "talks": 10})
    prior = pd.Series({"war": 2.0, "peace": 1.0, "talks": 1.0})
    out = log_odds_dirichlet(a, b, prior).set_index("term")
    # Monroe et al. eq. 16: delta = log((y_a+α)/(n_a+α0−y_a−α)) − log((y_b+α)/(n_b+α0−y_b−α))
    war = math.log(10 / (20 + 4 - 8 - 2)) - math.log(4 / (30 + 4 - 2 - 2))
    war_var = 1 / 10 + 1 / 4
    peace = math.log(3 / (20 + 4 - 2 - 1)) - math.log(19 / (30 + 4 - 18 - 1))
    peace_var = 1 / 3 + 1 / 19
    talks = math.log(11 / (20 + 4 - 10 - 1)) - math.log(11 / (30 + 4 - 10 - 1))
    assert out.loc["war", "delta"] == pytest.approx(war)
    assert out.loc["war", "variance"] == pytest.approx(war_var)
    assert out.loc["war", "z"] == pytest.approx(war / math.sqrt(war_var))
    assert out.loc["peace", "z"] == pytest.approx(peace / math.sqrt(peace_var))
    assert out.loc["talks", "delta"] == pytest.approx(talks)
    assert list(out.index) == ["war", "talks", "peace"]  # sorted by z, descending


def test_log_odds_prior_shrinks_rare_terms():
    a = pd.Series({"rare": 2, "common": 200, "other": 800})
    b = pd.Series({"rare": 0, "common": 100, "other": 900})
    weak = log_odds_dirichlet(a, b, prior_from_counts(a + b, alpha0=10)).set_index("term")
    strong = log_odds_dirichlet(a, b, prior_from_counts(a + b, alpha0=10_000)).set_index("term")
    assert abs(strong.loc["rare", "delta"]) < abs(weak.loc["rare", "delta"])


def test_log_odds_prior_must_cover_terms():
    with pytest.raises(ValueError, match="positive pseudo-count"):
        log_odds_dirichlet(pd.Series({"x": 1, "y": 2}), pd.Series({"x": 3}), pd.Series({"x": 1.0}))


def test_prior_from_counts_scaling():
    counts = pd.Series({"x": 30, "y": 10})
    assert prior_from_counts(counts).tolist() == [30.0, 10.0]
    assert prior_from_counts(counts, alpha0=100).tolist() == [75.0, 25.0]
    with pytest.raises(ValueError, match="alpha0"):
        prior_from_counts(counts, alpha0=0)


def _two_outlets(texts_a: list[str], texts_b: list[str]) -> pd.DataFrame:
    rows = [("A", t) for t in texts_a] + [("B", t) for t in texts_b]
    df = pd.DataFrame(rows, columns=["outlet", "text"])
    df.insert(0, "id", [f"{i:016x}" for i in range(len(df))])
    df["title"] = ""
    return df


def _z(ya, yb, na, nb, alpha, alpha0):
    """Monroe et al. eq. 16 and 18-20 for one term, written out."""
    delta = math.log((ya + alpha) / (na + alpha0 - ya - alpha)) - math.log((yb + alpha) / (nb + alpha0 - yb - alpha))
    return delta / math.sqrt(1 / (ya + alpha) + 1 / (yb + alpha))


def test_log_odds_reference_prior_scaled_to_alpha0_by_hand():
    # A: war 3, peace 1 (n_a = 4); B: peace 3, talks 1 (n_b = 4); the corpus counts 8 terms.
    df = _two_outlets(["war war war peace"], ["peace peace peace talks"])
    # Reference of 10,000 words: war 6,000, peace 3,000, talks 1,000 -> shares 0.6, 0.3, 0.1.
    reference = pd.Series({"war": 6_000, "peace": 3_000, "talks": 1_000, "grain": 50_000})
    out = log_odds(df, "outlet", "A", "B", reference=reference).set_index("term")
    # Default α_0 = the corpus's 8 counted terms: α = 8 · (0.6, 0.3, 0.1) = 4.8, 2.4, 0.8
    # ("grain" is not in the corpus and has no part in the prior over the corpus's terms).
    assert out.attrs["alpha0"] == 8
    assert out["prior"].to_dict() == pytest.approx({"war": 4.8, "peace": 2.4, "talks": 0.8})
    # war:   δ = log((3 + 4.8)/(4 + 8 − 3 − 4.8)) − log((0 + 4.8)/(4 + 8 − 0 − 4.8)) = log(7.8/4.2) − log(4.8/7.2)
    #        σ² = 1/7.8 + 1/4.8
    war = (math.log(7.8 / 4.2) - math.log(4.8 / 7.2)) / math.sqrt(1 / 7.8 + 1 / 4.8)
    # peace: δ = log(3.4/8.6) − log(5.4/6.6), σ² = 1/3.4 + 1/5.4
    peace = (math.log(3.4 / 8.6) - math.log(5.4 / 6.6)) / math.sqrt(1 / 3.4 + 1 / 5.4)
    # talks: δ = log(0.8/11.2) − log(1.8/10.2), σ² = 1/0.8 + 1/1.8
    talks = (math.log(0.8 / 11.2) - math.log(1.8 / 10.2)) / math.sqrt(1 / 0.8 + 1 / 1.8)
    assert out.loc["war", "z"] == pytest.approx(war)  # 1.7660
    assert out.loc["peace", "z"] == pytest.approx(peace)  # -1.0506
    assert out.loc["talks", "z"] == pytest.approx(talks)  # -0.6731
    assert list(out.index) == ["war", "talks", "peace"]
    # A stated α_0 scales the same shares: α = 100 · (0.6, 0.3, 0.1) = 60, 30, 10.
    strong = log_odds(df, "outlet", "A", "B", reference=reference, alpha0=100).set_index("term")
    assert strong["prior"].to_dict() == pytest.approx({"war": 60.0, "peace": 30.0, "talks": 10.0})
    assert strong.loc["war", "z"] == pytest.approx(_z(3, 0, 4, 4, 60.0, 100.0))


def test_log_odds_large_reference_no_longer_pulls_z_to_zero():
    # Group A uses "strike" 170 times in 5,000 words, group B 50 times in 5,000; in a reference of
    # 10,000,000 words "strike" has 20,000 (0.2%).
    df = _two_outlets(["strike " * 170 + "talks " * 4_830], ["strike " * 50 + "talks " * 4_950])
    reference = pd.Series({"strike": 20_000, "talks": 9_980_000})
    fixed = log_odds(df, "outlet", "A", "B", reference=reference).set_index("term")
    # α_0 = 10,000 (the corpus), α_strike = 10,000 · 0.002 = 20:
    # δ = log(190/14,810) − log(70/14,930), σ² = 1/190 + 1/70 -> z = 7.20
    assert fixed.loc["strike", "prior"] == pytest.approx(20.0)
    assert fixed.loc["strike", "z"] == pytest.approx(_z(170, 50, 5_000, 5_000, 20.0, 10_000.0))
    assert fixed.loc["strike", "z"] == pytest.approx(7.1994, abs=1e-4)
    # The raw reference counts as pseudo-counts (α_strike = 20,000, α_0 = 10,000,000) drown the
    # 10,000 words compared: z = 0.60.
    raw = log_odds(df, "outlet", "A", "B", reference=reference, alpha0=10_000_000).set_index("term")
    assert raw.loc["strike", "z"] == pytest.approx(_z(170, 50, 5_000, 5_000, 20_000.0, 10_000_000.0))
    assert raw.loc["strike", "z"] == pytest.approx(0.5996, abs=1e-4)


def test_log_odds_default_corpus_prior_is_the_corpus_counts():
    df = _two_outlets(["war war war peace"], ["peace peace peace talks", "war talks"])
    out = log_odds(df, "outlet", "A", "B").set_index("term")
    assert out["prior"].to_dict() == {"war": 4.0, "peace": 4.0, "talks": 2.0}
    assert out.attrs["alpha0"] == 10
