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


# The units a retention period may be given in (policy/README.md, "retention"), and what one of each adds to a
# date, as (months, days). Hours add nothing: a caller's date has no time of day, so no date is worked out for a
# period in hours (its sentences give it in words).
PERIOD_UNITS = {"hours": None, "days": (0, 1), "weeks": (0, 7), "months": (1, 0), "years": (12, 0)}


def period_step(period: dict | None) -> tuple[int, int] | None:
    """(months, days) that the period {count, unit} adds to a date; None when no date can be worked out."""
    step = PERIOD_UNITS[period["unit"]] if period else None
    return step and (step[0] * period["count"], step[1] * period["count"])


def add_period(day: dt.date, step: tuple[int, int]) -> dt.date:
    """The day a period_step later: months as add_months counts them (a year is 12, and clamps alike: 29 Feb
    2024 + 1 year is 28 Feb 2025), days as days."""
    months, days = step
    return add_months(day, months) if months else day + dt.timedelta(days=days)


def latest_start(step: tuple[int, int]) -> dt.date:
    """The latest day a period_step can be added to without passing 31 December 9999."""
    months, days = step
    if not months:
        return dt.date.max - dt.timedelta(days=days)
    index = 9999 * 12 + 11 - months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, days_in_month(year, month))


def date_in_words(day: dt.date, pattern: str, month_names: list[str]) -> str:
    return pattern.format(day=day.day, month=month_names[day.month - 1], year=day.year)


def document_date(iso: str) -> dt.date:
    """A date of the policy document's (its metadata): YYYY-MM-DD, or YYYY-MM for a month alone, read as its first day
    (where a day is needed to count or compare: "recent", the review after the effective date). Raises
    ValueError for one that does not exist."""
    return dt.date.fromisoformat(iso if len(iso) > 7 else iso + "-01")


def document_date_in_words(iso: str, pattern: str, month_pattern: str, month_names: list[str]) -> str:
    """A date of the document's in words: a month alone with month_pattern ("{month} {year}": "March 2025"), never
    a day the document did not give."""
    day = document_date(iso)
    return date_in_words(day, month_pattern if len(iso) == 7 else pattern, month_names)
