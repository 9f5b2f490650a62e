"""axe-core (pinned in package.json) on every built page, on a phone-sized and a desktop-sized screen; and the
quick exit in view, uncovered, on every page at both sizes, also with the menu or the search open."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from support import ROOT
from support import site_pages  # noqa: F401  (fixtures)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = [360, 1280]

UNCOVERED = """() => {
    const button = document.querySelector('[data-qe-exit]');
    const box = button.getBoundingClientRect();
    const inView = box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth
        && box.width > 0 && box.height > 0;
    // Every corner and the centre must hit the button itself: nothing lies over any part of it.
    const points = [[box.left + 2, box.top + 2], [box.right - 2, box.top + 2], [box.left + 2, box.bottom - 2],
                    [box.right - 2, box.bottom - 2], [box.left + box.width / 2, box.top + box.height / 2]];
    const covered = points.filter(([x, y]) => !button.contains(document.elementFromPoint(x, y)));
    return {inView, covered: covered.length};
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_any_page(page, site_url, site_pages, width):
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci`"
    page.set_viewport_size({"width": width, "height": 800})
    page.add_init_script(path=str(AXE))  # as an init script: the page's CSP rightly refuses inline scripts
    found = []
    for name in site_pages:
        page.goto(f"{site_url}/{name}", wait_until="networkidle")
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            found.append(f"{name} at {width}px: {v['id']} ({v['impact']}): {v['help']} — {targets}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_quick_exit_is_in_view_and_uncovered_on_every_page(page, site_url, site_pages, width):
    page.set_viewport_size({"width": width, "height": 740})
    wrong = []
    for name in site_pages:
        page.goto(f"{site_url}/{name}", wait_until="networkidle")
        states = {"top": page.evaluate(UNCOVERED)}
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        states["scrolled"] = page.evaluate(UNCOVERED)
        if width < 1220:  # the menu becomes a drawer over the page
            page.click(".md-header label[for='__drawer']")
            expect(page.locator("#__drawer")).to_be_checked()
            states["menu open"] = page.evaluate(UNCOVERED)
            page.keyboard.press("Escape")
        page.evaluate("document.getElementById('__drawer').checked = false")
        page.click(".md-header label[for='__search']" if width < 960 else ".md-search__input")
        expect(page.locator("#__search")).to_be_checked()
        states["search open"] = page.evaluate(UNCOVERED)
        wrong += [f"{name} at {width}px, {when}: {state}" for when, state in states.items()
                  if not state["inView"] or state["covered"]]
    assert not wrong, "the quick exit is out of view or covered:\n" + "\n".join(wrong)


def test_the_quick_exit_is_not_printed(page, site_url):
    page.goto(f"{site_url}/policy.html")
    page.emulate_media(media="print")
    assert not page.locator("[data-qe-exit]").is_visible()
    page.emulate_media(media="screen")
    assert page.locator("[data-qe-exit]").is_visible()
