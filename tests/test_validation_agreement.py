"""Krippendorff's alpha, kappas and percent agreement against published values, oracles and hand cases."""

from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from newslens import bootstrap
from newslens.validation.agreement import (
    agreement_table,
    alpha,
    alpha_ci,
    category_alpha,
    cohen_kappa,
    coincidences,
    expected_alpha,
    fleiss_kappa,
    percent_agreement,
    verdict,
)

N = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, values 1-5, missing values (typed by hand from the paper's reliability data matrix).
WORKED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],  # observer A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],  # observer B
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],  # observer C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],  # observer D
]
# The paper's coincidence matrix for these data (rows and columns: values 1..5).
WORKED_COINCIDENCES = [
    [7, F(4, 3), F(1, 3), F(1, 3), 0],
    [F(4, 3), 10, F(4, 3), F(1, 3), 0],
    [F(1, 3), F(4, 3), 8, F(1, 3), 0],
    [F(1, 3), F(1, 3), F(1, 3), 4, 0],
    [0, 0, 0, 0, 3],
]
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


def test_worked_example_coincidence_matrix_is_the_papers():
    got = coincidences(WORKED).pivot(index="value_a", columns="value_b", values="o").to_numpy()
    np.testing.assert_allclose(got, np.array(WORKED_COINCIDENCES, dtype=float), atol=1e-12)
    assert got.sum(axis=1).tolist() == pytest.approx([9, 13, 10, 5, 3])  # n_c as printed, n = 40


@pytest.mark.parametrize("level", list(PUBLISHED))
def test_worked_example_matches_published_alpha(level):
    assert round(alpha(WORKED, level=level), 3) == PUBLISHED[level]


def test_worked_example_nominal_alpha_by_hand():
    # 1 - (n-1) * off-diagonal coincidences / (n^2 - sum n_c^2) = 1 - 39 * 8 / 1216
    assert alpha(WORKED) == pytest.approx(1 - 39 * 8 / 1216, abs=1e-12)


def test_hand_computed_small_cases():
    assert alpha([[1, 2, 3, 1], [1, 2, 3, 1]]) == 1.0  # perfect agreement
    # systematic disagreement: A always 1, B always 2 on 5 units -> 1 - (10-1)*10/50 = -0.8
    assert alpha([[1] * 5, [2] * 5]) == pytest.approx(-0.8)
    assert alpha([[1], [2]]) == pytest.approx(0.0)  # one unit: observed = expected disagreement
    assert alpha([[1, 1, 2, 2]]) != alpha([[1, 1, 2, 2]])  # one coder: nothing pairable -> NaN
    assert np.isnan(alpha([[3, 3], [3, 3]]))  # no variation: undefined
    with_single = [[1, 2, 1, 7], [1, 2, 2, N]]
    assert alpha(with_single) == alpha([[1, 2, 1], [1, 2, 2]])  # a unit coded once is ignored


def test_string_categories_and_ordinal_order():
    words = [["low", "mid", "high"], ["low", "high", "high"]]
    numbers = [[0, 1, 2], [0, 2, 2]]
    assert alpha(words) == alpha(numbers)
    assert alpha(words, level="ordinal", values=["low", "mid", "high"]) == alpha(numbers, level="ordinal")
    with pytest.raises(ValueError, match="level='nominal!'"):
        alpha(words, level="nominal!")
    with pytest.raises(ValueError, match="needs numeric values"):
        alpha(words, level="interval")


def _nltk_alpha(matrix, distance):
    from nltk.metrics.agreement import AnnotationTask

    triples = [(f"c{i}", f"u{j}", v) for i, row in enumerate(matrix) for j, v in enumerate(row) if v is not None]
    return AnnotationTask(data=triples, distance=distance).alpha()


reliability = st.integers(2, 5).flatmap(
    lambda coders: st.lists(st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=coders, max_size=coders),
                            min_size=2, max_size=25))


@settings(max_examples=150, deadline=None)
@given(reliability)
def test_alpha_equals_nltk_on_random_data(units):
    from nltk.metrics.distance import binary_distance, interval_distance

    matrix = [list(col) for col in zip(*units, strict=True)]  # coders x units
    mine = alpha(matrix)
    if np.isnan(mine):  # NLTK returns 1 (or raises) where alpha is undefined
        return
    assert mine == pytest.approx(_nltk_alpha(matrix, binary_distance), abs=1e-9)
    assert alpha(matrix, level="interval") == pytest.approx(_nltk_alpha(matrix, interval_distance), abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=2, max_size=40))
def test_cohen_kappa_equals_sklearn(pairs):
    from sklearn.metrics import cohen_kappa_score

    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    assume(len(set(a) | set(b)) >= 2)  # with one label in all, kappa is undefined
    expected = cohen_kappa_score(a, b)
    got = cohen_kappa([a, b])
    assert (np.isnan(got) and np.isnan(expected)) or got == pytest.approx(expected, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 6).flatmap(lambda k: st.lists(st.lists(st.integers(0, 3), min_size=k, max_size=k),
                                                    min_size=2, max_size=30)))
