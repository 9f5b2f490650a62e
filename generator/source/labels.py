"""The generator's interface text (`labels`): its English defaults in labels.yaml beside this file, and a
policy file's top-level `wording`, which overrides any of them key by key.

Every word a reader meets on the site, in the leaflets and in the checker comes from the policy file or from
here, none from a template: the templates ask for `labels` (or, for the explanation, `checker.wording`). The
schema's `wording` is made from the defaults (`wording_schema`), so the two cannot drift apart
(tests/test_labels.py holds the schema file to it).
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULTS_PATH = Path(__file__).resolve().parent / "labels.yaml"


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    from generator.source.yaml_source import parse   # YAML 1.2, duplicate keys refused, as a policy file
    data, _ = parse(DEFAULTS_PATH)
    return data


def defaults() -> dict[str, Any]:
    """The English defaults, a fresh copy each time (the caller may change it)."""
    return copy.deepcopy(_defaults())


def merged(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """The defaults with a policy's `wording` put over them, key by key at every level. The schema has already
    refused a key the defaults lack, so the result has exactly the defaults' keys."""
    def over(base: dict, given: dict) -> dict:
        return {key: over(value, given[key]) if isinstance(value, dict) and key in given
                else given.get(key, value) for key, value in base.items()}
    return over(defaults(), overrides or {})


def wording_schema() -> dict[str, Any]:
    """The JSON Schema of a policy's `wording`: every key of the defaults, each optional, none other."""
    def of(node: Any, keys: tuple[str, ...]) -> dict[str, Any]:
        if isinstance(node, dict):
            return {"type": "object", "additionalProperties": False,
                    "properties": {k: of(v, keys + (k,)) for k, v in node.items()}}
        return {"$ref": "#/$defs/text", "description": f"Default: {node.strip()}" if len(node) < 200
                else "Default: see generator/source/labels.yaml"}
    schema = of(_defaults(), ())
    schema["description"] = ("The generator's interface text, every key optional: what is given here replaces "
                             "its English default (generator/source/labels.yaml; policy/README.md, \"wording\").")
    return schema


def write_schema(path: Path | None = None) -> None:
    """Put wording_schema() into the schema file as its `$defs.wording`, leaving the rest of the file as it is
    (run after editing labels.yaml: `python -m generator.source.labels`)."""
    import json
    from generator.source.schema_check import SCHEMA_PATH
    path = path or SCHEMA_PATH
    text = path.read_text(encoding="utf-8")
    at = text.index('\n    "wording": {', text.index('\n  "$defs"')) + 1
    start = text.index("{", at)
    _, end = json.JSONDecoder().raw_decode(text, start)
    new = json.dumps(wording_schema(), indent=2, ensure_ascii=False).replace("\n", "\n    ")
    path.write_text(text[:start] + new + text[end:], encoding="utf-8")


if __name__ == "__main__":
    write_schema()
