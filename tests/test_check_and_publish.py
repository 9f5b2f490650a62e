"""`policy-site check` beyond errors, and the publishable build, as a person runs them.

- A summary under `readability.min_reading_ease` is a warning, located like an error; check still passes.
- `--strict` makes those warnings errors, and every example value ({value: …, example: true}) too.
- `--publish` refuses every example value; so does `mkdocs build` with the plugin's `publish` option
  (`make publish`), while `make site` builds a site with its placeholders.
- A fact the document does not give ({not_given: true}) is no example value: the sample, whose document gives no
  version nor dates, passes `--publish` and its publish build is the site (issue 27's target).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from harness import POLICY_FILE, ROOT, cli_here, edited_policy
from test_policy_failed_build import lantern, line_of, snapshot  # noqa: F401 (lantern is a fixture)

POLICY_SITE = Path(sys.executable).parent / "policy-site"
EASY_SUMMARY = "        summary: We do not use any technology to find out who is calling.\n"
HARD_SUMMARY = ("        summary: Notwithstanding contractual confidentiality obligations, organisational "
                "information-governance considerations necessitate disclosure.\n")
# The sample gives no version nor dates ({not_given: true}): PLACEHOLDERS puts back the example values it held
# before format 3 (each test of what check says of placeholders runs on that copy). Its placeholders, in file
# order: (key path, what the line of the file holds, value as shown).
PLACEHOLDERS = [
    ("  version: {not_given: true}\n", '  version: {value: "1.0", example: true}\n'),
    ("  effective_date: {not_given: true}\n", '  effective_date: {value: "2026-11-25", example: true}\n'),
    ("  review_date: {not_given: true}\n", '  review_date: {value: "2027-11-25", example: true}\n'
     '  site_url: {value: "https://confidentiality.example.org/", example: true}\n'),
    ("  history: []", '  history:\n    - version: {value: "1.0", example: true}\n      date: {value: "2026-11-25", '
     "example: true}\n      changes: First version published from this source.\n  #"),
    ('  quick_exit_url: "https://www.bbc.co.uk/weather"', '  quick_exit_url: {value: "https://www.bbc.co.uk/weather", '
     "example: true}"),
]
SAMPLE_EXAMPLES = [
    ("metadata.version", '  version: {value: "1.0"', '"1.0"'),
    ("metadata.effective_date", "  effective_date: {value:", '"2026-11-25"'),
    ("metadata.review_date", "  review_date: {value:", '"2027-11-25"'),
    ("metadata.site_url", "  site_url: {value:", '"https://confidentiality.example.org/"'),
    ("metadata.history[0].version", '    - version: {value: "1.0"', '"1.0"'),
    ("metadata.history[0].date", '      date: {value: "2026-11-25"', '"2026-11-25"'),
    ("safety.quick_exit_url", "  quick_exit_url: {value:", '"https://www.bbc.co.uk/weather"'),
]
EXPECTED_PLAIN = "(the organisation's own value, without example: true)"


def check(*args: str) -> subprocess.CompletedProcess:
    """`policy-site check ARGS` from the checkout, through the CLI's main in this process (as the corpus runs it);
    test_publish_refuses_each_example_value_at_its_place runs the real command."""
    return cli_here(["check", *args])


def check_command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(POLICY_SITE), "check", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def with_placeholders(text: str) -> str:
    """The sample's text with the example values put back in place of what its document does not give."""
    for old, new in PLACEHOLDERS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def placeholder_policy(tmp_path: Path) -> Path:
    path = tmp_path / "placeholders.yaml"
    path.write_text(with_placeholders(POLICY_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def example_lines(path: Path) -> list[str]:
    """What check prints for each placeholder of the sample (or a copy of it) at path."""
    lines = []
    for key_path, text, value in SAMPLE_EXAMPLES:
        line = line_of(path, text)
        column = path.read_text(encoding="utf-8").splitlines()[line - 1].index("{") + 1
        lines.append(f"{path}:{line}:{column}: {key_path}: {value} is an example value, not the organisation's "
                     + EXPECTED_PLAIN)
    return lines


def hard_summary_policy(tmp_path: Path, text: str | None = None) -> tuple[Path, str]:
    """The sample with one summary that reads hard; and what check says of it (without "warning: ")."""
    path = tmp_path / "hard.yaml"
    path.write_text(text or with_placeholders(edited_policy(EASY_SUMMARY, HARD_SUMMARY)), encoding="utf-8")
    return path, (f"{path}:{line_of(path, 'Notwithstanding')}:18: sections[0].clauses[5].summary: Flesch reading ease "
                  "-197.1 is under the target of 60 (60 or more: shorter sentences, and shorter words)")


# ---- reading age ---------------------------------------------------------------------------------------

def test_a_summary_under_the_target_is_a_located_warning_and_check_passes(tmp_path):
    path, line = hard_summary_policy(tmp_path)
    result = check(str(path))
    assert result.returncode == 0, result.stderr
    warning = line.replace(": Flesch", ": warning: Flesch", 1)
    # The count follows the warnings on standard error, in the singular for one; the OK line stands alone.
    assert result.stderr.splitlines() == [warning, f"1 warning in {path}"]
    assert result.stdout.startswith(f"{path}: OK — ") and "warning" not in result.stdout


def test_two_warnings_are_counted_in_the_plural_on_standard_error(tmp_path):
    other = "        summary: We may pass on what you tell us if you ask us to, or if you agree to it.\n"
    text = edited_policy(EASY_SUMMARY, HARD_SUMMARY)
    assert text.count(other) == 1
    path, _ = hard_summary_policy(tmp_path, text.replace(other, HARD_SUMMARY))
    result = check(str(path))
    assert result.returncode == 0, result.stderr
    *warnings, summary = result.stderr.splitlines()
    assert len(warnings) == 2 and all(": warning: Flesch reading ease" in w for w in warnings)
    assert summary == f"2 warnings in {path}"


def test_without_a_target_no_summary_is_measured(tmp_path):
    text = edited_policy(EASY_SUMMARY, HARD_SUMMARY)
    target = "readability: {min_reading_ease: 60}\n"
    assert text.count(target) == 1
    path, _ = hard_summary_policy(tmp_path, text.replace(target, ""))
    result = check(str(path))
    assert (result.returncode, result.stderr) == (0, "")


def test_a_target_for_a_language_that_cannot_be_measured_is_a_warning(lantern):
    policy, _ = lantern
    text = policy.read_text(encoding="utf-8")
    assert text.count("  language: en-GB\n") == 1 and "readability:" not in text
    policy.write_text(text.replace("  language: en-GB\n", "  language: cy-GB\n")
                      + "\nreadability: {min_reading_ease: 60}\n", encoding="utf-8")
    result = check(str(policy))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{policy}:{line_of(policy, 'readability:')}:1: readability: warning: the reading ease of text in \"cy-GB\" "
        "cannot be measured (leave readability out for a policy in this language)", f"1 warning in {policy}"]


def test_strict_makes_the_warning_and_every_example_value_an_error(tmp_path):
    path, line = hard_summary_policy(tmp_path)
    result = check("--strict", str(path))
    assert result.returncode == 2 and result.stdout == ""
    examples = example_lines(path)
    # In file order: the placeholders are in the metadata, above the sections.
    assert result.stderr.splitlines() == examples + [line, f"{len(examples) + 1} problems in {path}"]


# ---- placeholders ----------------------------------------------------------------------------------------

def test_publish_refuses_each_example_value_at_its_place(tmp_path):
    path = placeholder_policy(tmp_path)   # the sample has none left (issue 27): its former ones put back
    result = check_command("--publish", str(path))   # the real command, in a process of its own
    assert result.returncode == 2 and result.stdout == ""
    examples = example_lines(path)
    assert result.stderr.splitlines() == examples + [f"{len(examples)} problems in {path}"]


def test_the_sample_passes_publish_with_what_its_document_does_not_give_named():
    """Issue 27's target: Respect's document gives no version nor dates, nor where it keeps copies of emails and
    letters, and its file invents none."""
    result = check_command("--publish", str(POLICY_FILE))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "example value" not in result.stdout
    assert result.stdout.rstrip().endswith("; not given by the document: metadata.version, metadata.effective_date, "
                                           "metadata.review_date, retention[0].where")


def test_not_given_is_refused_where_it_is_no_fact_of_the_document(tmp_path):
    """{not_given: true} is for the document's facts; a history entry, say, must name a version."""
    path = tmp_path / "not-given.yaml"
    path.write_text(edited_policy("  history: []", '  history:\n    - version: {not_given: true}\n'
                                  '      date: "2026-11-25"\n      changes: First.\n  #'), encoding="utf-8")
    result = check(str(path))
    assert result.returncode == 2
    assert f"{path}:{line_of(path, '- version: {not_given')}:" in result.stderr
    assert "metadata.history[0].version" in result.stderr


def test_publish_leaves_a_summary_under_the_target_a_warning(tmp_path):
    path, line = hard_summary_policy(tmp_path)
    result = check("--publish", str(path))
    assert result.returncode == 2
    assert result.stderr.splitlines()[-2:] == [line.replace(": Flesch", ": warning: Flesch", 1),
                                               f"{len(SAMPLE_EXAMPLES)} problems in {path}"]


def test_a_policy_without_example_values_passes_publish_and_strict(lantern):
    policy, _ = lantern
    result = check("--publish", str(policy))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{policy}:{line_of(policy, 'review_date:')}:16: metadata.review_date: \"2032-04-01\" is an example value, "
        f"not the organisation's {EXPECTED_PLAIN}", f"1 problem in {policy}"]
    make_plain(policy)
    for flag in ("--publish", "--strict"):
        result = check(flag, str(policy))
        assert (result.returncode, result.stderr) == (0, ""), flag
        assert "example values to replace" not in result.stdout


