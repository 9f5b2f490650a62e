"""`policy-site diff` and the previous versions kept in versions/: the made-up version 1.1 of Respect's policy
(tests/examples/respect-1.1/) against its version 1.0 (a copy of policy/respect-phoneline.yaml).

The four made-up changes: copies of emails and letters kept three months, not six; a particular risk no longer
shared with the partner or ex-partner; a new exception with its own question (a plan to commit a serious crime);
the publicity clause reworded, with no change in meaning.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from harness import EXAMPLES, POLICY_FILE
from generator import cli
from generator.source.diff import UNANSWERED, diff_policies, json_report, load_pair, text_report, word_diff
from generator.source.policy_model import load_policy
from generator.source.versions import change_is_recent, previous_versions, version_problems

NEW = EXAMPLES / "respect-1.1" / "respect-phoneline.yaml"
OLD = EXAMPLES / "respect-1.1" / "versions" / "1.0.yaml"

W, E, F, P = "worried_about_own_behaviour", "experiencing_abuse", "friend_or_family", "professional"
NOS = {"consent_to_share": ["no"], "terrorism_or_bomb_warning": ["no"], "threatened_or_abused_staff": ["no"],
       "interfered_with_service": ["no"]}
MAYBE_NOS = {q: [None, *values] for q, values in NOS.items()}
# The copies' and responses' record period in 1.0 and in 1.1, as the diff reports it.
SIX_MONTHS, THREE_MONTHS = ({"limit": "for", "months": n, "period": {"count": n, "unit": "months"}, "kept_for": words,
                             "counted_from": {"question": "contact_date", "event": None}, "only_if": None,
                             "sooner_if": None} for n, words in ((6, "six months"), (3, "three months")))

# (kind, id, status, old, new, answer sets, the answers that describe them): every group, in the order shown.
EXPECTED_GROUPS = [
    ("exception_added", "serious-crime", "applies", None, ["police"], 23_490,
     [{"serious_crime_planned": ["yes"]}]),
    ("exception_added", "serious-crime", "would_apply_if", None, ["police"], 23_490,
     [{"serious_crime_planned": [None]}]),
    ("recipients", "particular-risk", "applies", {"removed": ["ex_partner"]}, {"added": []}, 4_860,
     [{"role": [W], "risk_from_caller": ["particular", "immediate_severe"]}]),
    ("recipients", "particular-risk", "would_apply_if", {"removed": ["ex_partner"]}, {"added": []}, 24_300,
     [{"role": [None, W], "risk_from_caller": [None]},
      {"role": [None], "risk_from_caller": [None, "particular", "immediate_severe"]}]),
    ("record_period", "copies-and-responses", "applies",
     SIX_MONTHS, THREE_MONTHS,
     42_282, [{"channel": ["email", "letter"]}]),
    ("record_period", "copies-and-responses", "would_apply_if",
     SIX_MONTHS, THREE_MONTHS,
     21_141, [{"channel": [None]}]),
    # The new exception says nothing about telling you: where it applies, the one-line answer no longer promises
    # "we tell you first when we safely can" (before: another exception promised it), nor anything where nothing
    # applied before.
    ("combined_telling", None, None, "first_where_possible_and_safe", "not_stated", 1_760,
     [{"child_or_vulnerable_adult_at_risk": ["yes"], **MAYBE_NOS, "serious_crime_planned": ["yes"]},
      {"role": [W], "risk_from_caller": ["concern", "particular", "immediate_severe"], **MAYBE_NOS,
       "serious_crime_planned": ["yes"]}]),
    ("combined_telling", None, None, None, "not_stated", 2_880,
     [{"role": [None, E, F, P], "child_or_vulnerable_adult_at_risk": [None, "no"], **MAYBE_NOS,
       "serious_crime_planned": ["yes"]},
      {"role": [W], "risk_from_caller": [None, "none"], **MAYBE_NOS, "serious_crime_planned": ["yes"]}]),
    # Confidential before, and now not while the new question is unanswered or answered yes.
    ("outcome", None, None, "confidential", "could_be_shared", 100,
     [{"risk_from_caller": ["none"], "child_or_vulnerable_adult_at_risk": ["no"], **NOS,
       "serious_crime_planned": [None, "yes"]},
      {"role": [E, F, P], "child_or_vulnerable_adult_at_risk": ["no"], **NOS, "serious_crime_planned": [None, "yes"]},
      {"role": [W], "risk_from_caller": ["none"], **NOS, "serious_crime_planned": [None, "yes"]}]),
]

EXPECTED_WORDING = [
    ("clause_added", "exception-serious-crime"),
    ("clause_changed", "perpetrator-risk"),
    ("summary_changed", "perpetrator-risk"),
    ("clause_changed", "email-and-post-records"),
    ("summary_changed", "email-and-post-records"),
    ("clause_changed", "publicity"),
]


@pytest.fixture(scope="module")
def diff():
    return diff_policies(load_policy(OLD, read_format_2=True), load_policy(NEW))


def matches(cube: dict, answers: dict) -> bool:
    """Whether an answer set is one a cube describes, read plainly: each named question answered (or not) as it says."""
    return all(answers.get(q, UNANSWERED) in values for q, values in cube.items())


def test_every_group_is_found_with_its_answer_sets_collapsed_into_the_fewest_answers(diff):
    found = [(c.kind, c.id, c.status, c.old, c.new, bin(c.members).count("1"), c.cubes) for c in diff.changes]
    assert found == EXPECTED_GROUPS


def test_the_collapsed_answers_describe_exactly_the_answer_sets_of_their_group(diff):
    """Read back without the code that made them: an answer set is in a group exactly when one of its cubes says so."""
    for change in diff.changes:
        for i in range(len(diff.universe)):
            answers = diff.answers_of(i)
            in_group = bool(change.members >> i & 1)
            assert any(matches(cube, answers) for cube in change.cubes) == in_group, (change.key, answers)


def test_each_group_carries_the_policys_words_before_and_after(diff):
    by_key = {(c.kind, c.id, c.status): c for c in diff.changes}
    removed = by_key["recipients", "particular-risk", "applies"]
    assert removed.before["citations"][0]["quote"].endswith("including outside agencies and his (ex) partner.")
    assert removed.after["citations"][0]["quote"].endswith("including outside agencies.")
    shorter = by_key["record_period", "copies-and-responses", "applies"]
    assert "kept for six months" in shorter.before["citations"][0]["quote"]
    assert "kept for three months" in shorter.after["citations"][0]["quote"]
    added = by_key["exception_added", "serious-crime", "applies"]
    assert added.before is None
    assert added.after["citations"] == [{"clause": "exception-serious-crime",
                                         "quote": "a caller tells us of a plan to commit a serious crime"}]


def test_the_word_diff_marks_only_the_words_that_changed(diff):
    assert [(w.kind, w.clause) for w in diff.wording] == EXPECTED_WORDING
    publicity = next(w for w in diff.wording if w.clause == "publicity")
    assert [(op, t) for op, t in publicity.words if op != "="] == [
        ("-", " copies"), ("+", " a copy"), ("-", " available"), ("+", " given"),
        ("-", " the general public"), ("+", " anyone who asks for one")]
    assert word_diff("kept for six months and", "kept for three months and") == [
        ("=", "kept for"), ("-", " six"), ("+", " three"), ("=", " months and")]


def test_diff_json_on_the_command_line(capsys):
    code = cli.main(["diff", str(OLD), str(NEW), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1  # some caller's explanation differs
    assert (out["old"]["version"], out["new"]["version"]) == ("1.0", "1.1")
    assert out["answer_sets"] == 70_470 and out["changed_answer_sets"] == 69_093 and out["no_change"] is False
    assert [(c["kind"], c["id"], c["status"], c["old"], c["new"], c["answer_sets"], c["when"])
            for c in out["changes"]] == EXPECTED_GROUPS
    assert [(w["kind"], w["clause"]) for w in out["wording"]] == EXPECTED_WORDING
    # 1.0 is format 2: its strengths are the upgrade's guesses, which four of 1.1's confirmed ones differ from.
    # Nobody was told a guess, so it is no "must → may": the report names them instead.
    assert out["strength_guessed"] == ["consent", "service-interference", "staff-threatened",
                                       "terrorism-or-bomb-warning"]
    assert not any(c["kind"] == "strength" for c in out["changes"])
    shorter = next(c for c in out["changes"] if c["kind"] == "record_period" and c["status"] == "applies")
    assert shorter["example"] == {"channel": "email"}


def test_diff_text_for_a_person(diff):
    text = text_report(diff)
    assert f"69,093 of them changed, {len(diff.changes)} differences\n" in text and len(diff.changes) > 1
    assert ("\nstrength not compared (a guess of the upgrade, not confirmed): consent, service-interference, "
            "staff-threatened, terrorism-or-bomb-warning\n") in text
    assert "record period: copies-and-responses: six months → three months (applies) — 42,282 answer sets\n" \
           "  when channel=email|letter\n" in text
    assert ("recipients: particular-risk: removed ex_partner (applies) — 4,860 answer sets\n"
            "  when role=worried_about_own_behaviour risk_from_caller=particular|immediate_severe\n") in text
    assert "  This confidentiality policy will be part of our publicity material for the phoneline and " \
           "[-copies-] {+a copy+} of it will be [-available-] {+given+} to [-the general public-] " \
           "{+anyone who asks for one+}.\n" in text


def test_a_version_identical_in_meaning_gives_no_change(tmp_path, capsys):
    same = tmp_path / "1.0.1.yaml"
    same.write_text(OLD.read_text(encoding="utf-8").replace('version: {value: "1.0", example: true}\n  effective',
                                                            'version: {value: "1.0.1", example: true}\n  effective'),
                    encoding="utf-8")
    assert load_policy(same, read_format_2=True).value("metadata", "version") == "1.0.1"
    code = cli.main(["diff", str(OLD), str(same)])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines() == [f"{OLD} (version 1.0) → {same} (version 1.0.1): 23,490 answer sets: "
                                "no change for any caller"]
    assert json_report(diff_policies(load_policy(OLD, read_format_2=True), load_policy(same, read_format_2=True)))["changes"] == []


def test_diff_names_the_file_and_line_of_a_bad_version(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(OLD.read_text(encoding="utf-8").replace("kept_for: {months: 6,", "kept_for: {months: six,"),
                   encoding="utf-8")
    assert cli.main(["diff", str(bad), str(NEW)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "retention[0].kept_for.months" in err


# ---- versions/ ------------------------------------------------------------------------------------------

def test_check_finds_the_previous_version_named_from_the_history():
    policy = load_policy(NEW)
    assert [(v.version, v.date, v.path) for v in previous_versions(policy)] == [("1.0", "2026-11-25", OLD)]
    assert version_problems(policy) == []


def test_the_published_policy_keeps_no_previous_version(policy):
    assert previous_versions(policy) == []
    assert not (POLICY_FILE.parent / "versions").exists()


def copy_example(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "respect-1.1", tmp_path / "p")
    return tmp_path / "p"


def test_check_reports_a_previous_version_at_its_own_file_and_line(tmp_path, capsys):
    folder = copy_example(tmp_path)
    old = folder / "versions" / "1.0.yaml"
    old.write_text(old.read_text(encoding="utf-8").replace('quote: We do not use technology to identify callers',
                                                           'quote: We never use technology to identify callers'),
                   encoding="utf-8")
    assert cli.main(["check", str(folder / "respect-phoneline.yaml")]) == 2
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(old.read_text(encoding="utf-8").splitlines(), 1)
                if "We never use technology" in text)
    assert f"{old}:{line}:" in err and "the quote is not in clause" in err


def test_check_refuses_a_version_file_the_history_does_not_name_or_whose_version_differs(tmp_path):
    folder = copy_example(tmp_path)
    old = folder / "versions" / "1.0.yaml"
    old.write_text(old.read_text(encoding="utf-8").replace('  version: {value: "1.0", example: true}',
                                                           '  version: {value: "0.9", example: true}'),
                   encoding="utf-8")
    shutil.copy(old, folder / "versions" / "0.5.yaml")
    messages = [str(p) for p in version_problems(load_policy(folder / "respect-phoneline.yaml"))]
    assert any(f"{folder / 'versions' / '0.5.yaml'} is kept as a previous version, but no history entry" in m
               and m.startswith(f"{folder / 'respect-phoneline.yaml'}:") for m in messages), messages
    assert any(m.startswith(f"{old}:") and 'says version "0.9"' in m for m in messages), messages


def test_a_previous_version_needs_the_words_of_the_changes_page(tmp_path):
    folder = copy_example(tmp_path)
    new = folder / "respect-phoneline.yaml"
    text = new.read_text(encoding="utf-8")
    start, end = text.index("changes_page:"), text.index("# A page for each kind of caller.")
    new.write_text(text[:start] + text[end:], encoding="utf-8")
    assert "`changes_page` (its words) is missing" in " ".join(str(p) for p in version_problems(load_policy(new)))


def test_the_change_is_recent_for_the_period_the_yaml_sets():
    policy = load_policy(NEW)   # effective 1 March 2027, recent_months: 6
    assert change_is_recent(policy, dt.date(2027, 1, 10))       # announced before it takes effect
    assert change_is_recent(policy, dt.date(2027, 8, 31))
    assert not change_is_recent(policy, dt.date(2027, 9, 1))


# ---- the page and the checker's note, as generated --------------------------------------------------------

def test_without_a_previous_version_there_is_no_page_no_link_and_no_note(policy):
    from generator.pages.changes_page import checker_changes
    from generator.pages.render import render_pages
    pages = {p.path: p.markdown for p in render_pages(policy)}
    assert "what-changed.md" not in pages
    assert not any("changes-prompt" in text or "what-changed" in text for text in pages.values())
    assert checker_changes(policy) is None


@pytest.mark.parametrize("day, recent", [("2027-03-15", True), ("2027-09-01", False)])
def test_the_link_and_the_note_last_as_long_as_the_change_is_recent(monkeypatch, day, recent):
    from generator.pages.changes_page import checker_changes
    from generator.pages.render import render_pages
    midnight = dt.datetime.fromisoformat(day).replace(tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(midnight.timestamp())))
    policy = load_policy(NEW)
    pages = {p.path: p.markdown for p in render_pages(policy)}
    assert "what-changed.md" in pages   # the page stays: only the pointers to it are for a while
    for audience in policy.audiences:
        assert ('<p class="changes-prompt">The policy changed on 1 March 2027. '
                f'<a href="what-changed.html#for-{audience["id"]}">See what is different for you</a>.</p>'
                in pages[f"{audience['id']}.md"]) is recent
    note = checker_changes(policy)
    assert (note is not None) is recent
    if recent:
        assert note == {"note": "Part of this explanation changed on 1 March 2027. [See what changed].",
                        "when": [{"role": [None, "worried_about_own_behaviour"],
                                  "risk_from_caller": [None, "particular", "immediate_severe"]},
                                 {"channel": [None, "email", "letter"]},
                                 {"serious_crime_planned": [None, "yes"]}]}


# ---- the kinds the made-up 1.1 does not show: telling changed, an exception and a protection taken out --------

KITE = EXAMPLES / "kite-line.yaml"


def kite_edited(tmp_path: Path) -> Path:
    """Kite Line with three made-up changes: told first, not afterwards, when another young person is in danger;
    no exception for contacting parents when asked (its clause is no longer an exception); contact details no
    longer promised to stay with us."""
    text = KITE.read_text(encoding="utf-8")
    edits = [
        ("        telling: afterwards\n      says:\n        applies: You have told us that another young person",
         "        telling: first\n      says:\n        applies: You have told us that another young person"),
        ("      - id: parents-and-carers\n        kind: exception\n", "      - id: parents-and-carers\n"),
        (text[text.index("    - id: parents-when-you-ask"):text.index("    - id: act-quickly")], ""),
        (text[text.index("    - id: details-stay-with-us"):text.index("    - id: parents-not-contacted")], ""),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "kite-line.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_change_of_telling_and_an_exception_and_a_protection_taken_out(tmp_path):
    kite = diff_policies(load_policy(KITE), load_policy(kite_edited(tmp_path)))
    found = [(c.kind, c.id, c.status, c.old, c.new, bin(c.members).count("1"), c.cubes) for c in kite.changes]
    assert found[:5] == [
        ("exception_removed", "parents-when-you-ask", "applies", ["parents_or_carers"], None, 399,
         [{"contact_parents": ["yes"]}]),
        ("exception_removed", "parents-when-you-ask", "would_apply_if", ["parents_or_carers"], None, 399,
         [{"contact_parents": [None]}]),
        ("telling", "other-young-person-in-danger", "applies", "afterwards", "first", 63,
         [{"role": ["another_young_person"], "other_young_person_in_danger": ["yes"]}]),
        ("telling", "other-young-person-in-danger", "would_apply_if", "afterwards", "first", 567,
         [{"role": [None, "another_young_person"], "other_young_person_in_danger": [None]},
          {"role": [None], "other_young_person_in_danger": [None, "yes"]}]),
        ("protection_removed", "details-stay-with-us", "applies", "details_not_passed_on", None, 1_197, [{}]),
    ]
    # The one-line answer's promise follows: told first where the exception now promises it alone, and no promise
    # left where the exception taken out was the only one that applied.
    assert [(c.kind, c.old, c.new, bin(c.members).count("1")) for c in kite.changes[5:7]] == [
        ("combined_telling", "afterwards", "first", 63), ("combined_telling", "first", None, 224)]
    assert [c.kind for c in kite.changes[7:]] == ["outcome"]
    # The point's words are the same: before and after say how the caller is told, in the policy's sentences.
    told = next(c for c in kite.changes if c.kind == "telling" and c.status == "applies")
    assert told.before["text"].endswith("but we will always tell you afterwards what we did and why.")
    assert told.after["text"].endswith("We will always talk it through with you first.")
    for change in kite.changes:
        for i in range(len(kite.universe)):
            assert any(matches(cube, kite.answers_of(i)) for cube in change.cubes) == bool(change.members >> i & 1)


# ---- format 3's dimensions: each edited alone in a copy of Kite Line ----------------------------------------

def kite_with(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    """A copy of Kite Line with each (old, new) edit made once."""
    text = KITE.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# You in danger of being badly hurt: asked of a young person about themselves.
IN_DANGER = [{"role": ["myself"], "serious_harm": ["in_danger", "life_in_danger_now"]}]
YOU_IN_DANGER = ("        strength: may\n        condition: you tell us that you are in danger of being badly hurt\n"
                 "        # \"such as children’s social care or the police\": one or both of them, or others like them.\n"
                 "        shared_with: {one_of: [childrens_social_care, police_service], unnamed: other people whose "
                 "job is to keep children safe}\n"
                 "        limit: We only tell them what they need to know to keep you safe.\n")
WILL_WORDS = ('      nobody_named: We might tell someone; our policy does not say who\n',
              '      nobody_named: We might tell someone; our policy does not say who\n'
              '      will_share_with: "We will tell {recipients}"\n'
              '      will_nobody_named: We will tell someone; our policy does not say who\n'
              '      will_and_could: "We will tell {recipients}, and might tell {others}"\n')
# Kite Line's lead of who it goes to for a duty to share, beside its "could" one.
WILL_LEAD = ('    shared_with: "We might tell:"\n',
             '    shared_with: "We might tell:"\n    will_share_with: "We will tell:"\n')
# Kite Line's headline for a duty to share, beside its "could" one.
WILL_HEADLINE = ("      could_be_shared: From your answers, what you tell us could be passed on. This is when, and who to.\n",
                 "      could_be_shared: From your answers, what you tell us could be passed on. This is when, and who to.\n"
                 "      will_be_shared: From your answers, what you tell us will be passed on. This is when, and who to.\n")
JUDGEMENT_WORDS = ("    points_heading: Other things to know\n",
                   "    judgement: Our counsellors decide whether this applies, from what you tell them.\n"
                   "    points_heading: Other things to know\n")

# (name, the old version's edits, the new version's edits, (kind, old, new) of the change to you-in-danger)
DIMENSIONS = [
    # A duty that became a discretion: the caller was promised more before.
    ("strength", [(YOU_IN_DANGER, YOU_IN_DANGER.replace("strength: may", "strength: must")), WILL_WORDS,
                  WILL_HEADLINE, WILL_LEAD], [],
     ("strength", "must", "may")),
    ("decided_by", [], [(YOU_IN_DANGER, YOU_IN_DANGER + "        judgement: {clause: serious-harm, quote: "
                                                        "we may need to pass this on}\n"), JUDGEMENT_WORDS],
     ("decided_by", "answers", "judgement")),
    ("recipients_join", [], [(YOU_IN_DANGER, YOU_IN_DANGER.replace("{one_of:", "{all_of:"))],
     ("recipients_join", "one_of", "all_of")),
    ("recipients_unnamed", [], [(YOU_IN_DANGER, YOU_IN_DANGER.replace(
        ", unnamed: other people whose job is to keep children safe}", "}"))],
     ("recipients_unnamed", "other people whose job is to keep children safe", None)),
    ("limit", [], [(YOU_IN_DANGER, YOU_IN_DANGER.replace(
        "        limit: We only tell them what they need to know to keep you safe.\n", ""))],
     ("limit", "We only tell them what they need to know to keep you safe.", None)),
    # Not only told first or not: "afterwards" to "not told" is news too.
    ("telling", [], [(YOU_IN_DANGER + "        telling: afterwards\n", YOU_IN_DANGER + "        telling: not_told\n"),
                     ("      afterwards: We may not be able to talk to you first, but we will always tell you "
                      "afterwards what we did and why.\n",
                      "      afterwards: We may not be able to talk to you first, but we will always tell you "
                      "afterwards what we did and why.\n      not_told: We may not tell you.\n")],
     ("telling", "afterwards", "not_told")),
]


@pytest.mark.parametrize("name, old_edits, new_edits, expected", DIMENSIONS, ids=[d[0] for d in DIMENSIONS])
def test_a_version_that_differs_in_one_format_3_dimension_shows_that_change_alone(tmp_path, name, old_edits,
                                                                                  new_edits, expected):
    # Both checked as `diff` checks them: each edit is a policy `check` accepts.
    kite = diff_policies(*load_pair(kite_with(tmp_path, "old", *old_edits), kite_with(tmp_path, "new", *new_edits)))
    kind, before, after = expected
    own = [c for c in kite.changes if c.kind == kind]
    assert [(c.id, c.status, c.old, c.new) for c in own] == [("you-in-danger", "applies", before, after),
                                                             ("you-in-danger", "would_apply_if", before, after)]
    applies = own[0]
    assert applies.cubes == IN_DANGER
    for i in range(len(kite.universe)):   # exactly the answer sets under which you-in-danger applies
        assert bool(applies.members >> i & 1) == matches(IN_DANGER[0], kite.answers_of(i))
    # Nothing else about the exception changed; the combined telling is the one whole-explanation change it may bring.
    assert {c.kind for c in kite.changes} <= {kind, "combined_telling"}
    assert (kind == "telling") == any(c.kind == "combined_telling" for c in kite.changes)
    # The text and the JSON report say it.
    assert f"{kind.replace('_', ' ')}: you-in-danger: {before or '-'} → {after or '-'} (applies)" in text_report(kite)
    report = json_report(kite)["changes"]
    assert {"kind": kind, "id": "you-in-danger", "status": "applies", "old": before, "new": after,
            "when": IN_DANGER} == {k: v for k, v in report[0].items() if k in ("kind", "id", "status", "old", "new", "when")}


def test_who_decides_is_shown_with_the_words_that_say_the_helpline_decides(tmp_path):
    new = load_policy(kite_with(tmp_path, "new", *DIMENSIONS[1][2]))
    change = next(c for c in diff_policies(load_policy(KITE), new).changes if c.kind == "decided_by")
    assert change.after["text"].endswith("Our counsellors decide whether this applies, from what you tell them.")
    assert {"clause": "serious-harm", "quote": "we may need to pass this on"} in change.after["citations"]
    assert not change.before["text"].endswith("from what you tell them.")


def test_the_combined_telling_is_compared_where_the_promise_of_the_one_line_answer_changes(tmp_path):
    new = load_policy(kite_with(tmp_path, "new", *DIMENSIONS[5][2]))
    combined = [c for c in diff_policies(load_policy(KITE), new).changes if c.kind == "combined_telling"]
    assert combined and all((c.id, c.status, c.old, c.new) == (None, None, "afterwards", "not_told") for c in combined)


def test_a_protection_that_promises_something_else_is_a_change(tmp_path):
    new = load_policy(kite_with(tmp_path, "new", ("      protection: {kind: details_not_passed_on}\n",
                                                 "      protection: {kind: not_identified}\n")))
    kite = diff_policies(load_policy(KITE), new)
    assert [(c.kind, c.id, c.old, c.new, c.cubes) for c in kite.changes] == [
        ("protection_kind", "details-stay-with-us", "details_not_passed_on", "not_identified", [{}])]


def test_every_kind_a_diff_can_find_needs_its_words_on_the_what_changed_page(tmp_path, capsys):
    """The page heads each change with its kind's words: a kind without words would drop the change, so check
    refuses a changes_page without them (the outcome and the combined telling are not on the page)."""
    from generator.source.diff import KINDS, WHOLE_EXPLANATION
    assert set(load_policy(NEW).data["changes_page"]["kinds"]) == set(KINDS) - set(WHOLE_EXPLANATION)
    folder = copy_example(tmp_path)
    new = folder / "respect-phoneline.yaml"
    text = new.read_text(encoding="utf-8")
    new.write_text(text.replace("    strength: How sure it is that we pass it on has changed.\n", ""), encoding="utf-8")
    assert cli.main(["check", str(new)]) == 2
    line = text.splitlines().index("  kinds:") + 1
    err = capsys.readouterr().err
    assert f"{new}:{line}:" in err and "changes_page.kinds" in err and "strength" in err, err


def test_the_upgrade_gives_a_format_2_changes_page_the_words_of_the_new_kinds():
    """A format-2 file (here Respect 1.1 as format 2 wrote it) gains them in English, and loads."""
    from generator.source.upgrade import CHANGE_KIND_WORDS, upgraded
    text = NEW.read_text(encoding="utf-8")
    new_kinds = [f"    {key}: {words}\n" for key, words in CHANGE_KIND_WORDS]
    format_2 = text.replace("\nformat: 3\n", "\nformat: 2\n")
    for line in new_kinds:
        assert format_2.count(line) == 1
        format_2 = format_2.replace(line, "")
    out, said = upgraded(format_2)
    kinds = out[out.index("  kinds:\n"):out.index("  wording_heading:")]
    assert kinds.splitlines()[1:len(new_kinds) + 1] == [line.rstrip("\n") for line in new_kinds]
    assert sorted(s for s in said if s.startswith("changes_page.kinds.")) == sorted(
        f"changes_page.kinds.{key} added: {words} (reword it if you like)" for key, words in CHANGE_KIND_WORDS)
    assert set(load_policy(NEW, out.encode("utf-8")).data["changes_page"]["kinds"]) == \
           set(load_policy(NEW).data["changes_page"]["kinds"])


# ---- a protection's unless: Harbour Crisis Line before and after "unless we have to contact the emergency services
# without your consent" undid its promise not to trace a call -------------------------------------------------

HARBOUR = EXAMPLES / "harbour-crisis-line.yaml"
NOT_TRACED = ("      protection: {kind: not_traced, unless: [risk-without-consent]}\n",
              "      protection: {kind: not_traced}\n")


def harbour_versions(tmp_path: Path) -> Path:
    """Harbour as version 2, keeping as version 1 a copy whose promise not to trace a call names no exception that
    undoes it, with the words of the page of what changed (Respect 1.1's); returns version 2's file."""
    import yaml
    from generator.source.yaml_source import parse
    text = HARBOUR.read_text(encoding="utf-8")
    assert text.count(NOT_TRACED[0]) == 1
    (tmp_path / "versions").mkdir()
    for version, source in (("1", text.replace(*NOT_TRACED)), ("2", text)):
        data = parse(HARBOUR, source.encode("utf-8"))[0]
        data["metadata"]["version"] = version
        data["metadata"]["history"] = [{"version": "1", "date": "2030-01-01", "changes": "First."},
                                       {"version": "2", "date": "2031-01-01", "changes": "Not traced, unless."}]
        data["changes_page"] = parse(NEW)[0]["changes_page"]
        path = tmp_path / "versions" / "1.yaml" if version == "1" else tmp_path / "harbour-crisis-line.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return tmp_path / "harbour-crisis-line.yaml"


def test_a_promise_that_an_exception_now_undoes_is_a_change_on_the_page(tmp_path):
    from checker import evaluate
    from generator.pages.render import render_pages
    new = load_policy(harbour_versions(tmp_path))
    old = load_policy(tmp_path / "versions" / "1.yaml")
    harbour = diff_policies(old, new)
    (change,) = harbour.changes
    assert (change.kind, change.id, change.status, change.old, change.new) == (
        "protection_unless", "not-traced", "applies", [], ["risk-without-consent"])
    # Exactly the answer sets under which the exception that undoes it is listed (applies or could).
    for i in range(len(harbour.universe)):
        listed = {e["id"] for e in evaluate(new.checker_data, harbour.answers_of(i))["exceptions"]}
        assert bool(change.members >> i & 1) == ("risk-without-consent" in listed)
    # The promise's words are the same: before and after differ by the line on what undoes it ("may not hold": the
    # counsellor's judgement decides whether that case applies).
    condition = next(r for r in new.checker["rules"] if r["id"] == "risk-without-consent")["exception"]["condition"]
    assert change.after["text"] == change.before["text"] + " " + new.checker["wording"]["unless_may"].replace(
        "{condition}", condition)
    assert "protection unless: not-traced: - → risk-without-consent (applies)" in text_report(harbour)
    (report,) = json_report(harbour)["changes"]
    assert (report["kind"], report["old"], report["new"]) == ("protection_unless", [], ["risk-without-consent"])
    page = {p.path: p.markdown for p in render_pages(new)}["what-changed.md"]
    section = page[page.index('<section class="change" data-kind="protection_unless" data-id="not-traced">'):]
    section = section[:section.index("</section>")]
    assert new.data["changes_page"]["kinds"]["protection_unless"] in section
    assert condition in section


# ---- a period in another unit (issue 27) ------------------------------------------------------------------

def test_a_period_in_another_unit_is_a_change_only_when_its_length_differs(tmp_path):
    """Kite Line's chat copy kept "a month" before and "30 days" now: a change, though the words of both are
    right; its counsellors' notes "at least a year" as `months: 12` before and `years: 1` now: the same period."""
    text = KITE.read_text(encoding="utf-8")
    month = text.replace("kept_for: {days: 30, limit: for, words: 30 days}",
                         "kept_for: {months: 1, limit: for, words: a month}").replace("30 days", "a month")
    twelve = text.replace("kept_for: {years: 1, limit: at_least, words: at least a year}",
                          "kept_for: {months: 12, limit: at_least, words: at least a year}")
    assert "30 days" not in month and twelve != text
    (tmp_path / "month.yaml").write_text(month, encoding="utf-8")
    (tmp_path / "twelve.yaml").write_text(twelve, encoding="utf-8")
    changed = diff_policies(*load_pair(tmp_path / "month.yaml", KITE))
    periods = [c for c in changed.changes if c.kind == "record_period"]
    assert [(c.id, c.status, c.old["period"], c.new["period"]) for c in periods] == [
        ("chat-copies", status, {"count": 1, "unit": "months"}, {"count": 30, "unit": "days"})
        for status in ("applies", "would_apply_if")]
    assert "record period: chat-copies: a month → 30 days (applies)" in text_report(changed)
    assert not diff_policies(*load_pair(tmp_path / "twelve.yaml", KITE)).changes


# ---- the translations a change made stale ----------------------------------------------------------------

def test_diff_names_the_translations_a_change_made_stale(tmp_path):
    """Lantern Line with its Welsh and Polish catalogs beside it: a reworded clause is an entry made stale in each
    (fuzzy on the next `translations update`), named by key path at its PO line, in text and JSON; a new text is
    named as one to translate."""
    from generator.source.catalogs import read_catalog
    lantern = EXAMPLES / "lantern-line.yaml"
    (tmp_path / "old").mkdir()
    old = tmp_path / "old" / "lantern-line.yaml"
    shutil.copy(lantern, old)
    new = tmp_path / "lantern-line.yaml"
    text = lantern.read_text(encoding="utf-8")
    assert text.count("except when:") == 1
    new.write_text(text.replace("except when:", "except if:").replace(
        "  promise: ", "  original:\n    language: en-GB\n    statement: The English text counts.\n  promise: ", 1),
        encoding="utf-8")
    (tmp_path / "translations").mkdir()
    for code in ("cy", "pl"):
        shutil.copy(EXAMPLES / "translations" / "lantern-line" / f"{code}.po", tmp_path / "translations")
    context = "sections.our-promise.clauses.conversations-private.text"
    diff = diff_policies(load_policy(old), load_policy(new))
    lines = {code: next(m.lineno for m in read_catalog(tmp_path / "translations" / f"{code}.po")
                        if m.context == context) for code in ("cy", "pl")}
    report = json_report(diff)["translations"]
    assert report == [{"language": code, "file": str(tmp_path / "translations" / f"{code}.po"),
                       "stale": [{"key": context, "line": lines[code]}], "new": ["metadata.original.statement"]}
                      for code in ("cy", "pl")]
    said = text_report(diff)
    for code in ("cy", "pl"):
        po = tmp_path / "translations" / f"{code}.po"
        assert (f"translation {code} ({po}): 1 entry made stale, fuzzy on the next `policy-site translations update "
                f"{code}`; 1 new entry to translate\n  {po}:{lines[code]}: {context}\n"
                "  new: metadata.original.statement\n") in said
    # Nothing beside either file: no translation named.
    from generator.source.diff import stale_translations
    assert stale_translations(load_policy(OLD, read_format_2=True), load_policy(NEW)) == []
