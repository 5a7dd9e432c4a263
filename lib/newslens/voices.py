"""Who is mentioned and who is quoted, per outlet: the tables of report 40-actors.

Inputs are the corpus table, :func:`newslens.actors.mentions` (one row per sentence and actor)
and :func:`newslens.quotes.extract` (one row per attribution). Every function is pure and returns
a tidy DataFrame in a fixed order; every share carries its n and an interval:

* :func:`mention_shares`: the share of an outlet's (or a period's) articles that mention each
  actor, with a Wilson interval (:mod:`newslens.aggregate`);
* :func:`label_quotes`, :func:`voice_shares`, :func:`dominant_voices`: who is quoted, as a share of
  quotes or of quoted words by actor or by role, with a percentile-bootstrap interval that
  resamples articles (:mod:`newslens.bootstrap`; one seeded stream per outlet);
* :func:`most_quoted`, :func:`other_side`: how often each outlet quotes each side of an actor pair;
* :func:`speech_tone`, :func:`speech_tone_by_outlet`: VADER tone of quoted speech against the
  outlet's own voice;
* :func:`actor_counts`, :func:`cooccurrence`: actors mentioned in the same sentence, as nodes and an edge list;
* :func:`example_quotes`: quotes to read, per actor and outlet.

A quote's **voice** is its speaker's actor (leaders rolled up to their country or organisation
with ``rollup=True``), or, for speakers outside the actors dictionary, one of
:data:`UNNAMED` (``"a senior official"``, ``"sources said"``), :data:`OTHER` (a named speaker
the dictionary does not know) and :data:`NO_SPEAKER`.

>>> arts = pd.DataFrame({"id": ["a", "b"], "outlet": ["X", "X"],
...                      "text": ["“We will respond,” Putin said.", "A senior official said it was calm."]})
>>> q = label_quotes(quotes.extract(arts), arts)
>>> q[["id", "voice", "role", "words"]].values.tolist()
[['a', 'Russia', 'official', 3], ['b', '(unnamed source)', 'unnamed', 3]]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from newslens import actors as actors_module
from newslens import dictionary, quotes
from newslens.aggregate import Period, group_mean, mean_interval, period_start
from newslens.bootstrap import MIN_UNITS, group_rng, sum_interval
from newslens.choices import check_choice
from newslens.sentiment import vader
from newslens.target_tone import straighten
from newslens.text import TOKEN_RE, sentence_spans
from newslens.text import sentences as _sentences

__all__ = ["UNNAMED", "OTHER", "NO_SPEAKER", "mention_shares", "label_quotes", "voice_shares", "unnamed_share",
           "dominant_voices",
           "most_quoted", "other_side", "quote_words", "speech_tone", "speech_tone_by_outlet", "actor_counts",
           "cooccurrence", "example_quotes"]  # fmt: skip

UNNAMED = "(unnamed source)"
"""The voice of a quote whose speaker has role ``unnamed`` ("a senior official", "sources said")."""
OTHER = "(named, not in dictionary)"
"""The voice of a quote whose named speaker is not in the actors dictionary."""
NO_SPEAKER = "(no speaker)"
"""The voice of a quote without a speaker."""

_WORD = re.compile(r"[^\W_]")
_SPACE = re.compile(r"\s+")
_KEYS = ("id", "part", "sentence_no")


def _need(df: pd.DataFrame, cols: Sequence[str], where: str, name: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise KeyError(f"{where}: {name} lacks column(s) {missing} (columns: {list(df.columns)})")


def quote_words(quote: pd.Series) -> pd.Series:
    """Words per quote: its :func:`newslens.text.tokens` (each has a letter or digit); 0 when missing.

    >>> quote_words(pd.Series(["The U.S. will not back down", None])).tolist()
    [6, 0]
    """
    return quote.astype("str").fillna("").str.count(TOKEN_RE.pattern).astype("int64")


def mention_shares(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    by: Sequence[str] = ("outlet",),
    period: Period = "week",
    top: int | None = None,
    ci: float = 0.95,
    min_n: int = 5,
) -> pd.DataFrame:
    """Share of articles that mention each actor, per group, with n and a Wilson interval.

    ``by`` names columns of ``articles``; ``"period"`` is the ``period`` containing ``published``
    (undated articles are left out and counted in ``result.attrs["undated"]``). ``top`` keeps the
    actors mentioned in the most articles (ties by name). Returns ``[actor, *by, n, mean, ci_low,
    ci_high, reliable, mentions]`` sorted by actor and ``by``: ``n`` articles in the group, ``mean``
    the share of them mentioning the actor, ``mentions`` the mentions counted there.

    >>> arts = pd.DataFrame({"id": ["a", "b", "c"], "outlet": ["X", "X", "Y"]})
    >>> ments = pd.DataFrame({"id": ["a", "a", "c"], "actor": ["NATO", "NATO", "NATO"], "n": [1, 2, 1]})
    >>> mention_shares(arts, ments, min_n=1)[["actor", "outlet", "n", "mean", "mentions"]].values.tolist()
    [['NATO', 'X', 2, 0.5, 3], ['NATO', 'Y', 1, 1.0, 1]]
    """
    by = list(by)
    _need(mentions, ["id", "actor", "n"], "mention_shares", "mentions")
    _need(articles, ["id", *[c for c in by if c != "period"], *(["published"] if "period" in by else [])],
          "mention_shares", "articles")  # fmt: skip
    base = articles[["id", *[c for c in by if c != "period"]]].copy()
    undated = 0
    if "period" in by:
        base["period"] = period_start(articles["published"], period)
        undated = int(base["period"].isna().sum())
        base = base[base["period"].notna()]
    per_article = mentions.groupby(["id", "actor"], sort=True)["n"].sum()
    reach = per_article.reset_index().groupby("actor")["id"].nunique()
    ranked = sorted(reach.items(), key=lambda item: (-item[1], item[0]))
    chosen = sorted(a for a, _ in (ranked if top is None else ranked[:top]))
    grid = base.merge(pd.DataFrame({"actor": pd.Series(chosen, dtype="str")}), how="cross")
    counts = per_article.rename("mentions").reset_index()
    grid = grid.merge(counts, on=["id", "actor"], how="left")
    grid["mentions"] = grid["mentions"].fillna(0).astype("int64")
    grid["mentioned"] = (grid["mentions"] > 0).astype("float64")
    out = group_mean(grid, "mentioned", ["actor", *by], interval="wilson", ci=ci, min_n=min_n)
    totals = grid.groupby(["actor", *by], sort=True, dropna=False)["mentions"].sum().reset_index()
    out = out.merge(totals, on=["actor", *by], how="left", validate="one_to_one")
    out.attrs.update(ci=ci, interval="wilson", undated=undated)
    return out


def label_quotes(
    quotes_df: pd.DataFrame,
    articles: pd.DataFrame,
    actors: dictionary.Dictionary | str | Path | None = None,
    *,
    rollup: bool = True,
) -> pd.DataFrame:
    """The rows of :func:`newslens.quotes.extract` with ``outlet``, ``published``, ``voice`` and ``words``.

    ``voice`` is the speaker's actor (with ``rollup`` its group: Putin -> Russia) or
    :data:`UNNAMED`, :data:`OTHER`, :data:`NO_SPEAKER`; ``role`` NA becomes ``"(unknown)"``;
    ``words`` counts the words of the quote. Quotes of articles not in ``articles`` are dropped.
    Rows keep the order of ``quotes_df`` (id, start).
    """
    _need(quotes_df, ["id", "quote", "speaker", "speaker_actor", "role"], "label_quotes", "quotes_df")
    _need(articles, ["id", "outlet"], "label_quotes", "articles")
    names = actors_module.groups(actors_module.as_actors(actors)) if rollup else {}
    carry = articles[["id", *[c for c in ("outlet", "published", "title") if c in articles.columns]]]
    out = quotes_df.merge(carry, on="id", how="inner", validate="many_to_one")
    voice = out["speaker_actor"]
    if rollup:  # each distinct actor looked up once
        codes, distinct = pd.factorize(voice)
        voice = pd.Series(np.array([names.get(a, a) for a in distinct] + [None], dtype=object)[codes], index=out.index)
    fallback = np.where(out["role"].eq("unnamed").fillna(False), UNNAMED,
                        np.where(out["speaker"].notna(), OTHER, NO_SPEAKER))  # fmt: skip
    out["voice"] = voice.where(voice.notna(), pd.Series(fallback, index=out.index)).astype("str")
    out["role"] = out["role"].fillna("(unknown)").astype("str")
    out["words"] = out.pop("words") if "words" in out.columns else quote_words(out["quote"])  # cached by derived
    return out.reset_index(drop=True)


def _ratio(sums: np.ndarray) -> np.ndarray:
    """Per resample (rows of summed weights per voice): each voice's share of the total (NaN when 0)."""
    total = sums.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, sums / np.where(total > 0, total, 1), np.nan)


