"""A translated page of Lantern Line's site in Chromium at 390x844 (its site built once a run, example_site): the
switcher keeps the reader on the same page, each language searches its own pages, nothing is requested from
another origin or stored, axe finds nothing, and the live checker answers in the page's language with the English
outcome, each quote opening to the original's words (tests/test_site_languages.py reads the HTML; here beside the
checker's helpers). The Arabic pages (issue 29) read right to left at 390 and 1280 px, the quick exit mirrored with
the header and working, numbers and the original's words left to right, the checker's boxes and failure mirrored."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from checker import evaluate
from checker_helpers import READY, START_TIMEOUT_MS, answer_in_page, read_result, sample_answer_sets, wait_idle
from explanation_view import expected_view
from generator.source.policy_model import load_policy
from generator.source.translations import load_translation
from generator.source.yaml_source import normalise_space
from harness import EXAMPLES, ROOT, serve

PHONE = {"width": 390, "height": 844}
# Each quote of the live explanation: its clause, and the lang and words of the fold after it (null if none).
ORIGINAL_WORDS = """() => [...document.querySelectorAll("#checker-result details.quotes > blockquote.quote")].map((q) => {
    const fold = q.nextElementSibling;
    const words = fold && fold.matches("details.quote__original") ? fold.querySelector("p") : null;
    return [q.dataset.clause, words && words.getAttribute("lang"), words && words.textContent];
})"""


@pytest.fixture(scope="module")
def lantern_url(example_site):
    url, server = serve(example_site("lantern-line"))
    yield url
    server.shutdown()


def test_the_switcher_keeps_the_page(browser, lantern_url):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{lantern_url}/cy/policy.html")
    for name, lang, path in [("Polski", "pl", "/pl/policy.html"), ("English", "en", "/policy.html"),
                             ("Cymraeg", "cy", "/cy/policy.html")]:
        page.click(".md-select .md-header__button")   # the switcher's button opens its list
        with page.expect_navigation():
            page.click(f".md-select__link:text-is('{name}')")
        assert page.url == lantern_url + path
        assert page.get_attribute("html", "lang") == lang
    page.close()


TRANSLATIONS = ("cy", "pl", "ar")
SCREENSHOTS = ROOT / "test-results" / "screenshots"
# Kept for a person to look at: a caller page and the answered checker, in Arabic, on a phone.
SCREENSHOT_PAGES = ("ar/being-harmed.html", "ar/checker.html")
# An answer set under which both of Lantern's exceptions apply: the verdict bar, two exception boxes with quotes.
RTL_ANSWERS = {"role": "worried_about_someone", "contact_method": "phone", "asked_to_tell_someone": "yes",
               "life_in_danger": "yes"}
# Where things are on the page: the body's direction, the quick exit's left and right edges against the width,
# and for the checker's boxes (an exception, the verdict bar, a failure) their direction and the side of their rule.
LAYOUT = """() => {
    const box = (selector) => {
        const e = document.querySelector(selector);
        if (!e) return null;
        const style = getComputedStyle(e);
        return {direction: style.direction, left: parseFloat(style.borderLeftWidth),
                right: parseFloat(style.borderRightWidth)};
    };
    const exit = document.querySelector("[data-qe-exit]").getBoundingClientRect();
    return {direction: getComputedStyle(document.body).direction, width: innerWidth,
            exit: [exit.left, exit.right], exception: box("#checker-result .exception"),
            verdict: box(".checker-verdict"), failed: box(".checker-failed")};
}"""


@pytest.fixture(scope="module")
def arabic_data():
    return load_translation(load_policy(EXAMPLES / "lantern-line.yaml"), "ar").checker_data


@pytest.fixture(scope="module")
def walk(browser, example_site, lantern_url, arabic_data):
    """Every Welsh and Polish page, walked once in one context at 390x844 (the original's pages are walked by
    tests/browser/every_page.py), each checker page until its live checker is ready: every request and every
    failed response, axe-core's violations on each page, and what the origin stores. The Welsh checker comes last
    and its page stays open for the answers' test: each load of a checker page starts Pyodide (seconds of
    processor), and these three tests loaded it four times."""
    site = example_site("lantern-line")
    paths = sorted(f"{code}/{p.name}" for code in TRANSLATIONS for p in (site / code).glob("*.html"))
    paths.remove("cy/checker.html")
    paths.append("cy/checker.html")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.add_init_script(path=str(ROOT / "node_modules" / "axe-core" / "axe.min.js"))   # the CSP refuses inline
    requests: list[str] = []
    failed: list[tuple[int, str]] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    violations, layout = [], {}
    for path in paths:
        page.goto(f"{lantern_url}/{path}")
        if page.locator("#checker-result").count():
            page.wait_for_selector(READY, state="attached", timeout=START_TIMEOUT_MS)
        layout[path] = page.evaluate(LAYOUT)
        if path in SCREENSHOT_PAGES:
            if path.endswith("checker.html"):   # answered: the verdict bar, the exceptions, the quotes
                answer_in_page(page, arabic_data, RTL_ANSWERS, from_start=True)
                layout[path] = page.evaluate(LAYOUT)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"{path.replace('/', '-')[:-5]}-390.png")
        for v in page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]:
            violations.append(f"{path}: {v['id']} ({v['impact']}): {v['help']} — "
                              + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5]))
    page.wait_for_timeout(500)
    # Reading IndexedDB's list opens the origin's storage, so it comes after every page.
    yield {"paths": paths, "requests": list(requests), "failed": list(failed), "violations": violations,
           "layout": layout, "state": context.storage_state(indexed_db=True), "page": page}
    context.close()


@pytest.mark.parametrize("path, query, folder", [("/cy/policy.html", "niweidio", "cy/"),
                                                  ("/pl/policy.html", "wysyłasz", "pl/"),   # ł: no trimmer cuts it
                                                  ("/ar/policy.html", "الطوارئ", "ar/"),   # lunr's Arabic
                                                  ("/policy.html", "Lantern", "")])
def test_each_language_searches_its_own_pages(browser, lantern_url, path, query, folder):
    """A page searches its language's index (generator/mkdocs/languages.py, split_search_index): a Welsh reader's
    results are Welsh pages, the original's reader meets no translated page ("Lantern" is on every page of every
    language)."""
    page = browser.new_page(viewport=PHONE)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith("search_index.json") else None)
    page.goto(lantern_url + path)
    page.click(".md-header label[for='__search']")
    box = page.locator(".md-search__input")
    box.press_sequentially(query, delay=30)
    # The theme searches on a key's release; Playwright types a letter no US key has (all of Arabic) as inserted
    # text, with no key released, so a key that moves the caret ends the typing as a phone's keyboard would.
    box.press("End")
    links = page.locator(".md-search-result__link")
    links.first.wait_for()
    found = [urlsplit(h).path.removeprefix("/") for h in links.evaluate_all("(a) => a.map((e) => e.href)")]
    assert fetched == [f"{lantern_url}/{folder}search/search_index.json"]
    others = [p for p in found if not p.startswith(folder) or (not folder and p.split("/")[0] in TRANSLATIONS)]
    assert found and not others, found
    page.close()


def test_a_translated_page_asks_no_other_origin_and_stores_nothing(walk, lantern_url):
    """Nor asks for anything the site lacks: the theme's script reads each hreflang language's sitemap.xml, which
    each language's folder now has (every page of a translated site logged two failed requests). Every Welsh and
    Polish page, the live checker's files included (before: three of them)."""
    requests = walk["requests"]
    assert requests and {urlsplit(u).netloc for u in requests} == {urlsplit(lantern_url).netloc}, requests
    assert walk["failed"] == [] and any(u.endswith("/cy/sitemap.xml") for u in requests), walk["failed"]
    assert any(u.endswith(".whl") for u in requests), "the live checker's files were not seen"
    state = walk["state"]
    assert state["cookies"] == [] and state["origins"] == [], state


