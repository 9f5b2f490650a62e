"""Words that contradict the data beside them (format 3, issue 27): a period, a recipient or a promise to tell
that a summary or a `says` names, where the data says otherwise.

The data is what the checker computes with; the words are what a caller reads. Change `kept_for.months` from 6
to 3 and leave the sentences saying "six months", and the explanation gives a date three months on beside the
words "six months". These checks read only what can be read without guessing: a period in hours, days, weeks,
months or years, a recipient's own label, "tell you first" / "not tell you". A sentence that names none of them is
not checked.
"""

from __future__ import annotations

import re
from typing import Iterator

from checker.engine import PROMISES, TOLD_FIRST
from generator.errors import Problem, counted
from generator.source.yaml_source import SourceMap

_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "eighteen": 18, "twenty": 20,
            "twenty-four": 24, "thirty": 30, "forty-eight": 48, "sixty": 60, "seventy-two": 72, "ninety": 90}
_PERIOD = re.compile(r"\b(\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")[ -]"
                     r"(hours?|days?|weeks?|months?|years?)\b", re.IGNORECASE)
# A period's length in a unit that others of its kind are whole numbers of: 48 hours is 2 days, a year 12 months.
# A month is no whole number of days, so "30 days" and "a month" are different periods.
_LENGTH = {"hours": ("hours", 1), "days": ("hours", 24), "weeks": ("hours", 24 * 7),
           "months": ("months", 1), "years": ("months", 12)}
_TELLS_FIRST = re.compile(r"\b(tell|inform)s? you (first|before)\b", re.IGNORECASE)
_NOT_TOLD = re.compile(r"\b(will not|won[’']t|do not|don[’']t) (tell|inform) you\b", re.IGNORECASE)
_SAYS = ("applies", "would_apply_if", "with_date")


def period_length(count: int, unit: str) -> tuple[str, int]:
    """The period {count, unit} as ("hours", n) or ("months", n): two periods are the same exactly when these are."""
    base, times = _LENGTH[unit]
    return base, count * times


def periods(text: str) -> list[tuple[str, tuple[str, int]]]:
    """Each period that the text names, with its length: ("six months", ("months", 6)), ("48 hours", ("hours", 48))."""
    found = []
    for match in _PERIOD.finditer(text):
        number, unit = match.group(1).lower(), match.group(2).lower()
        count = int(number) if number.isdigit() else _NUMBERS[number]
        found.append((match.group(0), period_length(count, unit if unit.endswith("s") else unit + "s")))
    return found


def word_problems(data: dict, source: SourceMap) -> Iterator[Problem]:
    yield from _periods(data, source)
    yield from _recipients(data, source)
    yield from _telling(data, source)


def _periods(data: dict, source: SourceMap) -> Iterator[Problem]:
    """A retention entry with a length: each of its sentences, and each summary of a clause it cites, that names a
    period must name its length among them (a clause may give several entries' periods)."""
    summaries = _summaries(data)
    for i, item in enumerate(data["retention"]):
        period = item["kept_for"]["period"]
        if not period:
            continue
        length, unit = period_length(period["count"], period["unit"]), period["unit"]
        texts = [(("retention", i, "kept_for", "words"), item["kept_for"].get("words"))]
        texts += [(("retention", i, "says", key), item["says"][key]) for key in _SAYS]
        texts += [summaries[c["clause"]] for c in item["cites"] if c["clause"] in summaries]
        for path, text in dict(texts).items():
            named = periods(text or "")
            if named and length not in {named_length for _, named_length in named}:
                yield source.problem(path, f'the words say "{named[0][0]}", but retention[{i}] ("{item["id"]}") is '
                                     f'kept for {counted(period["count"], unit[:-1])} (kept_for.{unit})',
                                     "words and data that say the same period: change the one that is wrong")


def _recipients(data: dict, source: SourceMap) -> Iterator[Problem]:
    """An exception's sentences may name only its own recipients; a summary of a clause that exceptions cite,
    only theirs."""
    labels = {r["id"]: r["label"] for r in data["checker"]["recipients"]}
    cited_by: dict[str, set[str]] = {}
    for i, rule in enumerate(data["checker"]["rules"]):
        exception = rule["exception"]
        if not exception:
            continue
        for c in rule["cites"]:
            cited_by.setdefault(c["clause"], set()).update(exception["shared_with"])
        for key in _SAYS:
            for who in _named(rule["says"].get(key), labels):
                if who not in exception["shared_with"]:
                    yield source.problem(("checker", "rules", i, "says", key), f'the words name "{labels[who]}", '
                                         f'which is not among this exception\'s recipients (exception.shared_with)',
                                         f'"{who}" in shared_with, or words that do not name them')
    for clause_id, (path, text) in _summaries(data).items():
        for who in _named(text, labels):
            if clause_id in cited_by and who not in cited_by[clause_id]:
                yield source.problem(path, f'the summary names "{labels[who]}", whom no exception citing clause '
                                     f'"{clause_id}" may tell', f'"{who}" in the shared_with of an exception that '
                                     'cites this clause, or a summary that does not name them')


def _telling(data: dict, source: SourceMap) -> Iterator[Problem]:
    """An exception's sentences may promise to tell the caller first only if its telling does, and may say that
    the caller is not told only if its telling promises nothing."""
    for i, rule in enumerate(data["checker"]["rules"]):
        exception = rule["exception"]
        if not exception:
            continue
        telling = exception["telling"]
        texts = [(("checker", "rules", i, "says", key), rule["says"].get(key) or "") for key in _SAYS]
        texts.append((("checker", "rules", i, "exception", "telling_says"), exception["telling_says"] or ""))
        for path, text in texts:
            first, never = _TELLS_FIRST.search(text), _NOT_TOLD.search(text)
            if first and telling not in TOLD_FIRST:
                yield source.problem(path, f'the words say "{first.group(0)}", but '
                                     f'the exception\'s telling is "{telling}"', "telling: first, "
                                     "first_where_possible_and_safe or with_agreement, or words that promise less")
            elif never and telling in PROMISES:
                yield source.problem(path, f'the words say "{never.group(0)}", but '
                                     f'the exception\'s telling is "{telling}", a promise to tell',
                                     "telling: not_told, or words that keep the promise")


def _summaries(data: dict) -> dict[str, tuple[tuple, str]]:
    """{clause id: (key path of its summary, the summary)}."""
    return {clause["id"]: (("sections", s, "clauses", c, "summary"), clause["summary"])
            for s, section in enumerate(data["sections"]) for c, clause in enumerate(section["clauses"])}


def _named(text: str | None, labels: dict[str, str]) -> list[str]:
    """The recipients whose label (without a leading "the") the text names, as whole words."""
    found = []
    for who, label in labels.items():
        words = re.sub(r"^the\s+", "", label.strip(), flags=re.IGNORECASE)
        if text and re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text, re.IGNORECASE):
            found.append(who)
    return found
