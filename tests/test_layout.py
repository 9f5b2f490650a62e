"""The explanation's one layout tree (checker/layout.py): plain data, answer first, and what every rendering shows.

A heading changed in the tree is what the static page and the text show (the live page: tests/browser_checker/
test_checker_live.py, whose worker builds the tree from the checker data it is served).
"""

from __future__ import annotations

import copy
import json

import pytest
import tinyhtml5

import checker.explain_text
import generator.pages.render
from checker import evaluate, to_json
from checker.engine import Evaluator
from checker.explain_text import explanation_text
from checker.invariants import answer_sets
from checker.layout import layout
from explanation_view import expected_view, page_view, read_explanation, view_items
from generator.pages.render import PageView, environment

# Between them, every part of an explanation: what applies, the promises, what is kept (with its lead), what could
# change this, the other things to know, and the records that only would be kept, folded under their own lead.
KEPT = {"role": "worried_about_own_behaviour", "risk_from_caller": "concern", "channel": "email",
        "contact_date": "2026-03-03"}
KEPT_IF = {"role": "worried_about_own_behaviour", "risk_from_caller": "concern"}
HEADINGS = ("applies_heading", "records_heading", "could_change_heading", "points_heading", "quotes_label")


def sections(tree: dict) -> list[tuple]:
    """(kind, heading, fold, count) of every section, outermost first, in order."""
    out = []

    def walk(nodes):
        for node in nodes:
            if node["type"] == "section":
                out.append((node["kind"], node["heading"], node["fold"], node["count"]))
                walk(node["children"])
    walk(tree["children"])
    return out


def test_the_tree_is_plain_data_and_does_not_change_the_explanation(checker_data):
    evaluator = Evaluator(checker_data)
    for n, answers in enumerate(answer_sets(checker_data)):
        if n % 97:
            continue
        if "contact_date" in answers:
            answers["contact_date"] = "2024-02-29"
        explanation = evaluator.evaluate(answers)
        before = to_json(explanation)
        tree = layout(explanation, checker_data["wording"])
        assert json.loads(json.dumps(tree, ensure_ascii=False)) == tree
        assert to_json(explanation) == before   # the tree is an additional product: the explanation stays as it was
        assert tree["outcome"] == explanation["outcome"] and tree["in_short"] == explanation["summary"]["in_short"]


def test_the_tree_holds_the_headings_folds_and_order_of_the_answer_first_explanation(checker_data):
    w = checker_data["wording"]
    kept = layout(evaluate(checker_data, KEPT), w)
    assert [n["type"] for n in kept["children"]] == ["verdict", "section", "protection", "section", "section", "section"]
    assert sections(kept) == [("applies", w["applies_heading"], False, None),
                              ("records", w["records_heading"], False, None),
                              ("could_change", w["could_change_heading"], True, "(4)"),
                              ("general", w["points_heading"], False, None)]
    kept_if = evaluate(checker_data, KEPT_IF)
    lead = next(p["text"] for p in kept_if["points"] if p["id"] == kept_if["summary"]["records_if_lead"])
    assert sections(layout(kept_if, w))[-1] == ("records_if", lead, True, None)
    assert {n["quotes"]["summary"] for n in view_items(page_view(kept)) if "quotes" in n} == {w["quotes_label"]}


def renamed(tree: dict) -> dict:
    """The tree with every heading and fold summary changed: as if the tree said other words."""
    tree = copy.deepcopy(tree)

    def walk(nodes):
        for node in nodes:
            if node["type"] == "section":
                node["heading"] = f"Tree's {node['kind']} heading"
                walk(node["children"])
            elif node["type"] == "list":
                walk(node["children"])
            if "quotes" in node:
                node["quotes"]["summary"] = "Tree's quotes"
    walk(tree["children"])
    return tree


@pytest.fixture
def renamed_tree(monkeypatch):
    """The renderers' tree builder changed to rename every heading: what they show is the tree's, not the wording's."""
    monkeypatch.setattr(generator.pages.render, "layout", lambda *args: renamed(layout(*args)))
    monkeypatch.setattr(checker.explain_text, "layout", lambda *args: renamed(layout(*args)))


def static_page(policy, data: dict, answers: dict) -> dict:
    """An explanation as the site's `explanation` macro renders it (from `data`, the checker data), read back."""
    view = PageView(policy, data, {"checker.md", "policy.md"}, False, "checker.md")
    html = environment().from_string('{% import "_macros.j2" as m %}{{ m.explanation(ex, 3, view) }}').render(
        ex=evaluate(data, answers), view=view)
    return read_explanation(tinyhtml5.parse(html, namespace_html_elements=False))


@pytest.mark.parametrize("answers", [KEPT, KEPT_IF], ids=["kept", "kept_if"])
def test_a_heading_changed_in_the_tree_is_on_the_static_page_and_in_the_text(policy, checker_data, renamed_tree,
                                                                             answers):
    tree = renamed(layout(evaluate(checker_data, answers), checker_data["wording"]))
    shown = static_page(policy, checker_data, answers)
    assert shown == page_view(tree)
    headings = [n["text"] for n in shown["children"] if n["type"] == "heading"]
    headings += [n["heading"] for n in shown["children"] if n["type"] == "section"]
    assert headings and all(h.startswith("Tree's ") for h in headings), headings
    text = explanation_text(checker_data, evaluate(checker_data, answers), width=200)
    for kind, heading, fold, count in sections(tree):
        # A part's heading is a line of its own (a fold, with its count); the fold inside a part, an item.
        line = f"* {heading}" if kind == "records_if" else heading + (f" {count}" if count else "")
        assert line in text.splitlines(), line
    for word in HEADINGS[:-1]:
        assert checker_data["wording"][word] not in text.splitlines()


