"""A policy that treats every caller alike (issue 27, point 9): no question groups callers, so no caller pages.

Lantern Line (tests/examples/lantern-line.yaml) with its question "role", what refers to it and its caller pages
taken out, built as a site: the checker page explains once, for a caller who has answered nothing; the home page
and the menu have no caller page. Every expectation is computed from the edited YAML and the checker engine.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker import evaluate
from generator.source.policy_model import load_policy
from harness import EXAMPLES, build_site
from test_site_pages import content, parse, text, with_class

ROLE_QUESTION = """    - id: role
      label: Who are you?
      values:
        - value: being_harmed
          label: Someone who looks after me is harming me
        - value: worried_about_someone
          label: I am worried about someone else
        - value: worker
          label: I work with older people
"""
# (old, new): each found exactly once in the Lantern example.
EDITS = [
    (ROLE_QUESTION, ""),
    # Its words for a reader without scripts no longer speak of kinds of caller.
    ("Below is what applies to each kind of caller.", "Below is what applies before you answer."),
    ("You can read what applies to each kind of caller below.", "You can read what applies below."),
    ("static_heading: For each kind of caller", "static_heading: Before you answer"),
    # The protection and the invariants held for callers being harmed: now for every caller.
    ("      when: {role: being_harmed}\n      protection:", "      when: {}\n      protection:"),
    ("      kind: never_shared_with\n      when: {role: being_harmed}\n", "      kind: never_shared_with\n"),
    ("      kind: perpetrator_never_told\n      when: {role: being_harmed}\n", "      kind: perpetrator_never_told\n"),
]


def without_roles(folder: Path) -> Path:
    """The edited Lantern policy and its MkDocs config in folder; returns the config."""
    lantern = (EXAMPLES / "lantern-line.yaml").read_text(encoding="utf-8")
    for old, new in EDITS:
        assert lantern.count(old) == 1, f"the Lantern example no longer has {old!r} once: update this test's edit"
        lantern = lantern.replace(old, new)
    # The caller pages and their words go: nothing is left for them to group.
    lantern = lantern[:lantern.index("\naudience_page:")] + "\n"
    assert "role" not in lantern.replace("role=", ""), "the Lantern example refers to role elsewhere: edit that too"
    (folder / "lantern-line.yaml").write_text(lantern, encoding="utf-8")
    config = (EXAMPLES / "lantern-line-mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: ../../site_src", f"docs_dir: {EXAMPLES.parent.parent / 'site_src'}")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder / "mkdocs.yml"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("no-role")
    config = without_roles(folder)
    return build_site(folder / "site", config), load_policy(folder / "lantern-line.yaml")


def test_the_checker_page_explains_once_for_a_caller_who_has_answered_nothing(site):
    built, policy = site
    page = parse(built, "checker.html")
    (static,) = [s for s in page.iter("section") if s.get("id") == "checker-static"]
    # One block, open: not one folded block per kind of caller.
    assert not with_class(static, "checker-static__role") and not [c for c in static if c.tag == "details"]
    (everyone,) = with_class(static, "checker-static__everyone")
    explanation = evaluate(policy.checker_data, {})
    widget = policy.checker["wording"]["widget"]
    assert text(static).startswith(f"{widget['static_heading']} {widget['static_intro']}")
    # The engine's own explanation for no answers, in a caller page's words: nothing is answered, so not the
    # checker's "From your answers" (a volunteer found it there), and each exception that could apply.
    assert policy.data["wording"]["caller_page"]["headline"][explanation["outcome"]] in text(everyone)
    assert policy.checker["wording"]["outcome"][explanation["outcome"]] not in text(everyone)
    shown = {e.get("data-exception") for e in everyone.iter() if e.get("data-exception")}
    assert shown == {e["id"] for e in explanation["exceptions"]} and shown


def test_no_caller_page_is_built_linked_or_in_the_menu(site):
    built, policy = site
    assert policy.audiences == [] and policy.audiences_by is None
    home = parse(built, "index.html")
    links = [a.get("href") for nav in content(home).iter("nav") for a in nav.iter("a")]
    assert links[0] == "checker.html"
    (primary,) = [n for n in home.iter("nav") if "md-nav--primary" in (n.get("class") or "")]
    menu = list(dict.fromkeys(a.get("href") for a in primary.iter("a") if (a.get("href") or "").endswith(".html")))
    wanted = ["index.html", "checker.html", "policy.html", f"{policy.retention_page['id']}.html",
              "staying-safe-online.html", "print-leaflets.html", "about.html"]
    assert [h for h in menu if h in wanted or not h.startswith(("http", "#"))] == [h for h in wanted
                                                                                  if (built / h).exists()]
    lantern = load_policy(EXAMPLES / "lantern-line.yaml")
    for audience in lantern.audiences:
        assert not (built / f"{audience['id']}.html").exists()
        for html in built.rglob("*.html"):
            assert f"{audience['id']}.html" not in html.read_text(encoding="utf-8"), html.name


def test_what_changed_lists_the_changes_once_for_every_caller_without_caller_pages(tmp_path):
    """Respect's made-up version 1.1 against 1.0, its caller pages left out: "What changed" has no section per
    caller page, and lists every change that those pages listed, once."""
    import re
    from generator.pages.render import render_pages
    folder = tmp_path / "p"
    shutil.copytree(EXAMPLES / "respect-1.1", folder)
    with_pages = load_policy(folder / "respect-phoneline.yaml")
    text_with = (folder / "respect-phoneline.yaml").read_text(encoding="utf-8")
    start, end = text_with.index("\naudience_page:"), text_with.index("\nchanges_page:")
    assert text_with.index("\naudiences:") > end, "the example's keys moved: update this test's edit"
    (folder / "respect-phoneline.yaml").write_text(text_with[:start] + text_with[end:text_with.index("\naudiences:")]
                                                   + "\n", encoding="utf-8")
    without = load_policy(folder / "respect-phoneline.yaml")
    assert without.audiences == [] and without.audiences_by == "role"

    def changes(policy) -> str:
        return {p.path: p.markdown for p in render_pages(policy)}["what-changed.md"]
    before, after = changes(with_pages), changes(without)
    section = r'<section class="change" data-kind="[^"]+" data-id="([^"]+)"'
    listed, once = set(re.findall(section, before)), re.findall(section, after)
    assert listed and set(once) >= listed and len(once) == len(set(once))
    assert 'data-audience="' in before and 'data-audience="' not in after
    assert not re.search(r"\{: #for-", after)
