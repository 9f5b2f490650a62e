"""What the tests and the bench share, without pytest: Debian's Chromium with flags that keep it off the
network, a local HTTP server for a built site, and stopping a process that was started."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import threading
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
                      ".json": "application/json", ".whl": "application/zip", ".woff2": "font/woff2"}

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


def serve(directory: Path, handler_class: type = _Handler):
    """A local HTTP server for directory on 127.0.0.1; returns (base_url, server)."""
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def stop_process(process: subprocess.Popen, timeout: float = 20) -> None:
    """End a server process the caller started: ask it to stop, and kill it if it has not within timeout."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
