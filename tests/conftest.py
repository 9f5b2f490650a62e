"""Shared fixtures: the policy, its checker data, a site built once per run, a local server and Chromium.

The site is built into a temporary folder (never ./site), so tests can run while
someone previews, and parallel work never collides.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POLICY_FILE = ROOT / "policy" / "respect-phoneline.yaml"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def edited_policy(old: str, new: str) -> str:
    """The real policy's text with one edit: `old`, found exactly once, becomes `new`."""
    text = POLICY_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the policy no longer has {old!r} exactly once: update this test's edit"
    return text.replace(old, new)


@pytest.fixture(scope="session")
def policy():
    from generator.policy_model import load_policy
    return load_policy(POLICY_FILE)


@pytest.fixture(scope="session")
def checker_policy(policy):
    """The checker data as the browser gets it: through JSON, so no Python-only types slip in."""
    import json
    return json.loads(policy.checker_json)


def build_site(dest: Path, config: Path = ROOT / "mkdocs.yml") -> Path:
    """Run `mkdocs build` into dest; fail the test run with MkDocs' own output if it fails."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                             "--config-file", str(config), "--site-dir", str(dest)],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("site") / "site")


# The made-up helplines: tests/examples/<name>.yaml, each built by tests/examples/<name>-mkdocs.yml.
EXAMPLES = ROOT / "tests" / "examples"
EXAMPLE_NAMES = ["lantern-line", "nightjar", "kite-line"]


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """example_site(name): the named example's site, built once a run whichever test asks first."""
    sites: dict[str, Path] = {}

    def site(name: str) -> Path:
        if name not in sites:
            sites[name] = build_site(tmp_path_factory.mktemp(name) / "site", EXAMPLES / f"{name}-mkdocs.yml")
        return sites[name]
    return site


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


@pytest.fixture(scope="session")
def site_url(built_site):
    url, server = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium with flags that keep it off the network."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