def test_the_translated_checker_answers_in_its_language_with_the_english_outcome(walk):
    """On the walk's last page, the Welsh checker."""
    english = load_policy(EXAMPLES / "lantern-line.yaml")
    welsh = load_translation(english, "cy").checker_data
    page = walk["page"]
    assert page.url.endswith("/cy/checker.html")
    assert page.get_attribute("#checker-result", "data-state") == "ready"
    wait_idle(page)
    dates = {q["id"] for q in welsh["questions"] if q["type"] == "date"}   # the helper types Respect's date alone
    for answers in [a for a in sample_answer_sets(welsh, 12) if not dates & set(a)][:8]:
        answer_in_page(page, welsh, answers, from_start=True)
        assert read_result(page) == expected_view(welsh, answers), answers   # the Welsh words
        assert page.get_attribute("#checker-result", "data-outcome") == evaluate(english.checker_data,
                                                                                  answers)["outcome"]
        # Each quote opens to the original's words of it, in the original's clause, with the original's `lang`.
        for clause, lang, said in page.evaluate(ORIGINAL_WORDS):
            assert lang == english.metadata["language"], (answers, clause)
            assert normalise_space(said.strip("“”")) in normalise_space(english.clauses[clause]["text"]), said
        assert page.locator("#checker-result blockquote.quote").count() > 0


def test_axe_finds_no_violation_on_any_translated_page(walk):
    assert len(walk["paths"]) > 10 and not walk["violations"], "\n".join(walk["violations"])


def test_the_welsh_letters_the_typeface_lacks_come_from_its_successors_core_file(walk):
    """Lantern's Welsh pages show "pobl hŷn" and "Ynglŷn â": ŷ is drawn from Atkinson Hyperlegible Next
    (generator/typeface.py), from the small core file the build cut to the letters the site shows
    (generator/mkdocs/fonts.py), not the whole file, and not from a font of the phone's."""
    fetched = {url.rsplit("/", 1)[1] for url in walk["requests"] if url.endswith(".woff2")}
    assert [name for name in fetched
            if re.fullmatch(r"atkinson-hyperlegible-next-latin-ext-(400|700)-normal\.[0-9a-f]{12}\.woff2", name)], fetched
    assert not [name for name in fetched if not re.search(r"\.[0-9a-f]{12}\.woff2$", name)], fetched


