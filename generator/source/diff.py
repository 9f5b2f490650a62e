"""What changed for a caller between two versions of a policy (`policy-site diff OLD NEW`).

Every answer set the invariants enumerate (checker.invariants.answer_sets, for either version) is explained
by the engine under both versions. Each explanation is reduced to what it means for the caller: which
exceptions are listed and with what status; for each, how sure the sharing is (strength), who decides (the
caller's answers or the helpline's judgement), its recipients (named, all of them or one of them, someone
unnamed), the limit on what is passed on and the telling; the records kept and their periods; the
protections, with what they promise and the exceptions that could undo them; the combined telling and the outcome. Each difference between the two is one *change*; a change is held
with the set of answer sets that show it.

The answer sets of one change are then described by the fewest fixed answers (`cover`): a greedy,
prime-implicant style merge over "cubes", where a cube fixes some questions to a set of values (unanswered
being one of them) and leaves the others free. A cube may only cover answer sets that show the change.

The clause texts and summaries that changed are compared word by word.

Nothing here renders words for readers: the CLI prints ids and values, and the "What changed" page
(generator/pages/changes_page.py) takes every sentence from the YAML and from the engine's own explanations.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from checker.answers import condition_truth
from checker.engine import APPLIES, Evaluator
from checker.invariants import answer_sets
from checker.layout import unless_lines

from generator.errors import PolicyError, counted
from generator.source.policy_model import Policy, load_policy
from generator.source.words_and_data import period_length

UNANSWERED = None

# The kinds of change, in the order they are shown.
KINDS = ("exception_added", "exception_removed", "strength", "decided_by", "recipients", "recipients_join",
         "recipients_unnamed", "limit", "telling", "exception_status", "record_added", "record_removed",
         "record_period", "protection_added", "protection_removed", "protection_kind", "protection_unless",
         "combined_telling", "outcome")
# Kinds of the whole explanation, with no id: they follow from the changes above them, so the "What changed"
# page leaves them out (generator/pages/changes_page.py) and needs no words for them.
WHOLE_EXPLANATION = ("combined_telling", "outcome")


@dataclass
class Change:
    """One difference, and the answer sets that show it."""
    kind: str
    id: str | None            # the exception, record or protection; None for the outcome
    status: str | None        # its status (applies, would_apply_if, always_possible) where it has one
    old: Any                  # what it was (None when added)
    new: Any                  # what it is (None when removed)
    members: int = 0          # a bitset over the universe's answer sets
    example: tuple = ()       # the smallest answer set that shows it
    before: dict | None = None  # the old explanation's point for it (text, citations), at `example`
    after: dict | None = None   # the new one's
    cubes: list[dict] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.kind, self.id, self.status, repr(self.old), repr(self.new))


@dataclass
class WordingChange:
    kind: str                # clause_changed, clause_added, clause_removed, summary_changed
    clause: str
    section_title: str
    old: str | None
    new: str | None

    @property
    def words(self) -> list[tuple[str, str]]:
        """The word diff: (op, words) with op "=" (kept), "-" (taken out) or "+" (added)."""
        return word_diff(self.old or "", self.new or "")


@dataclass
class PolicyDiff:
    old: Policy
    new: Policy
    questions: list[dict]             # the questions of both versions: the new one's order, then any the old alone has
    universe: list[tuple]             # every answer set: one value (or UNANSWERED) per question
    changes: list[Change]
    wording: list[WordingChange]
    # Exceptions whose strength differs where either version only guesses it (policy-site upgrade's example
    # value, as a kept format-2 version has): not listed as a change, and the reports say so.
    strength_guessed: list[str] = field(default_factory=list)
    # Each translation beside either file, and its entries that the change made stale (stale_translations).
    translations: list[StaleTranslation] = field(default_factory=list)

    @property
    def all_sets(self) -> int:
        return (1 << len(self.universe)) - 1

    def changed_sets(self) -> int:
        """The answer sets whose explanation differs in meaning."""
        bits = 0
        for change in self.changes:
            bits |= change.members
        return bits

    def restricted(self, question: str, values: Iterable[str]) -> int:
        """The answer sets with question answered as one of values."""
        qi = self._index[question]
        values = set(values)
        return _bits(i for i, answers in enumerate(self.universe) if answers[qi] in values)

    def cover(self, members: int, within: int | None = None) -> list[dict]:
        """The fewest cubes (greedy) that describe `members` among the answer sets of `within`."""
        within = self.all_sets if within is None else within
        covers = self.__dict__.setdefault("_covers", {})
        if within not in covers:
            covers[within] = _Cover(self, within)
        return covers[within].cover(members & within)

    def answers_of(self, index: int) -> dict[str, str]:
        return {q["id"]: v for q, v in zip(self.questions, self.universe[index]) if v is not UNANSWERED}

    @property
    def _index(self) -> dict[str, int]:
        return {q["id"]: i for i, q in enumerate(self.questions)}


def load_pair(old_path: str | Path, new_path: str | Path) -> tuple[Policy, Policy]:
    """Both files, loaded and checked as `check` does (a format-2 file read through the upgrade's edits, as a kept
    version is); PolicyError with the problems of both."""
    from generator.source.invariant_check import check_invariants
    problems = []
    policies = []
    for path in (old_path, new_path):
        try:
            policy = load_policy(Path(path), read_format_2=True)
            check_invariants(policy)
            policies.append(policy)
        except PolicyError as err:
            problems.extend(err.problems)
    if problems:
        raise PolicyError(problems)
    return policies[0], policies[1]


def diff_policies(old: Policy, new: Policy) -> PolicyDiff:
    """Both versions' explanations of every answer set, compared. The comparison (the slow part: the engine
    twice over every answer set) is kept in the build's cache under a hash of both checker data and this code,
    as the invariants' verdict is."""
    import json
    from generator import build_cache
    from generator.source.checker_data import CHECKER_SOURCES
    old_data, new_data = old.checker_data, new.checker_data
    questions = list(new_data["questions"]) + [q for q in old_data["questions"]
                                              if q["id"] not in {n["id"] for n in new_data["questions"]}]
    ids = [q["id"] for q in questions]
    seen: dict[tuple, None] = {}
    for data in (new_data, old_data):
        for answers in answer_sets(data):
            seen.setdefault(tuple(answers.get(q, UNANSWERED) for q in ids), None)
    # Fewest answers first, so that each change's first answer set is a smallest one.
    universe = sorted(seen, key=lambda a: (sum(v is not UNANSWERED for v in a), [v or "" for v in a]))

    def compare() -> bytes:
        found = _compare(old_data, new_data, ids, universe)
        return json.dumps([{**vars(c), "members": format(c.members, "x"), "example": list(c.example)}
                           for c in found], ensure_ascii=False).encode("utf-8")

    key = build_cache.digest("policy-diff", json.dumps(old_data, ensure_ascii=False),
                             json.dumps(new_data, ensure_ascii=False),
                             *build_cache.files_parts([Path(__file__), *CHECKER_SOURCES.glob("*.py")]),
                             *build_cache.versions())
    changes = [Change(**{**c, "members": int(c["members"], 16), "example": tuple(c["example"])})
               for c in json.loads(build_cache.cached("policy-diff", key, compare))]
    result = PolicyDiff(old, new, questions, universe, [], _wording_changes(old, new), [],
                        stale_translations(old, new))
    # A guess was never told to a caller (format 2 had no strength): "must → may" from a guess is not news.
    guessed = _strength_guessed(old, new)
    for change in changes:
        if change.kind == "strength" and change.id in guessed and change.id not in result.strength_guessed:
            result.strength_guessed.append(change.id)
    changes = [c for c in changes if not (c.kind == "strength" and c.id in guessed)]
    for change in changes:
        change.cubes = result.cover(change.members)
    result.changes = changes
    return result


