"""A broken policy writes nothing: the last good site stays as it was, and no checker data is made.

The site is the made-up Lantern Line's (tests/examples/), built from a copy of its policy in
a temporary folder: first as it is, then after an edit breaks it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import ROOT, build_site
from test_policy_example import EXAMPLE_CONFIG, EXAMPLE_POLICY

POLICY_SITE = Path(sys.executable).parent / "policy-site"
GOOD_REVIEW = 'review_date: {value: "2032-04-01", example: true}'
BAD_REVIEW = 'review_date: {value: "2030-04-01", example: true}'


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under folder: (modification time, SHA-256)."""
    return {str(f.relative_to(folder)): (f.stat().st_mtime_ns, hashlib.sha256(f.read_bytes()).hexdigest())
            for f in sorted(folder.rglob("*")) if f.is_file()}


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.fixture
def lantern(tmp_path) -> tuple[Path, Path]:
    """(policy, mkdocs config) in tmp_path: the example's, with its paths made absolute."""
    policy = tmp_path / "lantern-line.yaml"
    policy.write_text(EXAMPLE_POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    config = EXAMPLE_CONFIG.read_text(encoding="utf-8").replace("../../", f"{ROOT}/")
    config = config.replace("policy_file: lantern-line.yaml", f"policy_file: {policy}")
    assert str(policy) in config and f"{ROOT}/site_src" in config
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    return policy, tmp_path / "mkdocs.yml"


def break_review_date(policy: Path) -> str:
    """Put the review date before the effective date; return the line check prints for it."""
    text = policy.read_text(encoding="utf-8")
    assert text.count(GOOD_REVIEW) == 1
    policy.write_text(text.replace(GOOD_REVIEW, BAD_REVIEW), encoding="utf-8")
    return (f"{policy}:{line_of(policy, BAD_REVIEW)}:24: metadata.review_date.value: the review date 2030-04-01 "
            f"is not after the effective date 2031-04-01 (a review date later than the effective date)")


def test_a_failed_build_leaves_the_last_good_site_untouched(lantern, tmp_path):
    policy, config = lantern
    site = build_site(tmp_path / "site", config)
    before = snapshot(site)
    assert "policy.html" in before and len(before) > 20

    message = break_review_date(policy)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
                             "--site-dir", str(site)], cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), timeout=300)
    assert result.returncode != 0
    assert message in (result.stdout + result.stderr).splitlines(), result.stdout + result.stderr
    assert snapshot(site) == before


@pytest.mark.parametrize("existing", [False, True], ids=["no_file_is_created", "an_existing_file_is_left_as_it_was"])
def test_checker_data_writes_nothing_for_a_broken_policy(lantern, tmp_path, existing):
    policy, _ = lantern
    message = break_review_date(policy)
    output = tmp_path / "checker-data.json"
    if existing:
        output.write_text("the last good data\n", encoding="utf-8")
    result = subprocess.run([str(POLICY_SITE), "checker-data", "--policy", str(policy), "-o", str(output)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert message in result.stderr.splitlines()
    if existing:
        assert output.read_text(encoding="utf-8") == "the last good data\n"
    else:
        assert not output.exists()


def test_checker_data_writes_nothing_for_a_policy_that_breaks_an_invariant(lantern, tmp_path):
    policy, _ = lantern
    text = policy.read_text(encoding="utf-8")
    # The emergency services exception would now also tell the person harming a caller who is being harmed.
    text = text.replace("shared_with: [emergency_services]", "shared_with: [emergency_services, person_harming_you]")
    policy.write_text(text, encoding="utf-8")
    output = tmp_path / "checker-data.json"
    result = subprocess.run([str(POLICY_SITE), "checker-data", "--policy", str(policy), "-o", str(output)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert 'breaks invariant "never-to-the-person-harming"' in result.stderr
    assert not output.exists()
