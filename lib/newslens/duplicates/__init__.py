"""Syndication: near-duplicate clusters of articles, their canonical copies and wire cues.

:func:`clusters` finds the articles that are (edited) copies of one another — MinHash and LSH
over word shingles, verified on the exact shingle sets, checked for chaining — and names the
earliest copy of each cluster canonical (:mod:`~newslens.duplicates.clusters` explains the method).
:mod:`~newslens.duplicates.tables` turns the result into report tables: per-cluster summary,
copy shares per outlet, who copies whom, the most-copied sources and the canonical subset.
:mod:`~newslens.duplicates.cache` finds the clusters once per corpus table (kept in
``build/derived/``); :mod:`~newslens.duplicates.selection` restricts them to a selection and
applies an analysis's ``duplicates`` choice (keep, or canonical: one article per cluster).

>>> import pandas as pd
>>> story = " ".join(f"word{i}" for i in range(60))
>>> df = pd.DataFrame({"id": ["a", "b"], "outlet": ["X", "Y"], "title": "", "text": [story, story],
...     "published": pd.to_datetime(["2024-09-02", "2024-09-01"])})
>>> clusters(df)[["id", "cluster", "canonical"]].values.tolist()
[['b', 'b', True], ['a', 'b', False]]
"""

from newslens.duplicates.cache import cached, for_corpus
from newslens.duplicates.clusters import COLUMNS, CUES, clusters, cue
from newslens.duplicates.selection import choice, copy_ids, describe, show, within
from newslens.duplicates.tables import canonical_ids, copy_matrix, copy_shares, method_note, sources, summary

__all__ = ["COLUMNS", "CUES", "cached", "canonical_ids", "choice", "clusters", "copy_ids", "copy_matrix",
           "copy_shares", "cue", "describe", "for_corpus", "method_note", "show", "sources", "summary", "within"]
