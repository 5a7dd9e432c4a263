"""Sparse document-term matrices: build from the corpus, group by any column, top terms.

A :class:`DTM` is a SciPy CSR matrix of counts (documents × terms) with its term and document
labels. Grouping (by outlet, period, ...) sums rows through a sparse indicator product, so a
100,000-article corpus is never densified.

>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["a", "b"], "title": ["", ""],
...                    "text": ["Red lines and red flags", "A red line"]})
>>> dtm = build_dtm(df)
>>> list(dtm.terms), dtm.matrix.toarray().tolist()
(['flags', 'line', 'lines', 'red'], [[1, 0, 1, 2], [0, 1, 0, 1]])
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Literal, get_args

import numpy as np
import pandas as pd
from scipy import sparse

from newslens import cluster, partitions
from newslens.choices import check_choice
from newslens.corpus import document_parts
from newslens.text import STOPWORDS, tokens

TopMeasure = Literal["count", "tfidf"]
TOP_MEASURES: tuple[str, ...] = get_args(TopMeasure)


@dataclass(frozen=True, eq=False)
class DTM:
    """Counts (``matrix``, CSR, documents × terms) with ``terms`` and ``docs`` labels."""

    matrix: sparse.csr_matrix
    terms: np.ndarray
    docs: np.ndarray

    def __post_init__(self) -> None:
        rows, cols = self.matrix.shape
        if rows != len(self.docs) or cols != len(self.terms):
            raise ValueError(
                f"matrix shape {self.matrix.shape} does not match {len(self.docs)} docs × {len(self.terms)} terms"
            )

    def binary(self) -> DTM:
        """The same matrix with every non-zero count set to 1 (document frequencies when summed)."""
        m = self.matrix.copy()
        m.data = np.ones_like(m.data)
        return DTM(m, self.terms, self.docs)

    def long_table(self) -> pd.DataFrame:
        """The sparse matrix as a table: one ``[id, term, count]`` row per document and term with
        a non-zero count, in document order, then term order (the shape published in derived mode).

        >>> m = DTM(sparse.csr_matrix([[0, 2], [1, 0]]), np.array(["x", "y"]), np.array(["a", "b"]))
        >>> m.long_table().values.tolist()
        [['a', 'y', 2], ['b', 'x', 1]]
        """
        coo = self.matrix.tocoo()
        order = np.lexsort((coo.col, coo.row))
        return pd.DataFrame({
            "id": pd.Series(self.docs[coo.row[order]], dtype="str"),
            "term": pd.Series(self.terms[coo.col[order]], dtype="str"),
            "count": coo.data[order].astype("int64"),
        })

    def term_totals(self) -> pd.Series:
        """Total count of every term, indexed by term (in ``terms`` order)."""
        return pd.Series(np.asarray(self.matrix.sum(axis=0)).ravel(), index=self.terms, name="count")


CHUNK_DOCS = 500
"""Articles tokenised per vectorised counting step (bounds the transient memory)."""


class _Vocabulary(dict):
    """Word -> id; an unseen word gets the next id on first lookup and is appended to ``words``."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def __missing__(self, word: str) -> int:
        self[word] = len(self.words)
        self.words.append(word)
        return self[word]


