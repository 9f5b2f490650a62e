"""Calendar arithmetic for the retention periods, and dates in words."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a shorter month clamps to its last day (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def date_in_words(day: dt.date, pattern: str, month_names: list[str]) -> str:
    return pattern.format(day=day.day, month=month_names[day.month - 1], year=day.year)
