"""The checker data: the part of a policy that the engine reads, as plain JSON values.

It is made from the normalised policy data alone (make_checker_data), so that loading and checking a policy
need nothing else; Policy.checker_data keeps it, made once. The engine never sees YAML. The browser gets it
as compact JSON without what only the build reads (checker_data_json(..., browser=True)).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import checker

FORMAT = 3

# The engine's own source files: a cache of what the engine computes (the invariants' verdict, the diff, the
# wheel) is keyed by them.
CHECKER_SOURCES = Path(checker.__file__).resolve().parent


# What only the build reads, as key paths ("*": each item of a list): named here rather than the keys the engine
# reads, so that a key the engine comes to read reaches the browser without a change here.
BUILD_ONLY = (("clauses",), ("invariants",),
              # Whether the file wrote an exception's recipients as a plain list: where the checks find an id.
              ("rules", "*", "exception", "recipients_listed"))
# The checker page's own words (wording.widget): the page carries them in its config, and the engine reads none of
# them, so the browser's copy of the data leaves them out rather than send them twice (0.6 KB with brotli).
PAGE_ONLY = (("wording", "widget"),)


def checker_data_json(checker_data: dict[str, Any], *, browser: bool = False) -> str:
    """The checker data as JSON text, keys sorted: as the build keeps it (indented), or as the site serves it
    to the browser's engine (browser=True: without BUILD_ONLY and PAGE_ONLY, no spaces)."""
    if browser:
        data = checker_data
        for path in BUILD_ONLY + PAGE_ONLY:
            data = _without(data, path)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return json.dumps(checker_data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _without(node: Any, path: tuple[str, ...]) -> Any:
    """node less the key at path, copied only along the path (the build's data is shared, never changed); a rule
    without an exception (null) has nothing to leave out."""
    head, rest = path[0], path[1:]
    if head == "*":
        return [_without(item, rest) for item in node]
    if not isinstance(node, dict) or head not in node:
        return node
    if not rest:
        return {key: value for key, value in node.items() if key != head}
    return {**node, head: _without(node[head], rest)}


def make_checker_data(data: dict) -> dict[str, Any]:
    """From normalised policy data (generator/source/policy_model.py's normalise) to the checker data."""
    checker, metadata = data["checker"], data["metadata"]
    return {
        "format": FORMAT,
        # A fact the document does not give is null here, and named in not_given ({not_given: true} in the YAML).
        "policy": {"title": metadata["title"], "version": metadata["version"]["value"],
                   "effective_date": metadata["effective_date"]["value"], "language": metadata["language"],
                   "not_given": [key for key in ("organisation", "version", "effective_date", "review_date")
                                 if metadata[key]["not_given"]]},
        "clauses": {c["id"]: c["text"] for s in data["sections"] for c in s["clauses"]},
        "wording": checker["wording"],
        "date_format": checker["date_format"],
        "month_names": checker["month_names"],
        "questions": checker["questions"],
        "recipients": checker["recipients"],
        "rules": checker["rules"],
        "retention": data["retention"],
        "retention_not_stated": data["retention_not_stated"],
        "invariants": checker["invariants"],
    }
