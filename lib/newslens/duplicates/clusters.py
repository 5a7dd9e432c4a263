"""Near-duplicate clusters: which articles are (edited) copies of one another, and which copy came first.

The method, in order:

1. **Shingles.** Each article's body is cut into 5-word shingles of normalised words, within lines
   (paragraphs) (:mod:`~newslens.duplicates.shingles`); a corpus with no body text at all (a Media
   Cloud or GDELT export of titles) is clustered on titles instead, with 2-word shingles.
2. **Skipped texts.** Texts with fewer than `min_shingles` distinct shingles (empty, a caption, a
   one-line teaser) are never clustered: a few shared words say nothing about copying. Next,
   boilerplate lines are dropped: a line found, word for word, in at least `boilerplate_min` of one
   outlet's distinct articles and in at least `boilerplate_share` of them is site furniture
   ("Subscribe to our newsletter"), a byline or a recurring background paragraph, not evidence of
   copying. An article repeated verbatim (same outlet, title and text) counts once, so a story
   reprinted 1,000 times is not mistaken for boilerplate. Texts left with fewer than `min_shingles`
   shingles are boilerplate-only and never clustered either. The result's ``attrs`` say how many
   articles each rule skipped.
3. **Candidates.** MinHash signatures and LSH banding (:mod:`~newslens.duplicates.minhash`; 32 bands
   of 4 rows) propose pairs; articles with identical shingle sets are hashed once.
   LSH finds pairs by Jaccard similarity J, with probability ``1 - (1 - J**4)**32`` (0.87 at
   J = 0.5, 0.994 at 0.6, over 0.9999 from 0.7): a short text contained in a much longer one may be
   missed. ``candidates="all"`` checks every pair exactly instead (quadratic: small corpora, or to
   audit what LSH missed).
4. **Verification.** A candidate pair is kept when the shorter article's shingles are at least
   `threshold` contained in the longer one's (exact sets, not estimates), so a copy with a trimmed
   lede or tail still matches its source.
5. **Clusters, checked for chaining.** Connected components of verified pairs are split until every
   member is a copy of its cluster's canonical copy: the component's canonical copy is the earliest
   published article (unknown dates last; ties go to the article without a wire or reprint cue, then
   to the smallest id); members whose own shingles are less than `threshold` contained in it leave
   and are clustered again among themselves. So two unrelated stories that share a boilerplate
   paragraph, or are linked by a short text made of it, never end up in one cluster.

Each row of the result is an article in a cluster of two or more: `cluster` is the id of the
canonical copy, `similarity` the Jaccard similarity of the shingle sets with the canonical copy,
`containment` the share of the article's shingles found in the canonical copy, and `cue` the wire
or reprint cue found in the article: its `reprinted_from` column, else "Reprinted from", "(AP)",
"(Reuters)", "AFP" or "Source:" in the first 200 characters or in a short last paragraph of the
body (title-only corpora: the `reprinted_from` column only).

Shingle words split on every non-letter, so Cyrillic, Greek or Arabic text works as English does;
Chinese and Japanese kana count each character as a word (5-character shingles). Scripts written
without spaces but not listed (Thai, Khmer, Lao, Burmese) become one word per space-separated run,
so only near-verbatim copies match there.

>>> import pandas as pd
>>> story = " ".join(f"word{i}" for i in range(80))
>>> df = pd.DataFrame({"id": ["a", "b", "c"], "outlet": ["X", "Y", "Z"], "title": "",
...     "published": pd.to_datetime(["2024-09-02", "2024-09-01", "2024-09-03"]),
...     "text": [story, "(Reuters) - " + story, " ".join(f"other{i}" for i in range(30))]})
>>> found = clusters(df)
>>> found[["id", "cluster", "canonical", "cue"]].values.tolist()
[['b', 'b', True, '(Reuters)'], ['a', 'b', False, nan]]
>>> found.attrs["skipped_short"], found.attrs["skipped_boilerplate"]
(0, 0)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newslens.choices import check_choice
from newslens.duplicates.minhash import candidate_pairs, signatures
from newslens.duplicates.shingles import ShingleSets, boilerplate_lines, line_shingles

__all__ = ["CUES", "COLUMNS", "clusters", "cue"]

Field = Literal["auto", "text", "title"]
Candidates = Literal["lsh", "all"]
COLUMNS: tuple[str, ...] = ("id", "cluster", "canonical", "similarity", "containment", "cue")
CUES: tuple[str, ...] = ("Reprinted from", "(AP)", "(Reuters)", "AFP", "Source:")
SHINGLE_SIZE = {"text": 5, "title": 2}
MIN_SHINGLES = {"text": 20, "title": 4}
BINS, BANDS, ROWS = 128, 32, 4
ESTIMATE_MARGIN = 0.2  # 4.5 standard errors of a 128-bin Jaccard estimate at J = 0.5
_CUE_RE = re.compile(r"(?P<r>\b[Rr][Ee][Pp][Rr][Ii][Nn][Tt][Ee][Dd] [Ff][Rr][Oo][Mm]\b)|(?P<ap>\(AP\))"
                     r"|(?P<reuters>\(Reuters\))|(?P<afp>\bAFP\b)|(?P<source>\bSource:)")  # fmt: skip
_CUE_NAMES = dict(zip(("r", "ap", "reuters", "afp", "source"), CUES))


def cue(text: object, reprinted_from: object = None) -> str | None:
    """The wire or reprint cue of one article, or None.

    >>> cue("MOSCOW (Reuters) - Putin said ...")
    '(Reuters)'
    >>> cue("A long report.\\n\\nSource: Daily Courier"), cue("Officials told AFP.", "https://x.example/")
    ('Source:', 'Reprinted from')
    >>> cue("An interview with an AP reporter, not a wire dateline.") is None
    True
    """
    if isinstance(reprinted_from, str) and reprinted_from.strip():
        return "Reprinted from"
    if not isinstance(text, str) or not text:
        return None
    last = text.rstrip().rsplit("\n\n", 1)[-1]
    for part in (text[:200], last if len(last) <= 200 else ""):
        match = _CUE_RE.search(part)
        if match:
            return _CUE_NAMES[match.lastgroup]
    return None


def _strings(df: pd.DataFrame, name: str) -> pa.Array | pa.ChunkedArray:
    """A string column as Arrow (no copy when it is Arrow-backed already); all null when absent."""
    if name not in df.columns:
        return pa.nulls(len(df), pa.large_string())
    column = df[name]
    to_arrow = getattr(column.array, "__arrow_array__", None)
    data = to_arrow() if to_arrow is not None else None
    if data is None or not (pa.types.is_string(data.type) or pa.types.is_large_string(data.type)):
        try:
            data = pa.array(column.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise ValueError(f"column {name!r} must hold strings: {exc}") from None
    return data


def _column(df: pd.DataFrame, name: str, default: object) -> pd.Series:
    return df[name] if name in df.columns else pd.Series(default, index=df.index)


def _intersections(sets: ShingleSets, a: np.ndarray, b: np.ndarray, *, progress=None) -> np.ndarray:
    """|set a[p] ∩ set b[p]| for every pair p."""
    out = np.zeros(len(a), dtype=np.int64)
    values, offsets = sets.values, sets.offsets
    for p, (i, j) in enumerate(zip(a.tolist(), b.tolist())):
        if progress is not None and p % 4096 == 4095:
            progress(4096)
        x = values[offsets[i] : offsets[i + 1]]
        y = values[offsets[j] : offsets[j + 1]]
        if len(x) > len(y):
            x, y = y, x
        pos = np.searchsorted(y, x)
        pos[pos == len(y)] = 0
        out[p] = int(np.count_nonzero(y[pos] == x))
    if progress is not None and len(a) % 4096:
        progress(len(a) % 4096)
    return out


def _plausible(sig: np.ndarray, pairs: np.ndarray, sizes: np.ndarray, threshold: float) -> np.ndarray:
    """Candidate pairs whose signatures agree on at least the least share a verified pair of their
    sizes can have, less `ESTIMATE_MARGIN` (the rest cannot pass verification, barring a 4.5-sigma
    estimation error)."""
    keep = np.zeros(len(pairs), dtype=bool)
    for start in range(0, len(pairs), 1 << 15):
        a, b = pairs[start : start + (1 << 15), 0], pairs[start : start + (1 << 15), 1]
        agree = (sig[a] == sig[b]).mean(axis=1)
        small, large = np.minimum(sizes[a], sizes[b]), np.maximum(sizes[a], sizes[b])
        least = threshold * small / (small + large - threshold * small)
        keep[start : start + len(a)] = agree >= least - ESTIMATE_MARGIN
    return keep


def _all_pairs(sets: ShingleSets) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair (i < j) of sets sharing a shingle, with its intersection size (sparse product)."""
    from scipy import sparse

    n = len(sets)
    _, columns = np.unique(sets.values, return_inverse=True)
    matrix = sparse.csr_matrix((np.ones(len(columns), dtype=np.int32), columns.ravel(), sets.offsets),
                               shape=(n, int(columns.max()) + 1 if len(columns) else 0))  # fmt: skip
    product = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    order = np.lexsort((product.col, product.row))
    rows, columns, counts = product.row[order], product.col[order], product.data[order]
    return rows.astype(np.int64), columns.astype(np.int64), counts.astype(np.int64)


