"""Derived tables, computed once per corpus and analysis version and cached beside the corpus table.

Splitting, scoring, tokenising and dictionary counting are the slow part of every report, and
they depend only on the corpus and a few parameters, never on the subset a report looks at. A
:class:`Store` computes each such table once for the whole corpus, saves it in the corpus's build
folder (``build/derived/`` beside ``build/corpus.parquet``), and hands every report the rows of
the articles it analyses:

* ``sentences``: one row per sentence ``[id, part, sentence_no, start, end, sentence, neg, neu,
  pos, compound, scored]`` (``start``/``end``: character span in the stripped title or body;
  ``scored``: the sentence counts for tone, see :func:`newslens.sentiment.sentence_tone`);
* ``tokens``: ``[id, title_tokens, text_tokens]``;
* ``dtm``: the document-term matrix for one n-gram range (``.npz`` plus its terms);
* ``counts``: dictionary counts per article for one dictionary (frames, sentiment word lists);
* ``matches``: dictionary hits per article and matched term (what frame drivers read);
* ``sentence-matches`` and ``mentions``: dictionary hits and actor mentions per sentence;
* ``quotes``: :func:`newslens.quotes.extract` (offsets into each article's ``text``);
* ``speech-tone``: :func:`newslens.voices.speech_tone`, the tone of quoted speech and own voice;
* ``topics-*``: a :func:`newslens.framing.fit_topics` model of the analysed articles (keyed on
  their ids, ``k`` and ``seed``), so a report re-run with another ``period`` does not refit it;
* the tables a report keeps with :meth:`Store.remember` (per set of articles and arguments).

Every heavy step is a module-level function of a chunk of articles (consecutive in id order)
that returns a table, with an exact reduction: chunks are concatenated in id order, matrices
stacked over the union of their terms. Chunks run in :func:`newslens.parallel.process_pool`
workers (``jobs="auto"``: every core) and give the same result with any number of jobs.

Each cached file has a JSON sidecar with the corpus SHA-256 (:func:`newslens.provenance.table_hash`),
:data:`ANALYSIS_VERSION`, the parameters, the column schema and the file's own SHA-256. A file
whose checksum, schema, corpus or version does not match is rebuilt and the reason recorded in
:attr:`Store.events`, which the report's provenance block shows (cache hit or rebuilt). A table is
looked up and built under a lock file of its own, so reports running side by side build each
table once: the second waits and reads the first one's file.

>>> import pandas as pd, tempfile
>>> df = pd.DataFrame({"id": ["a", "b"], "title": ["Talks fail", ""], "text": ["A good deal.", "War."]})
>>> store = Store(df, tempfile.mkdtemp(), jobs=1, progress=False)
>>> store.tokens(df)["text_tokens"].tolist()
[3, 1]
>>> [e["status"] for e in store.events], [e["status"] for e in Store(df, store.folder, jobs=1).events]
(['built'], [])
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from newslens import atomic, cluster, partitions, provenance
from newslens.corpus import document_parts, document_text
from newslens.membership import isin
from newslens.parallel import process_pool
from newslens.provenance import corpus_sha256

__all__ = ["ANALYSIS_VERSION", "FOLDER", "Store", "open_store", "resolve_jobs",
           "sentence_chunk", "token_chunk", "dtm_chunk", "count_chunk", "match_chunk",
           "sentence_match_chunk", "mention_chunk", "pair_chunk", "quote_chunk", "speech_chunk",
           "counts_from_matches"]  # fmt: skip

ANALYSIS_VERSION = 2
"""Raise when a derived table's content changes: every cached table of an older version is rebuilt."""

PROGRESS_ENV = "NEWSLENS_PROGRESS"
"""Environment variable: "0" turns the progress bars off (``newslens report`` sets it for its kernels,
so published pages carry no progress-bar output)."""

LOG = "_derived.json"
"""File in a report's output folder listing what happened to each derived table (for provenance)."""

FOLDER = "derived"
"""Sub-folder of the corpus table's folder that holds the cached tables."""

_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit

CHUNK_ARTICLES = int(os.environ.get("NEWSLENS_CHUNK_ARTICLES", "2000"))
"""Articles per chunk: one worker task and one step of a progress bar (environment variable
``NEWSLENS_CHUNK_ARTICLES``; smaller chunks bound the workers' memory)."""


def resolve_jobs(jobs: int | str) -> int:
    """``"auto"`` (every core) or a positive integer (also as text, as a report parameter gives it).

    >>> resolve_jobs(3), resolve_jobs("2"), resolve_jobs("auto") == (os.cpu_count() or 1)
    (3, 2, True)
    """
    if jobs == "auto":
        return os.cpu_count() or 1
    if isinstance(jobs, str) and jobs.strip().isdigit():
        jobs = int(jobs)
    if isinstance(jobs, bool) or not isinstance(jobs, int | np.integer) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer or 'auto', got {jobs!r}")
    return int(jobs)


# --- chunk functions: a chunk of articles in, a table out -------------------------------------


