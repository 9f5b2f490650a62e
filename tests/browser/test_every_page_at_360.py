"""Every built page walked at a phone's width (360 px): the tests of every_page.py (its docstring says what they
see), in a file of their own so that pytest-xdist can run this walk beside the other width's."""

from __future__ import annotations

import pytest

from every_page import *  # noqa: F401,F403 (the tests, and the walk they share)
from support import site_pages  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def width() -> int:
    return 360
