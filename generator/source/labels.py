"""The generator's interface text (`labels`): its English defaults in labels.yaml beside this file, their
translations (locale/LANG.po, gettext catalogs made from it: generator/source/catalogs.py), and a policy file's
top-level `wording`, which overrides any of them key by key.

Every word a reader meets on the site, in the leaflets and in the checker comes from the policy file or from
here, none from a template: the templates ask for `labels` (or, for the explanation, `checker.wording`). The
schema's `wording` is made from the defaults (`wording_schema`), so the two cannot drift apart
(tests/test_labels.py holds the schema file to it).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import Problem
from generator.source.catalogs import (Entry, Merged, merge, new_catalog, notes, read_catalog, read_entries,
                                       write_catalog)

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

DEFAULTS_PATH = Path(__file__).resolve().parent / "labels.yaml"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    from generator.source.yaml_source import parse   # YAML 1.2, duplicate keys refused, as a policy file
    data, _ = parse(DEFAULTS_PATH)
    return data


def defaults(language: str | None = None) -> dict[str, Any]:
    """The English defaults, a fresh copy each time (the caller may change it); with language, its catalog's
    words over them (locale/LANG.po), English where it has none to use."""
    words = copy.deepcopy(_defaults())
    if language is not None:
        for keys, text in catalog(language).words.items():
            node = words
            for key in keys[:-1]:
                node = node[key]
            node[keys[-1]] = text
    return words


def merged(overrides: dict[str, Any] | None, language: str | None = None) -> dict[str, Any]:
    """The defaults (in language, if given) with a policy's `wording` put over them, key by key at every level.
    The schema has already refused a key the defaults lack, so the result has exactly the defaults' keys."""
    def over(base: dict, given: dict) -> dict:
        return {key: over(value, given[key]) if isinstance(value, dict) and key in given
                else given.get(key, value) for key, value in base.items()}
    return over(defaults(language), overrides or {})


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


# ---------------------------------------------------------------- the interface text in other languages

def catalog_entries() -> list[Entry]:
    """Every text of labels.yaml, its key path ('caller_page.headline.confidential') its msgctxt."""
    def walk(node: Any, keys: tuple) -> Iterator[Entry]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, keys + (key,))
        else:
            yield Entry(keys, ".".join(keys), node)
    return list(walk(_defaults(), ()))


def catalog_template() -> Catalog:
    from generator.source.yaml_source import parse
    _, source = parse(DEFAULTS_PATH)
    template = new_catalog(project="policy-site", version="interface-text", fuzzy=False,
                           header_comment="# The generator's interface text (generator/source/labels.yaml):\n"
                                          "# each entry's msgctxt is its key path there.")
    for entry in catalog_entries():
        template.add(entry.text, context=entry.context, auto_comments=notes(entry.text),
                     locations=[(DEFAULTS_PATH.name, source.locate(entry.keys)[0])])
    return template


@dataclass(frozen=True)
class Translated:
    language: str
    words: dict[tuple, str]      # key path → the translation, for each entry that may be used
    reviewed_by: str | None      # the catalog's X-Reviewed-By: a native speaker's name, or that none has yet
    problems: list[Problem]      # refused or incomplete entries, at their lines: English is used for them


@lru_cache(maxsize=None)
def catalog(language: str) -> Translated:
    """The interface text in language (locale/LANG.po); no words when the generator has no catalog for it."""
    path = LOCALE_DIR / f"{language}.po"
    if not path.is_file():
        return Translated(language, {}, None, [])
    read = read_entries(path, catalog_entries(), "`python -m generator.source.labels`")
    return Translated(language, read.usable, read_catalog(path).extra_headers.get("X-Reviewed-By"),
                      read.refused + read.incomplete)


def update_catalogs() -> dict[str, Merged]:
    """Each locale/LANG.po brought up to date with labels.yaml (after an edit of it)."""
    fresh, done = catalog_template(), {}
    for path in sorted(LOCALE_DIR.glob("*.po")):
        kept = read_catalog(path)
        done[path.stem] = merge(kept, fresh)
        write_catalog(path, kept)
    return done


if __name__ == "__main__":
    # After an edit of labels.yaml: the schema's `wording`, and the interface catalogs (an entry whose English
    # changed becomes fuzzy, and English is shown for it until it is translated again).
    write_schema()
    for name, counts in update_catalogs().items():
        print(f"generator/source/locale/{name}.po: {counts}")
