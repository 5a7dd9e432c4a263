"""Deductive frames: frame dictionaries scored per article, per sentence and per indicator term.

A frame scheme is a dictionary (``newslens.dictionary`` YAML or LIWC ``.dic``) whose categories
are frames and whose patterns are indicator terms. Two schemes ship with the package and can be
copied and edited: ``generic`` (the five generic news frames of Semetko & Valkenburg 2000) and
``policy`` (the frame dimensions of the Policy Frames Codebook, Boydstun et al. 2014). A YAML
scheme may declare a ``residual`` frame (the policy scheme's ``other``): it has no indicators and
is "present" exactly when no other frame is.

Scores are computed on the title and the body together (``text="title+text"``). A frame is
*present* in an article when it has at least ``min_hits`` indicator hits (default 2) **and** at
least ``threshold`` hits per 1,000 tokens (default 1.0): two hits rule out a single stray word,
the rate keeps long articles from qualifying on incidental mentions. The *dominant* frame is the
present frame with the highest rate (ties: the frame listed first in the scheme); an article
without any present frame gets the residual frame or ``"none"``. A frame of a scheme file may
carry its own rule, ``presence: {min_hits: 3, threshold: 0.5}`` (as written by
``newslens.validation.write_scheme`` after calibration against hand coding); it then replaces
``min_hits`` and ``threshold`` for that frame.

>>> docs = pd.DataFrame({"id": ["a"], "title": [""], "text": ["Costs rise. The budget and the costs."]})
>>> s = frame_scores(docs, Dictionary.from_mapping({"economic": ["cost*", "budget*"]}))
>>> s[["frame", "hits", "n_tokens", "present", "dominant"]].to_dict("records")
[{'frame': 'economic', 'hits': 3, 'n_tokens': 7, 'present': True, 'dominant': True}]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import pandas as pd
import yaml

from newslens import cluster, partitions
from newslens import dictionary as dictionary_engine
from newslens.aggregate import Period, group_mean, period_start
from newslens.choices import check_choice
from newslens.corpus import TEXT_PARTS, TextPart, document_text
from newslens.dictionary import Dictionary

__all__ = [
    "SCHEMES",
    "TEXT_PARTS",
    "FrameScheme",
    "article_text",
    "load_scheme",
    "scheme_table",
    "frame_scores",
    "frame_table",
    "frame_prevalence",
    "dominant_counts",
    "top_frames",
    "frame_sentences",
    "frame_examples",
    "frame_drivers",
    "presence_rule",
]

SchemeName = Literal["generic", "policy"]
SCHEMES: tuple[str, ...] = get_args(SchemeName)
NO_FRAME = "none"
_DATA = Path(__file__).resolve().parent.parent / "data"
_FILES = {"generic": _DATA / "frames_generic.yml", "policy": _DATA / "frames_policy.yml"}
article_text = document_text
"""The text a frame analysis reads: :func:`newslens.corpus.document_text`."""


@dataclass(frozen=True)
class FrameScheme:
    """A frame dictionary plus the optional residual frame (present when no other frame is)."""

    dictionary: Dictionary
    residual: str | None = None
    residual_description: str = ""

    @property
    def frames(self) -> tuple[str, ...]:
        """Frame names in scheme order, the residual frame last."""
        return self.dictionary.categories + ((self.residual,) if self.residual else ())


def load_scheme(scheme: str | os.PathLike | Dictionary | FrameScheme = "generic") -> FrameScheme:
    """A bundled scheme by name (``generic``, ``policy``), a YAML/``.dic`` file, or a dictionary.

    >>> load_scheme("generic").frames
    ('conflict', 'human_interest', 'economic_consequences', 'morality', 'responsibility')
    >>> load_scheme("policy").residual
    'other'
    """
    if isinstance(scheme, FrameScheme):
        return scheme
    if isinstance(scheme, Dictionary):
        if not scheme.categories:
            raise ValueError(f"frame dictionary {scheme.name!r} has no categories")
        return FrameScheme(scheme)
    path = _FILES.get(str(scheme), Path(scheme))
    if not path.is_file():
        raise ValueError(f"scheme={str(scheme)!r} is not valid; choose one of: {', '.join(SCHEMES)}, "
                         "or give the path of a .yml/.yaml/.dic frame dictionary")
    dictionary = dictionary_engine.load(path)
    if not dictionary.categories:
        raise dictionary_engine.DictionaryError("no frames (categories) defined", path=path)
    residual, description = None, ""
    if path.suffix.lower() in (".yml", ".yaml"):
        header = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        spec = header.get("residual")
        if isinstance(spec, dict):
            residual, description = str(spec.get("name") or "other"), str(spec.get("description") or "")
        elif spec:
            residual = str(spec)
        if residual in dictionary.categories:
            raise dictionary_engine.DictionaryError(
                f"residual frame {residual!r} is also a category; a residual frame has no indicators", path=path)
    return FrameScheme(dictionary, residual, description)


def scheme_table(scheme: str | os.PathLike | Dictionary | FrameScheme = "generic") -> pd.DataFrame:
    """The instrument, one row per frame: ``[frame, label, description, source, n_patterns, patterns]``.

    >>> scheme_table("generic").loc[0, ["frame", "label"]].tolist()
    ['conflict', 'Conflict']
    """
    s = load_scheme(scheme)
    d = s.dictionary
    rows = [
        (
            cat,
            str(d.meta[cat].get("label", cat)),
            str(d.meta[cat].get("description", "")).strip(),
            str(d.meta[cat].get("source", "")).strip(),
            len(d.patterns[cat]),
            ", ".join(d.patterns[cat]),
        )
        for cat in d.categories
    ]
    if s.residual:
        rows.append((s.residual, s.residual.capitalize(), s.residual_description.strip(), "", 0, ""))
    out = pd.DataFrame(rows, columns=["frame", "label", "description", "source", "n_patterns", "patterns"])
    for col in ("frame", "label", "description", "source", "patterns"):
        out[col] = out[col].astype("str")
    return out


def _meta_columns(docs: pd.DataFrame) -> list[str]:
    if "id" not in docs.columns:
        raise KeyError(f"column 'id' not in table (columns: {list(docs.columns)})")
    if docs["id"].duplicated().any():
        dupes = sorted(docs.loc[docs["id"].duplicated(), "id"].astype(str).unique())
        raise ValueError(f"duplicate article ids: {', '.join(dupes[:10])}")
    return ["id"] + [c for c in ("outlet", "published") if c in docs.columns]


def _positions(keys: pd.Series, values: pd.Series | Sequence) -> np.ndarray:
    """Position of each of ``keys`` in the unique ``values`` (-1 where absent), looked up once per distinct key."""
    codes, distinct = pd.factorize(keys, use_na_sentinel=False)
    return pd.Index(values).get_indexer(distinct)[codes]


def _frame_codes(scores: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Each row's frame as a number and the frames in order of first appearance (the scheme order)."""
    codes, frames = pd.factorize(scores["frame"], use_na_sentinel=False)
    return codes, list(frames)


