"""The policy model (`Policy`) and `load_policy`: a policy file parsed, validated against the schema,
normalised and checked for what the schema cannot see. It raises PolicyError listing every problem found.

`load_policy` checks the file alone. What the site and `policy-site check` take also passes the checks that
need more (the pages' names, the invariants, the previous versions): that is
generator/source/load_and_check.py, which the CLI, the MkDocs plugin and the leaflets' process call.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from checker.dates import PERIOD_UNITS
from generator.source import labels
from generator.source.checker_data import checker_data_json, make_checker_data
from generator.errors import PolicyError
from generator.source.policy_checks import audiences_question, semantic_problems
from generator.source.schema_check import schema_problems
from generator.source.yaml_source import SourceMap, format_path, normalise_space, parse

# Values that may be written plainly or as {value, example}.
_EXAMPLE_FIELDS = [
    ("metadata", "version"), ("metadata", "effective_date"), ("metadata", "review_date"),
    ("metadata", "site_url"), ("safety", "quick_exit_url"),
]
# Facts of the document that it may not give: {not_given: true}. Normalised, every one of _EXAMPLE_FIELDS and
# of these is {value, example, not_given}; a fact not given has value None (README, "No invented facts").
NOT_GIVEN_FIELDS = [
    ("metadata", "organisation"), ("metadata", "version"), ("metadata", "effective_date"), ("metadata", "review_date"),
]


@functools.lru_cache(maxsize=32)
def text_direction(language: str) -> str:
    """"rtl" or "ltr" for a language code as metadata.language writes it ("ar", "en-GB"); "ltr" for one Babel
    does not know."""
    from babel import Locale, UnknownLocaleError
    try:
        return Locale.parse(language.replace("-", "_")).text_direction
    except (UnknownLocaleError, ValueError):
        return "ltr"


@dataclass
class Policy:
    """A valid policy: normalised data plus look-ups the outputs need.

    The look-ups are made once (cached): the data is not to be changed after loading."""

    path: Path
    data: dict
    source: SourceMap = field(repr=False)
    raw: dict = field(default_factory=dict, repr=False)   # the file as parsed, before normalise: what is translated
    # A translation (generator/source/translations.py): its language, and the original policy. None, None: the
    # original itself.
    language: str | None = None
    original: Policy | None = field(default=None, repr=False)
    # What a translation still lacks, which a preview's pages and leaflets say (wording.translation's key for each):
    # "incomplete" (entries missing, fuzzy or out of date, in the original's words here), "unreviewed" (its
    # interface text's catalog). Publishing refuses both (generator/source/translations.py).
    unfinished: tuple[str, ...] = ()

    @property
    def metadata(self) -> dict:
        return self.data["metadata"]

    @property
    def language_code(self) -> str:
        """The language its words are in: a translation's, else the file's metadata.language."""
        return self.language or self.metadata["language"]

    @property
    def direction(self) -> str:
        """"rtl" for a language written right to left (Arabic, Urdu), else "ltr": Babel's locale data says."""
        return text_direction(self.language_code)

    @property
    def safety(self) -> dict:
        return self.data["safety"]

    @property
    def sections(self) -> list[dict]:
        return self.data["sections"]

    @cached_property
    def clauses(self) -> dict[str, dict]:
        return {c["id"]: c for s in self.sections for c in s["clauses"]}

    @cached_property
    def footnotes(self) -> dict[str, dict]:
        return {f["id"]: f for f in self.data["footnotes"]}

    @property
    def retention(self) -> list[dict]:
        return self.data["retention"]

    @property
    def retention_page(self) -> dict | None:
        """None with `retention: not_stated`: the site then has no retention page."""
        return self.data.get("retention_page")

    @property
    def retention_not_stated(self) -> bool:
        """`retention: not_stated`: the policy says nothing about what is kept (then `retention` is [])."""
        return self.data["retention_not_stated"]

    @property
    def checker(self) -> dict:
        return self.data["checker"]

    @cached_property
    def checker_data_json(self) -> str:
        """The checker data as the build keeps it (all of it, indented; generator/source/checker_data.py), made once.
        The browser gets it less what only the build and the page read (checker_data_json(..., browser=True))."""
        return checker_data_json(make_checker_data(self.data))

    @cached_property
    def checker_data(self) -> dict[str, Any]:
        """checker_data_json read back: plain JSON values, shared by every caller, so never to be changed.
        The pages and the invariants read exactly this; the browser's engine, this less BUILD_ONLY and the page's
        words."""
        import json
        return json.loads(self.checker_data_json)

    @property
    def audiences_by(self) -> str | None:
        """The question whose values group callers for the caller pages and the checker page's static
        explanations (`audiences_by`, else the question "role" if there is one); None: the policy treats every
        caller alike."""
        return audiences_question(self.data)

    @cached_property
    def audience_explanations(self) -> dict[str, dict]:
        """The engine's explanation for each value of the `audiences_by` question, with nothing else answered
        (the caller pages and the checker page's static explanations both show them); {} without one."""
        from checker import evaluate
        if self.audiences_by is None:
            return {}
        by = next(q for q in self.checker_data["questions"] if q["id"] == self.audiences_by)
        return {v["value"]: evaluate(self.checker_data, {by["id"]: v["value"]}) for v in by["values"]}

    @cached_property
    def unanswered_explanation(self) -> dict:
        """The engine's explanation for a caller who has answered nothing: the checker page's one static
        explanation when no question groups callers."""
        from checker import evaluate
        return evaluate(self.checker_data, {})

    @property
    def audiences(self) -> list[dict]:
        return self.data.get("audiences", [])

    def value(self, *keys: str) -> Any:
        """A metadata value without its example marker, e.g. value('metadata', 'version')."""
        node: Any = self.data
        for key in keys:
            node = node[key]
        return node["value"] if isinstance(node, dict) and "example" in node else node

    def given(self, *keys: str) -> bool:
        """Whether the document gives the fact at keys (False for {not_given: true})."""
        return not self._node(keys)["not_given"]

    def not_given(self) -> list[str]:
        """Key paths of the facts the document does not give, in file order: the metadata's, then where each
        retention entry is kept and how it is destroyed."""
        return [format_path(keys) for keys in NOT_GIVEN_FIELDS if self._node(keys)["not_given"]] + [
            format_path(("retention", i, key)) for i, item in enumerate(self.retention) for key in item["not_given"]]

    @cached_property
    def our_reference(self) -> str:
        """Our own name for this text of the policy, for where the generator needs a version and the document
        gives none: the first 7 hex digits of the SHA-256 of its clauses' words, in order. It changes exactly when
        the organisation's words do (not our summaries, ids or rules), and is never shown as the organisation's."""
        if self.original is not None:   # a translation names the organisation's text, as its original does
            return self.original.our_reference
        words = [clause["text"] for clause in self.clauses.values()]
        return hashlib.sha256(json.dumps(words, ensure_ascii=False).encode("utf-8")).hexdigest()[:7]

    @property
    def version_id(self) -> str:
        """The version the generator names this text by: the document's, or else our reference (kept versions'
        file names, the "What changed" page, the leaflets' footers). Whether it is ours: given("metadata", "version")."""
        return self.value("metadata", "version") if self.given("metadata", "version") else self.our_reference

    def examples(self) -> list[str]:
        """Key paths whose values are placeholders, not the organisation's."""
        return [format_path(keys) for keys in self.example_paths()]

    def example_paths(self) -> list[tuple]:
        """The same as key tuples, in file order: ("metadata", "history", 0, "date")."""
        found: list[tuple] = [keys for keys in _EXAMPLE_FIELDS if self._node(keys)["example"]]
        found += [("checker", "rules", i, "exception", "strength") for i in self.data["checker"]["strengths_guessed"]]
        for i, entry in enumerate(self.metadata["history"]):
            for key in ("version", "date"):
                if entry[key].get("example"):
                    found.append(("metadata", "history", i, key))
        return sorted(found, key=lambda keys: self.source.locate(keys))

    def _node(self, keys: tuple[str, ...]) -> Any:
        node: Any = self.data
        for key in keys:
            node = node[key]
        return node


