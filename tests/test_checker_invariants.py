"""The policy's invariants hold over every combination of answers, and each kind of invariant can fail.

Each kind is broken on purpose in a copy of the checker data (and, for the build, in a copy of
the YAML), to show that check_all and `policy-site check` report it by name.
"""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest

from checker import check_answers, evaluate
from checker.invariants import _CHECKS, Violation, answer_sets, check_all
from harness import ROOT, edited_policy


def _rule(data: dict, rule_id: str) -> dict:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def test_every_invariant_holds_over_every_answer_set(checker_policy):
    count, violations = check_all(checker_policy)
    assert violations == []
    assert count == len(list(answer_sets(checker_policy))) > 10_000


def test_answer_sets_are_all_allowed_distinct_and_cover_every_value(checker_policy):
    sets = list(answer_sets(checker_policy))
    assert len({tuple(sorted(a.items())) for a in sets}) == len(sets)
    assert {} in sets
    for answers in sets[::97]:  # a spread sample; evaluate() on all of them is check_all's job
        assert check_answers(checker_policy, answers) == answers
    for question in checker_policy["questions"]:
        seen = {a[question["id"]] for a in sets if question["id"] in a}
        if question["type"] != "date":
            assert seen == {v["value"] for v in question["values"]}, question["id"]
    assert {"2026-08-31", "2026-03-03"} <= {a.get("contact_date") for a in sets}


def test_the_policy_uses_every_kind_of_invariant(checker_policy):
    assert {inv["kind"] for inv in checker_policy["invariants"]} == set(_CHECKS)


# One way to break each kind, on a copy of the checker data: (invariant id it must name, mutation).
def _to_perpetrator(d):
    _rule(d, "child-or-vulnerable-adult")["exception"]["shared_with"].append("ex_partner")


def _perpetrator_told(d):
    _rule(d, "victim-never-told")["when"] = {"role": ["friend_or_family"]}


def _less_sharing(d):
    _rule(d, "particular-risk")["when"]["risk_from_caller"] = ["particular"]


def _no_would_apply_if(d):
    # Without the wording, the engine leaves an unanswered exception out: false comfort.
    _rule(d, "consent")["says"]["would_apply_if"] = None


def _ungrounded(d):
    _rule(d, "calls-monitored")["cites"][0]["quote"] = "Calls will be recorded and kept for ever."


def _promise_dropped(d):
    _rule(d, "particular-risk")["exception"]["telling"] = "not_stated"


MUTATIONS = {
    "never_shared_with": ("never-to-perpetrator", _to_perpetrator, 'is named as a recipient'),
    "perpetrator_never_told": ("perpetrator-never-told", _perpetrator_told, "perpetrator_never_told is False, not true"),
    "monotone_recipients": ("more-risk-never-less-sharing", _less_sharing, "risk_from_caller=immediate_severe drops"),
    "no_false_comfort": ("no-false-comfort", _no_would_apply_if, "consent_to_share=yes brings ['consent'], not listed before"),
    "grounded_points": ("every-point-grounded", _ungrounded, "calls-monitored quotes words not in clause monitoring-and-training"),
    "told_first_kept": ("promised-warnings-kept", _promise_dropped, "exception particular-risk cites perpetrator-risk, which promises"),
    "confidential_only_without_exceptions": ("confidential-means-no-exception", _no_would_apply_if,
                                             "['consent'] could apply but the explanation does not list them"),
    "protections_hold": ("protections-kept", _to_perpetrator,
                         'protection victim-never-told promises "ex_partner" is never told, but exception '
                         "child-or-vulnerable-adult names them"),
}


def test_every_kind_has_a_mutation():
    assert set(MUTATIONS) == set(_CHECKS)


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_breaking_an_invariant_is_reported_by_name(kind, checker_policy):
    invariant_id, mutate, words = MUTATIONS[kind]
    broken = copy.deepcopy(checker_policy)
    mutate(broken)
    _, violations = check_all(broken)
    named = [v.message for v in violations if v.invariant == invariant_id]
    assert named, f"check_all did not report {invariant_id}; it reported {sorted({v.invariant for v in violations})}"
    assert any(words in m for m in named), named[:3]


def test_a_broken_invariant_is_reported_once_for_the_rule_that_breaks_it_with_a_smallest_answer_set(checker_policy):
    broken = copy.deepcopy(checker_policy)
    _to_perpetrator(broken)
    _, violations = check_all(broken)
    named = [v for v in violations if v.invariant == "never-to-perpetrator"]
    # The exception is listed (would apply) as soon as the role is given: that one answer shows it.
    assert named == [Violation("never-to-perpetrator", "child-or-vulnerable-adult", "role=experiencing_abuse",
                               '"ex_partner" is named as a recipient')]


