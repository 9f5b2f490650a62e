"""gettext catalogs through Babel: the translators' files of a policy (generator/source/translations.py) and of
the generator's interface text (generator/source/labels.py).

An entry's key is its `msgctxt`, the key path of its words; `msgid` is the original words. The merge is ours,
not Babel's `Catalog.update`: that finds a changed original by how alike the words are, across key paths (a new
clause could take another's translation as its guess), and forgets the old words (`#| msgid`) on the next
update. Here the key path is the key: the same path with other words is the entry whose original changed,
kept, marked fuzzy, with the words it was translated from as `#| msgid`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import PolicyError, Problem, counted

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")
NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Entry:
    keys: tuple      # the key path in the file, positions as they are
    context: str     # the key path by ids: the entry's msgctxt
    text: str        # the original words: its msgid


def notes(text: str) -> list[str]:
    """What a translator must keep of the original's words, as `#.` comments."""
    found = []
    placeholders = list(dict.fromkeys(PLACEHOLDER.findall(text)))
    if placeholders:
        found.append(f"Keep {', '.join(placeholders)} as {'it is' if len(placeholders) == 1 else 'they are'}: "
                     "filled in when shown.")
    if "[" in text:
        found.append("The words in [brackets] are a link: keep the brackets around your words for it.")
    if NUMBER.search(text):
        found.append(f"Keep the numbers as figures: {', '.join(NUMBER.findall(text))}.")
    return found


def _catalog_class() -> type:
    from babel.messages.catalog import Catalog

    class KeptHeaders(Catalog):
        """Babel's catalog, keeping the header fields it does not know (it drops them): X-Reviewed-By."""

        def __init__(self, *args: Any, **kwargs: Any):
            self.extra_headers: dict[str, str] = {}
            super().__init__(*args, **kwargs)

        def _get_mime_headers(self) -> list[tuple[str, str]]:
            headers = super()._get_mime_headers()
            return headers[:-1] + list(self.extra_headers.items()) + headers[-1:]   # Generated-By stays last

        def _set_mime_headers(self, headers: Any) -> None:
            headers = list(headers)
            super()._set_mime_headers(headers)
            self.extra_headers.update((name, value.strip()) for name, value in headers
                                      if name.lower().startswith("x-"))

        mime_headers = property(_get_mime_headers, _set_mime_headers)

    return KeptHeaders


def new_catalog(**kwargs: Any) -> Catalog:
    return _catalog_class()(**kwargs)


def read_catalog(path: Path) -> Catalog:
    """A PO or POT file, each entry's `#| msgid` as its previous_id; PolicyError at the line Babel cannot read."""
    from babel.messages.pofile import PoFileError, PoFileParser
    catalog = new_catalog()
    try:
        with path.open("rb") as file:
            PoFileParser(catalog, ignore_obsolete=False, abort_invalid=True).parse(file)
    except OSError as err:
        raise PolicyError([Problem(str(path), None, None, "", f"cannot read the file: {err.strerror}",
                                   "a PO file, as `policy-site translations update LANG` writes")]) from None
    except (PoFileError, UnicodeDecodeError) as err:
        line = getattr(err, "lineno", None)
        raise PolicyError([Problem(str(path), None if line is None else line + 1, 1, "",
                                   f"not a PO file that can be read: {err}",
                                   "entries of msgctxt, msgid and msgstr, as a PO editor (Poedit) writes")]) from None
    for message in [*catalog, *catalog.obsolete.values()]:
        _previous_from_comments(message)
    return catalog


def _previous_from_comments(message: Message) -> None:
    """Babel reads `#| msgid "…"` as a comment of the translator's ("| msgid …"): take it back as previous_id."""
    from babel.messages.pofile import unescape
    kept, previous, within = [], [], False
    for comment in message.user_comments:
        if not comment.startswith("|"):
            kept.append(comment)
            continue
        body = comment[1:].strip()
        if body.startswith("msgid "):
            previous.append(unescape(body[len("msgid "):]))
            within = True
        elif body.startswith('"') and within:
            previous[-1] += unescape(body)
        else:
            within = False
    message.user_comments = kept
    if previous:
        message.previous_id = previous


def write_catalog(path: Path, catalog: Catalog) -> None:
    """catalog as a PO file at path, each fuzzy entry's previous original as `#| msgid`, written here as gettext
    writes it: Babel 2.18 wraps that line as prose, which splits its quoted string across comment lines."""
    from babel.messages.pofile import generate_po, normalize
    messages = iter(list(catalog))   # in the order generate_po writes them: the header first
    out, after_context = [], False
    for chunk in generate_po(catalog):
        if chunk.startswith("msgctxt ") or (chunk.startswith("msgid ") and not after_context):
            previous = next(messages).previous_id
            if previous:
                out.append("#| msgid " + normalize(previous[0]).replace("\n", "\n#| ") + "\n")
        after_context = chunk.startswith("msgctxt ")
        out.append(chunk)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_bytes("".join(out).encode(catalog.charset, "backslashreplace"))
    part.replace(path)


