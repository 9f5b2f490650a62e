"""`policy-site check` on every broken file of tests/policy_corpus/, as a person runs it.

Each case of tests/policy_corpus/corpus.yaml is made (a small edit of the real policy,
or a file of that folder) and checked with the command's own `main` (generator.cli.main, what the
`policy-site` script calls), all in this process: a process for each case was mostly Python starting.
It must exit 2 and print its exact line. The real policy must pass with one line on standard output,
checked with the real command in a process of its own, and one broken file is too, so the script,
its exit code and its streams are tested as a person meets them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from harness import cli_here
from policy_corpus.corpus import HERE, POLICY_FILE, load_cases

CASES = load_cases()
POLICY_SITE = Path(sys.executable).parent / "policy-site"
# file:line:column: key.path: what is wrong (what was expected)
MESSAGE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<path>\S+): (?P<what>.+) \((?P<expected>.+)\)$")


# The project's hand-written pages, whose names the policy's pages must not take (as in the build).
DOCS_DIR = POLICY_FILE.parent.parent / "site_src"


def check(file: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real command, in a process of its own."""
    return subprocess.run([str(POLICY_SITE), "check", file, "--docs-dir", str(DOCS_DIR)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def check_here(file: str, cwd: Path) -> subprocess.CompletedProcess:
    """The same command line through generator.cli.main in this process, from cwd; its exit code and what it
    wrote to each stream, as check() gives them."""
    return cli_here(["check", file, "--docs-dir", str(DOCS_DIR)], cwd)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("corpus")


@pytest.fixture(scope="module")
def results(folder) -> dict[str, tuple[str, subprocess.CompletedProcess]]:
    """Every case made and checked once: (expected line, what the command did) by file name."""
    made = {case.file: case.make(folder) for case in CASES}
    return {case.file: (case.expected_line(made[case.file]), check_here(case.file, folder)) for case in CASES}


def test_the_corpus_covers_at_least_24_broken_files():
    assert len(CASES) >= 24
    assert len({case.file for case in CASES}) == len(CASES), "two cases write the same file"


def test_every_file_in_the_corpus_folder_is_a_case():
    whole_files = {case.file for case in CASES if not case.replace}
    on_disk = {p.name for p in HERE.glob("*.yaml")} - {"corpus.yaml"}
    assert on_disk == whole_files


@pytest.mark.parametrize("file", [case.file for case in CASES])
def test_check_refuses_the_file_with_its_exact_message(results, file):
    expected, result = results[file]
    shown = f"\nexpected: {expected}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    assert result.returncode == 2, shown
    assert result.stdout == "", shown
    assert expected in result.stderr.splitlines(), shown


@pytest.mark.parametrize("file", [case.file for case in CASES])
def test_every_line_names_place_key_path_problem_and_what_was_expected(results, file):
    _, result = results[file]
    *problems, summary = result.stderr.splitlines()
    assert problems, result.stderr
    for line in problems:
        found = MESSAGE.match(line)
        assert found, f"not file:line:column: key.path: what is wrong (what was expected): {line}"
        assert found["file"] == file
    assert summary == (f"1 problem in {file}" if len(problems) == 1 else f"{len(problems)} problems in {file}")


def test_the_broken_invariant_is_reported_by_its_name(results):
    _, result = results["broken-invariant.yaml"]
    assert 'breaks invariant "never-to-perpetrator"' in result.stderr


def test_the_real_command_in_its_own_process_says_what_main_says(results, folder):
    """One broken file through the `policy-site` script itself: the exit code and both streams are main's."""
    _, here = results["yaml-syntax-error.yaml"]
    real = check("yaml-syntax-error.yaml", folder)
    assert (real.returncode, real.stdout, real.stderr) == (here.returncode, here.stdout, here.stderr) == \
        (2, "", here.stderr)


def test_the_real_policy_passes_with_a_one_line_summary():
    result = check(str(POLICY_FILE), POLICY_FILE.parent.parent)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{POLICY_FILE}: OK — ")
    assert "invariants hold over" in lines[0]
