"""A helpline's new site as a volunteer makes it: `policy-site new`, their own policy written over the starter's,
then `policy-site check` and `mkdocs build --strict` in that folder, with no edit of mkdocs.yml.

Their policy is Kite Line's (tests/examples/kite-line.yaml: caller pages and a retention page named unlike the
starter's) without its optional blocks and keys: no `leaflet`, no `readability`, no short titles, no tab title,
description or discreet cover, a contact with a phone number only. `check` and the build take it alike; every page
of the policy is in the menu, in the policy's order, then the helpline's own page from docs/; the site has no
leaflets and no page for them. A block the policy does need is refused by both, with the same lines, naming the
file as mkdocs.yml gives it. The builds are the checkout's generator, its run cache warm from the other builds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.source import page_names
from generator.source.policy_model import load_policy
from harness import EXAMPLES, ROOT
from test_site_pages import parse, text

BIN = Path(sys.executable).parent
STARTER_POLICY = ROOT / "generator" / "starter" / "policy.yaml"
# Each optional key taken out of Kite Line's policy: (text, found once, and what it becomes).
LEFT_OUT = [
    ("    email: null\n", ""),
    ("    website: https://kite.example.net/\n", ""),
    ("  tab_title: Kite\n", ""),
    ("  description: Someone to talk to.\n", ""),
    ("  discreet_leaflet_cover: true\n", ""),
    ("  short_title: What we keep\n", ""),
    ("    short_title: Something happening to you\n", ""),
    ("    short_title: Worried about someone\n", ""),
    ("  caption: *kept\n", "  caption: What we keep after you talk to us\n"),   # its anchor is in `leaflet`
]
OWN_PAGE = "volunteering.md"


def without_blocks(text_: str, *keys: str) -> str:
    """The policy's text without the named top-level blocks (a key at the start of a line, to the next one)."""
    kept, skipping = [], False
    for line in text_.splitlines(keepends=True):
        if line[:1].isalpha():
            skipping = line.split(":")[0] in keys
        if not skipping:
            kept.append(line)
    return "".join(kept)


def sparse_kite_line() -> str:
    text_ = (EXAMPLES / "kite-line.yaml").read_text(encoding="utf-8")
    for old, new in LEFT_OUT:
        assert text_.count(old) == 1, f"kite-line.yaml no longer has {old!r} once: update this test"
        text_ = text_.replace(old, new)
    return without_blocks(text_, "leaflet", "readability")


def run(folder: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=folder, capture_output=True, text=True,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), timeout=600)


def build(folder: Path) -> subprocess.CompletedProcess:
    return run(folder, "mkdocs", "build", "--strict")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    """The new site's folder, what `new` said, and what check and the build did with the sparse Kite Line."""
    folder = tmp_path_factory.mktemp("new-site") / "kite"
    new = run(folder.parent, "policy-site", "new", str(folder))
    config = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    (folder / "policy" / "policy.yaml").write_text(sparse_kite_line(), encoding="utf-8")
    (folder / "docs" / OWN_PAGE).write_text("# Volunteering with us\n\nA page of the helpline's own.\n",
                                            encoding="utf-8")
    return {"folder": folder, "new": new, "config": config, "check": run(folder, "policy-site", "check"),
            "build": build(folder), "policy": load_policy(folder / "policy" / "policy.yaml")}


def menu_links(site: Path) -> list[tuple[str, str]]:
    """(href, label) of each page in the primary navigation, in order, once each."""
    (primary,) = [n for n in parse(site, "index.html").iter("nav") if "md-nav--primary" in (n.get("class") or "")]
    seen: dict[str, str] = {}
    for a in primary.iter("a"):
        href = a.get("href") or ""
        if href.endswith(".html") and href not in seen:
            seen[href] = text(a)
    return list(seen.items())


def html(path: str) -> str:
    return path.removesuffix(".md") + ".html"


def test_new_writes_the_starter_policys_service_as_mkdocs_site_name_and_no_menu(made):
    assert made["new"].returncode == 0, made["new"].stderr
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda loader_, suffix, node: None)   # !ENV
    config = yaml.load(made["config"], Loader=loader)
    service = yaml.safe_load(STARTER_POLICY.read_text(encoding="utf-8"))["metadata"]["service"]
    assert config["site_name"] == service == "Example Helpline"   # MkDocs needs one; the build does not use it
    assert "nav" not in config


