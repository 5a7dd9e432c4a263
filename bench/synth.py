"""Deterministic synthetic news corpus for benchmarks.

`write_corpus(root, n, seed=0)` writes n articles in the scraped .txt format (sub-folders of at
most 1000 files); `synthetic_frame(n, seed=0)` returns the same articles directly in the corpus
schema, exactly as `newslens ingest` would read them back from `write_corpus`.

Articles: lognormal length (median ~500 words, clipped to 100-2000), 10 outlets, dates over
2024 in varied formats, ~40% bylines, ~5% reprints of an earlier article by another outlet,
prose about NATO, Russia, Ukraine and their leaders with abbreviations (U.S., Sept., Gen.),
quotes, and positive and negative wording.

>>> df = synthetic_frame(3)
>>> len(df), df["text"].str.count("\\n\\n").ge(1).all()
(3, np.True_)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from newslens.corpus import COLUMNS
from newslens.ingest import article_id

FILES_PER_FOLDER = 1000
OUTLETS = ("Baltic Ledger", "Northern Courier", "Danube Daily", "Steppe Observer", "Atlantic Wire",
           "Caspian Herald", "Vistula Times", "Meridian Post", "Harbor Gazette", "Times Tengri")  # fmt: skip
HOSTS = {o: o.lower().replace(" ", "") + ".example" for o in OUTLETS}
_ACTORS = ("Putin", "Stoltenberg", "Zelensky", "Biden", "Scholz", "Macron", "Starmer", "Lavrov",
           "Blinken", "Peskov", "Gen. Syrskyi", "Mr. Rutte", "Dr. Kallas", "NATO", "the Kremlin",
           "Ukraine", "Russia", "the U.S.", "the EU", "Washington", "Moscow", "Kyiv", "Britain",
           "France", "Germany", "China", "Iran", "North Korea", "the Pentagon", "the U.K.")  # fmt: skip
_SPEAKERS = ("Stoltenberg", "Putin", "Zelensky", "Peskov", "Blinken", "Lavrov", "a NATO official",
             "a senior U.S. official", "Gen. Cavoli", "Mr. Scholz", "a Kremlin spokesman")  # fmt: skip
_POSITIVE = ("welcomed", "praised", "supported", "backed", "celebrated", "strengthened",
             "reassured", "encouraged", "thanked", "hailed")  # fmt: skip
_NEGATIVE = ("condemned", "warned", "threatened", "rejected", "criticized", "attacked",
             "denounced", "accused", "feared", "dismissed")  # fmt: skip
_NEUTRAL = ("discussed", "reviewed", "described", "noted", "examined", "mentioned", "addressed",
            "considered", "outlined", "reported")  # fmt: skip
_OBJECTS = ("long-range strikes deep inside Russia", "the use of Western weapons",
            "Putin's red lines", "the ATACMS missiles", "British Storm Shadow missiles",
            "a nuclear escalation", "the peace talks", "new sanctions on Moscow",
            "military aid to Kyiv", "the NATO summit", "air defence systems", "the front line",
            "the grain corridor", "a ceasefire proposal", "the energy crisis",
            "drone attacks on civilian infrastructure", "the UN General Assembly",
            "the security guarantees", "the defence budget", "the alliance's unity")  # fmt: skip
_ADJECTIVES_POS = ("strong", "successful", "hopeful", "constructive", "historic", "decisive",
                   "effective", "brave", "reliable", "peaceful")  # fmt: skip
_ADJECTIVES_NEG = ("dangerous", "reckless", "catastrophic", "illegal", "brutal", "weak",
                   "irresponsible", "deadly", "hostile", "failed")  # fmt: skip
_TIMES = ("on Thursday", "on Monday", "late on Sunday", "on Sept. 12", "in early Oct.",
          "last week", "this month", "on Aug. 6", "after the summit", "in Jan.")  # fmt: skip
_PLACES = ("in Brussels", "in Washington", "in Moscow", "in Kyiv", "at the U.N.", "in London",
           "in Berlin", "in Paris", "in New York", "near Kharkiv")  # fmt: skip
_TITLES = ("{a} {v} {o}", "{a} says {o} cross a red line", "Why {o} matter for {b}",
           "{a} and {b} clash over {o}", "{a} {v} {b} as debate over {o} grows",
           "Analysis: {o} and the risk of escalation")  # fmt: skip
_MONTH_ABBR = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
               "Nov.", "Dec.")  # fmt: skip
_FIRST = ("Anna", "Mark", "Olena", "James", "Sofia", "Ivan", "Laura", "Peter", "Aigerim", "Tom")
_LAST = ("Novak", "Smith", "Kovalenko", "Brown", "Petrova", "Jensen", "Duarte", "Weber", "Sato",
         "Ahmetova")  # fmt: skip
_POOL_SIZE = 20_000


def _sentence_pool(rng: np.random.Generator) -> list[str]:
    """Varied news sentences (statements, evaluations and quotes)."""

    def pick(options: tuple[str, ...]) -> str:
        return options[int(rng.integers(len(options)))]

    pool = []
    for i in range(_POOL_SIZE):
        kind = i % 5
        a, b, o = pick(_ACTORS), pick(_ACTORS), pick(_OBJECTS)
        if kind == 0:
            s = f"{a} {pick(_POSITIVE)} {o} {pick(_TIMES)}, calling it a {pick(_ADJECTIVES_POS)} step."
        elif kind == 1:
            s = f"{a} {pick(_NEGATIVE)} {o} {pick(_PLACES)}, describing it as {pick(_ADJECTIVES_NEG)}."
        elif kind == 2:
            s = f"{a} {pick(_NEUTRAL)} {o} with {b} {pick(_TIMES)}."
        elif kind == 3:
            adjective = pick(_ADJECTIVES_POS + _ADJECTIVES_NEG)
            s = f"\u201cThis is a {adjective} moment for {b},\u201d {pick(_SPEAKERS)} said {pick(_PLACES)}."
        else:
            s = (f"According to officials {pick(_PLACES)}, {a} has {pick(_NEGATIVE + _POSITIVE)} "
                 f"{o}, while {b} {pick(_NEUTRAL)} the {pick(_ADJECTIVES_NEG + _ADJECTIVES_POS)} "
                 "consequences.")  # fmt: skip
        pool.append(s[0].upper() + s[1:])
    return pool


def _date_text(day: dt.date, style: int) -> str:
    if style == 0:
        return day.strftime("%b %d, %Y").replace(" 0", " ")
    if style == 1:
        return f"{day.day} {day.strftime('%B %Y')}"
    if style == 2:
        return day.isoformat()
    return f"{_MONTH_ABBR[day.month - 1]} {day.day}, {day.year}"


def _articles(n: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    pool = _sentence_pool(rng)
    per_sentence = sum(s.count(" ") + 1 for s in pool) / len(pool)
    words = np.clip(rng.lognormal(np.log(500), 0.6, n), 100, 2000).astype(int)
    outlets = rng.integers(len(OUTLETS), size=n)
    days = rng.integers(366, size=n)
    styles = rng.integers(4, size=n)
    bylines = rng.random(n) < 0.4
    reprint = rng.random(n) < 0.05
    boiler = rng.integers(3, size=n)
    out: list[dict] = []
    reprinted: set[int] = set()
    for i in range(n):
        source = int(rng.integers(i)) if reprint[i] and i > 0 else -1
        if source >= 0 and (source in reprinted or out[source]["reprinted_from"]):
            source = -1
        if source >= 0:
            reprinted.add(source)
            src = out[source]
            others = [k for k in range(len(OUTLETS)) if OUTLETS[k] != src["outlet"]]
            outlet = OUTLETS[others[int(rng.integers(len(others)))]]
            art = dict(src, outlet=outlet, reprinted_from=f"https://{HOSTS[src['outlet']]}/",
                       author=None)  # fmt: skip
        else:
            n_sent = max(4, round(words[i] / per_sentence))
            picks = rng.integers(_POOL_SIZE, size=n_sent)
            cuts = np.cumsum(rng.integers(2, 6, size=n_sent))
            paragraphs, start = [], 0
            for cut in cuts:
                if start >= n_sent:
                    break
                paragraphs.append(" ".join(pool[k] for k in picks[start:cut]))
                start = int(cut)
            actors = rng.integers(len(_ACTORS), size=2)
            title = _TITLES[i % len(_TITLES)].format(
                a=_ACTORS[actors[0]], b=_ACTORS[actors[1]], o=_OBJECTS[i % len(_OBJECTS)],
                v=(_POSITIVE + _NEGATIVE)[i % 20],
            )
            author = (f"{_FIRST[int(rng.integers(10))]} {_LAST[int(rng.integers(10))]}"
                      if bylines[i] else None)  # fmt: skip
            art = {"title": title[0].upper() + title[1:], "paragraphs": paragraphs,
                   "outlet": OUTLETS[outlets[i]], "author": author, "reprinted_from": None,
                   "day": dt.date(2024, 1, 1) + dt.timedelta(days=int(days[i]))}  # fmt: skip
        n_words = sum(p.count(" ") + 1 for p in art["paragraphs"])
        art.update(rel=f"{i // FILES_PER_FOLDER:04d}/{i:07d}.txt", style=int(styles[i]),
                   boiler=int(boiler[i]), reading_time=max(1, round(n_words / 230)))  # fmt: skip
        out.append(art)
    return out


def render(art: dict) -> str:
    """One article in the scraped .txt format."""
    lines = [art["title"], f"- {art['outlet']}", f"- {_date_text(art['day'], art['style'])}",
             f"- {art['reading_time']} min read"]  # fmt: skip
    if art["author"]:
        lines.append(f"- By {art['author']}")
    lines.extend(art["paragraphs"])
    if art["reprinted_from"]:
        lines.append(f"Reprinted from {art['reprinted_from']}")
    lines.extend(("", "", "Comments") if art["boiler"] == 1 else ("Share",) if art["boiler"] == 2 else ())
    return "\n".join(lines) + "\n"


def write_corpus(root: Path, n: int, *, seed: int = 0) -> None:
    """Write n synthetic articles below `root` (`NNNN/NNNNNNN.txt`, ≤1000 files per folder)."""
    root = Path(root)
    for i, art in enumerate(_articles(n, seed)):
        path = root / art["rel"]
        if i % FILES_PER_FOLDER == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(art), encoding="utf-8")


def synthetic_frame(n: int, *, seed: int = 0) -> pd.DataFrame:
    """The articles of `write_corpus(root, n, seed=seed)` in the corpus schema (sorted by source_path)."""
    rows = []
    for art in _articles(n, seed):
        text = "\n\n".join(art["paragraphs"])
        rows.append({
            "id": article_id(art["outlet"], art["title"], text), "title": art["title"], "text": text,
            "outlet": art["outlet"], "published": pd.Timestamp(art["day"]), "author": art["author"],
            "url": None, "reprinted_from": art["reprinted_from"], "reading_time": art["reading_time"],
            "extra": "{}", "source_path": art["rel"], "record": 1, "reader": "txt",
        })  # fmt: skip
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    return df.astype({"published": "datetime64[us]", "reading_time": "Int64", "record": "Int64",
                      "author": "str", "url": "str", "reprinted_from": "str"})  # fmt: skip


_WIRE_PREFIXES = ("(Reuters) - ", "(AP) \u2014 ", "PARIS (AFP) - ", "WASHINGTON (Reuters) - ",
                  "KYIV (AP) \u2014 ", "MOSCOW (Reuters) - ")  # fmt: skip
_SWAP_WORDS = ("also", "reportedly", "officials", "Tuesday", "again", "further", "major", "new",
               "several", "senior", "latest", "local", "still", "recently", "widely", "sharply")  # fmt: skip


def _plug(outlet: str) -> str:
    return f"Subscribe to the {outlet} newsletter for the day's most important stories."


def syndicated_frame(n: int, *, copies: float = 0.05, seed: int = 0) -> pd.DataFrame:
    """`n` articles: `synthetic_frame` articles plus a share `copies` of edited syndicated copies.

    The first ``n - round(copies * n)`` rows are exactly ``synthetic_frame(n - round(copies * n),
    seed=seed)`` (with its ~5% verbatim reprints); each injected copy takes a random original and is
    edited the way syndication edits: one paragraph trimmed from the lede or the tail (when the
    original has three or more), a new headline, a wire prefix ("(Reuters) - "), the copying
    outlet's newsletter line at the end, ~2% of words replaced, another outlet, 0-3 days later.
    Extra columns: `story` (the same number for every copy of one original) and `edited` (True
    for the injected copies), the ground truth for pair recall and precision.

    >>> df = syndicated_frame(40, copies=0.1)
    >>> int(df["edited"].sum()), df.loc[df["edited"], "story"].isin(df.loc[~df["edited"], "story"]).all()
    (4, np.True_)
    """
    n_copies = round(copies * n)
    base = synthetic_frame(n - n_copies, seed=seed)
    story = base.groupby("text", sort=False).ngroup()  # verbatim reprints share their original's text
    originals = np.flatnonzero(base["reprinted_from"].isna().to_numpy())
    rng = np.random.default_rng([seed, 11])
    rows = []
    for k in range(n_copies):
        src = base.iloc[int(originals[rng.integers(len(originals))])]
        paragraphs = src["text"].split("\n\n")
        if len(paragraphs) >= 3:
            paragraphs = paragraphs[1:] if rng.random() < 0.5 else paragraphs[:-1]
        words = " \n\n ".join(paragraphs).split(" ")
        swap = np.flatnonzero(rng.random(len(words)) < 0.02)
        for i in swap:
            if words[i] != "\n\n":
                words[i] = _SWAP_WORDS[int(rng.integers(len(_SWAP_WORDS)))]
        others = [o for o in OUTLETS if o != src["outlet"]]
        outlet = others[int(rng.integers(len(others)))]
        prefix = _WIRE_PREFIXES[int(rng.integers(len(_WIRE_PREFIXES)))]
        text = prefix + " ".join(words).replace(" \n\n ", "\n\n") + "\n\n" + _plug(outlet)
        actors = rng.integers(len(_ACTORS), size=2)
        title = _TITLES[(k + 1) % len(_TITLES)].format(
            a=_ACTORS[actors[0]], b=_ACTORS[actors[1]], o=_OBJECTS[int(rng.integers(len(_OBJECTS)))],
            v=(_POSITIVE + _NEGATIVE)[int(rng.integers(20))],
        )
        title = title[0].upper() + title[1:]
        rows.append({column: None for column in base.columns} | {
            "id": article_id(outlet, title, text), "title": title, "text": text, "outlet": outlet,
            "published": src["published"] + pd.Timedelta(days=int(rng.integers(4))), "author": None,
            "url": None, "reprinted_from": None, "reading_time": max(1, round(len(words) / 230)),
            "extra": "{}", "source_path": f"copies/{k:07d}.txt", "record": 1, "reader": "txt",
            "story": int(story.iloc[int(src.name)]), "edited": True,
        })  # fmt: skip
    out = base.assign(story=story.to_numpy(), edited=False)
    if rows:
        out = pd.concat([out, pd.DataFrame(rows).astype(out.dtypes.to_dict())], ignore_index=True)
    return out