def test_headings_come_from_the_wording_through_the_tree(policy, checker_data):
    """Changed in the checker data's wording, each heading changes on the static page and in the text alike."""
    changed = copy.deepcopy(checker_data)
    for word in HEADINGS:
        changed["wording"][word] = f"Changed {word}"
    for answers in (KEPT, KEPT_IF):
        assert static_page(policy, changed, answers) == expected_view(changed, answers)
        lines = explanation_text(changed, evaluate(changed, answers), width=200).splitlines()
        assert "Changed applies_heading" in lines and "Changed points_heading" in lines
        assert "Changed could_change_heading (4)" in lines
    assert "Changed records_heading" in explanation_text(changed, evaluate(changed, KEPT)).splitlines()


def test_an_exception_that_will_be_used_says_will_in_its_lead_and_in_every_verdict(policy, checker_data):
    """Strength (format 3): where an exception that must share, and that no judgement of the helpline's decides,
    applies, the lead of its recipients and the verdicts of a caller page's overview and of a worked example say
    "will", as the checker's headline does. One the workers decide by their judgement ("believe that a perpetrator
    poses a particular risk"), though it is a duty once they do, and one that only may share keep "could"."""
    w, caller_page = checker_data["wording"], policy.data["wording"]["caller_page"]
    rules = {r["id"]: r["exception"] for r in checker_data["rules"] if r["exception"]}
    answers = {"role": "worried_about_own_behaviour", "risk_from_caller": "immediate_severe"}
    explanation = evaluate(checker_data, answers)
    # (an exception that names nobody says so, nobody_named, whatever its strength)
    leads = {n["id"]: n["recipients"]["lead"] for n in view_items(layout(explanation, w))
             if n["type"] == "exception" and n["recipients"] and n["recipients"]["names"]}
    assert leads == {"particular-risk": w["shared_with"], "immediate-severe-risk": w["will_share_with"]}
    assert rules["particular-risk"]["strength"] == "must" and rules["particular-risk"]["judgement"]
    assert rules["immediate-severe-risk"]["strength"] == "must" and not rules["immediate-severe-risk"]["judgement"]
    assert w["will_share_with"] != w["shared_with"]
    verdict = lambda tree: tree["children"][0]["text"]   # noqa: E731
    assert verdict(layout(explanation, w)) == explanation["headline"] == w["outcome"]["will_be_shared"]
    assert verdict(layout(explanation, w, caller_page)) == caller_page["headline"]["will_be_shared"]
    assert verdict(layout(explanation, w, None, caller_page["example_headline"])) == \
        caller_page["example_headline"]["will_be_shared"]
    assert explanation["summary"]["in_short"].startswith(w["in_short"]["will_and_could"].split("{")[0])
    # A duty the workers decide by their judgement alone: every verdict says "could".
    judged = evaluate(checker_data, {"role": "worried_about_own_behaviour", "risk_from_caller": "particular"})
    assert {rules[i]["strength"] for i in judged["summary"]["applies"]} == {"must"}
    assert judged["headline"] == w["outcome"]["could_be_shared"]
    assert verdict(layout(judged, w, None, caller_page["example_headline"])) == \
        caller_page["example_headline"]["could_be_shared"]
    # Where only an exception that may share applies, its lead and every verdict say "could".
    may = evaluate(checker_data, {"role": "experiencing_abuse", "child_or_vulnerable_adult_at_risk": "yes"})
    assert may["outcome"] == "could_be_shared" and {rules[i]["strength"] for i in may["summary"]["applies"]} == {"may"}
    assert {n["recipients"]["lead"] for n in view_items(layout(may, w))
            if n["type"] == "exception" and n["recipients"] and n["recipients"]["names"]} == {w["shared_with"]}
    assert verdict(layout(may, w, None, caller_page["example_headline"])) == \
        caller_page["example_headline"]["could_be_shared"]


def test_an_exception_that_promises_nothing_says_so_in_any_list_beside_one_that_promises(checker_data):
    """"The policy does not say whether you are told" goes with an exception wherever it is listed beside one
    that promises to tell (a volunteer found it shown only where the exception applied): in "What could change
    this" its neighbours' promises would otherwise read as its own. A list of exceptions that all promise
    nothing stays without it."""
    w = checker_data["wording"]
    tree = layout(evaluate(checker_data, {"role": "worried_about_own_behaviour"}), w)
    could = [n for n in view_items(tree) if n["type"] == "exception" and n["status"] == "would_apply_if"]
    told = {n["id"]: n["told_first"] for n in could}
    assert told["concern-for-safety"]["telling"] == "first_where_possible_and_safe"
    assert told["terrorism-or-bomb-warning"] == {"telling": "not_stated", "text": w["telling"]["not_stated"]}
    nothing_promised = evaluate(checker_data, {"role": "worried_about_own_behaviour", "risk_from_caller": "none",
                                               "consent_to_share": "no"})
    listed = [n for n in view_items(layout(nothing_promised, w)) if n["type"] == "exception"]
    assert {n["id"] for n in listed} >= {"terrorism-or-bomb-warning", "staff-threatened"}
    assert all(n["told_first"] is None for n in listed)