def test_the_site_is_named_after_the_policy_written_into_it_not_the_starters(made):
    """The volunteer edited only the policy: every page's header, menu title and tab title name their service,
    and the build's log says that mkdocs.yml's site_name (still the starter's) is not used."""
    built, site = made["build"], made["folder"] / "site"
    assert built.returncode == 0, built.stdout + built.stderr
    service = made["policy"].metadata["service"]
    assert service == "Kite Line"
    pages = sorted(p.name for p in site.glob("*.html"))
    assert {"index.html", "policy.html", "checker.html", "404.html"} <= set(pages)
    for name in pages:
        tree = parse(site, name)
        (title,) = [text(t) for t in tree.iter("title")]
        assert title == service or title.endswith(f" - {service}"), (name, title)
        # The header's first topic is the site's name (the second, the page's title as one scrolls).
        topic = next(e for e in tree.iter() if "md-header__topic" in (e.get("class") or "").split())
        assert text(topic) == service, name
        assert "Example Helpline" not in (site / name).read_text(encoding="utf-8"), name
    assert "mkdocs.yml's 'Example Helpline' is not used" in built.stderr


def test_check_and_the_build_both_take_a_policy_without_its_optional_blocks(made):
    check, built = made["check"], made["build"]
    assert (check.returncode, check.stderr) == (0, ""), check.stderr
    assert check.stdout.startswith("policy/policy.yaml: OK — ")
    assert built.returncode == 0, built.stdout + built.stderr
    site = made["folder"] / "site"
    # No `leaflet:` block: no leaflets, no page for them, no link to it.
    assert not (site / "print-leaflets.html").exists() and not (site / "downloads").exists()
    assert "print-leaflets" not in (site / "about.html").read_text(encoding="utf-8")
    # A contact with a phone number only: the about page gives it, and nothing for the keys left out.
    about = parse(site, "about.html")
    assert [e.get("id") for e in about.iter() if (e.get("id") or "").startswith("contact-")] == ["contact-phone"]


def test_every_page_of_the_policy_is_in_the_menu_in_its_order_then_the_helplines_own(made):
    policy, site = made["policy"], made["folder"] / "site"
    links = menu_links(site)
    wanted = [html(p) for p in page_names.menu(policy) if (site / html(p)).exists()] + [html(OWN_PAGE)]
    assert [href for href, _ in links] == wanted
    assert {"about-you.html", "about-someone-else.html", "what-we-keep.html", "checker.html"} <= set(wanted)
    # Without short titles, each caller page and the retention page is named by its title.
    labels = dict(links)
    for audience in policy.audiences:
        assert labels[html(page_names.audience_path(audience))] == audience["title"]
    assert labels["what-we-keep.html"] == policy.retention_page["title"]
    # The menu was made, not patched: the build's log has nothing to say of it.
    assert "nav:" not in made["build"].stderr


def copy_of(made: dict, tmp_path: Path, policy_text: str) -> Path:
    folder = tmp_path / "kite"
    shutil.copytree(made["folder"], folder, ignore=shutil.ignore_patterns("site"))
    (folder / "policy" / "policy.yaml").write_text(policy_text, encoding="utf-8")
    return folder


def test_without_caller_pages_check_and_the_build_agree_and_the_menu_has_none(made, tmp_path):
    folder = copy_of(made, tmp_path, without_blocks(sparse_kite_line(), "audiences", "audience_page"))
    check, built = run(folder, "policy-site", "check"), build(folder)
    assert (check.returncode, check.stderr) == (0, ""), check.stderr
    assert built.returncode == 0, built.stdout + built.stderr
    hrefs = [href for href, _ in menu_links(folder / "site")]
    assert hrefs == ["index.html", "checker.html", "policy.html", "what-we-keep.html", "staying-safe-online.html",
                     "about.html", html(OWN_PAGE)]


def test_a_block_the_policy_needs_is_refused_by_check_and_the_build_in_the_same_words(made, tmp_path):
    """Caller pages without `audience_page`, their headings: the same lines from both, naming policy/policy.yaml
    as mkdocs.yml gives it (the build is run in the site's folder, as check is)."""
    folder = copy_of(made, tmp_path, without_blocks(sparse_kite_line(), "audience_page"))
    check, built = run(folder, "policy-site", "check"), build(folder)
    assert check.returncode == 2 and check.stdout == ""
    *problems, summary = check.stderr.splitlines()
    assert problems and all(line.startswith("policy/policy.yaml:") for line in problems), check.stderr
    assert "audience_page" in problems[0]
    assert summary == (f"1 problem in policy/policy.yaml" if len(problems) == 1
                       else f"{len(problems)} problems in policy/policy.yaml")
    assert built.returncode != 0
    shown = (built.stdout + built.stderr).splitlines()
    assert all(line in shown for line in problems), built.stderr
    assert not (folder / "site").exists()
