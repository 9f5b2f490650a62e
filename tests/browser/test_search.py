"""The site's search costs nothing until the reader opens it, and works once it is opened.

mkdocs-material starts its search on every page load: its worker's script and the whole site's index
(search/search_index.json), 19 KB with brotli that most readers never use, and that the checker page's weight
counts (BENCHMARKS.md, "Page weight"). The build changes the theme's bundle so that both wait until the search is
opened (generator/mkdocs/theme.py, search_on_demand). So: no request for either while a page loads and is read,
both once the search is opened, the way a phone and a desktop open it, and a query then finds the policy.
test_privacy.py's journey searches too, and every_page.py's walks open the search on every page with the console
watched. A translation's pages search their own index (tests/browser_checker/test_checker_languages.py); the
build refuses a bundle that either change does not fit.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from generator.errors import BuildError
from generator.mkdocs import theme
from support import Console

INDEX = re.compile(r"/search/search_index\.json$")
WORKER = re.compile(r"/assets/javascripts/workers/search\.[0-9a-f]+\.min\.js$")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_search_loads_only_when_opened_and_then_finds_the_policy(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    console = Console(page)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))

    page.goto(f"{site_url}/policy.html")
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 2000)  # reading
    page.wait_for_timeout(500)
    early = [u for u in requests if INDEX.search(u) or WORKER.search(u)]
    assert not early, f"the search's files were fetched before the search was opened: {early}"

    # Opened as a reader opens it: the magnifier in the header on a phone, the search box on a desktop.
    page.click(".md-header label[for='__search']" if width < 960 else ".md-search__input")
    expect(page.locator("#__search")).to_be_checked()
    page.locator(".md-search__input").press_sequentially("confidential", delay=50)  # the theme listens for keys
    expect(page.locator(".md-search-result__link").first).to_be_visible()
    assert [u for u in requests if INDEX.search(u)] and [u for u in requests if WORKER.search(u)], requests
    assert len([u for u in requests if INDEX.search(u)]) == 1, "the index was fetched more than once"
    assert not console.errors, console.errors
    context.close()


def test_the_search_also_opens_from_the_keyboard(browser, site_url):
    """The theme's shortcut (/) opens the search without a click: the index and the worker come then too."""
    context = browser.new_context(viewport={"width": 1280, "height": 740})
    page = context.new_page()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site_url}/index.html")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if INDEX.search(u) or WORKER.search(u)]
    page.keyboard.press("/")
    expect(page.locator("#__search")).to_be_checked()
    page.keyboard.type("record", delay=50)
    expect(page.locator(".md-search-result__link").first).to_be_visible()
    context.close()


def test_a_theme_whose_bundle_differs_stops_the_build():
    """Another bundle than the pinned theme's is refused, with what to do, rather than left searching at load
    or, worse, changed where it should not be."""
    with pytest.raises(BuildError, match=r"mkdocs-material==\d+\.\d+\.\d+"):
        theme.search_on_demand('function Ei(e,t){let r=Mn(e);return L($(!0),Je("search"))}')
    with pytest.raises(BuildError, match=r"index_per_language.*mkdocs-material==\d+\.\d+\.\d+"):
        theme.index_per_language('ze(new URL("search/index.json",Or.base))')
