"""Helpers for the real-browser tests: the built pages, outside sites as local stubs, a second build.

Every test walks the pages it finds in the built site, so a page added later is covered without a change.
There is no internet here: the neutral site of the quick exit (and any other outside address a test needs)
is answered by Playwright's router with a stub page, so that a test can see the tab arrive there.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest


from harness import POLICY_FILE, ROOT, build_site, serve  # noqa: F401  (test modules import them from here)

STUB_PAGE = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
             "<body><p>{title}</p></body></html>")
BEFORE_URL = "https://before.example/"   # where the reader was before coming to the site
LATER_URL = "https://later.example/"     # somewhere the reader goes afterwards


def html_pages(site: Path) -> list[str]:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert pages, f"no page found in {site}"
    return pages


def origin_of(url: str) -> str:
    return "{0.scheme}://{0.netloc}".format(urlsplit(url))


def stub_outside(context_or_page, *urls: str, status: int = 200) -> list[str]:
    """Answer these outside origins with a stub page; returns the list that the answered URLs go into."""
    served: list[str] = []
    for url in urls:
        origin = origin_of(url)

        def answer(route, request, origin=origin):
            served.append(request.url)
            if status == 204:
                route.fulfill(status=204)
            else:
                route.fulfill(status=status, content_type="text/html",
                              body=STUB_PAGE.format(title=f"stub {origin}"))

        context_or_page.route(re.compile("^" + re.escape(origin) + "(/.*)?$"), answer)
    return served


class Console:
    """Console errors and warnings, uncaught exceptions and failed requests, as the reader's browser logs them."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url} ({r.failure})"))


def site_variant(dest: Path, safety: dict[str, str]) -> Path:
    """Build the site from a copy of the policy whose `safety:` values are replaced (key -> YAML text)."""
    text = POLICY_FILE.read_text(encoding="utf-8")
    for key, value in safety.items():
        text, n = re.subn(rf"^(  {key}:) .*$", lambda m, v=value: f"{m.group(1)} {v}", text, count=1,
                          flags=re.MULTILINE)
        assert n == 1, f"safety.{key} not found in {POLICY_FILE}"
    dest.mkdir(parents=True, exist_ok=True)
    policy = dest / "policy.yaml"
    policy.write_text(text, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # Paths in mkdocs.yml are relative to it: make them absolute for a copy that lives elsewhere.
    for pattern, value in ((r"^(docs_dir:) \S+", ROOT / "site_src"),
                           (r"^(\s+policy_file:) \S+", policy)):
        config, n = re.subn(pattern, lambda m, v=value: f"{m.group(1)} {v}", config, count=1, flags=re.MULTILINE)
        assert n == 1, f"{pattern} not found in mkdocs.yml"
    config_file = dest / "mkdocs.yml"
    config_file.write_text(config, encoding="utf-8")
    return build_site(dest / "site", config_file)


# Fixtures. They live here, not in a conftest.py of this folder (pytest would then hold two modules named
# `conftest`). Test modules import the fixtures they use.

@pytest.fixture(scope="session")
def site_pages(built_site) -> list[str]:
    return html_pages(built_site)


@pytest.fixture(scope="session")
def neutral_url(policy) -> str:
    return policy.value("safety", "quick_exit_url")


@pytest.fixture(scope="session")
def pushing_site(tmp_path_factory) -> Path:
    """The site with replace_history off, and a neutral tab title and description."""
    return site_variant(tmp_path_factory.mktemp("pushing"), {
        "replace_history": "false",
        "tab_title": '"Weather forecast"',
        "description": '"Local weather and forecasts."',
    })


@pytest.fixture(scope="session")
def pushing_site_url(pushing_site):
    url, server = serve(pushing_site)
    yield url
    server.shutdown()
