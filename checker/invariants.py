"""Check a policy's invariants over every combination of answers.

Each question is left unknown or answered with each of its values (a date
question with a few sample dates); combinations a question's `asked_when`
rules out are skipped. A broken invariant is reported once for each rule (or
retention entry) that breaks it, with the smallest answer set that shows it.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Mapping, NamedTuple

from .answers import condition_truth, unsure_values
from .engine import ALWAYS_POSSIBLE, APPLIES, CONFIDENTIAL, CONFIDENTIAL_EXCEPT_ALWAYS_POSSIBLE, COULD_BE_SHARED, \
    TOLD_FIRST, Evaluator

# Sample dates: an ordinary day and one whose month-end clamps (31 Aug + 6 months → 28 Feb).
SAMPLE_DATES = ("2026-03-03", "2026-08-31")

Answers = tuple  # sorted (question, value) pairs: hashable


def answer_sets(data: Mapping[str, Any]) -> Iterator[dict[str, str]]:
    """Every combination of answers the questions allow, unknown included."""
    questions = data["questions"]
    by_id = {q["id"]: q for q in questions}

    def walk(i: int, answers: dict[str, str]) -> Iterator[dict[str, str]]:
        if i == len(questions):
            yield dict(answers)
            return
        question = questions[i]
        yield from walk(i + 1, answers)
        if condition_truth(question["asked_when"], answers, by_id) is False:
            return
        for value in _values(question):
            answers[question["id"]] = value
            yield from walk(i + 1, answers)
            del answers[question["id"]]

    yield from walk(0, {})


class Violation(NamedTuple):
    invariant: str          # the invariant's id
    rule: str | None        # the rule or retention entry that breaks it, when one can be named
    answers: str            # the smallest answer set that shows it, as question=value words
    message: str


def _key(answers: Mapping[str, str]) -> Answers:
    return tuple(sorted(answers.items()))


def check_all(data: Mapping[str, Any]) -> tuple[int, list[Violation]]:
    """(number of answer sets, violations) for every invariant of the policy: one per invariant and rule."""
    evaluate = Evaluator(data, shared=True).evaluate  # results are only read here
    results = {_key(a): evaluate(a) for a in answer_sets(data)}
    # Fewest answers first: the first answer set that breaks an invariant is then a smallest one.
    results = {k: results[k] for k in sorted(results, key=lambda k: (len(k), k))}
    by_id = {q["id"]: q for q in data["questions"]}
    violations: list[Violation] = []
    for invariant in data["invariants"]:
        if invariant["when"] and not any(_holds(invariant, answers, by_id) for answers in results):
            violations.append(Violation(invariant["id"], None, "",
                                        "its `when` matches no answer set, so it tests nothing"))
            continue
        seen: set[str | None] = set()
        for rule, answers, message in _CHECKS[invariant["kind"]](data, invariant, results, by_id):
            if rule not in seen:
                seen.add(rule)
                violations.append(Violation(invariant["id"], rule, _show(answers) if answers is not None else "",
                                            message))
    return len(results), violations


def _show(answers: Answers) -> str:
    return " ".join(f"{k}={v}" for k, v in answers) or "(no answers)"


def _holds(invariant, answers: Answers, by_id) -> bool:
    return condition_truth(invariant["when"], dict(answers), by_id) is True


def _values(question: Mapping) -> list[str]:
    return list(SAMPLE_DATES) if question["type"] == "date" else [v["value"] for v in question["values"]]


# Each check yields (rule or entry id or None, answers or None, what is wrong).

def _never_shared_with(data, invariant, results, by_id):
    who = invariant["recipient"]
    for answers, result in results.items():
        if _holds(invariant, answers, by_id):
            for e in result["exceptions"]:
                if who in e["shared_with"]:
                    yield e["id"], answers, f'"{who}" is named as a recipient'


def _perpetrator_never_told(data, invariant, results, by_id):
    protections = [r["id"] for r in data["rules"]
                   if r["protection"] and r["protection"]["kind"] == "perpetrator_never_told"]
    for answers, result in results.items():
        if _holds(invariant, answers, by_id) and result["perpetrator_never_told"] is not True:
            yield (protections[0] if protections else None), answers, \
                f"perpetrator_never_told is {result['perpetrator_never_told']!r}, not true"


def _monotone_recipients(data, invariant, results, by_id):
    question, order = invariant["question"], invariant["order"]
    for answers, result in results.items():
        given = dict(answers)
        if not _holds(invariant, answers, by_id) or given.get(question) not in order[:-1]:
            continue
        given[question] = order[order.index(given[question]) + 1]
        higher = results[_key(given)]
        lost = set(result["shared_with"]) - set(higher["shared_with"])
        for e in result["exceptions"]:
            if e["status"] == APPLIES and lost & set(e["shared_with"]):
                yield e["id"], answers, f"{question}={given[question]} drops {sorted(lost)}"


def _no_false_comfort(data, invariant, results, by_id):
    unsure = {q["id"]: unsure_values(q) for q in data["questions"]}
    for answers, result in results.items():
        listed = {e["id"] for e in result["exceptions"]}
        given = dict(answers)
        for question_id, value in given.items():
            # "Not sure" rules nothing out: the explanation is the one for the question left unanswered.
            if value in unsure[question_id]:
                without = results.get(_key({k: v for k, v in given.items() if k != question_id}))
                if without is not None and (result["outcome"], _statuses(result)) != (without["outcome"], _statuses(without)):
                    changed = sorted(set(_statuses(result).items()) ^ set(_statuses(without).items()))
                    yield (changed[0][0] if changed else None), answers, \
                        f"{question_id}={value} (not sure) gives another explanation than leaving it unanswered"
        for question in data["questions"]:
            if question["id"] in given:
                continue
            for value in _values(question):
                more = results.get(_key({**given, question["id"]: value}))
                if more is None:  # that answer is not allowed with the others
                    continue
                surprise = sorted({e["id"] for e in more["exceptions"] if e["status"] == APPLIES} - listed)
                if result["outcome"] != COULD_BE_SHARED and more["outcome"] == COULD_BE_SHARED:
                    culprits = [e["id"] for e in more["exceptions"] if e["status"] != ALWAYS_POSSIBLE]
                    yield culprits[0], answers, \
                        f"{result['outcome']}, but {question['id']}={value} makes it {more['outcome']}"
                for rule in surprise:
                    yield rule, answers, f"{question['id']}={value} brings {surprise}, not listed before"


def _statuses(result) -> dict[str, str]:
    return {e["id"]: e["status"] for e in result["exceptions"]}


def _grounded_points(data, invariant, results, by_id):
    clauses = data["clauses"]
    for answers, result in results.items():
        if not result["points"]:
            yield None, answers, "the explanation has no point"
        for item in result["points"] + result["exceptions"] + result["records"]:
            if not item["citations"]:
                yield item["id"], answers, f"{item['id']} has no citation"
            for c in item["citations"]:
                if c["quote"] not in clauses.get(c["clause"], ""):
                    yield item["id"], answers, f"{item['id']} quotes words not in clause {c['clause']}"


def _told_first_kept(data, invariant, results, by_id):
    """Each applying exception says the caller is told first wherever its telling promises it, and the
    explanation's caller_told_first promises only what every applying exception does (format 3: one exception
    that is silent about telling takes the promise away from the one-line answer and the JSON alike); and, given
    the promise's words, every applying exception that cites a clause holding them promises it."""
    promise = invariant.get("promise")
    promising = {cid for cid, text in data["clauses"].items() if promise and promise in text}
    if promise and not promising:
        yield None, None, f'the promise "{promise}" is not found, word for word, in any clause'
        return
    for answers, result in results.items():
        applying = [e for e in result["exceptions"] if e["status"] == APPLIES]
        for e in applying:  # each exception keeps its own promise
            if e["caller_told_first"] != TOLD_FIRST.get(e["telling"]):
                yield e["id"], answers, (f"exception {e['id']} says caller_told_first {e['caller_told_first']!r} but "
                                         f"its telling {e['telling']!r} promises {TOLD_FIRST.get(e['telling'])!r}")
        # Together, they promise only what each of them does: "where possible and safe" if one says only that,
        # nothing if one promises nothing.
        each = [TOLD_FIRST.get(e["telling"]) for e in applying]
        together = (None if not each or None in each else
                    "where_possible_and_safe" if "where_possible_and_safe" in each else "always")
        if result["caller_told_first"] != together:
            weakest = next((e["id"] for e, t in zip(applying, each) if t != "always"), applying[0]["id"] if applying else None)
            yield weakest, answers, (f"caller_told_first is {result['caller_told_first']!r} but the exceptions that "
                                     f"apply promise together {together!r}")
        for e in applying:
            cited = sorted({c["clause"] for c in e["citations"]} & promising)
            if cited and e["telling"] not in TOLD_FIRST:
                yield e["id"], answers, (f"exception {e['id']} cites {', '.join(cited)}, which promises "
                                         f'"{promise}", but its telling is {e["telling"]!r}')


