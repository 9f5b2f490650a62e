"""Property-based tests: for any allowed answer set the engine returns the contract's JSON;
for any junk it raises AnswerError and nothing else.

The contract's shape is checker/explanation.schema.json (JSON Schema 2020-12).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import AnswerError, evaluate, to_json
from checker.answers import close_match, condition_truth
from harness import ROOT

SCHEMA = json.loads((ROOT / "checker" / "explanation.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _data():
    # The same checker data as the `checker_data` fixture, built once at import for the strategies.
    from generator.source.policy_model import load_policy
    return json.loads(load_policy(ROOT / "policy" / "respect-phoneline.yaml").checker_data_json)


DATA = _data()
QUESTIONS = {q["id"]: q for q in DATA["questions"]}
# Dates whose six months still fit in the calendar (later ones are refused; see the bad-answer cases).
DATES = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 6, 30)).map(dt.date.isoformat)


def _value(question: dict):
    return DATES if question["type"] == "date" else st.sampled_from([v["value"] for v in question["values"]])


@st.composite
def allowed_answers(draw) -> dict:
    """Any subset of questions answered with allowed values, keeping only those their `asked_when` allows."""
    answers: dict[str, str] = {}
    for question in DATA["questions"]:
        if draw(st.booleans()):
            answers[question["id"]] = draw(_value(question))
    # Drop answers to questions the other answers rule out (the page would not ask them).
    return {q: v for q, v in answers.items()
            if condition_truth(QUESTIONS[q]["asked_when"], answers, QUESTIONS) is not False}


ALL_VALUES = sorted({v["value"] for q in DATA["questions"] for v in q.get("values") or []})
JUNK_SCALARS = st.one_of(st.text(max_size=20), st.sampled_from(ALL_VALUES), st.none(), st.integers(),
                         st.floats(allow_nan=True), st.booleans(), st.binary(max_size=5),
                         st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
                         st.lists(st.text(max_size=5), max_size=2))
JUNK_KEYS = st.one_of(st.sampled_from(sorted(QUESTIONS)), st.text(max_size=20), st.integers(), st.none())
JUNK_ANSWERS = st.one_of(
    st.dictionaries(JUNK_KEYS, JUNK_SCALARS, max_size=9),
    allowed_answers().flatmap(lambda a: st.dictionaries(st.sampled_from(sorted(QUESTIONS)), JUNK_SCALARS,
                                                        max_size=3).map(lambda junk: {**a, **junk})),
    st.lists(st.text(max_size=5), max_size=3), st.text(max_size=10), st.none(), st.integers(),
)


@SETTINGS
@given(answers=allowed_answers())
def test_any_allowed_answers_give_the_contract_shape(answers):
    result = evaluate(DATA, answers)
    VALIDATOR.validate(result)
    assert json.loads(to_json(result)) == result
    assert result["answers"] == answers
    assert set(result["shared_with"]) <= {r["id"] for r in DATA["recipients"]}
    for item in result["points"] + result["exceptions"] + result["records"]:
        for c in item["citations"]:
            assert c["quote"] in DATA["clauses"][c["clause"]]
    for record in result["records"]:
        if record["until"] is not None:
            assert record["until"] > answers["contact_date"]


@SETTINGS
@given(answers=JUNK_ANSWERS)
def test_junk_answers_raise_only_answer_error(answers):
    try:
        result = evaluate(DATA, answers)
    except AnswerError as err:
        message = str(err)
        assert message and "\n" not in message
        assert "expected" in message or "did you mean" in message
    else:
        VALIDATOR.validate(result)


def test_the_schema_is_itself_valid_and_refuses_a_wrong_shape(checker_data):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    good = evaluate(checker_data, {"role": "experiencing_abuse"})
    VALIDATOR.validate(good)
    for broken in ({**good, "outcome": "safe"}, {**good, "points": []},
                   {**good, "shared_with": ["The abuser"]}, {k: v for k, v in good.items() if k != "records"}):
        with pytest.raises(jsonschema.ValidationError):
            VALIDATOR.validate(broken)


def test_a_held_evaluator_gives_what_evaluate_gives_and_each_plain_explanation_is_its_own(checker_data):
    """An Evaluator works the policy out once and reuses it for every answer set (the site's worker, the invariant
    check): plain or shared, in any order, its JSON is evaluate()'s; a plain explanation is the caller's to change."""
    from checker.engine import Evaluator
    from checker.invariants import answer_sets

    sets = list(answer_sets(checker_data))
    plain, shared, backwards = Evaluator(checker_data), Evaluator(checker_data, shared=True), Evaluator(checker_data)
    expected = {i: to_json(evaluate(checker_data, sets[i])) for i in range(0, len(sets), 97)}
    for i in reversed(range(0, len(sets), 97)):  # the forms made in another order
        assert to_json(backwards.evaluate(sets[i])) == expected[i]
    for i, answers in enumerate(sets):
        # The same data (to_json sorts the keys) for every set; the JSON itself where evaluate()'s was made.
        ours = plain.evaluate(answers)
        assert ours == shared.evaluate(answers), answers
        assert i not in expected or to_json(ours) == expected[i], answers
    # Change every list and dict of one plain explanation: the next one for the same answers is as before.
    answers = {"role": "experiencing_abuse", "child_or_vulnerable_adult_at_risk": "yes", "channel": "letter",
               "contact_date": "2026-08-31"}
    first = plain.evaluate(answers)
    before = to_json(first)

    def spoil(node):
        if isinstance(node, dict):
            for key, value in list(node.items()):
                spoil(value)
                if isinstance(value, str):
                    node[key] = "spoilt"
        elif isinstance(node, list):
            for item in node:
                spoil(item)
            node.append("spoilt")
    spoil({key: value for key, value in first.items() if key != "records"})
    for record in first["records"]:  # counted_from is the policy's own, as it always was: left alone
        spoil({key: value for key, value in record.items() if key != "counted_from"})
    assert to_json(plain.evaluate(answers)) == before


# Words over a few letters, so that choices are often alike; and the ids and values of the policy's questions.
LIKE = st.text(alphabet="abcde_ E", max_size=14)
NAMES = sorted({q["id"] for q in DATA["questions"]} | {v["value"] for q in DATA["questions"] for v in q.get("values", [])})


@settings(max_examples=1000, deadline=None)
@given(word=st.one_of(LIKE, st.sampled_from(NAMES).map(lambda n: n[1:] or n)),
       choices=st.lists(st.one_of(LIKE, st.sampled_from(NAMES)), max_size=8))
def test_the_engines_suggestion_is_difflibs(word, choices):
    """A wrong answer's "did you mean" comes from the engine's own close_match, which the site's checker gets
    without difflib's 26 KB: it finds what difflib.get_close_matches(word, choices, n=1, cutoff=0.6) finds."""
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    assert close_match(word, choices) == (found[0] if found else None)


@settings(max_examples=60, deadline=None)
@given(word=st.text(alphabet="ab c", min_size=190, max_size=420),
       choices=st.lists(st.text(alphabet="ab c", min_size=150, max_size=420), min_size=1, max_size=3))
def test_the_engines_suggestion_is_difflibs_for_long_words_too(word, choices):
    """From 200 characters difflib leaves out the word's commonest characters ("autojunk"): so does close_match."""
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    assert close_match(word, choices) == (found[0] if found else None)
