"""Validate parsed policy data against the policy format's JSON Schema, reporting file positions.

The schema is package data (generator/source/policy.schema.json); policy/schema.json in the checkout is a link to it,
for editors, and `policy-site new` writes a copy beside a new policy."""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator import build_cache
from generator.errors import Problem, did_you_mean
from generator.source.yaml_source import SourceMap, format_path

SCHEMA_PATH = Path(__file__).resolve().parent / "policy.schema.json"


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema   # here: a policy the cache vouches for needs none of it (a tenth of a build's time)
    # The schema itself is checked against the draft's meta-schema by the tests, not here: it costs
    # a fifth of a second on every run.
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def schema_problems(data: Any, source: SourceMap) -> list[Problem]:
    """Every schema violation, one problem each, in file order. A policy found valid is remembered in the build
    cache by what was checked (its data, the schema and jsonschema's version): the same data is valid again."""
    key = build_cache.digest("schema", SCHEMA_PATH.read_bytes(), json.dumps(data, ensure_ascii=False, sort_keys=True),
                             *build_cache.versions("jsonschema"))
    if build_cache.load("schema-valid", key) is not None:
        return []
    problems = _problems(data, source)
    if not problems:
        build_cache.store("schema-valid", key, b"valid")
    return problems


def _problems(data: Any, source: SourceMap) -> list[Problem]:
    problems = []
    for error in _validator().iter_errors(data):
        problems.extend(_describe(error, source))
    # One problem per place and message: "" breaks both minLength and the \\S pattern.
    unique = {(p.line, p.column, p.path, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line or 0, p.column or 0, p.path))


def _describe(error: jsonschema.ValidationError, source: SourceMap) -> list[Problem]:
    path = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind in ("anyOf", "oneOf") and error.context:
        # Report the alternative that got furthest, not "is not valid under any of the given schemas":
        # one of the instance's own type (a mapping given for "text or {value, example}" is the latter).
        same_type = [e for e in error.context if not (e.validator == "type" and not e.relative_path)]
        # A mapping with not_given was meant as {not_given: true}, one without it as another shape: that one
        # says what is wrong.
        if isinstance(error.instance, dict):
            meant = "not_given" in error.instance
            same_type = [e for e in same_type
                         if ("not_given" in _schema_of(schema[kind][e.relative_schema_path[0]]).get("required", []))
                         == meant] or same_type
        from jsonschema.exceptions import best_match
        best = best_match(same_type or error.context)
        return _describe(best, source)
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        return [source.problem(path + (key,), f'unknown key "{key}"{did_you_mean(key, allowed)}',
                               "allowed keys: " + ", ".join(allowed), key=True) for key in extra]
    if kind == "required":
        missing = error.validator_value
        missing = [m for m in missing if m not in error.instance] if isinstance(error.instance, dict) else missing
        found = []
        for key in missing:
            if _misspelt(key, error.instance, schema):
                continue  # the unknown-key problem already says 'did you mean "key"?'
            where = f"to {format_path(path)}" if path else "at the top level"
            found.append(source.problem(path, f'missing key "{key}"', f'add "{key}:" {where}', key=True))
        return found
    if kind == "type":
        expected = schema.get("type")
        expected = expected if isinstance(expected, list) else [expected]
        return [source.problem(path, f"wrong type: {_kind_of(error.instance)} {_show(error.instance)}".rstrip(),
                               _expected_type(expected, error.instance))]
    if kind == "const":
        return [source.problem(path, f"{_show(error.instance) or _kind_of(error.instance)} is not allowed",
                               f"expected {json.dumps(schema.get('const'), ensure_ascii=False)}")]
    if kind == "enum":
        choices = schema.get("enum", [])
        words = [c for c in choices if isinstance(c, str)]
        return [source.problem(path, f"{_show(error.instance) or _kind_of(error.instance)} is not allowed"
                               f"{did_you_mean(error.instance, words) if isinstance(error.instance, str) else ''}",
                               "expected one of: " + ", ".join(json.dumps(c, ensure_ascii=False) for c in choices))]
    if kind == "pattern":
        if not str(error.instance).strip():
            return [source.problem(path, "the text is empty", "some words")]
        return [source.problem(path, f"{_show(error.instance)} is not in the right form{_fix(error.instance, schema)}",
                               _pattern_hint(schema))]
    if kind == "minLength":
        return [source.problem(path, "the text is empty", "some words")]
    if kind == "minItems":
        return [source.problem(path, "the list is empty" if not error.instance else "the list is too short",
                               f"at least {_items(schema['minItems'])}")]
    if kind == "maxItems":
        return [source.problem(path, "the list is too long", f"at most {_items(schema['maxItems'])}")]
    if kind == "uniqueItems":
        return [source.problem(path, "the list repeats an item", "each item once")]
    if kind == "minimum":
        return [source.problem(path, f"{error.instance} is too small", f"at least {schema['minimum']}")]
    if kind == "not":
        # The schema's two "not"s: a question of type date has no values; recipients are all of or one of them.
        banned = schema.get("not", {}).get("required", [])
        if banned == ["all_of", "one_of"]:
            return [source.problem(path + ("one_of",), 'both "all_of" and "one_of"',
                                   "one of them: all_of when it goes to all of them, one_of when to one or more of them",
                                   key=True)]
        where = path + (banned[0],) if banned and isinstance(error.instance, dict) and banned[0] in error.instance else path
        return [source.problem(where, f'a question of type date cannot have "{banned[0] if banned else "values"}"',
                               "remove the values, or make it type: choice", key=True)]
    return [source.problem(path, error.message, None)]


