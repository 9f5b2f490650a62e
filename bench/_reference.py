"""A fixed pure-Python workload to measure the checker engine against, so that the machine's speed cancels out.

The engine's evaluations per second depend on the machine and on whatever else runs beside the bench; the
reference's rate depends on those too, and on nothing else. Their ratio is the figure to compare between
runs and machines (`checker-engine-vs-reference`). The work is of the engine's kind, interpreted bytecode
on small dicts, lists and strings: look answers up, decide conditions, build small records with wording
filled in, list ids. No sleeping, no C-library numeric work, no I/O.

Do not change this file: a changed reference makes every ratio recorded before it incomparable. If it must
change, record the ratios again under a new anchor.
"""

from __future__ import annotations

QUESTIONS = 9
VALUES = 4
RULES = 18


def _data() -> tuple[list[dict], list[dict], list[dict]]:
    """Questions, rules and answer sets, made by arithmetic only (no random module: the same on every run)."""
    questions = [{"id": f"question_{q}", "values": [f"value_{q}_{v}" for v in range(VALUES)],
                  "gate": {f"question_{q - 1}": [f"value_{q - 1}_0", f"value_{q - 1}_1"]} if q % 3 == 2 else {}}
                 for q in range(QUESTIONS)]
    rules = []
    for r in range(RULES):
        when = {f"question_{(r * 5 + k) % QUESTIONS}": [f"value_{(r * 5 + k) % QUESTIONS}_{v}"
                                                        for v in range((r + k) % VALUES + 1)]
                for k in range(r % 3)}
        rules.append({"id": f"rule-{r}", "when": when, "kind": ("exception", "protection", "general")[r % 3],
                      "text": f"Rule {r} applies to {{who}} when {{what}} is the case.",
                      "cites": [{"clause": f"clause-{r}-{c}", "quote": f"words {r} {c} of the policy"}
                                for c in range(1 + r % 2)]})
    answer_sets = []
    for s in range(64):
        answers = {}
        for q in range(QUESTIONS):
            pick = (s * 7 + q * 3) % (VALUES + 2)
            if pick < VALUES:  # else left unknown
                answers[f"question_{q}"] = f"value_{q}_{pick}"
        answer_sets.append(answers)
    return questions, rules, answer_sets


def _truth(when: dict, answers: dict, questions: dict):
    result = True
    for question, allowed in when.items():
        if question in answers:
            holds = answers[question] in allowed
        elif questions[question]["gate"] and _truth(questions[question]["gate"], answers, questions) is False:
            holds = False
        else:
            holds = None
        if holds is False:
            return False
        if holds is None:
            result = None
    return result


def _unit(answers: dict, questions: dict, rules: list[dict]) -> dict:
    """One unit of work: about what one evaluation of a small policy does."""
    items = []
    for rule in rules:
        truth = _truth(rule["when"], answers, questions)
        if truth is False:
            continue
        status = "applies" if truth else "would_apply_if"
        text = rule["text"].replace("{who}", "you").replace("{what}", status.replace("_", " "))
        items.append({"id": rule["id"], "kind": rule["kind"], "status": status, "text": text,
                      "citations": [{"clause": c["clause"], "quote": c["quote"]} for c in rule["cites"]]})
    applying = [i["id"] for i in items if i["status"] == "applies"]
    kinds = {}
    for item in items:
        kinds.setdefault(item["kind"], []).append(item["id"])
    return {"answers": {k: answers[k] for k in sorted(answers)}, "items": items, "applying": applying,
            "kinds": kinds, "others": [i["id"] for i in items if i["id"] not in set(applying)]}


def make_workload():
    """A function of no arguments that does one fixed run of UNITS units (the run's size is fixed with the work)."""
    questions, rules, answer_sets = _data()
    by_id = {q["id"]: q for q in questions}

    def run() -> int:
        for i in range(UNITS):
            _unit(answer_sets[i % len(answer_sets)], by_id, rules)
        return UNITS
    return run


UNITS = 40_000  # one run: about a second on the 2-core machine of BENCHMARKS.md
