"""Keywords: document-term matrices, frequency and tf-idf, keyness, log-odds, collocations, KWIC.

Group sizes and the default pair of a two-group comparison are in :mod:`~newslens.keywords.groups`,
key terms per calendar period in :mod:`~newslens.keywords.periods`.

>>> import pandas as pd
>>> from newslens import keywords
>>> df = pd.DataFrame({"id": ["1", "2", "3", "4"], "outlet": ["A", "A", "B", "B"], "title": "",
...     "published": pd.to_datetime(["2024-09-02"] * 4),
...     "text": ["Strikes cross the red line", "More strikes", "Peace talks", "Talks resume"]})
>>> keywords.keyness(df, by="outlet", only_significant=False)[["group", "term"]].values.tolist()
[['A', 'strikes'], ['B', 'talks']]
>>> keywords.kwic(df, "strike*")["match"].tolist()
['Strikes', 'strikes']
"""

from newslens.keywords.collocations import collocations
from newslens.keywords.dtm import DTM, build_dtm, group, top_terms
from newslens.keywords.groups import default_pair, group_sizes
from newslens.keywords.keyness import keyness, keyness_dtm, keyness_stats
from newslens.keywords.kwic import kwic
from newslens.keywords.logodds import log_odds, log_odds_dirichlet, prior_from_counts
from newslens.keywords.periods import period_keyness, period_summary
from newslens.keywords.trends import term_frequency, term_hits

__all__ = [
    "DTM",
    "build_dtm",
    "collocations",
    "default_pair",
    "group",
    "group_sizes",
    "keyness",
    "keyness_dtm",
    "keyness_stats",
    "kwic",
    "log_odds",
    "log_odds_dirichlet",
    "period_keyness",
    "period_summary",
    "prior_from_counts",
    "term_frequency",
    "term_hits",
    "top_terms",
]