@dataclass
class StaleTranslation:
    language: str
    file: Path
    # (key path, its line in the PO): entries translated from the old words that the new version changed; the next
    # `policy-site translations update LANG` marks each fuzzy, and `check --publish` refuses it until it is redone.
    stale: list[tuple[str, int | None]]
    added: list[str]   # key paths of words the new version adds: to translate


def stale_translations(old: Policy, new: Policy) -> list[StaleTranslation]:
    """For each translations/LANG.po beside the new file (or, for a language it has none of, the old one), the
    entries whose original words differ between the two versions, by key path (the PO's msgctxt), where the PO
    has a translation of them; and the key paths of words that only the new version has."""
    from generator.source.catalogs import read_catalog
    from generator.source.translations import entries, languages, po_path
    codes = sorted({*languages(new.path), *languages(old.path)})
    if not codes:
        return []
    before = {e.context: e.text for e in entries(old.raw, old.source)}
    after = {e.context: e.text for e in entries(new.raw, new.source)}
    changed = [c for c, text in after.items() if c in before and before[c] != text]
    added = [c for c in after if c not in before]
    found = []
    for language in codes:
        file = po_path(new.path, language)
        file = file if file.is_file() else po_path(old.path, language)
        translated = {m.context: m.lineno for m in read_catalog(file) if m.id and m.string and m.context}
        found.append(StaleTranslation(language, file, [(c, translated[c]) for c in changed if c in translated],
                                      added))
    return found


