"""Word shingles of many texts at once, line by line, as sorted sets of 32-bit hashes; boilerplate lines.

A text is normalised to *shingle words*: lower case, every run of characters that are not letters,
digits or combining marks a separator (so ``long-range`` is two words and ``U.S.`` is ``u s``),
and every Chinese (Han) or Japanese kana character a word of its own, since those scripts write no
spaces. A k-shingle is k consecutive words of one line (paragraph); each distinct shingle of a text
is hashed to 32 bits (seeded, the same on every machine). Each line also gets a 64-bit key from its
words, so a line repeated across articles ("Subscribe to our newsletter.") can be recognised and
dropped. Texts are read with Arrow's vectorised string kernels in chunks: no per-article Python loop.

>>> words(["Putin's long-range U.S. missiles", "中国外交部说"])
[['putin', 's', 'long', 'range', 'u', 's', 'missiles'], ['中', '国', '外', '交', '部', '说']]
>>> shingled = line_shingles(["a b c d", "a b c\\nd e", "x"], k=2)
>>> shingled.sets()[0].sizes().tolist()
[3, 3, 0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["LineShingles", "ShingleSets", "boilerplate_lines", "line_shingles", "mix64", "words"]

# After lower-casing: Han/kana characters get spaces around them, other non-ASCII characters that are
# not letters, digits or marks become spaces (ASCII is mapped byte by byte with _ASCII).
_SEPARATE = r"([\p{Han}\p{Hiragana}\p{Katakana}])|[^\x00-\x7f\p{L}\p{N}\p{M}]"
_ASCII = np.array([b if chr(b).isalnum() or b >= 128 else 32 for b in range(256)], dtype=np.uint8)
_CHUNK = 1024  # texts per vectorised batch (bounds the temporary arrays)
_BLOCK = 8192  # sets per batch when fingerprinting
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                dtype=np.uint64)  # fmt: skip
_LOW32 = np.uint64(0xFFFFFFFF)


def mix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser of uint64 values: every input bit affects every output bit.

    >>> int(mix64(np.array([1], dtype=np.uint64))[0]) != int(mix64(np.array([2], dtype=np.uint64))[0])
    True
    """
    x = x ^ (x >> np.uint64(33))
    x = x * np.uint64(0xFF51AFD7ED558CCD)
    x = x ^ (x >> np.uint64(33))
    x = x * np.uint64(0xC4CEB9FE1A85EC53)
    return x ^ (x >> np.uint64(33))


def _normalise(texts: pa.Array) -> pa.LargeStringArray:
    """Lower case, with words separated by (runs of) ASCII spaces and no other whitespace left."""
    texts = pc.fill_null(texts, "")
    if not pa.types.is_large_string(texts.type):
        texts = pc.cast(texts, pa.large_string())
    lowered = pc.utf8_lower(texts)
    validity, offsets, data = lowered.buffers()
    if data is not None and data.size:
        mapped = pa.py_buffer(_ASCII[np.frombuffer(data, dtype=np.uint8)])
        lowered = pa.LargeStringArray.from_buffers(len(lowered), offsets, mapped, validity, lowered.null_count,
                                                   lowered.offset)  # fmt: skip
    return pc.replace_substring_regex(lowered, _SEPARATE, r" \1 ")


def words(texts: Sequence[str | None]) -> list[list[str]]:
    """The shingle words of each text (missing text: no words)."""
    lists = pc.split_pattern(_normalise(pa.array(list(texts), type=pa.large_string())), " ")
    return [[w for w in ws if w] for ws in lists.to_pylist()]


