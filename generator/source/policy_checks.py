"""The checks a JSON Schema cannot make: ids, cross-references, quotes and dates.

Each check returns Problems located through the file's SourceMap; all of them
run, so an editor sees every problem at once.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from checker.answers import AnswerError, check_answers, dated_period
from checker.dates import PERIOD_UNITS, document_date
from checker.engine import PROMISES, will_share

from generator.source.checker_data import make_checker_data
from generator.source.words_and_data import word_problems
from generator.errors import Problem, did_you_mean, one_of
from generator.source.yaml_source import SourceMap, format_path, normalise_space


def semantic_problems(data: dict, source: SourceMap, checker_data: dict[str, Any] | None = None) -> list[Problem]:
    """Every problem the schema cannot see. `checker_data`, when given, is made from this very data
    (Policy.checker_data), so that it is made once and kept for the pages and the invariants."""
    problems: list[Problem] = []
    for check in (_unique_ids, _footnotes_resolve, _citations_resolve, _exception_clauses_cited,
                  _questions_and_conditions, _audiences_by, _rule_references, _retention_stated, _needed_keys,
                  _retention_problems, _invariants, _dates, _leaflet_footer, _original):
        problems.extend(check(data, source))
    problems.extend(_audiences(data, source, checker_data))
    problems.extend(word_problems(data, source))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.path))


def _original(data: dict, source: SourceMap) -> Iterator[Problem]:
    """metadata.original names this file's language: every translated page links this file's pages as the text
    that counts, so a statement that another language's text counts would send the reader to the wrong one."""
    original, language = data["metadata"].get("original"), data["metadata"]["language"]
    if original is not None and original["language"] != language:
        yield source.problem(("metadata", "original", "language"), f'"{original["language"]}" is not this file\'s '
                             f'language: the translated pages link this file as the text that counts',
                             f'"{language}", as metadata.language gives it')


# ---------------------------------------------------------------- ids

def _unique_ids(data: dict, source: SourceMap) -> Iterator[Problem]:
    # Sections and clauses share one namespace: both become anchors on the policy page.
    groups = {
        "section or clause": [(("sections", i), s) for i, s in enumerate(data["sections"])]
        + [(("sections", i, "clauses", j), c) for i, s in enumerate(data["sections"]) for j, c in enumerate(s["clauses"])],
        "footnote": [(("footnotes", i), f) for i, f in enumerate(data["footnotes"])],
        "retention entry": [(("retention", i), r) for i, r in enumerate(data["retention"])],
        "question": [(("checker", "questions", i), q) for i, q in enumerate(data["checker"]["questions"])],
        "recipient": [(("checker", "recipients", i), r) for i, r in enumerate(data["checker"]["recipients"])],
        "rule": [(("checker", "rules", i), r) for i, r in enumerate(data["checker"]["rules"])],
        "invariant": [(("checker", "invariants", i), r) for i, r in enumerate(data["checker"]["invariants"])],
        "audience": [(("audiences", i), a) for i, a in enumerate(data["audiences"])],
    }
    for what, items in groups.items():
        yield from _duplicates(f'duplicate {what} id "{{}}"', items, source, "id", "each id once")
    for i, question in enumerate(data["checker"]["questions"]):
        values = [(("checker", "questions", i, "values", j), v) for j, v in enumerate(question.get("values", []))]
        yield from _duplicates(f'question "{question["id"]}" has the value "{{}}" twice', values, source, "value",
                               "each value once")


def _duplicates(message: str, items: list, source: SourceMap, key: str, expected: str) -> Iterator[Problem]:
    seen: dict[str, tuple] = {}
    for path, item in items:
        ident = item[key]
        if ident in seen:
            line, _ = source.locate(seen[ident] + (key,))
            yield source.problem(path + (key,), message.format(ident), f"{expected}; first given at line {line}")
        else:
            seen[ident] = path


# ---------------------------------------------------------------- references

def _footnotes_resolve(data: dict, source: SourceMap) -> Iterator[Problem]:
    known = [f["id"] for f in data["footnotes"]]
    for i, section in enumerate(data["sections"]):
        for j, clause in enumerate(section["clauses"]):
            for k, ref in enumerate(clause["footnotes"]):
                if ref not in known:
                    yield source.problem(("sections", i, "clauses", j, "footnotes", k),
                                         f'footnote "{ref}" does not exist{did_you_mean(ref, known)}',
                                         one_of(known) if known else "a footnote defined under footnotes:")


def _citation_paths(data: dict) -> Iterator[tuple[tuple, dict]]:
    for i, item in enumerate(data["retention"]):
        for j, c in enumerate(item["cites"]):
            yield ("retention", i, "cites", j), c
    for i, rule in enumerate(data["checker"]["rules"]):
        for j, c in enumerate(rule["cites"]):
            yield ("checker", "rules", i, "cites", j), c
        if rule["exception"] and rule["exception"]["judgement"]:
            yield ("checker", "rules", i, "exception", "judgement"), rule["exception"]["judgement"]


