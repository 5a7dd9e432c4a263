"""Publication dates as news sites write them, parsed to a calendar day.

Handles ISO (`2024-09-17`, `2024-09-17T08:30:00Z`), month-name forms (`Sep 17, 2024`,
`Sept. 17, 2024`, `September 17 2024`, `17 September 2024`, `17 Sept. 2024`), an optional
weekday and trailing time (`Tue, 17 Sep 2024 10:45:00 +0000`, `Sep 17, 2024, 10:45 AM`) and
numeric forms (`09/17/2024`, `17.09.2024`). Ambiguous numeric dates with slashes follow
`dayfirst`; dotted numeric dates are day-first. Explicit `formats` (strptime) are tried first.
Month names may also be German, Dutch, French, Spanish, Italian or Danish/Norwegian/Swedish
(`7. September 2011`, `12 mars 2011`, `1 mei 2015`); `parse_dateline` also reads the date lines
of news-database exports, with a weekday in any of those languages (`Mittwoch 31. August 2011`,
`1 mei 2015 vrijdag`, `January 20, 2009 Tuesday 8:27 PM AEST`).

>>> parse_date("Sept. 17, 2024")
datetime.date(2024, 9, 17)
>>> parse_date("03/04/2024", dayfirst=True)
datetime.date(2024, 4, 3)
>>> parse_date("soon") is None
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
FOREIGN_MONTHS = {
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mär": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "mrt": 3, "mei": 5, "augustus": 8,
    # French
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3,
    "avril": 4, "avr": 4, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12, "déc": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    # Italian
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
    # Danish, Norwegian, Swedish
    "marts": 3, "maj": 5, "desember": 12,
}  # fmt: skip
_MONTH_NAMES = {**MONTHS, **FOREIGN_MONTHS}
WEEKDAYS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado", "domingo",
    "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica",
    "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag", "måndag", "tisdag",
    "lördag", "söndag",
})  # fmt: skip

_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+)?"
_TIME = (
    r"(?:(?:,|\s+at|\s*[t ])\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:z|utc|gmt|[a-z]{2,4}|[+-]\d{2}:?\d{2})?(?:\s*[+-]\d{2}:?\d{2})?)?"
)
_END = _TIME + r"\s*$"
_ISO = re.compile(r"^" + _WEEKDAY + r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _END)
_MONTH_FIRST = re.compile(
    r"^" + _WEEKDAY + r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _END
)
_DAY_FIRST = re.compile(
    r"^" + _WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+|de\s+)?([^\W\d_]+)\.?,?\s+(?:de\s+)?(\d{4})"
    + _END
)
_NUMERIC = re.compile(r"^" + _WEEKDAY + r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})" + _END)


def parse_date(
    value: str, *, dayfirst: bool = False, formats: Sequence[str] = ()
) -> dt.date | None:
    """Return the calendar day written in `value`, or None when it is not a recognisable date.

    >>> parse_date("17 September 2024"), parse_date("2024-09-17T08:30:00+02:00")
    (datetime.date(2024, 9, 17), datetime.date(2024, 9, 17))
    """
    text = " ".join(value.split())
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    low = text.lower()
    if not low or not any(ch.isdigit() for ch in low):
        return None
    if m := _ISO.match(low):
        return _day(int(m[1]), int(m[2]), int(m[3]))
    if m := _MONTH_FIRST.match(low):
        month = _MONTH_NAMES.get(m[1])
        return _day(int(m[3]), month, int(m[2])) if month else None
    if m := _DAY_FIRST.match(low):
        month = _MONTH_NAMES.get(m[2])
        return _day(int(m[3]), month, int(m[1])) if month else None
    if m := _NUMERIC.match(low):
        a, sep, b, year = int(m[1]), m[2], int(m[3]), int(m[4])
        if year < 100:
            year += 2000 if year < 70 else 1900
        day_first = a > 12 or (b <= 12 and (dayfirst or sep == "."))
        return _day(year, b, a) if day_first else _day(year, a, b)
    return None


_WORD = re.compile(r"[^\W\d_]+")
_CLOCK = re.compile(r"\s\d{1,2}[:.]\d{2}\b.*$")


def parse_dateline(value: str) -> dt.date | None:
    """The day in a news-database date line: weekday names dropped, a trailing clock time ignored.

    >>> parse_dateline("Mittwoch 31. August 2011"), parse_dateline("1 mei 2015 vrijdag")
    (datetime.date(2011, 8, 31), datetime.date(2015, 5, 1))
    >>> parse_dateline("April 20, 2003, Sunday"), parse_dateline("4 de abril de 2010")
    (datetime.date(2003, 4, 20), datetime.date(2010, 4, 4))
    >>> parse_dateline("January 20, 2009 Tuesday 8:27 PM AEST"), parse_dateline("Summer, 2008")
    (datetime.date(2009, 1, 20), None)
    >>> parse_dateline("December 19, 1991, Sunday, Late Edition - Final")
    datetime.date(1991, 12, 19)
    """
    text = " ".join(value.split())
    if not any(ch.isdigit() for ch in text):
        return None
    words = _WORD.sub(lambda m: "" if m[0].lower() in WEEKDAYS else m[0], text)
    words = " ".join(words.replace(" ,", ",").split()).strip(" ,;")
    day = parse_date(words)
    if day is None and (cut := _CLOCK.sub("", words).strip(" ,;")) != words:
        day = parse_date(cut)
    tokens = words.split()
    for end in range(min(len(tokens) - 1, 5), 1, -1):  # "December 19, 1991, An Edition"
        if day is not None:
            break
        day = parse_date(" ".join(tokens[:end]).strip(" ,;"))
    return day


_DATE_LIKE = re.compile(
    r"\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?.*\d|\d.*\b(?:"
    + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}",
    re.I,
)


def looks_like_date(value: str) -> bool:
    """True when `value` resembles a date (a month name with a number, or 1/2/3-style digits).

    Used to report an unparseable date instead of mistaking it for other metadata.

    >>> looks_like_date("Sept. 31, 2024"), looks_like_date("Times Tengri"), looks_like_date("2 min read")
    (True, False, False)
    """
    return _DATE_LIKE.search(value) is not None


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