def load_policy(path: str | Path, data: bytes | None = None, *, read_format_2: bool = False) -> Policy:
    """Parse, validate and normalise a policy file. Raises PolicyError with every problem found. With
    read_format_2 (a kept version, either side of a diff) a format-2 file is read through `policy-site upgrade`'s
    edits, made in memory; its problems name the lines of the file as it is. (The policy in another language:
    generator/source/translations.py, load_translation.)"""
    raw, source = parse(path, data)
    if read_format_2 and isinstance(raw, dict) and raw.get("format") == 2:
        from generator.source.upgrade import read_as_format_3
        text = (data if data is not None else Path(path).read_bytes()).decode("utf-8-sig")
        upgraded_text, origin = read_as_format_3(text)
        raw, source = parse(path, upgraded_text.encode("utf-8"))
        source.renumber(origin)   # problems name the lines of the file as it is
    if not isinstance(raw, dict):
        raise PolicyError([source.problem((), "the file is not a mapping of keys",
                                          "a policy starting with format:, metadata:, …")])
    if raw.get("format") == 1:
        # Every format-1 file would fail the schema in many places; one line says why, and where to read.
        raise PolicyError([source.problem(("format",), "format 1 is an older form of this file and is no longer "
                                          "read", 'format: 3, after the changes in policy/README.md, '
                                          '"From format 1 to format 2", then `policy-site upgrade`')])
    if raw.get("format") == 2:
        raise PolicyError([source.problem(("format",), "format 2 is the previous form of this file",
                                          f"format: 3: run `policy-site upgrade {path}`, which edits the file and "
                                          "says what to confirm (policy/README.md, \"From format 2 to format 3\")")])
    problems = schema_problems(raw, source)
    if problems:
        raise PolicyError(problems)
    policy = Policy(Path(path), normalise(raw), source, raw)
    problems = semantic_problems(policy.data, source, policy.checker_data)  # made once, kept
    if problems:
        raise PolicyError(problems)
    return policy


