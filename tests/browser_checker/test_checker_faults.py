"""Faults injected from outside into the real checker page, in Chromium: a worker that stops after it was ready
(closed without a word, or crashed), an answer the engine refuses, a corrupted WebAssembly file. Each ends in a
plain message or a safe state, and nothing that was shown for other answers stays on screen as if current.

Nothing here changes the shipped code: faults come through Playwright (the worker's own scope, routed files).
"""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from harness import ROOT
from checker_helpers import IDLE, READY, START_TIMEOUT_MS, axe_violations, open_checker, wait_idle
from checker_helpers import axe_source, screenshot_dir  # noqa: F401 (fixtures)

# The answer-first phone and the desktop: each failure state is looked at in both, the page turned from the one
# to the other as a tablet turns (a page load starts Pyodide: seconds of processor for each).
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# The page's own limit for a reply, shortened for the tests by editing the page as it is served.
SHORT_REPLY_MS = 3000

# What the reader is shown in place of the explanation: the message's lines, the state, the verdict bar.
READ_STATE = """() => {
  const result = document.getElementById("checker-result");
  const verdict = document.getElementById("checker-verdict");
  return {
    state: result.dataset.state, outcome: result.dataset.outcome ?? null, busy: result.getAttribute("aria-busy"),
    explanations: result.querySelectorAll(".explanation").length,
    lines: [...result.querySelectorAll(".checker-failed p")].map((p) => p.textContent),
    verdict_hidden: verdict.hidden, verdict_text: document.getElementById("checker-verdict-text").textContent,
    form_hidden: document.getElementById("checker-form").hidden,
    start_again_hidden: document.getElementById("checker-start-again").hidden,
  };
}"""


def with_reply_timeout(context, ms: int) -> None:
    """Serve the checker page with a shorter reply time-out: the same page, only its configured limit changed."""
    def handle(route):
        response = route.fetch()
        html = response.text()
        assert '"reply_timeout_ms": 10000' in html, "the page's reply time-out is not where this test expects it"
        route.fulfill(response=response, body=html.replace('"reply_timeout_ms": 10000', f'"reply_timeout_ms": {ms}'))
    context.route("**/checker.html", handle)


def the_worker(page):
    """The checker's worker (the page starts exactly one)."""
    workers = [w for w in page.workers if "checker-worker" in w.url]
    assert len(workers) == 1, [w.url for w in page.workers]
    return workers[0]


def answered(page, question: str, value: str) -> None:
    page.click(f"label[for='checker-{question}-{value}']")


def at_each_width(page, axe_source, screenshot_dir, name: str, check=lambda: None) -> None:
    """The state on screen, at the phone's width and then the desktop's: `check`, axe, a screenshot."""
    for viewport, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        check()
        assert axe_violations(page, axe_source) == [], viewport
        page.locator("#checker-live").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / f"{name}-{viewport}.png"))


def assert_stopped(page, checker_data) -> None:
    """The failed state of a checker that had started: said plainly, nothing busy, no explanation, no verdict."""
    widget = checker_data["wording"]["widget"]
    state = page.evaluate(READ_STATE)
    assert state["state"] == "failed" and state["busy"] == "false" and state["outcome"] is None, state
    assert state["explanations"] == 0, "an explanation for earlier answers is still on screen"
    assert state["lines"] == [widget["stopped"], widget["failed_reasons"]["stopped"], widget["failed_next"]], state
    assert state["verdict_hidden"] and state["verdict_text"] == "", state
    assert state["form_hidden"] and state["start_again_hidden"], state
    assert page.locator("#checker-static").is_visible()
    assert page.locator("details[data-role]").count() == len(checker_data["questions"][0]["values"])
    expect(page.locator("#checker-status")).to_have_text(f"{widget['stopped']} {widget['failed_reasons']['stopped']}")


def test_a_worker_closed_after_ready_ends_in_the_failed_state(browser, site_url, checker_data, screenshot_dir,
                                                              axe_source):
    """A worker that stops without a word (closed; or killed by the browser) sends no event: the next answer
    gets no reply, its explanation is faded at once as not current, and the page then says the checker stopped."""
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    with_reply_timeout(context, SHORT_REPLY_MS)
    page = context.new_page()
    open_checker(page, site_url)
    answered(page, "role", "experiencing_abuse")
    wait_idle(page)
    assert page.evaluate(READ_STATE)["explanations"] == 1
    the_worker(page).evaluate("self.close()")
    answered(page, "channel", "email")
    # While no reply comes, the explanation for the answers before is busy and, after a moment, faded.
    assert page.get_attribute("#checker-result", "aria-busy") == "true"
    page.wait_for_function("""() => { const box = document.querySelector("#checker-result > .explanation");
      const bar = document.getElementById("checker-verdict-text");
      return box && getComputedStyle(box).opacity < 0.5 && getComputedStyle(bar).opacity < 0.5; }""",
                           timeout=SHORT_REPLY_MS)
    page.locator("#checker-live").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "fault-waiting-phone.png"))
    page.wait_for_selector("#checker-result[data-state=failed]", state="attached", timeout=SHORT_REPLY_MS * 5)
    at_each_width(page, axe_source, screenshot_dir, "fault-stopped", lambda: assert_stopped(page, checker_data))
    context.close()


