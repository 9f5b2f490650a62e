"""`policy-site upgrade FILE`: a format-2 policy file brought to format 3 by editing its text.

The YAML is never loaded and written out again: that would lose the comments, the order, the quoting and the
anchors a person chose. The file is composed once, for the places of what must change, and the text is edited
at those places only:

- `format: 2` becomes `format: 3`;
- `checker.wording.exceptions_heading` and `quote_intro`, which nothing showed, are taken out;
- every exception gains `strength:`, guessed from the verbs of its rule's quotes ("will", "must", "a duty" →
  must; "may", "can" → may; "reserve the right" → reserves_right; none of them → must, the stronger, so that
  nobody is told a duty is a discretion). A guess is not the organisation's word, so it is written as an
  example value, `{value: must, example: true}`: `check` lists it and `check --publish` refuses it until a
  person has read the clause and written the value plainly. Where it guesses `must`, the verdict's and the
  one-line answer's words for it (`checker.wording.outcome.will_be_shared`, `in_short.will_share_with`, …) are
  added in English, to reword at will;
- so are the sentences format 3 asks for where format 2 let an exception be silent: what an exception beside a
  promise to tell promises (`checker.wording.telling.not_stated`, …), and the one-line answer's words for
  someone the policy does not name (`in_short.unnamed`);
- a retention entry's `counted_from` with no `months` is taken out: nothing was counted from it;
- `changes_page.kinds` gains, in English, the words for the kinds of change format 3's `diff` finds (how sure
  the sharing is, who decides, …): the page heads every change with its kind's words, and none may be dropped.

`upgraded(text)` returns the new text and one line for each change; `read_as_format_3(text)`, the new text and
for each of its lines the line of the old one it comes from, is what loading a kept format-2 version uses
(generator/source/policy_model.py), so that its problems name the person's own lines.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import yaml

FROM, TO = 2, 3
DROPPED_WORDING = ("exceptions_heading", "quote_intro")
# Format 3 asks every exception beside a promise to say what it promises (policy_checks.py): the sentences
# for format 2's values without a promise, in English as format-2 files are written.
TELLING_WORDS = {"not_stated": "The policy does not say whether you are told before it is passed on.",
                 "not_told": "You are not told.", "afterwards": "We tell you afterwards."}
UNNAMED_WORDS = "others the policy does not name"
# The one-line answer's words for an exception that must share, in English as format-2 files are written.
WILL_HEADLINE = "From your answers, what you tell us will be passed on in some cases. This is when, and to whom."
WILL_LEAD = '"It will be passed to:"'
WILL_WORDS = (("will_share_with", '"Will be passed to {recipients}"'),
              ("will_nobody_named", "Will be passed on; the policy does not say to whom"),
              ("will_and_could", '"Will be passed to {recipients}, and could be passed to {others}"'))
# The "What changed" page's heading for each kind of change format 3 adds (generator/source/diff.py), in English
# as format-2 files are written; in the order of the schema.
CHANGE_KIND_WORDS = (("strength", "How sure it is that we pass it on has changed."),
                     ("decided_by", "Who decides whether this applies has changed."),
                     ("recipients_join", "Whether it goes to all of them or to one of them has changed."),
                     ("recipients_unnamed", "Whether it could go to someone the policy does not name has changed."),
                     ("limit", "What we would pass on has changed."),
                     ("protection_kind", "What we promise you has changed."),
                     ("protection_unless", "When a promise to you does not hold has changed."))
_RESERVES = re.compile(r"\breserves? the right\b", re.I)
_MUST = re.compile(r"\b(will|must|shall|duty|obligation|obliged|have to|has to|required)\b", re.I)
_MAY = re.compile(r"\b(may|can|could|might)\b", re.I)


class UpgradeError(ValueError):
    """The text is not a format-2 policy that the upgrade can edit; the message says why."""


@dataclass(frozen=True)
class _Edit:
    start: int    # index into the text
    end: int
    new: str
    said: str     # the line that tells the person what changed


def guessed_strength(quotes: list[str]) -> tuple[str, str]:
    """(strength, the words it was guessed from) from an exception's quotes: the first quote with such a verb
    decides, by its first one ("reserve the right" before the others: it holds "the right", not a duty)."""
    for quote in quotes:
        found = [(m.start(), value, m.group(0)) for value, pattern in
                 (("reserves_right", _RESERVES), ("must", _MUST), ("may", _MAY)) for m in [pattern.search(quote)] if m]
        if found:
            _, value, words = min(found)
            return value, f'"{words}"'
    return "must", "no verb that says how sure it is: the stronger"


def upgraded(text: str) -> tuple[str, list[str]]:
    """(the text in format 3, one line for each change made). Raises UpgradeError for a text that is not a
    format-2 policy."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        raise UpgradeError(f"the file is not valid YAML, so it cannot be upgraded: {err}") from None
    top = _mapping(root)
    if top is None or "format" not in top:
        raise UpgradeError("the file is not a policy (a mapping that starts with format: and metadata:)")
    format_node = top["format"][1]
    if format_node.value == str(TO):
        return text, []
    if format_node.value != str(FROM):
        raise UpgradeError(f"format: {format_node.value} cannot be upgraded; only format {FROM} can (format 1 was "
                           "read until format 2: see policy/README.md)")
    edits = [_Edit(format_node.start_mark.index, format_node.end_mark.index, str(TO), f"format: {FROM} → format: {TO}")]
    checker = _mapping(top.get("checker", (None, None))[1])
    wording = _mapping(checker.get("wording", (None, None))[1]) if checker else None
    for key in DROPPED_WORDING:
        if wording and key in wording:
            edits.append(_removed_entry(text, *wording[key], f"checker.wording.{key} taken out (nothing showed it)"))
    rules = checker.get("rules", (None, None))[1] if checker else None
    for i, rule_node in enumerate(rules.value if isinstance(rules, yaml.SequenceNode) else []):
        rule = _mapping(rule_node)
        exception = _mapping(rule.get("exception", (None, None))[1]) if rule else None
        if exception is None or "strength" in exception:
            continue
        quotes = [c["quote"][1].value for c in map(_mapping, _items(rule.get("cites", (None, None))[1]))
                  if c and "quote" in c and isinstance(c["quote"][1], yaml.ScalarNode)]
        strength, reason = guessed_strength(quotes)
        rule_id = rule["id"][1].value if "id" in rule else str(i)
        edits.append(_inserted_first(text, rule["exception"][1], f"strength: {{value: {strength}, example: true}}",
                                     f"checker.rules[{i}] ({rule_id}): strength {strength}, from {reason}: "
                                     "confirm it against the clause, then write it without example"))
    exceptions = [_mapping(_mapping(r).get("exception", (None, None))[1]) for r in _items(rules) if _mapping(r)]
    exceptions = [e for e in exceptions if e is not None]
    tellings = [e["telling"][1].value if "telling" in e else "not_stated" for e in exceptions]
    telling_words = _mapping(wording.get("telling", (None, None))[1]) if wording else None
    if telling_words is not None and {"first", "first_where_possible_and_safe"} & set(tellings):
        for value in sorted(set(tellings) & set(TELLING_WORDS), reverse=True):
            if value not in telling_words:
                edits.append(_inserted_first(text, wording["telling"][1], f"{value}: {TELLING_WORDS[value]}",
                                             f"checker.wording.telling.{value} added: {TELLING_WORDS[value]} "
                                             "(beside a promise to tell, an exception says what it promises)"))
    in_short = _mapping(wording.get("in_short", (None, None))[1]) if wording else None
    named = [_items(e["shared_with"][1]) for e in exceptions if "shared_with" in e]
    if in_short is not None and "unnamed" not in in_short and any(named) and not all(named):
        edits.append(_inserted_first(text, wording["in_short"][1], f"unnamed: {UNNAMED_WORDS}",
                                     f"checker.wording.in_short.unnamed added: {UNNAMED_WORDS} (the one-line answer "
                                     "lists someone the policy does not name)"))
    edits += _uncounted_periods(text, top)
    edits += _change_kinds(text, top)
    outcome = _mapping(wording.get("outcome", (None, None))[1]) if wording else None
    if outcome is not None and "will_be_shared" not in outcome and any("strength must" in e.said for e in edits):
        # A guessed "must" needs the headline for it too.
        edits.append(_inserted_first(text, wording["outcome"][1], f"will_be_shared: {WILL_HEADLINE}",
                                     f"checker.wording.outcome.will_be_shared added: {WILL_HEADLINE} (reword it if you like)"))
    if wording and "shared_with" in wording and "will_share_with" not in wording and any(
            "strength must" in e.said for e in edits):
        # …and the lead of the recipients of such an exception where it applies.
        edits.append(_inserted_before(text, wording["shared_with"][0], f"will_share_with: {WILL_LEAD}",
                                      f"checker.wording.will_share_with added: {WILL_LEAD} (reword it if you like)"))
    if in_short is not None and any("strength must" in e.said for e in edits):
        # A guessed "must" needs the one-line answer's words for it (policy_checks.py's _STRENGTH_WORDS).
        for key, words in reversed(WILL_WORDS):
            if key not in in_short:
                edits.append(_inserted_first(text, wording["in_short"][1], f"{key}: {words}",
                                             f"checker.wording.in_short.{key} added: {words} (reword it if you like)"))
    edits.sort(key=lambda e: e.start, reverse=True)
    for edit in edits:
        text = text[:edit.start] + edit.new + text[edit.end:]
    return text, [e.said for e in sorted(edits, key=lambda e: e.start)]