def _strength_guessed(old: Policy, new: Policy) -> list[str]:
    found: list[str] = []
    for policy in (old, new):
        rules = policy.data["checker"]["rules"]
        found += [rules[i]["id"] for i in policy.data["checker"].get("strengths_guessed", [])
                  if rules[i]["id"] not in found]
    return found


def _compare(old_data: Mapping, new_data: Mapping, ids: list[str], universe: list[tuple]) -> list[Change]:
    old_eval, new_eval = _Explainer(old_data), _Explainer(new_data)
    wordings = (old_data["wording"], new_data["wording"])
    changes: dict[tuple, Change] = {}
    members: dict[tuple, list[int]] = {}
    for i, values in enumerate(universe):
        answers = dict((q, v) for q, v in zip(ids, values) if v is not UNANSWERED)
        before, after = old_eval.explain(answers), new_eval.explain(answers)
        for change in _differences(before, after, wordings):
            if change.key not in changes:
                changes[change.key] = change
                change.example = values
            members.setdefault(change.key, []).append(i)
    for key, change in changes.items():
        change.members = _bits(members[key])
    return sorted(changes.values(), key=lambda c: (KINDS.index(c.kind), c.status != APPLIES, c.id or "",
                                                   repr(c.old), repr(c.new)))


def _bits(indexes: Iterable[int]) -> int:
    """The bitset with these bits set, made in one step: OR-ing one bit at a time into an int of tens of thousands
    of bits copies the whole int each time (Respect's 34,020 answer sets made each diff's sets in seconds)."""
    found = bytearray()
    for i in indexes:
        byte = i >> 3
        if byte >= len(found):
            found.extend(bytes(byte + 1 - len(found)))
        found[byte] |= 1 << (i & 7)
    return int.from_bytes(found, "little")


