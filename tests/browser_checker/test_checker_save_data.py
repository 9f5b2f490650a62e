"""When the browser asks to save data (navigator.connection.saveData, set through Chromium's own DevTools
override), the checker page downloads nothing of the live checker until the caller asks: it shows the
static explanations and a button that states the download's size, measured at build time from the files."""

from __future__ import annotations

import gzip
import re

from playwright.sync_api import expect

from checker_helpers import IDLE, START_TIMEOUT_MS, axe_violations, expected_view, read_result
from checker_helpers import axe_source  # noqa: F401 (fixture)

# Everything the live checker loads once started (the page's own script and stylesheet come with the page).
LIVE_FILES = re.compile(r"/assets/pyodide/|/assets/checker/(python_stdlib|pyodide-lock|checker-data|checker-worker)\.|\.whl$")


def save_data_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{url}/checker.html", wait_until="networkidle")
    assert page.evaluate("navigator.connection.saveData") is True
    return context, page, requests


def download_size(built_site, urls: list[str]) -> str:
    """The size the button must state: the files loaded, gzipped as a server sends them, in MB."""
    total = 0
    for url in sorted(set(urls)):
        data = (built_site / url.split("/", 3)[3]).read_bytes()
        total += min(len(data), len(gzip.compress(data, 9, mtime=0)))
    return f"{total / 1_000_000:.1f}"


def test_nothing_is_downloaded_until_asked_and_the_button_states_the_size(browser, site_url, built_site,
                                                                          checker_data, axe_source):
    widget = checker_data["wording"]["widget"]
    context, page, requests = save_data_page(browser, site_url)
    assert not [u for u in requests if LIVE_FILES.search(u)], "the live checker's files were fetched on open"
    notice = page.locator("#checker-save-data")
    expect(notice).to_be_visible()
    assert widget["save_data"] in notice.inner_text()
    assert not page.locator("#checker-form").is_visible() and not page.locator("#checker-live").is_visible()
    expect(page.locator("#checker-static")).to_be_visible()
    assert axe_violations(page, axe_source) == []

    button = page.locator("#checker-start-live")
    label = button.inner_text()
    before, size, after = widget["start_live"].partition("{size}")
    assert label.startswith(before) and label.endswith(after), label
    stated = label[len(before):len(label) - len(after)]

    button.click()
    page.wait_for_selector(IDLE, state="attached", timeout=START_TIMEOUT_MS)
    assert page.get_attribute("#checker-result", "data-state") == "ready"
    assert read_result(page) == expected_view(checker_data, {})
    assert page.evaluate("document.activeElement.name") == "role"
    live = [u for u in requests if LIVE_FILES.search(u)]
    assert stated == download_size(built_site, live), f"the button says {stated} MB for {live}"
    context.close()


def test_the_static_layout_shows_before_the_script_runs(browser, site_url):
    """The first paint already has the save-data layout: nothing jumps when the page script takes over."""
    context = browser.new_context()
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    page.route("**/checker-page.*.mjs", lambda route: route.abort())  # the page script never runs
    page.goto(f"{site_url}/checker.html", wait_until="domcontentloaded")
    assert page.evaluate("document.getElementById('checker').classList.contains('checker--save-data')")
    expect(page.locator("#checker-save-data")).to_be_visible()
    assert not page.locator("#checker-form").is_visible()
    context.close()
