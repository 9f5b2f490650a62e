"""A journey for each kind of caller by keyboard alone: Tab, arrow keys, Space, digits and Enter."""

from __future__ import annotations

import pytest

from checker_helpers import JOURNEYS, ROLES, check_journey_end, open_checker, wait_idle

MAX_TABS = 200


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {id: e.id, name: e.getAttribute('name'), type: e.type, value: e.value, checked: !!e.checked}; }""")


def tab_until(page, predicate, what: str) -> dict:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if predicate(now):
            return now
    raise AssertionError(f"{what} was not reached with {MAX_TABS} presses of Tab")


@pytest.fixture(scope="module")
def keyboard_checker(browser, site_url):
    """One checker page for the module's journeys (each page load starts Pyodide, seconds of processor). The
    first journey tabs in from the top of the page; each ends with Start again, which leaves focus on the first
    question (asserted there), where the next journey begins."""
    # en-US: the date field takes month, day, year, in that order.
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_checker(page, site_url)
    yield page
    context.close()


@pytest.fixture
def keyboard_page(keyboard_checker):
    page = keyboard_checker
    if page.locator("#checker-form input:checked").count() or focused(page)["name"] not in ("role", None):
        page.click("#checker-start-again")   # a journey before this one failed part-way
        wait_idle(page)
    return page


@pytest.mark.parametrize("role", ROLES)
def test_journey_by_keyboard(keyboard_page, checker_data, role):
    page, journey = keyboard_page, JOURNEYS[role]
    answers = journey["answers"]
    last = [q["id"] for q in checker_data["questions"] if q["id"] in answers][-1]
    now = focused(page)
    if now["name"] != "role":   # the first journey: from the top of the page
        now = tab_until(page, lambda f: f["name"] == "role", "the first question")
    done: set[str] = set()
    while True:
        name = now["name"]
        if name in answers and name not in done:
            if now["type"] == "date":
                year, month, day = answers[name].split("-")
                page.keyboard.type(month + day + year)
            else:
                if now["value"] == answers[name]:
                    page.keyboard.press("Space")
                while focused(page)["value"] != answers[name]:
                    page.keyboard.press("ArrowDown")  # moves within the group and chooses
            wait_idle(page)
            done.add(name)
            if name == last:
                break
        now = tab_until(page, lambda f: f["name"] in answers and f["name"] not in done or f["id"] == "checker-start-again",
                        f"the next question after {name}")
        if now["id"] == "checker-start-again":
            break
    assert done == set(answers)
    check_journey_end(page, checker_data, journey)

    # Start again from the keyboard: every answer goes, and focus is back on the first question.
    tab_until(page, lambda f: f["id"] == "checker-start-again", "Start again")
    page.keyboard.press("Enter")
    wait_idle(page)
    assert page.locator("#checker-form input:checked").count() == 0
    assert focused(page)["name"] == "role"
