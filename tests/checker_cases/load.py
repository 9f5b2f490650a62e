"""Read the checker's case files (tests/checker_cases/*.yaml) into Case objects.

The files are read with the project's own YAML reader (YAML 1.2 scalars: `yes`
stays text, dates stay text; duplicate keys are an error), and every key of a
case is checked, so that a misspelt expectation fails loudly instead of
silently testing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.yaml_source import parse

CASES_DIR = Path(__file__).resolve().parent

CASE_KEYS = {"name", "description", "answers", "expected", "error"}
EXPECTED_KEYS = {
    "outcome",                 # confidential | confidential_except_always_possible | could_be_shared
    "exceptions",              # {exception id: applies | would_apply_if | always_possible}: exactly these
    "shared_with",             # [recipient ids], in the policy's order
    "caller_told_first",       # always | where_possible_and_safe | null
    "telling",                 # {exception id: first | first_where_possible_and_safe | afterwards | not_told | not_stated}
    "protections",             # {protection id: applies | would_apply_if}: exactly these
    "perpetrator_never_told",  # true | false | null
    "records",                 # {record id: until date (YYYY-MM-DD) or null}: exactly these
    "record_status",           # {record id: applies | would_apply_if}
    "points",                  # [point ids] in reading order: exactly these
    "quotes",                  # [words]: each found in some citation's quote
    "says",                    # [words]: each found in some point's text
    "never_says",              # [words]: found in no point's text
}


@dataclass
class Case:
    file: str
    line: int
    name: str
    description: str
    answers: dict[str, Any]
    expected: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def load_cases(directory: Path = CASES_DIR) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("*.yaml")):
        data, source = parse(path)
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a list of cases at the top level")
        for index, raw in enumerate(data):
            line = source.locate((index,))[0] or 0
            where = f"{path.name}:{line}"
            if not isinstance(raw, dict):
                raise ValueError(f"{where}: a case is a mapping with name, description, answers, expected or error")
            unknown = set(raw) - CASE_KEYS
            if unknown:
                raise ValueError(f"{where}: unknown key(s) {sorted(unknown)} (expected some of {sorted(CASE_KEYS)})")
            for needed in ("name", "description", "answers"):
                if needed not in raw:
                    raise ValueError(f"{where}: the case has no {needed!r}")
            if ("expected" in raw) == ("error" in raw):
                raise ValueError(f"{where}: a case has either 'expected' or 'error', not both or neither")
            expected = raw.get("expected") or {}
            unknown = set(expected) - EXPECTED_KEYS
            if unknown:
                raise ValueError(f"{where}: unknown expected key(s) {sorted(unknown)} (expected some of {sorted(EXPECTED_KEYS)})")
            cases.append(Case(path.name, line, raw["name"], raw["description"], raw["answers"] or {},
                              expected, raw.get("error")))
    names = [c.name for c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"case names must be unique; repeated: {sorted(duplicates)}")
    return cases
