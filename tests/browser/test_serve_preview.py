"""`make serve` (mkdocs serve) in Chromium: its live-reload script runs under the preview's CSP, so the
preview has no console error and reloads itself; the built site's own policy stays strict (test_security_build)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from harness import stop_process
from support import ROOT, Console


def test_the_preview_pages_load_without_console_errors(page):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/staying-safe-online.html"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "mkdocs serve did not start"
                time.sleep(0.5)
        console = Console(page)
        polls = []
        page.on("request", lambda r: polls.append(r.url) if "/livereload/" in r.url else None)
        page.goto(url)  # not "networkidle": the live-reload script keeps a request open
        for _ in range(100):  # the script polls the server once it has run
            if polls:
                break
            page.wait_for_timeout(100)
        assert polls, "the live-reload script did not run"
        assert not console.errors, "\n".join(console.errors)
    finally:
        stop_process(server)
