"""The checker's data: the part of the policy model that the engine reads, as JSON.

The build keeps the whole data (the invariants' check reads the clauses and the invariants); the browser
gets it without what only the build needs, as compact JSON. The engine never sees YAML.
"""

from __future__ import annotations

import json
from typing import Any

from .policy_model import Policy


def checker_data(policy: Policy) -> dict[str, Any]:
    """The data, made once per loaded policy (Policy.checker_data): plain JSON values that every
    caller shares, so a caller must not change them."""
    return policy.checker_data


def checker_json(policy: Policy) -> str:
    return policy.checker_json


# Keys that only the build reads: named here rather than the keys the engine reads, so that a key the
# engine comes to read reaches the browser without a change here.
BUILD_ONLY = ("clauses", "invariants")


def browser_checker_json(policy: Policy) -> str:
    """What the site serves to the browser's engine: the data without BUILD_ONLY, no spaces, keys sorted."""
    data = {key: value for key, value in policy.checker_data.items() if key not in BUILD_ONLY}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def checker_json_of(policy: Policy) -> str:
    """Policy.checker_json makes it with this; everyone else asks the policy."""
    return json.dumps(_checker_data(policy), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _checker_data(policy: Policy) -> dict[str, Any]:
    checker = policy.checker
    return {
        "format": 1,
        "policy": {"title": policy.metadata["title"], "version": policy.value("metadata", "version"),
                   "effective_date": policy.value("metadata", "effective_date"),
                   "language": policy.metadata["language"]},
        "clauses": {cid: clause["text"] for cid, clause in policy.clauses.items()},
        "wording": checker["wording"],
        "date_format": checker["date_format"],
        "month_names": checker["month_names"],
        "questions": checker["questions"],
        "perpetrator_never_told": checker["perpetrator_never_told"],
        "recipients": checker["recipients"],
        "rules": checker["rules"],
        "retention": policy.retention,
        "invariants": checker["invariants"],
    }