def sentence_chunk(docs: pd.DataFrame, punkt=None) -> pd.DataFrame:
    """Sentences of a chunk of articles with their spans and VADER scores.

    Columns ``[id, part, sentence_no, start, end, sentence, neg, neu, pos, compound, scored]``;
    ``scored`` is False for pieces without a letter or digit that VADER scores neutral (``...``),
    which :func:`newslens.sentiment.sentence_tone` leaves out.
    """
    from newslens.text import locate, split_sentences
    from newslens.vader import FIELDS, shared_analyzer

    title, text = document_parts(docs)
    parts = pd.DataFrame({"id": docs["id"].to_numpy(), "title": title.to_numpy(), "text": text.to_numpy()})
    sents = split_sentences(parts, punkt=punkt)
    sentences = sents["sentence"].tolist()
    values = np.array(shared_analyzer().scores(sentences), dtype="float64").reshape(-1, 4)
    fields = dict(zip(parts["id"].tolist(), zip(title.tolist(), text.tolist(), strict=True), strict=True))
    spans = np.empty((len(sents), 2), dtype="int64")
    last = None
    ids, kinds = sents["id"].tolist(), sents["part"].tolist()
    for k, (doc_id, part, sentence) in enumerate(zip(ids, kinds, sentences, strict=True)):
        if (doc_id, part) != last:
            source, pos, last = fields[doc_id][0 if part == "title" else 1], 0, (doc_id, part)
        spans[k] = found = locate(source, sentence, pos)
        pos = found[1]
    out = sents.assign(start=spans[:, 0], end=spans[:, 1])
    out = out.assign(**{name: values[:, k] for k, name in enumerate(FIELDS)})
    has_word = np.fromiter((_WORD_CHAR.search(t) is not None for t in sentences), dtype=bool, count=len(sentences))
    out["scored"] = has_word | (out["compound"] != 0).to_numpy()
    return out[["id", "part", "sentence_no", "start", "end", "sentence", *FIELDS, "scored"]]


def token_chunk(docs: pd.DataFrame) -> pd.DataFrame:
    """Tokens (:func:`newslens.text.tokens`) of each title and body: ``[id, title_tokens, text_tokens]``."""
    from newslens.text import TOKEN_RE

    title, text = document_parts(docs)  # strings; normalising and lower-casing keep the count
    return pd.DataFrame({
        "id": docs["id"].to_numpy(),
        "title_tokens": np.fromiter(map(len, map(TOKEN_RE.findall, title.tolist())), dtype=np.int64, count=len(docs)),
        "text_tokens": np.fromiter(map(len, map(TOKEN_RE.findall, text.tolist())), dtype=np.int64, count=len(docs)),
    })  # fmt: skip


def dtm_chunk(docs: pd.DataFrame, ngram_range: tuple[int, int]):
    """The document-term matrix of a chunk (all terms; ``min_df`` is applied after stacking)."""
    from newslens.keywords.dtm import build_dtm

    return build_dtm(docs, ngram_range=tuple(ngram_range))


def pair_chunk(docs: pd.DataFrame) -> pd.DataFrame:
    """:func:`newslens.keywords.collocations.pair_counts` of a chunk (counts add over chunks)."""
    from newslens.keywords.collocations import pair_counts

    return pair_counts(docs)


def count_chunk(docs: pd.DataFrame, dictionary, negation: int, part: str) -> pd.DataFrame:
    """:func:`newslens.dictionary.count` of each article's ``part`` text: ``[id, category, count, n_tokens]``."""
    from newslens.dictionary import count

    work = pd.DataFrame({"id": docs["id"].to_numpy(), "text": document_text(docs, part=part).to_numpy()})
    return count(dictionary, work, negation=negation)[["id", "category", "count", "n_tokens"]]


def match_chunk(docs: pd.DataFrame, dictionary, part: str) -> pd.DataFrame:
    """Hits per article, category, matched text and pattern: ``[id, category, match, pattern, hits]``,
    in order of first appearance within each article."""
    from newslens.dictionary import matches

    work = pd.DataFrame({"id": docs["id"].to_numpy(), "text": document_text(docs, part=part).to_numpy()})
    hits = matches(dictionary, work)
    out = hits.groupby(["id", "category", "match", "pattern"], sort=False).size().rename("hits").reset_index()
    return out.astype({"hits": "int64"})


def sentence_match_chunk(sents: pd.DataFrame, dictionary) -> pd.DataFrame:
    """Dictionary hits per sentence: ``[id, part, sentence_no, category, match]``, one row per hit."""
    from newslens.dictionary import matches

    keys = ["id", "part", "sentence_no"]
    return matches(dictionary, sents, id_col=keys, text_col="sentence")[[*keys, "category", "match"]]


def mention_chunk(sents: pd.DataFrame, actors, rollup: bool) -> pd.DataFrame:
    """:func:`newslens.actors.mentions` of a chunk of sentences."""
    from newslens.actors import mentions

    return mentions(sents, actors, rollup=rollup)