def _citations_resolve(data: dict, source: SourceMap) -> Iterator[Problem]:
    clauses: dict[str, dict] = {}
    for section in data["sections"]:
        for clause in section["clauses"]:
            clauses.setdefault(clause["id"], clause)  # a duplicate id is reported once, at the duplicate
    for path, citation in _citation_paths(data):
        clause = clauses.get(citation["clause"])
        if clause is None:
            yield source.problem(path + ("clause",), f'clause "{citation["clause"]}" does not exist'
                                 f'{did_you_mean(citation["clause"], clauses)}', "the id of a clause under sections:")
        elif normalise_space(citation["quote"]) not in normalise_space(clause["text"]):
            yield source.problem(path + ("quote",), f'the quote is not in clause "{clause["id"]}"'
                                 + where_quote_differs(citation["quote"], clause["text"]),
                                 "words copied exactly from the clause's text")


def where_quote_differs(quote: str, text: str) -> str:
    """Where the quote first leaves the clause, word against word:
    ': after "…", the quote has "X" where the clause has "Y"'; "" when they have nothing in common. (A
    translated quote against its translated clause too: generator/source/translations.py.)

    The first difference follows the longest start of the quote that the clause holds; when the quote's first
    word already differs, that start proves nothing, so the last difference before its longest end is shown."""
    quote, text = normalise_space(quote), normalise_space(text)
    start = _longest(lambda n: quote[:n] in text, len(quote))
    if start >= _ANCHOR:
        at = _best_place(text, quote[:start], quote[start:start + 60], after=True)
        q, t = start, at + start  # the first character that differs, in the quote and in the clause
        if t == len(text):
            return (f': after "{_clip(quote[:q], from_end=True)}", the clause ends but the quote goes on with '
                    f'"{_clip(quote[q:].strip())}"')
        q_word, t_word = _word_at(quote, q), _word_at(text, t)
        context = quote[:q_word[0]].rstrip()
        where = f'after "{_clip(context, from_end=True)}", ' if context else ""
    else:
        end = _longest(lambda n: quote[len(quote) - n:] in text, len(quote))
        if end < _ANCHOR:
            return ""  # nothing in common worth showing
        tail = quote[len(quote) - end:]
        at = _best_place(text, tail, quote[max(0, len(quote) - end - 60):len(quote) - end], after=False)
        q, t = len(quote) - end - 1, at - 1  # the last character that differs
        q_word = _word_at(quote, q)
        context = quote[q_word[1]:].lstrip()
        if t < 0:
            return (f': before "{_clip(context)}", the clause begins but the quote has '
                    f'"{_visible(quote[q_word[0]:q_word[1]])}" first')
        t_word = _word_at(text, t)
        where = f'before "{_clip(context)}", '
    said = _visible(quote[q_word[0]:q_word[1]]), _visible(text[t_word[0]:t_word[1]])
    if said[0] == said[1] or _look_alike(quote[q], text[t]):  # a Cyrillic "о" for an "o": name the two
        said = (_visible(quote[q_word[0]:q] + _code(quote[q]) + quote[q + 1:q_word[1]]),
                _visible(text[t_word[0]:t] + _code(text[t]) + text[t + 1:t_word[1]]))
    return f': {where}the quote has "{said[0]}" where the clause has "{said[1]}"'


_ANCHOR = 4  # characters in common before a place in the clause is worth naming


