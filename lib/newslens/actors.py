"""Actors: who is mentioned in each sentence, from an editable actors dictionary.

The default dictionary (``data/actors.yml``) has one category per actor: countries and
organisations (``Russia``, ``NATO`` ...) with their metonyms (``Moscow``, ``the Kremlin``),
and leaders (``Putin``, ``Stoltenberg`` ...) whose ``group`` key names the country or
organisation they roll up to. It is an ordinary :mod:`newslens.dictionary` file: copy it,
edit it, pass the copy as ``actors=``. An optional ``speaker_role`` key (one of
:data:`SPEAKER_ROLES`) sets the role :mod:`newslens.quotes` gives the actor when quoted;
without it every actor speaks as an ``official`` (Peskov is a ``spokesperson``).

>>> import pandas as pd
>>> sents = pd.DataFrame({"id": ["a"], "part": ["body"], "sentence_no": [0],
...                       "sentence": ["Moscow warned Washington, Putin said."]})
>>> mentions(sents)[["actor", "n"]].to_dict("list")
{'actor': ['Russia', 'US', 'Putin'], 'n': [1, 1, 1]}
>>> mentions(sents, rollup=True)[["actor", "n"]].to_dict("list")
{'actor': ['Russia', 'US'], 'n': [2, 1]}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

from newslens import dictionary

__all__ = ["SPEAKER_ROLES", "alias_hits", "as_actors", "default_actors", "groups", "mentions", "speaker_roles"]

SPEAKER_ROLES: tuple[str, ...] = ("official", "spokesperson", "expert", "citizen", "journalist", "unnamed")
"""The roles a quoted speaker can have (``speaker_role`` in the actors dictionary)."""

# Upper-case "US" is the country; lower-case "us" is the pronoun. Matching is case-insensitive,
# so the country spelling is rewritten to "U.S." before matching.
_US_RE = re.compile(r"(?<![^\W_])US(?![^\W_])")
_PART_ORDER = {"title": 0, "body": 1}


def default_actors() -> dictionary.Dictionary:
    """The bundled actors dictionary (``newslens/data/actors.yml``)."""
    with resources.as_file(resources.files("newslens").joinpath("data", "actors.yml")) as path:
        return dictionary.load(path)


def groups(actors: dictionary.Dictionary | None = None) -> dict[str, str]:
    """Map each actor to its ``group`` (itself when it has none).

    >>> groups()["Peskov"], groups()["NATO"]
    ('Russia', 'NATO')
    """
    actors = default_actors() if actors is None else actors
    return {a: str(actors.meta[a].get("group") or a) for a in actors.categories}


def speaker_roles(actors: dictionary.Dictionary | None = None) -> dict[str, str]:
    """Map each actor to the role it speaks in (``speaker_role``, default ``official``).

    >>> speaker_roles()["Peskov"], speaker_roles()["Putin"], speaker_roles()["NATO"]
    ('spokesperson', 'official', 'official')
    """
    actors = default_actors() if actors is None else actors
    out = {}
    for actor in actors.categories:
        role = str(actors.meta[actor].get("speaker_role") or "official")
        if role not in SPEAKER_ROLES:
            where = actors.source or actors.name
            raise ValueError(f"{where}: actor {actor!r}: speaker_role {role!r} is not one of {', '.join(SPEAKER_ROLES)}")
        out[actor] = role
    return out


def _title_first(col: pd.Series) -> pd.Series:
    """Sort key: the ``part`` column in sentence-table order (title before body)."""
    return col.map(_PART_ORDER).fillna(len(_PART_ORDER)) if col.name == "part" else col


def as_actors(actors: dictionary.Dictionary | str | Path | None = None) -> dictionary.Dictionary:
    """An actors dictionary from what callers accept: None (the bundled one), a Dictionary or a file path.

    >>> as_actors() == default_actors(), as_actors(default_actors()).name == default_actors().name
    (True, True)
    """
    if actors is None:
        return default_actors()
    if isinstance(actors, dictionary.Dictionary):
        return actors
    return dictionary.load(actors)


def alias_hits(
    docs: pd.DataFrame,
    actors: dictionary.Dictionary | str | Path | None = None,
    *,
    id_cols: Sequence[str] = ("id",),
    text_col: str = "text",
    where: str = "alias_hits",
) -> pd.DataFrame:
    """Every actor alias found: ``[*id_cols, category, pattern, match, start, end]``.

    As :func:`newslens.dictionary.matches` (token offsets into :func:`newslens.text.tokens`),
    with upper-case ``US`` read as the country. Rows are ordered by ``id_cols``, then start.

    >>> docs = pd.DataFrame({"id": ["a"], "text": ["US envoy and Putin's aide"]})
    >>> alias_hits(docs)[["category", "match", "start"]].values.tolist()
    [['US', 'u.s', 0], ['Putin', "putin's", 3]]
    """
    id_cols = list(id_cols)
    for col in [*id_cols, text_col]:
        if col not in docs.columns:
            raise KeyError(f"{where}: column {col!r} not in table (columns: {list(docs.columns)})")
    frame = docs[id_cols].copy()
    texts = docs[text_col].tolist()  # "US" in t: a quick test before the regex, false for most texts
    frame["_text"] = pd.Series([_US_RE.sub("U.S.", t) if isinstance(t, str) and "US" in t else t for t in texts],
                               index=docs.index, dtype=object)  # fmt: skip
    return dictionary.matches(as_actors(actors), frame, id_col=id_cols, text_col="_text")


def mentions(
    sentences_df: pd.DataFrame,
    actors: dictionary.Dictionary | str | Path | None = None,
    *,
    id_cols: Sequence[str] = ("id", "part", "sentence_no"),
    text_col: str = "sentence",
    rollup: bool = False,
) -> pd.DataFrame:
    """Actor mentions per sentence: ``[*id_cols, actor, n]``, one row per sentence and actor.

    ``n`` counts the non-overlapping alias matches (``NATO Secretary General Jens Stoltenberg``
    is one NATO and one Stoltenberg mention). With ``rollup=True`` leaders are counted under
    their ``group`` (Putin -> Russia) and the counts are summed. Upper-case ``US`` is read as
    the country. Sentences without mentions have no rows. Rows are ordered like the sentence table
    (``id_cols``, with part "title" before "body"), then by actor in dictionary order.
    """
    actors_dict = as_actors(actors)
    id_cols = list(id_cols)
    hits = alias_hits(sentences_df, actors_dict, id_cols=id_cols, text_col=text_col, where="mentions")
    names = groups(actors_dict) if rollup else {a: a for a in actors_dict.categories}
    order = list(dict.fromkeys(names[a] for a in actors_dict.categories))
    hits = hits.assign(actor=hits["category"].map(names))
    out = hits.groupby([*id_cols, "actor"], sort=False, dropna=False).size().reset_index(name="n")
    out["_order"] = out["actor"].map({a: i for i, a in enumerate(order)})
    out = out.sort_values([*id_cols, "_order"], kind="mergesort", key=_title_first).drop(columns="_order")
    out = out.reset_index(drop=True)
    for col in id_cols:
        out[col] = out[col].astype(sentences_df[col].dtype)
    out["actor"] = out["actor"].astype("str")
    out["n"] = out["n"].astype("int64")
    return out
