"""MinHash signatures of shingle sets and LSH banding for candidate pairs, in numpy.

Signatures use one-permutation hashing (Li, Owen & Zhang 2012) with optimal densification
(Shrivastava 2017): a shingle's 32-bit hash picks one of `bins` bins with its top bits and competes
for that bin's minimum with the rest; a bin no shingle fell into borrows the value of the first
non-empty bin on a seeded probe sequence that is the same for every text. As with `bins`
independent hash functions, two sets agree on a bin with probability equal to their Jaccard
similarity, but hashing costs one operation per shingle instead of `bins`. Because each set is
stored sorted by hash, each bin's minimum is simply its first value.

LSH splits the signature into `bands` bands of `rows` bins; texts whose values agree on a whole
band become a candidate pair. A pair of Jaccard similarity J is found with probability
``1 - (1 - J**rows)**bands``.

>>> from newslens.duplicates.shingles import line_shingles
>>> text = " ".join(f"w{i}" for i in range(60))
>>> sets = line_shingles([text, text.replace("w30", "x"), "something else entirely here"], k=3).sets()[0]
>>> candidate_pairs(signatures(sets, [0, 1, 2]), bands=32, rows=4).tolist()
[[0, 1]]
>>> round(detection_probability(0.8, bands=32, rows=4), 4)
1.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newslens.duplicates.shingles import ShingleSets, mix64

__all__ = ["candidate_pairs", "detection_probability", "signatures"]

_EMPTY = np.uint32(0xFFFFFFFF)
_MAX_BUCKET = 200  # larger LSH buckets pair every member with the bucket's first member only
_BLOCK = 4096  # sets per signature batch


def signatures(sets: ShingleSets, rows: Sequence[int] | np.ndarray, *, bins: int = 128, seed: int = 0) -> np.ndarray:
    """A (len(rows), bins) uint32 MinHash signature of each selected set (rows: set indices).

    Every selected set must be non-empty. `bins` must be a power of two from 2 to 2**16.
    """
    rows = np.asarray(rows, dtype=np.int64)
    shift = int(bins).bit_length() - 1
    if bins < 2 or bins != 1 << shift or bins > 1 << 16:
        raise ValueError(f"bins must be a power of two between 2 and 65536, got {bins!r}")
    if (sets.sizes()[rows] == 0).any():
        raise ValueError("every set needs at least one shingle for a signature")
    sig = np.full((len(rows), bins), _EMPTY, dtype=np.uint32)
    low_bits = np.uint32((1 << (32 - shift)) - 1)
    for start in range(0, len(rows), _BLOCK):
        block = sets.take(rows[start : start + _BLOCK])
        # Each set is sorted, hence sorted by bin (the top bits): a bin's minimum is its first value.
        key = block.owner() * bins + (block.values >> np.uint32(32 - shift)).astype(np.int64)
        lead = np.ones(len(key), dtype=bool)
        lead[1:] = key[1:] != key[:-1]
        part = sig[start : start + _BLOCK]
        part.reshape(-1)[key[lead]] = block.values[lead] & low_bits
        _densify(part, bins, seed)
    return sig


def _densify(sig: np.ndarray, bins: int, seed: int) -> None:
    """Fill each empty bin from the first non-empty bin on its probe sequence (in place)."""
    doc, empty_bin = np.nonzero(sig == _EMPTY)
    borrowed = np.full(len(doc), _EMPTY, dtype=np.uint32)
    todo = np.arange(len(doc))
    attempt = 0
    while len(todo):
        salt = np.array([attempt], dtype=np.uint64) * np.uint64(0xBF58476D1CE4E5B9) + np.uint64(seed)
        probe = mix64(empty_bin[todo].astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + salt)
        source = (probe % np.uint64(bins)).astype(np.int64)
        value = sig[doc[todo], source]
        found = value != _EMPTY
        borrowed[todo[found]] = value[found]
        todo = todo[~found]
        attempt += 1
    sig[doc, empty_bin] = borrowed


def detection_probability(jaccard: float, *, bands: int, rows: int) -> float:
    """The probability that LSH makes a pair of this Jaccard similarity a candidate."""
    return 1.0 - (1.0 - jaccard**rows) ** bands


def candidate_pairs(sig: np.ndarray, *, bands: int, rows: int) -> np.ndarray:
    """Sorted unique (i, j), i < j, of signature rows that agree on at least one band."""
    n, bins = sig.shape
    if bands * rows > bins:
        raise ValueError(f"{bands} bands of {rows} rows need {bands * rows} bins, the signature has {bins}")
    found = [np.zeros((0, 2), dtype=np.int64)]
    for band in range(bands):
        block = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.full(n, np.uint64(band), dtype=np.uint64)
        for r in range(rows):
            key = mix64(key * np.uint64(0x9E3779B97F4A7C15) + block[:, r])
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        breaks = np.flatnonzero(sorted_key[1:] != sorted_key[:-1]) + 1
        bounds = np.concatenate(([0], breaks, [n]))
        sizes = np.diff(bounds)
        pairs_of_two = bounds[:-1][sizes == 2]
        found.append(np.column_stack((order[pairs_of_two], order[pairs_of_two + 1])))
        for start, size in zip(bounds[:-1][sizes > 2], sizes[sizes > 2]):
            members = order[start : start + size]
            if size > _MAX_BUCKET:
                found.append(np.column_stack((np.full(size - 1, members[0]), members[1:])))
            else:
                i, j = np.triu_indices(size, k=1)
                found.append(np.column_stack((members[i], members[j])))
    pairs = np.sort(np.concatenate(found), axis=1)
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.column_stack((codes // n, codes % n)) if n else pairs
