"""Units to read: where coders split, where the machine and the coders part.

Numbers say how often coders or machine disagree; reading the units says why (an ambiguous
definition, a word the dictionary misreads, a unit outside the scheme). These tables carry
article text: each unit's ``title`` and an ``excerpt`` of ``chars`` characters (for sentence
units the sentence). They are the only validation tables that do, so that a licence-safe
export can drop or cut those two columns.

Units are listed in a fixed order (weakest majority first, then unit id), so two runs list the
same units.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from newslens.validation.codebook import check_codebook
from newslens.validation.sampling import SENTENCE_UNIT, article_id
from newslens.validation.sampling import units as unit_table

__all__ = ["TEXT_COLUMNS", "unit_texts", "coder_disagreements", "machine_disagreements"]

TEXT_COLUMNS = ("title", "excerpt")
"""The columns of these tables that hold article text."""


def _excerpt(text: str, chars: int) -> str:
    """The first ``chars`` characters of ``text``, cut at a word with an ellipsis.

    >>> _excerpt("Strikes on Russian territory were approved today.", 24)
    'Strikes on Russian…'
    """
    text = " ".join(str(text).split())
    if len(text) <= chars:
        return text
    cut = text[: chars - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def unit_texts(articles: pd.DataFrame, units: set[str] | list[str], *, chars: int = 240) -> pd.DataFrame:
    """``[unit, outlet, title, excerpt]`` for article ids or sentence units of ``articles``.

    >>> docs = pd.DataFrame({"id": ["a"], "outlet": ["X"], "title": ["Red lines"], "text": ["One. Two."]})
    >>> unit_texts(docs, {"a", "a:body:1"}).values.tolist()
    [['a', 'X', 'Red lines', 'One. Two.'], ['a:body:1', 'X', 'Red lines', 'Two.']]
    """
    wanted = {str(u) for u in units}
    ids = {article_id(u) for u in wanted}
    docs = articles[articles["id"].astype("str").isin(ids)]
    carry = {c: docs[c] if c in docs.columns else "" for c in ("outlet", "title")}
    docs = docs.assign(**carry)[["id", "outlet", "title", "text"]]
    parts = [unit_table(docs, unit="article")]
    if any(SENTENCE_UNIT.match(u) for u in wanted) and len(docs):
        parts.append(unit_table(docs, unit="sentence"))
    found = pd.concat(parts, ignore_index=True)
    found = found[found["unit"].isin(wanted)].drop_duplicates("unit")
    out = pd.DataFrame({"unit": found["unit"].astype("str"), "outlet": found["outlet"].fillna("").astype("str"),
                        "title": found["title"].fillna("").astype("str"),
                        "excerpt": [_excerpt(t, chars) for t in found["text"].fillna("")]})  # fmt: skip
    return out.sort_values("unit", kind="mergesort").reset_index(drop=True)


def coder_disagreements(
    codes: pd.DataFrame, codebook: pd.DataFrame, articles: pd.DataFrame, *, n: int = 3, chars: int = 240
) -> pd.DataFrame:
    """Up to ``n`` units per variable on which the coders did not all agree (article text).

    Returns ``[variable, unit, outlet, codes, majority_share, title, excerpt]``: ``codes`` lists
    each coder's value (``A: 1 · B: 0``), ``majority_share`` the share of the most common value.
    Variables in codebook order; within one, the weakest majorities first.

    >>> codes = pd.DataFrame({"unit": ["a", "a", "b", "b"], "coder": ["A", "B"] * 2, "variable": ["war"] * 4,
    ...                       "value": ["1", "0", "1", "1"]})
    >>> book = pd.DataFrame({"variable": ["war"] * 2, "level": ["nominal"] * 2, "value": ["1", "0"],
    ...                      "label": ["", ""], "definition": ["", ""]})
    >>> docs = pd.DataFrame({"id": ["a", "b"], "title": ["T", "U"], "text": ["Body.", "Other."]})
    >>> coder_disagreements(codes, book, docs)[["unit", "codes", "excerpt"]].values.tolist()
    [['a', 'A: 1 · B: 0', 'Body.']]
    """
    book = check_codebook(codebook)
    rows = []
    for variable in dict.fromkeys(book["variable"]):
        one = codes[codes["variable"] == variable].sort_values(["unit", "coder"], kind="mergesort")
        for unit, group in one.groupby("unit", sort=True):
            if len(group) < 2 or group["value"].nunique() < 2:
                continue
            share = group["value"].value_counts().iloc[0] / len(group)
            listing = " · ".join(f"{c}: {v}" for c, v in zip(group["coder"], group["value"], strict=True))
            rows.append((variable, str(unit), listing, float(share)))
    split = pd.DataFrame(rows, columns=["variable", "unit", "codes", "majority_share"])
    order = {v: k for k, v in enumerate(dict.fromkeys(book["variable"]))}
    split = split.assign(_v=split["variable"].map(order)).sort_values(["_v", "majority_share", "unit"],
                                                                       kind="mergesort")  # fmt: skip
    split = split.groupby("variable", sort=False).head(n).drop(columns="_v")
    texts = unit_texts(articles, set(split["unit"]), chars=chars)
    out = split.merge(texts, on="unit", how="left")
    out = out[["variable", "unit", "outlet", "codes", "majority_share", "title", "excerpt"]]
    return out.fillna({"outlet": "", "title": "", "excerpt": ""}).reset_index(drop=True)


def machine_disagreements(checks: Mapping, articles: pd.DataFrame, *, n: int = 3, chars: int = 240) -> pd.DataFrame:
    """Up to ``n`` units per measure and variable where the machine's code differs from the coders' majority.

    ``checks`` is :func:`~newslens.validation.check_measures` output. Returns ``[measure,
    variable, unit, outlet, human, machine, title, excerpt]`` (article text), units in id order.
    """
    parts = []
    for check in checks.values():
        pairs = check.pairs[check.pairs["human"] != check.pairs["machine"]]
        parts.append(pairs.sort_values("unit", kind="mergesort").groupby("variable", sort=False).head(n))
    columns = ["measure", "variable", "unit", "outlet", "human", "machine", "title", "excerpt"]
    differ = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns[:6])
    texts = unit_texts(articles, set(differ["unit"]), chars=chars).drop(columns="outlet")
    out = differ.merge(texts, on="unit", how="left")[columns]
    return out.fillna({"title": "", "excerpt": ""}).astype("str").reset_index(drop=True)
