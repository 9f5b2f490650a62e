"""What a published policy may not hold: placeholders (`{value: …, example: true}`), which the organisation's
document does not give. `policy-site check --publish` (and `--strict`) and the plugin's `publish` option
(`make publish`, through generator/source/load_and_check.py) refuse each one, located at its value."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from generator.errors import Problem

if TYPE_CHECKING:
    from generator.source.policy_model import Policy


def example_problems(policy: Policy) -> list[Problem]:
    problems = []
    for keys in policy.example_paths():
        node = policy.data
        for key in keys:
            node = node[key]
        value = node["value"] if isinstance(node, dict) else node   # a guessed strength is kept as its value
        problems.append(policy.source.problem(
            keys, f"{json.dumps(value, ensure_ascii=False)} is an example value, not the organisation's",
            "the organisation's own value, without example: true"))
    return problems