def _uncounted_periods(text: str, top: dict) -> list[_Edit]:
    """counted_from taken out of a retention entry with no months: format 2 let it be and counted nothing from it,
    and it read as kept *from* that moment; format 3 refuses it (policy_checks.py)."""
    edits = []
    for i, item_node in enumerate(_items(top.get("retention", (None, None))[1])):
        item = _mapping(item_node)
        if item is None or item_node.flow_style or "counted_from" not in item:
            continue
        kept = _mapping(item.get("kept_for", (None, None))[1])
        months = kept.get("months", (None, None))[1] if kept else None
        if months is None or months.value in ("", "null", "~"):
            item_id = item["id"][1].value if "id" in item else str(i)
            edits.append(_removed_entry(text, *item["counted_from"], f"retention[{i}] ({item_id}): counted_from "
                                        "taken out: with no months nothing is counted from it, and it read as kept "
                                        "from that moment on"))
    return edits


def _change_kinds(text: str, top: dict) -> list[_Edit]:
    """The words of the kinds of change format 3 adds, in changes_page.kinds where the file has that page."""
    page = _mapping(top.get("changes_page", (None, None))[1])
    kinds = page.get("kinds", (None, None))[1] if page else None
    present = _mapping(kinds)
    if present is None:
        return []
    return [_inserted_first(text, kinds, f"{key}: {words}",
                            f"changes_page.kinds.{key} added: {words} (reword it if you like)")
            for key, words in reversed(CHANGE_KIND_WORDS) if key not in present]