def _article_tables(labelled: pd.DataFrame, articles: pd.DataFrame, col: str, weights: np.ndarray,
                    names: Sequence[str] | None = None):
    """Per outlet of ``articles`` (sorted): ``(outlet, n_articles, n_quotes, names, table)``.

    ``table`` holds the summed ``weights`` of the outlet's quotes per article (rows: its articles
    sorted by id, with or without quotes) and value of ``col`` (columns: ``names``, or else the
    values its quotes have, sorted); ``n_quotes`` counts the outlet's rows of ``labelled``.
    """
    arts = articles[["outlet", "id"]].dropna(subset=["outlet"]).drop_duplicates()
    arts = arts.sort_values(["outlet", "id"], kind="mergesort", ignore_index=True)
    outlets, starts = np.unique(arts["outlet"].to_numpy(dtype=object), return_index=True)
    ends = np.append(starts[1:], len(arts))
    row = pd.MultiIndex.from_frame(arts).get_indexer(pd.MultiIndex.from_frame(labelled[["outlet", "id"]]))
    group = pd.Categorical(labelled["outlet"], categories=outlets).codes
    if names is None:
        value_codes, values = pd.factorize(labelled[col], sort=True)
    else:
        values, value_codes = pd.Index(names), pd.Categorical(labelled[col], categories=names).codes
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(len(outlets) + 1) - 0.5)
    for k, outlet in enumerate(outlets):
        mine = order[bounds[k] : bounds[k + 1]]
        own = np.unique(value_codes[mine]) if names is None else np.arange(len(values))
        own = own[own >= 0]
        mine = mine[(row[mine] >= 0) & (value_codes[mine] >= 0)]
        n, m = ends[k] - starts[k], len(own)
        cells = (row[mine] - starts[k]) * m + np.searchsorted(own, value_codes[mine])
        table = np.bincount(cells, weights=weights[mine], minlength=n * m).reshape(n, m)
        yield outlet, n, bounds[k + 1] - bounds[k], [values[c] for c in own], table


