"""evaluate(policy, answers): the explanation of DESIGN.md's contract.

`policy` is the checker data that the generator exports as JSON (questions,
rules, retention, wording); the rules and every word come from there.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Mapping

from .answers import check_answers, condition_truth
from .dates import add_months, date_in_words

APPLIES = "applies"
WOULD_APPLY_IF = "would_apply_if"


def evaluate(policy: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """The explanation for one set of answers. Raises AnswerError for answers the questions do not allow."""
    return Evaluator(policy).evaluate(answers)


class Evaluator:
    """evaluate() for many answer sets of one policy, with the policy's lookups made once.

    With shared=True (the invariant check: thousands of sets, read only) explanations share their
    citation lists instead of copying them each time; the JSON is the same either way.
    """

    def __init__(self, policy: Mapping[str, Any], *, shared: bool = False) -> None:
        self.policy = policy
        self.questions = {q["id"]: q for q in policy["questions"]}
        self.retention = {r["id"]: r for r in policy["retention"]}
        self._shared: dict[int, tuple[list, list[dict]]] | None = {} if shared else None

    def citations(self, cites: list) -> list[dict]:
        if self._shared is None:
            return _citations(cites)
        found = self._shared.get(id(cites))
        if found is None:  # cites is kept beside its copy, so its id cannot be reused while this lives
            found = self._shared[id(cites)] = (cites, _citations(cites))
        return found[1]

    def evaluate(self, answers: Mapping[str, str]) -> dict[str, Any]:
        policy, questions, retention = self.policy, self.questions, self.retention
        answers = check_answers(policy, answers, questions)
        points: list[dict] = []
        exceptions: list[dict] = []
        records: list[dict] = []

        for rule in policy["rules"]:
            status = _status(rule["when"], answers, questions, rule["says"]["would_apply_if"] is not None)
            if status is None:
                continue
            points.append({"id": rule["id"], "status": status, "text": rule["says"][status],
                           "citations": self.citations(rule["cites"])})
            if rule["exception"]:
                exceptions.append({
                    "id": rule["id"], "status": status, "condition": rule["exception"]["condition"],
                    "shared_with": list(rule["exception"]["shared_with"]),
                    "caller_told_first": rule["exception"]["caller_told_first"],
                    "citations": self.citations(rule["cites"]),
                })
            for record_id in rule["records"]:
                record = _record(policy, retention[record_id], status, answers, questions, self.citations)
                if record is not None:
                    records.append(record)
                    points.append({"id": record_id, "status": record["status"], "text": record["text"],
                                   "citations": record["citations"]})

        return _outcome(policy, answers, questions, points, exceptions, records)


def _outcome(policy, answers, questions, points, exceptions, records) -> dict[str, Any]:
    applying = [e for e in exceptions if e["status"] == APPLIES]
    shared = {who for e in applying for who in e["shared_with"]}
    told_first = [e["caller_told_first"] for e in applying if e["caller_told_first"]]
    outcome = "could_be_shared" if exceptions else "confidential"
    return {
        "outcome": outcome,
        "headline": policy["wording"]["outcome"][outcome],
        "answers": answers,
        "exceptions": exceptions,
        "shared_with": [r["id"] for r in policy["recipients"] if r["id"] in shared],
        "caller_told_first": told_first[0] if told_first else None,
        "perpetrator_never_told": condition_truth(policy["perpetrator_never_told"]["when"], answers, questions),
        "records": records,
        "points": points,
    }


def to_json(explanation: Mapping[str, Any]) -> str:
    """The one JSON form, identical in CPython and Pyodide."""
    return json.dumps(explanation, ensure_ascii=False, indent=2, sort_keys=True)


def _status(when: Mapping, answers: Mapping, questions: Mapping, can_be_conditional: bool) -> str | None:
    truth = condition_truth(when, answers, questions)
    if truth is True:
        return APPLIES
    if truth is None and can_be_conditional:
        return WOULD_APPLY_IF
    return None


def _citations(cites: list) -> list[dict]:
    return [{"clause": c["clause"], "quote": c["quote"]} for c in cites]


def _record(policy: Mapping, item: Mapping, rule_status: str, answers: Mapping, questions: Mapping,
            citations=None) -> dict | None:
    truth = condition_truth(item["when"], answers, questions)
    if truth is False:
        return None
    status = APPLIES if truth is True and rule_status == APPLIES else WOULD_APPLY_IF
    until = None
    counted_from = item["counted_from"]
    if counted_from in answers and item["kept_for"]["months"]:
        start = dt.date.fromisoformat(answers[counted_from])
        end = add_months(start, item["kept_for"]["months"])
        # The start date's placeholder is named after the date question, e.g. {contact_date}.
        words = {counted_from: date_in_words(start, policy["date_format"], policy["month_names"]),
                 "until": date_in_words(end, policy["date_format"], policy["month_names"])}
        text = item["says_with_date"].format(**words)
        until = end.isoformat()
    else:
        text = item["says"]
    return {
        "id": item["id"], "status": status, "what": item["what"], "where": item["where"],
        "kept_for": item["kept_for"]["words"], "destroyed": item["destroyed"], "until": until,
        "text": text, "citations": (citations or _citations)(item["cites"]),
    }