class _Counts:
    """Accumulates (document, term, count) entries chunk by chunk with growing vocabularies.

    Unigrams get ids in ``vocab``; an n-gram is a tuple of unigram ids with its own id in
    ``tables[n]``. Each chunk keeps compact int32 entries sorted by document, and document
    frequencies are summed as we go, so the matrix is assembled without a global sort.
    """

    def __init__(self, ns: range, stopwords: frozenset[str]) -> None:
        self.ns = ns
        self.stopwords = stopwords
        self.vocab = _Vocabulary()
        self.is_stop = np.zeros(0, dtype=bool)
        self.tables: dict[int, dict[tuple[int, ...], int]] = {n: {} for n in ns if n > 1}
        self.doc_freq = {n: np.zeros(0, dtype=np.int64) for n in ns}
        self.chunks: list[dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]] = []

    def add(self, segments: list[list[str]], seg_doc: list[int]) -> None:
        lengths = np.fromiter(map(len, segments), dtype=np.int64, count=len(segments))
        size_before = len(self.vocab)
        gcodes = np.fromiter(map(self.vocab.__getitem__, chain.from_iterable(segments)), dtype=np.int64,
                             count=int(lengths.sum()))  # fmt: skip
        added = self.vocab.words[size_before:]
        flags = np.fromiter((w.lower() in self.stopwords for w in added), dtype=bool, count=len(added))
        self.is_stop = np.concatenate([self.is_stop, flags])
        pos_doc = np.repeat(np.asarray(seg_doc, dtype=np.int64), lengths)
        pos_seg = np.repeat(np.arange(len(segments)), lengths)
        stop = self.is_stop[gcodes]
        chunk = {}
        for n in self.ns:
            m = len(gcodes) - n + 1
            if m <= 0:
                continue
            keep = pos_seg[:m] == pos_seg[n - 1 :]  # the n-gram stays within one title or text
            for k in range(n):
                keep &= ~stop[k : k + m]
            at = np.flatnonzero(keep)
            term_ids = gcodes[at] if n == 1 else self._ngram_ids(gcodes, at, n)
            pairs, counts = np.unique((pos_doc[at] << 32) | term_ids, return_counts=True)
            cols = (pairs & 0xFFFFFFFF).astype(np.int32)
            width = len(self.vocab) if n == 1 else len(self.tables[n])
            freq = np.bincount(cols, minlength=width)
            freq[: len(self.doc_freq[n])] += self.doc_freq[n]
            self.doc_freq[n] = freq
            chunk[n] = ((pairs >> 32).astype(np.int32), cols, counts.astype(np.int32))
        self.chunks.append(chunk)

    def _ngram_ids(self, gcodes: np.ndarray, at: np.ndarray, n: int) -> np.ndarray:
        rows, inverse = _distinct_ngrams(gcodes, at, n, len(self.vocab))
        table = self.tables[n]
        row_ids = np.fromiter((table.setdefault(t, len(table)) for t in map(tuple, rows.tolist())),
                              dtype=np.int64, count=len(rows))  # fmt: skip
        return row_ids[inverse]

    def matrix(self, n_docs: int, min_df: int) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The CSR matrix (columns: kept terms, sorted) and its terms; consumes the chunks."""
        words = np.array(self.vocab.words, dtype=object)
        names, freqs, offsets, offset = [], [], {}, 0
        for n in self.ns:
            if n == 1:
                names.append(words)
            else:
                grams = np.array(list(self.tables[n]), dtype=np.int64).reshape(-1, n)
                names.append(np.array([" ".join(g) for g in words[grams].tolist()], dtype=object))
            freqs.append(np.pad(self.doc_freq[n], (0, len(names[-1]) - len(self.doc_freq[n]))))
            offsets[n] = offset
            offset += len(names[-1])
        terms = np.concatenate(names)
        kept = np.flatnonzero(np.concatenate(freqs) >= min_df)
        order = kept[np.asarray(pd.Series(terms[kept], dtype="str").argsort(kind="stable"))]
        new_col = np.full(len(terms), -1, dtype=np.int32)
        new_col[order] = np.arange(len(order), dtype=np.int32)
        row_counts = np.zeros(n_docs, dtype=np.int64)
        indices, data = [], []
        while self.chunks:
            chunk = self.chunks.pop(0)
            rows = np.concatenate([chunk[n][0] for n in chunk])
            cols = np.concatenate([new_col[chunk[n][1].astype(np.int64) + offsets[n]] for n in chunk])
            counts = np.concatenate([chunk[n][2] for n in chunk])
            ok = cols >= 0
            rows, cols, counts = rows[ok], cols[ok], counts[ok]
            by_row = np.argsort(rows, kind="stable")
            indices.append(cols[by_row])
            data.append(counts[by_row])
            row_counts += np.bincount(rows, minlength=n_docs)
        indptr = np.concatenate([[0], np.cumsum(row_counts)])
        matrix = sparse.csr_matrix(
            (_concat(data, np.int32), _concat(indices, np.int32), indptr), shape=(n_docs, len(order))
        )
        matrix.sort_indices()
        return matrix, terms[order]


def build_dtm(
    corpus_df: pd.DataFrame,
    *,
    ngram_range: tuple[int, int] = (1, 1),
    stopwords: bool | Collection[str] = True,
    min_df: int = 1,
    lowercase: bool = True,
    include_title: bool = True,
    id_col: str = "id",
) -> DTM:
    """Document-term matrix of the title and text of every article (one row per article).

    Tokens are ``newslens.text.tokens``. ``ngram_range=(1, 2)`` adds bigrams, formed on the
    running text (never across the title and the body); ``stopwords=True`` drops
    ``newslens.text.STOPWORDS`` (or pass your own collection; ``False`` keeps everything) as
    unigrams and every n-gram that contains one, so no n-gram bridges a removed word; ``min_df``
    keeps terms found in at least that many documents. Terms are sorted; counts are int32.

    Counting is vectorised per chunk of articles (``pandas.factorize`` of the tokens, n-grams as
    rows of integer codes), so only tokenising runs per article in Python.

    >>> df = pd.DataFrame({"id": ["a"], "title": ["Red line"], "text": ["The red line holds"]})
    >>> list(build_dtm(df, ngram_range=(1, 2)).terms)
    ['holds', 'line', 'line holds', 'red', 'red line']
    """
    lo, hi = ngram_range
    if not 1 <= lo <= hi:
        raise ValueError(f"ngram_range must satisfy 1 <= min <= max, got {ngram_range}")
    if min_df < 1:
        raise ValueError(f"min_df must be >= 1, got {min_df}")
    words = STOPWORDS if stopwords is True else frozenset() if stopwords is False else frozenset(stopwords)
    text_part = "title+text" if include_title else "text"
    columns = [c for c in ("id", "title", "text") if c in corpus_df.columns]
    parts = cluster.map_partitions(_dtm_part, corpus_df[columns], step="DTM counts", ngram_range=ngram_range,
                                   words=words, lowercase=lowercase, text_part=text_part)  # fmt: skip
    matrix, terms = _merge(parts, corpus_df["id"], min_df)
    return DTM(matrix, terms, corpus_df[id_col].to_numpy())


def _dtm_part(partition, *, ngram_range: tuple[int, int], words: frozenset[str], lowercase: bool,
              text_part: str) -> DTM:  # fmt: skip
    """The counts of one partition (all terms), its rows labelled by id, in its row order."""
    corpus_df = partitions.read(partition, ("title", "text"))
    lo, hi = ngram_range
    n_docs = len(corpus_df)
    counts = _Counts(range(lo, hi + 1), words)
    for first in range(0, n_docs, CHUNK_DOCS):
        # Python strings for one chunk at a time: the whole text column as objects would double memory.
        rows = corpus_df.iloc[first : first + CHUNK_DOCS]
        chunk = [field.to_numpy(dtype=object) for field in document_parts(rows, part=text_part)]
        segments, seg_doc = [], []
        for offset, parts in enumerate(zip(*chunk)):
            for part in parts:
                toks = tokens(part, lower=lowercase)
                if toks:
                    segments.append(toks)
                    seg_doc.append(first + offset)
        if segments:
            counts.add(segments, seg_doc)
    matrix, terms = counts.matrix(n_docs, 1)
    return DTM(matrix, terms, corpus_df["id"].to_numpy(dtype=object))


def _merge(parts: list[DTM], ids: pd.Series, min_df: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """One matrix from per-partition counts (`stack`), its rows in the order of `ids`."""
    whole = stack(parts, min_df=min_df)
    if len(parts) == 1:
        return whole.matrix, whole.terms
    matrix = whole.matrix[pd.Index(whole.docs).get_indexer(ids)]
    matrix.sort_indices()
    return matrix, whole.terms


def select(dtm: DTM, rows: np.ndarray) -> DTM:
    """The documents at positions ``rows`` (in that order), keeping only terms they use.

    ``build_dtm`` of those documents gives the same matrix, so a matrix built once for a whole
    corpus serves every subset of it.

    >>> m = DTM(sparse.csr_matrix([[1, 0], [0, 2]]), np.array(["x", "y"], dtype=object), np.array(["a", "b"]))
    >>> s = select(m, np.array([1]))
    >>> list(s.terms), s.matrix.toarray().tolist()
    (['y'], [[2]])
    """
    rows = np.asarray(rows, dtype=np.intp)
    if len(rows) == dtm.matrix.shape[0] and (rows == np.arange(len(rows))).all():
        if np.bincount(dtm.matrix.indices, minlength=dtm.matrix.shape[1]).all():
            return dtm  # every document, every term used: nothing to copy
    picked = dtm.matrix[rows]
    used = np.flatnonzero(np.bincount(picked.indices, minlength=picked.shape[1]))
    matrix = picked[:, used].tocsr()
    matrix.sort_indices()
    return DTM(matrix, dtm.terms[used], dtm.docs[rows])


def stack(parts: Sequence[DTM], *, min_df: int = 1) -> DTM:
    """Exact reduction of matrices built on consecutive chunks of one corpus: rows in the given
    order, terms the sorted union, and ``min_df`` applied to the document frequencies summed.

    ``stack([build_dtm(a), build_dtm(b)])`` equals ``build_dtm(pd.concat([a, b]))``.

    >>> a = DTM(sparse.csr_matrix([[1, 1]]), np.array(["x", "z"]), np.array(["d1"]))
    >>> b = DTM(sparse.csr_matrix([[3]]), np.array(["y"]), np.array(["d2"]))
    >>> s = stack([a, b])
    >>> list(s.terms), s.matrix.toarray().tolist()
    (['x', 'y', 'z'], [[1, 0, 1], [0, 3, 0]])
    """
    if not parts:
        raise ValueError("stack needs at least one matrix")
    union = pd.Index(np.concatenate([p.terms for p in parts]).astype(object)).unique()
    order = np.asarray(pd.Series(np.asarray(union, dtype=object), dtype="str").argsort(kind="stable"))
    terms = np.asarray(union, dtype=object)[order]
    position = pd.Index(terms)
    blocks = []
    for p in parts:
        coo = p.matrix.tocoo()
        cols = position.get_indexer(p.terms)[coo.col]
        blocks.append(sparse.csr_matrix((coo.data, (coo.row, cols)), shape=(p.matrix.shape[0], len(terms))))
    matrix = sparse.vstack(blocks, format="csr").astype(np.int32)
    docs = np.concatenate([p.docs for p in parts])
    if min_df > 1:
        kept = np.flatnonzero(np.diff(matrix.tocsc().indptr) >= min_df)
        matrix, terms = matrix[:, kept].tocsr(), terms[kept]
    matrix.sort_indices()
    return DTM(matrix, terms, docs)


def _distinct_ngrams(codes: np.ndarray, at: np.ndarray, n: int, vocab_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct n-grams starting at positions ``at`` (rows of token codes) and each position's row.

    Hash-based (``pandas.factorize`` of ``prefix * vocab_size + next code``, one token at a time),
    so no sort and no overflow: prefixes are renumbered from 0 at every step.

    >>> rows, inverse = _distinct_ngrams(np.array([0, 1, 0, 1, 2]), np.array([0, 1, 2, 3]), 2, 3)
    >>> rows.tolist(), inverse.tolist()
    ([[0, 1], [1, 0], [1, 2]], [0, 1, 0, 2])
    """
    local = codes[at]
    steps = []
    for k in range(1, n):
        local, uniques = pd.factorize(local * vocab_size + codes[at + k])
        steps.append(uniques)
    columns, index = [], np.arange(len(steps[-1]))
    for uniques in reversed(steps):
        combined = uniques[index]
        columns.append(combined % vocab_size)
        index = combined // vocab_size
    columns.append(index)
    return np.stack(columns[::-1], axis=1), local


