"""The groups being compared: their sizes, and which two a two-group comparison uses by default.

Groups are the values of one corpus column (``by``, usually ``outlet``), ranked by number of
articles (largest first, ties by value). Articles without a value belong to no group; they are
counted, not dropped silently.

>>> import pandas as pd
>>> df = pd.DataFrame({"outlet": ["B", "A", "B", "C", "A", None]})
>>> group_sizes(df, "outlet")
  outlet  articles
0      A         2
1      B         2
2      C         1
>>> default_pair(df, "outlet")
('A', 'B')
"""

from __future__ import annotations

import pandas as pd

__all__ = ["group_sizes", "default_pair"]


def group_sizes(corpus_df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Articles per value of ``corpus_df[by]``: ``[by, articles]``, largest group first (ties by value).

    The number of articles without a value is in ``result.attrs["missing"]``. A ``by`` that is not
    a column raises ValueError listing the columns.

    >>> df = pd.DataFrame({"outlet": ["X", "Y", "Y", None]})
    >>> sizes = group_sizes(df, "outlet")
    >>> sizes.values.tolist(), sizes.attrs["missing"]
    ([['Y', 2], ['X', 1]], 1)
    """
    if by not in corpus_df.columns:
        raise ValueError(f"by={by!r} is not a corpus column; choose one of: {', '.join(map(str, corpus_df.columns))}")
    sizes = corpus_df[by].value_counts(dropna=True).rename_axis(by).reset_index(name="articles")
    sizes["articles"] = sizes["articles"].astype("int64")
    sizes = sizes.sort_values(["articles", by], ascending=[False, True], kind="mergesort", ignore_index=True)
    sizes.attrs["missing"] = int(corpus_df[by].isna().sum())
    return sizes


def default_pair(corpus_df: pd.DataFrame, by: str, *, group_a: str = "", group_b: str = "") -> tuple[str, str]:
    """The two groups of ``corpus_df[by]`` to compare: the given ones, else the largest two.

    An empty ``group_a`` becomes the largest group other than ``group_b``; an empty ``group_b``
    the largest group other than the first. Raises ValueError when a given group does not occur,
    when both are the same, or when there are not two groups to compare.

    >>> df = pd.DataFrame({"outlet": ["X", "Y", "Y", "Z", "Z", "Z"]})
    >>> default_pair(df, "outlet"), default_pair(df, "outlet", group_a="X"), default_pair(df, "outlet", group_b="Z")
    (('Z', 'Y'), ('X', 'Z'), ('Y', 'Z'))
    """
    ranked = group_sizes(corpus_df, by)[by].tolist()
    for name in (group_a, group_b):
        if name and name not in ranked:
            raise ValueError(f"{name!r} is not a value of {by!r}; available: {', '.join(map(str, sorted(ranked)))}")
    if group_a and group_a == group_b:
        raise ValueError(f"group_a and group_b must differ (both {group_a!r})")
    first = group_a or next((g for g in ranked if g != group_b), None)
    second = group_b or next((g for g in ranked if g != first), None)
    if first is None or second is None:
        raise ValueError(f"the two-group comparison needs two groups of {by!r}; the corpus has {len(ranked)}")
    return first, second
