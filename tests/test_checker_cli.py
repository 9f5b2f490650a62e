"""The checker on the command line: `policy-site explain` and `python -m checker`, as a person runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker import evaluate, to_json
from harness import ROOT

POLICY_SITE = [sys.executable, "-m", "generator.cli"]
ANSWERS = ["role=experiencing_abuse", "channel=email", "contact_date=2026-03-03"]


def run(args: list[str]) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="200")  # the text's width must not depend on the terminal
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env)


def answers_of(pairs: list[str]) -> dict[str, str]:
    return dict(p.split("=", 1) for p in pairs)


@pytest.fixture(scope="module")
def data_file(tmp_path_factory, policy) -> Path:
    path = tmp_path_factory.mktemp("checker-cli") / "checker-data.json"
    path.write_text(policy.checker_data_json, encoding="utf-8")
    return path


def test_explain_prints_a_wrapped_explanation_with_quotes(checker_data):
    result = run(POLICY_SITE + ["explain"] + ANSWERS)
    assert result.returncode == 0, result.stderr
    text, wording = result.stdout, checker_data["wording"]
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 78
    assert " ".join(text.split()).startswith(wording["outcome"]["could_be_shared"])
    flat = " ".join(text.split())
    never_told = next(r for r in checker_data["rules"] if r["id"] == "victim-never-told")["says"]["applies"]
    # Answer first: the verdict, the promise that protects the caller, what is kept, what could change this, the rest.
    assert (flat.index(never_told) < flat.index(wording["records_heading"])
            < flat.index(wording["could_change_heading"]) < flat.index(wording["points_heading"]))
    # An exception that only could apply states its condition once, in its own sentence.
    assert "If you ask us to pass on what you tell us, or agree that we can, we may pass it on." in flat
    assert "This would apply if" not in flat
    assert "Counted from 3 March 2026, that means until at least 3 September 2026" in flat
    # Quotes: the policy's exact words in curly quotes, then the clause id.
    assert ("“Respect will take steps to ensure that perpetrators are never told whether their (ex) partner "
            "has had contact with the Phoneline” [victim-confidentiality]") in flat
    assert all(line.startswith(("    > “", "      ")) for line in lines if "“" in line and "[" in line)
    assert "ex-partner" not in flat.replace("(ex) partner", "")


def test_explain_json_is_to_json_of_evaluate(checker_data):
    result = run(POLICY_SITE + ["explain", "--json"] + ANSWERS)
    assert result.returncode == 0, result.stderr
    assert result.stdout == to_json(evaluate(checker_data, answers_of(ANSWERS))) + "\n"


def test_python_m_checker_gives_the_same_as_policy_site(data_file):
    for extra in ([], ["--json"]):
        ours = run([sys.executable, "-m", "checker", str(data_file)] + ANSWERS + extra)
        theirs = run(POLICY_SITE + ["explain"] + ANSWERS + extra)
        assert ours.returncode == theirs.returncode == 0, ours.stderr + theirs.stderr
        assert ours.stdout == theirs.stdout


def test_no_answers_at_all_is_an_explanation_too(checker_data):
    result = run(POLICY_SITE + ["explain", "--json"])
    assert result.returncode == 0
    assert json.loads(result.stdout) == evaluate(checker_data, {})


def test_the_usage_example_is_the_loaded_policys_first_question_and_value():
    """Not Respect's `role=experiencing_abuse` whichever policy is loaded: Kite Line's own first answer."""
    result = run(POLICY_SITE + ["explain", "--policy", "tests/examples/kite-line.yaml", "role"])
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == 'Error: Cannot read "role" (expected question=value, e.g. role=myself)\n'


@pytest.mark.parametrize("args, message", [
    (["role=victim"], 'Error: Invalid answer for "role": "victim" (expected one of: "worried_about_own_behaviour", '
                      '"experiencing_abuse", "friend_or_family", "professional")'),
    (["rol=experiencing_abuse"], 'Error: Unknown question "rol"; did you mean "role"?'),
    (["role=experiencing_abuse", "risk_from_caller=none"],
     'Error: Question "risk_from_caller" does not apply here: it is asked only when "role" is '
     '"worried_about_own_behaviour", and "role" is "experiencing_abuse" (leave "risk_from_caller" unanswered)'),
    (["channel=email", "contact_date=2026-02-30"],
     'Error: Invalid answer for "contact_date": "2026-02-30" is not a date (expected a real date as YYYY-MM-DD, e.g. 2026-03-03)'),
    (["role"], 'Error: Cannot read "role" (expected question=value, e.g. role=worried_about_own_behaviour)'),
    (["role=professional", "role=professional"],
     'Error: Question "role" is answered twice (expected each question once)'),
])
@pytest.mark.parametrize("program", ["policy-site", "python -m checker"])
def test_bad_answers_exit_2_with_the_message_on_stderr(program, args, message, data_file):
    command = POLICY_SITE + ["explain"] if program == "policy-site" else [sys.executable, "-m", "checker", str(data_file)]
    for extra in ([], ["--json"]):
        result = run(command + args + extra)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.startswith(message), result.stderr
        assert len(result.stderr.splitlines()) == 1


def test_python_m_checker_says_when_the_data_file_cannot_be_read(tmp_path):
    missing = tmp_path / "nope.json"
    result = run([sys.executable, "-m", "checker", str(missing), "role=professional"])
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"Error: cannot read checker data {missing}:")


def test_explain_text_keeps_the_told_first_promise_with_an_exception_that_would_apply(checker_data):
    result = run(POLICY_SITE + ["explain", "role=worried_about_own_behaviour", "channel=phone"])
    assert result.returncode == 0, result.stderr
    flat = " ".join(result.stdout.split())
    wording = checker_data["wording"]
    block = flat[flat.index("If the risk to someone is immediate and severe, we will call the police."):]
    told_first = wording["telling"]["first_where_possible_and_safe"]
    assert flat.index(wording["could_change_heading"]) < flat.index(block) and block.index(told_first) \
        < block.index(wording["points_heading"])


def test_explain_text_of_a_confidential_outcome_has_no_exceptions_section(checker_data):
    answers = ["role=friend_or_family", "child_or_vulnerable_adult_at_risk=no", "channel=phone", "consent_to_share=no",
               "terrorism_or_bomb_warning=no", "threatened_or_abused_staff=no", "interfered_with_service=no"]
    result = run(POLICY_SITE + ["explain"] + answers)
    wording = checker_data["wording"]
    assert result.returncode == 0
    assert " ".join(result.stdout.split()).startswith(wording["outcome"]["confidential"])  # wrapped at 78 columns
    for heading in ("applies_heading", "could_change_heading"):
        assert wording[heading] not in result.stdout
    assert wording["points_heading"] in result.stdout
