"""`policy-site upgrade`: a format-2 policy file brought to format 3 by editing its text, as a person runs it.

The format-2 file is the made-up Respect 1.0 kept beside version 1.1 (tests/examples/respect-1.1/versions/1.0.yaml):
it stays format 2 on purpose, so that the site's "What changed" page and `diff` read it through the same edits
(tests/test_example_sites.py builds that site)."""

from __future__ import annotations

import difflib
import shutil

import pytest

from generator.source.policy_model import load_policy
from generator.source.upgrade import UpgradeError, guessed_strength, upgraded
from harness import EXAMPLES, cli_here

KEPT = EXAMPLES / "respect-1.1" / "versions" / "1.0.yaml"


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """(lines taken out, lines added)."""
    diff = list(difflib.ndiff(old.splitlines(), new.splitlines()))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def test_the_upgrade_edits_only_what_format_3_changes_and_keeps_every_comment():
    old = KEPT.read_text(encoding="utf-8")
    assert "\nformat: 2\n" in old
    new, said = upgraded(old)
    taken_out, added = changed_lines(old, new)
    # The letters' counted_from had no months to count: format 3 refuses it, the upgrade takes it out.
    assert taken_out == ["format: 2", "    counted_from: contact_date", "    exceptions_heading: When it could be passed on",
                         '    quote_intro: "The policy says:"']
    strengths = [line.strip() for line in added if "strength:" in line]
    assert added[0] == "format: 3" and len(strengths) == 8 and len(added) == 1 + 8 + 7
    # Every guess is an example value, which check --publish refuses until a person confirms it.
    assert all(s.endswith(", example: true}") for s in strengths)
    # The words format 3 asks for, in English: the one-line answer's for "must" and for someone not named, and
    # the lead of a "must" exception's recipients, and the sentence of an exception that promises nothing beside
    # those that promise to tell first.
    assert [line.strip().split(":")[0] for line in added[1:8]] == [
        "will_be_shared", "will_share_with", "will_nobody_named", "will_and_could", "unnamed", "will_share_with",
        "not_stated"]
    assert added[6] == '    will_share_with: "It will be passed to:"'   # checker.wording's, beside its shared_with
    assert [line for line in old.splitlines() if line.lstrip().startswith("#")] == \
           [line for line in new.splitlines() if line.lstrip().startswith("#")]
    assert said[0] == "format: 2 → format: 3" and len(said) == 1 + 1 + 2 + 7 + 8
    assert said[1] == ("retention[2] (original-letters): counted_from taken out: with no months nothing is counted "
                       "from it, and it read as kept from that moment on")
    counted = {r["id"]: r["counted_from"] for r in load_policy(KEPT, new.encode("utf-8")).retention}
    assert counted == {"copies-and-responses": {"question": "contact_date", "event": None},
                       "electronic-responses-to-letters": {"question": "contact_date", "event": None},
                       "original-letters": None}
    assert 'checker.rules[10] (concern-for-safety): strength must, from "duty": confirm it' in "\n".join(said)
    # The result is a format-3 policy as it stands; upgrading it again changes nothing.
    policy = load_policy(KEPT, new.encode("utf-8"))
    assert policy.data["format"] == 3 and len(policy.examples()) > 8
    assert upgraded(new) == (new, [])


def test_a_kept_format_2_version_is_read_through_the_upgrade_but_a_current_file_is_not():
    kept = load_policy(KEPT, read_format_2=True)
    assert kept.value("metadata", "version") == "1.0"
    rules = {r["id"]: r for r in kept.data["checker"]["rules"]}
    assert rules["concern-for-safety"]["exception"]["strength"] == "must"
    assert rules["child-or-vulnerable-adult"]["exception"]["strength"] == "may"
    result = cli_here(["check", str(KEPT)])
    assert result.returncode == 2
    assert "format: format 2 is the previous form of this file (format: 3: run `policy-site upgrade" in result.stderr


def test_diff_reads_a_format_2_file_on_either_side():
    result = cli_here(["diff", str(KEPT), str(EXAMPLES / "respect-1.1" / "respect-phoneline.yaml")])
    assert result.returncode == 1, result.stderr
    assert "serious-crime" in result.stdout


def test_the_command_upgrades_in_place_and_says_what_to_confirm(tmp_path):
    path = tmp_path / "policy.yaml"
    shutil.copy(KEPT, path)
    before = path.read_text(encoding="utf-8")
    dry = cli_here(["upgrade", "--dry-run", str(path)])
    assert dry.returncode == 0 and dry.stdout.startswith(f"Would change {path}: 19 changes\n")
    assert path.read_text(encoding="utf-8") == before
    result = cli_here(["upgrade", str(path)])
    assert result.returncode == 0 and result.stdout.startswith(f"Changed {path}: 19 changes\n  format: 2 → format: 3\n")
    assert result.stdout.endswith(f"Then: confirm each strength against its clause (`policy-site check --publish "
                                  f"{path}` lists them until you do).\n")
    assert path.read_text(encoding="utf-8") == upgraded(before)[0]
    # Each guess is listed by --publish at its own line until a person writes it plainly.
    published = cli_here(["check", "--publish", str(path)])
    strength_lines = [line for line in published.stderr.splitlines() if ".exception.strength:" in line]
    assert len(strength_lines) == 8, published.stderr
    line = path.read_text(encoding="utf-8").splitlines().index("        strength: {value: may, example: true}") + 1
    assert f"{path}:{line}:" in published.stderr
    again = cli_here(["upgrade", str(path)])
    assert (again.returncode, again.stdout) == (0, f"{path} is format 3 already: nothing to change\n")


@pytest.mark.parametrize(("text", "message"), [
    ("format: 1\nmetadata: {}\n", "format: 1 cannot be upgraded; only format 2 can"),
    ("- a list\n", "the file is not a policy"),
    ("format: [2\n", "the file is not valid YAML, so it cannot be upgraded"),
])
def test_what_cannot_be_upgraded_is_refused_and_left_as_it_was(tmp_path, text, message):
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UpgradeError, match=message.replace("(", r"\(")):
        upgraded(text)
    result = cli_here(["upgrade", str(path)])
    assert result.returncode == 2 and f"Error: {path}: {message}" in result.stderr
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(("quotes", "expected"), [
    (["we will share that information"], ("must", '"will"')),
    (["they have a duty not to keep confidential those concerns"], ("must", '"duty"')),
    (["we may pass it on", "we will always tell you"], ("may", '"may"')),          # the first quote with a verb
    (["If you are concerned", "we can refer you"], ("may", '"can"')),
    (["we reserve the right to pass this on; we will tell you"], ("reserves_right", '"reserve the right"')),
    (["a caller tells us of a plan"], ("must", "no verb that says how sure it is: the stronger")),
])
def test_the_strength_is_guessed_from_the_first_verb_that_says_how_sure(quotes, expected):
    assert guessed_strength(quotes) == expected


def test_a_flow_style_exception_gets_its_strength_inside_the_braces():
    text = KEPT.read_text(encoding="utf-8")
    block = text[text.index("      exception:\n        condition: you ask us"):]
    block = block[:block.index("      says:")]
    flow = "      exception: {condition: you ask us to pass on what you tell us, or you agree that we can, " \
           "shared_with: [as_you_asked], telling: not_stated}\n"
    new, _ = upgraded(text.replace(block, flow))
    assert "      exception: {strength: {value: must, example: true}, condition: you ask us" in new
