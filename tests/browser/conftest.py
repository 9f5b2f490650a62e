"""Fixtures for the real-browser tests (helpers in support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import html_pages, serve, site_variant


@pytest.fixture(scope="session")
def site_pages(built_site) -> list[str]:
    return html_pages(built_site)


@pytest.fixture(scope="session")
def neutral_url(policy) -> str:
    return policy.value("safety", "quick_exit_url")


@pytest.fixture(scope="session")
def pushing_site(tmp_path_factory) -> Path:
    """The site with replace_history off, and a neutral tab title and description."""
    return site_variant(tmp_path_factory.mktemp("pushing"), {
        "replace_history": "false",
        "tab_title": '"Weather forecast"',
        "description": '"Local weather and forecasts."',
    })


@pytest.fixture(scope="session")
def pushing_site_url(pushing_site):
    url, server = serve(pushing_site)
    yield url
    server.shutdown()
