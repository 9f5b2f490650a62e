"""Run every case of tests/checker_cases/<policy>/*.yaml through the engine (CPython), each on its own policy.

Each case names only what matters; see tests/checker_cases/load.py for the keys.
A failure names the case by its sentence and points at its file and line.
"""

from __future__ import annotations

import copy

import pytest

from checker import AnswerError, evaluate
from checker.answers import dated_period
from checker.engine import Evaluator
from checker.invariants import answer_sets
from checker_cases.load import EXPECTED_KEYS, case_folders, checker_data, load_cases

CASES = load_cases()
POLICIES = [folder.name for folder in case_folders()]
# How many cases each policy has at least: Respect's were written first and are the most.
ENOUGH = {"respect-phoneline": 45,
          # one question (yes, no, not sure): its 4 answer sets, what is kept and a refused answer
          "lighthouse-text": 7,
          # issue 27's held-out check: a case for each bend given a form, the refusals and nothing answered
          "cedar-helpline": 9}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case):
    data = checker_data(case.policy)
    if case.error is not None:
        with pytest.raises(AnswerError) as raised:
            evaluate(data, case.answers)
        assert str(raised.value) == case.error, case.where
        return
    result = evaluate(data, case.answers)
    expected = case.expected
    for key in ("outcome", "shared_with", "caller_told_first", "perpetrator_never_told", "unnamed_recipients"):
        if key in expected:
            assert result[key] == expected[key], f"{case.where}: {key}"
    if "headline" in expected:
        assert result["headline"] == expected["headline"], f"{case.where}: headline"
    if "in_short" in expected:
        assert result["summary"]["in_short"] == expected["in_short"], f"{case.where}: in_short"
    if "promise" in expected:
        assert (result["telling"] or {}).get("promise") == expected["promise"], f"{case.where}: promise"
    if "exceptions" in expected:
        assert {e["id"]: e["status"] for e in result["exceptions"]} == (expected["exceptions"] or {}), case.where
    if "telling" in expected:
        telling = {e["id"]: e["telling"] for e in result["exceptions"]}
        assert {k: telling.get(k) for k in expected["telling"]} == expected["telling"], case.where
    if "judgement" in expected:
        judged = [e["id"] for e in result["exceptions"] if e["judgement"]]
        assert judged == expected["judgement"], f"{case.where}: judgement"
    if "protections" in expected:
        assert {p["id"]: p["status"] for p in result["protections"]} == (expected["protections"] or {}), case.where
    promises = {p["id"]: p for p in result["protections"]}
    for key, of in (("undone", lambda p: p["undone"]),
                    ("unless", lambda p: {u["id"]: u["status"] for u in p["unless"]})):
        if key in expected:
            assert {i: of(promises[i]) if i in promises else None for i in expected[key]} == expected[key], \
                f"{case.where}: {key}"
    if "records" in expected:
        assert {r["id"]: r["until"] for r in result["records"]} == (expected["records"] or {}), case.where
    if "record_status" in expected:
        assert {r["id"]: r["status"] for r in result["records"]} == expected["record_status"], case.where
    if "records_not_stated" in expected:
        assert result["records_not_stated"] == expected["records_not_stated"], f"{case.where}: records_not_stated"
    if "points" in expected:
        assert [p["id"] for p in result["points"]] == expected["points"], case.where
    quotes = [c["quote"] for item in result["points"] + result["exceptions"] + result["records"]
              for c in item["citations"]]
    for words in expected.get("quotes", []):
        assert any(words in q for q in quotes), f"{case.where}: no citation quotes {words!r}"
    texts = [p["text"] for p in result["points"]]
    for words in expected.get("says", []):
        assert any(words in t for t in texts), f"{case.where}: no point says {words!r}"
    for words in expected.get("never_says", []):
        assert not any(words in t for t in texts), f"{case.where}: a point says {words!r}"


def cases_of(policy: str) -> list:
    return [c for c in CASES if c.policy == policy]


def test_every_policy_with_cases_has_enough_and_each_expects_something():
    assert {"respect-phoneline", "nightjar", "kite-line"} <= set(POLICIES)
    for policy in POLICIES:
        assert len(cases_of(policy)) >= ENOUGH.get(policy, 15), policy
    for case in CASES:
        assert case.error or case.expected, f"{case.where}: the case expects nothing"


@pytest.mark.parametrize("policy", POLICIES)
def test_every_rule_question_value_and_recipient_is_covered(policy):
    """Each rule is met (as a point or an exception) by some case, each value of each question is given, and
    each recipient is named."""
    data = checker_data(policy)
    cases = [c for c in cases_of(policy) if c.error is None]
    results = [evaluate(data, c.answers) for c in cases]
    met = {p["id"] for r in results for p in r["points"]}
    assert {r["id"] for r in data["rules"]} - met == set()
    assert {r["id"] for r in data["retention"]} - met == set()
    for question in data["questions"]:
        values = {v["value"] for v in question.get("values") or []}
        assert values - {c.answers.get(question["id"]) for c in cases} == set(), question["id"]
    # An exception no answer decides never puts its recipients in shared_with: it names them as always possible.
    shared = {who for r in results for who in r["shared_with"]} | {
        who for r in results for e in r["exceptions"] if e["status"] == "always_possible" for who in e["shared_with"]}
    assert {r["id"] for r in data["recipients"]} - shared == set()


