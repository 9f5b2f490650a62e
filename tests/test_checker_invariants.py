"""The policy's invariants hold over every combination of answers, and each kind of invariant can fail.

Each kind is broken on purpose in a copy of the checker data (and, for the build, in a copy of the YAML), to
show that check_all and `policy-site check` report it by name. The breaking is done on a small made-up policy,
tests/examples/invariants-probe.yaml, which has every kind of invariant over 480 answer sets: what a mutation
test proves is that check_all finds the break, which does not need Respect's 34,020 answer sets, and each
check_all over those took seconds. Respect's own policy keeps the proof that every invariant holds over all of
its answer sets, its own answer sets' coverage, and one break of its own (never-to-perpetrator and
protections-kept, with the smallest answer set that shows it).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json

import pytest

from checker import check_answers, evaluate
from checker.invariants import _CHECKS, Violation, answer_sets, check_all
from harness import INVARIANTS_PROBE as PROBE_FILE

PROBE_ANSWER_SETS = 480


def _rule(data: dict, rule_id: str) -> dict:
    return next(r for r in data["rules"] if r["id"] == rule_id)


@pytest.fixture(scope="module")
def probe() -> dict:
    """The probe's checker data, through JSON as the conftest's checker_data is."""
    from generator.source.policy_model import load_policy
    return json.loads(load_policy(PROBE_FILE).checker_data_json)


# ---------------------------------------------------------------- Respect's own policy

def test_every_invariant_holds_over_every_answer_set(checker_data):
    count, violations = check_all(checker_data)
    assert violations == []
    assert count == len(list(answer_sets(checker_data))) > 10_000


def test_answer_sets_are_all_allowed_distinct_and_cover_every_value(checker_data):
    sets = list(answer_sets(checker_data))
    assert len({tuple(sorted(a.items())) for a in sets}) == len(sets)
    assert {} in sets
    for answers in sets[::97]:  # a spread sample; evaluate() on all of them is check_all's job
        assert check_answers(checker_data, answers) == answers
    for question in checker_data["questions"]:
        seen = {a[question["id"]] for a in sets if question["id"] in a}
        if question["type"] != "date":
            assert seen == {v["value"] for v in question["values"]}, question["id"]
    assert {"2026-08-31", "2026-03-03"} <= {a.get("contact_date") for a in sets}


def test_the_policy_and_the_probe_each_use_every_kind_of_invariant(checker_data, probe):
    assert {inv["kind"] for inv in checker_data["invariants"]} == set(_CHECKS)
    assert {inv["kind"] for inv in probe["invariants"]} == set(_CHECKS)


def test_a_broken_invariant_of_respects_own_policy_is_reported_once_for_its_rule_with_a_smallest_answer_set(
        checker_data):
    """The one break on Respect's own policy: ex_partner added to an exception's recipients (before, it was one of
    the eight mutation tests, with the probe's tests below as the others)."""
    broken = copy.deepcopy(checker_data)
    _rule(broken, "child-or-vulnerable-adult")["exception"]["shared_with"].append("ex_partner")
    _, violations = check_all(broken)
    named = [v for v in violations if v.invariant == "never-to-perpetrator"]
    # The exception is listed (would apply) as soon as the role is given: that one answer shows it.
    assert named == [Violation("never-to-perpetrator", "child-or-vulnerable-adult", "role=experiencing_abuse",
                               '"ex_partner" is named as a recipient')]
    assert any(v.invariant == "protections-kept" and v.message ==
               'protection victim-never-told promises "ex_partner" is never told, but exception '
               "child-or-vulnerable-adult names them" for v in violations), violations


def test_the_engine_itself_never_names_the_perpetrator_for_a_caller_being_abused(checker_data):
    """The same property as never-to-perpetrator, asked directly of evaluate() for the riskiest answers."""
    result = evaluate(checker_data, {"role": "experiencing_abuse", "child_or_vulnerable_adult_at_risk": "yes",
                                       "consent_to_share": "yes", "terrorism_or_bomb_warning": "yes",
                                       "threatened_or_abused_staff": "yes", "interfered_with_service": "yes"})
    assert "ex_partner" not in result["shared_with"] and result["perpetrator_never_told"] is True


# ---------------------------------------------------------------- the probe: every kind broken

def test_every_invariant_of_the_probe_holds_over_its_answer_sets(probe):
    count, violations = check_all(probe)
    assert violations == []
    assert count == len(list(answer_sets(probe))) == PROBE_ANSWER_SETS


# One way to break each kind, on a copy of the probe's checker data: (invariant id it must name, mutation).
def _to_person_harming(d):
    _rule(d, "someone-in-danger")["exception"]["shared_with"].append("person_harming_you")


def _person_harming_told(d):
    _rule(d, "never-told")["when"] = {"role": ["worker"]}


def _less_sharing(d):
    _rule(d, "someone-in-danger")["when"]["danger"] = ["some"]


def _no_would_apply_if(d):
    # Without the wording, the engine leaves an unanswered exception out: false comfort.
    _rule(d, "you-ask-us")["says"]["would_apply_if"] = None


def _ungrounded(d):
    _rule(d, "not-recorded")["cites"][0]["quote"] = "We record every call and keep it for ever."


def _promise_dropped(d):
    _rule(d, "life-in-danger")["exception"]["telling"] = "not_stated"


MUTATIONS = {
    "never_shared_with": ("never-to-the-person-harming", _to_person_harming, "is named as a recipient"),
    "perpetrator_never_told": ("person-harming-never-told", _person_harming_told,
                               "perpetrator_never_told is False, not true"),
    "monotone_recipients": ("more-danger-never-fewer-told", _less_sharing, "danger=life drops ['safeguarding_lead']"),
    "no_false_comfort": ("no-false-comfort", _no_would_apply_if,
                         "asked_to_tell_someone=yes brings ['you-ask-us'], not listed before"),
    "grounded_points": ("grounded", _ungrounded, "not-recorded quotes words not in clause never-recorded"),
    "told_first_kept": ("promised-warnings-kept", _promise_dropped,
                        "exception life-in-danger cites life-in-danger, which promises"),
    "confidential_only_without_exceptions": ("confidential-means-no-exception", _no_would_apply_if,
                                             "['you-ask-us'] could apply but the explanation does not list them"),
    "protections_hold": ("promises-kept", _to_person_harming,
                         'protection never-told promises "person_harming_you" is never told, but exception '
                         "someone-in-danger names them"),
}


def test_every_kind_has_a_mutation():
    assert set(MUTATIONS) == set(_CHECKS)


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_breaking_an_invariant_is_reported_by_name(kind, probe):
    """On the probe (before: on Respect's policy, whose own break is the test above)."""
    invariant_id, mutate, words = MUTATIONS[kind]
    assert next(i for i in probe["invariants"] if i["id"] == invariant_id)["kind"] == kind
    broken = copy.deepcopy(probe)
    mutate(broken)
    _, violations = check_all(broken)
    named = [v.message for v in violations if v.invariant == invariant_id]
    assert named, f"check_all did not report {invariant_id}; it reported {sorted({v.invariant for v in violations})}"
    assert any(words in m for m in named), named[:3]


def test_a_broken_invariant_is_reported_once_for_the_rule_that_breaks_it_with_a_smallest_answer_set(probe):
    """On the probe; Respect's own policy has the same test above."""
    broken = copy.deepcopy(probe)
    _to_person_harming(broken)
    _, violations = check_all(broken)
    named = [v for v in violations if v.invariant == "never-to-the-person-harming"]
    # The exception is listed (would apply) as soon as the role is given: that one answer shows it.
    assert named == [Violation("never-to-the-person-harming", "someone-in-danger", "role=being_harmed",
                               '"person_harming_you" is named as a recipient')]


def test_an_invariant_whose_condition_matches_no_answer_set_is_reported(probe):
    """On the probe (before: on Respect's policy)."""
    broken = copy.deepcopy(probe)
    invariant = next(i for i in broken["invariants"] if i["id"] == "never-to-the-person-harming")
    # The date is asked only of a chat or an email, so it can never hold with the phone.
    invariant["when"] = {"role": ["being_harmed"], "contact_method": ["phone"], "chat_date": ["2026-03-03"]}
    _, violations = check_all(broken)
    assert Violation("never-to-the-person-harming", None, "",
                     "its `when` matches no answer set, so it tests nothing") in violations


def _with_court_order(data: dict) -> dict:
    """A copy of the data with an exception that no answer decides, as another helpline's policy has."""
    changed = copy.deepcopy(data)
    changed["recipients"].append({"id": "court", "label": "the court"})
    changed["wording"]["outcome"]["confidential_except_always_possible"] = "Private, but for a court order."
    changed["wording"]["always_possible"] = "This could happen whatever you answer: if {condition}."
    changed["wording"]["in_short"]["confidential_except_always_possible"] = "Stays private, but for a court order"
    changed["rules"].append({
        "id": "court-order", "when": {}, "records": [], "protection": None,
        "exception": {"condition": "a court orders it", "shared_with": ["court"], "telling": "not_stated",
                      "whatever_you_answer": True, "strength": "must", "recipients_join": "all_of", "unnamed": None,
                      "recipients_listed": True, "limit": None, "judgement": None},
        "says": {"applies": "If a court orders it, we pass on what it asks for.", "would_apply_if": None},
        "cites": [{"clause": "conversations-private",
                   "quote": "Everything you say to Lantern Line stays between you and us"}]})
    return changed


def test_an_exception_no_answer_decides_is_always_listed_and_never_counts_as_applying(probe):
    """On the probe (before: on Respect's policy; Nightjar's court order is a real one, tests/test_example_sites.py)."""
    data = _with_court_order(probe)
    calm = {"role": "worried_about_someone", "contact_method": "phone", "asked_to_tell_someone": "no",
            "danger": "none"}
    result = evaluate(data, calm)
    assert result["outcome"] == "confidential_except_always_possible"
    assert [(e["id"], e["status"], e["status_text"]) for e in result["exceptions"]] == [
        ("court-order", "always_possible", "This could happen whatever you answer: if a court orders it.")]
    assert result["shared_with"] == [] and result["caller_told_first"] is None
    assert evaluate(data, {})["outcome"] == "could_be_shared"
    count, violations = check_all(data)
    assert violations == [] and count == PROBE_ANSWER_SETS


def test_no_false_comfort_still_tests_something_beside_an_exception_no_answer_decides(probe):
    """On the probe (before: on Respect's policy)."""
    data = _with_court_order(probe)
    _no_would_apply_if(data)
    _, violations = check_all(data)
    assert Violation("no-false-comfort", "you-ask-us", "(no answers)",
                     "asked_to_tell_someone=yes brings ['you-ask-us'], not listed before") in violations


def test_a_promise_that_is_not_in_the_policy_is_reported(probe):
    """On the probe (before: on Respect's policy)."""
    broken = copy.deepcopy(probe)
    invariant = next(i for i in broken["invariants"] if i["kind"] == "told_first_kept")
    invariant["promise"] = "we will always ask you first"
    _, violations = check_all(broken)
    assert Violation("promised-warnings-kept", None, "",
                     'the promise "we will always ask you first" is not found, word for word, in any clause') in violations


# ---------------------------------------------------------------- the build: the probe's YAML broken

def check(path) -> tuple[int, str, str]:
    """`policy-site check path`, in this process: (exit code, stdout, stderr). The real command, in a process of
    its own, is run by tests/test_policy_corpus.py and tests/test_policy_example.py."""
    from generator.cli import main
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()) as err:
        code = main(["check", str(path)])
    return code, out.getvalue(), err.getvalue()


