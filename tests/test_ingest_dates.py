"""Publication-date parsing (newslens.dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from newslens.dates import looks_like_date, parse_date

SEP17 = dt.date(2024, 9, 17)


@pytest.mark.parametrize(
    "text",
    [
        "Sep 17, 2024", "Sept. 17, 2024", "September 17, 2024", "sep 17 2024", "SEPT 17, 2024",
        "17 September 2024", "17 Sep 2024", "17 Sept. 2024", "17th September, 2024",
        "2024-09-17", "2024/09/17", "2024-09-17T08:30:00Z", "2024-09-17T08:30:00.123+02:00",
        "2024-09-17 08:30", "Tue, 17 Sep 2024 10:45:00 +0000", "Tuesday, September 17, 2024",
        "Sep 17, 2024, 10:45 AM", "September 17, 2024 at 3:00 pm", "Sep 17, 2024 10:45 EDT",
        "17.09.2024", "09/17/2024", "17/09/2024", "  Sep   17,  2024 ",
    ],
)  # fmt: skip
def test_common_forms(text):
    assert parse_date(text) == SEP17


@pytest.mark.parametrize(
    "text", ["", "soon", "Times Tengri", "2 min read", "Sep 2024", "Feb 30, 2024", "2024-13-01",
             "May Day News", "13/13/2024"]
)  # fmt: skip
def test_not_a_date(text):
    assert parse_date(text) is None


def test_ambiguous_numeric_follows_dayfirst():
    assert parse_date("03/04/2024") == dt.date(2024, 3, 4)
    assert parse_date("03/04/2024", dayfirst=True) == dt.date(2024, 4, 3)
    assert parse_date("03.04.2024") == dt.date(2024, 4, 3)  # dotted dates are day-first


def test_two_digit_year():
    assert parse_date("9/17/24") == SEP17


def test_explicit_formats_tried_first():
    assert parse_date("17|09|2024", formats=["%d|%m|%Y"]) == SEP17
    assert parse_date("2024-09-17", formats=["%d|%m|%Y"]) == SEP17  # falls back to the built-ins


@pytest.mark.parametrize(
    "text, expected",
    [("Sept. 31, 2024", True), ("31/31/2024", True), ("Updated 5 Oct", True),
     ("Times Tengri", False), ("2 min read", False), ("May Day News", False)],
)  # fmt: skip
def test_looks_like_date(text, expected):
    assert looks_like_date(text) is expected