def test_a_worker_that_crashes_after_ready_ends_in_the_failed_state_at_once(browser, site_url, checker_data):
    """An error nothing in the worker catches reaches the page as an event: it fails then, not at the next answer."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    open_checker(page, site_url)
    answered(page, "role", "professional")
    wait_idle(page)
    the_worker(page).evaluate("setTimeout(() => { throw new Error('injected by the test'); }, 0)")
    # No answer is given: the page learns of the crash from the worker's error event, well before any time-out.
    page.wait_for_selector("#checker-result[data-state=failed]", state="attached", timeout=5000)
    assert_stopped(page, checker_data)
    context.close()


def data_without(body: bytes, question: str, value: str) -> bytes:
    """The checker data with one answer value the page offers taken out: as if page and data came from two
    different builds."""
    data = json.loads(body)
    q = next(q for q in data["questions"] if q["id"] == question)
    q["values"] = [v for v in q["values"] if v["value"] != value]
    return json.dumps(data).encode()


def test_an_answer_the_engine_refuses_takes_the_explanation_away_and_says_why(browser, site_url, checker_data,
                                                                              screenshot_dir, axe_source):
    widget = checker_data["wording"]["widget"]
    context = browser.new_context(viewport=VIEWPORTS["phone"])

    def older_data(route):
        response = route.fetch()
        route.fulfill(response=response, body=data_without(response.body(), "channel", "letter"))
    context.route(re.compile(r".*/checker-data\.[0-9a-f]+\.json$"), older_data)
    page = context.new_page()
    open_checker(page, site_url)
    answered(page, "role", "experiencing_abuse")
    wait_idle(page)
    before = page.evaluate(READ_STATE)
    assert before["explanations"] == 1 and before["outcome"]
    # The page offers "letter"; this engine's data does not know it, and refuses the answers.
    answered(page, "channel", "letter")
    page.wait_for_selector("#checker-result[data-state=refused]", state="attached", timeout=10_000)

    def refused():
        state = page.evaluate(READ_STATE)
        assert state["busy"] == "false" and state["outcome"] is None, state
        assert state["explanations"] == 0, "the explanation for the answers before is still on screen"
        assert state["lines"] == [widget["refused"], widget["refused_reason"], widget["refused_next"]], state
        assert state["verdict_hidden"] and state["verdict_text"] == "", state
        # The checker still works: the questions and Start again stay.
        assert not state["form_hidden"] and not state["start_again_hidden"], state
        assert page.locator("#checker-static").is_visible()
        # One line for screen readers, as for an explanation; focus stays where the caller left it.
        expect(page.locator("#checker-status")).to_have_text(widget["refused"])
        assert page.evaluate("document.activeElement.id") == "checker-channel-letter"
    at_each_width(page, axe_source, screenshot_dir, "fault-refused", refused)
    # Another answer is explained again, announced as any answer is (not as a fresh start).
    answered(page, "channel", "phone")
    page.wait_for_selector(IDLE, state="attached")
    state = page.evaluate(READ_STATE)
    assert state["explanations"] == 1 and state["outcome"] and state["lines"] == [], state
    expect(page.locator("#checker-status")).not_to_have_text("")
    expect(page.locator("#checker-status")).not_to_contain_text(widget["ready"])
    context.close()


def test_a_corrupted_wasm_file_fails_at_once_not_at_the_time_out(browser, site_url, checker_data):
    """pyodide.asm.wasm served whole but corrupt, with the right type: the start fails with load_error while the
    page's own 60 s time-out is far off. Pyodide 314 only logs this; the worker watches for that log line
    (test_the_log_lines_the_worker_watches_are_pyodides pins it)."""
    widget = checker_data["wording"]["widget"]
    context = browser.new_context()
    garbage = b"\0asm\x01\0\0\0" + bytes(range(256)) * 64   # a wasm header, then nonsense
    context.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=200, content_type="application/wasm",
                                                                      body=garbage))
    page = context.new_page()
    began = time.monotonic()
    page.goto(f"{site_url}/checker.html")
    page.wait_for_selector(READY, state="attached", timeout=START_TIMEOUT_MS)
    took = time.monotonic() - began
    state = page.evaluate(READ_STATE)
    assert state["state"] == "failed", state
    assert state["lines"] == [widget["failed"], widget["failed_reasons"]["load_error"], widget["failed_next"]], (
        state, "a corrupt wasm file must fail as a load error, not wait for the time-out")
    assert took < 45, f"the failure took {took:.0f} s: it came from the page's time-out, not from the worker"
    assert state["busy"] == "false" and state["explanations"] == 0 and state["form_hidden"]
    assert page.locator("#checker-static").is_visible()
    context.close()


def test_the_log_lines_the_worker_watches_are_pyodides():
    """Pyodide (the version package-lock.json pins) neither rejects loadPyodide nor offers any other signal when
    WebAssembly instantiation fails, or when the standard library cannot be fetched: it logs, and waits for ever.
    The worker turns those exact log lines into a failure. An upgrade that changes them must fail here, not leave
    a caller waiting for the time-out."""
    pyodide = (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").read_text(encoding="utf-8")
    worker = (ROOT / "checker" / "web" / "checker-worker.mjs").read_text(encoding="utf-8")
    watched = {
        'console.warn("wasm instantiation failed!")': 'args[0] === "wasm instantiation failed!"',
        'console.error("Error occurred while installing the standard library:")':
            '.startsWith("Error occurred while installing the standard library")',
    }
    for logged, matched in watched.items():
        assert logged in pyodide, (f"Pyodide no longer logs {logged}: see watchInstantiation in checker-worker.mjs "
                                   "(use Pyodide's own signal if it now has one)")
        assert matched in worker, f"checker-worker.mjs no longer watches for {logged}"
