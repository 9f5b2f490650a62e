"""Run the policy's invariants at build time: a policy that breaks one does not build.

The verdict (how many answer sets, which invariants broke) depends only on the checker data and the
checker's own code, so it is cached under a hash of both: a summary's wording or a page template changes
neither and needs no new check; a rule, a question or the engine does.
"""

from __future__ import annotations

import json

from checker.invariants import Violation, check_all

from generator import build_cache
from generator.source.checker_data import CHECKER_SOURCES
from generator.errors import PolicyError
from generator.source.policy_model import Policy



def check_invariants(policy: Policy) -> int:
    """The number of answer sets checked; raises PolicyError naming each broken invariant, once for each
    rule that breaks it, at that rule's line, with the smallest answer set that shows it."""
    data = policy.checker_data
    count, violations = verdict(data)
    if violations:
        raise PolicyError([_problem(policy, v) for v in violations])
    return count


def _problem(policy: Policy, violation: Violation):
    invariants = {inv["id"]: i for i, inv in enumerate(policy.checker["invariants"])}
    rules = {rule["id"]: ("checker", "rules", i) for i, rule in enumerate(policy.checker["rules"])}
    entries = {item["id"]: ("retention", i) for i, item in enumerate(policy.retention)}
    described = f'invariant "{violation.invariant}"'
    shown = f"with {violation.answers}, " if violation.answers else ""
    where = rules.get(violation.rule) or entries.get(violation.rule)
    if where is None:  # no one rule to blame (a promise found nowhere, a condition matching nothing)
        return policy.source.problem(("checker", "invariants", invariants[violation.invariant], "id"),
                                     f"{described} is broken: {shown}{violation.message}",
                                     "rules that keep it")
    what = "rule" if where[0] == "checker" else "retention entry"
    return policy.source.problem(where + ("id",), f'this {what} breaks {described}: {shown}{violation.message}',
                                 # The description is the invariant's, quoted, so that nobody reads it as a fix.
                                 f"this {what} changed so that the invariant holds; the invariant's description: "
                                 f'"{policy.checker["invariants"][invariants[violation.invariant]]["description"]}"')


def verdict(data: dict) -> tuple[int, list[Violation]]:
    """check_all(data), or its stored verdict for the very same data and checker code."""
    # Key order kept (no sort_keys): the key is at least as fine as anything check_all could see.
    key = build_cache.digest("invariants", json.dumps(data, ensure_ascii=False),
                             *build_cache.files_parts(CHECKER_SOURCES.glob("*.py")), *build_cache.versions())

    def run() -> bytes:
        count, violations = check_all(data)
        return json.dumps({"count": count, "violations": violations}, ensure_ascii=False).encode("utf-8")

    stored = json.loads(build_cache.cached("invariants", key, run))
    return stored["count"], [Violation(*v) for v in stored["violations"]]
