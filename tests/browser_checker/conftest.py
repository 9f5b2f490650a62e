"""Fixtures for the checker page in real Chromium with real Pyodide.

A live checker page costs a few seconds to start, so most tests share one page per module
(`live`), each beginning from "Start again"; tests that need a fresh start load their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker_helpers import open_checker


@pytest.fixture(scope="module")
def live(browser, site_url):
    """One live checker page, ready, shared by a module's tests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_checker(page, site_url)
    yield page
    context.close()


@pytest.fixture
def fresh(browser, site_url):
    """A checker page of its own, ready (for tests that need a first load)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_checker(page, site_url)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return (Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js").read_text()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("checker-screenshots")