def make_plain(policy: Path) -> None:
    """The Lantern example's one placeholder given as the organisation's own value."""
    text = policy.read_text(encoding="utf-8")
    old = 'review_date: {value: "2032-04-01", example: true}'
    assert text.count(old) == 1
    policy.write_text(text.replace(old, 'review_date: "2032-04-01"'), encoding="utf-8")


# ---- the publishable build -------------------------------------------------------------------------------

def mkdocs_build(config: Path, site: Path, publish: bool) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", POLICY_SITE_PUBLISH="true" if publish else "false")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file", str(config),
                           "--site-dir", str(site)], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)


def test_the_publish_build_of_the_sample_with_placeholders_stops_at_each_example_value(tmp_path):
    # The sample itself now publishes (make publish builds it): its former placeholders, put back, are refused.
    config = tmp_path / "mkdocs.yml"
    policy = placeholder_policy(tmp_path)
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "policy/respect-phoneline.yaml", str(policy)).replace("docs_dir: site_src", f"docs_dir: {ROOT / 'site_src'}"),
        encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(config, site, publish=True)
    assert result.returncode != 0
    shown = (result.stdout + result.stderr).splitlines()
    assert f"The policy has {len(SAMPLE_EXAMPLES)} problems:" in " ".join(shown)
    for line in example_lines(policy):
        assert line in shown, line
    assert not site.exists(), "a refused build writes nothing"