def test_fleiss_kappa_equals_statsmodels(units):
    sm = pytest.importorskip("statsmodels.stats.inter_rater")
    matrix = np.array(units).T  # coders x units, complete
    assume(len(np.unique(matrix)) >= 2)  # with one category in all, kappa is undefined
    table = np.array([[int((col == c).sum()) for c in range(4)] for col in matrix.T])
    expected = sm.fleiss_kappa(table, method="fleiss")
    got = fleiss_kappa(matrix)
    assert (np.isnan(got) and not np.isfinite(expected)) or got == pytest.approx(expected, abs=1e-9)


def test_fleiss_kappa_hand_computed_table():
    # 10 subjects, 14 raters, 5 categories: P-bar = 0.378, P_e = 0.213, kappa = 0.210 (worked by hand).
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
             [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    matrix = np.array([[c for c, k in enumerate(row) for _ in range(k)] for row in table]).T
    assert round(fleiss_kappa(matrix), 3) == 0.210


def test_percent_agreement_by_hand():
    # unit 1: 3 coders agree (3/3 pairs); unit 2: one pair of three agrees (1/3); unit 3: coded once
    assert percent_agreement([[1, 1, 5], [1, 2, N], [1, 2, N]]) == pytest.approx((1 + 1 / 3) / 2)


def test_category_alpha_equals_alpha_of_the_binary_recoding():
    table = category_alpha(WORKED)
    for row in table.itertuples():
        recoded = [[N if np.isnan(v) else float(v == row.category) for v in coder] for coder in WORKED]
        assert row.alpha == pytest.approx(alpha(recoded), abs=1e-12)
    assert table.set_index("category").loc[5, "alpha"] == 1.0  # 5 is never confused


def test_alpha_ci_bootstrap_equals_slow_reference():
    n_boot, seed = 200, 3
    result = alpha_ci(WORKED, n_boot=n_boot, seed=seed, key=("v",), minimum=0.8)
    pairable = [j for j in range(12) if sum(not np.isnan(row[j]) for row in WORKED) >= 2]
    draws = np.concatenate(list(bootstrap.resample(len(pairable), n_boot=n_boot, rng=bootstrap.group_rng(seed, ("v",)))))
    slow = np.array([alpha([[row[pairable[j]] for j in d] for row in WORKED]) for d in draws])
    slow = slow[~np.isnan(slow)]
    assert result.ci_low == pytest.approx(np.quantile(slow, 0.025))
    assert result.ci_high == pytest.approx(np.quantile(slow, 0.975))
    assert result.p_below == pytest.approx((slow < 0.8).mean())
    assert (result.units, result.values) == (11, 40)
    assert result == alpha_ci(WORKED, n_boot=n_boot, seed=seed, key=("v",), minimum=0.8)  # deterministic


def test_expected_alpha_matches_a_large_simulation():
    rng = np.random.default_rng(1)
    k, prevalence, errors = 3, np.array([0.5, 0.3, 0.2]), [0.1, 0.2, 0.3]
    confusions = [(1 - e) * np.eye(k) + e / (k - 1) * (1 - np.eye(k)) for e in errors]
    truth = rng.choice(k, size=200_000, p=prevalence)
    coded = []
    for c in confusions:
        u = rng.random(truth.size)
        cum = np.cumsum(c[truth], axis=1)
        coded.append((u[:, None] > cum).sum(axis=1))
    simulated = alpha(np.array(coded))
    assert expected_alpha(confusions, prevalence) == pytest.approx(simulated, abs=0.005)
    assert expected_alpha([np.eye(k)] * 3, prevalence) == 1.0


def test_verdict_sentences():
    assert verdict(0.71, 0.62, 0.79) == "α = 0.71 [0.62, 0.79]: tentative by Krippendorff's 0.667/0.8 rule"
    assert verdict(0.85, 0.8, 0.9).endswith("reliable by Krippendorff's 0.667/0.8 rule")
    assert "unreliable" in verdict(0.5, 0.3, 0.6)
    assert verdict(float("nan"), float("nan"), float("nan")).startswith("α undefined")


def test_agreement_table_per_variable_in_codebook_order():
    from newslens.validation.codebook import combine, frame_codebook, tone_codebook

    book = combine(tone_codebook(), frame_codebook())
    rows = []
    for unit, (a, b) in enumerate([("negative", "negative"), ("neutral", "positive"), ("positive", "positive")]):
        rows += [(f"u{unit}", "A", "tone", a), (f"u{unit}", "B", "tone", b)]
        rows += [(f"u{unit}", c, "conflict", str(unit % 2)) for c in "AB"]
    codes = pd.DataFrame(rows, columns=["unit", "coder", "variable", "value"])
    table = agreement_table(codes, book, n_boot=100)
    assert table["variable"].tolist() == ["tone", "conflict"]
    tone = table.iloc[0]
    matrix = [["negative", "neutral", "positive"], ["negative", "positive", "positive"]]
    assert tone["level"] == "ordinal"
    assert tone["alpha"] == pytest.approx(alpha(matrix, level="ordinal", values=["negative", "neutral", "positive"]))
    assert table.iloc[1]["alpha"] == 1.0 and table.iloc[1]["percent_agreement"] == 1.0