def read_as_format_3(text: str) -> tuple[str, list[int]]:
    """A kept version's text as format 3 (unchanged when it is not format 2, so that the loader's own messages
    speak of it), and for each of its lines the line of `text` it comes from (1-based; an added line, the line
    it was added before), so that a problem in the upgraded text is reported where the person's file has it."""
    try:
        new = upgraded(text)[0]
    except UpgradeError:
        new = text
    old_lines, new_lines = text.splitlines(), new.splitlines()
    origin = [0] * len(new_lines)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        for j in range(j1, j2):
            origin[j] = min(i1 + (j - j1 if tag in ("equal", "replace") else 0), i2 - 1 if i2 > i1 else i1,
                            max(len(old_lines) - 1, 0)) + 1
    return new, origin


def _mapping(node) -> dict[str, tuple] | None:
    """{key: (key node, value node)} of a mapping node, or None."""
    if not isinstance(node, yaml.MappingNode):
        return None
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _items(node) -> list:
    return node.value if isinstance(node, yaml.SequenceNode) else []


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _removed_entry(text: str, key: yaml.Node, value: yaml.Node, said: str) -> _Edit:
    """Take out a block mapping's entry, its key's line through its value's last line."""
    start = _line_start(text, key.start_mark.index)
    end = value.end_mark.index
    if value.end_mark.column != 0:  # a block scalar ends at the next line's start; anything else: to its line's end
        newline = text.find("\n", end)
        end = len(text) if newline < 0 else newline + 1
    return _Edit(start, end, "", said)


def _inserted_first(text: str, mapping: yaml.MappingNode, entry: str, said: str) -> _Edit:
    """Put an entry first in a mapping: after `{` in a flow mapping, as a line above its first key in a block one."""
    if mapping.flow_style:
        brace = mapping.start_mark.index  # the "{"
        return _Edit(brace + 1, brace + 1, entry + ", ", said)
    return _inserted_before(text, mapping.value[0][0], entry, said)


def _inserted_before(text: str, key: yaml.Node, entry: str, said: str) -> _Edit:
    """Put an entry on a line of its own above a block mapping's key, at the key's indent."""
    start = _line_start(text, key.start_mark.index)
    return _Edit(start, start, " " * key.start_mark.column + entry + "\n", said)
