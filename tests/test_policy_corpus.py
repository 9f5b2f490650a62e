"""`policy-site check` on every broken file of tests/policy_corpus/, as a person runs it.

Each case of tests/policy_corpus/corpus.yaml is made (a small edit of the real policy,
or a file of that folder) and checked with the real command; it must exit 2 and print
its exact line. The real policy must pass with one line on standard output.
"""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from policy_corpus.corpus import HERE, POLICY_FILE, load_cases

CASES = load_cases()
POLICY_SITE = Path(sys.executable).parent / "policy-site"
# file:line:column: key.path: what is wrong (what was expected)
MESSAGE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<path>\S+): (?P<what>.+) \((?P<expected>.+)\)$")


# The project's hand-written pages, whose names the policy's pages must not take (as in the build).
DOCS_DIR = POLICY_FILE.parent.parent / "site_src"


def check(file: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(POLICY_SITE), "check", file, "--docs-dir", str(DOCS_DIR)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, tuple[str, subprocess.CompletedProcess]]:
    """Every case made and checked once: (expected line, what the command did) by file name."""
    folder = tmp_path_factory.mktemp("corpus")
    made = {case.file: case.make(folder) for case in CASES}
    # Two at a time: each run is mostly Python starting up; the machine has two cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = {case.file: pool.submit(check, case.file, folder) for case in CASES}
    return {case.file: (case.expected_line(made[case.file]), runs[case.file].result()) for case in CASES}


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
    assert summary == f"{len(problems)} problem(s) in {file}"


def test_the_broken_invariant_is_reported_by_its_name(results):
    _, result = results["broken-invariant.yaml"]
    assert 'breaks invariant "never-to-perpetrator"' in result.stderr


def test_the_real_policy_passes_with_a_one_line_summary():
    result = check(str(POLICY_FILE), POLICY_FILE.parent.parent)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{POLICY_FILE}: OK — ")
    assert "invariants hold over" in lines[0]
