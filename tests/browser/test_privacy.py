"""Nothing is left on the reader's device: no cookie, no localStorage, sessionStorage, IndexedDB or Cache Storage,
after following links between pages, searching and leaving. Chromium's DevTools protocol reports every storage
write as it happens, so a value written and removed again is caught too. Reading every page, the checker's
included, is checked the same way in every_page.py's walk at each width
(test_nothing_is_stored_while_reading_every_page)."""

from __future__ import annotations

from playwright.sync_api import expect

from every_page import NOTHING_STORED, STORED_HERE, watch_storage
from support import stub_outside
from support import neutral_url  # noqa: F401  (fixtures)


def test_nothing_is_stored_after_following_links_searching_and_leaving(browser, site_url, neutral_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    stub_outside(context, neutral_url)
    writes = watch_storage(context, page, site_url)

    states = []

    # Read: the links between pages (every page is read in every_page.py's walks).
    page.goto(f"{site_url}/index.html")
    states.append(page.evaluate(STORED_HERE))
    for link in page.locator(".md-nav--primary a.md-nav__link[href$='.html']").all()[:3]:
        with page.expect_navigation():
            link.click()
        states.append(page.evaluate(STORED_HERE))

    # Search: the search box, a query, a result followed.
    page.click(".md-search__input")
    page.locator(".md-search__input").press_sequentially("confidential", delay=50)  # the theme listens for keys
    result = page.locator(".md-search-result__link").first
    expect(result).to_be_visible()
    with page.expect_navigation():
        result.click()
    states.append(page.evaluate(STORED_HERE))

    # Leave.
    page.click("[data-qe-exit]")
    expect(page).to_have_url(neutral_url)

    assert all(s == NOTHING_STORED for s in states), states
    page.wait_for_timeout(1000)  # let any last storage event arrive (they come a moment after the write)
    assert writes == [], writes
    assert context.cookies() == []
    # Last: reading IndexedDB's list opens the origin's storage, which the events above would report.
    state = context.storage_state(indexed_db=True)
    assert state["cookies"] == [] and state["origins"] == [], state
    context.close()


def test_a_storage_write_would_be_seen(browser, site_url):
    """The watch above is not blind: the same set-up sees a write made in the page."""
    context = browser.new_context()
    page = context.new_page()
    writes: list = []
    cdp = context.new_cdp_session(page)
    cdp.send("DOMStorage.enable")
    cdp.on("DOMStorage.domStorageItemAdded", lambda params: writes.append(params))
    page.goto(f"{site_url}/index.html")
    page.evaluate("localStorage.setItem('probe', '1'); localStorage.removeItem('probe')")
    for _ in range(50):  # the event arrives a moment later
        if writes:
            break
        page.wait_for_timeout(100)
    assert writes and writes[0]["key"] == "probe"
    context.close()
