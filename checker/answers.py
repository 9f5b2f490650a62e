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
    # Imported here: only a wrong answer needs it, and the browser's start would pay for compiling it.
    import difflib

    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


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