def test_arabic_pages_read_right_to_left_with_the_quick_exit_mirrored_with_the_header(walk):
    """At 390x844, every page: the theme's direction follows the page's language (right to left in Arabic, left
    to right in Welsh and Polish), and the quick exit, at the end of the header in a left-to-right page (top right),
    is at its end in Arabic too, mirrored with the rest of the header: top left (decision: DESIGN.md, issue 29)."""
    for path, seen in walk["layout"].items():
        rtl = path.startswith("ar/")
        assert seen["direction"] == ("rtl" if rtl else "ltr"), path
        left, right = seen["exit"]
        assert (right < seen["width"] / 2) if rtl else (left > seen["width"] / 2), (path, seen["exit"])
    assert len([p for p in walk["layout"] if p.startswith("ar/")]) == len([p for p in walk["paths"]
                                                                            if p.startswith("ar/")]) >= 9


def test_the_arabic_checker_mirrors_its_explanation_and_its_verdict_bar(walk):
    """The answered Arabic checker (both exceptions apply): the exception boxes and the verdict bar are right to
    left, each exception's rule on its right (the stylesheets' inline-start, which is the left in English)."""
    seen = walk["layout"]["ar/checker.html"]
    assert seen["exception"] == {"direction": "rtl", "left": 0, "right": pytest.approx(4, abs=1)}, seen
    assert seen["verdict"]["direction"] == "rtl"


def test_the_arabic_checkers_failure_message_is_right_to_left(browser, lantern_url):
    """The runtime refused at once (every Pyodide file fails): the failure box mirrors as the explanation does."""
    context = browser.new_context(viewport=PHONE)
    context.route("**/assets/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{lantern_url}/ar/checker.html")
    page.wait_for_selector("#checker-result[data-state=failed]", state="attached", timeout=START_TIMEOUT_MS)
    failed = page.evaluate(LAYOUT)["failed"]
    assert failed["direction"] == "rtl" and failed["right"] > 0 and failed["left"] == 0, failed
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "ar-checker-failed-390.png")
    context.close()


def test_arabic_pages_at_1280_mirror_the_menu_and_keep_numbers_and_the_originals_words_left_to_right(
        browser, lantern_url):
    """At 1280 px: right to left, no axe violation, the menu on the right of the text, the quick exit on the left;
    the phone number, the address and the original's English words each left to right inside the Arabic page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(path=str(ROOT / "node_modules" / "axe-core" / "axe.min.js"))
    for path in ("ar/index.html", "ar/policy.html", "ar/about.html"):
        page.goto(f"{lantern_url}/{path}")
        assert page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"] == [], path
        seen = page.evaluate(LAYOUT)
        assert seen["direction"] == "rtl" and seen["exit"][1] < 640, (path, seen)
        menu = page.locator(".md-sidebar--primary").bounding_box()
        content = page.locator(".md-content").bounding_box()
        assert menu["x"] > content["x"] + content["width"] / 2, path
        if path == "ar/policy.html":
            original = page.locator(".clause__original p").first
            assert original.get_attribute("lang") == "en-GB"
            assert original.evaluate("e => getComputedStyle(e).direction") == "ltr"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / "ar-policy-1280.png")
    for selector in ("#contact-phone a", "#contact-website a"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).direction") == "ltr", selector
    # The number's groups in their order from left to right: 0808 before 0102.
    phone = page.locator("#contact-phone a")
    assert phone.evaluate("""e => { const r = document.createRange(), t = e.firstChild, s = t.textContent;
        const at = (i) => { r.setStart(t, i); r.setEnd(t, i + 1); return r.getBoundingClientRect().left; };
        return at(0) < at(s.length - 1); }""")
    context.close()


def test_the_quick_exit_leaves_an_arabic_page_by_the_button_and_by_shift_three_times(browser, lantern_url):
    """Two of two: the button, then Shift three times, each from an Arabic page at 390 px, each to the neutral
    site (answered here: tests never touch the network)."""
    neutral = load_policy(EXAMPLES / "lantern-line.yaml").value("safety", "quick_exit_url")
    context = browser.new_context(viewport=PHONE)
    context.route(f"{neutral}**", lambda route: route.fulfill(status=200, content_type="text/html",
                                                              body="<!doctype html><title>Weather</title><p>Sunny"))
    page = context.new_page()
    page.goto(f"{lantern_url}/ar/policy.html")
    page.click("[data-qe-exit]")
    page.wait_for_url(f"{neutral}**")
    page.goto(f"{lantern_url}/ar/about.html")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(f"{neutral}**")
    assert page.title() == "Weather"
    context.close()
