"""A policy in other languages (issue 28): its words as gettext catalogs (generator/source/catalogs.py), and the
translated model, the original with its words replaced and nothing else.

Words are what the format's schema gives as text (`$defs/text`), outside the invariants (the maintainer's checks,
which no reader meets); every other string (ids, enum values, dates, addresses, version numbers, the answers
named in conditions) is data and the same in every language. The walk follows the schema, so a key added to the
format is words or data by its schema alone. Each string of words is one entry: `msgctxt` its key path, with a
list item's id in place of its position wherever it has one (moving a clause orphans no translation), `msgid`
the original words, `#.` what the translator must keep, `#:` its line in the policy file.

A policy's catalogs live in `translations/` beside the policy file, or in `translations/<file name>/` when that
folder exists (a folder of several policies, as tests/examples/): the template `policy.pot` and `LANG.po`.
A translated explanation shows the original's words of each quote one fold away (original_quotes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import PolicyError, Problem
from generator.source.catalogs import (Entry, Merged, merge, new_catalog, read_catalog, read_entries,
                                       write_catalog)
from generator.source.catalogs import notes as keep_notes
from generator.source.yaml_source import SourceMap, normalise_space

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog
    from generator.source.policy_model import Policy

FOLDER = "translations"
TEMPLATE = "policy.pot"
# A language as metadata.language writes it (BCP 47: cy, pl, pt-BR): the PO file's name.
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
TEXT = "#/$defs/text"
# The invariants are the maintainer's checks of the original: no reader meets their words.
NOT_READ = ("#/$defs/invariant",)


# ---------------------------------------------------------------- which strings are words

class _SchemaWalk:
    """A value walked beside its JSON Schema: the key paths of the strings the schema gives as text."""

    def __init__(self, schema: dict, not_read: tuple[str, ...] = ()):
        import jsonschema   # here: only the translations need it beside the schema check
        self.root, self.not_read = schema, not_read
        self.validator = jsonschema.Draft202012Validator(schema)

    def words(self, value: Any, keys: tuple = ()) -> Iterator[tuple]:
        yield from self._walk(value, [self.root], keys)

    def _walk(self, value: Any, schemas: list, keys: tuple) -> Iterator[tuple]:
        applied: list[dict] = []
        for schema in schemas:
            found = self._applied(schema, value)
            if found is None:
                return
            applied += found
        if isinstance(value, str):
            if any(s.get("$ref") == TEXT for s in applied):
                yield keys
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from self._walk(item, list(_children(applied, key)), keys + (key,))
        elif isinstance(value, list):
            items = [s["items"] for s in applied if isinstance(s.get("items"), dict)]
            for i, item in enumerate(value):
                yield from self._walk(item, items, keys + (i,))

    def _applied(self, schema: Any, value: Any) -> list[dict] | None:
        """Every schema that applies to value: references followed, the branch of anyOf, oneOf and if that the
        value takes; None when it is not read."""
        found, todo = [], [schema]
        while todo:
            node = todo.pop()
            if not isinstance(node, dict):
                continue
            found.append(node)
            if "$ref" in node:
                if node["$ref"] in self.not_read:
                    return None
                target: Any = self.root
                for part in node["$ref"].removeprefix("#/").split("/"):
                    target = target[part]
                todo.append(target)
            todo += node.get("allOf", [])
            for key in ("anyOf", "oneOf"):
                todo += next(([b] for b in node.get(key, []) if self._valid(b, value)), [])
            if "if" in node:
                todo.append(node.get("then") if self._valid(node["if"], value) else node.get("else"))
        return found

    def _valid(self, schema: Any, value: Any) -> bool:
        return self.validator.evolve(schema=schema).is_valid(value)


def _children(applied: list[dict], key: str) -> Iterator[dict]:
    for schema in applied:
        if key in schema.get("properties", {}):
            yield schema["properties"][key]
            continue
        matched = [s for pattern, s in schema.get("patternProperties", {}).items() if re.search(pattern, key)]
        yield from matched
        if not matched and isinstance(schema.get("additionalProperties"), dict):
            yield schema["additionalProperties"]


def word_paths(value: Any, schema: dict, not_read: tuple[str, ...] = ()) -> list[tuple]:
    """The key paths of value's strings that schema gives as text (`#/$defs/text`): its words."""
    return list(_SchemaWalk(schema, not_read).words(value))