def _concat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)


def group(dtm: DTM, labels: Sequence | np.ndarray | pd.Series) -> DTM:
    """Sum the rows of ``dtm`` by ``labels`` (one per document); rows of the result are the sorted labels.

    Computed as a sparse indicator matrix (groups × documents) times the DTM; nothing is densified.
    Missing labels are an error (say which rows to drop instead of losing them silently).

    >>> m = DTM(sparse.csr_matrix([[1, 0], [2, 3], [0, 1]]), np.array(["x", "y"]), np.array(["a", "b", "c"]))
    >>> g = group(m, ["B", "A", "B"])
    >>> list(g.docs), g.matrix.toarray().tolist()
    (['A', 'B'], [[2, 3], [1, 1]])
    """
    values = pd.Series(np.asarray(labels, dtype=object))
    if len(values) != dtm.matrix.shape[0]:
        raise ValueError(f"{len(values)} labels for {dtm.matrix.shape[0]} documents")
    missing = values.isna()
    if missing.any():
        first = np.flatnonzero(missing.to_numpy())[:5].tolist()
        raise ValueError(f"{int(missing.sum())} documents have no label (rows {first}...); drop them first")
    codes, uniques = pd.factorize(values, sort=True)
    n_docs = len(codes)
    indicator = sparse.csr_matrix(
        (np.ones(n_docs, dtype=np.int64), (codes, np.arange(n_docs))),
        shape=(len(uniques), n_docs),
    )
    return DTM((indicator @ dtm.matrix).tocsr(), dtm.terms, np.asarray(uniques, dtype=object))