def test_an_invariant_whose_condition_matches_no_answer_set_is_reported(checker_policy):
    broken = copy.deepcopy(checker_policy)
    invariant = next(i for i in broken["invariants"] if i["id"] == "never-to-perpetrator")
    # Asked only of a caller worried about their own behaviour, so it can never hold with this role.
    invariant["when"] = {"role": ["experiencing_abuse"], "risk_from_caller": ["none"]}
    _, violations = check_all(broken)
    assert Violation("never-to-perpetrator", None, "", "its `when` matches no answer set, so it tests nothing") \
        in violations


def _with_court_order(data: dict) -> dict:
    """A copy of the data with an exception that no answer decides, as another helpline's policy has."""
    changed = copy.deepcopy(data)
    changed["recipients"].append({"id": "court", "label": "the court"})
    changed["wording"]["outcome"]["confidential_except_always_possible"] = "Confidential, but for a court order."
    changed["wording"]["always_possible"] = "This could happen whatever you answer: if {condition}."
    changed["wording"]["in_short"]["confidential_except_always_possible"] = "Stays confidential, but for a court order"
    changed["rules"].append({
        "id": "court-order", "when": {}, "records": [], "protection": None,
        "exception": {"condition": "a court orders it", "shared_with": ["court"], "telling": "not_stated",
                      "whatever_you_answer": True},
        "says": {"applies": "If a court orders it, we pass on what it asks for.", "would_apply_if": None},
        "cites": [{"clause": "legal-framework", "quote": "Respect will act within the current legal framework"}]})
    return changed


def test_an_exception_no_answer_decides_is_always_listed_and_never_counts_as_applying(checker_policy):
    data = _with_court_order(checker_policy)
    calm = {"role": "friend_or_family", "child_or_vulnerable_adult_at_risk": "no", "channel": "phone",
            "consent_to_share": "no", "terrorism_or_bomb_warning": "no",
            "threatened_or_abused_staff": "no", "interfered_with_service": "no"}
    result = evaluate(data, calm)
    assert result["outcome"] == "confidential_except_always_possible"
    assert [(e["id"], e["status"], e["status_text"]) for e in result["exceptions"]] == [
        ("court-order", "always_possible", "This could happen whatever you answer: if a court orders it.")]
    assert result["shared_with"] == [] and result["caller_told_first"] is None
    assert evaluate(data, {})["outcome"] == "could_be_shared"
    count, violations = check_all(data)
    assert violations == [] and count > 10_000


def test_no_false_comfort_still_tests_something_beside_an_exception_no_answer_decides(checker_policy):
    data = _with_court_order(checker_policy)
    _no_would_apply_if(data)
    _, violations = check_all(data)
    assert Violation("no-false-comfort", "consent", "(no answers)",
                     "consent_to_share=yes brings ['consent'], not listed before") in violations


def test_a_promise_that_is_not_in_the_policy_is_reported(checker_policy):
    broken = copy.deepcopy(checker_policy)
    invariant = next(i for i in broken["invariants"] if i["kind"] == "told_first_kept")
    invariant["promise"] = "we will always ask you first"
    _, violations = check_all(broken)
    assert Violation("promised-warnings-kept", None, "",
                     'the promise "we will always ask you first" is not found, word for word, in any clause') in violations


def test_the_engine_itself_never_names_the_perpetrator_for_a_caller_being_abused(checker_policy):
    """The same property as never-to-perpetrator, asked directly of evaluate() for the riskiest answers."""
    result = evaluate(checker_policy, {"role": "experiencing_abuse", "child_or_vulnerable_adult_at_risk": "yes",
                                       "consent_to_share": "yes", "terrorism_or_bomb_warning": "yes",
                                       "threatened_or_abused_staff": "yes", "interfered_with_service": "yes"})
    assert "ex_partner" not in result["shared_with"] and result["perpetrator_never_told"] is True


# The build: `policy-site check` on a YAML that breaks an invariant exits 2 naming it.
YAML_BREAKS = {
    "never-to-perpetrator": ("        shared_with: [another_agency]\n",
                             "        shared_with: [another_agency, ex_partner]\n"),
    "more-risk-never-less-sharing": (
        "      when: {role: worried_about_own_behaviour, risk_from_caller: [particular, immediate_severe]}\n",
        "      when: {role: worried_about_own_behaviour, risk_from_caller: [particular]}\n"),
    "promised-warnings-kept": (
        "        shared_with: [relevant_people, outside_agencies, ex_partner]\n        telling: first_where_possible_and_safe\n",
        "        shared_with: [relevant_people, outside_agencies, ex_partner]\n        telling: not_stated\n"),
}


@pytest.mark.parametrize("invariant_id", sorted(YAML_BREAKS))
def test_policy_site_check_refuses_a_policy_that_breaks_an_invariant(invariant_id, tmp_path):
    old, new = YAML_BREAKS[invariant_id]
    broken = tmp_path / "broken-policy.yaml"
    broken.write_text(edited_policy(old, new), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "check", str(broken)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f'breaks invariant "{invariant_id}"' in result.stderr
    first = result.stderr.splitlines()[0]
    # At the line of the rule that breaks it, not of the invariant.
    assert first.startswith(f"{broken}:") and ": checker.rules[" in first, first
    assert result.stdout == ""
