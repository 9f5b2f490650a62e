"""The built site served by nginx (Debian's nginx-light) with the generated snippet: the headers are there,
and every page still works under them in Chromium (no CSP violation, the live checker starts)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support import Console
from support import site_pages  # noqa: F401  (fixtures)

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def start_nginx(site: Path, prefix: Path, main: str = "", server: str = ""):
    """nginx serving site with the generated snippet (and main/server lines added); (url, process)."""
    if NGINX is None:
        pytest.fail("nginx is not installed: `make test` installs Debian's nginx-light (or run `make nginx`)")
    port = _free_port()
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(f"""
{main}
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}
    server {{
        listen 127.0.0.1:{port};
        root {site};
        {server}
        include {site / "nginx.conf"};
    }}
}}
""", encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-e", str(prefix / "error.log"),
                            "-c", str(prefix / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, f"nginx refuses the configuration with the generated snippet:\n{check.stderr}"
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"),
                                "-c", str(prefix / "nginx.conf")], stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=1).close()
            return url, process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"nginx did not start: {process.stderr.read()}")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def nginx_url(built_site, tmp_path_factory):
    url, process = start_nginx(built_site, tmp_path_factory.mktemp("nginx"))
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx_brotli_url(built_site, tmp_path_factory):
    """The same, with nginx's brotli module loaded and `brotli_static on;` in the server block, as the snippet's
    comment tells a host that has the module to do."""
    if not BROTLI_MODULE.is_file():
        pytest.fail(f"{BROTLI_MODULE} is missing: `make test` installs libnginx-mod-http-brotli-static (or run "
                    "`make nginx`)")
    url, process = start_nginx(built_site, tmp_path_factory.mktemp("nginx-brotli"), main=f"load_module {BROTLI_MODULE};",
                               server="brotli_static on;")
    yield url
    process.terminate()
    process.wait(timeout=10)


def fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_every_page_gets_the_full_header_set(nginx_url, built_site, site_pages):
    wrong = []
    for name in site_pages:
        status, headers, body = fetch(f"{nginx_url}/{name}")
        meta = META_CSP.search(body.decode("utf-8"))
        expected = {
            "Content-Security-Policy": f"{meta.group(1)}; frame-ancestors 'none'" if meta else "(a meta CSP)",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY",
        }
        if status != 200:
            wrong.append(f"{name}: status {status}")
        for key, value in expected.items():
            if headers.get(key) != value:
                wrong.append(f"{name}: {key} is {headers.get(key)!r}, expected {value!r}")
        if "camera=()" not in (headers.get("Permissions-Policy") or ""):
            wrong.append(f"{name}: Permissions-Policy is {headers.get('Permissions-Policy')!r}")
    assert not wrong, "\n".join(wrong)


def test_the_checker_page_alone_may_compile_webassembly(nginx_url, site_pages):
    for name in site_pages:
        csp = fetch(f"{nginx_url}/{name}")[1]["Content-Security-Policy"]
        assert ("'wasm-unsafe-eval'" in csp) == (name == "checker.html"), f"{name}: {csp}"


def test_the_folder_address_and_a_missing_page_carry_the_headers_too(nginx_url):
    index = fetch(f"{nginx_url}/index.html")[1]["Content-Security-Policy"]
    status, headers, _ = fetch(f"{nginx_url}/")
    assert status == 200 and headers["Content-Security-Policy"] == index
    status, headers, body = fetch(f"{nginx_url}/no-such-page.html")
    assert status == 404 and b"data-qe-exit" in body
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_webassembly_and_modules_have_their_types_and_pyodide_is_cached_long(nginx_url, built_site):
    files = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.suffix in (".wasm", ".mjs")]
    assert any(f.endswith(".wasm") for f in files), "no .wasm file in the built site"
    for name in files:
        status, headers, _ = fetch(f"{nginx_url}/{name}")
        kind = "application/wasm" if name.endswith(".wasm") else "text/javascript"
        assert status == 200 and headers["Content-Type"] == kind, (name, headers["Content-Type"])
        assert headers["X-Content-Type-Options"] == "nosniff"
        if "pyodide" in name:
            assert "max-age=31536000" in headers["Cache-Control"], (name, headers["Cache-Control"])


def test_the_server_files_are_not_served(nginx_url, built_site):
    for name in ("_headers", "nginx.conf"):
        assert (built_site / name).is_file()
        assert fetch(f"{nginx_url}/{name}")[0] == 404


@pytest.fixture(scope="module")
def nginx_walk(browser, nginx_url, site_pages):
    """Every page through nginx (gzip), once for the module: each page's console errors, and every response of
    the checker page until the live checker is ready (its page load starts Pyodide: seconds of processor)."""
    context = browser.new_context()
    page = context.new_page()
    problems, quick_exit_missing, checker = [], [], None
    # The checker page first, while the context's cache is empty: its record is of every file sent whole.
    for name in sorted(site_pages, key=lambda name: name != "checker.html"):
        console = Console(page)
        finished: list = []

        def record(request, finished=finished):
            finished.append(request)
        page.on("requestfinished", record)
        page.goto(f"{nginx_url}/{name}", wait_until="networkidle")
        result = page.locator("#checker-result")
        if result.count():  # the live checker must start under the checker page's own policy
            expect(result).to_have_attribute("data-state", "ready", timeout=120_000)
            page.wait_for_load_state("networkidle")
            checker = transfer_records(finished, nginx_url)
        page.remove_listener("requestfinished", record)
        if not page.locator("[data-qe-exit]").is_visible():
            quick_exit_missing.append(name)
        problems += [f"{name}: {e}" for e in console.errors]
    context.close()
    return {"problems": problems, "quick_exit_missing": quick_exit_missing, "checker": checker}


def test_every_page_works_under_the_headers(nginx_walk):
    assert not nginx_walk["problems"], "\n".join(nginx_walk["problems"])
    assert nginx_walk["quick_exit_missing"] == []


# The checker page's files that a server should compress: everything but fonts, images and the wheel.
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".wasm", ".zip")


def transfer_records(finished: list, url: str) -> list[dict]:
    """One record per finished request of a page: its path, encoding, body and header sizes."""
    records = []
    for request in finished:
        response = request.response()
        sizes = request.sizes()
        # Chromium reports no body size for a worker's own script: its Content-Length is what was sent.
        body = sizes["responseBodySize"] or int(response.header_value("content-length") or 0)
        records.append({"path": request.url.removeprefix(url), "encoding": response.header_value("content-encoding"),
                        "body": body, "headers": sizes["responseHeadersSize"]})
    return records


def checker_transfer(browser, url: str) -> list[dict]:
    """Open the checker page in a fresh context until the live checker is ready; one record per response."""
    context = browser.new_context()
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda r: finished.append(r))
    page.goto(f"{url}/checker.html")
    expect(page.locator("#checker-result")).to_have_attribute("data-state", "ready", timeout=120_000)
    page.wait_for_load_state("networkidle")
    records = transfer_records(finished, url)
    context.close()
    return records


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_the_checker_page_transfers_its_files_precompressed(browser, request, built_site, encoding):
    """Every text, script, data, wasm and zip file of the checker page comes compressed, and what crosses the
    network for the biggest ones is the file the build precompressed (level 9 or quality 11), not a quick
    compression made per request. The total is measured here; its targets are in the bench."""
    # With gzip, the checker page as the walk of every page through nginx loaded it (nginx_walk).
    records = (request.getfixturevalue("nginx_walk")["checker"] if encoding == "gzip"
               else checker_transfer(browser, request.getfixturevalue("nginx_brotli_url")))
    assert records, "the checker page was not among the pages walked"
    suffix = {"gzip": ".gz", "br": ".br"}[encoding]
    wrong = []
    for record in records:
        path = record["path"].split("?")[0]
        if not path.endswith(COMPRESSIBLE):
            continue
        file = built_site / path.lstrip("/")
        precompressed = file.with_name(file.name + suffix)
        if record["encoding"] != encoding:
            wrong.append(f"{path}: Content-Encoding {record['encoding']!r}, expected {encoding!r}")
        elif precompressed.is_file() and record["body"] != precompressed.stat().st_size:
            wrong.append(f"{path}: {record['body']} bytes sent, expected the {precompressed.stat().st_size} "
                         f"of {precompressed.name}")
    assert not wrong, "\n".join(wrong)
    sent = {r["path"].split("?")[0] for r in records}
    for name in ("pyodide.asm.wasm", "python_stdlib.", "checker-data."):
        assert any(name in p for p in sent), f"the checker page did not load {name}: {sorted(sent)}"
    total = sum(r["body"] + r["headers"] for r in records)
    print(f"checker page through nginx with {encoding}: {len(records)} responses, {total:,} bytes transferred")