@dataclass(frozen=True)
class ShingleSets:
    """Distinct shingle hashes of n texts: text i's sorted set is ``values[offsets[i]:offsets[i + 1]]``."""

    values: np.ndarray  # uint32
    offsets: np.ndarray  # int64, length n + 1

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)

    def get(self, i: int) -> np.ndarray:
        return self.values[self.offsets[i] : self.offsets[i + 1]]

    def fingerprints(self) -> np.ndarray:
        """A 64-bit fingerprint of each set (equal sets, equal fingerprints)."""
        sums = np.zeros(len(self), dtype=np.uint64)
        for start in range(0, len(self), _BLOCK):  # blocks of sets bound the temporary arrays
            offsets = self.offsets[start : start + _BLOCK + 1]
            mixed = mix64(self.values[offsets[0] : offsets[-1]].astype(np.uint64) + _MIX[0])
            nonempty = np.flatnonzero(np.diff(offsets) > 0)
            if len(nonempty):
                sums[start + nonempty] = np.add.reduceat(mixed, offsets[nonempty] - offsets[0])
        return mix64(sums ^ self.sizes().astype(np.uint64))

    def owner(self) -> np.ndarray:
        """The set index of every value."""
        return np.repeat(np.arange(len(self)), self.sizes())

    def take(self, rows: np.ndarray) -> ShingleSets:
        """The sets of the given text indices, in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        sizes = self.sizes()[rows]
        first = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        index = np.repeat(self.offsets[rows] - first, sizes) + np.arange(int(sizes.sum()))
        return ShingleSets(self.values[index], np.concatenate(([0], np.cumsum(sizes))).astype(np.int64))


@dataclass(frozen=True)
class LineShingles:
    """Every shingle occurrence of n texts with the line it is in, held in chunks of consecutive texts.

    Each chunk is ``(first_text, texts, line_doc, line_key, values, value_line)``: for each line
    with at least one word its text index and a hash of its words, for each shingle occurrence its
    32-bit hash and line (indices within the chunk).
    """

    n: int
    chunks: tuple[tuple[int, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray], ...]

    def lines(self) -> tuple[np.ndarray, np.ndarray]:
        """(text index, key) of every line with words, in text order."""
        docs = [first + line_doc for first, _, line_doc, *_ in self.chunks]
        keys = [line_key for *_, line_key, _, _ in self.chunks]
        return (np.concatenate([np.zeros(0, dtype=np.int64), *docs]),
                np.concatenate([np.zeros(0, dtype=np.uint64), *keys]))  # fmt: skip

    def text_keys(self) -> np.ndarray:
        """A 64-bit key of each text's sequence of lines (equal normalised texts, equal keys; 0: no words)."""
        line_doc, line_key = self.lines()
        keys = np.zeros(self.n, dtype=np.uint64)
        if len(line_doc):
            starts = np.flatnonzero(np.r_[True, line_doc[1:] != line_doc[:-1]])
            position = np.arange(len(line_doc)) - np.repeat(starts, np.diff(np.r_[starts, len(line_doc)]))
            mixed = mix64(line_key + position.astype(np.uint64) * _MIX[3])
            keys[line_doc[starts]] = mix64(np.add.reduceat(mixed, starts) + _MIX[4])
        return keys

    def sets(self, drop: np.ndarray | None = None) -> tuple[ShingleSets, np.ndarray]:
        """Each text's sorted set of distinct shingles, leaving out the lines whose key is in sorted
        `drop`, and the number of distinct shingles each text had before that."""
        raw = np.zeros(self.n, dtype=np.int64)
        kept = np.zeros(self.n, dtype=np.int64)
        parts = [np.zeros(0, dtype=np.uint32)]
        for first, count, line_doc, line_key, values, value_line in self.chunks:
            dropped = np.zeros(len(values), dtype=np.uint64)
            if drop is not None and len(drop):
                dropped = _member(line_key, drop)[value_line].astype(np.uint64)
            # text | value | dropped: once sorted, each (text, value) group starts with an
            # occurrence outside the dropped lines if it has one.
            keyed = np.sort((line_doc[value_line].astype(np.uint64) << np.uint64(33))
                            | (values.astype(np.uint64) << np.uint64(1)) | dropped)  # fmt: skip
            lead = np.ones(len(keyed), dtype=bool)
            lead[1:] = (keyed[1:] >> np.uint64(1)) != (keyed[:-1] >> np.uint64(1))
            keyed = keyed[lead]
            raw[first : first + count] = np.bincount((keyed >> np.uint64(33)).astype(np.int64), minlength=count)
            keyed = keyed[(keyed & np.uint64(1)) == 0]
            kept[first : first + count] = np.bincount((keyed >> np.uint64(33)).astype(np.int64), minlength=count)
            parts.append(((keyed >> np.uint64(1)) & _LOW32).astype(np.uint32))
        offsets = np.concatenate(([0], np.cumsum(kept))).astype(np.int64)
        return ShingleSets(np.concatenate(parts), offsets), raw


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """values ∈ sorted_set, element-wise."""
    if len(sorted_set) == 0:
        return np.zeros(len(values), dtype=bool)
    pos = np.searchsorted(sorted_set, values)
    pos[pos == len(sorted_set)] = 0
    return sorted_set[pos] == values


