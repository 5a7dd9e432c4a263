"""Closed option sets: one check that names the option and lists the valid values.

>>> check_choice("period", "week", ("day", "week", "month"))
>>> check_choice("period", "year", ("day", "week", "month"))
Traceback (most recent call last):
...
ValueError: period='year' is not valid; choose one of: day, week, month
"""


def check_choice(name: str, value: object, valid: tuple[str, ...]) -> None:
    """Raise ValueError naming `name` and listing the valid values when `value` is not one."""
    if value not in valid:
        raise ValueError(f"{name}={value!r} is not valid; choose one of: {', '.join(valid)}")
