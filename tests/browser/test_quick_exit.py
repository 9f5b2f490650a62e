"""Quick exit in Chromium, as a reader meets it: the button, Shift three times, Back, the back-forward cache.

Chromium here keeps its back-forward cache on (Playwright turns it off by default), as a reader's browser
does, so that "Back does not bring the site back" is tried against a real cache restore.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from support import BEFORE_URL, LATER_URL, origin_of, stub_outside
from support import neutral_url, pushing_site, pushing_site_url, site_pages  # noqa: F401  (fixtures)

EXIT = "[data-qe-exit]"
STATUS = "[data-qe-status]"


@pytest.fixture(scope="module")
def cached_browser(browser_type, browser_type_launch_args):
    browser = browser_type.launch(**browser_type_launch_args, ignore_default_args=["--disable-back-forward-cache"])
    yield browser
    browser.close()


@pytest.fixture
def reader(cached_browser, neutral_url):
    """A fresh tab at 1280 px whose outside addresses (neutral site, before, later) are local stubs."""
    context = cached_browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    stub_outside(context, neutral_url, BEFORE_URL, LATER_URL)
    yield page
    context.close()


def follow_links(page, site_url: str) -> list[str]:
    """From a page before the site, come in and follow several links inside it, as a reader would."""
    page.goto(BEFORE_URL)
    page.history_before = page.evaluate("history.length")  # the new tab's own entries, then this one
    page.goto(site_url + "/index.html")
    seen = [page.url]
    for _ in range(3):
        # A page of the site not yet seen, from the navigation the reader sees.
        links = page.locator(".md-nav--primary a.md-nav__link[href$='.html']")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        fresh = [i for i, href in enumerate(hrefs) if not any(s.endswith("/" + href) for s in seen)]
        assert fresh, f"no further page to follow from {page.url}"
        with page.expect_navigation():
            links.nth(fresh[0]).click()
        assert page.url != seen[-1]
        seen.append(page.url)
    # And a link within the page, to a heading.
    anchor = page.locator(".md-content a[href^='#']:visible, .md-sidebar--secondary a[href^='#']:visible").first
    anchor.click()
    expect(page).to_have_url(re.compile("#"))
    seen.append(page.url)
    return seen


def assert_site_gone(page, site_url: str, neutral_url: str) -> None:
    """At the neutral site, and nothing of this site behind it: Back reaches only the page before."""
    expect(page).to_have_url(neutral_url)
    assert page.evaluate("history.length") == page.history_before + 1, \
        "the tab's history should hold what it held before the site, then the neutral site: nothing between"
    page.go_back(wait_until="commit")  # a page restored from the cache fires no load event
    expect(page).to_have_url(BEFORE_URL)
    page.go_forward(wait_until="commit")
    expect(page).to_have_url(neutral_url)


def test_the_button_leaves_for_the_neutral_site_and_back_does_not_return(reader, site_url, neutral_url):
    seen = follow_links(reader, site_url)
    assert len({s.split("#")[0] for s in seen}) >= 4
    sent = []
    reader.on("request", lambda r: sent.append(r.headers) if r.url == neutral_url else None)
    reader.click(EXIT)
    assert_site_gone(reader, site_url, neutral_url)
    assert sent and "referer" not in sent[0], "the neutral site must not learn where the reader came from"


def test_shift_three_times_leaves_and_back_does_not_return(reader, site_url, neutral_url):
    follow_links(reader, site_url)
    link = reader.locator(EXIT)
    reader.keyboard.press("Shift")
    expect(reader.locator(STATUS)).to_have_text(link.get_attribute("data-qe-presses-2"))
    reader.keyboard.press("Shift")
    expect(reader.locator(STATUS)).to_have_text(link.get_attribute("data-qe-presses-1"))
    reader.keyboard.press("Shift")
    assert_site_gone(reader, site_url, neutral_url)


def test_the_page_blanks_itself_whether_or_not_the_neutral_site_arrives(reader, site_url, neutral_url):
    """The neutral site sends nothing back here (204), so the tab stays: the page must have blanked itself."""
    reader.goto(site_url + "/policy.html")
    reader.context.unroute_all()
    reader.context.route(origin_of(neutral_url) + "/**", lambda route: route.fulfill(status=204))
    reader.focus(EXIT)
    reader.keyboard.press("Enter")
    expect(reader.locator("body")).to_be_hidden()
    assert reader.evaluate("document.title") == ""
    assert reader.url.startswith(site_url)


def test_a_shift_in_a_combination_does_not_count_and_another_key_resets(reader, site_url):
    reader.goto(site_url + "/policy.html")
    link = reader.locator(EXIT)
    status = reader.locator(STATUS)
    reader.keyboard.press("Shift")
    reader.keyboard.press("Shift")
    expect(status).to_have_text(link.get_attribute("data-qe-presses-1"))
    # Shift held for Shift+A: neither that Shift nor the A counts, and the A starts the count again.
    reader.keyboard.down("Shift")
    reader.keyboard.press("KeyA")
    reader.keyboard.up("Shift")
    reader.keyboard.press("Shift")
    reader.keyboard.press("Shift")
    expect(status).to_have_text(link.get_attribute("data-qe-presses-1"))
    # Another key on its own resets too.
    reader.keyboard.press("KeyA")
    reader.keyboard.press("Shift")
    expect(status).to_have_text(link.get_attribute("data-qe-presses-2"))
    # Ctrl+Shift does not count either.
    reader.keyboard.down("Control")
    reader.keyboard.press("Shift")
    reader.keyboard.up("Control")
    reader.keyboard.press("Shift")
    expect(status).to_have_text(link.get_attribute("data-qe-presses-2"))
    assert reader.url.startswith(site_url)
    assert reader.locator("body").is_visible()


def test_the_five_second_window_restarts_on_each_press(reader, site_url, neutral_url):
    reader.goto(site_url + "/policy.html")
    link = reader.locator(EXIT)
    status = reader.locator(STATUS)
    reader.keyboard.press("Shift")
    reader.wait_for_timeout(3000)
    reader.keyboard.press("Shift")  # 6 s after the first press would be too late, 3 s after this one is not
    reader.wait_for_timeout(3000)
    expect(status).to_have_text(link.get_attribute("data-qe-presses-1"))
    reader.keyboard.press("Shift")
    expect(reader).to_have_url(neutral_url)


def test_after_five_seconds_the_count_starts_again(reader, site_url):
    reader.goto(site_url + "/policy.html")
    link = reader.locator(EXIT)
    status = reader.locator(STATUS)
    reader.keyboard.press("Shift")
    reader.keyboard.press("Shift")
    expect(status).to_have_text(link.get_attribute("data-qe-expired"), timeout=8000)
    reader.keyboard.press("Shift")
    expect(status).to_have_text(link.get_attribute("data-qe-presses-2"))
    assert reader.url.startswith(site_url)


def test_escape_does_not_leave(reader, site_url):
    reader.goto(site_url + "/policy.html")
    for _ in range(3):
        reader.keyboard.press("Escape")
    expect(reader.locator(STATUS)).to_have_text("")
    assert reader.url.startswith(site_url) and reader.locator("body").is_visible()


def test_a_page_restored_from_the_back_forward_cache_after_an_exit_leaves_again(reader, site_url, neutral_url):
    """The exit's navigation did not happen (the neutral site sent nothing); the reader went elsewhere and
    came Back: the browser restores the blank page from its cache, and it leaves again at once."""
    context = reader.context
    context.unroute_all()
    answers = iter([204])

    def neutral(route):
        status = next(answers, 200)
        route.fulfill(status=status) if status == 204 else route.fulfill(
            status=200, content_type="text/html", body="<title>neutral</title>")

    context.route(origin_of(neutral_url) + "/**", neutral)
    stub_outside(context, LATER_URL)
    cdp = context.new_cdp_session(reader)
    cdp.send("Page.enable")
    not_cached: list = []
    cdp.on("Page.backForwardCacheNotUsed", lambda event: not_cached.append(event))

    reader.goto(site_url + "/policy.html")
    reader.click(EXIT)
    expect(reader.locator("body")).to_be_hidden()
    reader.goto(LATER_URL)
    reader.go_back(wait_until="commit")
    expect(reader).to_have_url(neutral_url)
    assert not not_cached, f"the page was not restored from the back-forward cache: {not_cached}"


def test_without_javascript_the_quick_exit_is_a_plain_link(browser, site_url, site_pages, neutral_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    stub_outside(context, neutral_url)
    referrers = []
    page.on("request", lambda r: referrers.append(r.headers.get("referer")) if r.url == neutral_url else None)
    for name in site_pages:
        page.goto(f"{site_url}/{name}")
        link = page.locator(EXIT)
        expect(link).to_be_visible()
        assert link.get_attribute("href") == neutral_url
        assert set(link.get_attribute("rel").split()) >= {"nofollow", "noreferrer"}
    link.click()
    expect(page).to_have_url(neutral_url)
    assert referrers == [None]
    context.close()


def test_with_replace_history_off_pages_add_history_entries(cached_browser, pushing_site_url, neutral_url):
    """The setting is honoured both ways: off, each page adds an entry, as on any site."""
    context = cached_browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    stub_outside(context, neutral_url, BEFORE_URL, LATER_URL)
    follow_links(page, pushing_site_url)
    assert page.evaluate("history.length") == page.history_before + 5  # index, three pages, the heading
    page.click(EXIT)
    expect(page).to_have_url(neutral_url)
    page.go_back(wait_until="commit")
    expect(page).to_have_url(re.compile("^" + re.escape(pushing_site_url)))
    context.close()