def _chunk(texts: pa.Array, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(line_doc, line_key, values, value_line) of one chunk, indices local to the chunk."""
    lines = pc.split_pattern(pc.fill_null(texts, ""), "\n")
    line_doc = pc.list_parent_indices(lines).to_numpy().astype(np.int64)
    # (split_pattern on the one separator left: utf8_split_whitespace of Arrow 26 can read past the
    # end of its input and then misses a final space)
    word_lists = pc.split_pattern(_normalise(pc.list_flatten(lines)), " ")
    flat = pc.list_flatten(word_lists)
    word_line = pc.list_parent_indices(word_lists).to_numpy().astype(np.int64)
    nonempty = pc.not_equal(flat, "")
    flat, word_line = flat.filter(nonempty), word_line[nonempty.to_numpy(zero_copy_only=False)]
    line_len = np.bincount(word_line, minlength=len(line_doc)).astype(np.int64)
    worded = line_len > 0
    line_len, line_doc = line_len[worded], line_doc[worded]  # lines with words only
    if len(flat) == 0:
        return (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint32),
                np.zeros(0, dtype=np.int32))  # fmt: skip
    encoded = pc.dictionary_encode(flat)
    vocabulary = encoded.dictionary.to_numpy(zero_copy_only=False).astype(object)
    hashes = pd.util.hash_array(vocabulary, categorize=False)[encoded.indices.to_numpy()]
    line_start = np.concatenate(([0], np.cumsum(line_len)[:-1]))
    position = np.arange(len(hashes)) - np.repeat(line_start, line_len)
    line_key = mix64(np.add.reduceat(mix64(hashes + position.astype(np.uint64) * _MIX[1]), line_start) + _MIX[2])
    counts = np.maximum(line_len - k + 1, 0)
    total = int(counts.sum())
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    pos = np.repeat(line_start - first, counts) + np.arange(total)
    acc = np.full(total, mix64(np.array([seed], dtype=np.uint64))[0], dtype=np.uint64)
    for i in range(k):
        acc += hashes[pos + i] * _MIX[i % len(_MIX)] + np.uint64(i)
    values = (mix64(acc) >> np.uint64(32)).astype(np.uint32)
    return line_doc, line_key, values, np.repeat(np.arange(len(line_len), dtype=np.int32), counts)


def line_shingles(texts: Sequence[str | None] | pa.Array | pa.ChunkedArray, *, k: int, seed: int = 0,
                  progress: Callable[[int], object] | None = None) -> LineShingles:  # fmt: skip
    """The k-shingles of `texts`, line by line (a line of fewer than k words has none).

    `progress`, if given, is called with the number of texts done after each chunk.

    >>> a, b = line_shingles(["The red line was crossed.", "the RED line, was crossed"], k=3).sets()[0].fingerprints()
    >>> bool(a == b)
    True
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"shingle size must be a positive integer, got {k!r}")
    if not isinstance(texts, (pa.Array, pa.ChunkedArray)):
        texts = pa.array(texts, type=pa.large_string())
    chunks = []
    for start in range(0, len(texts), _CHUNK):
        chunk = texts.slice(start, _CHUNK)
        if isinstance(chunk, pa.ChunkedArray):
            chunk = chunk.combine_chunks()
        chunks.append((start, len(chunk), *_chunk(chunk, k, seed)))
        if progress is not None:
            progress(len(chunk))
    pa.default_memory_pool().release_unused()  # the tokenising buffers, kept by the allocator otherwise
    return LineShingles(len(texts), tuple(chunks))


def boilerplate_lines(shingled: LineShingles, articles: np.ndarray, outlets: np.ndarray, *, share: float,
                      min_articles: int) -> np.ndarray:  # fmt: skip
    """Sorted keys of the lines that are boilerplate in some outlet.

    `articles` lists the texts that count (one per distinct article, so a verbatim repeat counts
    once) and `outlets` holds an outlet code for every text. A line is boilerplate when it occurs in
    at least `min_articles` of one outlet's counted articles and in at least `share` of them: site
    furniture ("Subscribe to our newsletter"), bylines and recurring background paragraphs, which are
    no evidence that one article copies another.

    >>> s = line_shingles(["a b\\nsubscribe now", "c d\\nSubscribe now!", "e f\\nsubscribe now", "g h"], k=2)
    >>> len(boilerplate_lines(s, np.arange(4), np.zeros(4, dtype=int), share=0.5, min_articles=3))
    1
    """
    outlets = np.asarray(outlets, dtype=np.int64)
    counted = np.zeros(shingled.n, dtype=bool)
    counted[np.asarray(articles, dtype=np.int64)] = True
    per_outlet = np.bincount(outlets[counted], minlength=int(outlets.max(initial=0)) + 1)
    needed = np.maximum(min_articles, np.ceil(share * per_outlet)).astype(np.int64)
    line_doc, line_key = shingled.lines()
    use = counted[line_doc]
    found = pd.DataFrame({"doc": line_doc[use], "key": line_key[use]}).drop_duplicates()
    found["outlet"] = outlets[found["doc"].to_numpy()]
    counts = found.groupby(["outlet", "key"], sort=False).size()
    outlet_of = counts.index.get_level_values("outlet").to_numpy()
    frequent = counts.to_numpy() >= needed[outlet_of]
    return np.unique(counts.index.get_level_values("key").to_numpy()[frequent].astype(np.uint64))
