"""Screenshots of a page at 360 and 1280 px with the quick exit in view, for a person to look at.
They go to test-results/screenshots/ (ignored by git)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from support import ROOT

SHOTS = ROOT / "test-results" / "screenshots"


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshot_with_the_quick_exit_in_view(page, site_url, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 740 if width == 360 else 800})
    page.goto(f"{site_url}/staying-safe-online.html", wait_until="networkidle")
    expect(page.locator("[data-qe-exit]")).to_be_in_viewport(ratio=1)
    path = SHOTS / f"staying-safe-online-{width}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 0