class _Explainer:
    """The engine for one version, for answers given over both versions' questions: an answer to a question
    this version does not ask (or a value it does not have) is left unanswered, as a caller of that version
    would have left it."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.evaluator = Evaluator(data, shared=True)
        self.questions = {q["id"]: q for q in data["questions"]}
        self.cache: dict[tuple, dict] = {}

    def project(self, answers: Mapping[str, str]) -> dict[str, str]:
        kept: dict[str, str] = {}
        for question in self.data["questions"]:
            value = answers.get(question["id"])
            if value is None:
                continue
            if question["type"] != "date" and value not in {v["value"] for v in question["values"]}:
                continue
            if condition_truth(question["asked_when"], kept, self.questions) is False:
                continue
            kept[question["id"]] = value
        return kept

    def explain(self, answers: Mapping[str, str]) -> dict:
        projected = self.project(answers)
        key = tuple(sorted(projected.items()))
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self.evaluator.evaluate(projected)
        return found


def _period(record: Mapping) -> dict:
    return {"limit": record["limit"], "months": record["months"], "period": record["period"],
            "kept_for": record["kept_for"], "counted_from": record["counted_from"], "only_if": record["only_if"],
            "sooner_if": record["sooner_if"]}


def _kept_alike(old: Mapping, new: Mapping) -> bool:
    """Whether two records are kept alike: the same length in any unit (12 months is a year, 3 months is not 90
    days), limit, words, start and condition."""
    def meaning(record: Mapping) -> dict:
        period = record["period"]
        return dict(_period(record), months=None, period=period and period_length(period["count"], period["unit"]))
    return meaning(old) == meaning(new)


def _point(explanation: Mapping, item_id: str) -> dict | None:
    for point in explanation["points"]:
        if point["id"] == item_id:
            return {"text": point["text"], "citations": point["citations"]}
    return None


def _differences(before: Mapping, after: Mapping, wordings: tuple[Mapping, Mapping]) -> Iterable[Change]:
    """What differs in meaning between two explanations of one answer set (`wordings`: each version's checker
    wording). Dates computed from a date answer are left out: a changed period is one change, whatever date the
    caller gave."""
    old_ex = {e["id"]: e for e in before["exceptions"]}
    new_ex = {e["id"]: e for e in after["exceptions"]}
    for eid, e in new_ex.items():
        o = old_ex.get(eid)
        if o is None:
            yield _with(Change("exception_added", eid, e["status"], None, e["shared_with"]), before, after)
            continue
        if o["status"] != e["status"]:
            yield _with(Change("exception_status", eid, e["status"], o["status"], e["status"]), before, after)
        if o["shared_with"] != e["shared_with"]:
            added = [r for r in e["shared_with"] if r not in o["shared_with"]]
            removed = [r for r in o["shared_with"] if r not in e["shared_with"]]
            yield _with(Change("recipients", eid, e["status"], {"removed": removed}, {"added": added}),
                        before, after)
        # A "must" that became a "may" is news: the caller was promised a duty, and is now told of a discretion.
        if o["strength"] != e["strength"]:
            yield _with(Change("strength", eid, e["status"], o["strength"], e["strength"]), before, after)
        if _decided_by(o) != _decided_by(e):
            yield _with(Change("decided_by", eid, e["status"], _decided_by(o), _decided_by(e)), before, after)
        if o["recipients"]["join"] != e["recipients"]["join"]:
            yield _with(Change("recipients_join", eid, e["status"], o["recipients"]["join"],
                               e["recipients"]["join"]), before, after)
        if o["recipients"]["unnamed"] != e["recipients"]["unnamed"]:
            yield _with(Change("recipients_unnamed", eid, e["status"], o["recipients"]["unnamed"],
                               e["recipients"]["unnamed"]), before, after)
        if o["limit"] != e["limit"]:
            yield _with(Change("limit", eid, e["status"], o["limit"], e["limit"]), before, after)
        # Every telling value, not only whether you are told first: "afterwards" to "not_told" is news too.
        if o["telling"] != e["telling"]:
            yield _with(Change("telling", eid, e["status"], o["telling"], e["telling"]), before, after)
    for eid, o in old_ex.items():
        if eid not in new_ex:
            yield _with(Change("exception_removed", eid, o["status"], o["shared_with"], None), before, after)
    old_rec = {r["id"]: r for r in before["records"]}
    new_rec = {r["id"]: r for r in after["records"]}
    for rid, r in new_rec.items():
        o = old_rec.get(rid)
        if o is None:
            yield _with(Change("record_added", rid, r["status"], None, _period(r)), before, after)
        elif not _kept_alike(o, r):
            yield _with(Change("record_period", rid, r["status"], _period(o), _period(r)), before, after)
    for rid, o in old_rec.items():
        if rid not in new_rec:
            yield _with(Change("record_removed", rid, o["status"], _period(o), None), before, after)
    old_pr = {p["id"]: p for p in before["protections"]}
    new_pr = {p["id"]: p for p in after["protections"]}
    for pid, p in new_pr.items():
        o = old_pr.get(pid)
        if o is None:
            yield _with(Change("protection_added", pid, p["status"], None, p["kind"]), before, after)
            continue
        if o["kind"] != p["kind"]:   # "not identified" narrowed to "number not seen" is a smaller promise
            yield _with(Change("protection_kind", pid, p["status"], o["kind"], p["kind"]), before, after)
        # A promise that an exception now undoes (or no longer does) is news, though its own words are the same.
        if _undoers(o) != _undoers(p):
            yield _with(Change("protection_unless", pid, p["status"], _undoers(o), _undoers(p)), before, after,
                        wordings)
    for pid, p in old_pr.items():
        if pid not in new_pr:
            yield _with(Change("protection_removed", pid, p["status"], p["kind"], None), before, after)
    # The one promise about telling that the one-line answer, the text and the JSON share (null: nothing applies).
    old_told, new_told = (_promise(x) for x in (before, after))
    if old_told != new_told:
        yield Change("combined_telling", None, None, old_told, new_told,
                     before={"text": before["headline"], "citations": []},
                     after={"text": after["headline"], "citations": []})
    if before["outcome"] != after["outcome"]:
        yield Change("outcome", None, None, before["outcome"], after["outcome"],
                     before={"text": before["headline"], "citations": []},
                     after={"text": after["headline"], "citations": []})


def _undoers(protection: Mapping) -> list[str]:
    """The exceptions listed in this explanation that could undo the promise (its `unless`); whether one applies
    follows from their status, which is compared as theirs."""
    return [u["id"] for u in protection["unless"]]


def _decided_by(exception: Mapping) -> str:
    """Who decides whether the exception applies: the helpline's judgement, or the caller's answers alone."""
    return "judgement" if exception.get("judgement") else "answers"


def _promise(explanation: Mapping) -> str | None:
    telling = explanation.get("telling")
    return telling["promise"] if telling else None


def _with(change: Change, before: Mapping, after: Mapping,
          wordings: tuple[Mapping, Mapping] | None = None) -> Change:
    change.before = _point(before, change.id)
    change.after = _point(after, change.id)
    if change.kind == "protection_unless":
        # The promise's words are the same: what changed is the line under it that says what undoes it.
        for point, explanation, wording in ((change.before, before, wordings[0]), (change.after, after, wordings[1])):
            protection = next(p for p in explanation["protections"] if p["id"] == change.id)
            if point is not None:
                exceptions = {e["id"]: e for e in explanation["exceptions"]}
                point["text"] = " ".join([point["text"], *unless_lines(protection, exceptions, wording)])
    # The point's own words may be the same before and after: what changed is then in the sentence the
    # explanation adds beside it (on telling you, on who decides, on what is passed on), so it is added here.
    added = {"telling": lambda e: e.get("telling_text"),
             "decided_by": lambda e: e["judgement"]["text"] if e.get("judgement") else None,
             "limit": lambda e: e.get("limit")}.get(change.kind)
    if added:
        for point, explanation in ((change.before, before), (change.after, after)):
            exception = next(e for e in explanation["exceptions"] if e["id"] == change.id)
            if point is not None and added(exception):
                point["text"] = f'{point["text"]} {added(exception)}'
    if change.kind == "decided_by":
        # The policy's words that say the helpline decides are quoted beside the rule's own.
        for point, explanation in ((change.before, before), (change.after, after)):
            exception = next(e for e in explanation["exceptions"] if e["id"] == change.id)
            if point is not None and exception.get("judgement"):
                citation = exception["judgement"]["citation"]
                if citation not in point["citations"]:
                    point["citations"] = [*point["citations"], citation]
    return change


class _Cover:
    """Describe a set of answer sets (a bitset over the universe) by few cubes.

    A cube maps each question to the set of its values (UNANSWERED among them) it allows; a question that
    allows every value it takes in the answer sets considered is free, and is not shown. Greedy: take the
    first answer set not yet described, fix every question to its answer, then free the questions one by one
    (the last asked first, so that who the caller is stays named longest), then widen each one still fixed
    value by value; a step is kept when the cube still covers only answer sets of the group (and, for a
    value, covers more of them: a value the other answers rule out is never named). Cubes made
    redundant by later ones are dropped. Not always the fewest possible, but each cube is as wide as it can
    be in that order, and the cubes together describe exactly the group."""

    def __init__(self, diff: PolicyDiff, within: int) -> None:
        self.diff, self.within = diff, within
        self.ids = [q["id"] for q in diff.questions]
        members: list[dict[Any, list[int]]] = [{} for _ in self.ids]
        inside = format(within, "b")[::-1]   # one character a set, read from the lowest bit
        for i, answers in enumerate(diff.universe):
            if i >= len(inside) or inside[i] != "1":
                continue
            for qi, value in enumerate(answers):
                members[qi].setdefault(value, []).append(i)
        self.bits: list[dict[Any, int]] = [{v: _bits(found) for v, found in column.items()} for column in members]
        order = {v: n for n, v in enumerate([UNANSWERED] + [
            v["value"] for q in diff.questions for v in q.get("values", [])])}
        self.domains = [sorted(b, key=lambda v: (order.get(v, len(order)), v or "")) for b in self.bits]

    def covered(self, cube: list[set | None]) -> int:
        bits = self.within
        for qi, allowed in enumerate(cube):
            if allowed is None:
                continue
            column = 0
            for value in allowed:
                column |= self.bits[qi].get(value, 0)
            bits &= column
        return bits

    def cover(self, members: int) -> list[dict]:
        cubes: list[tuple[list, int]] = []
        remaining = members
        outside = self.within & ~members
        while remaining:
            seed = (remaining & -remaining).bit_length() - 1
            answers = self.diff.universe[seed]
            cube: list[set | None] = [{v} for v in answers]
            for qi in reversed(range(len(cube))):
                trial = cube[:qi] + [None] + cube[qi + 1:]
                if not self.covered(trial) & outside:
                    cube = trial
            for qi in range(len(cube)):
                if cube[qi] is None:
                    continue
                for value in self.domains[qi]:
                    if value in cube[qi]:
                        continue
                    trial = cube[:qi] + [cube[qi] | {value}] + cube[qi + 1:]
                    # Only a value that describes more answer sets: never one the others rule out.
                    now = self.covered(trial)
                    if not now & outside and now != self.covered(cube):
                        cube = trial
                if set(self.domains[qi]) <= cube[qi]:
                    cube[qi] = None
            got = self.covered(cube) & members
            cubes.append((cube, got))
            remaining &= ~got
        # Drop a cube whose answer sets the others describe already.
        kept = list(cubes)
        for entry in cubes:
            others = 0
            for other in kept:
                if other is not entry:
                    others |= other[1]
            if entry[1] & ~others == 0:
                kept.remove(entry)
        return [{self.ids[qi]: [v for v in self.domains[qi] if v in allowed]
                 for qi, allowed in enumerate(cube) if allowed is not None} for cube, _ in kept]


def _wording_changes(old: Policy, new: Policy) -> list[WordingChange]:
    found: list[WordingChange] = []
    old_clauses, new_clauses = old.clauses, new.clauses
    titles = {c["id"]: s["title"] for p in (old, new) for s in p.sections for c in s["clauses"]}
    for cid, clause in new_clauses.items():
        before = old_clauses.get(cid)
        if before is None:
            found.append(WordingChange("clause_added", cid, titles[cid], None, clause["text"]))
            continue
        if before["text"] != clause["text"]:
            found.append(WordingChange("clause_changed", cid, titles[cid], before["text"], clause["text"]))
        if before["summary"] != clause["summary"]:
            found.append(WordingChange("summary_changed", cid, titles[cid], before["summary"], clause["summary"]))
    for cid, clause in old_clauses.items():
        if cid not in new_clauses:
            found.append(WordingChange("clause_removed", cid, titles[cid], clause["text"], None))
    return found


_TOKEN = re.compile(r"(\s*)([^\s.,;:]+|[.,;:])")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Words kept ("="), taken out ("-") and added ("+"): runs of the texts, each with the space before it
    (one space, or none before a full stop or comma, which count as words of their own)."""
    def tokens(text: str) -> list[tuple[str, str]]:
        return [(" " if m.group(1) else "", m.group(2)) for m in _TOKEN.finditer(text)]
    a, b = tokens(old), tokens(new)
    out: list[tuple[str, str]] = []

    def run(op: str, items: list[tuple[str, str]]) -> None:
        text = "".join(space + word for space, word in items)
        out.append((op, text.lstrip() if not out else text))
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=[w for _, w in a], b=[w for _, w in b],
                                                       autojunk=False).get_opcodes():
        if tag == "equal":
            run("=", a[i1:i2])
        else:
            if i2 > i1:
                run("-", a[i1:i2])
            if j2 > j1:
                run("+", b[j1:j2])
    return out