def normalise(raw: dict, *, language: str | None = None) -> dict:
    """Expand shorthands into the full form; key paths stay as they were. language: the interface text's
    (labels.merged), for a translation."""
    data = copy.deepcopy(raw)
    data["metadata"].setdefault("site_url", None)   # the publisher's setting; left out, the leaflets have no QR code
    for keys in dict.fromkeys(_EXAMPLE_FIELDS + NOT_GIVEN_FIELDS):
        parent = data
        for key in keys[:-1]:
            parent = parent[key]
        parent[keys[-1]] = _fact_of(parent[keys[-1]])
    data["metadata"].setdefault("history", [])   # left out: the document gives no versions
    for entry in data["metadata"]["history"]:
        # A version of ours ({value, ours: true}: our reference for a text whose document gives no version).
        version = entry["version"]
        ours = isinstance(version, dict) and bool(version.get("ours"))
        entry["version"] = {"value": version["value"], "example": False, "ours": True} if ours else \
            {**_example_of(version), "ours": False}
        entry["date"] = _example_of(entry["date"])
    # The interface text: the generator's defaults with the policy's own words over them (labels.yaml).
    data["wording"] = labels.merged(data.get("wording"), language)
    _ours_title(data["metadata"])
    for key in ("phone", "email", "website"):   # optional, as null is: every reader may ask for each
        data["metadata"]["contact"].setdefault(key, None)
    for section in data["sections"]:
        _ours_title(section)
        number = 0
        for clause in section["clauses"]:
            clause["text"] = normalise_space(clause["text"])
            clause["summary"] = normalise_space(clause["summary"])
            clause.setdefault("kind", None)
            clause.setdefault("list_item", False)
            clause.setdefault("footnotes", [])
            # An item of a numbered list has its number, counted from 1 in each list (the pages and leaflets print
            # it; the document's "1." is not written in the clause's text).
            number = number + 1 if clause["list_item"] == "numbered" else 0
            clause["list_number"] = number or None
    for note in data["footnotes"]:
        note.setdefault("reference", None)
        if note["reference"]:
            note["reference"].setdefault("publisher", None)
    safety = data["safety"]
    for key in ("tab_title", "description"):
        safety.setdefault(key, None)
    safety.setdefault("discreet_leaflet_cover", False)
    checker = data["checker"]
    for key in ("date_format", "month_names"):   # needed only where a date is written out (policy_checks.NEEDED)
        checker.setdefault(key, None)
    checker["wording"].setdefault("telling", {})
    checker["wording"]["in_short"].setdefault("telling", {})
    checker["wording"].setdefault("always_possible", None)
    checker["wording"].setdefault("judgement", None)
    checker["wording"].setdefault("unless", None)
    checker["wording"].setdefault("undone", None)
    for question in checker["questions"]:
        question.setdefault("type", "choice")
        question.setdefault("hint", None)
        question["asked_when"] = _when(question.get("asked_when", {}))
        for value in question.get("values", []):
            value.setdefault("hint", None)
            value.setdefault("not_sure", False)
    checker["strengths_guessed"] = []   # indexes of the rules whose exception's strength is an example value
    for i, rule in enumerate(checker["rules"]):
        rule["when"] = _when(rule.get("when", {}))
        rule.setdefault("exception", None)
        rule.setdefault("protection", None)
        rule.setdefault("records", [])
        if rule["exception"]:
            strength = _example_of(rule["exception"]["strength"])
            rule["exception"]["strength"] = strength["value"]
            if strength["example"]:  # a guess (policy-site upgrade's) nobody has confirmed: listed like examples
                checker["strengths_guessed"].append(i)
            rule["exception"].setdefault("telling", "not_stated")
            rule["exception"].setdefault("telling_says", None)
            rule["exception"].setdefault("limit", None)
            rule["exception"].setdefault("judgement", None)
            _recipients(rule["exception"])
            rule["exception"].setdefault("whatever_you_answer", False)
        if rule["protection"]:
            rule["protection"].setdefault("person", None)
            rule["protection"].setdefault("unless", [])
        _says(rule["says"], ("applies", "would_apply_if"))
    # not_stated: the policy says nothing about what is kept. As an empty list every reader of the entries
    # reads it as it is; the flag says why it is empty.
    data["retention_not_stated"] = data["retention"] == "not_stated"
    if data["retention_not_stated"]:
        data["retention"] = []
    for item in data["retention"]:
        item["when"] = _when(item.get("when", {}))   # left out: always, as a rule's
        counted = item.get("counted_from")
        # A date question's id, or {event: words}: one shape for both.
        item["counted_from"] = (None if counted is None else {"question": counted, "event": None}
                                if isinstance(counted, str) else {"question": None, "event": counted["event"]})
        kept = item["kept_for"]
        kept.setdefault("months", None)
        kept.setdefault("event", None)
        # The period as {count, unit} in the unit the policy gives it (exactly one: the checks refuse more); months
        # stays as written, the other units' keys too.
        unit = next((key for key in kept if key in PERIOD_UNITS and kept[key] is not None), None)
        kept["period"] = {"count": kept[unit], "unit": unit} if unit else None
        kept.setdefault("limit", "for" if unit else "not_stated")
        # {not_given: true}: the policy does not say where it is kept or how it is destroyed. None here, and named
        # in not_given, as a fact of the metadata is.
        item["not_given"] = [key for key in ("where", "destroyed") if isinstance(item[key], dict)]
        for key in item["not_given"]:
            item[key] = None
        item["only_if"] = normalise_space(item["only_if"]) if item.get("only_if") else None
        item["sooner_if"] = normalise_space(item["sooner_if"]) if item.get("sooner_if") else None
        _says(item["says"], ("applies", "would_apply_if", "with_date"))
    for invariant in checker["invariants"]:
        invariant["when"] = _when(invariant.get("when", {}))
    for citation in _all_citations(data):
        citation["quote"] = normalise_space(citation["quote"])
    if "retention_page" in data:
        data["retention_page"].setdefault("short_title", None)
    data.setdefault("audiences", [])
    for audience in data["audiences"]:
        audience.setdefault("short_title", None)
    return data


