"""Check a policy's invariants over every combination of answers.

Each question is left unknown or answered with each of its values (a date
question with a few sample dates); combinations a question's `asked_when`
rules out are skipped. Returns violations as (invariant id, message) pairs.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterator, Mapping

from .answers import condition_truth
from .engine import Evaluator

# Sample dates: an ordinary day and one whose month-end clamps (31 Aug + 6 months → 28 Feb).
SAMPLE_DATES = ("2026-03-03", "2026-08-31")

MAX_EXAMPLES = 10  # violations reported per invariant

Answers = tuple  # sorted (question, value) pairs: hashable


def answer_sets(policy: Mapping[str, Any]) -> Iterator[dict[str, str]]:
    """Every combination of answers the questions allow, unknown included."""
    questions = policy["questions"]
    by_id = {q["id"]: q for q in questions}

    def walk(i: int, answers: dict[str, str]) -> Iterator[dict[str, str]]:
        if i == len(questions):
            yield dict(answers)
            return
        question = questions[i]
        yield from walk(i + 1, answers)
        if condition_truth(question["asked_when"], answers, by_id) is False:
            return
        values = SAMPLE_DATES if question["type"] == "date" else [v["value"] for v in question["values"]]
        for value in values:
            answers[question["id"]] = value
            yield from walk(i + 1, answers)
            del answers[question["id"]]

    yield from walk(0, {})


def _key(answers: Mapping[str, str]) -> Answers:
    return tuple(sorted(answers.items()))


def check_all(policy: Mapping[str, Any]) -> tuple[int, list[tuple[str, str]]]:
    """(number of answer sets, violations) for every invariant of the policy."""
    evaluate = Evaluator(policy, shared=True).evaluate  # results are only read here
    results = {_key(a): evaluate(a) for a in answer_sets(policy)}
    by_id = {q["id"]: q for q in policy["questions"]}
    violations: list[tuple[str, str]] = []
    for invariant in policy["invariants"]:
        check = _CHECKS[invariant["kind"]]
        # A few examples per invariant are enough to act on, and every broken invariant gets named.
        for message in itertools.islice(check(policy, invariant, results, by_id), MAX_EXAMPLES):
            violations.append((invariant["id"], message))
    return len(results), violations


def _show(answers: Answers) -> str:
    return " ".join(f"{k}={v}" for k, v in answers) or "(no answers)"


def _holds(invariant, answers: Answers, by_id) -> bool:
    return condition_truth(invariant["when"], dict(answers), by_id) is True


def _never_shared_with(policy, invariant, results, by_id):
    who = invariant["recipient"]
    for answers, result in results.items():
        if _holds(invariant, answers, by_id):
            if who in result["shared_with"] or any(who in e["shared_with"] for e in result["exceptions"]):
                yield f'{_show(answers)}: "{who}" is named as a recipient'


def _perpetrator_never_told(policy, invariant, results, by_id):
    for answers, result in results.items():
        if _holds(invariant, answers, by_id) and result["perpetrator_never_told"] is not True:
            yield f"{_show(answers)}: perpetrator_never_told is {result['perpetrator_never_told']!r}, not true"


def _monotone_recipients(policy, invariant, results, by_id):
    question, order = invariant["question"], invariant["order"]
    for answers, result in results.items():
        given = dict(answers)
        if not _holds(invariant, answers, by_id) or given.get(question) not in order[:-1]:
            continue
        given[question] = order[order.index(given[question]) + 1]
        higher = results[_key(given)]
        lost = set(result["shared_with"]) - set(higher["shared_with"])
        if lost:
            yield f"{_show(answers)}: {question}={given[question]} drops {sorted(lost)}"


def _no_false_comfort(policy, invariant, results, by_id):
    for answers, result in results.items():
        listed = {e["id"] for e in result["exceptions"]}
        given = dict(answers)
        for question in policy["questions"]:
            if question["id"] in given:
                continue
            for value in SAMPLE_DATES if question["type"] == "date" else [v["value"] for v in question["values"]]:
                more = results.get(_key({**given, question["id"]: value}))
                if more is None:  # that answer is not allowed with the others
                    continue
                if result["outcome"] == "confidential" and more["outcome"] != "confidential":
                    yield f"{_show(answers)}: confidential, but {question['id']}={value} makes it {more['outcome']}"
                surprise = {e["id"] for e in more["exceptions"] if e["status"] == "applies"} - listed
                if surprise:
                    yield f"{_show(answers)}: {question['id']}={value} brings {sorted(surprise)}, not listed before"


def _grounded_points(policy, invariant, results, by_id):
    clauses = policy["clauses"]
    for answers, result in results.items():
        if not result["points"]:
            yield f"{_show(answers)}: the explanation has no point"
        for item in result["points"] + result["exceptions"] + result["records"]:
            if not item["citations"]:
                yield f"{_show(answers)}: {item['id']} has no citation"
            for c in item["citations"]:
                if c["quote"] not in clauses.get(c["clause"], ""):
                    yield f"{_show(answers)}: {item['id']} quotes words not in clause {c['clause']}"


def _told_first_kept(policy, invariant, results, by_id):
    """The explanation says the caller is told first wherever an applying exception promises it; and,
    given the promise's words, every applying exception that cites a clause holding them promises it."""
    promise = invariant.get("promise")
    promising = {cid for cid, text in policy["clauses"].items() if promise and promise in text}
    if promise and not promising:
        yield f'the promise "{promise}" is not found, word for word, in any clause'
        return
    for answers, result in results.items():
        applying = [e for e in result["exceptions"] if e["status"] == "applies"]
        promised = [e["caller_told_first"] for e in applying if e["caller_told_first"]]
        if promised and result["caller_told_first"] != promised[0]:
            yield f"{_show(answers)}: caller_told_first is {result['caller_told_first']!r} but the policy promises {promised[0]!r}"
        for e in applying:
            cited = sorted({c["clause"] for c in e["citations"]} & promising)
            if cited and not e["caller_told_first"]:
                yield (f"{_show(answers)}: exception {e['id']} cites {', '.join(cited)}, which promises "
                       f'"{promise}", but its caller_told_first is {e["caller_told_first"]!r}')


def _confidential_only_without_exceptions(policy, invariant, results, by_id):
    """Judged from the rules themselves, not from the engine's list: an exception rule whose condition
    holds or is unknown must be listed, and must make the outcome could_be_shared."""
    exception_rules = [r for r in policy["rules"] if r["exception"]]
    for answers, result in results.items():
        listed = {e["id"] for e in result["exceptions"]}
        possible = [r["id"] for r in exception_rules
                    if condition_truth(r["when"], dict(answers), by_id) is not False]
        if result["outcome"] == "confidential" and (possible or listed):
            yield f"{_show(answers)}: outcome confidential, but {sorted(set(possible) | listed)} could apply"
        elif result["outcome"] != "confidential" and not possible:
            yield f"{_show(answers)}: outcome {result['outcome']}, but no exception applies or could apply"
        missing = sorted(set(possible) - listed)
        if missing:
            yield f"{_show(answers)}: {missing} could apply but the explanation does not list them"


_CHECKS: dict[str, Callable] = {
    "never_shared_with": _never_shared_with,
    "perpetrator_never_told": _perpetrator_never_told,
    "monotone_recipients": _monotone_recipients,
    "no_false_comfort": _no_false_comfort,
    "grounded_points": _grounded_points,
    "told_first_kept": _told_first_kept,
    "confidential_only_without_exceptions": _confidential_only_without_exceptions,
}
