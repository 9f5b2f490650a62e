"""Run the policy's invariants at build time: a policy that breaks one does not build.

The verdict (how many answer sets, which invariants broke) depends only on the checker data and the
checker's own code, so it is cached under a hash of both: a summary's wording or a page template changes
neither and needs no new check; a rule, a question or the engine does.
"""

from __future__ import annotations

import json

from checker.invariants import check_all

from . import build_cache
from .checker_data import checker_data
from .errors import PolicyError
from .policy_model import Policy

CHECKER_SOURCES = build_cache.ROOT / "checker"


def check_invariants(policy: Policy) -> int:
    """The number of answer sets checked; raises PolicyError naming each broken invariant."""
    data = checker_data(policy)
    count, violations = verdict(data)
    if violations:
        index = {inv["id"]: i for i, inv in enumerate(policy.checker["invariants"])}
        raise PolicyError([
            policy.source.problem(("checker", "invariants", index[inv_id], "id"),
                                  f'invariant "{inv_id}" is broken: {message}', "a rule set that keeps it")
            for inv_id, message in violations
        ])
    return count


def verdict(data: dict) -> tuple[int, list[tuple[str, str]]]:
    """check_all(data), or its stored verdict for the very same data and checker code."""
    # Key order kept (no sort_keys): the key is at least as fine as anything check_all could see.
    key = build_cache.digest("invariants", json.dumps(data, ensure_ascii=False),
                             *build_cache.files_parts(CHECKER_SOURCES.glob("*.py")), *build_cache.versions())

    def run() -> bytes:
        count, violations = check_all(data)
        return json.dumps({"count": count, "violations": violations}, ensure_ascii=False).encode("utf-8")

    stored = json.loads(build_cache.cached("invariants", key, run))
    return stored["count"], [(inv_id, message) for inv_id, message in stored["violations"]]
