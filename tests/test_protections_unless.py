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
'''


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
    assert node["unless"] == ["This does not hold if someone’s life is in danger right now."]
    assert "This does not hold if someone’s life is in danger right now." in explanation_text(data, explanation, 200)


def test_an_exception_that_applies_undoes_the_promise(data):
    explanation = evaluate(data, {"role": "being_harmed", "life_in_danger": "yes"})
    assert promise(explanation)["undone"] is True and explanation["perpetrator_never_told"] is False
    (node,) = [n for n in layout(explanation, data["wording"])["children"] if n["type"] == "protection"]
    assert node["unless"] == ["From your answers, this does not hold: someone’s life is in danger right now."]


def test_a_plain_explanation_has_its_own_list_of_what_undoes_it(data):
    first = evaluate(data, {"role": "being_harmed"})
    promise(first)["unless"].append("spoilt")
    assert promise(evaluate(data, {"role": "being_harmed"}))["unless"][-1] != "spoilt"


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace("unless: [life-in-danger]", "unless: [life-in-peril]"),
     'checker.rules[4].protection.unless[0]: "life-in-peril" is not an exception rule; did you mean "life-in-danger"?'),
    (lambda t: t.replace('    undone: "From your answers, this does not hold: {condition}."\n', ""),
     "checker.rules[4].protection.unless: a promise that an exception can undo needs the words that say so "
     '(checker.wording.undone: "From your answers, this does not hold: {condition}.")'),
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
