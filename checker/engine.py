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
ALWAYS_POSSIBLE = "always_possible"   # an exception no answer of the caller's decides

CONFIDENTIAL = "confidential"
CONFIDENTIAL_EXCEPT_ALWAYS_POSSIBLE = "confidential_except_always_possible"
COULD_BE_SHARED = "could_be_shared"

# The telling vocabulary, and what the contract's older key `caller_told_first` says for each.
TOLD_FIRST = {"first": "always", "first_where_possible_and_safe": "where_possible_and_safe"}


def evaluate(policy: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """The explanation for one set of answers. Raises AnswerError for answers the questions do not allow."""
    return Evaluator(policy).evaluate(answers)


def rule_kind(rule: Mapping[str, Any]) -> str:
    """exception, protection, records_lead or general: what a rule's point is."""
    if rule.get("exception"):
        return "exception"
    if rule.get("protection"):
        return "protection"
    return "records_lead" if rule.get("records") else "general"


class Evaluator:
    """evaluate() for many answer sets of one policy, with the policy's lookups made once.

    With shared=True (the invariant check: thousands of sets, read only) explanations share their
    citation lists instead of copying them each time; the JSON is the same either way.
    """

    def __init__(self, policy: Mapping[str, Any], *, shared: bool = False) -> None:
        self.policy = policy
        self.questions = {q["id"]: q for q in policy["questions"]}
        self.retention = {r["id"]: r for r in policy["retention"]}
        self.recipient_labels = {r["id"]: r["label"] for r in policy["recipients"]}
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
        protections: list[dict] = []
        records: list[dict] = []

        for rule in policy["rules"]:
            exception = rule["exception"]
            if exception and exception["whatever_you_answer"]:
                status = ALWAYS_POSSIBLE
            else:
                status = _status(rule["when"], answers, questions, rule["says"]["would_apply_if"] is not None)
            if status is None:
                continue
            text = rule["says"][APPLIES if status == ALWAYS_POSSIBLE else status]
            citations = self.citations(rule["cites"])
            points.append({"id": rule["id"], "kind": rule_kind(rule), "status": status, "text": text,
                           "citations": citations})
            if exception:
                exceptions.append(self._exception(rule, status, citations))
            elif rule["protection"]:
                protections.append({"id": rule["id"], "kind": rule["protection"]["kind"],
                                    "person": rule["protection"]["person"], "status": status, "text": text,
                                    "citations": citations})
            for record_id in rule["records"]:
                record = _record(policy, retention[record_id], status, answers, questions, self.citations)
                if record is not None:
                    records.append(record)
                    points.append({"id": record_id, "kind": "record", "status": record["status"],
                                   "text": record["text"], "citations": record["citations"]})

        return self._outcome(answers, points, exceptions, protections, records)

    def _exception(self, rule: Mapping, status: str, citations: list[dict]) -> dict[str, Any]:
        exception, wording = rule["exception"], self.policy["wording"]
        telling = exception["telling"]
        # The status line: replace, not str.format, so that any other brace in the wording stays as written.
        status_text = wording[status].replace("{condition}", exception["condition"])
        return {
            "id": rule["id"], "status": status, "status_text": status_text,
            "condition": exception["condition"],
            "shared_with": list(exception["shared_with"]),
            "shared_with_labels": [self.recipient_labels[r] for r in exception["shared_with"]],
            "caller_told_first": TOLD_FIRST.get(telling),
            "telling": telling, "telling_text": wording["telling"].get(telling),
            "citations": citations,
        }

    def _outcome(self, answers, points, exceptions, protections, records) -> dict[str, Any]:
        policy, questions = self.policy, self.questions
        applying = [e for e in exceptions if e["status"] == APPLIES]
        shared = {who for e in applying for who in e["shared_with"]}
        told_first = [e["caller_told_first"] for e in applying if e["caller_told_first"]]
        if any(e["status"] != ALWAYS_POSSIBLE for e in exceptions):
            outcome = COULD_BE_SHARED
        elif exceptions:
            outcome = CONFIDENTIAL_EXCEPT_ALWAYS_POSSIBLE
        else:
            outcome = CONFIDENTIAL
        shared_with = [r["id"] for r in policy["recipients"] if r["id"] in shared]
        return {
            "outcome": outcome,
            "headline": policy["wording"]["outcome"][outcome],
            "summary": self._summary(outcome, applying, [self.recipient_labels[r] for r in shared_with],
                                     points, exceptions, protections, records),
            "answers": answers,
            "exceptions": exceptions,
            "shared_with": shared_with,
            "caller_told_first": told_first[0] if told_first else None,
            "perpetrator_never_told": _never_told(policy["rules"], answers, questions),
            "protections": protections,
            "records": records,
            "points": points,
        }

    def _summary(self, outcome, applying, recipients, points, exceptions, protections, records) -> dict[str, Any]:
        """The explanation in the order a frightened reader needs it (DESIGN.md, "answer first"): the verdict,
        what applies, the promises that protect them, what is kept, what could change this, the rest. Ids
        refer to `exceptions`, `protections`, `records` and `points`; checker/layout.py makes of them the one layout
        tree that every rendering walks."""
        wording = self.policy["wording"]
        above = {e["id"] for e in exceptions}
        applying_protections = [p["id"] for p in protections if p["status"] == APPLIES]
        kept = [r["id"] for r in records if r["status"] == APPLIES]
        # The line that leads the records ("This is what we keep…") goes with them; records that only would be
        # kept ("If you write to us…") are one fold under their own lead, among the other things to know.
        leads = {status: next((p["id"] for p in points if p["kind"] == "records_lead" and p["status"] == status), None)
                 for status in (APPLIES, WOULD_APPLY_IF)}
        kept_if = [r["id"] for r in records if r["status"] == WOULD_APPLY_IF]
        if leads[WOULD_APPLY_IF] is None:  # no "If you …" lead to fold them under: their own sentences say "if"
            kept, kept_if = kept + kept_if, []
        above |= set(applying_protections) | set(kept) | set(kept_if) | {lead for lead in leads.values() if lead}
        return {
            "verdict": wording["outcome"][outcome],
            "in_short": _in_short(wording["in_short"], outcome, applying, recipients),
            "applies": [e["id"] for e in applying],
            "protections": applying_protections,
            "records_lead": leads[APPLIES],
            "records": kept,
            "could_change": [e["id"] for e in exceptions if e["status"] != APPLIES],
            "general": [p["id"] for p in points if p["id"] not in above],
            "records_if_lead": leads[WOULD_APPLY_IF] if kept_if else None,
            "records_if": kept_if,
        }


def _in_short(words: Mapping[str, Any], outcome: str, applying: list[dict], recipients: list[str]) -> str:
    """The answer in one line, for a heading or a screen reader: "Could be passed to another agency; we tell you
    first when we can". Every word comes from the policy's `in_short` wording."""
    if outcome != COULD_BE_SHARED:
        return words[outcome]
    if not applying:
        return words["could_be_shared"]
    if recipients:
        listed = recipients[0] if len(recipients) == 1 else ", ".join(recipients[:-1]) + words["list_and"] + recipients[-1]
        answer = words["shared_with"].replace("{recipients}", listed)
    else:
        answer = words["nobody_named"]
    telling = next((words["telling"][e["telling"]] for e in applying if words["telling"].get(e["telling"])), None)
    return words["with_telling"].replace("{answer}", answer).replace("{telling}", telling) if telling else answer


def _never_told(rules: list, answers: Mapping, questions: Mapping) -> bool | None:
    """True if a perpetrator_never_told protection holds, None if one could, else False (also when the
    policy has none: it promises nothing of the kind)."""
    truths = [condition_truth(r["when"], answers, questions) for r in rules
              if r["protection"] and r["protection"]["kind"] == "perpetrator_never_told"]
    if True in truths:
        return True
    return None if None in truths else False


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
    kept_for, says = item["kept_for"], item["says"]
    question = item["counted_from"]["question"] if item["counted_from"] else None
    until = None
    if status == WOULD_APPLY_IF:
        text = says["would_apply_if"]  # given wherever the entry or its rule has a condition (checked)
    elif question in answers and kept_for["months"]:
        start = dt.date.fromisoformat(answers[question])
        end = add_months(start, kept_for["months"])
        # The start date's placeholder is named after the date question, e.g. {contact_date}.
        words = {question: date_in_words(start, policy["date_format"], policy["month_names"]),
                 "until": date_in_words(end, policy["date_format"], policy["month_names"])}
        text = says["with_date"]
        for name, value in words.items():
            text = text.replace("{" + name + "}", value)
        until = end.isoformat()
    else:
        text = says["applies"]
    return {
        "id": item["id"], "status": status, "what": item["what"], "where": item["where"],
        "kept_for": kept_for["words"], "limit": kept_for["limit"], "months": kept_for["months"],
        "counted_from": item["counted_from"], "destroyed": item["destroyed"], "until": until,
        "text": text, "citations": (citations or _citations)(item["cites"]),
    }
