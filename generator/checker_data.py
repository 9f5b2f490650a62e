"""The checker's data: the part of a policy that the engine reads, as JSON.

The browser gets this data without what only the build needs, as compact JSON (browser_checker_json);
the engine never sees YAML. It is made from the normalised policy data alone, so that loading and
checking a policy need nothing else (Policy.checker_json keeps the whole data made once).
"""

from __future__ import annotations

import json
from typing import Any

FORMAT = 2


def checker_json_of(data: dict) -> str:
    return json.dumps(checker_data_of(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# Keys that only the build reads: named here rather than the keys the engine reads, so that a key the
# engine comes to read reaches the browser without a change here.
BUILD_ONLY = ("clauses", "invariants")


def browser_checker_json(policy) -> str:
    """What the site serves to the browser's engine: the data without BUILD_ONLY, no spaces, keys sorted."""
    data = {key: value for key, value in policy.checker_data.items() if key not in BUILD_ONLY}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def checker_data_of(data: dict) -> dict[str, Any]:
    """From normalised policy data (generator/policy_model.normalise) to the engine's data."""
    checker, metadata = data["checker"], data["metadata"]
    return {
        "format": FORMAT,
        "policy": {"title": metadata["title"], "version": metadata["version"]["value"],
                   "effective_date": metadata["effective_date"]["value"], "language": metadata["language"]},
        "clauses": {c["id"]: c["text"] for s in data["sections"] for c in s["clauses"]},
        "wording": checker["wording"],
        "date_format": checker["date_format"],
        "month_names": checker["month_names"],
        "questions": checker["questions"],
        "recipients": checker["recipients"],
        "rules": checker["rules"],
        "retention": data["retention"],
        "invariants": checker["invariants"],
    }
