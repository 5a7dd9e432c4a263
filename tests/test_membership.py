import numpy as np
import pandas as pd
import pytest

from newslens.membership import isin


@pytest.mark.parametrize("seed", range(20))
def test_isin_answers_as_pandas_does(seed):
    # pandas' own Series.isin is the oracle: random string columns with missing values, and wanted
    # values of every kind (strings, missing, numbers, as a list, set, array, Series or Index).
    rng = np.random.default_rng(seed)
    pool = ["a", "b", "c", "dd", "é", "", None]
    column = pd.Series(rng.choice(np.array(pool, dtype=object), size=int(rng.integers(0, 30))), dtype="str")
    wanted = list(rng.choice(np.array([*pool, 1, 2.5, np.nan, pd.NA], dtype=object), size=int(rng.integers(0, 6))))
    for values in (wanted, set(map(str, wanted)), np.array(wanted, dtype=object),
                   pd.Series(wanted, dtype=object), pd.Index([v for v in wanted if isinstance(v, str)], dtype="str"),
                   pd.Series([v for v in wanted if isinstance(v, str) or v is None], dtype="str")):  # fmt: skip
        expected = column.isin(values).to_numpy()
        assert isin(column, values).tolist() == expected.tolist(), (column.tolist(), values)


def test_isin_of_other_columns_is_pandas_isin():
    numbers = pd.Series([1, 2, 3, 4])
    assert isin(numbers, [2, 4]).tolist() == [False, True, False, True]
    assert isin(pd.Series(["a", "b"], dtype=object), ["b"]).tolist() == [False, True]
