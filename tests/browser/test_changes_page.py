"""The "What changed" page of the made-up version 1.1 (tests/examples/respect-1.1/), in Chromium: what each kind of
caller reads, the policy's words before and after, the caller pages' link to it and the checker's note.

The site is built as on 15 March 2027 (SOURCE_DATE_EPOCH), two weeks after 1.1 took effect: the change is recent.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from support import ROOT, build_site, serve

CONFIG = ROOT / "tests" / "examples" / "respect-1.1" / "mkdocs.yml"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BUILT_ON = dt.datetime(2027, 3, 15, tzinfo=dt.timezone.utc)

READ_CHANGES = """() => [...document.querySelectorAll(".changes[data-audience]")].map((box) => ({
  audience: box.dataset.audience,
  heading: box.previousElementSibling.textContent.replace(/#$/, "").trim(),
  none: box.querySelector(".changes__none")?.textContent ?? null,
  changes: [...box.querySelectorAll(".change")].map((c) => ({
    kind: c.dataset.kind,
    heading: c.querySelector(".change__heading").textContent,
    when: [...c.querySelectorAll(".change__when")].map((w) => w.textContent),
    answers: [...c.querySelectorAll(".change__answers > div")].map((d) =>
      [d.querySelector("dt").textContent, d.querySelector("dd").textContent]),
    before: c.querySelector(".change__before") && {
      label: c.querySelector(".change__before .change__label").textContent,
      text: c.querySelector(".change__before .change__text").textContent,
      quotes: [...c.querySelectorAll(".change__before .quote")].map((q) => q.innerText)},
    after: c.querySelector(".change__after") && {
      label: c.querySelector(".change__after .change__label").textContent,
      text: c.querySelector(".change__after .change__text").textContent,
      quotes: [...c.querySelectorAll(".change__after .quote")].map((q) => q.innerText)},
  })),
}))"""

SERIOUS_CRIME = {
    "kind": "exception_added",
    "heading": "New. What you tell us could now be passed on in this case.",
    "when": ["This is for you if you answer:"],
    "answers": [["Would you tell us of a plan to commit a serious crime?", "Yes"]],
    "before": None,
    "after": {"label": "From 1 March 2027, in version 1.1:",
              "text": "Because you would tell us of a plan to commit a serious crime, that does not stay "
                      "confidential. It could be passed to the police.",
              "quotes": ["“a caller tells us of a plan to commit a serious crime” Read this part of the policy"]},
}
SHORTER = {
    "kind": "record_period",
    "heading": "How long we keep it has changed.",
    "when": ["This is for you if you answer:"],
    "answers": [["How are you getting in touch?", "By email or By letter"]],
    "before": {"label": "Before, in version 1.0:",
               "text": "We keep a copy of your email or letter, and of our replies, for six months. Then we destroy "
                       "them securely.",
               "quotes": ["“A copy of an incoming email/letter and our response(s) to it will be kept for six months "
                          "and then it will be destroyed in a secure manner.”"]},
    "after": {"label": "From 1 March 2027, in version 1.1:",
              "text": "We keep a copy of your email or letter, and of our replies, for three months. Then we destroy "
                      "them securely.",
              "quotes": ["“A copy of an incoming email/letter and our response(s) to it will be kept for three months "
                         "and then it will be destroyed in a secure manner.” Read this part of the policy"]},
}
NO_LONGER_THE_PARTNER = {
    "kind": "recipients",
    "heading": "Who it could be passed to has changed.",
    "when": ["This is for you if you answer:"],
    "answers": [["From what you would tell us, could someone be unsafe because of your behaviour?",
                 "I am worried I could hurt a particular person or Someone could be in danger from me now"]],
    "before": {"label": "Before, in version 1.0:",
               "text": "If our workers believe you are a particular risk to someone, they will share that with all "
                       "the people who need to know. This includes outside agencies and your partner or ex-partner.",
               "quotes": ["“If phoneline workers believe that a perpetrator poses a particular risk, they will share "
                          "that information with all relevant people, including outside agencies and his (ex) "
                          "partner.”"]},
    "after": {"label": "From 1 March 2027, in version 1.1:",
              "text": "If our workers believe you are a particular risk to someone, they will share that with all "
                      "the people who need to know. This includes outside agencies.",
              "quotes": ["“If phoneline workers believe that a perpetrator poses a particular risk, they will share "
                         "that information with all relevant people, including outside agencies.” Read this part of "
                         "the policy"]},
}


@pytest.fixture(scope="module")
def changes_url(tmp_path_factory):
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(BUILT_ON.timestamp()))
    try:
        site = build_site(tmp_path_factory.mktemp("respect-1.1") / "site", CONFIG)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    url, server = serve(site)
    yield url
    server.shutdown()


def test_each_kind_of_caller_reads_what_changed_for_them_with_the_policys_words_before_and_after(page, changes_url):
    page.goto(f"{changes_url}/what-changed.html")
    assert page.locator("h1").inner_text().removesuffix("#").strip() == "What changed in this version"
    assert page.locator(".lead").inner_text() == (
        "This is version 1.1 of the policy, in use from 1 March 2027. Below is what is different from version 1.0, "
        "for each kind of caller, in the policy's own words before and after.")
    assert page.evaluate(READ_CHANGES) == [
        {"audience": "worried-about-own-behaviour", "heading": "If you are worried about your own behaviour",
         "none": None, "changes": [SERIOUS_CRIME, NO_LONGER_THE_PARTNER, SHORTER]},
        {"audience": "experiencing-abuse", "heading": "If you are being abused",
         "none": None, "changes": [SERIOUS_CRIME, SHORTER]},
        {"audience": "friends-family-professionals", "heading": "If you are a friend, a relative or a professional",
         "none": None, "changes": [SERIOUS_CRIME, SHORTER]},
    ]


def test_the_wording_changes_cross_out_and_underline_words_and_say_so_to_a_screen_reader(page, changes_url):
    page.goto(f"{changes_url}/what-changed.html")
    publicity = page.locator('.wording-change[data-clause="publicity"]')
    assert publicity.locator(".change__label").inner_text() == "The policy’s words changed:"
    own_words = "(all) => all.map((d) => [...d.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(''))"
    assert publicity.locator("del").evaluate_all(own_words) == ["copies", "available", "the general public"]
    assert publicity.locator("ins").evaluate_all(own_words) == ["a copy", "given", "anyone who asks for one"]
    # The labels are for screen readers: on the screen they take no room.
    sizes = publicity.locator(".visually-hidden").evaluate_all(
        "(all) => all.map((s) => s.getBoundingClientRect()).map((r) => r.width * r.height)")
    assert len(sizes) == 6 and max(sizes) <= 1
    # What a screen reader reads (the hidden labels included): every word once, in order.
    assert publicity.locator(".word-diff").text_content() == (
        "This confidentiality policy will be part of our publicity material for the phoneline and "
        "taken out: copies added: a copy of it will be taken out: available added: given to "
        "taken out: the general public added: anyone who asks for one.")
    assert page.locator(".wording-change").evaluate_all("(all) => all.map((w) => w.dataset.kind + ' ' + w.dataset.clause)") == [
        "clause_added exception-serious-crime", "clause_changed perpetrator-risk", "summary_changed perpetrator-risk",
        "clause_changed email-and-post-records", "summary_changed email-and-post-records", "clause_changed publicity"]
    # The crossed-out words look crossed out.
    assert "line-through" in publicity.locator("del").first.evaluate("(d) => getComputedStyle(d).textDecorationLine")


@pytest.mark.parametrize("audience", ["worried-about-own-behaviour", "experiencing-abuse",
                                      "friends-family-professionals"])
def test_each_caller_page_links_to_what_changed_for_its_callers(page, changes_url, audience):
    page.goto(f"{changes_url}/{audience}.html")
    prompt = page.locator(".changes-prompt")
    assert prompt.inner_text() == "The policy changed on 1 March 2027. See what is different for you."
    prompt.locator("a").click()
    page.wait_for_url(f"**/what-changed.html#for-{audience}")
    assert page.locator(f"#for-{audience} + .changes").get_attribute("data-audience") == audience


def test_axe_finds_no_violation_on_the_page(page, changes_url):
    page.add_init_script(path=str(AXE))
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{changes_url}/what-changed.html", wait_until="networkidle")
        violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
        assert not violations, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


def test_the_checker_says_when_an_explanation_changed(page, changes_url):
    page.goto(f"{changes_url}/checker.html")
    page.wait_for_selector("#checker-result[data-state=ready]", timeout=120_000)
    page.check("#checker-role-experiencing_abuse")
    for question in ("child_or_vulnerable_adult_at_risk", "consent_to_share", "terrorism_or_bomb_warning",
                     "threatened_or_abused_staff", "interfered_with_service", "serious_crime_planned"):
        page.check(f"#checker-{question}-no")
    page.check("#checker-channel-phone")
    page.wait_for_selector("#checker-result[data-outcome=confidential][aria-busy=false]")
    page.wait_for_timeout(300)
    assert page.locator("#checker-changed").count() == 0   # by phone, answering no to all: as in 1.0
    page.check("#checker-channel-email")
    note = page.locator("#checker-result .explanation__headline + #checker-changed")
    note.wait_for()
    assert note.inner_text() == "Part of this explanation changed on 1 March 2027. See what changed."
    assert note.locator("a").get_attribute("href") == "what-changed.html"
    page.check("#checker-channel-phone")
    page.wait_for_selector("#checker-result[data-outcome=confidential][aria-busy=false]")
    page.wait_for_timeout(300)
    assert page.locator("#checker-changed").count() == 0


def test_a_nav_naming_some_pages_gets_the_others_at_their_places_and_keeps_its_own_label(page, changes_url):
    """respect-1.1's mkdocs.yml names five pages, one under a label of its own: the menu has every page of the
    policy, in the policy's order, with that label."""
    page.goto(f"{changes_url}/index.html")
    links = page.evaluate("""() => [...document.querySelectorAll("nav.md-nav--primary > ul > li > a.md-nav__link")]
        .map((a) => [a.getAttribute("href"), a.textContent.trim()])""")
    assert [href for href, _ in links] == [
        "index.html", "worried-about-own-behaviour.html", "experiencing-abuse.html",
        "friends-family-professionals.html", "checker.html", "policy.html", "emails-and-letters.html",
        "what-changed.html", "staying-safe-online.html", "print-leaflets.html", "about.html"]
    assert dict(links)["what-changed.html"] == "What is new"