def _longest(holds, limit: int) -> int:
    """The largest n <= limit for which holds(n), when holds(n) implies holds(n - 1)."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if holds(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _best_place(text: str, common: str, rest: str, *, after: bool) -> int:
    """Where `common` occurs in text, choosing among several the one whose next (or previous) words are most
    like `rest`: the difference is the same kind at each, but only one is the passage the quote meant."""
    import difflib
    places = [m.start() for m in re.finditer(re.escape(common), text)] or [text.find(common)]

    def likeness(at: int) -> float:
        near = text[at + len(common):at + len(common) + len(rest)] if after else text[max(0, at - len(rest)):at]
        return difflib.SequenceMatcher(None, rest, near, autojunk=False).ratio()
    return max(places, key=likeness)


def _word_at(text: str, i: int) -> tuple[int, int]:
    """Start and end of the word holding text[i]; at a space (or the end), of the word just before it."""
    begin = text.rfind(" ", 0, i) + 1
    if i >= len(text) or text[i] == " ":
        return begin, i
    end = text.find(" ", i)
    return begin, end if end != -1 else len(text)


def _visible(text: str) -> str:
    """Characters a reader cannot see (a zero-width space, a soft hyphen, a combining accent) as <U+200B>."""
    return "".join(_code(c) if c != " " and unicodedata.category(c) in _UNSEEN else c for c in text)


_UNSEEN = {"Cc", "Cf", "Co", "Cn", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"}


def _look_alike(a: str, b: str) -> bool:
    """Two characters a reader takes for one: the same letter of another script, or the same once normalised."""
    if unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b):
        return True
    names = unicodedata.name(a, ""), unicodedata.name(b, "")
    return all(" " in n for n in names) and names[0].split(" ", 1)[1] == names[1].split(" ", 1)[1]


def _code(char: str) -> str:
    return f"<U+{ord(char):04X}>"


def _clip(text: str, limit: int = 40, *, from_end: bool = False) -> str:
    """At most about limit characters, cut between words."""
    if len(text) <= limit:
        return text
    if from_end:
        cut = text.find(" ", len(text) - limit)
        return "…" + text[cut + 1:] if cut != -1 else "…" + text[-limit:]
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + "…"


def _exception_clauses_cited(data: dict, source: SourceMap) -> Iterator[Problem]:
    cited = {c["clause"] for r in data["checker"]["rules"] if r["exception"] for c in r["cites"]}
    for i, section in enumerate(data["sections"]):
        for j, clause in enumerate(section["clauses"]):
            if clause["kind"] == "exception" and clause["id"] not in cited:
                yield source.problem(("sections", i, "clauses", j, "id"),
                                     f'exception clause "{clause["id"]}" is cited by no checker rule',
                                     "a rule with exception: that cites this clause")


# ---------------------------------------------------------------- questions and conditions

def _question_index(data: dict) -> dict[str, dict]:
    return {q["id"]: q for q in data["checker"]["questions"]}


def _when_problems(when: dict, path: tuple, questions: dict, source: SourceMap) -> Iterator[Problem]:
    for key, values in when.items():
        question = questions.get(key)
        if question is None:
            yield source.problem(path + (key,), f'question "{key}" does not exist{did_you_mean(key, questions)}',
                                 one_of(questions), key=True)
            continue
        if question["type"] == "date":
            yield source.problem(path + (key,), f'date question "{key}" cannot be used in a condition',
                                 "a question with values", key=True)
            continue
        # The values a condition may name: not "not sure", which decides nothing (a condition on it would turn
        # the honest answer into a decision).
        unsure = {v["value"] for v in question["values"] if v["not_sure"]}
        allowed = [v["value"] for v in question["values"] if v["value"] not in unsure]
        for k, value in enumerate(values):
            sub = path + (key, k) if source.locate(path + (key, k)) != source.locate(path + (key,)) else path + (key,)
            if value in unsure:
                yield source.problem(sub, f'"{value}" is the "not sure" answer of question "{key}", which decides '
                                     "nothing", one_of(allowed))
            elif value not in allowed:
                yield source.problem(sub, f'"{value}" is not a value of question "{key}"{did_you_mean(value, allowed)}',
                                     one_of(allowed))


def _questions_and_conditions(data: dict, source: SourceMap) -> Iterator[Problem]:
    questions = _question_index(data)
    earlier: set[str] = set()
    for i, question in enumerate(data["checker"]["questions"]):
        unsure = [j for j, v in enumerate(question.get("values") or []) if v["not_sure"]]
        if len(unsure) > 1:
            yield source.problem(("checker", "questions", i, "values", unsure[1], "not_sure"), "a second \"not sure\" "
                                 f'answer in question "{question["id"]}"', "one value with not_sure: true at most")
        path = ("checker", "questions", i, "asked_when")
        yield from _when_problems(question["asked_when"], path, questions, source)
        for key in question["asked_when"]:
            if key in questions and key not in earlier:
                yield source.problem(path + (key,), f'question "{question["id"]}" depends on "{key}", which comes later',
                                     f'put "{key}" before "{question["id"]}"', key=True)
        earlier.add(question["id"])
    checker = data["checker"]
    for i, rule in enumerate(checker["rules"]):
        yield from _when_problems(rule["when"], ("checker", "rules", i, "when"), questions, source)
    for i, item in enumerate(data["retention"]):
        yield from _when_problems(item["when"], ("retention", i, "when"), questions, source)
        counted = item["counted_from"]["question"] if item["counted_from"] else None
        if counted is not None and questions.get(counted, {}).get("type") != "date":
            dates = [q for q, v in questions.items() if v["type"] == "date"]
            yield source.problem(("retention", i, "counted_from"), f'"{counted}" is not a date question',
                                 (one_of(dates) if dates else "the id of a question with type: date")
                                 + ", or {event: words} for a period counted from something else")
        elif item["says"]["with_date"] is not None:  # with a wrong counted_from, a placeholder would be a follow-on error
            yield from _placeholder_problems(item, counted, ("retention", i, "says", "with_date"), source)
    for i, invariant in enumerate(checker["invariants"]):
        yield from _when_problems(invariant["when"], ("checker", "invariants", i, "when"), questions, source)


def _placeholder_problems(item: dict, question: str | None, path: tuple, source: SourceMap) -> Iterator[Problem]:
    """says.with_date may name only the start date (after its question) and {until}."""
    allowed = ["until"] + ([question] if question else [])
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(item["says"]["with_date"]) if name is not None]
    except ValueError as err:
        yield source.problem(path, f"the text has a stray brace: {err}", "placeholders written as {name}")
        return
    for name in names:
        if name not in allowed:
            yield source.problem(path, f'unknown placeholder "{{{name}}}"{did_you_mean(name, allowed)}',
                                 "only " + " and ".join("{" + a + "}" for a in allowed))


def _rule_references(data: dict, source: SourceMap) -> Iterator[Problem]:
    checker = data["checker"]
    recipients = [r["id"] for r in checker["recipients"]]
    records = [r["id"] for r in data["retention"]]
    wording = checker["wording"]
    exceptions = [r["exception"] for r in checker["rules"] if r["exception"]]
    promising = any(e["telling"] in PROMISES for e in exceptions)
    listed = any(e["shared_with"] or e["unnamed"] for e in exceptions)
    unnamed = next((i for i, r in enumerate(checker["rules"]) if r["exception"]
                    and not r["exception"]["unnamed"] and not r["exception"]["shared_with"]), None)
    if listed and unnamed is not None and not wording["in_short"].get("unnamed"):
        # The one-line answer lists who it could go to: an exception that names nobody is never left out (one
        # with `unnamed` words is listed in them).
        yield source.problem(("checker", "rules", unnamed, "exception", "shared_with"), "the one-line answer has no "
                             "words for someone the policy does not name", 'checker.wording.in_short.unnamed: '
                             '"others the policy does not name", listed with the recipients it names')
    for i, rule in enumerate(checker["rules"]):
        path = ("checker", "rules", i)
        exception, protection = rule["exception"], rule["protection"]
        if exception and protection:
            yield source.problem(path + ("protection",), "a rule is an exception or a protection, not both",
                                 "two rules, each citing its own words", key=True)
        if exception:
            yield from _exception_problems(rule, path, recipients, wording, source, promising)
        if protection:
            person = protection["person"]
            if person is not None and person not in recipients:
                yield source.problem(path + ("protection", "person"), f'recipient "{person}" does not exist'
                                     f'{did_you_mean(person, recipients)}', one_of(recipients))
            elif person is None and protection["kind"] == "never_told":
                yield source.problem(path + ("protection", "kind"), "a never_told protection names no person",
                                     "person: the id of the recipient who is never told")
            exception_ids = [r["id"] for r in checker["rules"] if r["exception"]]
            for k, undoing in enumerate(protection["unless"]):
                if undoing not in exception_ids:
                    yield source.problem(path + ("protection", "unless", k), f'"{undoing}" is not an exception rule'
                                         f'{did_you_mean(undoing, exception_ids)}', one_of(exception_ids))
            # An exception that will be used undoes the promise; one that may (or that the helpline decides)
            # only may: each needs its own words (checker.engine.will_share).
            undoers = [r["exception"] for r in checker["rules"] if r["id"] in protection["unless"] and r["exception"]]
            for key, what, needed in (
                    ("unless", "This does not hold if {condition}.", any(map(will_share, undoers))),
                    ("undone", "From your answers, this does not hold: {condition}.", any(map(will_share, undoers))),
                    ("unless_may", "This may not hold if {condition}.", not all(map(will_share, undoers))),
                    ("undone_may", "From your answers, this may not hold: {condition}.",
                     not all(map(will_share, undoers)))):
                if protection["unless"] and needed and not wording.get(key):
                    yield source.problem(path + ("protection", "unless"), "a promise that an exception can undo needs "
                                         "the words that say so", f'checker.wording.{key}: "{what}"')
        for k, ref in enumerate(rule["records"]):
            if data["retention_not_stated"]:
                yield source.problem(path + ("records",), "a rule brings records, but retention is not_stated: "
                                     "the policy says nothing about what is kept", "no records: in any rule, or "
                                     "retention: a list of what the policy says is kept", key=True)
                break
            if ref not in records:
                yield source.problem(path + ("records", k), f'retention entry "{ref}" does not exist{did_you_mean(ref, records)}',
                                     one_of(records))
    yield from _strength_words(checker, source)


# The one-line answer's words each strength needs: (key, when it is needed, what it is).
_STRENGTH_WORDS = (
    ("will_share_with", "must", 'the one-line answer for recipients of an exception that must share, with '
                                '{recipients}: "Will be passed to {recipients}"'),
    ("will_nobody_named", "must", "the one-line answer when an exception that must share names nobody"),
    ("will_and_could", "both", 'the one-line answer when some recipients will be told and others could: '
                               '"Will be passed to {recipients}, and could be passed to {others}"'),
)


def _strength_words(checker: dict, source: SourceMap) -> Iterator[Problem]:
    """An exception that must share needs the one-line answer's "will" words; a policy with both strengths the
    words for both at once. Each missing key is reported at the first exception that needs it."""
    rules = [(i, r["exception"]["strength"]) for i, r in enumerate(checker["rules"]) if r["exception"]]
    first_must = next((i for i, strength in rules if strength == "must"), None)
    both = first_must is not None and any(strength != "must" for _, strength in rules)
    in_short = checker["wording"]["in_short"]
    for key, needed, what in _STRENGTH_WORDS:
        if (needed == "must" and first_must is not None or needed == "both" and both) and not in_short.get(key):
            yield source.problem(("checker", "rules", first_must, "exception", "strength"),
                                 f"no one-line answer for this strength: checker.wording.in_short.{key} is missing",
                                 f"{key}: {what}")
    if first_must is not None and not checker["wording"].get("will_share_with"):
        yield source.problem(("checker", "rules", first_must, "exception", "strength"),
                             "no lead for the recipients of this strength: checker.wording.will_share_with is missing",
                             'will_share_with: the words before who it goes to, where an exception that must share '
                             'applies, "It will be passed to:" (shared_with says "could")')
    if first_must is not None and not checker["wording"]["outcome"].get("will_be_shared"):
        yield source.problem(("checker", "rules", first_must, "exception", "strength"),
                             "no headline for this strength: checker.wording.outcome.will_be_shared is missing",
                             'will_be_shared: the headline when an exception that must share applies, "From your '
                             'answers, what you tell us will be passed on in some cases."')


def _exception_problems(rule: dict, path: tuple, recipients: list, wording: dict, source: SourceMap,
                        promising: bool) -> Iterator[Problem]:
    exception = rule["exception"]
    listed = path + ("exception", "shared_with")
    if not exception["recipients_listed"]:  # written {one_of: […]} or {all_of: […]}
        listed += (exception["recipients_join"],)
    for k, who in enumerate(exception["shared_with"]):
        if who not in recipients:
            yield source.problem(listed + (k,),
                                 f'recipient "{who}" does not exist{did_you_mean(who, recipients)}', one_of(recipients))
    if exception["whatever_you_answer"]:
        if rule["when"]:
            yield source.problem(path + ("when",), "an exception marked whatever_you_answer: true also has answers in when:",
                                 "no when: for whatever_you_answer: true, or whatever_you_answer: false", key=True)
        if not wording["outcome"].get("confidential_except_always_possible"):
            yield source.problem(("checker", "wording", "outcome"), "an exception that no answer decides needs the "
                                 "headline for it", "confidential_except_always_possible: the headline when "
                                 "only such exceptions could apply", key=True)
        if not wording["in_short"].get("confidential_except_always_possible"):
            yield source.problem(("checker", "wording", "in_short"), "an exception that no answer decides needs its "
                                 "one-line answer", "confidential_except_always_possible: the answer in one line "
                                 "when only such exceptions could apply", key=True)
        if not wording["always_possible"]:
            yield source.problem(("checker", "wording"), "an exception that no answer decides needs its status line",
                                 'always_possible: a sentence like "This could happen whatever you answer."', key=True)
    elif not rule["when"]:
        # It would apply to every caller, so no caller could ever be told "confidential".
        yield source.problem(path + ("exception",), "an exception with an empty when: applies to every caller",
                             "when: the answers it applies to, or whatever_you_answer: true for an exception "
                             "that no answer of the caller's decides (a court order, the law)", key=True)
    elif not rule["says"]["would_apply_if"]:
        # The explanation must list an exception that could apply (no false comfort).
        yield source.problem(path + ("says",), "an exception with answers in when: needs says.would_apply_if",
                             'the sentence shown while those answers are not yet given, like "If you …, …"',
                             key=True)
    telling = exception["telling"]
    if not exception["telling_says"] and not wording["telling"].get(telling) and (telling in PROMISES or promising):
        # A promise must be shown wherever its exception is; and beside a promise, an exception that promises less
        # must say so, or a reader takes the promise next to it for its own.
        yield source.problem(path + ("exception", "telling"), f'no words for telling "{telling}"',
                             f"checker.wording.telling.{telling} (or this exception's own telling_says): the sentence that "
                             + ("makes this promise" if telling in PROMISES else
                                "says what this exception promises, beside the others' promises"))
    if exception["judgement"] and not wording["judgement"]:
        yield source.problem(path + ("exception", "judgement"), "an exception the helpline decides needs the sentence "
                             "that says so", 'checker.wording.judgement: "Our workers decide whether this applies, '
                             'from what you tell them."')
    if exception["recipients_join"] == "one_of" and not wording["in_short"].get("list_or"):
        yield source.problem(listed, "recipients of which one or more need the word between them",
                             'checker.wording.in_short.list_or: " or "')


def _retention_stated(data: dict, source: SourceMap) -> Iterator[Problem]:
    """`retention: not_stated` has no retention page; a list of entries may not be empty. (The words each needs
    are in NEEDED.)"""
    if data["retention_not_stated"]:
        if "retention_page" in data:
            yield source.problem(("retention_page",), "a retention page with retention: not_stated: the policy says "
                                 "nothing about what is kept, so the page would show an empty table",
                                 "no retention_page, or retention: a list of what the policy says is kept", key=True)
    elif not data["retention"]:
        yield source.problem(("retention",), "the list is empty: the site would show an empty table of what is kept",
                             "retention: not_stated when the policy says nothing about what is kept, or an entry "
                             "for each thing it says is kept")


# ---------------------------------------------------------------- keys needed only where something shows them

@dataclass(frozen=True)
class Needed:
    """A key the schema leaves optional because only some policies show it. `why` names what in this policy shows
    it, or gives None when nothing does: the key may then be left out, so that nobody writes words no reader meets
    just to fill it (policy/README.md, "Keys needed only where something shows them")."""
    block: tuple[str, ...]              # the mapping that holds it; () for the top level
    key: str
    why: Callable[[dict], str | None]   # from the normalised data
    what: str                           # what to write there, after 'add "key:" to block, '


def _because(condition: Callable[[dict], str | None], shown: str) -> Callable[[dict], str | None]:
    """A `why`: the words of the condition that holds in this policy, then what it makes the site show."""
    return lambda data: f"{said}, {shown}" if (said := condition(data)) else None


def _lists_records(data: dict) -> str | None:
    return None if data["retention_not_stated"] else "the policy lists what is kept (retention)"


def _caller_pages(data: dict) -> str | None:
    return "the policy has caller pages (audiences)" if data["audiences"] else None


def _discreet_cover(data: dict) -> str | None:
    return "safety.discreet_leaflet_cover is true" if data["safety"]["discreet_leaflet_cover"] else None


def _titled_cover(data: dict) -> str | None:
    return None if data["safety"]["discreet_leaflet_cover"] else "safety.discreet_leaflet_cover is not true"


def _site_url(data: dict) -> str | None:
    return "metadata.site_url is given" if data["metadata"]["site_url"]["value"] else None


def _footnoted(data: dict) -> str | None:
    noted = next((c["id"] for s in data["sections"] for c in s["clauses"] if c["footnotes"]), None)
    return f'clause "{noted}" has a footnote' if noted else None


def _not_stated(data: dict) -> str | None:
    return "with retention: not_stated" if data["retention_not_stated"] else None


def _dates_written(data: dict) -> str | None:
    """What in this policy writes a date out in words, with checker.date_format and month_names."""
    meta = data["metadata"]
    for key, shown in (("effective_date", "the pages print it"), ("review_date", "the About page prints it")):
        if not meta[key]["not_given"]:
            return f"metadata.{key} is given, and {shown}"
    if meta["history"]:
        return "metadata.history has dates, and the About page prints them"
    if "leaflet" in data:
        return "the leaflets print the day they were made"
    dates = {q["id"] for q in data["checker"]["questions"] if q["type"] == "date"}
    for item in data["retention"]:
        counted = (item["counted_from"] or {}).get("question")
        if counted in dates and dated_period(item):   # a period in hours, or only_if, writes no date
            return (f'retention entry "{item["id"]}" is counted from the date question "{counted}", and the checker '
                    "writes out the day it ends")
    for audience in data["audiences"]:
        for example in audience["examples"]:
            answered = sorted(dates & set(example["answers"]))
            if answered:
                return f'the worked example "{example["id"]}" answers the date question "{answered[0]}", and its ' \
                       "page writes the date out"
    return None


_TABLE = "and the leaflets print it as a table"
_QR = "so the leaflets print its address and a QR code"
NEEDED = (
    Needed((), "retention_page", _because(_lists_records, "and the site shows it on a page of its own"),
           "or retention: not_stated when the policy says nothing about what is kept"),
    Needed(("retention_page",), "caller_prompt", _because(_caller_pages, "and each whose callers' contact leaves "
                                                          "records leads to this page with it"),
           'the sentence, its words in [brackets] linked to this page: "If you email us, [see what we keep, and for '
           'how long]."'),
    Needed(("checker", "wording"), "records_not_stated", _because(_not_stated, "every explanation says that the "
                                                                  "policy does not say what is kept"),
           'the sentence: "Our policy does not say what we keep after you get in touch."'),
    Needed(("checker",), "date_format", _dates_written, 'how a date is written: "{day} {month} {year}"'),
    Needed(("checker",), "month_names", _dates_written, "the twelve months' names, January first"),
    Needed(("leaflet",), "cover_title", _because(_titled_cover, "so the leaflets' cover has the policy's title"),
           "the title on the leaflets' cover"),
    Needed(("leaflet",), "discreet_cover", _because(_discreet_cover, "so the leaflets' cover is the discreet one"),
           "its title and text, which say nothing about abuse"),
    Needed(("leaflet",), "notes_heading", _because(_footnoted, "and the leaflets print their notes under this "
                                                   "heading"), "the heading above the leaflets' notes"),
    Needed(("leaflet",), "retention_heading", _because(_lists_records, _TABLE),
           "the table's heading, or retention: not_stated when the policy says nothing about what is kept"),
    Needed(("leaflet",), "retention_columns", _because(_lists_records, _TABLE),
           "the table's column headings (what, where, kept_for, destroyed), or retention: not_stated when the "
           "policy says nothing about what is kept"),
    Needed(("leaflet",), "online_heading", _because(_site_url, _QR), "the heading above the address and the QR code"),
    Needed(("leaflet",), "online_text", _because(_site_url, _QR), "the sentence that says what is online"),
    Needed(("leaflet",), "qr_alt", _because(_site_url, _QR), "the QR code's text alternative, with {url} where the "
           'address goes: "A QR code for our website: {url}"'),
    Needed(("changes_page",), "caller_prompt", _because(_caller_pages, "and each points to what changed with it "
                                                        "while the change is recent"),
           'the sentence, with one [link]: "The policy changed on {date}. [See what is different for you]."'),
)


def _needed_keys(data: dict, source: SourceMap) -> Iterator[Problem]:
    for needed in NEEDED:
        block: Any = data
        for key in needed.block:
            block = block.get(key) if isinstance(block, dict) else None
        if not isinstance(block, dict) or block.get(needed.key) is not None:
            continue   # a block left out is needed, or not, by its own rule
        why = needed.why(data)
        if why:
            where = f"to {format_path(needed.block)}" if needed.block else "at the top level"
            yield source.problem(needed.block, f'missing key "{needed.key}": {why}',
                                 f'add "{needed.key}:" {where}, {needed.what}', key=True)


_UNITS_WORDS = ", ".join(PERIOD_UNITS)
# Why no date is worked out for an entry that has a period, said after "no date can be worked out for this entry".
_UNDATED = {
    "hours": ": its period is in hours, and the caller's date has no time of day (say the hours in words)",
    "only_if": ": it is kept only if something happens, and a record that only would be kept has no date",
}


def _retention_problems(data: dict, source: SourceMap) -> Iterator[Problem]:
    conditional_rules = {ref for rule in data["checker"]["rules"] if rule["when"] for ref in rule["records"]}
    for i, item in enumerate(data["retention"]):
        path = ("retention", i)
        kept, says = item["kept_for"], item["says"]
        units = [key for key in kept if key in PERIOD_UNITS and kept[key] is not None]   # as written
        for unit in units[1:]:
            yield source.problem(path + ("kept_for", unit), f"a second unit for one period: kept_for gives "
                                 f"{units[0]} and {unit}", "exactly one of " + _UNITS_WORDS + ", as the policy "
                                 'words it ("48 hours", "90 days", "6 years")', key=True)
        if kept["limit"] in ("for", "at_least", "at_most") and not kept["period"]:
            yield source.problem(path + ("kept_for",), f'a period "{kept["limit"]}" needs its length',
                                 f"one of {_UNITS_WORDS}: the number of them", key=True)
        elif kept["limit"] in ("as_long_as_necessary", "until_event", "not_stated") and kept["period"]:
            yield source.problem(path + ("kept_for", kept["period"]["unit"]), f'limit "{kept["limit"]}" has no length',
                                 f'no {kept["period"]["unit"]}, or a limit of for, at_least or at_most')
        if kept["limit"] == "until_event" and not kept["event"]:
            yield source.problem(path + ("kept_for",), 'limit "until_event" needs its event',
                                 'event: the event, in the policy\'s words ("the chat has closed")', key=True)
        elif kept["limit"] != "until_event" and kept["event"]:
            yield source.problem(path + ("kept_for", "event"), f'an event ends only limit "until_event", not '
                                 f'"{kept["limit"]}"', "limit: until_event for a record kept until the event, "
                                 "or no event", key=True)
        question = item["counted_from"]["question"] if item["counted_from"] else None
        dated = dated_period(item) is not None
        # Without a period nothing is counted: "counted from the closing" would read as kept *from* it (issue 27).
        uncounted = item["counted_from"] is not None and not kept["period"]
        if uncounted:
            yield source.problem(path + ("counted_from",), "counted_from with no period to count: without one it "
                                 "would read as kept from that moment on", f"a period ({_UNITS_WORDS}) with a limit "
                                 "that has one (for, at_least, at_most), or no counted_from; a record kept until "
                                 "something happens is kept_for: {limit: until_event, event: …}", key=True)
        if dated and not says["with_date"]:
            yield source.problem(path + ("says",), "a period counted from a date question needs says.with_date",
                                 f"the sentence with {{{question}}} and {{until}} filled in", key=True)
        elif not dated and not uncounted and says["with_date"]:
            why = "only_if" if item["only_if"] else kept["period"] and kept["period"]["unit"]
            yield source.problem(path + ("says", "with_date"), "no date can be worked out for this entry"
                                 + _UNDATED.get(why, ""), "with_date only with counted_from: a date question, a "
                                 "period in days, weeks, months or years, and no only_if")
        if (item["when"] or item["id"] in conditional_rules) and not says["would_apply_if"]:
            yield source.problem(path + ("says",), "an entry shown before its condition is answered needs "
                                 "says.would_apply_if", 'the sentence shown until then, like "If you email us, …"',
                                 key=True)


def _invariants(data: dict, source: SourceMap) -> Iterator[Problem]:
    questions = _question_index(data)
    recipients = [r["id"] for r in data["checker"]["recipients"]]
    texts = [normalise_space(c["text"]) for s in data["sections"] for c in s["clauses"]]
    for i, invariant in enumerate(data["checker"]["invariants"]):
        path = ("checker", "invariants", i)
        promise = invariant.get("promise")
        if promise is not None and not any(normalise_space(promise) in text for text in texts):
            # Words found in no clause would make the check hold without checking anything.
            yield source.problem(path + ("promise",), "the promise's words are in no clause",
                                 "words copied exactly from the clauses that promise to tell the caller first")
        if invariant.get("recipient") is not None and invariant["recipient"] not in recipients:
            yield source.problem(path + ("recipient",), f'recipient "{invariant["recipient"]}" does not exist'
                                 f'{did_you_mean(invariant["recipient"], recipients)}', one_of(recipients))
        if invariant.get("question") is not None:
            question = questions.get(invariant["question"])
            if question is None or question["type"] == "date":
                yield source.problem(path + ("question",), f'question "{invariant["question"]}" does not exist or has no values',
                                     one_of(q for q in questions if questions[q]["type"] != "date"))
            elif sorted(invariant["order"]) != sorted(v["value"] for v in question["values"] if not v["not_sure"]):
                # "Not sure" is no step of the order: it leaves each step open (no false comfort holds it).
                yield source.problem(path + ("order",), f'the order does not list each value of "{question["id"]}" once',
                                     "each of " + ", ".join(f'"{v["value"]}"' for v in question["values"]
                                                            if not v["not_sure"]) + " once, from least to most")


# ---------------------------------------------------------------- dates

def _parse_date(value: str) -> dt.date | None:
    try:
        return document_date(value)
    except ValueError:
        return None


def _dates(data: dict, source: SourceMap) -> Iterator[Problem]:
    meta = data["metadata"]
    places = [(("metadata", "effective_date"), meta["effective_date"]), (("metadata", "review_date"), meta["review_date"])]
    places += [(("metadata", "history", i, "date"), h["date"]) for i, h in enumerate(meta["history"])]
    parsed = {}
    for path, node in places:
        if node.get("not_given"):   # {not_given: true}: no date to check, nor to compare
            continue
        value_path = path + ("value",) if path + ("value",) in source.values else path
        day = _parse_date(node["value"])
        if day is None:
            yield source.problem(value_path, f'"{node["value"]}" is not a real date',
                                 "a date that exists, as YYYY-MM-DD, or YYYY-MM for a month")
        parsed[path[-1] if len(path) == 2 else path] = day
    effective, review = parsed.get("effective_date"), parsed.get("review_date")
    if effective and review and review <= effective:
        path = ("metadata", "review_date")
        yield source.problem(path + ("value",) if path + ("value",) in source.values else path,
                             f"the review date {review} is not after the effective date {effective}",
                             "a review date later than the effective date")


def _leaflet_footer(data: dict, source: SourceMap) -> Iterator[Problem]:
    # A date the document does not give has no value to put after the footer's "from": {in_force} says it in a
    # sentence either way ("In force from …", "The policy does not give a date"), and the day the leaflet was
    # printed is then the date a reader can go by.
    if "leaflet" not in data or not data["metadata"]["effective_date"]["not_given"]:
        return
    footer = data["leaflet"]["footer"]
    wrong = ["{effective_date} has none to print" if "{effective_date}" in footer else None,
             None if "{in_force}" in footer else "{in_force} is missing (a sentence that says so)",
             None if "{printed}" in footer else "{printed} is missing (the day the leaflet was printed)"]
    if any(wrong):
        yield source.problem(("leaflet", "footer"), "the policy does not give an effective date: "
                             + "; ".join(filter(None, wrong)),
                             'for example "Version {version}. {in_force}. Printed {printed}. Page {page} of {pages}."')


def audiences_question(data: dict) -> str | None:
    """The question whose values group callers (caller pages, the checker page's static explanations):
    `audiences_by`, else "role" when the policy asks it; None when the policy treats every caller alike."""
    if "audiences_by" in data:
        return data["audiences_by"]
    return "role" if "role" in _question_index(data) else None


def _audiences_by(data: dict, source: SourceMap) -> Iterator[Problem]:
    # The checker page explains each value of this question alone, and each caller page a few of them: it needs
    # values, and must be asked of every caller (an answer to a question not asked would be refused).
    by = audiences_question(data)
    if by is None:
        return
    questions = _question_index(data)
    given = "audiences_by" in data
    where = ("audiences_by",) if given else ("checker", "questions", list(questions).index(by))
    choosable = [q for q, question in questions.items() if question.get("values") and not question["asked_when"]]
    question = questions.get(by)
    if question is None:
        yield source.problem(where, f'question "{by}" does not exist{did_you_mean(by, questions)}',
                             "the id of a question with values, asked of every caller: the answers that group "
                             "callers" + (f" ({', '.join(choosable)})" if choosable else ""))
    elif not question.get("values"):
        yield source.problem(where, f'question "{by}" has no values to group callers by',
                             "a question with values, asked of every caller"
                             + (f" ({', '.join(choosable)})" if choosable else ""))
    elif question["asked_when"]:
        yield source.problem(where, f'question "{by}" is not asked of every caller (it has asked_when), so its '
                             "answers cannot group them", "a question with values and no asked_when"
                             + (f" ({', '.join(choosable)})" if choosable else ""))


def _audiences(data: dict, source: SourceMap, checker_data: dict[str, Any] | None = None) -> Iterator[Problem]:
    questions = _question_index(data)
    by = audiences_question(data)
    # Roles are held to the question only when it can group callers (else _audiences_by says why not).
    usable = by in questions and not questions[by]["asked_when"]
    roles = [v["value"] for v in questions[by].get("values") or []] if usable else []
    # The engine can judge the examples only when every asked_when names a question (else reported above).
    gates_known = all(key in questions for q in questions.values() for key in q["asked_when"])
    if data["audiences"] and gates_known:
        engine_data = checker_data if checker_data is not None else make_checker_data(data)
    else:
        engine_data = {}
    if data["audiences"] and "audience_page" not in data:
        yield source.problem(("audiences",), "pages for kinds of caller need their words",
                             "audience_page: at the top level, with the headings and labels of those pages", key=True)
    if data["audiences"] and by is None:
        yield source.problem(("audiences",), "pages for kinds of caller need a question that groups callers",
                             "audiences_by: the id of a question whose values the pages' roles name (or a question "
                             "with id: role); or no audiences, for a policy that treats every caller alike", key=True)
    for i, audience in enumerate(data["audiences"] if roles else []):
        for k, role in enumerate(audience["roles"]):
            if role not in roles:
                yield source.problem(("audiences", i, "roles", k), f'"{role}" is not a value of question "{by}"'
                                     f'{did_you_mean(role, roles)}', one_of(roles))
        for j, example in enumerate(audience["examples"] if engine_data else []):
            # The checker's own answer check: the pages explain these answers with the same engine.
            try:
                check_answers(engine_data, example["answers"])
            except AnswerError as err:
                message, _, expected = str(err).rpartition(" (")
                named = re.match(r'[^"]*"([^"]+)"', message)
                where = ("audiences", i, "examples", j, "answers") + ((named.group(1),) if named else ())
                yield source.problem(where, message[:1].lower() + message[1:], expected.removesuffix(")"))