def test_the_probe_passes_policy_site_check():
    code, out, err = check(PROBE_FILE)
    assert code == 0, err
    assert f"8 invariants hold over {PROBE_ANSWER_SETS} answer sets" in out


# `policy-site check` on a YAML that breaks an invariant exits 2 naming it (before: three edits of Respect's YAML,
# each checked in a process of its own over its 34,020 answer sets).
YAML_BREAKS = {
    "never-to-the-person-harming": ("        shared_with: [safeguarding_lead]\n",
                                    "        shared_with: [safeguarding_lead, person_harming_you]\n"),
    "more-danger-never-fewer-told": ("      when: {danger: [some, life]}\n", "      when: {danger: [some]}\n"),
    "promised-warnings-kept": ("        telling: first_where_possible_and_safe\n", "        telling: not_stated\n"),
}


@pytest.mark.parametrize("invariant_id", sorted(YAML_BREAKS))
def test_policy_site_check_refuses_a_policy_that_breaks_an_invariant(invariant_id, tmp_path):
    old, new = YAML_BREAKS[invariant_id]
    text = PROBE_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the probe no longer has {old!r} exactly once: update this test's edit"
    broken = tmp_path / "broken-policy.yaml"
    broken.write_text(text.replace(old, new), encoding="utf-8")
    code, out, err = check(broken)
    assert code == 2, out + err
    assert f'breaks invariant "{invariant_id}"' in err
    first = err.splitlines()[0]
    # At the line of the rule that breaks it, not of the invariant.
    assert first.startswith(f"{broken}:") and ": checker.rules[" in first, first
    assert out == ""
