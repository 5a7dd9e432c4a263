"""Speakers: who a phrase like "a Kremlin spokesman" or "Foreign Minister Sergei Lavrov" names.

:func:`describe` reads each speaker phrase (the words naming the speaker, plus an optional
apposition such as "the Kremlin spokesman" in "Dmitry Peskov, the Kremlin spokesman") with the
actors dictionary and the word lists of ``data/speakers_en.yml``:

* ``actor``: a person of the dictionary named in the phrase (titles and first names do not
  matter: "President Putin", "Mr. Putin"), else a country or organisation it names ("a
  Kremlin spokesman" -> Russia; a possessive owner rolls up to its group: "Putin's spokesman"
  -> Russia), else missing;
* ``role``: from the phrase's words, else from the dictionary (``speaker_role``), as the YAML
  file documents;
* ``kind``: ``person``, ``organisation``, ``group`` (plural descriptions: "officials"),
  ``pronoun`` (he, she, they, it), ``nominal`` ("the minister": a definite description that
  refers back to a named speaker) or ``other``; ``named`` tells whether the phrase carries a
  name (a dictionary person, or a capitalised word that is no title, role word or alias).

>>> [(s.actor, s.role, s.kind, s.named) for s in describe([("a Kremlin spokesman", ""), ("he", "")])]
[('Russia', 'spokesperson', 'person', False), (None, None, 'pronoun', False)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd
import yaml

from newslens import actors as actors_module
from newslens import dictionary
from newslens.text import STOPWORDS, TITLES, tokens

__all__ = ["Speaker", "describe", "PRONOUNS", "ROLE_WORDS"]

PRONOUNS: frozenset[str] = frozenset({"he", "she", "they", "it"})
"""Pronoun speakers resolved to an earlier named speaker."""

_FIRST_PERSON = frozenset({"i", "we", "you"})
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these",
                          "those", "some", "several", "many", "two", "three", "four", "other", "another",
                          "one", "most", "few", "both", "senior", "top", "former"})  # fmt: skip
_DEFINITE = frozenset({"the", "his", "her", "its", "their", "this", "that"})
_CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april "
                      "may june july august september october november december jan feb mar apr jun jul aug "
                      "sep sept oct nov dec today yesterday tonight".split())  # fmt: skip
_GENERIC = frozenset("people others critics opponents many some most all everyone nobody someone anyone "
                     "both each either neither".split())  # fmt: skip


@dataclass(frozen=True)
class Speaker:
    """What a speaker phrase says about its speaker (see the module docstring)."""

    actor: str | None
    role: str | None
    kind: str
    named: bool
    gender: str | None  # "f", "m" or None, from titles (Mrs., Mr.) and words (spokeswoman)
    nouns: frozenset[str]  # role and title words of the phrase, for "the minister" -> Lavrov


@dataclass(frozen=True)
class _Lexicon:
    roles: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]  # role -> entries, in file order
    organisations: tuple[tuple[str, ...], ...]
    institutions: tuple[tuple[str, ...], ...]
    person_nouns: frozenset[str]
    female: frozenset[str]
    male: frozenset[str]
    words: frozenset[str]  # every single word of the lists: never a name


@cache
def _lexicon() -> _Lexicon:
    raw = yaml.safe_load(resources.files("newslens").joinpath("data", "speakers_en.yml").read_text("utf-8"))

    def entries(words) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(tokens(str(w))) for w in words if tokens(str(w)))

    roles = tuple((str(role), entries(words)) for role, words in raw["roles"].items())
    organisations = entries(raw["organisations"])
    institutions = entries(raw["expert_institutions"])
    every = {w for _, es in roles for e in es for w in e} | {w for e in organisations + institutions for w in e}
    every |= {w for e in entries(raw["title_words"]) for w in e}
    person = frozenset(str(w).lower() for w in raw["person_nouns"])
    female = frozenset(str(w).lower() for w in raw["female_titles"])
    male = frozenset(str(w).lower() for w in raw["male_titles"])
    return _Lexicon(roles, organisations, institutions, person, female, male,
                    frozenset(every | person | female | male))  # fmt: skip


ROLE_WORDS: frozenset[str] = _lexicon().words
"""Every word of ``data/speakers_en.yml`` (role words, organisations, titles): never a name."""


@cache
def _role_index() -> dict[str, list[tuple[tuple[str, ...], int]]]:
    """First word -> (entry, role number) of every role entry."""
    index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for number, (_, entries) in enumerate(_lexicon().roles):
        for entry in entries:
            index.setdefault(entry[0], []).append((entry, number))
    return index


def _phrase_roles(lower: Sequence[str]) -> list[str]:
    """Roles whose words occur in the phrase, in the order of the YAML file."""
    index = _role_index()
    found: set[int] = set()
    for i, word in enumerate(lower):
        for entry, number in index.get(word, ()):
            if tuple(lower[i : i + len(entry)]) == entry:
                found.add(number)
    roles = _lexicon().roles
    return [roles[number][0] for number in sorted(found)]


_PREPOSITIONS = frozenset({"of", "at", "in", "from", "for", "with", "to", "on"})


def _before_preposition(lower: list[str]) -> list[str]:
    """The words of a phrase before its first preposition, where its head noun is."""
    for i, word in enumerate(lower):
        if i and word in _PREPOSITIONS:
            return lower[:i]
    return lower


def _contains(lower: Sequence[str], entry: tuple[str, ...]) -> bool:
    n = len(entry)
    return any(tuple(lower[i : i + n]) == entry for i in range(len(lower) - n + 1))


def _is_plural(lower: Sequence[str]) -> bool:
    last = lower[-1] if lower else ""
    return last.endswith("s") and not last.endswith(("ss", "'s")) or last in {"people", "police", "spokespeople"}


def _describe_one(head: str, appos: str, hits: dict[int, list[tuple[str, int, int, str]]],
                  types: dict[str, str], groups: dict[str, str], roles: dict[str, str]) -> Speaker:
    lex = _lexicon()
    toks = tokens(head, lower=False)
    lower = [t.lower() for t in toks]
    app_lower = tokens(appos)
    if len(lower) == 1 and lower[0] in PRONOUNS:
        return Speaker(None, None, "pronoun", False, {"he": "m", "she": "f"}.get(lower[0]), frozenset())
    if len(lower) == 1 and lower[0] in _FIRST_PERSON:
        return Speaker(None, None, "other", False, None, frozenset())
    head_hits = hits.get(0, [])
    app_hits = hits.get(1, [])
    covered = {i for _, start, end, _ in head_hits for i in range(start, end)}

    def owner(match: str, end: int, size: int) -> bool:  # "Putin's spokesman": Putin owns, not speaks
        return match.endswith(("'s", "s'")) and end < size

    person = next((a for a, s, e, m in head_hits if types.get(a) == "person" and not owner(m, e, len(toks))), None)
    if person is None:
        person = next((a for a, s, e, m in app_hits if types.get(a) == "person" and not owner(m, e, len(app_lower))),
                      None)  # fmt: skip
    place = next((groups[a] if types.get(a) == "person" else a for a, s, e, m in head_hits if a != person), None)
    if place is None:
        place = next((groups[a] if types.get(a) == "person" else a for a, s, e, m in app_hits), None)
    name_words = [
        i for i, t in enumerate(toks)
        if t[:1].isupper() and i not in covered and lower[i] not in lex.words and lower[i] not in STOPWORDS
        and lower[i] not in TITLES and lower[i] not in _CALENDAR and lower[i] not in _GENERIC
        and not (i == 0 and lower[i] in _DETERMINERS)
    ]  # fmt: skip
    named = person is not None or bool(name_words)
    words = lower + app_lower
    found = _phrase_roles(lower) + _phrase_roles(app_lower)
    nouns = frozenset(w for w in words if w in lex.person_nouns or w in TITLES)
    definite = bool(lower) and lower[0] in _DEFINITE and not _is_plural(lower)
    noun = _before_preposition(lower)  # "a professor at Kyiv University": the professor
    org = any(tuple(noun[len(noun) - len(e) :]) == e for e in lex.organisations)
    actor = person if person is not None else place
    if person is not None:
        kind = "person"
    elif named:
        kind = "organisation" if org else "person"
    elif org or (actor is not None and not found):
        kind = "organisation"
    elif _is_plural(lower):
        kind = "group"
    elif definite and (nouns or "official" in found or "spokesperson" in found):
        kind = "nominal"
    elif found:
        kind = "person"
    else:
        kind = "other"
    if "spokesperson" in found:
        role = "spokesperson"
    elif "unnamed" in found:
        role = "unnamed"
    elif "official" in found and not named and kind != "nominal":
        role = "unnamed"
    elif found:
        role = found[0]
    elif any(_contains(words, e) for e in lex.institutions):
        role = "expert"  # "Gennady Lapin of the Institute for Eurasian Stability"
    elif actor is not None and (person is not None or not named):
        role = roles.get(actor, "official")
    elif kind == "organisation":
        role = "official"
    else:
        role = None
    if person is None and role not in (None, "official", "spokesperson", "unnamed") and kind != "organisation":
        actor = None  # "a historian in Kyiv" does not speak for Ukraine; "a Kremlin spokesman" speaks for Russia
    if person is None and named and role is None and kind == "person":
        actor = None  # a name the dictionary does not know
    gender = None
    if any(w in lex.female for w in lower) or any(w.endswith("woman") for w in words):
        gender = "f"
    elif any(w in lex.male for w in lower):
        gender = "m"
    return Speaker(actor, role, kind, named, gender, nouns)


def describe(phrases: Sequence[tuple[str, str]], actors: dictionary.Dictionary | None = None) -> list[Speaker]:
    """A :class:`Speaker` for each ``(phrase, apposition)`` pair (apposition may be ``""``).

    >>> s = describe([("Foreign Minister Sergei Lavrov", ""), ("John Smith", "a historian")])
    >>> [(x.actor, x.role, x.named) for x in s]
    [('Lavrov', 'official', True), (None, 'expert', True)]
    """
    actors_dict = actors_module.default_actors() if actors is None else actors
    unique = list(dict.fromkeys(phrases))
    if not unique:
        return []
    docs = pd.DataFrame(
        {
            "row": [k for k in range(len(unique)) for _ in (0, 1)],
            "part": [0, 1] * len(unique),
            "text": [part for pair in unique for part in pair],
        }
    )
    found = actors_module.alias_hits(docs, actors_dict, id_cols=("row", "part"), text_col="text", where="describe")
    per: dict[int, dict[int, list[tuple[str, int, int, str]]]] = {}
    for row, part, cat, match, start, end in zip(
        found["row"], found["part"], found["category"], found["match"], found["start"], found["end"], strict=True
    ):
        per.setdefault(int(row), {}).setdefault(int(part), []).append((cat, int(start), int(end), match))
    types = {a: str(actors_dict.meta[a].get("type") or "") for a in actors_dict.categories}
    groups = actors_module.groups(actors_dict)
    roles = actors_module.speaker_roles(actors_dict)
    by_phrase = {
        pair: _describe_one(pair[0], pair[1], per.get(k, {}), types, groups, roles) for k, pair in enumerate(unique)
    }
    return [by_phrase[pair] for pair in phrases]
