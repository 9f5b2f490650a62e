"""Every built page walked at a desktop's width (1280 px): the tests of every_page.py (its docstring says what they
see), in a file of their own so that pytest-xdist can run this walk beside the other width's."""

from __future__ import annotations

import pytest

from every_page import *  # noqa: F401,F403 (the tests, and the walk they share)
from support import site_pages  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def width() -> int:
    return 1280


def test_the_quick_exit_is_not_printed(page, site_url):
    page.goto(f"{site_url}/policy.html")
    page.emulate_media(media="print")
    assert not page.locator("[data-qe-exit]").is_visible()
    page.emulate_media(media="screen")
    assert page.locator("[data-qe-exit]").is_visible()