def voice_shares(
    labelled: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str = "voice",
    weight: str = "quotes",
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
    min_n: int = 5,
) -> pd.DataFrame:
    """Each voice's share of an outlet's quotes (or quoted words), with a bootstrap interval.

    ``labelled`` is :func:`label_quotes` output; ``by`` is ``"voice"`` or ``"role"``; ``weight``
    is ``"quotes"`` (each quote counts 1) or ``"words"`` (its word count). The interval is the
    percentile bootstrap over the outlet's articles (all of them, with or without quotes, drawn
    with replacement ``n_boot`` times; the stream is :func:`newslens.bootstrap.group_rng` of
    ``seed`` and the outlet). Returns ``[outlet, by, n_articles, n_quotes, total, count, share,
    ci_low, ci_high, reliable]``: ``n_quotes`` the outlet's quotes, ``total`` its summed weight,
    ``count`` the voice's, ``reliable`` whether the outlet has ``min_n`` articles and quotes. Sorted by outlet,
    then share (largest first), then name; voices an outlet never quotes are not listed.

    >>> arts = pd.DataFrame({"id": ["a", "b"], "outlet": ["X", "X"]})
    >>> lab = pd.DataFrame({"id": ["a", "a", "b"], "outlet": ["X"] * 3, "voice": ["US", "US", "Russia"],
    ...                     "words": [2, 2, 6]})
    >>> voice_shares(lab, arts, weight="words", min_n=1)[["voice", "count", "share"]].values.tolist()
    [['Russia', 6, 0.6], ['US', 4, 0.4]]
    """
    check_choice("by", by, ("voice", "role"))
    check_choice("weight", weight, ("quotes", "words"))
    _need(labelled, ["id", "outlet", by, *(["words"] if weight == "words" else [])], "voice_shares", "labelled")
    _need(articles, ["id", "outlet"], "voice_shares", "articles")
    rows = []
    weights = np.ones(len(labelled)) if weight == "quotes" else labelled["words"].to_numpy(dtype="float64")
    for outlet, n_articles, n_quotes, names, data in _article_tables(labelled, articles, by, weights):
        if not names:
            continue
        sums = data.sum(axis=0)
        low, high = sum_interval(_ratio, data, n_boot=n_boot, ci=ci, rng=group_rng(seed, outlet))
        low, high = np.atleast_1d(low), np.atleast_1d(high)
        for k, name in enumerate(names):
            rows.append({"outlet": outlet, by: name, "n_articles": n_articles, "n_quotes": n_quotes,
                         "total": sums.sum(), "count": sums[k], "share": sums[k] / sums.sum() if sums.sum() else np.nan,
                         "ci_low": low[k], "ci_high": high[k],
                         "reliable": min(n_articles, n_quotes) >= min_n})  # fmt: skip
    cols = ["outlet", by, "n_articles", "n_quotes", "total", "count", "share", "ci_low", "ci_high", "reliable"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.astype({"outlet": "str", by: "str", "n_articles": "int64", "n_quotes": "int64", "total": "int64",
                      "count": "int64", "share": "float64", "ci_low": "float64", "ci_high": "float64",
                      "reliable": "bool"})  # fmt: skip
    out = out.sort_values(["outlet", "share", by], ascending=[True, False, True], kind="mergesort")
    out = out.reset_index(drop=True)
    out.attrs.update(ci=ci, interval="percentile")
    return out


def unnamed_share(by_role: pd.DataFrame, by_role_words: pd.DataFrame) -> pd.DataFrame:
    """The share of unnamed sources per outlet, of quotes and of quoted words, side by side.

    ``by_role`` and ``by_role_words`` are :func:`voice_shares` output with ``by="role"`` and
    ``weight="quotes"`` / ``"words"``. Returns ``[outlet, n_articles, n_quotes, quotes, quote_share,
    quote_low, quote_high, words, word_share, word_low, word_high]``; an outlet with quotes but
    none unnamed has share 0 (and, from two articles on, a 0–0 interval: no resample of its articles
    holds one).

    >>> q = pd.DataFrame({"outlet": ["X", "X", "Y"], "role": ["unnamed", "official", "official"],
    ...                   "n_articles": [2, 2, 1], "n_quotes": [4, 4, 1], "count": [1, 3, 1], "share": [0.25, 0.75, 1.0],
    ...                   "ci_low": [0.0, 0.5, 1.0], "ci_high": [0.5, 1.0, 1.0]})
    >>> unnamed_share(q, q)[["outlet", "quotes", "quote_share"]].values.tolist()
    [['X', 1, 0.25], ['Y', 0, 0.0]]
    """
    parts = []
    for table, name in ((by_role, "quote"), (by_role_words, "word")):
        _need(table, ["outlet", "role", "n_articles", "n_quotes", "count", "share", "ci_low", "ci_high"],
              "unnamed_share", "by_role")  # fmt: skip
        outlets = table.drop_duplicates("outlet")[["outlet", "n_articles", "n_quotes"]].set_index("outlet")
        rows = table[table["role"] == "unnamed"].set_index("outlet")
        part = pd.DataFrame({f"{name}s": rows["count"], f"{name}_share": rows["share"], f"{name}_low": rows["ci_low"],
                             f"{name}_high": rows["ci_high"]}).reindex(outlets.index)  # fmt: skip
        none = part[f"{name}s"].isna()
        part.loc[none, [f"{name}s", f"{name}_share"]] = 0
        part.loc[none & (outlets["n_articles"] >= MIN_UNITS), [f"{name}_low", f"{name}_high"]] = 0.0
        parts.append(outlets.join(part) if not parts else part)
    out = parts[0].join(parts[1]).reset_index()
    out = out.astype({"quotes": "int64", "words": "int64"}).sort_values("outlet", kind="mergesort")
    out.attrs.update(ci=by_role.attrs.get("ci"), interval="percentile")
    return out.reset_index(drop=True)


def dominant_voices(shares: pd.DataFrame, *, by: str = "voice", top: int = 5) -> pd.DataFrame:
    """The ``top`` voices of each outlet side by side: one row per rank, one column per outlet.

    ``shares`` is :func:`voice_shares` output; each cell reads ``"Russia 40% [22–61%], 12"``
    (share, interval, count; "(no interval)" below two articles). Outlets with fewer voices leave the lower ranks empty.

    >>> s = pd.DataFrame({"outlet": ["X", "X", "Y"], "voice": ["US", "EU", "US"], "count": [3, 1, 2],
    ...                   "share": [0.75, 0.25, 1.0], "ci_low": [0.5, 0.0, 1.0], "ci_high": [1.0, 0.5, 1.0]})
    >>> dominant_voices(s, top=2).values.tolist()
    [[1, 'US 75% [50–100%], 3', 'US 100% [100–100%], 2'], [2, 'EU 25% [0–50%], 1', '']]
    """
    _need(shares, ["outlet", by, "count", "share", "ci_low", "ci_high"], "dominant_voices", "shares")

    def cell(name: str, share: float, low: float, high: float, count: int) -> str:
        interval = " (no interval)" if pd.isna(low) else f" [{100 * low:.0f}–{100 * high:.0f}%]"
        return f"{name} {100 * share:.0f}%{interval}, {int(count)}"

    columns: dict[str, list[str]] = {}
    for outlet, rows in shares.groupby("outlet", sort=True):
        rows = rows.sort_values(["share", by], ascending=[False, True], kind="mergesort").head(top)
        values = zip(rows[by], rows["share"], rows["ci_low"], rows["ci_high"], rows["count"], strict=True)
        columns[str(outlet)] = [cell(*row) for row in values]
    out = pd.DataFrame({"rank": pd.Series(range(1, top + 1), dtype="int64")})
    for outlet, cells in columns.items():
        out[outlet] = pd.Series(cells + [""] * (top - len(cells)), dtype="str")
    depth = max((len(c) for c in columns.values()), default=0)
    return out.head(depth)


def most_quoted(
    labelled: pd.DataFrame,
    actors: dictionary.Dictionary | str | Path | None = None,
    *,
    kind: str = "country",
    n: int = 2,
) -> list[str]:
    """The ``n`` voices of actors of ``type`` ``kind`` with the most quotes (ties by name).

    Reads ``type`` from the actors dictionary (``country``, ``organisation``, ``person``). When
    fewer than ``n`` such actors are quoted, the list is filled with unquoted ones in dictionary
    order, so a small selection still gets a pair (quoted zero times).

    >>> most_quoted(pd.DataFrame({"voice": ["US", "NATO", "NATO", "Russia", "Russia"]}))
    ['Russia', 'US']
    >>> most_quoted(pd.DataFrame({"voice": ["US"]}))
    ['US', 'Russia']
    """
    actors_dict = actors_module.as_actors(actors)
    kinds = {a: str(m.get("type") or "") for a, m in actors_dict.meta.items()}
    voices = labelled["voice"].astype("str")
    counts = voices[voices.map(kinds).eq(kind).fillna(False)].value_counts()
    ranked = [voice for voice, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    ranked += [a for a in actors_dict.categories if kinds[a] == kind and a not in ranked]
    return ranked[:n]


def other_side(
    labelled: pd.DataFrame,
    articles: pd.DataFrame,
    pair: Sequence[str],
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
    min_n: int = 5,
) -> pd.DataFrame:
    """How often each outlet quotes each side of ``pair``.

    Returns ``[outlet, side, n_articles, articles_quoting, article_share, article_low,
    article_high, pair_quotes, quotes, quote_share, quote_low, quote_high, reliable]``, one row per
    outlet and side (sides in ``pair`` order): the share of the outlet's articles that quote the
    side at least once (Wilson interval), and the side's share of the outlet's quotes of either
    side (percentile bootstrap over its articles, seeded per outlet). ``reliable``: at least
    ``min_n`` articles and ``min_n`` quotes of the pair.

    >>> arts = pd.DataFrame({"id": ["a", "b", "c"], "outlet": ["X"] * 3})
    >>> lab = pd.DataFrame({"id": ["a", "a", "b"], "outlet": ["X"] * 3, "voice": ["US", "Russia", "US"]})
    >>> other_side(lab, arts, ["US", "Russia"], min_n=1)[["side", "articles_quoting", "quotes"]].values.tolist()
    [['US', 2, 2], ['Russia', 1, 1]]
    """
    pair = list(pair)
    if len(pair) != 2 or pair[0] == pair[1]:
        raise ValueError(f"other_side: pair must name two different voices, got {pair!r}")
    _need(labelled, ["id", "outlet", "voice"], "other_side", "labelled")
    _need(articles, ["id", "outlet"], "other_side", "articles")
    rows = []
    sides = labelled.loc[labelled["voice"].isin(pair), ["id", "outlet", "voice"]]
    for outlet, n_articles, _, _, data in _article_tables(sides, articles, "voice", np.ones(len(sides)), pair):
        low, high = sum_interval(_ratio, data, n_boot=n_boot, ci=ci, rng=group_rng(seed, outlet))
        for k, side in enumerate(pair):
            quoting = (data[:, k] > 0).astype("float64")
            a_low, a_high = mean_interval(quoting, interval="wilson", ci=ci)
            total = data.sum()
            rows.append({"outlet": outlet, "side": side, "n_articles": n_articles,
                         "articles_quoting": int(quoting.sum()), "article_share": quoting.mean(),
                         "article_low": a_low, "article_high": a_high, "pair_quotes": int(total),
                         "quotes": int(data[:, k].sum()), "quote_share": data[:, k].sum() / total if total else np.nan,
                         "quote_low": low[k], "quote_high": high[k],
                         "reliable": min(n_articles, total) >= min_n})  # fmt: skip
    out = pd.DataFrame(rows)
    out.attrs.update(ci=ci, interval="percentile")
    return out


def _outside(text: str, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def speech_tone(articles: pd.DataFrame, quotes_df: pd.DataFrame, *, punkt=None,
                sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per article, the VADER tone of its quoted speech and of its own voice.

    Quoted speech is every pair of quotation marks (:func:`newslens.quotes.quote_spans`) that
    overlaps a ``direct`` or ``mixed`` attribution of ``quotes_df``, so scare quotes (so-called
    “red lines”) stay the outlet's words, and so does reported speech without quotation marks.
    Each quoted span is split into sentences; the **own voice** is what is left of each sentence of
    the body ``text`` once those spans are taken out ("“No,” Lavrov said." leaves "Lavrov said.").
    Quotation marks are straightened first (curly marks hide words from VADER) and pieces without
    a letter or digit are dropped. ``quoted_tone`` and ``own_tone`` are the mean VADER compound of
    the pieces (NaN when there are none). Returns
    ``[id, outlet, published, quoted_tone, quoted_sentences, quoted_chars, own_tone,
    own_sentences, own_chars]`` sorted by id (``outlet``, ``published`` when ``articles`` has them).
    ``sentences`` optionally gives the body sentences already split and scored (the sentence table
    of :mod:`newslens.derived`): ``[id, start, end, compound]`` with offsets into ``text``. Their
    spans replace splitting, and a sentence that no quoted span touches and that straightening
    leaves as it is keeps its compound (VADER of the same text) instead of being scored again.

    >>> arts = pd.DataFrame({"id": ["a"], "text": ["“It is a disaster,” Lavrov said. Talks went well."]})
    >>> speech_tone(arts, quotes.extract(arts))[["quoted_tone", "own_tone"]].values.round(4).tolist()
    [[-0.6249, 0.1366]]
    """
    _need(articles, ["id", "text"], "speech_tone", "articles")
    _need(quotes_df, ["id", "kind", "start", "end"], "speech_tone", "quotes_df")
    speech = quotes_df[quotes_df["kind"].isin(["direct", "mixed"])]
    attributed = {k: list(zip(g["start"], g["end"], strict=True)) for k, g in speech.groupby("id", sort=False)}
    split = None
    if sentences is not None:
        _need(sentences, ["id", "start", "end", "compound"], "speech_tone", "sentences")
        split = {k: list(zip(g["start"], g["end"], g["compound"], strict=True))
                 for k, g in sentences.groupby("id", sort=False)}  # fmt: skip
    pieces: list[tuple[int, int, str]] = []  # (article row, 0 quoted / 1 own, sentence)
    known: list[float] = []  # the compound of each piece, NaN: to be scored
    chars = np.zeros((len(articles), 2), dtype="int64")
    for row, (doc_id, text) in enumerate(zip(articles["id"], articles["text"], strict=True)):
        text = text if isinstance(text, str) else ""
        spans = [(a, b) for a, b in quotes.quote_spans(text)
                 if any(a < e and s < b for s, e in attributed.get(doc_id, []))]  # fmt: skip
        quoted = [(sent, np.nan) for a, b in spans for sent in _sentences(straighten(text[a:b]), punkt=punkt)]
        own_text = _outside(text, spans)
        own = []
        if split is not None:
            bodies = split.get(doc_id, [])
        else:
            bodies = [(a, b, np.nan) for a, b in sentence_spans(text, punkt=punkt)]
        for a, b, compound in bodies:
            piece = own_text[a:b]
            straight = straighten(piece)
            same = straight == piece and not any(a < e and s < b for s, e in spans)
            own.append((_SPACE.sub(" ", straight).strip(), compound if same else np.nan))
        for which, parts in ((0, quoted), (1, own)):
            for sent, compound in parts:
                if _WORD.search(sent):
                    pieces.append((row, which, sent))
                    known.append(compound)
                    chars[row, which] += len(sent)
    compound = np.array(known, dtype="float64")
    todo = np.flatnonzero(np.isnan(compound))
    compound[todo] = vader([pieces[k][2] for k in todo])["compound"].to_numpy()
    frame = pd.DataFrame({"row": [p[0] for p in pieces], "which": [p[1] for p in pieces], "compound": compound})
    stats = frame.groupby(["row", "which"])["compound"].agg(["mean", "size"])
    out = articles[["id", *[c for c in ("outlet", "published") if c in articles.columns]]].reset_index(drop=True)
    for which, name in ((0, "quoted"), (1, "own")):
        part = stats[stats.index.get_level_values("which") == which].droplevel("which")
        out[f"{name}_tone"] = part["mean"].reindex(range(len(out))).to_numpy(dtype="float64")
        out[f"{name}_sentences"] = part["size"].reindex(range(len(out))).fillna(0).to_numpy(dtype="int64")
        out[f"{name}_chars"] = chars[:, which]
    return out.sort_values("id", kind="mergesort").reset_index(drop=True)


def speech_tone_by_outlet(tones: pd.DataFrame, *, ci: float = 0.95, min_n: int = 5) -> pd.DataFrame:
    """Mean quoted and own-voice tone per outlet, and their paired difference, with Student-t intervals.

    ``tones`` is :func:`speech_tone` output. Returns ``[outlet, voice, n, mean, ci_low, ci_high,
    reliable]`` with ``voice`` ``"quoted"`` (articles with quoted speech), ``"own"`` (articles with
    text outside quotes) and ``"quoted − own"`` (articles with both: the mean of each article's
    difference); ``n`` counts articles.

    >>> t = pd.DataFrame({"outlet": ["X", "X"], "quoted_tone": [-0.5, np.nan], "own_tone": [0.1, 0.3]})
    >>> speech_tone_by_outlet(t, min_n=1)[["voice", "n", "mean"]].values.tolist()
    [['quoted', 1, -0.5], ['own', 2, 0.2], ['quoted − own', 1, -0.6]]
    """
    _need(tones, ["outlet", "quoted_tone", "own_tone"], "speech_tone_by_outlet", "tones")
    voices = ["quoted", "own", "quoted − own"]
    long = pd.concat([
        pd.DataFrame({"outlet": tones["outlet"], "voice": voices[0], "tone": tones["quoted_tone"]}),
        pd.DataFrame({"outlet": tones["outlet"], "voice": voices[1], "tone": tones["own_tone"]}),
        pd.DataFrame({"outlet": tones["outlet"], "voice": voices[2], "tone": tones["quoted_tone"] - tones["own_tone"]}),
    ], ignore_index=True)  # fmt: skip
    long["voice"] = pd.Categorical(long["voice"], categories=voices, ordered=True)
    out = group_mean(long, "tone", ["outlet", "voice"], interval="t", ci=ci, min_n=min_n)
    out["voice"] = out["voice"].astype("str")
    return out


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array (a sort: faster than hashing here)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _sentence_actors(mentions: pd.DataFrame, id_cols: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """Each distinct (sentence, actor) of ``mentions`` once, sorted by sentence then actor name.

    Returns ``(sentence, actor, article, names)``: integer codes of the sentence (``id_cols``),
    the actor (its index in the sorted ``names``) and the article (``id_cols[0]``).
    """
    key = np.zeros(len(mentions), dtype=np.int64)
    for col in id_cols:
        codes, uniques = pd.factorize(mentions[col])
        key = key * (len(uniques) + 1) + codes + 1
        if len(uniques) > 2**20:  # keep the combined key far below 2**63
            key = np.unique(key, return_inverse=True)[1].astype(np.int64)
        if col == id_cols[0]:
            article = codes
    actor, names = pd.factorize(mentions["actor"], sort=True)
    pairs, first = np.unique(key * (len(names) + 1) + actor + 1, return_index=True)
    return pairs // (len(names) + 1), actor[first], article[first], list(names)


def actor_counts(mentions: pd.DataFrame, *, id_cols: Sequence[str] = _KEYS) -> pd.DataFrame:
    """Sentences and articles mentioning each actor: ``[actor, sentences, articles]``, most sentences first.

    >>> m = pd.DataFrame({"id": ["a", "a", "b"], "part": ["body"] * 3, "sentence_no": [0, 1, 0],
    ...                   "actor": ["US", "US", "NATO"]})
    >>> actor_counts(m).values.tolist()
    [['US', 2, 1], ['NATO', 1, 1]]
    """
    id_cols = list(id_cols)
    _need(mentions, [*id_cols, "actor"], "actor_counts", "mentions")
    _, actor, article, names = _sentence_actors(mentions, id_cols)
    reach = _distinct(actor.astype(np.int64) * (article.max(initial=0) + 1) + article) // (article.max(initial=0) + 1)
    out = pd.DataFrame({"actor": pd.Series(names, dtype="str"),
                        "sentences": np.bincount(actor, minlength=len(names)).astype("int64"),
                        "articles": np.bincount(reach, minlength=len(names)).astype("int64")})  # fmt: skip
    return out.sort_values(["sentences", "actor"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def cooccurrence(mentions: pd.DataFrame, *, id_cols: Sequence[str] = _KEYS) -> pd.DataFrame:
    """Pairs of actors mentioned in the same sentence: ``[actor_a, actor_b, sentences, articles]``.

    ``mentions`` is :func:`newslens.actors.mentions` output (one row per sentence and actor);
    ``actor_a`` < ``actor_b``; ``sentences`` counts the sentences naming both, ``articles`` the
    articles with such a sentence. Sorted by sentences (most first), then the names.

    >>> m = pd.DataFrame({"id": ["a", "a", "a", "a"], "part": ["body"] * 4, "sentence_no": [0, 0, 0, 1],
    ...                   "actor": ["US", "Russia", "NATO", "US"]})
    >>> cooccurrence(m).values.tolist()
    [['NATO', 'Russia', 1, 1], ['NATO', 'US', 1, 1], ['Russia', 'US', 1, 1]]
    """
    id_cols = list(id_cols)
    _need(mentions, [*id_cols, "actor"], "cooccurrence", "mentions")
    sentence, actor, article, names = _sentence_actors(mentions, id_cols)
    # Rows are sorted by sentence, then actor: row i pairs with each later row of its sentence.
    a, b, where = [], [], []
    for step in range(1, len(sentence)):
        same = np.flatnonzero(sentence[step:] == sentence[:-step])
        if not len(same):
            break
        a.append(actor[same]), b.append(actor[same + step]), where.append(article[same])
    k, n_articles = len(names), article.max(initial=0) + 1
    pair = np.concatenate(a or [np.empty(0, np.int64)]).astype(np.int64) * k + np.concatenate(b or [np.empty(0, np.int64)])
    codes, sentences = np.unique(pair, return_counts=True)
    reach = _distinct(pair * n_articles + np.concatenate(where or [np.empty(0, np.int64)])) // n_articles
    out = pd.DataFrame({"actor_a": pd.Series([names[c // k] for c in codes], dtype="str"),
                        "actor_b": pd.Series([names[c % k] for c in codes], dtype="str"),
                        "sentences": sentences.astype("int64"),
                        "articles": np.unique(reach, return_counts=True)[1].astype("int64")})  # fmt: skip
    out = out.sort_values(["sentences", "actor_a", "actor_b"], ascending=[False, True, True], kind="mergesort")
    return out.reset_index(drop=True)


def _sort_codes(values: pd.Series) -> np.ndarray:
    """Integer codes in the sort order of ``values``, missing values last (as ``sort_values`` puts them)."""
    codes, uniques = pd.factorize(values, sort=True)
    return np.where(codes < 0, len(uniques), codes)


def _ordering(keys: Sequence[np.ndarray]) -> np.ndarray:
    """The stable sort order by integer ``keys``, the first most significant (as ``np.lexsort`` of them reversed).

    Keys whose ranges fit 62 bits together are packed into one integer and sorted once, which is
    several times faster than ``np.lexsort``.

    >>> _ordering([np.array([1, 0, 1]), np.array([5, 9, 2])]).tolist()
    [1, 2, 0]
    """
    spans = [int(k.max()) - int(k.min()) + 1 if len(k) else 1 for k in keys]
    if sum(span.bit_length() for span in spans) > 62:
        return np.lexsort(keys[::-1])
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for key, span in zip(keys, spans, strict=True):
        packed = packed * span + (key - (key.min() if len(key) else 0))
    return np.argsort(packed, kind="stable")


def example_quotes(labelled: pd.DataFrame, *, per: int = 2, max_chars: int = 300) -> pd.DataFrame:
    """Up to ``per`` quotes for each voice and outlet, to read behind the shares.

    Direct quotes first, then the longest (most words), then id and position; quotes longer than
    ``max_chars`` are cut with "…". Voices outside the dictionary (:data:`UNNAMED`, :data:`OTHER`,
    :data:`NO_SPEAKER`) are left out. Returns ``[voice, outlet, published, title, speaker, kind,
    quote]`` (``published``, ``title`` when ``labelled`` has them) sorted by voice and outlet. The
    text is article text: show it through :class:`newslens.report.Outputs`, which escapes it.

    >>> lab = pd.DataFrame({"voice": ["US", "US"], "outlet": ["X", "X"], "id": ["a", "b"], "start": [0, 0],
    ...                     "speaker": ["Biden", "Blinken"], "kind": ["indirect", "direct"],
    ...                     "quote": ["the talks failed", "“No.”"], "words": [3, 1]})
    >>> example_quotes(lab, per=1)[["voice", "speaker", "quote"]].values.tolist()
    [['US', 'Blinken', '“No.”']]
    """
    _need(labelled, ["voice", "outlet", "id", "start", "speaker", "kind", "quote", "words"], "example_quotes",
          "labelled")  # fmt: skip
    known = np.flatnonzero(~labelled["voice"].isin([UNNAMED, OTHER, NO_SPEAKER]).to_numpy())
    keys = labelled[["voice", "outlet", "id", "kind", "words", "start"]].iloc[known]
    voice, outlet, article = (_sort_codes(keys[c]) for c in ("voice", "outlet", "id"))
    indirect = (keys["kind"] != "direct").to_numpy(dtype="int8")
    words, start = keys["words"].to_numpy(dtype="int64"), keys["start"].to_numpy(dtype="int64")
    order = _ordering([voice, outlet, indirect, -words, article, start])
    group = voice[order].astype(np.int64) * (outlet.max(initial=0) + 1) + outlet[order]
    first = np.r_[0, np.flatnonzero(group[1:] != group[:-1]) + 1] if len(group) else np.empty(0, np.int64)
    rank = np.arange(len(group)) - np.repeat(first, np.diff(np.r_[first, len(group)]))
    chosen = labelled.iloc[known[order[rank < per]]]
    cut = chosen["quote"].map(lambda q: q if len(q) <= max_chars else q[: max_chars - 1].rstrip() + "…")
    cols = ["voice", "outlet", *[c for c in ("published", "title") if c in chosen.columns], "speaker", "kind"]
    return chosen[cols].assign(quote=cut.astype("str")).reset_index(drop=True)
