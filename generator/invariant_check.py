"""Run the policy's invariants at build time: a policy that breaks one does not build."""

from __future__ import annotations

from checker.invariants import check_all

from .checker_data import checker_data
from .errors import PolicyError
from .policy_model import Policy


def check_invariants(policy: Policy) -> int:
    """The number of answer sets checked; raises PolicyError naming each broken invariant."""
    count, violations = check_all(checker_data(policy))
    if violations:
        index = {inv["id"]: i for i, inv in enumerate(policy.checker["invariants"])}
        raise PolicyError([
            policy.source.problem(("checker", "invariants", index[inv_id], "id"),
                                  f'invariant "{inv_id}" is broken: {message}', "a rule set that keeps it")
            for inv_id, message in violations
        ])
    return count