def test_the_publish_build_of_a_policy_without_example_values_is_the_site(lantern, tmp_path):
    policy, config = lantern
    refused = mkdocs_build(config, tmp_path / "refused", publish=True)
    assert refused.returncode != 0 and "metadata.review_date: \"2032-04-01\" is an example value" in refused.stderr
    make_plain(policy)
    site = tmp_path / "site"
    result = mkdocs_build(config, site, publish=True)
    assert result.returncode == 0, result.stderr
    assert {"index.html", "policy.html", "about.html", "print-leaflets.html"} <= set(snapshot(site))
    assert len(list((site / "downloads").glob("*.pdf"))) == 4


def test_make_publish_is_make_site_with_the_publish_option():
    def dry_run(target: str) -> list[str]:
        out = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
        return [line for line in out.splitlines() if "mkdocs build" in line or line.startswith(("rm ", "mv "))]
    site, publish = dry_run("site"), dry_run("publish")
    assert [re.sub(r"POLICY_SITE_PUBLISH=\w+ ", "", line) for line in site] == \
           [re.sub(r"POLICY_SITE_PUBLISH=\w+ ", "", line) for line in publish]
    assert any(line.startswith("POLICY_SITE_PUBLISH=false ") for line in site)
    assert any(line.startswith("POLICY_SITE_PUBLISH=true ") for line in publish)
    assert "publish: !ENV [POLICY_SITE_PUBLISH, false]" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
