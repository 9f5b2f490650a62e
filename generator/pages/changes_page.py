"""The "What changed" page: what the current version changes for each kind of caller, from the diff against the
latest previous version kept in `versions/` (generator/source/diff.py). Every sentence comes from the YAML
(`changes_page`, the questions' labels) or from the engine's explanations under each version; this module only
chooses and orders. No previous version kept: no page, no links, no note in the checker.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any


from generator.pages import facts
from generator.source import page_names
from generator.source.diff import APPLIES, UNANSWERED, WHOLE_EXPLANATION, Change, PolicyDiff, diff_policies
from generator.source.policy_model import Policy
from generator.source.versions import change_is_recent, previous_policy


@dataclass
class CallerChange:
    """One change as a kind of caller reads it."""
    change: Change
    heading: str
    situations: list[list[tuple[str, list[str]]]]   # each: (question label, its answers' labels); [] means any answer
    before_quotes: list[dict]
    after_quotes: list[dict]


class ChangesView:
    def __init__(self, policy: Policy, previous: Policy, diff: PolicyDiff) -> None:
        self.policy, self.previous, self.diff = policy, previous, diff
        self.words = policy.data["changes_page"]
        self.path = page_names.changes_path(policy)
        # A version the document does not give is our reference, marked as ours; a date it does not give, the
        # words that say so (generator/pages/facts.py).
        self.version, self.previous_version = (p.value("metadata", "version") if p.given("metadata", "version")
                                               else facts.version(p) for p in (policy, previous))
        self.date, self.previous_date = (facts.in_words(p, p.value("metadata", "effective_date"))
                                         if p.given("metadata", "effective_date") else facts.fact(p, "effective_date")
                                         for p in (policy, previous))

    def fill(self, text: str) -> str:
        for name in ("version", "date", "previous_version", "previous_date"):
            text = text.replace("{" + name + "}", getattr(self, name))
        return text

    @property
    def recent(self) -> bool:
        return change_is_recent(self.policy)

    @staticmethod
    def anchor(audience: dict) -> str:
        return f"for-{audience['id']}"

    def for_audience(self, audience: dict | None) -> list[CallerChange]:
        """The changes that apply to this audience's callers (None: to every caller, for a policy without caller
        pages; not those that only would apply, which the explanation folds under "what could change this", nor
        the outcome and the combined telling, which follow from the changes shown), each described within their
        answers alone."""
        within = (self.diff.all_sets if audience is None
                  else self.diff.restricted(self.policy.audiences_by, audience["roles"]))
        found = []
        for change in self.diff.changes:
            if change.kind in WHOLE_EXPLANATION or change.status != APPLIES or not change.members & within:
                continue
            found.append(self._caller_change(change, self.diff.cover(change.members, within)))
        return found

    def _caller_change(self, change: Change, cubes: list[dict]) -> CallerChange:
        before = change.before["citations"] if change.before else []
        after = change.after["citations"] if change.after else []
        return CallerChange(
            change, self.words["kinds"][change.kind], [self._situation(c) for c in cubes],
            [c for c in before if c not in after] or before, [c for c in after if c not in before] or after)

    @cached_property
    def _questions(self) -> dict[str, dict]:
        return {q["id"]: q for q in self.diff.questions}

    def _situation(self, cube: dict[str, list]) -> list[tuple[str, str]]:
        lines = []
        for question_id, values in cube.items():
            question = self._questions[question_id]
            words: list[str] = []
            for value in values:
                if value is UNANSWERED:
                    label = self.words["unanswered"]
                elif question["type"] == "date":
                    label = self.words["any_date"]
                else:
                    label = next(v["label"] for v in question["values"] if v["value"] == value)
                if label not in words:
                    words.append(label)
            lines.append((question["label"], words))
        return lines

    @property
    def wording(self):
        return self.diff.wording


def changes_view(policy: Policy) -> ChangesView | None:
    """The page's view, when a previous version is kept and the policy has the page's words."""
    if page_names.changes_path(policy) is None:   # no previous version kept, or no words for the page
        return None
    previous = previous_policy(policy)
    return ChangesView(policy, previous, diff_policies(previous, policy))


def checker_changes(policy: Policy) -> dict[str, Any] | None:
    """For the checker page: while the change is recent, the answers whose explanation differs from the previous
    version's, as the diff's cubes (question → values, null for unanswered, any date for a date question)."""
    view = changes_view(policy)
    if view is None or not view.recent:
        return None
    dates = {q["id"] for q in view.diff.questions if q["type"] == "date"}
    cubes = view.diff.cover(view.diff.changed_sets())
    return {
        "note": view.fill(view.words["checker_note"]),
        "when": [{q: ([None] if None in values else []) + (["date"] if any(v for v in values) else [])
                  if q in dates else values for q, values in cube.items()} for cube in cubes],
    }