def _confidential_only_without_exceptions(data, invariant, results, by_id):
    """Judged from the rules themselves, not from the engine's list: an exception rule whose condition
    holds or is unknown must be listed, and sets the outcome: could_be_shared, or, when every one of them
    is decided by no answer, confidential_except_always_possible."""
    exception_rules = [r for r in data["rules"] if r["exception"]]
    for answers, result in results.items():
        listed = {e["id"] for e in result["exceptions"]}
        possible = [r for r in exception_rules if condition_truth(r["when"], dict(answers), by_id) is not False]
        answerable = [r["id"] for r in possible if not r["exception"]["whatever_you_answer"]]
        expected = (COULD_BE_SHARED if answerable else CONFIDENTIAL_EXCEPT_ALWAYS_POSSIBLE if possible
                    else CONFIDENTIAL)
        if result["outcome"] != expected:
            culprit = answerable[0] if answerable else possible[0]["id"] if possible else None
            yield culprit, answers, f"outcome {result['outcome']}, but the rules make it {expected}"
        for rule in sorted({r["id"] for r in possible} - listed):
            yield rule, answers, f"{[rule]} could apply but the explanation does not list them"


def _protections_hold(data, invariant, results, by_id):
    """A protection that applies, never told to a person, is never contradicted by an exception naming them."""
    for answers, result in results.items():
        for p in result["protections"]:
            if p["status"] != APPLIES or not p["person"]:
                continue
            undoing = {u["id"] for u in p["unless"]}   # the policy says these undo the promise
            for e in result["exceptions"]:
                if p["person"] in e["shared_with"] and e["id"] not in undoing:
                    yield e["id"], answers, (f'protection {p["id"]} promises "{p["person"]}" is never told, '
                                             f'but exception {e["id"]} names them')


_CHECKS: dict[str, Callable] = {
    "never_shared_with": _never_shared_with,
    "perpetrator_never_told": _perpetrator_never_told,
    "monotone_recipients": _monotone_recipients,
    "no_false_comfort": _no_false_comfort,
    "grounded_points": _grounded_points,
    "told_first_kept": _told_first_kept,
    "confidential_only_without_exceptions": _confidential_only_without_exceptions,
    "protections_hold": _protections_hold,
}