def top_terms(
    dtm: DTM,
    labels: Sequence | np.ndarray | pd.Series,
    *,
    measure: TopMeasure = "count",
    top_n: int = 15,
) -> pd.DataFrame:
    """Most frequent (``"count"``) or most distinctive (``"tfidf"``) terms of each group.

    tf-idf treats each group as one document: tf = count / tokens of the group,
    idf = ln(number of groups / groups using the term); a term every group uses scores 0.
    Returns ``group, term, count, per_10k, tfidf`` sorted by group, then the measure
    (descending), then term; ``top_n`` rows per group.

    >>> m = DTM(sparse.csr_matrix([[3, 1], [0, 2]]), np.array(["x", "y"]), np.array(["a", "b"]))
    >>> top_terms(m, ["A", "B"], measure="tfidf", top_n=1)[["group", "term"]].values.tolist()
    [['A', 'x'], ['B', 'y']]
    """
    check_choice("measure", measure, TOP_MEASURES)
    grouped = group(dtm, labels)
    coo = grouped.matrix.tocoo()
    n_groups = grouped.matrix.shape[0]
    group_totals = np.asarray(grouped.matrix.sum(axis=1)).ravel().astype(float)
    groups_using = np.asarray((grouped.matrix > 0).sum(axis=0)).ravel()
    counts = coo.data.astype(float)
    tf = counts / group_totals[coo.row]
    frame = pd.DataFrame(
        {
            "group": grouped.docs[coo.row],
            "term": grouped.terms[coo.col],
            "count": coo.data.astype(np.int64),
            "per_10k": tf * 10_000,
            "tfidf": tf * np.log(n_groups / groups_using[coo.col]),
        }
    )
    frame = frame[frame["count"] > 0]
    frame["_g"] = coo.row[frame.index]
    frame = frame.sort_values(["_g", measure, "term"], ascending=[True, False, True])
    return frame.groupby("_g", sort=False).head(top_n).drop(columns="_g").reset_index(drop=True)