def presence_rule(d: Dictionary, frame: str, min_hits: int, threshold: float) -> tuple[int, float]:
    """The frame's own ``presence`` rule from the scheme file, else the call's ``min_hits``/``threshold``."""
    rule = d.meta.get(frame, {}).get("presence")
    if rule is None:
        return min_hits, threshold
    try:
        own = (int(rule.get("min_hits", min_hits)), float(rule.get("threshold", threshold)))
    except (AttributeError, TypeError, ValueError):
        own = (-1, -1.0)
    if own[0] < 0 or own[1] < 0:
        raise dictionary_engine.DictionaryError(
            f"frame {frame!r}: presence must be {{min_hits: N, threshold: X}} with N, X >= 0, got {rule!r}", path=d.source)
    return own


def frame_scores(
    docs: pd.DataFrame,
    scheme: str | os.PathLike | Dictionary | FrameScheme = "generic",
    *,
    threshold: float = 1.0,
    min_hits: int = 2,
    text: TextPart = "title+text",
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Frame scores per article: ``[id, outlet, published, frame, hits, n_tokens, per_1000, present, dominant]``.

    One row per (article, frame) in scheme order, zeros included; ``outlet``/``published`` are
    carried when the table has them. ``present``: ``hits >= min_hits`` and ``per_1000 >=
    threshold``. ``dominant`` marks the article's dominant frame (see the module notes). The
    residual frame's ``hits`` and ``per_1000`` are missing (it is not measured by indicators).
    ``counts`` reuses the dictionary counts ``[id, category, count, n_tokens]`` of the same
    articles, scheme and ``text`` (:meth:`newslens.derived.Store.counts`), one row per article and
    frame in any order; other articles and categories are ignored.
    """
    check_choice("text", text, TEXT_PARTS)
    if threshold < 0 or min_hits < 0:
        raise ValueError(f"threshold and min_hits must be >= 0, got threshold={threshold}, min_hits={min_hits}")
    s = load_scheme(scheme)
    meta_cols = _meta_columns(docs)
    frames = s.dictionary.categories
    n_docs, n_frames = len(docs), len(frames)
    if counts is None:
        columns = [c for c in ("id", "title", "text") if c in docs.columns]
        parts = cluster.map_partitions(_frame_counts, docs[columns], step="frame counts", dictionary=s.dictionary,
                                       text=text)  # fmt: skip
        hits, n_tokens = np.concatenate([p[1] for p in parts]), np.concatenate([p[2] for p in parts])
        if len(parts) > 1:  # partitions come back in their own order: put the rows back in table order
            order = pd.Index(np.concatenate([p[0] for p in parts])).get_indexer(docs["id"])
            hits, n_tokens = hits[order], n_tokens[order]
    else:
        hits, n_tokens = _count_grid(counts, docs["id"], frames)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n_tokens[:, None] > 0, 1000.0 * hits / np.maximum(n_tokens, 1)[:, None], np.nan)
    rules = [presence_rule(s.dictionary, frame, min_hits, threshold) for frame in frames]
    need_hits = np.array([r[0] for r in rules], dtype="float64").reshape(1, n_frames)
    need_rate = np.array([r[1] for r in rules], dtype="float64").reshape(1, n_frames)
    present = (hits >= need_hits) & (np.nan_to_num(rate, nan=-1.0) >= need_rate)
    masked = np.where(present, rate, -np.inf)
    any_present = present.any(axis=1)
    dominant = np.zeros_like(present)
    if n_docs and n_frames:
        dominant[np.arange(n_docs), masked.argmax(axis=1)] = True  # argmax: first frame wins ties
    dominant &= any_present[:, None]
    unmeasured = np.zeros_like(present)
    if s.residual:  # one more column: not measured (NA), present and dominant when nothing else is
        hits = np.column_stack([hits, np.zeros(n_docs, dtype=np.int64)])
        unmeasured = np.column_stack([unmeasured, np.ones(n_docs, dtype=bool)])
        rate = np.column_stack([rate, np.full(n_docs, np.nan)])
        present = np.column_stack([present, ~any_present])
        dominant = np.column_stack([dominant, ~any_present])
    n_all = len(s.frames)
    meta = docs[meta_cols].reset_index(drop=True)
    order = meta["id"].sort_values(kind="mergesort").index.to_numpy()  # articles by id, each in scheme order
    out = meta.take(np.repeat(order, n_all)).reset_index(drop=True)
    out["frame"] = pd.array(list(s.frames), dtype="str").take(np.tile(np.arange(n_all), n_docs))
    out["hits"] = pd.arrays.IntegerArray(hits[order].reshape(-1), unmeasured[order].reshape(-1))
    out["n_tokens"] = np.repeat(n_tokens[order], n_all)
    out["per_1000"] = rate[order].reshape(-1).astype("float64")
    out["present"] = present[order].reshape(-1).astype(bool)
    out["dominant"] = dominant[order].reshape(-1).astype(bool)
    return out


def _count_grid(counts: pd.DataFrame, ids: pd.Series, frames: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hits (articles × frames) and token counts from dictionary counts ``[id, category, count, n_tokens]``,
    rows in the order of ``ids``; the token count of an article is that of its first row in ``counts``."""
    row, col = _positions(counts["id"], ids), _positions(counts["category"], frames)
    cell = np.flatnonzero((row >= 0) & (col >= 0))
    shape = (len(ids), len(frames))
    flat = row[cell] * shape[1] + col[cell]
    if (np.bincount(flat, minlength=shape[0] * shape[1]) != 1).any():
        raise ValueError("counts must hold exactly one row per article and frame")
    hits = np.zeros(shape, dtype=np.int64)
    hits[row[cell], col[cell]] = counts["count"].to_numpy(dtype=np.int64)[cell]
    first = np.flatnonzero(~pd.Series(row).duplicated().to_numpy() & (row >= 0))
    n_tokens = np.zeros(shape[0], dtype=np.int64)
    n_tokens[row[first]] = counts["n_tokens"].to_numpy(dtype=np.int64)[first]
    return hits, n_tokens


def _frame_counts(part, dictionary: Dictionary, text: TextPart) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ids, hits per frame (articles × frames) and token counts of one partition, in its row order."""
    rows = partitions.read(part, ("title", "text"))
    work = pd.DataFrame({"_row": np.arange(len(rows)), "text": document_text(rows, part=text).to_numpy()})
    counted = dictionary_engine.count(dictionary, work, id_col="_row", text_col="text")
    shape = (len(rows), len(dictionary.categories))
    hits = counted["count"].to_numpy(dtype=np.int64).reshape(shape)
    n_tokens = counted["n_tokens"].to_numpy(dtype=np.int64).reshape(shape)[:, 0]
    return rows["id"].to_numpy(dtype=object), hits, n_tokens


def frame_table(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per article from :func:`frame_scores`: ``dominant_frame`` and per-frame columns.

    Columns: ``id, outlet, published, n_tokens, dominant_frame``, then for each frame in scheme
    order ``<frame>_hits``, ``<frame>_per_1000``, ``<frame>_present``. ``dominant_frame`` is
    ``"none"`` when no frame is present and the scheme has no residual frame.

    >>> docs = pd.DataFrame({"id": ["a", "b"], "text": ["cost cost", "war"]})
    >>> frame_table(frame_scores(docs, Dictionary.from_mapping({"eco": ["cost"]})))["dominant_frame"].tolist()
    ['eco', 'none']
    """
    meta_cols = [c for c in ("id", "outlet", "published") if c in scores.columns]
    frames = _frame_codes(scores)[1]
    first = scores.drop_duplicates("id")[[*meta_cols, "n_tokens"]].set_index("id")
    dominant = scores.loc[scores["dominant"], ["id", "frame"]].set_index("id")["frame"]
    first["dominant_frame"] = dominant.reindex(first.index).fillna(NO_FRAME).astype("str")
    pieces = [first]
    for frame in frames:
        rows = scores.loc[scores["frame"] == frame].set_index("id")
        pieces.append(
            pd.DataFrame(
                {
                    f"{frame}_hits": rows["hits"],
                    f"{frame}_per_1000": rows["per_1000"],
                    f"{frame}_present": rows["present"],
                }
            )
        )
    out = pd.concat(pieces, axis=1).reset_index()
    return out.sort_values("id", kind="mergesort").reset_index(drop=True)


def frame_prevalence(
    scores: pd.DataFrame,
    *,
    by: Sequence[str] = ("outlet",),
    period: Period = "week",
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = 5,
) -> pd.DataFrame:
    """Share of articles in which each frame is present, per group, with a confidence interval.

    ``scores`` is :func:`frame_scores` output. ``by`` names grouping columns of it; the special
    name ``"period"`` groups by the start of the calendar ``period`` containing ``published``
    (articles without a date form their own group). Returns ``group_mean`` output on the 0/1
    presence: ``[frame, *by, n, mean, ci_low, ci_high, reliable]``, frames in scheme order.

    >>> s = pd.DataFrame({"id": ["a", "b"], "outlet": ["X", "X"], "frame": ["f", "f"], "present": [True, False]})
    >>> frame_prevalence(s, min_n=1)[["frame", "outlet", "n", "mean"]].values.tolist()
    [['f', 'X', 2, 0.5]]
    """
    by = list(by)
    work = scores[["id", "frame", *[c for c in by if c != "period"]]]
    if "period" in by:
        if "published" not in scores.columns:
            raise KeyError("frame_prevalence: grouping by period needs a 'published' column")
        work["period"] = period_start(scores["published"], period)
    work["present"] = scores["present"].astype("float64")
    codes, frames = _frame_codes(scores)
    work["frame"] = pd.Categorical.from_codes(codes, categories=frames, ordered=True)
    out = group_mean(work, "present", ["frame", *by], n_boot=n_boot, seed=seed, min_n=min_n)
    out["frame"] = out["frame"].astype("str")
    return out


def dominant_counts(scores: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """Articles per ``by`` group and dominant frame: ``[by, <frame>..., none, all]``, plus a total row ``all``.

    ``scores`` is :func:`frame_scores` output. One column per frame in scheme order (zeros
    included), then ``none`` when some article has no dominant frame, then the row total ``all``;
    one row per group, sorted, then the column totals in a row named ``all``. Articles whose
    ``by`` value is missing form a group of their own rather than being dropped.

    >>> s = pd.DataFrame({"id": ["a", "a", "b", "b"], "outlet": ["X", "X", "Y", "Y"],
    ...                   "frame": ["war", "eco", "war", "eco"], "dominant": [False, True, False, False]})
    >>> dominant_counts(s).values.tolist()
    [['X', 0, 1, 0, 1], ['Y', 0, 0, 1, 1], ['all', 0, 1, 1, 2]]
    """
    if by not in scores.columns:
        raise KeyError(f"dominant_counts: column {by!r} not in table (columns: {list(scores.columns)})")
    frames = _frame_codes(scores)[1]
    articles = scores.drop_duplicates("id")[["id", by]].set_index("id")[by]
    chosen = scores.loc[scores["dominant"], ["id", "frame"]].set_index("id")["frame"]
    dominant = chosen.reindex(articles.index).fillna(NO_FRAME).astype("str")
    columns = frames + ([NO_FRAME] if (dominant == NO_FRAME).any() and NO_FRAME not in frames else [])
    counts = (
        pd.DataFrame({by: articles.to_numpy(), "frame": dominant.to_numpy()})
        .groupby([by, "frame"], sort=True, dropna=False)
        .size()
        .unstack("frame", fill_value=0)
        .reindex(columns=columns, fill_value=0)
        .astype("int64")
    )
    counts["all"] = counts.sum(axis=1)
    counts = counts.reset_index().rename_axis(columns=None)
    total = pd.DataFrame([["all", *counts[[*columns, "all"]].sum().tolist()]], columns=counts.columns)
    counts[by] = counts[by].astype("object")
    return pd.concat([counts, total], ignore_index=True).astype({c: "int64" for c in [*columns, "all"]})


def top_frames(scores: pd.DataFrame, *, n: int = 6) -> list[str]:
    """The ``n`` frames present in the largest share of articles, most prevalent first.

    ``scores`` is :func:`frame_scores` output; ties go to the frame listed first in the scheme.

    >>> s = pd.DataFrame({"id": ["a", "a", "b", "b"], "frame": ["war", "eco", "war", "eco"],
    ...                   "present": [False, True, True, True]})
    >>> top_frames(s, n=1), top_frames(s)
    (['eco'], ['eco', 'war'])
    """
    if n < 1:
        raise ValueError(f"top_frames: n must be at least 1, got {n}")
    codes, frames = _frame_codes(scores)
    share = scores["present"].groupby(codes).mean()
    order = sorted(range(len(frames)), key=lambda k: (-share.iloc[k], k))
    return [frames[k] for k in order[:n]]


def sentence_table(
    docs: pd.DataFrame, *, text: TextPart = "title+text", punkt=None, split: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The sentences :func:`frame_sentences` scores: ``[id, outlet, published, part, sentence_no, sentence]``.

    Split once and pass as ``sentences=`` when scoring several schemes on the same articles.
    ``split`` reuses a split of the same articles' title and text (``[id, part, sentence_no,
    sentence]``, e.g. :meth:`newslens.derived.Store.sentences`) instead of splitting again.

    >>> docs = pd.DataFrame({"id": ["a"], "title": ["War costs"], "text": ["Costs rise. Calm."]})
    >>> sentence_table(docs)["sentence"].tolist()
    ['War costs', 'Costs rise.', 'Calm.']
    """
    from newslens.text import split_sentences

    check_choice("text", text, TEXT_PARTS)
    meta_cols = _meta_columns(docs)
    parts = docs[["id"]].copy()
    parts["title"] = document_text(docs, part="title") if text != "text" else ""
    parts["text"] = document_text(docs, part="text") if text != "title" else ""
    if split is None:
        sents = split_sentences(parts, punkt=punkt)
    else:
        keep = {"title+text": ("title", "body"), "title": ("title",), "text": ("body",)}[text]
        sents = split.loc[split["part"].isin(keep), ["id", "part", "sentence_no", "sentence"]].reset_index(drop=True)
    extra = [c for c in meta_cols if c != "id"]
    if extra:
        sents = sents.merge(docs[["id", *extra]], on="id", how="left", validate="many_to_one")
    return sents[["id", *extra, "part", "sentence_no", "sentence"]]


def _hit_summary(hits: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group of ``keys`` (in order of first appearance): ``hits`` (rows) and ``terms`` (the
    distinct ``match`` values, ``; ``-joined in order of appearance).

    >>> h = pd.DataFrame({"k": ["a", "b", "a", "a"], "match": ["x", "y", "z", "x"]})
    >>> _hit_summary(h, ["k"]).values.tolist()
    [['a', 3, 'x; z'], ['b', 1, 'y']]
    """
    codes, size = np.zeros(len(hits), dtype="int64"), 1
    for key in keys:  # one integer per key combination, then numbered in order of first appearance
        values, uniques = pd.factorize(hits[key], use_na_sentinel=False)
        if size * len(uniques) >= 2**62:  # renumber before the product overflows
            codes, found = pd.factorize(codes)
            size = len(found)
        codes, size = codes * len(uniques) + values, size * len(uniques)
    codes = pd.factorize(codes)[0].astype("int64")
    groups = int(codes.max()) + 1 if len(codes) else 0
    words, vocabulary = pd.factorize(hits["match"], use_na_sentinel=False)
    _, first_pair = np.unique(codes * max(len(vocabulary), 1) + words, return_index=True)
    first_pair.sort()  # each distinct (group, term) pair at its first row, in row order
    pair_group, pair_word = codes[first_pair], words[first_pair]
    order = np.argsort(pair_group, kind="stable")  # pairs of one group together, still in row order
    pair_group, pair_word = pair_group[order], pair_word[order]
    per_group = np.bincount(pair_group, minlength=groups)
    starts = np.cumsum(per_group) - per_group
    names = np.asarray(vocabulary, dtype=object)
    terms = names[pair_word[starts]]
    for j in range(1, int(per_group.max(initial=0))):  # the j-th term of every group that has one
        more = per_group > j
        terms[more] = terms[more] + "; " + names[pair_word[starts[more] + j]]
    _, first_row = np.unique(codes, return_index=True)  # groups are numbered in order of first appearance
    firsts = hits[keys].iloc[first_row].reset_index(drop=True)
    return firsts.assign(hits=np.bincount(codes, minlength=groups).astype("int64"),
                         terms=pd.Series(terms, dtype="str"))  # fmt: skip


def frame_sentences(
    docs: pd.DataFrame,
    scheme: str | os.PathLike | Dictionary | FrameScheme = "generic",
    *,
    text: TextPart = "title+text",
    punkt=None,
    sentences: pd.DataFrame | None = None,
    hits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sentences with frame indicators: ``[id, outlet, published, part, sentence_no, sentence, frame, hits, terms]``.

    One row per (sentence, frame) with at least one hit; ``terms`` lists the distinct matched
    indicators (``; ``-joined, in order of appearance). Sentences come from
    :func:`sentence_table` (title as its own unit), or from ``sentences`` when given, which then
    replaces ``text`` and ``punkt``. ``hits`` reuses the scheme's hits in those sentences
    (``[id, part, sentence_no, category, match]``, :meth:`newslens.derived.Store.sentence_matches`).
    Sorted by id, part (title first), sentence_no, then scheme order.

    >>> docs = pd.DataFrame({"id": ["a"], "title": ["War costs"], "text": ["Costs rise. Calm."]})
    >>> frame_sentences(docs, Dictionary.from_mapping({"eco": ["cost*"]}))[["part", "hits", "terms"]].values.tolist()
    [['title', 1, 'costs'], ['body', 1, 'costs']]
    """
    check_choice("text", text, TEXT_PARTS)
    s = load_scheme(scheme)
    sents = sentence_table(docs, text=text, punkt=punkt) if sentences is None else sentences
    keys = ["id", "part", "sentence_no"]
    if hits is None:
        hits = dictionary_engine.matches(s.dictionary, sents, id_col=keys, text_col="sentence")
    columns = [*sents.columns, "frame", "hits", "terms"]
    if hits.empty:
        empty = sents.iloc[0:0].assign(frame=pd.Series(dtype="str"), hits=pd.Series(dtype="int64"),
                                       terms=pd.Series(dtype="str"))
        return empty[columns].reset_index(drop=True)
    summary = _hit_summary(hits, [*keys, "category"]).rename(columns={"category": "frame"})
    out = sents.merge(summary, on=keys, how="inner", validate="one_to_many")
    out["hits"] = out["hits"].astype("int64")
    out["terms"] = out["terms"].astype("str")
    out["frame"] = out["frame"].astype("str")
    order = out.assign(
        _part=(out["part"] == "body").astype("int8"),
        _f=pd.Categorical(out["frame"], categories=list(s.dictionary.categories), ordered=True),
    )
    order = order.sort_values(["id", "_part", "sentence_no", "_f"], kind="mergesort")
    return out.loc[order.index, columns].reset_index(drop=True)


def frame_examples(sentences: pd.DataFrame, *, n: int = 2, by: tuple[str, ...] = ("frame", "outlet")) -> pd.DataFrame:
    """The ``n`` sentences with most indicator hits per group (ties: id, part, sentence order).

    ``sentences`` is :func:`frame_sentences` output; groups default to frame and outlet.

    >>> s = pd.DataFrame({"id": ["a", "b"], "outlet": ["X", "X"], "part": ["body", "body"], "sentence_no": [0, 0],
    ...                   "sentence": ["one hit", "two hits"], "frame": ["f", "f"], "hits": [1, 2], "terms": ["", ""]})
    >>> frame_examples(s, n=1)["sentence"].tolist()
    ['two hits']
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    by = [c for c in by if c in sentences.columns]
    ranked = sentences.assign(_part=(sentences["part"] == "body").astype("int8"))
    ranked = ranked.sort_values([*by, "hits", "id", "_part", "sentence_no"],
                                ascending=[True] * len(by) + [False, True, True, True], kind="mergesort")
    top = ranked.groupby(by, sort=False).head(n) if by else ranked.head(n)
    return top.drop(columns="_part").reset_index(drop=True)


def frame_drivers(
    docs: pd.DataFrame,
    scheme: str | os.PathLike | Dictionary | FrameScheme = "generic",
    *,
    top: int | None = 10,
    by: str | None = "outlet",
    text: TextPart = "title+text",
    matches: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The indicator terms behind each frame's scores: ``[frame, outlet, term, pattern, hits, share]``.

    ``term`` is the text matched in the corpus, ``pattern`` the dictionary entry that matched it,
    ``share`` the term's part of all hits of that frame in that group (computed before cutting to
    the ``top`` terms per frame and group). ``by=None`` pools the corpus. Sorted by frame (scheme
    order), group, hits (descending), term, pattern. ``matches`` reuses the hits of the same
    articles, scheme and ``text`` counted per article and matched text (``[id, category, match,
    pattern, hits]``, :meth:`newslens.derived.Store.matches`).

    >>> docs = pd.DataFrame({"id": ["a"], "outlet": ["X"], "text": ["costs, costs and a budget"]})
    >>> eco = Dictionary.from_mapping({"eco": ["cost*", "budget"]})
    >>> frame_drivers(docs, eco)[["term", "hits", "share"]].values.tolist()
    [['costs', 2, 0.6666666666666666], ['budget', 1, 0.3333333333333333]]
    """
    check_choice("text", text, TEXT_PARTS)
    s = load_scheme(scheme)
    _meta_columns(docs)
    group_cols = [] if by is None else [by]
    if by is not None and by not in docs.columns:
        raise KeyError(f"column {by!r} not in table (columns: {list(docs.columns)})")
    keys = ["category", *group_cols, "match", "pattern"]
    if matches is None:
        work = pd.DataFrame({"_row": np.arange(len(docs)), "text": document_text(docs, part=text).to_numpy()})
        hits = dictionary_engine.matches(s.dictionary, work, id_col="_row", text_col="text")
        for col in group_cols:
            hits[col] = docs[col].to_numpy()[hits["_row"].to_numpy()] if len(hits) else pd.Series(dtype="str")
        counted = hits.groupby(keys, sort=False).size().rename("hits").reset_index()
    else:
        row = _positions(matches["id"], docs["id"])  # each hit's article in docs, -1 for other articles
        hits = matches[row >= 0]
        for col in group_cols:
            hits = hits.assign(**{col: docs[col].array.take(row[row >= 0])})
        counted = hits.groupby(keys, sort=False)["hits"].sum().reset_index()
    totals = counted.groupby(["category", *group_cols], sort=False)["hits"].transform("sum")
    counted["share"] = (counted["hits"] / totals).astype("float64")
    counted = counted.rename(columns={"category": "frame", "match": "term"})
    counted["_f"] = pd.Categorical(counted["frame"], categories=list(s.dictionary.categories), ordered=True)
    counted = counted.sort_values(["_f", *group_cols, "hits", "term", "pattern"],
                                  ascending=[True] * (1 + len(group_cols)) + [False, True, True], kind="mergesort")
    if top is not None:
        counted = counted.groupby(["_f", *group_cols], sort=False, observed=True).head(top)
    out = counted.drop(columns="_f")[["frame", *group_cols, "term", "pattern", "hits"] + ["share"]]
    out["hits"] = out["hits"].astype("int64")
    for col in ("frame", "term", "pattern"):
        out[col] = out[col].astype("str")
    return out.reset_index(drop=True)
