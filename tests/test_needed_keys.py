"""Keys needed only where something shows them (issue 27): a policy written from policy/README.md has no words that
no reader meets, and `check` and the build agree on which keys a policy needs (generator/source/policy_checks.py,
NEEDED).

Each key is taken out of a made-up example that does not show it (check and the build take it) and out of one that
does (check and the build refuse it, in the same words, naming the file, the line, what is missing and why this
policy needs it). The examples' files are read and written as data: the lines of an edited copy are its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from checker import evaluate
from generator.source.policy_checks import NEEDED
from generator.source.policy_model import load_policy
from generator.source.yaml_source import format_path, parse
from harness import EXAMPLES, ROOT, build_site, cli_here

LEAFLET_QR = [("leaflet", "online_heading"), ("leaflet", "online_text"), ("leaflet", "qr_alt")]
# What each proof example leaves out, since nothing of it shows the key: no discreet cover, no footnotes, no
# site_url (so no QR code); Lighthouse Text has no caller pages, and keeps the texter's number whatever they answer.
LEFT_OUT = {
    "harbour-crisis-line": [("leaflet", "discreet_cover"), ("leaflet", "notes_heading"), *LEAFLET_QR],
    "lighthouse-text": [("leaflet", "discreet_cover"), ("leaflet", "notes_heading"), *LEAFLET_QR,
                        ("retention_page", "caller_prompt"), ("retention", 0, "when")],
}
# For each key of NEEDED, an example that shows it, so that leaving it out is refused.
SHOWN_BY = {
    ("retention_page",): "lighthouse-text",
    ("retention_page", "caller_prompt"): "kite-line",
    ("checker", "wording", "records_not_stated"): "harbour-crisis-line",
    ("checker", "date_format"): "kite-line",
    ("checker", "month_names"): "kite-line",
    ("leaflet", "cover_title"): "harbour-crisis-line",
    ("leaflet", "discreet_cover"): "kite-line",
    ("leaflet", "notes_heading"): "kite-line",
    ("leaflet", "retention_heading"): "kite-line",
    ("leaflet", "retention_columns"): "kite-line",
    ("leaflet", "online_heading"): "kite-line",
    ("leaflet", "online_text"): "kite-line",
    ("leaflet", "qr_alt"): "kite-line",
    ("changes_page", "caller_prompt"): "respect-1.1",
}


def example_file(name: str) -> Path:
    return EXAMPLES / name / "respect-phoneline.yaml" if name == "respect-1.1" else EXAMPLES / f"{name}.yaml"


def without(name: str, folder: Path, *paths: tuple) -> Path:
    """A copy of the example in folder (with its kept versions), each key path taken out of its data."""
    source = example_file(name)
    if (source.parent / "versions").is_dir() and source.parent != EXAMPLES:
        shutil.copytree(source.parent / "versions", folder / "versions")
    data, _ = parse(source)
    for path in paths:
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        del parent[path[-1]]
    copy = folder / source.name
    copy.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return copy


def site_config(folder: Path, policy: Path, name: str) -> Path:
    """The example's mkdocs.yml beside the copy of its policy, its paths made absolute."""
    config = (EXAMPLES / f"{name}-mkdocs.yml").read_text(encoding="utf-8").replace("../../", f"{ROOT}/")
    config = config.replace(f"policy_file: {name}.yaml", f"policy_file: {policy}")
    assert str(policy) in config, f"{name}-mkdocs.yml names its policy otherwise: update this test"
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder / "mkdocs.yml"


def test_every_key_needed_only_somewhere_is_tried_here():
    assert set(SHOWN_BY) == {n.block + (n.key,) for n in NEEDED}


@pytest.mark.parametrize("name", sorted(LEFT_OUT))
def test_a_proof_example_leaves_out_what_nothing_shows_and_check_and_the_build_take_it(name, example_site):
    data, _ = parse(example_file(name))
    for path in LEFT_OUT[name]:
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        assert path[-1] not in parent, f"{name} has {format_path(path)}: nothing shows it"
    policy = load_policy(example_file(name))
    assert [n.key for n in NEEDED if n.block + (n.key,) in LEFT_OUT[name] and n.why(policy.data)] == []
    check = cli_here(["check", str(example_file(name))])
    assert (check.returncode, check.stderr) == (0, ""), check.stderr
    site = example_site(name)
    assert len(list((site / "downloads").glob("*.pdf"))) == 4 and (site / "print-leaflets.html").is_file()
    if name == "lighthouse-text":
        # The entry with no `when` is kept for every texter: it applies before any answer.
        assert [(r["id"], r["status"]) for r in evaluate(policy.checker_data, {})["records"]] == \
               [("mobile-number", "applies")]
        assert (site / f"{policy.retention_page['id']}.html").is_file()


def test_a_policy_that_writes_out_no_date_needs_no_date_format(tmp_path):
    """Harbour Crisis Line gives no date, asks for none and, without its leaflets, prints none."""
    policy = without("harbour-crisis-line", tmp_path, ("leaflet",), ("checker", "date_format"),
                     ("checker", "month_names"))
    check = cli_here(["check", str(policy)])
    assert (check.returncode, check.stderr) == (0, ""), check.stderr
    site = build_site(tmp_path / "site", site_config(tmp_path, policy, "harbour-crisis-line"))
    assert (site / "about.html").is_file() and (site / "checker.html").is_file()
    assert not (site / "print-leaflets.html").exists()


@pytest.mark.parametrize("path", sorted(SHOWN_BY), ids=format_path)
def test_a_key_the_policy_shows_is_refused_when_left_out_saying_why(path, tmp_path):
    policy = without(SHOWN_BY[path], tmp_path, path)
    check = cli_here(["check", str(policy)])
    assert check.returncode == 2
    *problems, summary = check.stderr.splitlines()
    (needed,) = [n for n in NEEDED if n.block + (n.key,) == path]
    (line,) = [p for p in problems if f'missing key "{needed.key}"' in p]
    line_number = parse(policy)[1].locate(needed.block, key=True)[0]
    where = format_path(needed.block) or "(top)"
    assert line.startswith(f"{policy}:{line_number}:") and f": {where}: missing key " in line, line
    # What is missing, why this policy needs it, and what to write.
    why = needed.why(load_policy(example_file(SHOWN_BY[path])).data)
    assert f'missing key "{needed.key}": {why} (add "{needed.key}:" ' in line, line


def test_check_and_the_build_refuse_the_keys_a_policy_shows_in_the_same_words(tmp_path):
    """Kite Line without every key of NEEDED that it shows: the build prints each line check prints, and writes
    nothing."""
    taken = [path for path, name in SHOWN_BY.items() if name == "kite-line"]
    policy = without("kite-line", tmp_path, *taken)
    check = cli_here(["check", str(policy)])
    assert check.returncode == 2
    *problems, summary = check.stderr.splitlines()
    assert summary == f"{len(taken)} problems in {policy}"
    assert sorted(p.split('missing key "')[1].split('"')[0] for p in problems) == sorted(p[-1] for p in taken)
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                            str(site_config(tmp_path, policy, "kite-line")), "--site-dir", str(tmp_path / "site")],
                           cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
                           timeout=300)
    assert built.returncode != 0
    shown = (built.stdout + built.stderr).splitlines()
    assert all(line in shown for line in problems), built.stdout + built.stderr
    assert not (tmp_path / "site").exists()
