"""Which values of a column are among given values: :func:`isin`, for the large id sets of a corpus.

pandas' ``Series.isin`` on a pyarrow string column turns every wanted value into a pyarrow scalar
one by one (100,000 article ids: about a second); :func:`isin` hands pyarrow the wanted values as
one array. Its answer is the same as ``Series.isin``'s: values of another type never match, and a
missing value matches a missing value.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def isin(column: pd.Series, values: Iterable) -> np.ndarray:
    """``column.isin(values)`` as a boolean array.

    >>> isin(pd.Series(["a", "b", None, "1"], dtype="str"), ["b", None, 1]).tolist()
    [False, True, True, False]
    """
    dtype = column.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return column.isin(values).to_numpy(dtype=bool)
    if isinstance(values, (pd.Series, pd.Index)) and isinstance(values.dtype, pd.StringDtype):
        wanted = pa.array(values.unique())
    else:
        values = values if isinstance(values, (pd.Series, pd.Index, np.ndarray, list, tuple)) else list(values)
        kept = [v for v in pd.unique(pd.Series(values, dtype=object)) if isinstance(v, str) or pd.isna(v)]
        wanted = pa.array(kept, type=pa.large_string(), from_pandas=True)
    found = pc.is_in(pa.chunked_array(pa.array(column)), value_set=wanted.cast(pa.large_string()))
    return found.to_numpy().astype(bool)
