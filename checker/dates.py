"""Calendar arithmetic for the retention periods, and dates in words."""

from __future__ import annotations

import datetime as dt


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """calendar.monthrange(year, month)[1], without importing calendar: in the browser that import (and
    locale's, which it brings) is paid for in bytes and in the checker's start. A table and the Gregorian
    leap rule (datetime's, for years 1 to 9999), not date arithmetic: the engine asks for it in every
    explanation with a date."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month - 1]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a shorter month clamps to its last day (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, days_in_month(year, month)))


def date_in_words(day: dt.date, pattern: str, month_names: list[str]) -> str:
    return pattern.format(day=day.day, month=month_names[day.month - 1], year=day.year)
