"""Every built page in Chromium, walked once at a phone's width and once at a desktop's, with everything the
reader's browser shows recorded on the way; each test below asserts one thing about the walk. The tests run
from test_every_page_at_360.py and test_every_page_at_1280.py, which import them and say the width: two files,
so that pytest-xdist can run the two walks side by side (it hands out whole files).

On each page the walk records: the console's errors, the first Tab stop, what storage holds, preview tags and
service workers, axe-core's violations (pinned in package.json), then the quick exit's place at the top, scrolled
to the end, with the menu open and with the search open (and ready). Every request of the walk, and every storage write that
Chromium's DevTools protocol reports, is recorded too.

Why one walk: the checker page starts Pyodide on each visit, which costs seconds of processor, and each of these
tests walked every page on its own (test_pages.py, test_accessibility.py, the first Tab stop in
test_quick_exit.py and the reading part of test_privacy.py). What each asserted is asserted here, now at both
widths where it was at one: the console, requests, preview tags and first Tab stop were seen at 1280 px only.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from support import ROOT, Console
from support import site_pages  # noqa: F401  (fixtures)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
HEIGHT = 740   # a short screen: the quick exit must still be in view

UNCOVERED = """() => {
    const button = document.querySelector('[data-qe-exit]');
    const box = button.getBoundingClientRect();
    const inView = box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth
        && box.width > 0 && box.height > 0;
    // Every corner and the centre must hit the button itself: nothing lies over any part of it.
    const points = [[box.left + 2, box.top + 2], [box.right - 2, box.top + 2], [box.left + 2, box.bottom - 2],
                    [box.right - 2, box.bottom - 2], [box.left + box.width / 2, box.top + box.height / 2]];
    const covered = points.filter(([x, y]) => !button.contains(document.elementFromPoint(x, y)));
    return {inView, covered: covered.length};
}"""

PREVIEW_TAGS = """() => [...document.querySelectorAll(
    'meta[property^="og:"], meta[name^="twitter:"], link[rel="manifest"]')].map(e => e.outerHTML)"""

STORAGE_EVENTS = ("DOMStorage.domStorageItemAdded", "DOMStorage.domStorageItemUpdated",
                  "Storage.indexedDBListUpdated", "Storage.indexedDBContentUpdated",
                  "Storage.cacheStorageListUpdated", "Storage.cacheStorageContentUpdated")

# Asking for IndexedDB's databases from the page would itself open the origin's storage: that is checked
# from outside instead (the DevTools events and Playwright's storage state).
STORED_HERE = """async () => ({
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    caches: (await caches.keys()).length,
    cookie: document.cookie,
})"""
NOTHING_STORED = {"localStorage": 0, "sessionStorage": 0, "caches": 0, "cookie": ""}


def watch_storage(context, page, origin: str) -> list:
    """The list that every storage write of the origin goes into, as Chromium's DevTools protocol reports it."""
    writes: list = []
    cdp = context.new_cdp_session(page)
    cdp.send("DOMStorage.enable")
    for kind in ("IndexedDB", "CacheStorage"):
        cdp.send(f"Storage.track{kind}ForOrigin", {"origin": origin})
    for event in STORAGE_EVENTS:
        cdp.on(event, lambda params, event=event: writes.append((event, params)))
    return writes


