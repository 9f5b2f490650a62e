"""Lighthouse on the home page, the full policy and the checker: mobile settings, Debian's Chromium, offline.

Lighthouse is pinned in bench/tools (`npm ci --prefix bench/tools`; `make site` does not need it). The built
site (./site, or BENCH_SITE) is served by the tests' own local handler, twice: as it is (no compression), and
with gzip for text and wasm, as a real host sends it; Lighthouse's simulated phone network makes the difference
count. Each run gets a fresh Chromium profile and a host resolver that answers nothing but 127.0.0.1. The four
category scores are rows; the audits that did not pass are counted, printed by id and kept in the row's
"audits"; the full reports are under bench/tmp/lighthouse/. One run a page (scores move by a few points from
run to run on a shared machine), but for the checker page on the compressed server, which also runs
MEDIAN_RUNS times more for the median of its performance and blocking time (BENCH_LIGHTHOUSE_RUNS).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import CHROMIUM, CHROMIUM_ARGS, ROOT, _Handler, serve  # the tests' harness (bench/__init__.py puts tests/ on the path)

TOOLS = ROOT / "bench" / "tools"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "bench" / "tmp" / "lighthouse"
PAGES = [("home page", "index.html"), ("full policy", "policy.html"), ("checker", "checker.html")]
CATEGORIES = [("performance", "performance"), ("accessibility", "accessibility"),
              ("best-practices", "best practices"), ("seo", "SEO")]
RUN_TIMEOUT_S = 180


COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/wasm", "image/svg+xml")


_gzipped: dict[tuple[Path, int], bytes] = {}


class GzipHandler(_Handler):
    """The tests' handler, gzipping text and wasm for a client that accepts it (as a real host would)."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() \
                or not kind.startswith(COMPRESSIBLE):
            return super().do_GET()
        key = (path, path.stat().st_mtime_ns)
        if key not in _gzipped:  # each file once: Pyodide's wasm takes a while to compress
            _gzipped[key] = gzip.compress(path.read_bytes(), 6)
        body = _gzipped[key]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


class PrecompressedHandler(_Handler):
    """The tests' handler serving the .br or .gz file the build wrote beside a file, to a client that accepts
    it, as nginx does with brotli_static and gzip_static (site/nginx.conf); ENCODINGS in order of preference."""

    ENCODINGS: tuple[str, ...] = ("br", "gzip")

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepted = [e.split(";")[0].strip() for e in self.headers.get("Accept-Encoding", "").split(",")]
        for encoding in self.ENCODINGS:
            packed = path.with_name(path.name + {"br": ".br", "gzip": ".gz"}[encoding])
            if encoding in accepted and packed.is_file():
                body = packed.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", encoding)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                self.wfile.write(body)
                return
        super().do_GET()


class GzipStaticHandler(PrecompressedHandler):
    """The same, offering only the .gz files (a server without brotli)."""

    ENCODINGS = ("gzip",)


SERVERS = [("plain", _Handler), ("gzip", GzipHandler)]


def site_dir() -> Path:
    """The built site the bench measures: ./site (make bench builds it first), or BENCH_SITE."""
    site = Path(os.environ.get("BENCH_SITE", ROOT / "site"))
    if not (site / "index.html").is_file():
        raise SystemExit(f"Error: {site}/index.html not found: build the site first (make site), "
                         f"or set BENCH_SITE to a built site folder")
    return site


def chromium_args() -> list[str]:
    """The tests' offline flags (Playwright adds its own headless switch)."""
    return list(CHROMIUM_ARGS)


@contextlib.contextmanager
def served_site(site: Path, handler_class: type = _Handler):
    url, server = serve(site, handler_class)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def _chrome_flags(profile: Path) -> str:
    flags = ["--headless=new"] + [f for f in CHROMIUM_ARGS if not f.startswith("--headless")]
    flags.append(f"--user-data-dir={profile}")
    # Lighthouse splits this string on spaces outside quotes; the resolver rule has spaces of its own.
    return " ".join(f"{f.split('=', 1)[0]}='{f.split('=', 1)[1]}'" if " " in f else f for f in flags)


