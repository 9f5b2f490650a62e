"""The live checker in Chromium with the real Pyodide: journeys, agreement with the engine, privacy, axe."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from checker import evaluate
from checker_helpers import (CONDITIONAL, IDLE, JOURNEYS, ROLES, START_TIMEOUT_MS, answer_in_page, answer_with_mouse,
                             axe_violations, check_journey_end, dumps, expected_view, open_checker, question_order, read_result,
                             sample_answer_sets, shown_questions, start_again, view_items, wait_idle)
from checker_helpers import axe_source, live  # noqa: F401 (fixtures)

CLOCK_START = 1_780_000_000  # any fixed moment, in seconds (Unix time), for a page whose clock the test holds


@pytest.mark.parametrize("role", ROLES)
def test_journey_by_mouse(live, checker_data, role):
    page, data, journey = live, checker_data, JOURNEYS[role]
    start_again(page)
    # Nothing answered: the conditional questions are not asked yet.
    assert not shown_questions(page, data) & {"risk_from_caller", "child_or_vulnerable_adult_at_risk", "contact_date"}
    answer_with_mouse(page, data, journey["answers"])
    expected_shown = {q for q in question_order(data) if q not in CONDITIONAL or role in CONDITIONAL[q]}
    if journey["answers"].get("channel") not in ("email", "letter"):
        expected_shown.discard("contact_date")
    assert shown_questions(page, data) == expected_shown
    check_journey_end(page, data, journey)
    # The new answer is announced in a live region, in one sentence (set on the next frame, hence expect's wait).
    assert page.get_attribute("#checker-status", "role") == "status"
    expect(page.locator("#checker-status")).to_have_text(evaluate(data, journey["answers"])["summary"]["in_short"] + ".")


def test_a_question_that_no_longer_applies_is_cleared(live, checker_data):
    page = live
    start_again(page)
    answer_with_mouse(page, checker_data, {"role": "worried_about_own_behaviour", "risk_from_caller": "particular",
                                             "channel": "email", "contact_date": "2026-03-03"})
    assert page.is_checked("#checker-risk_from_caller-particular")
    page.click("label[for='checker-role-experiencing_abuse']")
    wait_idle(page)
    assert not page.is_visible("[data-question='risk_from_caller']")
    assert not page.is_checked("#checker-risk_from_caller-particular")
    page.click("label[for='checker-channel-phone']")
    wait_idle(page)
    assert not page.is_visible("[data-question='contact_date']")
    assert page.input_value("#checker-contact_date") == ""
    # Back to worried: the risk question comes back unanswered, and the explanation is the engine's.
    page.click("label[for='checker-role-worried_about_own_behaviour']")
    wait_idle(page)
    assert page.is_visible("[data-question='risk_from_caller']")
    assert not page.locator("[name=risk_from_caller]:checked").count()
    expected = expected_view(checker_data, {"role": "worried_about_own_behaviour", "channel": "phone"})
    assert read_result(page) == expected


def test_start_again_clears_every_answer_and_the_result(live, checker_data):
    page = live
    start_again(page)
    empty = read_result(page)
    answer_with_mouse(page, checker_data, JOURNEYS["experiencing_abuse"]["answers"])
    assert read_result(page) != empty
    page.click("#checker-start-again")
    wait_idle(page)
    assert page.locator("#checker-form input:checked").count() == 0
    assert page.input_value("#checker-contact_date") == ""
    assert read_result(page) == empty == expected_view(checker_data, {})
    # Focus goes back to the first question, ready to answer again.
    assert page.evaluate("document.activeElement.name") == "role"


def test_an_answer_closes_every_fold_the_reader_opened(live, checker_data):
    """Each explanation updates the one on screen node for node (checker-page.mjs): it must read as a new one
    would, every fold closed, whatever the reader had opened in the one before."""
    page = live
    start_again(page)
    answer_with_mouse(page, checker_data, {"role": "experiencing_abuse"})
    opened = page.eval_on_selector_all("#checker-result details", "els => els.map((d) => { d.open = true; }).length")
    assert opened > 3
    answer_with_mouse(page, checker_data, {"channel": "email"})
    assert page.locator("#checker-result details[open]").count() == 0
    assert read_result(page) == expected_view(checker_data, {"role": "experiencing_abuse", "channel": "email"})


def test_beside_the_questions_the_explanation_keeps_the_offset_read_to(live, checker_data):
    """On a wide screen the explanation scrolls on its own beside the questions. Read down and then answered, it
    stays at the offset the reader had, as when each explanation was a new tree, rather than following a part
    that stayed the same (the browser's scroll anchoring, turned off there)."""
    page = live
    start_again(page)
    for answers in ({"consent_to_share": "no"}, {"role": "worried_about_own_behaviour"}, {"risk_from_caller": "concern"}):
        page.eval_on_selector("#checker-live", "box => { box.scrollTop = 400; }")
        answer_with_mouse(page, checker_data, answers)
        assert page.eval_on_selector("#checker-live", "box => box.scrollTop") == 400, answers


def test_page_matches_the_engine_on_many_answer_sets(live, checker_data):
    """Answered through the page's own events (answer_in_page): the mouse and the keyboard are the journeys'."""
    page, data = live, checker_data
    sets = sample_answer_sets(data, 60)
    assert len(sets) >= 50
    mismatches = []
    for answers in sets:
        answer_in_page(page, data, answers, from_start=True)
        shown, expected = read_result(page), expected_view(data, answers)
        if shown != expected:
            mismatches.append({"answers": answers, "shown": shown, "expected": expected})
        assert page.get_attribute("#checker-result", "data-outcome") == expected["outcome"]
    assert not mismatches, dumps(mismatches[:2])


def test_answering_sends_nothing_stores_nothing_and_keeps_the_url(live, checker_data):
    page = live
    start_again(page)
    url = page.url
    requests: list[str] = []

    def record(request):
        requests.append(request.url)

    page.on("request", record)
    try:
        for answers in sample_answer_sets(checker_data, 12, seed=11):
            start_again(page)
            answer_with_mouse(page, checker_data, answers)
            page.keyboard.press("Enter")  # on a focused control: must not submit anything
        wait_idle(page)
    finally:
        page.remove_listener("request", record)
    assert requests == []
    assert page.url == url
    storage = page.evaluate("""async () => ({
        local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
        indexed: (await indexedDB.databases()).map((d) => d.name),
        caches: (await caches.keys()),
    })""")
    assert storage == {"local": 0, "session": 0, "cookie": "", "indexed": [], "caches": []}, storage
    assert page.context.cookies() == []


def test_results_are_text_never_markup(live, checker_data):
    """Every text in the result is a text node: no element the policy's words could have made."""
    page = live
    start_again(page)
    answer_with_mouse(page, checker_data, JOURNEYS["worried_about_own_behaviour"]["answers"])
    tags = set(page.eval_on_selector_all("#checker-result *", "els => els.map(e => e.tagName.toLowerCase())"))
    assert tags <= {"div", "p", "h3", "ul", "li", "blockquote", "span", "a", "details", "summary"}, tags


def test_the_live_explanation_is_the_tree_the_worker_builds_headings_and_folds_included(browser, site_url,
                                                                                       checker_data):
    """Served checker data whose headings (and the quotes' fold) read otherwise: the worker builds the layout tree
    (checker/layout.py) from it, and the page shows that tree's headings, where the page's own copy of the wording
    still has the old ones."""
    wording = ("applies_heading", "records_heading", "could_change_heading", "points_heading", "quotes_label")
    changed = json.loads(json.dumps(checker_data))
    for word in wording:
        changed["wording"][word] = f"Changed {word}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def changed_data(route):
        response = route.fetch()
        data = json.loads(response.body())
        data["wording"].update({word: changed["wording"][word] for word in wording})
        route.fulfill(response=response, body=json.dumps(data).encode())
    context.route(re.compile(r".*/checker-data\.[0-9a-f]+\.json$"), changed_data)
    page = context.new_page()
    open_checker(page, site_url)
    # Between them, every part: what applies, what is kept (and its lead), what could change this, the rest; and
    # the records that only would be kept, in their fold.
    seen = set()
    for answers in ({"role": "worried_about_own_behaviour", "risk_from_caller": "concern", "channel": "email",
                     "contact_date": "2026-03-03"}, {"role": "worried_about_own_behaviour", "risk_from_caller": "concern"}):
        start_again(page)
        answer_with_mouse(page, changed, answers)
        shown, expected = read_result(page), expected_view(changed, answers)
        assert shown == expected, dumps({"shown": shown, "expected": expected})
        seen |= {n["text"] for n in shown["children"] if n["type"] == "heading"}
        seen |= {n["heading"] for n in shown["children"] if n["type"] == "section"}
        seen |= {n["quotes"]["summary"] for n in view_items(shown) if "quotes" in n}
    assert {f"Changed {word}" for word in wording} <= seen, seen
    assert not seen & {checker_data["wording"][word] for word in wording}, seen
    context.close()


@pytest.mark.parametrize("state", ["empty", "partly answered", "finished"])
def test_axe_finds_no_violation(live, checker_data, axe_source, state):
    page = live
    start_again(page)
    if state == "partly answered":
        answer_with_mouse(page, checker_data, {"role": "worried_about_own_behaviour", "channel": "email"})
    elif state == "finished":
        answer_with_mouse(page, checker_data, JOURNEYS["experiencing_abuse"]["answers"])
    assert axe_violations(page, axe_source) == []


def test_progress_then_ready(live, checker_data):
    """While Pyodide loads the page says what is happening; then the explanation replaces it. Read on the module's
    own load of the page (the `live` fixture), before any test answered."""
    widget = checker_data["wording"]["widget"]
    now = live.while_loading
    if now["state"] == "loading":  # on a fast machine it may already be past this
        assert now["text"] in (widget["loading"], widget["loading_policy"])
        assert now["visible"]
    assert live.first_outcome == expected_view(checker_data, {})["outcome"]


def test_the_engine_loads_while_the_page_script_is_on_its_way(browser, site_url, checker_data):
    """The page's first script starts the worker (checker-start.js): Pyodide downloads while the page script is
    still held back, and what the worker said meanwhile is read once the page script arrives."""
    context = browser.new_context()
    page = context.new_page()
    # The page's clock stands still while the page script is held. Otherwise, on a machine slow enough that the
    # hold lasts 10 s, the layout script's fallback (tested below) stops the worker, and the page script rightly
    # starts a new one. The worker's own clock runs: Pyodide loads as usual.
    page.clock.install(time=CLOCK_START)
    page.clock.pause_at(CLOCK_START + 1)   # a second on: pausing may not go back, and the clock has run a little
    held = []
    page.route("**/checker-page.*.mjs", lambda route: held.append(route))
    # Listening for the runtime's arrival before the page is asked for: on a quick loopback it can arrive before
    # a listener set up after the worker's event would be.
    with page.expect_event("requestfinished", predicate=lambda r: r.url.endswith("/pyodide.asm.wasm"),
                           timeout=START_TIMEOUT_MS):
        with page.expect_event("worker", predicate=lambda w: "checker-worker" in w.url) as started:
            page.goto(f"{site_url}/checker.html", wait_until="commit")
    # Pyodide's runtime came while the page script was not there. A busy main thread may ask for the page script
    # only after that (the worker's download is quick on this machine's loopback): wait for it to be held.
    for _ in range(600):
        if held:
            break
        page.wait_for_timeout(50)   # Playwright's own timer: the page's clock stands still
    assert len(held) == 1, "the page script was not asked for, or not held"
    assert not page.evaluate("document.getElementById('checker').classList.contains('checker--started')")
    workers = [started.value]
    page.on("worker", lambda worker: workers.append(worker))
    held[0].continue_()
    page.wait_for_selector("#checker.checker--started", state="attached", timeout=START_TIMEOUT_MS)
    page.clock.resume()
    page.wait_for_selector(IDLE, state="attached", timeout=START_TIMEOUT_MS)
    assert read_result(page) == expected_view(checker_data, {})
    assert not [w for w in workers[1:] if "checker-worker" in w.url], "the page script started a second worker"
    context.close()


def test_the_worker_starts_while_the_stylesheets_are_on_their_way(browser, site_url, checker_data):
    """The first script is in the page's head, before the theme's stylesheets (checker-start.js): it starts the
    worker while they are held back, where a script after them would wait until they had arrived."""
    context = browser.new_context()
    page = context.new_page()
    held, released = [], []
    page.route("**/*.css", lambda route: route.continue_() if released else held.append(route))
    with page.expect_event("worker", predicate=lambda w: "checker-worker" in w.url, timeout=20_000):
        page.goto(f"{site_url}/checker.html", wait_until="commit")
    # No stylesheet has arrived: each is held until released below. Their routes may reach this script after the
    # worker's event does (both come through Playwright's driver), so wait for them to be seen.
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held and all(route.request.url.endswith(".css") for route in held)
    released.append(True)
    for route in held:
        route.continue_()
    page.wait_for_selector(IDLE, state="attached", timeout=START_TIMEOUT_MS)
    assert read_result(page) == expected_view(checker_data, {})
    context.close()


def test_a_page_script_that_never_arrives_stops_the_worker_the_page_started(browser, site_url):
    """After 10 s without the page script the page shows what a reader without scripts sees, and the worker its
    first script started is stopped: nothing more downloads for a page that cannot use it."""
    context = browser.new_context()
    page = context.new_page()
    page.route("**/checker-page.*.mjs", lambda route: route.abort())
    with page.expect_event("worker", predicate=lambda w: "checker-worker" in w.url) as started:
        page.goto(f"{site_url}/checker.html", wait_until="commit")
    with started.value.expect_event("close", timeout=30_000):
        page.wait_for_selector("#checker:not(.checker--js)", state="attached", timeout=30_000)
    expect(page.locator("#checker-no-script")).to_be_visible()
    expect(page.locator("#checker-static")).to_be_visible()
    assert page.locator("#checker-live").is_hidden()
    context.close()