@pytest.mark.parametrize("policy", POLICIES)
def test_every_outcome_telling_protection_and_dated_record_is_expected_by_some_case(policy):
    """Not only met: some case states it. Every outcome some answer set can reach, every way of telling the
    caller that the policy uses, every protection as applying, every period that a date works out, every exception
    the helpline decides by its judgement, every promise that an exception can undo as undone, and the sentence
    that the policy says nothing about what is kept."""
    data = checker_data(policy)
    expected = [c.expected for c in cases_of(policy) if c.error is None]
    explain = Evaluator(data, shared=True).evaluate   # one for every answer set (evaluate() makes one each call)
    reachable = {explain(answers)["outcome"] for answers in answer_sets(data)}
    assert reachable - {e.get("outcome") for e in expected} == set()
    used = {r["exception"]["telling"] for r in data["rules"] if r.get("exception")}
    assert used - {value for e in expected for value in (e.get("telling") or {}).values()} == set()
    protections = {r["id"] for r in data["rules"] if r.get("protection")}
    applying = {p for e in expected for p, status in (e.get("protections") or {}).items() if status == "applies"}
    assert protections - applying == set()
    dated = {entry["id"] for entry in data["retention"] if dated_period(entry)}
    assert dated or not any(q.get("type") == "date" for q in data["questions"])
    assert dated - {r for e in expected for r, until in (e.get("records") or {}).items() if until} == set()
    # Format 3's parts of an explanation: an exception the helpline decides, a promise undone, nothing said of records.
    judged = {r["id"] for r in data["rules"] if r.get("exception") and r["exception"]["judgement"]}
    assert judged - {i for e in expected for i in e.get("judgement") or []} == set()
    undoable = {r["id"] for r in data["rules"] if r.get("protection") and r["protection"]["unless"]}
    assert undoable - {p for e in expected for p, undone in (e.get("undone") or {}).items() if undone} == set()
    assert not data["retention_not_stated"] or any(e.get("records_not_stated") for e in expected)


def test_the_loader_refuses_a_misspelt_expectation(tmp_path):
    (tmp_path / "respect-phoneline").mkdir()
    (tmp_path / "respect-phoneline" / "bad.yaml").write_text(
        "- name: x\n  description: y\n  answers: {}\n  expected: {outcom: confidential}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"respect-phoneline/bad\.yaml:1: unknown expected key\(s\) \['outcom'\]"):
        load_cases(tmp_path)
    assert "outcome" in EXPECTED_KEYS


def test_the_loader_refuses_cases_outside_a_policys_folder_and_a_folder_named_after_no_policy(tmp_path):
    case = "- name: x\n  description: y\n  answers: {}\n  expected: {outcome: confidential}\n"
    (tmp_path / "loose.yaml").write_text(case, encoding="utf-8")
    with pytest.raises(ValueError, match=r"belong in a folder named after their policy.*loose\.yaml"):
        load_cases(tmp_path)
    (tmp_path / "loose.yaml").unlink()
    (tmp_path / "no-such-helpline").mkdir()
    (tmp_path / "no-such-helpline" / "cases.yaml").write_text(case, encoding="utf-8")
    with pytest.raises(ValueError, match=r"no policy named 'no-such-helpline'"):
        load_cases(tmp_path)


def test_an_exceptions_own_telling_sentence_and_a_promise_only_to_try():
    """Telling (format 3): an exception may word its telling itself (`telling_says`, in place of the policy's one
    sentence for its value), and `told_where_possible` ("we will try to tell you", "unless the law stops us")
    is a promise weaker than `told`: beside a promise to tell first, the one telling is that weaker one, and
    nothing is promised first. Respect's policy edited here, as no example's document says either."""
    data = copy.deepcopy(checker_data("respect-phoneline"))
    rules = {r["id"]: r for r in data["rules"]}
    rules["consent"]["exception"]["telling_says"] = "We only pass it on as you asked, or agreed."
    rules["terrorism-or-bomb-warning"]["exception"]["telling"] = "told_where_possible"
    data["wording"]["telling"]["told_where_possible"] = "We will try to tell you that we are passing it on."
    answers = {"role": "experiencing_abuse", "consent_to_share": "yes", "terrorism_or_bomb_warning": "yes"}
    result = evaluate(data, answers)
    said = {e["id"]: (e["telling"], e["telling_text"]) for e in result["exceptions"]}
    assert said["consent"] == ("with_agreement", "We only pass it on as you asked, or agreed.")
    assert said["terrorism-or-bomb-warning"] == ("told_where_possible",
                                                 "We will try to tell you that we are passing it on.")
    assert result["telling"]["promise"] == "told_where_possible" and not result["telling"]["same"]
    assert result["caller_told_first"] is None
    # Alone, the consent exception's promise is the one telling, with its own sentence.
    alone = evaluate(data, dict(answers, terrorism_or_bomb_warning="no"))
    assert alone["telling"]["promise"] == "with_agreement" and alone["caller_told_first"] == "always"
    assert [e["telling_text"] for e in alone["exceptions"] if e["id"] == "consent"] == [
        "We only pass it on as you asked, or agreed."]
