"""Page weight: the bytes each page costs a reader, as Chromium records them, with and without Pyodide.

Each page of the built site is opened in a fresh Chromium context (empty cache) from a local server that
serves the build's precompressed files as nginx does with the generated snippet: once with gzip only
(gzip_static; bench.lighthouse.GzipStaticHandler), once with brotli too (brotli_static;
PrecompressedHandler). Every response it loads is counted, the checker's worker included: "transferred" is
what Chromium recorded for the body on the wire plus the headers, "decoded" the bodies once unpacked.
The checker page is counted twice from the same load: everything, and without its Pyodide files
(the runtime under assets/pyodide/ and the standard library, which only the live checker needs).
"""

from __future__ import annotations

import sys
import time

from bench.lighthouse import (CHROMIUM, PAGES, GzipStaticHandler, PrecompressedHandler, chromium_args, served_site,
                              site_dir)

PYODIDE_FOLDER = "/assets/pyodide/"
# The checker page is loaded until its live checker has finished starting (ready or failed).
CHECKER_SETTLED = "#checker-result:not([data-state=loading])"
SETTLE_TIMEOUT_MS = 120_000


def _load(browser, url: str, wait_for: str | None) -> list[dict]:
    """Open url in a fresh context; return one record per response: url, transferred, decoded."""
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True)
    page = context.new_page()
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(url, wait_until="load")
    if wait_for:
        page.wait_for_selector(wait_for, state="attached", timeout=SETTLE_TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    records = []
    for request in responses:
        response = request.response()
        if response is None:
            continue
        sizes = request.sizes()
        try:
            body = response.body()
        except Exception:  # a body Chromium did not keep (a redirect, say) counts as empty
            body = b""
        # Chromium reports no body size for a worker's own script: its Content-Length is what was sent.
        sent = sizes["responseBodySize"] or int(response.header_value("content-length") or 0)
        records.append({"url": request.url, "transferred": sent + sizes["responseHeadersSize"], "decoded": len(body)})
    context.close()
    return records


def _sum(records: list[dict], key: str) -> int:
    return sum(r[key] for r in records)


def run() -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []

    def row(figure, value, unit, anchor):
        rows.append({"area": "page_weight", "figure": figure, "value": value, "unit": unit, "anchor": anchor})

    for encoding, handler, suffix in (("gzip", GzipStaticHandler, ""), ("brotli", PrecompressedHandler, "-brotli")):
        with served_site(site_dir(), handler) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
            try:
                for name, path in PAGES:
                    checker = path == "checker.html"
                    started = time.perf_counter()
                    records = _load(browser, f"{base}/{path}", CHECKER_SETTLED if checker else None)
                    print(f"  {path} ({encoding}): {len(records)} responses in {time.perf_counter() - started:.1f} s",
                          file=sys.stderr)
                    key = name.replace(" ", "-")
                    if encoding == "gzip":
                        row(f"{name} ({path}): requests", len(records), "requests", f"weight-{key}-requests")
                    row(f"{name} ({path}): transferred with {encoding}", _sum(records, "transferred"), "bytes",
                        f"weight-{key}-transferred{suffix}")
                    if encoding == "gzip":
                        row(f"{name} ({path}): decoded", _sum(records, "decoded"), "bytes", f"weight-{key}-decoded")
                    if checker:
                        rest = [r for r in records if PYODIDE_FOLDER not in r["url"] and "python_stdlib" not in r["url"]]
                        row(f"{name} without Pyodide's files: transferred with {encoding}", _sum(rest, "transferred"),
                            "bytes", f"weight-{key}-no-pyodide-transferred{suffix}")
            finally:
                browser.close()
    return rows
