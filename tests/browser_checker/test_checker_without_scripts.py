"""The checker page before any script runs: the contract's form, and a static explanation for each caller."""

from __future__ import annotations

import pytest

from checker_helpers import READ_EXPLANATION, dumps, expected_view


@pytest.fixture(scope="module")
def no_js(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site_url}/checker.html")
    yield page, requests
    context.close()


def test_every_question_is_a_form_control_named_by_the_contract(no_js, checker_data):
    page, _ = no_js
    for question in checker_data["questions"]:
        controls = page.locator(f"#checker-form [name='{question['id']}']")
        if question["type"] == "date":
            assert controls.count() == 1
            assert controls.get_attribute("type") == "date"
            label = page.locator(f"label[for='{controls.get_attribute('id')}']")
            assert label.inner_text() == question["label"]
        else:
            values = [controls.nth(i).get_attribute("value") for i in range(controls.count())]
            assert values == [v["value"] for v in question["values"]], question["id"]
            assert all(controls.nth(i).get_attribute("type") == "radio" for i in range(controls.count()))
            box = page.locator(f"fieldset[data-question='{question['id']}']")
            assert box.locator("legend").inner_text() == question["label"]
            for v in question["values"]:
                assert page.locator(f"label[for='checker-{question['id']}-{v['value']}']").inner_text() == v["label"]
        if question.get("hint"):
            box = page.locator(f"[data-question='{question['id']}']")
            described = box.get_attribute("aria-describedby") or controls.first.get_attribute("aria-describedby")
            assert page.locator(f"#{described}").inner_text() == question["hint"]


def test_without_scripts_every_question_shows_and_the_page_says_how_to_read_on(no_js, checker_data):
    page, _ = no_js
    widget = checker_data["wording"]["widget"]
    for question in checker_data["questions"]:
        assert page.locator(f"[data-question='{question['id']}']").is_visible(), question["id"]
    assert page.get_by_text(widget["no_script"]).is_visible()
    assert not page.locator("#checker-live").is_visible()
    assert page.get_by_role("heading", name=widget["static_heading"]).is_visible()
    # No submit button anyone can use: the form has nowhere to send answers.
    assert page.locator("#checker-form button:not([disabled]), #checker-form input[type=submit]").count() == 0


def test_enter_in_the_form_never_puts_answers_in_the_url(no_js):
    page, _ = no_js
    url = page.url
    page.click("label[for='checker-role-experiencing_abuse']")
    page.click("label[for='checker-channel-email']")
    page.fill("#checker-contact_date", "2026-03-03")
    page.press("#checker-contact_date", "Enter")
    page.press("#checker-channel-email", "Enter")
    page.wait_for_timeout(300)  # a navigation, if Enter started one, would have begun by now
    assert page.url == url
    assert "?" not in page.url


@pytest.mark.parametrize("role", ["worried_about_own_behaviour", "experiencing_abuse", "friend_or_family",
                                  "professional"])
def test_static_explanation_for_each_caller_is_the_engines(no_js, checker_data, role):
    page, _ = no_js
    details = page.locator(f"details[data-role='{role}']")
    label = next(v["label"] for v in checker_data["questions"][0]["values"] if v["value"] == role)
    summary = details.locator(":scope > summary")
    assert summary.inner_text() == label
    summary.click()  # opening a <details> needs no script
    assert details.locator(".explanation").is_visible()
    shown = details.evaluate(READ_EXPLANATION)
    expected = expected_view(checker_data, {"role": role})
    assert shown == expected, dumps({"shown": shown, "expected": expected})


def test_without_scripts_nothing_of_pyodide_is_fetched(no_js):
    _, requests = no_js
    assert not [u for u in requests if "/assets/pyodide/" in u or "/assets/checker/" in u and u.endswith((".whl", ".json", ".mjs"))]


def test_only_the_checker_page_loads_pyodide(browser, site_url, built_site):
    """With scripts on, every other page is visited: none fetches any of Pyodide, the wheel or the worker."""
    context = browser.new_context()
    page = context.new_page()
    fetched: dict[str, list[str]] = {}
    current = {"page": ""}
    page.on("request", lambda r: fetched.setdefault(current["page"], []).append(r.url))
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    assert "checker.html" in pages
    for name in pages:
        if name == "checker.html":
            continue
        current["page"] = name
        page.goto(f"{site_url}/{name}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)
    context.close()
    heavy = {name: [u for u in urls if "/assets/pyodide/" in u or "/assets/checker/" in u]
             for name, urls in fetched.items()}
    assert not {k: v for k, v in heavy.items() if v}, heavy