# Output ----------------------------------------------------------------------------------------------------

def cube_words(cube: Mapping[str, list]) -> str:
    """role=worried_about_own_behaviour risk_from_caller=particular|immediate_severe; `-` for unanswered."""
    if not cube:
        return "(any answers)"
    return " ".join(f"{q}=" + "|".join("-" if v is UNANSWERED else v for v in values) for q, values in cube.items())


def _value_words(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict) and "kept_for" in value:
        return value["kept_for"] + (f" (only if {value['only_if']})" if value["only_if"] else "") + (
            f" (sooner if {value['sooner_if']})" if value["sooner_if"] else "")
    if isinstance(value, list):
        return ", ".join(value) or "nobody named"
    return str(value)


def change_line(change: Change) -> str:
    status = f" ({change.status})" if change.status else ""
    if change.kind == "recipients":
        parts = ([f"removed {', '.join(change.old['removed'])}"] if change.old["removed"] else []) + \
                ([f"added {', '.join(change.new['added'])}"] if change.new["added"] else [])
        what = "; ".join(parts)
    elif change.kind in ("exception_added", "record_added", "protection_added"):
        what = _value_words(change.new)
    elif change.kind in ("exception_removed", "record_removed", "protection_removed"):
        what = _value_words(change.old)
    elif change.kind == "protection_unless":   # the exceptions that could undo it; "-" for none
        what = " → ".join(", ".join(ids) or "-" for ids in (change.old, change.new))
    else:
        what = f"{_value_words(change.old)} → {_value_words(change.new)}"
    name = f"{change.kind.replace('_', ' ')}: " + (f"{change.id}: " if change.id else "")
    return f"{name}{what}{status}"


