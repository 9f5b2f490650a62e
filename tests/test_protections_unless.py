"""A promise with an exception inside it (format 3, issue 27 point 6): a protection's `unless`, and the identification
promises as kinds of their own.

On a copy of Lantern Line whose promise never to tell the person harming the caller gives way when someone's life is
in danger right now: the engine's explanation, its layout and the terminal's text, and `check`'s messages."""

from __future__ import annotations

import pytest

from checker.engine import evaluate
from checker.explain_text import explanation_text
from checker.layout import layout
from generator.errors import PolicyError
from generator.source.policy_model import load_policy
from harness import EXAMPLES

LANTERN = EXAMPLES / "lantern-line.yaml"
WORDING = '''    would_apply_if: This would be your case if {condition}.
    unless: "This does not hold if {condition}."
    undone: "From your answers, this does not hold: {condition}."
    unless_may: "This may not hold if {condition}."
    undone_may: "From your answers, this may not hold: {condition}."
'''
# Lantern Line's exception for a life in danger only may share (strength: may): the promise it undoes may not hold.


def lantern(text_edit=None):
    text = LANTERN.read_text(encoding="utf-8")
    text = text.replace("      protection: {kind: perpetrator_never_told, person: person_harming_you}\n",
                        "      protection: {kind: perpetrator_never_told, person: person_harming_you, unless: [life-in-danger]}\n")
    text = text.replace("    would_apply_if: This would be your case if {condition}.\n", WORDING)
    if text_edit:
        text = text_edit(text)
    return load_policy(LANTERN, text.encode("utf-8"))


@pytest.fixture(scope="module")
def data():
    return lantern().checker_data


def promise(explanation):
    (found,) = [p for p in explanation["protections"] if p["id"] == "never-told"]
    return found


def test_the_promise_holds_while_nothing_undoes_it(data):
    explanation = evaluate(data, {"role": "being_harmed", "life_in_danger": "no"})
    assert (promise(explanation)["unless"], promise(explanation)["undone"]) == ([], False)
    assert explanation["perpetrator_never_told"] is True


def test_the_promise_is_shown_with_the_case_that_could_undo_it(data):
    explanation = evaluate(data, {"role": "being_harmed"})
    assert promise(explanation)["unless"] == [{"id": "life-in-danger", "status": "would_apply_if",
                                               "condition": "someone’s life is in danger right now"}]
    assert promise(explanation)["undone"] is False
    assert explanation["perpetrator_never_told"] is None   # it could still be undone
    (node,) = [n for n in layout(explanation, data["wording"])["children"] if n["type"] == "protection"]
    assert node["unless"] == ["This may not hold if someone’s life is in danger right now."]
    assert "This may not hold if someone’s life is in danger right now." in explanation_text(data, explanation, 200)


def test_an_exception_that_applies_undoes_the_promise(data):
    explanation = evaluate(data, {"role": "being_harmed", "life_in_danger": "yes"})
    assert promise(explanation)["undone"] is True and explanation["perpetrator_never_told"] is False
    (node,) = [n for n in layout(explanation, data["wording"])["children"] if n["type"] == "protection"]
    assert node["unless"] == ["From your answers, this may not hold: someone’s life is in danger right now."]


def test_an_exception_that_will_be_used_says_the_promise_does_not_hold():
    """Cedar Helpline's promise never to pass on an emailer's address, "except in the situations below": the
    terrorism exception must share and no judgement decides it, so where it applies the promise does not hold;
    the child exception only may ("we may need to contact"), so the promise may not hold. "Does not hold" for
    both overstated the second (a volunteer found it); "may" for both would understate the first."""
    data = load_policy(EXAMPLES / "cedar-helpline.yaml").checker_data
    answers = {"contact_method": "email", "terrorism": "yes", "child_at_risk": "yes"}
    (node,) = [n for n in layout(evaluate(data, answers), data["wording"])["children"]
               if n["type"] == "protection" and n["id"] == "email-address"]
    assert node["unless"][0] == "From your answers, this may not hold: we believe that a child is being harmed or is at risk of harm."
    assert "From your answers, this does not hold: you tell us about an act of terrorism." in node["unless"]


def test_a_plain_explanation_has_its_own_list_of_what_undoes_it(data):
    first = evaluate(data, {"role": "being_harmed"})
    promise(first)["unless"].append("spoilt")
    assert promise(evaluate(data, {"role": "being_harmed"}))["unless"][-1] != "spoilt"


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace("unless: [life-in-danger]", "unless: [life-in-peril]"),
     'checker.rules[4].protection.unless[0]: "life-in-peril" is not an exception rule; did you mean "life-in-danger"?'),
    (lambda t: t.replace('    undone_may: "From your answers, this may not hold: {condition}."\n', ""),
     "checker.rules[4].protection.unless: a promise that an exception can undo needs the words that say so "
     '(checker.wording.undone_may: "From your answers, this may not hold: {condition}.")'),
])
def test_check_refuses_an_unless_it_cannot_show(edit, message):
    with pytest.raises(PolicyError) as raised:
        lantern(edit)
    assert any(message in str(p) for p in raised.value.problems), [str(p) for p in raised.value.problems]


@pytest.mark.parametrize("kind", ["number_not_seen", "ip_not_seen", "not_traced", "anonymous_by_choice"])
def test_the_identification_promises_are_kinds_of_their_own(kind):
    policy = lantern(lambda t: t.replace("protection: {kind: perpetrator_never_told, person: person_harming_you, "
                                         "unless: [life-in-danger]}", f"protection: {{kind: {kind}}}"))
    explanation = evaluate(policy.checker_data, {"role": "being_harmed"})
    assert promise(explanation)["kind"] == kind and explanation["perpetrator_never_told"] is False


def test_check_refuses_a_promise_undone_for_certain_without_its_words():
    """Cedar Helpline's email promise can be undone for certain (terrorism: must): without `undone`, refused."""
    path = EXAMPLES / "cedar-helpline.yaml"
    text = path.read_text(encoding="utf-8").replace('    undone: "From your answers, this does not hold: {condition}."\n', "")
    with pytest.raises(PolicyError) as raised:
        load_policy(path, text.encode("utf-8"))
    assert [str(p).split(": ", 1)[1] for p in raised.value.problems] == [
        "checker.rules[3].protection.unless: a promise that an exception can undo needs the words that say so "
        '(checker.wording.undone: "From your answers, this does not hold: {condition}.")']
