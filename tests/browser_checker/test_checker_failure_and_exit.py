"""When the live checker cannot start; the quick exit in the middle of a journey; the page at phone and desktop widths."""

from __future__ import annotations

import shutil

from checker_helpers import (JOURNEYS, READY, START_TIMEOUT_MS, answer_with_mouse, check_journey_end, open_checker,
                             serve_copy, start_again)
from checker_helpers import screenshot_dir  # noqa: F401 (fixture)


def failed_page(page, checker_data, reason: str) -> None:
    """The page says plainly that the checker could not start, and why; the static explanation stays."""
    widget = checker_data["wording"]["widget"]
    page.wait_for_selector(READY, state="attached", timeout=START_TIMEOUT_MS)
    result = page.locator("#checker-result")
    assert result.get_attribute("data-state") == "failed"
    assert result.get_attribute("data-outcome") is None
    text = result.inner_text()
    assert widget["failed"] in text and widget["failed_reasons"][reason] in text and widget["failed_next"] in text
    assert result.is_visible()
    assert page.locator("#checker-static").is_visible()
    assert page.locator("details[data-role]").count() == len(checker_data["questions"][0]["values"])


def test_missing_wasm_file_gives_a_plain_failure_message(browser, built_site, tmp_path, checker_data):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy, ignore=shutil.ignore_patterns("pyodide.asm.wasm"))
    assert not list(copy.rglob("pyodide.asm.wasm"))
    with serve_copy(copy) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/checker.html")
        failed_page(page, checker_data, "load_error")
        # The questions, which cannot answer now, are out of the way.
        assert not page.locator("#checker-form").is_visible()
        context.close()


def test_missing_standard_library_gives_a_plain_failure_message(browser, built_site, tmp_path, checker_data):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy, ignore=shutil.ignore_patterns("python_stdlib.*"))
    with serve_copy(copy) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/checker.html")
        failed_page(page, checker_data, "load_error")
        context.close()


def test_a_wheel_that_differs_from_its_lock_entry_is_refused(browser, built_site, tmp_path, checker_data):
    """The worker fetches the wheel with the integrity of its lock file entry: one byte changed, and the browser
    refuses it, so the checker says it could not start rather than run code the build did not make."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    [wheel] = copy.rglob("policy_checker-*.whl")
    data = bytearray(wheel.read_bytes())
    data[-1] ^= 1
    wheel.write_bytes(bytes(data))
    with serve_copy(copy) as url:
        context = browser.new_context()
        page = context.new_page()
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(f"{url}/checker.html")
        failed_page(page, checker_data, "load_error")
        context.close()
    assert any(wheel.name in e for e in errors), f"the page's log does not name the refused wheel: {errors}"


def test_a_browser_without_webassembly_is_told_so(browser, site_url, checker_data):
    context = browser.new_context()
    context.add_init_script("delete globalThis.WebAssembly;")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site_url}/checker.html")
    failed_page(page, checker_data, "no_webassembly")
    assert not [u for u in requests if "/assets/pyodide/" in u], "nothing of Pyodide is fetched when it cannot run"
    context.close()


def test_a_stalled_start_ends_in_the_failure_message(browser, built_site, tmp_path, checker_data):
    """A wasm file that never arrives stalls loadPyodide: the page's own time-out still ends the wait."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy, ignore=shutil.ignore_patterns("pyodide.asm.wasm", "pyodide.asm.mjs",
                                                                      "python_stdlib.zip"))
    page_file = copy / "checker.html"
    html = page_file.read_text(encoding="utf-8")
    # A short time-out for the test: the same page, only its configured limit changed.
    assert '"timeout_ms": 60000' in html
    page_file.write_text(html.replace('"timeout_ms": 60000', '"timeout_ms": 3000'), encoding="utf-8")
    with serve_copy(copy) as url:
        context = browser.new_context()
        # The runtime's requests are held, never answered: as a server or proxy that hangs.
        context.route("**/assets/pyodide/**", lambda route: None)
        page = context.new_page()
        page.goto(f"{url}/checker.html")
        failed_page(page, checker_data, "timeout")
        context.close()


def test_quick_exit_from_the_middle_of_a_journey(browser, site_url, policy, checker_data):
    neutral = policy.value("safety", "quick_exit_url")
    context = browser.new_context()
    # The neutral site is answered locally: tests never touch the network.
    context.route(f"{neutral}**", lambda route: route.fulfill(status=200, content_type="text/html",
                                                              body="<!doctype html><title>Weather</title><p>Sunny"))
    page = context.new_page()
    open_checker(page, site_url)
    exit_button = page.locator("[data-qe-exit]")
    assert exit_button.count() >= 1, "the quick exit button ([data-qe-exit]) is missing from the checker page"
    answer_with_mouse(page, checker_data, {"role": "experiencing_abuse", "child_or_vulnerable_adult_at_risk": "yes",
                                             "channel": "email"})
    exit_button.first.click()
    page.wait_for_url(f"{neutral}**")
    assert page.title() == "Weather"
    # The checker page left no entry behind it: Back does not bring it, or its answers, back.
    page.go_back()
    assert "checker" not in page.url and "127.0.0.1" not in page.url, page.url
    context.close()


def test_screenshots_at_phone_and_desktop_widths(browser, site_url, checker_data, screenshot_dir):
    """The same journey at a phone's width, then, started again, at a desktop's: one page turned from the one to
    the other as a tablet turns (a page load starts Pyodide: seconds of processor)."""
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    open_checker(page, site_url)
    journey = JOURNEYS["experiencing_abuse"]
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        start_again(page)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(screenshot_dir / f"checker-{width}-empty.png"), full_page=True)
        answer_with_mouse(page, checker_data, journey["answers"])
        check_journey_end(page, checker_data, journey)
        page.locator("#checker-result").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / f"checker-{width}-answered.png"), full_page=True)
        page.screenshot(path=str(screenshot_dir / f"checker-{width}-result.png"))
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    print(f"screenshots in {screenshot_dir}")
    context.close()
