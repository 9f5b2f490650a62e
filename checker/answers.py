"""Check a caller's answers against the questions; refuse anything unknown, never default."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Mapping


class AnswerError(ValueError):
    """Raised by check_answers for an unknown question, a value not allowed, or a question that does not apply."""

    exit_code = 2


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def _listing(choices) -> str:
    return ", ".join(f'"{c}"' for c in choices)


def condition_truth(when: Mapping[str, list], answers: Mapping[str, str], questions: Mapping[str, dict]):
    """True, False, or None (unknown) for a condition, under three-valued logic.

    A question that cannot be asked given the other answers counts as not matching:
    it will never be answered, so it cannot make the condition hold.
    """
    result = True
    for question_id, allowed in when.items():
        if question_id in answers:
            holds = answers[question_id] in allowed
        elif condition_truth(questions[question_id]["asked_when"], answers, questions) is False:
            holds = False
        else:
            holds = None
        if holds is False:
            return False
        if holds is None:
            result = None
    return result


def check_answers(policy: Mapping, answers: Mapping[str, str]) -> dict[str, str]:
    """The answers, checked; raise AnswerError naming the question and what it allows."""
    questions = {q["id"]: q for q in policy["questions"]}
    checked: dict[str, str] = {}
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise AnswerError(f'Unknown question "{question_id}"{_suggest(question_id, questions)} '
                              f"(expected one of: {_listing(questions)})")
        if not isinstance(value, str):
            raise AnswerError(f'Invalid answer for "{question_id}": {value!r} is not text')
        if question["type"] == "date":
            try:
                dt.date.fromisoformat(value)
                valid = len(value) == 10
            except ValueError:
                valid = False
            if not valid:
                raise AnswerError(f'Invalid answer for "{question_id}": "{value}" is not a date '
                                  f"(expected a real date as YYYY-MM-DD, e.g. 2026-03-03)")
        else:
            allowed = [v["value"] for v in question["values"]]
            if value not in allowed:
                raise AnswerError(f'Invalid answer for "{question_id}": "{value}"{_suggest(value, allowed)} '
                                  f"(expected one of: {_listing(allowed)})")
        checked[question_id] = value
    for question_id in checked:
        gate = questions[question_id]["asked_when"]
        if condition_truth(gate, checked, questions) is False:
            needs = "; ".join(f'"{q}" is {" or ".join(chr(34) + v + chr(34) for v in vals)}' for q, vals in gate.items())
            given = ", ".join(f'"{q}" is "{checked[q]}"' for q in gate if q in checked)
            raise AnswerError(f'Question "{question_id}" does not apply here: it is asked only when {needs}, '
                              f"and {given} (leave \"{question_id}\" unanswered)")
    return {q["id"]: checked[q["id"]] for q in policy["questions"] if q["id"] in checked}