def _recipients(exception: dict) -> None:
    """shared_with: [ids] (all of them), {one_of: [ids]}, {all_of: [ids]}, either with unnamed: words; as
    shared_with (the named ids), recipients_join ("all_of" or "one_of"), unnamed (words or None) and
    recipients_listed (written as a plain list: where the checks find an id)."""
    shared = exception["shared_with"]
    if isinstance(shared, dict):
        join = "one_of" if "one_of" in shared else "all_of"
        exception["shared_with"], exception["unnamed"] = list(shared.get(join, [])), shared.get("unnamed")
    else:
        join, exception["unnamed"] = "all_of", None
    exception["recipients_join"] = join
    exception["recipients_listed"] = not isinstance(shared, dict)   # for the checks' key paths


def _ours_title(node: dict) -> None:
    """title: text, or {value, ours: true} for words that are ours; as title plus title_ours."""
    title = node["title"]
    node["title"], node["title_ours"] = (title["value"], bool(title["ours"])) if isinstance(title, dict) else (title, False)


def _says(says: dict, keys: tuple[str, ...]) -> None:
    for key in keys:
        says[key] = normalise_space(says[key]) if says.get(key) else None


def _example_of(value: Any) -> dict:
    return value if isinstance(value, dict) else {"value": value, "example": False}


def _fact_of(value: Any) -> dict:
    """A value, {value, example} or {not_given: true} (or None, left out) as {value, example, not_given}."""
    if isinstance(value, dict) and value.get("not_given"):
        return {"value": None, "example": False, "not_given": True}
    return {**_example_of(value), "not_given": False}


def _when(when: dict) -> dict:
    return {key: list(value) if isinstance(value, list) else [value] for key, value in when.items()}


def _all_citations(data: dict):
    for item in data["retention"]:
        yield from item["cites"]
    for rule in data["checker"]["rules"]:
        yield from rule["cites"]
        if rule["exception"] and rule["exception"]["judgement"]:
            yield rule["exception"]["judgement"]