def lighthouse(url: str, report: Path) -> dict:
    """One Lighthouse run (mobile) on url; the JSON report, also written to report."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"Error: {LIGHTHOUSE} not found: run `npm ci --prefix bench/tools` (make bench does)")
    with tempfile.TemporaryDirectory(prefix="lighthouse-profile-") as profile:
        command = [str(LIGHTHOUSE), url, "--form-factor=mobile", "--output=json", f"--output-path={report}",
                   "--quiet", f"--only-categories={','.join(c for c, _ in CATEGORIES)}",
                   f"--chrome-flags={_chrome_flags(Path(profile))}"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                                env=dict(os.environ, CHROME_PATH=CHROMIUM))
    if result.returncode != 0 or not report.exists():
        raise SystemExit(f"Error: lighthouse failed on {url} (exit {result.returncode}):\n{result.stderr[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def not_passed(report: dict, category: str) -> list[str]:
    """Ids of the category's audits that count towards its score and did not score full marks."""
    audits = report["audits"]
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings") and audit.get("score") is not None \
                and audit["score"] < 1 and (ref.get("weight") or audit["scoreDisplayMode"] != "metricSavings"):
            found.append(f"{ref['id']} ({audit['score']:.2f})" if audit["scoreDisplayMode"] == "numeric" else ref["id"])
    return found


# The checker page on the compressed server is also run this many times more, for the median of its
# performance and its blocking time (issue 25's aim is on that median: one run moves by several points).
MEDIAN_RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "5"))


def run() -> list[dict]:
    rows = []
    REPORTS.mkdir(parents=True, exist_ok=True)
    site = site_dir()
    for server_name, handler in SERVERS:
        with served_site(site, handler) as base:
            for name, path in PAGES:
                rows += _page_rows(base, server_name, name, path)
            if server_name == "gzip":
                rows += _median_rows(base, "checker.html")
    return rows


def _median_rows(base: str, path: str) -> list[dict]:
    """The page's performance score and total blocking time over MEDIAN_RUNS runs of their own: the median of each,
    and every run's figures in the row."""
    scores, blocking = [], []
    for i in range(MEDIAN_RUNS):
        report = lighthouse(f"{base}/{path}", REPORTS / f"{Path(path).stem}-gzip-run{i + 1}.json")
        scores.append(round(report["categories"]["performance"]["score"] * 100))
        blocking.append(round(report["audits"]["total-blocking-time"]["numericValue"]))
    print(f"  {path} (gzip server), {MEDIAN_RUNS} runs: performance {scores}, total blocking time {blocking} ms",
          file=sys.stderr)
    label = f"checker ({path}, gzip server), median of {MEDIAN_RUNS} runs"
    return [{"area": "lighthouse", "figure": f"{label}: performance", "value": statistics.median(scores),
             "unit": "/100", "anchor": "lighthouse-checker-gzip-performance-median", "runs": scores},
            {"area": "lighthouse", "figure": f"{label}: total blocking time (simulated phone)",
             "value": statistics.median(blocking), "unit": "ms", "anchor": "lighthouse-checker-gzip-tbt-median",
             "runs": blocking}]


def _page_rows(base: str, server_name: str, name: str, path: str) -> list[dict]:
    started = time.perf_counter()
    report = lighthouse(f"{base}/{path}", REPORTS / f"{Path(path).stem}-{server_name}.json")
    seconds = time.perf_counter() - started
    key = f"{name.replace(' ', '-')}-{server_name}"
    label = f"{name} ({path}, {server_name} server)"
    rows, failing = [], []

    def row(figure, value, unit, anchor):
        rows.append({"area": "lighthouse", "figure": f"{label}: {figure}", "value": value, "unit": unit,
                     "anchor": f"lighthouse-{key}-{anchor}"})

    for category, category_label in CATEGORIES:
        score = report["categories"][category]["score"]
        row(category_label, None if score is None else round(score * 100), "/100", category)
        failing += [f"{category}: {audit}" for audit in not_passed(report, category)]
    for audit, audit_label in (("largest-contentful-paint", "largest contentful paint"),
                               ("total-blocking-time", "total blocking time")):
        value = report["audits"].get(audit, {}).get("numericValue")
        if value is not None:
            row(f"{audit_label} (simulated phone)", round(value), "ms", audit)
    row("audits not passed (ids printed above, and in results.json)", len(failing), "audits", "not-passed")
    rows[-1]["audits"] = failing
    for warning in report.get("runWarnings", []):
        print(f"  lighthouse warning on {path}: {warning}", file=sys.stderr)
    print(f"  {path} ({server_name} server): {seconds:.1f} s; not passed: {'; '.join(failing) or 'none'}",
          file=sys.stderr)
    return rows
