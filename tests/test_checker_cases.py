"""Run every case of tests/checker_cases/*.yaml through the engine (CPython).

Each case names only what matters; see tests/checker_cases/load.py for the keys.
A failure names the case by its sentence and points at its file and line.
"""

from __future__ import annotations

import pytest

from checker import AnswerError, evaluate
from checker_cases.load import EXPECTED_KEYS, load_cases

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case, checker_policy):
    if case.error is not None:
        with pytest.raises(AnswerError) as raised:
            evaluate(checker_policy, case.answers)
        assert str(raised.value) == case.error, case.where
        return
    result = evaluate(checker_policy, case.answers)
    expected = case.expected
    for key in ("outcome", "shared_with", "caller_told_first", "perpetrator_never_told"):
        if key in expected:
            assert result[key] == expected[key], f"{case.where}: {key}"
    if "exceptions" in expected:
        assert {e["id"]: e["status"] for e in result["exceptions"]} == (expected["exceptions"] or {}), case.where
    if "telling" in expected:
        telling = {e["id"]: e["telling"] for e in result["exceptions"]}
        assert {k: telling.get(k) for k in expected["telling"]} == expected["telling"], case.where
    if "protections" in expected:
        assert {p["id"]: p["status"] for p in result["protections"]} == (expected["protections"] or {}), case.where
    if "records" in expected:
        assert {r["id"]: r["until"] for r in result["records"]} == (expected["records"] or {}), case.where
    if "record_status" in expected:
        assert {r["id"]: r["status"] for r in result["records"]} == expected["record_status"], case.where
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


def test_there_are_enough_cases_and_each_expects_something():
    assert len(CASES) >= 45
    for case in CASES:
        assert case.error or case.expected, f"{case.where}: the case expects nothing"


def test_every_rule_role_channel_and_recipient_is_covered(checker_policy):
    """Each rule is met (as a point or an exception) by some case, and each role, channel and recipient appears."""
    results = [evaluate(checker_policy, c.answers) for c in CASES if c.error is None]
    met = {p["id"] for r in results for p in r["points"]}
    assert {r["id"] for r in checker_policy["rules"]} - met == set()
    assert {r["id"] for r in checker_policy["retention"]} - met == set()
    for question in ("role", "channel"):
        values = {v["value"] for q in checker_policy["questions"] if q["id"] == question for v in q["values"]}
        assert values - {c.answers.get(question) for c in CASES} == set(), question
    shared = {who for r in results for who in r["shared_with"]}
    assert {r["id"] for r in checker_policy["recipients"]} - shared == set()


def test_the_loader_refuses_a_misspelt_expectation(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "- name: x\n  description: y\n  answers: {}\n  expected: {outcom: confidential}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml:1: unknown expected key\(s\) \['outcom'\]"):
        load_cases(tmp_path)
    assert "outcome" in EXPECTED_KEYS
