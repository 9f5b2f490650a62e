"""Made-up helplines (tests/examples/) check and build: nothing about Respect is hard-wired.

Lantern Line, Nightjar and Kite Line share no words, question ids or recipients with the Respect
Phoneline's policy. Each site must show its own clauses, and no page, data file or leaflet may
carry anything of Respect's.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.source.yaml_source import normalise_space
from harness import EXAMPLE_NAMES, EXAMPLES, INVARIANTS_PROBE
from test_policy_fidelity import SENTENCES as RESPECT_SENTENCES, page_text

EXAMPLE_POLICY = EXAMPLES / "lantern-line.yaml"
EXAMPLE_CONFIG = EXAMPLES / "lantern-line-mkdocs.yml"
POLICY_SITE = Path(sys.executable).parent / "policy-site"
# What `policy-site check` counts in each example.
COUNTS = {
    "lantern-line": "3 sections, 6 clauses, 5 questions, 6 rules",
    "nightjar": "3 sections, 14 clauses, 6 questions, 10 rules",
    "kite-line": "5 sections, 14 clauses, 7 questions, 15 rules",
    # Issue 27's proof, written from policy/README.md alone: a crisis line (judgement, agreement first, without
    # consent but with knowledge, nothing stated about records) and a text service (consent only, no date or
    # version, no kinds of caller).
    "harbour-crisis-line": "4 sections, 13 clauses, 3 questions, 10 rules",
    "lighthouse-text": "3 sections, 9 clauses, 1 question, 7 rules",
    # Issue 27's held-out check: a domestic-abuse helpline's statement, written by a volunteer from the README
    # alone; what they had to bend was given a form, and this file uses it.
    "cedar-helpline": "3 sections, 14 clauses, 6 questions, 14 rules",
}

# What would show Respect's policy leaking into another helpline's site: its names, its
# question ids and recipients (which reach the checker's data), and every sentence of its
# document long enough not to occur by chance.
RESPECT_MARKS = ["Respect Phoneline", "Phoneline", "experiencing_abuse", "worried_about_own_behaviour",
                 "risk_from_caller", "ex_partner", "child_or_vulnerable_adult_at_risk", "crimereduction"]
RESPECT_LONG_SENTENCES = [s for s in RESPECT_SENTENCES if len(s.split()) >= 5]
# Files the build makes from the policy; Pyodide's runtime and the theme's bundles are not.
MADE_FROM_THE_POLICY = ("*.html", "*.xml", "search/*.json", "assets/checker/*.json", "assets/checker/*.mjs",
                        "_headers", "nginx.conf")


@pytest.fixture(scope="module", params=EXAMPLE_NAMES)
def name(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def example(name):
    from generator.source.policy_model import load_policy
    return load_policy(EXAMPLES / f"{name}.yaml")


@pytest.fixture(scope="module")
def site(name, example_site):
    return example_site(name)


def test_every_example_in_the_folder_is_tested_and_has_its_config():
    """Every site in the folder; the invariants' probe beside them is no site (tests/test_checker_invariants.py
    checks it)."""
    examples = sorted(p.stem for p in EXAMPLES.glob("*.yaml") if p != INVARIANTS_PROBE)
    assert INVARIANTS_PROBE.is_file() and examples == sorted(EXAMPLE_NAMES) == sorted(COUNTS)
    assert sorted(p.name for p in EXAMPLES.glob("*.yml")) == sorted(f"{n}-mkdocs.yml" for n in EXAMPLE_NAMES)


def test_the_example_policy_passes_policy_site_check(name):
    path = EXAMPLES / f"{name}.yaml"
    result = subprocess.run([str(POLICY_SITE), "check", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{path}: OK — {COUNTS[name]}; ")


def test_the_example_shares_no_ids_with_the_respect_policy(example, policy):
    # Otherwise the site below could pass by showing what code wrote for Respect's ids.
    def ids(p):
        checker = p.checker
        return ({c for c in p.clauses} | {s["id"] for s in p.sections} | {q["id"] for q in checker["questions"]
                if q["id"] != "role"} | {r["id"] for r in checker["recipients"]} | {r["id"] for r in checker["rules"]}
                | {r["id"] for r in p.retention} | {a["id"] for a in p.audiences})
    assert not ids(example) & ids(policy)


def test_the_example_site_shows_its_own_clauses_in_order(site, example):
    html = (site / "policy.html").read_text(encoding="utf-8")
    text = page_text(html)
    position = 0
    for clause_id, clause in example.clauses.items():
        assert f'id="{clause_id}"' in html
        found = text.find(normalise_space(clause["text"]), position)
        assert found != -1, f"clause {clause_id} is not on the example's policy page in order: {clause['text']}"
        position = found
    assert example.metadata["title"] in text
    assert example.value("metadata", "organisation") in text


def test_the_example_site_has_a_page_for_each_of_its_audiences(site, example):
    for audience in example.audiences:
        page = site / f"{audience['id']}.html"
        assert audience["title"] in page_text(page.read_text(encoding="utf-8"))


def test_no_file_made_from_the_policy_carries_anything_of_respect(site):
    files = sorted({f for pattern in MADE_FROM_THE_POLICY for f in site.glob(pattern) if f.is_file()})
    assert len(files) >= 10, [str(f) for f in files]
    for file in files:
        text = normalise_space(file.read_text(encoding="utf-8"))
        for mark in RESPECT_MARKS:
            assert mark not in text, f"{file.relative_to(site)} holds {mark!r}"
        assert not re.search(r"\bRespect\b", text), f"{file.relative_to(site)} names Respect"
        for sentence in RESPECT_LONG_SENTENCES:
            assert sentence not in text, f"{file.relative_to(site)} holds Respect's words: {sentence}"


def test_no_leaflet_of_the_example_carries_anything_of_respect(site, example):
    from pypdf import PdfReader
    leaflets = sorted((site / "downloads").glob("*.pdf"))
    assert len(leaflets) == (4 if "leaflet" in example.data else 0)   # a policy may print none (no leaflet block)
    for leaflet in leaflets:
        text = normalise_space(" ".join(page.extract_text() or "" for page in PdfReader(leaflet).pages))
        assert not re.search(r"\bRespect\b|Phoneline", text), f"{leaflet.name} names Respect"
        assert example.metadata["service"] in text, f"{leaflet.name} does not carry the example's own words"


def test_the_examples_caller_pages_and_home_page_link_its_records_in_its_own_words(site, example):
    # Each example that keeps something leads every caller page to its records; one whose policy says nothing of
    # records (retention: not_stated) says so on its home page instead (tests/test_retention.py: no page, no link).
    words = example.retention_page
    home = (site / "index.html").read_text(encoding="utf-8")
    if words is None:
        assert example.data["wording"]["home_page"]["retention_not_stated"] in page_text(home)
        return
    page = f"{words['id']}.html"
    if example.audiences:   # without caller pages there is no sentence to lead to the records (nor is one needed)
        before, rest = words["caller_prompt"].split("[", 1)
        link_words, after = rest.split("]", 1)
        sentence = f'<p class="overview__records">{before}<a href="{page}">{link_words}</a>{after}</p>'
        linked = [a["id"] for a in example.audiences
                  if sentence in (site / f"{a['id']}.html").read_text(encoding="utf-8")]
        assert linked == [a["id"] for a in example.audiences], f"caller pages that link the records with: {sentence}"
    assert f'<a href="{page}">{words["short_title"] or words["title"]}</a>' in home


def test_lantern_lines_one_placeholder_is_marked_and_its_real_values_are_not(example_site):
    from generator.source.policy_model import load_policy
    from pypdf import PdfReader
    example, site = load_policy(EXAMPLE_POLICY), example_site("lantern-line")
    mark = example.data["wording"]["example_mark"]
    assert example.examples() == ["metadata.review_date"]
    about = page_text((site / "about.html").read_text(encoding="utf-8"))
    assert about.count(mark) == 2, "the review date is marked, and the note says what the mark means"
    for name in ("policy.html", "print-leaflets.html"):   # its version and dates are real: no mark
        assert mark not in page_text((site / name).read_text(encoding="utf-8")), name
    for leaflet in sorted((site / "downloads").glob("*.pdf")):
        text = " ".join(page.extract_text() or "" for page in PdfReader(leaflet).pages)
        assert mark not in text, leaflet.name