def quote_chunk(docs: pd.DataFrame, actors) -> pd.DataFrame:
    """:func:`newslens.quotes.extract` of a chunk of articles (rows in id order, offsets into
    ``text``) with the words of each quote (:func:`newslens.voices.quote_words`). A ``spans``
    column (:meth:`Store._split_corpus`) gives the body sentences, which are then not split again."""
    from newslens.quotes import extract
    from newslens.voices import quote_words

    spans = [list(map(tuple, s.tolist())) for s in docs["spans"]] if "spans" in docs.columns else None
    found = extract(docs[["id", "text"]], actors=actors, spans=spans)
    return found.assign(words=quote_words(found["quote"]))


def speech_chunk(docs: pd.DataFrame) -> pd.DataFrame:
    """:func:`newslens.voices.speech_tone` of a chunk of articles whose ``speech`` column lists the
    ``(start, end)`` spans of their direct and mixed quotes, with the body sentences and their VADER
    compound of :meth:`Store._split_corpus` (``spans``, ``compound``)."""
    from newslens.voices import speech_tone

    def per_article(column: str) -> np.ndarray:
        return np.repeat(docs["id"].to_numpy(), docs[column].map(len).to_numpy(dtype=np.int64))

    speech = np.array([span for spans in docs["speech"] for span in spans], dtype=np.int64).reshape(-1, 2)
    spans = np.concatenate([*docs["spans"], np.zeros((0, 2), dtype=np.int64)])
    quoted = pd.DataFrame({"id": per_article("speech"), "kind": "direct", "start": speech[:, 0], "end": speech[:, 1]})
    body = pd.DataFrame({"id": per_article("spans"), "start": spans[:, 0], "end": spans[:, 1],
                         "compound": np.concatenate([*docs["compound"], np.zeros(0)])})  # fmt: skip
    return speech_tone(docs.drop(columns=["speech", "spans", "compound"]), quoted, sentences=body)


def counts_from_matches(hits: pd.DataFrame, token_counts: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """Dictionary counts ``[id, category, count, n_tokens]`` (ids of ``token_counts``, categories in
    order, zeros included) from :func:`match_chunk` hits and :func:`token_chunk` counts.

    >>> hits = pd.DataFrame({"id": ["a", "a"], "category": ["x", "x"], "match": ["m", "n"], "pattern": ["m*", "n"],
    ...                      "hits": [2, 1]})
    >>> toks = pd.DataFrame({"id": ["a", "b"], "title_tokens": [1, 0], "text_tokens": [9, 4]})
    >>> counts_from_matches(hits, toks, ["x", "y"]).values.tolist()
    [['a', 'x', 3, 10], ['a', 'y', 0, 10], ['b', 'x', 0, 4], ['b', 'y', 0, 4]]
    """
    ids = token_counts["id"].to_numpy()
    cats = list(categories)
    summed = hits.groupby(["id", "category"], sort=False)["hits"].sum()
    grid = pd.MultiIndex.from_arrays([np.repeat(ids, len(cats)), np.tile(np.array(cats, dtype=object), len(ids))],
                                     names=["id", "category"])  # fmt: skip
    n_tokens = (token_counts["title_tokens"] + token_counts["text_tokens"]).to_numpy(dtype=np.int64)
    out = pd.DataFrame({
        "id": pd.Series(grid.get_level_values(0), dtype=token_counts["id"].dtype),
        "category": pd.Series(grid.get_level_values(1), dtype="str"),
        "count": summed.reindex(grid, fill_value=0).to_numpy(dtype=np.int64),
        "n_tokens": np.repeat(n_tokens, len(cats)),
    })  # fmt: skip
    return out


# --- the store ---------------------------------------------------------------------------------


def _progress(enabled: bool, total: int, desc: str):
    """A text progress bar on stderr (terminal and JupyterLab); none in a published report run."""
    if not enabled or total < 2 or os.environ.get(PROGRESS_ENV) == "0":
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="chunk", leave=False, file=sys.stderr)


def _save_npz(path: Path, matrix) -> None:
    with open(path, "wb") as handle:  # a file object: save_npz would append ".npz" to a path
        sparse.save_npz(handle, matrix, compressed=False)


def _schema(df: pd.DataFrame) -> list[list[str]]:
    return [[str(c), str(t)] for c, t in df.dtypes.items()]