@lru_cache(maxsize=1)
def _policy_walk() -> _SchemaWalk:
    from generator.source.schema_check import SCHEMA_PATH
    return _SchemaWalk(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")), NOT_READ)


# ---------------------------------------------------------------- entries

def entries(raw: dict, source: SourceMap) -> list[Entry]:
    """Every string of words of a policy file as parsed (before normalising), in file order."""
    found, seen = [], {}
    for keys in _policy_walk().words(raw):
        context = _context(raw, keys)
        if context in seen:   # ids the checks do not hold unique within their list (a worked example's)
            raise PolicyError([source.problem(keys, f'two items of this list have the key path "{context}"',
                                              f"each id once in its list (the first is at line "
                                              f"{source.locate(seen[context])[0]}): a translation is found by it")])
        seen[context] = keys
        found.append(Entry(keys, context, _at(raw, keys)))
    return found


def _context(raw: dict, keys: tuple) -> str:
    """('sections', 0, 'clauses', 2, 'text') → 'sections.our-promise.clauses.you-ask-us.text'; a list item
    without an id by its position: 'checker.month_names[0]'."""
    out, node = "", raw
    for key in keys:
        node = node[key]
        ident = node.get("id") if isinstance(key, int) and isinstance(node, dict) else None
        out += (f".{ident}" if isinstance(ident, str) else f"[{key}]") if isinstance(key, int) else f".{key}"
    return out.lstrip(".")


def _at(node: Any, keys: tuple) -> Any:
    for key in keys:
        node = node[key]
    return node


def _about(entry: Entry, raw: dict) -> list[str]:
    """What the translator must know of an entry: what it is, and what to keep as it is."""
    notes, leaf, parent = [], entry.keys[-1], _at(raw, entry.keys[:-1])
    if entry.keys[0] == "sections" and leaf == "text":
        notes.append("The policy's own words, which count: translate them exactly. Every quote of this clause "
                     "must be found, word for word, in your words for it.")
    elif leaf == "summary":
        notes.append("Our plain-English summary, beside the policy's own words.")
    elif leaf == "quote" and isinstance(parent, dict) and "clause" in parent:
        notes.append(f'A quote of clause "{parent["clause"]}": your words for it must be found, word for word, '
                     "in your words for that clause.")
    return notes + keep_notes(entry.text)


# ---------------------------------------------------------------- a policy's catalogs

def translations_dir(policy_path: Path) -> Path:
    """translations/ beside the policy file, or translations/<its name>/ when that exists (a folder of policies)."""
    own = policy_path.parent / FOLDER / policy_path.stem
    return own if own.is_dir() else policy_path.parent / FOLDER


def po_path(policy_path: Path, language: str) -> Path:
    return translations_dir(policy_path) / f"{language}.po"


def languages(policy_path: Path) -> list[str]:
    """The languages with a catalog beside the policy, by their files' names."""
    folder = translations_dir(policy_path)
    return sorted(p.stem for p in folder.glob("*.po")) if folder.is_dir() else []


def language_problem(language: str) -> str | None:
    if LANGUAGE.match(language):
        return None
    return f'"{language}" is not a language code as metadata.language writes one (cy, pl, pt-BR)'


def template(policy: Policy) -> Catalog:
    """Every string of words of the policy as one entry of a POT catalog, in file order."""
    import os
    folder = translations_dir(policy.path)
    where = os.path.relpath(policy.path, folder)
    catalog = new_catalog(project=policy.metadata["service"], version=policy.version_id, fuzzy=False,
                          header_comment=_header(policy))
    for entry in entries(policy.raw, policy.source):
        catalog.add(entry.text, context=entry.context, auto_comments=_about(entry, policy.raw),
                    locations=[(where, policy.source.locate(entry.keys)[0])])
    return catalog


def _header(policy: Policy, language: str | None = None) -> str:
    # Lines within Babel's width (76), which it would wrap again.
    what = f"in {language}. The original is the text that counts" if language else "to translate"
    return (f"# The words of {policy.metadata['service']}'s policy ({policy.path.name}),\n# {what}.\n"
            "# Each entry's msgctxt is where its words are in the policy file;\n"
            "# msgid is the original words. `policy-site translations update LANG`\n"
            "# brings LANG.po up to date with the policy: an entry whose original\n"
            "# changed is marked fuzzy, and is not published until it is translated\n"
            "# again.")


def extract(policy: Policy) -> tuple[Path, int]:
    """The template written: translations/policy.pot."""
    catalog = template(policy)
    path = translations_dir(policy.path) / TEMPLATE
    write_catalog(path, catalog)
    return path, len(catalog)


def update(policy: Policy, language: str) -> tuple[Path, Merged]:
    """translations/LANG.po brought up to date with the policy's words (created if new); the template with it."""
    from babel.core import UnknownLocaleError
    wrong = language_problem(language)
    if wrong:
        raise ValueError(wrong)
    fresh = template(policy)
    write_catalog(translations_dir(policy.path) / TEMPLATE, fresh)
    path = po_path(policy.path, language)
    if path.exists():
        catalog = read_catalog(path)
    else:
        try:
            catalog = new_catalog(locale=language.replace("-", "_"), project=fresh.project, version=fresh.version,
                                  fuzzy=False, header_comment=_header(policy, language))
        except (UnknownLocaleError, ValueError):
            raise ValueError(f'"{language}" is a language code Babel does not know, so it cannot say how the '
                             "language counts plurals") from None
    catalog.project, catalog.version = fresh.project, fresh.version
    merged = merge(catalog, fresh)
    write_catalog(path, catalog)
    return path, merged


# ---------------------------------------------------------------- the translated model

@dataclass(frozen=True)
class Translation:
    language: str
    file: Path
    entries: int
    policy: Policy | None        # the original with every usable translation put in; None when one is refused
    refused: list[Problem]       # translations that change what the original says: never used
    incomplete: list[Problem]    # missing, fuzzy or out of date: the original's words are used instead
    # Why this language may not be published for its interface text (interface_problem): its catalog
    # (generator/source/locale/LANG.po) is missing or not reviewed, and the policy's own `wording` does not supply
    # every text in it. None when it may be. A preview shows it with a notice (translation.unreviewed).
    interface: Problem | None = None


def translate(policy: Policy, language: str) -> Translation:
    """The policy in language, from translations/LANG.po beside it. Every problem is at its PO line. A missing,
    fuzzy or out-of-date entry leaves the original's words in the model (a preview may show it; publishing
    may not); a clause and the quotes of it are put in together, so that every quote is found in its clause."""
    from generator.source.policy_checks import where_quote_differs
    from generator.source.policy_model import Policy, normalise
    path = po_path(policy.path, language)
    wrong = language_problem(language)
    if wrong:
        return Translation(language, path, 0, None, [Problem(str(path), None, None, "", wrong,
                                                             "a PO file named by its language: cy.po, pl.po")], [])
    found = entries(policy.raw, policy.source)
    try:
        read = read_entries(path, found, f"`policy-site translations update {language}`")
    except PolicyError as err:
        return Translation(language, path, len(found), None, err.problems, [])
    refused, usable = read.refused, read.usable
    clauses = {c["id"]: ("sections", i, "clauses", j, "text") for i, s in enumerate(policy.raw["sections"])
               for j, c in enumerate(s["clauses"])}
    quotes: dict[tuple, list[tuple]] = {}   # a clause's words → its quotes' (any mapping of a clause and a quote)
    words = {entry.keys for entry in found}
    for keys, node in _mappings(policy.raw):
        if node.get("clause") in clauses and keys + ("quote",) in words:
            quotes.setdefault(clauses[node["clause"]], []).append(keys + ("quote",))
    for text_keys, quote_keys in quotes.items():
        if not all(k in usable for k in [text_keys, *quote_keys]):
            for k in [text_keys, *quote_keys]:   # the original's words for all, until each is translated
                usable.pop(k, None)
            continue
        for k in quote_keys:
            if normalise_space(usable[k]) not in normalise_space(usable[text_keys]):
                context = _context(policy.raw, k)
                refused.append(Problem(str(path), read.lines[k], 1, context, "the quote is not in the translation "
                                       f"of its clause (line {read.lines[text_keys]})"
                                       + where_quote_differs(usable[k], usable[text_keys]),
                                       "words copied exactly from the clause's translation"))
    if refused:
        return Translation(language, path, len(found), None, refused, read.incomplete)
    raw = _replaced(policy.raw, (), usable)
    interface = interface_problem(language, path, usable)
    translated = Policy(policy.path, normalise(raw, language=language), policy.source, raw=raw, language=language,
                        original=policy, unfinished=tuple(key for key, lacking in (("incomplete", read.incomplete),
                                                                                   ("unreviewed", interface))
                                                          if lacking))
    return Translation(language, path, len(found), translated, [], read.incomplete, interface)


NOT_REVIEWED = "not yet reviewed"   # how a catalog's X-Reviewed-By begins until a native speaker has reviewed it


def interface_problem(language: str, po: Path, usable: dict[tuple, str]) -> Problem | None:
    """What stops publishing language for the generator's interface text (the quick exit, the page titles, the
    notice that the original counts): its catalog, generator/source/locale/LANG.po, is missing or says in its
    X-Reviewed-By that no native speaker has reviewed it. None if it is reviewed, if the language is English (the
    interface text's own), or if the policy supplies every interface text itself: its `wording` gives each key of
    labels.yaml, translated in its translations/LANG.po (usable: the key paths translated there)."""
    from generator.source import labels
    if language.split("-")[0] == "en":
        return None
    wanted = [("wording",) + entry.keys for entry in labels.catalog_entries()]
    missing = [keys for keys in wanted if keys not in usable]
    if not missing:
        return None
    catalog = labels.catalog(language)
    file = labels.LOCALE_DIR / f"{language}.po"
    if catalog.reviewed_by and not catalog.reviewed_by.startswith(NOT_REVIEWED):
        return None
    instead = (f"or else the policy's own `wording` for every interface text, translated in {po}: it supplies "
               f"{len(wanted) - len(missing)} of {len(wanted)}, the first missing {'.'.join(missing[0])}")
    if not file.is_file():
        return Problem(str(po), None, None, "", f'the generator has no interface text in "{language}" (no '
                       f"{file}), so this translation's pages would show English words",
                       f"a catalog {file.name} there, reviewed by a native speaker; {instead}")
    line = next((n for n, text in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
                 if text.startswith('"X-Reviewed-By:')), None)
    return Problem(str(file), line, 1 if line else None, "X-Reviewed-By",
                   f'the interface text in "{language}" is not reviewed: '
                   f'"{catalog.reviewed_by or "no X-Reviewed-By header"}"',
                   f"the name of the native speaker who reviewed it, in this header; {instead}")


def load_translation(policy: Policy, language: str, *, preview: bool = False) -> Policy:
    """The translated model, or PolicyError: what is refused, and (unless preview) what is incomplete."""
    translation = translate(policy, language)
    problems = translation.refused + ([] if preview else translation.incomplete)
    if problems or translation.policy is None:
        raise PolicyError(problems)
    return translation.policy


def original_quotes(policy: Policy) -> dict[str, dict[str, str]]:
    """For a translation's model: each quote of the policy that its checker cites, by clause and by its translated
    words, to the original's words of the same quote, which a translated explanation shows one fold away. Read
    from the two models' checker data, which differ only in their words (translate): the same quote is at the same
    place in both. Empty for the original; a quote a preview leaves in the original's words (its clause not yet
    translated) has no entry, since the fold would repeat it."""
    if policy.original is None:
        return {}
    found: dict[str, dict[str, str]] = {}
    originals = dict(_mappings(policy.original.checker_data))
    for keys, node in _mappings(policy.checker_data):
        if isinstance(node.get("quote"), str) and isinstance(node.get("clause"), str) \
                and node["quote"] != originals[keys]["quote"]:
            found.setdefault(node["clause"], {})[node["quote"]] = originals[keys]["quote"]
    return found


def _mappings(node: Any, keys: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    if isinstance(node, dict):
        yield keys, node
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, value in items:
        yield from _mappings(value, keys + (key,))


def _replaced(node: Any, keys: tuple, words: dict[tuple, str]) -> Any:
    """A copy of node with the strings at words' key paths replaced: rebuilt, so that a YAML alias shared by
    two places is translated at each by its own entry."""
    if isinstance(node, dict):
        return {key: _replaced(value, keys + (key,), words) for key, value in node.items()}
    if isinstance(node, list):
        return [_replaced(value, keys + (i,), words) for i, value in enumerate(node)]
    return words.get(keys, node)