def text_report(diff: PolicyDiff) -> str:
    # A text whose document gives no version is named by our reference (Policy.our_reference), said to be ours.
    old_v, new_v = ((f"version {p.version_id}" if p.given("metadata", "version") else f"our reference {p.version_id}")
                    for p in (diff.old, diff.new))
    head = (f"{diff.old.path} ({old_v}) → {diff.new.path} ({new_v}): "
            f"{len(diff.universe):,} answer sets")
    lines: list[str] = []
    if not diff.changes:
        lines.append(f"{head}: no change for any caller")
    else:
        changed = bin(diff.changed_sets()).count("1")
        lines.append(f"{head}, {changed:,} of them changed, {counted(len(diff.changes), 'difference')}")
        for change in diff.changes:
            lines.append("")
            lines.append(change_line(change) + f" — {bin(change.members).count('1'):,} answer sets")
            for cube in change.cubes:
                lines.append(f"  when {cube_words(cube)}")
            for label, point in (("before", change.before), ("after", change.after)):
                if point:
                    lines.append(f"  {label}: {point['text']}")
    if diff.strength_guessed:
        lines.append("")
        lines.append(f"strength not compared (a guess of the upgrade, not confirmed): {', '.join(diff.strength_guessed)}")
    for w in diff.wording:
        lines.append("")
        lines.append(f"{w.kind.replace('_', ' ')}: {w.clause} ({w.section_title})")
        lines.append("  " + "".join(_marked(op, words) for op, words in w.words))
    for t in diff.translations:
        lines.append("")
        lines.append(f"translation {t.language} ({t.file}): "
                     + (f"{counted(len(t.stale), 'entry', 'entries')} made stale, fuzzy on the next "
                        f"`policy-site translations update {t.language}`" if t.stale else "nothing made stale")
                     + (f"; {counted(len(t.added), 'new entry', 'new entries')} to translate" if t.added else ""))
        for context, line in t.stale:
            lines.append(f"  {t.file}:{line}: {context}")
        for context in t.added:
            lines.append(f"  new: {context}")
    return "\n".join(lines) + "\n"