class Store:
    """Derived tables of one corpus table, cached in ``folder`` (None: kept in memory only).

    Each accessor takes the articles a report analyses (a subset of the corpus, rows by id) and
    returns their part of the derived table, computed for the whole corpus on first use.
    ``events`` lists what happened to each table: ``built`` (no cache yet), ``hit`` or
    ``rebuilt`` (with the reason: corrupt, stale, unreadable); a computed table also has the
    ``seconds`` it took.
    """

    def __init__(
        self,
        corpus_df: pd.DataFrame,
        folder: str | os.PathLike | None,
        *,
        sha256: str | None = None,
        jobs: int | str = "auto",
        progress: bool = True,
        log_dir: str | os.PathLike | None = None,
    ) -> None:
        if corpus_df["id"].duplicated().any():
            raise ValueError("derived tables need unique article ids")
        self.corpus = corpus_df
        self._by_id = np.argsort(corpus_df["id"].astype("str").to_numpy(), kind="stable")
        self.folder = Path(folder) if folder is not None else None
        self.log = Path(log_dir) / LOG if log_dir is not None else None
        self.sha256 = sha256 or provenance.table_hash(corpus_df)
        self.jobs = resolve_jobs(jobs)
        self.progress = progress
        self.events: list[dict[str, str]] = []
        self._memory: dict[str, object] = {}
        self._nested = 0.0  # seconds of the table look-ups inside the one being computed
        self._pool = None

    def close(self) -> None:
        """Shut the worker processes down (they are started on first use and kept for every table)."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.__exit__(None, None, None)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    def _workers(self):
        if self._pool is None:
            self._pool = process_pool(self.jobs)
            self._executor = self._pool.__enter__()
            atexit.register(self.close)
        return self._executor

    # -- running chunks

    def _chunks(self, table: pd.DataFrame) -> list:
        """Consecutive slices of ``table`` (the corpus in id order, or a derived table, which is
        sorted by id) of about CHUNK_ARTICLES articles each; an article is never split. On a dask
        cluster, the corpus goes as the part files of a partitioned corpus (`newslens.partitions.of`),
        in id order."""
        if table is self.corpus and isinstance(cluster.current(self.jobs), cluster.Dask):
            return partitions.of(table, rows=CHUNK_ARTICLES)
        if table is self.corpus:
            order = self._by_id
            return [table.iloc[order[k : k + CHUNK_ARTICLES]] for k in range(0, len(order), CHUNK_ARTICLES)]
        ids = table["id"].to_numpy()
        firsts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.zeros(0, dtype=np.intp)
        bounds = [0, *(int(b) for b in firsts[CHUNK_ARTICLES::CHUNK_ARTICLES]), len(table)]
        return [table.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]

    def _map(self, desc: str, fn: Callable, chunks: Sequence, *args) -> list:
        where = cluster.current(self.jobs)
        if isinstance(where, cluster.Dask):  # the scheduler's workers, through newslens.cluster
            return where.map(cluster.on_rows, chunks, fn, *args, step=desc)
        bar = _progress(self.progress, len(chunks), desc)
        results = []
        try:
            if self.jobs == 1 or len(chunks) < 2:
                for chunk in chunks:
                    results.append(fn(chunk, *args))
                    if bar is not None:
                        bar.update()
            else:
                for result in self._workers().map(fn, chunks, *[[a] * len(chunks) for a in args]):
                    results.append(result)
                    if bar is not None:
                        bar.update()
        finally:
            if bar is not None:
                bar.close()
        return results

    def _frame(self, desc: str, fn: Callable, table: pd.DataFrame, *args) -> pd.DataFrame:
        parts = self._map(desc, fn, self._chunks(table), *args)
        return pd.concat(parts, ignore_index=True) if parts else fn(table.iloc[0:0], *args)

    # -- cache files

    def _paths(self, name: str, params: dict) -> tuple[Path, Path]:
        key = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:16]
        base = self.folder / f"{name}-{key}"
        return base.with_suffix(".json"), base

    @contextlib.contextmanager
    def _locked(self, name: str, params: dict):
        """Hold the table's lock file (``<table>.lock``, an advisory ``flock``) while it is looked up or built."""
        if self.folder is None:
            yield
            return
        _, base = self._paths(name, params)
        try:
            base.parent.mkdir(parents=True, exist_ok=True)
            handle = open(f"{base}.lock", "a+b")  # noqa: SIM115 - released below
        except OSError:  # a read-only build folder: nothing is written, nothing to share
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _load(self, name: str, params: dict, suffixes: Sequence[str]) -> tuple[dict[str, Path] | None, str]:
        """The cached files, or None and why they cannot be used."""
        meta_path, base = self._paths(name, params)
        if not meta_path.exists():
            return None, ""
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None, "unreadable sidecar"
        if meta.get("corpus_sha256") != self.sha256:
            return None, "stale: the corpus changed"
        if meta.get("version") != ANALYSIS_VERSION:
            return None, f"stale: analysis version {meta.get('version')} (now {ANALYSIS_VERSION})"
        if meta.get("params") != json.loads(json.dumps(params, sort_keys=True, default=str)):
            return None, "stale: parameters differ"
        files = {s: Path(f"{base}{s}") for s in suffixes}
        for suffix, path in files.items():
            if not path.exists():
                return None, f"missing {path.name}"
            if atomic.file_sha256(path) != meta.get("files", {}).get(suffix):
                return None, f"corrupt: checksum of {path.name} does not match"
        return {"meta": meta, **files}, ""

    def _save(self, name: str, params: dict, writers: dict[str, Callable[[Path], object]], schema) -> None:
        try:
            self._write(name, params, writers, schema)
        except OSError as err:  # e.g. a read-only build folder: the table is used, just not kept
            print(f"newslens: derived table {name} not cached in {self.folder}: {err}", file=sys.stderr)

    def _write(self, name: str, params: dict, writers: dict[str, Callable[[Path], object]], schema) -> None:
        meta_path, base = self._paths(name, params)
        sums = {}
        for suffix, write in writers.items():
            path = Path(f"{base}{suffix}")
            atomic.write_with(path, write)
            sums[suffix] = atomic.file_sha256(path)
        meta = {"table": name, "params": params, "corpus_sha256": self.sha256, "version": ANALYSIS_VERSION,
                "schema": schema, "files": sums}  # fmt: skip
        atomic.write_text(meta_path, json.dumps(meta, indent=1, sort_keys=True, default=str))

    def _note(self, name: str, params: dict, status: str, reason: str = "", seconds: float | None = None) -> None:
        label = name if not params else f"{name} ({', '.join(f'{k}={v}' for k, v in params.items())})"
        event = {"table": label, "status": status, "reason": reason}
        self.events.append(event if seconds is None else {**event, "seconds": round(seconds, 1)})
        if self.log is not None:
            atomic.write_text(self.log, json.dumps(self.events, indent=1))
        if status == "rebuilt":
            print(f"newslens: derived table {label} rebuilt ({reason})", file=sys.stderr)

    def _cached_frame(self, name: str, params: dict, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        memo = (name, json.dumps(params, sort_keys=True, default=str))
        if memo in self._memory:
            return self._memory[memo]
        with self._lookup():
            if self.folder is None:
                table, seconds = self._timed(compute)
                self._note(name, params, "built", seconds=seconds)
            else:
                with self._locked(name, params):
                    table = self._load_or_build(name, params, compute)
        self._memory[memo] = table
        return table

    @contextlib.contextmanager
    def _lookup(self):
        """A table look-up (waiting for its lock, loading, building): its time is not the own
        time of a table being computed around it (:meth:`_timed`)."""
        outer, self._nested = self._nested, 0.0
        started = time.perf_counter()
        try:
            yield
        finally:
            self._nested = outer + time.perf_counter() - started

    def _timed(self, compute: Callable):
        """``compute()`` and its own seconds: without the look-ups of other tables nested in it."""
        before, started = self._nested, time.perf_counter()
        result = compute()
        return result, time.perf_counter() - started - (self._nested - before)

    def _load_or_build(self, name: str, params: dict, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        found, reason = self._load(name, params, [".parquet"])
        if found is not None:
            try:
                table = pd.read_parquet(found[".parquet"])
                if _schema(table) == found["meta"].get("schema"):
                    self._note(name, params, "hit")
                    return table
                reason = "corrupt: schema differs"
            except (OSError, ValueError) as err:
                reason = f"unreadable: {err}"
        table, seconds = self._timed(compute)
        self._save(name, params, {".parquet": lambda tmp: table.to_parquet(tmp, index=False)}, _schema(table))
        self._note(name, params, "rebuilt" if reason else "built", reason, seconds)
        return table

    def _rows(self, table: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
        """The rows of an id-sorted derived table that belong to ``docs``, still in id order."""
        if len(docs) == len(self.corpus) and isin(docs["id"], self.corpus["id"]).all():
            return table
        return table[isin(table["id"], docs["id"])].reset_index(drop=True)

    # -- derived tables

    def sentences(self, docs: pd.DataFrame, *, scored_only: bool = False) -> pd.DataFrame:
        """The sentence table of ``docs`` (see the module notes); ``scored_only`` keeps the tone sentences."""
        table = self._cached_frame("sentences", {}, lambda: self._frame("sentences", sentence_chunk, self.corpus))
        rows = self._rows(table, docs)
        return rows[rows["scored"]].reset_index(drop=True) if scored_only else rows

    def tokens(self, docs: pd.DataFrame) -> pd.DataFrame:
        """``[id, title_tokens, text_tokens]`` of ``docs``, by id."""
        table = self._cached_frame("tokens", {}, lambda: self._frame("tokens", token_chunk, self.corpus))
        return self._rows(table, docs)

    def pair_counts(self, docs: pd.DataFrame) -> pd.DataFrame:
        """Word and adjacent-pair counts of ``docs`` (collocations): cached for the whole corpus,
        summed over chunks of a subset."""

        def total(table: pd.DataFrame) -> pd.DataFrame:
            parts = self._frame("word pairs", pair_chunk, table)
            return parts.groupby(["w1", "w2"], sort=True, as_index=False)["count"].sum()

        if len(docs) == len(self.corpus) and isin(docs["id"], self.corpus["id"]).all():
            return self._cached_frame("pairs", {}, lambda: total(self.corpus))
        return total(docs.sort_values("id", kind="mergesort"))

    def sorted_ids(self) -> np.ndarray:
        """The corpus's article ids in the order of every derived table."""
        return self.corpus["id"].to_numpy()[self._by_id]

    def dtm(self, docs: pd.DataFrame, *, ngram_range: tuple[int, int] = (1, 1)):
        """:func:`newslens.keywords.build_dtm` of ``docs`` (rows in the order of ``docs``)."""
        from newslens.keywords.dtm import select

        params = {"ngram_range": list(ngram_range)}
        memo = ("dtm", json.dumps(params))
        full = self._memory.get(memo)
        if full is None:
            with self._lookup(), self._locked("dtm", params):
                full = self._load_or_build_dtm(params, tuple(ngram_range))
        self._memory[memo] = full
        positions = pd.Index(full.docs).get_indexer(docs["id"].to_numpy())
        if (positions < 0).any():
            raise KeyError("dtm: some articles are not in the corpus of this store")
        if len(positions) == len(full.docs) and (positions == np.arange(len(positions))).all():
            return full
        return select(full, positions)

    def _load_or_build_dtm(self, params: dict, ngram_range: tuple[int, int]):
        from newslens.keywords.dtm import DTM, stack

        reason = ""
        if self.folder is not None:
            found, reason = self._load("dtm", params, [".npz", ".terms.parquet"])
            if found is not None:
                try:
                    matrix = sparse.load_npz(found[".npz"]).tocsr()
                    terms = pd.read_parquet(found[".terms.parquet"])["term"].to_numpy(dtype=object)
                    self._note("dtm", params, "hit")
                    return DTM(matrix, terms, self.sorted_ids())
                except (OSError, ValueError) as err:
                    reason = f"unreadable: {err}"

        def build():
            parts = self._map("document-term matrix", dtm_chunk, self._chunks(self.corpus), ngram_range)
            return stack(parts) if parts else dtm_chunk(self.corpus, ngram_range)

        full, seconds = self._timed(build)
        if self.folder is not None:
            terms = pd.DataFrame({"term": pd.Series(full.terms, dtype="str")})
            self._save("dtm", params, {
                ".npz": lambda tmp: _save_npz(tmp, full.matrix),
                ".terms.parquet": lambda tmp: terms.to_parquet(tmp, index=False),
            }, None)  # fmt: skip
        self._note("dtm", params, "rebuilt" if reason else "built", reason, seconds)
        return full

    @staticmethod
    def _dictionary_key(dictionary) -> str:
        content = (dictionary.name, [(c, list(p)) for c, p in dictionary.patterns.items()], dictionary.meta)
        return hashlib.sha256(repr(content).encode()).hexdigest()[:16]

    def counts(self, docs: pd.DataFrame, dictionary, *, negation: int = 0, part: str = "title+text") -> pd.DataFrame:
        """:func:`newslens.dictionary.count` of ``docs``' ``part`` text, ``[id, category, count, n_tokens]`` by id.

        Without negation the counts of the title and text are summed from :meth:`matches` and
        :meth:`tokens` (the same scan), so frames are counted in one pass.
        """
        if negation == 0 and part == "title+text":
            return counts_from_matches(self.matches(docs, dictionary), self.tokens(docs), dictionary.categories)
        params = {"dictionary": self._dictionary_key(dictionary), "negation": int(negation), "part": part}
        table = self._cached_frame("counts", params, lambda: self._frame(
            f"counting {dictionary.name}", count_chunk, self.corpus, dictionary, int(negation), part))
        return self._rows(table, docs)

    def matches(self, docs: pd.DataFrame, dictionary, *, part: str = "title+text") -> pd.DataFrame:
        """Dictionary hits of ``docs`` per matched text: ``[id, category, match, pattern, hits]`` by id."""
        params = {"dictionary": self._dictionary_key(dictionary), "part": part}
        table = self._cached_frame("matches", params, lambda: self._frame(
            f"matching {dictionary.name}", match_chunk, self.corpus, dictionary, part))
        return self._rows(table, docs)

    def sentence_matches(self, docs: pd.DataFrame, dictionary) -> pd.DataFrame:
        """Dictionary hits in the sentences of ``docs``: ``[id, part, sentence_no, category, match]``."""
        params = {"dictionary": self._dictionary_key(dictionary)}

        def compute() -> pd.DataFrame:
            sents = self.sentences(self.corpus)[["id", "part", "sentence_no", "sentence"]]
            return self._frame(f"matching {dictionary.name} in sentences", sentence_match_chunk, sents, dictionary)

        return self._rows(self._cached_frame("sentence-matches", params, compute), docs)

    def mentions(self, docs: pd.DataFrame, actors, *, rollup: bool = False) -> pd.DataFrame:
        """:func:`newslens.actors.mentions` of the tone sentences of ``docs`` (a sentence without a
        letter or digit names no actor, so these are the mentions of all its sentences)."""
        from newslens.actors import as_actors

        actors_dict = as_actors(actors)
        params = {"actors": self._dictionary_key(actors_dict), "rollup": bool(rollup)}

        def compute() -> pd.DataFrame:
            sents = self.sentences(self.corpus, scored_only=True)[["id", "part", "sentence_no", "sentence"]]
            return self._frame("actor mentions", mention_chunk, sents, actors_dict, bool(rollup))

        return self._rows(self._cached_frame("mentions", params, compute), docs)

    def quotes(self, docs: pd.DataFrame, actors=None) -> pd.DataFrame:
        """:func:`newslens.quotes.extract` of ``docs`` with ``actors`` (default: the bundled dictionary),
        and ``words`` per quote."""
        from newslens.actors import as_actors

        actors_dict = as_actors(actors)
        params = {"actors": self._dictionary_key(actors_dict)}

        def compute() -> pd.DataFrame:
            work = self._split_corpus(["id", "text"]).drop(columns="compound")
            return self._frame("quotes", quote_chunk, work, actors_dict)

        return self._rows(self._cached_frame("quotes", params, compute), docs)

    def _split_corpus(self, columns: Sequence[str]) -> pd.DataFrame:
        """The corpus in id order (``columns``, ``text`` among them) with each article's body
        sentences of :meth:`sentences`: ``spans``, an ``(n, 2)`` array of offsets into its ``text``,
        and ``compound``, their VADER compound (:func:`quote_chunk` and :func:`speech_chunk` split
        and score no sentence again)."""
        work = self.corpus[list(columns)].iloc[self._by_id].reset_index(drop=True)
        body = self.sentences(self.corpus)
        body = body.loc[(body["part"] == "body").to_numpy(), ["id", "start", "end", "compound"]]
        raw = work["text"].astype("str").fillna("")
        lead = (raw.str.len() - raw.str.lstrip().str.len()).to_numpy(dtype=np.int64)  # the sentences' offsets
        position = pd.Index(work["id"]).get_indexer(body["id"])  # are into the stripped text
        order = np.argsort(position, kind="stable")
        position = position[order]
        spans = body[["start", "end"]].to_numpy(dtype=np.int64)[order] + lead[position][:, None]
        bounds = np.cumsum(np.bincount(position, minlength=len(work)))[:-1]
        work["spans"] = pd.Series(np.split(spans, bounds), dtype=object)
        work["compound"] = pd.Series(np.split(body["compound"].to_numpy(dtype=np.float64)[order], bounds), dtype=object)
        return work

    def speech_tone(self, docs: pd.DataFrame, actors=None) -> pd.DataFrame:
        """:func:`newslens.voices.speech_tone` of ``docs`` with the quotes of :meth:`quotes`, by id."""
        from newslens.actors import as_actors

        actors_dict = as_actors(actors)
        params = {"actors": self._dictionary_key(actors_dict)}

        def compute() -> pd.DataFrame:
            found = self.quotes(self.corpus, actors_dict)
            found = found[found["kind"].isin(["direct", "mixed"])]
            spans = pd.Series(list(zip(found["start"], found["end"], strict=True)), dtype=object).groupby(
                found["id"].to_numpy(), sort=False).agg(list)  # fmt: skip
            work = self._split_corpus(["id", "text", *[c for c in ("outlet", "published") if c in self.corpus.columns]])
            work["speech"] = work["id"].map(spans).map(lambda s: s if isinstance(s, list) else [])
            return self._frame("speech tone", speech_chunk, work)

        return self._rows(self._cached_frame("speech-tone", params, compute), docs)

    @staticmethod
    def _articles_key(docs: pd.DataFrame) -> str:
        return hashlib.sha256("\n".join(sorted(docs["id"].astype("str"))).encode()).hexdigest()[:16]

    def _per_articles(self, name: str, docs: pd.DataFrame, params: dict, compute: Callable[[], pd.DataFrame]):
        """A result of analysing exactly ``docs`` (cached per set of articles, ``params`` and
        newslens package: any change of the code computes it again)."""
        from newslens.reuse import package_sha256

        key = {**params, "articles": self._articles_key(docs), "newslens": package_sha256()[:16]}
        return self._cached_frame(name, key, compute)

    def remember(self, func: Callable[..., pd.DataFrame], *args, docs: pd.DataFrame, inputs: dict | None = None,
                 **kwargs) -> pd.DataFrame:  # fmt: skip
        """``func(*args, **kwargs)``, kept per set of ``docs``, ``inputs``, arguments and newslens
        package, so that a re-run with other parameters computes only the tables they change.

        The key holds the other arguments' values, but of a DataFrame argument only its columns and
        length: its content must follow from ``docs`` and ``inputs`` (e.g. the quotes of these
        articles found with ``inputs={"actors": dictionary, "rollup": True}``; dictionaries, also
        inside dataclasses such as a frame scheme, are keyed by their content). ``func`` must return
        a DataFrame with a default index; ``attrs`` are kept.

        >>> import pandas as pd, tempfile
        >>> df = pd.DataFrame({"id": ["a", "b"], "title": ["", ""], "text": ["Yes.", "No."], "outlet": ["X", "Y"]})
        >>> store = Store(df, tempfile.mkdtemp(), jobs=1, progress=False)
        >>> store.remember(pd.DataFrame.head, df, 1, docs=df)["id"].tolist()
        ['a']
        >>> again = Store(df, store.folder, jobs=1)
        >>> again.remember(pd.DataFrame.head, df, 1, docs=df)["id"].tolist(), again.events[-1]["status"]
        (['a'], 'hit')
        """
        from newslens.dictionary import Dictionary

        def described(value):
            if isinstance(value, pd.DataFrame):
                return {"table": [str(c) for c in value.columns], "rows": len(value)}
            if isinstance(value, pd.Series):
                return {"series": str(value.name), "rows": len(value)}
            if isinstance(value, Dictionary):
                return {"dictionary": self._dictionary_key(value)}
            if dataclasses.is_dataclass(value) and not isinstance(value, type):  # e.g. a frame scheme
                return {type(value).__name__: {f.name: described(getattr(value, f.name))
                                               for f in dataclasses.fields(value)}}  # fmt: skip
            if value is None or isinstance(value, (str, bool, int, float)):
                return value
            if isinstance(value, (list, tuple)):
                return [described(v) for v in value]
            if isinstance(value, dict):
                return {str(k): described(v) for k, v in value.items()}
            raise TypeError(f"remember: cannot key an argument of type {type(value).__name__}")

        name = getattr(func, "__qualname__", repr(func))
        params = {"function": f"{getattr(func, '__module__', '')}.{name}", "args": described(list(args)),
                  "kwargs": described(kwargs), "inputs": described(inputs or {})}  # fmt: skip

        def compute() -> pd.DataFrame:
            table = func(*args, **kwargs)
            if not isinstance(table, pd.DataFrame):
                raise TypeError(f"remember: {name} returned {type(table).__name__}, not a DataFrame")
            if not table.index.equals(pd.RangeIndex(len(table))):
                raise ValueError(f"remember: {name} returned a table without a default index")
            return table

        return self._per_articles(f"kept-{name.replace('.', '-')}", docs, params, compute)

    def frame_examples(self, docs: pd.DataFrame, scheme, *, n: int = 1) -> pd.DataFrame:
        """:func:`newslens.framing.frame_examples` (``n`` per frame and outlet) of the sentences
        of ``docs`` with indicators of ``scheme``, from :meth:`sentences` and :meth:`sentence_matches`."""
        from newslens import framing

        frames = framing.load_scheme(scheme)

        def compute() -> pd.DataFrame:
            units = framing.sentence_table(docs, split=self.sentences(docs))
            hits = self.sentence_matches(docs, frames.dictionary)
            return framing.frame_examples(framing.frame_sentences(docs, frames, sentences=units, hits=hits), n=n)

        return self._per_articles("frame-examples", docs, {"scheme": self._dictionary_key(frames.dictionary),
                                                           "n": int(n)}, compute)  # fmt: skip

    def kwic(self, docs: pd.DataFrame, query: str, *, window: int = 5) -> pd.DataFrame:
        """:func:`newslens.keywords.kwic` of ``docs`` (its other options at their defaults)."""
        from newslens.keywords import kwic

        return self._per_articles("kwic", docs, {"query": query, "window": int(window)},
                                  lambda: kwic(docs, query, window=window))  # fmt: skip

    def term_hits(self, docs: pd.DataFrame, terms) -> pd.DataFrame:
        """:func:`newslens.keywords.term_hits` of ``docs``: ``[id, term, hits]``."""
        from newslens.keywords import term_hits

        return self._per_articles("term-hits", docs, {"terms": list(terms)}, lambda: term_hits(docs, terms))

    def topics(self, docs: pd.DataFrame, *, k: int, seed: int = 0, ngram_range: tuple[int, int] = (1, 2)):
        """:func:`newslens.framing.fit_topics` of ``docs`` on :meth:`dtm`, fitted once per set of articles."""
        from newslens.framing import TopicModel, fit_topics

        params = {"k": int(k), "seed": int(seed), "ngram_range": list(ngram_range), "articles": self._articles_key(docs)}
        fitted: list = []

        def part(name: str) -> pd.DataFrame:
            def compute() -> pd.DataFrame:
                if not fitted:
                    fitted.append(fit_topics(docs, k=k, seed=seed, dtm=self.dtm(docs, ngram_range=ngram_range)))
                model = fitted[0]
                if name == "fit":
                    return pd.DataFrame({"reconstruction_error": [model.reconstruction_error]})
                return getattr(model, name)

            return self._cached_frame(f"topics-{name}", params, compute)

        tables = {name: part(name) for name in ("terms", "documents", "dominant", "fit")}
        return TopicModel(terms=tables["terms"], documents=tables["documents"], dominant=tables["dominant"], k=int(k),
                          seed=int(seed), reconstruction_error=float(tables["fit"]["reconstruction_error"].iloc[0]))


def open_store(
    corpus: str | os.PathLike | pd.DataFrame,
    *,
    jobs: int | str = "auto",
    progress: bool = True,
    log_dir: str | os.PathLike | None = None,
) -> Store:
    """The store of a corpus: a corpus table (.parquet) caches into ``derived/`` beside it; a
    folder or file of articles (read on the fly) or a DataFrame keeps its tables in memory.

    >>> open_store("build/corpus.parquet").folder  # doctest: +SKIP
    PosixPath('build/derived')
    """
    from newslens.corpus import load_corpus

    options = {"jobs": jobs, "progress": progress, "log_dir": log_dir}
    if isinstance(corpus, pd.DataFrame):
        return Store(corpus, None, **options)
    path = Path(corpus)
    df = load_corpus(path)
    if partitions.is_dataset(path):  # a partitioned corpus: its manifest changes with any part
        folder = path.parent / FOLDER
        return Store(df, folder, sha256=corpus_sha256(df, path / partitions.MANIFEST, folder), **options)
    if path.is_file() and path.suffix == ".parquet":
        folder = path.parent / FOLDER
        return Store(df, folder, sha256=corpus_sha256(df, path, folder), **options)
    return Store(df, None, **options)
