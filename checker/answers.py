"""Check a caller's answers against the questions; refuse anything unknown, never default."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping

from .dates import latest_start, period_step


# Exactly YYYY-MM-DD in ASCII digits: date.fromisoformat alone also takes "2026-W10-2" and "20260303".
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EXAMPLE_DATE = "2026-03-03"


def example_answer(data: Mapping) -> str:
    """question=value for the policy's first question, to show in a message how an answer is written: the
    loaded policy's own, never another's."""
    question = data["questions"][0]
    value = EXAMPLE_DATE if question["type"] == "date" else question["values"][0]["value"]
    return f"{question['id']}={value}"


class AnswerError(ValueError):
    """Raised by check_answers for an unknown question, a value not allowed, or a question that does not apply."""

    exit_code = 2


def _suggest(word: str, choices) -> str:
    close = close_match(str(word), [str(c) for c in choices])
    return f'; did you mean "{close}"?' if close is not None else ""


def close_match(word: str, choices: list[str], cutoff: float = 0.6) -> str | None:
    """What difflib.get_close_matches(word, choices, n=1, cutoff=cutoff) finds, or None: the choice most like
    the word by SequenceMatcher's ratio (the larger one on a tie), if that is at least the cutoff.

    Written out here, the same steps as difflib's (without a junk function; with its "autojunk" for a word of 200
    characters or more), rather than imported: difflib is 26 KB of source that the site's checker would download
    with its standard library for a message only a wrong answer makes. tests/test_checker_properties.py holds
    it equal to difflib's."""
    positions: dict[str, list[int]] = {}
    for j, char in enumerate(word):
        positions.setdefault(char, []).append(j)
    if len(word) >= 200:  # difflib's autojunk: a character found in more than 1% of the word is left out
        for char in [c for c, found in positions.items() if len(found) > len(word) // 100 + 1]:
            del positions[char]
    best = None
    for choice in choices:
        matched, todo = 0, [(0, len(choice), 0, len(word))]
        while todo:
            alo, ahi, blo, bhi = todo.pop()
            i, j, k = _longest_match(choice, word, positions, alo, ahi, blo, bhi)
            if k:
                matched += k
                if alo < i and blo < j:
                    todo.append((alo, i, blo, j))
                if i + k < ahi and j + k < bhi:
                    todo.append((i + k, ahi, j + k, bhi))
        length = len(choice) + len(word)
        score = 2.0 * matched / length if length else 1.0
        if score >= cutoff and (best is None or (score, choice) > best):
            best = (score, choice)
    return None if best is None else best[1]


def _longest_match(a: str, b: str, positions: dict, alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int]:
    """SequenceMatcher.find_longest_match without junk: the longest block of a[alo:ahi] equal to one of
    b[blo:bhi], the earliest in a, then in b; then grown over equal characters left out of `positions`."""
    besti, bestj, bestsize = alo, blo, 0
    lengths: dict[int, int] = {}
    for i in range(alo, ahi):
        new_lengths = {}
        for j in positions.get(a[i], ()):
            if j < blo:
                continue
            if j >= bhi:
                break
            k = new_lengths[j] = lengths.get(j - 1, 0) + 1
            if k > bestsize:
                besti, bestj, bestsize = i - k + 1, j - k + 1, k
        lengths = new_lengths
    while besti > alo and bestj > blo and a[besti - 1] == b[bestj - 1]:
        besti, bestj, bestsize = besti - 1, bestj - 1, bestsize + 1
    while besti + bestsize < ahi and bestj + bestsize < bhi and a[besti + bestsize] == b[bestj + bestsize]:
        bestsize += 1
    return besti, bestj, bestsize


def _quoted(text) -> str:
    """Text a person typed, in double quotes, with newlines and quotes escaped so the message stays one line."""
    return json.dumps(str(text), ensure_ascii=False)


def _listing(choices) -> str:
    return ", ".join(f'"{c}"' for c in choices)


def condition_truth(when: Mapping[str, list], answers: Mapping[str, str], questions: Mapping[str, dict]):
    """True, False, or None (unknown) for a condition, under three-valued logic.

    A question that cannot be asked given the other answers counts as not matching:
    it will never be answered, so it cannot make the condition hold. A "not sure" answer leaves it unknown.
    """
    result = True
    for question_id, allowed in when.items():
        if question_id in answers and answers[question_id] not in unsure_values(questions[question_id]):
            holds = answers[question_id] in allowed
        elif question_id in answers:  # "not sure" answers the question but decides nothing
            holds = None
        elif condition_truth(questions[question_id]["asked_when"], answers, questions) is False:
            holds = False
        else:
            holds = None
        if holds is False:
            return False
        if holds is None:
            result = None
    return result


def unsure_values(question: Mapping) -> frozenset:
    """The question's "not sure" values (not_sure: true): answers that decide nothing."""
    return frozenset(v["value"] for v in question.get("values") or () if v.get("not_sure"))


def dated_period(item: Mapping) -> tuple[str, tuple[int, int]] | None:
    """(the date question, the (months, days) of its period) of a retention entry whose end the checker works
    out from the caller's date: counted from a date question, with a period in days, weeks, months or years, and
    kept whatever happens (an entry kept `only_if` something happens has no date); None for any other."""
    counted = item["counted_from"]
    step = period_step(item["kept_for"]["period"]) if counted and counted["question"] and not item["only_if"] else None
    return (counted["question"], step) if step else None


def _latest(data: Mapping, question_id: str) -> tuple[dt.date, dict | None]:
    """The latest answer a date question takes, and the period that sets it (None: no period counts from it)."""
    latest, by = dt.date.max, None
    for item in data["retention"]:
        dated = dated_period(item)
        if dated and dated[0] == question_id and latest_start(dated[1]) < latest:
            latest, by = latest_start(dated[1]), item["kept_for"]["period"]
    return latest, by


def latest_date(data: Mapping, question_id: str) -> dt.date:
    """The latest answer a date question takes: a retention period counted from it must end by 9999-12-31."""
    return _latest(data, question_id)[0]


def _check_countable(data: Mapping, question_id: str, value: str, day: dt.date) -> None:
    latest, period = _latest(data, question_id)
    if day > latest:
        count, unit = period["count"], period["unit"]
        raise AnswerError(f'Invalid answer for "{question_id}": "{value}" is too late to count {count} '
                          f"{unit if count != 1 else unit[:-1]} from (expected a date up to {latest.isoformat()})")


def check_answers(data: Mapping, answers: Mapping[str, str], questions: Mapping | None = None) -> dict[str, str]:
    """The answers, checked; raise AnswerError naming the question and what it allows.

    questions: the policy's questions by id, when the caller has them already."""
    if questions is None:
        questions = {q["id"]: q for q in data["questions"]}
    if not isinstance(answers, Mapping):
        raise AnswerError(f"Answers must be question=value pairs, not {type(answers).__name__} "
                          f"(expected a mapping such as {{\"role\": \"experiencing_abuse\"}})")
    checked: dict[str, str] = {}
    for question_id, value in answers.items():
        question = questions.get(question_id) if isinstance(question_id, str) else None
        if question is None:
            raise AnswerError(f'Unknown question {_quoted(question_id)}{_suggest(question_id, questions)} '
                              f"(expected one of: {_listing(questions)})")
        if not isinstance(value, str):
            expected = ("a date as text, YYYY-MM-DD" if question["type"] == "date"
                        else "one of: " + _listing(v["value"] for v in question["values"]))
            raise AnswerError(f'Invalid answer for "{question_id}": {value!r} is not text (expected {expected})')
        if question["type"] == "date":
            try:
                day = dt.date.fromisoformat(value) if _ISO_DATE.fullmatch(value) else None
            except ValueError:
                day = None
            if day is None:
                raise AnswerError(f'Invalid answer for "{question_id}": {_quoted(value)} is not a date '
                                  f"(expected a real date as YYYY-MM-DD, e.g. {EXAMPLE_DATE})")
            _check_countable(data, question_id, value, day)
        else:
            allowed = [v["value"] for v in question["values"]]
            if value not in allowed:
                raise AnswerError(f'Invalid answer for "{question_id}": {_quoted(value)}{_suggest(value, allowed)} '
                                  f"(expected one of: {_listing(allowed)})")
        checked[question_id] = value
    for question_id in checked:
        gate = questions[question_id]["asked_when"]
        if condition_truth(gate, checked, questions) is False:
            needs = "; ".join(f'"{q}" is {" or ".join(chr(34) + v + chr(34) for v in vals)}' for q, vals in gate.items())
            given = ", ".join(f'"{q}" is "{checked[q]}"' for q in gate if q in checked)
            raise AnswerError(f'Question "{question_id}" does not apply here: it is asked only when {needs}, '
                              f"and {given} (leave \"{question_id}\" unanswered)")
    return {q["id"]: checked[q["id"]] for q in data["questions"] if q["id"] in checked}
