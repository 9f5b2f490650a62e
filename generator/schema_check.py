"""Validate parsed policy data against policy/schema.json, reporting file positions."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from .errors import Problem, did_you_mean, one_of
from .yaml_source import SourceMap

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "policy" / "schema.json"


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_problems(data: Any, source: SourceMap) -> list[Problem]:
    """Every schema violation, one problem each, in file order."""
    problems = []
    for error in _validator().iter_errors(data):
        problems.extend(_describe(error, source))
    unique = {(p.line, p.column, p.path, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line or 0, p.column or 0, p.path))


def _describe(error: jsonschema.ValidationError, source: SourceMap) -> list[Problem]:
    path = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind in ("anyOf", "oneOf") and error.context:
        # Report the alternative that got furthest, not "is not valid under any of the given schemas".
        best = jsonschema.exceptions.best_match(error.context)
        return _describe(best, source)
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        return [source.problem(path + (key,), f'unknown key "{key}"{did_you_mean(key, allowed)}',
                               "allowed keys: " + ", ".join(allowed), key=True) for key in extra]
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [source.problem(path, f'missing key "{missing}"', f'add "{missing}:" here')]
    if kind == "type":
        expected = schema.get("type")
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return [source.problem(path, f"wrong type: {_kind_of(error.instance)} {_show(error.instance)}",
                               f"expected {_article(expected)}")]
    if kind in ("enum", "const"):
        choices = schema.get("enum", [schema.get("const")])
        return [source.problem(path, f"{_show(error.instance)} is not allowed{did_you_mean(error.instance, map(str, choices))}",
                               one_of(map(str, choices)))]
    if kind == "pattern":
        return [source.problem(path, f"{_show(error.instance)} is not in the right form",
                               _pattern_hint(path, schema))]
    if kind == "minLength":
        return [source.problem(path, "the text is empty", "some words")]
    if kind == "minItems":
        return [source.problem(path, "the list is empty" if not error.instance else "the list is too short",
                               f"at least {schema['minItems']} item(s)")]
    if kind == "maxItems":
        return [source.problem(path, "the list is too long", f"at most {schema['maxItems']} items")]
    if kind == "uniqueItems":
        return [source.problem(path, "the list repeats an item", "each item once")]
    if kind == "minimum":
        return [source.problem(path, f"{error.instance} is too small", f"at least {schema['minimum']}")]
    if kind == "not":
        return [source.problem(path, "a date question has values", "no values for type: date")]
    return [source.problem(path, error.message, None)]


def _pattern_hint(path: tuple, schema: dict) -> str:
    description = schema.get("description")
    if description:
        return description.rstrip(".")
    return f"text matching {schema.get('pattern')}"


def _kind_of(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "nothing (null)"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return ""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…\""


def _article(expected: str | None) -> str:
    names = {"object": "a mapping (key: value)", "array": "a list", "string": "text", "integer": "a whole number",
             "boolean": "true or false", "null": "null", "number": "a number"}
    return " or ".join(names.get(part, part) for part in (expected or "").split(" or "))
