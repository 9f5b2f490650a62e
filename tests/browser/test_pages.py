"""Every built page in Chromium: it loads with no console error, and asks nothing of any other origin."""

from __future__ import annotations

from support import Console
from support import site_pages  # noqa: F401  (fixtures)


def visit_all(page, site_url: str, site_pages: list[str]):
    """Open every page; yields each page's name after it has loaded and gone quiet."""
    for name in site_pages:
        page.goto(f"{site_url}/{name}", wait_until="networkidle")
        yield name


def test_every_page_loads_with_no_console_error(page, site_url, site_pages):
    problems = []
    for name in site_pages:
        console = Console(page)
        page.goto(f"{site_url}/{name}", wait_until="networkidle")
        problems += [f"{name}: {e}" for e in console.errors]
    assert not problems, "\n".join(problems)


def test_every_request_stays_on_the_site(page, site_url, site_pages):
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    for _ in visit_all(page, site_url, site_pages):
        pass
    outside = sorted({u for u in requests if not u.startswith(site_url + "/") and not u.startswith(("data:", "blob:"))})
    assert requests, "no request was seen: the test saw nothing"
    assert not outside, "requests left the site:\n" + "\n".join(outside)


def test_no_page_carries_a_preview_manifest_or_service_worker(page, site_url, site_pages):
    found = []
    for name in visit_all(page, site_url, site_pages):
        tags = page.evaluate("""() => [...document.querySelectorAll(
            'meta[property^="og:"], meta[name^="twitter:"], link[rel="manifest"]')].map(e => e.outerHTML)""")
        found += [f"{name}: {t}" for t in tags]
        if page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)"):
            found.append(f"{name}: a service worker is registered")
    assert not found, "\n".join(found)