@dataclass(frozen=True)
class Merged:
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int


def merge(old: Catalog, template: Catalog) -> Merged:
    """template's entries into old, by key path: the words kept where the original is the same; marked fuzzy,
    with the original they were translated from as previous_id, where it changed; an entry whose key path is
    gone kept as obsolete (#~), so that a translator's work is not lost."""
    from babel.messages.catalog import Message
    before = {m.context: m for m in old.obsolete.values() if m.id}
    before.update({m.context: m for m in old if m.id})
    current = [m for m in template if m.id]
    kept_contexts = {m.context for m in current}
    for message in [m for m in old if m.id]:
        old.delete(message.id, message.context)
    old.obsolete.clear()
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for entry in current:
        was = before.get(entry.context)
        message = Message(entry.id, "", entry.locations, (), entry.auto_comments, context=entry.context)
        if was is not None and was.string:
            message.string, message.user_comments = was.string, list(was.user_comments)
            message.flags = set(was.flags)
            message.previous_id = list(was.previous_id)
            if was.id != entry.id:
                message.flags.add("fuzzy")
                # Already fuzzy: the words were translated from its previous original, not from the last one.
                message.previous_id = list(was.previous_id) if was.fuzzy and was.previous_id else [was.id]
        counts["untranslated" if not message.string else "fuzzy" if message.fuzzy else "translated"] += 1
        old[entry.id] = message
    for context, was in before.items():
        if context not in kept_contexts and was.string:
            old.obsolete[(was.id, context)] = was
    old.creation_date = template.creation_date
    return Merged(**counts, obsolete=len(old.obsolete))


@dataclass(frozen=True)
class Read:
    usable: dict[tuple, str]     # key path → the translation, where it may be used
    lines: dict[tuple, int]      # key path → its entry's line
    refused: list[Problem]
    incomplete: list[Problem]


def read_entries(path: Path, found: list[Entry], update: str) -> Read:
    """The catalog at path read against the entries of the original's words: each entry translated and kept,
    refused, or incomplete, at its line. update: the command that brings the catalog up to date."""
    by_context = {m.context: m for m in read_catalog(path) if m.id}
    refused, incomplete, usable, lines = [], [], {}, {}
    for entry in found:
        message = by_context.pop(entry.context, None)
        if message is None:
            incomplete.append(Problem(str(path), None, None, entry.context, "no entry for these words",
                                      f"run {update}, then translate it"))
            continue
        lines[entry.keys] = message.lineno
        problem = partial(Problem, str(path), message.lineno, 1, entry.context)
        if message.id != entry.text:
            incomplete.append(problem(f'the original has changed since this was translated: it says "'
                                      f'{clip(entry.text)}" now',
                                      f"run {update}: it marks the entry fuzzy, with the words it was translated "
                                      "from"))
        elif not message.string.strip():
            incomplete.append(problem("not translated yet", f'a translation of "{clip(entry.text)}"'))
        elif message.fuzzy:
            was = f' (it was "{clip(message.previous_id[0])}")' if message.previous_id else ""
            incomplete.append(problem(f"fuzzy: the original changed since this was translated{was}",
                                      "the translation brought into line with the original, and the fuzzy "
                                      "flag taken off"))
        else:
            changed = changes(entry.text, message.string)
            refused += [problem(text, expected) for text, expected in changed]
            if not changed:
                usable[entry.keys] = message.string
    for context, message in by_context.items():
        incomplete.append(Problem(str(path), message.lineno, 1, context or "", "no such words in the original now",
                                  f"run {update}: it keeps the entry as obsolete (#~)"))
    return Read(usable, lines, refused, incomplete)


def changes(original: str, translation: str) -> list[tuple[str, str]]:
    """What a translation changes that must stay as the original has it: placeholders, links, numbers and dates
    in figures. Each as (what is wrong, what would be right)."""
    found = []
    for what, pattern, keep in (("placeholders", PLACEHOLDER, "each kept as it is"),
                                ("numbers", NUMBER, "a number or a date in figures is not translated")):
        want, got = sorted(pattern.findall(original)), sorted(pattern.findall(translation))
        if want != got:
            found.append((f"the translation has the {what} {_listed(got)} where the original has {_listed(want)}",
                          f"the same {what} as the original, {keep}: {_listed(want)}"))
    want, got = original.count("["), translation.count("[")
    if (want, want) != (got, translation.count("]")):
        found.append((f"the translation has {counted(got, 'link')} in [brackets] where the original has {want}",
                      "the link's words in [brackets], as in the original"))
    return found


def _listed(items: list[str]) -> str:
    return ", ".join(items) if items else "none"


def clip(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