def walk_every_page(browser, site_url: str, site_pages: list[str], width: int) -> dict:
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci`"
    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
    page = context.new_page()
    page.add_init_script(path=str(AXE))  # as an init script: the page's CSP rightly refuses inline scripts
    console = Console(page)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    writes = watch_storage(context, page, site_url)

    pages = {}
    for name in site_pages:
        errors_before = len(console.errors)
        # Loaded, and the live checker (on its page) ready: what arrives later (a page's search index, say) is
        # still seen, in the next page's record; the walk ends when the network has gone quiet.
        page.goto(f"{site_url}/{name}")
        if page.locator("#checker-result").count():
            expect(page.locator("#checker-result")).to_have_attribute("data-state", "ready", timeout=120_000)
        seen = {"first_tab": None, "stored": page.evaluate(STORED_HERE), "preview": page.evaluate(PREVIEW_TAGS),
                "service_workers": page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)")}
        page.keyboard.press("Tab")
        if not page.evaluate("document.activeElement.matches('[data-qe-exit]')"):
            seen["first_tab"] = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
        seen["axe"] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
        quick_exit = {"top": page.evaluate(UNCOVERED)}
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        quick_exit["scrolled"] = page.evaluate(UNCOVERED)
        if width < 1220:  # the menu becomes a drawer over the page
            page.click(".md-header label[for='__drawer']")
            expect(page.locator("#__drawer")).to_be_checked()
            quick_exit["menu open"] = page.evaluate(UNCOVERED)
            page.keyboard.press("Escape")
        page.evaluate("document.getElementById('__drawer').checked = false")
        # The search starts when it is opened (test_search.py): it is ready once it no longer says it is starting.
        starting = page.locator(".md-search-result__meta").text_content()
        page.click(".md-header label[for='__search']" if width < 960 else ".md-search__input")
        expect(page.locator("#__search")).to_be_checked()
        expect(page.locator(".md-search-result__meta")).not_to_have_text(starting)
        quick_exit["search open"] = page.evaluate(UNCOVERED)
        seen["quick_exit"] = quick_exit
        seen["console"] = console.errors[errors_before:]
        pages[name] = seen
    page.wait_for_load_state("networkidle")
    pages[site_pages[-1]]["console"] += console.errors[sum(len(seen["console"]) for seen in pages.values()):]
    page.wait_for_timeout(1000)  # let any last storage event arrive (they come a moment after the write)
    walk = {"pages": pages, "requests": list(requests), "writes": list(writes), "cookies": context.cookies(),
            # Last: reading IndexedDB's list opens the origin's storage, which the events above would report.
            "storage_state": context.storage_state(indexed_db=True)}
    context.close()
    return walk


@pytest.fixture(scope="module")
def walk(browser, site_url, site_pages, width):
    """The walk at the module's width (its `width` fixture), made once for the module's tests."""
    return walk_every_page(browser, site_url, site_pages, width)


def found_on_pages(walk: dict, what) -> list[str]:
    return [f"{name}: {line}" for name, seen in walk["pages"].items() for line in what(seen)]


def test_every_page_loads_with_no_console_error(walk):
    problems = found_on_pages(walk, lambda seen: seen["console"])
    assert not problems, "\n".join(problems)


def test_pages_fetch_only_the_typefaces_core_files(walk):
    """The site's text is all in the core files of the typeface (generator/mkdocs/fonts.py, split_faces): no page,
    the checker's with its explanation included, fetches a whole file (test_site_pages.py: a letter that no page
    shows brings it)."""
    fonts = sorted({u.rsplit("/", 1)[1] for u in walk["requests"] if u.endswith(".woff2")})
    core = re.compile(r"atkinson-hyperlegible-latin-[0-9a-z-]+\.[0-9a-f]{12}\.woff2")
    assert fonts and all(core.fullmatch(f) for f in fonts), fonts


def test_every_request_stays_on_the_site(walk, site_url):
    requests = walk["requests"]
    outside = sorted({u for u in requests if not u.startswith(site_url + "/") and not u.startswith(("data:", "blob:"))})
    assert requests, "no request was seen: the test saw nothing"
    assert not outside, "requests left the site:\n" + "\n".join(outside)


def test_no_page_carries_a_preview_manifest_or_service_worker(walk):
    found = found_on_pages(walk, lambda seen: seen["preview"] + (
        ["a service worker is registered"] if seen["service_workers"] else []))
    assert not found, "\n".join(found)


def test_the_first_tab_stop_is_the_quick_exit_on_every_page(walk):
    wrong = found_on_pages(walk, lambda seen: [seen["first_tab"]] if seen["first_tab"] else [])
    assert not wrong, "the first Tab stop is not the quick exit:\n" + "\n".join(wrong)


def test_axe_finds_no_violation_on_any_page(walk, width):
    found = found_on_pages(walk, lambda seen: [
        f"at {width}px: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5]) for v in seen["axe"]])
    assert not found, "\n".join(found)


def test_the_quick_exit_is_in_view_and_uncovered_on_every_page(walk, width):
    assert all(len(seen["quick_exit"]) == (4 if width < 1220 else 3) for seen in walk["pages"].values())
    wrong = found_on_pages(walk, lambda seen: [f"at {width}px, {when}: {state}" for when, state
                                               in seen["quick_exit"].items()
                                               if not state["inView"] or state["covered"]])
    assert not wrong, "the quick exit is out of view or covered:\n" + "\n".join(wrong)


def test_nothing_is_stored_while_reading_every_page(walk):
    """The reading part of test_privacy.py's journey (which goes on to search and leave): every page, with
    Chromium's DevTools protocol reporting each storage write as it happens, so a value written and removed
    again is caught too."""
    stored = found_on_pages(walk, lambda seen: [seen["stored"]] if seen["stored"] != NOTHING_STORED else [])
    assert not stored, stored
    assert walk["writes"] == [], walk["writes"]
    assert walk["cookies"] == []
    state = walk["storage_state"]
    assert state["cookies"] == [] and state["origins"] == [], state