class _Components:
    """Union-find over integers (path halving); each component is named by its smallest member."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


def _empty_result() -> pd.DataFrame:
    return pd.DataFrame({
        "id": pd.Series([], dtype="str"), "cluster": pd.Series([], dtype="str"),
        "canonical": pd.Series([], dtype=bool), "similarity": pd.Series([], dtype="float64"),
        "containment": pd.Series([], dtype="float64"), "cue": pd.Series([], dtype="str"),
    })  # fmt: skip


def clusters(
    df: pd.DataFrame,
    *,
    threshold: float = 0.8,
    field: Field = "auto",
    shingle_size: int | None = None,
    min_shingles: int | None = None,
    boilerplate_share: float = 0.02,
    boilerplate_min: int = 10,
    candidates: Candidates = "lsh",
    seed: int = 0,
    progress: Callable[..., Any] | None = None,
) -> pd.DataFrame:
    """Near-duplicate clusters of a corpus table: one row per article in a cluster of two or more.

    Columns ``id, cluster, canonical, similarity, containment, cue``, sorted by cluster, canonical
    copy first, then id. `df` needs ``id`` and ``text`` (or ``title``); ``outlet``, ``published``,
    ``title`` and ``reprinted_from`` are used when present. `field` ``"auto"`` clusters bodies, or
    titles when no article has a body. `shingle_size` and `min_shingles` default to 5 and 20 for
    bodies, 2 and 4 for titles. `progress`, e.g. ``tqdm.tqdm``, is called as
    ``progress(total=..., desc=...)`` and must return a bar with ``update`` and ``close``.

    ``attrs`` holds ``articles``, ``field``, ``shingle_size``, ``min_shingles``, ``threshold``,
    ``skipped_short`` (fewer than `min_shingles` shingles, empty texts included),
    ``skipped_boilerplate`` (fewer once boilerplate lines are removed), ``boilerplate_lines``,
    ``candidate_pairs`` (LSH candidates, or all pairs), ``verified_pairs`` and ``clusters``.
    """
    check_choice("field", field, get_args(Field))
    check_choice("candidates", candidates, get_args(Candidates))
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a number in (0, 1], got {threshold!r}")
    if not 0 <= boilerplate_share <= 1:
        raise ValueError(f"boilerplate_share must be in [0, 1], got {boilerplate_share!r}")
    if "id" not in df.columns:
        raise ValueError("the corpus table has no 'id' column")
    if df["id"].duplicated().any():
        raise ValueError(f"column 'id' must be unique, {df['id'][df['id'].duplicated()].iloc[0]!r} repeats")
    texts, titles = _strings(df, "text"), _strings(df, "title")
    if field == "auto":
        field = "text" if pc.any(pc.match_substring_regex(texts, r"[\p{L}\p{N}]")).as_py() else "title"
    k = SHINGLE_SIZE[field] if shingle_size is None else shingle_size
    least = MIN_SHINGLES[field] if min_shingles is None else min_shingles
    if isinstance(least, bool) or not isinstance(least, int) or least < 1:
        raise ValueError(f"min_shingles must be a positive integer, got {least!r}")
    n = len(df)
    attrs = {"articles": n, "field": field, "shingle_size": k, "min_shingles": least, "threshold": threshold,
             "skipped_short": 0, "skipped_boilerplate": 0, "boilerplate_lines": 0, "candidate_pairs": 0,
             "verified_pairs": 0, "clusters": 0}  # fmt: skip

    shingled = line_shingles(texts if field == "text" else titles, k=k, seed=seed,
                             progress=_stage(progress, n, "shingles"))  # fmt: skip

    # Boilerplate lines, counted over the distinct articles (outlet, title, text) of each outlet.
    outlets = pd.factorize(_column(df, "outlet", "").fillna("").astype("str").to_numpy())[0]
    title_keys = pd.util.hash_array(titles.to_numpy(zero_copy_only=False).astype(object))
    distinct = pd.DataFrame({"outlet": outlets, "title": title_keys, "text": shingled.text_keys()})
    furniture = boilerplate_lines(shingled, np.flatnonzero(~distinct.duplicated().to_numpy()), outlets,
                                  share=boilerplate_share, min_articles=boilerplate_min)  # fmt: skip
    attrs["boilerplate_lines"] = len(furniture)
    sets, raw_sizes = shingled.sets(furniture)
    del shingled, distinct
    short = raw_sizes < least
    eligible = ~short & (sets.sizes() >= least)
    attrs["skipped_short"] = int(short.sum())
    attrs["skipped_boilerplate"] = int((~short & ~eligible).sum())

    # Articles with identical shingle sets share one representative (the first of them).
    rows = np.flatnonzero(eligible)
    group_of = pd.factorize(sets.fingerprints()[rows])[0]
    reps = rows[np.unique(group_of, return_index=True)[1]]
    rep_of = np.full(n, -1, dtype=np.int64)
    rep_of[rows] = reps[group_of]
    sizes = sets.sizes()
    if candidates == "lsh":
        sig = signatures(sets, reps, bins=BINS, seed=seed)
        pairs = candidate_pairs(sig, bands=BANDS, rows=ROWS)
        attrs["candidate_pairs"] = len(pairs)
        pairs = pairs[_plausible(sig, pairs, sizes[reps], threshold)]
        del sig
        a, b = reps[pairs[:, 0]], reps[pairs[:, 1]]
        common = _intersections(sets, a, b, progress=_stage(progress, len(a), "pairs"))
    else:
        i, j, common = _all_pairs(sets.take(reps))
        a, b = reps[i], reps[j]
        attrs["candidate_pairs"] = len(reps) * (len(reps) - 1) // 2
    verified = common >= threshold * np.minimum(sizes[a], sizes[b]) - 1e-9
    a, b = a[verified], b[verified]
    attrs["verified_pairs"] = len(a)

    # Connected components (of representatives, then of all their articles), split for chaining.
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    label = connected_components(graph, directed=False)[1]
    component = label[rep_of[rows]]
    size = np.bincount(component, minlength=n)
    in_cluster = rows[size[component] >= 2]
    when = pd.to_datetime(_column(df, "published", pd.NaT)).to_numpy("datetime64[ns]").view(np.int64)
    when = np.where(when == np.iinfo(np.int64).min, np.iinfo(np.int64).max, when)  # unknown dates last
    member_texts = texts.take(pa.array(in_cluster)).to_pylist() if field == "text" else [None] * len(in_cluster)
    cues = [cue(t, r) for t, r in zip(member_texts, _column(df, "reprinted_from", None).iloc[in_cluster])]
    ids = df["id"].astype("str").to_numpy()
    members = pd.DataFrame({"row": in_cluster, "component": label[rep_of[in_cluster]], "when": when[in_cluster],
                            "cue": [c is not None for c in cues], "id": ids[in_cluster]})  # fmt: skip
    members = members.sort_values(["component", "when", "cue", "id"], kind="stable")
    cue_of = dict(zip(in_cluster.tolist(), cues))
    edge_component = label[a]
    edge_order = np.argsort(edge_component, kind="stable")
    edge_bounds = np.searchsorted(edge_component[edge_order], np.arange(n + 1))
    out = []
    for comp, group in members.groupby("component", sort=True)["row"]:
        span = edge_order[edge_bounds[comp] : edge_bounds[comp + 1]]
        edges = list(zip(a[span].tolist(), b[span].tolist()))
        for cluster_rows, canonical, shares in _split(group.tolist(), edges, rep_of, sets, threshold):
            for r, (jac, cont) in zip(cluster_rows, shares):
                out.append((ids[r], ids[canonical], r == canonical, jac, cont, cue_of[r]))
    result = _empty_result() if not out else pd.DataFrame(out, columns=list(COLUMNS)).astype(
        {"id": "str", "cluster": "str", "canonical": bool, "similarity": "float64", "containment": "float64",
         "cue": "str"})  # fmt: skip
    result = result.sort_values(["cluster", "canonical", "id"], ascending=[True, False, True], kind="stable")
    result = result.reset_index(drop=True)
    attrs["clusters"] = int(result["cluster"].nunique())
    result.attrs.update(attrs)
    return result


def _stage(progress: Any, total: int, desc: str):
    """An `update(n)` callback on a new progress bar (closed when `total` is reached), or None."""
    if progress is None or total == 0:
        return None
    bar = progress(total=total, desc=desc)
    done = [0]

    def update(count: int) -> None:
        bar.update(count)
        done[0] += count
        if done[0] >= total:
            bar.close()

    return update


def _split(ordered: list[int], pairs: list[tuple[int, int]], rep_of: np.ndarray, sets: ShingleSets,
           threshold: float):  # fmt: skip
    """Yield (rows, canonical row, [(jaccard, containment)]) for one connected component.

    `ordered` are the component's article rows in canonical order, `pairs` its verified pairs of
    representative rows, `rep_of` the representative of each row. The first row is the canonical
    copy; rows whose shingles are less than `threshold` contained in it are split off and handled
    the same way, per connected part.
    """
    sizes = sets.sizes()
    queue = [ordered]
    while queue:
        group = queue.pop()
        canonical = group[0]
        c = rep_of[canonical]
        reps = rep_of[np.array(group, dtype=np.int64)]
        common = _intersections(sets, reps, np.full(len(reps), c))
        contained = common >= threshold * sizes[reps] - 1e-9
        kept = [r for r, ok in zip(group, contained) if ok]
        if len(kept) >= 2:
            shares = [(float(x / (sizes[p] + sizes[c] - x)), float(x / sizes[p]))
                      for x, p, ok in zip(common, reps, contained) if ok]  # fmt: skip
            yield kept, canonical, shares
        rest = [r for r, ok in zip(group, contained) if not ok]
        if len(rest) < 2:
            continue
        rest_reps = {int(rep_of[r]) for r in rest}
        parts = _Components()
        for i, j in pairs:
            if i in rest_reps and j in rest_reps:
                parts.union(i, j)
        by_part: dict[int, list[int]] = {}
        for r in rest:  # keeps canonical order within each part
            by_part.setdefault(parts.find(int(rep_of[r])), []).append(r)
        queue.extend(part for part in by_part.values() if len(part) >= 2)
