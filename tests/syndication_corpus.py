"""A corpus with planted syndicated copies: who copies whom is known by construction.

Four outlets write six stories each (random sentences from a fixed vocabulary, so no two stories
share a 5-word sequence). Nine copies are planted, edited the way syndication edits them (a wire
prefix, a trimmed lede, changed words, a newsletter line, a new headline), 0–3 days later. Each
article's `url` names it: ``https://planted.example/<outlet>/<story>`` for originals and
``.../<outlet>/copy-of-<source>-<story>`` for copies.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

OUTLETS = ("Wire Service", "Daily Beacon", "Eastern Courier", "Harbour Times")
STORIES = 6
START = pd.Timestamp("2024-09-02")

# (source outlet, story, copying outlet, edit, days later)
PLANTED = (
    ("Wire Service", 0, "Daily Beacon", "reuters", 0),  # same day: the wire cue decides the tie
    ("Wire Service", 0, "Eastern Courier", "trim", 1),
    ("Wire Service", 0, "Harbour Times", "words+newsletter", 2),
    ("Wire Service", 1, "Daily Beacon", "headline", 1),
    ("Wire Service", 1, "Eastern Courier", "reuters", 3),
    ("Wire Service", 2, "Harbour Times", "trim", 1),
    ("Daily Beacon", 0, "Eastern Courier", "headline", 2),
    ("Eastern Courier", 3, "Eastern Courier", "newsletter", 1),  # an outlet repeating its own story
    ("Harbour Times", 0, "Daily Beacon", "words", 1),
)

# Who copies whom, copies per outlet of another outlet's article, and the most-copied sources.
EXPECTED_MATRIX = [
    ("Daily Beacon", "Eastern Courier", 1), ("Eastern Courier", "Eastern Courier", 1),
    ("Harbour Times", "Daily Beacon", 1), ("Wire Service", "Daily Beacon", 2),
    ("Wire Service", "Eastern Courier", 2), ("Wire Service", "Harbour Times", 2),
]  # fmt: skip
EXPECTED_COPIES = {"Daily Beacon": (9, 3), "Eastern Courier": (10, 3), "Harbour Times": (8, 2), "Wire Service": (6, 0)}
EXPECTED_SOURCES = [("Wire Service", 3, 6, 3), ("Daily Beacon", 1, 1, 1), ("Harbour Times", 1, 1, 1)]

WORDS = (
    "army border bridge budget cabinet ceasefire city coalition convoy council court crisis defence delegation "
    "drone economy election embassy energy envoy factory farmers ferry front grain harbour hospital industry "
    "inquiry journalist label ladder market mayor minister missile mountain museum negotiator neighbour "
    "office officer orchard parliament patrol pension pipeline police port president prison railway refugee "
    "region reporter rescue river road satellite school senate shelter shipyard soldier station summit "
    "supply tank tariff teacher tower trade treaty tribunal truck union valley village volunteer warehouse "
    "weather winter worker youth announced approved argued blocked built called cancelled claimed closed "
    "confirmed crossed delayed denied doubled expanded feared hosted increased joined launched moved "
    "opened ordered praised promised raised reduced refused reported rejected restored signed sent "
    "supported suspended visited warned quiet rapid fragile heavy local northern southern eastern western "
    "cold long new old quick slow strong weak early late public secret"
).split()


def _sentence(rng: np.random.Generator) -> str:
    words = rng.choice(WORDS, size=int(rng.integers(10, 15)))
    return " ".join(words).capitalize() + "."


def _story(rng: np.random.Generator) -> tuple[str, str]:
    title = " ".join(rng.choice(WORDS, size=6)).capitalize()
    body = "\n\n".join(" ".join(_sentence(rng) for _ in range(3)) for _ in range(4))
    return title, body


def _edit(title: str, text: str, edit: str, rng: np.random.Generator) -> tuple[str, str]:
    if "reuters" in edit:
        text = "(Reuters) - " + text
    if "trim" in edit:
        text = text.split("\n\n", 1)[1]
    if "words" in edit:
        words = text.split(" ")
        for i in range(7, len(words), 50):
            words[i] = "changed"
        text = " ".join(words)
    if "newsletter" in edit:
        text += "\n\nSign up for our morning newsletter."
    if "headline" in edit:
        title = "New headline: " + " ".join(rng.choice(WORDS, size=4))
    return title, text


def planted_corpus(seed: int = 11) -> pd.DataFrame:
    """The planted corpus as rows of title, text, outlet, published, url, sorted by url."""
    rng = np.random.default_rng(seed)
    rows, originals = [], {}
    for o, outlet in enumerate(OUTLETS):
        for s in range(STORIES):
            title, text = _story(rng)
            published = START + pd.Timedelta(days=3 * s + o % 2, hours=8)
            originals[(outlet, s)] = (title, text, published)
            rows.append((title, text, outlet, published, f"https://planted.example/{outlet}/{s}"))
    for source, s, outlet, edit, days in PLANTED:
        title, text, published = originals[(source, s)]
        title, text = _edit(title, text, edit, rng)
        url = f"https://planted.example/{outlet}/copy-of-{source}-{s}"
        rows.append((title, text, outlet, published + pd.Timedelta(days=days), url))
    df = pd.DataFrame(rows, columns=["title", "text", "outlet", "published", "url"])
    return df.sort_values("url", kind="stable").reset_index(drop=True)


def write_jsonl(df: pd.DataFrame, path: Path) -> Path:
    """Write the rows as a JSON-lines corpus file newslens ingests."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in df.itertuples(index=False):
            record = {"title": row.title, "text": row.text, "outlet": row.outlet, "url": row.url,
                      "published": row.published.strftime("%Y-%m-%dT%H:%M:%S")}  # fmt: skip
            handle.write(json.dumps(record) + "\n")
    return path
