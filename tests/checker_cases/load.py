"""Read the checker's case files into Case objects, for every policy that has cases.

The cases of a policy are in a folder named after its file: tests/checker_cases/respect-phoneline/*.yaml
are about policy/respect-phoneline.yaml, tests/checker_cases/nightjar/*.yaml about
tests/examples/nightjar.yaml. The same loader and the same runners (tests/test_checker_cases.py in
CPython, tests/test_checker_pyodide.py in Pyodide) serve every policy.

The files are read with the project's own YAML reader (YAML 1.2 scalars: `yes`
stays text, dates stay text; duplicate keys are an error), and every key of a
case is checked, so that a misspelt expectation fails loudly instead of
silently testing nothing.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.source.yaml_source import parse
from harness import ROOT

CASES_DIR = Path(__file__).resolve().parent
# Where a folder's policy is looked for: <folder name>.yaml in the first of these that has it.
POLICY_DIRS = (ROOT / "policy", ROOT / "tests" / "examples")

CASE_KEYS = {"name", "description", "answers", "expected", "error"}
EXPECTED_KEYS = {
    "outcome",                 # confidential | confidential_except_always_possible | could_be_shared
    "exceptions",              # {exception id: applies | would_apply_if | always_possible}: exactly these
    "shared_with",             # [recipient ids], in the policy's order
    "caller_told_first",       # always | where_possible_and_safe | null
    "telling",                 # {exception id: its telling (with_agreement, first, …, not_stated)}
    "judgement",               # [exception ids] the helpline decides by its judgement, of those listed: exactly these
    "promise",                 # the combined telling's promise: the weakest of what applies (null: none applies)
    "in_short",                # the one-line answer, word for word
    "headline",                # the verdict, word for word
    "unnamed_recipients",      # true | false: someone the policy does not name could be told
    "protections",             # {protection id: applies | would_apply_if}: exactly these
    "perpetrator_never_told",  # true | false | null
    "undone",                  # {protection id: true | false}: an exception its unless names applies
    "unless",                  # {protection id: {exception id: applies | would_apply_if}}: exactly these undo it
    "records",                 # {record id: until date (YYYY-MM-DD) or null}: exactly these
    "record_status",           # {record id: applies | would_apply_if}
    "records_not_stated",      # the sentence that the policy does not say what is kept, word for word; null
    "points",                  # [point ids] in reading order: exactly these
    "quotes",                  # [words]: each found in some citation's quote
    "says",                    # [words]: each found in some point's text
    "never_says",              # [words]: found in no point's text
}


@dataclass
class Case:
    policy: str        # the name of the policy file, without .yaml (the cases' folder)
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


def policy_file(name: str) -> Path:
    """The policy file a folder of cases is about: <name>.yaml in policy/ or tests/examples/."""
    for folder in POLICY_DIRS:
        if (folder / f"{name}.yaml").is_file():
            return folder / f"{name}.yaml"
    raise ValueError(f"no policy named {name!r}: a folder of cases is named after a policy file "
                     f"({', '.join(str(d.relative_to(ROOT)) + '/' + name + '.yaml' for d in POLICY_DIRS)})")


@functools.cache
def _load(name: str):
    from generator.source.policy_model import load_policy
    return load_policy(policy_file(name))


def checker_json_text(name: str) -> str:
    """The whole checker data of the named policy, as the build reads it."""
    return _load(name).checker_data_json


def browser_json_text(name: str) -> str:
    """The checker data of the named policy as the site serves it to the browser (without BUILD_ONLY and the page's
    words)."""
    from generator.source.checker_data import checker_data_json
    return checker_data_json(_load(name).checker_data, browser=True)


def translated_examples() -> list[tuple[str, str]]:
    """(policy name, language) for each translation of an example policy: tests/examples/translations/<name>/LANG.po."""
    folder = ROOT / "tests" / "examples" / "translations"
    return sorted((d.name, po.stem) for d in folder.iterdir() if d.is_dir() for po in d.glob("*.po"))


@functools.cache
def translated_browser_json_text(name: str, language: str) -> str:
    """browser_json_text of the named policy's translation into language (its translated model's checker data)."""
    from generator.source.checker_data import checker_data_json
    from generator.source.translations import load_translation
    return checker_data_json(load_translation(_load(name), language).checker_data, browser=True)


def checker_data(name: str) -> dict:
    """The checker data through JSON, so no Python-only types slip in (a fresh copy each time)."""
    return json.loads(checker_json_text(name))


def explanation_digest(explanation: dict) -> str:
    """sha256 of the explanation's compact JSON: what Pyodide's runs give for every answer set
    (tests/pyodide/run_cases.py, compact(), says why compact and not to_json; the formula is the same there)."""
    import hashlib
    text = json.dumps(explanation, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def case_folders(directory: Path = CASES_DIR) -> list[Path]:
    """The folders of cases, one per policy; a case file outside them is refused."""
    stray = sorted(p.name for p in directory.glob("*.yaml"))
    if stray:
        raise ValueError(f"{directory}: case files belong in a folder named after their policy, not at the top: {stray}")
    return sorted(d for d in directory.iterdir() if d.is_dir() and not d.name.startswith(("_", ".")))


def load_cases(directory: Path = CASES_DIR) -> list[Case]:
    cases: list[Case] = []
    for folder in case_folders(directory):
        policy_file(folder.name)
        cases.extend(_load_folder(folder))
    names = [c.name for c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"case names must be unique; repeated: {sorted(duplicates)}")
    return cases


def _load_folder(folder: Path) -> list[Case]:
    cases: list[Case] = []
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise ValueError(f"{folder}: no case files (*.yaml)")
    for path in paths:
        data, source = parse(path)
        name = f"{folder.name}/{path.name}"
        if not isinstance(data, list):
            raise ValueError(f"{name}: expected a list of cases at the top level")
        for index, raw in enumerate(data):
            line = source.locate((index,))[0] or 0
            where = f"{name}:{line}"
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
            cases.append(Case(folder.name, name, line, raw["name"], raw["description"], raw["answers"] or {},
                              expected, raw.get("error")))
    return cases