def _schema_of(schema: dict) -> dict:
    """An alternative of an anyOf, its $ref followed."""
    ref = schema.get("$ref", "")
    return _validator().schema["$defs"].get(ref.rsplit("/", 1)[-1], schema) if ref.startswith("#/$defs/") else schema


def _misspelt(key: str, instance: Any, schema: dict) -> bool:
    """Whether a key of instance that the schema does not know is a near miss of key."""
    if not isinstance(instance, dict) or schema.get("additionalProperties") is not False:
        return False
    unknown = [k for k in instance if k not in schema.get("properties", {})]
    return any(difflib.get_close_matches(key, [str(k)], n=1, cutoff=0.6) for k in unknown)


def _items(count: int) -> str:
    return f"{count} item" + ("" if count == 1 else "s")


def _fix(value: Any, schema: dict) -> str:
    """'; try "training-section"' when lower-casing and joining the words would match the pattern."""
    if not isinstance(value, str):
        return ""
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return f'; try "{slug}"' if slug and slug != value and re.search(schema["pattern"], slug) else ""


def _pattern_hint(schema: dict) -> str:
    description = schema.get("description")
    if description:
        description = description.rstrip(".")
        # "A date, YYYY-MM-DD." reads on as "a date, YYYY-MM-DD"; "BCP 47 …" keeps its capitals.
        first = description.split()[0]
        return description[:1].lower() + description[1:] if len(first) == 1 or first[1:].islower() else description
    return f"text matching {schema.get('pattern')}"


def _expected_type(expected: list[str], value: Any) -> str:
    text = f"expected {_article(' or '.join(expected))}"
    if "string" in expected and isinstance(value, (int, float)) and not isinstance(value, bool):
        text += "; put it in quotes to keep it as written"
    if "boolean" in expected and isinstance(value, str):
        text += ", without quotes"
    return text


def _kind_of(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "nothing (null)"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)) or value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…\""


def _article(expected: str | None) -> str:
    names = {"object": "a mapping (key: value)", "array": "a list", "string": "text", "integer": "a whole number",
             "boolean": "true or false", "null": "null", "number": "a number"}
    return " or ".join(names.get(part, part) for part in (expected or "").split(" or "))
