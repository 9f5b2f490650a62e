"""The exact messages of the schema and cross-reference checks, as tables of paired rows.

Each row edits the real policy in memory (key path → new value) and names, as a
sentence, what it shows. A good row must pass; a bad row must give exactly the listed
problems: (key path, what is wrong, what was expected). Positions are pinned by the
corpus test (test_policy_corpus.py); here the words are.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from generator.errors import PolicyError, Problem, did_you_mean, one_of
from generator.source.policy_checks import semantic_problems
from generator.source.policy_model import load_policy, normalise
from generator.source.schema_check import schema_problems
from generator.source.yaml_source import format_path, parse
from harness import ROOT
from policy_corpus.corpus import POLICY_FILE

DATA, SOURCE = parse(POLICY_FILE)
DELETE = object()


def _find(items: list, ident: str, what: str) -> int:
    for i, item in enumerate(items):
        if item.get("id") == ident:
            return i
    raise LookupError(f"the real policy has no {what} {ident!r}")


def clause(ident: str) -> tuple:
    for i, section in enumerate(DATA["sections"]):
        for j, item in enumerate(section["clauses"]):
            if item["id"] == ident:
                return ("sections", i, "clauses", j)
    raise LookupError(f"the real policy has no clause {ident!r}")


def section(ident: str) -> tuple:
    return ("sections", _find(DATA["sections"], ident, "section"))


def rule(ident: str) -> tuple:
    return ("checker", "rules", _find(DATA["checker"]["rules"], ident, "rule"))


def question(ident: str) -> tuple:
    return ("checker", "questions", _find(DATA["checker"]["questions"], ident, "question"))


def invariant(ident: str) -> tuple:
    return ("checker", "invariants", _find(DATA["checker"]["invariants"], ident, "invariant"))


def record(ident: str) -> tuple:
    return ("retention", _find(DATA["retention"], ident, "retention entry"))


def edited(*changes: tuple) -> dict:
    """A copy of the real policy with each (key path, value) set; DELETE removes the key."""
    data = copy.deepcopy(DATA)
    for path, value in changes:
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        if value is DELETE:
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
    return data


def found(problems: list[Problem]) -> list[tuple]:
    return [(p.path, p.message, p.expected) for p in problems]


P = format_path


def example(value: str) -> dict:
    return {"value": value, "example": True}

QUESTIONS = [q["id"] for q in DATA["checker"]["questions"]]
RISK = ["none", "concern", "particular", "immediate_severe"]
RECIPIENTS = [r["id"] for r in DATA["checker"]["recipients"]]
CLAUSE_KEYS = "allowed keys: id, text, summary, kind, list_item, footnotes"


# retention: not_stated, as a policy that says nothing about what is kept writes it.
NOT_STATED = [(("retention",), "not_stated"), (("retention_page",), DELETE),
              (rule("records-in-writing") + ("records",), DELETE),
              (("checker", "wording", "records_not_stated"), "Our policy does not say what we keep after you get in touch.")]


def _row(sentence: str, changes: list, expected: list) -> pytest.param:
    return pytest.param(changes, expected, id=sentence.replace(" ", "_"))


def _six_months_refused(sentence: str, changes: list, kept: str) -> pytest.param:
    """A row: the first email entry's data changed to `kept`, and each of its words that still say "six months"
    refused (its summary, kept_for.words and every sentence)."""
    entry = record("copies-and-responses")
    return _row(sentence, changes, [
        (P(path), f'the words say "six months", but retention[0] ("copies-and-responses") is kept for {kept}',
         "words and data that say the same period: change the one that is wrong")
        for path in (clause("email-and-post-records") + ("summary",), entry + ("kept_for", "words"),
                     *(entry + ("says", key) for key in ("applies", "with_date", "would_apply_if")))])


# ---------------------------------------------------------------- the schema

SCHEMA_ROWS = [
    _row("format 3 is read", [(("format",), 3)], []),
    _row("another format is refused", [(("format",), 4)],
         [("format", "4 is not allowed", "expected 3")]),
    _row("a strength the format does not have is refused",
         [(rule("consent") + ("exception", "strength"), "should")],
         [(P(rule("consent") + ("exception", "strength")), '"should" is not allowed',
           'expected one of: "must", "may", "reserves_right"')]),
    _row("recipients are all of them or one of them, not both",
         [(rule("particular-risk") + ("exception", "shared_with"), {"one_of": ["police"], "all_of": ["ex_partner"]})],
         [(P(rule("particular-risk") + ("exception", "shared_with", "one_of")), 'both "all_of" and "one_of"',
           "one of them: all_of when it goes to all of them, one_of when to one or more of them")]),
    _row("an exception without a strength is refused", [(rule("consent") + ("exception", "strength"), DELETE)],
         [(P(rule("consent") + ("exception",)), 'missing key "strength"', 'add "strength:" to checker.rules[6].exception')]),
    _row("a title of ours is accepted", [(("metadata", "title"), {"value": "Our confidentiality policy", "ours": True}),
                                         (section("training") + ("title",), {"value": "Training", "ours": True}),
                                         (("wording", "ours_mark"), "(our title)")], []),
    _row("a title of ours must say so", [(section("training") + ("title",), {"value": "Training"})],
         [(P(section("training") + ("title",)), 'missing key "ours"', 'add "ours:" to sections[5].title')]),
    _row("the interface text refuses a key it does not have",
         [(("wording", "home_page"), {"headline": "What you tell us"})],
         [("wording.home_page.headline", 'unknown key "headline"; did you mean "heading"?',
           "allowed keys: title, heading, next_steps, checker_link, policy_link, retention_not_stated")]),

    _row("a language tag is accepted", [(("metadata", "language"), "cy-GB")], []),
    _row("a language name is refused", [(("metadata", "language"), "English")],
         [("metadata.language", '"English" is not in the right form', "BCP 47 language tag, e.g. en-GB")]),

    _row("a version in quotes is text", [(("metadata", "version"), "2.1")], []),
    _row("a version without quotes is a number and refused", [(("metadata", "version"), 2.1)],
         [("metadata.version", "wrong type: a number 2.1", "expected text; put it in quotes to keep it as written")]),
    _row("an example value is marked with example true", [(("metadata", "version"), {"value": "2", "example": True})], []),
    _row("an example value without its marker is refused", [(("metadata", "version"), {"value": "2"})],
         [("metadata.version", 'missing key "example"', 'add "example:" to metadata.version')]),
    _row("not given is only ever true", [(("metadata", "version"), {"not_given": False})],
         [("metadata.version.not_given", "false is not allowed", "expected true")]),

    _row("a date is written YYYY-MM-DD", [(("metadata", "effective_date"), "2026-01-05")], []),
    _row("a month the document gives without a day is written YYYY-MM", [(("metadata", "effective_date"), "2025-03")],
         []),
    _row("a date in words is refused", [(("metadata", "effective_date"), "5 January 2026")],
         [("metadata.effective_date", '"5 January 2026" is not in the right form',
           "a date, YYYY-MM-DD, or YYYY-MM for a month the document gives without a day")]),

    _row("a web address starts with https", [(("metadata", "site_url"), "https://help.example.org/")], []),
    _row("a web address without its scheme is refused", [(("metadata", "site_url"), "help.example.org")],
         [("metadata.site_url", '"help.example.org" is not in the right form',
           "a web address starting https:// (or http://), without spaces")]),

    _row("true or false is a boolean", [(("safety", "replace_history"), False)], []),
    _row("yes in quotes is text, not a boolean", [(("safety", "replace_history"), "yes")],
         [("safety.replace_history", 'wrong type: text "yes"', "expected true or false, without quotes")]),

    _row("a misspelt key is named with the key it resembles",
         [(clause("publicity") + ("summery",), "x"), (clause("publicity") + ("summary",), DELETE)],
         [(P(clause("publicity") + ("summery",)), 'unknown key "summery"; did you mean "summary"?', CLAUSE_KEYS)]),
    _row("an unknown key unlike any other is listed with the allowed keys",
         [(clause("publicity") + ("colour",), "red")],
         [(P(clause("publicity") + ("colour",)), 'unknown key "colour"', CLAUSE_KEYS)]),
    _row("a misspelt top-level key is named once", [(("metdata",), DATA["metadata"]), (("metadata",), DELETE)],
         [("metdata", 'unknown key "metdata"; did you mean "metadata"?',
           "allowed keys: " + ", ".join(__import__("generator.source.schema_check", fromlist=["x"])._validator().schema["properties"]))]),
    _row("a missing key is named with where to add it", [(section("training") + ("title",), DELETE)],
         [(P(section("training")), 'missing key "title"', f'add "title:" to {P(section("training"))}')]),
    _row("a missing top-level key is added at the top level", [(("retention",), DELETE)],
         [("", 'missing key "retention"', 'add "retention:" at the top level')]),

    _row("an empty text is refused", [(clause("publicity") + ("text",), "")],
         [(P(clause("publicity") + ("text",)), "the text is empty", "some words")]),
    _row("a text of spaces is empty too", [(clause("publicity") + ("summary",), "  \n ")],
         [(P(clause("publicity") + ("summary",)), "the text is empty", "some words")]),
    _row("a key with nothing after it is null, not text", [(clause("publicity") + ("summary",), None)],
         [(P(clause("publicity") + ("summary",)), "wrong type: nothing (null)", "expected text")]),

    _row("an id of lower-case words is accepted", [(section("training") + ("id",), "staff_training-2")], []),
    _row("an id with capitals and spaces is refused with a suggestion", [(section("training") + ("id",), "Staff Training")],
         [(P(section("training") + ("id",)), '"Staff Training" is not in the right form; try "staff-training"',
           "a stable id: lower case, starting with a letter, words joined by - or _, such as aged_18_or_over")]),

    _row("a misspelt clause kind is named with the kind it resembles", [(clause("exception-consent") + ("kind",), "exeption")],
         [(P(clause("exception-consent") + ("kind",)), '"exeption" is not allowed; did you mean "exception"?',
           'expected one of: "exception"')]),
    _row("telling may be left out", [(rule("consent") + ("exception", "telling"), DELETE)], []),
    _row("telling refuses a word outside its vocabulary",
         [(rule("consent") + ("exception", "telling"), "always")],
         [(P(rule("consent") + ("exception", "telling")), '"always" is not allowed',
           'expected one of: "with_agreement", "first", "first_where_possible_and_safe", "during_contact", "told", '
           '"earliest_opportunity", "told_where_possible", "without_consent_with_knowledge", "afterwards", "not_told", "not_stated"')]),
    _row("format 1's caller_told_first is refused with the keys that replace it",
         [(rule("consent") + ("exception", "caller_told_first"), None)],
         [(P(rule("consent") + ("exception", "caller_told_first")), 'unknown key "caller_told_first"',
           "allowed keys: condition, strength, shared_with, judgement, limit, telling, telling_says, whatever_you_answer")]),
    _row("a protection's kind comes from its vocabulary",
         [(rule("no-caller-identification") + ("protection",), {"kind": "anonymous"})],
         [(P(rule("no-caller-identification") + ("protection", "kind")),
           '"anonymous" is not allowed; did you mean "anonymous_by_choice"?',
           'expected one of: "perpetrator_never_told", "never_told", "not_identified", "number_not_seen", "ip_not_seen", '
           '"not_traced", "anonymous_by_choice", "details_not_passed_on", "other"')]),
    _row("a retention limit comes from its vocabulary",
         [(record("copies-and-responses") + ("kept_for", "limit"), "within")],
         [(P(record("copies-and-responses") + ("kept_for", "limit")), '"within" is not allowed',
           'expected one of: "for", "at_least", "at_most", "as_long_as_necessary", "until_event", "not_stated"')]),
    _row("retention is a list of entries or not_stated, and no other word", [(("retention",), "none")],
         [("retention", '"none" is not allowed', 'expected "not_stated"')]),

    _row("a rule without citations is refused", [(rule("calls-monitored") + ("cites",), [])],
         [(P(rule("calls-monitored") + ("cites",)), "the list is empty", "at least 1 item")]),
    _row("eleven month names are too few", [(("checker", "month_names"), DATA["checker"]["month_names"][:11])],
         [("checker.month_names", "the list is too short", "at least 12 items")]),
    _row("thirteen month names are too many", [(("checker", "month_names"), DATA["checker"]["month_names"] + ["Smarch"])],
         [("checker.month_names", "the list is too long", "at most 12 items")]),
    _row("a recipient named twice in one exception is refused",
         [(rule("particular-risk") + ("exception", "shared_with"), ["police", "police"])],
         [(P(rule("particular-risk") + ("exception", "shared_with")), "the list repeats an item", "each item once")]),

    _row("a period of one month is accepted", [(record("copies-and-responses") + ("kept_for", "months"), 1)], []),
    _row("a period in hours is a key of its own, not a misspelt word",
         [(record("copies-and-responses") + ("kept_for", "hour"), 48)],
         [(P(record("copies-and-responses") + ("kept_for", "hour")), 'unknown key "hour"; did you mean "hours"?',
           "allowed keys: hours, days, weeks, months, years, limit, event, words")]),
    _row("where may be marked not given", [(record("copies-and-responses") + ("where",), {"not_given": True})], []),
    _row("where not given is written {not_given: true}, and nothing else",
         [(record("copies-and-responses") + ("where",), {"not_given": "yes"})],
         [(P(record("copies-and-responses") + ("where", "not_given")), '"yes" is not allowed', "expected true")]),
    _row("a period of no months is refused", [(record("copies-and-responses") + ("kept_for", "months"), 0)],
         [(P(record("copies-and-responses") + ("kept_for", "months")), "0 is too small", "at least 1")]),

    _row("a date question has no values", [], []),
    _row("a date question with values is refused",
         [(question("contact_date") + ("values",), [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}])],
         [(P(question("contact_date") + ("values",)), 'a question of type date cannot have "values"',
           "remove the values, or make it type: choice")]),
    _row("a choice question without values is refused", [(question("channel") + ("values",), DELETE)],
         [(P(question("channel")), 'missing key "values"', f'add "values:" to {P(question("channel"))}')]),
    _row("an invariant that names no recipient is refused", [(invariant("never-to-perpetrator") + ("recipient",), DELETE)],
         [(P(invariant("never-to-perpetrator")), 'missing key "recipient"',
           f'add "recipient:" to {P(invariant("never-to-perpetrator"))}')]),
    _row("the would-apply wording must say where the condition goes",
         [(("checker", "wording", "would_apply_if"), "This would apply.")],
         [("checker.wording.would_apply_if", '"This would apply." is not in the right form',
           "text with {condition} where the exception's condition goes")]),
]


@pytest.mark.parametrize(("changes", "expected"), SCHEMA_ROWS)
def test_schema(changes, expected):
    assert found(schema_problems(edited(*changes), SOURCE)) == expected


# ---------------------------------------------------------------- checks a schema cannot make

SEMANTIC_ROWS = [
    _row("distinct ids are accepted", [], []),
    _row("two clauses with one id are refused", [(clause("publicity") + ("id",), "monitoring-and-training")],
         [(P(clause("publicity") + ("id",)), 'duplicate section or clause id "monitoring-and-training"',
           f"each id once; first given at line {SOURCE.locate(clause('monitoring-and-training') + ('id',))[0]}")]),
    _row("a section and a clause share one namespace of ids", [(section("training") + ("id",), "publicity")],
         [(P(clause("publicity") + ("id",)), 'duplicate section or clause id "publicity"',
           f"each id once; first given at line {SOURCE.locate(section('training') + ('id',))[0]}")]),
    _row("a value given twice in one question is refused",
         [(question("channel") + ("values",), DATA["checker"]["questions"][question("channel")[2]]["values"]
           + [{"value": "phone", "label": "By telephone"}])],
         [(P(question("channel") + ("values", 3, "value")), 'question "channel" has the value "phone" twice',
           f"each value once; first given at line {SOURCE.locate(question('channel') + ('values', 0, 'value'))[0]}")]),

    _row("a footnote that exists is accepted", [(clause("publicity") + ("footnotes",), ["home-office-tool"])], []),
    _row("a footnote that does not exist is named with the one it resembles",
         [(clause("publicity") + ("footnotes",), ["home-office-tools"])],
         [(P(clause("publicity") + ("footnotes", 0)), 'footnote "home-office-tools" does not exist; did you mean "home-office-tool"?',
           one_of(f["id"] for f in DATA["footnotes"]))]),

    _row("a quote is found across line breaks and double spaces",
         [(rule("calls-monitored") + ("cites", 0, "quote"), "Calls may be monitored\n  for quality and training purposes.")], []),
    _row("a quote with a word changed shows the word and the clause's word there",
         [(rule("calls-monitored") + ("cites", 0, "quote"), "Calls may be recorded for quality and training purposes.")],
         [(P(rule("calls-monitored") + ("cites", 0, "quote")),
           'the quote is not in clause "monitoring-and-training": after "Calls may be", the quote has "recorded" '
           'where the clause has "monitored"', "words copied exactly from the clause's text")]),
    _row("a straight apostrophe for a typographic one is shown in its word",
         [(rule("concern-for-safety") + ("cites", 0, "quote"), "due to the caller's abusive behaviour")],
         [(P(rule("concern-for-safety") + ("cites", 0, "quote")),
           'the quote is not in clause "perpetrator-risk": after "due to the", the quote has "caller\'s" '
           'where the clause has "caller’s"', "words copied exactly from the clause's text")]),
    _row("a quote that starts with the differing word still shows it",
         [(rule("concern-for-safety") + ("cites", 0, "quote"), "caller's abusive behaviour")],
         [(P(rule("concern-for-safety") + ("cites", 0, "quote")),
           'the quote is not in clause "perpetrator-risk": the quote has "caller\'s" where the clause has "caller’s"',
           "words copied exactly from the clause's text")]),
    _row("a missing comma is shown with the word it follows",
         [(rule("told-before-sharing") + ("cites", 0, "quote"), "about the risk they pose where it is possible")],
         [(P(rule("told-before-sharing") + ("cites", 0, "quote")),
           'the quote is not in clause "perpetrator-risk": after "about the risk they", the quote has "pose" '
           'where the clause has "pose,"', "words copied exactly from the clause's text")]),
    _row("a quote whose first word differs is placed by the words after it",
         [(rule("calls-monitored") + ("cites", 0, "quote"), "Cals may be monitored for quality and training purposes.")],
         [(P(rule("calls-monitored") + ("cites", 0, "quote")),
           'the quote is not in clause "monitoring-and-training": before "may be monitored for quality and…", '
           'the quote has "Cals" where the clause has "Calls"', "words copied exactly from the clause's text")]),
    _row("words before the clause begins are named",
         [(rule("calls-monitored") + ("cites", 0, "quote"), "Sadly, Calls may be monitored for quality and training purposes.")],
         [(P(rule("calls-monitored") + ("cites", 0, "quote")),
           'the quote is not in clause "monitoring-and-training": before "Calls may be monitored for quality and…", '
           'the clause begins but the quote has "Sadly," first', "words copied exactly from the clause's text")]),
    _row("a quote is compared with the passage of its clause it most resembles",
         [(rule("particular-risk") + ("cites", 0, "quote"), "If phoneline workers think that a perpetrator poses a particular risk")],
         [(P(rule("particular-risk") + ("cites", 0, "quote")),
           'the quote is not in clause "perpetrator-risk": after "If phoneline workers", the quote has "think" '
           'where the clause has "believe"', "words copied exactly from the clause's text")]),
    _row("a character nobody can see is named by its code",
         [(rule("calls-monitored") + ("cites", 0, "quote"), "Calls may be monitored for quality and \u200btraining purposes.")],
         [(P(rule("calls-monitored") + ("cites", 0, "quote")),
           'the quote is not in clause "monitoring-and-training": after "Calls may be monitored for quality and", '
           'the quote has "<U+200B>training" where the clause has "training"', "words copied exactly from the clause's text")]),
    _row("a letter of another alphabet that looks the same is named by its code",
         [(rule("calls-monitored") + ("cites", 0, "quote"), "Calls may be m\u043enitored for quality and training purposes.")],
         [(P(rule("calls-monitored") + ("cites", 0, "quote")),
           'the quote is not in clause "monitoring-and-training": after "Calls may be", '
           'the quote has "m<U+043E>nitored" where the clause has "m<U+006F>nitored"', "words copied exactly from the clause's text")]),
    _row("a quote that goes on past its clause says so",
         [(rule("calls-monitored") + ("cites", 0, "clause"), "no-caller-identification"),
          (rule("calls-monitored") + ("cites", 0, "quote"), "We do not use technology to identify callers at all")],
         [(P(rule("calls-monitored") + ("cites", 0, "quote")),
           'the quote is not in clause "no-caller-identification": after "…not use technology to identify callers", '
           'the clause ends but the quote goes on with "at all"', "words copied exactly from the clause's text")]),
    _row("a quote with nothing in common is simply refused",
         [(rule("calls-monitored") + ("cites", 0, "quote"), "Zebras.")],
         [(P(rule("calls-monitored") + ("cites", 0, "quote")), 'the quote is not in clause "monitoring-and-training"',
           "words copied exactly from the clause's text")]),
    _row("a citation of a clause that does not exist is refused",
         [(rule("calls-monitored") + ("cites", 0, "clause"), "monitoring")],
         [(P(rule("calls-monitored") + ("cites", 0, "clause")),
           'clause "monitoring" does not exist; did you mean "monitoring-and-training"?', "the id of a clause under sections:")]),
    _row("a citation of a clause unlike any other lists no suggestion",
         [(rule("calls-monitored") + ("cites", 0, "clause"), "zebra")],
         [(P(rule("calls-monitored") + ("cites", 0, "clause")), 'clause "zebra" does not exist',
           "the id of a clause under sections:")]),

    _row("an exception clause cited only by a plain point is refused",
         [(clause("monitoring-and-training") + ("kind",), "exception")],
         [(P(clause("monitoring-and-training") + ("id",)), 'exception clause "monitoring-and-training" is cited by no checker rule',
           "a rule with exception: that cites this clause")]),

    _row("a condition on a question that exists is accepted", [(rule("calls-monitored") + ("when",), {"channel": ["phone", "email"]})], []),
    _row("a condition on a question that does not exist is refused",
         [(rule("calls-monitored") + ("when",), {"chanel": "phone"})],
         [(P(rule("calls-monitored") + ("when", "chanel")), 'question "chanel" does not exist; did you mean "channel"?',
           one_of(QUESTIONS))]),
    _row("a condition on a date question is refused",
         [(rule("calls-monitored") + ("when",), {"contact_date": "2026-01-01"})],
         [(P(rule("calls-monitored") + ("when", "contact_date")), 'date question "contact_date" cannot be used in a condition',
           "a question with values")]),
    _row("a condition on a value its question does not allow is refused",
         [(rule("calls-monitored") + ("when",), {"channel": ["phone", "fax"]})],
         [(P(rule("calls-monitored") + ("when", "channel")), '"fax" is not a value of question "channel"',
           one_of(["phone", "email", "letter"]))]),

    _row("a question asked after an earlier one is accepted", [], []),
    _row("a question asked after a later one is refused",
         [(question("child_or_vulnerable_adult_at_risk") + ("asked_when",), {"channel": ["phone", "email", "letter"]})],
         [(P(question("child_or_vulnerable_adult_at_risk") + ("asked_when", "channel")),
           'question "child_or_vulnerable_adult_at_risk" depends on "channel", which comes later',
           'put "channel" before "child_or_vulnerable_adult_at_risk"')]),

    _row("a period counted from a question that is not a date is refused",
         [(record("copies-and-responses") + ("counted_from",), "channel")],
         [(P(record("copies-and-responses") + ("counted_from",)), '"channel" is not a date question',
           one_of(["contact_date"]) + ", or {event: words} for a period counted from something else")]),
    _row("a period counted from a named event is accepted, without a date sentence",
         [(record("copies-and-responses") + ("counted_from",), {"event": "the end of your contact"}),
          (record("copies-and-responses") + ("says", "with_date"), DELETE)], []),
    _row("a period counted from a date question needs its date sentence",
         [(record("copies-and-responses") + ("says", "with_date"), DELETE)],
         [(P(record("copies-and-responses") + ("says",)), "a period counted from a date question needs says.with_date",
           "the sentence with {contact_date} and {until} filled in")]),
    _row("an entry shown before its condition is answered needs its would-apply sentence",
         [(record("original-letters") + ("says", "would_apply_if"), DELETE)],
         [(P(record("original-letters") + ("says",)),
           "an entry shown before its condition is answered needs says.would_apply_if",
           'the sentence shown until then, like "If you email us, …"')]),
    _row("a limit with no length refuses months",
         [(record("copies-and-responses") + ("kept_for", "limit"), "as_long_as_necessary")],
         [(P(record("copies-and-responses") + ("kept_for", "months")), 'limit "as_long_as_necessary" has no length',
           "no months, or a limit of for, at_least or at_most")]),

    _row("an exception shared with a known recipient is accepted",
         [(rule("consent") + ("exception", "shared_with"), ["police"])], []),
    _row("an exception shared with an unknown recipient is refused",
         [(rule("consent") + ("exception", "shared_with"), ["the_police"])],
         [(P(rule("consent") + ("exception", "shared_with", 0)), 'recipient "the_police" does not exist; did you mean "police"?',
           one_of(RECIPIENTS))]),
    # ---- retention (format 3): kept until an event, a period counted from something, nothing stated
    _row("a record kept until an event is accepted, with its event",
         [(record("copies-and-responses") + ("counted_from",), DELETE),
          (record("copies-and-responses") + ("says", "with_date"), DELETE),
          (record("copies-and-responses") + ("kept_for",),
           {"limit": "until_event", "event": "we have replied", "words": "until we have replied"})], []),
    _row("a record kept until an event names the event",
         [(record("copies-and-responses") + ("counted_from",), DELETE),
          (record("copies-and-responses") + ("says", "with_date"), DELETE),
          (record("copies-and-responses") + ("kept_for",), {"limit": "until_event", "words": "until we have replied"})],
         [(P(record("copies-and-responses") + ("kept_for",)), 'limit "until_event" needs its event',
           'event: the event, in the policy\'s words ("the chat has closed")')]),
    _row("an event ends no other limit",
         [(record("copies-and-responses") + ("kept_for", "event"), "we have replied")],
         [(P(record("copies-and-responses") + ("kept_for", "event")), 'an event ends only limit "until_event", not "for"',
           "limit: until_event for a record kept until the event, or no event")]),
    _row("a record kept until an event has no months",
         [(record("copies-and-responses") + ("counted_from",), DELETE),
          (record("copies-and-responses") + ("says", "with_date"), DELETE),
          (record("copies-and-responses") + ("kept_for",),
           {"limit": "until_event", "event": "we have replied", "months": 6, "words": "until we have replied"})],
         [(P(record("copies-and-responses") + ("kept_for", "months")), 'limit "until_event" has no length',
           "no months, or a limit of for, at_least or at_most")]),
    *(_row(f"counted_from without a period is refused at its line ({what})",
           [(record("copies-and-responses") + ("counted_from",), counted),
            (record("copies-and-responses") + ("says", "with_date"), DELETE),
            (record("copies-and-responses") + ("kept_for",), {"limit": limit, "words": "as long as we need it"})],
           [(P(record("copies-and-responses") + ("counted_from",)), "counted_from with no period to count: without "
             "one it would read as kept from that moment on", "a period (hours, days, weeks, months, years) with a "
             "limit that has one (for, at_least, at_most), or no counted_from; a record kept until something happens "
             "is kept_for: {limit: until_event, event: …}")])
      for what, counted, limit in (("an event", {"event": "the end of your contact"}, "as_long_as_necessary"),
                                   ("a date question", "contact_date", "not_stated"))),
    # Periods in other units than months (issue 27): one unit, and a date only where one can be worked out.
    _row("a period in days, with its date sentence, is accepted",
         [(record("copies-and-responses") + ("kept_for",), {"days": 182, "words": "182 days"}),
          *((record("copies-and-responses") + ("says", key), "We keep your email for 182 days, until {until}.")
            for key in ("applies", "with_date", "would_apply_if")),
          (clause("email-and-post-records") + ("summary",), "We keep emails for 182 days, replies for two months.")], []),
    _row("a period given in two units is refused at the second",
         [(record("copies-and-responses") + ("kept_for", "days"), 182)],
         [(P(record("copies-and-responses") + ("kept_for", "days")), "a second unit for one period: kept_for gives "
           "months and days", 'exactly one of hours, days, weeks, months, years, as the policy words it ("48 hours", '
           '"90 days", "6 years")')]),
    _row("a period in hours gives no date: with_date is refused, saying why",
         [(record("original-letters") + ("counted_from",), "contact_date"),
          (record("original-letters") + ("kept_for",), {"hours": 48, "words": "until they are destroyed"}),
          (record("original-letters") + ("says", "with_date"), "We keep your letter until {until}."),
          (clause("email-and-post-records") + ("summary",), "We keep emails for six months, replies for two months "
                                                             "and letters for 48 hours.")],
         [(P(record("original-letters") + ("says", "with_date")), "no date can be worked out for this entry: its "
           "period is in hours, and the caller's date has no time of day (say the hours in words)", "with_date only "
           "with counted_from: a date question, a period in days, weeks, months or years, and no only_if")]),
    _row("a record kept only if something happens has no date: with_date is refused, saying why",
         [(record("copies-and-responses") + ("only_if",), "we raise a concern about your email")],
         [(P(record("copies-and-responses") + ("says", "with_date")), "no date can be worked out for this entry: it "
           "is kept only if something happens, and a record that only would be kept has no date", "with_date only "
           "with counted_from: a date question, a period in days, weeks, months or years, and no only_if")]),
    _row("a record kept only if something happens, counted from the caller's date, is accepted without a date",
         [(record("copies-and-responses") + ("only_if",), "we raise a concern about your email"),
          (record("copies-and-responses") + ("says", "with_date"), DELETE)], []),
    _row("retention: not_stated has no retention page, no records and its sentence",
         NOT_STATED, []),
    _row("retention: not_stated refuses a retention page, saying why",
         [c for c in NOT_STATED if c[0] != ("retention_page",)],
         [("retention_page", "a retention page with retention: not_stated: the policy says nothing about what is kept, "
           "so the page would show an empty table", "no retention_page, or retention: a list of what the policy says "
           "is kept")]),
    _row("retention: not_stated needs the explanations' sentence",
         [c for c in NOT_STATED if c[0] != ("checker", "wording", "records_not_stated")],
         [("checker.wording", 'missing key "records_not_stated": with retention: not_stated, every explanation says '
           "that the policy does not say what is kept", 'add "records_not_stated:" to checker.wording, the sentence: '
           '"Our policy does not say what we keep after you get in touch."')]),
    _row("retention: not_stated leaves no rule records to bring",
         [c for c in NOT_STATED if c[0] != rule("records-in-writing") + ("records",)],
         [(P(rule("records-in-writing") + ("records",)), "a rule brings records, but retention is not_stated: the "
           "policy says nothing about what is kept", "no records: in any rule, or retention: a list of what the "
           "policy says is kept")]),
    _row("an empty retention list is refused: it would show an empty table",
         [(("retention",), []), (rule("records-in-writing") + ("records",), DELETE)],
         [("retention", "the list is empty: the site would show an empty table of what is kept",
           "retention: not_stated when the policy says nothing about what is kept, or an entry for each thing it "
           "says is kept")]),
    _row("a list of what is kept needs its page",
         [(("retention_page",), DELETE)],
         [("", 'missing key "retention_page": the policy lists what is kept (retention), and the site shows it on a '
           'page of its own', 'add "retention_page:" at the top level, or retention: not_stated when the policy says '
           "nothing about what is kept")]),
    _row("a list of what is kept needs the leaflets' words for its table",
         [(("leaflet", "retention_columns"), DELETE)],
         [("leaflet", 'missing key "retention_columns": the policy lists what is kept (retention), and the leaflets '
           'print it as a table', 'add "retention_columns:" to leaflet, the table\'s column headings (what, where, '
           "kept_for, destroyed), or retention: not_stated when the policy says nothing about what is kept")]),
    # Keys needed only where something shows them (policy_checks.NEEDED): Respect's leaflets have no discreet
    # cover and no QR code (no site_url), so nothing prints those words.
    _row("leaflet words that nothing prints may be left out",
         [(("leaflet", key), DELETE) for key in ("discreet_cover", "online_heading", "online_text", "qr_alt")], []),
    _row("a retention entry without when concerns every caller", [(record("copies-and-responses") + ("when",), DELETE)],
         []),
    _row("a discreet cover needs its words",
         [(("safety", "discreet_leaflet_cover"), True), (("leaflet", "discreet_cover"), DELETE)],
         [("leaflet", 'missing key "discreet_cover": safety.discreet_leaflet_cover is true, so the leaflets\' cover is '
           'the discreet one', 'add "discreet_cover:" to leaflet, its title and text, which say nothing about abuse')]),
    _row("the cover with the policy's title needs it, and a discreet cover does not",
         [(("leaflet", "cover_title"), DELETE)],
         [("leaflet", 'missing key "cover_title": safety.discreet_leaflet_cover is not true, so the leaflets\' cover '
           'has the policy\'s title', 'add "cover_title:" to leaflet, the title on the leaflets\' cover')]),
    _row("a discreet cover needs no title of the policy's",
         [(("safety", "discreet_leaflet_cover"), True), (("leaflet", "cover_title"), DELETE)], []),
    _row("a site's address needs the leaflets' words for it and its QR code",
         [(("metadata", "site_url"), "https://respect.example.org/")]
         + [(("leaflet", key), DELETE) for key in ("online_heading", "qr_alt")],
         [("leaflet", f'missing key "{key}": metadata.site_url is given, so the leaflets print its address and a QR '
           f'code', f'add "{key}:" to leaflet, {what}') for key, what in (
             ("online_heading", "the heading above the address and the QR code"),
             ("qr_alt", 'the QR code\'s text alternative, with {url} where the address goes: "A QR code for our '
                        'website: {url}"'))]),
    _row("footnotes need the leaflets' heading for them", [(("leaflet", "notes_heading"), DELETE)],
         [("leaflet", 'missing key "notes_heading": clause "calls-confidential" has a footnote, and the leaflets print '
           'their notes under this heading', 'add "notes_heading:" to leaflet, the heading above the leaflets\' '
           "notes")]),
    _row("caller pages need the sentence that leads to the retention page",
         [(("retention_page", "caller_prompt"), DELETE)],
         [("retention_page", 'missing key "caller_prompt": the policy has caller pages (audiences), and each whose '
           "callers' contact leaves records leads to this page with it", 'add "caller_prompt:" to retention_page, the '
           'sentence, its words in [brackets] linked to this page: "If you email us, [see what we keep, and for how '
           'long]."')]),
    *(_row(f"dates written out need their format ({why})", [(("checker", key), DELETE) for key in keys] + more,
           [("checker", f'missing key "{key}": {why}', f'add "{key}:" to checker, {what}') for key, what in (
               ("date_format", 'how a date is written: "{day} {month} {year}"'),
               ("month_names", "the twelve months' names, January first")) if key in keys])
      for keys, more, why in (
          (("date_format",), [], "the leaflets print the day they were made"),
          (("date_format", "month_names"), [(("leaflet",), DELETE)],
           'retention entry "copies-and-responses" is counted from the date question "contact_date", and the checker '
           "writes out the day it ends"))),
    _row("a rule naming an unknown retention entry is refused",
         [(rule("records-in-writing") + ("records",), ["original-letter"])],
         [(P(rule("records-in-writing") + ("records", 0)),
           'retention entry "original-letter" does not exist; did you mean "original-letters"?',
           one_of(r["id"] for r in DATA["retention"]))]),
    _row("a title of ours is marked by the default mark when the policy gives none",
         [(section("training") + ("title",), {"value": "Training", "ours": True})], []),
    _row("an exception that no answer decides needs no condition and no would-apply wording",
         [(rule("consent") + ("when",), DELETE), (rule("consent") + ("says", "would_apply_if"), DELETE),
          (rule("consent") + ("exception", "whatever_you_answer"), True),
          (("checker", "wording", "always_possible"), "This could happen whatever you answer."),
          (("checker", "wording", "outcome", "confidential_except_always_possible"), "Confidential, with one case."),
          (("checker", "wording", "in_short", "confidential_except_always_possible"), "Confidential, but for one case")],
         []),
    _row("an exception that no answer decides needs its headline, one-line answer and status line",
         [(rule("consent") + ("when",), DELETE), (rule("consent") + ("exception", "whatever_you_answer"), True)],
         [("checker.wording", "an exception that no answer decides needs its status line",
           'always_possible: a sentence like "This could happen whatever you answer."'),
          ("checker.wording.outcome", "an exception that no answer decides needs the headline for it",
           "confidential_except_always_possible: the headline when only such exceptions could apply"),
          ("checker.wording.in_short", "an exception that no answer decides needs its one-line answer",
           "confidential_except_always_possible: the answer in one line when only such exceptions could apply")]),
    _row("an exception with no condition is refused: it would apply to every caller",
         [(rule("consent") + ("when",), {}), (rule("consent") + ("says", "would_apply_if"), DELETE)],
         [(P(rule("consent") + ("exception",)), "an exception with an empty when: applies to every caller",
           "when: the answers it applies to, or whatever_you_answer: true for an exception that no answer of the "
           "caller's decides (a court order, the law)")]),
    _row("a rule is an exception or a protection, not both",
         [(rule("consent") + ("protection",), {"kind": "other"})],
         [(P(rule("consent") + ("protection",)), "a rule is an exception or a protection, not both",
           "two rules, each citing its own words")]),
    _row("a protection names a known person",
         [(rule("victim-never-told") + ("protection", "person"), "expartner")],
         [(P(rule("victim-never-told") + ("protection", "person")),
           'recipient "expartner" does not exist; did you mean "ex_partner"?', one_of(RECIPIENTS))]),
    _row("a promise to tell the caller first needs its words, and so do those beside it",
         [(("checker", "wording", "telling"), {})],
         [(P(rule("consent") + ("exception", "telling")), 'no words for telling "with_agreement"',
           "checker.wording.telling.with_agreement (or this exception's own telling_says): the sentence that makes this promise")]
         + [(P(rule(r) + ("exception", "telling")), 'no words for telling "not_stated"',
             "checker.wording.telling.not_stated (or this exception's own telling_says): the sentence that says what this exception promises, beside the "
             "others' promises") for r in ("terrorism-or-bomb-warning", "staff-threatened", "service-interference")]
         + [(P(rule(r) + ("exception", "telling")), 'no words for telling "first_where_possible_and_safe"',
             "checker.wording.telling.first_where_possible_and_safe (or this exception's own telling_says): the sentence that makes this promise")
            for r in ("concern-for-safety", "particular-risk", "immediate-severe-risk", "child-or-vulnerable-adult")]),
    _row("an exception with a condition needs its would-apply wording",
         [(rule("consent") + ("says", "would_apply_if"), DELETE)],
         [(P(rule("consent") + ("says",)), "an exception with answers in when: needs says.would_apply_if",
           'the sentence shown while those answers are not yet given, like "If you …, …"')]),

    _row("an invariant naming an unknown recipient is refused",
         [(invariant("never-to-perpetrator") + ("recipient",), "expartner")],
         [(P(invariant("never-to-perpetrator") + ("recipient",)), 'recipient "expartner" does not exist; did you mean "ex_partner"?',
           one_of(RECIPIENTS))]),
    _row("an ordered invariant naming a date question is refused",
         [(invariant("more-risk-never-less-sharing") + ("question",), "contact_date")],
         [(P(invariant("more-risk-never-less-sharing") + ("question",)),
           'question "contact_date" does not exist or has no values',
           one_of(q["id"] for q in DATA["checker"]["questions"] if q.get("type") != "date"))]),
    _row("an ordered invariant may list the values in any order", [(invariant("more-risk-never-less-sharing") + ("order",), RISK)], []),
    _row("an ordered invariant that leaves out a value is refused",
         [(invariant("more-risk-never-less-sharing") + ("order",), RISK[:3])],
         [(P(invariant("more-risk-never-less-sharing") + ("order",)),
           'the order does not list each value of "risk_from_caller" once',
           'each of "none", "concern", "particular", "immediate_severe" once, from least to most')]),

    # The real policy writes its dates as {value, example: true}: the rows keep that form.
    _row("a promise whose words are in a clause is accepted",
         [(invariant("promised-warnings-kept") + ("promise",), "where it is possible and safe to do so")], []),
    _row("a promise whose words are in no clause is refused",
         [(invariant("promised-warnings-kept") + ("promise",), "we will always tell you first")],
         [(P(invariant("promised-warnings-kept") + ("promise",)), "the promise's words are in no clause",
           "words copied exactly from the clauses that promise to tell the caller first")]),

    _row("a review date a day after the effective date is accepted",
         [(("metadata", "effective_date"), example("2026-02-28")), (("metadata", "review_date"), example("2026-03-01"))], []),
    _row("a review date on the effective date is refused",
         [(("metadata", "effective_date"), example("2026-03-01")), (("metadata", "review_date"), example("2026-03-01"))],
         # Located at the key: Respect's file writes review_date {not_given: true}, which has no value line.
         [("metadata.review_date", "the review date 2026-03-01 is not after the effective date 2026-03-01",
           "a review date later than the effective date")]),
    _row("29 February of a leap year is a real date", [(("metadata", "effective_date"), example("2028-02-29")),
                                                        (("metadata", "review_date"), example("2029-02-28"))], []),
    _row("29 February of another year is not",
         [(("metadata", "effective_date"), example("2027-02-29")), (("metadata", "review_date"), example("2028-02-28"))],
         # At the key, as above: Respect's effective_date is {not_given: true}, with no value line.
         [("metadata.effective_date", '"2027-02-29" is not a real date', "a date that exists, as YYYY-MM-DD, or YYYY-MM for a month")]),
    _row("a version the document does not give", [(("metadata", "version"), {"not_given": True})], []),
    _row("a leaflet footer that would print a date the document does not give is refused, with what to write",
         [(("leaflet", "footer"), "Version {version} · from {effective_date} · page {page} of {pages}")],
         [("leaflet.footer", "the policy does not give an effective date: {effective_date} has none to print; "
           "{in_force} is missing (a sentence that says so); {printed} is missing (the day the leaflet was printed)",
           'for example "Version {version}. {in_force}. Printed {printed}. Page {page} of {pages}."')]),
    _row("a footer without a date needs no {in_force} once the document gives one (Respect's footer has it)",
         [(("metadata", "effective_date"), "2026-01-05"),
          (("leaflet", "footer"), "Version {version} · from {effective_date} · page {page} of {pages}")], []),
    _row("the review date is not compared with an effective date not given",
         [(("metadata", "effective_date"), {"not_given": True}), (("metadata", "review_date"), "2020-01-01")], []),
    _row("the history may be empty", [(("metadata", "history"), [])], []),
    _row("an exception that must share needs the one-line answer's words for it",
         [(("checker", "wording", "in_short", "will_share_with"), DELETE)],
         [(P(rule("concern-for-safety") + ("exception", "strength")),
           "no one-line answer for this strength: checker.wording.in_short.will_share_with is missing",
           'will_share_with: the one-line answer for recipients of an exception that must share, with {recipients}: '
           '"Will be passed to {recipients}"')]),
    _row("an exception that must share needs the headline for it",
         [(("checker", "wording", "outcome", "will_be_shared"), DELETE)],
         [(P(rule("concern-for-safety") + ("exception", "strength")),
           "no headline for this strength: checker.wording.outcome.will_be_shared is missing",
           'will_be_shared: the headline when an exception that must share applies, "From your answers, what you tell us '
           'will be passed on in some cases."')]),
    _row("a policy whose exceptions all may share needs no words for must",
         [(("checker", "wording", "in_short", key), DELETE) for key in ("will_share_with", "will_nobody_named",
                                                                           "will_and_could")]
         + [(("checker", "wording", "outcome", "will_be_shared"), DELETE)]
         + [(rule(r) + ("exception", "strength"), "may") for r in
            ("concern-for-safety", "particular-risk", "immediate-severe-risk")], []),
    _row("someone the policy does not name needs the one-line answer's words for them, beside named ones",
         [(("checker", "wording", "in_short", "unnamed"), DELETE)],
         [(P(rule("terrorism-or-bomb-warning") + ("exception", "shared_with")),
           "the one-line answer has no words for someone the policy does not name",
           'checker.wording.in_short.unnamed: "others the policy does not name", listed with the recipients it names')]),
    _row("an exception with its own words for whom it does not name needs no one-line words of ours for them",
         [(("checker", "wording", "in_short", "unnamed"), DELETE),
          *[(rule(r) + ("exception", "shared_with"), {"unnamed": "the authorities"})
            for r in ("terrorism-or-bomb-warning", "staff-threatened", "service-interference", "concern-for-safety")]],
         []),
    _row("recipients of which one or more need the word between them",
         [(rule("particular-risk") + ("exception", "shared_with"), {"one_of": ["relevant_people", "outside_agencies",
                                                                                 "ex_partner"]})],
         [(P(rule("particular-risk") + ("exception", "shared_with", "one_of")),
           "recipients of which one or more need the word between them", 'checker.wording.in_short.list_or: " or "')]),
    _row("a recipient in one_of must exist",
         [(rule("particular-risk") + ("exception", "shared_with"), {"one_of": ["relevant_people", "polise",
                                                                                 "outside_agencies", "ex_partner"]}),
          (("checker", "wording", "in_short", "list_or"), " or ")],
         [(P(rule("particular-risk") + ("exception", "shared_with", "one_of", 1)), 'recipient "polise" does not exist; '
           'did you mean "police"?', 'expected one of: "as_you_asked", "relevant_people", "outside_agencies", '
           '"ex_partner", "police", "another_agency"')]),
    _row("beside a promise to tell, an exception that promises nothing says so",
         [(("checker", "wording", "telling", "not_stated"), DELETE)],
         [(P(rule(r) + ("exception", "telling")), 'no words for telling "not_stated"',
           "checker.wording.telling.not_stated (or this exception's own telling_says): the sentence that says what this exception promises, beside the "
           "others' promises") for r in ("terrorism-or-bomb-warning", "staff-threatened", "service-interference")]),
    _row("a promise to tell needs its sentence",
         [(("checker", "wording", "telling", "with_agreement"), DELETE)],
         [(P(rule("consent") + ("exception", "telling")), 'no words for telling "with_agreement"',
           "checker.wording.telling.with_agreement (or this exception's own telling_says): the sentence that makes this promise")]),
    _row("an exception with its own sentence about telling needs none of the policy's for its value",
         [(("checker", "wording", "telling", "with_agreement"), DELETE),
          (rule("consent") + ("exception", "telling_says"), "We only pass it on if you ask us to, or agree.")], []),
    _row("an exception's own sentence about telling may not promise more than its telling",
         [(rule("terrorism-or-bomb-warning") + ("exception", "telling_says"), "We will tell you first.")],
         [(P(rule("terrorism-or-bomb-warning") + ("exception", "telling_says")),
           'the words say "tell you first", but the exception\'s telling is "not_stated"',
           "telling: first, first_where_possible_and_safe or with_agreement, or words that promise less")]),
    _row("an exception the helpline decides needs the sentence that says so",
         [(("checker", "wording", "judgement"), DELETE)],
         [(P(rule(r) + ("exception", "judgement")), "an exception the helpline decides needs the sentence that says so",
           'checker.wording.judgement: "Our workers decide whether this applies, from what you tell them."')
          for r in ("concern-for-safety", "particular-risk", "child-or-vulnerable-adult")]),
    _row("the words that say the helpline decides must be the clause's",
         [(rule("particular-risk") + ("exception", "judgement"), {"clause": "perpetrator-risk", "quote": "believe that a caller poses a risk"})],
         [(P(rule("particular-risk") + ("exception", "judgement", "quote")), 'the quote is not in clause "perpetrator-risk": '
           'after "believe that a", the quote has "caller" where the clause has "perpetrator"',
           "words copied exactly from the clause's text")]),
    _row("a condition cannot name the answer that decides nothing",
         [(rule("concern-for-safety") + ("when",), {"role": "worried_about_own_behaviour",
                                                    "risk_from_caller": ["concern", "not_sure"]})],
         [(P(rule("concern-for-safety") + ("when", "risk_from_caller", 1)), '"not_sure" is the "not sure" answer of question '
           '"risk_from_caller", which decides nothing', 'expected one of: "none", "concern", "particular", "immediate_severe"')]),
    # Words that contradict their data (generator/source/words_and_data.py): issue 27's point 10.
    _six_months_refused("a period changed in the data but not in the words is refused wherever the words name it",
                        [(record("copies-and-responses") + ("kept_for", "months"), 3)], "3 months (kept_for.months)"),
    _six_months_refused("a period in days beside words that say six months is refused wherever the words name it",
                        [(record("copies-and-responses") + ("kept_for", "months"), DELETE),
                         (record("copies-and-responses") + ("kept_for", "days"), 180)], "180 days (kept_for.days)"),
    _row("a period in hours beside words that say days is refused; the same length in days is not",
         [(record("original-letters") + ("kept_for",), {"hours": 24, "words": "2 days"}),
          (record("original-letters") + ("says", "applies"), "We keep your letter for 48 hours."),
          (clause("email-and-post-records") + ("summary",), "We keep emails for six months, replies for two months "
                                                             "and letters for a day.")],
         [(P(record("original-letters") + ("kept_for", "words")), 'the words say "2 days", but retention[2] '
           '("original-letters") is kept for 24 hours (kept_for.hours)', "words and data that say the same period: "
           "change the one that is wrong"),
          (P(record("original-letters") + ("says", "applies")), 'the words say "48 hours", but retention[2] '
           '("original-letters") is kept for 24 hours (kept_for.hours)', "words and data that say the same period: "
           "change the one that is wrong")]),
    _row("a recipient taken out of the data but not out of the words is refused",
         [(rule("immediate-severe-risk") + ("exception", "shared_with"), [])],
         [(P(clause("perpetrator-risk") + ("summary",)), 'the summary names "the police", whom no exception citing '
           'clause "perpetrator-risk" may tell', '"police" in the shared_with of an exception that cites this clause, '
           "or a summary that does not name them")]
         + [(P(rule("immediate-severe-risk") + ("says", key)), 'the words name "the police", which is not among this '
             "exception's recipients (exception.shared_with)", '"police" in shared_with, or words that do not name them')
            for key in ("applies", "would_apply_if")]),
    _row("words that promise to tell first where the data does not are refused",
         [(rule("terrorism-or-bomb-warning") + ("says", "applies"), "We tell you first, then we pass it on.")],
         [(P(rule("terrorism-or-bomb-warning") + ("says", "applies")), 'the words say "tell you first", but the '
           "exception's telling is \"not_stated\"", "telling: first, first_where_possible_and_safe or with_agreement, "
           "or words that promise less")]),
    _row("words that say you are not told, beside a promise to tell, are refused",
         [(rule("child-or-vulnerable-adult") + ("says", "applies"), "We will not tell you before we involve another agency.")],
         [(P(rule("child-or-vulnerable-adult") + ("says", "applies")), 'the words say "will not tell you", but the '
           "exception's telling is \"first_where_possible_and_safe\", a promise to tell",
           "telling: not_told, or words that keep the promise")]),
    _row("an impossible date in the history is refused",   # Respect's history is empty: one entry given here
         [(("metadata", "history"), [{"version": "1.0", "date": example("2026-13-01"), "changes": "First."}])],
         [("metadata.history[0].date", '"2026-13-01" is not a real date', "a date that exists, as YYYY-MM-DD, or YYYY-MM for a month")]),
]


@pytest.mark.parametrize(("changes", "expected"), SEMANTIC_ROWS)
def test_cross_references(changes, expected):
    data = edited(*changes)
    assert schema_problems(data, SOURCE) == [], "the row must pass the schema to test the checks after it"
    assert found(semantic_problems(normalise(data), SOURCE)) == expected


# Respect's caller pages grouped by the channel instead: one page for each.
CHANNELS = ["phone", "email", "letter"]
BY_CHANNEL = [(("audiences_by",), "channel")] + [(("audiences", i, "roles"), [c]) for i, c in enumerate(CHANNELS)]
# The questions that could group callers: with values, asked of every caller.
GROUPABLE = ("(role, channel, consent_to_share, terrorism_or_bomb_warning, threatened_or_abused_staff, "
             "interfered_with_service)")

AUDIENCE_ROWS = [
    _row("an example answered with allowed values is accepted", [], []),
    _row("an example with a misspelt value is refused",
         [(("audiences", 0, "examples", 0, "answers"), {"role": "worried_about_own_behavior"})],
         [("audiences[0].examples[0].answers.role",
           'invalid answer for "role": "worried_about_own_behavior"; did you mean "worried_about_own_behaviour"?',
           "expected one of: " + ", ".join(f'"{v["value"]}"' for v in DATA["checker"]["questions"][0]["values"]))]),
    _row("an example answering a question that does not apply is refused",
         [(("audiences", 0, "examples", 0, "answers"), {"role": "professional", "risk_from_caller": "none"})],
         [("audiences[0].examples[0].answers.risk_from_caller",
           'question "risk_from_caller" does not apply here: it is asked only when "role" is '
           '"worried_about_own_behaviour", and "role" is "professional"', 'leave "risk_from_caller" unanswered')]),
    _row("an example is not judged while a question depends on one that does not exist",
         [(question("risk_from_caller") + ("asked_when",), {"rol": "worried_about_own_behaviour"})],
         [(P(question("risk_from_caller") + ("asked_when", "rol")), 'question "rol" does not exist; did you mean "role"?',
           one_of(QUESTIONS))]),
    _row("an audience for a role the questions do not have is refused", [(("audiences", 0, "roles"), ["perpetrator"])],
         [("audiences[0].roles[0]", '"perpetrator" is not a value of question "role"',
           one_of(v["value"] for v in DATA["checker"]["questions"][0]["values"]))]),
    _row("caller pages may group callers by another question", BY_CHANNEL, []),
    _row("an audience for a value the grouping question does not have is refused",
         BY_CHANNEL[:-1] + [(("audiences", 2, "roles"), ["letters"])],
         [("audiences[2].roles[0]", '"letters" is not a value of question "channel"; did you mean "letter"?',
           one_of(CHANNELS))]),
    _row("callers grouped by a question that does not exist are refused", [(("audiences_by",), "chanel")],
         [("audiences_by", 'question "chanel" does not exist; did you mean "channel"?',
           "the id of a question with values, asked of every caller: the answers that group callers " + GROUPABLE)]),
    _row("callers grouped by a question without values are refused", [(("audiences_by",), "contact_date")],
         [("audiences_by", 'question "contact_date" has no values to group callers by',
           "a question with values, asked of every caller " + GROUPABLE)]),
    _row("callers grouped by a question not asked of every caller are refused",
         [(("audiences_by",), "risk_from_caller")],
         [("audiences_by", 'question "risk_from_caller" is not asked of every caller (it has asked_when), so its '
           "answers cannot group them", "a question with values and no asked_when " + GROUPABLE)]),
    _row("a policy may leave its caller pages out",
         [(("audiences",), []), (("audience_page",), DELETE)], []),
]


@pytest.mark.skipif(not DATA.get("audiences"), reason="the real policy has no audiences")
@pytest.mark.parametrize(("changes", "expected"), AUDIENCE_ROWS)
def test_audience_examples(changes, expected):
    data = edited(*changes)
    assert schema_problems(data, SOURCE) == [], "the row must pass the schema to test the checks after it"
    assert found(semantic_problems(normalise(data), SOURCE)) == expected


def test_caller_pages_without_a_question_that_groups_callers_are_refused():
    """Without a question "role" (here renamed) and without audiences_by, nothing groups callers: the caller pages
    are refused at audiences, and a policy that treats every caller alike leaves them out."""
    data = copy.deepcopy(DATA)
    data["checker"]["questions"][QUESTIONS.index("role")]["id"] = "caller"
    assert ("audiences", "pages for kinds of caller need a question that groups callers",
            "audiences_by: the id of a question whose values the pages' roles name (or a question with id: role); or "
            "no audiences, for a policy that treats every caller alike") in found(semantic_problems(normalise(data),
                                                                                                     SOURCE))
    data["audiences"] = []
    assert not [p for p in found(semantic_problems(normalise(data), SOURCE)) if p[0].startswith("audiences")]


# ---------------------------------------------------------------- reading YAML (more in the corpus)

DEEP = "format: " + "[" * 70 + "]" * 70 + "\n"
PARSE_ROWS = [
    _row("a byte order mark is allowed", ["\ufeffformat: 1\n".encode("utf-8")], []),
    _row("a file saved as UTF-16 is refused", ["format: 1\n".encode("utf-16")],
         ["p.yaml:1:1: (top): the file is saved as UTF-16 (save the file as UTF-8)"]),
    _row("a byte that is not UTF-8 is named with its column in characters", ["a: ’’\nb: caf\xe9\n".encode("utf-8")
                                                                             .replace(b"\xc3\xa9", b"\xe9")],
         ['p.yaml:2:7: (top): the file is not UTF-8: byte 0xe9 ("é" in Windows-1252) (save the file as UTF-8)']),
    _row("values nested too deep are refused before they are read", [DEEP.encode()],
         ["p.yaml:1:72: format" + "[0]" * 64 + ": values are nested more than 64 levels deep here "
          "(a policy nests a few levels; close the lists and mappings opened above)"]),
    _row("an anchor defined twice is refused", [b"a: &x 1\nb: &x 2\n"],
         ['p.yaml:2:4: b: the anchor "&x" is defined twice (each anchor name once; first defined at line 1)']),
    _row("an alias of a finished value is allowed", [b"a: &x [1, 2]\nb: *x\n"], []),
    _row("a number as a key is refused", [b"format: 1\n2: two\n"],
         ["p.yaml:2:1: (top): key 2 is not a word (keys are words; put it in quotes)"]),
    _row("a list as a key is refused", [b"? [a, b]\n: c\n"],
         ["p.yaml:1:3: (top): a list or mapping is used as a key (keys are plain words)"]),
    _row("a key indented to no column above is named with its column", [b"a:\n  b: 1\n c: 2\n"],
         ["p.yaml:3:2: a: YAML syntax error: this line is indented to column 2, which lines up with nothing above it "
          "(indent it with spaces exactly like the other keys or list items it belongs with)"]),
]


@pytest.mark.parametrize(("data", "expected"), PARSE_ROWS)
def test_reading_yaml(data, expected):
    (data,) = data  # one file's bytes per row
    try:
        parse("p.yaml", data)
    except PolicyError as err:
        assert [str(p) for p in err.problems] == expected
    else:
        assert expected == []


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    with pytest.raises(PolicyError) as caught:
        parse(tmp_path / "missing.yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'missing.yaml'}: (top): cannot read the file: No such file or directory (a readable policy YAML file)"]


# ---------------------------------------------------------------- the message format

@pytest.mark.parametrize(("problem", "line"), [
    pytest.param(Problem("p.yaml", 3, 7, "metadata.title", "the text is empty", "some words"),
                 "p.yaml:3:7: metadata.title: the text is empty (some words)", id="a_problem_names_place_path_what_and_expected"),
    pytest.param(Problem("p.yaml", 1, 1, "", "the file is empty", "a policy"),
                 "p.yaml:1:1: (top): the file is empty (a policy)", id="a_problem_at_the_top_says_top"),
    pytest.param(Problem("p.yaml", None, None, "", "cannot read the file: No such file or directory", "a file"),
                 "p.yaml: (top): cannot read the file: No such file or directory (a file)", id="a_problem_without_a_place_names_the_file"),
    pytest.param(Problem("p.yaml", 2, None, "format", "wrong", None),
                 "p.yaml:2:1: format: wrong", id="a_problem_without_a_column_is_at_column_one"),
])
def test_problem_format(problem, line):
    assert str(problem) == line


@pytest.mark.parametrize(("word", "choices", "text"), [
    pytest.param("sumary", ["summary", "text"], '; did you mean "summary"?', id="a_near_miss_is_suggested"),
    pytest.param("colour", ["summary", "text"], "", id="nothing_is_suggested_for_a_far_miss"),
])
def test_did_you_mean(word, choices, text):
    assert did_you_mean(word, choices) == text


def test_every_problem_is_reported_at_once():
    text = POLICY_FILE.read_text(encoding="utf-8")
    text = text.replace("      - id: publicity\n", "      - id: Publicity\n").replace("  replace_history: true\n",
                                                                                   "  replace_history: 1\n")
    with pytest.raises(PolicyError) as caught:
        load_policy("two.yaml", text.encode("utf-8"))
    assert [p.path for p in caught.value.problems] == ["safety.replace_history", P(clause("publicity") + ("id",))]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    import jsonschema
    from generator.source.schema_check import _validator
    jsonschema.Draft202012Validator.check_schema(_validator().schema)


# ---- libyaml's parser and PyYAML's read alike ------------------------------------------------------------------

CHECKOUT = POLICY_FILE.parent.parent
# The project's own YAML files: not what the tools, the builds or the bench put in the checkout.
YAML_FILES = sorted(p for p in CHECKOUT.glob("**/*.yaml")
                    if p.relative_to(CHECKOUT).parts[0] not in (".venv", "node_modules", ".cache", "build", "site")
                    and not {"tmp", "node_modules"} & set(p.relative_to(CHECKOUT).parts))


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(CHECKOUT)))
def test_libyamls_parser_reads_each_file_as_pyyamls_does(path, monkeypatch):
    """parse() reads a file with libyaml's parser where it can (several times quicker) and with PyYAML's own
    otherwise: the values and the line and column of every key and value must be the same either way. (A file
    libyaml cannot read, or with a tab, is read by PyYAML alone: the corpus's messages come from there.)"""
    from generator.source import yaml_source
    assert yaml_source._FAST is not None, "PyYAML here was built without libyaml"

    def read():
        try:
            value, source = parse(path)
            return value, source.values, source.keys
        except PolicyError as err:
            return str(err)
    fast = read()
    monkeypatch.setattr(yaml_source, "_FAST", None)
    assert read() == fast


def test_the_readme_lists_every_key_the_schema_requires():
    """policy/README.md's "Keys every file must have" is the schema's `required` lists, block by block: a writer
    working from the README alone learns them there (issue 27's proof examples found them only in schema.json)."""
    schema = json.loads(Path(ROOT / "generator" / "source" / "policy.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]

    def node(n):
        while isinstance(n, dict) and "$ref" in n:
            n = defs[n["$ref"].split("/")[-1]]
        return n
    checker = node(schema["properties"]["checker"])
    wording = node(checker["properties"]["wording"])
    blocks = {"(the file)": schema, "`metadata`": schema["properties"]["metadata"], "`safety`": schema["properties"]["safety"],
              "a section": defs["section"], "a clause": defs["clause"], "a retention entry": defs["retention"],
              "`retention_page` (with retention entries)": schema["properties"]["retention_page"], "`checker`": checker,
              "`checker.wording`": wording, "`checker.wording.in_short`": wording["properties"]["in_short"],
              "`checker.wording.widget`": wording["properties"]["widget"], "a question": defs["question"],
              "a rule": defs["rule"], "an invariant": defs["invariant"], "`leaflet` (optional)": schema["properties"]["leaflet"],
              "`audience_page` (with audiences)": schema["properties"]["audience_page"], "an audience": defs["audience"],
              "`changes_page` (with a kept version)": schema["properties"]["changes_page"]}
    readme = (ROOT / "policy" / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Keys every file must have"):readme.index("### Keys needed only where")]
    listed = {m.group(1): re.findall(r"`([a-z_]+)`", m.group(2)) for m in re.finditer(r"^\| (.+?) \| (.+) \|$", table, re.M)
              if m.group(1) not in ("block", "---")}
    assert listed == {name: node(n).get("required", []) for name, n in blocks.items()}


def test_the_readme_lists_every_key_needed_only_where_something_shows_it():
    """policy/README.md's "Keys needed only where something shows them" names exactly the keys the checks ask for
    only in some policies (policy_checks.NEEDED), each as its key path."""
    from generator.source.policy_checks import NEEDED
    readme = (ROOT / "policy" / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Keys needed only where"):readme.index("### `metadata`")]
    listed = [path for m in re.finditer(r"^\| (`.+?`) \|", table, re.M) for path in re.findall(r"`([a-z_.]+)`", m.group(1))]
    assert sorted(listed) == sorted(format_path(n.block + (n.key,)) for n in NEEDED)