def _marked(op: str, words: str) -> str:
    """git's word-diff marks: [-taken out-] and {+added+}, the space before the words outside them."""
    space, words = (" ", words[1:]) if words.startswith(" ") else ("", words)
    return space + (words if op == "=" else f"[-{words}-]" if op == "-" else f"{{+{words}+}}")


def json_report(diff: PolicyDiff) -> dict:
    return {
        "old": {"file": str(diff.old.path), "version": diff.old.value("metadata", "version"),
                "effective_date": diff.old.value("metadata", "effective_date")},
        "new": {"file": str(diff.new.path), "version": diff.new.value("metadata", "version"),
                "effective_date": diff.new.value("metadata", "effective_date")},
        "answer_sets": len(diff.universe),
        "changed_answer_sets": bin(diff.changed_sets()).count("1"),
        "no_change": not diff.changes,
        "changes": [{
            "kind": c.kind, "id": c.id, "status": c.status, "old": c.old, "new": c.new,
            "answer_sets": bin(c.members).count("1"),
            "when": c.cubes,
            "example": {q["id"]: v for q, v in zip(diff.questions, c.example) if v is not UNANSWERED},
            "before": c.before, "after": c.after,
        } for c in diff.changes],
        "strength_guessed": diff.strength_guessed,
        "wording": [{"kind": w.kind, "clause": w.clause, "old": w.old, "new": w.new,
                     "words": [{"op": op, "text": t} for op, t in w.words]} for w in diff.wording],
        "translations": [{"language": t.language, "file": str(t.file),
                          "stale": [{"key": context, "line": line} for context, line in t.stale],
                          "new": t.added} for t in diff.translations],
    }
