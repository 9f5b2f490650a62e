"""evaluate(data, answers): the explanation of DESIGN.md's contract.

`data` is the policy's checker data, as the generator exports it as JSON (questions, rules, retention,
wording): the rules and every word come from there. Throughout checker/ it is called `data`, never `policy`
(which is the policy file, or the generator's model of it).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Mapping

from .answers import _ISO_DATE, check_answers, dated_period, latest_date
from .dates import add_period, date_in_words

APPLIES = "applies"
WOULD_APPLY_IF = "would_apply_if"
ALWAYS_POSSIBLE = "always_possible"   # an exception no answer of the caller's decides

CONFIDENTIAL = "confidential"
CONFIDENTIAL_EXCEPT_ALWAYS_POSSIBLE = "confidential_except_always_possible"
COULD_BE_SHARED = "could_be_shared"

# The telling vocabulary, ranked by what each value promises the caller (DESIGN.md, "Format 3"): the combined
# telling of an explanation is the weakest promise of the exceptions that apply.
TELLING_RANK = {
    "with_agreement": 6,                    # nothing is passed on without your agreement
    "first": 5, "first_where_possible_and_safe": 4,
    "during_contact": 3,                    # told while you are still in touch with us
    "told": 2, "earliest_opportunity": 2, "without_consent_with_knowledge": 2, "afterwards": 2,  # told, sooner or later
    "told_where_possible": 1,               # "we will try to tell you", "unless the law stops us"
    "not_told": 0, "not_stated": 0,         # nothing promised
}
PROMISES = frozenset(t for t, rank in TELLING_RANK.items() if rank)
# What the contract's older key `caller_told_first` says for each value: the caller hears of it first.
TOLD_FIRST = {"with_agreement": "always", "first": "always", "first_where_possible_and_safe": "where_possible_and_safe"}


def will_share(exception: Mapping[str, Any]) -> bool:
    """Whether an exception that applies will be used, not only could be: the policy says it must share, and no
    judgement of the helpline's stands between the caller's answers and the sharing ("if we think a life is at
    risk, we will call 999" could be used: the helpline decides whether it applies)."""
    return exception["strength"] == "must" and not exception["judgement"]


def evaluate(data: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """The explanation for one set of answers. Raises AnswerError for answers the questions do not allow.
    For many answer sets of one policy, hold an Evaluator: it works the policy out once."""
    return Evaluator(data).evaluate(answers)


def rule_kind(rule: Mapping[str, Any]) -> str:
    """exception, protection, records_lead or general: what a rule's point is."""
    if rule.get("exception"):
        return "exception"
    if rule.get("protection"):
        return "protection"
    return "records_lead" if rule.get("records") else "general"


class _Conditions:
    """Each distinct condition (of rules, retention entries, questions' asked_when) as one bit. An evaluation
    decides them all in one pass over the questions (Evaluator._states): the bits the answers make false and
    those they leave unknown; answers.condition_truth's three-valued logic is then two `&`s per condition."""

    def __init__(self) -> None:
        self.bits: dict[tuple, int] = {}
        self.mentions: dict[str, list[tuple[int, frozenset]]] = {}  # question → (bit, values allowed) of each

    def bit(self, when: Mapping[str, list]) -> int:
        if not when:
            return 0  # no condition: always true
        key = tuple((question, tuple(allowed)) for question, allowed in when.items())
        bit = self.bits.get(key)
        if bit is None:
            bit = self.bits[key] = 1 << len(self.bits)
            for question, allowed in when.items():
                self.mentions.setdefault(question, []).append((bit, frozenset(allowed)))
        return bit


def _false_bits(value: str, mentions: list[tuple[int, frozenset]]) -> int:
    bits = 0
    for bit, allowed in mentions:
        if value not in allowed:
            bits |= bit
    return bits


def _truth(bit: int, false: int, unknown: int) -> bool | None:
    return False if false & bit else None if unknown & bit else True


class Evaluator:
    """evaluate() for many answer sets of one policy, with the policy worked out once: conditions as bits,
    and each rule's point, exception or protection and citations per status, made the first time they are
    needed. The checker data must not change while its Evaluator is in use.

    With shared=True (the invariant check: thousands of sets, read only) explanations share those dicts and
    lists with each other instead of copying them each time; the JSON is the same either way. Without it
    every explanation is its own, for the caller to change, but for each record's `counted_from`, which is the
    checker data's own dict (as it was before the Evaluator): read it, do not change it.
    """

    def __init__(self, data: Mapping[str, Any], *, shared: bool = False) -> None:
        self.data = data
        self.shared = shared
        self.questions = {q["id"]: q for q in data["questions"]}
        self.recipient_labels = {r["id"]: r["label"] for r in data["recipients"]}
        self._recipients = [r["id"] for r in data["recipients"]]
        conditions = _Conditions()
        gates = {q["id"]: conditions.bit(q["asked_when"]) for q in data["questions"]}
        # Per retention entry: (entry, bit, the date question its period counts from and the period's (months,
        # days), or None and None when no date is worked out; its forms by status).
        entries = {}
        for item in data["retention"]:
            counted, step = dated_period(item) or (None, None)
            entries[item["id"]] = (item, conditions.bit(item["when"]), counted, step, {})
        # An entry named by more than one rule is listed once (the first time, or where a rule that applies names
        # it): only then does an evaluation look for it among the records it has listed.
        named = [r for rule in data["rules"] for r in rule["records"]]
        self._named_twice = len(set(named)) < len(named)
        # Per rule: (rule, id, bit, always possible?, can be conditional?, leads records?, its entries, its forms).
        self._rules = []
        self._never_told = []  # (bit, unless) of the perpetrator_never_told protections
        for rule in data["rules"]:
            exception, protection = rule["exception"], rule["protection"]
            always = bool(exception and exception["whatever_you_answer"])
            bit = conditions.bit(rule["when"])
            self._rules.append((rule, rule["id"], bit, always, not always and rule["says"]["would_apply_if"] is not None,
                                rule_kind(rule) == "records_lead", [entries[r] for r in rule["records"]], {}))
            if protection and protection["kind"] == "perpetrator_never_told":
                self._never_told.append((bit, protection["unless"]))
        self._conditions = {r["id"]: r["exception"]["condition"] for r in data["rules"] if r["exception"]}
        self._unless_of = {r["id"]: r["protection"]["unless"] for r in data["rules"] if r["protection"]}
        self._undoable = any(self._unless_of.values())
        # No id shared by a rule and a retention entry (the usual case): the summary's "general" needs no check.
        ids = [r["id"] for r in data["rules"]] + list(entries)
        self._distinct_ids = len(set(ids)) == len(ids) == len(data["rules"]) + len(data["retention"])
        for question_id in conditions.mentions:
            if question_id not in self.questions:  # refused by the policy's checks; condition_truth raised it too
                raise KeyError(question_id)
        # Per question, each after those its asked_when names: (id, its asked_when's bit, the bits each value
        # makes false or None for a date, the bits of the conditions naming it, those conditions).
        order = self._gates_first()
        self._plan = []
        for question in (self.questions[i] for i in order):
            mentions = conditions.mentions.get(question["id"], [])
            # A "not sure" value (-1) makes nothing false: it leaves every condition naming the question unknown.
            choices = None if question.get("type") == "date" else {
                v["value"]: -1 if v.get("not_sure") else _false_bits(v["value"], mentions)
                for v in question.get("values") or ()}
            every = sum(bit for bit, _ in mentions)  # distinct bits: their sum is their union
            self._plan.append((question["id"], gates[question["id"]], choices, every, mentions))
        self._reordered = order != list(self.questions)  # then the answers are put back in the questions' order
        self._latest: dict[str, dt.date] = {}
        self._cited: dict[int, tuple[list, list[dict]]] = {}
        self._by_applying: dict[tuple, tuple] = {}
        wording = data["wording"]
        self._outcome_words, self._in_short_words = wording["outcome"], wording["in_short"]
        # retention: not_stated: every explanation says that the policy does not say what is kept.
        self._records_not_stated = wording["records_not_stated"] if data.get("retention_not_stated") else None

    def _gates_first(self) -> list[str]:
        order: list[str] = []
        seen: set[str] = set()

        def visit(question_id: str) -> None:
            if question_id in seen or question_id not in self.questions:
                return
            seen.add(question_id)  # first: a loop of asked_when cannot recurse for ever
            for other in self.questions[question_id]["asked_when"]:
                visit(other)
            order.append(question_id)
        for question_id in self.questions:
            visit(question_id)
        return order

    def citations(self, cites: list) -> list[dict]:
        found = self._cited.get(id(cites))
        if found is None:  # cites is kept beside its copy, so its id cannot be reused while this lives
            found = self._cited[id(cites)] = (cites, _citations(cites))
        return found[1]

    def evaluate(self, answers: Mapping[str, str]) -> dict[str, Any]:
        answers, false, unknown = self._states(answers)
        shared = self.shared
        points: list[dict] = []
        exceptions: list[dict] = []
        protections: list[dict] = []
        records: list[dict] = []
        applying: list[dict] = []          # the exceptions that apply
        applies: list[str] = []            # and their ids
        could_change: list[str] = []
        protecting: list[str] = []         # the protections that apply
        kept: list[str] = []
        kept_if: list[str] = []
        lead = lead_if = None              # the first records_lead that applies, and that would
        general: list[str] = []            # the points that may be under none of the summary's other headings
        recipients: set[str] = set()
        answerable = False                 # an exception that is not always_possible is listed
        dated: dict = {}                   # per date question: (date, in words)
        placed: dict = {}                  # with an entry named twice: (record's index, point's index, in kept?,
                                           # the status its sentence is for)
        named_twice = self._named_twice

        for rule, rule_id, bit, always, conditional, leads_records, entries, forms in self._rules:
            if always:
                status = ALWAYS_POSSIBLE
            elif false & bit:
                continue
            elif unknown & bit:
                if not conditional:
                    continue
                status = WOULD_APPLY_IF
            else:
                status = APPLIES
            try:
                point, exception, protection, citations = forms[status]
            except KeyError:
                point, exception, protection, citations = self._form(rule, status, forms)
            if not shared:
                citations = [c.copy() for c in citations]
                point = point.copy()
                point["citations"] = citations
            points.append(point)
            if exception:
                if not shared:
                    exception = exception.copy()
                    exception["shared_with"] = exception["shared_with"][:]
                    exception["shared_with_labels"] = exception["shared_with_labels"][:]
                    exception["recipients"] = exception["recipients"].copy()
                    if exception["judgement"]:
                        exception["judgement"] = {"text": exception["judgement"]["text"],
                                                  "citation": exception["judgement"]["citation"].copy()}
                    exception["citations"] = citations
                exceptions.append(exception)
                if status == APPLIES:
                    applying.append(exception)
                    applies.append(rule_id)
                    recipients.update(exception["shared_with"])
                else:
                    could_change.append(rule_id)
                if status != ALWAYS_POSSIBLE:
                    answerable = True
            elif protection:
                if not shared:
                    protection = protection.copy()
                    protection["citations"], protection["unless"] = citations, []
                protections.append(protection)
                (protecting if status == APPLIES else general).append(rule_id)
            elif leads_records and status == APPLIES and lead is None:
                lead = rule_id
            elif leads_records and status == WOULD_APPLY_IF and lead_if is None:
                lead_if = rule_id
            else:
                general.append(rule_id)
            for entry in entries:
                item, bit, counted, step, entry_forms = entry
                if false & bit:
                    continue
                # The sentence for the rule's status, or for "would apply" while the entry's own condition is
                # unknown; an entry kept only_if something happens is never a record that applies (_record_forms).
                context = APPLIES if status == APPLIES and not unknown & bit else WOULD_APPLY_IF
                try:
                    record, record_point = entry_forms[context]
                except KeyError:
                    record, record_point = self._record_forms(entry, context)
                # Folded under "If you write to us, this is what we keep:" only if that is its own rule's lead; any
                # other is listed with what is kept, its own sentence saying "if" where it only would be.
                in_kept = rule_id != lead_if
                at = placed.get(item["id"]) if named_twice else None
                if at is not None and (context != APPLIES or at[3] == APPLIES):
                    continue   # listed already, once: only a rule that applies replaces what another only would
                if counted in answers and context == APPLIES:  # made for this explanation
                    record, record_point = self._dated_record(item, record, counted, step, answers, dated)
                elif not shared:
                    record, record_point = record.copy(), record_point.copy()
                if not shared:   # its lists its own too, for its caller to change
                    record["citations"] = record_point["citations"] = [c.copy() for c in record["citations"]]
                    record["not_given"] = record["not_given"][:]
                    if record["period"]:
                        record["period"] = record["period"].copy()
                if at is None:
                    if named_twice:
                        placed[item["id"]] = (len(records), len(points), in_kept, context)
                    (kept if in_kept else kept_if).append(item["id"])
                    records.append(record)
                    points.append(record_point)
                else:   # kept, where it was listed only as would be
                    if not at[2]:
                        kept_if.remove(item["id"])
                        kept.append(item["id"])
                    placed[item["id"]] = (at[0], at[1], True, APPLIES)
                    records[at[0]], points[at[1]] = record, record_point

        if answerable:
            outcome = COULD_BE_SHARED
        elif exceptions:
            outcome = CONFIDENTIAL_EXCEPT_ALWAYS_POSSIBLE
        else:
            outcome = CONFIDENTIAL
        shared_with = [r for r in self._recipients if r in recipients] if recipients else []
        # The line that leads the records ("This is what we keep…") goes with them; records that only would be
        # kept because that lead's rule only would apply ("If you write to us…") are one fold under that lead,
        # among the other things to know.
        if general and not self._distinct_ids:  # a point listed elsewhere under an id it shares stays out
            listed = {e["id"] for e in exceptions}
            listed.update(protecting, kept, kept_if, (lead, lead_if))
            general = [i for i in general if i not in listed]
        statuses = {e["id"]: e["status"] for e in exceptions} if self._undoable else {}
        if self._undoable:
            protections = [self._with_unless(p, statuses) if self._unless_of.get(p["id"]) else p for p in protections]
        never_told = [_undone(_truth(bit, false, unknown), unless, statuses) for bit, unless in self._never_told]
        # What depends only on which exceptions apply (and the outcome) is worked out once for each such set.
        key = (outcome, tuple(applies))
        made = self._by_applying.get(key)
        if made is None:
            telling = _combined_telling(applying)
            # The headline says "will" where an exception that will be used applies, as the one-line answer does.
            must = any(will_share(e) for e in applying)
            made = self._by_applying[key] = (
                telling, self._in_short(outcome, applying, shared_with, telling),
                any(e["recipients"]["unnamed"] or not e["shared_with"] for e in applying),
                self._outcome_words["will_be_shared"] if must else self._outcome_words[outcome])
        telling, in_short, unnamed, words = made
        if telling and not shared:
            telling = dict(telling, parts=[dict(part, exceptions=part["exceptions"][:]) for part in telling["parts"]])
        return {
            "outcome": outcome,
            "headline": words,
            # The explanation in the order a frightened reader needs it (DESIGN.md, "answer first"): the verdict,
            # what applies, the promises that protect them, what is kept, what could change this, the rest. Ids
            # refer to `exceptions`, `protections`, `records` and `points`; checker/layout.py makes of them the one tree
            # every rendering walks.
            "summary": {
                "verdict": words,
                "in_short": in_short,
                "applies": applies,
                "protections": protecting,
                "records_lead": lead,
                "records": kept,
                "could_change": could_change,
                "general": general,
                "records_if_lead": lead_if if kept_if else None,
                "records_if": kept_if,
            },
            "answers": answers,
            "exceptions": exceptions,
            "shared_with": shared_with,
            # Someone the policy does not name could be told: an exception that applies names nobody, or more.
            "unnamed_recipients": unnamed,
            # The one telling of what applies, and `caller_told_first` from it: only what every part promises.
            "telling": telling,
            "caller_told_first": TOLD_FIRST.get(telling["promise"]) if telling else None,
            # True if a perpetrator_never_told protection holds, None if one could, else False (also when the
            # policy has none: it promises nothing of the kind).
            "perpetrator_never_told": True if True in never_told else None if None in never_told else False,
            "protections": protections,
            "records": records,
            "records_not_stated": self._records_not_stated,
            "points": points,
        }

    def _with_unless(self, protection: dict, statuses: dict[str, str]) -> dict:
        """A protection with the exceptions that could undo it as they stand here: each listed one with its
        status and condition, and undone when one applies. Made for this explanation: the form is shared."""
        conditions = self._conditions
        unless = [{"id": i, "status": statuses[i], "condition": conditions[i]} for i in self._unless_of[protection["id"]]
                  if i in statuses]
        return dict(protection, unless=unless, undone=any(u["status"] == APPLIES for u in unless))

    def _in_short(self, outcome: str, applying: list[dict], shared_with: list[str], telling: dict | None) -> str:
        """The answer in one line, for a heading or a screen reader: "Will be passed to the police; we tell you
        first when we can". Recipients of an exception that will be used (will_share: it must share, and no judgement
        decides it) "will" be told of it, the others "could"; someone the policy does not name is listed too, in
        the policy's own words where it has them, never dropped; a promise to tell
        is named only when every exception that applies makes it. Every word comes from the policy's `in_short`."""
        words = self._in_short_words
        if outcome != COULD_BE_SHARED:
            return words[outcome]
        if not applying:
            return words["could_be_shared"]
        anyone_listed = bool(shared_with) or any(e["recipients"]["unnamed"] for e in applying)
        will = self._labels([e for e in applying if will_share(e)], shared_with, anyone_listed, [])
        could = self._labels([e for e in applying if not will_share(e)], shared_with, anyone_listed, will)
        if will and could:
            answer = words["will_and_could"].replace("{recipients}", self._listed(will)).replace(
                "{others}", self._listed(could))
        elif will:
            answer = words["will_share_with"].replace("{recipients}", self._listed(will))
        elif could:
            answer = words["shared_with"].replace("{recipients}", self._listed(could))
        elif any(will_share(e) for e in applying):
            answer = words["will_nobody_named"]
        else:
            answer = words["nobody_named"]
        said = words["telling"].get(telling["promise"]) if telling else None
        return words["with_telling"].replace("{answer}", answer).replace("{telling}", said) if said else answer

    def _labels(self, chosen: list[dict], shared_with: list[str], anyone_listed: bool, before: list[str]) -> list[str]:
        """Who the chosen exceptions may go to, as the one-line answer lists them, less what `before` lists: the
        recipients of all of whom in the recipients' order, then each "one or more of" as one item ("the police
        or Social Services"), then the policy's own words for someone it does not name ("an appropriate
        service"), then, for an exception that names nobody, `in_short.unnamed` when others are listed."""
        words = self._in_short_words
        every = {r for e in chosen if e["recipients"]["join"] == "all_of" for r in e["shared_with"]}
        labels = [self.recipient_labels[r] for r in shared_with if r in every]
        for e in chosen:
            named, unnamed = e["shared_with"], e["recipients"]["unnamed"]
            if e["recipients"]["join"] == "one_of" and named:
                # "the police or an appropriate service": one item, joined with "or" as the policy has it.
                labels.append(words["list_or"].join([self.recipient_labels[r] for r in named] + ([unnamed] if unnamed else [])))
            elif unnamed:  # each exception's own words: one policy may say "a refuge", another "the authorities"
                labels.append(unnamed)
        if anyone_listed and any(not e["shared_with"] and not e["recipients"]["unnamed"] for e in chosen):
            labels.append(words["unnamed"])
        return [label for i, label in enumerate(labels) if label not in before and label not in labels[:i]]

    def _listed(self, labels: list[str]) -> str:
        """Labels as a list is read: "a, b and c" (`list_and` before the last)."""
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + self._in_short_words["list_and"] + labels[-1]

    def _states(self, given: Mapping[str, str], checked: bool = False) -> tuple[dict[str, str], int, int]:
        """(the answers as check_answers returns them, the bits they make false, the bits they leave unknown).
        Anything not plainly allowed goes to check_answers, which raises its error (or checks a mapping that
        is not a dict)."""
        if type(given) is dict:
            answers: dict[str, str] = {}
            false = unknown = 0
            for question_id, gate, choices, every, mentions in self._plan:
                value = given.get(question_id)
                if value is None:  # ruled out by the other answers, or unknown
                    if false & gate:
                        false |= every
                    else:
                        unknown |= every
                    continue
                if false & gate or not isinstance(value, str):
                    break
                if choices is not None:
                    bits = choices.get(value)
                    if bits is None:
                        break
                    if bits < 0:  # not sure
                        unknown |= every
                        answers[question_id] = value
                        continue
                elif self._date_allowed(question_id, value):
                    bits = _false_bits(value, mentions)
                else:
                    break
                false |= bits
                answers[question_id] = value
            else:
                if len(answers) == len(given):  # else a question the policy does not ask
                    if self._reordered:
                        answers = {q: answers[q] for q in self.questions if q in answers}
                    return answers, false, unknown
        if checked:  # check_answers passed what this pass refuses: an asked_when loops back on itself
            raise AssertionError(f"answers {given!r} pass check_answers but not the engine's pass")
        return self._states(check_answers(self.data, given, self.questions), checked=True)

    def _date_allowed(self, question_id: str, value: str) -> bool:
        if not _ISO_DATE.fullmatch(value):
            return False
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return False
        latest = self._latest.get(question_id)
        if latest is None:
            latest = self._latest[question_id] = latest_date(self.data, question_id)
        return day <= latest

    def _form(self, rule: Mapping, status: str, forms: dict) -> tuple:
        """(point, exception, protection, citations) of a rule under a status, made once."""
        exception, protection = rule["exception"], rule["protection"]
        text = rule["says"][APPLIES if status == ALWAYS_POSSIBLE else status]
        citations = self.citations(rule["cites"])
        point = {"id": rule["id"], "kind": rule_kind(rule), "status": status, "text": text, "citations": citations}
        if exception:
            wording, telling = self.data["wording"], exception["telling"]
            exception = {
                "id": rule["id"], "status": status,
                # The status line: replace, not str.format, so that any other brace in the wording stays as written.
                "status_text": wording[status].replace("{condition}", exception["condition"]),
                "condition": exception["condition"],
                "shared_with": list(exception["shared_with"]),
                "shared_with_labels": [self.recipient_labels[r] for r in exception["shared_with"]],
                # Who it may go to: all of the named ones or one or more of them, and someone it does not name.
                "recipients": {"join": exception["recipients_join"], "unnamed": exception["unnamed"]},
                "limit": exception["limit"],
                # Decided by the helpline's judgement: the sentence that says so, and the policy's words for it.
                "judgement": {"text": wording["judgement"], "citation": _citations([exception["judgement"]])[0]}
                if exception["judgement"] else None,
                "caller_told_first": TOLD_FIRST.get(telling),
                # The exception's own sentence where the policy words this one's telling differently.
                "telling": telling, "telling_text": exception.get("telling_says") or wording["telling"].get(telling),
                "strength": exception["strength"],
                "citations": citations,
            }
            protection = None
        elif protection:
            # unless: the exceptions that could undo it, as they stand in this explanation (filled in per
            # explanation by _with_unless); undone: one of them applies.
            protection = {"id": rule["id"], "kind": protection["kind"], "person": protection["person"],
                          "status": status, "text": text, "citations": citations, "unless": [], "undone": False}
        form = forms[status] = (point, exception or None, protection or None, citations)
        return form

    def _record_forms(self, entry: tuple, context: str) -> tuple[dict, dict]:
        """(record, point) of a retention entry under a status, made once. Its sentence is the status's
        (would_apply_if is given wherever the entry or its rule has a condition: checked); an entry kept only_if
        something the helpline does happens is a record that would be kept under either, its `applies` sentence
        saying so where its conditions hold: the engine cannot know whether it happens (DESIGN.md, "Format 3",
        "Retention")."""
        item, _, _, _, forms = entry
        kept_for, says = item["kept_for"], item["says"]
        text = says["would_apply_if"] if context == WOULD_APPLY_IF else says["applies"]
        status = WOULD_APPLY_IF if item["only_if"] else context
        citations = self.citations(item["cites"])
        record = {
            "id": item["id"], "status": status, "what": item["what"], "where": item["where"],
            "kept_for": kept_for["words"], "limit": kept_for["limit"], "months": kept_for["months"],
            "period": kept_for["period"],   # {count, unit} as the policy gives it (months also in "months")
            "event": kept_for["event"],     # with limit until_event: kept until it; no date is worked out
            "counted_from": item["counted_from"], "destroyed": item["destroyed"], "until": None,
            "only_if": item["only_if"],
            "sooner_if": item.get("sooner_if"),   # deleted sooner if the caller asks, in the policy's words
            "not_given": item["not_given"],  # "where", "destroyed": what the policy does not say (null above)
            "text": text, "citations": citations,
        }
        point = {"id": item["id"], "kind": "record", "status": status, "text": text, "citations": citations}
        forms[context] = (record, point)
        return record, point

    def _dated_record(self, item: Mapping, form: dict, question: str, step: tuple[int, int], answers: Mapping,
                      dated: dict) -> tuple[dict, dict]:
        """A kept record counted from a date the caller gave: until that date and the period after it."""
        pattern, names = self.data["date_format"], self.data["month_names"]
        start = dated.get(question)
        if start is None:  # once per explanation, for every entry counted from that date
            day = dt.date.fromisoformat(answers[question])
            start = dated[question] = (day, date_in_words(day, pattern, names))
        end = add_period(start[0], step)
        # The start date's placeholder is named after the date question, e.g. {contact_date}; then {until}
        # (a question named "until" would be the end date).
        text = item["says"]["with_date"]
        if question != "until":
            text = text.replace("{" + question + "}", start[1])
        text = text.replace("{until}", date_in_words(end, pattern, names))
        record = form.copy()
        record["until"], record["text"] = end.isoformat(), text
        return record, {"id": form["id"], "kind": "record", "status": APPLIES, "text": text,
                        "citations": form["citations"]}


def _undone(holds: bool | None, unless: list[str], statuses: dict[str, str]) -> bool | None:
    """A promise's truth with the exceptions that can undo it: false while one applies, unknown while one could."""
    if holds is False or not unless:
        return holds
    found = [statuses[i] for i in unless if i in statuses]
    return False if APPLIES in found else None if found else holds


def _combined_telling(applying: list[dict]) -> dict | None:
    """What the exceptions that apply promise about telling the caller, together: `promise`, the weakest of
    them (the only promise that holds for every sharing), `same` (whether they all promise that), and `parts`,
    each value with the exceptions that give it, strongest first. None when nothing applies."""
    if not applying:
        return None
    parts: dict[str, list[str]] = {}
    for e in applying:
        parts.setdefault(e["telling"], []).append(e["id"])
    ordered = sorted(parts, key=lambda t: -TELLING_RANK[t])
    return {"promise": ordered[-1], "same": len(parts) == 1,
            "parts": [{"telling": t, "exceptions": parts[t]} for t in ordered]}


def to_json(explanation: Mapping[str, Any]) -> str:
    """The one JSON form, identical in CPython and Pyodide."""
    return json.dumps(explanation, ensure_ascii=False, indent=2, sort_keys=True)


def _citations(cites: list) -> list[dict]:
    return [{"clause": c["clause"], "quote": c["quote"]} for c in cites]
