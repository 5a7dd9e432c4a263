"""Who is quoted: quotes, reported speech, speakers, actors and roles.

:func:`extract` returns one row per attribution of every article:

* ``id``; ``kind``: ``direct`` (all inside quotation marks), ``mixed`` (partly quoted),
  ``indirect`` (reported speech);
* ``start``, ``end``, ``quote``: the content, as offsets into the article's ``text``
  (``text[start:end] == quote``; a direct quote includes its quotation marks);
* ``speaker``: who speaks, as the text names them (``"Foreign Minister Sergei Lavrov"``; for
  a resolved "he" or "the minister", the earlier named speaker it refers to);
  ``speaker_start``, ``speaker_end``: where this attribution names its speaker (the pronoun of
  ``he said``; for a floating quote, the words of the attribution it continues), NA when
  nobody is named. When ``resolved`` is False the speaker is ``text[speaker_start:speaker_end]``;
* ``speaker_actor``: the actor of the actors dictionary (``newslens.actors``), or NA;
* ``role``: ``official``, ``spokesperson``, ``expert``, ``citizen``, ``journalist`` or
  ``unnamed`` (see ``data/speakers_en.yml``), NA when neither the phrase nor the dictionary
  tells;
* ``cue``: the speech verb as written (``said``, ``told``, ``according to``), NA for floating
  quotes;
* ``resolved``: True when the speaker was carried from an earlier sentence (a floating quote)
  or a pronoun or "the minister" was resolved to the nearest earlier named speaker of the
  same kind (a person for he / she / the minister, a country or organisation for it, either or
  several people named together for they) in the paragraph, or else in the paragraph before.

Rows are sorted by ``id`` and ``start``. Quotation marks and the rules are described in
:mod:`newslens.quotes.marks` and :mod:`newslens.quotes.attribution`; everything is rule-based,
offline and deterministic. :func:`match_spans` and :func:`scores` evaluate extracted spans
against hand annotation.

>>> df = pd.DataFrame({"id": ["a"], "text": ["“We will respond,” Lavrov said. “The West is to blame.”"]})
>>> extract(df)[["quote", "speaker", "role", "cue", "resolved"]]
                     quote speaker      role   cue  resolved
0       “We will respond,”  Lavrov  official  said     False
1  “The West is to blame.”  Lavrov  official   NaN      True
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from newslens import actors as actors_module
from newslens import dictionary
from newslens.parallel import job_count, process_pool
from newslens.quotes.attribution import MIN_UNATTRIBUTED_WORDS, SPEECH_VERBS, Raw, attributions
from newslens.quotes.marks import quote_spans
from newslens.quotes.scoring import match_spans, scores
from newslens.quotes.speakers import Speaker, describe
from newslens.text import sentence_spans, tokens

__all__ = ["COLUMNS", "MIN_UNATTRIBUTED_WORDS", "SPEECH_VERBS", "extract", "match_spans", "quote_spans", "scores"]

COLUMNS: tuple[str, ...] = ("id", "kind", "start", "end", "quote", "speaker", "speaker_start", "speaker_end",
                            "speaker_actor", "role", "cue", "resolved")  # fmt: skip
"""The columns of :func:`extract`, in order."""


class _Named:
    """An earlier named speaker that a pronoun or "the minister" may refer to."""

    __slots__ = ("paragraph", "speaker", "described", "nouns")

    def __init__(self, paragraph: int, speaker: str, described: Speaker, nouns: frozenset[str]) -> None:
        self.paragraph = paragraph
        self.speaker = speaker
        self.described = described
        self.nouns = nouns


def _fits(candidate: _Named, mention: Speaker, pronoun: str) -> bool:
    kind = candidate.described.kind
    if pronoun in ("he", "she"):
        wanted = {"he": "m", "she": "f"}[pronoun]
        return kind == "person" and candidate.described.gender in (None, wanted)
    if pronoun == "it":
        return kind == "organisation"
    if pronoun == "they":  # an organisation, or several people named together ("Putin and Lavrov")
        return kind == "organisation" or (kind == "person" and " and " in candidate.speaker)
    # "the minister": a named person whose phrase or dictionary office shares a title word
    return kind == "person" and bool(mention.nouns & candidate.nouns)


@lru_cache(maxsize=1 << 16)
def _surname(head: str) -> str:
    """The last capitalised word of a name ("Gennady Lapin of the Institute" -> "Lapin")."""
    last = ""
    for word in head.replace(",", " ").split():
        if not word[:1].isupper():
            break
        last = word.rstrip(".")
    return last.removesuffix("'s").removesuffix("’s")


def _resolve(raws: list[Raw], described: dict[tuple[str, str], Speaker], offices: dict[str, frozenset[str]]):
    """(speaker, actor, role, resolved) for each attribution of one article."""
    result: list[tuple | None] = [None] * len(raws)
    named: list[_Named] = []
    known: dict[str, tuple[str | None, str | None]] = {}  # surname -> (actor, role) of a named person
    order = sorted(range(len(raws)), key=lambda i: (raws[i].mention_start if raws[i].parent < 0 and
                                                    raws[i].mention_start >= 0 else raws[i].start, i))  # fmt: skip
    for i in order:
        raw = raws[i]
        if raw.parent >= 0:
            continue  # filled from its parent below
        if raw.mention_start < 0:
            result[i] = (None, None, None, False)
            continue
        sp = described[(raw.head, raw.appos)]
        if sp.kind in ("pronoun", "nominal"):
            pronoun = raw.head.lower() if sp.kind == "pronoun" else ""
            same = [c for c in reversed(named) if c.paragraph == raw.paragraph]
            before = [c for c in reversed(named) if c.paragraph == raw.paragraph - 1]
            found = next((c for c in same + before if _fits(c, sp, pronoun)), None)
            if found is not None:
                ante = found.described
                result[i] = (found.speaker, ante.actor, ante.role or sp.role, True)
                continue
        actor, role = sp.actor, sp.role
        if sp.named and sp.kind == "person":
            # "Lapin said" after "Gennady Lapin of the Institute …": the same person, same actor and role
            surname = _surname(raw.head)
            if surname and (actor is None or role is None) and surname in known:
                actor, role = actor or known[surname][0], role or known[surname][1]
            if surname and (actor is not None or role is not None):
                known.setdefault(surname, (actor, role))
        result[i] = (raw.head, actor, role, False)
        if sp.named and sp.kind in ("person", "organisation") or (sp.kind == "organisation" and sp.actor):
            nouns = sp.nouns | offices.get(sp.actor or "", frozenset())
            named.append(_Named(raw.paragraph, raw.head, sp, nouns))
    for i, raw in enumerate(raws):  # parents come first in text order
        if raw.parent >= 0:
            speaker, actor, role, _ = result[raw.parent]
            result[i] = (speaker, actor, role, True)
    return result


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector (restored on exit): extraction allocates millions of
    short-lived containers without reference cycles, and collections would only rescan them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_BATCH = 5000  # articles whose intermediate rows are held at once


def _chunk_rows(texts: list[str], spans: list[list[tuple[int, int]]], actors: dictionary.Dictionary) -> pd.DataFrame:
    """The rows of :func:`extract` for some articles, with ``row`` (their position) instead of ``id``.

    The articles go in batches of :data:`_BATCH` (bounding the memory of the intermediate rows);
    each distinct speaker phrase is described once for all of them.
    """
    described: dict[tuple[str, str], Speaker] = {}
    offices = {a: frozenset(tokens(str(actors.meta[a].get("role") or ""))) for a in actors.categories}
    parts = []
    with _collector_paused():
        for k in range(0, max(1, len(texts)), _BATCH):
            batch = texts[k : k + _BATCH]
            found = [attributions(t, s) for t, s in zip(batch, spans[k : k + _BATCH], strict=True)]
            new = list(dict.fromkeys((r.head, r.appos) for raws in found for r in raws
                                     if r.mention_start >= 0 and (r.head, r.appos) not in described))  # fmt: skip
            described.update(zip(new, describe(new, actors), strict=True))
            resolved = [_resolve(raws, described, offices) for raws in found]
            parts.append(_frame(batch, found, resolved, k))
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def _frame(texts: list[str], found: list[list[Raw]], resolved: list[list[tuple]], first: int) -> pd.DataFrame:
    """The rows of articles ``first``, ``first + 1``, … from their attributions and resolved speakers."""
    raws = list(chain.from_iterable(found))
    speakers = list(chain.from_iterable(resolved))

    def ints(name: str) -> np.ndarray:
        return np.fromiter(map(attrgetter(name), raws), dtype=np.int64, count=len(raws))

    mention_start, mention_end = ints("mention_start"), ints("mention_end")
    unnamed = mention_start < 0
    return pd.DataFrame(
        {
            "row": np.repeat(np.arange(first, first + len(found), dtype=np.int64), list(map(len, found))),
            "kind": pd.Series(list(map(attrgetter("kind"), raws)), dtype="str"),
            "start": ints("start"),
            "end": ints("end"),
            "quote": pd.Series([text[r.start : r.end] for text, rs in zip(texts, found) for r in rs], dtype="str"),
            "speaker": pd.Series(list(map(itemgetter(0), speakers)), dtype="str"),
            "speaker_start": pd.arrays.IntegerArray(mention_start, unnamed.copy()),
            "speaker_end": pd.arrays.IntegerArray(mention_end, unnamed),
            "speaker_actor": pd.Series(list(map(itemgetter(1), speakers)), dtype="str"),
            "role": pd.Series(list(map(itemgetter(2), speakers)), dtype="str"),
            "cue": pd.Series(list(map(attrgetter("cue"), raws)), dtype="str"),
            "resolved": np.fromiter(map(itemgetter(3), speakers), dtype=bool, count=len(speakers)),
        }
    )


def _chunk_task(task: tuple[list[str], list[list[tuple[int, int]]], dictionary.Dictionary]) -> pd.DataFrame:
    return _chunk_rows(*task)


def _in_workers(tasks: list, jobs: int) -> list[pd.DataFrame]:
    """:func:`_chunk_task` over ``tasks`` in ``jobs`` worker processes, results in task order."""
    with process_pool(jobs) as pool:
        return list(pool.map(_chunk_task, tasks))


_MIN_CHUNK = 200  # articles per worker task with jobs > 1
_TASKS_PER_JOB = 4  # tasks per worker: a slow worker (a loaded core) holds up the others less


def extract(
    df: pd.DataFrame,
    *,
    actors: dictionary.Dictionary | str | Path | None = None,
    spans: Sequence[Sequence[tuple[int, int]]] | None = None,
    punkt=None,
    jobs: int | str = 1,
) -> pd.DataFrame:
    """One row per attribution in the articles of ``df`` (columns :data:`COLUMNS`).

    ``df`` needs ``id`` and ``text``. ``actors`` is an actors dictionary (default: the bundled
    one). ``spans`` optionally gives, for each row of ``df``, the sentence offsets of
    :func:`newslens.text.sentence_spans` (computed once elsewhere, e.g. cached); otherwise they
    are computed here with ``punkt`` (:func:`newslens.text.train_punkt` parameters or None).
    ``jobs`` > 1 extracts in that many worker processes (same rows), ``"auto"`` in one per core
    (:func:`newslens.parallel.job_count`). Missing or non-text
    ``text`` values give no rows.
    """
    for col in ("id", "text"):
        if col not in df.columns:
            raise KeyError(f"extract: column {col!r} not in table (columns: {list(df.columns)})")
    jobs = job_count(jobs)
    texts = [t if isinstance(t, str) else "" for t in df["text"]]
    if spans is None:
        spans = [sentence_spans(t, punkt=punkt) for t in texts]
    elif len(spans) != len(texts):
        raise ValueError(f"extract: spans has {len(spans)} entries for {len(texts)} articles")
    spans = [list(s) for s in spans]
    actors_dict = actors_module.as_actors(actors)
    if jobs == 1 or len(texts) < 2 * _MIN_CHUNK:
        rows = _chunk_rows(texts, spans, actors_dict)
    else:
        size = max(_MIN_CHUNK, -(-len(texts) // (_TASKS_PER_JOB * jobs)))
        offsets = list(range(0, len(texts), size))
        tasks = [(texts[k : k + size], spans[k : k + size], actors_dict) for k in offsets]
        parts = _in_workers(tasks, jobs)
        rows = pd.concat([part.assign(row=part["row"] + k) for part, k in zip(parts, offsets, strict=True)],
                         ignore_index=True)  # fmt: skip
    ids = df["id"].reset_index(drop=True)
    rank = np.empty(len(ids), dtype=np.int64)  # each article's place in id order (ties: table order)
    rank[ids.sort_values(kind="mergesort").index.to_numpy()] = np.arange(len(ids))
    row = rows["row"].to_numpy()
    order = np.lexsort((rows["end"].to_numpy(), rows["start"].to_numpy(), rank[row]))
    out = rows.drop(columns="row").take(order).reset_index(drop=True)
    out.insert(0, "id", ids.take(row[order]).reset_index(drop=True))
    return out
